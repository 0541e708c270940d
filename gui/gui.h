/* odflash-gtk: the GTK 4 front end on libodf (issue #16).
 *
 * The windows are GtkBuilder .ui files (gui/window.ui, gui/dialogs.ui;
 * compiled into the program as a GResource); the code fills them from libodf and holds no
 * safety rule of its own: whether Flash, Recover or Verify may be pressed
 * is what a dry run of the library's own job says, the confirmation lists
 * the facts of ODF_EV_CONFIRM, and the point of no return (past which the
 * window refuses to close) is ODF_EV_PONR_REACHED .. ODF_EV_PONR_LEFT.
 *
 * Files: main.c (the application, closing and quitting, privileges),
 * drives.c (the drive list and the drive page), firmware.c (the file,
 * its identification and the verdict), job.c (a job in a worker thread,
 * its events, the confirmation, progress, done and failure pages),
 * actions.c (the buttons; the dialog before a backup or a verify). */
#ifndef ODF_GUI_H
#define ODF_GUI_H

#include <stdbool.h>

#include <gtk/gtk.h>

#include "odf/ctx.h"
#include "odf/error.h"
#include "odf/flash.h"
#include "odf/session.h"
#include "odf/transport.h"
#include "odf/vendor.h"

struct gui_drive {
	char name[280];		/* what libodf opens: /dev/srN, emu:PATH */
	bool identified;
	char problem[ODF_DIAG_MSG_MAX];	/* why not identified */
	struct odf_dev_info info;
	struct odf_drive_ident id;
	const struct odf_driver *drv;	/* NULL = no driver knows it */
};

enum gui_job_kind {
	GUI_JOB_FLASH = 0,
	GUI_JOB_RECOVER,
	GUI_JOB_VERIFY,
	GUI_JOB_BACKUP,
	GUI_JOB_LEAVE,		/* leave a vendor mode a read left the drive
				   in (odf_session_leave_mode): the failure
				   page's recover when the result says
				   recover_leave */
};

/* The facts of an ODF_EV_CONFIRM, copied out of the worker thread. */
struct gui_confirm {
	bool valid;
	char job[32];
	char drive[64];		/* "VENDOR PRODUCT REV" */
	char file[4096];
	char image_version[32];
	enum odf_version_change version;
	char downgrade_guard[160];
	char backup[4096];
	char backup_skipped[48];
	bool eject;		/* the tray is opened first */
	bool stop;		/* the drive is stopped first (no eject) */
	bool learn_bootcode;	/* NEC: safe mode a moment, after the yes */
	bool crossflash;
	char cross_from[32], cross_to[32];
};

struct gui_job;

struct gui {
	GtkApplication *app;
	GtkBuilder *b;
	GtkWindow *win;
	struct odf_ctx *ctx;
	char state_dir[4096];
	char self[4096];	/* /proc/self/exe, for the privilege hint */

	struct gui_drive *drives;
	size_t ndrives;
	int sel;		/* selected drive, -1 = none */
	char *scan_sig;		/* the names last scanned */
	guint rescan_id;

	/* the firmware file and what libodf says about it */
	char file[4096];
	bool file_ok;		/* identified */
	bool verdict_done;	/* the dry runs ended */
	bool can_flash, can_recover, can_verify;
	struct gui_confirm verdict;	/* the dry run's facts */
	guint file_timer;
	unsigned verdict_gen;	/* a newer pick outdates a running dry run */

	/* the running job (NULL when none) and the window's guard */
	struct gui_job *job;
	bool past_ponr;
	guint inhibit;
	bool quit_when_done;
	GMutex trace_lock;
	GString *trace;		/* CDB trace and log of the last job */
	char *details;		/* the last failure, for "copy details" */
	char recover_device[4096], recover_file[4096];
	bool recover_leave;	/* the recover leaves a vendor mode, no file */
	char backup_out[8192];	/* where Back up saves */
	int pending;		/* a read job the dialog asks about, -1 */
};

/* gui helpers (main.c) */
GtkWidget *gui_w(struct gui *g, const char *id);
void gui_label(struct gui *g, const char *id, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
void gui_show_page(struct gui *g, const char *page);
void gui_trace_add(struct gui *g, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* drives.c */
void gui_drives_init(struct gui *g);
void gui_drives_rescan(struct gui *g, bool force);
const struct gui_drive *gui_drive_selected(const struct gui *g);
void gui_drive_page_fill(struct gui *g);

/* firmware.c */
void gui_firmware_init(struct gui *g);
void gui_firmware_reset(struct gui *g);
void gui_firmware_verdict(struct gui *g);
void gui_buttons_update(struct gui *g);

/* actions.c */
void gui_actions_init(struct gui *g);

/* job.c */
/* the answer to the confirmation (1 yes, 0 no) */
void gui_job_answer(struct gui *g, int a);
/* dry: a dry run for the verdict (firmware.c gets its end through
 * gui_firmware_dry_done) */
int gui_job_start(struct gui *g, enum gui_job_kind kind, const char *device,
		  const char *file, bool dry);
bool gui_job_running(const struct gui *g);
void gui_job_cancel(struct gui *g);
void gui_firmware_dry_done(struct gui *g, enum gui_job_kind kind,
			   int rc, const struct odf_flash_result *r,
			   const struct odf_diag *d,
			   const struct gui_confirm *c);
void gui_confirm_words(const struct gui_confirm *c, GString *out);

#endif
