/* odflash flash|dump|verify on several drives at once (duplicator towers,
 * issue #15): `--all` (every drive scan lists, ODFLASH_EMU too) or DEV...,
 * filtered by --model, --revision, --skip-current.  Each drive runs its
 * own session (odf/session.h: "sessions share nothing") in its own
 * thread, with its own plan executor and its own backup; one confirmation
 * names every drive; a signal is passed to every session, which holds it
 * past its point of no return and stops before it.  A live table (one
 * line per drive) on stderr, a summary table (or --json's object, the
 * result event) at the end; every event names its device.  The exit code
 * is the worst drive's, in the order of docs/odflash.1 (MANY DRIVES). */
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../common/cli.h"
#include "../common/drive.h"
#include "job.h"
#include "util/platform.h"

void cmd_result_json(struct json_object *o, const struct odf_flash_result *r);

struct fdrive {
	const char *device;
	char out[160];			/* dump: this drive's file */
	struct cli_drive id;		/* as probed for the filters */
	struct odf_session *s;
	struct odf_flash_opts o;
	struct odf_flash_result r;
	struct odf_diag d;
	int rc, code;
	bool ended;
	/* live state, read by the table */
	volatile int stage, pct;
	volatile size_t block, blocks;
	volatile bool unsafe;
	int shown;			/* last (stage, 10%) line printed */
	struct cli_ev_drive ev;
	pthread_t th;
};

struct fleet {
	enum cli_job job;
	struct fdrive *v;
	size_t n;
	const char *file;
	bool yes, tty, ansi, show;
	int drawn;			/* lines of the live table on screen */
};

static struct fleet *volatile g_fleet;
static const int fsig[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction f_old[3];

/* every session: held past its point of no return, stopped before */
static void
on_signal(int sig)
{
	struct fleet *f = g_fleet;

	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++)
		odf_session_cancel(f->v[i].s, sig);
}

static void
signals(bool on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++) {
		if (on)
			sigaction(fsig[i], &sa, &f_old[i]);
		else
			sigaction(fsig[i], &f_old[i], NULL);
	}
}

static const char *
job_word(enum cli_job job)
{
	return job == CLI_JOB_FLASH ? "flash" : job == CLI_JOB_DUMP ? "dump" :
	       "verify";
}

/* the exit codes, most severe first (docs/odflash.1 MANY DRIVES) */
static int
severity(int code)
{
	static const int order[] = { 6, 7, 10, 2, 3, 5, 4, 1, 0 };

	for (int i = 0; i < 9; i++)
		if (order[i] == code)
			return 9 - i;
	return 8;
}

static bool
takes_value(const char *a)
{
	static const char *const v[] = { "--backup", "--chunk", "-o",
		"--output", "--model", "--revision" };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(a, v[i]) == 0)
			return true;
	return false;
}

bool
cli_fleet_wanted(enum cli_job job, int argc, char **argv)
{
	int npos = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0 ||
		    strcmp(argv[i], "--model") == 0 ||
		    strcmp(argv[i], "--revision") == 0 ||
		    strcmp(argv[i], "--skip-current") == 0)
			return true;
		if (takes_value(argv[i]))
			i++;
		else if (argv[i][0] != '-' || !argv[i][1])
			npos++;
	}
	return npos > (job == CLI_JOB_DUMP ? 1 : 2);
}

static void
on_event(void *user, const struct odf_event *ev)
{
	struct fdrive *dr = user;

	/* the one confirmation named every drive: no prompt per drive */
	if (ev->kind == ODF_EV_CONFIRM)
		return;
	cli_ev_session(&dr->ev, ev);
	switch (ev->kind) {
	case ODF_EV_STAGE:
		dr->stage = (int)ev->stage;
		dr->pct = 0;
		dr->blocks = 0;
		break;
	case ODF_EV_PROGRESS:
		dr->pct = cli_percent_of(ev->bytes_done, ev->bytes_total);
		dr->block = ev->block;
		dr->blocks = ev->blocks;
		break;
	case ODF_EV_PONR_REACHED:
		dr->unsafe = true;
		break;
	case ODF_EV_PONR_LEFT:
		dr->unsafe = false;
		break;
	case ODF_EV_NOTICE:
		cli_job_notice(dr->device, ev);
		break;
	default:
		break;
	}
}

