/* odflash-gtk: one job at a time, run by libodf's session API in a worker
 * thread (odf/session.h); its events come to the main loop through a
 * queue and drive the progress page.  The confirmation dialog lists the
 * facts of ODF_EV_CONFIRM while the worker waits in the confirm callback.
 * Between ODF_EV_PONR_REACHED and ODF_EV_PONR_LEFT the window refuses to
 * close (main.c) and logout and suspend are inhibited; before it, Cancel
 * (and closing the window) calls odf_session_cancel(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui.h"

enum msg_kind { MSG_EVENT, MSG_ASK, MSG_END };

struct gui_job {
	struct gui *g;
	enum gui_job_kind kind;
	bool dry;
	char device[4096], file[4096], out[8192];
	struct odf_session *s;
	GThread *th;
	struct odf_flash_opts o;
	struct odf_flash_result r;
	struct odf_diag d;
	int rc;
	struct gui_confirm conf;	/* written by the worker before ASK */
	GMutex m;
	GCond cv;
	int answer;			/* -2 = not yet */
	GAsyncQueue *q;
	gint64 write_t0;
};

struct msg {
	struct gui_job *j;
	enum msg_kind kind;
	enum odf_event_kind ev;
	enum odf_stage stage;
	size_t step, steps;
	char label[96];
	uint64_t done, total;
	enum odf_notice notice;
};

static const char *const job_words[] = {
	[GUI_JOB_FLASH] = "flash", [GUI_JOB_RECOVER] = "recover",
	[GUI_JOB_VERIFY] = "verify", [GUI_JOB_BACKUP] = "back up",
	[GUI_JOB_LEAVE] = "leave vendor mode",
};

static const char *const stage_words[ODF_STAGE_COUNT] = {
	[ODF_STAGE_IDENTIFY] = "identifying the drive",
	[ODF_STAGE_COMPAT] = "checking the file against the drive",
	[ODF_STAGE_PREFLIGHT] = "checking the drive and the computer",
	[ODF_STAGE_BACKUP] = "backing up the present firmware",
	[ODF_STAGE_CONFIRM] = "waiting for your answer",
	[ODF_STAGE_WRITE] = "writing the firmware",
	[ODF_STAGE_COME_BACK] = "waiting for the drive to restart",
	[ODF_STAGE_VERIFY] = "verifying",
	[ODF_STAGE_JOURNAL] = "recording the job in the journal",
};

static void on_msg_main(struct gui *g, struct msg *m);

static gboolean
drain_one(gpointer user)
{
	struct gui_job *j = user;
	struct msg *m = g_async_queue_try_pop(j->q);

	if (m != NULL) {
		struct gui *g = j->g;
		bool end = m->kind == MSG_END;

		on_msg_main(g, m);
		g_free(m);
		if (end)
			return G_SOURCE_REMOVE;
	}
	return G_SOURCE_REMOVE;
}

static void
post(struct gui_job *j, struct msg *m)
{
	m->j = j;
	g_async_queue_push(j->q, m);
	g_idle_add(drain_one, j);
}

static void
copy_confirm(struct gui_confirm *c, const struct odf_confirm *f)
{
	static const char *const jobs[] = {
		[ODF_JOB_FLASH] = "flash", [ODF_JOB_RECOVER] = "recover",
		[ODF_JOB_BOOTCODE] = "bootcode write",
		[ODF_JOB_LEAVE_MODE] = "leave vendor mode",
	};

	memset(c, 0, sizeof(c[0]));
	c->valid = true;
#define CP(dst, src) snprintf(dst, sizeof(dst), "%s", (src) ? (src) : "")
	CP(c->job, (unsigned)f->job < G_N_ELEMENTS(jobs) ? jobs[f->job] :
	   "job");
	if (f->drive != NULL)
		snprintf(c->drive, sizeof(c->drive), "%s %s %s",
			 f->drive->vendor, f->drive->product,
			 f->drive->revision);
	CP(c->file, f->file);
	CP(c->image_version, f->image_version);
	c->version = f->version;
	CP(c->downgrade_guard, f->downgrade_guard);
	CP(c->backup, f->backup);
	CP(c->backup_skipped, f->backup_skipped == ODF_BACKUP_SKIP_RECOVERY ?
	   "a recovery writes without one" : f->backup_skipped ==
	   ODF_BACKUP_SKIP_ASKED ? "you asked for none" : "");
	c->eject = f->disc == ODF_DISC_EJECT;
	c->stop = f->disc == ODF_DISC_STOP;
	c->learn_bootcode = f->learn_bootcode;
	c->crossflash = f->crossflash;
	CP(c->cross_from, f->crossflash_from);
	CP(c->cross_to, f->crossflash_to);
#undef CP
}

