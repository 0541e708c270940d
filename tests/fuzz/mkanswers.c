/* Writes the seed corpora of the answer and driver fuzz targets
 * (tests/fuzz/fuzz_answer.c, fuzz_driver.c) from what every odemu model
 * answers: a recording transport ("rec:STATE") passes each command to the
 * emulated drive (odemu_exec) and keeps its answer in fuzz_driver.c's
 * input format.  For each model:
 *   drv-identify/MODEL  the answers to odf_identify_drive;
 *   drv-NAME/MODEL      the answers to INQUIRY + the probe of the driver
 *                       that took it + its path_probe and read_bootcode;
 *   inquiry, vpd, config, modesense, bufdesc, media, rpc, sense/MODEL-N
 *                       the data (or sense) of each such answer.
 * And the emu-state seeds (tests/fuzz/fuzz_emustate.c's input: a state
 * file's body, without the magic, length and hash the harness frames it
 * with), each a state odemu itself wrote (odemu_create, odemu_set_faults,
 * then odemu_state_save of its state with the flash cut to 4 or 8 KiB so
 * that the seed stays small):
 *   emu-state/spc-generic-4k      a new drive;
 *   emu-state/spc-generic-8k-ram  8 KiB, staging RAM written, one page
 *                                 staged, two unit attentions pending;
 *   emu-state/hostile-faults      INQUIRY strings and serial with
 *                                 control bytes, every count fault set
 *                                 (and --signal TERM with its count).
 * Usage: mkanswers OUTDIR (tools/fuzz.sh --seeds writes
 * tests/fuzz/corpus). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu.h"
#include "odemu/odemu.h"
#include "odf/plan.h"
#include "odf/scsi.h"
#include "odf/vendor.h"

static const char *outdir, *model;
static uint8_t rec[1 << 16];
static size_t rec_len;
static unsigned n_sense;
static bool keep_answers;

static void
save(const char *target, const char *name, const uint8_t *b, size_t n)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", outdir, target);
	(void)mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/%s/%s", outdir, target, name);
	f = fopen(p, "wb");
	if (f == NULL || (n && fwrite(b, 1, n, f) != n) || fclose(f) != 0) {
		perror(p);
		exit(1);
	}
}

static void
put(const void *p, size_t n)
{
	if (n == 0 || rec_len + n > sizeof(rec))
		return;	/* nothing, or a long probe: its seed is cut */
	memcpy(rec + rec_len, p, n);
	rec_len += n;
}

static int
rec_open(void **priv, const char *name, unsigned flags,
	 struct odf_dev_info *info, struct odf_diag *d)
{
	struct odemu *e = NULL;
	int rc = odemu_open(name, &e, d);

	(void)flags;
	if (rc < 0)
		return rc;
	*priv = e;
	info->bus = ODF_BUS_EMU;
	return 0;
}

/* The answer's target corpus by its CDB, NULL for none. */
static const char *
answer_kind(const struct odf_cmd *c)
{
	switch (c->cdb[0]) {
	case 0x12: return c->cdb[1] & 1 ? "vpd" : "inquiry";
	case 0x46: return "config";
	case 0x5A: return "modesense";
	case 0x3C: return (c->cdb[1] & 0x1F) == 3 ? "bufdesc" : NULL;
	case 0x4A: return "media";
	case 0xA4: return "rpc";
	default: return NULL;
	}
}

static int
rec_exec(void *priv, struct odf_cmd *c)
{
	uint8_t k, l2[2];
	char name[128];

	odemu_exec(priv, c);
	if (c->host_status || c->os_err) {
		k = 3;
		put(&k, 1);
	} else if (c->scsi_status == 0x02) {
		uint8_t sl = (uint8_t)c->sense_len;

		k = 1;
		put(&k, 1);
		put(&sl, 1);
		put(c->sense, sl);
		if (keep_answers) {
			snprintf(name, sizeof(name), "%s-%u", model, n_sense++);
			save("sense", name, c->sense, sl);
		}
	} else {
		size_t got = c->dir == ODF_DIR_IN ?
			     c->len - (size_t)c->resid : 0;
		const char *kind = answer_kind(c);

		k = 0;
		l2[0] = (uint8_t)got;
		l2[1] = (uint8_t)(got >> 8);
		put(&k, 1);
		put(l2, 2);
		put(c->buf, got);
		if (keep_answers && kind && got) {
			snprintf(name, sizeof(name), "%s-%02x%02x", model,
				 c->cdb[0], c->cdb[2]);
			save(kind, name, c->buf, got);
		}
	}
	return 0;
}

