/* odflash-gtk: the buttons.  Flash and Recover ask through libodf's own
 * confirmation (ODF_EV_CONFIRM, job.c); Back up and Verify send only
 * reads, which libodf does not ask about: their dialog says what they
 * read and where the backup goes, and the job starts on "yes". */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gui.h"

/* <state>/backups/MODEL_REV_TIME.bin, beside the backups libodf makes
 * before a flash (lib/session/backup.c names those). */
static void
backup_path(struct gui *g, const struct gui_drive *dr)
{
	char stamp[32], name[96];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(name, sizeof(name), "%s_%s_%s_%s.bin", dr->id.vendor,
		 dr->id.product, dr->id.revision, stamp);
	g_strdelimit(name, " /\\", '_');
	snprintf(g->backup_out, sizeof(g->backup_out), "%s/backups/%s",
		 g->state_dir, name);
}

static void
ask_reads(struct gui *g, enum gui_job_kind kind)
{
	const struct gui_drive *dr = gui_drive_selected(g);
	GtkWindow *w = GTK_WINDOW(gui_w(g, "confirm_window"));
	char dir[4096 + 16];

	if (dr == NULL || gui_job_running(g))
		return;
	g->pending = (int)kind;
	if (kind == GUI_JOB_BACKUP) {
		if (g->state_dir[0] == '\0')
			return;
		snprintf(dir, sizeof(dir), "%s/backups", g->state_dir);
		g_mkdir_with_parents(dir, 0700);
		backup_path(g, dr);
	}
	gui_label(g, "confirm_title", "%s This is exactly what will happen:",
		  kind == GUI_JOB_BACKUP ? "Back up the drive's firmware?" :
		  "Verify the drive against the file?");
	if (kind == GUI_JOB_BACKUP)
		gui_label(g, "confirm_facts", "• The firmware of %s %s %s "
			  "(%s) is read twice and the reads compared\n"
			  "• It is saved to %s\n• Nothing is written to the "
			  "drive", dr->id.vendor, dr->id.product,
			  dr->id.revision, dr->name, g->backup_out);
	else
		gui_label(g, "confirm_facts", "• The drive %s %s %s (%s) is "
			  "compared with %s, by reading its firmware back "
			  "where its protocol can\n• Nothing is written to "
			  "the drive", dr->id.vendor, dr->id.product,
			  dr->id.revision, dr->name, g->file);
	gtk_button_set_label(GTK_BUTTON(gui_w(g, "confirm_yes")),
			     kind == GUI_JOB_BACKUP ? "Yes, back up now" :
			     "Yes, verify now");
	gtk_window_set_transient_for(w, g->win);
	gtk_window_present(w);
}

static void
start_selected(struct gui *g, enum gui_job_kind kind)
{
	const struct gui_drive *dr = gui_drive_selected(g);

	if (dr != NULL)
		(void)gui_job_start(g, kind, dr->name, g->file, false);
}

/* Flash, Recover, Verify, Back up: the job kind is the button's
 * "kind" (gui_actions_init) */
static void
on_job_button(GtkButton *b, gpointer g)
{
	enum gui_job_kind kind = (enum gui_job_kind)GPOINTER_TO_INT(
		g_object_get_data(G_OBJECT(b), "kind"));

	if (kind == GUI_JOB_FLASH || kind == GUI_JOB_RECOVER)
		start_selected(g, kind);
	else
		ask_reads(g, kind);
}

static void
on_failure_recover(GtkButton *b, gpointer user)
{
	struct gui *g = user;

	(void)b;
	if (g->recover_device[0])
		(void)gui_job_start(g, g->recover_leave ? GUI_JOB_LEAVE :
				    GUI_JOB_RECOVER, g->recover_device,
				    g->recover_file, false);
}

static void
on_copy(GtkButton *b, gpointer user)
{
	struct gui *g = user;
	GString *s = g_string_new(g->details ? g->details : "");

	(void)b;
	g_mutex_lock(&g->trace_lock);
	g_string_append_printf(s, "--- the library's log and every command "
			       "(-vv) ---\n%s", g->trace->str);
	g_mutex_unlock(&g->trace_lock);
	gdk_clipboard_set_text(gtk_widget_get_clipboard(GTK_WIDGET(g->win)),
			       s->str);
	g_string_free(s, TRUE);
}

static void
on_back(GtkButton *b, gpointer user)
{
	struct gui *g = user;

	(void)b;
	gui_show_page(g, gui_drive_selected(g) ? "drive" : "none");
}

static void
on_cancel(GtkButton *b, gpointer user)
{
	(void)b;
	gui_job_cancel(user);
}

static void
answer(struct gui *g, int a)
{
	int kind = g->pending;

	g->pending = -1;
	if (gui_job_running(g)) {
		gui_job_answer(g, a);
		return;
	}
	gtk_widget_set_visible(gui_w(g, "confirm_window"), false);
	if (a == 1 && kind >= 0)
		start_selected(g, (enum gui_job_kind)kind);
}

static void
on_yes(GtkButton *b, gpointer user)
{
	(void)b;
	answer(user, 1);
}

static void
on_no(GtkButton *b, gpointer user)
{
	(void)b;
	answer(user, 0);
}

static gboolean
on_confirm_close(GtkWindow *w, gpointer user)
{
	(void)w;
	answer(user, 0);
	return FALSE;
}

void
gui_actions_init(struct gui *g)
{
	static const struct {
		const char *id;
		enum gui_job_kind kind;
	} jb[] = {
		{ "flash_button", GUI_JOB_FLASH },
		{ "recover_button", GUI_JOB_RECOVER },
		{ "verify_button", GUI_JOB_VERIFY },
		{ "backup_button", GUI_JOB_BACKUP },
	};
	static const struct {
		const char *id;
		GCallback fn;
	} b[] = {
		{ "failure_recover", G_CALLBACK(on_failure_recover) },
		{ "failure_copy", G_CALLBACK(on_copy) },
		{ "failure_back", G_CALLBACK(on_back) },
		{ "done_back", G_CALLBACK(on_back) },
		{ "cancel_button", G_CALLBACK(on_cancel) },
		{ "confirm_yes", G_CALLBACK(on_yes) },
		{ "confirm_no", G_CALLBACK(on_no) },
	};

	g->pending = -1;
	for (size_t i = 0; i < G_N_ELEMENTS(jb); i++) {
		GtkWidget *w = gui_w(g, jb[i].id);

		g_object_set_data(G_OBJECT(w), "kind",
				  GINT_TO_POINTER((int)jb[i].kind));
		g_signal_connect(w, "clicked", G_CALLBACK(on_job_button), g);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(b); i++)
		g_signal_connect(gui_w(g, b[i].id), "clicked", b[i].fn, g);
	g_signal_connect(gui_w(g, "confirm_window"), "close-request",
			 G_CALLBACK(on_confirm_close), g);
}
