/* odflash: a session — one drive, one firmware image, one job, with events.
 *
 * This is the API a front end uses (the odflash CLI, a GUI, a duplicator
 * daemon, a fwupd plugin):
 *
 *	struct odf_ctx *ctx = odf_ctx_new();
 *	struct odf_session *s;
 *	odf_session_new(ctx, "/dev/sr0", "ND3500A.bin", &s, &diag);
 *	odf_session_set_events(s, on_event, gui);
 *	odf_session_flash(s, &opts, &result, &diag);
 *	odf_session_free(s);
 *
 * A job runs in stages (identify, compat, preflight, confirm, backup,
 * write, come back, verify, journal: ODF_STAGE_CONFIRM comes before
 * ODF_STAGE_BACKUP although its number is higher) and reports each through
 * the event callback, with every plan step, the progress in bytes of the
 * image, and the moment the drive becomes unsafe (the point of no return) and
 * safe again.  odf_session_cancel() may be called from any thread or a
 * signal handler: before the point of no return the job stops, the drive
 * is left as it was and the result is "interrupted"; once the drive was
 * changed the request is held (ODF_EV_NOTICE says so) and the job runs
 * its plan to the end, so that the drive is left safe and its state
 * known.  The library installs no signal handler.
 *
 * Sessions share nothing: two sessions on two drives may run at once in
 * two threads, on one context or on two.
 */
#ifndef ODF_SESSION_H
#define ODF_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/ctx.h"
#include "odf/error.h"
#include "odf/flash.h"
#include "odf/image.h"

enum odf_stage {
	ODF_STAGE_IDENTIFY = 0,
	ODF_STAGE_COMPAT,
	ODF_STAGE_PREFLIGHT,
	ODF_STAGE_BACKUP,
	ODF_STAGE_CONFIRM,
	ODF_STAGE_WRITE,
	ODF_STAGE_COME_BACK,
	ODF_STAGE_VERIFY,
	ODF_STAGE_JOURNAL,
	ODF_STAGE_COUNT
};
/* "identify", "compat", ... (stable words, for JSON). */
const char *odf_stage_name(enum odf_stage stage);

enum odf_event_kind {
	ODF_EV_STAGE = 0,	/* a stage is entered: .stage */
	ODF_EV_STEP_START,	/* a plan step starts: .step, .steps, .label */
	ODF_EV_STEP_DONE,	/* it ended: .step, .label, .status (0 or
				   a negative odf_err) */
	ODF_EV_PROGRESS,	/* .bytes_done of .bytes_total: bytes of
				   the image (not of what is sent) */
	ODF_EV_PONR_REACHED,	/* the drive is unsafe from this step on */
	ODF_EV_PONR_LEFT,	/* the drive is safe again */
	ODF_EV_NOTICE,		/* .notice: something the user must see now */
	ODF_EV_RESULT,		/* the job ended: .result */
	ODF_EV_CONFIRM,		/* the question is asked now (right after
				   this event the confirm callback is
				   called), or a dry run shows what it would
				   ask: .confirm */
};

enum odf_notice {
	ODF_NOTICE_NONE = 0,
	/* cancel (or a signal: .signal) came after the drive was changed:
	 * held, the plan runs to its end */
	ODF_NOTICE_CANCEL_HELD,
	/* a disc may be in the tray and --eject was given: it is ejected
	 * now (START STOP UNIT LoEj) */
	ODF_NOTICE_EJECT,
};

/* What a flash, recover or bootcode write will do, as its confirmation
 * names it (ODF_EV_CONFIRM).  Decided before the question: nothing before
 * it sends more than identification reads (INQUIRY, the vendor ID reads,
 * TEST UNIT READY, GET CONFIGURATION, one harmless path-probe read).
 * These are facts: the front end words the question from them
 * (odflash: cli/common/question.c) and gets them again in ui.confirm. */