static void
rec_close(void *priv)
{
	odemu_close(priv);
}

static const struct odf_backend_ops rec_ops = {
	.name = "rec", .prefix = "rec:",
	.open = rec_open, .exec = rec_exec, .close = rec_close,
};

static struct odf_dev *
open_rec(const char *state)
{
	char name[512];
	struct odf_dev *dev = NULL;
	struct odf_diag d;

	snprintf(name, sizeof(name), "rec:%s", state);
	odf_diag_clear(&d);
	if (odf_dev_open(name, 0, &dev, &d) < 0) {
		fprintf(stderr, "%s: %s\n", name, d.msg);
		exit(1);
	}
	return dev;
}

/* One emu-state seed: a drive of MODEL made by odemu (new drive options
 * o, faults f when not NULL), its state cut to a flash of fsz bytes by
 * odemu_state_save, then the body of that file. */
static void
emu_state_seed(const char *tmp, const char *name, const char *mdl,
	       const struct odemu_new_opts *o,
	       const struct odemu_fault_opts *f, uint32_t fsz, bool ram)
{
	char path[600], cut[600];
	struct odemu_state st, small;
	struct odemu *e = NULL;
	struct odf_diag d;
	uint8_t *b;
	FILE *in;
	long len;

	snprintf(path, sizeof(path), "%s/state-%s", tmp, name);
	snprintf(cut, sizeof(cut), "%s/cut-%s", tmp, name);
	odf_diag_clear(&d);
	if (odemu_create(mdl, path, o, &d) < 0 ||
	    (f && (odemu_open_admin(path, &e, &d) < 0 ||
		   odemu_set_faults(e, f, &d) < 0)))
		goto fail;
	if (e)
		odemu_close(e);
	if (odemu_state_load(path, &st, &d) < 0 || fsz > st.flash_size)
		goto fail;
	memset(&small, 0, sizeof(small));
	if (odemu_state_alloc(&small, fsz, &d) < 0)
		goto fail;
	{
		uint8_t *fl = small.flash, *rm = small.ram, *sg = small.staged;

		small = st;	/* every field; then the cut buffers */
		small.flash = fl;
		small.ram = rm;
		small.staged = sg;
		small.flash_size = fsz;
		memcpy(fl, st.flash, fsz);
		memcpy(rm, st.ram, fsz);
		memcpy(sg, st.staged, fsz / ODEMU_PAGE);
	}
	if (ram) {
		for (uint32_t i = 0; i < ODEMU_PAGE; i++)
			small.ram[ODEMU_PAGE + i] = (uint8_t)(i * 7);
		small.staged[1] = 1;
		small.n_ua = 2;
		small.ua_asc[0] = 0x29;
		small.ua_asc[1] = 0x3F;
		small.ua_ascq[1] = 0x01;
	}
	if (odemu_state_save(cut, &small, &d) < 0)
		goto fail;
	odemu_state_free(&st);
	odemu_state_free(&small);
	in = fopen(cut, "rb");
	if (in == NULL || fseek(in, 0, SEEK_END) != 0 || (len = ftell(in)) < 20 ||
	    fseek(in, 0, SEEK_SET) != 0 || (b = malloc((size_t)len)) == NULL ||
	    fread(b, 1, (size_t)len, in) != (size_t)len) {
		perror(cut);
		exit(1);
	}
	fclose(in);
	/* magic[8] u32 body_len, body, u64 hash (emu/state.c) */
	save("emu-state", name, b + 12, (size_t)len - 20);
	free(b);
	return;
fail:
	fprintf(stderr, "emu-state %s: %s\n", name, d.msg);
	exit(1);
}

