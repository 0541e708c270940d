/* odemu: the NEC/Optiarc vendor protocol, as binflash speaks it.
 *
 * Every fact below comes from Liggy/binflash (necinternal.cpp for the CDB
 * formats, necinterface.cpp for the sequences), as summarised in
 * docs/internals/protocols.md §2 (with the exact command trace binflash
 * v1.64 sends to a 1 MiB ND-3500A); the dump IDs from binflash's
 * FirmwareID.xlsx.  Parts not stated
 * in those sources are marked INFERRED.
 *
 * All vendor CDBs are 12 bytes; cdb[1] bit 4 selects bank 1 (640K family
 * only, not emulated: any bank-1 command is refused with 05/24/00).
 */
#include <string.h>

#include "emu.h"
#include "odf/bytes.h"
#include "fmt.h"

#define SK_ILL ODEMU_SK_ILLEGAL_REQUEST

static void
invalid_field(struct odf_cmd *c)
{
	odemu_sense(c, SK_ILL, 0x24, 0x00);	/* INVALID FIELD IN CDB */
}

static void
sequence_error(struct odf_cmd *c)
{
	/* COMMAND SEQUENCE ERROR 2Ch/00h: the rejection SPC-4 offers for a
	 * vendor step out of order (docs/internals/protocols.md §1.2) */
	odemu_sense(c, SK_ILL, 0x2C, 0x00);
}

/* ---- boot check ------------------------------------------------------------- */
/* The drive's own view of its firmware: the stored checksum word (the
 * region's last word for the 1 MiB family, where binflash's image keeps
 * it at image[0xF9FFE]; the word at chk_addr for the 2 MiB families)
 * must equal the 16-bit BE word sum of the body (§2.7). */
static bool
fw_checksum_ok(const struct odemu *e, const uint8_t *region, uint16_t *stored,
	       uint16_t *actual)
{
	const struct odemu_model *m = e->model;
	size_t body = m->chk_inside ? m->fw_len - 2 : m->fw_len;

	*actual = odf_sum_be16(region, body);
	if (m->chk_inside)
		*stored = odf_be16(region + m->fw_len - 2);
	else
		*stored = odf_be16(e->st.flash + m->chk_addr);
	return *actual == *stored;
}

static bool
nec_boot_check(struct odemu *e, char vendor[9], char product[17],
	       char revision[5])
{
	const struct odemu_model *m = e->model;
	const uint8_t *region = e->st.flash + m->fw_start;
	char iv[9], ip[17], ir[5];
	uint16_t stored, actual;

	if (!fw_checksum_ok(e, region, &stored, &actual)) {
		odemu_log(ODF_LOG_DEBUG, "odemu: firmware checksum %04x, stored "
			"%04x: boot mode", actual, stored);
		return false;
	}
	/* identity from the firmware: the INQUIRY strings where binflash's
	 * IdentifyFirmware finds them (emu/fmt_nec.c) */
	if (!odemu_nec_inquiry(region, m->fw_len, iv, ip, ir) ||
	    ir[0] == '\0') {
		odemu_log(ODF_LOG_DEBUG, "odemu: firmware has no INQUIRY "
			"strings: boot mode");
		return false;
	}
	odf_str_trim(vendor, 9, iv[0] ? iv : m->vendor, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, ip[0] ? ip : m->product, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, ir, 4, ODF_STR_KEEP);
	return true;
}

