/* odflash vendor driver: MediaTek MT1959 (LG/HL-DT-ST BU40N, BH16NS..,
 * WH16NS.., ASUS BW-16D1HT / BW-16D1H-U Blu-ray writers).
 *
 * Facts: superg/redumper@2ab9a42 drive/flash_mt1959.ixx
 * (docs/internals/protocols.md §5.6):
 *   - the drives and their config IDs: MT1959_SUPPORTED_DRIVES (vendor,
 *     product -> "MT1959 Boot BU5 " / "MT1959 Boot JB8 ");
 *   - read_mt1959_config: READ BUFFER mode 6 (download microcode with
 *     offsets), buffer offset 0x3000, 0x20 bytes; its first 16 bytes are
 *     the config ID, which redumper_flash_mt1959 requires to equal the
 *     file's at 0x3000;
 *   - modify_firmware: image bytes 0..0x10000 set to FFh, the drive's 32
 *     bytes copied to 0x3000;
 *   - flash_mt1959: WRITE BUFFER mode 1 (vendor specific) without data,
 *     then mode 6 per 0x4000 bytes with buffer offset = file offset, the
 *     status of every command checked; then TEST UNIT READY once a second
 *     for at most 15 s until it answered GOOD twice -- redumper prints
 *     "flashing success" even when it never did.  odflash polls as long
 *     and fails the run when the drive does not come back (exit 6 with
 *     the state, the session's POLL_READY failure after the write).
 * The WRITE/READ BUFFER CDB layout: SPC-4 (docs/internals/protocols.md
 * §1.1, §1.3); redumper's scsi/cmd.ixx cmd_write_buffer/cmd_read_buffer
 * fill it the same way.
 * A drive in its boot loader reports the revision "BOOT"
 * (ASUS_BW-16D1HT_BOOT in RibShark/OmniDrive issue reports [FORUM]).
 * INFERRED (no source says): the boot loader answers the same READ BUFFER
 * and WRITE BUFFER commands (the config block and the locked boot area
 * lie below 0x10000, which the image never rewrites), so a drive left in
 * it is recovered with the flash plan.
 * Dump: no public source reads more than the 0x20-byte config block with
 * READ BUFFER mode 6 on these drives (coastermelt's address-space read is
 * documented for the MT1939 only, §5.2), so there is no dump and verify
 * compares the drive's identity only.
 * The probe keeps the drive's 32 bytes at 0x3000 (odf_drive_ident.unit):
 * a crossflash matches a backup of this unit by them and carries them
 * over (lib/session/unitdata.c; the signature and calibration come from
 * that backup, since nothing reads them from the drive).
 * The block is 0x4000 in redumper; no source says the drive takes another
 * size, so a path that carries less is refused before anything is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define MT59_BLOCK 0x4000u
#define MT59_CFG 0x3000u
#define MT59_CFG_LEN 0x20u
#define MT59_ID_LEN 0x10u
#define MT59_CLEAR 0x10000u
#define MT59_SIZE 0x200000u
#define MT59_TIMEOUT_MS 120000u
#define MT59_POLL_MS 15000u	/* redumper's wait_seconds */

/* redumper@2ab9a42 drive/flash_mt1959.ixx: MT1959_SUPPORTED_DRIVES */
static const struct {
	const char *vendor, *product, *config;
} mt59_drives[] = {
	{ "HL-DT-ST", "BD-RE BU40N", "MT1959 Boot BU5" },
	{ "ASUS", "BW-16D1HT", "MT1959 Boot JB8" },
	{ "ASUS", "BW-16D1H-U", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE BH16NS60", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE WH16NS60", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE BH16NS58", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE WH16NS58", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE BH16NS55", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE BH16NS50", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE BH14NS50", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE BH16NS40", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE WH16NS40", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE BH14NS40", "MT1959 Boot JB8" },
	{ "HL-DT-ST", "BD-RE WH14NS40", "MT1959 Boot JB8" },
};

static const char *
mt59_config_of(const char *vendor, const char *product)
{
	for (size_t i = 0; i < sizeof(mt59_drives) / sizeof(mt59_drives[0]);
	     i++)
		if (strcmp(mt59_drives[i].vendor, vendor) == 0 &&
		    strcmp(mt59_drives[i].product, product) == 0)
			return mt59_drives[i].config;
	return NULL;
}

