/* odflash session: the NEC bootcode job (binflash Bootflash). */
#include <errno.h>
#include <signal.h>
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

/* ---- bootcode (NEC) ---------------------------------------------------------- */
static int
load_boot_file(struct odfi_session *R, struct odf_diag *d)
{
	FILE *f;
	uint8_t *b;
	size_t n;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: read the bootcode file %s", R->o->file);
	if (odfi_image_bytes(R, &n)) {
		/* odf_session_set_image: the bytes, not a file */
		b = malloc(n);
		if (!b)
			return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
		memcpy(b, odfi_image_bytes(R, &n), n);
		goto check;
	}
	f = fopen(R->o->file, "rb");
	if (!f)
		return odf_diag_set(d, ODF_E_FILE, "cannot open %s: %s",
				    R->o->file, strerror(errno));
	b = malloc(0x10001);
	if (!b) {
		fclose(f);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	n = fread(b, 1, 0x10001, f);
	if (ferror(f)) {
		fclose(f);
		free(b);
		return odf_diag_set(d, ODF_E_FILE, "cannot read %s",
				    R->o->file);
	}
	fclose(f);
check:
	/* binflash prepboot.cpp accepts exactly 0x4000 or 0x8000 bytes */
	if (n != 0x4000 && n != 0x8000) {
		free(b);
		odf_diag_reason(d, ODF_R_NOT_BOOTCODE);
		odf_diag_fact_path(d, R->o->file);
		odf_diag_fact_bytes(d, n, 0x8000);
		return odf_diag_set(d, ODF_E_FORMAT, "%s holds %zu%s bytes: not "
				    "a bootcode", R->o->file, n,
				    n > 0x10000 ? " or more" : "");
	}
	R->boot = b;
	R->boot_len = n;
	odf_sha256_hex(b, n, R->r->sha256);
	R->r->size = n;
	return 0;
}

/* The second, typed confirmation (after the first yes). */
static int
boot_confirm2(struct odfi_session *R, struct odf_diag *d)
{
	int a = R->o->ui.confirm_typed ?
		R->o->ui.confirm_typed(R->o->ui.typed_ctx, R->typed_token) :
		-1;

	if (a == 1)
		return 0;
	odf_diag_clear(d);
	odf_diag_set(d, ODF_E_NOT_CONFIRMED, a < 0 ? "bootcode flash not "
		     "confirmed: no terminal to ask on" :
		     "bootcode flash not confirmed");
	odf_diag_reason(d, ODF_R_BOOTCODE_NOT_CONFIRMED);
	return ODF_E_NOT_CONFIRMED;
}

static int
boot_verify(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_driver *nd = NULL;
	uint8_t *b = NULL;
	size_t n = 0;
	int rc;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: verify the bootcode (read it back)");
	rc = odf_identify_drive(R->dev, &R->r->after, &nd, d);
	if (rc < 0)
		return rc;
	rc = odfi_read_boot(R, &R->r->after, &b, &n, d);
	if (rc < 0)
		return rc;
	if (n != R->boot_len || memcmp(b, R->boot, n) != 0) {
		free(b);
		return odf_diag_set(d, ODF_E_VERIFY, "the drive's bootcode "
				    "differs from %s", R->o->file);
	}
	free(b);
	R->r->readback = true;
	/* ReadBoot left it in safe mode: re-read what it reports */
	(void)odf_identify_drive(R->dev, &R->r->after, &nd, NULL);
	snprintf(R->r->state, sizeof(R->r->state), "the drive runs its new "
		 "bootcode (revision '%s') and has no firmware: flash the "
		 "firmware made for this bootcode now", R->r->after.revision);
	odfi_needs_recover(R, "");	/* its firmware, which we do not have */
	return 0;
}

/* The bootcode job's checks before anything is sent: a driver with a
 * public bootcode flash and a drive whose ID can be matched.  Its current
 * bootcode version (safe mode) is read after the confirmation. */
static int
boot_fit(struct odfi_session *R, struct odf_diag *d)
{
	if (!R->drv->ops->plan_bootcode ||
	    !odfi_can_read(R->drv, ODF_READ_BOOT)) {
		odf_diag_set(d, ODF_E_UNSUPPORTED, "the %s protocol has no "
			     "public bootcode flash", R->drv->name);
		odf_diag_reason(d, ODF_R_NO_BOOTCODE_PROTOCOL);
		odf_diag_fact_family(d, R->drv->family);
		return ODF_E_UNSUPPORTED;
	}
	if (R->id.mode == ODF_MODE_BOOT) {
		odf_diag_set(d, ODF_E_SAFETY, "the drive is in boot mode with "
			     "its ID unreadable: its bootcode cannot be "
			     "matched");
		odf_diag_reason(d, ODF_R_RECOVER_FIRST);
		odf_diag_fact_device(d, R->o->device);
		return ODF_E_SAFETY;
	}
	if (R->id.mode == ODF_MODE_NORMAL && !R->o->dry_run &&
	    odfi_can_read(R->drv, ODF_READ_BOOTCODE) && !R->id.bootcode[0])
		R->learn_bootcode = true;
	snprintf(R->typed_token, sizeof(R->typed_token), "BOOTCODE %s",
		 R->id.target);
	return 0;
}

/* After the yes: the current bootcode version (safe mode, INQUIRY). */
static int
boot_settle(struct odfi_session *R, struct odf_diag *d)
{
	if (R->id.mode == ODF_MODE_NORMAL &&
	    odfi_can_read(R->drv, ODF_READ_BOOTCODE) && !R->id.bootcode[0])
		return odfi_learn_bootcode(R, d);
	return 0;
}

static int
boot_plan(struct odfi_session *R, struct odf_diag *d)
{
	return R->drv->ops->plan_bootcode(&R->id, R->boot, R->boot_len,
					  &R->lim, &R->plan, d);
}

const struct odfi_kind odfi_kind_bootcode = {
	.what = "bootcode write",
	.load = load_boot_file,
	.fit = boot_fit,
	.plan = boot_plan,
	.backup_decide = odfi_boot_backup_decide,
	.confirm2 = boot_confirm2,
	.settle = boot_settle,
	.backup = odfi_boot_backup,
	.verify = boot_verify,
};
