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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/bytes.h"
#include "odf/vendor.h"

/* binflash drive.cpp: scsiLimitSeconds(scsi, 300, 0) for every command. */
#define NEC_TIMEOUT_MS 300000u
#define NEC_UNIT 0x1000u		/* WriteRAM n x 4 KiB (necinternal.cpp) */
#define NEC_OPTI_UNIT 0x1004u		/* WriteRAMOpti: + 4 zero bytes per unit */
#define NEC_MAX_UNITS 8u		/* n <= 8: <= 32 KiB per WriteRAM */
#define NEC_DUMP_BLOCK 0x1000u		/* DUMP_BLOCK_SIZE */

enum nec_layout { NEC_1M, NEC_2M, NEC_OPTI, NEC_OTHER };

struct nec_layout_info {
	const char *name;
	uint32_t flash_size;	/* whole flash (raw dump) */
	uint32_t body_start;	/* flash address of the file body */
	uint32_t body_len;	/* bytes of the file body */
	uint32_t ram_base;	/* WriteRAM address of body[0] */
	unsigned erase_first, erase_last;	/* blocks, inclusive */
	unsigned prog_first, prog_last;
	uint32_t rid_addr;	/* GetSettingsArea: CheckXFlash RID block */
	bool opti_pad;		/* WriteRAMOpti */
	bool csum_after_body;	/* checksum word stored after the body */
};

/* Flash1M: RAM 0x6000+i for file 0..0xFA000, checksum = file[0xF9FFE],
 * index 8, erase/program 2..18.  Flash2M: RAM 0x10000+i, 0x1E0000 bytes,
 * checksum file[0x1E0000] index 0, erase 4..34, program 4..33.
 * Flash2MOpti: WriteRAMOpti to 0x30000+i, 0x1C0000 bytes, checksum
 * file[0x1C0000] index 0, erase and program single blocks 3..30
 * (binflash uses EraseSingleBlock CB 04 here, not EraseBlockOptiarc,
 * which belongs to later families).  Dump ranges from DumpFirmware. */
static const struct nec_layout_info layouts[] = {
	[NEC_1M] = { "1 MiB", 0x100000, 0x6000, 0xFA000, 0x6000,
		     2, 18, 2, 18, 0x5F00, false, false },
	[NEC_2M] = { "2 MiB", 0x200000, 0x10000, 0x1E0000, 0x10000,
		     4, 34, 4, 33, 0x5F00, false, true },
	[NEC_OPTI] = { "Optiarc 2 MiB", 0x200000, 0x30000, 0x1C0000, 0x30000,
		       3, 30, 3, 30, 0x20F00, true, true },
	[NEC_OTHER] = { "other", 0, 0, 0, 0, 0, 0, 0, 0, 0x5F00, false,
			false },
};

enum nec_dumpid { DUMPID_NONE = 0, DUMPID_TABLE };

struct nec_model {
	const char *ids[4];	/* IDs the drive reports (IdentifyDrive) */
	const char *drive_id;	/* GetDriveID: safe mode + file ID */
	const char *model;
	enum nec_layout layout;
	uint8_t dump_id;	/* binflash FirmwareID.xlsx; 0 =
				   none needed: the 1 MiB
				   family reads with id 0 (binflash trace,
				   §2.4); the 2 MiB and Optiarc families
				   dump in safe mode with "RD"+id
				   (DumpFirmware "if (id)").  ND-7550A: the
				   master's ID. */
	bool k2;		/* two checksums (Flash1M for K2) */
};

