/* The Pioneer plan compared byte by byte with DVRFlash's observed
 * sequence (docs/internals/protocols.md §3.5: CDBs, 0x8000-byte chunks,
 * buffer IDs F0/FF, the 0x100-byte block with model string and key),
 * the decisions the driver infers (point of no return, refusals), and the
 * emulated DVR-109 answering the same commands (date, ID block, key,
 * order, chunk size, commit) without touching its flash when it refuses.
 * DVR-103/104: the anti-downgrade challenge (DVRFlash.cpp Downgrade):
 * the seed search and answer against a generator written again here and
 * fixed pairs worked out apart (Python), the plan's computed steps, and
 * the emulated DVR-104 refusing a wrong answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helper_tmpdir.h"
#include "odemu/odemu.h"
#include "odf/bytes.h"
#include "odf/image.h"
#include "odf/vendor.h"
#include "drivers/drivers_int.h"

static uint8_t *
build(const char *target, const char *variant, const char *oem,
      const char *version, size_t *n)
{
	struct odf_image_spec s;
	uint8_t *b = NULL;

	memset(&s, 0, sizeof(s));
	s.family = ODF_FAMILY_PIONEER;
	s.target = target;
	s.variant = variant;
	s.oem = oem;
	s.version = version;
	s.seed = 9;
	assert_int_equal(odf_image_build(&s, &b, n, NULL), 0);
	return b;
}

static struct odf_image *
image(const char *target, const char *variant, const char *oem)
{
	struct odf_image *img = NULL;
	size_t n = 0;
	uint8_t *b = build(target, variant, oem, "1.23", &n);

	assert_int_equal(odf_image_parse(b, n, "t", ODF_FAMILY_PIONEER, &img,
					 NULL), 0);
	free(b);
	return img;
}

static void
ident(struct odf_drive_ident *id, int gen, const char *ktype,
      enum odf_mode mode)
{
	memset(id, 0, sizeof(*id));
	id->family = ODF_FAMILY_PIONEER;
	id->mode = mode;
	snprintf(id->target, sizeof(id->target), "%s", ktype);
	snprintf(id->variant, sizeof(id->variant), "generation %d", gen);
	id->priv.pioneer.generation = gen;
}

static const struct odf_plan_step *
nth_cmd(const struct odf_plan *p, size_t k, size_t *at)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == ODF_STEP_CMD && k-- == 0) {
			if (at)
				*at = i;
			return &p->steps[i];
		}
	return NULL;
}

/* The 0x100-byte block of the kernel-mode entry and the commit. */
static void
assert_block(const struct odf_plan *p, const struct odf_plan_step *s,
	     const char *model, const uint8_t key[4])
{
	uint8_t want[0x100];

	memset(want, 0, sizeof(want));
	memcpy(want, model, 16);
	if (key)
		memcpy(want + 0x10, key, 4);
	assert_int_equal(s->dir, ODF_DIR_OUT);
	assert_int_equal(s->data_len, 0x100);
	assert_memory_equal(p->data + s->data_off, want, sizeof(want));
}

