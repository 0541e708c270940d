/* odflash vendor driver: Plextor DVD writers (PX-708A ... PX-760A).
 *
 * Facts: speed47/qpxtool console/pxfw/pxfw.cpp -- WRITE BUFFER mode 04h
 * (download microcode) for every block but the last, mode 05h (download
 * and save) for the last; offset BE24 in CDB bytes 3-5, length BE24 in
 * 6-8; eject the disc and wait for the unit to be ready first; an error
 * on the last block is tolerated because the drive resets; INQUIRY
 * afterwards.  superg/redumper drive/flash_plextor.ixx -- the same mode
 * 4/5 scheme, a TEST UNIT READY before each block (as Plextor's own
 * flasher does), block 0x1000 for W4012/W4824/W5224/PREMIUM/704/708 and
 * 0x4000 for 712/714/716/755/760.  qpxtool lib/qpxplextor/
 * plextor_features.cpp: opcode EEh reboots the drive.  (Summary:
 * docs/internals/protocols.md §4.)
 *
 * The sources disagree on the block size: pxfw uses 16 KiB for the
 * W4824/W5224 and 4 KiB for every other model (so 4 KiB for the PX-716);
 * redumper uses 0x4000 for the PX-716.  We follow redumper's per-model
 * table: it is the later tool and states that its sequence mirrors
 * Plextor's official flasher, while pxfw's single rule cannot match
 * redumper's 4 KiB for the W4824/W5224.  The emulated PX-716 follows the
 * same choice and refuses 4 KiB blocks (05/24/00); a unit test pins it.
 *
 * The image's byte-sum checksum is checked by the image library before
 * any plan exists.  No command reads the firmware back (F1h reads the
 * EEPROM): no dump; verify = re-identification.  The boot code of a
 * Plextor drive with a broken firmware is not documented: no recovery
 * from boot mode.
 */
#include <stdio.h>
#include <string.h>

#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define PX_TIMEOUT_MS 300000u

static const struct {
	const char *model;
	size_t block;
} px_blocks[] = {
	/* redumper drive/flash_plextor.ixx */
	{ "PX-W4012A", 0x1000 }, { "PX-W4824A", 0x1000 },
	{ "PX-W5224A", 0x1000 }, { "PREMIUM", 0x1000 },
	{ "PX-704A", 0x1000 }, { "PX-708A", 0x1000 },
	{ "PX-708A2", 0x1000 },
	{ "PX-712A", 0x4000 }, { "PX-714A", 0x4000 },
	{ "PX-716A", 0x4000 }, { "PX-716AL", 0x4000 },
	{ "PX-755A", 0x4000 }, { "PX-760A", 0x4000 },
};

static size_t
px_block_of(const char *model)
{
	for (size_t i = 0; i < sizeof(px_blocks) / sizeof(px_blocks[0]); i++)
		if (strcmp(px_blocks[i].model, model) == 0)
			return px_blocks[i].block;
	return 0;
}

static int
px_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	 struct odf_drive_ident *id, struct odf_diag *d)
{
	const char *t;

	(void)d;
	if (inq->pdt != 5 || strcmp(inq->vendor, "PLEXTOR") != 0)
		return 0;
	t = strrchr(inq->product, ' ');
	snprintf(id->target, sizeof(id->target), "%s", t ? t + 1 :
		 inq->product);
	id->mode = odfi_vnd_in_boot_code(dev) ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	if (px_block_of(id->target))
		snprintf(id->detail, sizeof(id->detail), "Plextor WRITE BUFFER "
			 "mode 4/5 in %zu-byte blocks (redumper, pxfw)",
			 px_block_of(id->target));
	else
		snprintf(id->detail, sizeof(id->detail), "Plextor model not in "
			 "the block-size table: recognised, not flashed");
	return 1;
}

static int
px_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	size_t block = px_block_of(id->target), len, n;
	uint8_t cdb[ODF_CDB_MAX];
	char label[ODF_STEP_LABEL_MAX];
	struct odf_plan_step *s;
	int rc;

	if (block == 0)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "no public source "
				    "gives the WRITE BUFFER block size of the "
				    "Plextor %s: odflash does not guess it",
				    id->target);
	if (recovery && id->mode != ODF_MODE_NORMAL) {
		odf_diag_reason(d, ODF_R_NO_RECOVERY);
		odf_diag_fact_family(d, ODF_FAMILY_PLEXTOR);
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "a Plextor drive in "
				    "boot mode cannot be recovered: what its "
				    "boot code accepts is not public");
	}
	/* The block is fixed by the drive: a smaller path cap or --chunk
	 * cannot be honoured (choose_chunk says why). */
	{
		char who[48];

		snprintf(who, sizeof(who), "the Plextor %s", id->target);
		rc = odfi_vnd_fixed_chunk(lim, block, who, d);
		if (rc < 0)
			return rc;
	}
	rc = odfi_vnd_plan_start(plan, "plextor", img, part, recovery, &len,
				 d);
	if (rc < 0)
		return rc;
	plan->chunk = block;
	n = (len + block - 1) / block;
	snprintf(plan->what, sizeof(plan->what), "Plextor %.16s: WRITE "
		 "BUFFER mode 4 x %u, mode 5 last, %u-byte blocks", id->target,
		 (unsigned)(n - 1), (unsigned)block);
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	for (size_t off = 0; off < len; off += block) {
		size_t k = len - off < block ? len - off : block;
		bool last = off + k >= len;

		/* redumper: TEST UNIT READY before each block */
		if (!odfi_vnd_kind(plan, ODF_STEP_POLL_READY, 10000, 0, 0,
				   "TEST UNIT READY"))
			goto nomem;
		odf_cdb_write_buffer(cdb, last ? ODF_WB_MODE_DMC_SAVE :
				     ODF_WB_MODE_DMC, 0, 0, (uint32_t)off,
				     (uint32_t)k);
		snprintf(label, sizeof(label), "%s 0x%06x+%u", last ?
			 "download+save" : "download", (unsigned)off,
			 (unsigned)k);
		/* mode 4 only stages: the flash changes with the last block */
		s = odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, off, k,
				 PX_TIMEOUT_MS, (unsigned)((k + 4095) / 4096),
				 last ? ODF_STEP_PONR | ODF_STEP_MAY_REBOOT : 0,
				 label);
		if (!s)
			goto nomem;
		s->image_bytes = k;
	}
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.poll_ms = 120000, .poll_weight = 4,
		.poll_flags = ODF_STEP_SAFE,
		.poll_label = "wait for the drive to restart" }, d);
nomem:
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static const struct odf_driver_ops px_ops = {
	.chunk_align = 0x1000,
	.chunk_max = 0x4000,
	.dump_ext = ".bin",
	.plan = px_plan,
	.verify = odfi_vnd_verify_identity,
};

const struct odf_driver odf_driver_plextor = {
	.name = "plextor",
	.description = "Plextor (WRITE BUFFER mode 4/5, pxfw/redumper)",
	.family = ODF_FAMILY_PLEXTOR,
	.probe = px_probe,
	.ops = &px_ops,
};
