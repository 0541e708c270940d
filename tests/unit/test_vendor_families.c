/* Plans of the PS3, Plextor and MediaTek FF (MT1939, MT1339) drivers
 * compared byte by byte with the public facts (docs/internals/protocols.md
 * §4, §5, §8), the MT1339 image layout (INFERRED, pinned
 * here), and the emulated PX-716 and TS-H353C pinning the block sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu.h"
#include "helper_tmpdir.h"
#include "odemu/odemu.h"
#include "odf/bytes.h"
#include "odf/image.h"
#include "odf/vendor.h"
#include "drivers/drivers_int.h"
#include "util/platform.h"

static struct odf_image *
built_sized(enum odf_family f, const char *target, const char *version,
	    size_t size)
{
	struct odf_image_spec s;
	struct odf_image *img = NULL;
	uint8_t *b = NULL;
	size_t n = 0;

	memset(&s, 0, sizeof(s));
	s.size = size;
	s.family = f;
	s.target = target;
	s.version = version;
	s.revision = version;
	s.seed = 7;
	assert_int_equal(odf_image_build(&s, &b, &n, NULL), 0);
	assert_int_equal(odf_image_parse(b, n, "t", f, &img, NULL), 0);
	free(b);
	return img;
}

static struct odf_image *
built(enum odf_family f, const char *target, const char *version)
{
	return built_sized(f, target, version, 0);
}

static size_t
count_cmds(const struct odf_plan *p, uint8_t op)
{
	size_t k = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == ODF_STEP_CMD && p->steps[i].cdb[0] == op)
			k++;
	return k;
}

static void
test_ps3_plan(void **st)
{
	struct odf_image *img = built(ODF_FAMILY_PS3, NULL, "2.00");
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan p;
	size_t first = 0;

	(void)st;
	memset(&id, 0, sizeof(id));
	memset(&lim, 0, sizeof(lim));
	id.mode = ODF_MODE_NORMAL;
	assert_int_equal(odf_driver_ps3.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p,
							NULL), 0);
	/* eject: START STOP UNIT LoEj=1 Start=0 */
	while (p.steps[first].kind != ODF_STEP_CMD)
		first++;
	assert_memory_equal(p.steps[first].cdb, ((uint8_t[]){ 0x1B, 0, 0, 0,
			    0x02, 0 }), 6);
	/* 1 MiB in 32 KiB mode-7 chunks: 3B 07 00 off24 len24 00 */
	assert_int_equal(count_cmds(&p, 0x3B), 32);
	for (size_t i = 0, k = 0; i < p.n; i++) {
		const struct odf_plan_step *s = &p.steps[i];
		if (s->kind != ODF_STEP_CMD || s->cdb[0] != 0x3B)
			continue;
		assert_int_equal(s->cdb[1], 0x07);
		assert_int_equal(odf_be24(s->cdb + 3), k * 0x8000);
		assert_int_equal(odf_be24(s->cdb + 6), 0x8000);
		assert_int_equal(s->data_len, 0x8000);
		k++;
	}
	assert_int_equal(p.steps[p.n - 1].kind, ODF_STEP_DRAIN_UA);
	/* the poll after the download stops on a fatal answer (dsd-nexus:
	 * 04/3E/01, 05/24/00, 05/26/00) and ends the unsafe window; the
	 * poll before the download does not */
	{
		size_t last_dl = 0, polls = 0;

		for (size_t i = 0; i < p.n; i++)
			if (p.steps[i].kind == ODF_STEP_CMD &&
			    p.steps[i].cdb[0] == 0x3B)
				last_dl = i;
		assert_int_equal(p.steps[last_dl + 1].kind,
				 ODF_STEP_POLL_READY);
		assert_true(p.steps[last_dl + 1].flags & ODF_STEP_FATAL_SENSE);
		assert_true(p.steps[last_dl + 1].flags & ODF_STEP_SAFE);
		for (size_t i = 0; i < p.n; i++)
			if (p.steps[i].kind == ODF_STEP_POLL_READY &&
			    (p.steps[i].flags & ODF_STEP_FATAL_SENSE))
				polls++;
		assert_int_equal(polls, 1);
	}
	odf_plan_release(&p);
	/* boot mode: refused, nothing planned */
	id.mode = ODF_MODE_BOOT;
	assert_int_equal(odf_driver_ps3.ops->plan(&id, img, 0, &lim, ODF_PLAN_RECOVER,
							  &p, NULL),
			 ODF_E_UNSUPPORTED);
	odf_image_free(img);
}