static void
test_plan_dvr109(void **st)
{
	static const uint8_t enter[10] = { 0x3B, 0x04, 0xFF, 0, 0, 0, 0, 0x01,
					   0, 0 };
	static const uint8_t commit[10] = { 0x3B, 0x05, 0xFF, 0, 0, 0, 0,
					    0x01, 0, 0 };
	static const uint8_t inq[6] = { 0x12, 0, 0, 0, 0x60, 0 };
	static const uint8_t key[4] = { 0x5C, 0x6A, 0x8F, 0xE9 };
	struct odf_image *img = image("DVR-109", "normal", "GENERAL");
	const uint8_t *raw;
	size_t rawlen = 0, at = 0, k;
	const struct odf_plan_step *s;
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan p;

	(void)st;
	raw = odf_image_data(img, 0, &rawlen);
	assert_int_equal(rawlen, 0x128000);
	ident(&id, 9, "GENERAL", ODF_MODE_NORMAL);
	memset(&lim, 0, sizeof(lim));
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, NULL), 0);
	assert_int_equal(p.chunk, 0x8000);
	/* DVRFlash: entry, INQUIRY, 37 chunks, commit = 40 commands */
	assert_int_equal(odf_plan_commands(&p), 40);
	s = nth_cmd(&p, 0, NULL);
	assert_memory_equal(s->cdb, enter, 10);
	assert_int_equal(s->cdb_len, 10);
	assert_block(&p, s, "PIONEER  DVR-109", key);
	assert_true(s->flags & ODF_STEP_NORMAL_ONLY);
	/* the kernel-mode entry is the point of no return: DVRFlash.cpp
	 * main() knows no command that leaves kernel mode but the commit
	 * (pioneer.c); a refusal of it still means "untouched" */
	assert_true(s->flags & ODF_STEP_PONR);
	assert_true(s->flags & ODF_STEP_REJECT_SAFE);
	s = nth_cmd(&p, 0, &at);
	assert_int_equal(odf_plan_ponr(&p), at);
	s = nth_cmd(&p, 1, NULL);
	assert_memory_equal(s->cdb, inq, 6);
	assert_int_equal(s->data_len, 0x60);
	for (k = 0; k < 37; k++) {
		uint8_t want[10] = { 0x3B, 0x07, 0xF0, 0, 0, 0, 0, 0x80, 0,
				     0 };
		want[3] = (uint8_t)((k * 0x8000) >> 16);
		want[4] = (uint8_t)((k * 0x8000) >> 8);
		s = nth_cmd(&p, 2 + k, &at);
		assert_memory_equal(s->cdb, want, 10);
		assert_int_equal(s->data_len, 0x8000);
		assert_memory_equal(p.data + s->data_off, raw + k * 0x8000,
				    0x8000);
		assert_int_equal(s->timeout_ms, 300000);
		/* past the point of no return (the entry) */
		assert_int_equal(s->flags & ODF_STEP_PONR, 0);
		assert_true(odf_plan_ponr(&p) < at);
		/* DVRFlash: 100 ms between normal-part chunks */
		assert_int_equal(p.steps[at + 1].kind, ODF_STEP_WAIT);
		assert_int_equal(p.steps[at + 1].wait_ms, 100);
	}
	s = nth_cmd(&p, 39, &at);
	assert_memory_equal(s->cdb, commit, 10);
	assert_block(&p, s, "PIONEER  DVR-109", key);
	assert_true(s->flags & ODF_STEP_MAY_REBOOT);
	assert_int_equal(s->timeout_ms, 300000);
	/* the 10 s countdown, then back to normal mode */
	assert_int_equal(p.steps[at + 1].kind, ODF_STEP_WAIT);
	assert_int_equal(p.steps[at + 1].wait_ms, 10000);
	assert_int_equal(p.steps[at + 2].kind, ODF_STEP_POLL_READY);
	assert_true(p.steps[at + 2].flags & ODF_STEP_SAFE);
	odf_plan_release(&p);

	/* kernel mode (DVRFlash is_kernel): no entry, no INQUIRY */
	ident(&id, 9, "GENERAL", ODF_MODE_BOOT);
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0,
							      &lim, ODF_PLAN_RECOVER, &p, NULL),
			 0);
	assert_true(p.recovery);
	assert_int_equal(odf_plan_commands(&p), 38);
	s = nth_cmd(&p, 0, &at);
	assert_int_equal(s->cdb[0], 0x3B);
	assert_int_equal(s->cdb[2], 0xF0);
	assert_true(s->flags & ODF_STEP_PONR);
	assert_memory_equal(nth_cmd(&p, 37, NULL)->cdb, commit, 10);
	odf_plan_release(&p);
	odf_image_free(img);
}

