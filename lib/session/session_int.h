/* odflash session: internal header shared by the files of lib/session.
 *
 * A session is one job (flash, recover, verify, dump, bootcode) run as
 * stages on one struct odfi_session:
 *   session.c    the jobs and their stages (file, identify, compat, plan,
 *                verify), init/finish;
 *   confirm.c    the version facts and the confirmation's facts
 *                (ODF_EV_CONFIRM, ui.confirm; the front end words it);
 *   bootcode.c   the NEC bootcode job's own stages;
 *   preflight.c  mode, mounts, power, "no disc";
 *   exec.c       the plan executor (steps, retries, UAs, reopen, poll,
 *                signals, come back);
 *   backup.c     dump twice, backup file + JSON sidecar, the dump job;
 *   journal.c    the state directory, new-file writes, the journal
 *                (write-ahead: intent, outcome);
 *   recovery.c   what `recover DEVICE` without a file takes (public);
 *   lock.c       one writer per drive, keyed on its identity.
 */
#ifndef ODFI_SESSION_INT_H
#define ODFI_SESSION_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/ctx.h"
#include "odf/flash.h"
#include "odf/image.h"
#include "odf/plan.h"
#include "odf/session.h"
#include "odf/vendor.h"

enum op { OP_FLASH, OP_RECOVER, OP_VERIFY, OP_DUMP, OP_BOOTCODE };

/* What the drive needs before a write because it does not report "no
 * medium" (preflight decides, the question names it, odfi_stage_disc
 * sends it after the yes). */
enum odfi_disc { ODFI_DISC_NONE = 0, ODFI_DISC_EJECT, ODFI_DISC_STOP };

/* The public session (odf/session.h): what outlives one job. */
struct odf_session {
	struct odf_ctx *ctx;
	char *device, *image;	/* image: a file, or the bytes' name */
	struct odf_dev *dev;	/* odf_session_new_dev: the caller's */
	uint8_t *img_buf;	/* odf_session_set_image: owned copy */
	size_t img_len;
	odf_event_fn ev;
	void *ev_user;
	volatile sig_atomic_t cancelled;	/* odf_session_cancel */
	volatile sig_atomic_t cancel_sig;	/* the signal that asked */
};

struct odfi_session {
	struct odf_session *S;		/* events, cancel */
	const struct odf_ctx *ctx;	/* S->ctx: log, knobs, paths */
	enum odf_stage stage;		/* the stage running */
	const struct odf_flash_opts *o;
	struct odf_flash_result *r;
	enum op op;
	struct odf_image *img;
	size_t part;
	bool generic_img;	/* loaded as opaque SPC bytes */
	struct odf_diag img_err;	/* why detection failed */
	struct odf_dev *dev;	/* odfi_dev_open / odfi_dev_drop */
	bool dev_used;		/* the caller's handle was used once */
	const struct odf_driver *drv;
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan plan;
	struct odf_plan *cur;	/* the plan the executor runs: &plan, or a
				   read plan (reads.c) */
	uint8_t *boot;		/* OP_BOOTCODE: the bootcode file */
	size_t boot_len;
	unsigned fail_flags;	/* flags of the step that failed */
	bool rebooted;		/* the last plan run had a step marked
				   ODF_STEP_MAY_REBOOT fail as if the drive
				   had gone (exec.c) */
	enum odf_mode mode_kept;	/* a read left the drive in this
					   vendor mode (reads.c check_left);
					   ODF_MODE_NORMAL = none */
	char state_dir[4096];
	int lock_fd;		/* the drive lock (lock.c), -1 = none */
	char sysfs[4096];
	const char *mounts;
	const struct odfi_kind *kind;	/* write jobs: firmware or bootcode */
	char jid[64];		/* journal id of this run */
	bool intent_written;	/* the journal has this run's intent */
	bool write_intent;	/* ... its intent to write (phase "intent") */
	bool mode_written;	/* ... a vendor-mode read (odfi_journal_mode) */
	/* decided before the confirmation, named by it (confirm.c) */
	enum odfi_disc disc;
	bool disc_tur_good;		/* TEST UNIT READY said GOOD */
	char backup_path[4096];		/* "" = no backup */
	enum odf_backup_skip backup_skipped;	/* why not, when "" */
	enum odf_version_change vchange;	/* drive revision -> image */
	const char *guard;		/* the drive's anti-downgrade, or NULL */
	char xfrom[64], xto[64];	/* --crossflash: drive model -> image's */
	/* the unit's own data carried into R->img (unitdata.c) */
	bool unit_done;
	size_t n_unit;
	struct odf_unit_source unit[ODF_UNIT_MAX];
	char unit_file[4096];		/* the backup they came from */
	char asked_version[32];		/* the image version confirmed */
	bool learn_bootcode;		/* settle reads the bootcode version */
	char typed_token[48];		/* bootcode: the second confirmation's */
};

