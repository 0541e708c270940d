/* odflash flash DEVICE FILE / odflash recover DEVICE FILE: the safe
 * flashing pipeline (lib/session) with the CLI's prompt, progress, plan
 * printing and result reporting. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/cli.h"
#include "../common/drive.h"
#include "commands.h"
#include "job.h"
#include "odf/flash.h"

int cmd_flash_common(int argc, char **argv, bool recover);
void cmd_result_json(struct json_object *o, const struct odf_flash_result *r);

static int
answer(void *ctx, const struct odf_confirm *c)
{
	const bool *yes = ctx;
	char q[8192];

	if (*yes)
		return 1;
	/* --events: a front end answers the prompt event on stdin */
	if (cli_events_on() && !isatty(STDIN_FILENO))
		return cli_ev_read_answer();
	cli_word_question(c, q, sizeof(q));
	switch (cli_confirm(q)) {
	case CLI_ANSWER_YES: return 1;
	case CLI_ANSWER_NO: return 0;
	default: return -1;
	}
}

/* The second confirmation of a bootcode flash: --yes-bootcode from a
 * script, else the user types the token on the terminal (--yes alone
 * never answers it). */
static int
answer_typed(void *ctx, const char *token)
{
	const bool *yes_boot = ctx;
	char line[64], question[200];

	if (*yes_boot)
		return 1;
	if (!isatty(STDIN_FILENO))
		return -1;
	cli_word_typed(token, question, sizeof(question));
	fflush(stdout);
	cli_out(stderr, "%s: ", question);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, token) == 0 ? 1 : 0;
}

static void
show_plan(void *ctx, const struct odf_plan *p)
{
	struct json_object *arr = ctx;
	char line[512];

	if (!arr && p->read) {
		/* a read plan runs in a dry run too: it changes nothing
		 * stored (the backup's feasibility is checked) */
		cli_out(stdout, "read plan: %s\n", p->what);
		cli_out(stdout, "%zu steps, %zu commands (sent in a dry run too: reads "
		       "change nothing stored)\n", p->n, odf_plan_commands(p));
	} else if (!arr) {
		cli_out(stdout, "plan: %s\n", p->what);
		cli_out(stdout, "%zu steps, %zu commands (and the TEST UNIT READY "
		       "and INQUIRY commands the steps in [] name), %zu data "
		       "bytes, chunk %zu; nothing is sent in a dry run\n", p->n,
		       odf_plan_commands(p), p->data_len, p->chunk);
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct odf_plan_step *s = &p->steps[i];

		if (!arr) {
			cli_step_line(p, i, line, sizeof(line));
			cli_out(stdout, "%s\n", line);
			continue;
		}
		struct json_object *o = json_object_new_object();
		char hex[ODF_CDB_MAX * 3 + 1];

		cli_step_cdb(s, hex, sizeof(hex));
		cli_json_str(o, "plan", p->read ? "read" : "write");
		cli_json_int(o, "step", (int64_t)i + 1);
		cli_json_str(o, "kind", odf_step_kind_name(s->kind));
		cli_json_str(o, "cdb", hex);
		cli_json_str(o, "direction", s->dir == ODF_DIR_IN ? "in" :
			     s->dir == ODF_DIR_OUT ? "out" : "none");
		cli_json_int(o, "length", (int64_t)s->data_len);
		cli_json_int(o, "offset", (int64_t)s->data_off);
		cli_json_int(o, "timeout_ms", s->timeout_ms);
		cli_json_bool(o, "point_of_no_return",
			      (s->flags & ODF_STEP_PONR) != 0);
		if (s->fill)	/* computed data-out (odf/plan.h) */
			cli_json_int(o, "computed_from_step",
				     (int64_t)s->src_step + 1);
		if (cli_step_sends(s->kind)[0])	/* the executor's own */
			cli_json_str(o, "sends", cli_step_sends(s->kind));
		cli_json_str(o, "label", s->label);
		json_object_array_add(arr, o);
	}
}

void
cmd_result_json(struct json_object *o, const struct odf_flash_result *r)
{
	cli_json_str(o, "sha256", r->sha256);
	cli_json_str(o, "result", r->result);
	cli_json_int(o, "exit_code", cli_exit_code(r->err));
	cli_json_str(o, "driver", r->driver);
	cli_json_str(o, "vendor", r->before.vendor);
	cli_json_str(o, "model", r->before.product);
	cli_json_str(o, "revision_before", r->before.revision);
	cli_json_str(o, "revision_after", r->after.revision);
	cli_json_str(o, "target", r->before.target);
	cli_json_str(o, "bootcode", r->before.bootcode);
}