/* worker thread */
static void
on_event(void *user, const struct odf_event *ev)
{
	struct gui_job *j = user;
	struct msg *m;

	if (ev->kind == ODF_EV_CONFIRM && ev->confirm != NULL) {
		copy_confirm(&j->conf, ev->confirm);
		return;
	}
	if (j->dry || ev->kind == ODF_EV_RESULT)
		return;
	m = g_new0(struct msg, 1);
	m->kind = MSG_EVENT;
	m->ev = ev->kind;
	m->stage = ev->stage;
	m->step = ev->step;
	m->steps = ev->steps;
	snprintf(m->label, sizeof(m->label), "%s", ev->label ? ev->label : "");
	m->done = ev->bytes_done;
	m->total = ev->bytes_total;
	m->notice = ev->notice;
	post(j, m);
}

/* worker thread: wait for the dialog's answer */
static int
on_confirm(void *user, const struct odf_confirm *c)
{
	struct gui_job *j = user;
	struct msg *m = g_new0(struct msg, 1);
	int a;

	copy_confirm(&j->conf, c);
	g_mutex_lock(&j->m);
	j->answer = -2;
	g_mutex_unlock(&j->m);
	m->kind = MSG_ASK;
	post(j, m);
	g_mutex_lock(&j->m);
	while (j->answer == -2)
		g_cond_wait(&j->cv, &j->m);
	a = j->answer;
	g_mutex_unlock(&j->m);
	return a;
}

static gpointer
worker(gpointer user)
{
	struct gui_job *j = user;
	struct msg *m;

	switch (j->kind) {
	case GUI_JOB_FLASH:
		j->rc = odf_session_flash(j->s, &j->o, &j->r, &j->d);
		break;
	case GUI_JOB_RECOVER:
		j->rc = odf_session_recover(j->s, &j->o, &j->r, &j->d);
		break;
	case GUI_JOB_VERIFY:
		j->rc = odf_session_verify(j->s, &j->o, &j->r, &j->d);
		break;
	case GUI_JOB_LEAVE:
		j->rc = odf_session_leave_mode(j->s, &j->o, &j->r, &j->d);
		break;
	default:
		j->rc = odf_session_dump(j->s, &j->o, &j->r, &j->d);
		break;
	}
	m = g_new0(struct msg, 1);
	m->kind = MSG_END;
	post(j, m);
	return NULL;
}

void
gui_job_answer(struct gui *g, int a)
{
	struct gui_job *j = g->job;

	gtk_widget_set_visible(gui_w(g, "confirm_window"), false);
	if (j == NULL)
		return;
	g_mutex_lock(&j->m);
	if (j->answer == -2) {
		j->answer = a;
		g_cond_signal(&j->cv);
	}
	g_mutex_unlock(&j->m);
}

static void
ponr(struct gui *g, bool on)
{
	g->past_ponr = on;
	/* the text comes and goes (a label shown later would not reach the
	 * accessibility tree of GTK 4.8) */
	gui_label(g, "ponr_label", "%s", on ? "Do not power off, unplug or "
		  "restart: the drive's firmware is being written. This "
		  "window stays open until the drive is safe." : "");
	gtk_widget_set_sensitive(gui_w(g, "cancel_button"), !on &&
				 g->job != NULL);
	if (on && g->inhibit == 0)
		g->inhibit = gtk_application_inhibit(g->app, g->win,
			GTK_APPLICATION_INHIBIT_LOGOUT |
			GTK_APPLICATION_INHIBIT_SUSPEND,
			"A drive's firmware is being written");
	if (!on && g->inhibit != 0) {
		gtk_application_uninhibit(g->app, g->inhibit);
		g->inhibit = 0;
	}
}