static void
plan_key(const char *target, int gen, const char *ktype, const char *model,
	 const uint8_t *key, size_t chunks)
{
	struct odf_image *img = image(target, "normal", ktype);
	struct odf_drive_ident id;
	struct odf_plan p;

	ident(&id, gen, ktype, ODF_MODE_NORMAL);
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, NULL, ODF_PLAN_FLASH,
							    &p, NULL), 0);
	assert_int_equal(odf_plan_commands(&p), chunks + 3);
	assert_block(&p, nth_cmd(&p, 0, NULL), model, key);
	assert_block(&p, nth_cmd(&p, chunks + 2, NULL), model, key);
	odf_plan_release(&p);
	odf_image_free(img);
}

/* The key table of docs/internals/protocols.md §3.3 (DVRFlash.cpp
 * SetKern/SetKernKey). */
static void
test_keys(void **st)
{
	(void)st;
	plan_key("DVR-109", 9, "PIO_ADV", "PIONEER  DVR-109",
		 (const uint8_t[]){ 0x51, 0xB7, 0xDA, 0xC2 }, 37);
	/* DVR-110: first byte + 1 ... */
	plan_key("DVR-110", 10, "GENERAL", "PIONEER  DVR-110",
		 (const uint8_t[]){ 0x5D, 0x6A, 0x8F, 0xE9 }, 37);
	/* ... unless it is 9Ah */
	plan_key("DVR-110", 10, "OEM_EXT", "PIONEER  DVR-110",
		 (const uint8_t[]){ 0x9A, 0x78, 0x23, 0x61 }, 37);
	/* generation 8: the universal key; 1 MiB = 32 chunks */
	plan_key("DVR-108", 8, "GENERAL", "PIONEER  DVR-108",
		 (const uint8_t[]){ 0x9A, 0x78, 0x23, 0x61 }, 32);
	/* generation 4: no key */
	plan_key("DVR-105", 4, "GENERAL", "PIONEER  DVR-105", NULL, 32);
}

static void
test_refusals(void **st)
{
	struct odf_image *img = image("DVR-109", "normal", "GENERAL");
	struct odf_image *kern = image("DVR-109", "kernel", "GENERAL");
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan p;
	struct odf_diag d;

	(void)st;
	memset(&lim, 0, sizeof(lim));
	/* no key known for this kernel type: no guess */
	ident(&id, 9, "NOSUCH", ODF_MODE_NORMAL);
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, &d),
			 ODF_E_UNSUPPORTED);
	/* ID block not read */
	ident(&id, 9, "GENERAL", ODF_MODE_NORMAL);
	id.variant[0] = '\0';
	id.priv.pioneer.generation = 0;
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, &d),
			 ODF_E_UNSUPPORTED);
	/* generation of the image differs from the drive's */
	ident(&id, 10, "GENERAL", ODF_MODE_NORMAL);
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, &d),
			 ODF_E_MISMATCH);
	/* a kernel part alone */
	ident(&id, 9, "GENERAL", ODF_MODE_NORMAL);
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, kern, 0,
							    &lim, ODF_PLAN_FLASH, &p, &d),
			 ODF_E_SAFETY);
	/* 32 KiB cannot be split: a 16 KiB bridge or --chunk is refused */
	lim.max_transfer = 16384;
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, &d),
			 ODF_E_PATH);
	lim.max_transfer = 0;
	lim.forced_chunk = 16384;
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, &d),
			 ODF_E_USAGE);
	lim.forced_chunk = 32768;
	lim.max_transfer = 32768;
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, &d), 0);
	odf_plan_release(&p);
	assert_null(odf_driver_pioneer.ops->dump);
	assert_non_null(odf_driver_pioneer.ops->no_dump);
	odf_image_free(img);
	odf_image_free(kern);
}

/* ---- DVR-103/104 anti-downgrade challenge ------------------------------------ */
/* The generator as docs/internals/protocols.md §3.4 and DVRFlash.cpp
 * (pseudoRandom2, Downgrade) give it, written
 * apart from lib/drivers/pioneer.c and emu/proto_pioneer.c: 16-bit halves
 * as DVRFlash spells it out. */