static void
test_plextor_plan(void **st)
{
	struct odf_image *img = built(ODF_FAMILY_PLEXTOR, "PX-716A", "1.12");
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan p;
	size_t n4 = 0, n5 = 0, polls = 0;

	(void)st;
	memset(&id, 0, sizeof(id));
	memset(&lim, 0, sizeof(lim));
	snprintf(id.target, sizeof(id.target), "PX-716A");
	assert_int_equal(odf_driver_plextor.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, NULL), 0);
	for (size_t i = 0; i < p.n; i++) {
		const struct odf_plan_step *s = &p.steps[i];
		if (s->kind == ODF_STEP_POLL_READY)
			polls++;
		if (s->kind != ODF_STEP_CMD)
			continue;
		assert_int_equal(s->cdb[0], 0x3B);
		assert_int_equal(odf_be24(s->cdb + 6), 0x4000);
		assert_int_equal(odf_be24(s->cdb + 3), (n4 + n5) * 0x4000);
		if (s->cdb[1] == 0x04) {
			n4++;
			assert_int_equal(s->flags & ODF_STEP_PONR, 0);
			/* redumper: a TUR before each block */
			assert_int_equal(p.steps[i - 1].kind,
					 ODF_STEP_POLL_READY);
		} else {
			assert_int_equal(s->cdb[1], 0x05);
			assert_true(s->flags & ODF_STEP_MAY_REBOOT);
			assert_true(s->flags & ODF_STEP_PONR);
			n5++;
		}
	}
	assert_int_equal(n4, 983040 / 0x4000 - 1);
	assert_int_equal(n5, 1);
	assert_true(polls >= 60);
	odf_plan_release(&p);
	/* a bridge of 8 KiB cannot carry a 16 KiB block */
	lim.max_transfer = 8192;
	assert_int_equal(odf_driver_plextor.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							    &p, NULL),
			 ODF_E_PATH);
	odf_image_free(img);
}

static void
test_mtkff_plan(void **st)
{
	struct odf_image *img = built(ODF_FAMILY_MTK_FF, "SE-506CB", "TS02");
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan p;
	size_t k = 0;

	(void)st;
	memset(&id, 0, sizeof(id));
	memset(&lim, 0, sizeof(lim));
	snprintf(id.vendor, sizeof(id.vendor), "TSSTcorp");
	snprintf(id.target, sizeof(id.target), "SE-506CB");
	assert_int_equal(odf_driver_mtkff.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							  &p, NULL), 0);
	for (size_t i = 0; i < p.n; i++) {
		const struct odf_plan_step *s = &p.steps[i];
		if (s->kind != ODF_STEP_CMD)
			continue;
		/* coastermelt: FF 00 01 00 00 ST, 0xF800 x 33 + 2048 */
		assert_int_equal(s->cdb_len, 12);
		assert_memory_equal(s->cdb, ((uint8_t[]){ 0xFF, 0x00, 0x01,
				    0x00, 0x00 }), 5);
		assert_int_equal(s->cdb[5], k == 0 ? 0x00 : k == 33 ? 0x02 :
				 0xFF);
		assert_int_equal(s->data_len, k == 33 ? 2048 : 0xF800);
		if (k == 33) {
			assert_true(s->flags & ODF_STEP_MAY_REBOOT);
			assert_int_equal(p.steps[i + 1].kind, ODF_STEP_REOPEN);
		}
		k++;
	}
	assert_int_equal(k, 34);
	odf_plan_release(&p);
	odf_image_free(img);
}

/* MT1339 (redumper flash_mt1339.ixx / flash_tsst.ixx): the 256 KiB image
 * as 4 x 0xFC00 + 0x1000, ST 00/FF/FF/FF/04; no other block size, no
 * MT1939 image, no bridge below 0xFC00. */
