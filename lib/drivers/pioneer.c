/* odflash vendor driver: Pioneer DVR-103 ... DVR-110 (and the K-series
 * OEM drives of the same generations).
 *
 * Facts: rpc1dev/DVRFlash@8ccb1b7 DVRFlash.cpp (v2.2b; its observed
 * sequence in docs/internals/protocols.md §3), and its fork
 * jevinskie/Pioneer-DVD-DVR-Flashtool pioneer-dvd-dvr-flash-utils.cpp:
 *   - INQUIRY (0x60 bytes): a Pioneer DVR carries a date "xx/xx/xx" at
 *     bytes 37..44 ('/' at 39 and 42); revision "0000" means the drive
 *     runs its kernel (kernel mode);
 *   - ID block: READ BUFFER `3C 02 F1 00 00 00 00 00 30 00`, 0x30 bytes:
 *     serial[16], interface[4] ("ATA "), generation[4] (ASCII decimal),
 *     kernel type[8], normal type[8], kernel revision[4];
 *   - kernel-mode entry: WRITE BUFFER `3B 04 FF 00 00 00 00 01 00 00`,
 *     0x100 bytes: a 16-character model string, the big-endian key at
 *     0x10, the rest zero (key table by generation and kernel type:
 *     DVRFlash.cpp SetKern, SetKernKey, §3.3); afterwards INQUIRY must
 *     report revision "0000";
 *   - normal part: `3B 07 F0 o2 o1 00 00 80 00` per 0x8000-byte chunk
 *     (offset in bytes 3-4, i.e. BE24 with a zero low byte), 100 ms
 *     between chunks; the last chunk is zero-padded to 0x8000;
 *   - kernel part: the same with buffer ID FE, 250 ms between chunks,
 *     then a 10 s wait while the drive reflashes its kernel itself;
 *   - commit: `3B 05 FF 00 00 00 00 01 00 00` with the same 0x100-byte
 *     block; for generation >= 4 DVRFlash warns to "hold your breath for
 *     about 30 seconds", then waits 10 s and sends INQUIRY (revision no
 *     longer "0000" = success);
 *   - a drive already in kernel mode skips the entry command and the
 *     "no disc" TEST UNIT READY (DVRFlash `is_kernel`): this is how a
 *     drive left in kernel mode is flashed again (recovery);
 *   - DVR-103/104 (generations 1 and 3) first need the anti-downgrade
 *     challenge (DVRFlash `Downgrade`, run only for a drive not yet in
 *     kernel mode): `3B 01 F3 00 00 00 00 00 00 00` (data-out of length
 *     0), `3C 01 F2 00 00 00 00 04 00 00` (0x400 bytes the drive makes
 *     with a generator seeded by a 16-bit value of its own), then
 *     `3B 01 F2 .. 01 00` (0x100 bytes) and `3B 01 F2 .. 04 00` (0x400
 *     bytes), both filled with one answer byte (see pio_answer below);
 *   - timeout 300 s per command; no checksum in the file format; no
 *     command reads the firmware back (no dump).
 *
 * Decisions (INFERRED, pinned in tests/unit/test_vendor_pioneer.c):
 *   - the chunk size is fixed: the drive takes exactly 0x8000 bytes per
 *     WRITE BUFFER (DVRFlash never sends anything else), so a path that
 *     cannot carry 32 KiB is refused before anything is sent;
 *   - the point of no return is the kernel-mode entry (a drive found in
 *     kernel mode: the first data chunk): from it the drive no longer
 *     runs its firmware, and no public source documents a command that
 *     leaves kernel mode without flashing.  DVRFlash.cpp main() sends
 *     nothing after the entry but the chunks and "the flash/restore to
 *     normal mode command" 3B 05 FF (the commit, which writes what was
 *     staged); with -k ("put drive in Kernel mode") it enters kernel
 *     mode and exits, the drive left there.  So from the entry `changed`
 *     is true, a signal is held until the drive is back in normal mode,
 *     and a failure is reported with the recover command (a drive in
 *     kernel mode takes the normal part again, DVRFlash `is_kernel`).
 *     That the entry itself writes no flash (a power cycle would bring
 *     the old firmware back) is INFERRED, not counted on.  A refusal of
 *     the entry that says the drive did not act on it (odf/plan.h
 *     ODF_STEP_REJECT_SAFE) ends the run as a refusal, nothing changed;
 *   - a kernel part alone is refused: DVRFlash flashes it only with -f or
 *     together with its normal part, and odflash flashes one file;
 *   - generations 1 and 3: the challenge steps come before the
 *     kernel-mode entry, before the point of no return (they write no
 *     flash); the two answer steps are computed data-out steps
 *     (odf/plan.h) fed by the READ BUFFER 01/F2 step.  DVRFlash goes on
 *     when the challenge fails ("attempting to continue anyway"); odflash
 *     stops there instead, nothing changed: no seed found, or any of the
 *     four commands refused, ends the run with exit 3;
 *   - the 10 s countdown after the commit is a WAIT step followed by a
 *     poll (TEST UNIT READY) of up to 120 s instead of a single INQUIRY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define PIO_TIMEOUT_MS 300000u		/* DVRFlash MAX_SECONDS */