/* ---- provisioning ------------------------------------------------------------ */
static void
fill_pattern(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed ? seed : 0x1234567u;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

static int
nec_provision(struct odemu *e, const char *version, const uint8_t *file,
	      size_t file_len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	const uint8_t *p;
	size_t plen;
	uint8_t *fl = e->st.flash;

	(void)version;
	if (odemu_nec_pick(m, file, file_len, &p, &plen) < 0)
		return odf_diag_set(d, ODF_E_FORMAT, "the file holds no %u-byte "
				    "NEC firmware for drive ID %s (binflash "
				    "ReadFirmware layout)", m->fw_len,
				    m->target);
	/* boot area: a fixed pattern standing for the boot code, the drive
	 * ID at id_addr (what IdentifyDrive reads: 4 ASCII bytes at offset 0
	 * of a 0x20-byte read), nothing known at 0x4500 and the RID block
	 * with the maker at +0x20 (CheckXFlash, §2.2) */
	fill_pattern(fl, m->fw_start, 0x4E454300u ^ m->flash_size);
	memset(fl + 0x4500, 0, 0x20);
	if (m->id_addr) {
		memset(fl + m->id_addr, 0, 0x20);
		memcpy(fl + m->id_addr, m->target, 4);
	}
	if (m->rid_addr) {
		/* INFERRED: the model digits at +0x40 ("ND-3500A"), so that
		 * the bytes at +0x43/+0x46 CheckXFlash looks at are digits */
		const char *dash = strchr(m->product, '-');
		memset(fl + m->rid_addr, 0, 0x80);
		memcpy(fl + m->rid_addr, "RID", 3);
		memcpy(fl + m->rid_addr + 0x20, m->rid_text, strlen(m->rid_text));
		if (dash && dash - m->product >= 2)
			memcpy(fl + m->rid_addr + 0x40, dash - 2,
			       strlen(dash - 2) > 16 ? 16 : strlen(dash - 2));
	}
	if (m->boot_len) {
		/* the bootcode tells its version (emulator convention) and
		 * ends in its checksum word (INFERRED, see target.c
		 * odemu_boot_block_ok) */
		if (m->boot_rev_off)
			memcpy(fl + m->boot_rev_off, m->boot_revision, 4);
		odf_put_be16(fl + m->boot_len - 2,
			     odf_sum_be16(fl, m->boot_len - 2));
	}
	memcpy(fl + m->fw_start, p, m->fw_len);
	if (!m->chk_inside)	/* the word after the region (Flash2M) */
		odf_put_be16(fl + m->chk_addr, odf_be16(p + m->fw_len));
	return 0;
}

/* ---- commands ------------------------------------------------------------------ */
static bool
in_fw(const struct odemu_model *m, uint32_t a, uint32_t len)
{
	uint32_t end = m->chk_inside ? m->fw_start + m->fw_len :
		       m->flash_size;
	return a + len > m->fw_start && a < end;
}

/* ReadRAM: CC 0|bk A3 A2 A1 A0 00 L1 L0 [52 44 id]; IN (L+3)&~3 bytes,
 * L a power of two <= 0x8000 (binflash ReadRAM, §2.1). */
static void
read_ram(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint32_t a = odf_be32(c->cdb + 2);
	uint32_t l = odf_be16(c->cdb + 7);
	uint32_t n = (l + 3) & ~3u;

	if (l == 0 || l > 0x8000 || a >= m->flash_size ||
	    n > m->flash_size - a) {
		invalid_field(c);
		return;
	}
	/* families with a dump ID give out their firmware in safe mode with
	 * "RD" + the ID in bytes 9..11 (docs/internals/protocols.md §2.4); the ID
	 * probes below the firmware need none.  In normal mode with bytes
	 * 9..11 zero: the dump ID itself, the firmware's first byte, that
	 * binflash GetIDFromDriveType reads as ReadRAM(fw_start, 1) (CDB
	 * length 1, 4 bytes in; Liggy/binflash@5cfb543 necinternal.cpp),
	 * and for a dump_normal model all of it (binflash DumpFirmware with
	 * ID 0 never enters safe mode). */
	if (m->dump_id && in_fw(m, a, n)) {
		bool rd = e->st.mode == ODF_MODE_SAFE && c->cdb[9] == 0x52 &&
			  c->cdb[10] == 0x44 && c->cdb[11] == m->dump_id;
		bool plain = e->st.mode == ODF_MODE_NORMAL && !c->cdb[9] &&
			     !c->cdb[10] && !c->cdb[11] &&
			     (m->dump_normal || (a == m->fw_start && l == 1));

		if (!rd && !plain) {
			invalid_field(c);
			return;
		}
	}
	odemu_data_in(c, e->st.flash + a, n, n);
}

/* SetSafeMode: CC 01|bk EN 00 I0 I1 I2 I3 01 00 00 00 (§2.1).  The ID
 * must be the family's safe-mode ID (binflash GetDriveID sends "K310"
 * for every K350 drive, §2.2).  Leaving safe mode reboots the drive:
 * it checks its firmware and comes up normal, or in boot mode. */
static void
set_safe_mode(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint8_t en = c->cdb[2];

	if ((en != 0 && en != 1) || memcmp(c->cdb + 4, m->safe_id, 4) != 0) {
		invalid_field(c);
		return;
	}
	if (en == 1) {
		if (e->st.mode != ODF_MODE_SAFE) {
			e->st.mode = ODF_MODE_SAFE;
			odemu_boot_strings(e);
			e->dirty = true;
		}
		odemu_good(c);
		return;
	}
	odemu_good(c);
	if (e->st.mode == ODF_MODE_SAFE)
		odemu_restart(e);
}

static bool
all_staged(const struct odemu *e, uint32_t a, uint32_t len)
{
	for (uint32_t p = a / ODEMU_PAGE; p < (a + len + ODEMU_PAGE - 1) /
	     ODEMU_PAGE; p++)
		if (!e->st.staged[p])
			return false;
	return true;
}

/* WriteRAM: CB 01|bk A3 A2 A1 A0 00 00 n area 00 00, OUT n x 0x1000 (n <=
 * 8); WriteRAMOpti sends n x 0x1004: the n x 0x1000 bytes of image
 * contiguously, then n x 4 zero bytes (Liggy/binflash@5cfb543
 * necinternal.cpp:WriteRAMOpti, memcpy length*0x1000 then memset
 * length*4; Flash2MOpti calls it with length 8: 32,800 bytes).  The drive
 * stages the first n x 0x1000 bytes; INFERRED: the trailer is not looked
 * at (binflash calls it a bootcode-bug workaround, nothing says what the
 * drive does with it).  A sender that puts 4 zeros after every 4 KiB
 * thus stages a shifted image, which SendChecksum refuses.  The
 * address is the flash address the data is for (§2.5).
 * Area 1 stages a bootcode at 0x0000 (binflash Bootflash DoBootFlash:
 * WriteRAM(0x0000, 4 units, area 1) for a 0x4000-byte bootcode,
 * WriteRAMOpti(0x0000, 8 units, area 1) for 0x8000 bytes). */
static void
write_ram(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint32_t a = odf_be32(c->cdb + 2);
	uint32_t n = c->cdb[8];
	uint32_t unit = m->opti_pad ? 0x1004 : 0x1000;

	if (e->st.mode != ODF_MODE_SAFE) {
		sequence_error(c);
		return;
	}
	if (c->cdb[9] == 1) {
		if (!m->boot_len || n == 0 || n > 8 || a % ODEMU_PAGE ||
		    a + n * ODEMU_PAGE > m->boot_len || c->dir != ODF_DIR_OUT ||
		    c->len != n * unit) {
			invalid_field(c);
			return;
		}
		memcpy(e->st.ram + a, c->buf, n * ODEMU_PAGE);
		for (uint32_t i = 0; i < n; i++)
			e->st.staged[(a / ODEMU_PAGE) + i] = 1;
		e->st.chk_ok &= ~2u;	/* the boot checksum must come again */
		e->dirty = true;
		odemu_good(c);
		c->resid = 0;
		return;
	}
	if (n == 0 || n > 8 || c->cdb[9] != 0 || a % ODEMU_PAGE ||
	    a < m->fw_start || a + n * ODEMU_PAGE > m->fw_start + m->fw_len ||
	    c->dir != ODF_DIR_OUT || c->len != n * unit) {
		invalid_field(c);
		return;
	}
	memcpy(e->st.ram + a, c->buf, n * ODEMU_PAGE);
	for (uint32_t i = 0; i < n; i++)
		e->st.staged[(a / ODEMU_PAGE) + i] = 1;
	e->st.chk_ok &= ~1u;	/* new data: the checksum must come again */
	e->dirty = true;
	odemu_good(c);
	c->resid = 0;
}

/* SendChecksum: CC 04|bk C1 C0 00 00 00 bd 4*idx area 00 00.  binflash
 * never computes it for Flash1M: it forwards the image's stored word and
 * leaves verification to the drive (§2.5).  This drive computes the
 * 16-bit BE word sum of the staged firmware body (§2.7, the
 * same sum as lib/image's NEC checksum) and accepts only a match; for
 * the 1 MiB family the staged last word must hold the same value. */
static void
send_checksum(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint16_t v = odf_be16(c->cdb + 2);
	const uint8_t *body = e->st.ram + m->fw_start;
	size_t blen = m->chk_inside ? m->fw_len - 2 : m->fw_len;

	if (e->st.mode != ODF_MODE_SAFE) {
		sequence_error(c);
		return;
	}
	if (c->cdb[9] == 1 && c->cdb[7] == 0 && c->cdb[8] == 0 &&
	    m->boot_len) {
		/* Bootflash Flash2M/Flash2MOpti: SendChecksum(index 0, area 1)
		 * of the BE word sum of the staged bootcode but its last word
		 * (loop i < 0x3ffe / 0x7ffe) */
		uint16_t want = odf_sum_be16(e->st.ram, m->boot_len - 2);

		if (!all_staged(e, 0, m->boot_len)) {
			sequence_error(c);
			return;
		}
		if (v != want) {
			e->st.chk_ok &= ~2u;
			e->dirty = true;
			invalid_field(c);
			return;
		}
		e->st.chk_ok |= 2u;
		e->dirty = true;
		odemu_good(c);
		return;
	}
	if (c->cdb[9] != 0 || c->cdb[7] != 0 ||
	    (m->chk_index >= 0 && c->cdb[8] != 4 * m->chk_index)) {
		invalid_field(c);
		return;
	}
	if (!all_staged(e, m->fw_start, m->fw_len)) {
		sequence_error(c);
		return;
	}
	if (odf_sum_be16(body, blen) != v ||
	    (m->chk_inside && odf_be16(body + blen) != v)) {
		odemu_log(ODF_LOG_DEBUG, "odemu: checksum %04x sent, staged "
			"image sums to %04x", v, odf_sum_be16(body, blen));
		e->st.chk_ok &= ~1u;
		e->dirty = true;
		invalid_field(c);
		return;
	}
	e->st.chk_ok |= 1u;
	e->st.chk_value = v;
	e->dirty = true;
	odemu_good(c);
}

/* Block bitmap of EraseSingleBlock / FlashSingleBlock: block b sets bit
 * b%8 of CDB byte 8 - b/8 (§2.1), so bytes 2..8 hold blocks 0..55. */
static int
block_mask(const struct odf_cmd *c, uint64_t *mask)
{
	*mask = 0;
	for (unsigned b = 0; b < 56; b++)
		if (c->cdb[8 - b / 8] & (1u << (b % 8)))
			*mask |= 1ull << b;
	return *mask ? 0 : -1;
}

/* The checks EraseSingleBlock and FlashSingleBlock share: safe mode
 * (else a sequence error), a block bitmap naming a block and CDB bytes
 * 9..11 zero (else an invalid field).  false once it has answered.  The
 * layout is binflash's, CB 04|02 00 00 00 00 m6 m7 m8 00 00 00
 * (Liggy/binflash necinternal.cpp: EraseSingleBlock, FlashSingleBlock;
 * docs/internals/protocols.md §2.1). */
static bool
single_blocks(struct odemu *e, struct odf_cmd *c, uint64_t *mask)
{
	if (e->st.mode != ODF_MODE_SAFE) {
		sequence_error(c);
		return false;
	}
	if (block_mask(c, mask) < 0 || c->cdb[9] || c->cdb[10] ||
	    c->cdb[11]) {
		invalid_field(c);
		return false;
	}
	return true;
}

static void
erase_blocks(struct odemu *e, struct odf_cmd *c, uint64_t mask)
{
	const struct odemu_model *m = e->model;

	for (unsigned b = 0; b < 64; b++) {
		if (!(mask & (1ull << b)))
			continue;
		if (b >= m->nblocks || b < m->erase_first || b > m->erase_last) {
			invalid_field(c);
			return;
		}
	}
	for (unsigned b = 0; b < 64; b++)
		if (mask & (1ull << b))
			odemu_flash_erase(e, b);
	odemu_good(c);
}

static void
erase_single(struct odemu *e, struct odf_cmd *c)
{
	uint64_t mask;

	if (!single_blocks(e, c, &mask))
		return;
	erase_blocks(e, c, mask);
}

/* FlashBlock(pattern 01, area 0) = CB 02 .. cdb[8]=01: the last command
 * of binflash's Bootflash for the 1M, 2M and x17x families (its result
 * is not checked).  binflash erases the firmware blocks before it but
 * never the boot block, so the drive erases its boot region itself
 * (INFERRED), then programs the staged bootcode; then, with no firmware
 * left, it restarts into its new boot code: "the drive will blink
 * because it has no firmware on it ... recognised as ... 0.05" (seed
 * forum thread "Successfully recovered 3550 from bad bootcode flash";
 * the restart right away is INFERRED).  A power cut in the middle
 * leaves a boot block that no longer checks: the drive is dead. */
static void
flash_boot(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint32_t n = m->boot_len;

	if (!all_staged(e, 0, n) || (m->boot_csum && !(e->st.chk_ok & 2u))) {
		sequence_error(c);
		return;
	}
	memset(e->st.flash, 0xFF, n);
	e->st.n_erase++;
	odemu_model_time(e, (uint64_t)m->erase_ms_per_block * 1000000ull);
	e->st.blk_dirty[0] = 1;		/* until the program completes */
	e->dirty = true;
	if (odemu_flash_program(e, 0, e->st.ram, n) < 0)
		return;			/* power cut: target.c answers */
	e->st.blk_dirty[0] = 0;
	odemu_good(c);
	odemu_restart(e);
}

/* FlashSingleBlock: program blocks from the staged RAM; only in safe
 * mode, only blocks whose data was staged, only after the checksum was
 * accepted.  The 2 MiB families: programming the last firmware block
 * also writes the accepted checksum word at chk_addr (INFERRED, see
 * models.c). */
static void
flash_single(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint64_t mask;

	if (!single_blocks(e, c, &mask))
		return;
	if (mask == 1 && m->boot_len) {
		flash_boot(e, c);
		return;
	}
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask & (1ull << b)))
			continue;
		if (b >= m->nblocks || b < m->prog_first || b > m->prog_last) {
			invalid_field(c);
			return;
		}
		if (!(e->st.chk_ok & 1u) || !all_staged(e, odemu_block_start(m, b),
						 m->block_size[b])) {
			sequence_error(c);
			return;
		}
	}
	for (unsigned b = 0; b < 64; b++) {
		uint32_t a;

		if (!(mask & (1ull << b)))
			continue;
		a = odemu_block_start(m, b);
		if (odemu_flash_program(e, a, e->st.ram + a,
					m->block_size[b]) < 0)
			return;		/* power cut: target.c answers */
		if (!m->chk_inside && b == m->prog_last) {
			uint8_t w[2];
			odf_put_be16(w, e->st.chk_value);
			if (m->chk_nv) {
				memcpy(e->st.flash + m->chk_addr, w, 2);
				e->dirty = true;
			} else if (odemu_flash_program(e, m->chk_addr, w,
						       2) < 0) {
				return;
			}
		}
	}
	odemu_good(c);
}

