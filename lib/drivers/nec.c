/* odflash vendor driver: NEC / Optiarc drives (the binflash protocol).
 *
 * Every fact below is from the public binflash source, Liggy/binflash
 * (necinternal.cpp: IdentifyDrive, GetDriveID, ReadRAM, WriteRAM,
 * WriteRAMOpti, SetSafeMode, SendChecksum, EraseSingleBlock,
 * FlashSingleBlock; necinterface.cpp: Flash1M, Flash2M, Flash2MOpti,
 * DumpFirmware, RetrieveBootcodeVersion; drive.cpp: 300 s timeout), and
 * from the observed binflash v1.64 trace of an ND-3500A (77 commands for a
 * flash: docs/internals/protocols.md §2.5).  Dump IDs: binflash
 * FirmwareID.xlsx.
 * Facts only; no code was copied.
 *
 * Bootcode flash (plan_bootcode, read_boot): binflash's Bootflash tool
 * (BootflashDlg.cpp DoBootFlash and Flash1M/Flash2M/Flash2MOpti;
 * necinternal.cpp GetBootcodeSizeFromDriveType, WriteRAM, WriteRAMOpti,
 * SendChecksum, FlashBlock, ReadBoot; prepboot.cpp: a bootcode file is
 * the raw 0x4000 or 0x8000 bytes).  Its author marks the tool "might be
 * broken" (Liggy/binflash Tools.md): this path is offered behind a
 * second confirmation.
 *
 * Supported: the 1 MiB family (ND-2500/3500/3520/3530/3540, 6650), the
 * 2 MiB family (ND-3550/3551/4550/4551/7550) and the Optiarc x17x family
 * (AD-5170A/7170A/7173A).  Other NEC/Optiarc drives are recognised (info
 * shows them) but not flashed.
 *
 * The driver is three files with nec_int.h between them: nec.c (this
 * one: the layout and model tables, the CDB builders, the commands on a
 * device, the probe, the operations table), odfi_nec_plan.c (the firmware and
 * bootcode plans) and nec_read.c (dump, verify, ReadBoot, the bootcode
 * version).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/bytes.h"
#include "odf/vendor.h"
#include "drivers/nec_int.h"


/* Flash1M: RAM 0x6000+i for file 0..0xFA000, checksum = file[0xF9FFE],
 * index 8, erase/program 2..18.  Flash2M: RAM 0x10000+i, 0x1E0000 bytes,
 * checksum file[0x1E0000] index 0, erase 4..34, program 4..33.
 * Flash2MOpti: WriteRAMOpti to 0x30000+i, 0x1C0000 bytes, checksum
 * file[0x1C0000] index 0, erase and program single blocks 3..30
 * (binflash uses EraseSingleBlock CB 04 here, not EraseBlockOptiarc,
 * which belongs to later families).  Dump ranges from DumpFirmware. */
const struct nec_layout_info odfi_nec_layouts[] = {
	[NEC_1M] = { "1 MiB", 0x100000, 0x6000, 0xFA000, 0x6000,
		     2, 18, 2, 18, 0x5F00, false, false },
	[NEC_2M] = { "2 MiB", 0x200000, 0x10000, 0x1E0000, 0x10000,
		     4, 34, 4, 33, 0x5F00, false, true },
	[NEC_OPTI] = { "Optiarc 2 MiB", 0x200000, 0x30000, 0x1C0000, 0x30000,
		       3, 30, 3, 30, 0x20F00, true, true },
	[NEC_OTHER] = { "other", 0, 0, 0, 0, 0, 0, 0, 0, 0x5F00, false,
			false },
};

