/* odflash-gtk: the application — the window from window.ui, the library
 * context, closing and quitting (refused past the point of no return,
 * which libodf reports as events: job.c), and the privilege check. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gui.h"
#include "odemu/odemu.h"
#include "../cli/common/cli.h"	/* cli_state_dir: the CLI's state directory */

GResource *odflash_gtk_get_resource(void);

GtkWidget *
gui_w(struct gui *g, const char *id)
{
	GObject *o = gtk_builder_get_object(g->b, id);

	if (o == NULL)
		g_error("odflash-gtk: no widget '%s' in the .ui files", id);
	return GTK_WIDGET(o);
}

/* Device and file strings may hold any bytes: made valid UTF-8 here. */
void
gui_label(struct gui *g, const char *id, const char *fmt, ...)
{
	va_list ap;
	char *s, *v;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	v = g_utf8_make_valid(s, -1);
	gtk_label_set_text(GTK_LABEL(gui_w(g, id)), v);
	g_free(v);
	g_free(s);
}

void
gui_show_page(struct gui *g, const char *page)
{
	gtk_stack_set_visible_child_name(GTK_STACK(gui_w(g, "pages")), page);
}

void
gui_trace_add(struct gui *g, const char *fmt, ...)
{
	va_list ap;

	g_mutex_lock(&g->trace_lock);
	if (g->trace->len < 4u * 1024 * 1024) {
		va_start(ap, fmt);
		g_string_append_vprintf(g->trace, fmt, ap);
		va_end(ap);
		g_string_append_c(g->trace, '\n');
	}
	g_mutex_unlock(&g->trace_lock);
}

/* The library's log and every command it sends (the -vv trace of the
 * CLI) go into the details a failure page copies. */
static void
on_log(void *user, int level, const char *msg)
{
	gui_trace_add(user, "log[%d] %s", level, msg);
}

static void
on_trace(void *user, const struct odf_dev *dev, const struct odf_cmd *c)
{
	char cdb[3 * ODF_CDB_MAX + 1] = "";
	size_t i, n = 0;

	(void)dev;
	for (i = 0; i < c->cdb_len && i < ODF_CDB_MAX; i++)
		n += (size_t)snprintf(cdb + n, sizeof(cdb) - n, "%s%02x",
				      i ? " " : "", c->cdb[i]);
	gui_trace_add(user, "cdb %s len=%zu status=0x%02x host=0x%02x "
		      "sense=%02x/%02x/%02x", cdb, c->len, c->scsi_status,
		      c->host_status, c->sense_len > 2 ? c->sense[2] & 0xf : 0,
		      c->sense_len > 12 ? c->sense[12] : 0,
		      c->sense_len > 13 ? c->sense[13] : 0);
}

static void
env_knob(struct gui *g, const char *name, enum odf_knob k)
{
	const char *e = getenv(name);
	char *end;
	long v;

	if (e == NULL || e[0] == '\0')
		return;
	v = strtol(e, &end, 10);
	if (*end == '\0')
		(void)odf_ctx_set_knob(g->ctx, k, v);
}

/* The context as the CLI fills it (the same state directory, so both
 * see one journal and one set of backups, and the same test knobs). */
static int
ctx_setup(struct gui *g)
{
	struct odf_diag d;

	g->ctx = odf_ctx_new();
	if (g->ctx == NULL)
		return -1;
	odf_ctx_set_log(g->ctx, on_log, g, ODF_LOG_DEBUG);
	odf_ctx_set_trace(g->ctx, on_trace, g);
	env_knob(g, "ODF_POLL_MS", ODF_KNOB_POLL_MS);
	env_knob(g, "ODF_WAIT_MAX_MS", ODF_KNOB_WAIT_MAX_MS);
	env_knob(g, "ODF_REOPEN_DELAY_MS", ODF_KNOB_REOPEN_DELAY_MS);
	if (getenv("ODF_SYSFS_ROOT") && getenv("ODF_SYSFS_ROOT")[0])
		odf_ctx_set_path(g->ctx, ODF_PATH_SYSFS_ROOT,
				 getenv("ODF_SYSFS_ROOT"));
	odf_diag_clear(&d);
	if (cli_state_dir(g->state_dir, sizeof(g->state_dir), &d) == 0)
		odf_ctx_set_path(g->ctx, ODF_PATH_STATE_DIR, g->state_dir);
	else
		snprintf(g->state_dir, sizeof(g->state_dir), "%s", "");
	return 0;
}

/* CAP_SYS_RAWIO (capability 17, linux/capability.h): the kernel lets
 * SG_IO through for vendor commands only with it.  Read from
 * /proc/self/status's CapEff (proc(5)). */
static bool
has_rawio(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;
	bool found = false;

	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	return found && (eff & (1ULL << 17)) != 0;
}