#define PIO_CHUNK 0x8000u
#define PIO_ID_LEN 0x30u
#define PIO_KEYBLOCK 0x100u
#define PIO_UNIVERSAL_KEY 0x9A782361u
#define PIO_CHALLENGE 0x400u		/* bytes of seeded data, and answer */
#define PIO_ANSWER1 0x100u		/* the first answer block */

/* Kernel type -> key, generations 9/64/66 (and 10/11 with the first byte
 * incremented): DVRFlash.cpp SetKernKey (docs/internals/protocols.md
 * §3.3). */
static const struct {
	const char *type;
	uint32_t key;
} pio_type_keys[] = {
	{ "PIO_ADV", 0x51B7DAC2u }, { "GENERAL", 0x5C6A8FE9u },
	{ "ASUS", 0x2BD55699u }, { "ASUS_NL", 0x9CE45EF6u },
	{ "PIODATA", 0x150000B0u }, { "MEDION", 0xD1A2ED86u },
	{ "OEM_EXT", PIO_UNIVERSAL_KEY }, { "OEM_EXT2", PIO_UNIVERSAL_KEY },
	{ "APPLE", PIO_UNIVERSAL_KEY }, { "ACER", PIO_UNIVERSAL_KEY },
	{ "SONYDT", PIO_UNIVERSAL_KEY }, { "OEM_INT", 0x1B0000B0u },
};

/* The generations DVRFlash v2.2b accepts, with the model string of the
 * kernel-mode block (SetKern). */
static const struct {
	int gen;
	const char *model;	/* exactly 16 characters */
	int keyed;		/* 0 none, 1 universal, 2 by kernel type */
} pio_gens[] = {
	{ 1, "PIONEER DVR-S301", 0 }, { 3, "PIONEER DVD-R104", 0 },
	{ 4, "PIONEER  DVR-105", 0 },
	{ 6, "PIONEER  DVR-106", 1 }, { 52, "PIONEER  DVR-106", 1 },
	{ 53, "PIONEER  DVR-106", 1 },
	{ 7, "PIONEER  DVR-107", 1 }, { 54, "PIONEER  DVR-107", 1 },
	{ 8, "PIONEER  DVR-108", 1 }, { 60, "PIONEER  DVR-108", 1 },
	{ 62, "PIONEER  DVR-108", 1 },
	{ 9, "PIONEER  DVR-109", 2 }, { 64, "PIONEER  DVR-109", 2 },
	{ 66, "PIONEER  DVR-109", 2 },
	{ 10, "PIONEER  DVR-110", 2 }, { 11, "PIONEER  DVR-110", 2 },
};