enum odf_confirm_job {
	ODF_JOB_FLASH = 0,		/* firmware onto a working drive */
	ODF_JOB_RECOVER,		/* firmware onto a drive in any mode */
	ODF_JOB_BOOTCODE,		/* a raw bootcode (NEC): erases the
					   firmware too; needs a second, typed
					   confirmation (ui.confirm_typed) */
	ODF_JOB_LEAVE_MODE,		/* leave the vendor mode a read left
					   the drive in (.drive->mode): nothing
					   is written; .file is "" */
};
enum odf_backup_skip {
	ODF_BACKUP_TAKEN = 0,		/* .backup names the file */
	ODF_BACKUP_SKIP_ASKED,		/* the caller said no backup
					   (odf_flash_opts.no_backup) */
	ODF_BACKUP_SKIP_RECOVERY,	/* a recovery writes without one */
};
enum odf_disc_action {
	ODF_DISC_LEAVE = 0,		/* "no medium": nothing to do */
	ODF_DISC_EJECT,			/* a disc may be in: the tray is
					   opened first (odf_flash_opts.eject) */
	ODF_DISC_STOP,			/* the drive does not say "no
					   medium": it is stopped first (START
					   STOP UNIT, no eject) */
};
/* A range of the drive's own data a crossflash carries over into the new
 * image (odf_image_unit_ranges), and where it was taken from. */
struct odf_unit_source {
	uint32_t start, end;		/* in the image, end inclusive */
	const char *what;		/* "signature", "calibration", ... */
	const char *from;		/* the backup file, or NULL = the drive
					   itself (its own read-out, the
					   probe's odf_drive_ident.unit) */
	char sha256[65];		/* of the whole source: the backup
					   file, or the bytes the drive read
					   out */
};
#define ODF_UNIT_MAX 4

struct odf_confirm {
	bool dry_run;			/* not asked: a dry run shows it */
	enum odf_confirm_job job;
	const struct odf_drive_ident *drive;	/* as identified */
	const char *driver;		/* the family drive ID the driver
					   matched ("K350"), else the
					   driver's name */
	const char *file;
	const char *image_version;	/* "" when the file names none */
	enum odf_version_change version;	/* drive revision -> image */
	/* the drive's protection against older firmware (a phrase), NULL =
	 * none; a downgrade past it needs allow_downgrade */
	const char *downgrade_guard;
	const char *backup;		/* the file the backup goes to, "" =
					   none (then backup_skipped says why) */
	enum odf_backup_skip backup_skipped;
	/* the drive's protocol has no command that reads the firmware back:
	 * no backup can ever be made of it (the vendor's file of the
	 * firmware it runs now is the only way back) */
	bool no_read_back;
	enum odf_disc_action disc;
	bool eject;			/* = disc == ODF_DISC_EJECT */
	bool crossflash;		/* firmware for another model */
	const char *crossflash_from;	/* the drive's model ID */
	const char *crossflash_to;	/* the model the image is for */
	/* the drive's own data the crossflash keeps (n_unit 0 = none) */
	size_t n_unit;
	const struct odf_unit_source *unit;
	/* after the yes the drive enters safe mode for a moment to tell its
	 * bootcode version (NEC); for a firmware job the image must match
	 * it */
	bool learn_bootcode;
	/* ODF_JOB_BOOTCODE: what ui.confirm_typed wants typed */
	const char *typed_token;
};

struct odf_event {
	enum odf_event_kind kind;
	enum odf_stage stage;		/* the current stage */
	size_t step, steps;		/* 0-based step index, plan length */
	const char *label;		/* the step's label */
	int status;			/* STEP_DONE */
	uint64_t bytes_done, bytes_total; /* PROGRESS in the write stage:
					     bytes of the image the drive
					     has been sent, of all the plan
					     sends (= the image's size);
					     the padding, headers, keys and
					     parameter data of a protocol
					     are not counted.  In a dump:
					     bytes read. */
	enum odf_notice notice;
	int signal;			/* with CANCEL_HELD: the signal the
					   front end reported, 0 = none */
	const struct odf_flash_result *result;	/* RESULT */
	const struct odf_confirm *confirm;	/* CONFIRM */
	/* the drive as identified (every event once the identify stage
	 * has read it; NULL before) */
	const struct odf_drive_ident *drive;
	/* STEP_START, STEP_DONE, PROGRESS of a plan: the steps that move
	 * bytes of the image (write) or that keep what they read (read) are
	 * its blocks, numbered 1..blocks; .block is the block this step
	 * moves, or for a step that moves none the last block before it
	 * (0 = none yet) */
	size_t block, blocks;
};
typedef void (*odf_event_fn)(void *user, const struct odf_event *ev);

