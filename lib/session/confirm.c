/* odflash session: the confirmation.  Everything a write job will do is
 * decided first and named by one question, asked before anything touches
 * the drive beyond identification reads (issue #12 item 4): the backup
 * and its path, an eject, a downgrade or a same-version reflash, a
 * crossflash, the moment in safe mode the NEC bootcode check needs.  The
 * library gives these as facts (struct odf_confirm in odf/session.h: the
 * event ODF_EV_CONFIRM, then ui.confirm); the front end words the
 * question.  A dry run sends the event and asks nothing. */
#include <stdio.h>
#include <string.h>

#include "odf/image.h"
#include "session/session_int.h"

/* ---- version order and the anti-downgrade rule ---------------------------- */
int
odfi_version_facts(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_image_info *info =
		R->img ? odf_image_info(R->img, R->part) : NULL;
	const char *want;

	R->vchange = ODF_VERSION_UNKNOWN;
	R->asked_version[0] = '\0';
	R->guard = R->drv->ops->downgrade_guard ?
		   R->drv->ops->downgrade_guard(&R->id) : NULL;
	if (!info)
		return 0;
	want = odfi_image_revision(info);
	snprintf(R->asked_version, sizeof(R->asked_version), "%s", want);
	/* a drive in safe, boot or kernel mode reports no firmware
	 * revision to compare with */
	if (R->id.mode == ODF_MODE_NORMAL)
		R->vchange = odf_version_change(R->drv->family,
						R->id.revision, want);
	if (R->vchange != ODF_VERSION_DOWNGRADE || !R->guard ||
	    R->o->allow_downgrade)
		return 0;
	odf_diag_clear(d);
	odf_diag_set(d, ODF_E_SAFETY, "%s is version %s, older than the %s "
		     "the drive runs: a downgrade, and %s %s guards against "
		     "older firmware (%s); nothing was changed", R->o->file,
		     want, R->id.revision, R->id.vendor, R->id.product,
		     R->guard);
	odf_diag_reason(d, ODF_R_DOWNGRADE_GUARDED);
	odf_diag_fact_model(d, want, R->id.revision);
	return ODF_E_SAFETY;
}

/* ---- the stage ---------------------------------------------------------------- */
int
odfi_stage_confirm(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_image_info *info =
		R->img ? odf_image_info(R->img, R->part) : NULL;
	struct odf_confirm c;
	int a;

	memset(&c, 0, sizeof(c));
	c.dry_run = R->o->dry_run;
	c.job = R->op == OP_BOOTCODE ? ODF_JOB_BOOTCODE :
		R->op == OP_RECOVER ? ODF_JOB_RECOVER : ODF_JOB_FLASH;
	c.drive = &R->id;
	c.driver = R->id.target[0] ? R->id.target : R->drv->name;
	c.file = R->o->file;
	c.image_version = info ? R->asked_version : "";
	c.version = R->vchange;
	c.downgrade_guard = R->guard;
	c.backup = R->backup_path;
	c.backup_skipped = R->backup_path[0] ? ODF_BACKUP_TAKEN :
			   R->backup_skipped;
	c.no_read_back = !odfi_can_read(R->drv, ODF_READ_DUMP);
	c.disc = R->disc == ODFI_DISC_EJECT ? ODF_DISC_EJECT :
		 R->disc == ODFI_DISC_STOP ? ODF_DISC_STOP : ODF_DISC_LEAVE;
	c.eject = c.disc == ODF_DISC_EJECT;
	c.crossflash = R->o->crossflash && R->xfrom[0];
	c.crossflash_from = c.crossflash ? R->xfrom : NULL;
	c.crossflash_to = c.crossflash ? R->xto : NULL;
	c.n_unit = R->n_unit;
	c.unit = R->n_unit ? R->unit : NULL;
	c.learn_bootcode = R->learn_bootcode;
	c.typed_token = R->kind->confirm2 ? R->typed_token : NULL;
	a = odfi_confirm_ask(R, &c);
	if (a == 1)
		return R->o->dry_run || !R->kind->confirm2 ? 0 :
		       R->kind->confirm2(R, d);
	odf_diag_clear(d);
	odf_diag_set(d, ODF_E_NOT_CONFIRMED, "%snot confirmed%s",
		     R->op == OP_BOOTCODE ? "bootcode flash " : "",
		     a < 0 ? ": no terminal to ask on" : "");
	odf_diag_reason(d, R->op == OP_BOOTCODE ?
			ODF_R_BOOTCODE_NOT_CONFIRMED : ODF_R_NOT_CONFIRMED);
	return ODF_E_NOT_CONFIRMED;
}

int
odfi_confirm_ask(struct odfi_session *R, const struct odf_confirm *c)
{
	struct odf_event ev = { .kind = ODF_EV_CONFIRM, .confirm = c };

	odfi_event(R, &ev);
	if (R->o->dry_run)
		return 1;
	return R->o->ui.confirm ? R->o->ui.confirm(R->o->ui.confirm_ctx, c) :
	       -1;
}
