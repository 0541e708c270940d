/* odflash: helpers shared by the command-line tools.  See cli.h. */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "odemu/odemu.h"
#include "odf/scsi.h"
#include "odf/transport.h"

struct cli_global cli_g = { "odflash", "", 0, false, false, false, false,
			     NULL, NULL };

void
cli_init(const char *prog)
{
	memset(&cli_g, 0, sizeof(cli_g));
	cli_g.prog = prog;
	cli_g.cmd = "";
}

/* 1 when arg is a global option (and applies it), 0 otherwise. */
static int
global_opt(const char *arg)
{
	if (strcmp(arg, "--json") == 0) {
		cli_g.json = true;
		cli_g.json_user = true;
		return 1;
	}
	if (strcmp(arg, "--verbose") == 0) {
		cli_g.verbose++;
		return 1;
	}
	if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
		cli_g.quiet = true;
		return 1;
	}
	if (arg[0] == '-' && arg[1] == 'v') {
		size_t i, n = strlen(arg);

		for (i = 1; i < n; i++)
			if (arg[i] != 'v')
				return 0;
		cli_g.verbose += (int)(n - 1);
		return 1;
	}
	return 0;
}

int
cli_take_global_opts(int argc, char **argv, int first)
{
	int i, out = first;

	for (i = first; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!global_opt(argv[i]))
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

/* ---- messages ------------------------------------------------------------ */
static void
vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	cli_progress_break();
	fprintf(stderr, "%s: %s", cli_g.prog, prefix);
	cli_vout(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

static void
vwarn(const char *kind, const char *device, const char *fmt, va_list ap)
{
	va_list ap2;

	va_copy(ap2, ap);
	if (device != NULL) {
		char pre[600], esc[560];

		snprintf(pre, sizeof(pre), "warning: %s: ",
			 cli_esc(device, esc, sizeof(esc)));
		vmsg(pre, fmt, ap);
	} else {
		vmsg("warning: ", fmt, ap);
	}
	if (cli_events_on()) {
		char msg[2048];

		vsnprintf(msg, sizeof(msg), fmt, ap2);
		cli_ev_message("warning", kind, device, msg);
	}
	va_end(ap2);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(NULL, NULL, fmt, ap);
	va_end(ap);
}

void
cli_warn_kind(const char *kind, const char *device, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(kind, device, fmt, ap);
	va_end(ap);
}

void
cli_note(const char *fmt, ...)
{
	va_list ap;

	if (cli_g.quiet)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void
cli_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("hint: ", stderr);
	cli_vout(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int
cli_fail(const struct odf_diag *d, int err)
{
	return cli_fail_result(d, err, NULL);
}

int
cli_fail_result(const struct odf_diag *d, int err,
		const struct odf_flash_result *r)
{
	const char *msg, *hint;
	char sense[160] = "", hbuf[2600];
	int code;

	if (err == 0 && d != NULL)
		err = d->err;
	if (err == 0)
		return 0;
	code = cli_exit_code(err);
	msg = (d != NULL && d->msg[0] != '\0') ? d->msg : odf_err_str(err);
	hint = cli_hint_for(d, r, hbuf, sizeof(hbuf));
	if (d != NULL && d->sense_valid) {
		char txt[128];

		odf_sense_text(d->sense_key, d->asc, d->ascq, txt, sizeof(txt));
		snprintf(sense, sizeof(sense), "%02X/%02X/%02X %s",
			 d->sense_key, d->asc, d->ascq, txt);
	}
	if (d != NULL && d->step[0] != '\0')
		cli_err("%s: %s", d->step, msg);
	else
		cli_err("%s", msg);
	if (sense[0] != '\0')
		fprintf(stderr, "%s: sense: %s\n", cli_g.prog, sense);
	if (hint[0] != '\0')
		cli_hint("%s", hint);
	if (cli_g.json && !cli_g.json_done) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "error", cli_error_json(d, err, r));
		cli_json_str(o, "result", "error");
		cli_json_int(o, "exit_code", code);
		(void)cli_json_print(o);
	}
	return code;
}

int
cli_usage_error(const char *fmt, ...)
{
	char msg[1024], hint[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cli_g.cmd != NULL && cli_g.cmd[0] != '\0')
		snprintf(hint, sizeof(hint), "Try '%s %s --help'.", cli_g.prog,
			 cli_g.cmd);
	else
		snprintf(hint, sizeof(hint), "Try '%s --help'.", cli_g.prog);
	fflush(stdout);
	if (cli_g.cmd != NULL && cli_g.cmd[0] != '\0')
		cli_out(stderr, "%s %s: %s\n%s\n", cli_g.prog, cli_g.cmd, msg,
			hint);
	else
		cli_out(stderr, "%s: %s\n%s\n", cli_g.prog, msg, hint);
	/* --json: stdout still holds one object, the same shape as
	 * cli_fail's */
	if (cli_g.json && !cli_g.json_done) {
		struct json_object *o = json_object_new_object();
		struct json_object *e = json_object_new_object();

		cli_json_str(e, "code", odf_err_name(ODF_E_USAGE));
		cli_json_str(e, "message", msg);
		cli_json_str(e, "hint", hint);
		cli_json_int(e, "exit_code", CLI_EXIT_USAGE);
		cli_json_bool(e, "changed", false);
		json_object_object_add(e, "state", NULL);
		json_object_object_add(o, "error", e);
		cli_json_str(o, "result", "usage-error");
		cli_json_int(o, "exit_code", CLI_EXIT_USAGE);
		(void)cli_json_print(o);
	}
	return CLI_EXIT_USAGE;
}

/* ---- log sink and trace --------------------------------------------------- */
static void
log_sink(void *ctx, int level, const char *msg)
{
	static const char *const pre[] = { "error: ", "warning: ", "", "debug: ",
					   "trace: " };

	(void)ctx;
	if (level < 0 || level > ODF_LOG_TRACE)
		level = ODF_LOG_TRACE;
	if (level == ODF_LOG_INFO && cli_g.quiet)
		return;
	fflush(stdout);
	cli_progress_break();
	cli_out(stderr, "%s: %s%s\n", cli_g.prog, pre[level], msg);
}

static const char *
dir_name(enum odf_dir dir)
{
	switch (dir) {
	case ODF_DIR_IN: return "in";
	case ODF_DIR_OUT: return "out";
	default: return "none";
	}
}

/* Every command of -vv: CDB, direction, length, status triple, sense. */
static void
trace_cmd(void *ctx, const struct odf_dev *dev, const struct odf_cmd *c)
{
	char hex[3 * ODF_SENSE_MAX + 8], name[32];
	const struct odf_dev_info *inf = dev ? odf_dev_get_info(dev) : NULL;
	size_t moved = c->len;

	(void)ctx;
	fflush(stdout);
	cli_opcode_name(c->cdb_len ? c->cdb[0] : 0, name, sizeof(name));
	cli_out(stderr, "%s: cdb %s [%s] on %s\n", cli_g.prog,
		cli_fmt_hex(c->cdb, c->cdb_len, ODF_CDB_MAX, hex, sizeof(hex)),
		name, inf ? inf->name : "?");
	if (c->resid > 0 && (size_t)c->resid <= c->len)
		moved = c->len - (size_t)c->resid;
	fprintf(stderr, "%s:   dir %s, length %zu, resid %" PRId32
		", status 0x%02x, host 0x%04x, driver 0x%04x, os_err %d, "
		"%.3f ms\n", cli_g.prog, dir_name(c->dir), c->len, c->resid,
		c->scsi_status, c->host_status, c->driver_status, c->os_err,
		(double)c->duration_ns / 1e6);
	if (c->dir == ODF_DIR_IN && c->buf != NULL && moved > 0 &&
	    cli_g.verbose >= 3)
		fprintf(stderr, "%s:   data-in %s\n", cli_g.prog,
			cli_fmt_hex(c->buf, moved, 64, hex, sizeof(hex)));
	if (c->sense_len > 0) {
		struct odf_sense s;
		char txt[128];

		fprintf(stderr, "%s:   sense %s\n", cli_g.prog,
			cli_fmt_hex(c->sense, c->sense_len, ODF_SENSE_MAX,
				    hex, sizeof(hex)));
		if (odf_sense_parse(c->sense, c->sense_len, &s) == 0 &&
		    s.valid)
			fprintf(stderr, "%s:   sense %02X/%02X/%02X: %s\n",
				cli_g.prog, s.key, s.asc, s.ascq,
				odf_sense_text(s.key, s.asc, s.ascq, txt,
					       sizeof(txt)));
	}
}

/* A number from the environment for a library knob; unset, empty or not
 * a whole number = the library's default. */
static void
env_knob(const char *name, enum odf_knob knob)
{
	const char *e = getenv(name);
	char *end = NULL;
	long v;

	if (e == NULL || e[0] == '\0')
		return;
	v = strtol(e, &end, 10);
	if (end && *end == '\0' && v >= 0)
		odf_ctx_set_knob(cli_g.ctx, knob, v);
}

static void
env_path(const char *name, enum odf_path path)
{
	const char *e = getenv(name);

	if (e && e[0])
		odf_ctx_set_path(cli_g.ctx, path, e);
}

void
cli_setup_logging(void)
{
	int level = ODF_LOG_WARN;
	char dir[4096];
	struct odf_diag d;

	if (cli_g.verbose == 1)
		level = ODF_LOG_INFO;
	else if (cli_g.verbose >= 2)
		level = ODF_LOG_DEBUG;
	if (cli_g.verbose >= 3)
		level = ODF_LOG_TRACE;
	if (cli_g.ctx == NULL && (cli_g.ctx = odf_ctx_new()) == NULL)
		return;
	odf_ctx_set_log(cli_g.ctx, log_sink, NULL, level);
	odf_ctx_set_trace(cli_g.ctx, cli_g.verbose >= 2 ? trace_cmd : NULL,
			  NULL);
	odemu_log_set(log_sink, NULL, level);
	env_knob("ODF_POLL_MS", ODF_KNOB_POLL_MS);
	env_knob("ODF_WAIT_MAX_MS", ODF_KNOB_WAIT_MAX_MS);
	env_knob("ODF_REOPEN_DELAY_MS", ODF_KNOB_REOPEN_DELAY_MS);
	env_path("ODF_SYSFS_ROOT", ODF_PATH_SYSFS_ROOT);
	env_path("ODF_MOUNTS", ODF_PATH_MOUNTS);
	odf_diag_clear(&d);
	if (cli_state_dir(dir, sizeof(dir), &d) == 0)
		odf_ctx_set_path(cli_g.ctx, ODF_PATH_STATE_DIR, dir);
	else if (getenv("ODFLASH_STATE_DIR") != NULL)
		cli_warn("%s", d.msg);
}

/* ---- JSON ----------------------------------------------------------------- */
void
cli_json_str(struct json_object *o, const char *key, const char *s)
{
	char *e = (s != NULL && s[0] != '\0') ? cli_esc_dup(s, 0) : NULL;

	json_object_object_add(o, key, e != NULL ?
			       json_object_new_string(e) : NULL);
	free(e);
}

void
cli_json_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

void
cli_json_bool(struct json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

int
cli_json_print(struct json_object *obj)
{
	int flags = isatty(STDOUT_FILENO) ? JSON_C_TO_STRING_PRETTY :
		    JSON_C_TO_STRING_PLAIN;
	int bad;

	cli_ev_result(obj);
	cli_g.json_done = true;
	if (!cli_g.json_user || cli_events_on_stdout()) {
		/* --events alone: the object is the result event */
		json_object_put(obj);
		return 0;
	}
	flags |= JSON_C_TO_STRING_NOSLASHESCAPE;
	bad = printf("%s\n", json_object_to_json_string_ext(obj, flags)) < 0;
	bad |= fflush(stdout) != 0;
	json_object_put(obj);
	cli_g.json_done = true;
	if (bad) {
		fprintf(stderr, "%s: cannot write to standard output: %s\n",
			cli_g.prog, strerror(errno));
		return CLI_EXIT_INTERNAL;
	}
	return 0;
}

/* ---- confirmation ----------------------------------------------------------- */
enum cli_answer
cli_confirm(const char *question)
{
	char line[32];
	size_t n;

	if (!isatty(STDIN_FILENO))
		return CLI_ANSWER_NO_TTY;
	fflush(stdout);
	cli_out(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return CLI_ANSWER_NO;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 ||
	    strcmp(line, "yes") == 0 || strcmp(line, "YES") == 0 ||
	    strcmp(line, "Yes") == 0)
		return CLI_ANSWER_YES;
	return CLI_ANSWER_NO;
}

int
cli_require_confirm(const char *question, bool yes)
{
	struct odf_diag d;

	if (yes)
		return 0;
	odf_diag_clear(&d);
	switch (cli_confirm(question)) {
	case CLI_ANSWER_YES:
		return 0;
	case CLI_ANSWER_NO_TTY:
		odf_diag_set(&d, ODF_E_NOT_CONFIRMED, "not confirmed: standard "
			     "input is not a terminal, so nothing was asked and "
			     "nothing was changed");
		odf_diag_reason(&d, ODF_R_NOT_CONFIRMED);
		break;
	default:
		odf_diag_set(&d, ODF_E_NOT_CONFIRMED,
			     "not confirmed; nothing was changed");
		break;
	}
	return cli_fail(&d, ODF_E_NOT_CONFIRMED);
}

/* ---- numbers ------------------------------------------------------------------ */
int
cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	      struct odf_diag *d)
{
	const char *p = s;
	uint64_t v = 0, mul = 1;
	unsigned base = 10, digits = 0;

	if (s == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "missing number");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p != '\0'; p++) {
		unsigned dig;

		if (*p >= '0' && *p <= '9')
			dig = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			dig = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			dig = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - dig) / base)
			return odf_diag_set(d, ODF_E_USAGE,
					    "number '%s' is too large", s);
		v = v * base + dig;
		digits++;
	}
	if (digits == 0)
		return odf_diag_set(d, ODF_E_USAGE, "'%s' is not a number "
				    "(examples: 32768, 32k, 0x8000)", s);
	if (*p != '\0' && base == 10) {
		switch (*p) {
		case 'k': case 'K': mul = 1024; break;
		case 'm': case 'M': mul = 1024 * 1024; break;
		case 'g': case 'G': mul = 1024 * 1024 * 1024; break;
		default: mul = 0; break;
		}
		if (mul != 0) {
			p++;
			if (strcmp(p, "iB") == 0)
				p += 2;
			else if (strcmp(p, "B") == 0 || strcmp(p, "b") == 0)
				p++;
		}
	}
	if (*p != '\0' || mul == 0)
		return odf_diag_set(d, ODF_E_USAGE, "'%s' is not a number "
				    "(examples: 32768, 32k, 0x8000)", s);
	if (v > UINT64_MAX / mul)
		return odf_diag_set(d, ODF_E_USAGE, "number '%s' is too large",
				    s);
	v *= mul;
	if (v < min || v > max)
		return odf_diag_set(d, ODF_E_USAGE, "%s is out of range "
				    "(%" PRIu64 " to %" PRIu64 ")", s, min, max);
	*out = v;
	return 0;
}

