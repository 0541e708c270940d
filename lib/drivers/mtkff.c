/* odflash vendor driver: MediaTek "FF" family, MT1939 (Samsung/TSST
 * SE-506CB and relatives) and MT1339 (TSST/hp DVD-ROMs).
 *
 * Facts: rbdixon/coastermelt lib/mt1939_scsi.h, flasher/flasher.cpp,
 * doc/bootloader.txt (docs/internals/protocols.md §5.1-§5.2):
 *   - version: `FF 00 FF 00 .. 00 AA` (12-byte CDB) -> 8 bytes (the
 *     boot loader answers 00 06 01 01 54 53 20 00);
 *   - flash: `FF 00 01 00 00 ST 00 ..` (12-byte CDB, data out), ST = 00
 *     for the first block, FF to continue, 02 for the last; a 2 MiB image
 *     goes as 0xF800 + 32 x 0xF800 + a final 2048 bytes; "halfway ... a
 *     10 second pause as the device commits the first megabyte", another
 *     10 s after the last block, then the drive reboots and re-enumerates
 *     (the tool ignores the last status and reopens, 100 x 1 s); the
 *     first 64 KiB (boot region) is locked and ignored;
 *   - dump: READ BUFFER mode 6 `3C 06 00 AA AA AA LL LL LL 00` reads the
 *     ARM address space, flash included (24-bit address) [inferred: flash
 *     mapped at address 0, readable while the firmware runs].
 * MT1339: superg/redumper drive/flash_mt1339.ixx (later flash_tsst.ixx)
 * sends the 256 KiB image as is in 0xFC00-byte blocks ("taken from the
 * original flasher"), START 00 / CONTINUE FF / END 04 (END_256KB), checks
 * the status of every command, the last one included, and has no
 * read-back (docs/internals/protocols.md §5.4).  Its allowlist: TSSTcorp or
 * hp SH-D162C/D, SH-D163A/B/C, TS-H352C/D, TS-H353A/B/C, SH-116AB,
 * SH-118CB; the TS-H353C is an MT1339 [FORUM] (§5.4).  READ BUFFER
 * mode 6 reading flash is confirmed only on the MT1939 and MT1959
 * (§5.2, §5.6): the MT1339 gets no dump and verify compares the
 * identity only.  The version command FF 00 FF is documented only for the
 * MT1939 boot loader: on the MT1339 it is sent only as the harmless FF
 * command that proves the path (unknown FF sub-codes are ignored,
 * coastermelt doc/bootloader.txt; INFERRED to hold for the MT1339).
 * The boot loader keeps working when the image is broken (it lives in the
 * locked region): a drive in boot mode is recovered with the same plan
 * (INFERRED for the MT1339: no source says what its boot code does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define FF_TIMEOUT_MS 300000u
#define FF_BOOT 0x10000u	/* MT1939: the locked boot region */
#define FF_DUMP_CHUNK 0x8000u

struct ff_chip {
	const char *chip;
	size_t block;		/* data bytes per FF 01 command */
	uint8_t st_end;		/* ST of the last block */
	size_t image;		/* bytes of a whole image */
	bool read_buffer;	/* READ BUFFER mode 6 reads the flash */
	bool version;		/* FF 00 FF answers the 8-byte version */
};
/* coastermelt lib/mt1939_scsi.h, doc/bootloader.txt */
static const struct ff_chip ff_mt1939 = { "MT1939", 0xF800, 0x02, 0x200000,
					  true, true };
/* redumper drive/flash_mt1339.ixx, flash_tsst.ixx, scsi/mmc.ixx */
static const struct ff_chip ff_mt1339 = { "MT1339", 0xFC00, 0x04, 0x40000,
					  false, false };

static const struct {
	const char *vendor, *model;
	const struct ff_chip *chip;
} ff_drives[] = {
	{ "TSSTcorp", "SE-506CB", &ff_mt1939 },	/* coastermelt */
	{ "TSSTcorp", "SE-506BB", &ff_mt1939 },	/* same board family */
	{ "TSSTcorp", "SE-506AB", &ff_mt1939 },
	/* redumper's TSST allowlist (flash_tsst.ixx), vendor TSSTcorp or hp */
#define M13(m) { "TSSTcorp", m, &ff_mt1339 }, { "hp", m, &ff_mt1339 }
	M13("TS-H353C"), M13("TS-H353B"), M13("TS-H353A"),
	M13("TS-H352C"), M13("TS-H352D"), M13("SH-D162C"), M13("SH-D162D"),
	M13("SH-D163A"), M13("SH-D163B"), M13("SH-D163C"), M13("SH-116AB"),
	M13("SH-118CB"),
#undef M13
};