static void
privilege_check(struct gui *g)
{
	const char *disp = getenv("DISPLAY");

	if (has_rawio())
		return;
	gui_label(g, "privilege_label", "odflash-gtk runs without the "
		  "CAP_SYS_RAWIO privilege: it can list and identify drives, "
		  "but the kernel would refuse the commands that back up, "
		  "flash or recover a real drive (emulated drives work). "
		  "To work on a real drive, close this window and start it "
		  "as root:\n  pkexec env DISPLAY=%s XAUTHORITY=\"$XAUTHORITY\" "
		  "%s\nor\n  sudo -E %s", disp ? disp : ":0", g->self,
		  g->self);
	gtk_widget_set_visible(gui_w(g, "privilege_bar"), true);
}

/* ---- closing: refused past the point of no return ------------------------ */
static void
refuse_close(struct gui *g)
{
	GtkWindow *w = GTK_WINDOW(gui_w(g, "refuse_window"));

	gtk_window_set_transient_for(w, g->win);
	gtk_window_present(w);
}

/* true = the window stays */
static bool
close_wanted(struct gui *g)
{
	if (!gui_job_running(g))
		return false;
	if (g->past_ponr) {
		refuse_close(g);
		return true;
	}
	/* before the point of no return: the job stops (libodf leaves the
	 * drive as it was) and the window closes when it has */
	g->quit_when_done = true;
	gui_job_cancel(g);
	return true;
}

static gboolean
on_close_request(GtkWindow *w, gpointer user)
{
	(void)w;
	return close_wanted(user);
}

static void
on_quit(GSimpleAction *a, GVariant *p, gpointer user)
{
	struct gui *g = user;

	(void)a;
	(void)p;
	if (!close_wanted(g))
		gtk_window_destroy(g->win);
}

static void
on_refuse_ok(GtkButton *b, gpointer user)
{
	(void)b;
	gtk_widget_set_visible(gui_w(user, "refuse_window"), false);
}

static const char css[] =
	".ponr { color: #b00000; font-weight: bold; font-size: 130%; }\n"
	".warning-bar { background: #fff3c4; color: #3a2d00; }\n"
	".boot-mode { color: #b05000; font-weight: bold; }\n";

static void
on_activate(GtkApplication *app, gpointer user)
{
	struct gui *g = user;
	GtkCssProvider *p;
	GSimpleAction *quit;
	const char *accels[] = { "<Control>q", NULL };

	if (g->win != NULL) {
		gtk_window_present(g->win);
		return;
	}
	g->b = gtk_builder_new_from_resource("/org/odflash/gtk/window.ui");
	gtk_builder_add_from_resource(g->b, "/org/odflash/gtk/dialogs.ui",
				      NULL);
	g->win = GTK_WINDOW(gui_w(g, "main_window"));
	gtk_window_set_application(g->win, app);
	p = gtk_css_provider_new();
	gtk_css_provider_load_from_data(p, css, -1);
	gtk_style_context_add_provider_for_display(gdk_display_get_default(),
		GTK_STYLE_PROVIDER(p), GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
	g_object_unref(p);

	quit = g_simple_action_new("quit", NULL);
	g_signal_connect(quit, "activate", G_CALLBACK(on_quit), g);
	g_action_map_add_action(G_ACTION_MAP(app), G_ACTION(quit));
	g_object_unref(quit);
	gtk_application_set_accels_for_action(app, "app.quit", accels);
	g_signal_connect(g->win, "close-request", G_CALLBACK(on_close_request),
			 g);
	g_signal_connect(gui_w(g, "refuse_ok"), "clicked",
			 G_CALLBACK(on_refuse_ok), g);

	privilege_check(g);
	gui_actions_init(g);
	gui_firmware_init(g);
	gui_drives_init(g);
	gtk_window_present(g->win);
}

int
main(int argc, char **argv)
{
	struct gui g;
	ssize_t n;
	int rc;

	memset(&g, 0, sizeof(g));
	g.sel = -1;
	g_mutex_init(&g.trace_lock);
	g.trace = g_string_new(NULL);
	n = readlink("/proc/self/exe", g.self, sizeof(g.self) - 1);
	if (n <= 0)
		snprintf(g.self, sizeof(g.self), "%s", "odflash-gtk");
	(void)odemu_transport_register();	/* emu:STATE drives */
	if (ctx_setup(&g) != 0) {
		fprintf(stderr, "odflash-gtk: out of memory\n");
		return 10;
	}
	g_resources_register(odflash_gtk_get_resource());
	g_set_prgname("odflash-gtk");
	g.app = gtk_application_new("org.odflash.Gtk",
				    G_APPLICATION_NON_UNIQUE);
	g_signal_connect(g.app, "activate", G_CALLBACK(on_activate), &g);
	rc = g_application_run(G_APPLICATION(g.app), argc, argv);
	if (g.rescan_id)
		g_source_remove(g.rescan_id);
	if (g.file_timer)
		g_source_remove(g.file_timer);
	g_object_unref(g.app);
	if (g.b)
		g_object_unref(g.b);
	free(g.drives);
	g_free(g.scan_sig);
	g_free(g.details);
	odf_ctx_free(g.ctx);
	g_string_free(g.trace, TRUE);
	g_mutex_clear(&g.trace_lock);
	return rc;
}