/* What differs between the two write jobs, firmware (flash, recover) and
 * bootcode: the rest of the flow (identify, preflight, path and plan
 * checks, dry run, write, come back, journal) is one (odfi_write_job). */
struct odfi_kind {
	const char *what;	/* "flash", "bootcode write": messages */
	int (*load)(struct odfi_session *R, struct odf_diag *d);    /* file */
	int (*fit)(struct odfi_session *R, struct odf_diag *d);     /* drive */
	int (*plan)(struct odfi_session *R, struct odf_diag *d);    /* driver */
	/* the backup's path and feasibility, before the question */
	int (*backup_decide)(struct odfi_session *R, struct odf_diag *d);
	/* a second confirmation after the first yes, NULL = none */
	int (*confirm2)(struct odfi_session *R, struct odf_diag *d);
	/* after the yes, before the backup: checks that need a vendor mode
	 * (NEC bootcode version: safe mode), NULL = none */
	int (*settle)(struct odfi_session *R, struct odf_diag *d);
	int (*backup)(struct odfi_session *R, struct odf_diag *d);
	int (*verify)(struct odfi_session *R, struct odf_diag *d);
};
extern const struct odfi_kind odfi_kind_firmware;	/* session.c */
extern const struct odfi_kind odfi_kind_bootcode;	/* bootcode.c */

/* ---- api.c ------------------------------------------------------------ */
/* Send ev (its stage filled in) to the session's event callback. */
void odfi_event(struct odfi_session *R, struct odf_event *ev);
/* Enter a stage: R->stage, ODF_EV_STAGE, a log line. */
void odfi_stage(struct odfi_session *R, enum odf_stage stage);
/* Has the job been asked to stop? */
bool odfi_cancelled(const struct odfi_session *R);
/* The signal that asked (0 = a cancel without one). */
int odfi_cancel_sig(const struct odfi_session *R);
/* Open the job's device: the session's device name, or the caller's
 * handle (odf_session_new_dev: used as it is the first time, reopened in
 * place after).  R->dev on success. */
int odfi_dev_open(struct odfi_session *R, struct odf_diag *d);
/* Let go of R->dev: closed when the job opened it, left to the caller
 * when it is the caller's.  R->dev = NULL. */
void odfi_dev_drop(struct odfi_session *R);
/* The image bytes given with odf_session_set_image (NULL = a file). */
const uint8_t *odfi_image_bytes(const struct odfi_session *R, size_t *len);
/* progress callback for the drivers' dump reads (ctx = R) */
void odfi_progress(void *ctx, const char *phase, uint64_t done,
		   uint64_t total);

/* ---- session.c -------------------------------------------------------- */
int odfi_stage_open_identify(struct odfi_session *R, struct odf_diag *d);
/* Start a job's run: R and the result zeroed and filled from S and o,
 * the diag cleared (every job's first lines: write, verify, leave-mode,
 * dump).  The jobs then differ, so each opens its own stages: write and
 * verify load the image before the drive (write journals its intent
 * between the two), leave-mode opens the drive alone, and dump refuses
 * an existing output file before its identify stage. */
