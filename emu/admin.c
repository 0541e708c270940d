/* odemu admin: the models, firmware and bootcode images, creating a drive,
 * its status (odemu show), power-on and the flash/log accessors: what the
 * odemu CLI does to a drive outside of commands. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"
#include "odf/bytes.h"
#include "odf/image.h"	/* odf_sha256_hex */
#include "util/platform.h"

/* ---- administration ------------------------------------------------------------ */
int
odemu_model_info(size_t i, struct odemu_model_info *out)
{
	const struct odemu_model *m = odemu_model_at(i);

	if (m == NULL)
		return ODF_E_USAGE;
	out->name = m->name;
	out->description = m->description;
	out->family = m->family;
	out->vendor = m->vendor;
	out->product = m->product;
	out->default_version = m->default_version;
	out->flash_size = m->flash_size;
	out->fw_start = m->fw_start;
	out->fw_len = m->fw_len;
	out->nblocks = m->nblocks;
	return 0;
}

/* The list is built once, at the first call, in a buffer sized from the
 * model table itself: it never truncates however many models are added.
 * pthread_once: the tcmu front end may ask from several threads. */
static char *model_names;

static void
build_model_names(void)
{
	const struct odemu_model *m;
	size_t need = 1, n = 0;
	char *s;

	for (size_t i = 0; (m = odemu_model_at(i)) != NULL; i++)
		need += strlen(m->name) + 1;
	s = malloc(need);
	if (s == NULL)
		return;
	for (size_t i = 0; (m = odemu_model_at(i)) != NULL; i++) {
		size_t l = strlen(m->name);

		if (i)
			s[n++] = ' ';
		memcpy(s + n, m->name, l);
		n += l;
	}
	s[n] = '\0';
	model_names = s;
}

const char *
odemu_model_names(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, build_model_names);
	return model_names ? model_names : "(out of memory)";
}

