/* odflash session: the reads of a job (dump, backup, verify, the
 * bootcode and its version).  Reads are plans too (odf/plan.h): a driver
 * with a read plan (NEC: safe mode entered and left around the reads)
 * gets it run by the same executor as a write (exec.c), so a cancel or a
 * signal stops it between steps and the leave step, marked cleanup, is
 * still sent; --dry-run shows it.  A driver without one reads through
 * its direct operation (SPC READ BUFFER, LG: no vendor mode to leave). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/image.h"
#include "odf/vendor.h"
#include "session/session_int.h"

bool
odfi_can_read(const struct odf_driver *drv, enum odf_read_kind kind)
{
	const struct odf_driver_ops *o = drv ? drv->ops : NULL;

	if (!o)
		return false;
	if (o->plan_read)	/* every kind (odf/plan.h) */
		return o->read_result != NULL;
	switch (kind) {
	case ODF_READ_DUMP:
		return o->dump != NULL;
	case ODF_READ_VERIFY:
		return o->verify != NULL;
	case ODF_READ_BOOT:
		return o->read_boot != NULL;
	case ODF_READ_BOOTCODE:
		return o->read_bootcode != NULL;
	}
	return false;
}

/* A read plan's leave step failed as if the drive had gone (it is marked
 * ODF_STEP_MAY_REBOOT: leaving safe mode reboots the drive, INFERRED),
 * and the drive answers again: did it leave the mode?  Its mode is read
 * (odf_identify_drive, as after a flash).  Still in it: the driver's
 * leave plan is sent once more (binflash leaves safe mode on every exit,
 * necinterface.cpp FlashFirmware, globals sm0/sm1) and the mode read
 * again.  Seen in the full sweep (tests/sweep/RESULTS.md): an EIO on the
 * last leave of AD-7170A's read-back ended "ok" with the drive in safe
 * mode.  A drive still in the mode is an error that says so: after a
 * write, "not confirmed" (ODF_E_VERIFY, recover with the file); before
 * any write, ODF_E_FLASH with reason mode-kept (the firmware was not
 * touched: `odflash recover DEVICE` leaves the mode, odfi_run_finish). */
static int
check_left(struct odfi_session *R, struct odf_diag *d)
{
	struct odf_drive_ident now;
	const struct odf_driver *nd;
	int rc;

	for (int round = 0;; round++) {
		rc = odf_identify_drive(R->dev, &now, &nd, d);
		if (rc < 0)
			return rc;
		if (now.mode == ODF_MODE_NORMAL)
			return 0;
		if (round > 0 || !R->drv->ops->plan_leave)
			break;
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "the drive is still in %s "
			    "mode after the read: leaving it again",
			    odf_mode_name(now.mode));
		{
			struct odf_plan lp, *saved = R->cur;

			odf_plan_init(&lp, NULL);
			rc = R->drv->ops->plan_leave(&now, &lp, d);
			if (rc == 0) {
				R->cur = &lp;
				rc = odfi_run_plan(R, d);
				R->cur = saved;
			}
			odf_plan_release(&lp);
		}
		if (rc == 0)
			rc = odfi_still_there(R, d);
		if (rc < 0)
			return rc;
	}
	R->mode_kept = now.mode;
	snprintf(R->r->state, sizeof(R->r->state), "the drive stayed in %s "
		 "mode after the read (revision '%s'): it did not leave it "
		 "when asked twice", odf_mode_name(now.mode), now.revision);
	if (R->r->changed) {
		R->r->needs_recover = true;	/* the file: odfi_run_finish */
		return odf_diag_set(d, ODF_E_VERIFY, "the drive stayed in %s "
				    "mode after the read-back",
				    odf_mode_name(now.mode));
	}
	odf_diag_set(d, ODF_E_FLASH, "%s %s stayed in %s mode after the read "
		     "(its firmware was not written)", R->id.vendor,
		     R->id.product, odf_mode_name(now.mode));
	return ODF_E_FLASH;
}