static void
test_mt1339_plan(void **st)
{
	struct odf_image *img = built_sized(ODF_FAMILY_MTK_FF, "TS-H353C",
					    "2.00", 0x40000);
	struct odf_image *big = built(ODF_FAMILY_MTK_FF, "SE-506CB", "TS02");
	static const uint8_t sts[5] = { 0x00, 0xFF, 0xFF, 0xFF, 0x04 };
	struct odf_drive_ident id;
	struct odf_path_limits lim;
	struct odf_plan p;
	size_t k = 0;

	(void)st;
	memset(&id, 0, sizeof(id));
	memset(&lim, 0, sizeof(lim));
	snprintf(id.vendor, sizeof(id.vendor), "TSSTcorp");
	snprintf(id.target, sizeof(id.target), "TS-H353C");
	assert_int_equal(odf_driver_mtkff.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							  &p, NULL), 0);
	assert_int_equal(p.chunk, 0xFC00);
	for (size_t i = 0; i < p.n; i++) {
		const struct odf_plan_step *s = &p.steps[i];
		if (s->kind != ODF_STEP_CMD)
			continue;
		assert_true(k < 5);
		assert_int_equal(s->cdb_len, 12);
		assert_memory_equal(s->cdb, ((uint8_t[]){ 0xFF, 0x00, 0x01,
				    0x00, 0x00, sts[k], 0, 0, 0, 0, 0, 0 }),
				    12);
		assert_int_equal(s->data_off, k * 0xFC00);
		assert_int_equal(s->data_len, k == 4 ? 0x1000 : 0xFC00);
		assert_int_equal(!!(s->flags & ODF_STEP_PONR), k == 0);
		k++;
	}
	assert_int_equal(k, 5);
	odf_plan_release(&p);
	/* the MT1939's block size is not the MT1339's */
	lim.forced_chunk = 0xF800;
	assert_int_equal(odf_driver_mtkff.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							  &p, NULL),
			 ODF_E_USAGE);
	lim.forced_chunk = 0;
	lim.max_transfer = 0xF800;
	assert_int_equal(odf_driver_mtkff.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							  &p, NULL),
			 ODF_E_PATH);
	lim.max_transfer = 0;
	/* a 2 MiB MT1939 image does not fit */
	assert_int_equal(odf_driver_mtkff.ops->plan(&id, big, 0, &lim, ODF_PLAN_FLASH,
							  &p, NULL),
			 ODF_E_MISMATCH);
	/* hp-branded drives of the allowlist are MT1339 too */
	snprintf(id.vendor, sizeof(id.vendor), "hp");
	snprintf(id.target, sizeof(id.target), "SH-D162D");
	assert_int_equal(odf_driver_mtkff.ops->plan(&id, img, 0, &lim, ODF_PLAN_FLASH,
							  &p, NULL), 0);
	assert_int_equal(p.chunk, 0xFC00);
	odf_plan_release(&p);
	odf_image_free(img);
	odf_image_free(big);
}

/* The MT1339 image layout odflash reads (INFERRED: 8051 banks + a TSST ID
 * string, no checksum): pinned, and without the ID string a 256 KiB file
 * is not claimed as MT1339. */
static void
test_mt1339_image(void **st)
{
	struct odf_image_spec s;
	struct odf_image *img = NULL;
	const struct odf_image_info *in;
	uint8_t *b = NULL, *id;
	size_t n = 0;

	(void)st;
	memset(&s, 0, sizeof(s));
	s.family = ODF_FAMILY_MTK_FF;
	s.size = 0x40000;
	s.target = "TS-H353C";
	s.vendor = "TSSTcorp";
	s.product = "DVD-ROM TS-H353C";
	s.revision = "SB01";
	s.seed = 3;
	assert_int_equal(odf_image_build(&s, &b, &n, NULL), 0);
	assert_int_equal(n, 0x40000);
	assert_int_equal(b[0], 0x02);
	assert_int_equal(odf_image_parse(b, n, "t", ODF_FAMILY_UNKNOWN, &img,
					 NULL), 0);
	in = odf_image_info(img, 0);
	assert_int_equal(in->family, ODF_FAMILY_MTK_FF);
	assert_string_equal(in->vendor, "TSSTcorp");
	assert_string_equal(in->target, "TS-H353C");
	assert_string_equal(in->revision, "SB01");
	assert_false(in->checksum.present);
	odf_image_free(img);
	img = NULL;
	/* no checksum to fix */
	assert_int_equal(odf_image_fix_checksum(ODF_FAMILY_MTK_FF, b, n, NULL),
			 ODF_E_UNSUPPORTED);
	/* the ID string gone: not an MT1339 image (an 8051 image at most) */
	id = memmem(b, n, "TSSTcorp", 8);
	assert_non_null(id);
	memcpy(id, "XXXXcorp", 8);
	if (odf_image_parse(b, n, "t", ODF_FAMILY_UNKNOWN, &img, NULL) == 0) {
		assert_int_not_equal(odf_image_info(img, 0)->family,
				     ODF_FAMILY_MTK_FF);
		odf_image_free(img);
	}
	memcpy(id, "TSSTcorp", 8);
	/* a bank that does not start like 8051 code: not claimed either */
	b[0x20000] = 0x55;
	assert_int_not_equal(odf_image_parse(b, n, "t", ODF_FAMILY_MTK_FF, &img,
					     NULL), 0);
	free(b);
}