static const struct nec_model models[] = {
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

static const struct nec_model *
model_by_id(const char *id)
{
	if (!id || !id[0])
		return NULL;
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		for (size_t k = 0; k < 4 && models[i].ids[k]; k++)
			if (strncmp(models[i].ids[k], id, 4) == 0)
				return &models[i];
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
static size_t
cdb_read_ram(uint8_t *c, uint32_t addr, uint16_t len, uint8_t dump_id)
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
static size_t
cdb_safe_mode(uint8_t *c, const char *drive_id, bool enter)
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
static size_t
cdb_checksum(uint8_t *c, uint16_t sum, unsigned idx)
{
	memset(c, 0, 12);
	c[0] = 0xCC;
	c[1] = 0x04;
	odf_put_be16(c + 2, sum);
	c[8] = (uint8_t)(4 * idx);
	return 12;
}

/* WriteRAM / WriteRAMOpti: CB 01 A3 A2 A1 A0 00 00 n area 00 00. */
static size_t
cdb_write_ram(uint8_t *c, uint32_t addr, unsigned units)
{
	memset(c, 0, 12);
	c[0] = 0xCB;
	c[1] = 0x01;
	odf_put_be32(c + 2, addr);
	c[8] = (uint8_t)units;
	return 12;
}

/* WriteRAMOpti's data-out layout: length x 0x1000 bytes of image copied
 * contiguously, then length x 4 zero bytes, length x 0x1004 in all (a
 * workaround for a bootcode bug in the AD-7170A and compatibles).  The
 * padding comes once at the end of each command, not after each 4 KiB:
 * Liggy/binflash@5cfb543 necinternal.cpp:WriteRAMOpti (memcpy length*0x1000,
 * memset +length*0x1000 length*4, transfer length*0x1004), called with
 * length 8 by necinterface.cpp:Flash2MOpti.  Fills `data` (calloc'ed,
 * len / 0x1000 x 0x1004 bytes) for commands of `units` units each; the
 * last command carries what is left. */
static void
opti_stage(uint8_t *data, const uint8_t *src, size_t len, size_t units)
{
	for (size_t off = 0; off < len; off += units * NEC_UNIT) {
		size_t n = len - off;

		if (n > units * NEC_UNIT)
			n = units * NEC_UNIT;
		memcpy(data + off / NEC_UNIT * NEC_OPTI_UNIT, src + off, n);
		/* the n / 0x1000 x 4 zero bytes after it: calloc */
	}
}

/* EraseSingleBlock CB 04 / FlashSingleBlock CB 02: block b sets bit b%8
 * of CDB byte 8 - b/8. */
static size_t
cdb_block(uint8_t *c, uint8_t op, unsigned block)
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
static uint32_t
boot_len_of(enum nec_layout l)
{
	return l == NEC_1M || l == NEC_2M ? 0x4000 : l == NEC_OPTI ? 0x8000 : 0;
}

/* ReadBoot: CD 0|bk 52 44 42 4F 4F 54 00 00 00 00, IN the bootcode
 * size; only in safe mode (necinternal.cpp ReadBoot). */
static size_t
cdb_read_boot(uint8_t *c)
{
	memset(c, 0, 12);
	c[0] = 0xCD;
	memcpy(c + 2, "RDBOOT", 6);
	return 12;
}

/* FlashBlock(bank 0, pattern 01, area 0): CB 02 00 00 00 00 00 00 01 00
 * 00 00 -- Bootflash's last command for these families. */
static size_t
cdb_flash_boot(uint8_t *c)
{
	memset(c, 0, 12);
	c[0] = 0xCB;
	c[1] = 0x02;
	c[8] = 0x01;
	return 12;
}

/* ---- commands on a device ------------------------------------------------ */
static int
nec_run(struct odf_dev *dev, const uint8_t *cdb, enum odf_dir dir,
	void *buf, size_t len, const char *what, struct odf_diag *d)
{
	struct odf_cmd c;

	odf_cmd_init(&c, cdb, 12, dir, buf, len, NEC_TIMEOUT_MS);
	return odf_scsi_run(dev, &c, what, d);
}

static int
nec_read_ram(struct odf_dev *dev, uint32_t addr, uint8_t *buf, uint16_t len,
	     uint8_t dump_id, struct odf_diag *d)
{
	uint8_t cdb[12];

	cdb_read_ram(cdb, addr, len, dump_id);
	return nec_run(dev, cdb, ODF_DIR_IN, buf, ((size_t)len + 3) & ~(size_t)3,
		       "ReadRAM", d);
}

static int
nec_safe_mode(struct odf_dev *dev, const char *drive_id, bool enter,
	      struct odf_diag *d)
{
	uint8_t cdb[12];

	cdb_safe_mode(cdb, drive_id, enter);
	return nec_run(dev, cdb, ODF_DIR_NONE, NULL, 0,
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
static bool
rev_is_safe(const char *rev)
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
	id->mode = rev_is_safe(inq->revision) ? ODF_MODE_SAFE : ODF_MODE_NORMAL;
	if (id->mode == ODF_MODE_SAFE && inq->revision[1] == '.' &&
	    inq->revision[2] && inq->revision[3]) {
		/* "0.NN": the bootcode answers (RetrieveBootcodeVersion) */
		id->bootcode[0] = inq->revision[2];
		id->bootcode[1] = inq->revision[3];
		id->bootcode[2] = '\0';
	}
	for (size_t i = 0; i < sizeof(id_addrs) / sizeof(id_addrs[0]); i++) {
		if (nec_read_ram(dev, id_addrs[i], buf, sizeof(buf), 0, NULL) < 0)
			continue;
		any_ok = true;
		const struct nec_model *m = model_by_id((const char *)buf);
		if (m || (i > 0 && looks_like_id(buf))) {
			memcpy(id->target, buf, 4);
			id->target[4] = '\0';
			snprintf(id->detail, sizeof(id->detail),
				 "%s%s, %s flash%s", m ? "NEC/Optiarc " : "",
				 m ? m->model : "unknown NEC/Optiarc model",
				 m ? layouts[m->layout].name : "?",
				 m && m->layout != NEC_OTHER ? "" :
				 " (not flashable by odflash)");
			return 1;
		}
	}
	if (!any_ok && id->mode == ODF_MODE_NORMAL) {
		/* Every vendor read failed: binflash's DT_INVALID. */
		odf_diag_set(d, ODF_E_UNSUPPORTED,
			     "%s %s does not answer the NEC ReadRAM command",
			     inq->vendor, inq->product);
		return 0;
	}
	/* A drive in safe/boot mode whose ID block cannot be read: still
	 * ours, the target comes from the firmware file (recovery). */
	snprintf(id->detail, sizeof(id->detail),
		 "NEC/Optiarc drive, drive ID unreadable");
	if (id->mode == ODF_MODE_SAFE && !any_ok)
		id->mode = ODF_MODE_BOOT;
	return 1;
}

/* RetrieveBootcodeVersion: INQUIRY; if not in safe mode enter it; INQUIRY
 * "0.NN" gives bootcode "NN"; leave safe mode if we entered it. */
static int
nec_read_bootcode(struct odf_dev *dev, struct odf_drive_ident *id,
		  struct odf_diag *d)
{
	const struct nec_model *m = model_by_id(id->target);
	struct odf_inquiry inq;
	bool entered = false;
	int rc;

	if (!m)
		return odf_diag_set(d, ODF_E_UNSUPPORTED,
				    "no safe-mode ID known for drive ID '%s'",
				    id->target);
	rc = odf_inquiry(dev, &inq, d);
	if (rc < 0)
		return rc;
	if (!rev_is_safe(inq.revision)) {
		rc = nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0)
			return rc;
		entered = true;
		rc = odf_inquiry(dev, &inq, d);
	}
	if (rc == 0 && inq.revision[0] == '0' && inq.revision[1] == '.') {
		id->bootcode[0] = inq.revision[2];
		id->bootcode[1] = inq.revision[3];
		id->bootcode[2] = '\0';
	} else if (rc == 0) {
		rc = odf_diag_set(d, ODF_E_UNSUPPORTED,
				  "the drive did not report a bootcode version "
				  "in safe mode (revision '%s')", inq.revision);
	}
	if (entered) {
		int lrc = nec_safe_mode(dev, m->drive_id, false,
					rc < 0 ? NULL : d);
		if (rc == 0)
			rc = lrc;
	}
	return rc;
}

/* CheckXFlash's RID block read: harmless, proves the path passes the
 * vendor opcode with a 0x80-byte data-in. */
static int
nec_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
	       struct odf_path_limits *lim, struct odf_diag *d)
{
	const struct nec_model *m = model_by_id(id->target);
	uint8_t buf[0x80];
	int rc;

	(void)lim;
	rc = nec_read_ram(dev, layouts[m ? m->layout : NEC_OTHER].rid_addr,
			  buf, sizeof(buf), 0, d);
	if (rc < 0) {
		odf_diag_reason(d, ODF_R_VENDOR_BLOCKED);
		odf_diag_fact_model(d, "", "NEC vendor commands");
		odf_diag_fact_family(d, ODF_FAMILY_NEC);
		return ODF_E_PATH;
	}
	return 0;
}

/* ---- reading the flash ----------------------------------------------------- */
static int
nec_read_range(struct odf_dev *dev, uint32_t start, uint32_t end,
	       uint8_t dump_id, uint8_t *out, const struct odf_dump_req *req,
	       uint64_t base, uint64_t total, struct odf_diag *d)
{
	for (uint32_t a = start; a < end; a += NEC_DUMP_BLOCK) {
		int rc = nec_read_ram(dev, a, out + (a - start),
				      NEC_DUMP_BLOCK, dump_id, d);
		if (rc < 0) {
			if (d)
				snprintf(d->step, sizeof(d->step),
					 "read flash at 0x%06x", a);
			return rc;
		}
		if (req && req->progress)
			req->progress(req->progress_ctx, "dump",
				      base + (a - start) + NEC_DUMP_BLOCK, total);
	}
	return 0;
}

static const struct nec_model *
flashable_model(const struct odf_drive_ident *id, struct odf_diag *d)
{
	const struct nec_model *m = model_by_id(id->target);

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

static int
nec_dump(struct odf_dev *dev, const struct odf_drive_ident *id,
	 const struct odf_dump_req *req, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	const struct nec_model *m = flashable_model(id, d);
	const struct nec_layout_info *L;
	struct odf_drive_ident bid;
	uint32_t start, end;
	size_t n, o;
	uint8_t *buf;
	bool entered = false;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &layouts[m->layout];
	start = req && req->raw ? 0 : L->body_start;
	end = req && req->raw ? L->flash_size : L->body_start + L->body_len;
	n = (size_t)(end - start) + 2 + 4 + 2;
	buf = malloc(n);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	/* Newer drives answer ReadRAM with flash contents only in safe mode
	 * and with the dump ID (necinterface.cpp DumpFirmware). */
	if (m->dump_id && id->mode == ODF_MODE_NORMAL) {
		rc = nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0)
			goto fail;
		entered = true;
	}
	rc = nec_read_range(dev, start, end, m->dump_id, buf, req, 0,
			    end - start, d);
	if (rc < 0)
		goto fail;
	o = end - start;
	if (req && req->raw)
		goto done;
	if (L->csum_after_body) {
		odf_put_be16(buf + o, odf_sum_be16(buf, o));
		o += 2;
	}
	memcpy(buf + o, m->drive_id, 4);
	o += 4;
	/* The bootcode goes after the ID when it can be read (binflash
	 * reads it after the dump; "0.NN" in safe mode). */
	bid = *id;
	bid.bootcode[0] = '\0';
	if (entered) {
		struct odf_inquiry inq;

		if (odf_inquiry(dev, &inq, NULL) == 0 &&
		    inq.revision[0] == '0' && inq.revision[1] == '.') {
			bid.bootcode[0] = inq.revision[2];
			bid.bootcode[1] = inq.revision[3];
			bid.bootcode[2] = '\0';
		}
	} else if (id->mode == ODF_MODE_NORMAL) {
		if (nec_read_bootcode(dev, &bid, NULL) < 0)
			bid.bootcode[0] = '\0';
	}
	if (strlen(bid.bootcode) == 2) {
		memcpy(buf + o, bid.bootcode, 2);
		o += 2;
	} else {
		odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_WARN, "bootcode version not readable: the "
			"dump carries no bootcode");
	}
done:
	if (entered) {
		rc = nec_safe_mode(dev, m->drive_id, false, d);
		entered = false;
		if (rc < 0)
			goto fail;
	}
	*out = buf;
	*len = o;
	return 0;
fail:
	if (entered)
		nec_safe_mode(dev, m->drive_id, false, NULL);
	free(buf);
	return rc;
}

