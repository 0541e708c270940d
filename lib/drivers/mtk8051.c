/* odflash vendor driver: classic MediaTek 8051 drives (Lite-On / PLDS /
 * BTC and other MediaTek-based DVD drives).
 *
 * What is public (docs/internals/protocols.md §6):
 * the firmware files (rebanking, identification: lib/image/mtk8051.c,
 * from rpc1dev/omnipatcher), but no ATAPI command sequence that flashes
 * or dumps these drives: DosFlash "uses no vendor cdb flashing commands
 * ... direct port access" (xbins DosFlash nfo), MtkWinFlash's direct mode
 * "can only address the 4 IDE ports ... no USB/1394" (cdrlabs forum),
 * Lite-On's own Flash Utility downloads a closed flash-part writer into
 * the drive.  So this driver recognises the drives and refuses to dump or
 * flash, saying what the user can do instead.  It never guesses.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/drivers_int.h"

/* INQUIRY vendor strings of MediaTek-8051-based drives: Lite-On IT and
 * its successor PLDS ("LITE-ON", "PLDS"; the "LITEONIT" mark at 0xFFF8 of
 * their firmware, omnipatcher fw_mtk.pl). */
static const char *const mtk_vendors[] = { "LITE-ON", "LITEON", "PLDS" };

static const char mtk_refusal[] =
	"no public ATAPI protocol flashes or dumps MediaTek 8051 (Lite-On) "
	"drives: odflash does not guess one";

static int
mtk_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	  struct odf_drive_ident *id, struct odf_diag *d)
{
	(void)dev;
	(void)d;
	if (inq->pdt != 5)
		return 0;
	for (size_t i = 0; i < sizeof(mtk_vendors) / sizeof(mtk_vendors[0]);
	     i++) {
		if (strcmp(inq->vendor, mtk_vendors[i]) != 0)
			continue;
		id->mode = ODF_MODE_NORMAL;
		snprintf(id->target, sizeof(id->target), "%s", inq->product);
		snprintf(id->detail, sizeof(id->detail), "MediaTek 8051 "
			 "(Lite-On): no public flashing protocol; odflash "
			 "identifies its firmware files only");
		return 1;
	}
	return 0;
}

static int
mtk_refuse(struct odf_diag *d)
{
	odf_diag_set(d, ODF_E_UNSUPPORTED, "%s", mtk_refusal);
	odf_diag_reason(d, ODF_R_NO_FLASH_PROTOCOL);
	odf_diag_fact_family(d, ODF_FAMILY_MTK_8051);
	return ODF_E_UNSUPPORTED;
}

static int
mtk_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
	       struct odf_path_limits *lim, struct odf_diag *d)
{
	(void)dev;
	(void)id;
	(void)lim;
	return mtk_refuse(d);
}

static int
mtk_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	 size_t part, const struct odf_path_limits *lim,
	 enum odf_plan_kind kind, struct odf_plan *plan, struct odf_diag *d)
{
	(void)id;
	(void)kind;
	(void)img;
	(void)part;
	(void)lim;
	(void)plan;
	return mtk_refuse(d);
}

static const struct odf_driver_ops mtk_ops = {
	.chunk_align = 1,
	.chunk_max = 1,
	.dump_ext = ".bin",
	.path_probe = mtk_path_probe,
	.plan = mtk_plan,
	.verify = odfi_vnd_verify_identity,
};

const struct odf_driver odf_driver_mtk8051 = {
	.name = "mtk-8051",
	.description = "MediaTek 8051 / Lite-On (identify only: no public "
		       "flashing protocol)",
	.family = ODF_FAMILY_MTK_8051,
	.probe = mtk_probe,
	.ops = &mtk_ops,
};