/* ---- formatting ---------------------------------------------------------------- */
const char *
cli_fmt_size(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
		snprintf(buf, len, "%" PRIu64 " bytes (%" PRIu64 " MiB)",
			 bytes, bytes / (1024 * 1024));
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(buf, len, "%" PRIu64 " bytes (%" PRIu64 " KiB)",
			 bytes, bytes / 1024);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	return buf;
}

const char *
cli_fmt_hex(const uint8_t *p, size_t n, size_t max, char *buf, size_t len)
{
	size_t i, o = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n && i < max; i++) {
		int w;

		if (o + 4 >= len)
			break;
		w = snprintf(buf + o, len - o, i ? " %02x" : "%02x", p[i]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (i < n && o + 5 < len)
		snprintf(buf + o, len - o, " ...");
	return buf;
}

const char *
cli_opcode_name(uint8_t op, char *buf, size_t len)
{
	/* Opcode names: SPC-4 / MMC-6 command tables as listed in sg3_utils
	 * (lib/sg_lib_data.c, public documentation of the opcodes). */
	static const struct { uint8_t op; const char *name; } t[] = {
		{ 0x00, "TEST UNIT READY" }, { 0x03, "REQUEST SENSE" },
		{ 0x12, "INQUIRY" }, { 0x1a, "MODE SENSE(6)" },
		{ 0x1b, "START STOP UNIT" },
		{ 0x1e, "PREVENT ALLOW MEDIUM REMOVAL" },
		{ 0x25, "READ CAPACITY" }, { 0x28, "READ(10)" },
		{ 0x35, "SYNCHRONIZE CACHE" }, { 0x3b, "WRITE BUFFER" },
		{ 0x3c, "READ BUFFER" }, { 0x43, "READ TOC" },
		{ 0x46, "GET CONFIGURATION" },
		{ 0x4a, "GET EVENT STATUS NOTIFICATION" },
		{ 0x51, "READ DISC INFORMATION" }, { 0x55, "MODE SELECT(10)" },
		{ 0x5a, "MODE SENSE(10)" }, { 0xa3, "SEND KEY" },
		{ 0xa4, "REPORT KEY" }, { 0xad, "READ DISC STRUCTURE" },
		{ 0xbb, "SET CD SPEED" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].op == op) {
			snprintf(buf, len, "%s", t[i].name);
			return buf;
		}
	snprintf(buf, len, op >= 0xc0 ? "vendor 0x%02x" : "opcode 0x%02x", op);
	return buf;
}
