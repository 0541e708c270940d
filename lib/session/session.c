/* odflash session: the jobs of odf/flash.h and their stages.  Each stage
 * is its own function on one struct odfi_session and logs what it does.
 *
 * Public facts the stages rest on (docs/internals/protocols.md §1.7-§1.9):
 *  - every flasher requires "no medium" 02/3A/00 before flashing
 *    (binflash IsUnitReady loop, DVRFlash, pxfw);
 *  - transfer caps: Linux usb-storage 120 KiB / 32 KiB quirk
 *    (drivers/usb/storage/scsiglue.c); SG_IO larger than max_hw_sectors
 *    fails (sg_write_buffer man page): chunk to the path's cap;
 *  - bridges drop vendor opcodes (binflash README): one harmless vendor
 *    read before anything is written;
 *  - the last command of a commit may "fail" because the drive reboots
 *    (pxfw, coastermelt, redumper): treat as unknown, come back, re-ID;
 *  - drives re-enumerate after a flash (rpc1dev/DVRFlash DVRFlash.cpp
 *    leaves it as an open problem in a comment; OmniDrive issue #25):
 *    reopen by identity with bounded retries;
 *  - unit attentions 06/29, 06/3F/01, 06/3F/16 after a change
 *    (drivers/scsi/scsi_debug.c): drain them;
 *  - NEC tools use 300 s timeouts (binflash drive.cpp);
 *  - binflash tries to leave safe mode on every failure (globals sm0/sm1
 *    in necinterface.cpp FlashFirmware).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "odf/image.h"
#include "odf/scsi.h"
#include "odf/transport.h"
#include "odf/vendor.h"
#include "session/session_int.h"

/* ---- stage 1: the file ------------------------------------------------------ */
/* The file, or the bytes given with odf_session_set_image (R->o->file is
 * then their name). */
static int
load_image(struct odfi_session *R, enum odf_family hint, struct odf_diag *d)
{
	size_t len;
	const uint8_t *b = odfi_image_bytes(R, &len);

	if (b)
		return odf_image_parse(b, len, R->o->file, hint, &R->img, d);
	return odf_image_load(R->o->file, hint, &R->img, d);
}