const struct nec_model odfi_nec_models[] = {
	{ { "K210", "K250", "K251", NULL }, "K210", "ND-2500A", NEC_1M, 0, true },
	{ { "K310", "K350", "K345", NULL }, "K310", "ND-3500A", NEC_1M, 0, false },
	{ { "K312", "K352", NULL, NULL }, "K352", "ND-3520A", NEC_1M, 0, false },
	{ { "K313", "K353", NULL, NULL }, "K353", "ND-3530A", NEC_1M, 0, false },
	{ { "K314", "K354", NULL, NULL }, "K354", "ND-3540A", NEC_1M, 0, false },
	{ { "L211", "L251", NULL, NULL }, "L251", "ND-6650A", NEC_1M, 0, false },
	{ { "K315", "K355", NULL, NULL }, "K355", "ND-3550A", NEC_2M, 0x93, false },
	{ { "K316", "K356", NULL, NULL }, "K356", "ND-3551A", NEC_2M, 0x94, false },
	{ { "K450", "K410", NULL, NULL }, "K450", "ND-4550A", NEC_2M, 0x8E, false },
	{ { "K451", "K411", NULL, NULL }, "K451", "ND-4551A", NEC_2M, 0x92, false },
	{ { "L350", "L310", NULL, NULL }, "L350", "ND-7550A", NEC_2M, 0x8F, false },
	{ { "D570", "D530", "K380", "K340" }, "D570", "AD-5170A", NEC_OPTI, 0xB6, false },
	{ { "D770", "D730", "K480", "K440" }, "D770", "AD-7170A", NEC_OPTI, 0xB4, false },
	{ { "D773", "D733", "K481", "K441" }, "D773", "AD-7173A", NEC_OPTI, 0xB5, false },
};

/* IdentifyDrive reads 0x20 bytes at these addresses, in order. */
static const uint32_t id_addrs[] = { 0x4500, 0x4800, 0x10800, 0x7000, 0x5000 };

const struct nec_model *
odfi_nec_model_by_id(const char *id)
{
	if (!id || !id[0])
		return NULL;
	for (size_t i = 0; i < sizeof(odfi_nec_models) / sizeof(odfi_nec_models[0]); i++)
		for (size_t k = 0; k < 4 && odfi_nec_models[i].ids[k]; k++)
			if (strncmp(odfi_nec_models[i].ids[k], id, 4) == 0)
				return &odfi_nec_models[i];
	return NULL;
}

/* An ID binflash knows but this driver does not flash: 4 characters,
 * an upper-case letter then three upper-case letters or digits. */