/* `odflash recover DEVICE` without FILE: the journal's offer for this
 * drive (odf_journal_pick_recovery), said with its reason before the
 * confirmation that recover asks as always. */
static int
pick_recovery_file(const char *device, struct odf_recovery_pick *p,
		   char *why, size_t wlen, struct odf_diag *d)
{
	struct cli_drive dr;
	char dir[4096], match[160];
	int rc;

	memset(&dr, 0, sizeof(dr));
	rc = cli_state_dir(dir, sizeof(dir), d);
	if (rc == 0)
		rc = cli_drive_probe(device, &dr, NULL, d);
	if (rc == 0)
		rc = odf_journal_pick_recovery(dir, device, &dr.id, p, d);
	if (rc != 0)
		return rc;
	if (p->by_serial)
		snprintf(match, sizeof(match), "matched by serial %s and model "
			 "%s", dr.id.serial, dr.id.product);
	else
		snprintf(match, sizeof(match), "matched by device %s and model "
			 "%s: %s", device, dr.id.product, dr.id.serial[0] ?
			 "the journal has no serial" :
			 "the drive reports no serial now");
	if (p->why == ODF_PICK_NONE) {
		odf_diag_set(d, ODF_E_USAGE, "no FILE given, and the journal "
			     "(%s/journal.jsonl) has no unfinished flash and no "
			     "good backup of %s %s %s (serial %s)%s%s%s%s", dir,
			     dr.id.vendor, dr.id.product, dr.id.revision,
			     dr.id.serial[0] ? dr.id.serial : "none",
			     p->passed_over[0] ? "; " : "", p->passed_over,
			     p->passed_over[0] ? " would have been offered "
			     "but is " : "", p->passed_why);
		snprintf(d->hint, sizeof(d->hint), "give the firmware file: "
			 "odflash recover %s FILE", device);
		return ODF_E_USAGE;
	}
	if (p->why == ODF_PICK_LEAVE_MODE)
		snprintf(why, wlen, "the drive is in %s mode, and its last run "
			 "(%s %s) was killed during a read in %s mode, before "
			 "anything was written (the journal says so), %s: "
			 "leaving the mode, flashing nothing",
			 odf_mode_name(dr.id.mode), p->op, p->time,
			 p->mode[0] ? p->mode : "that", match);
	else if (p->why == ODF_PICK_UNFINISHED)
		snprintf(why, wlen, "the file of the %s of %s that did not end "
			 "(%s%s), %s%s", p->op, p->time, p->result,
			 strcmp(p->result, "interrupted") == 0 ?
			 ": no outcome was recorded" : "", match,
			 p->crossflash ? "; it was a crossflash, so this "
			 "recover is one too (--crossflash)" : "");
	else
		snprintf(why, wlen, "the last good backup of this drive (made "
			 "%s from revision %s), %s; the journal has no "
			 "unfinished flash of it%s%s%s%s", p->time,
			 p->rev_before[0] ? p->rev_before : "?", match,
			 p->passed_over[0] ? " whose file can be used (" : "",
			 p->passed_over, p->passed_over[0] ? " is " : "",
			 p->passed_over[0] ? p->passed_why : "");
	if (p->why == ODF_PICK_BACKUP && p->passed_over[0])
		snprintf(why + strlen(why), wlen - strlen(why), ")");
	return 0;
}

static int
usage(bool recover)
{
	if (recover)
		cli_out(stdout, "usage: odflash recover DEVICE [FILE] [--yes] [--dry-run] "
		       "[--chunk BYTES] [--crossflash] [--allow-downgrade] "
		       "[--eject] [--json]\n"
		       "Bring back a drive stuck in safe or boot mode (or "
		       "finish an interrupted flash) by flashing FILE.  Without "
		       "FILE the journal offers the file of the drive's "
		       "unfinished flash, else its last good backup, and says "
		       "which and why.\n");
	else
		cli_out(stdout, "usage: odflash flash DEVICE FILE [--yes] [--dry-run] "
		       "[--no-backup] [--backup FILE] [--crossflash] "
		       "[--allow-downgrade] [--chunk BYTES] [--eject] "
		       "[--json]\n"
		       "       odflash flash DEVICE BOOTFILE --bootcode [--yes "
		       "--yes-bootcode] [--dry-run] [--no-backup] [--eject] "
		       "[--json]\n"
		       "Flash FILE with every safety check: file validation, "
		       "compatibility, no disc, path check, confirmation "
		       "(naming the backup, an eject, a downgrade or "
		       "same-version reflash, a crossflash) before anything "
		       "else is sent, automatic backup, verification.  A disc "
		       "in the tray is refused unless --eject is given.\n");
	return 0;
}