/* EraseBlockOptiarc: CB 05 'E' 'R' 'A' 'S' 'E' 00 block;
 * EraseRegionOptiarc: CB 05 A3..A0 LEN(BE24) 00 'E' 'R' (necinternal.cpp). */
static void
erase_optiarc(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;

	if (!m->opti_pad) {
		odemu_sense(c, SK_ILL, 0x20, 0);
		return;
	}
	if (e->st.mode != ODF_MODE_SAFE) {
		sequence_error(c);
		return;
	}
	if (memcmp(c->cdb + 2, "ERASE", 5) == 0 && c->cdb[7] == 0) {
		erase_blocks(e, c, 1ull << (c->cdb[8] & 63));
		return;
	}
	if (c->cdb[10] == 'E' && c->cdb[11] == 'R' && c->cdb[9] == 0) {
		uint32_t a = odf_be32(c->cdb + 2), l = odf_be24(c->cdb + 6);
		int b0 = odemu_block_of(m, a), b1;
		uint64_t mask = 0;

		b1 = l ? odemu_block_of(m, a + l - 1) : -1;
		if (b0 < 0 || b1 < 0 || a != odemu_block_start(m, (unsigned)b0) ||
		    a + l != odemu_block_start(m, (unsigned)b1) +
		    m->block_size[b1]) {
			invalid_field(c);
			return;
		}
		for (int b = b0; b <= b1; b++)
			mask |= 1ull << b;
		erase_blocks(e, c, mask);
		return;
	}
	invalid_field(c);
}