static bool
looks_like_id(const uint8_t *p)
{
	if (p[0] < 'A' || p[0] > 'Z')
		return false;
	for (int i = 1; i < 4; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

/* ---- CDBs ------------------------------------------------------------- */
/* ReadRAM: CC 00 A3 A2 A1 A0 00 L1 L0 [52 44 id]; data (L+3)&~3. */
size_t
odfi_nec_cdb_read_ram(uint8_t *c, uint32_t addr, uint16_t len, uint8_t dump_id)
{
	memset(c, 0, 12);
	c[0] = 0xCC;
	odf_put_be32(c + 2, addr);
	odf_put_be16(c + 7, len);
	if (dump_id) {
		c[9] = 'R';
		c[10] = 'D';
		c[11] = dump_id;
	}
	return 12;
}

/* SetSafeMode: CC 01 EN 00 I0 I1 I2 I3 01 00 00 00. */
size_t
odfi_nec_cdb_safe_mode(uint8_t *c, const char *drive_id, bool enter)
{
	memset(c, 0, 12);
	c[0] = 0xCC;
	c[1] = 0x01;
	c[2] = enter ? 1 : 0;
	memcpy(c + 4, drive_id, 4);
	c[8] = 0x01;
	return 12;
}

/* SendChecksum: CC 04 C1 C0 00 00 00 bd 4*idx area 00 00. */
size_t
odfi_nec_cdb_checksum(uint8_t *c, uint16_t sum, unsigned idx)
{
	memset(c, 0, 12);
	c[0] = 0xCC;
	c[1] = 0x04;
	odf_put_be16(c + 2, sum);
	c[8] = (uint8_t)(4 * idx);
	return 12;
}

/* WriteRAM / WriteRAMOpti: CB 01 A3 A2 A1 A0 00 00 n area 00 00. */
size_t
odfi_nec_cdb_write_ram(uint8_t *c, uint32_t addr, unsigned units)
{
	memset(c, 0, 12);
	c[0] = 0xCB;
	c[1] = 0x01;
	odf_put_be32(c + 2, addr);
	c[8] = (uint8_t)units;
	return 12;
}

/* EraseSingleBlock CB 04 / FlashSingleBlock CB 02: block b sets bit b%8
 * of CDB byte 8 - b/8. */
size_t
odfi_nec_cdb_block(uint8_t *c, uint8_t op, unsigned block)
{
	memset(c, 0, 12);
	c[0] = 0xCB;
	c[1] = op;
	c[8 - block / 8] = (uint8_t)(1u << (block % 8));
	return 12;
}

/* ---- bootcode ---------------------------------------------------------- */
/* GetBootcodeSizeFromDriveType: 0x4000 for the 640K/768K/1M/2M
 * families, 0x8000 for the Opti families.  Bootflash sends no checksum
 * for Flash1M; Flash2M and Flash2MOpti send SendChecksum(index 0, area
 * 1) of the BE word sum of the bootcode but its last word (loops to
 * 0x3ffe / 0x7ffe).  The firmware blocks erased before the boot block
 * is written: 2..18 (1M), 4..34 (2M), 3..30 (Opti, "Erase from
 * 0x030000"): the same ranges as the firmware flash. */
uint32_t
odfi_nec_boot_len(enum nec_layout l)
{
	return l == NEC_1M || l == NEC_2M ? 0x4000 : l == NEC_OPTI ? 0x8000 : 0;
}

/* ReadBoot: CD 0|bk 52 44 42 4F 4F 54 00 00 00 00, IN the bootcode
 * size; only in safe mode (necinternal.cpp ReadBoot). */
size_t
odfi_nec_cdb_read_boot(uint8_t *c)
{
	memset(c, 0, 12);
	c[0] = 0xCD;
	memcpy(c + 2, "RDBOOT", 6);
	return 12;
}

/* FlashBlock(bank 0, pattern 01, area 0): CB 02 00 00 00 00 00 00 01 00
 * 00 00 -- Bootflash's last command for these families. */
size_t
odfi_nec_cdb_flash_boot(uint8_t *c)
{
	memset(c, 0, 12);
	c[0] = 0xCB;
	c[1] = 0x02;
	c[8] = 0x01;
	return 12;
}

/* ---- commands on a device ------------------------------------------------ */
int
odfi_nec_run(struct odf_dev *dev, const uint8_t *cdb, enum odf_dir dir,
	void *buf, size_t len, const char *what, struct odf_diag *d)
{
	struct odf_cmd c;

	odf_cmd_init(&c, cdb, 12, dir, buf, len, NEC_TIMEOUT_MS);
	return odf_scsi_run(dev, &c, what, d);
}

int
odfi_nec_read_ram(struct odf_dev *dev, uint32_t addr, uint8_t *buf, uint16_t len,
	     uint8_t dump_id, struct odf_diag *d)
{
	uint8_t cdb[12];

	odfi_nec_cdb_read_ram(cdb, addr, len, dump_id);
	return odfi_nec_run(dev, cdb, ODF_DIR_IN, buf, ((size_t)len + 3) & ~(size_t)3,
		       "ReadRAM", d);
}

int
odfi_nec_safe_mode(struct odf_dev *dev, const char *drive_id, bool enter,
	      struct odf_diag *d)
{
	uint8_t cdb[12];

	odfi_nec_cdb_safe_mode(cdb, drive_id, enter);
	return odfi_nec_run(dev, cdb, ODF_DIR_NONE, NULL, 0,
		       enter ? "enter safe mode" : "leave safe mode", d);
}

static bool
is_nec_vendor(const char *v)
{
	/* binflash lists NEC, _NEC and Optiarc drives (and OEM relabels of
	 * them, which answer the same ID reads). */
	return strcmp(v, "_NEC") == 0 || strcmp(v, "NEC") == 0 ||
	       strncmp(v, "Optiarc", 7) == 0 || strncmp(v, "OPTIARC", 7) == 0;
}

/* IsSafeMode: INQUIRY revision[0] == '0' ("0.xx" = bootcode answering). */
bool
odfi_nec_rev_is_safe(const char *rev)
{
	return rev[0] == '0';
}

static int
nec_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	  struct odf_drive_ident *id, struct odf_diag *d)
{
	uint8_t buf[0x20];
	bool any_ok = false;

	if (inq->pdt != 5 || !is_nec_vendor(inq->vendor))
		return 0;
	id->mode = odfi_nec_rev_is_safe(inq->revision) ? ODF_MODE_SAFE : ODF_MODE_NORMAL;
	if (id->mode == ODF_MODE_SAFE && inq->revision[1] == '.' &&
	    inq->revision[2] && inq->revision[3]) {
		/* "0.NN": the bootcode answers (RetrieveBootcodeVersion) */
		id->bootcode[0] = inq->revision[2];
		id->bootcode[1] = inq->revision[3];
		id->bootcode[2] = '\0';
	}
	for (size_t i = 0; i < sizeof(id_addrs) / sizeof(id_addrs[0]); i++) {
		if (odfi_nec_read_ram(dev, id_addrs[i], buf, sizeof(buf), 0, NULL) < 0)
			continue;
		any_ok = true;
		const struct nec_model *m = odfi_nec_model_by_id((const char *)buf);
		if (m || (i > 0 && looks_like_id(buf))) {
			memcpy(id->target, buf, 4);
			id->target[4] = '\0';
			snprintf(id->detail, sizeof(id->detail),
				 "%s%s, %s flash%s", m ? "NEC/Optiarc " : "",
				 m ? m->model : "unknown NEC/Optiarc model",
				 m ? odfi_nec_layouts[m->layout].name : "?",
				 m && m->layout != NEC_OTHER ? "" :
				 " (not flashable by odflash)");
			return 1;
		}
	}
	if (!any_ok && id->mode == ODF_MODE_NORMAL) {
		/* Every vendor read failed (binflash's DT_INVALID) although
		 * INQUIRY says NEC/Optiarc: bridges drop vendor opcodes
		 * (binflash README, docs/internals/protocols.md §1.8), so the
		 * drive is ours but out of reach, not a generic SPC drive. */
		(void)d;
		id->vendor_silent = true;
		snprintf(id->detail, sizeof(id->detail), "NEC/Optiarc by "
			 "INQUIRY, but the NEC ReadRAM command gets no answer");
		return 1;
	}
	/* A drive in safe/boot mode whose ID block cannot be read: still
	 * ours, the target comes from the firmware file (recovery). */
	snprintf(id->detail, sizeof(id->detail),
		 "NEC/Optiarc drive, drive ID unreadable");
	if (id->mode == ODF_MODE_SAFE && !any_ok)
		id->mode = ODF_MODE_BOOT;
	return 1;
}

/* CheckXFlash's RID block read: harmless, proves the path passes the
 * vendor opcode with a 0x80-byte data-in. */
static int
nec_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
	       struct odf_path_limits *lim, struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_model_by_id(id->target);
	uint8_t buf[0x80];
	int rc;

	(void)lim;
	rc = odfi_nec_read_ram(dev, odfi_nec_layouts[m ? m->layout : NEC_OTHER].rid_addr,
			  buf, sizeof(buf), 0, d);
	if (rc < 0) {
		odf_diag_reason(d, ODF_R_VENDOR_BLOCKED);
		odf_diag_fact_model(d, "", "NEC vendor commands");
		odf_diag_fact_family(d, ODF_FAMILY_NEC);
		return ODF_E_PATH;
	}
	return 0;
}