static int
mt59_read_config(struct odf_dev *dev, uint8_t out[MT59_CFG_LEN],
		 struct odf_diag *d)
{
	uint8_t cdb[10];

	odf_cdb_read_buffer(cdb, 0x06, 0x00, MT59_CFG, MT59_CFG_LEN);
	return odfi_vnd_run(dev, cdb, 10, ODF_DIR_IN, out, MT59_CFG_LEN,
			    10000, "READ BUFFER mode 6 (config 0x3000)", d);
}

static int
mt59_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	   struct odf_drive_ident *id, struct odf_diag *d)
{
	const char *cfg;
	uint8_t c[MT59_CFG_LEN];
	struct odf_diag rd;

	(void)d;
	if (inq->pdt != 5)
		return 0;
	cfg = mt59_config_of(inq->vendor, inq->product);
	if (!cfg)
		return 0;
	id->mode = strcmp(inq->revision, "BOOT") == 0 ||
		   odfi_vnd_in_boot_code(dev) ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	odf_diag_clear(&rd);
	if (mt59_read_config(dev, c, &rd) == 0) {
		/* the unit's own block: a backup of this unit holds it */
		id->unit_at = MT59_CFG;
		id->unit_len = MT59_CFG_LEN;
		memcpy(id->unit, c, MT59_CFG_LEN);
		odf_str_trim(id->target, sizeof(id->target), c, MT59_ID_LEN,
			     ODF_STR_MARK);
		snprintf(id->detail, sizeof(id->detail), "MediaTek MT1959, "
			 "config ID '%s' (redumper lists %s %s as '%s')",
			 id->target, inq->vendor, inq->product, cfg);
	} else {
		id->target[0] = '\0';
		snprintf(id->detail, sizeof(id->detail), "MediaTek MT1959 by "
			 "INQUIRY; its config block (READ BUFFER mode 6 at "
			 "0x3000) could not be read");
	}
	return 1;
}

static int
mt59_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
		struct odf_path_limits *lim, struct odf_diag *d)
{
	uint8_t c[MT59_CFG_LEN];

	(void)id;
	(void)lim;
	return mt59_read_config(dev, c, d);
}

/* The first block's data (odf_step_fill_fn): FFh but for the drive's own
 * 32 config bytes at 0x3000 (redumper modify_firmware), sent only when
 * the drive's config ID is still the file's (redumper_flash_mt1959). */
static int
mt59_fill_first(const uint8_t *in, size_t in_len, uint8_t *out,
		size_t out_len, struct odf_diag *d)
{
	if (in_len != MT59_CFG_LEN || out_len < MT59_CFG + MT59_CFG_LEN)
		return odf_diag_set(d, ODF_E_INTERNAL, "MT1959 first block: "
				    "wrong sizes");
	if (memcmp(in, out + MT59_CFG, MT59_ID_LEN) != 0) {
		char a[17], b[17];

		odf_str_trim(a, sizeof(a), in, MT59_ID_LEN, ODF_STR_MARK);
		odf_str_trim(b, sizeof(b), out + MT59_CFG, MT59_ID_LEN,
			     ODF_STR_MARK);
		odf_diag_reason(d, ODF_R_INCOMPATIBLE);
		odf_diag_fact_model(d, b, a);
		return odf_diag_set(d, ODF_E_MISMATCH, "the drive's config ID "
				    "'%s' is not the image's '%s'", a, b);
	}
	memcpy(out + MT59_CFG, in, MT59_CFG_LEN);
	return 0;
}

static int
mt59_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	  size_t part, const struct odf_path_limits *lim,
	  enum odf_plan_kind kind, struct odf_plan *plan, struct odf_diag *d)
{
	const struct odf_image_info *info = odf_image_info(img, part);
	char label[ODF_STEP_LABEL_MAX];
	size_t len, rd, first = 0;
	uint8_t cdb[10];
	uint8_t *data;
	int rc;

