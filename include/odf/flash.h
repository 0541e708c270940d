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

struct odf_flash_ui {
	/* Ask the user; return 1 = yes, 0 = no, -1 = cannot ask (no
	 * terminal).  NULL = never confirmed (the pipeline refuses).  The
	 * question names everything that will happen; ODF_EV_CONFIRM
	 * (odf/session.h) gives the same facts as data just before.  A dry
	 * run never calls it. */
	int (*confirm)(void *ctx, const char *question);
	void *confirm_ctx;
	/* --dry-run: called with the plan instead of running it. */
	void (*show_plan)(void *ctx, const struct odf_plan *plan);
	void *plan_ctx;
	/* --bootcode: the second, separate confirmation.  Return 1 only
	 * when the user typed `token` exactly (or gave the explicit script
	 * flag), 0 = refused, -1 = cannot ask.  NULL = never confirmed. */
	int (*confirm_typed)(void *ctx, const char *question,
			     const char *token);
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
	char state[512];	/* the drive's state after a failure */
	/* A drive left needing a recover (a failed flash; a bootcode write,
	 * which erases the firmware): the device to recover and the file
	 * to recover it with ("" = the firmware made for the drive's
	 * bootcode, which the job does not know). */
	bool needs_recover;
	char device[4096];
	char recover_file[4096];
	/* The confirmation the job asked (a dry run: would ask), "" when it
	 * got no further; the same facts as data: ODF_EV_CONFIRM. */
	char question[1536];
};

/* The jobs run through a session: odf/session.h. */

/* ---- state: backups and the journal ------------------------------------- */
/* The state directory is the caller's: odf_flash_opts.state_dir or the
 * context's ODF_PATH_STATE_DIR (the CLI uses $XDG_STATE_HOME/odflash,
 * else ~/.local/state/odflash). */

struct odf_journal_entry {
	char time[32];		/* ISO 8601 UTC */
	char op[16];		/* "flash", "recover", "dump", "verify" */
	char device[256];
	char file[4096];
	char sha256[65];
	char result[16];
	int err;		/* the outcome's enum odf_err ("error", by
				   name: odf_err_name), 0 when ok */
	int exit_code;		/* only in lines older versions wrote (they
				   recorded odflash's exit code), else -1 */
	char vendor[9], product[17];
	char rev_before[5], rev_after[5];
	char target[32];
	char serial[64];
	char backup[4096];
	char message[256];
};
/* Append one JSON line to <state_dir>/journal.jsonl. */
int odf_journal_append(const char *state_dir,
		       const struct odf_journal_entry *e, struct odf_diag *d);
/* Read every entry (malformed lines are skipped); *list malloc'd. */
int odf_journal_read(const char *state_dir, struct odf_journal_entry **list,
		     size_t *n, struct odf_diag *d);

/* ---- preflight pieces (exposed for tests) --------------------------------- */
/* 1 when block_path (e.g. /dev/sr0) is mounted per the mounts file. */
int odf_preflight_mounted(const char *mounts, const char *block_path);
/* 0 when on mains or no battery exists; ODF_E_SAFETY on battery only. */
int odf_preflight_power(const char *sysfs_root, struct odf_diag *d);

#endif