static int
stage_load_image(struct odfi_session *R, struct odf_diag *d)
{
	int rc;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: read and check %s", R->o->file);
	odf_diag_clear(&R->img_err);
	rc = load_image(R, ODF_FAMILY_UNKNOWN, &R->img_err);
	if (rc == ODF_E_FORMAT) {
		/* Not a known vendor format: it may still be an opaque image
		 * for the standard path; decided once the driver is known. */
		rc = load_image(R, ODF_FAMILY_SPC, d);
		if (rc < 0) {
			if (d)
				*d = R->img_err;
			return ODF_E_FORMAT;
		}
		R->generic_img = true;
		return 0;
	}
	if (rc < 0) {
		if (d)
			*d = R->img_err;
		return rc;
	}
	/* Every part must be sound; a bad checksum is refused here, before
	 * any device is opened. */
	for (size_t p = 0; p < odf_image_parts(R->img); p++) {
		rc = odf_image_validate(R->img, p, d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- stage 2: open, identify ------------------------------------------------ */
int
odfi_stage_open_identify(struct odfi_session *R, struct odf_diag *d)
{
	int rc;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: open %s exclusively and identify",
		R->o->device);
	rc = odfi_dev_open(R, d);
	if (rc == ODF_E_BUSY)
		odfi_drive_lock_holder(R, d);	/* is it another odflash? */
	if (rc < 0)
		return rc;
	if (R->op != OP_VERIFY && R->op != OP_DUMP &&
	    !odf_dev_get_info(R->dev)->writable) {
		odf_diag_set(d, ODF_E_USAGE, "%s was opened for reading only",
			     R->o->device);
		odf_diag_reason(d, ODF_R_READ_ONLY_HANDLE);
		return ODF_E_USAGE;
	}
	rc = odf_identify_drive(R->dev, &R->id, &R->drv, d);
	if (rc < 0)
		return rc;
	R->r->before = R->id;
	rc = odfi_drive_lock(R, d);
	if (rc < 0)
		return rc;
	if (!R->drv) {
		odf_diag_set(d, ODF_E_UNSUPPORTED, "%s %s %s: this drive does "
			     "not accept firmware over the standard path, and "
			     "no vendor driver knows it", R->id.vendor,
			     R->id.product, R->id.revision);
		odf_diag_reason(d, ODF_R_NO_DRIVER);
		odf_diag_fact_device(d, R->o->device);
		odf_diag_fact_model(d, "", R->id.product);
		return ODF_E_UNSUPPORTED;
	}
	snprintf(R->r->driver, sizeof(R->r->driver), "%s", R->drv->name);
	if (d)
		d->step[0] = '\0';	/* the refusals below are no command's */
	if (R->id.vendor_silent) {
		/* INQUIRY names the family, its vendor probe got no answer:
		 * a bridge that drops vendor opcodes
		 * (docs/internals/protocols.md §1.8), not a drive of another
		 * kind; nothing more is sent. */
		odf_diag_set(d, ODF_E_PATH, "%s %s %s: the vendor commands do "
			     "not reach the drive: the USB/FireWire bridge "
			     "likely filters them (INQUIRY names a %s drive, "
			     "its vendor probe got no answer)", R->id.vendor,
			     R->id.product, R->id.revision,
			     odf_family_name(R->drv->family));
		odf_diag_reason(d, ODF_R_VENDOR_BLOCKED);
		return ODF_E_PATH;
	}
	/* --chunk is a ceiling the user sets, never silently lowered */
	if (R->o->chunk && R->drv->ops->chunk_max &&
	    R->o->chunk > R->drv->ops->chunk_max) {
		odf_diag_set(d, ODF_E_USAGE, "a chunk of %zu bytes is more than the %zu "
			     "bytes per command the %s protocol sends at most",
			     R->o->chunk, R->drv->ops->chunk_max,
			     odf_family_name(R->drv->family));
		odf_diag_reason(d, ODF_R_CHUNK_REFUSED);
		odf_diag_fact_bytes(d, R->o->chunk, R->drv->ops->chunk_max);
		return ODF_E_USAGE;
	}
	return 0;
}

/* Enter safe mode, INQUIRY, leave: changes nothing stored (binflash
 * RetrieveBootcodeVersion does it before every flash and dump); a failure
 * only loses the bootcode version.  Then find the drive again. */
int
odfi_learn_bootcode(struct odfi_session *R, struct odf_diag *d)
{
	struct odf_diag bd;
	int rc;

	odf_diag_clear(&bd);
	rc = odfi_read_bootcode(R, &bd);
	if (rc < 0 && R->mode_kept != ODF_MODE_NORMAL) {
		/* the read left the drive in safe mode: the job stops there */
		if (d)
			*d = bd;
		return rc;
	}
	if (rc < 0)
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "bootcode version not read: %s", bd.msg);
	R->r->before = R->id;
	if (odfi_cancelled(R))
		return odfi_check_cancel(R, d);
	return odfi_still_there(R, d);
}

/* ---- stage 3: compatibility --------------------------------------------------- */
/* The image against the drive's identity as read so far: no command is
 * sent.  Run again once the NEC bootcode version is known (settle). */
static int
stage_compat(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_image_info *info;
	struct odf_compat c;
	int rc;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: compatibility of image and drive");
	if (R->generic_img && R->drv->family != ODF_FAMILY_SPC) {
		if (d)
			*d = R->img_err;
		return ODF_E_FORMAT;
	}
	/* A drive in boot mode may not tell its ID: the file names it. */
	R->part = odf_image_select(R->img, &R->id);
	info = odf_image_info(R->img, R->part);
	if (!info)
		return odf_diag_set(d, ODF_E_INTERNAL, "image has no part");
	if (!R->id.target[0] && R->op == OP_RECOVER) {
		snprintf(R->id.target, sizeof(R->id.target), "%s", info->target);
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "the drive does not tell its ID: "
			"trusting the file's (%s)", info->target);
	}
	snprintf(R->r->sha256, sizeof(R->r->sha256), "%s",
		 odf_image_sha256(R->img, R->part));
	R->r->size = info->size;
	R->xfrom[0] = R->xto[0] = '\0';
	rc = odf_image_check_compat(info, &R->id, &c);
	if (rc == 0)
		return 0;
	for (size_t i = 0; i < c.n; i++) {
		if (!c.reason[i].overridable) {
			odf_diag_set(d, ODF_E_MISMATCH, "the image does not fit "
				     "this drive: %s", c.reason[i].text);
			odf_diag_reason(d, ODF_R_INCOMPATIBLE);
			odf_diag_fact_model(d, info->target, R->id.target);
			return ODF_E_MISMATCH;
		}
	}
	if (!R->o->crossflash) {
		odf_diag_set(d, ODF_E_MISMATCH, "the image is for another "
			     "drive: %s", c.reason[0].text);
		odf_diag_reason(d, ODF_R_WRONG_MODEL);
		odf_diag_fact_model(d, info->target, R->id.target);
		return ODF_E_MISMATCH;
	}
	/* --crossflash: the question says from which model to which */
	snprintf(R->xfrom, sizeof(R->xfrom), "%s", R->id.target[0] ?
		 R->id.target : R->id.product);
	snprintf(R->xto, sizeof(R->xto), "%s", info->target[0] ?
		 info->target : info->product);
	for (size_t i = 0; i < c.n; i++)
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "crossflash asked: %s; the drive will run "
			"firmware made for another model (risk: wrong "
			"write strategies, lost OEM identity)",
			c.reason[i].text);
	/* the unit's own data carried over, or refused (unitdata.c) */
	if (R->op == OP_FLASH || R->op == OP_RECOVER)
		return odfi_unit_data(R, d);
	return 0;
}