	rc = odfi_vnd_fixed_chunk(lim, MT59_BLOCK, "an MT1959", d);
	if (rc < 0)
		return rc;
	if (!id->target[0])
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the drive's config "
				    "block (READ BUFFER mode 6 at 0x3000) could "
				    "not be read: its config ID is unknown, so "
				    "no image can be checked against it");
	if (!info || strcmp(info->target, id->target) != 0) {
		odf_diag_reason(d, ODF_R_INCOMPATIBLE);
		odf_diag_fact_model(d, info ? info->target : "", id->target);
		return odf_diag_set(d, ODF_E_MISMATCH, "the image's config ID "
				    "'%s' is not the drive's '%s'",
				    info ? info->target : "", id->target);
	}
	/* room for the drive's config block after the image */
	rc = odfi_vnd_plan_start_sized(plan, "mt1959", img, part,
				       kind == ODF_PLAN_RECOVER, "an MT1959",
				       MT59_SIZE, MT59_CFG_LEN, &len, d);
	if (rc < 0)
		return rc;
	data = plan->data;
	memset(data, 0xFF, MT59_CLEAR);		/* modify_firmware */
	memcpy(data + MT59_CFG, odf_image_data(img, part, &rd) + MT59_CFG,
	       MT59_ID_LEN);			/* checked by the fill */
	plan->chunk = MT59_BLOCK;
	snprintf(plan->what, sizeof(plan->what), "MediaTek MT1959 (%.20s): "
		 "WRITE BUFFER mode 1, mode 6 x %u blocks of 16 KiB",
		 id->target, (unsigned)(len / MT59_BLOCK));
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	odf_cdb_read_buffer(cdb, 0x06, 0x00, MT59_CFG, MT59_CFG_LEN);
	if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_IN, len, MT59_CFG_LEN,
			  10000, 1, ODF_STEP_KEEP_IN, "read the config block"))
		goto nomem;
	rd = plan->n - 1;
	odf_cdb_write_buffer(cdb, 0x01, 0, 0, 0, 0);
	if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_NONE, 0, 0, MT59_TIMEOUT_MS,
			  1, ODF_STEP_PONR | ODF_STEP_REJECT_SAFE,
			  "WRITE BUFFER mode 1 (start)"))
		goto nomem;
	for (size_t off = 0; off < len; off += MT59_BLOCK) {
		struct odf_plan_step *s;

		odf_cdb_write_buffer(cdb, 0x06, 0, 0, (uint32_t)off,
				     MT59_BLOCK);
		snprintf(label, sizeof(label), "WRITE BUFFER mode 6 0x%06x",
			 (unsigned)off);
		s = odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, off, MT59_BLOCK,
				 MT59_TIMEOUT_MS, MT59_BLOCK / 4096,
				 off + MT59_BLOCK >= len ?
				 ODF_STEP_MAY_REBOOT : 0, label);
		if (!s)
			goto nomem;
		s->image_bytes = MT59_BLOCK;
		if (off == 0)
			first = plan->n - 1;
	}
	if (odf_plan_set_computed(plan, first, rd, mt59_fill_first) < 0) {
		odf_plan_release(plan);
		return odf_diag_set(d, ODF_E_INTERNAL, "MT1959 plan: computed "
				    "step");
	}
	/* redumper: TEST UNIT READY until GOOD twice, 15 s at most */
	if (!odfi_vnd_kind(plan, ODF_STEP_POLL_READY, MT59_POLL_MS, 2,
			   ODF_STEP_FATAL_SENSE, "wait for the drive (1st GOOD)"))
		goto nomem;
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.reopen_label = "reopen (the drive may re-enumerate)",
		.poll_ms = MT59_POLL_MS, .poll_weight = 2,
		.poll_flags = ODF_STEP_SAFE | ODF_STEP_FATAL_SENSE,
		.poll_label = "wait for the drive (2nd GOOD)" }, d);
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static const struct odf_driver_ops mt59_ops = {
	.chunk_align = MT59_BLOCK,
	.chunk_max = MT59_BLOCK,
	.dump_ext = ".bin",
	.no_dump = "the MT1959 protocol has no command known to read the "
		   "firmware back (READ BUFFER mode 6 is known only for the "
		   "32-byte config block at 0x3000)",
	.path_probe = mt59_path_probe,
	.plan = mt59_plan,
	.verify = odfi_vnd_verify_identity,
};

const struct odf_driver odf_driver_mt1959 = {
	.name = "mt1959",
	.description = "MediaTek MT1959 LG/ASUS BD writers (redumper: READ "
		       "BUFFER config at 0x3000, WRITE BUFFER mode 1 + mode 6 "
		       "in 0x4000 blocks; verify by identity, no dump; a "
		       "crossflash keeps the unit's signature and "
		       "calibration from a verified backup)",
	.family = ODF_FAMILY_MT1959,
	.probe = mt59_probe,
	.ops = &mt59_ops,
};
