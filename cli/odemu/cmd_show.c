/* odemu show: a drive's status as text or JSON (moved from
 * cli/odemu/main.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cli.h"
#include "odemu/odemu.h"
#include "odf/image.h"
#include "commands.h"

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
			cli_out(stdout, " %s", t[i].name);
			break;
		case ODEMU_FK_SENSE:
			sense_text(v, fc, sizeof(fc));
			cli_out(stdout, " %s=%s", t[i].name, fc);
			break;
		case ODEMU_FK_SIGNAL:
			break;		/* shown with its .with entry */
		case ODEMU_FK_STATUS:
			if (i == ODEMU_F_REENUM_LEFT) {
				cli_out(stdout, " re-enumerating(%" PRId64
				       " opens left)", v);
				break;
			}
			/* fall through */
		case ODEMU_FK_COUNT:
			if (t[i].with >= 0 &&
			    t[t[i].with].kind == ODEMU_FK_SIGNAL)
				/* signal-2-after-cmds=N */
				cli_out(stdout, " signal-%" PRId64 "-%s=%" PRId64,
				       s->fault[t[i].with],
				       t[i].name + strlen("signal-"), v);
			else
				cli_out(stdout, " %s=%" PRId64, t[i].name, v);
			break;
		}
	}
	if (!any)
		cli_out(stdout, " none");
}

int
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
	cli_out(stdout, "state:      %s\n", argv[1]);
	cli_out(stdout, "model:      %s\n", s->model);
	cli_out(stdout, "power:      %s\n", s->powered_off ? "off (power cut: run "
	       "odemu power-on)" : "on");
	cli_out(stdout, "mode:       %s%s\n", odf_mode_name(s->mode), s->boot_broken ?
	       " -- BOOTCODE BROKEN: the drive cannot start (a real one "
	       "needs an external flash programmer)" : "");
	cli_out(stdout, "inquiry:    %s / %s / %s\n", s->vendor, s->product,
	       s->revision);
	cli_out(stdout, "serial:     %s\n", s->serial);
	cli_out(stdout, "flash:      sha256 %s\n", s->flash_sha256);
	cli_out(stdout, "tray:       %s, %s\n", s->tray_open ? "open" : "closed",
	       s->disc ? "disc" : "no disc");
	cli_out(stdout, "time scale: %g\n", s->time_scale);
	cli_out(stdout, "faults:    ");
	faults_text(s);
	cli_out(stdout, "\n");
	cli_out(stdout, "counters:   %" PRIu64 " commands, %" PRIu64 " bytes in, %"
	       PRIu64 " bytes out, %" PRIu64 " erases, %" PRIu64
	       " bytes programmed, %" PRIu64 " boots, %" PRIu64
	       " power cuts\n", s->n_cmds, s->bytes_in, s->bytes_out,
	       s->n_erase, s->bytes_programmed, s->n_boot, s->n_power_cuts);
	cli_out(stdout, "time:       modeled %.3f s, slept %.3f s\n",
	       (double)s->modeled_ns / 1e9, (double)s->slept_ns / 1e9);
	cli_out(stdout, "blocks:\n");
	for (unsigned i = 0; i < s->nblocks; i++)
		cli_out(stdout, "  %2u  0x%06x  %3u KiB  %s\n", i, s->block[i].start,
		       s->block[i].size / 1024,
		       block_state_name(s->block[i].state));
	free(s);
	return 0;
}