static uint8_t
t_prng(uint32_t *x)
{
	uint32_t lo = *x & 0xFFFFu, hi = *x >> 16;

	*x = (((lo * 0x41C6u + hi * 0x4E6Du) & 0xFFFFu) << 16) +
	     lo * 0x4E6Du + 0x3039u;
	return (uint8_t)(*x >> 16);
}

static void
t_data(uint16_t seed, uint8_t *b, size_t n, uint8_t *answer)
{
	uint32_t x = seed;

	for (size_t i = 0; i < n; i++)
		b[i] = t_prng(&x);
	for (size_t i = n; i < 0x400; i++)
		(void)t_prng(&x);
	*answer = (uint8_t)(t_prng(&x) ^ 0xFF);
}

/* The seed the test's generator finds for data (brute force), or -1. */
static long
t_seed(const uint8_t *b)
{
	for (uint32_t s = 0; s < 0x10000u; s++) {
		uint8_t q[4], a;

		t_data((uint16_t)s, q, 4, &a);
		if (memcmp(q, b, 4) == 0)
			return (long)s;
	}
	return -1;
}

static void
test_challenge_answer(void **st)
{
	/* worked out apart (Python, x = x * 0x41C64E6D + 0x3039 mod 2^32) */
	static const struct {
		uint16_t seed;
		uint8_t first[4], answer;
	} known[] = {
		{ 0x1234, { 0xCB, 0xBE, 0xD3, 0xA6 }, 0x55 },
		{ 0xBEEF, { 0x58, 0x44, 0x75, 0xC4 }, 0xDD },
	};
	static const uint8_t none[4] = { 0xDE, 0xAD, 0xBE, 0xEF };
	uint8_t b[0x400], out[0x400], a = 0;
	uint16_t seed = 0;
	struct odf_diag d;

	(void)st;
	for (size_t i = 0; i < 2; i++) {
		t_data(known[i].seed, b, sizeof(b), &a);
		assert_memory_equal(b, known[i].first, 4);
		assert_int_equal(a, known[i].answer);
		assert_int_equal(odfi_pio_find_seed(known[i].first, 4, &seed),
				 0);
		assert_int_equal(seed, known[i].seed);
		assert_int_equal(odfi_pio_answer(seed), known[i].answer);
	}
	/* seeds across the range, the whole 0x400 bytes as sent */
	for (uint32_t s = 0; s < 0x10000u; s += 4099) {
		t_data((uint16_t)s, b, sizeof(b), &a);
		assert_int_equal(odfi_pio_find_seed(b, sizeof(b), &seed), 0);
		assert_int_equal(seed, s);
		memset(out, 0, sizeof(out));
		assert_int_equal(odfi_pio_fill_answer(b, sizeof(b), out, 0x100,
						      NULL), 0);
		for (size_t k = 0; k < 0x100; k++)
			assert_int_equal(out[k], a);
		assert_int_equal(out[0x100], 0);
	}
	/* bytes no seed gives (checked by the test's own search): refused */
	assert_int_equal(t_seed(none), -1);
	assert_int_equal(odfi_pio_find_seed(none, 4, &seed), -1);
	memcpy(b, none, 4);
	odf_diag_clear(&d);
	assert_int_equal(odfi_pio_fill_answer(b, sizeof(b), out, sizeof(out),
					      &d), ODF_E_UNSUPPORTED);
	assert_string_equal(d.msg, "the drive's challenge could not be "
			    "answered; nothing was changed");
	assert_int_equal(odfi_pio_fill_answer(b, 3, out, sizeof(out), NULL),
			 ODF_E_UNSUPPORTED);
}