/* ---- planning ---------------------------------------------------------------- */
/* The image body and its checksum word, whatever wrapper the image
 * library strips: the payload starts with the flash body. */
static int
image_body(const struct nec_model *m, const struct odf_image *img,
	   size_t part, const uint8_t **body, uint16_t *csum,
	   struct odf_diag *d)
{
	const struct nec_layout_info *L = &layouts[m->layout];
	const struct odf_image_info *info = odf_image_info(img, part);
	size_t len = 0;
	const uint8_t *p = odf_image_data(img, part, &len);

	if (!p || !info || len < L->body_len)
		return odf_diag_set(d, ODF_E_MISMATCH,
				    "the image holds %zu bytes, the %s (%s "
				    "layout) needs %u", len, m->model,
				    L->name, L->body_len);
	if (info->family != ODF_FAMILY_NEC)
		return odf_diag_set(d, ODF_E_MISMATCH,
				    "the image is not an NEC/Optiarc firmware");
	if (info->target[0]) {
		const struct nec_model *im = model_by_id(info->target);

		if (!im || im->layout != m->layout)
			return odf_diag_set(d, ODF_E_MISMATCH,
					    "the image is for %s, whose flash "
					    "layout differs from the %s's",
					    info->target, m->model);
	}
	*body = p;
	if (!L->csum_after_body)
		/* Flash1M forwards the body's last word (flash 0xFFFFE). */
		*csum = odf_be16(p + L->body_len - 2);
	else if (len >= (size_t)L->body_len + 2)
		*csum = odf_be16(p + L->body_len);
	else if (info->checksum.present)
		*csum = (uint16_t)info->checksum.expected;
	else
		*csum = odf_sum_be16(p, L->body_len);
	return 0;
}

