/* odflash: the safe flashing pipeline.
 *
 * flash:   validate file -> open exclusively -> identify, pick driver ->
 *          compatibility, version order -> preflight (disc, mounts,
 *          power, mode) -> path check + plan -> backup path decided ->
 *          confirm (the question names the backup, an eject, a downgrade
 *          or same-version reflash, a crossflash; nothing before it
 *          changes or reads more than the drive's identity) -> the checks
 *          that need a vendor mode (NEC bootcode), eject -> backup (dump
 *          twice, compare, store) -> run plan (signals held past the
 *          point of no return) -> come back (poll, reopen, drain UAs) ->
 *          verify -> journal.
 * recover: the same for a drive in safe/boot mode (no backup, recovery
 *          plan), and for a drive that still runs: a plain reflash.
 * flash --bootcode: the same stages for a drive's boot code (NEC), with
 *          a second, typed confirmation; the firmware area is erased by
 *          the protocol, so a firmware flash (recover) must follow.
 * verify, dump: the read-only halves.
 * Errors before the plan runs leave the drive untouched (an error of
 * class DEVICE, REJECTED, FILE or REFUSED: odf_err_class); after it
 * starts, a failure returns ODF_E_FLASH with the drive's state and what
 * a recover needs (device, file) in the result.
 */
#ifndef ODF_FLASH_H
#define ODF_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/error.h"
#include "odf/ident.h"
#include "odf/plan.h"

struct odf_confirm;	/* odf/session.h */

struct odf_flash_ui {
	/* Ask the user whether to do what c names (everything that will
	 * happen: odf/session.h struct odf_confirm, the same facts
	 * ODF_EV_CONFIRM gave just before); return 1 = yes, 0 = no, -1 =
	 * cannot ask (no terminal).  NULL = never confirmed (the pipeline
	 * refuses).  A dry run never calls it. */
	int (*confirm)(void *ctx, const struct odf_confirm *c);
	void *confirm_ctx;
	/* --dry-run: called with the plan instead of running it. */
	void (*show_plan)(void *ctx, const struct odf_plan *plan);
	void *plan_ctx;
	/* A bootcode write: the second, separate confirmation, after the
	 * first yes.  Return 1 only when the user typed `token` exactly (or
	 * gave an explicit script option), 0 = refused, -1 = cannot ask.
	 * NULL = never confirmed. */
	int (*confirm_typed)(void *ctx, const char *token);
	void *typed_ctx;
};

struct odf_flash_opts {
	const char *device;
	const char *file;		/* firmware (flash/recover/verify) */
	const char *out;		/* dump: output file (NULL = default) */
	bool dry_run, no_backup, crossflash, raw;
	bool bootcode;			/* flash: FILE is a raw bootcode (NEC) */
	bool eject;			/* a disc in the tray: eject it (else refused) */
	bool allow_downgrade;		/* older firmware on a drive that guards
					   against it (driver downgrade_guard) */
	const char *backup_path;	/* --backup FILE, NULL = automatic */
	/* a word in the automatic backup's name after the revision (a
	 * front end flashing several drives at once: the drive's serial),
	 * NULL = none */
	const char *backup_tag;
	size_t chunk;			/* --chunk, 0 = choose */
	/* Roots for tests; NULL = the context's paths (odf/ctx.h), else
	 * the system default. */
	const char *sysfs_root;		/* "/sys" (power supplies) */
	const char *mounts;		/* "/proc/self/mounts" */
	const char *state_dir;		/* ".../odflash" */
	unsigned reopen_tries;		/* 0 = 30 */
	unsigned reopen_delay_ms;	/* 0 = the context's knob, else 500 */
	struct odf_flash_ui ui;
};

/* The outcome of a job, as data: a front end words it and maps err's
 * class to its exit code (odflash: cli/common). */
struct odf_flash_result {
	const char *result;	/* "ok", "dry-run", "refused", "rejected",
				   "failed", "verify-failed",
				   "cannot-verify", "interrupted", "error" */
	int err;		/* the job's enum odf_err, 0 when ok */
	char driver[16];
	struct odf_drive_ident before, after;
	char sha256[65];	/* image payload (flash/verify) or dump */
	size_t size;
	char out[4096];		/* dump file written */
	char backup[4096];	/* backup written, "" if none */
	bool changed;		/* the plan went past the point of no return */
	bool readback;		/* verified by reading the flash back */
	int signal;		/* signal received during the run, 0 if none */
	size_t commands;	/* commands the plan sent */
	size_t plan_steps;
	const char *dump_check;	/* dump, backup: "checksum-good",
				   "no-checksum" (parsed; the format has
				   none), "raw" (not a file: not parsed),
				   "not-valid" (kept as found); NULL = no
				   dump was checked */
	char state[512];	/* the drive's state after a failure */
	/* A drive left needing a recover (a failed flash; a bootcode write,
	 * which erases the firmware): the device to recover and the file
	 * to recover it with ("" = the firmware made for the drive's
	 * bootcode, which the job does not know). */
	bool needs_recover;
	char device[4096];
	char recover_file[4096];
	/* the file is another model's (the job was a crossflash): the
	 * recover needs odf_flash_opts.crossflash too */
	bool recover_crossflash;
	/* the drive only needs its vendor mode left (a read left it there,
	 * nothing was written): the recover is `odflash recover DEVICE`
	 * without a file (odf_session_leave_mode); recover_file is "" */
	bool recover_leave;
};