static void
test_plan_dvr104(void **st)
{
	static const uint8_t reset[10] = { 0x3B, 0x01, 0xF3, 0, 0, 0, 0, 0, 0,
					   0 };
	static const uint8_t rd[10] = { 0x3C, 0x01, 0xF2, 0, 0, 0, 0, 0x04, 0,
					0 };
	static const uint8_t a1[10] = { 0x3B, 0x01, 0xF2, 0, 0, 0, 0, 0x01, 0,
					0 };
	static const uint8_t a2[10] = { 0x3B, 0x01, 0xF2, 0, 0, 0, 0, 0x04, 0,
					0 };
	static const uint8_t enter[10] = { 0x3B, 0x04, 0xFF, 0, 0, 0, 0, 0x01,
					   0, 0 };
	struct odf_image *img = image("DVR-104", "normal", "GENERAL");
	const struct odf_plan_step *s;
	struct odf_drive_ident id;
	struct odf_plan p;
	size_t at_rd = 0, at = 0;

	(void)st;
	ident(&id, 3, "GENERAL", ODF_MODE_NORMAL);
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0, NULL, ODF_PLAN_FLASH,
							    &p, NULL), 0);
	assert_int_equal(odf_plan_check(&p, NULL), 0);
	/* challenge (4), entry, INQUIRY, 32 chunks, commit */
	assert_int_equal(odf_plan_commands(&p), 4 + 3 + 32);
	s = nth_cmd(&p, 0, NULL);
	assert_memory_equal(s->cdb, reset, 10);
	assert_int_equal(s->dir, ODF_DIR_OUT);	/* "even an empty one" */
	assert_int_equal(s->data_len, 0);
	s = nth_cmd(&p, 1, &at_rd);
	assert_memory_equal(s->cdb, rd, 10);
	assert_int_equal(s->dir, ODF_DIR_IN);
	assert_int_equal(s->data_len, 0x400);
	assert_true(s->flags & ODF_STEP_KEEP_IN);
	s = nth_cmd(&p, 2, &at);
	assert_memory_equal(s->cdb, a1, 10);
	assert_int_equal(s->data_len, 0x100);
	assert_ptr_equal(s->fill, odfi_pio_fill_answer);
	assert_int_equal(s->src_step, at_rd);
	s = nth_cmd(&p, 3, NULL);
	assert_memory_equal(s->cdb, a2, 10);
	assert_int_equal(s->data_len, 0x400);
	assert_ptr_equal(s->fill, odfi_pio_fill_answer);
	assert_int_equal(s->src_step, at_rd);
	/* the challenge comes before the point of no return, the
	 * kernel-mode entry (DVRFlash.cpp main(): Downgrade() first) */
	s = nth_cmd(&p, 4, &at);
	assert_memory_equal(s->cdb, enter, 10);
	assert_block(&p, s, "PIONEER DVD-R104", NULL);
	assert_int_equal(odf_plan_ponr(&p), at);
	assert_true(s->flags & ODF_STEP_REJECT_SAFE);
	assert_int_equal(nth_cmd(&p, 6, &at)->cdb[2], 0xF0);
	assert_true(odf_plan_ponr(&p) < at);
	/* a broken link is caught */
	p.steps[at_rd].flags &= ~(unsigned)ODF_STEP_KEEP_IN;
	assert_int_equal(odf_plan_check(&p, NULL), ODF_E_INTERNAL);
	odf_plan_release(&p);

	/* a drive already in kernel mode: no challenge (DVRFlash) */
	ident(&id, 3, "GENERAL", ODF_MODE_BOOT);
	assert_int_equal(odf_driver_pioneer.ops->plan(&id, img, 0,
							      NULL, ODF_PLAN_RECOVER, &p, NULL),
			 0);
	assert_int_equal(odf_plan_commands(&p), 32 + 1);
	for (size_t i = 0; i < p.n; i++)
		assert_null(p.steps[i].fill);
	odf_plan_release(&p);
	odf_image_free(img);
}

/* ---- the emulated DVR-109 ------------------------------------------------------ */
struct drive {
	char dir[256], path[300];
	struct odemu *e;
};