static int
pio_atoi4(const uint8_t *p)
{
	int g = 0, i = 0;

	while (i < 4 && p[i] == ' ')
		i++;
	for (; i < 4 && p[i] >= '0' && p[i] <= '9'; i++)
		g = g * 10 + (p[i] - '0');
	return g;
}

/* Fill the 0x100-byte kernel-mode / commit block.  Returns 0, or
 * ODF_E_UNSUPPORTED when the generation or kernel type has no key. */
static int
pio_key_block(int gen, const char *ktype, uint8_t *b, struct odf_diag *d)
{
	memset(b, 0, PIO_KEYBLOCK);
	for (size_t i = 0; i < sizeof(pio_gens) / sizeof(pio_gens[0]); i++) {
		uint32_t key = PIO_UNIVERSAL_KEY;

		if (pio_gens[i].gen != gen)
			continue;
		memcpy(b, pio_gens[i].model, 16);
		if (pio_gens[i].keyed == 0)
			return 0;
		if (pio_gens[i].keyed == 2) {
			size_t k;

			for (k = 0; k < sizeof(pio_type_keys) /
			     sizeof(pio_type_keys[0]); k++)
				if (strcmp(pio_type_keys[k].type, ktype) == 0)
					break;
			if (k == sizeof(pio_type_keys) / sizeof(pio_type_keys[0]))
				return odf_diag_set(d, ODF_E_UNSUPPORTED, "no "
						    "public key for a Pioneer "
						    "generation %d drive of kernel "
						    "type '%s'", gen, ktype);
			key = pio_type_keys[k].key;
		}
		odf_put_be32(b + 0x10, key);
		/* DVR-110: first key byte + 1 unless it is 9Ah (SetKernKey) */
		if ((gen == 10 || gen == 11) && b[0x10] != 0x9A)
			b[0x10]++;
		return 0;
	}
	return odf_diag_set(d, ODF_E_UNSUPPORTED, "Pioneer generation %d is "
			    "not one DVRFlash knows (1, 3, 4, 6-11, 52-54, 60, "
			    "62, 64, 66)", gen);
}

/* ---- DVR-103/104 anti-downgrade answer ----------------------------------
 * Facts from rpc1dev/DVRFlash DVRFlash.cpp, functions pseudoRandom(),
 * pseudoRandom2() and Downgrade() (own code, written from the facts):
 *   - the generator is a 32-bit linear congruential one,
 *     x <- x * 0x41C64E6D + 0x3039 (mod 2^32) (DVRFlash spells the
 *     multiplication out in 16-bit halves); each step yields bits 16..23
 *     of the new x (pseudoRandom2's "& 0x7FFF % 0x100" is the same byte);
 *   - the drive starts it from a 16-bit seed; its 0x400 bytes are the
 *     first 0x400 outputs; DVRFlash finds the seed by trying all 65536
 *     and comparing the first 4 bytes only (the rest may carry other
 *     data);
 *   - the answer byte is output number 0x401 XOR 0xFF; both answer
 *     blocks (0x100 and 0x400 bytes) are filled with it. */
static uint8_t
pio_next(uint32_t *x)
{
	*x = *x * 0x41C64E6Du + 0x3039u;
	return (uint8_t)(*x >> 16);
}

int
odfi_pio_find_seed(const uint8_t *data, size_t len, uint16_t *seed)
{
	if (len < 4)
		return -1;
	for (uint32_t s = 0; s <= 0xFFFFu; s++) {
		uint32_t x = s;
		size_t k = 0;

		while (k < 4 && pio_next(&x) == data[k])
			k++;
		if (k == 4) {
			*seed = (uint16_t)s;
			return 0;
		}
	}
	return -1;
}

uint8_t
odfi_pio_answer(uint16_t seed)
{
	uint32_t x = seed;

	for (unsigned i = 0; i < PIO_CHALLENGE; i++)
		(void)pio_next(&x);
	return (uint8_t)(pio_next(&x) ^ 0xFFu);
}

