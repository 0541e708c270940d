/* odemu: create and inspect emulated optical drives (docs/odemu.1).
 * The drives themselves live in emu/ (include/odemu/odemu.h); this file
 * only parses arguments, prints and maps errors to exit codes. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/cli.h"
#include "odemu/odemu.h"
#include "odf/image.h"
#include "cmd_tcmu.h"

#ifndef ODF_VERSION
#define ODF_VERSION "0.0.0"
#endif

static const char usage_text[] =
	"Usage: odemu COMMAND [ARGS]\n"
	"Emulated optical drives for testing odflash and other SG_IO tools.\n"
	"\n"
	"Commands:\n"
	"  models                          list the drive models it can emulate\n"
	"  new MODEL STATE [--version V] [--firmware FILE] [--serial S]\n"
	"                  [--time-scale F]\n"
	"                                  create a drive (never overwrites)\n"
	"  show STATE [--json]             model, mode, revision, flash sha256,\n"
	"                                  faults, power, counters, blocks\n"
	"  fault STATE [--power-cut-after-cmds N] [--power-cut-after-bytes N]\n"
	"              [--max-transfer BYTES] [--drop-vendor-opcodes]\n"
	"              [--disc on|off] [--tray-locked on|off] [--hang-ms N]\n"
	"              [--reenumerate N] [--reenumerate-skip K]\n"
	"              [--signal-after-cmds N [--signal INT|TERM|HUP|KILL]]\n"
	"              [--fail-commit KK/AA/QQ|off] [--clear]\n"
	"                                  inject faults\n"
	"  power-on STATE                  power the drive back on after a cut\n"
	"  mkimage MODEL -o FILE [--version V]\n"
	"                                  write a format-valid firmware image\n"
	"  mkboot MODEL -o FILE [--version NN]\n"
	"                                  write a bootcode file (NEC models)\n"
	"  dumpflash STATE -o FILE         the drive's whole flash\n"
	"  log STATE                       the commands the drive received\n"
	"  tcmu STATE                      serve the drive to a real kernel\n"
	"\n"
	"Any SG_IO program can talk to a drive through the preload library:\n"
	"  LD_PRELOAD=.../libodemu-preload.so ODEMU_MAP=/dev/sg90=STATE "
	"sg_inq /dev/sg90\n"
	"\n"
	"Exit codes: 0 ok, 1 usage, 2 no such drive / powered off,\n"
	"4 bad firmware file, 5 refused or in use, 10 internal error.\n";

static int
is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* ---- models ---------------------------------------------------------------- */
static int
cmd_models(int argc, char **argv)
{
	struct odemu_model_info mi;
	struct json_object *o = NULL, *arr = NULL;

	(void)argv;
	if (argc > 1)
		return cli_usage_error("takes no arguments");
	if (cli_g.json) {
		o = json_object_new_object();
		arr = json_object_new_array();
	}
	for (size_t i = 0; odemu_model_info(i, &mi) == 0; i++) {
		if (o) {
			struct json_object *m = json_object_new_object();
			cli_json_str(m, "name", mi.name);
			cli_json_str(m, "description", mi.description);
			cli_json_str(m, "family", odf_family_name(mi.family));
			cli_json_str(m, "vendor", mi.vendor);
			cli_json_str(m, "product", mi.product);
			cli_json_str(m, "default_version", mi.default_version);
			cli_json_int(m, "flash_size", mi.flash_size);
			json_object_array_add(arr, m);
		} else {
			printf("%-16s %-10s %s\n", mi.name,
			       odf_family_name(mi.family), mi.description);
		}
	}
	if (o) {
		json_object_object_add(o, "models", arr);
		return cli_json_print(o);
	}
	return 0;
}

/* ---- new ------------------------------------------------------------------- */
static int
parse_scale(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.0) || v > 1000.0)
		return -1;
	*out = v;
	return 0;
}