static void
drive_model(struct drive *dr, const char *model)
{
	assert_int_equal(odf_test_mkdtemp(dr->dir, sizeof(dr->dir), "pio"), 0);
	snprintf(dr->path, sizeof(dr->path), "%s/d", dr->dir);
	assert_int_equal(odemu_create(model, dr->path, NULL, NULL), 0);
	assert_int_equal(odemu_open(dr->path, &dr->e, NULL), 0);
}

static void
drive_new(struct drive *dr)
{
	assert_int_equal(odf_test_mkdtemp(dr->dir, sizeof(dr->dir), "pio"), 0);
	snprintf(dr->path, sizeof(dr->path), "%s/d", dr->dir);
	assert_int_equal(odemu_create("pioneer-dvr109", dr->path, NULL, NULL),
			 0);
	assert_int_equal(odemu_open(dr->path, &dr->e, NULL), 0);
}

static void
drive_free(struct drive *dr)
{
	odemu_close(dr->e);
	assert_int_equal(odf_test_rmtree(dr->dir), 0);
}

/* Send one CDB; returns the sense key (0 = GOOD), *asc the ASC. */
static int
send(struct odemu *e, const uint8_t *cdb, size_t cl, enum odf_dir dir,
     void *buf, size_t len, uint8_t *asc)
{
	struct odf_cmd c;

	memset(&c, 0, sizeof(c));
	odf_cmd_init(&c, cdb, cl, dir, buf, len, 1000);
	odemu_exec(e, &c);
	if (asc)
		*asc = c.sense_len ? c.sense[12] : 0;
	if (c.scsi_status == 0 && c.host_status == 0)
		return 0;
	return c.sense_len ? c.sense[2] & 0x0F : -1;
}

static void
wb(uint8_t *cdb, uint8_t mode, uint8_t id, uint32_t off, uint32_t len)
{
	odf_cdb_write_buffer(cdb, mode, 0, id, off, len);
}

static void
sha(struct odemu *e, char out[65])
{
	size_t n = 0;
	const uint8_t *f = odemu_flash(e, &n);

	odf_sha256_hex(f, n, out);
}

static void
inquiry(struct odemu *e, uint8_t *b)
{
	static const uint8_t cdb[6] = { 0x12, 0, 0, 0, 0x60, 0 };

	memset(b, 0, 0x60);
	assert_int_equal(send(e, cdb, 6, ODF_DIR_IN, b, 0x60, NULL), 0);
}

