/* The NEC 1 MiB flash plan equals binflash v1.64's observed Flash1M trace
 * (docs/internals/protocols.md §2.5, commands 9..77), chunking follows
 * the path's cap, recovery drops "enter safe mode", and bad inputs are
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "odf/image.h"
#include "odf/plan.h"
#include "odf/vendor.h"

static struct odf_image *
k350_image(void)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_NEC, .target = "K350",
				    .vendor = "_NEC", .product = "DVD_RW ND-3500AG",
				    .revision = "2.00", .version = "2.00",
				    .bootcode = "05", .seed = 7 };
	uint8_t *buf = NULL;
	size_t len = 0;
	struct odf_image *img = NULL;

	assert_int_equal(odf_image_build(&s, &buf, &len, NULL), 0);
	assert_int_equal(len, 1024006);
	assert_int_equal(odf_image_parse(buf, len, "k350", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	free(buf);
	return img;
}

static void
k350_ident(struct odf_drive_ident *id)
{
	memset(id, 0, sizeof(*id));
	id->family = ODF_FAMILY_NEC;
	id->mode = ODF_MODE_NORMAL;
	strcpy(id->target, "K310");
	strcpy(id->bootcode, "05");
}

static void
expect_cdb(const struct odf_plan_step *s, const uint8_t *want, size_t len)
{
	assert_int_equal(s->kind, ODF_STEP_CMD);
	assert_int_equal(s->cdb_len, len);
	assert_memory_equal(s->cdb, want, len);
}

static void
test_k350_plan_equals_binflash_trace(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;
	struct odf_path_limits lim = { 0 };
	const uint8_t *body;
	size_t blen = 0, i = 0;
	uint8_t w[12];

	(void)state;
	k350_ident(&id);
	body = odf_image_data(img, 0, &blen);
	assert_int_equal(blen, 0xFA000);
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p,
							NULL), 0);
	/* 9: enter safe mode "K310" */
	expect_cdb(&p.steps[i++], (const uint8_t[]){ 0xCC, 0x01, 0x01, 0x00, 'K',
			'3', '1', '0', 0x01, 0, 0, 0 }, 12);
	/* 10..40: WriteRAM 32 KiB at 0x6000 + k*0x8000 */
	for (uint32_t k = 0; k < 31; k++, i++) {
		uint32_t a = 0x6000 + k * 0x8000;
		uint8_t c[12] = { 0xCB, 0x01, (uint8_t)(a >> 24), (uint8_t)(a >> 16),
				  (uint8_t)(a >> 8), (uint8_t)a, 0, 0, 0x08, 0, 0, 0 };

		expect_cdb(&p.steps[i], c, 12);
		assert_int_equal(p.steps[i].dir, ODF_DIR_OUT);
		assert_int_equal(p.steps[i].data_len, 0x8000);
		assert_memory_equal(p.data + p.steps[i].data_off,
				    body + k * 0x8000, 0x8000);
	}
	/* 41: 8 KiB at 0x0FE000 */
	expect_cdb(&p.steps[i], (const uint8_t[]){ 0xCB, 0x01, 0x00, 0x0F, 0xE0,
			0x00, 0, 0, 0x02, 0, 0, 0 }, 12);
	assert_int_equal(p.steps[i].data_len, 0x2000);
	assert_memory_equal(p.data + p.steps[i].data_off, body + 0xF8000, 0x2000);
	i++;
	/* 42: checksum = image[0xF9FFE..F], index 8 */
	memset(w, 0, sizeof(w));
	w[0] = 0xCC; w[1] = 0x04; w[2] = body[0xF9FFE]; w[3] = body[0xF9FFF];
	w[8] = 0x20;
	expect_cdb(&p.steps[i++], w, 12);
	/* 43..59 erase 2..18, 60..76 program 2..18 (bitmask byte 8 - b/8) */
	for (int op = 0; op < 2; op++)
		for (unsigned b = 2; b <= 18; b++, i++) {
			memset(w, 0, sizeof(w));
			w[0] = 0xCB;
			w[1] = op == 0 ? 0x04 : 0x02;
			w[8 - b / 8] = (uint8_t)(1u << (b % 8));
			expect_cdb(&p.steps[i], w, 12);
			assert_int_equal(p.steps[i].dir, ODF_DIR_NONE);
			if (op == 0 && b == 2)
				assert_true(p.steps[i].flags & ODF_STEP_PONR);
			else
				assert_false(p.steps[i].flags & ODF_STEP_PONR);
		}
	/* 77: leave safe mode, run even after a failure */
	expect_cdb(&p.steps[i], (const uint8_t[]){ 0xCC, 0x01, 0x00, 0x00, 'K',
			'3', '1', '0', 0x01, 0, 0, 0 }, 12);
	assert_true(p.steps[i].flags & ODF_STEP_CLEANUP);
	i++;
	assert_int_equal(i, p.n);
	assert_int_equal(odf_plan_commands(&p), 69);	/* 77 - 8 */
	assert_int_equal(odf_plan_ponr(&p), 34);
	for (size_t k = 0; k < p.n; k++)
		assert_int_equal(p.steps[k].timeout_ms, 300000);
	odf_plan_release(&p);
	odf_image_free(img);
}

