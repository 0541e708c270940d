/* odemu: a Pioneer DVR-109 (and DVR-104) firmware update, as DVRFlash
 * drives it.
 *
 * Facts (rpc1dev/DVRFlash@8ccb1b7 DVRFlash.cpp v2.2b;
 * docs/internals/protocols.md §3):
 *   - INQUIRY carries a date "yy/mm/dd" at bytes 37..44; revision "0000"
 *     in kernel mode;
 *   - READ BUFFER 02/F1 (0x30 bytes): serial[16], interface "ATA ",
 *     generation[4] ASCII, kernel type[8], normal type[8], kernel rev[4];
 *   - WRITE BUFFER 04/FF (0x100 bytes) enters kernel mode when the block
 *     holds the model string ("PIONEER  DVR-109") and, at 0x10, the
 *     big-endian key of the drive's kernel type (GENERAL 5C6A8FE9,
 *     PIO_ADV 51B7DAC2, ...);
 *   - WRITE BUFFER 07/F0 and 07/FE take the normal and kernel parts in
 *     0x8000-byte chunks (offset BE24, low byte zero);
 *   - WRITE BUFFER 05/FF with the same 0x100-byte block commits; the
 *     drive reflashes ("hold your breath for about 30 seconds") and comes
 *     back in normal mode;
 *   - file checks the drive side mirrors: "Normal"/"Kernel" at 0x110,
 *     the 24-character model at 0x60, kernel type at 0xD0 (7 characters
 *     compared), interface at 0xB0, generation at 0xB4; a DVR-109 kernel
 *     part is 0x20000 bytes, a normal part at least 0x128000;
 *   - DVR-104 (generation 3): kernel-mode block "PIONEER DVD-R104" with
 *     no key; kernel part 0x10000 bytes, normal part 0x100000; before the
 *     kernel-mode entry the anti-downgrade challenge (DVRFlash.cpp
 *     Downgrade(), pseudoRandom(), pseudoRandom2()): WRITE BUFFER 01/F3
 *     (length 0) resets it, READ BUFFER 01/F2 sends 0x400 bytes of a
 *     32-bit generator x <- x * 0x41C64E6D + 0x3039 (each byte: bits
 *     16..23 of the new x) started from a 16-bit seed, and WRITE BUFFER
 *     01/F2 of 0x100 then 0x400 bytes must carry, in every byte, output
 *     number 0x401 XOR 0xFF.
 *
 * INFERRED (no public source describes the drive's inside; pinned in
 * tests/unit/test_vendor_pioneer.c and tests/e2e/family_pioneer.sh):
 *   - flash: 2 MiB of 64 KiB blocks; the kernel part at 0 (blocks 0-1),
 *     the normal part from 0x20000 (at most 0x1D0000 bytes), and in the
 *     last block a record "PNRM" + length BE32 + byte sum BE32 that the
 *     commit erases first and writes last: a normal part cut short by a
 *     power loss fails the kernel's boot check, and the drive stays in
 *     kernel mode, where it takes the normal part again (as DVRFlash
 *     flashes a drive found with revision "0000");
 *   - kernel mode entered by command is a RAM state: a power cycle
 *     brings the old firmware back;
 *   - a drive whose kernel part is broken answers only INQUIRY, TEST
 *     UNIT READY and REQUEST SENSE (a brick);
 *   - refusals: wrong model string or key, a staged image that is not a
 *     DVR-109 normal part of this drive's kernel type -> 05/26/00
 *     (INVALID FIELD IN PARAMETER LIST), nothing written; a chunk other
 *     than 0x8000 bytes, an offset out of order or past the region ->
 *     05/24/00; F0/FE/commit outside kernel mode, commit with nothing
 *     staged -> 05/2C/00 (COMMAND SEQUENCE ERROR) (the two codes SPC
 *     offers for a vendor-side rejection, §1.2);
 *   - the ID block shows serial and normal type only in normal mode
 *     (DVRFlash prints them only then); the date is the model's fw_date
 *     in normal mode and "00/00/00" in kernel mode (the older DVRFlash
 *     tests for that date as well as for "0000");
 *   - DVR-104: the same layout as the DVR-109 with the normal part from
 *     0x10000 (0x100000 bytes); the drive's seed is taken from its serial
 *     and its command counter (a fresh seed per challenge); the challenge
 *     state is RAM (a power cycle forgets it); a kernel-mode entry without
 *     both answers right -> 05/26/00, a wrong answer -> 05/26/00 and the
 *     challenge starts over, an answer or READ BUFFER 01/F2 without a
 *     reset first -> 05/2C/00; the challenge commands on a DVR-109 ->
 *     05/24/00 (DVRFlash then takes the drive as not protected).
 * Protocol state: st.mode BOOT = kernel mode; st.dl_len = normal-part
 * bytes staged (RAM 0..), st.fw_len = kernel-part bytes staged (RAM
 * 0x1E0000..); DVR-104 challenge: st.chk_ok = PIO_CH_* (0 none; reset
 * by odemu_reboot, so a power cycle forgets it), st.chk_value = seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define PIO_CHUNK 0x8000u
#define PIO_KERNEL 0x20000u		/* DVR-109 kernel part */
#define PIO_NORMAL_MIN 0x128000u	/* DVR-109 normal part, at least */
#define PIO_OLD_KERNEL 0x10000u		/* DVR-104 kernel part */
#define PIO_OLD_NORMAL 0x100000u	/* DVR-104 normal part */
#define PIO_CHALLENGE 0x400u
enum { PIO_CH_NONE = 0, PIO_CH_ISSUED, PIO_CH_FIRST, PIO_CH_UNLOCKED };
#define PIO_REC_MAGIC "PNRM"
#define PIO_KSTAGE 0x1E0000u		/* kernel part staging in RAM */
#define PIO_BLOCK 0x100u