static int
yes_cb(void *ctx, const struct odf_confirm *c)
{
	(void)ctx;
	(void)c;
	return 1;	/* the fleet's one confirmation was answered */
}

static void *
drive_thread(void *arg)
{
	struct fdrive *dr = arg;

	switch (((struct fleet *)g_fleet)->job) {
	case CLI_JOB_FLASH:
		dr->rc = odf_session_flash(dr->s, &dr->o, &dr->r, &dr->d);
		break;
	case CLI_JOB_VERIFY:
		dr->rc = odf_session_verify(dr->s, &dr->o, &dr->r, &dr->d);
		break;
	default:
		dr->rc = odf_session_dump(dr->s, &dr->o, &dr->r, &dr->d);
		break;
	}
	dr->code = cli_exit_code(dr->rc);
	dr->ended = true;
	return NULL;
}

static const char *
live_word(const struct fdrive *dr, char *buf, size_t len)
{
	if (dr->ended)
		snprintf(buf, len, "%s (exit %d)", dr->r.result ? dr->r.result :
			 "error", dr->code);
	else if (dr->blocks && dr->stage == ODF_STAGE_WRITE)
		snprintf(buf, len, "writing block %zu/%zu %3d%%%s", dr->block,
			 dr->blocks, dr->pct, dr->unsafe ?
			 "  DO NOT POWER OFF" : "");
	else
		snprintf(buf, len, "%s %3d%%%s", odf_stage_name(dr->stage),
			 dr->pct, dr->unsafe ? "  DO NOT POWER OFF" : "");
	return buf;
}

/* One line per drive: redrawn on a terminal (ANSI cursor-up, not with
 * NO_COLOR: then a line when a drive changes), else a line per drive at
 * each stage and 10% step. */
static void
table_live(struct fleet *f, bool last)
{
	char w[96], dev[300];

	if (!f->show)
		return;
	if (f->ansi) {
		if (f->drawn)
			fprintf(stderr, "\033[%dA", f->drawn);
		for (size_t i = 0; i < f->n; i++)
			fprintf(stderr, "%-28s %s\033[K\n",
				cli_esc(f->v[i].device, dev, sizeof(dev)),
				live_word(&f->v[i], w, sizeof(w)));
		f->drawn = (int)f->n;
		fflush(stderr);
		return;
	}
	for (size_t i = 0; i < f->n; i++) {
		struct fdrive *dr = &f->v[i];
		int key = dr->ended ? 100000 : dr->stage * 100 + dr->pct / 10 * 10;

		if (key == dr->shown && !(last && !dr->ended))
			continue;
		dr->shown = key;
		fprintf(stderr, "%s: %s: %s\n", cli_g.prog,
			cli_esc(dr->device, dev, sizeof(dev)),
			live_word(dr, w, sizeof(w)));
	}
}

static struct json_object *
drive_json(struct fleet *f, struct fdrive *dr)
{
	struct json_object *j = json_object_new_object();
	char rcmd[8300];

	cli_json_str(j, "device", dr->device);
	cmd_result_json(j, &dr->r);
	cli_json_int(j, "exit_code", dr->code);
	if (f->job == CLI_JOB_DUMP)
		cli_json_str(j, "file", dr->r.out);
	else
		cli_json_str(j, "backup", dr->r.backup);
	cli_json_bool(j, "changed", dr->r.changed);
	if (dr->rc != 0) {
		json_object_object_add(j, "error",
				       cli_error_json(&dr->d, dr->rc, &dr->r));
		cli_json_str(j, "drive_state", dr->r.state);
		cli_json_str(j, "recover_command",
			     cli_recover_cmd(&dr->r, rcmd, sizeof(rcmd)));
	}
	return j;
}

static void
summary_text(struct fleet *f)
{
	char dev[300], m[64], rcmd[8300];

	cli_out(stdout, "%-28s %-18s %-6s %-6s %-14s %s\n", "DEVICE", "MODEL",
		"BEFORE", "AFTER", "RESULT", "EXIT");
	for (size_t i = 0; i < f->n; i++) {
		struct fdrive *dr = &f->v[i];

		cli_out(stdout, "%-28s %-18s %-6s %-6s %-14s %d%s%s\n",
			cli_esc(dr->device, dev, sizeof(dev)),
			cli_esc(dr->r.before.product, m, sizeof(m)),
			dr->r.before.revision[0] ? dr->r.before.revision : "-",
			dr->r.after.revision[0] ? dr->r.after.revision : "-",
			dr->r.result ? dr->r.result : "error", dr->code,
			dr->r.needs_recover ? "  run: " : "",
			cli_recover_cmd(&dr->r, rcmd, sizeof(rcmd)));
	}
}