static void
test_k350_small_bridge_chunks(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;
	struct odf_path_limits lim = { .max_transfer = 12288 };
	size_t stage = 0, bytes = 0;

	(void)state;
	k350_ident(&id);
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p,
							NULL), 0);
	assert_int_equal(p.chunk, 12288);
	for (size_t k = 0; k < p.n; k++)
		if (p.steps[k].cdb[0] == 0xCB && p.steps[k].cdb[1] == 0x01) {
			uint32_t a = ((uint32_t)p.steps[k].cdb[2] << 24) |
				     ((uint32_t)p.steps[k].cdb[3] << 16) |
				     ((uint32_t)p.steps[k].cdb[4] << 8) |
				     p.steps[k].cdb[5];

			assert_int_equal(a, 0x6000 + bytes);
			assert_true(p.steps[k].data_len <= 12288);
			assert_int_equal(p.steps[k].cdb[8] * 4096,
					 p.steps[k].data_len);
			bytes += p.steps[k].data_len;
			stage++;
		}
	assert_int_equal(bytes, 0xFA000);
	assert_int_equal(stage, (0xFA000 + 12287) / 12288);
	odf_plan_release(&p);

	/* a 2 KiB bridge cannot carry one 4 KiB unit: refused */
	lim.max_transfer = 2048;
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p,
							NULL), ODF_E_PATH);
	/* --chunk must be n x 4 KiB */
	lim.max_transfer = 0;
	lim.forced_chunk = 5000;
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p,
							NULL), ODF_E_USAGE);
	odf_image_free(img);
}

/* The AD-7170A (Optiarc x17x) flash plan stages the way binflash does:
 * Liggy/binflash@5cfb543 necinterface.cpp:Flash2MOpti calls
 * necinternal.cpp:WriteRAMOpti(buffer, 0x30000+i, 8, ..) for each 32 KiB,
 * and WriteRAMOpti sends CB 01 A3..A0 00 00 08 00 00 00 with 8 x 0x1004 =
 * 32,800 bytes: the 32 KiB of image contiguously, then 8 x 4 = 32 zero
 * bytes (memcpy length*0x1000; memset +length*0x1000, length*4).  Not 4
 * zeros after each 4 KiB: that would stage a shifted image. */