/* ---- stage 5: path and plan ----------------------------------------------------- */
static int plan_checked(struct odfi_session *R, struct odf_diag *d);

static int
stage_path_plan(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(R->dev);
	int rc;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: path check and plan");
	memset(&R->lim, 0, sizeof(R->lim));
	R->lim.max_transfer = in ? in->max_transfer : 0;
	R->lim.forced_chunk = R->o->chunk;
	if (R->drv->ops->path_probe) {
		rc = R->drv->ops->path_probe(R->dev, &R->id, &R->lim, d);
		if (rc < 0 && R->drv->family != ODF_FAMILY_SPC && d &&
		    d->sense_valid && d->sense_key == ODF_SK_ILLEGAL_REQUEST &&
		    d->asc == 0x20) {
			/* the family's harmless vendor read answered "invalid
			 * command operation code": what a bridge that drops
			 * vendor opcodes answers (docs/internals/protocols.md
			 * §1.8), as vendor_silent above */
			odf_diag_set(d, ODF_E_PATH, "%s %s: the vendor commands "
				     "do not reach the drive: the USB/FireWire "
				     "bridge likely filters them (%s was "
				     "rejected as an unknown command)",
				     R->id.vendor, R->id.product, d->step[0] ?
				     d->step : "the vendor probe");
			odf_diag_reason(d, ODF_R_VENDOR_BLOCKED);
			return ODF_E_PATH;
		}
		if (rc < 0)
			return rc;
	}
	return plan_checked(R, d);
}

/* The kind's plan, checked against the path's cap and for consistency. */
static int
plan_checked(struct odfi_session *R, struct odf_diag *d)
{
	int rc;

	odf_plan_release(&R->plan);
	odf_plan_init(&R->plan, NULL);
	rc = R->kind->plan(R, d);
	if (rc < 0)
		return rc;
	rc = odfi_plan_fits(&R->plan, R->lim.max_transfer, d);
	if (rc < 0)
		return rc;
	R->r->plan_steps = R->plan.n;
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "plan: %s; %zu steps, %zu commands, chunk %zu "
		"bytes, path cap %zu", R->plan.what, R->plan.n,
		odf_plan_commands(&R->plan), R->plan.chunk,
		R->lim.max_transfer);
	return 0;
}

/* ---- stage 10: verify ------------------------------------------------------------------ */
const char *
odfi_image_revision(const struct odf_image_info *info)
{
	if (info->revision[0])
		return info->revision;
	return info->version;
}

