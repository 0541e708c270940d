/* odflash: a flash is a plan.
 *
 * A vendor driver never flashes by itself.  From the drive identity, the
 * parsed image and the limits of the path it builds a plan: an ordered
 * list of steps (send this CDB with this slice of data, wait, poll until
 * ready, reopen the drive, drain unit attentions), each with its timeout,
 * its progress weight, whether it is past the point of no return, and how
 * to retry it.  The pipeline (odf/flash.h) runs plans; --dry-run prints
 * them.  A plan is plain data, so tests compare it with the public traces
 * (binflash's 77 commands for the NEC 1 MiB family,
 * docs/internals/protocols.md §2.5).
 *
 * Also declared here: the operations table of a vendor driver
 * (struct odf_driver_ops, pointed to by struct odf_driver in
 * odf/vendor.h).
 */
#ifndef ODF_PLAN_H
#define ODF_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/error.h"
#include "odf/ident.h"
#include "odf/image.h"
#include "odf/transport.h"

enum odf_step_kind {
	ODF_STEP_CMD = 0,	/* send cdb (+ data slice) */
	ODF_STEP_WAIT,		/* sleep wait_ms */
	ODF_STEP_POLL_READY,	/* TEST UNIT READY until GOOD or "no
				   medium" (drive answering), draining unit
				   attentions, for at most timeout_ms */
	ODF_STEP_REOPEN,	/* close and reopen the device by identity
				   (it may have re-enumerated): each open
				   sends INQUIRY, INQUIRY VPD 00h and (when
				   listed) VPD 80h, the model and serial
				   compared with the drive's */
	ODF_STEP_DRAIN_UA,	/* TEST UNIT READY until no UA pending */
};
const char *odf_step_kind_name(enum odf_step_kind k);

/* Step flags. */
#define ODF_STEP_PONR 0x01	/* this step changes the flash: from here on
				   the drive is unsafe until ODF_STEP_SAFE */
#define ODF_STEP_MAY_REBOOT 0x02 /* an error may only mean the drive
				   rebooted (last command of a commit): treat
				   as "unknown", come back and re-identify */
/* 0x04 is free (was UA_RETRY, which nothing read): the executor drains a
 * UNIT ATTENTION answer (06/29, 06/2A, 06/3F...) and resends the command
 * for every command step; the UA means the command was not executed. */
#define ODF_STEP_CLEANUP 0x08	/* also run when an earlier step failed
				   (leave safe mode); failure is logged only */
#define ODF_STEP_SAFE 0x10	/* once done, the drive is safe again (out of
				   the unsafe window) */
#define ODF_STEP_NORMAL_ONLY 0x20 /* needs the drive in normal mode (enter
				   safe mode): the executor leaves it out
				   when the drive was identified in safe or
				   boot mode (a recovery) */