static struct odf_image *
d770_image(void)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_NEC, .target = "D770",
				    .vendor = "Optiarc", .product = "DVD RW AD-7170A",
				    .revision = "1.00", .version = "1.00",
				    .seed = 11 };
	uint8_t *buf = NULL;
	size_t len = 0;
	struct odf_image *img = NULL;

	assert_int_equal(odf_image_build(&s, &buf, &len, NULL), 0);
	assert_int_equal(odf_image_parse(buf, len, "d770", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	free(buf);
	return img;
}

static void
expect_opti_stages(const struct odf_plan *p, const uint8_t *body,
		   unsigned units)
{
	static const uint8_t zeros[32];
	size_t done = 0, stages = 0;

	for (size_t k = 0; k < p->n; k++) {
		const struct odf_plan_step *s = &p->steps[k];
		uint32_t a = 0x30000u + (uint32_t)done;
		uint8_t c[12] = { 0xCB, 0x01, (uint8_t)(a >> 24),
				  (uint8_t)(a >> 16), (uint8_t)(a >> 8),
				  (uint8_t)a, 0, 0, (uint8_t)units, 0, 0, 0 };
		size_t n = (size_t)units * 0x1000;

		if (s->kind != ODF_STEP_CMD || s->cdb[0] != 0xCB ||
		    s->cdb[1] != 0x01)
			continue;
		if (0x1C0000 - done < n)
			n = 0x1C0000 - done;
		c[8] = (uint8_t)(n / 0x1000);
		expect_cdb(s, c, 12);
		assert_int_equal(s->dir, ODF_DIR_OUT);
		assert_int_equal(s->data_len, n + n / 0x1000 * 4);
		/* n bytes of image contiguously ... */
		assert_memory_equal(p->data + s->data_off, body + done, n);
		/* ... then n / 4 KiB x 4 zero bytes */
		assert_memory_equal(p->data + s->data_off + n, zeros,
				    n / 0x1000 * 4);
		done += n;
		stages++;
	}
	assert_int_equal(done, 0x1C0000);
	assert_int_equal(stages, (0x1C0000 + units * 0x1000 - 1) /
			 (units * 0x1000));
}

static void
test_opti_plan_stages_like_write_ram_opti(void **state)
{
	struct odf_image *img = d770_image();
	struct odf_drive_ident id;
	struct odf_plan p;
	struct odf_path_limits lim = { 0 };
	const uint8_t *body;
	size_t blen = 0;
	const struct odf_plan_step *s = NULL;

	(void)state;
	memset(&id, 0, sizeof(id));
	id.family = ODF_FAMILY_NEC;
	id.mode = ODF_MODE_NORMAL;
	strcpy(id.target, "D770");
	body = odf_image_data(img, 0, &blen);
	assert_true(blen >= 0x1C0000);
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, &lim,
						  ODF_PLAN_FLASH, &p, NULL), 0);
	for (size_t k = 0; k < p.n && !s; k++)
		if (p.steps[k].cdb[0] == 0xCB && p.steps[k].cdb[1] == 0x01)
			s = &p.steps[k];
	assert_non_null(s);
	/* the first one, byte for byte: CB 01 00 03 00 00 00 00 08 00 00 00,
	 * 32,800 bytes = image[0..0x7FFF] then 32 x 00 */
	expect_cdb(s, (const uint8_t[]){ 0xCB, 0x01, 0x00, 0x03, 0x00, 0x00,
			0, 0, 0x08, 0, 0, 0 }, 12);
	assert_int_equal(s->data_len, 32800);
	assert_memory_equal(p.data + s->data_off, body, 0x8000);
	for (size_t i = 0x8000; i < 32800; i++)
		assert_int_equal(p.data[s->data_off + i], 0);
	/* the byte at 0x1000 is image[0x1000], not a pad byte */
	assert_int_equal(p.data[s->data_off + 0x1000], body[0x1000]);
	expect_opti_stages(&p, body, 8);
	odf_plan_release(&p);

	/* a bridge that carries 12 KiB: 2 units (8,200 bytes) per command,
	 * still image first, then 8 zeros */
	lim.max_transfer = 12288;
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, &lim,
						  ODF_PLAN_FLASH, &p, NULL), 0);
	expect_opti_stages(&p, body, 2);
	odf_plan_release(&p);
	odf_image_free(img);
}