static void
progress_event(struct gui *g, const struct msg *m)
{
	struct gui_job *j = g->job;
	char text[128];

	switch (m->ev) {
	case ODF_EV_STAGE:
		if (m->stage < ODF_STAGE_COUNT)
			gui_label(g, "progress_stage", "Now: %s",
				  stage_words[m->stage]);
		break;
	case ODF_EV_STEP_START:
		gui_label(g, "progress_step", "Step %zu of %zu: %s",
			  m->step + 1, m->steps, m->label);
		break;
	case ODF_EV_PROGRESS:
		if (m->total == 0)
			break;
		if (j->write_t0 == 0 || m->done == 0)
			j->write_t0 = g_get_monotonic_time();
		snprintf(text, sizeof(text), "%llu of %llu KiB",
			 (unsigned long long)(m->done / 1024),
			 (unsigned long long)(m->total / 1024));
		if (m->done > 0 && m->done < m->total) {
			double el = (double)(g_get_monotonic_time() -
					     j->write_t0) / 1e6;
			double left = el * (double)(m->total - m->done) /
				      (double)m->done;

			snprintf(text + strlen(text), sizeof(text) - strlen(text),
				 " · about %.0f s left", left);
		}
		gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(gui_w(g,
			"progress_bar")), (double)m->done / (double)m->total);
		gtk_progress_bar_set_text(GTK_PROGRESS_BAR(gui_w(g,
			"progress_bar")), text);
		break;
	case ODF_EV_PONR_REACHED:
		ponr(g, true);
		break;
	case ODF_EV_PONR_LEFT:
		ponr(g, false);
		break;
	case ODF_EV_NOTICE:
		if (m->notice == ODF_NOTICE_CANCEL_HELD)
			gui_label(g, "progress_notice", "Cancel asked while the "
				  "firmware is half written: the job goes on "
				  "until the drive is safe, then stops.");
		else if (m->notice == ODF_NOTICE_EJECT)
			gui_label(g, "progress_notice", "Opening the tray.");
		break;
	default:
		break;
	}
}

static void
ask(struct gui *g)
{
	GString *o = g_string_new(NULL);
	struct gui_job *j = g->job;
	GtkWindow *w = GTK_WINDOW(gui_w(g, "confirm_window"));
	char yes[64];

	if (j->kind == GUI_JOB_LEAVE)
		gui_label(g, "confirm_title", "Take the drive out of its "
			  "vendor mode? Nothing is written. This is exactly "
			  "what will happen:");
	else
		gui_label(g, "confirm_title", "%s the drive's firmware? This "
			  "is exactly what will happen:", j->kind ==
			  GUI_JOB_RECOVER ? "Recover" : "Flash");
	gui_confirm_words(&j->conf, o);
	gui_label(g, "confirm_facts", "%s", o->str);
	snprintf(yes, sizeof(yes), "Yes, %s now", job_words[j->kind]);
	gtk_button_set_label(GTK_BUTTON(gui_w(g, "confirm_yes")), yes);
	gtk_window_set_transient_for(w, g->win);
	gtk_window_present(w);
	g_string_free(o, TRUE);
}

static void
details(struct gui *g, const struct gui_job *j)
{
	g_free(g->details);
	g->details = g_strdup_printf(
		 "odflash-gtk %s: %s of %s with %s\nresult: %s, error %s, "
		 "reason %s\nmessage: %s\nfailed step: %s\ndrive state: %s\n"
		 "drive before: %s %s %s, after: %s\nchanged: %s\n",
		 ODF_VERSION, job_words[j->kind], j->device,
		 j->file[0] ? j->file : "-", j->r.result ? j->r.result : "?",
		 odf_err_name(j->rc), odf_reason_name(j->d.reason), j->d.msg,
		 j->d.step, j->r.state, j->r.before.vendor,
		 j->r.before.product, j->r.before.revision,
		 j->r.after.revision, j->r.changed ? "yes" : "no");
}

static void
show_end(struct gui *g, struct gui_job *j)
{
	const struct odf_flash_result *r = &j->r;

	if (j->rc == 0) {
		if (j->kind == GUI_JOB_BACKUP)
			gui_label(g, "done_label", "Done: the firmware was "
				  "read twice and saved to %s (%zu bytes, "
				  "sha256 %s).", r->out, r->size, r->sha256);
		else if (j->kind == GUI_JOB_VERIFY)
			gui_label(g, "done_label", "Done: the drive holds this "
				  "firmware (%s).", r->readback ? "compared by "
				  "reading it back" : "by its identity");
		else if (j->kind == GUI_JOB_LEAVE)
			gui_label(g, "done_label", "Done: the drive runs its "
				  "firmware %s in normal mode again; nothing was "
				  "written.", r->after.revision);
		else
			gui_label(g, "done_label", "Done: the drive now runs "
				  "firmware %s (it ran %s), %s.%s%s",
				  r->after.revision, r->before.revision,
				  r->readback ? "verified by reading it back" :
				  "verified by its identity", r->backup[0] ?
				  "\nBackup of the old firmware: " : "",
				  r->backup);
		gui_show_page(g, "done");
		return;
	}
	details(g, j);
	g->recover_device[0] = g->recover_file[0] = '\0';
	g->recover_leave = r->needs_recover && r->recover_leave;
	if (r->needs_recover) {
		snprintf(g->recover_device, sizeof(g->recover_device), "%s",
			 r->device[0] ? r->device : j->device);
		/* a read that left the drive in its vendor mode: no file
		 * (j->file is not firmware then) */
		snprintf(g->recover_file, sizeof(g->recover_file), "%s",
			 r->recover_file[0] || g->recover_leave ?
			 r->recover_file : j->file);
	}
	gui_label(g, "failure_title", "%s", r->changed ? "The flash failed "
		  "after the drive was changed" : odf_err_class(j->rc) ==
		  ODF_CLASS_REFUSED ? "Refused: nothing was changed" :
		  "The job failed");
	gui_label(g, "failure_state", "%s%s%s%s", j->d.msg[0] ? j->d.msg :
		  odf_err_str(j->rc), r->state[0] ? "\nThe drive now: " : "",
		  r->state, r->needs_recover ? "\nDo not power off: use "
		  "\"Recover the drive\"." : "");
	gtk_widget_set_visible(gui_w(g, "failure_recover"),
			       r->needs_recover);
	gui_show_page(g, "failure");
}