static void
exec_out(struct odemu *e, struct odf_cmd *c, const uint8_t *cdb, size_t cl,
	 enum odf_dir dir, uint8_t *buf, size_t n)
{
	memset(c, 0, sizeof(*c));
	odf_cmd_init(c, cdb, cl, dir, buf, n, 1000);
	odemu_exec(e, c);
}

/* The emulated TS-H353C takes 0xFC00 blocks and refuses the MT1939's
 * 0xF800 ones, the MT1939's END code 02 and READ BUFFER mode 6. */
static void
test_emu_tsh353c(void **st)
{
	char dir[256], path[300];
	uint8_t cdb[12] = { 0xFF, 0x00, 0x01, 0x00, 0x00, 0x00 };
	uint8_t rb[10] = { 0x3C, 0x06, 0x00, 0, 0, 0, 0, 0x10, 0, 0 };
	uint8_t *buf = calloc(1, 0xFC00);
	struct odemu *e = NULL;
	struct odf_cmd c;

	(void)st;
	assert_non_null(buf);
	assert_int_equal(odf_test_mkdtemp(dir, sizeof(dir), "m13"), 0);
	snprintf(path, sizeof(path), "%s/d", dir);
	assert_int_equal(odemu_create("tsst-tsh353c", path, NULL, NULL), 0);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	/* MT1939-size first block: refused 05/24/00 */
	exec_out(e, &c, cdb, 12, ODF_DIR_OUT, buf, 0xF800);
	assert_int_equal(c.scsi_status, 2);
	assert_int_equal(c.sense[2], 0x05);
	assert_int_equal(c.sense[12], 0x24);
	/* MT1339-size: taken */
	exec_out(e, &c, cdb, 12, ODF_DIR_OUT, buf, 0xFC00);
	assert_int_equal(c.scsi_status, 0);
	/* END 02 (the MT1939's) is not the MT1339's END */
	cdb[5] = 0x02;
	exec_out(e, &c, cdb, 12, ODF_DIR_OUT, buf, 0x1000);
	assert_int_equal(c.scsi_status, 2);
	assert_int_equal(c.sense[12], 0x24);
	/* no READ BUFFER mode 6 on this chip */
	exec_out(e, &c, rb, 10, ODF_DIR_IN, buf, 0x1000);
	assert_int_equal(c.scsi_status, 2);
	assert_int_equal(c.sense[2], 0x05);
	odemu_close(e);
	free(buf);
	assert_int_equal(odf_test_rmtree(dir), 0);
}

/* The emulated PX-716 takes pxfw's 4 KiB blocks (speed47/qpxtool@fc1cf4c
 * console/pxfw/pxfw.cpp: fwblk = 4096 but for the PX-W4824A/W5224A) and
 * redumper's 16 KiB, and refuses other sizes. */
static void
test_emu_px716_block(void **st)
{
	char dir[] = "/tmp/odf-test-px.XXXXXX", path[64];
	struct odemu *e = NULL;
	struct odf_cmd c;
	uint8_t *buf = calloc(1, 0x4000);
	char cmd[96];
	static const size_t sizes[] = { 0x1000, 0x4000, 0x2000, 0x800 };

	(void)st;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/d", dir);
	assert_int_equal(odemu_create("plextor-px716", path, NULL, NULL), 0);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	for (int k = 0; k < 4; k++) {
		size_t n = sizes[k];
		memset(&c, 0, sizeof(c));
		odf_cmd_init(&c, (uint8_t[]){ 0x3B, 0x04, 0, 0, 0, 0,
			     (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n,
			     0 }, 10, ODF_DIR_OUT, buf, n, 1000);
		odemu_exec(e, &c);
		if (k >= 2) {
			assert_int_equal(c.scsi_status, 2);
			assert_int_equal(c.sense[2], 0x05);
			assert_int_equal(c.sense[12], 0x24);
		} else {
			assert_int_equal(c.scsi_status, 0);
		}
	}
	odemu_close(e);
	free(buf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ps3_plan),
		cmocka_unit_test(test_plextor_plan),
		cmocka_unit_test(test_mtkff_plan),
		cmocka_unit_test(test_mt1339_plan),
		cmocka_unit_test(test_mt1339_image),
		cmocka_unit_test(test_emu_tsh353c),
		cmocka_unit_test(test_emu_px716_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