/* One FlashBlock step (op 04 erase, 02 program) per block first..last,
 * each retried twice and followed by 500 ms, labelled "<what> block N";
 * the first block's step carries first_flags.  -1 when out of memory. */
static int
plan_blocks(struct odf_plan *plan, uint8_t op, unsigned first, unsigned last,
	    unsigned first_flags, const char *what)
{
	uint8_t cdb[12];
	char label[ODF_STEP_LABEL_MAX];

	for (unsigned b = first; b <= last; b++) {
		struct odf_plan_step *s;

		cdb_block(cdb, op, b);
		snprintf(label, sizeof(label), "%s block %u", what, b);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 16,
				     b == first ? first_flags : 0, label);
		if (!s)
			return -1;
		s->retries = 2;
		s->wait_ms = 500;
	}
	return 0;
}

static int
nec_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	 size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	 struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	const struct nec_model *m = flashable_model(id, d);
	const struct nec_layout_info *L;
	const uint8_t *body;
	uint8_t *data;
	uint16_t csum;
	size_t unit, chunk, units, data_len;
	uint8_t cdb[12];
	char label[ODF_STEP_LABEL_MAX];
	struct odf_plan_step *s;
	struct odf_path_limits l2;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &layouts[m->layout];
	rc = image_body(m, img, part, &body, &csum, d);
	if (rc < 0)
		return rc;
	unit = L->opti_pad ? NEC_OPTI_UNIT : NEC_UNIT;
	/* Chunks are counted in 4 KiB units of the body; the transfer is
	 * units x unit bytes (WriteRAMOpti sends 4 more bytes per 4 KiB,
	 * all of them zeros after the image, see opti_stage). */
	l2 = lim ? *lim : (struct odf_path_limits){ 0 };
	if (l2.forced_chunk) {
		if (l2.forced_chunk % NEC_UNIT) {
			odf_diag_reason(d, ODF_R_CHUNK_REFUSED);
			odf_diag_fact_bytes(d, l2.forced_chunk, NEC_UNIT);
			return odf_diag_set(d, ODF_E_USAGE, "a chunk of %zu "
					    "bytes is not a multiple of 4096: "
					    "NEC WriteRAM sends n x 4 KiB",
					    l2.forced_chunk);
		}
		l2.forced_chunk = l2.forced_chunk / NEC_UNIT * unit;
	}
	rc = odf_plan_choose_chunk(unit, NEC_MAX_UNITS * unit, &l2, &chunk, d);
	if (rc < 0)
		return rc;
	units = chunk / unit;

	/* The data the OUT steps send: the body, or for WriteRAMOpti each
	 * command's n x 4 KiB of image followed by n x 4 zero bytes. */
	data_len = L->opti_pad ? (size_t)L->body_len / NEC_UNIT * NEC_OPTI_UNIT
			       : L->body_len;
	data = calloc(1, data_len);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (L->opti_pad)
		opti_stage(data, body, L->body_len, units);
	else
		memcpy(data, body, L->body_len);
	odf_plan_init(plan, "nec");
	odf_plan_set_data(plan, data, data_len);
	plan->chunk = units * NEC_UNIT;
	plan->recovery = recovery;
	snprintf(plan->what, sizeof(plan->what), "NEC %s (%s, safe-mode ID %s)%s",
		 L->name, m->model, m->drive_id,
		 recovery ? ", recovery" : "");

	/* A drive in safe or boot mode may or may not need (or accept) the
	 * enter command again: in a recovery plan it is sent, and a refusal
	 * is only logged (ODF_STEP_CLEANUP before the point of no return). */
	cdb_safe_mode(cdb, m->drive_id, true);
	if (!recovery || id->mode == ODF_MODE_NORMAL)
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1,
				     ODF_STEP_NORMAL_ONLY | ODF_STEP_STATUS_ONLY,
				     "enter safe mode");
	else
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1,
				     ODF_STEP_CLEANUP | ODF_STEP_STATUS_ONLY,
				     "enter safe mode (again)");
	if (!s)
		goto nomem;
	s->retries = 2;
	s->wait_ms = 500;
	for (size_t off = 0; off < L->body_len; off += units * NEC_UNIT) {
		size_t n = L->body_len - off;
		size_t nu;

		if (n > units * NEC_UNIT)
			n = units * NEC_UNIT;
		nu = n / NEC_UNIT;
		cdb_write_ram(cdb, L->ram_base + (uint32_t)off, (unsigned)nu);
		snprintf(label, sizeof(label), "stage 0x%06zx", L->ram_base + off);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_OUT,
				     off / NEC_UNIT * unit, nu * unit,
				     NEC_TIMEOUT_MS, (unsigned)nu,
				     ODF_STEP_UA_RETRY, label);
		if (!s)
			goto nomem;
		s->retries = 2;
		s->wait_ms = 200;
	}
	if (m->k2) {
		/* K2: checksum 1 = body[0x29FFE] index 1, then index 2. */
		cdb_checksum(cdb, odf_be16(body + 0x29FFE), 1);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0, "send checksum 1");
		if (!s)
			goto nomem;
		s->retries = 2;
		cdb_checksum(cdb, csum, 2);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0, "send checksum 2");
	} else {
		cdb_checksum(cdb, csum, m->layout == NEC_1M ? 8 : 0);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0, "send checksum");
	}
	if (!s)
		goto nomem;
	s->retries = 2;
	if (plan_blocks(plan, 0x04, L->erase_first, L->erase_last,
			ODF_STEP_PONR, "erase") < 0 ||
	    plan_blocks(plan, 0x02, L->prog_first, L->prog_last, 0,
			"program") < 0)
		goto nomem;
	/* binflash always tries to leave safe mode, even after a failure. */
	cdb_safe_mode(cdb, m->drive_id, false);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     1, ODF_STEP_CLEANUP | ODF_STEP_SAFE |
			     ODF_STEP_MAY_REBOOT | ODF_STEP_STATUS_ONLY,
			     "leave safe mode");
	if (!s)
		goto nomem;
	s->retries = 2;
	s->wait_ms = 500;
	return 0;
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static int
nec_verify(struct odf_dev *dev, const struct odf_drive_ident *id,
	   const struct odf_image *img, size_t part, struct odf_diag *d)
{
	const struct nec_model *m = flashable_model(id, d);
	const struct nec_layout_info *L;
	const uint8_t *body;
	uint16_t csum;
	uint8_t *buf;
	bool entered = false;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &layouts[m->layout];
	rc = image_body(m, img, part, &body, &csum, d);
	if (rc < 0)
		return rc;
	buf = malloc(L->body_len);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (m->dump_id && id->mode == ODF_MODE_NORMAL) {
		rc = nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0)
			goto out;
		entered = true;
	}
	rc = nec_read_range(dev, L->body_start, L->body_start + L->body_len,
			    m->dump_id, buf, NULL, 0, 0, d);
	if (rc == 0) {
		for (size_t i = 0; i < L->body_len; i++)
			if (buf[i] != body[i]) {
				rc = odf_diag_set(d, ODF_E_VERIFY,
						  "the drive's flash differs "
						  "from the image at 0x%06zx "
						  "(flash 0x%06zx)", i,
						  L->body_start + i);
				break;
			}
	}
