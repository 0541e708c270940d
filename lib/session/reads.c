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

/* Build the driver's read plan, show it in a dry run, run it through the
 * executor, make the result.  A read plan that left safe mode is
 * followed by a check that the drive is still there (it may reboot and
 * re-enumerate: odfi_still_there). */
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
	if (enters)
		(void)odfi_journal_mode(R, p.enters, false, NULL);
	if (rc == 0 && bracket && R->dev)
		rc = odfi_still_there(R, d);
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