/* The image's revision as a drive running it reports it. */
static void
image_revision(const char *file, char *buf, size_t len)
{
	struct odf_image *img = NULL;
	const struct odf_image_info *in;

	buf[0] = '\0';
	if (odf_image_load(file, ODF_FAMILY_UNKNOWN, &img, NULL) < 0)
		return;
	in = odf_image_info(img, 0);
	if (in)
		snprintf(buf, len, "%s", in->revision[0] ? in->revision :
			 in->version);
	odf_image_free(img);
}

static bool
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

/* The drives the command names, filtered; *out malloc'd. */
static int
pick(struct fleet *f, bool all, const char **devs, size_t ndev,
     const char *model, const char *rev, bool skip_current)
{
	struct cli_drive *scan = NULL;
	size_t ns = 0;
	bool denied;
	char want[40] = "";
	struct odf_diag d;

	odf_diag_clear(&d);
	if (all && cli_scan_drives(&scan, &ns, &denied, &d) != 0)
		return cli_fail(&d, d.err ? d.err : ODF_E_NOMEM);
	if (skip_current && f->file)
		image_revision(f->file, want, sizeof(want));
	f->v = calloc(all ? ns + 1 : ndev + 1, sizeof(*f->v));
	if (f->v == NULL) {
		free(scan);
		return cli_fail(NULL, ODF_E_NOMEM);
	}
	for (size_t i = 0; i < (all ? ns : ndev); i++) {
		struct fdrive *dr = &f->v[f->n];

		if (all) {
			dr->id = scan[i];
			if (dr->id.problem[0])
				continue;	/* not a drive that answers */
		} else {
			(void)cli_drive_probe(devs[i], &dr->id, NULL, NULL);
			snprintf(dr->id.device, sizeof(dr->id.device), "%s",
				 devs[i]);
		}
		if (model && !contains_ci(dr->id.id.product, model))
			continue;
		if (rev && strcmp(dr->id.id.revision, rev) != 0)
			continue;
		if (skip_current && want[0] &&
		    strcmp(dr->id.id.revision, want) == 0) {
			cli_note("%s is at %s already: skipped (--skip-current)",
				 dr->id.device, want);
			continue;
		}
		f->n++;
	}
	free(scan);
	for (size_t i = 0; i < f->n; i++)
		f->v[i].device = f->v[i].id.device;
	return 0;
}

/* The one confirmation, naming every drive. */
static int
confirm_all(struct fleet *f, const struct odf_flash_opts *base)
{
	char q[16384], dev[300], m[64];
	size_t k;
	struct odf_diag d;
	int ans;

	k = (size_t)snprintf(q, sizeof(q), "Flash %zu drives with %s?", f->n,
			     f->file);
	for (size_t i = 0; i < f->n && k < sizeof(q); i++)
		k += (size_t)snprintf(q + k, sizeof(q) - k, "\n  - %s: %s %s",
				      cli_esc(f->v[i].device, dev, sizeof(dev)),
				      cli_esc(f->v[i].id.id.product, m, sizeof(m)),
				      f->v[i].id.id.revision);
	if (k < sizeof(q))
		snprintf(q + k, sizeof(q) - k, "\n%s\nA failure can make a "
			 "drive unusable.", base->no_backup ?
			 "No backups (--no-backup)." :
			 "Each drive's firmware is read twice and saved first.");
	if (cli_events_on()) {
		struct json_object *o = cli_ev_new("prompt", NULL);
		struct json_object *a = json_object_new_array();

		json_object_object_add(o, "question", json_object_new_string(q));
		cli_json_bool(o, "dry_run", false);
		cli_json_str(o, "job", "flash");
		for (size_t i = 0; i < f->n; i++)
			json_object_array_add(a, json_object_new_string(
				f->v[i].device));
		json_object_object_add(o, "devices", a);
		cli_json_str(o, "file", f->file);
		json_object_object_add(o, "image_version", NULL);
		cli_json_str(o, "version_change", "unknown");
		json_object_object_add(o, "downgrade_guard", NULL);
		json_object_object_add(o, "backup", NULL);
		cli_json_str(o, "backup_skipped", base->no_backup ?
			     "--no-backup" : NULL);
		cli_json_bool(o, "eject", base->eject);
		cli_json_bool(o, "crossflash", false);
		cli_ev_emit(o);
	}
	if (f->yes)
		return 0;
	odf_diag_clear(&d);
	if (cli_events_on() && !isatty(STDIN_FILENO))
		ans = cli_ev_read_answer() ? CLI_ANSWER_YES : CLI_ANSWER_NO;
	else
		ans = cli_confirm(q);
	if (ans == CLI_ANSWER_YES)
		return 0;
	if (ans == CLI_ANSWER_NO_TTY)
		odf_diag_set(&d, ODF_E_NOT_CONFIRMED, "not confirmed: stdin is "
			     "not a terminal and --yes was not given");
	else
		odf_diag_set(&d, ODF_E_NOT_CONFIRMED, "not confirmed; nothing "
			     "was changed");
	odf_diag_reason(&d, ODF_R_NOT_CONFIRMED);
	return cli_fail(&d, ODF_E_NOT_CONFIRMED);
}