int
cmd_flash_common(int argc, char **argv, bool recover)
{
	struct odf_flash_opts o;
	struct odf_flash_result r;
	struct json_object *plan_arr = NULL;
	struct odf_diag d;
	char rcmd[8300];
	const char *pos[2] = { NULL, NULL };
	size_t npos = 0;
	bool yes = false, yes_boot = false, leave = false;
	struct odf_recovery_pick pick;
	char why[9000] = "";
	uint64_t v;
	int rc;

	/* several drives: one session each, at once (fleet.c) */
	if (!recover && cli_fleet_wanted(CLI_JOB_FLASH, argc, argv))
		return cli_fleet(CLI_JOB_FLASH, argc, argv);
	memset(&o, 0, sizeof(o));
	odf_diag_clear(&d);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return usage(recover);
		else if (strcmp(a, "--yes") == 0 || strcmp(a, "-y") == 0)
			yes = true;
		else if (!recover && strcmp(a, "--bootcode") == 0)
			o.bootcode = true;
		else if (!recover && strcmp(a, "--yes-bootcode") == 0)
			yes_boot = true;
		else if (strcmp(a, "--dry-run") == 0)
			o.dry_run = true;
		else if (strcmp(a, "--allow-downgrade") == 0)
			o.allow_downgrade = true;
		else if (!recover && strcmp(a, "--no-backup") == 0)
			o.no_backup = true;
		else if (strcmp(a, "--crossflash") == 0)
			o.crossflash = true;
		else if (strcmp(a, "--eject") == 0)
			o.eject = true;
		else if (!recover && strcmp(a, "--backup") == 0) {
			if (++i >= argc)
				return cli_usage_error("--backup needs a FILE");
			o.backup_path = argv[i];
		} else if (strcmp(a, "--chunk") == 0) {
			if (++i >= argc)
				return cli_usage_error("--chunk needs BYTES");
			if (cli_parse_u64(argv[i], 1, 16u << 20, &v, &d) < 0)
				return cli_usage_error("%s", d.msg);
			o.chunk = (size_t)v;
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++) {
				if (npos == 2)
					return cli_usage_error("unexpected argument '%s'", argv[i]);
				pos[npos++] = argv[i];
			}
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else {
			if (npos == 2)
				return cli_usage_error("unexpected argument '%s'", a);
			pos[npos++] = a;
		}
	}
	if (npos < (recover ? 1 : 2))
		return cli_usage_error(recover ? "needs DEVICE" :
				       "needs DEVICE and FILE");
	o.device = pos[0];
	o.file = pos[1];
	if (!o.file) {
		rc = pick_recovery_file(o.device, &pick, why, sizeof(why), &d);
		if (rc == ODF_E_USAGE)
			return cli_usage_error("%s; %s", d.msg, d.hint);
		if (rc != 0)
			return cli_fail(&d, rc);
		leave = pick.why == ODF_PICK_LEAVE_MODE;
		o.file = leave ? NULL : pick.file;
		/* the unfinished flash was a crossflash: so is its recover */
		if (pick.crossflash)
			o.crossflash = true;
		/* shown even with -q: a file the user did not type, or no
		 * file at all */
		if (leave)
			cli_warn("no FILE given: %s", why);
		else
			cli_warn("no FILE given: recovering with %s: %s",
				 o.file, why);
	}
	/* Without a terminal nothing is ever prompted: refuse before any
	 * command is sent (docs/odflash.1, --yes). */
	if (yes_boot && !o.bootcode)
		return cli_usage_error("--yes-bootcode goes with --bootcode");
	/* options a bootcode write would silently ignore */
	if (o.bootcode && o.crossflash)
		return cli_usage_error("--crossflash does not apply to "
				       "--bootcode: a bootcode is checked "
				       "against the drive's flash layout, "
				       "never crossed");
	if (o.no_backup && o.backup_path)
		return cli_usage_error("--no-backup and --backup %s contradict "
				       "each other: give one of them",
				       o.backup_path);
	if (!o.dry_run && !isatty(STDIN_FILENO) &&
	    ((!yes && !cli_events_on()) || (o.bootcode && !yes_boot))) {
		if (o.bootcode) {
			odf_diag_set(&d, ODF_E_NOT_CONFIRMED, "bootcode flash "
				     "not confirmed: stdin is not a terminal "
				     "and %s", yes ? "--yes-bootcode was not "
				     "given (--yes alone never writes a "
				     "bootcode)" : "--yes and --yes-bootcode "
				     "were not given");
			odf_diag_reason(&d, ODF_R_BOOTCODE_NOT_CONFIRMED);
		} else {
			odf_diag_set(&d, ODF_E_NOT_CONFIRMED, "not confirmed: "
				     "stdin is not a terminal and --yes was "
				     "not given");
			odf_diag_reason(&d, ODF_R_NOT_CONFIRMED);
		}
		if (cli_g.json) {
			struct json_object *j = json_object_new_object();

			cli_json_str(j, "device", o.device);
			cli_json_str(j, "file", o.file);
			cli_json_str(j, "result", "refused");
			cli_json_int(j, "exit_code", CLI_EXIT_REFUSED);
			json_object_object_add(j, "error",
					       cli_error_json(&d, 0, NULL));
			cli_json_print(j);
		}
		return cli_fail(&d, ODF_E_NOT_CONFIRMED);
	}
	o.ui.confirm = answer;
	o.ui.confirm_ctx = &yes;
	o.ui.confirm_typed = answer_typed;
	o.ui.typed_ctx = &yes_boot;
	if (o.dry_run) {
		plan_arr = cli_g.json ? json_object_new_array() : NULL;
		o.ui.show_plan = show_plan;
		o.ui.plan_ctx = plan_arr;
	}
	rc = cli_job(leave ? CLI_JOB_LEAVE_MODE : recover ? CLI_JOB_RECOVER :
		     CLI_JOB_FLASH, &o, &r, &d);
	cli_recover_cmd(&r, rcmd, sizeof(rcmd));
	if (cli_g.json) {
		struct json_object *j = json_object_new_object();

		cli_json_str(j, "device", o.device);
		cli_json_str(j, "file", o.file);
		cli_json_str(j, "file_chosen_because", why);
		cmd_result_json(j, &r);
		cli_json_str(j, "backup", r.backup);
		cli_json_bool(j, "changed", r.changed);
		cli_json_str(j, "verified", rc != 0 ? NULL :
			     r.readback ? "readback" : "identity");
		cli_json_int(j, "commands", (int64_t)r.commands);
		if (cli_job_question()[0])
			cli_json_str(j, "confirmation", cli_job_question());
		if (r.signal)
			cli_json_int(j, "signal", r.signal);
		if (rc != 0) {
			json_object_object_add(j, "error",
					       cli_error_json(&d, rc, &r));
			cli_json_str(j, "drive_state", r.state);
			cli_json_str(j, "recover_command", rcmd);
		} else if (o.bootcode) {
			cli_json_str(j, "drive_state", r.state);
			cli_json_str(j, "next_command", rcmd);
		}
		if (o.bootcode)
			cli_json_bool(j, "bootcode_flash", true);
		if (plan_arr)
			json_object_object_add(j, "plan", plan_arr);
		cli_json_print(j);
	} else if (plan_arr) {
		json_object_put(plan_arr);
	}
	if (rc != 0)
		return cli_fail_result(&d, rc, &r);
	if (o.dry_run)
		return 0;
	if (r.backup[0])
		cli_note("backup of the old firmware: %s", r.backup);
	if (r.signal)
		cli_warn("stopped by signal %d after the drive was safe again; "
			 "the read-back verification was skipped", r.signal);
	if (o.bootcode) {
		if (!cli_g.json)
			cli_out(stdout, "bootcode written to %s: %s (%s), read back and "
			       "identical\n", o.device, r.after.revision,
			       r.sha256);
		cli_warn("%s; run: %s", r.state, rcmd);
		return 0;
	}
	if (leave) {
		if (!cli_g.json)
			cli_out(stdout, "%s: %s mode left; the drive runs its "
				"firmware, revision %s (nothing was written)\n",
				o.device, odf_mode_name(r.before.mode),
				r.after.revision[0] ? r.after.revision :
				r.before.revision);
		return 0;
	}
	if (!cli_g.json)
		cli_out(stdout, "%s %s: %s -> %s (%s), verified by %s\n",
		       recover ? "recovered" : "flashed", o.device,
		       r.before.revision, r.after.revision, r.sha256,
		       r.readback ? "reading the firmware back" :
		       "the drive's identity");
	return 0;
}

int
cmd_flash(int argc, char **argv)
{
	return cmd_flash_common(argc, argv, false);
}
