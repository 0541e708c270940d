/* odflash vendor driver: Samsung SD-616F DVD-ROM (MediaTek MT1329E).
 *
 * Facts: superg/redumper@2ab9a42 (docs/internals/protocols.md §5.1, §5.5):
 *   - drive/flash_sd616.ixx:redumper_flash_sd616: only vendor "SAMSUNG",
 *     product "DVD-ROM SD-616F" (SAMSUNG_SUPPORTED_DRIVES); the 0x20000-byte
 *     file is re-laid into a 0x30000-byte stream, zero where nothing is
 *     copied: stream 0x00000..0x0FFFF = file 0x00000..0x0FFFF; stream
 *     0x10400..0x1FBFF = file 0x10000..0x1F7FF; stream 0x20000..0x207FF =
 *     file 0x1F800..0x1FFFF; stream 0x20800..0x2FBFF = file
 *     0x10400..0x1F7FF (sd616_stream below);
 *   - drive/flash_tsst.ixx:flash_tsst with block 0x10000 and END_128KB:
 *     the stream in 0x10000-byte pieces, FF 00 01 00 00 <mode> 00 00 00 00
 *     00 00 (scsi/cmd.ixx:cmd_flash_tsst, scsi/mmc.ixx CDB12_FlashTSST:
 *     byte 2 = 01, byte 5 = mode; FLASH_TSST_Mode START 00, CONTINUE FF,
 *     END_128KB 02): 00, FF, 02; the status of each checked;
 *   - nothing after the last piece: no read-back, no wait ("flashing
 *     success").  odflash verifies by the drive's identity and says so,
 *     and reopens and waits for the drive after the last piece.
 * INFERRED (no source says): the SD-616T is not in redumper's list, so it
 * is not claimed; the MediaTek version sub-code FF 00 FF .. AA
 * (rbdixon/coastermelt lib/mt1939_scsi.h, §5.2) is ignored like any
 * unknown FF sub-code (coastermelt doc/bootloader.txt says so of the
 * MT1939, §5.1; odflash's mtk-ff driver sends it to the MT1339 alike), so
 * the probe sends it to learn whether the path carries opcode FFh: 05/20
 * (INVALID COMMAND OPERATION CODE) from a drive in normal mode means a
 * bridge drops vendor opcodes, and the flash is refused before anything
 * is sent; the drive may write from the first piece on (the point
 * of no return is the first FF command); a drive whose firmware does not
 * start answers with the revision "BOOT" and takes the same commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define SD616_SIZE 0x20000u
#define SD616_STREAM 0x30000u
#define SD616_BLOCK 0x10000u
#define SD616_TIMEOUT_MS 50000u	/* redumper's default (options.ixx) */

/* redumper_flash_sd616's copy map (see the top): stream <- file */
static void
sd616_stream(const uint8_t *f, uint8_t *s)
{
	memset(s, 0, SD616_STREAM);
	memcpy(s, f, 0x10000);
	memcpy(s + 0x10400, f + 0x10000, 0xF800);
	memcpy(s + 0x20000, f + 0x1F800, 0x800);
	memcpy(s + 0x20800, f + 0x10400, 0xF400);
}

/* The harmless vendor command (see the top). */
static int
sd616_ff_probe(struct odf_dev *dev, struct odf_diag *d)
{
	uint8_t cdb[12] = { 0xFF, 0x00, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0xAA };
	uint8_t v[8];

	return odfi_vnd_run(dev, cdb, 12, ODF_DIR_IN, v, sizeof(v), 10000,
			    "MediaTek FF 00 FF (path check)", d);
}

static int
sd616_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	    struct odf_drive_ident *id, struct odf_diag *d)
{
	struct odf_diag vd;

	(void)d;
	if (inq->pdt != 5 || strcmp(inq->vendor, "SAMSUNG") != 0 ||
	    strcmp(inq->product, "DVD-ROM SD-616F") != 0)
		return 0;
	snprintf(id->target, sizeof(id->target), "SD-616F");
	id->mode = strcmp(inq->revision, "BOOT") == 0 ||
		   odfi_vnd_in_boot_code(dev) ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	odf_diag_clear(&vd);
	if (id->mode == ODF_MODE_NORMAL && sd616_ff_probe(dev, &vd) < 0 &&
	    vd.sense_valid && vd.sense_key == ODF_SK_ILLEGAL_REQUEST &&
	    vd.asc == 0x20)
		id->vendor_silent = true;
	snprintf(id->detail, sizeof(id->detail), "Samsung SD-616F, MediaTek "
		 "MT1329E (redumper: FF 00 01 in 0x10000 pieces, END 02)");
	return 1;
}