static int
cmd_new(int argc, char **argv)
{
	struct odemu_new_opts o;
	struct odf_diag d;
	const char *model = NULL, *state = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	odf_diag_clear(&d);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0 || strcmp(a, "--firmware") == 0 ||
		    strcmp(a, "--serial") == 0 || strcmp(a, "--time-scale") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a value", a);
			if (strcmp(a, "--version") == 0)
				o.version = argv[++i];
			else if (strcmp(a, "--firmware") == 0)
				o.firmware = argv[++i];
			else if (strcmp(a, "--serial") == 0)
				o.serial = argv[++i];
			else if (parse_scale(argv[++i], &o.time_scale) < 0)
				return cli_usage_error("--time-scale wants a "
						       "number from 0 to 1000, "
						       "got '%s'", argv[i]);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (model == NULL) {
			model = a;
		} else if (state == NULL) {
			state = a;
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
	}
	if (model == NULL || state == NULL)
		return cli_usage_error("usage: odemu new MODEL STATE [--version V]"
				       " [--firmware FILE] [--serial S] "
				       "[--time-scale F] (models: %s)",
				       odemu_model_names());
	if (o.version && o.firmware)
		return cli_usage_error("--version and --firmware exclude each "
				       "other: the firmware carries its "
				       "version");
	rc = odemu_create(model, state, &o, &d);
	if (rc < 0)
		return cli_fail(&d, rc);
	cli_note("created %s drive at %s", model, state);
	return 0;
}

/* ---- show ------------------------------------------------------------------ */
static const char *
block_state_name(enum odemu_block_state s)
{
	switch (s) {
	case ODEMU_BLOCK_ERASED: return "erased";
	case ODEMU_BLOCK_PROGRAMMED: return "programmed";
	case ODEMU_BLOCK_PARTIAL: return "partial";
	}
	return "?";
}

static int
open_admin(const char *path, struct odemu **e)
{
	struct odf_diag d;
	int rc;

	odf_diag_clear(&d);
	rc = odemu_open_admin(path, e, &d);
	if (rc < 0)
		return cli_fail(&d, rc);
	return 0;
}

/* KK/AA/QQ of a fail-commit sense */
static void
sense_text(int64_t v, char *buf, size_t n)
{
	snprintf(buf, n, "%02X/%02X/%02X", (unsigned)(v >> 16) & 0xFF,
		 (unsigned)(v >> 8) & 0xFF, (unsigned)v & 0xFF);
}

/* the JSON key of a fault: its name with '-' as '_' */
static void
fault_key(const char *name, char *buf, size_t n)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < n; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = 0;
}

/* every fault of the table, by its JSON name */
static void
faults_json(struct json_object *f, const struct odemu_status *s)
{
	const struct odemu_fault_desc *t = odemu_fault_table();

	for (unsigned i = 0; i < ODEMU_FAULT_N; i++) {
		char key[64], fc[16] = "";

		fault_key(t[i].name, key, sizeof(key));
		switch (t[i].kind) {
		case ODEMU_FK_FLAG:
			cli_json_bool(f, key, s->fault[i] != 0);
			break;
		case ODEMU_FK_SENSE:
			if (s->fault[i] != t[i].off)
				sense_text(s->fault[i], fc, sizeof(fc));
			cli_json_str(f, key, fc);
			break;
		default:
			cli_json_int(f, key, s->fault[i]);
			break;
		}
	}
}

/* " NAME=VALUE" for every fault that is on, or " none" */
static void
faults_text(const struct odemu_status *s)
{
	const struct odemu_fault_desc *t = odemu_fault_table();
	int any = 0;

	for (unsigned i = 0; i < ODEMU_FAULT_N; i++) {
		int64_t v = s->fault[i];
		char fc[16];

		if (v == t[i].off)
			continue;
		any = 1;
		switch (t[i].kind) {
		case ODEMU_FK_FLAG:
			printf(" %s", t[i].name);
			break;
		case ODEMU_FK_SENSE:
			sense_text(v, fc, sizeof(fc));
			printf(" %s=%s", t[i].name, fc);
			break;
		case ODEMU_FK_SIGNAL:
			break;		/* shown with its .with entry */
		case ODEMU_FK_STATUS:
			if (i == ODEMU_F_REENUM_LEFT) {
				printf(" re-enumerating(%" PRId64
				       " opens left)", v);
				break;
			}
			/* fall through */
		case ODEMU_FK_COUNT:
			if (t[i].with >= 0 &&
			    t[t[i].with].kind == ODEMU_FK_SIGNAL)
				/* signal-2-after-cmds=N */
				printf(" signal-%" PRId64 "-%s=%" PRId64,
				       s->fault[t[i].with],
				       t[i].name + strlen("signal-"), v);
			else
				printf(" %s=%" PRId64, t[i].name, v);
			break;
		}
	}
	if (!any)
		printf(" none");
}