static void
test_emu_dvr109(void **st)
{
	static const uint8_t idcdb[10] = { 0x3C, 0x02, 0xF1, 0, 0, 0, 0, 0,
					   0x30, 0 };
	struct drive dr;
	uint8_t b[0x100], cdb[10], asc = 0, *chunk = calloc(1, 0x8000);
	char before[65], after[65];
	uint8_t *img, *other;
	size_t n = 0, on = 0;

	(void)st;
	assert_non_null(chunk);
	drive_new(&dr);
	sha(dr.e, before);
	/* INQUIRY: revision, date "yy/mm/dd" at 37..44 */
	inquiry(dr.e, b);
	assert_memory_equal(b + 32, "1.00", 4);
	assert_memory_equal(b + 37, "05/04/20", 8);
	/* ID block */
	assert_int_equal(send(dr.e, idcdb, 10, ODF_DIR_IN, b, 0x30, NULL), 0);
	assert_memory_equal(b + 16, "ATA 9   GENERAL GENERAL 1.00", 28);
	/* data before kernel mode: COMMAND SEQUENCE ERROR */
	wb(cdb, 7, 0xF0, 0, 0x8000);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, chunk, 0x8000, &asc),
			 5);
	assert_int_equal(asc, 0x2C);
	/* kernel mode: wrong key, then wrong model string, then right */
	memset(b, 0, sizeof(b));
	memcpy(b, "PIONEER  DVR-109", 16);
	odf_put_be32(b + 0x10, 0x51B7DAC2u);	/* PIO_ADV's, not GENERAL's */
	wb(cdb, 4, 0xFF, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, &asc), 5);
	assert_int_equal(asc, 0x26);
	memcpy(b, "PIONEER  DVR-108", 16);
	odf_put_be32(b + 0x10, 0x5C6A8FE9u);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, &asc), 5);
	inquiry(dr.e, b);	/* still normal mode */
	assert_memory_equal(b + 32, "1.00", 4);
	memset(b, 0, sizeof(b));
	memcpy(b, "PIONEER  DVR-109", 16);
	odf_put_be32(b + 0x10, 0x5C6A8FE9u);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, NULL), 0);
	{
		uint8_t q[0x60];

		inquiry(dr.e, q);
		assert_memory_equal(q + 32, "0000", 4);
		assert_memory_equal(q + 37, "00/00/00", 8);
	}
	/* chunk size, order, commit with nothing staged */
	wb(cdb, 7, 0xF0, 0, 0x4000);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, chunk, 0x4000, &asc),
			 5);
	assert_int_equal(asc, 0x24);
	wb(cdb, 7, 0xF0, 0x8000, 0x8000);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, chunk, 0x8000, &asc),
			 5);
	assert_int_equal(asc, 0x24);
	wb(cdb, 5, 0xFF, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, &asc), 5);
	assert_int_equal(asc, 0x2C);
	/* another kernel type's normal part: refused at the commit */
	other = build("DVR-109", "normal", "PIO_ADV", "2.00", &on);
	for (size_t off = 0; off < on; off += 0x8000) {
		wb(cdb, 7, 0xF0, (uint32_t)off, 0x8000);
		assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, other + off,
				      0x8000, NULL), 0);
	}
	wb(cdb, 5, 0xFF, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, &asc), 5);
	assert_int_equal(asc, 0x26);
	sha(dr.e, after);
	assert_string_equal(before, after);	/* nothing written yet */
	/* the drive's own normal part, 2.00: committed */
	img = build("DVR-109", "normal", "GENERAL", "2.00", &n);
	for (size_t off = 0; off < n; off += 0x8000) {
		wb(cdb, 7, 0xF0, (uint32_t)off, 0x8000);
		assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, img + off,
				      0x8000, NULL), 0);
	}
	wb(cdb, 5, 0xFF, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, NULL), 0);
	inquiry(dr.e, b);
	assert_memory_equal(b + 32, "2.00", 4);
	assert_memory_equal(b + 37, "05/04/20", 8);
	sha(dr.e, after);
	assert_string_not_equal(before, after);
	free(img);
	free(other);
	free(chunk);
	drive_free(&dr);
}

/* The emulated DVR-104: seeded data from the generator, a wrong answer
 * refused, no kernel mode without the right answer, flash untouched. */