static const struct {
	const char *type;	/* 7 characters compared, as DVRFlash */
	uint32_t key;
} pio_keys[] = {
	{ "PIO_ADV", 0x51B7DAC2u }, { "GENERAL", 0x5C6A8FE9u },
	{ "ASUS   ", 0x2BD55699u }, { "ASUS_NL", 0x9CE45EF6u },
	{ "PIODATA", 0x150000B0u }, { "MEDION ", 0xD1A2ED86u },
	{ "OEM_EXT", 0x9A782361u }, { "APPLE  ", 0x9A782361u },
	{ "ACER   ", 0x9A782361u }, { "SONYDT ", 0x9A782361u },
	{ "OEM_INT", 0x1B0000B0u },
};

/* A DVR-103/104 (challenge, no key, smaller parts)? */
static bool
pio_old(const struct odemu_model *m)
{
	return strcmp(m->target, "DVR-104") == 0;
}

static uint32_t
pio_klen(const struct odemu_model *m)
{
	return pio_old(m) ? PIO_OLD_KERNEL : PIO_KERNEL;
}

static uint32_t
pio_nmin(const struct odemu_model *m)
{
	return pio_old(m) ? PIO_OLD_NORMAL : PIO_NORMAL_MIN;
}

static uint32_t
pio_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += p[i];
	return s;
}

/* A part of that kind ("Kernel"/"Normal") of a size DVRFlash takes for
 * the generation it names (emu/fmt_pioneer.c) */
static bool
pio_is_part(const uint8_t *p, size_t len, const char *kind)
{
	int k = odemu_pio_kind(p, len);

	return k >= 0 && memcmp(p + 0x110, kind, 6) == 0 &&
	       odemu_pio_size_ok(odemu_pio_generation(p, len), k == 1, len);
}

static const uint8_t *
pio_kernel(const struct odemu *e)
{
	return e->st.flash;
}

static bool
pio_kernel_ok(const struct odemu *e)
{
	return pio_is_part(pio_kernel(e), pio_klen(e->model), "Kernel");
}

/* The committed normal part, or NULL (record missing or sum wrong). */
static const uint8_t *
pio_normal(const struct odemu *e, uint32_t *len)
{
	const struct odemu_model *m = e->model;
	const uint8_t *r = e->st.flash + m->chk_addr;
	uint32_t n;

	if (memcmp(r, PIO_REC_MAGIC, 4) != 0)
		return NULL;
	n = odf_be32(r + 4);
	if (n < pio_nmin(m) || n > m->fw_len ||
	    pio_sum(e->st.flash + m->fw_start, n) != odf_be32(r + 8))
		return NULL;
	if (!pio_is_part(e->st.flash + m->fw_start, n, "Normal"))
		return NULL;
	*len = n;
	return e->st.flash + m->fw_start;
}

static bool
pio_boot_check(struct odemu *e, char vendor[9], char product[17],
	       char revision[5])
{
	const uint8_t *p;
	uint32_t n;

	if (!pio_kernel_ok(e) || (p = pio_normal(e, &n)) == NULL)
		return false;
	odf_str_trim(vendor, 9, (const char *)p + 0x60, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, (const char *)p + 0x68, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, (const char *)p + 0x90, 4, ODF_STR_KEEP);
	return true;
}