static int
cmd_show(int argc, char **argv)
{
	struct odemu *e;
	struct odemu_status *s;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("usage: odemu show STATE [--json]");
	rc = open_admin(argv[1], &e);
	if (rc)
		return rc;
	s = malloc(sizeof(*s));
	if (s == NULL) {
		odemu_close(e);
		return cli_fail(NULL, ODF_E_NOMEM);
	}
	odemu_get_status(e, s);
	odemu_close(e);
	if (cli_g.json) {
		struct json_object *o = json_object_new_object();
		struct json_object *f = json_object_new_object();
		struct json_object *c = json_object_new_object();
		struct json_object *b = json_object_new_array();

		cli_json_str(o, "state", argv[1]);
		cli_json_str(o, "model", s->model);
		cli_json_str(o, "mode", odf_mode_name(s->mode));
		cli_json_str(o, "power", s->powered_off ? "off" : "on");
		cli_json_str(o, "vendor", s->vendor);
		cli_json_str(o, "product", s->product);
		cli_json_str(o, "revision", s->revision);
		cli_json_str(o, "serial", s->serial);
		cli_json_str(o, "flash_sha256", s->flash_sha256);
		cli_json_bool(o, "disc", s->disc);
		cli_json_bool(o, "tray_open", s->tray_open);
		json_object_object_add(o, "time_scale",
				       json_object_new_double(s->time_scale));
		cli_json_int(o, "pending_unit_attentions", s->pending_ua);
		faults_json(f, s);
		cli_json_bool(o, "bootcode_broken", s->boot_broken);
		json_object_object_add(o, "faults", f);
		cli_json_int(c, "commands", (int64_t)s->n_cmds);
		cli_json_int(c, "bytes_in", (int64_t)s->bytes_in);
		cli_json_int(c, "bytes_out", (int64_t)s->bytes_out);
		cli_json_int(c, "erases", (int64_t)s->n_erase);
		cli_json_int(c, "bytes_programmed",
			     (int64_t)s->bytes_programmed);
		cli_json_int(c, "boots", (int64_t)s->n_boot);
		cli_json_int(c, "power_cuts", (int64_t)s->n_power_cuts);
		cli_json_int(c, "modeled_ns", (int64_t)s->modeled_ns);
		cli_json_int(c, "slept_ns", (int64_t)s->slept_ns);
		json_object_object_add(o, "counters", c);
		for (unsigned i = 0; i < s->nblocks; i++) {
			struct json_object *x = json_object_new_object();
			cli_json_int(x, "block", i);
			cli_json_int(x, "start", s->block[i].start);
			cli_json_int(x, "size", s->block[i].size);
			cli_json_str(x, "state",
				     block_state_name(s->block[i].state));
			json_object_array_add(b, x);
		}
		json_object_object_add(o, "blocks", b);
		free(s);
		return cli_json_print(o);
	}
	printf("state:      %s\n", argv[1]);
	printf("model:      %s\n", s->model);
	printf("power:      %s\n", s->powered_off ? "off (power cut: run "
	       "odemu power-on)" : "on");
	printf("mode:       %s%s\n", odf_mode_name(s->mode), s->boot_broken ?
	       " -- BOOTCODE BROKEN: the drive cannot start (a real one "
	       "needs an external flash programmer)" : "");
	printf("inquiry:    %s / %s / %s\n", s->vendor, s->product,
	       s->revision);
	printf("serial:     %s\n", s->serial);
	printf("flash:      sha256 %s\n", s->flash_sha256);
	printf("tray:       %s, %s\n", s->tray_open ? "open" : "closed",
	       s->disc ? "disc" : "no disc");
	printf("time scale: %g\n", s->time_scale);
	printf("faults:    ");
	faults_text(s);
	printf("\n");
	printf("counters:   %" PRIu64 " commands, %" PRIu64 " bytes in, %"
	       PRIu64 " bytes out, %" PRIu64 " erases, %" PRIu64
	       " bytes programmed, %" PRIu64 " boots, %" PRIu64
	       " power cuts\n", s->n_cmds, s->bytes_in, s->bytes_out,
	       s->n_erase, s->bytes_programmed, s->n_boot, s->n_power_cuts);
	printf("time:       modeled %.3f s, slept %.3f s\n",
	       (double)s->modeled_ns / 1e9, (double)s->slept_ns / 1e9);
	printf("blocks:\n");
	for (unsigned i = 0; i < s->nblocks; i++)
		printf("  %2u  0x%06x  %3u KiB  %s\n", i, s->block[i].start,
		       s->block[i].size / 1024,
		       block_state_name(s->block[i].state));
	free(s);
	return 0;
}

