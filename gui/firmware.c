/* odflash-gtk: the firmware file — picked with the file chooser, dropped
 * on the window or typed — identified at once (odf_image_load: family,
 * target, version, checksum, sha256), and the verdict for the selected
 * drive: a dry run of libodf's flash job (and of its recover job when
 * the library says the drive must be recovered first).  No button that
 * writes is enabled before the library's verdict says the job would run;
 * the GUI has no compatibility rule of its own. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gui.h"
#include "odf/image.h"

#define FILE_SETTLE_MS 250

void
gui_buttons_update(struct gui *g)
{
	const struct gui_drive *dr = gui_drive_selected(g);
	bool idle = !gui_job_running(g);
	bool known = dr != NULL && dr->identified && dr->drv != NULL;

	gtk_widget_set_sensitive(gui_w(g, "backup_button"), idle && known &&
				 dr->id.mode == ODF_MODE_NORMAL);
	gtk_widget_set_sensitive(gui_w(g, "flash_button"), idle && known &&
				 g->verdict_done && g->can_flash);
	gtk_widget_set_sensitive(gui_w(g, "verify_button"), idle && known &&
				 g->verdict_done && g->can_verify);
	gtk_widget_set_sensitive(gui_w(g, "recover_button"), idle && known &&
				 g->verdict_done && g->can_recover);
	gtk_widget_set_sensitive(gui_w(g, "file_box"), idle);
	gtk_widget_set_sensitive(gui_w(g, "rescan_button"), idle);
}

/* What the job will do, from ODF_EV_CONFIRM's facts, one line each. */
void
gui_confirm_words(const struct gui_confirm *c, GString *o)
{
	g_string_append_printf(o, "• Job: %s of %s\n", c->job, c->drive);
	if (c->file[0])
		g_string_append_printf(o, "• Firmware file: %s\n", c->file);
	if (c->image_version[0])
		g_string_append_printf(o, "• Version: the drive's firmware "
				       "becomes %s (%s)\n", c->image_version,
				       c->version == ODF_VERSION_UPGRADE ?
				       "an upgrade" :
				       c->version == ODF_VERSION_DOWNGRADE ?
				       "a DOWNGRADE to older firmware" :
				       c->version == ODF_VERSION_SAME ?
				       "the same version written again" :
				       "no known order between the versions");
	if (c->downgrade_guard[0])
		g_string_append_printf(o, "• The drive guards against older "
				       "firmware: %s\n", c->downgrade_guard);
	if (c->backup[0])
		g_string_append_printf(o, "• First, the drive's present "
				       "firmware is read twice and saved to "
				       "%s\n", c->backup);
	else
		g_string_append_printf(o, "• No backup is made (%s)\n",
				       c->backup_skipped[0] ?
				       c->backup_skipped : "none possible");
	if (c->eject)
		g_string_append(o, "• The tray is opened first\n");
	if (c->stop)
		g_string_append(o, "• The drive is stopped first (its tray "
				"stays closed)\n");
	if (c->learn_bootcode)
		g_string_append(o, "• The drive enters safe mode for a moment "
				"to tell its bootcode version\n");
	if (c->crossflash)
		g_string_append_printf(o, "• CROSSFLASH: a %s becomes a %s\n",
				       c->cross_from, c->cross_to);
	g_string_append(o, "• While the firmware is written, the window "
			"cannot be closed and the computer must not be "
			"powered off\n");
}

/* A few reasons in the words of this program (odf/error.h names which
 * facts each fills); the library's sentence always comes first. */
static void
reason_words(const struct odf_diag *d, GString *o)
{
	switch (d->reason) {
	case ODF_R_WRONG_MODEL:
		g_string_append_printf(o, "\nThis file is for another drive "
				       "model (%s; this drive is %s): "
				       "odflash-gtk does not crossflash.",
				       d->expected, d->actual);
		break;
	case ODF_R_INCOMPATIBLE:
		g_string_append(o, "\nThis file cannot be written to this "
				"drive at all.");
		break;
	case ODF_R_RECOVER_FIRST:
		g_string_append(o, "\nThe drive does not run its firmware: "
				"use Recover.");
		break;
	case ODF_R_DISC_IN_TRAY:
		g_string_append(o, "\nTake the disc out of the drive, then "
				"pick the file again.");
		break;
	case ODF_R_MOUNTED:
		g_string_append_printf(o, "\nUnmount %s first.", d->path);
		break;
	case ODF_R_ON_BATTERY:
		g_string_append(o, "\nPlug the computer into mains power.");
		break;
	case ODF_R_DEVICE_PERMISSION:
	case ODF_R_WRITE_ACCESS:
		g_string_append(o, "\nodflash-gtk needs root for this drive "
				"(see the bar at the top).");
		break;
	default:
		break;
	}
}