static void
test_recovery_plan_tolerates_enter(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;

	(void)state;
	k350_ident(&id);
	id.mode = ODF_MODE_SAFE;
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, NULL, ODF_PLAN_RECOVER,
							  &p, NULL), 0);
	assert_int_equal(odf_plan_commands(&p), 69);
	assert_int_equal(p.steps[0].cdb[0], 0xCC);
	assert_true(p.steps[0].flags & ODF_STEP_CLEANUP);
	assert_false(p.steps[0].flags & ODF_STEP_NORMAL_ONLY);
	assert_true(p.recovery);
	odf_plan_release(&p);
	/* a drive in normal mode gets the full plan even for "recover" */
	id.mode = ODF_MODE_NORMAL;
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, NULL, ODF_PLAN_RECOVER,
							  &p, NULL), 0);
	assert_int_equal(odf_plan_commands(&p), 69);
	odf_plan_release(&p);
	odf_image_free(img);
}

static void
test_unknown_target_refused(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;

	(void)state;
	k350_ident(&id);
	strcpy(id.target, "Q245");
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, NULL, ODF_PLAN_FLASH, &p,
							NULL), ODF_E_UNSUPPORTED);
	/* a 2 MiB drive does not take a 1 MiB image */
	strcpy(id.target, "K355");
	assert_int_equal(odf_driver_nec.ops->plan(&id, img, 0, NULL, ODF_PLAN_FLASH, &p,
							NULL), ODF_E_MISMATCH);
	odf_image_free(img);
}

static void
test_choose_chunk(void **state)
{
	struct odf_path_limits l = { 0 };
	size_t c = 0;

	(void)state;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 32768);
	l.max_transfer = 120 * 1024;	/* usb-storage default */
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 32768);
	l.max_transfer = 10000;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 8192);
	l.forced_chunk = 4096;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 4096);
	l.forced_chunk = 0;
	l.max_transfer = 4095;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL),
			 ODF_E_PATH);
	l.max_transfer = 100;
	assert_int_equal(odf_plan_choose_chunk(1, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 100);
}


/* Bootcode plans against binflash's Bootflash (BootflashDlg.cpp
 * DoBootFlash, Flash1M/Flash2M/Flash2MOpti): WriteRAM(0x0000, 4|8 units,
 * area 1), SendChecksum(index 0, area 1) of the word sum but the last
 * word (2M/Opti only), EraseSingleBlock over the firmware, FlashBlock
 * CB 02 .. 01 -- and nothing else in a run that goes well. */
static void
boot_plan(const char *target, size_t len, int *rc, struct odf_plan *p,
	  uint8_t **boot)
{
	struct odf_drive_ident id;
	struct odf_path_limits lim = { 0 };

	memset(&id, 0, sizeof(id));
	id.family = ODF_FAMILY_NEC;
	id.mode = ODF_MODE_NORMAL;
	strcpy(id.target, target);
	*boot = malloc(len);
	assert_non_null(*boot);
	for (size_t i = 0; i < len; i++)
		(*boot)[i] = (uint8_t)(i * 7 + 3);
	*rc = odf_driver_nec.ops->plan_bootcode(&id, *boot, len, &lim, p, NULL);
}