/* ---- fault ----------------------------------------------------------------- */
static int
num_arg(int argc, char **argv, int *i, uint64_t min, uint64_t max,
	uint64_t *out)
{
	struct odf_diag d;
	const char *opt = argv[*i];

	if (*i + 1 >= argc)
		return cli_usage_error("%s needs a value", opt);
	odf_diag_clear(&d);
	if (cli_parse_u64(argv[++*i], min, max, out, &d) < 0)
		return cli_usage_error("%s: %s", opt, d.msg);
	return 0;
}

/* "04/3E/01" -> 0x043E01; "off" -> 0. */
static int
sense_arg(int argc, char **argv, int *i, int64_t *out)
{
	const char *opt = argv[*i];
	unsigned k, a, q;
	char tail;

	if (*i + 1 >= argc)
		return cli_usage_error("%s needs a sense KK/AA/QQ or off", opt);
	++*i;
	if (strcmp(argv[*i], "off") == 0) {
		*out = 0;
		return 0;
	}
	if (sscanf(argv[*i], "%2x/%2x/%2x%c", &k, &a, &q, &tail) != 3 ||
	    k == 0 || k > 0xF)
		return cli_usage_error("%s wants a sense KK/AA/QQ in hex with "
				       "a key of 01 to 0F (e.g. 04/3E/01), or "
				       "off; got '%s'", opt, argv[*i]);
	*out = (int64_t)(k << 16 | a << 8 | q);
	return 0;
}

