/* odflash: run one session job (odf/session.h) for a command: the
 * progress bar and the notices from the session's events, and the
 * signals (INT, TERM, HUP) the CLI turns into odf_session_cancel() for
 * the whole job (the library installs no signal handler): before the
 * point of no return the job stops between two steps or stages, leaving
 * a vendor mode it entered (exit 5, "interrupted"); after it the signal
 * is held until the drive is safe. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "job.h"
#include "util/platform.h"

static struct odf_session *volatile g_running;
static const int held[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction g_old[3];
static bool g_installed;

static void
on_signal(int sig)
{
	struct odf_session *s = g_running;

	odf_session_cancel(s, sig);
}

static void
signals_install(void)
{
	struct sigaction sa;

	if (g_installed)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		sigaction(held[i], &sa, &g_old[i]);
	g_installed = true;
}

static void
signals_restore(void)
{
	if (!g_installed)
		return;
	for (size_t i = 0; i < 3; i++)
		sigaction(held[i], &g_old[i], NULL);
	g_installed = false;
}

struct job_ui {
	struct cli_bar bar;
	struct cli_ev_drive ev;
};

static char g_question[8192];

const char *
cli_job_question(void)
{
	return g_question;
}

/* The session's notices in odflash's words (text and a warning or notice
 * event); a held signal is said once per drive. */
void
cli_job_notice(const char *device, const struct odf_event *ev)
{
	if (ev->notice == ODF_NOTICE_CANCEL_HELD)
		cli_warn_kind("cancel-held", device, "signal %d received while "
			      "the drive's flash is half written: odflash does "
			      "not stop now, because that would leave the "
			      "drive unbootable; it stops once the drive is "
			      "safe and the flash is complete", ev->signal);
	else if (ev->notice == ODF_NOTICE_EJECT)
		cli_warn_kind("eject", device, "a disc may be in the drive: "
			      "ejecting it (--eject)");
}

static void
on_event(void *user, const struct odf_event *ev)
{
	struct job_ui *ui = user;

	cli_ev_session(&ui->ev, ev);
	cli_bar_event(&ui->bar, ev);
	switch (ev->kind) {
	case ODF_EV_STAGE:
		odf_ctx_log(cli_g.ctx, ODF_LOG_DEBUG, "stage %s",
			    odf_stage_name(ev->stage));
		break;
	case ODF_EV_NOTICE:
		cli_job_notice(NULL, ev);
		break;
	case ODF_EV_CONFIRM:
		if (!ev->confirm)
			break;
		cli_word_question(ev->confirm, g_question, sizeof(g_question));
		/* a dry run shows the question the real run asks */
		if (ev->confirm->dry_run && !cli_g.json)
			cli_out(stdout, "dry run: the real run asks\n%s [y/N]\n",
			       g_question);
		break;
	case ODF_EV_RESULT:
		signals_restore();
		break;
	default:
		break;
	}
}

int
cli_job(enum cli_job job, struct odf_flash_opts *o,
	struct odf_flash_result *r, struct odf_diag *d)
{
	struct odf_session *s = NULL;
	struct job_ui ui;
	int rc;

	memset(&ui, 0, sizeof(ui));
	cli_bar_init(&ui.bar, o->device);
	ui.ev.device = o->device;
	memset(r, 0, sizeof(*r));
	g_question[0] = '\0';
	cli_ev_start(o->device, o->file);
	rc = odf_session_new(cli_g.ctx, o->device, o->file, &s, d);
	if (rc < 0) {
		r->result = "error";
		r->err = rc;
		return rc;
	}
	odf_session_set_events(s, on_event, &ui);
	g_running = s;
	/* From the start a signal asks the session to stop: before the
	 * point of no return it stops at the next stage or step (exit 5,
	 * "interrupted", journaled), after it it is held until the drive is
	 * safe. */
	signals_install();
	switch (job) {
	case CLI_JOB_FLASH:
		rc = odf_session_flash(s, o, r, d);
		break;
	case CLI_JOB_RECOVER:
		rc = odf_session_recover(s, o, r, d);
		break;
	case CLI_JOB_VERIFY:
		rc = odf_session_verify(s, o, r, d);
		break;
	case CLI_JOB_LEAVE_MODE:
		rc = odf_session_leave_mode(s, o, r, d);
		break;
	default:
		rc = odf_session_dump(s, o, r, d);
		break;
	}
	signals_restore();
	g_running = NULL;
	cli_bar_end(&ui.bar);
	odf_session_free(s);
	return rc;
}