static void
job_end(struct gui *g, struct gui_job *j)
{
	g_thread_join(j->th);
	odf_session_free(j->s);
	g->job = NULL;
	ponr(g, false);
	gtk_widget_set_visible(gui_w(g, "confirm_window"), false);
	if (j->dry) {
		gui_firmware_dry_done(g, j->kind, j->rc, &j->r, &j->d,
				      &j->conf);
	} else {
		show_end(g, j);
		gui_drives_rescan(g, true);
		gui_firmware_verdict(g);
	}
	g_async_queue_unref(j->q);
	g_mutex_clear(&j->m);
	g_cond_clear(&j->cv);
	g_free(j);
	gui_buttons_update(g);
	if (g->quit_when_done && g->job == NULL)
		gtk_window_destroy(g->win);
}

static void
on_msg_main(struct gui *g, struct msg *m)
{
	if (m->j != g->job)
		return;
	if (m->kind == MSG_EVENT)
		progress_event(g, m);
	else if (m->kind == MSG_ASK)
		ask(g);
	else
		job_end(g, m->j);
}

bool
gui_job_running(const struct gui *g)
{
	return g->job != NULL;
}

void
gui_job_cancel(struct gui *g)
{
	if (g->job == NULL)
		return;
	odf_session_cancel(g->job->s, 0);
	gui_job_answer(g, 0);
}

int
gui_job_start(struct gui *g, enum gui_job_kind kind, const char *device,
	      const char *file, bool dry)
{
	struct gui_job *j;
	struct odf_diag d;

	if (g->job != NULL)
		return -1;
	j = g_new0(struct gui_job, 1);
	j->g = g;
	j->kind = kind;
	j->dry = dry;
	snprintf(j->device, sizeof(j->device), "%s", device);
	snprintf(j->file, sizeof(j->file), "%s", file ? file : "");
	if (odf_session_new(g->ctx, device, kind == GUI_JOB_BACKUP ||
			    kind == GUI_JOB_LEAVE ? NULL : file, &j->s,
			    &d) != 0) {
		g_free(j);
		return -1;
	}
	g_mutex_init(&j->m);
	g_cond_init(&j->cv);
	j->q = g_async_queue_new();
	j->o.dry_run = dry;
	j->o.ui.confirm = on_confirm;
	j->o.ui.confirm_ctx = j;
	if (kind == GUI_JOB_BACKUP && g->backup_out[0]) {
		snprintf(j->out, sizeof(j->out), "%s", g->backup_out);
		j->o.out = j->out;
	}
	odf_session_set_events(j->s, on_event, j);
	g->job = j;
	g_mutex_lock(&g->trace_lock);
	g_string_truncate(g->trace, 0);
	g_mutex_unlock(&g->trace_lock);
	if (!dry) {
		gui_label(g, "progress_title", "%s: %s", job_words[kind],
			  device);
		gui_label(g, "progress_stage", "%s", "Starting");
		gui_label(g, "progress_step", "%s", "");
		gui_label(g, "progress_notice", "%s", "");
		gui_label(g, "done_label", "%s", "");
		gui_label(g, "failure_title", "%s", "");
		gui_label(g, "failure_state", "%s", "");
		gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(gui_w(g,
					      "progress_bar")), 0);
		gtk_progress_bar_set_text(GTK_PROGRESS_BAR(gui_w(g,
					  "progress_bar")), "");
		gtk_widget_set_sensitive(gui_w(g, "cancel_button"), true);
		gui_show_page(g, "progress");
	}
	gui_buttons_update(g);
	j->th = g_thread_new("odflash-job", worker, j);
	return 0;
}