void
gui_firmware_dry_done(struct gui *g, enum gui_job_kind kind, int rc,
		      const struct odf_flash_result *r,
		      const struct odf_diag *d, const struct gui_confirm *c)
{
	const struct gui_drive *dr = gui_drive_selected(g);
	GString *o = g_string_new(NULL);

	(void)r;
	if (kind == GUI_JOB_FLASH && rc == 0) {
		g->can_flash = g->can_verify = true;
		g->verdict = *c;
		g_string_append(o, "Verdict: this file fits the drive. A flash "
				"would do this:\n");
		gui_confirm_words(c, o);
	} else if (kind == GUI_JOB_RECOVER && rc == 0) {
		g->can_recover = true;
		g->verdict = *c;
		g_string_append(o, "Verdict: the drive does not run its "
				"firmware; this file can recover it. A recover "
				"would do this:\n");
		gui_confirm_words(c, o);
	} else {
		g_string_append_printf(o, "Refused: %s",
				       d->msg[0] ? d->msg : odf_err_str(rc));
		reason_words(d, o);
		if (kind == GUI_JOB_FLASH && d->reason == ODF_R_RECOVER_FIRST &&
		    dr != NULL &&
		    gui_job_start(g, GUI_JOB_RECOVER, dr->name, g->file,
				  true) == 0) {
			g_string_free(o, TRUE);
			return;		/* the recover verdict follows */
		}
	}
	g->verdict_done = true;
	gui_label(g, "verdict_label", "%s", o->str);
	g_string_free(o, TRUE);
	gui_buttons_update(g);
}

void
gui_firmware_verdict(struct gui *g)
{
	const struct gui_drive *dr = gui_drive_selected(g);

	g->verdict_done = g->can_flash = g->can_recover = false;
	g->can_verify = false;
	memset(&g->verdict, 0, sizeof(g->verdict));
	if (dr == NULL || !dr->identified || !g->file_ok) {
		gui_label(g, "verdict_label", "%s", g->file_ok ? "" :
			  "Pick a firmware file: its verdict for this drive "
			  "is shown here before anything can be written.");
		gui_buttons_update(g);
		return;
	}
	gui_label(g, "verdict_label", "Checking the file against the "
		  "drive…");
	gui_buttons_update(g);
	if (gui_job_start(g, GUI_JOB_FLASH, dr->name, g->file, true) != 0)
		gui_label(g, "verdict_label", "The check could not be started "
			  "(another job runs).");
}

static void
identify(struct gui *g, const char *path)
{
	struct odf_image *img = NULL;
	struct odf_diag d;
	const struct odf_image_info *in;
	const char *sha;
	size_t part = 0;
	int rc;

	g->file_ok = false;
	snprintf(g->file, sizeof(g->file), "%s", path);
	odf_diag_clear(&d);
	rc = odf_image_load(path, ODF_FAMILY_UNKNOWN, &img, &d);
	if (rc != 0) {
		gui_label(g, "file_info", "Not a firmware file odflash knows: "
			  "%s", d.msg[0] ? d.msg : odf_err_str(rc));
		gui_firmware_verdict(g);
		return;
	}
	if (gui_drive_selected(g) != NULL &&
	    gui_drive_selected(g)->identified)
		part = odf_image_select(img, &gui_drive_selected(g)->id);
	in = odf_image_info(img, part);
	sha = odf_image_sha256(img, part);
	gui_label(g, "file_info", "Identified: %s firmware for %s%s%s, "
		  "version %s, %zu bytes (%s)\nChecksum: %s\nsha256 %s",
		  odf_family_name(in->family), in->target,
		  in->product[0] ? " " : "", in->product,
		  in->version[0] ? in->version : "(not named)", in->size,
		  in->form, !in->checksum.present ? "the format has none" :
		  in->checksum.ok ? "good" : "BAD (the file is damaged)",
		  sha ? sha : "?");
	g->file_ok = true;
	odf_image_free(img);
	gui_firmware_verdict(g);
}