/* odf_step_fill_fn of the two answer steps. */
int
odfi_pio_fill_answer(const uint8_t *in, size_t in_len, uint8_t *out,
		     size_t out_len, struct odf_diag *d)
{
	uint16_t seed = 0;

	if (odfi_pio_find_seed(in, in_len, &seed) < 0) {
		odf_diag_reason(d, ODF_R_CHALLENGE_UNANSWERED);
		odf_diag_fact_family(d, ODF_FAMILY_PIONEER);
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the drive's "
				    "challenge could not be answered; nothing "
				    "was changed");
	}
	memset(out, odfi_pio_answer(seed), out_len);
	return 0;
}

static int
pio_read_id(struct odf_dev *dev, uint8_t *b, struct odf_diag *d)
{
	uint8_t cdb[10];
	int rc = 0;

	/* 3C 02 F1 00 00 00 00 00 30 00: DVRFlash "DVR specific inquiry" */
	odf_cdb_read_buffer(cdb, ODF_RB_MODE_DATA, 0xF1, 0, PIO_ID_LEN);
	/* a pending unit attention (power on, reset) answers instead of
	 * the command, which then was not executed: send it again */
	for (int i = 0; i < 4; i++) {
		struct odf_diag rd;

		odf_diag_clear(&rd);
		memset(b, 0, PIO_ID_LEN);
		rc = odfi_vnd_run(dev, cdb, 10, ODF_DIR_IN, b, PIO_ID_LEN,
				  PIO_TIMEOUT_MS, "READ BUFFER 02/F1 (Pioneer "
				  "ID)", &rd);
		if (rc == 0 || !rd.sense_valid ||
		    rd.sense_key != ODF_SK_UNIT_ATTENTION) {
			if (d && rc < 0)
				*d = rd;
			break;
		}
	}
	return rc;
}

static int
pio_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	  struct odf_drive_ident *id, struct odf_diag *d)
{
	char iface[8], ktype[12], ntype[12], krev[8], serial[20];
	uint8_t b[PIO_ID_LEN];
	int gen;

	(void)d;
	if (inq->pdt != 5 || strcmp(inq->vendor, "PIONEER") != 0)
		return 0;
	/* DVRFlash: no date "xx/xx/xx" at 37..44 = not a Pioneer DVR */
	if (inq->raw_len < 45 || inq->raw[39] != '/' || inq->raw[42] != '/')
		return 0;
	id->mode = strcmp(inq->revision, "0000") == 0 ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	if (pio_read_id(dev, b, NULL) < 0) {
		snprintf(id->detail, sizeof(id->detail), "Pioneer DVR: the ID "
			 "block (READ BUFFER 02/F1) could not be read: not "
			 "flashed");
		/* a normal-mode drive that answers INQUIRY but not its ID
		 * read: the path filters the command
		 * (docs/internals/protocols.md §1.8) */
		id->vendor_silent = id->mode == ODF_MODE_NORMAL;
		return 1;
	}
	odf_str_trim(serial, sizeof(serial), b, 16, ODF_STR_STOP);
	odf_str_trim(iface, sizeof(iface), b + 16, 4, ODF_STR_STOP);
	gen = pio_atoi4(b + 20);
	odf_str_trim(ktype, sizeof(ktype), b + 24, 8, ODF_STR_STOP);
	odf_str_trim(ntype, sizeof(ntype), b + 32, 8, ODF_STR_STOP);
	odf_str_trim(krev, sizeof(krev), b + 40, 4, ODF_STR_STOP);
	if (!id->serial[0] && id->mode == ODF_MODE_NORMAL)
		snprintf(id->serial, sizeof(id->serial), "%s", serial);
	/* ident.h: a Pioneer drive's family ID is its kernel type */
	snprintf(id->target, sizeof(id->target), "%s", ktype);
	snprintf(id->variant, sizeof(id->variant), "generation %d", gen);
	id->priv.pioneer.generation = gen;
	snprintf(id->detail, sizeof(id->detail), "Pioneer DVR generation %d, "
		 "%s, kernel %s rev %s%s%s%s", gen, iface[0] ? iface : "?",
		 ktype[0] ? ktype : "?", krev[0] ? krev : "?",
		 id->mode == ODF_MODE_BOOT ? " (kernel mode)" : ", normal ",
		 id->mode == ODF_MODE_BOOT ? "" : ntype,
		 "; no dump in the protocol");
	return 1;
}

