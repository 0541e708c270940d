/* odflash-gtk: the drive list (odf_scan plus the emulated drives named in
 * ODFLASH_EMU, rescanned every two seconds while no job runs) and the
 * drive page (identity, driver, what the family supports, the journal's
 * history of the drive and its backups).  Read-only: INQUIRY and the
 * drivers' read-only probes (odf_identify_drive). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui.h"

#define RESCAN_MS 2000

/* The names to probe, one a line: every optical drive in sysfs (the sr
 * node: group cdrom, where sg may be root's only), then ODFLASH_EMU's
 * state paths (':' or ',' between them) as emu:PATH, as `odflash scan`
 * lists them. */
static char *
scan_names(struct gui *g)
{
	const char *sysfs = odf_ctx_path(g->ctx, ODF_PATH_SYSFS_ROOT);
	const char *env = getenv("ODFLASH_EMU");
	struct odf_scan_entry *list = NULL;
	GString *s = g_string_new(NULL);
	size_t n = 0, i;

	if (odf_scan(sysfs ? sysfs : "/sys", &list, &n, NULL) == 0) {
		for (i = 0; i < n; i++) {
			const struct odf_dev_info *in = &list[i].info;

			g_string_append_printf(s, "%s\n", in->block_path[0] ?
					       in->block_path : in->sg_path[0] ?
					       in->sg_path : in->hctl);
		}
		free(list);
	}
	if (env != NULL && env[0] != '\0') {
		char **v = g_strsplit_set(env, ":,", -1);

		for (i = 0; v[i] != NULL; i++)
			if (v[i][0] != '\0')
				g_string_append_printf(s, "emu:%s\n", v[i]);
		g_strfreev(v);
	}
	return g_string_free(s, FALSE);
}

static void
probe(struct gui *g, const char *name, struct gui_drive *dr)
{
	struct odf_dev *dev = NULL;
	struct odf_diag d;
	int rc;

	memset(dr, 0, sizeof(*dr));
	snprintf(dr->name, sizeof(dr->name), "%s", name);
	odf_diag_clear(&d);
	rc = odf_dev_open_ctx(g->ctx, name, ODF_OPEN_READ, &dev, &d);
	if (rc == 0) {
		dr->info = *odf_dev_get_info(dev);
		rc = odf_identify_drive(dev, &dr->id, &dr->drv, &d);
		odf_dev_close(dev);
	}
	dr->identified = rc == 0;
	if (rc != 0)
		snprintf(dr->problem, sizeof(dr->problem), "%s",
			 d.msg[0] ? d.msg : odf_err_str(rc));
}

static char *
row_text(const struct gui_drive *dr)
{
	char cap[32];

	if (!dr->identified)
		return g_strdup_printf("%s\nnot identified: %s", dr->name,
				       dr->problem);
	if (dr->info.max_transfer)
		snprintf(cap, sizeof(cap), "%zu KiB",
			 dr->info.max_transfer / 1024);
	else
		snprintf(cap, sizeof(cap), "unknown");
	return g_strdup_printf("%s %s %s%s\nmode: %s · path: %s · transfer "
			       "cap: %s\n%s", dr->id.vendor, dr->id.product,
			       dr->id.revision,
			       dr->id.mode == ODF_MODE_NORMAL ? "" :
			       "  ⚠ NOT RUNNING ITS FIRMWARE",
			       odf_mode_name(dr->id.mode),
			       odf_bus_name(dr->info.bus), cap, dr->name);
}

static void
on_row_clicked(GtkButton *b, gpointer user)
{
	struct gui *g = user;
	int i = GPOINTER_TO_INT(g_object_get_data(G_OBJECT(b), "index"));

	if (gui_job_running(g) || i < 0 || (size_t)i >= g->ndrives)
		return;
	g->sel = i;
	gtk_list_box_select_row(GTK_LIST_BOX(gui_w(g, "drive_list")),
		gtk_list_box_get_row_at_index(GTK_LIST_BOX(gui_w(g,
			"drive_list")), i));
	gui_drive_page_fill(g);
	gui_show_page(g, "drive");
	gui_firmware_verdict(g);
}