static gboolean
on_file_settled(gpointer user)
{
	struct gui *g = user;
	const char *t = gtk_editable_get_text(GTK_EDITABLE(gui_w(g,
							   "file_entry")));
	struct stat st;

	g->file_timer = 0;
	if (t[0] == '\0') {
		g->file_ok = false;
		g->file[0] = '\0';
		gui_label(g, "file_info", "%s", "");
		gui_firmware_verdict(g);
	} else if (stat(t, &st) != 0 || !S_ISREG(st.st_mode)) {
		g->file_ok = false;
		gui_label(g, "file_info", "%s: no such file", t);
		gui_firmware_verdict(g);
	} else {
		identify(g, t);
	}
	return G_SOURCE_REMOVE;
}

static void
on_file_changed(GtkEditable *e, gpointer user)
{
	struct gui *g = user;

	(void)e;
	g->file_ok = false;
	g->verdict_done = false;
	gui_label(g, "file_info", "%s", "");
	gui_label(g, "verdict_label", "%s", "Reading the file…");
	gui_buttons_update(g);
	if (g->file_timer)
		g_source_remove(g->file_timer);
	g->file_timer = g_timeout_add(FILE_SETTLE_MS, on_file_settled, g);
}

static void
set_file(struct gui *g, GFile *f)
{
	char *p = g_file_get_path(f);

	if (p != NULL)
		gtk_editable_set_text(GTK_EDITABLE(gui_w(g, "file_entry")), p);
	g_free(p);
}

/* GtkFileChooserNative: GTK 4.10 deprecates it for GtkFileDialog, which
 * Debian 12's GTK 4.8 does not have. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
on_chooser_response(GtkNativeDialog *n, int response, gpointer user)
{
	if (response == GTK_RESPONSE_ACCEPT) {
		GFile *f = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(n));

		if (f != NULL) {
			set_file(user, f);
			g_object_unref(f);
		}
	}
	g_object_unref(n);
}

static void
on_choose(GtkButton *b, gpointer user)
{
	struct gui *g = user;
	GtkFileChooserNative *n;

	(void)b;
	n = gtk_file_chooser_native_new("Firmware file", g->win,
					GTK_FILE_CHOOSER_ACTION_OPEN, "_Open",
					"_Cancel");
	g_signal_connect(n, "response", G_CALLBACK(on_chooser_response), g);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(n));
}
G_GNUC_END_IGNORE_DEPRECATIONS

static gboolean
on_drop(GtkDropTarget *t, const GValue *v, double x, double y,
	gpointer user)
{
	struct gui *g = user;

	(void)t;
	(void)x;
	(void)y;
	if (gui_job_running(g) || !G_VALUE_HOLDS(v, G_TYPE_FILE))
		return FALSE;
	set_file(g, g_value_get_object(v));
	return TRUE;
}

void
gui_firmware_reset(struct gui *g)
{
	gtk_editable_set_text(GTK_EDITABLE(gui_w(g, "file_entry")), "");
}

void
gui_firmware_init(struct gui *g)
{
	GtkDropTarget *t = gtk_drop_target_new(G_TYPE_FILE, GDK_ACTION_COPY);

	g_signal_connect(t, "drop", G_CALLBACK(on_drop), g);
	gtk_widget_add_controller(gui_w(g, "pages"), GTK_EVENT_CONTROLLER(t));
	g_signal_connect(gui_w(g, "file_entry"), "changed",
			 G_CALLBACK(on_file_changed), g);
	g_signal_connect(gui_w(g, "file_button"), "clicked",
			 G_CALLBACK(on_choose), g);
	gui_label(g, "verdict_label", "Pick a firmware file: its verdict for "
		  "this drive is shown here before anything can be written.");
}