static int
pio_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
	       struct odf_path_limits *lim, struct odf_diag *d)
{
	uint8_t b[PIO_ID_LEN];

	(void)id;
	(void)lim;
	/* one harmless vendor read before anything is written
	 * (docs/internals/protocols.md §1.8, §3.2: "3C 02 F1") */
	if (pio_read_id(dev, b, d) < 0) {
		odf_diag_reason(d, ODF_R_VENDOR_BLOCKED);
		odf_diag_fact_model(d, "", "the Pioneer ID command");
		odf_diag_fact_family(d, ODF_FAMILY_PIONEER);
		return ODF_E_PATH;
	}
	return 0;
}

static struct odf_plan_step *
pio_chunk(struct odf_plan *plan, uint8_t buf_id, size_t off, unsigned flags)
{
	uint8_t cdb[10];
	char label[ODF_STEP_LABEL_MAX];

	/* 3B 07 F0|FE o2 o1 00 00 80 00 00 */
	odf_cdb_write_buffer(cdb, ODF_WB_MODE_DMC_OFFS_SAVE, 0, buf_id,
			     (uint32_t)off, PIO_CHUNK);
	snprintf(label, sizeof(label), "%s part 0x%06zx+%u",
		 buf_id == 0xF0 ? "normal" : "kernel", off, PIO_CHUNK);
	return odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, off, PIO_CHUNK,
			    PIO_TIMEOUT_MS, PIO_CHUNK / 4096, flags, label);
}

/* Recovery: a drive in kernel mode (interrupted flash, or a normal part that no
 * longer boots) takes the normal part without the entry command, as
 * DVRFlash does when it finds revision "0000"; a drive still running its
 * firmware gets the whole flash plan. */