static void
test_emu_dvr104(void **st)
{
	static const uint8_t idcdb[10] = { 0x3C, 0x02, 0xF1, 0, 0, 0, 0, 0,
					   0x30, 0 };
	static const uint8_t rd[10] = { 0x3C, 0x01, 0xF2, 0, 0, 0, 0, 0x04, 0,
					0 };
	struct drive dr;
	uint8_t b[0x400], blk[0x100], want[0x400], cdb[10], asc = 0, ans = 0;
	uint8_t q[0x60];
	char before[65], after[65];
	long seed, seed2;

	(void)st;
	drive_model(&dr, "pioneer-dvr104");
	sha(dr.e, before);
	assert_int_equal(send(dr.e, idcdb, 10, ODF_DIR_IN, b, 0x30, NULL), 0);
	assert_memory_equal(b + 16, "ATA 3   GENERAL ", 16);
	memset(blk, 0, sizeof(blk));
	memcpy(blk, "PIONEER DVD-R104", 16);
	/* kernel mode without the challenge: refused */
	wb(cdb, 4, 0xFF, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, blk, 0x100, &asc), 5);
	assert_int_equal(asc, 0x26);
	/* data or an answer before the reset: COMMAND SEQUENCE ERROR */
	assert_int_equal(send(dr.e, rd, 10, ODF_DIR_IN, b, 0x400, &asc), 5);
	assert_int_equal(asc, 0x2C);
	/* reset (data-out of length 0), seeded data */
	wb(cdb, 1, 0xF3, 0, 0);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, NULL, 0, NULL), 0);
	assert_int_equal(send(dr.e, rd, 10, ODF_DIR_IN, b, 0x400, NULL), 0);
	seed = t_seed(b);
	assert_true(seed >= 0);
	t_data((uint16_t)seed, want, sizeof(want), &ans);
	assert_memory_equal(b, want, sizeof(want));
	/* a wrong answer: refused, and no kernel mode */
	memset(b, ans ^ 1, sizeof(b));
	wb(cdb, 1, 0xF2, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, &asc), 5);
	assert_int_equal(asc, 0x26);
	memset(b, ans, sizeof(b));
	wb(cdb, 1, 0xF2, 0, 0x400);	/* the challenge starts over */
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x400, &asc), 5);
	assert_int_equal(asc, 0x2C);
	wb(cdb, 4, 0xFF, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, blk, 0x100, &asc), 5);
	assert_int_equal(asc, 0x26);
	inquiry(dr.e, q);
	assert_memory_equal(q + 32, "1.00", 4);
	/* again, answered right: a fresh seed, then kernel mode */
	wb(cdb, 1, 0xF3, 0, 0);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, NULL, 0, NULL), 0);
	assert_int_equal(send(dr.e, rd, 10, ODF_DIR_IN, b, 0x400, NULL), 0);
	seed2 = t_seed(b);
	assert_true(seed2 >= 0);
	assert_int_not_equal(seed2, seed);
	t_data((uint16_t)seed2, want, 4, &ans);
	memset(b, ans, sizeof(b));
	wb(cdb, 1, 0xF2, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x100, NULL), 0);
	wb(cdb, 1, 0xF2, 0, 0x400);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, b, 0x400, NULL), 0);
	wb(cdb, 4, 0xFF, 0, 0x100);
	assert_int_equal(send(dr.e, cdb, 10, ODF_DIR_OUT, blk, 0x100, NULL), 0);
	inquiry(dr.e, q);
	assert_memory_equal(q + 32, "0000", 4);
	sha(dr.e, after);
	assert_string_equal(before, after);	/* the challenge wrote nothing */
	drive_free(&dr);
}

/* The anti-downgrade guard: DVR-103/104 (generations 1 and 3) in normal
 * mode only (DVRFlash runs Downgrade() for them, and not in kernel mode). */
static void
test_downgrade_guard(void **st)
{
	static const struct {
		int gen;
		enum odf_mode mode;
		bool guarded;
	} v[] = {
		{ 1, ODF_MODE_NORMAL, true }, { 3, ODF_MODE_NORMAL, true },
		{ 3, ODF_MODE_BOOT, false }, { 4, ODF_MODE_NORMAL, false },
		{ 9, ODF_MODE_NORMAL, false }, { 0, ODF_MODE_NORMAL, false },
	};
	struct odf_drive_ident id;
	size_t n = 0;
	(void)st;

	assert_non_null(odf_driver_pioneer.ops->downgrade_guard);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++, n++) {
		const char *g;

		memset(&id, 0, sizeof(id));
		id.mode = v[i].mode;
		id.priv.pioneer.generation = v[i].gen;
		g = odf_driver_pioneer.ops->downgrade_guard(&id);
		assert_int_equal(g != NULL, v[i].guarded);
	}
	assert_int_equal(n, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_downgrade_guard),
		cmocka_unit_test(test_plan_dvr109),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_emu_dvr109),
		cmocka_unit_test(test_challenge_answer),
		cmocka_unit_test(test_plan_dvr104),
		cmocka_unit_test(test_emu_dvr104),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