static void
list_rebuild(struct gui *g)
{
	GtkListBox *lb = GTK_LIST_BOX(gui_w(g, "drive_list"));
	GtkWidget *c;
	size_t i;

	while ((c = gtk_widget_get_first_child(GTK_WIDGET(lb))) != NULL)
		gtk_list_box_remove(lb, c);
	for (i = 0; i < g->ndrives; i++) {
		char *t = row_text(&g->drives[i]);
		char *v = g_utf8_make_valid(t, -1);
		GtkWidget *b = gtk_button_new_with_label(v);
		GtkWidget *l = gtk_button_get_child(GTK_BUTTON(b));

		gtk_label_set_xalign(GTK_LABEL(l), 0);
		gtk_label_set_wrap(GTK_LABEL(l), true);
		gtk_button_set_has_frame(GTK_BUTTON(b), false);
		if (g->drives[i].id.mode != ODF_MODE_NORMAL)
			gtk_widget_add_css_class(l, "boot-mode");
		g_object_set_data(G_OBJECT(b), "index", GINT_TO_POINTER((int)i));
		g_signal_connect(b, "clicked", G_CALLBACK(on_row_clicked), g);
		gtk_list_box_append(lb, b);
		g_free(v);
		g_free(t);
	}
	if (g->sel >= 0)
		gtk_list_box_select_row(lb, gtk_list_box_get_row_at_index(lb,
					g->sel));
	else
		gtk_list_box_unselect_all(lb);
	gui_label(g, "drive_count", g->ndrives == 0 ? "No optical drive "
		  "found. Drives that appear are listed here." :
		  "%zu drive%s", g->ndrives, g->ndrives == 1 ? "" : "s");
}

void
gui_drives_rescan(struct gui *g, bool force)
{
	char *sig, *line, *save = NULL, *copy;
	char selname[280] = "";
	struct gui_drive *v = NULL;
	size_t n = 0;

	if (gui_job_running(g))
		return;
	sig = scan_names(g);
	if (!force && g->scan_sig != NULL && strcmp(sig, g->scan_sig) == 0) {
		g_free(sig);
		return;
	}
	if (g->sel >= 0)
		snprintf(selname, sizeof(selname), "%s", g->drives[g->sel].name);
	copy = g_strdup(sig);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		v = g_realloc_n(v, n + 1, sizeof(*v));
		probe(g, line, &v[n]);
		n++;
	}
	g_free(copy);
	free(g->drives);
	g->drives = n ? malloc(n * sizeof(*v)) : NULL;
	if (n && g->drives == NULL)
		n = 0;
	if (n)
		memcpy(g->drives, v, n * sizeof(*v));
	g_free(v);
	g->ndrives = n;
	g_free(g->scan_sig);
	g->scan_sig = sig;
	g->sel = -1;
	for (size_t i = 0; i < n && selname[0]; i++)
		if (strcmp(g->drives[i].name, selname) == 0)
			g->sel = (int)i;
	list_rebuild(g);
	if (g->sel < 0)
		gui_show_page(g, "none");
	else
		gui_drive_page_fill(g);
}

static gboolean
on_rescan_timer(gpointer user)
{
	gui_drives_rescan(user, false);
	return G_SOURCE_CONTINUE;
}

static void
on_rescan(GtkButton *b, gpointer user)
{
	(void)b;
	gui_drives_rescan(user, true);
}

void
gui_drives_init(struct gui *g)
{
	g_signal_connect(gui_w(g, "rescan_button"), "clicked",
			 G_CALLBACK(on_rescan), g);
	gui_drives_rescan(g, true);
	g->rescan_id = g_timeout_add(RESCAN_MS, on_rescan_timer, g);
}

const struct gui_drive *
gui_drive_selected(const struct gui *g)
{
	if (g->sel < 0 || (size_t)g->sel >= g->ndrives)
		return NULL;
	return &g->drives[g->sel];
}

/* What the driver's operations say the family can do (odf/plan.h: a
 * dump, a verify by reading the firmware back, else by identity). */