/* Write the record that makes the normal part bootable (block erased). */
static int
pio_write_record(struct odemu *e, uint32_t len)
{
	const struct odemu_model *m = e->model;
	uint8_t r[12];

	memcpy(r, PIO_REC_MAGIC, 4);
	odf_put_be32(r + 4, len);
	odf_put_be32(r + 8, pio_sum(e->st.flash + m->fw_start, len));
	return odemu_flash_program(e, m->chk_addr, r, sizeof(r));
}

/* Does a staged normal part fit this drive (DVRFlash's file checks)? */
static bool
pio_normal_fits(const struct odemu *e, const uint8_t *p, uint32_t len)
{
	const uint8_t *k = pio_kernel(e);

	return len >= pio_nmin(e->model) && len <= e->model->fw_len &&
	       pio_is_part(p, len, "Normal") &&
	       memcmp(p + 0x60, k + 0x60, 24) == 0 &&
	       memcmp(p + 0xD0, k + 0xD0, 7) == 0 &&
	       memcmp(p + 0xB0, k + 0xB0, 8) == 0;
}

static int
pio_provision(struct odemu *e, const char *version, const uint8_t *file,
	      size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	char ktype[9];
	uint8_t *kern = NULL;
	size_t klen = 0;

	(void)version;
	if (len < pio_nmin(m) || len > m->fw_len ||
	    !pio_is_part(file, len, "Normal"))
		return odf_diag_set(d, ODF_E_FORMAT, "not a Pioneer %s normal "
				    "part of 0x%x..0x%x bytes", m->target,
				    pio_nmin(m), m->fw_len);
	/* the kernel part: built like a vendor kernel file of the same
	 * model and kernel type, version 1.00 */
	odf_str_trim(ktype, sizeof(ktype), (const char *)file + 0xD0, 8,
		     ODF_STR_KEEP);
	if (odemu_pio_build(m, true, odemu_pio_generation_of(m), "1.00",
			    ktype, 0x4B45524Eu, &kern, &klen) < 0)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (klen != pio_klen(m)) {
		free(kern);
		return odf_diag_set(d, ODF_E_INTERNAL, "kernel part of %zu "
				    "bytes", klen);
	}
	odemu_fam_fill(e, 0, m->flash_size, 0x50494F4Eu);
	memcpy(e->st.flash, kern, klen);
	free(kern);
	memcpy(e->st.flash + m->fw_start, file, len);
	memset(e->st.flash + m->chk_addr, 0xFF, m->flash_size - m->chk_addr);
	memcpy(e->st.flash + m->chk_addr, PIO_REC_MAGIC, 4);
	odf_put_be32(e->st.flash + m->chk_addr + 4, (uint32_t)len);
	odf_put_be32(e->st.flash + m->chk_addr + 8,
		     pio_sum(e->st.flash + m->fw_start, len));
	return 0;
}

static void
pio_inquiry(struct odemu *e, struct odf_cmd *c)
{
	const char *dt = e->model->fw_date;
	uint8_t b[96];
	char date[9];

	odemu_inquiry_std(e, b, sizeof(b));
	if (e->st.mode == ODF_MODE_NORMAL)
		snprintf(date, sizeof(date), "%.2s/%.2s/%.2s", dt + 2, dt + 4,
			 dt + 6);
	else
		snprintf(date, sizeof(date), "00/00/00");
	memset(b + 36, ' ', 20);
	memcpy(b + 37, date, 8);
	odemu_data_in(c, b, sizeof(b), odf_be16(c->cdb + 3));
}

static void
pio_id_block(struct odemu *e, struct odf_cmd *c)
{
	const uint8_t *k = pio_kernel(e), *n;
	uint8_t b[0x30];
	uint32_t nl;

	memset(b, ' ', sizeof(b));
	n = e->st.mode == ODF_MODE_NORMAL ? pio_normal(e, &nl) : NULL;
	if (n)
		odf_put_padded(b, 16, e->st.serial);
	memcpy(b + 16, k + 0xB0, 4);		/* interface */
	memcpy(b + 20, k + 0xB4, 4);		/* generation */
	memcpy(b + 24, k + 0xD0, 8);		/* kernel type */
	if (n)
		memcpy(b + 32, n + 0xD0, 8);	/* normal type */
	memcpy(b + 40, k + 0x90, 4);		/* kernel revision */
	odemu_data_in(c, b, sizeof(b), odf_be24(c->cdb + 6));
}