uint32_t
odemu_seed_of(const char *s)
{
	uint32_t h = 2166136261u;

	while (s && *s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

int
odemu_mkboot(const char *model, const char *version, uint8_t **out,
	      size_t *len, struct odf_diag *d)
{
	const struct odemu_model *m = odemu_model_find(model);
	char seedtext[96];
	uint32_t x;
	uint8_t *b;

	if (m == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "unknown drive model '%s' "
				    "(models: %s)", model ? model : "",
				    odemu_model_names());
	if (!m->boot_len)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "%s has no bootcode "
				    "flash", m->name);
	if (version == NULL)
		version = m->boot_revision + 2;
	if (strlen(version) != 2)
		return odf_diag_set(d, ODF_E_USAGE, "a bootcode version is 2 "
				    "characters (\"05\"), got '%s'", version);
	b = malloc(m->boot_len);
	if (b == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	snprintf(seedtext, sizeof(seedtext), "%s/boot/%s", m->name, version);
	x = odemu_seed_of(seedtext) | 1u;
	for (uint32_t i = 0; i < m->boot_len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (uint8_t)x;
	}
	if (m->id_addr && m->id_addr + 0x20 <= m->boot_len) {
		/* a boot block that covers the ID keeps the model's ID */
		memset(b + m->id_addr, 0, 0x20);
		memcpy(b + m->id_addr, m->target, 4);
	}
	if (m->boot_rev_off) {
		b[m->boot_rev_off] = '0';
		b[m->boot_rev_off + 1] = '.';
		memcpy(b + m->boot_rev_off + 2, version, 2);
	}
	odf_put_be16(b + m->boot_len - 2, odf_sum_be16(b, m->boot_len - 2));
	*out = b;
	*len = m->boot_len;
	return 0;
}

int
odemu_create(const char *model, const char *path,
	     const struct odemu_new_opts *o, struct odf_diag *d)
{
	const struct odemu_model *m = odemu_model_find(model);
	struct odemu e;
	struct stat sb;
	uint8_t *img = NULL;
	size_t img_len = 0;
	int rc;

	if (m == NULL) {
		odemu_diag_hint(d, "models: %s", odemu_model_names());
		return odf_diag_set(d, ODF_E_USAGE, "unknown drive model '%s' "
				    "(models: %s)", model ? model : "",
				    odemu_model_names());
	}
	if (path == NULL || path[0] == '\0')
		return odf_diag_set(d, ODF_E_USAGE, "no state path given");
	if (lstat(path, &sb) == 0) {
		odemu_diag_hint(d, "remove it first, or choose another path");
		return odf_diag_set(d, ODF_E_USAGE, "%s already exists: "
				    "refusing to overwrite a drive state",
				    path);
	}
	if (o && !(o->time_scale >= 0 && o->time_scale <= 1000))
		return odf_diag_set(d, ODF_E_USAGE, "the time scale must be "
				    "from 0 to 1000 (the state file keeps it "
				    "in thousandths: emu/state.c)");
	memset(&e, 0, sizeof(e));
	e.model = m;
	e.lock_fd = -1;
	rc = odemu_state_alloc(&e.st, m->flash_size, d);
	if (rc < 0)
		return rc;
	snprintf(e.st.model, sizeof(e.st.model), "%s", m->name);
	if (o && o->serial) {
		if (strlen(o->serial) >= sizeof(e.st.serial)) {
			odemu_state_free(&e.st);
			return odf_diag_set(d, ODF_E_USAGE, "the serial number "
					    "must have 0 (none) to %zu bytes",
					    sizeof(e.st.serial) - 1);
		}
		snprintf(e.st.serial, sizeof(e.st.serial), "%s", o->serial);
	} else {
		snprintf(e.st.serial, sizeof(e.st.serial), "EMU%08X",
			 odemu_seed_of(path));
	}
	{
		const char *v[3] = { o ? o->vendor : NULL,
				     o ? o->product : NULL,
				     o ? o->revision : NULL };
		char *dst[3] = { e.st.inq_vendor, e.st.inq_product,
				 e.st.inq_revision };
		static const char *const what[3] = { "vendor", "product",
						     "revision" };
		static const size_t max[3] = { 8, 16, 4 };

		for (int i = 0; i < 3; i++) {
			if (v[i] == NULL)
				continue;
			if (v[i][0] == '\0' || strlen(v[i]) > max[i]) {
				odemu_state_free(&e.st);
				return odf_diag_set(d, ODF_E_USAGE, "the INQUIRY "
						    "%s must have 1 to %zu "
						    "bytes", what[i], max[i]);
			}
			memcpy(dst[i], v[i], strlen(v[i]) + 1);
		}
	}
	e.st.time_scale = o ? o->time_scale : 0;
	odemu_faults_clear(&e.st);	/* a new drive has no fault */
	/* RPC II drive, region 2 set, 4 vendor resets and 4 changes left */
	e.st.rpc_type = 1;
	e.st.rpc_vendor_resets = 4;
	e.st.rpc_user_changes = 4;
	e.st.rpc_mask = 0xFD;
	e.st.rpc_scheme = 1;
	if (o && o->firmware) {
		FILE *f = fopen(o->firmware, "rb");
		if (f == NULL) {
			rc = odf_diag_set(d, ODF_E_FILE, "cannot open firmware "
					  "file %s: %s", o->firmware,
					  strerror(errno));
			goto out;
		}
		/* read the whole file, however long */
		for (;;) {
			uint8_t *nb = realloc(img, img_len + 65536);
			size_t r;
			if (nb == NULL) {
				fclose(f);
				rc = odf_diag_set(d, ODF_E_NOMEM, "out of memory");
				goto out;
			}
			img = nb;
			r = fread(img + img_len, 1, 65536, f);
			img_len += r;
			if (r < 65536)
				break;
		}
		if (ferror(f)) {
			fclose(f);
			rc = odf_diag_set(d, ODF_E_FILE, "cannot read %s",
					  o->firmware);
			goto out;
		}
		fclose(f);
	} else {
		rc = odemu_mkimage(m->name, o ? o->version : NULL, &img,
				   &img_len, d);
		if (rc < 0)
			goto out;
	}
	rc = m->proto->provision(&e, o ? o->version : NULL, img, img_len, d);
	if (rc < 0)
		goto out;
	e.path = (char *)path;
	odemu_reboot(&e);
	e.st.n_boot = 0;
	e.path = NULL;
	rc = odemu_state_save(path, &e.st, d);
out:
	free(img);
	odemu_state_free(&e.st);
	return rc;
}

void
odemu_get_status(const struct odemu *e, struct odemu_status *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->model, sizeof(s->model), "%s", e->st.model);
	snprintf(s->serial, sizeof(s->serial), "%s", e->st.serial);
	s->mode = (enum odf_mode)e->st.mode;
	/* A NEC/Optiarc drive whose firmware fails its check runs its boot
	 * code, the code SetSafeMode starts: over the wire it is one state,
	 * INQUIRY revision "0.xx" (Liggy/binflash@5cfb543 necinternal.cpp
	 * IsSafeMode), which odflash info calls "safe": so does odemu show.
	 * The emulator keeps the cause (st.mode BOOT) to itself. */
	if (e->model->family == ODF_FAMILY_NEC && s->mode == ODF_MODE_BOOT)
		s->mode = ODF_MODE_SAFE;
	s->powered_off = e->st.powered_off;
	memcpy(s->vendor, e->vendor, sizeof(s->vendor));
	memcpy(s->product, e->product, sizeof(s->product));
	memcpy(s->revision, e->revision, sizeof(s->revision));
	odf_sha256_hex(e->st.flash, e->st.flash_size, s->flash_sha256);
	s->disc = e->st.disc;
	s->tray_open = e->st.tray_open;
	s->time_scale = e->st.time_scale;
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++)
		s->fault[i] = odemu_fault_get(&e->st, i);
	s->pending_ua = e->st.n_ua;
	s->boot_broken = !odemu_boot_block_ok(e);
	s->n_cmds = e->st.n_cmds;
	s->bytes_in = e->st.bytes_in;
	s->bytes_out = e->st.bytes_out;
	s->n_erase = e->st.n_erase;
	s->bytes_programmed = e->st.bytes_programmed;
	s->n_boot = e->st.n_boot;
	s->modeled_ns = e->st.modeled_ns;
	s->slept_ns = e->st.slept_ns;
	s->n_power_cuts = e->st.n_power_cuts;
	s->nblocks = e->model->nblocks;
	for (unsigned b = 0; b < e->model->nblocks &&
	     b < ODEMU_STATUS_MAX_BLOCKS; b++) {
		s->block[b].start = odemu_block_start(e->model, b);
		s->block[b].size = e->model->block_size[b];
		s->block[b].state = (enum odemu_block_state)
			odemu_flash_block_state(e, b);
	}
}

int
odemu_power_on(struct odemu *e, struct odf_diag *d)
{
	e->st.powered_off = 0;
	e->gone = false;
	e->st.reenum_left = 0;
	e->st.n_ua = 0;
	odemu_reboot(e);
	/* POWER ON, RESET, OR BUS DEVICE RESET OCCURRED 29h/00h */
	odemu_add_ua(e, 0x29, 0x00);
	return odemu_save(e, d);
}

const uint8_t *
odemu_flash(const struct odemu *e, size_t *len)
{
	*len = e->st.flash_size;
	return e->st.flash;
}

const char *
odemu_log_path(const struct odemu *e)
{
	return e->log_path;
}

void
odemu_diag_hint(struct odf_diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	va_start(ap, fmt);
	vsnprintf(d->hint, sizeof(d->hint), fmt, ap);
	va_end(ap);
}