#define ODF_STEP_STATUS_ONLY 0x40 /* only the status matters (binflash
				   SetSafeMode looks at nothing else): the
				   executor takes CHECK CONDITION with sense
				   key RECOVERED ERROR (01h: "the command
				   completed successfully, with some
				   recovery action", SPC-4 4.5.6 table 48)
				   as done */
#define ODF_STEP_BOOTBLOCK 0x80	/* rewrites the drive's boot code: if it
				   does not complete, the drive may run no
				   code at all (not recoverable by software) */
#define ODF_STEP_FAILURE_ONLY 0x100 /* with ODF_STEP_CLEANUP: sent only
				   after an earlier step failed, skipped in
				   a run that goes well */
#define ODF_STEP_REJECT_SAFE 0x200 /* a sense that refuses the command
				   itself (05/20/00 INVALID COMMAND
				   OPERATION CODE, 05/24/00 INVALID FIELD IN
				   CDB, 02/3A/xx MEDIUM NOT PRESENT) means
				   the drive did not act on it:
				   when this is the point-of-no-return step
				   (nothing changed before it), the run ends
				   as a refusal, "drive untouched" (exit 3),
				   not as a failed flash; no retry */
#define ODF_STEP_FATAL_SENSE 0x400 /* POLL_READY: a MEDIUM ERROR, HARDWARE
				   ERROR or ILLEGAL REQUEST answer ends the
				   poll at once as a failure (the drive says
				   the update failed: dsd-nexus ps3drive_fw.c
				   stops on 04/3E/01, 05/24/00, 05/26/00) */
#define ODF_STEP_KEEP_IN 0x800	/* IN step: what the drive sends is kept in
				   plan->data at data_off (instead of being
				   dropped), for a computed step to read */

#define ODF_STEP_LABEL_MAX 48

/* Computed data-out.  Some protocols answer a challenge: the bytes of a
 * later OUT step depend on what the drive sent earlier in the same run
 * (Pioneer DVR-103/104: data seeded by the drive, then the answer).  A
 * plan stays a fixed list of steps: such an OUT step names the earlier
 * IN step (src_step, index in the plan, with ODF_STEP_KEEP_IN) and a
 * driver function; the pipeline calls it just before sending, with the
 * bytes the source step read and the step's own slice of plan->data to
 * fill.  It returns 0, or a negative ODF_E_* with diag set: the step then
 * fails without anything sent.  --dry-run shows the step as "(computed
 * from step N)"; the slice holds zeros until the run fills it. */
typedef int (*odf_step_fill_fn)(const uint8_t *in, size_t in_len,
				uint8_t *out, size_t out_len,
				struct odf_diag *d);

struct odf_plan_step {
	enum odf_step_kind kind;
	uint8_t cdb[ODF_CDB_MAX];
	size_t cdb_len;
	enum odf_dir dir;
	size_t data_off;	/* slice of plan->data for ODF_DIR_OUT */
	size_t data_len;	/* bytes moved (IN: bytes read and dropped) */
	unsigned timeout_ms;	/* command timeout / poll budget */
	unsigned wait_ms;	/* ODF_STEP_WAIT, and delay between retries */
	unsigned weight;	/* progress units */
	size_t image_bytes;	/* bytes of the firmware image this step
				   carries (the session's progress counts
				   these): in its data-out, the rest being
				   padding, headers or parameter data, or
				   in its CDB (NEC: the file's checksum
				   word) */
	unsigned flags;		/* ODF_STEP_* */
	unsigned retries;	/* extra attempts when the step fails */
	char label[ODF_STEP_LABEL_MAX];	/* "erase block 3" */
	odf_step_fill_fn fill;	/* OUT: computed data-out, NULL = none */
	size_t src_step;	/* with fill: the earlier KEEP_IN step */
};

struct odf_plan {
	char driver[16];	/* driver that built it */
	char what[96];		/* "NEC 1 MiB (K350): binflash Flash1M" */
	size_t chunk;		/* data bytes per transfer command chosen */
	struct odf_plan_step *steps;
	size_t n, cap;
	uint8_t *data;		/* owned: what the OUT steps send */
	size_t data_len;
	bool recovery;		/* built for a drive in safe/boot mode */
	bool read;		/* a read plan (odf_driver_ops.plan_read):
				   changes nothing stored, has no point of
				   no return */
	enum odf_mode enters;	/* a read plan that enters a vendor mode
				   and leaves it (a CLEANUP step): that
				   mode (NEC: ODF_MODE_SAFE); NORMAL =
				   none.  The session journals it before the
				   plan runs (a run killed in it is
				   "interrupted" with `odflash recover
				   DEVICE`, which leaves the mode) */
};

/* Path limits handed to a planner. */
struct odf_path_limits {
	size_t max_transfer;	/* bytes per command the path carries, 0 =
				   unknown (no cap) */
	size_t forced_chunk;	/* --chunk, 0 = choose */
	uint32_t offset_boundary; /* SPC READ BUFFER descriptor: offsets are
				   multiples of this (bytes), 0 = unknown */
	uint32_t buffer_capacity; /* SPC descriptor capacity, 0 = unknown */
};

/* Pick a chunk: the largest multiple of `align` that is <= proto_max,
 * <= max_transfer (when known) and <= forced (when given).  Returns 0 and
 * *chunk, or ODF_E_PATH (diag says why) when even one `align` unit does
 * not fit, or ODF_E_USAGE when forced is not a multiple of align. */
int odf_plan_choose_chunk(size_t align, size_t proto_max,
			  const struct odf_path_limits *lim, size_t *chunk,
			  struct odf_diag *d);

void odf_plan_init(struct odf_plan *p, const char *driver);
/* Free the steps and data (not the struct itself). */
void odf_plan_release(struct odf_plan *p);
/* Take ownership of data (malloc'd). */
void odf_plan_set_data(struct odf_plan *p, uint8_t *data, size_t len);
/* Append a step (copied); returns it for the caller to adjust, NULL when
 * out of memory (the plan is left as it was). */
struct odf_plan_step *odf_plan_add(struct odf_plan *p,
				   const struct odf_plan_step *s);
/* Append a CDB step. */
struct odf_plan_step *odf_plan_add_cmd(struct odf_plan *p, const uint8_t *cdb,
				       size_t cdb_len, enum odf_dir dir,
				       size_t data_off, size_t data_len,
				       unsigned timeout_ms, unsigned weight,
				       unsigned flags, const char *label);
/* Make step i (an OUT command) computed from the earlier step src (an
 * IN command, given ODF_STEP_KEEP_IN here).  Returns 0, or ODF_E_INTERNAL
 * when the steps do not fit that shape. */
int odf_plan_set_computed(struct odf_plan *p, size_t i, size_t src,
			  odf_step_fill_fn fill);
/* Is the plan consistent: every OUT slice (and every KEEP_IN slice) inside
 * plan->data, image_bytes only on commands that send that much (data-out,
 * or CDB for a command without data), every
 * computed step fed by an earlier KEEP_IN IN step?
 * Returns 0, or ODF_E_INTERNAL with diag naming the step. */
int odf_plan_check(const struct odf_plan *p, struct odf_diag *d);
struct odf_plan_step *odf_plan_add_kind(struct odf_plan *p,
					enum odf_step_kind k, unsigned ms,
					unsigned weight, unsigned flags,
					const char *label);
unsigned odf_plan_total_weight(const struct odf_plan *p);
/* Index of the first ODF_STEP_PONR step, or p->n when none. */
size_t odf_plan_ponr(const struct odf_plan *p);
/* Number of ODF_STEP_CMD steps. */
size_t odf_plan_commands(const struct odf_plan *p);
/* Bytes of the image the plan sends: the image_bytes of its steps but
 * those sent only after a failure (ODF_STEP_FAILURE_ONLY). */
uint64_t odf_plan_image_bytes(const struct odf_plan *p);

/* Progress: done/total in plan weight units (or bytes for dumps); the
 * same shape as the CLI's cli_progress_cb. */
typedef void (*odf_progress_fn)(void *ctx, const char *phase, uint64_t done,
				uint64_t total);

/* What a driver may be asked for a dump. */
struct odf_dump_req {
	bool raw;		/* whole flash as read, no file wrapper */
	odf_progress_fn progress;
	void *progress_ctx;
	size_t max_transfer;	/* bytes per read command at most: the
				   path's cap or --chunk; 0 = the driver's
				   own size */
};

/* ---- driver operations -------------------------------------------------- */
/* Reads are plans too.  A read that needs a vendor mode (NEC safe mode)
 * is built by the driver as a bracketed read plan -- enter the mode, the
 * reads (ODF_STEP_KEEP_IN: what the drive sends lands in plan->data at
 * each step's data_off), leave the mode (ODF_STEP_CLEANUP: also run after
 * a failed step or a cancel) -- that the session's plan executor runs
 * under the same signal policy as a write and `--dry-run` shows; the
 * driver then makes the result from the bytes kept. */
enum odf_read_kind {
	ODF_READ_DUMP = 0,	/* the firmware (odf_dump_req: raw or file) */
	ODF_READ_VERIFY,	/* the flash body, compared with an image */
	ODF_READ_BOOT,		/* the boot code (NEC ReadBoot) */
	ODF_READ_BOOTCODE,	/* the bootcode version (NEC: INQUIRY in safe
				   mode, into id->bootcode) */
};

/* What odf_driver_ops.plan is asked to build. */
enum odf_plan_kind {
	ODF_PLAN_FLASH = 0,	/* the drive runs its firmware */
	ODF_PLAN_RECOVER,	/* the drive is stuck in safe or boot mode */
};

struct odf_driver_ops {
	size_t chunk_align;	/* transfer sizes are multiples of this */
	size_t chunk_max;	/* largest transfer the protocol allows */
	const char *dump_ext;	/* default file extension ".bin" */
	/* dump NULL: why the protocol has no dump, one clause shown
	 * by `odflash dump` ("the X protocol has no command that reads the
	 * firmware back"); NULL = a generic sentence. */
	const char *no_dump;

	/* Read the firmware into *out (malloc'd, caller frees): the
	 * family's own file format (flashable back), or the raw flash.
	 * NULL when the protocol cannot read the firmware back. */
	int (*dump)(struct odf_dev *dev, const struct odf_drive_ident *id,
		    const struct odf_dump_req *req, uint8_t **out,
		    size_t *len, struct odf_diag *d);
	/* Fill *lim from what only the driver knows (SPC READ BUFFER
	 * descriptor) and prove the path carries the vendor commands with
	 * one harmless read (NEC: ReadRAM of the ID).  Read-only. */
	int (*path_probe)(struct odf_dev *dev, const struct odf_drive_ident *id,
			  struct odf_path_limits *lim, struct odf_diag *d);
	/* Extra identity the probe must not fetch because it changes the
	 * drive's state momentarily (NEC bootcode: enter safe mode,
	 * INQUIRY, leave).  May be NULL. */
	int (*read_bootcode)(struct odf_dev *dev, struct odf_drive_ident *id,
			     struct odf_diag *d);
	/* Build the plan to put part `part` of img onto the drive: kind
	 * ODF_PLAN_FLASH for a drive running its firmware, ODF_PLAN_RECOVER
	 * for a drive stuck in safe or boot mode (the flash plan minus the
	 * steps that need normal mode; plan->recovery set). */
	int (*plan)(const struct odf_drive_ident *id,
		    const struct odf_image *img, size_t part,
		    const struct odf_path_limits *lim, enum odf_plan_kind kind,
		    struct odf_plan *plan, struct odf_diag *d);
	/* Plan to flash a bootcode (NEC); NULL when unsupported. */
	int (*plan_bootcode)(const struct odf_drive_ident *id,
			     const uint8_t *boot, size_t len,
			     const struct odf_path_limits *lim,
			     struct odf_plan *plan, struct odf_diag *d);
	/* Read the drive's boot code (NEC ReadBoot) into *out (malloc'd);
	 * NULL when the protocol cannot.  May enter and leave safe mode. */
	int (*read_boot)(struct odf_dev *dev, const struct odf_drive_ident *id,
			 uint8_t **out, size_t *len, struct odf_diag *d);
	/* The drive's own protection against older firmware, one phrase
	 * for the confirmation ("the DVR-103/104 anti-downgrade
	 * challenge"), or NULL when it has none (or this is NULL): a
	 * downgrade of such a drive needs --allow-downgrade
	 * (odf_flash_opts.allow_downgrade).  No command is sent. */
	const char *(*downgrade_guard)(const struct odf_drive_ident *id);
	/* Compare the drive with an image after a flash: 0 when the drive
	 * holds it, ODF_E_VERIFY when not.  NULL = compare dump() with the
	 * image payload. */
	int (*verify)(struct odf_dev *dev, const struct odf_drive_ident *id,
		      const struct odf_image *img, size_t part,
		      struct odf_diag *d);
	/* Reads as plans (see enum odf_read_kind).  A driver with
	 * plan_read answers every read kind it supports through it, and
	 * the session uses it instead of dump, verify, read_boot and
	 * read_bootcode (which such a driver leaves NULL; it can dump when
	 * plan_read accepts ODF_READ_DUMP).  plan_read builds the plan (raw:
	 * odf_dump_req.raw) or returns ODF_E_UNSUPPORTED with d set;
	 * read_result makes the result from the plan the executor ran:
	 * DUMP and BOOT fill *out (malloc'd) and *len, VERIFY compares with
	 * img/part (ODF_E_VERIFY when they differ), BOOTCODE fills
	 * id->bootcode. */
	int (*plan_read)(const struct odf_drive_ident *id,
			 enum odf_read_kind kind, bool raw,
			 struct odf_plan *plan, struct odf_diag *d);
	int (*read_result)(struct odf_drive_ident *id, enum odf_read_kind kind,
			   bool raw, const struct odf_plan *plan,
			   const struct odf_image *img, size_t part,
			   uint8_t **out, size_t *len, struct odf_diag *d);
	/* The plan that takes a drive found in a vendor mode (id->mode,
	 * e.g. NEC safe mode) back to normal mode without writing anything:
	 * the leave step of plan_read's bracket, no point of no return.  For
	 * a drive a read left there (odf_session_leave_mode); a drive whose
	 * firmware is broken comes back in that mode again.  NULL = the
	 * family has no such command. */
	int (*plan_leave)(const struct odf_drive_ident *id,
			  struct odf_plan *plan, struct odf_diag *d);
};

#endif