out:
	if (entered) {
		int lrc = nec_safe_mode(dev, m->drive_id, false,
					rc < 0 ? NULL : d);
		if (rc == 0)
			rc = lrc;
	}
	free(buf);
	return rc;
}

static int
nec_read_boot(struct odf_dev *dev, const struct odf_drive_ident *id,
	      uint8_t **out, size_t *len, struct odf_diag *d)
{
	const struct nec_model *m = flashable_model(id, d);
	uint32_t n;
	uint8_t cdb[12], *buf;
	bool entered = false;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	n = boot_len_of(m->layout);
	buf = malloc(n);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (id->mode == ODF_MODE_NORMAL) {
		rc = nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0) {
			free(buf);
			return rc;
		}
		entered = true;
	} else {
		/* ReadBoot answers in safe mode only; a drive that booted
		 * into its boot code after losing its firmware is asked to
		 * enter it (a refusal just means it is there already) */
		(void)nec_safe_mode(dev, m->drive_id, true, NULL);
	}
	cdb_read_boot(cdb);
	rc = nec_run(dev, cdb, ODF_DIR_IN, buf, n, "ReadBoot", d);
	if (entered) {
		int lrc = nec_safe_mode(dev, m->drive_id, false,
					rc < 0 ? NULL : d);
		if (rc == 0)
			rc = lrc;
	}
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int
nec_plan_bootcode(const struct odf_drive_ident *id, const uint8_t *boot,
		  size_t len, const struct odf_path_limits *lim,
		  struct odf_plan *plan, struct odf_diag *d)
{
	const struct nec_model *m = flashable_model(id, d);
	const struct nec_layout_info *L;
	struct odf_plan_step *s;
	uint8_t cdb[12], *data;
	size_t data_len, units;
	uint32_t n;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &layouts[m->layout];
	n = boot_len_of(m->layout);
	if (len != n)
		return odf_diag_set(d, ODF_E_MISMATCH, "the bootcode file holds "
				    "%zu bytes, the %s's bootcode is %u (binflash "
				    "GetBootcodeSizeFromDriveType)", len,
				    m->model, n);
	units = n / NEC_UNIT;
	data_len = L->opti_pad ? units * NEC_OPTI_UNIT : n;
	/* Bootflash sends the whole bootcode in one WriteRAM (4 or 8
	 * units); splitting it is not in any public trace. */
	if (lim && lim->max_transfer && data_len > lim->max_transfer)
		return odf_diag_set(d, ODF_E_PATH, "the bootcode goes in one "
				    "%zu-byte command, the path carries %zu",
				    data_len, lim->max_transfer);
	if (lim && lim->forced_chunk && lim->forced_chunk < n) {
		odf_diag_reason(d, ODF_R_CHUNK_REFUSED);
		odf_diag_fact_bytes(d, lim->forced_chunk, data_len);
		return odf_diag_set(d, ODF_E_USAGE, "a bootcode cannot be split "
				    "into chunks: binflash sends it in one "
				    "command");
	}
	data = calloc(1, data_len);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (L->opti_pad)
		opti_stage(data, boot, n, units);
	else
		memcpy(data, boot, n);
	odf_plan_init(plan, "nec");
	odf_plan_set_data(plan, data, data_len);
	plan->chunk = n;
	snprintf(plan->what, sizeof(plan->what), "NEC %s (%s, safe-mode ID "
		 "%s): BOOTCODE, binflash Bootflash", L->name, m->model,
		 m->drive_id);