static void
emu_state_seeds(const char *tmp)
{
	struct odemu_new_opts o;
	struct odemu_fault_opts f;
	const struct odemu_fault_desc *t = odemu_fault_table();

	emu_state_seed(tmp, "spc-generic-4k", "spc-generic", NULL, NULL,
		       ODEMU_PAGE, false);
	emu_state_seed(tmp, "spc-generic-8k-ram", "spc-generic", NULL, NULL,
		       2 * ODEMU_PAGE, true);
	memset(&o, 0, sizeof(o));
	o.serial = "\x1b[2J../../etc/x";
	o.vendor = "\x1b]8;;x\a";
	o.product = "\x7f\x01\xff product";
	o.revision = "\t\r\n";
	memset(&f, 0, sizeof(f));
	for (int i = 0; i < ODEMU_FAULT_N; i++)
		if (t[i].kind == ODEMU_FK_COUNT) {
			f.set[i] = true;
			f.val[i] = (int64_t)(t[i].min + 1);
		}
	f.set[ODEMU_F_SIGNAL] = true;	/* --signal-after-cmds goes with it */
	f.val[ODEMU_F_SIGNAL] = 15;
	emu_state_seed(tmp, "hostile-faults", "spc-generic", &o, &f,
		       ODEMU_PAGE, false);
}

int
main(int argc, char **argv)
{
	struct odemu_model_info mi;
	char tmp[] = "/tmp/odf-mkanswers.XXXXXX";
	size_t n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkanswers OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	if (odf_transport_register(&rec_ops) < 0 || mkdtemp(tmp) == NULL)
		return 1;
	for (size_t i = 0; odemu_model_info(i, &mi) == 0; i++, n++) {
		char state[512], dname[64];
		struct odf_dev *dev;
		struct odf_drive_ident id;
		const struct odf_driver *drv = NULL;
		struct odf_diag d;
		struct odf_config cfg;
		struct odf_caps caps;
		struct odf_buffer_desc bd;
		struct odf_media_status ms;
		struct odf_rpc_state rpc;
		struct odf_sense s;

		model = mi.name;
		snprintf(state, sizeof(state), "%s/%s", tmp, mi.name);
		odf_diag_clear(&d);
		if (odemu_create(mi.name, state, NULL, &d) < 0) {
			fprintf(stderr, "%s: %s\n", mi.name, d.msg);
			return 1;
		}
		/* identify: the drv-identify seed and the answers */
		dev = open_rec(state);
		rec_len = 0;
		keep_answers = true;
		n_sense = 0;
		(void)odf_identify_drive(dev, &id, &drv, &d);
		save("drv-identify", mi.name, rec, rec_len);
		(void)odf_get_configuration(dev, &cfg, &d);
		(void)odf_mode_sense_caps(dev, &caps, &d);
		(void)odf_read_buffer_desc(dev, 0, &bd, &d);
		(void)odf_get_media_status(dev, &ms, &d);
		(void)odf_report_rpc(dev, &rpc, &d);
		(void)odf_test_unit_ready(dev, &s, &d);
		odf_dev_close(dev);
		keep_answers = false;
		if (drv == NULL)
			continue;
		/* the driver's own sequence (fuzz_driver.c one_driver) */
		dev = open_rec(state);
		rec_len = 0;
		{
			struct odf_inquiry inq;
			struct odf_drive_ident pid;

			memset(&pid, 0, sizeof(pid));
			if (odf_inquiry(dev, &inq, &d) == 0 &&
			    drv->probe(dev, &inq, &pid, &d) == 1 &&
			    drv->ops != NULL) {
				struct odf_path_limits lim;

				memset(&lim, 0, sizeof(lim));
				if (drv->ops->path_probe)
					(void)drv->ops->path_probe(dev, &pid,
								   &lim, &d);
				if (drv->ops->read_bootcode)
					(void)drv->ops->read_bootcode(dev,
								      &pid, &d);
			}
		}
		odf_dev_close(dev);
		snprintf(dname, sizeof(dname), "drv-%s", drv->name);
		save(dname, mi.name, rec, rec_len);
	}
	emu_state_seeds(tmp);
	printf("mkanswers: %zu models recorded into %s, 3 emu-state seeds\n",
	       n, outdir);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
		return system(cmd) != 0;
	}
}