/* The 0x100-byte block of the entry and commit commands. */
static bool
pio_block_ok(const struct odemu *e, const uint8_t *b)
{
	const uint8_t *k = pio_kernel(e);
	char model[17];

	/* DVR-104: "PIONEER DVD-R104" and no key (DVRFlash SetKern) */
	if (pio_old(e->model))
		return memcmp(b, "PIONEER DVD-R104", 16) == 0;
	/* "PIONEER  " + the last word of the model, 16 characters */
	snprintf(model, sizeof(model), "PIONEER  %.7s", e->model->target);
	if (memcmp(b, model, 16) != 0)
		return false;
	for (size_t i = 0; i < sizeof(pio_keys) / sizeof(pio_keys[0]); i++)
		if (memcmp(k + 0xD0, pio_keys[i].type, 7) == 0)
			return odf_be32(b + 0x10) == pio_keys[i].key;
	return false;
}

static void
pio_enter_kernel(struct odemu *e)
{
	e->st.mode = ODF_MODE_BOOT;
	e->st.dl_len = 0;
	e->st.fw_len = 0;
	odf_str_trim(e->revision, sizeof(e->revision),
			e->model->boot_revision, 4, ODF_STR_KEEP);
	e->dirty = true;
}

static void
pio_commit(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint32_t len = e->st.dl_len;

	if (e->st.mode != ODF_MODE_BOOT || len == 0) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	if (!pio_block_ok(e, c->buf) ||
	    !pio_normal_fits(e, e->st.ram, len)) {
		e->st.dl_len = 0;
		e->dirty = true;
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
		return;
	}
	/* the record goes first, the part, then the record again */
	if (odemu_flash_erase(e, (unsigned)odemu_block_of(m, m->chk_addr)) < 0 ||
	    odemu_fam_write(e, m->fw_start, e->st.ram, len) < 0 ||
	    pio_write_record(e, len) < 0)
		return;			/* power cut: target.c answers */
	odemu_fam_took(c);
	odemu_restart(e);
	odemu_add_ua(e, 0x29, 0x00);
}

static void
pio_kernel_chunk(struct odemu *e, struct odf_cmd *c, uint32_t off)
{
	uint8_t *st = e->st.ram + PIO_KSTAGE;

	if (off == 0)
		e->st.fw_len = 0;
	if (off != e->st.fw_len || off + PIO_CHUNK > pio_klen(e->model)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	memcpy(st + off, c->buf, PIO_CHUNK);
	e->st.fw_len = off + PIO_CHUNK;
	e->dirty = true;
	if (e->st.fw_len < pio_klen(e->model)) {
		odemu_fam_took(c);
		return;
	}
	/* the whole kernel part: the drive reflashes it by itself (DVRFlash
	 * waits 10 s after the last chunk) */
	e->st.fw_len = 0;
	if (!pio_is_part(st, pio_klen(e->model), "Kernel") ||
	    memcmp(st + 0x60, pio_kernel(e) + 0x60, 24) != 0 ||
	    memcmp(st + 0xB0, pio_kernel(e) + 0xB0, 8) != 0) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
		return;
	}
	if (odemu_fam_write(e, 0, st, pio_klen(e->model)) < 0)
		return;			/* power cut */
	odemu_fam_took(c);
}

/* ---- DVR-104 anti-downgrade challenge (the drive's side) ---------------- */
/* The generator, one step: the new state's bits 16..23. */
static uint8_t
pio_prng(uint32_t *x)
{
	*x = *x * 0x41C64E6Du + 0x3039u;
	return (uint8_t)((*x >> 16) & 0xFFu);
}