/* ReadBoot: CD 0|bk 52 44 42 4F 4F 54 ("RDBOOT"), IN the bootcode size;
 * "Only supported on V850 drives when in safe mode" (binflash
 * necinternal.cpp ReadBoot; docs/internals/protocols.md §2.1). */
static void
read_boot(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;

	if (!m->boot_len || memcmp(c->cdb + 2, "RDBOOT", 6) != 0 ||
	    (c->cdb[1] & 0x10)) {
		invalid_field(c);
		return;
	}
	if (e->st.mode != ODF_MODE_SAFE) {
		sequence_error(c);
		return;
	}
	odemu_data_in(c, e->st.flash, m->boot_len, m->boot_len);
}

static int
nec_exec(struct odemu *e, struct odf_cmd *c)
{
	uint8_t op = c->cdb[0];

	if (op == 0x00 && e->st.mode == ODF_MODE_SAFE) {
		/* in safe mode the drive is busy with its boot code:
		 * binflash only needs the TUR to fail without 3Eh (§2.5
		 * step 2); INFERRED: LOGICAL UNIT NOT READY 04/00 */
		odemu_sense(c, ODEMU_SK_NOT_READY, 0x04, 0x00);
		return 1;
	}
	if (op == 0xCD) {
		read_boot(e, c);
		return 1;
	}
	if (op != 0xCB && op != 0xCC)
		return 0;
	if (c->cdb[1] & 0x10) {			/* bank 1: 640K family only */
		invalid_field(c);
		return 1;
	}
	if (op == 0xCC) {
		switch (c->cdb[1] & 0x0F) {
		case 0x00: read_ram(e, c); return 1;
		case 0x01: set_safe_mode(e, c); return 1;
		case 0x04: send_checksum(e, c); return 1;
		default: break;
		}
	} else {
		switch (c->cdb[1] & 0x0F) {
		case 0x01: write_ram(e, c); return 1;
		case 0x02: flash_single(e, c); return 1;
		case 0x04: erase_single(e, c); return 1;
		case 0x05: erase_optiarc(e, c); return 1;
		default: break;
		}
	}
	invalid_field(c);
	return 1;
}

const struct odemu_proto odemu_proto_nec = {
	.name = "nec",
	.exec = nec_exec,
	.boot_check = nec_boot_check,
	.provision = nec_provision,
};