static int
stage_verify(struct odfi_session *R, bool readback, struct odf_diag *d)
{
	const struct odf_image_info *info = odf_image_info(R->img, R->part);
	const char *want = odfi_image_revision(info);
	const struct odf_driver *nd = NULL;
	int rc;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: verify (re-identify%s)",
		readback ? " and read back" : "");
	rc = odf_identify_drive(R->dev, &R->r->after, &nd, d);
	if (rc < 0)
		return rc;
	/* not running the new firmware: the drive's state and the recover
	 * command (the same file) go with the error */
	if (R->r->after.mode != ODF_MODE_NORMAL) {
		snprintf(R->r->state, sizeof(R->r->state), "the drive is in "
			 "%s mode (revision '%s'): the new firmware does not "
			 "start", odf_mode_name(R->r->after.mode),
			 R->r->after.revision);
		R->r->needs_recover = true;	/* the file: odfi_run_finish */
		odf_diag_set(d, ODF_E_VERIFY, "the drive is in %s mode "
			     "(revision '%s'), not running the new firmware",
			     odf_mode_name(R->r->after.mode),
			     R->r->after.revision);
		return ODF_E_VERIFY;
	}
	if (want[0] && strncmp(R->r->after.revision, want, 4) != 0) {
		snprintf(R->r->state, sizeof(R->r->state), "the drive runs "
			 "revision '%s', not the image's '%s'",
			 R->r->after.revision, want);
		R->r->needs_recover = true;
		odf_diag_set(d, ODF_E_VERIFY, "the drive reports revision "
			     "'%s', the image is '%s'", R->r->after.revision,
			     want);
		return ODF_E_VERIFY;
	}
	if (!readback || !odfi_can_read(R->drv, ODF_READ_VERIFY))
		rc = ODF_E_UNSUPPORTED;
	else {
		struct odf_drive_ident vid = R->r->after;

		rc = odfi_read_verify(R, &vid, d);
	}
	if (rc == ODF_E_UNSUPPORTED && !want[0]) {
		/* Identity only and the image names no version (Plextor: no
		 * public source says where its files keep one; qpxtool pxfw
		 * reads none): nothing was compared, so "holds" (verify) or
		 * "verified by the drive's identity" (flash, recover) would
		 * be a claim without a measurement (issue #12).  After a
		 * write the drive's state is said too. */
		R->r->result = "cannot-verify";
		odf_diag_clear(d);
		odf_diag_set(d, ODF_E_VERIFY, "%scannot verify: the drive "
			     "cannot be read back and %s carries no version to "
			     "compare with the drive's revision '%s'; nothing "
			     "was compared", R->op == OP_VERIFY ? "" :
			     "the drive was written and answers in normal "
			     "mode, but ", R->o->file, R->r->after.revision);
		{
			char who[64];

			snprintf(who, sizeof(who), "%s %s %s%s%s",
				 R->r->after.vendor, R->r->after.product,
				 R->r->after.revision, R->op == OP_VERIFY ? "" :
				 ", before: ", R->op == OP_VERIFY ? "" :
				 R->r->before.revision);
			odf_diag_reason(d, ODF_R_IDENTITY_ONLY);
			odf_diag_fact_model(d, "", who);
		}
		return ODF_E_VERIFY;
	}
	if (rc == ODF_E_UNSUPPORTED) {
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "the drive cannot be read back: verified "
			"by its identity only");
		odf_diag_clear(d);
		return 0;
	}
	if (rc == 0)
		R->r->readback = true;
	return rc;
}

/* ---- drivers of the stages -------------------------------------------------------------- */
void
odfi_run_init(struct odfi_session *R, struct odf_session *S,
	      const struct odf_flash_opts *o, struct odf_flash_result *r,
	      enum op op, struct odf_diag *d)
{
	const char *e;

	odf_diag_clear(d);
	memset(R, 0, sizeof(*R));
	memset(r, 0, sizeof(*r));
	R->S = S;
	R->ctx = S ? S->ctx : NULL;
	R->o = o;
	R->r = r;
	R->op = op;
	R->lock_fd = -1;
	r->result = "";
	snprintf(r->device, sizeof(r->device), "%s",
		 o->device ? o->device : "");
	e = o->state_dir ? o->state_dir :
	    odf_ctx_path(R->ctx, ODF_PATH_STATE_DIR);
	snprintf(R->state_dir, sizeof(R->state_dir), "%s", e ? e : "");
	e = o->sysfs_root ? o->sysfs_root :
	    odf_ctx_path(R->ctx, ODF_PATH_SYSFS_ROOT);
	snprintf(R->sysfs, sizeof(R->sysfs), "%s", e && e[0] ? e : "/sys");
	R->mounts = o->mounts ? o->mounts :
		    odf_ctx_path(R->ctx, ODF_PATH_MOUNTS);
	odf_plan_init(&R->plan, NULL);
	{
		struct timespec ts;
		char t[20];

		clock_gettime(CLOCK_REALTIME, &ts);
		odfi_now_iso(t, sizeof(t), true);
		snprintf(R->jid, sizeof(R->jid), "%s-%ld-%09ld", t,
			 (long)getpid() % 10000000, ts.tv_nsec % 1000000000);
	}
}