static void
expect_boot_plan(const char *target, size_t len, bool csum, unsigned e0,
		 unsigned e1, bool opti)
{
	struct odf_plan p;
	uint8_t *boot = NULL, c[12];
	size_t i = 0;
	int rc;

	boot_plan(target, len, &rc, &p, &boot);
	assert_int_equal(rc, 0);
	assert_int_equal(p.steps[i].cdb[0], 0xCC);		/* enter */
	assert_int_equal(p.steps[i].cdb[1], 0x01);
	assert_int_equal(p.steps[i++].cdb[2], 0x01);
	memset(c, 0, 12);
	c[0] = 0xCB; c[1] = 0x01; c[8] = (uint8_t)(len / 0x1000); c[9] = 0x01;
	expect_cdb(&p.steps[i], c, 12);
	assert_int_equal(p.steps[i].dir, ODF_DIR_OUT);
	assert_int_equal(p.steps[i].data_len, opti ? len / 0x1000 * 0x1004 : len);
	/* WriteRAMOpti (binflash@5cfb543 necinternal.cpp): the whole
	 * bootcode contiguously, then len / 4 KiB x 4 zero bytes */
	if (opti) {
		assert_memory_equal(p.data + p.steps[i].data_off, boot, len);
		for (size_t k = len; k < len / 0x1000 * 0x1004; k++)
			assert_int_equal(p.data[p.steps[i].data_off + k], 0);
	} else {
		assert_memory_equal(p.data, boot, len);
	}
	i++;
	if (csum) {
		uint32_t sum = 0;

		for (size_t k = 0; k < len - 2; k += 2)
			sum += (uint32_t)(boot[k] << 8 | boot[k + 1]);
		memset(c, 0, 12);
		c[0] = 0xCC; c[1] = 0x04; c[2] = (uint8_t)(sum >> 8);
		c[3] = (uint8_t)sum; c[9] = 0x01;
		expect_cdb(&p.steps[i++], c, 12);
	}
	for (unsigned b = e0; b <= e1; b++, i++) {
		memset(c, 0, 12);
		c[0] = 0xCB; c[1] = 0x04; c[8 - b / 8] = (uint8_t)(1u << (b % 8));
		expect_cdb(&p.steps[i], c, 12);
		assert_int_equal((p.steps[i].flags & ODF_STEP_PONR) != 0, b == e0);
	}
	memset(c, 0, 12);
	c[0] = 0xCB; c[1] = 0x02; c[8] = 0x01;
	expect_cdb(&p.steps[i], c, 12);
	assert_true(p.steps[i].flags & ODF_STEP_BOOTBLOCK);
	assert_int_equal(p.steps[i++].retries, 0);
	/* the only step left is the failure-only leave safe mode */
	assert_int_equal(p.n, i + 1);
	assert_true(p.steps[i].flags & ODF_STEP_FAILURE_ONLY);
	assert_int_equal(p.steps[i].cdb[2], 0x00);
	odf_plan_release(&p);
	free(boot);
}

static void
test_bootcode_plans_equal_bootflash(void **state)
{
	(void)state;
	expect_boot_plan("K350", 0x4000, false, 2, 18, false);	/* Flash1M */
	expect_boot_plan("K355", 0x4000, true, 4, 34, false);	/* Flash2M */
	expect_boot_plan("D770", 0x8000, true, 3, 30, true);	/* Opti */
}

static void
test_bootcode_refusals(void **state)
{
	struct odf_plan p;
	uint8_t *boot = NULL;
	int rc;

	(void)state;
	/* GetBootcodeSizeFromDriveType: 0x4000 for the 2M family */
	boot_plan("K355", 0x8000, &rc, &p, &boot);
	assert_int_equal(rc, ODF_E_MISMATCH);
	free(boot);
	boot_plan("Q245", 0x8000, &rc, &p, &boot);	/* not supported */
	assert_int_equal(rc, ODF_E_UNSUPPORTED);
	free(boot);
	{	/* one command carries it: a 4 KiB bridge cannot */
		struct odf_drive_ident id;
		struct odf_path_limits lim = { .max_transfer = 4096 };
		uint8_t b[0x4000] = { 0 };

		memset(&id, 0, sizeof(id));
		strcpy(id.target, "K350");
		id.mode = ODF_MODE_NORMAL;
		assert_int_equal(odf_driver_nec.ops->plan_bootcode(&id, b,
			sizeof(b), &lim, &p, NULL), ODF_E_PATH);
	}
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_k350_plan_equals_binflash_trace),
		cmocka_unit_test(test_k350_small_bridge_chunks),
		cmocka_unit_test(test_opti_plan_stages_like_write_ram_opti),
		cmocka_unit_test(test_recovery_plan_tolerates_enter),
		cmocka_unit_test(test_unknown_target_refused),
		cmocka_unit_test(test_choose_chunk),
		cmocka_unit_test(test_bootcode_plans_equal_bootflash),
		cmocka_unit_test(test_bootcode_refusals),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