/* The jobs run through a session: odf/session.h. */

/* ---- state: backups and the journal ------------------------------------- */
/* The state directory is the caller's: odf_flash_opts.state_dir or the
 * context's ODF_PATH_STATE_DIR (the CLI uses $XDG_STATE_HOME/odflash,
 * else ~/.local/state/odflash). */

/* The journal is write-ahead: a run that may write the drive appends a
 * "started" line before it opens the drive, an "intent" line (identity,
 * serial, file, sha256, backup, plan size) before the first command that
 * can change the drive, each fsync'd, and the "outcome" line with the same
 * id when it ends.  A read merges them; a run without an outcome (odflash
 * killed, the host lost power) reads as result "interrupted" with
 * outcome_recorded false, its phase saying how far it got ("started": the
 * drive was not written; "intent": it may be half written).  Dumps,
 * verifies and runs that stopped before identifying have one line
 * (phase ""). */
struct odf_journal_entry {
	char id[64];		/* one run: intent and outcome share it */
	char phase[12];		/* "started", "mode", "intent", "outcome",
				   "" */
	char mode[16];		/* phase "mode": the vendor mode a read
				   entered ("safe"), journaled before the
				   read; a later "started" line of the run
				   says it was left; an outcome line names
				   it when the read left the drive in it
				   (mode-kept) */
	char time[32];		/* ISO 8601 UTC */
	char op[16];		/* "flash", "recover", "dump", "verify",
				   "bootcode" */
	char device[256];
	char file[4096];	/* absolute where it could be resolved */
	char sha256[65];
	char result[16];
	int err;		/* the outcome's enum odf_err ("error", by
				   name: odf_err_name), 0 when ok or when
				   no outcome was recorded */
	int exit_code;		/* only in lines older versions wrote (they
				   recorded odflash's exit code), else -1 */
	char vendor[9], product[17];
	char rev_before[5], rev_after[5];
	char target[32];
	char serial[64];
	char backup[4096];
	char message[256];
	size_t plan_steps;	/* steps of the plan that was run, 0 = none */
	bool crossflash;	/* firmware for another model (--crossflash):
				   its recover needs --crossflash too */
	bool outcome_recorded;	/* false: started/intent, no outcome */
};
/* Append one JSON line to <state_dir>/journal.jsonl (fsync'd).  A line
 * left without its newline by a cut is closed first, so it cannot spoil
 * the new line. */
int odf_journal_append(const char *state_dir,
		       const struct odf_journal_entry *e, struct odf_diag *d);
/* Read every entry, oldest first, an intent merged with its outcome;
 * *list malloc'd.  Lines that are not one whole JSON object (a line cut
 * by a crash: no newline, half JSON) are skipped and counted in *skipped
 * (may be NULL). */
int odf_journal_read(const char *state_dir, struct odf_journal_entry **list,
		     size_t *n, size_t *skipped, struct odf_diag *d);

/* `odflash recover DEVICE` without a file: what the journal offers for a
 * drive.  An entry belongs to the drive when serial and model match, or,
 * when the drive or the entry has no serial, device name and model. */
enum odf_pick_why {
	ODF_PICK_NONE = 0,	/* nothing usable recorded for this drive */
	ODF_PICK_UNFINISHED,	/* the last flash of the drive did not end
				   well (interrupted, failed): its file */
	ODF_PICK_BACKUP,	/* the drive's last backup (a good dump) */
	ODF_PICK_LEAVE_MODE,	/* the drive is in a vendor mode (safe) and
				   its last run was killed during a read in
				   that mode (phase "mode"), before any write
				   intent, or ended saying the read left it
				   there: leave the mode, flash nothing
				   (odf_session_leave_mode); .file is "" */
};
struct odf_recovery_pick {
	enum odf_pick_why why;
	bool by_serial;		/* matched by serial + model (else device
				   name + model) */
	char file[4096];
	char time[32];		/* of the journal entry */
	char op[16], result[16];	/* the entry's op and result */
	char rev_before[5];	/* the entry's revision before */
	/* a candidate passed over: its file is gone or no longer has the
	 * recorded sha256 ("" = none) */
	char passed_over[4096];
	char passed_why[16];	/* "missing" or "changed" */
	char mode[16];		/* ODF_PICK_LEAVE_MODE: the entry's mode */
	bool crossflash;	/* the entry's flash was a crossflash: the
				   recover needs --crossflash too */
};
int odf_journal_pick_recovery(const char *state_dir, const char *device,
			      const struct odf_drive_ident *drive,
			      struct odf_recovery_pick *pick,
			      struct odf_diag *d);

/* ---- preflight pieces (exposed for tests) --------------------------------- */
/* 1 when block_path (e.g. /dev/sr0) is mounted per the mounts file. */
int odf_preflight_mounted(const char *mounts, const char *block_path);
/* 0 when on mains or no battery exists; ODF_E_SAFETY on battery only. */
int odf_preflight_power(const char *sysfs_root, struct odf_diag *d);

#endif