/* A stage's result, or ODF_E_INTERRUPTED (odfi_check_cancel) when a cancel
 * came before anything changed: a stage's own error other than "not
 * confirmed" is kept. */
int
odfi_cancel_after(struct odfi_session *R, int rc, struct odf_diag *d)
{
	if (!odfi_cancelled(R) || R->r->changed ||
	    (rc < 0 && rc != ODF_E_NOT_CONFIRMED))
		return rc;
	odf_diag_clear(d);
	return odfi_check_cancel(R, d);
}

void
odfi_needs_recover(struct odfi_session *R, const char *file)
{
	R->r->needs_recover = true;
	snprintf(R->r->recover_file, sizeof(R->r->recover_file), "%s",
		 file ? file : "");
	R->r->recover_crossflash = file && file[0] && R->xfrom[0];
}

/* 1 when an error's class says the drive was left unchanged: device,
 * rejected, bad file, refused, interrupted (odflash's exit 2-5). */
static bool
says_unchanged(int rc)
{
	switch (odf_err_class(rc)) {
	case ODF_CLASS_DEVICE:
	case ODF_CLASS_REJECTED:
	case ODF_CLASS_FILE:
	case ODF_CLASS_REFUSED:
		return true;
	default:
		return false;
	}
}

/* The outcome is derived from what was sent: once the point of no return
 * was sent (r->changed), an error whose class says "unchanged" cannot be
 * true; a failure after the write (the read-back, the re-identify) is
 * "changed, content not confirmed" (ODF_E_VERIFY) with the drive's
 * state. */
static int
derive_outcome(struct odfi_session *R, int rc, struct odf_diag *d)
{
	char m[ODF_DIAG_MSG_MAX];

	if (rc < 0 && rc != ODF_E_FLASH && !R->r->changed &&
	    R->mode_kept != ODF_MODE_NORMAL) {
		/* a read left the drive in its vendor mode (reads.c
		 * check_left), whichever stage passed the error on (a backup
		 * says "backup failed"): that is the outcome, mode-kept */
		snprintf(m, sizeof(m), "%s", d ? d->msg : "");
		return odf_diag_set(d, ODF_E_FLASH, "%s", m);
	}
	if (rc >= 0 || !R->r->changed || !says_unchanged(rc))
		return rc;
	snprintf(m, sizeof(m), "%s", d ? d->msg : "");
	if (!R->r->state[0])
		odfi_describe_state(R);
	return odf_diag_set(d, ODF_E_VERIFY, "the drive was written, but its "
			    "new content could not be confirmed: %s; %s", m,
			    R->r->state);
}