struct odf_session;

/* A session on the named device (any name odf_dev_open takes) and the
 * firmware file `image` (NULL for dump).  Nothing is opened or read yet:
 * each job opens the drive itself and reads the file.  ctx may be NULL
 * (defaults); it must outlive the session. */
int odf_session_new(struct odf_ctx *ctx, const char *device,
		    const char *image, struct odf_session **out,
		    struct odf_diag *d);
/* A session on a device the caller opened (odf_dev_open_ctx; flash,
 * recover and bootcode jobs need ODF_OPEN_WRITE).  The session borrows
 * dev and never closes it: the caller closes it after odf_session_free.
 * When the drive leaves the bus during a job (it reboots after a flash
 * and may re-enumerate), the session finds it again with odf_dev_reopen
 * on this same handle, so dev stays valid (it may be closed if the drive
 * never came back: see odf_dev_reopen).  The device's name
 * (odf_dev_get_info()->name) names it in messages, results and the
 * journal; commands are traced through the context dev was opened with.
 * image as for odf_session_new. */
int odf_session_new_dev(struct odf_ctx *ctx, struct odf_dev *dev,
			const char *image, struct odf_session **out,
			struct odf_diag *d);
/* Give the firmware (or, for a bootcode job, the bootcode) as bytes
 * instead of a file: len bytes at buf are copied, so buf may be freed
 * once this returns.  name is what messages, results and the journal call
 * the image in place of a file name (e.g. "ND3500A 2.00, downloaded");
 * NULL = "(memory)".  Replaces any file given to odf_session_new.
 * Returns 0, ODF_E_USAGE (no session, no bytes) or ODF_E_NOMEM. */
int odf_session_set_image(struct odf_session *s, const void *buf, size_t len,
			  const char *name, struct odf_diag *d);
void odf_session_free(struct odf_session *s);

void odf_session_set_events(struct odf_session *s, odf_event_fn fn,
			    void *user);
/* Ask to stop.  Async-signal-safe; sig is the signal that asked (0 for a
 * button).  Before the point of no return the job stops at the next step;
 * after it, it is held and the plan runs to its end. */
void odf_session_cancel(struct odf_session *s, int sig);

/* The jobs.  opts gives the options (the device and file fields of opts
 * are ignored: the session's own are used); r is filled
 * in every case; the return is 0 or the negative odf_err of r->err. */
int odf_session_flash(struct odf_session *s, const struct odf_flash_opts *o,
		      struct odf_flash_result *r, struct odf_diag *d);
int odf_session_recover(struct odf_session *s,
			const struct odf_flash_opts *o,
			struct odf_flash_result *r, struct odf_diag *d);
int odf_session_verify(struct odf_session *s, const struct odf_flash_opts *o,
		       struct odf_flash_result *r, struct odf_diag *d);
int odf_session_dump(struct odf_session *s, const struct odf_flash_opts *o,
		     struct odf_flash_result *r, struct odf_diag *d);
/* Take a drive that a read left in a vendor mode (NEC safe mode: the
 * journal's ODF_PICK_LEAVE_MODE) back to normal mode, writing nothing:
 * identify, confirm (ODF_JOB_LEAVE_MODE), the driver's leave plan
 * (odf_driver_ops.plan_leave; shown by a dry run), come back,
 * re-identify.  A drive already in normal mode: 0, nothing sent.  One
 * that comes back in the vendor mode again has no working firmware:
 * ODF_E_FLASH, r->needs_recover (a FILE is needed).  No image. */
int odf_session_leave_mode(struct odf_session *s,
			   const struct odf_flash_opts *o,
			   struct odf_flash_result *r, struct odf_diag *d);

#endif
