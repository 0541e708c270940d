/* odflash history [--device DEVICE] [-n N] [--json]: past flashes,
 * recoveries, dumps and verifications from the journal
 * ($XDG_STATE_HOME/odflash/journal.jsonl), oldest first; a flash whose
 * outcome was never recorded (odflash killed, power cut) is
 * "interrupted". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cli.h"
#include "commands.h"
#include "odf/flash.h"

/* The exit code odflash gave: from the outcome's error (a line written
 * before the journal named errors recorded the code itself). */
static int
exit_of(const struct odf_journal_entry *e)
{
	return e->err == 0 && e->exit_code >= 0 ? e->exit_code :
	       cli_exit_code(e->err);
}

static struct json_object *
entry_json(const struct odf_journal_entry *e)
{
	struct json_object *o = json_object_new_object();

	cli_json_str(o, "id", e->id);
	cli_json_str(o, "time", e->time);
	cli_json_str(o, "op", e->op);
	cli_json_str(o, "device", e->device);
	cli_json_str(o, "file", e->file);
	cli_json_str(o, "sha256", e->sha256);
	cli_json_str(o, "result", e->result);
	if (e->outcome_recorded)
		cli_json_int(o, "exit_code", exit_of(e));
	else
		json_object_object_add(o, "exit_code", NULL);
	cli_json_bool(o, "outcome_recorded", e->outcome_recorded);
	cli_json_str(o, "phase", e->phase);
	cli_json_str(o, "vendor", e->vendor);
	cli_json_str(o, "model", e->product);
	cli_json_str(o, "revision_before", e->rev_before);
	cli_json_str(o, "revision_after", e->rev_after);
	cli_json_str(o, "target", e->target);
	cli_json_str(o, "serial", e->serial);
	cli_json_str(o, "backup", e->backup);
	cli_json_int(o, "plan_steps", (int64_t)e->plan_steps);
	cli_json_str(o, "message", e->message);
	if (e->mode[0])
		cli_json_str(o, "mode", e->mode);
	/* an interrupted write: what to run (the journal gives the file);
	 * an interrupted vendor-mode read: the same command leaves the
	 * mode (recovery.c) */
	if (!e->outcome_recorded && (strcmp(e->phase, "intent") == 0 ||
				     strcmp(e->phase, "mode") == 0)) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "odflash recover %s", e->device);
		cli_json_str(o, "recover_command", cmd);
	}
	if (e->crossflash)
		cli_json_bool(o, "crossflash", true);
	return o;
}

static void
entry_text(const struct odf_journal_entry *e)
{
	cli_out(stdout, "%s  %-7s %-14s %s %s %s %s -> %s  %s", e->time, e->op,
	       e->result, e->device, e->vendor, e->product,
	       e->rev_before[0] ? e->rev_before : "?",
	       e->rev_after[0] ? e->rev_after : "-",
	       e->outcome_recorded ? "" : "exit -");
	if (e->outcome_recorded)
		cli_out(stdout, "exit %d", exit_of(e));
	cli_out(stdout, "\n    serial %s", e->serial[0] ? e->serial : "(none)");
	if (e->file[0])
		cli_out(stdout, "  file %s", e->file);
	if (e->sha256[0])
		cli_out(stdout, "  sha256 %s", e->sha256);
	if (e->backup[0])
		cli_out(stdout, "\n    backup %s", e->backup);
	if (!e->outcome_recorded && strcmp(e->phase, "intent") == 0)
		cli_out(stdout, "\n    no outcome was recorded: odflash was killed or the "
		       "power was cut after the intent to %s was journaled "
		       "(%zu-step plan); the drive may be half written: "
		       "`odflash recover %s` offers this file", e->op,
		       e->plan_steps, e->device);
	else if (!e->outcome_recorded && strcmp(e->phase, "mode") == 0)
		cli_out(stdout, "\n    no outcome was recorded: odflash was killed or the "
		       "power was cut during a read in %s mode, before it wrote "
		       "anything; the drive may still be in %s mode: `odflash "
		       "recover %s` takes it out, flashing nothing", e->mode,
		       e->mode, e->device);
	else if (!e->outcome_recorded)
		cli_out(stdout, "\n    no outcome was recorded: odflash was killed or the "
		       "power was cut before it wrote anything to the drive");
	else if (e->message[0])
		cli_out(stdout, "\n    %s", e->message);
	putchar('\n');
}

int
cmd_history(int argc, char **argv)
{
	struct odf_journal_entry *v = NULL;
	const char *device = NULL;
	struct odf_diag d;
	char dir[4096];
	size_t n = 0, skipped = 0, keep = 0, shown = 0, from;
	uint64_t lim = 0;
	int rc;

	odf_diag_clear(&d);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_out(stdout, "usage: odflash history [--device DEVICE] [-n N] "
			       "[--json]\n");
			return 0;
		} else if (strcmp(a, "--device") == 0 || strcmp(a, "-d") == 0) {
			if (++i >= argc)
				return cli_usage_error("%s needs a DEVICE", a);
			device = argv[i];
		} else if (strcmp(a, "-n") == 0) {
			if (++i >= argc)
				return cli_usage_error("-n needs a number");
			if (cli_parse_u64(argv[i], 1, 1000000, &lim, &d) < 0)
				return cli_usage_error("-n: %s", d.msg);
		} else {
			return cli_usage_error("unexpected argument '%s'", a);
		}
	}
	rc = cli_state_dir(dir, sizeof(dir), &d);
	if (rc == 0)
		rc = odf_journal_read(dir, &v, &n, &skipped, &d);
	if (rc != 0)
		return cli_fail(&d, rc);
	if (skipped)
		cli_warn("%zu line%s of %s/journal.jsonl %s not a whole record "
			 "(cut by a crash?) and %s skipped", skipped,
			 skipped == 1 ? "" : "s", dir, skipped == 1 ? "is" :
			 "are", skipped == 1 ? "was" : "were");
	/* keep the matching entries in place, then show the last N */
	for (size_t i = 0; i < n; i++)
		if (!device || strcmp(v[i].device, device) == 0)
			v[keep++] = v[i];
	from = lim && keep > lim ? keep - (size_t)lim : 0;
	if (cli_g.json) {
		struct json_object *j = json_object_new_object();
		struct json_object *a = json_object_new_array();

		for (size_t i = from; i < keep; i++)
			json_object_array_add(a, entry_json(&v[i]));
		json_object_object_add(j, "entries", a);
		cli_json_int(j, "skipped_lines", (int64_t)skipped);
		free(v);
		return cli_json_print(j);
	}
	for (size_t i = from; i < keep; i++, shown++)
		entry_text(&v[i]);
	if (shown == 0)
		cli_out(stdout, "no flashes or dumps recorded%s%s yet (%s/journal.jsonl)\n",
		       device ? " for " : "", device ? device : "", dir);
	free(v);
	return fflush(stdout) == 0 ? 0 : CLI_EXIT_INTERNAL;
}