static int
pio_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	 size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	 struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	const struct odf_image_info *info = odf_image_info(img, part);
	const uint8_t *p;
	uint8_t cdb[10], key[PIO_KEYBLOCK];
	size_t len = 0, padded, extra;
	uint8_t *data;
	int gen = id->priv.pioneer.generation, rc;
	bool kernel_mode = id->mode != ODF_MODE_NORMAL;
	bool challenge = !kernel_mode && (gen == 1 || gen == 3);

	if (gen == 0 || !id->target[0])
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the Pioneer ID block "
				    "(generation, kernel type) was not read: "
				    "odflash does not guess the key");
	rc = pio_key_block(gen, id->target, key, d);
	if (rc < 0)
		return rc;
	p = odf_image_data(img, part, &len);
	if (!p || !info || len < 0x120)
		return odf_diag_set(d, ODF_E_FORMAT, "not a Pioneer image");
	if (strcmp(info->variant, "normal") != 0) {
		odf_diag_reason(d, ODF_R_KERNEL_PART);
		return odf_diag_set(d, ODF_E_SAFETY, "this file is a Pioneer "
				    "kernel part: DVRFlash flashes a kernel only "
				    "with its normal part or when forced, and "
				    "odflash does not rewrite a drive's kernel "
				    "alone");
	}
	/* DVRFlash: interface at 0xB0 and generation at 0xB4 must match the
	 * drive ("Hardware and Firmware really don't match") */
	if (memcmp(p + 0xB0, "ATA ", 4) != 0 || pio_atoi4(p + 0xB4) != gen)
		return odf_diag_set(d, ODF_E_MISMATCH, "the image is for a "
				    "Pioneer generation %d %.4s drive, the drive "
				    "is generation %d ATA", pio_atoi4(p + 0xB4),
				    (const char *)p + 0xB0, gen);
	rc = odfi_vnd_fixed_chunk(lim, PIO_CHUNK, "a Pioneer drive", d);
	if (rc == ODF_E_PATH)
		/* plan.c said it: bridge-cap, the 32 KiB chunk */
		odf_diag_fact_family(d, ODF_FAMILY_PIONEER);
	if (rc < 0)
		return rc;
	/* data: the image zero-padded to whole chunks (DVRFlash sends from
	 * a zeroed buffer), then the key block; with the challenge, room for
	 * the seeded data read and the two answers (filled at run time) */
	padded = (len + PIO_CHUNK - 1) / PIO_CHUNK * PIO_CHUNK;
	extra = challenge ? PIO_CHALLENGE + PIO_ANSWER1 + PIO_CHALLENGE : 0;
	data = calloc(1, padded + PIO_KEYBLOCK + extra);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	memcpy(data, p, len);
	memcpy(data + padded, key, PIO_KEYBLOCK);
	odf_plan_init(plan, "pioneer");
	odf_plan_set_data(plan, data, padded + PIO_KEYBLOCK + extra);
	plan->recovery = recovery;
	plan->chunk = PIO_CHUNK;
	snprintf(plan->what, sizeof(plan->what), "Pioneer gen %d (%.12s): %s"
		 "%u x 32 KiB to F0, commit 05/FF", gen, id->target,
		 challenge ? "challenge, kernel mode, " :
		 kernel_mode ? "" : "kernel mode, ",
		 (unsigned)(padded / PIO_CHUNK));
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	if (challenge) {
		size_t in = padded + PIO_KEYBLOCK, a1 = in + PIO_CHALLENGE;
		size_t a2 = a1 + PIO_ANSWER1, at;

		/* 3B 01 F3 00 00 00 00 00 00 00: a data-out of length 0
		 * (DVRFlash: "HAS a data out phase, even an empty one") */
		odf_cdb_write_buffer(cdb, 0x01, 0, 0xF3, 0, 0);
		if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, in, 0,
				  PIO_TIMEOUT_MS, 0, ODF_STEP_NORMAL_ONLY,
				  "challenge: reset"))
			goto nomem;
		/* 3C 01 F2 00 00 00 00 04 00 00: the seeded data */
		odf_cdb_read_buffer(cdb, 0x01, 0xF2, 0, PIO_CHALLENGE);
		if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_IN, in, PIO_CHALLENGE,
				  PIO_TIMEOUT_MS, 0, ODF_STEP_NORMAL_ONLY,
				  "challenge: read seeded data"))
			goto nomem;
		at = plan->n - 1;
		/* 3B 01 F2 .. 01 00 and 3B 01 F2 .. 04 00: the answer */
		odf_cdb_write_buffer(cdb, 0x01, 0, 0xF2, 0, PIO_ANSWER1);
		if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, a1, PIO_ANSWER1,
				  PIO_TIMEOUT_MS, 0, ODF_STEP_NORMAL_ONLY,
				  "challenge: answer 0x100") ||
		    odf_plan_set_computed(plan, plan->n - 1, at,
					  odfi_pio_fill_answer) < 0)
			goto nomem;
		odf_cdb_write_buffer(cdb, 0x01, 0, 0xF2, 0, PIO_CHALLENGE);
		if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, a2, PIO_CHALLENGE,
				  PIO_TIMEOUT_MS, 1, ODF_STEP_NORMAL_ONLY,
				  "challenge: answer 0x400 (unlock)") ||
		    odf_plan_set_computed(plan, plan->n - 1, at,
					  odfi_pio_fill_answer) < 0)
			goto nomem;
	}
	if (!kernel_mode) {
		/* 3B 04 FF 00 00 00 00 01 00 00 + block; then INQUIRY
		 * (DVRFlash checks revision "0000": the plan sends it for the
		 * trace, the drive's refusal of the data shows a failure) */
		odf_cdb_write_buffer(cdb, ODF_WB_MODE_DMC, 0, 0xFF, 0,
				     PIO_KEYBLOCK);
		if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, padded,
				  PIO_KEYBLOCK, PIO_TIMEOUT_MS, 1,
				  ODF_STEP_NORMAL_ONLY | ODF_STEP_PONR |
				  ODF_STEP_REJECT_SAFE, "enter kernel mode"))
			goto nomem;
		odf_cdb_inquiry(cdb, false, 0, 0x60);
		if (!odfi_vnd_cmd(plan, cdb, 6, ODF_DIR_IN, 0, 0x60, 10000, 0,
				  ODF_STEP_NORMAL_ONLY | ODF_STEP_STATUS_ONLY,
				  "INQUIRY (kernel mode)"))
			goto nomem;
	}
	for (size_t off = 0; off < padded; off += PIO_CHUNK) {
		/* the point of no return: the entry above, or (a drive
		 * already in kernel mode) the first chunk */
		struct odf_plan_step *s = pio_chunk(plan, 0xF0, off,
						    off == 0 && kernel_mode ?
						    ODF_STEP_PONR : 0);

		if (!s)
			goto nomem;
		/* the zeros after the image in its last chunk are not */
		s->image_bytes = len - off < PIO_CHUNK ? len - off : PIO_CHUNK;
		/* DVRFlash: 100 ms between normal-part chunks */
		if (!odfi_vnd_kind(plan, ODF_STEP_WAIT, 100, 0, 0,
				   "pause 100 ms"))
			goto nomem;
	}
	/* 3B 05 FF 00 00 00 00 01 00 00 + block: the drive writes its flash
	 * (the long silent part), then restarts into its new firmware */
	odf_cdb_write_buffer(cdb, ODF_WB_MODE_DMC_SAVE, 0, 0xFF, 0,
			     PIO_KEYBLOCK);
	if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, padded, PIO_KEYBLOCK,
			  PIO_TIMEOUT_MS, 40, ODF_STEP_MAY_REBOOT,
			  "commit (the drive reflashes)"))
		goto nomem;
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.wait_ms = 10000, .wait_weight = 10,
		.wait_label = "internal reflash: 10 s",
		.poll_ms = 120000, .poll_weight = 4,
		.poll_flags = ODF_STEP_SAFE,
		.poll_label = "wait for the drive" }, d);