int
odfi_run_finish(struct odfi_session *R, int rc, struct odf_diag *d)
{
	rc = derive_outcome(R, rc, d);
	R->r->err = rc < 0 ? rc : 0;
	if (rc == 0 && !R->r->result[0])
		R->r->result = "ok";
	else if (rc == ODF_E_VERIFY && R->r->result[0])
		;	/* the stage named it ("cannot-verify") */
	else if (rc == ODF_E_VERIFY)
		R->r->result = "verify-failed";
	else if (rc == ODF_E_FLASH)
		R->r->result = "failed";
	else if (rc == ODF_E_INTERRUPTED)
		R->r->result = "interrupted";
	else if (rc < 0)
		R->r->result =
			odf_err_class(rc) == ODF_CLASS_REFUSED ? "refused" :
			odf_err_class(rc) == ODF_CLASS_REJECTED ? "rejected" :
			"error";
	if (rc == ODF_E_FLASH && R->mode_kept != ODF_MODE_NORMAL &&
	    !R->r->changed) {
		/* a read left the drive in its vendor mode (reads.c
		 * check_left): leaving it is the recover */
		odfi_needs_recover(R, "");
		R->r->recover_leave = true;
		odf_diag_reason(d, ODF_R_MODE_KEPT);
		odf_diag_fact_device(d, R->r->device);
	} else if (rc == ODF_E_FLASH ||
		   (rc == ODF_E_VERIFY && R->r->needs_recover)) {
		/* the drive needs a recover (a failed write, or a write after
		 * which the drive does not run the new firmware): say with
		 * which file */
		odfi_needs_recover(R, R->op == OP_BOOTCODE ? "" :
				   R->o->file &&
				   !odfi_image_bytes(R, &(size_t){ 0 }) ?
				   R->o->file : "FILE");	/* bytes: no path */
		odf_diag_reason(d, R->op != OP_BOOTCODE ?
				ODF_R_FLASH_INCOMPLETE :
				(R->fail_flags & ODF_STEP_BOOTBLOCK) ?
				ODF_R_BOOTCODE_BROKEN : ODF_R_FIRMWARE_ERASED);
		odf_diag_fact_device(d, R->r->device);
		odf_diag_fact_path(d, R->r->recover_file);
	}
	if (R->dev || R->r->changed || R->intent_written || R->mode_written) {
		odfi_stage(R, ODF_STAGE_JOURNAL);
		odfi_stage_journal(R, rc < 0 && d ? d->msg : NULL);
	}
	odfi_dev_drop(R);
	odfi_drive_unlock(R);
	odf_plan_release(&R->plan);
	odf_image_free(R->img);
	R->img = NULL;
	free(R->boot);
	R->boot = NULL;
	{
		struct odf_event ev = { .kind = ODF_EV_RESULT, .result = R->r };

		odfi_event(R, &ev);
	}
	return rc;
}

/* --dry-run ends after planning: show the plan, send none of it. */
int
odfi_dry_run_finish(struct odfi_session *R, struct odf_diag *d)
{
	if (R->o->ui.show_plan)
		R->o->ui.show_plan(R->o->ui.plan_ctx, &R->plan);
	R->r->result = "dry-run";
	return odfi_run_finish(R, 0, d);
}

/* ---- the firmware kind (flash, recover) ---------------------------------- */
/* Does the drive still have to tell its NEC bootcode version (a moment
 * in safe mode)?  Never before the confirmation, never in a dry run. */
static bool
bootcode_to_learn(const struct odfi_session *R)
{
	return odfi_can_read(R->drv, ODF_READ_BOOTCODE) &&
	       R->id.mode == ODF_MODE_NORMAL &&
	       !R->id.bootcode[0];
}

static int
firmware_fit(struct odfi_session *R, struct odf_diag *d)
{
	int rc = stage_compat(R, d);

	if (rc == 0 && bootcode_to_learn(R) && !R->o->dry_run)
		R->learn_bootcode = true;
	return rc;
}

/* After the yes: the bootcode version (binflash RetrieveBootcodeVersion
 * reads it before every flash; it enters and leaves safe mode), then the
 * image is matched again: a part of a multi-bootcode file chosen by it
 * gets its own plan, and must carry the version the user agreed to. */
static int
firmware_settle(struct odfi_session *R, struct odf_diag *d)
{
	size_t part = R->part;
	int rc;

	if (!bootcode_to_learn(R))
		return 0;
	rc = odfi_learn_bootcode(R, d);
	if (rc == 0)
		rc = stage_compat(R, d);
	if (rc < 0 || R->part == part)
		return rc;
	if (strcmp(odfi_image_revision(odf_image_info(R->img, R->part)),
		   R->asked_version) != 0) {
		odf_diag_clear(d);
		odf_diag_set(d, ODF_E_SAFETY, "the drive's bootcode %s selects "
			     "another part of %s (version %s) than the one "
			     "confirmed (%s); nothing was changed",
			     R->id.bootcode, R->o->file,
			     odfi_image_revision(odf_image_info(R->img,
								R->part)),
			     R->asked_version);
		odf_diag_reason(d, ODF_R_ASK_AGAIN);
		return ODF_E_SAFETY;
	}
	return plan_checked(R, d);
}

static int
firmware_plan(struct odfi_session *R, struct odf_diag *d)
{
	return R->drv->ops->plan(&R->id, R->img, R->part, &R->lim,
				 R->op == OP_RECOVER ? ODF_PLAN_RECOVER :
				 ODF_PLAN_FLASH, &R->plan, d);
}