/* "dump-K-SERIAL.bin": letters, digits, '.', '-', '_' only */
static void
dump_name(const struct fdrive *dr, size_t k, char *buf, size_t len)
{
	int n = snprintf(buf, len, "dump-%zu-", k + 1);

	for (const char *p = dr->id.id.serial; *p && (size_t)n + 5 < len;
	     p++)
		buf[n++] = (isalnum((unsigned char)*p) || *p == '-' ||
			    *p == '_' || *p == '.') ? *p : '_';
	snprintf(buf + n, len - (size_t)n, ".bin");
}

static int
run_all(struct fleet *f, const struct odf_flash_opts *base)
{
	struct json_object *j, *arr;
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	int worst = 0;
	size_t i, started = 0;

	for (i = 0; i < f->n; i++) {
		struct fdrive *dr = &f->v[i];

		dr->o = *base;
		dr->o.device = dr->device;
		dr->o.ui.confirm = yes_cb;
		/* its own backup: the serial keeps same-second names apart */
		dr->o.backup_tag = dr->id.id.serial[0] ? dr->id.id.serial : NULL;
		dr->ev.device = dr->device;
		dr->shown = -1;
		if (f->job == CLI_JOB_DUMP) {
			/* the default name is the model's: one per drive */
			dump_name(dr, i, dr->out, sizeof(dr->out));
			dr->o.out = dr->out;
		}
		odf_diag_clear(&dr->d);
		if (odf_session_new(cli_g.ctx, dr->device, f->file, &dr->s,
				    &dr->d) < 0)
			return cli_fail(&dr->d, ODF_E_NOMEM);
		odf_session_set_events(dr->s, on_event, dr);
	}
	g_fleet = f;
	signals(true);
	for (i = 0; i < f->n; i++) {
		if (pthread_create(&f->v[i].th, NULL, drive_thread,
				   &f->v[i]) != 0)
			break;
		started++;
	}
	for (;;) {
		bool all_ended = true;

		for (i = 0; i < started; i++)
			all_ended &= f->v[i].ended;
		table_live(f, false);
		if (all_ended)
			break;
		nanosleep(&tick, NULL);
	}
	for (i = 0; i < started; i++)
		pthread_join(f->v[i].th, NULL);
	signals(false);
	table_live(f, true);
	g_fleet = NULL;
	arr = json_object_new_array();
	for (i = 0; i < f->n; i++) {
		struct fdrive *dr = &f->v[i];
		struct json_object *done;

		if (i >= started) {	/* no thread: internal error */
			dr->code = CLI_EXIT_INTERNAL;
			dr->r.result = "error";
		}
		if (severity(dr->code) > severity(worst))
			worst = dr->code;
		done = drive_json(f, dr);
		if (cli_events_on()) {
			struct json_object *e = cli_ev_new("done", dr->device);

			cli_json_copy(e, done, "device");
			cli_ev_emit(e);
		}
		json_object_array_add(arr, done);
		odf_session_free(dr->s);
	}
	/* the summary table is the text result (also with --events=FD) */
	if (!cli_g.json_user)
		summary_text(f);
	if (cli_g.json) {
		j = json_object_new_object();
		cli_json_str(j, "command", job_word(f->job));
		cli_json_str(j, "file", f->file);
		cli_json_str(j, "result", worst == 0 ? "ok" : "failed");
		cli_json_int(j, "exit_code", worst);
		cli_json_int(j, "drives_total", (int64_t)f->n);
		json_object_object_add(j, "drives", arr);
		cli_json_print(j);
	} else {
		json_object_put(arr);
	}
	return worst;
}