static const struct ff_chip *
ff_chip_of(const char *vendor, const char *model)
{
	for (size_t i = 0; i < sizeof(ff_drives) / sizeof(ff_drives[0]); i++)
		if (strcmp(ff_drives[i].vendor, vendor) == 0 &&
		    strcmp(ff_drives[i].model, model) == 0)
			return ff_drives[i].chip;
	return NULL;
}

static int
ff_version(struct odf_dev *dev, uint8_t out[8], struct odf_diag *d)
{
	uint8_t cdb[12] = { 0xFF, 0x00, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0xAA };

	return odfi_vnd_run(dev, cdb, 12, ODF_DIR_IN, out, 8, 10000,
			    "MediaTek version (FF 00 FF)", d);
}

static int
ff_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	 struct odf_drive_ident *id, struct odf_diag *d)
{
	const char *t = strrchr(inq->product, ' ');
	const struct ff_chip *chip;
	struct odf_diag vd;
	uint8_t v[8];
	int vr = -1;

	(void)d;
	memset(v, 0, sizeof(v));
	if (inq->pdt != 5)
		return 0;
	chip = ff_chip_of(inq->vendor, t ? t + 1 : inq->product);
	if (!chip)
		return 0;
	snprintf(id->target, sizeof(id->target), "%s", t ? t + 1 :
		 inq->product);
	id->mode = odfi_vnd_in_boot_code(dev) ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	if (chip->version || id->mode == ODF_MODE_NORMAL) {
		/* the path probe's own harmless command (ff_path_probe) */
		odf_diag_clear(&vd);
		vr = ff_version(dev, v, &vd);
	}
	if (vr == 0 && chip->version)
		snprintf(id->detail, sizeof(id->detail), "MediaTek %s, FF "
			 "protocol; version %02X %02X %02X %02X %02X %02X %02X "
			 "%02X", chip->chip, v[0], v[1], v[2], v[3], v[4], v[5],
			 v[6], v[7]);
	else if (vr < 0 && id->mode == ODF_MODE_NORMAL && vd.sense_valid &&
		 vd.sense_key == ODF_SK_ILLEGAL_REQUEST && vd.asc == 0x20) {
		/* FF 00 FF is an unknown opcode to a MediaTek drive in normal
		 * mode: the path filters vendor opcodes
		 * (docs/internals/protocols.md §1.8) */
		id->vendor_silent = true;
		snprintf(id->detail, sizeof(id->detail), "MediaTek %s by "
			 "INQUIRY, but FF 00 FF gets no answer", chip->chip);
	} else
		snprintf(id->detail, sizeof(id->detail), "MediaTek %s, FF "
			 "protocol", chip->chip);
	return 1;
}

static int
ff_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
	      struct odf_path_limits *lim, struct odf_diag *d)
{
	uint8_t v[8];

	(void)id;
	(void)lim;
	/* one harmless vendor command proves the path carries FF opcodes
	 * (the MT1339 ignores the sub-code: INFERRED, see the top) */
	return ff_version(dev, v, d);
}

static int
ff_dump(struct odf_dev *dev, const struct odf_drive_ident *id,
	const struct odf_dump_req *req, uint8_t **out, size_t *len,
	struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(dev);
	const struct ff_chip *chip = ff_chip_of(id->vendor, id->target);
	size_t chunk = FF_DUMP_CHUNK, size;
	uint8_t *buf;

	if (!chip || !chip->read_buffer) {
		odf_diag_reason(d, ODF_R_NO_DUMP);
		odf_diag_fact_device(d, odfi_vnd_dev_name(dev));
		odf_diag_fact_family(d, ODF_FAMILY_MTK_FF);
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the %s has no "
				    "command known to read the firmware back "
				    "(READ BUFFER mode 6 reads flash only on "
				    "the MT1939), so there is no dump; nothing "
				    "was read or changed", chip ? chip->chip :
				    "drive");
	}
	size = chip->image;
	if (id->mode != ODF_MODE_NORMAL) {
		odf_diag_reason(d, ODF_R_RECOVER_FIRST);
		odf_diag_fact_device(d, odfi_vnd_dev_name(dev));
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the MediaTek boot "
				    "loader does not offer READ BUFFER mode 6");
	}
	if (in && in->max_transfer && in->max_transfer < chunk)
		chunk = in->max_transfer & ~(size_t)0x7FF;
	if (chunk == 0)
		return odf_diag_set(d, ODF_E_PATH, "the path carries less than "
				    "2 KiB per command");
	buf = malloc(size);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	for (size_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;
		uint8_t cdb[10] = { 0x3C, 0x06, 0x00 };
		int rc;

		odf_put_be24(cdb + 3, (uint32_t)off);
		odf_put_be24(cdb + 6, (uint32_t)n);
		rc = odfi_vnd_run(dev, cdb, 10, ODF_DIR_IN, buf + off, n,
				  60000, "READ BUFFER mode 6", d);
		if (rc < 0) {
			free(buf);
			return rc;
		}
		if (req && req->progress)
			req->progress(req->progress_ctx, "dump",
				      (uint64_t)(off + n), size);
	}
	*out = buf;
	*len = size;
	return 0;
}