static void
pio_challenge_reset(struct odemu *e, struct odf_cmd *c)
{
	uint32_t h = 2166136261u;	/* FNV-1a of the serial */

	for (const char *p = e->st.serial; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h += (uint32_t)e->st.n_cmds;
	e->st.chk_value = h & 0xFFFFu;
	e->st.chk_ok = PIO_CH_ISSUED;
	e->dirty = true;
	odemu_fam_took(c);
}

static void
pio_challenge_data(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[PIO_CHALLENGE];
	uint32_t x = e->st.chk_value & 0xFFFFu;

	if (e->st.chk_ok == PIO_CH_NONE) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = pio_prng(&x);
	odemu_data_in(c, b, sizeof(b), odf_be24(c->cdb + 6));
}

static void
pio_challenge_answer(struct odemu *e, struct odf_cmd *c, uint32_t len)
{
	uint32_t x = e->st.chk_value & 0xFFFFu;
	uint8_t want;
	const uint8_t *p = c->buf;

	if (e->st.chk_ok == PIO_CH_NONE ||
	    (len == PIO_CHALLENGE && e->st.chk_ok != PIO_CH_FIRST)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	if (len != 0x100 && len != PIO_CHALLENGE) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	for (uint32_t i = 0; i < PIO_CHALLENGE; i++)
		(void)pio_prng(&x);
	want = (uint8_t)(pio_prng(&x) ^ 0xFFu);
	for (uint32_t i = 0; i < len; i++)
		if (p[i] != want) {
			/* wrong: the challenge starts over */
			e->st.chk_ok = PIO_CH_NONE;
			e->dirty = true;
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
			return;
		}
	e->st.chk_ok = len == PIO_CHALLENGE ? PIO_CH_UNLOCKED : PIO_CH_FIRST;
	e->dirty = true;
	odemu_fam_took(c);
}

static void
pio_write_buffer(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint8_t mode = c->cdb[1] & 0x1F, id = c->cdb[2];
	uint32_t off = odf_be24(c->cdb + 3), len = odf_be24(c->cdb + 6);

	/* A data-out command of length 0 has no data phase: the drive sees
	 * the same bus traffic whether the host asked for "out, 0 bytes" or
	 * "no data".  DVRFlash v2.2b sends 3B 01 F3 00 00 00 00 00 00 00
	 * X2_DATA_OUT with length 0 ("Write buffer command HAS a data out
	 * phase, even an empty one!", rpc1dev/DVRFlash@8ccb1b7
	 * DVRFlash.cpp:Downgrade); a preload or kernel path may pass it on
	 * as no data: both are taken. */
	bool no_data = len == 0 && c->len == 0 &&
		       (c->dir == ODF_DIR_OUT || c->dir == ODF_DIR_NONE);

	if ((!no_data && c->dir != ODF_DIR_OUT) || c->len != len ||
	    (c->buf == NULL && len != 0)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (mode == 0x01 && pio_old(m) && off == 0 &&
	    (id == 0xF3 || id == 0xF2)) {
		if (id == 0xF3 && len == 0)
			pio_challenge_reset(e, c);
		else if (id == 0xF2 && len != 0)
			pio_challenge_answer(e, c, len);
		else
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (len == 0) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (id == 0xFF && (mode == 0x04 || mode == 0x05)) {
		if (off != 0 || len != PIO_BLOCK) {
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
			return;
		}
		if (mode == 0x05) {
			pio_commit(e, c);
			return;
		}
		if (!pio_block_ok(e, c->buf) ||
		    (pio_old(m) && e->st.mode == ODF_MODE_NORMAL &&
		     e->st.chk_ok != PIO_CH_UNLOCKED)) {
			/* DVR-104: not without the challenge answered */
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
			return;
		}
		pio_enter_kernel(e);
		odemu_fam_took(c);
		return;
	}
	if (mode != 0x07 || (id != 0xF0 && id != 0xFE)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (e->st.mode != ODF_MODE_BOOT) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	if (len != PIO_CHUNK || off % PIO_CHUNK != 0) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (id == 0xFE) {
		pio_kernel_chunk(e, c, off);
		return;
	}
	if (off + len > m->fw_len) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (odemu_fam_stage(e, c, off, len) < 0)
		return;
	odemu_fam_took(c);
}

static int
pio_exec(struct odemu *e, struct odf_cmd *c)
{
	if (!pio_kernel_ok(e))
		return 0;		/* no kernel: the boot ROM only */
	switch (c->cdb[0]) {
	case 0x12:
		if (c->cdb[1] & 0x03 || c->cdb[2])
			return 0;	/* VPD, CmdDt: target.c */
		pio_inquiry(e, c);
		return 1;
	case 0x3C:
		if ((c->cdb[1] & 0x1F) == 0x02 && c->cdb[2] == 0xF1 &&
		    c->dir == ODF_DIR_IN)
			pio_id_block(e, c);
		else if ((c->cdb[1] & 0x1F) == 0x01 && c->cdb[2] == 0xF2 &&
			 c->dir == ODF_DIR_IN && pio_old(e->model) &&
			 odf_be24(c->cdb + 6) == PIO_CHALLENGE)
			pio_challenge_data(e, c);
		else
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return 1;
	case 0x3B:
		pio_write_buffer(e, c);
		return 1;
	default:
		return 0;
	}
}

const struct odemu_proto odemu_proto_pioneer = {
	.name = "pioneer",
	.exec = pio_exec,
	.boot_check = pio_boot_check,
	.provision = pio_provision,
};