/* the fault table entry settable as --NAME, or -1 */
static int
fault_by_name(const char *name)
{
	const struct odemu_fault_desc *t = odemu_fault_table();

	for (unsigned i = 0; i < ODEMU_FAULT_N; i++)
		if (t[i].kind != ODEMU_FK_STATUS &&
		    strcmp(t[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* --NAME [VALUE] of fault table entry k into f */
static int
fault_arg(int argc, char **argv, int *i, unsigned k,
	  struct odemu_fault_opts *f)
{
	const struct odemu_fault_desc *t = &odemu_fault_table()[k];
	uint64_t u;
	int rc = 0;

	switch (t->kind) {
	case ODEMU_FK_COUNT:
		rc = num_arg(argc, argv, i, t->min, t->max, &u);
		f->val[k] = (int64_t)u;
		break;
	case ODEMU_FK_FLAG:
		f->val[k] = 1;
		if (!t->takes_value)
			break;
		if (*i + 1 >= argc || (strcmp(argv[*i + 1], "on") != 0 &&
				       strcmp(argv[*i + 1], "off") != 0))
			return cli_usage_error("--%s wants on or off", t->name);
		f->val[k] = strcmp(argv[++*i], "on") == 0;
		break;
	case ODEMU_FK_SENSE:
		rc = sense_arg(argc, argv, i, &f->val[k]);
		break;
	case ODEMU_FK_SIGNAL: {
		static const struct { const char *n; int s; } sigs[] = {
			{ "INT", SIGINT }, { "TERM", SIGTERM },
			{ "HUP", SIGHUP }, { "KILL", SIGKILL } };
		size_t j;

		if (*i + 1 >= argc)
			return cli_usage_error("--%s needs INT, TERM, HUP or "
					       "KILL", t->name);
		++*i;
		for (j = 0; j < 4; j++)
			if (strcmp(argv[*i], sigs[j].n) == 0)
				break;
		if (j == 4)
			return cli_usage_error("--%s wants INT, TERM, HUP or "
					       "KILL, got '%s'", t->name,
					       argv[*i]);
		f->val[k] = sigs[j].s;
		break;
	}
	case ODEMU_FK_STATUS:
		return cli_usage_error("unknown option '--%s'", t->name);
	}
	f->set[k] = true;
	return rc;
}

static int
cmd_fault(int argc, char **argv)
{
	const struct odemu_fault_desc *t = odemu_fault_table();
	struct odemu_fault_opts f;
	struct odf_diag d;
	struct odemu *e;
	const char *state = NULL;
	int rc, k, any = 0;

	memset(&f, 0, sizeof(f));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		rc = 0;
		if (a[0] == '-' && a[1] == '-' &&
		    (k = fault_by_name(a + 2)) >= 0) {
			rc = fault_arg(argc, argv, &i, (unsigned)k, &f);
			if (rc)
				return rc;
			if (t[k].kind == ODEMU_FK_SIGNAL)
				continue;	/* goes with its .with entry */
		} else if (strcmp(a, "--disc") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("--disc needs on or off");
			i++;
			if (strcmp(argv[i], "on") == 0)
				f.disc = true;
			else if (strcmp(argv[i], "off") == 0)
				f.disc = false;
			else
				return cli_usage_error("--disc wants on or off, "
						       "got '%s'", argv[i]);
			f.set_disc = true;
		} else if (strcmp(a, "--clear") == 0) {
			f.clear = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (state == NULL) {
			state = a;
			continue;
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
		if (rc)
			return rc;
		any = 1;
	}
	/* a signal name alone sets nothing; with its count it defaults to
	 * INT */
	for (unsigned j = 0; j < ODEMU_FAULT_N; j++) {
		int w = t[j].with;

		if (t[j].kind != ODEMU_FK_SIGNAL || w < 0)
			continue;
		if (!f.set[w])
			f.set[j] = false;
		else if (!f.set[j])
			f.set[j] = true, f.val[j] = SIGINT;
	}
	if (state == NULL)
		return cli_usage_error("usage: odemu fault STATE [options]");
	if (!any)
		return cli_usage_error("no fault given (see odemu --help)");
	rc = open_admin(state, &e);
	if (rc)
		return rc;
	odf_diag_clear(&d);
	rc = odemu_set_faults(e, &f, &d);
	odemu_close(e);
	if (rc < 0)
		return cli_fail(&d, rc);
	return 0;
}

/* ---- power-on -------------------------------------------------------------- */
static int
cmd_power_on(int argc, char **argv)
{
	struct odemu *e;
	struct odemu_status s;
	struct odf_diag d;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("usage: odemu power-on STATE");
	rc = open_admin(argv[1], &e);
	if (rc)
		return rc;
	odf_diag_clear(&d);
	rc = odemu_power_on(e, &d);
	if (rc == 0)
		odemu_get_status(e, &s);
	odemu_close(e);
	if (rc < 0)
		return cli_fail(&d, rc);
	cli_note("powered on: %s mode, revision %s", odf_mode_name(s.mode),
		 s.revision);
	return 0;
}

/* ---- files ------------------------------------------------------------------ */
static int
write_file(const char *path, const uint8_t *p, size_t n)
{
	struct odf_diag d;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t done = 0;

	odf_diag_clear(&d);
	if (fd < 0) {
		odf_diag_set(&d, ODF_E_FILE, "cannot write %s: %s", path,
			     strerror(errno));
		return cli_fail(&d, ODF_E_FILE);
	}
	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			odf_diag_set(&d, ODF_E_FILE, "cannot write %s: %s",
				     path, strerror(errno));
			close(fd);
			return cli_fail(&d, ODF_E_FILE);
		}
		done += (size_t)w;
	}
	if (close(fd) < 0) {
		odf_diag_set(&d, ODF_E_FILE, "cannot write %s: %s", path,
			     strerror(errno));
		return cli_fail(&d, ODF_E_FILE);
	}
	return 0;
}

static int
take_output(int argc, char **argv, const char **pos, const char **out,
	    const char **version)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
		    (version && strcmp(a, "--version") == 0)) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a value", a);
			if (a[1] == 'o' || a[2] == 'o')
				*out = argv[++i];
			else
				*version = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (*pos == NULL) {
			*pos = a;
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
	}
	return 0;
}

/* odemu mkimage / mkboot: build a file for MODEL with the emulator's own
 * builder and write it to -o FILE. */
typedef int (*make_fn)(const char *model, const char *version, uint8_t **out,
		       size_t *len, struct odf_diag *d);

static int
make_file(int argc, char **argv, make_fn make, const char *usage,
	  const char *what)
{
	const char *model = NULL, *out = NULL, *version = NULL;
	struct odf_diag d;
	uint8_t *img = NULL;
	size_t len = 0;
	int rc;

	rc = take_output(argc, argv, &model, &out, &version);
	if (rc)
		return rc;
	if (model == NULL || out == NULL)
		return cli_usage_error("%s (models: %s)", usage,
				       odemu_model_names());
	odf_diag_clear(&d);
	rc = make(model, version, &img, &len, &d);
	if (rc < 0)
		return cli_fail(&d, rc);
	rc = write_file(out, img, len);
	free(img);
	if (rc == 0)
		cli_note("wrote %s %s (%zu bytes) to %s", model, what, len, out);
	return rc;
}

static int
cmd_mkimage(int argc, char **argv)
{
	return make_file(argc, argv, odemu_mkimage,
			 "usage: odemu mkimage MODEL -o FILE [--version V]",
			 "image");
}

static int
cmd_mkboot(int argc, char **argv)
{
	return make_file(argc, argv, odemu_mkboot,
			 "usage: odemu mkboot MODEL -o FILE [--version NN]",
			 "bootcode");
}

static int
cmd_dumpflash(int argc, char **argv)
{
	const char *state = NULL, *out = NULL;
	struct odemu *e;
	const uint8_t *p;
	size_t len;
	int rc;

	rc = take_output(argc, argv, &state, &out, NULL);
	if (rc)
		return rc;
	if (state == NULL || out == NULL)
		return cli_usage_error("usage: odemu dumpflash STATE -o FILE");
	rc = open_admin(state, &e);
	if (rc)
		return rc;
	p = odemu_flash(e, &len);
	rc = write_file(out, p, len);
	odemu_close(e);
	return rc;
}

static int
cmd_log(int argc, char **argv)
{
	struct odemu *e;
	char buf[65536];
	FILE *f;
	size_t n;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("usage: odemu log STATE");
	rc = open_admin(argv[1], &e);
	if (rc)
		return rc;
	f = fopen(odemu_log_path(e), "r");
	odemu_close(e);
	if (f == NULL)
		return 0;		/* no command yet */
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}

/* ---- dispatch ------------------------------------------------------------------ */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "models", cmd_models }, { "new", cmd_new }, { "show", cmd_show },
	{ "fault", cmd_fault }, { "power-on", cmd_power_on },
	{ "mkimage", cmd_mkimage }, { "mkboot", cmd_mkboot },
	{ "dumpflash", cmd_dumpflash },
	{ "log", cmd_log }, { "tcmu", odemu_cmd_tcmu },
};

int
main(int argc, char **argv)
{
	cli_init("odemu");
	(void)odemu_transport_register();	/* emu:STATE drives */
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("odemu %s\n", ODF_VERSION);
		return 0;
	}
	argc = cli_take_global_opts(argc, argv, 1);
	cli_setup_logging();
	if (argc < 2)
		return cli_usage_error("no command given");
	if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		cli_g.cmd = commands[i].name;
		for (int k = 2; k < argc; k++)
			if (is_help(argv[k]) && commands[i].fn != odemu_cmd_tcmu) {
				fputs(usage_text, stdout);
				return 0;
			}
		return commands[i].fn(argc - 1, argv + 1);
	}
	return cli_usage_error("unknown command '%s' (commands: models new "
			       "show fault power-on mkimage mkboot dumpflash log "
			       "tcmu)", argv[1]);
}