/* Build the driver's read plan, show it in a dry run, run it through the
 * executor, make the result.  A read plan that left safe mode is
 * followed by a check that the drive is still there (it may reboot and
 * re-enumerate: odfi_still_there), and, when its leave failed, that it
 * left the mode (check_left). */
static int
run_read(struct odfi_session *R, struct odf_drive_ident *id,
	 enum odf_read_kind kind, bool raw, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(R->dev);
	struct odf_plan p, *saved = R->cur;
	bool bracket = false, enters;
	int rc;

	odf_plan_init(&p, NULL);
	rc = R->drv->ops->plan_read(id, kind, raw, &p, d);
	if (rc == 0)
		rc = odfi_plan_fits(&p, in ? in->max_transfer : 0, d);
	if (rc < 0) {
		odf_plan_release(&p);
		return rc;
	}
	for (size_t i = 0; i < p.n; i++)
		if (p.steps[i].flags & ODF_STEP_CLEANUP)
			bracket = true;
	if (R->o->dry_run && R->o->ui.show_plan)
		R->o->ui.show_plan(R->o->ui.plan_ctx, &p);
	/* write-ahead: a read that enters a vendor mode is journaled before
	 * the mode is entered (a run killed in it leaves the drive there:
	 * `odflash recover DEVICE` leaves the mode, recovery.c) */
	enters = bracket && p.enters != ODF_MODE_NORMAL && !p.recovery;
	if (enters) {
		rc = odfi_journal_mode(R, p.enters, true, d);
		if (rc < 0) {
			odf_plan_release(&p);
			return rc;
		}
	}
	R->cur = &p;
	rc = odfi_run_plan(R, d);
	R->cur = saved;
	if (rc == 0 && bracket && R->dev)
		rc = odfi_still_there(R, d);
	if (rc == 0 && enters && R->rebooted && R->dev)
		rc = check_left(R, d);
	/* the mode was left (or the cleanup tried to): journaled; a drive
	 * known to be still in it keeps the "mode" line (its outcome says
	 * the mode: `odflash recover DEVICE` leaves it, recovery.c) */
	if (enters && R->mode_kept == ODF_MODE_NORMAL)
		(void)odfi_journal_mode(R, p.enters, false, NULL);
	if (rc == 0)
		rc = R->drv->ops->read_result(id, kind, raw, &p, R->img,
					      R->part, out, len, d);
	odf_plan_release(&p);
	return rc;
}

int
odfi_read_dump(struct odfi_session *R, const struct odf_dump_req *req,
	       uint8_t **out, size_t *len, struct odf_diag *d)
{
	if (R->drv->ops->plan_read)
		return run_read(R, &R->id, ODF_READ_DUMP, req && req->raw, out,
				len, d);
	return R->drv->ops->dump(R->dev, &R->id, req, out, len, d);
}

int
odfi_read_verify(struct odfi_session *R, struct odf_drive_ident *id,
		 struct odf_diag *d)
{
	if (R->drv->ops->plan_read)
		return run_read(R, id, ODF_READ_VERIFY, false, NULL, NULL, d);
	return R->drv->ops->verify(R->dev, id, R->img, R->part, d);
}

int
odfi_read_boot(struct odfi_session *R, struct odf_drive_ident *id,
	       uint8_t **out, size_t *len, struct odf_diag *d)
{
	if (R->drv->ops->plan_read)
		return run_read(R, id, ODF_READ_BOOT, false, out, len, d);
	return R->drv->ops->read_boot(R->dev, id, out, len, d);
}

int
odfi_read_bootcode(struct odfi_session *R, struct odf_diag *d)
{
	if (R->drv->ops->plan_read)
		return run_read(R, &R->id, ODF_READ_BOOTCODE, false, NULL, NULL,
				d);
	return R->drv->ops->read_bootcode(R->dev, &R->id, d);
}