void odfi_run_init(struct odfi_session *R, struct odf_session *S,
		   const struct odf_flash_opts *o, struct odf_flash_result *r,
		   enum op op, struct odf_diag *d);
int odfi_run_finish(struct odfi_session *R, int rc, struct odf_diag *d);
int odfi_dry_run_finish(struct odfi_session *R, struct odf_diag *d);
/* rc, or ODF_E_INTERRUPTED when a cancel came before anything changed
 * (a stage's own error other than "not confirmed" is kept). */
int odfi_cancel_after(struct odfi_session *R, int rc, struct odf_diag *d);
int odfi_learn_bootcode(struct odfi_session *R, struct odf_diag *d);
/* The revision a drive running the image reports (or its version). */
const char *odfi_image_revision(const struct odf_image_info *info);
int odfi_write_job(struct odf_session *S, const struct odf_flash_opts *o,
		   struct odf_flash_result *r, struct odf_diag *d, enum op op,
		   const struct odfi_kind *k);
int odfi_verify_job(struct odf_session *S, const struct odf_flash_opts *o,
		    struct odf_flash_result *r, struct odf_diag *d);
int odfi_dump_job(struct odf_session *S, const struct odf_flash_opts *o,
		  struct odf_flash_result *r, struct odf_diag *d);
int odfi_leave_mode_job(struct odf_session *S, const struct odf_flash_opts *o,
			struct odf_flash_result *r, struct odf_diag *d);

/* ---- exec.c ----------------------------------------------------------- */
void odfi_sleep_ms(const struct odfi_session *R, unsigned ms);
bool odfi_is_gone(int rc);
int odfi_reopen(struct odfi_session *R, struct odf_diag *d);
int odfi_still_there(struct odfi_session *R, struct odf_diag *d);
int odfi_stage_write(struct odfi_session *R, const char *what, struct odf_diag *d);
/* Run R->cur: the one executor of write and read plans. */
int odfi_run_plan(struct odfi_session *R, struct odf_diag *d);
/* Is the job asked to stop while nothing was changed?  Then
 * ODF_E_INTERRUPTED with d set (r->signal filled), else 0. */
int odfi_check_cancel(struct odfi_session *R, struct odf_diag *d);
/* Every CDB step of p fits the path (max_transfer, 0 = no cap), and
 * odf_plan_check. */
int odfi_plan_fits(const struct odf_plan *p, size_t max_transfer,
		   struct odf_diag *d);
/* Fill r->state with what the drive answers now (after a failure). */
void odfi_describe_state(struct odfi_session *R);
/* The drive needs a recover with file ("" = the firmware made for its
 * bootcode): r->needs_recover, r->recover_file. */
void odfi_needs_recover(struct odfi_session *R, const char *file);
/* The ODF_EV_CONFIRM event for c, then the answer (ui.confirm): 1 yes
 * (or a dry run, which only shows the question), 0 no, -1 no one to ask
 * (confirm.c). */
int odfi_confirm_ask(struct odfi_session *R, const struct odf_confirm *c);
/* A notice event for the user (worded by the CLI). */
void odfi_notice(struct odfi_session *R, enum odf_notice what);

/* ---- preflight.c ------------------------------------------------------ */
int odfi_stage_preflight(struct odfi_session *R, struct odf_diag *d);
/* After the confirmation: the eject or stop preflight decided. */
int odfi_stage_disc(struct odfi_session *R, struct odf_diag *d);

/* ---- confirm.c -------------------------------------------------------- */
/* Version order and the anti-downgrade rule (refused without
 * --allow-downgrade); no command is sent. */
int odfi_version_facts(struct odfi_session *R, struct odf_diag *d);
/* The confirmation (ODF_EV_CONFIRM, then ui.confirm and the kind's second
 * confirmation); a dry run sends the event and asks nothing. */