static void
caps_fill(struct gui *g, const struct gui_drive *dr)
{
	const struct odf_driver_ops *o;
	bool dump, verify;

	if (dr->drv == NULL || dr->drv->ops == NULL) {
		gui_label(g, "drive_caps", "No driver knows this drive: it "
			  "can be identified, not backed up or flashed.");
		return;
	}
	o = dr->drv->ops;
	dump = o->dump != NULL || o->plan_read != NULL;
	verify = o->verify != NULL || dump;
	gui_label(g, "drive_caps", "Backup (firmware read-back): %s\n"
		  "Verify after a flash: %s",
		  dump ? "yes" : o->no_dump ? o->no_dump :
		  "no, the protocol has no read-back",
		  verify ? "by reading the firmware back" :
		  "by the drive's identity only (version strings)");
}

static bool
entry_is_drive(const struct odf_journal_entry *e, const struct gui_drive *dr)
{
	if (strcmp(e->product, dr->id.product) != 0)
		return false;
	if (e->serial[0] && dr->id.serial[0])
		return strcmp(e->serial, dr->id.serial) == 0;
	return strcmp(e->device, dr->name) == 0;
}

static void
history_fill(struct gui *g, const struct gui_drive *dr)
{
	struct odf_journal_entry *list = NULL;
	GString *h = g_string_new(NULL), *bk = g_string_new(NULL);
	size_t n = 0, i;

	if (g->state_dir[0] &&
	    odf_journal_read(g->state_dir, &list, &n, NULL, NULL) == 0) {
		for (i = 0; i < n; i++) {
			const struct odf_journal_entry *e = &list[i];

			if (!entry_is_drive(e, dr))
				continue;
			g_string_append_printf(h, "%s  %s  %s  %s -> %s  %s\n",
				e->time, e->op, e->result, e->rev_before,
				e->rev_after[0] ? e->rev_after : "-",
				e->file[0] ? e->file : "");
			if (e->backup[0])
				g_string_append_printf(bk, "%s  (%s, %s)\n",
						       e->backup, e->time,
						       e->rev_before);
		}
		free(list);
	}
	gui_label(g, "drive_history", "%s", h->len ? h->str :
		  "Nothing recorded for this drive.");
	gui_label(g, "drive_backups", "%s", bk->len ? bk->str :
		  "No backup of this drive yet.");
	g_string_free(h, TRUE);
	g_string_free(bk, TRUE);
}

void
gui_drive_page_fill(struct gui *g)
{
	const struct gui_drive *dr = gui_drive_selected(g);

	if (dr == NULL)
		return;
	if (!dr->identified) {
		gui_label(g, "drive_title", "%s", dr->name);
		gui_label(g, "drive_identity", "Not identified: %s",
			  dr->problem);
		gui_label(g, "drive_caps", "%s", "");
		gui_label(g, "drive_history", "%s", "");
		gui_label(g, "drive_backups", "%s", "");
		gui_buttons_update(g);
		return;
	}
	gui_label(g, "drive_title", "%s %s", dr->id.vendor, dr->id.product);
	gui_label(g, "drive_identity",
		  "Device: %s\nFirmware revision: %s\nMode: %s%s\n"
		  "Serial: %s\nFamily: %s, drive ID %s%s%s\n"
		  "Path: %s, transfer cap %zu bytes%s\nDriver: %s",
		  dr->name, dr->id.revision, odf_mode_name(dr->id.mode),
		  dr->id.mode == ODF_MODE_NORMAL ? "" :
		  " (the drive does not run its firmware: it needs a recover)",
		  dr->id.serial[0] ? dr->id.serial : "(none)",
		  odf_family_name(dr->id.family),
		  dr->id.target[0] ? dr->id.target : "-",
		  dr->id.bootcode[0] ? ", bootcode " : "", dr->id.bootcode,
		  odf_bus_name(dr->info.bus), dr->info.max_transfer,
		  dr->info.max_transfer ? "" : " (unknown)",
		  dr->drv ? dr->drv->description : "none");
	caps_fill(g, dr);
	history_fill(g, dr);
	gui_buttons_update(g);
}