static int
ff_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	const struct ff_chip *chip = ff_chip_of(id->vendor, id->target);
	char label[ODF_STEP_LABEL_MAX];
	size_t len;
	int rc;

	if (!chip)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "no MediaTek FF "
				    "chip known for %s %s", id->vendor,
				    id->target);
	{
		char who[48];

		snprintf(who, sizeof(who), "the %s", chip->chip);
		rc = odfi_vnd_fixed_chunk(lim, chip->block, who, d);
		if (rc < 0)
			return rc;
	}
	{
		char what[32];

		snprintf(what, sizeof(what), "a %s", chip->chip);
		rc = odfi_vnd_plan_start_sized(plan, "mtk-ff", img, part,
					       recovery, what, chip->image, 0,
					       &len, d);
		if (rc < 0)
			return rc;
	}
	plan->chunk = chip->block;
	snprintf(plan->what, sizeof(plan->what), "MediaTek %s FF 00 01: %u "
		 "blocks of %u bytes, ST 00/FF/%02X", chip->chip,
		 (unsigned)((len + chip->block - 1) / chip->block),
		 (unsigned)chip->block, chip->st_end);
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	for (size_t off = 0; off < len; off += chip->block) {
		size_t k = len - off < chip->block ? len - off : chip->block;
		bool last = off + k >= len;
		uint8_t cdb[12] = { 0xFF, 0x00, 0x01, 0x00, 0x00, 0x00 };
		unsigned fl = 0;
		struct odf_plan_step *s;

		cdb[5] = off == 0 ? 0x00 : last ? chip->st_end : 0xFF;
		if (off == 0)
			fl |= ODF_STEP_PONR;
		if (last)
			fl |= ODF_STEP_MAY_REBOOT;
		snprintf(label, sizeof(label), "FF 01 ST %02X 0x%06x+%u",
			 cdb[5], (unsigned)off, (unsigned)k);
		s = odfi_vnd_cmd(plan, cdb, 12, ODF_DIR_OUT, off, k,
				 FF_TIMEOUT_MS, (unsigned)((k + 4095) / 4096),
				 fl, label);
		if (!s)
			goto nomem;
		s->image_bytes = k;
	}
	/* coastermelt: ignore the last status, reset, reopen, poll (MT1339:
	 * redumper reads the last status; the reset after it is INFERRED,
	 * and harmless when the drive stays) */
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.reopen_label = "reopen (the drive re-enumerates)",
		.poll_ms = 100000, .poll_weight = 4,
		.poll_flags = ODF_STEP_SAFE,
		.poll_label = "wait for the drive" }, d);
nomem:
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static int
ff_verify(struct odf_dev *dev, const struct odf_drive_ident *id,
	  const struct odf_image *img, size_t part, struct odf_diag *d)
{
	size_t len = 0;
	const uint8_t *p = odf_image_data(img, part, &len);
	uint8_t *buf = NULL;
	size_t blen = 0;
	int rc;

	rc = ff_dump(dev, id, NULL, &buf, &blen, d);
	if (rc < 0)
		return rc;
	/* the boot region is locked: the drive keeps its own */
	if (blen != len || memcmp(buf + FF_BOOT, p + FF_BOOT,
				  len - FF_BOOT) != 0)
		rc = odf_diag_set(d, ODF_E_VERIFY, "the drive's flash (READ "
				  "BUFFER mode 6) differs from the image after "
				  "the boot region");
	free(buf);
	return rc;
}

static const struct odf_driver_ops ff_ops = {
	.chunk_align = 0xF800,	/* per chip: MT1939 0xF800, MT1339 0xFC00 */
	.chunk_max = 0xFC00,
	.dump_ext = ".bin",
	.dump = ff_dump,
	.path_probe = ff_path_probe,
	.plan = ff_plan,
	.verify = ff_verify,
};

const struct odf_driver odf_driver_mtkff = {
	.name = "mtk-ff",
	.description = "MediaTek FF family: MT1939 TSST (coastermelt; 0xF800 "
		       "blocks, dump), MT1339 TSST (redumper; 0xFC00 blocks, "
		       "no dump)",
	.family = ODF_FAMILY_MTK_FF,
	.probe = ff_probe,
	.ops = &ff_ops,
};