int odfi_stage_confirm(struct odfi_session *R, struct odf_diag *d);

/* ---- unitdata.c ------------------------------------------------------- */
/* A crossflash of a family whose images hold the unit's own data: take
 * it from this drive's verified backup and the drive's own read-out into
 * R->img, or refuse (ODF_E_SAFETY, ODF_R_NO_UNIT_DATA). */
int odfi_unit_data(struct odfi_session *R, struct odf_diag *d);

/* ---- backup.c --------------------------------------------------------- */
void odfi_now_iso(char *buf, size_t len, bool compact);
void odfi_safe_name(char *dst, size_t len, const char *src);
size_t odfi_read_cap(const struct odfi_session *R);
int odfi_dump_twice(struct odfi_session *R, uint8_t **out, size_t *len, struct odf_diag *d);
/* Before the confirmation: the backup's path, and whether there can be
 * one (a dry run reads once); after it: the backup itself. */
int odfi_backup_decide(struct odfi_session *R, struct odf_diag *d);
int odfi_stage_backup(struct odfi_session *R, struct odf_diag *d);
int odfi_boot_backup_decide(struct odfi_session *R, struct odf_diag *d);
int odfi_boot_backup(struct odfi_session *R, struct odf_diag *d);

/* ---- reads.c ---------------------------------------------------------- */
/* The reads of a job: through the driver's read plan (odf/plan.h "Reads
 * are plans too") run by the executor when it has one, else its direct
 * dump/verify/read_boot/read_bootcode op.  Same results as those ops. */
bool odfi_can_read(const struct odf_driver *drv, enum odf_read_kind kind);
int odfi_read_dump(struct odfi_session *R, const struct odf_dump_req *req,
		   uint8_t **out, size_t *len, struct odf_diag *d);
int odfi_read_verify(struct odfi_session *R, struct odf_drive_ident *id,
		     struct odf_diag *d);
int odfi_read_boot(struct odfi_session *R, struct odf_drive_ident *id,
		   uint8_t **out, size_t *len, struct odf_diag *d);
int odfi_read_bootcode(struct odfi_session *R, struct odf_diag *d);

/* ---- lock.c ------------------------------------------------------------ */
/* Take the drive's lock (after identify): ODF_E_BUSY "busy: odflash PID N
 * is flashing it" when another run holds it; a stale one is cleared with
 * a warning.  No state dir: no lock. */
int odfi_drive_lock(struct odfi_session *R, struct odf_diag *d);
void odfi_drive_unlock(struct odfi_session *R);
/* The device would not open (EBUSY: the sg driver's exclusive open): if
 * a live odflash holds a drive lock for a name that resolves to the same
 * H:C:T:L, say so in d ("busy: odflash PID N ..."). */
void odfi_drive_lock_holder(struct odfi_session *R, struct odf_diag *d);

/* ---- journal.c -------------------------------------------------------- */
void odfi_stage_journal(struct odfi_session *R, const char *msg);
/* The write-ahead lines: started (before the drive is opened), intent
 * (before the write stage); ODF_E_BACKUP when one cannot be written
 * (nothing changed then). */
int odfi_journal_intent(struct odfi_session *R, bool started,
			struct odf_diag *d);
/* A vendor-mode read's journal lines (journal.c): "mode" before it,
 * "started" after it. */
int odfi_journal_mode(struct odfi_session *R, enum odf_mode mode,
		      bool entering, struct odf_diag *d);
/* mkdir -p with mode 0700. */
int odfi_mkdirs(const char *path, struct odf_diag *d);
/* Create path (never overwrite: O_EXCL) and write buf fully, fsync'd;
 * errors are returned as `err`. */
int odfi_write_new_file(const char *path, const uint8_t *buf, size_t len,
			int err, struct odf_diag *d);

#endif