int
cli_fleet(enum cli_job job, int argc, char **argv)
{
	struct fleet f;
	struct odf_flash_opts base;
	const char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	const char *model = NULL, *rev = NULL;
	bool all = false, skip_current = false;
	size_t npos = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	memset(&base, 0, sizeof(base));
	f.job = job;
	if (pos == NULL)
		return cli_fail(NULL, ODF_E_NOMEM);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--all") == 0)
			all = true;
		else if (strcmp(a, "--skip-current") == 0)
			skip_current = true;
		else if (strcmp(a, "--model") == 0 && i + 1 < argc)
			model = argv[++i];
		else if (strcmp(a, "--revision") == 0 && i + 1 < argc)
			rev = argv[++i];
		else if (job == CLI_JOB_FLASH &&
			 (strcmp(a, "--yes") == 0 || strcmp(a, "-y") == 0))
			f.yes = true;
		else if (job == CLI_JOB_FLASH && strcmp(a, "--no-backup") == 0)
			base.no_backup = true;
		else if (job == CLI_JOB_FLASH && strcmp(a, "--eject") == 0)
			base.eject = true;
		else if (job == CLI_JOB_FLASH &&
			 strcmp(a, "--allow-downgrade") == 0)
			base.allow_downgrade = true;
		else if (a[0] == '-' && a[1]) {
			free(pos);
			return cli_usage_error("%s with several drives: %s is "
					       "not taken (options: --all, "
					       "--model M, --revision R, "
					       "--skip-current%s)", job_word(job),
					       a, job == CLI_JOB_FLASH ? ", --yes, "
					       "--no-backup, --eject, "
					       "--allow-downgrade" : "");
		} else {
			pos[npos++] = a;
		}
	}
	if (job != CLI_JOB_DUMP) {
		if (npos == 0) {
			free(pos);
			return cli_usage_error("needs FILE");
		}
		f.file = pos[--npos];
	}
	if (all && npos > 0) {
		rc = cli_usage_error("--all and DEVICE %s: give one of them",
				     pos[0]);
		free(pos);
		return rc;
	}
	if (!all && npos == 0) {
		free(pos);
		return cli_usage_error("needs DEVICE... or --all");
	}
	if (skip_current && job != CLI_JOB_FLASH) {
		free(pos);
		return cli_usage_error("--skip-current goes with flash");
	}
	cli_ev_start(npos == 1 ? pos[0] : NULL, f.file);
	rc = pick(&f, all, pos, npos, model, rev, skip_current);
	free(pos);
	if (rc != 0)
		return rc;
	f.show = !cli_g.quiet && !cli_g.json_user;
	f.tty = f.show && isatty(STDERR_FILENO);
	f.ansi = f.tty && cli_ansi_ok(STDERR_FILENO);
	if (f.n == 0) {
		cli_note("no drive to %s (after the filters)", job_word(job));
		free(f.v);
		if (cli_g.json) {
			struct json_object *j = json_object_new_object();

			cli_json_str(j, "command", job_word(job));
			cli_json_str(j, "result", "ok");
			cli_json_int(j, "exit_code", 0);
			cli_json_int(j, "drives_total", 0);
			json_object_object_add(j, "drives",
					       json_object_new_array());
			cli_json_print(j);
		}
		return 0;
	}
	if (job == CLI_JOB_FLASH) {
		if (!f.yes && !cli_events_on() && !isatty(STDIN_FILENO)) {
			struct odf_diag d;

			odf_diag_clear(&d);
			odf_diag_set(&d, ODF_E_NOT_CONFIRMED, "not confirmed: "
				     "stdin is not a terminal and --yes was "
				     "not given");
			odf_diag_reason(&d, ODF_R_NOT_CONFIRMED);
			free(f.v);
			return cli_fail(&d, ODF_E_NOT_CONFIRMED);
		}
		rc = confirm_all(&f, &base);
		if (rc != 0) {
			free(f.v);
			return rc;
		}
	}
	rc = run_all(&f, &base);
	free(f.v);
	return rc;
}