nomem:
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

/* DVR-103/104 (generations 1 and 3) protect themselves against older
 * firmware: DVRFlash.cpp main() runs Downgrade() (the challenge above)
 * for those generations before the kernel-mode entry, and its changelog
 * (v1.1) names it "DVR-104 ... support, including firmware downgrade".
 * A drive in kernel mode skips it (DVRFlash `is_kernel`). */
static const char *
pio_downgrade_guard(const struct odf_drive_ident *id)
{
	int gen = id->priv.pioneer.generation;

	if (id->mode != ODF_MODE_NORMAL || (gen != 1 && gen != 3))
		return NULL;
	return "the DVR-103/104 anti-downgrade challenge";
}

static const struct odf_driver_ops pio_ops = {
	.no_dump = "the Pioneer DVR protocol (DVRFlash) has no command that "
		   "reads the firmware back",
	.chunk_align = PIO_CHUNK,
	.chunk_max = PIO_CHUNK,
	.dump_ext = ".bin",
	.path_probe = pio_path_probe,
	.plan = pio_plan,
	.downgrade_guard = pio_downgrade_guard,
	.verify = odfi_vnd_verify_identity,
};

const struct odf_driver odf_driver_pioneer = {
	.name = "pioneer",
	.description = "Pioneer DVR-103...110 (DVRFlash protocol: "
		       "DVR-103/104 challenge, kernel mode, 32 KiB chunks, "
		       "commit)",
	.family = ODF_FAMILY_PIONEER,
	.probe = pio_probe,
	.ops = &pio_ops,
};