/* After a signal the drive is only re-identified, not read back. */
static int
firmware_verify(struct odfi_session *R, struct odf_diag *d)
{
	return stage_verify(R, !odfi_cancelled(R), d);
}

const struct odfi_kind odfi_kind_firmware = {
	.what = "flash",
	.load = stage_load_image,
	.fit = firmware_fit,
	.plan = firmware_plan,
	.backup_decide = odfi_backup_decide,
	.settle = firmware_settle,
	.backup = odfi_stage_backup,
	.verify = firmware_verify,
};

/* ---- the write job: firmware or bootcode ---------------------------------- */
/* One flow for a job that writes the drive; what differs between a
 * firmware and a bootcode write is the kind's hooks.  Before the
 * confirmation only identification reads reach the drive (INQUIRY, the
 * vendor ID reads, TEST UNIT READY, GET CONFIGURATION, one harmless
 * path-probe read); what changes its state even for a moment (NEC safe
 * mode, an eject, the backup's dump) comes after the yes (issue #12). */
int
odfi_write_job(struct odf_session *S, const struct odf_flash_opts *o,
	       struct odf_flash_result *r, struct odf_diag *d, enum op op,
	       const struct odfi_kind *k)
{
	struct odfi_session R;
	int rc;

	odfi_run_init(&R, S, o, r, op, d);
	R.kind = k;
	odfi_stage(&R, ODF_STAGE_IDENTIFY);
	rc = k->load(&R, d);
	/* journaled from here, before the first command: a run killed even
	 * before the write is in history */
	if (rc == 0)
		rc = odfi_journal_intent(&R, true, d);
	if (rc == 0)
		rc = odfi_stage_open_identify(&R, d);
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_COMPAT);
		rc = odfi_cancel_after(&R, k->fit(&R, d), d);
	}
	if (rc == 0)
		rc = odfi_version_facts(&R, d);
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_PREFLIGHT);
		rc = odfi_cancel_after(&R, odfi_stage_preflight(&R, d), d);
	}
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	if (rc == 0)
		rc = stage_path_plan(&R, d);
	/* where the backup goes, and whether there can be one (a dry run
	 * reads the firmware once: it changes nothing) */
	if (rc == 0)
		rc = k->backup_decide(&R, d);
	/* a dry run shows the question, then the plan, and exits with the
	 * code the real run would */
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_CONFIRM);
		rc = odfi_cancel_after(&R, odfi_stage_confirm(&R, d), d);
	}
	if (rc == 0 && o->dry_run)
		return odfi_dry_run_finish(&R, d);
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	if (rc == 0 && k->settle)
		rc = k->settle(&R, d);
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	if (rc == 0)
		rc = odfi_stage_disc(&R, d);
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_BACKUP);
		rc = odfi_cancel_after(&R, k->backup(&R, d), d);
	}
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	/* write-ahead: the journal holds the intent before the plan runs */
	if (rc == 0)
		rc = odfi_journal_intent(&R, false, d);
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_WRITE);
		rc = odfi_stage_write(&R, k->what, d);
		if (rc == 0) {
			if (odfi_cancelled(&R))
				r->signal = odfi_cancel_sig(&R);
			odfi_stage(&R, ODF_STAGE_VERIFY);
			rc = k->verify(&R, d);
		}
	}
	return odfi_run_finish(&R, rc, d);
}

int
odfi_verify_job(struct odf_session *S, const struct odf_flash_opts *o,
		struct odf_flash_result *r, struct odf_diag *d)
{
	struct odfi_session R;
	int rc;

	odfi_run_init(&R, S, o, r, OP_VERIFY, d);
	odfi_stage(&R, ODF_STAGE_IDENTIFY);
	rc = stage_load_image(&R, d);
	if (rc == 0)
		rc = odfi_stage_open_identify(&R, d);
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_COMPAT);
		rc = stage_compat(&R, d);
	}
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_VERIFY);
		rc = odfi_cancel_after(&R, stage_verify(&R, true, d), d);
	}
	return odfi_run_finish(&R, rc, d);
}

