/* odflash vendor driver: the Sony PS3 BD drive.
 *
 * Facts (wichers/dsd-nexus libs/libps3drive/src/ps3drive_fw.c and
 * include/ps3drive_types.h; docs/internals/protocols.md §8): INQUIRY, eject
 * (START STOP UNIT with LoEj), TEST UNIT READY must answer 02/3A/00 (no
 * medium), then WRITE BUFFER mode 07h (download microcode with offsets
 * and save) in chunks of PS3DRIVE_MAX_WRITE_LEN = 0x8000 bytes, then TEST
 * UNIT READY every 100 ms until 02/3A/00 (the update is done) or a fatal
 * answer (04/3E/01, 05/24/00, 05/26/00), 60 s by default, then INQUIRY.
 * The drive reports itself as "SONY" "PS-SYSTEM   3xxR" (the product
 * string the dsd-nexus tool expects for these drives).
 *
 * No command reads the firmware back: no dump; verify = re-identification.
 * What a PS3 drive's boot code does with a broken firmware is not public:
 * recovery is offered only while the drive still runs its firmware.
 */
#include <stdio.h>
#include <string.h>

#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define PS3_CHUNK 0x8000u		/* PS3DRIVE_MAX_WRITE_LEN */
#define PS3_ALIGN 0x800u		/* [inferred] keep chunks whole sectors */
#define PS3_TIMEOUT_MS 60000u		/* ps3drive_fw.c default wait */
#define PS3_CMD_TIMEOUT_MS 300000u

static int
ps3_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	  struct odf_drive_ident *id, struct odf_diag *d)
{
	(void)d;
	if (inq->pdt != 5 || strcmp(inq->vendor, "SONY") != 0 ||
	    !odfi_vnd_prefix(inq->product, "PS-SYSTEM"))
		return 0;
	id->mode = odfi_vnd_in_boot_code(dev) ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	snprintf(id->target, sizeof(id->target), "%s", inq->product);
	snprintf(id->detail, sizeof(id->detail), "Sony PS3 BD drive: WRITE "
		 "BUFFER mode 7 in 32 KiB chunks (dsd-nexus libps3drive); no "
		 "firmware read-back");
	return 1;
}

static int
ps3_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	 size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	 struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	static const uint8_t eject[6] = { 0x1B, 0, 0, 0, 0x02, 0 };
	uint8_t cdb[ODF_CDB_MAX];
	char label[ODF_STEP_LABEL_MAX];
	struct odf_plan_step *s;
	size_t len, chunk, n;
	int rc;

	if (recovery && id->mode != ODF_MODE_NORMAL) {
		odf_diag_reason(d, ODF_R_NO_RECOVERY);
		odf_diag_fact_family(d, ODF_FAMILY_PS3);
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "a PS3 drive in boot "
				    "mode cannot be recovered: only its own "
				    "firmware accepts WRITE BUFFER, and no "
				    "public source documents how its boot code "
				    "takes firmware");
	}
	rc = odf_plan_choose_chunk(PS3_ALIGN, PS3_CHUNK, lim, &chunk, d);
	if (rc < 0)
		return rc;
	rc = odfi_vnd_plan_start(plan, "ps3", img, part, recovery, &len, d);
	if (rc < 0)
		return rc;
	if (len > 0xFFFFFF) {
		odf_plan_release(plan);
		return odf_diag_set(d, ODF_E_MISMATCH, "the image (%zu bytes) "
				    "does not fit the 24-bit WRITE BUFFER "
				    "offset", len);
	}
	plan->chunk = chunk;
	n = (len + chunk - 1) / chunk;
	snprintf(plan->what, sizeof(plan->what), "PS3 BD drive: WRITE BUFFER "
		 "mode 7, %zu chunk%s of up to %zu bytes", n, n == 1 ? "" : "s",
		 chunk);
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	/* ps3drive_fw.c: eject, then TUR must say "no medium" */
	s = odfi_vnd_cmd(plan, eject, 6, ODF_DIR_NONE, 0, 0, 30000, 1,
			 0, "eject (START STOP UNIT LoEj)");
	if (!s)
		goto nomem;
	if (!odfi_vnd_kind(plan, ODF_STEP_POLL_READY, 10000, 0, 0,
			   "TEST UNIT READY: no medium"))
		goto nomem;
	for (size_t off = 0; off < len; off += chunk) {
		size_t k = len - off < chunk ? len - off : chunk;

		odf_cdb_write_buffer(cdb, ODF_WB_MODE_DMC_OFFS_SAVE, 0, 0,
				     (uint32_t)off, (uint32_t)k);
		snprintf(label, sizeof(label), "download 0x%06x+%u",
			 (unsigned)off, (unsigned)k);
		s = odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, off, k,
				 PS3_CMD_TIMEOUT_MS, (unsigned)((k + 4095) / 4096),
				 off == 0 ? ODF_STEP_PONR : 0, label);
		if (!s)
			goto nomem;
		s->image_bytes = k;
	}
	/* TUR every 100 ms until 02/3A/00: the drive has written its flash;
	 * ps3drive_fw.c stops at once on 04/3E/01, 05/24/00 or 05/26/00 */
	if (!odfi_vnd_kind(plan, ODF_STEP_POLL_READY, PS3_TIMEOUT_MS, 4,
			   ODF_STEP_SAFE | ODF_STEP_FATAL_SENSE,
			   "wait until the drive reports no medium"))
		goto nomem;
	/* a drive behind a USB bridge re-enumerates with its new firmware */
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.reopen_label = "reopen the drive",
		.poll_ms = PS3_TIMEOUT_MS,
		.poll_label = "wait for the drive" }, d);
nomem:
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static const struct odf_driver_ops ps3_ops = {
	.chunk_align = PS3_ALIGN,
	.chunk_max = PS3_CHUNK,
	.dump_ext = ".bin",
	.plan = ps3_plan,
	.verify = odfi_vnd_verify_identity,
};

const struct odf_driver odf_driver_ps3 = {
	.name = "ps3",
	.description = "Sony PS3 BD drive (WRITE BUFFER mode 7, dsd-nexus "
		       "libps3drive)",
	.family = ODF_FAMILY_PS3,
	.probe = ps3_probe,
	.ops = &ps3_ops,
};