static int
sd616_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
		 struct odf_path_limits *lim, struct odf_diag *d)
{
	(void)id;
	(void)lim;
	return sd616_ff_probe(dev, d);
}

static int
sd616_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	   size_t part, const struct odf_path_limits *lim,
	   enum odf_plan_kind kind, struct odf_plan *plan, struct odf_diag *d)
{
	char label[ODF_STEP_LABEL_MAX];
	size_t len;
	uint8_t *s;
	int rc;

	(void)id;
	rc = odfi_vnd_fixed_chunk(lim, SD616_BLOCK, "the SD-616F", d);
	if (rc < 0)
		return rc;
	rc = odfi_vnd_plan_start_sized(plan, "sd616", img, part,
				       kind == ODF_PLAN_RECOVER,
				       "a Samsung SD-616", SD616_SIZE, 0, &len,
				       d);
	if (rc < 0)
		return rc;
	s = malloc(SD616_STREAM);
	if (!s)
		goto nomem;
	sd616_stream(plan->data, s);
	odf_plan_set_data(plan, s, SD616_STREAM);
	plan->chunk = SD616_BLOCK;
	snprintf(plan->what, sizeof(plan->what), "Samsung SD-616F (MT1329E) "
		 "FF 00 01: 3 pieces of 64 KiB, ST 00/FF/02 (redumper)");
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	for (uint32_t off = 0; off < SD616_STREAM; off += SD616_BLOCK) {
		uint8_t cdb[12] = { 0xFF, 0x00, 0x01, 0x00, 0x00, 0x00 };
		bool last = off + SD616_BLOCK >= SD616_STREAM;
		unsigned fl = 0;
		struct odf_plan_step *st;

		cdb[5] = off == 0 ? 0x00 : last ? 0x02 : 0xFF;
		if (off == 0)
			fl |= ODF_STEP_PONR | ODF_STEP_REJECT_SAFE;
		if (last)
			fl |= ODF_STEP_MAY_REBOOT;
		snprintf(label, sizeof(label), "FF 01 ST %02X stream 0x%05x",
			 cdb[5], (unsigned)off);
		st = odfi_vnd_cmd(plan, cdb, 12, ODF_DIR_OUT, off, SD616_BLOCK,
				  SD616_TIMEOUT_MS, SD616_BLOCK / 4096, fl,
				  label);
		if (!st)
			goto nomem;
		/* the file bytes each piece brings first: 0x10000, 0xF800
		 * and 0x800 (the rest is zero padding or a second copy of
		 * file 0x10400..0x1F7FF): 0x20000 in all */
		st->image_bytes = off == 0 ? 0x10000 : last ? 0x800 : 0xF800;
	}
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.reopen_label = "reopen (the drive may re-enumerate)",
		.poll_ms = 100000, .poll_weight = 4,
		.poll_flags = ODF_STEP_SAFE | ODF_STEP_FATAL_SENSE,
		.poll_label = "wait for the drive" }, d);
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static const struct odf_driver_ops sd616_ops = {
	.chunk_align = SD616_BLOCK,
	.chunk_max = SD616_BLOCK,
	.dump_ext = ".bin",
	.no_dump = "the SD-616 protocol (redumper) has no command known to "
		   "read the firmware back",
	.path_probe = sd616_path_probe,
	.plan = sd616_plan,
	.verify = odfi_vnd_verify_identity,
};

const struct odf_driver odf_driver_sd616 = {
	.name = "sd616",
	.description = "Samsung SD-616F DVD-ROM, MediaTek MT1329E (redumper: "
		       "file re-laid into a 0x30000 stream, FF 00 01 in 0x10000 "
		       "pieces, END 02; verify by identity, no dump)",
	.family = ODF_FAMILY_SD616,
	.probe = sd616_probe,
	.ops = &sd616_ops,
};