	cdb_safe_mode(cdb, m->drive_id, true);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     1, ODF_STEP_STATUS_ONLY |
			     (id->mode == ODF_MODE_NORMAL ? ODF_STEP_NORMAL_ONLY :
			      ODF_STEP_CLEANUP), "enter safe mode");
	if (!s)
		goto nomem;
	s->retries = 2;
	s->wait_ms = 500;
	/* WriteRAM(0x0000, 4, area 1) / WriteRAMOpti(0x0000, 8, area 1) */
	cdb_write_ram(cdb, 0, (unsigned)units);
	cdb[9] = 0x01;
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_OUT, 0, data_len,
			     NEC_TIMEOUT_MS, (unsigned)units, ODF_STEP_UA_RETRY,
			     "stage bootcode");
	if (!s)
		goto nomem;
	s->retries = 2;
	s->wait_ms = 200;
	if (m->layout != NEC_1M) {
		cdb_checksum(cdb, odf_sum_be16(boot, n - 2), 0);
		cdb[9] = 0x01;		/* area 1: bootcode */
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0,
				     "send bootcode checksum");
		if (!s)
			goto nomem;
		s->retries = 2;
	}
	if (plan_blocks(plan, 0x04, L->erase_first, L->erase_last,
			ODF_STEP_PONR, "erase firmware") < 0)
		goto nomem;
	/* No retry: a second boot write after an unknown outcome is not in
	 * binflash (it does not even check this command's status); the
	 * drive restarts into the new boot code, so an error may only mean
	 * it rebooted. */
	cdb_flash_boot(cdb);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     32, ODF_STEP_BOOTBLOCK | ODF_STEP_MAY_REBOOT |
			     ODF_STEP_SAFE, "write bootcode (FlashBlock 01)");
	if (!s)
		goto nomem;
	/* Bootflash leaves safe mode when staging or the checksum fail. */
	cdb_safe_mode(cdb, m->drive_id, false);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     0, ODF_STEP_CLEANUP | ODF_STEP_FAILURE_ONLY |
			     ODF_STEP_STATUS_ONLY, "leave safe mode");
	if (!s)
		goto nomem;
	return 0;
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static const struct odf_driver_ops nec_ops = {
	.chunk_align = NEC_UNIT,
	.chunk_max = NEC_MAX_UNITS * NEC_UNIT,
	.dump_ext = ".bin",
	.dump = nec_dump,
	.path_probe = nec_path_probe,
	.read_bootcode = nec_read_bootcode,
	.plan = nec_plan,
	.plan_bootcode = nec_plan_bootcode,
	.read_boot = nec_read_boot,
	.verify = nec_verify,
};

const struct odf_driver odf_driver_nec = {
	.name = "nec",
	.description = "NEC/Optiarc (binflash protocol)",
	.family = ODF_FAMILY_NEC,
	.probe = nec_probe,
	.ops = &nec_ops,
};