const struct nec_model *
odfi_nec_flashable(const struct odf_drive_ident *id, struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_model_by_id(id->target);

	if (!m || m->layout == NEC_OTHER) {
		odf_diag_set(d, ODF_E_UNSUPPORTED,
			     "NEC/Optiarc drive ID '%s' is not one odflash "
			     "can dump or flash (it knows the 1 MiB "
			     "(ND-2500..3540), 2 MiB (ND-3550/4550/7550) and "
			     "Optiarc x17x families)", id->target);
		odf_diag_reason(d, ODF_R_MODEL_UNKNOWN);
		odf_diag_fact_model(d, "", id->target);
		odf_diag_fact_family(d, ODF_FAMILY_NEC);
		return NULL;
	}
	return m;
}

static const struct odf_driver_ops nec_ops = {
	.chunk_align = NEC_UNIT,
	.chunk_max = NEC_MAX_UNITS * NEC_UNIT,
	.dump_ext = ".bin",
	.path_probe = nec_path_probe,
	.plan = odfi_nec_plan,
	.plan_bootcode = odfi_nec_plan_bootcode,
	.plan_read = odfi_nec_plan_read,
	.read_result = odfi_nec_read_result,
	.plan_leave = odfi_nec_plan_leave,
};

const struct odf_driver odf_driver_nec = {
	.name = "nec",
	.description = "NEC/Optiarc (binflash protocol)",
	.family = ODF_FAMILY_NEC,
	.probe = nec_probe,
	.ops = &nec_ops,
};