/* ---- leave a vendor mode (odf_session_leave_mode) ------------------------ */
/* The question: the drive, its mode, "nothing is written". */
static int
leave_confirm(struct odfi_session *R, struct odf_diag *d)
{
	struct odf_confirm c;
	int a;

	memset(&c, 0, sizeof(c));
	c.dry_run = R->o->dry_run;
	c.job = ODF_JOB_LEAVE_MODE;
	c.drive = &R->id;
	c.driver = R->id.target[0] ? R->id.target : R->drv->name;
	c.file = "";
	c.image_version = "";
	c.backup = "";
	c.backup_skipped = ODF_BACKUP_SKIP_RECOVERY;
	a = odfi_confirm_ask(R, &c);
	if (a == 1)
		return 0;
	odf_diag_clear(d);
	odf_diag_set(d, ODF_E_NOT_CONFIRMED, "not confirmed%s",
		     a < 0 ? ": no terminal to ask on" : "");
	odf_diag_reason(d, ODF_R_NOT_CONFIRMED);
	return ODF_E_NOT_CONFIRMED;
}

/* After the leave plan: the drive found again and identified.  Back in
 * normal mode: done.  In the vendor mode again: its firmware does not
 * start (not what a read leaves): a FILE is needed. */
static int
leave_check(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_driver *nd;
	int rc = odfi_still_there(R, d);

	if (rc == 0)
		rc = odf_identify_drive(R->dev, &R->r->after, &nd, d);
	if (rc < 0)
		return rc;
	if (R->r->after.mode == ODF_MODE_NORMAL)
		return 0;
	snprintf(R->r->state, sizeof(R->r->state), "the drive is in %s mode "
		 "again after leaving it (revision '%s'): its firmware does "
		 "not start", odf_mode_name(R->r->after.mode),
		 R->r->after.revision);
	odfi_needs_recover(R, "FILE");
	/* the recover command with a FILE: odfi_run_finish's reason */
	return odf_diag_set(d, ODF_E_FLASH, "%s %s came back in %s mode: its "
			    "firmware does not start, so leaving the mode is "
			    "not enough: it needs its firmware flashed",
			    R->id.vendor, R->id.product,
			    odf_mode_name(R->r->after.mode));
}

int
odfi_leave_mode_job(struct odf_session *S, const struct odf_flash_opts *o,
		    struct odf_flash_result *r, struct odf_diag *d)
{
	struct odfi_session R;
	int rc;

	odfi_run_init(&R, S, o, r, OP_RECOVER, d);
	odfi_stage(&R, ODF_STAGE_IDENTIFY);
	rc = odfi_stage_open_identify(&R, d);
	if (rc == 0 && R.id.mode == ODF_MODE_NORMAL) {
		/* nothing to leave: nothing is sent */
		odf_ctx_log(R.ctx, ODF_LOG_INFO, "the drive runs its firmware "
			    "in normal mode: no vendor mode to leave");
		r->after = R.id;
		return odfi_run_finish(&R, 0, d);
	}
	if (rc == 0 && !R.drv->ops->plan_leave) {
		rc = odf_diag_set(d, ODF_E_UNSUPPORTED, "%s %s is in %s mode, "
				  "and the %s protocol has no command that "
				  "leaves it without flashing: it needs a "
				  "firmware file", R.id.vendor, R.id.product,
				  odf_mode_name(R.id.mode),
				  odf_family_name(R.drv->family));
		odf_diag_reason(d, ODF_R_RECOVER_FIRST);
		odf_diag_fact_device(d, o->device);
	}
	if (rc == 0)
		rc = R.drv->ops->plan_leave(&R.id, &R.plan, d);
	if (rc == 0)
		rc = odfi_plan_fits(&R.plan, 0, d);
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_CONFIRM);
		rc = odfi_cancel_after(&R, leave_confirm(&R, d), d);
	}
	if (rc == 0 && o->dry_run)
		return odfi_dry_run_finish(&R, d);
	if (rc == 0)
		rc = odfi_check_cancel(&R, d);
	if (rc == 0) {
		/* a plan without a point of no return: nothing stored
		 * changes, a cancel stops it */
		odfi_stage(&R, ODF_STAGE_WRITE);
		R.cur = &R.plan;
		rc = odfi_run_plan(&R, d);
	}
	if (rc == 0) {
		odfi_stage(&R, ODF_STAGE_COME_BACK);
		rc = leave_check(&R, d);
	}
	return odfi_run_finish(&R, rc, d);
}
