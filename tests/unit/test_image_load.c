/* Unit tests: loading firmware files and their errors, input forms
 * (binary ".hex", Intel HEX, S-records, vendor .exe) (lib/image/image.c,
 * lib/image/forms.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "odf/image.h"
#include "helper_tmpdir.h"
#include "util/platform.h"

static char dir[64];

static int
setup(void **st)
{
	(void)st;
	snprintf(dir, sizeof(dir), "/tmp/odf-image-test.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **st)
{
	(void)st;
	return odf_test_rmtree(dir) == 0 ? 0 : -1;
}

static void
path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void
write_file(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static uint8_t *
build(enum odf_family fam, const char *target, size_t *n)
{
	struct odf_image_spec s = { .family = fam, .target = target,
				    .seed = 11 };
	uint8_t *b = NULL;
	assert_int_equal(odf_image_build(&s, &b, n, NULL), 0);
	return b;
}

static void
test_missing(void **st)
{
	struct odf_image *img = (struct odf_image *)1;
	struct odf_diag d = { 0 };
	char p[128], want[200];

	(void)st;
	path_of(p, sizeof(p), "x.bin");
	assert_int_equal(odf_image_load(p, ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FILE);
	assert_null(img);
	snprintf(want, sizeof(want), "firmware file '%s' does not exist", p);
	assert_string_equal(d.msg, want);
}

static void
test_directory(void **st)
{
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	char want[200];

	(void)st;
	assert_int_equal(odf_image_load(dir, ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FILE);
	snprintf(want, sizeof(want), "'%s' is a directory, not a firmware file",
		 dir);
	assert_string_equal(d.msg, want);
}

static void
test_unreadable(void **st)
{
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	char p[128], want[200];

	(void)st;
	path_of(p, sizeof(p), "secret.bin");
	write_file(p, "x", 1);
	assert_int_equal(chmod(p, 0), 0);
	if (geteuid() == 0) {
		/* root ignores file permissions: the assertion cannot hold */
		skip();
	}
	assert_int_equal(odf_image_load(p, ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FILE);
	snprintf(want, sizeof(want),
		 "cannot read firmware file '%s': permission denied", p);
	assert_string_equal(d.msg, want);
}

static void
test_empty_and_oversize(void **st)
{
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	char p[128], want[256];
	FILE *f;

	(void)st;
	path_of(p, sizeof(p), "empty.bin");
	write_file(p, "", 0);
	assert_int_equal(odf_image_load(p, ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_TRUNCATED);
	snprintf(want, sizeof(want), "firmware file '%s' is empty (0 bytes)",
		 p);
	assert_string_equal(d.msg, want);

	path_of(p, sizeof(p), "huge.bin");
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)65 << 20), 0);
	fclose(f);
	assert_int_equal(odf_image_load(p, ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	snprintf(want, sizeof(want), "firmware file '%s' is too large: %lld "
		 "bytes (at most %zu are accepted; drive firmware is at most "
		 "a few MiB)", p, (long long)65 << 20, (size_t)64 << 20);
	assert_string_equal(d.msg, want);
}

static void
test_random_data(void **st)
{
	uint8_t *b = malloc(1000000);
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	uint32_t x = 12345;

	(void)st;
	for (size_t i = 0; i < 1000000; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (uint8_t)(x >> 16);
	}
	assert_int_equal(odf_image_parse(b, 1000000, "rnd.bin",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_null(img);
	assert_non_null(strstr(d.msg, "'rnd.bin' is not a firmware image we "
			       "know (1000000 bytes); expected one of: "));
	assert_non_null(strstr(d.msg, "1024004"));
	/* the same bytes taken as a generic SPC image: size and sha256 */
	assert_int_equal(odf_image_parse(b, 1000000, "rnd.bin",
					 ODF_FAMILY_SPC, &img, &d), 0);
	assert_int_equal(odf_image_info(img, 0)->family, ODF_FAMILY_SPC);
	assert_false(odf_image_info(img, 0)->checksum.present);
	assert_int_equal(odf_image_info(img, 0)->size, 1000000);
	assert_string_equal(odf_image_info(img, 0)->note,
			    "spc, unknown layout: size and sha256 only");
	assert_string_equal(odf_image_info(img, 0)->target, "");
	odf_image_free(img);
	free(b);
}

static void
test_load_file_and_hex_binary(void **st)
{
	size_t n;
	uint8_t *b = build(ODF_FAMILY_NEC, "K350", &n);
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	char p[128], sha[65];

	(void)st;
	path_of(p, sizeof(p), "fw.hex");	/* binary despite its name */
	write_file(p, b, n);
	assert_int_equal(odf_image_load(p, ODF_FAMILY_UNKNOWN, &img, &d), 0);
	assert_string_equal(odf_image_info(img, 0)->form, "hex-binary");
	assert_string_equal(odf_image_info(img, 0)->target, "K350");
	odf_sha256_hex(b, 0xFA000, sha);
	assert_string_equal(odf_image_sha256(img, 0), sha);
	odf_image_free(img);
	free(b);
}

/* sha256("abc"), FIPS 180-2 example */
static void
test_sha256(void **st)
{
	char h[65];
	(void)st;
	odf_sha256_hex((const uint8_t *)"abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
			       "b00361a396177a9cb410ff61f20015ad");
}

/* Encode bytes as Intel HEX, 16 bytes a record, with 04 records. */
static char *
to_ihex(const uint8_t *b, size_t n, size_t *outlen)
{
	size_t cap = n * 3 + 1024, o = 0;
	char *t = malloc(cap);
	uint32_t hi = 0xFFFFFFFF;

	for (size_t a = 0; a < n; a += 16) {
		size_t k = n - a < 16 ? n - a : 16;
		unsigned sum;
		if ((a >> 16) != hi) {
			hi = (uint32_t)(a >> 16);
			sum = 2 + 4 + (hi >> 8) + (hi & 0xFF);
			o += (size_t)sprintf(t + o, ":02000004%04X%02X\n", hi,
					     (0x100 - (sum & 0xFF)) & 0xFF);
		}
		sum = (unsigned)k + ((a >> 8) & 0xFF) + (a & 0xFF);
		o += (size_t)sprintf(t + o, ":%02X%04X00", (unsigned)k,
				     (unsigned)(a & 0xFFFF));
		for (size_t i = 0; i < k; i++) {
			o += (size_t)sprintf(t + o, "%02X", b[a + i]);
			sum += b[a + i];
		}
		o += (size_t)sprintf(t + o, "%02X\r\n",
				     (0x100 - (sum & 0xFF)) & 0xFF);
	}
	o += (size_t)sprintf(t + o, ":00000001FF\n");
	*outlen = o;
	return t;
}

static char *
to_srec(const uint8_t *b, size_t n, size_t *outlen)
{
	size_t cap = n * 3 + 1024, o = 0;
	char *t = malloc(cap);

	o += (size_t)sprintf(t + o, "S00600004844521B\n");
	for (size_t a = 0; a < n; a += 32) {
		size_t k = n - a < 32 ? n - a : 32;
		unsigned sum = (unsigned)(k + 5);
		o += (size_t)sprintf(t + o, "S3%02X%08X", (unsigned)(k + 5),
				     (unsigned)a);
		sum += (unsigned)((a >> 24) & 0xFF) + ((a >> 16) & 0xFF) +
		       ((a >> 8) & 0xFF) + (a & 0xFF);
		for (size_t i = 0; i < k; i++) {
			o += (size_t)sprintf(t + o, "%02X", b[a + i]);
			sum += b[a + i];
		}
		o += (size_t)sprintf(t + o, "%02X\n", (~sum) & 0xFF);
	}
	o += (size_t)sprintf(t + o, "S70500000000FA\n");
	*outlen = o;
	return t;
}

static void
test_ihex_and_srec(void **st)
{
	size_t n, tn;
	uint8_t *b = build(ODF_FAMILY_PLEXTOR, "PX-716A", &n);
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	char *t;
	const uint8_t *p;
	size_t plen;

	(void)st;
	t = to_ihex(b, n, &tn);
	assert_int_equal(odf_image_parse((uint8_t *)t, tn, "fw.hex",
					 ODF_FAMILY_UNKNOWN, &img, &d), 0);
	assert_string_equal(odf_image_info(img, 0)->form, "ihex");
	assert_string_equal(odf_image_info(img, 0)->target, "PX-716A");
	assert_true(odf_image_info(img, 0)->checksum.ok);
	p = odf_image_data(img, 0, &plen);
	assert_int_equal(plen, n);
	assert_memory_equal(p, b, n);
	odf_image_free(img);
	/* corrupt the checksum of the 3rd line */
	{
		char *l = t;
		for (int i = 0; i < 2; i++)
			l = strchr(l, '\n') + 1;
		l[strchr(l, '\r') - l - 1] ^= 1;
	}
	assert_int_equal(odf_image_parse((uint8_t *)t, tn, "fw.hex",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_non_null(strstr(d.msg, "Intel HEX line 3: bad record checksum"));
	free(t);

	t = to_srec(b, n, &tn);
	assert_int_equal(odf_image_parse((uint8_t *)t, tn, "fw.s19",
					 ODF_FAMILY_UNKNOWN, &img, &d), 0);
	assert_string_equal(odf_image_info(img, 0)->form, "srec");
	p = odf_image_data(img, 0, &plen);
	assert_int_equal(plen, n);
	assert_memory_equal(p, b, n);
	odf_image_free(img);
	{
		char *l = strchr(t, '\n') + 1;	/* line 2 */
		l = strchr(l, '\n') + 1;	/* line 3 */
		l[12] = l[12] == '0' ? '1' : '0';
	}
	assert_int_equal(odf_image_parse((uint8_t *)t, tn, "fw.s19",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_non_null(strstr(d.msg, "S-record line 3: bad record checksum"));
	free(t);
	free(b);
}

static void
test_ihex_bank_separator(void **st)
{
	/* two 1-byte banks: 02 at bank 0 offset 0, 80 at bank 1 offset 0 */
	const char *t = ":0100000002FD\n:00000155AA\n:01000000807F\n"
			":00000001FF\n";
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };

	(void)st;
	/* decodes to 0x10001 bytes: no family matches that size */
	assert_int_equal(odf_image_parse((const uint8_t *)t, strlen(t), "b.hex",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_non_null(strstr(d.msg, "(65537 bytes)"));
	/* no EOF record: truncated */
	assert_int_equal(odf_image_parse((const uint8_t *)t, 14, "b.hex",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_TRUNCATED);
}

/* Which bytes make a text form's file binary (lib/image/forms.c
 * is_text): anything but printable ASCII, tab, CR and LF.  The line with
 * the byte comes after the first 4096 bytes, which are looked at first to
 * tell text from binary; a text byte there makes the line not a record
 * instead.  Counts the bytes checked. */
static void
test_text_form_bytes(void **st)
{
	static const struct { uint8_t c; bool text; } cases[] = {
		{ 0x00, false }, { 0x08, false }, { 0x0B, false },
		{ 0x0C, false }, { 0x1F, false }, { 0x7F, false },
		{ 0x80, false }, { 0xFF, false }, { '\t', true },
		{ '\r', true }, { 0x20, true }, { 0x7E, true }, { 'A', true },
	};
	const char *rec = ":0100000001FE\t\r\n";	/* 1 byte, 01h at 0 */
	size_t rl = strlen(rec), nrec = 300, len = nrec * rl + 16;
	char *t = malloc(len);
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	size_t o = 0, checked = 0;

	(void)st;
	assert_non_null(t);
	for (size_t i = 0; i < nrec; i++, o += rl)
		memcpy(t + o, rec, rl);
	memcpy(t + o, ":00000001FF\n", 12);
	assert_true(o > 4096);
	/* as it is: 1 byte decoded, which no family takes */
	assert_int_equal(odf_image_parse((const uint8_t *)t, o + 12, "t.hex",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_non_null(strstr(d.msg, "(1 bytes)"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* a line of its own before the end record */
		t[o] = (char)cases[i].c;
		t[o + 1] = '\n';
		memcpy(t + o + 2, ":00000001FF\n", 12);
		memset(&d, 0, sizeof(d));
		assert_int_equal(odf_image_parse((const uint8_t *)t, o + 14,
						 "t.hex", ODF_FAMILY_UNKNOWN,
						 &img, &d), ODF_E_FORMAT);
		assert_null(img);
		if (cases[i].text)
			assert_null(strstr(d.msg, "binary bytes"));
		else
			assert_string_equal(d.msg, "Intel HEX file contains "
					    "binary bytes");
		checked++;
	}
	print_message("# %zu bytes checked\n", checked);
	assert_int_equal(checked, 13);
	free(t);
}

static void
test_exe_embedding(void **st)
{
	size_t n;
	uint8_t *b = build(ODF_FAMILY_MTK_FF, "SE-506CB", &n);
	size_t off = 0x12345, total = off + n + 5000;
	uint8_t *exe = calloc(1, total);
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	const uint8_t *p;
	size_t plen;

	(void)st;
	memcpy(exe, "MZ\x90\0", 4);
	memcpy(exe + off, b, n);
	assert_int_equal(odf_image_parse(exe, total, "SE506CB_TS01.exe",
					 ODF_FAMILY_UNKNOWN, &img, &d), 0);
	assert_string_equal(odf_image_info(img, 0)->form, "exe");
	assert_int_equal(odf_image_info(img, 0)->file_offset, off);
	assert_int_equal(odf_image_info(img, 0)->family, ODF_FAMILY_MTK_FF);
	p = odf_image_data(img, 0, &plen);
	assert_int_equal(plen, n);
	assert_memory_equal(p, b, n);
	odf_image_free(img);
	free(b);
	/* an NEC image inside an updater */
	b = build(ODF_FAMILY_NEC, "K352", &n);
	free(exe);
	total = 777 + n + 99;
	exe = calloc(1, total);
	memcpy(exe, "MZ", 2);
	memcpy(exe + 777, b, n);
	assert_int_equal(odf_image_parse(exe, total, "nec.exe",
					 ODF_FAMILY_UNKNOWN, &img, &d), 0);
	assert_string_equal(odf_image_info(img, 0)->target, "K352");
	assert_int_equal(odf_image_info(img, 0)->file_offset, 777);
	odf_image_free(img);
	/* an exe with nothing inside */
	memset(exe + 777, 0, n);
	assert_int_equal(odf_image_parse(exe, total, "nec.exe",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_non_null(strstr(d.msg, "is a Windows program"));
	free(exe);
	free(b);
}

/* The smallest NEC chunk (640 KiB class: 0x9B004 bytes and its 4-byte
 * ID) near an updater's start: an ID whose class the sources do not give
 * (K100) takes a chunk that follows another ID, here "K100" after "MZ"
 * and two zero bytes.
 * Its ID ends 8 bytes after the smallest chunk's length, near the earliest
 * place nec_find looks (lib/image/nec.c: no chunk ends before the
 * smallest one); 16 bytes of the updater follow, so that the file is not
 * an NEC file itself.  One byte fewer of it and nothing is found. */
static void
test_exe_nec_smallest(void **st)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_NEC,
				    .target = "K100", .size = 0x9B004,
				    .seed = 3 };
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	uint8_t *b = NULL, *exe;
	size_t n = 0;

	(void)st;
	assert_int_equal(odf_image_build(&s, &b, &n, NULL), 0);
	assert_int_equal(n, 0x9B004 + 4);
	exe = calloc(1, n + 24);
	assert_non_null(exe);
	memcpy(exe, "MZ\0\0K100", 8);
	memcpy(exe + 8, b, n);
	assert_int_equal(odf_image_parse(exe, n + 24, "nec.exe",
					 ODF_FAMILY_UNKNOWN, &img, &d), 0);
	assert_string_equal(odf_image_info(img, 0)->form, "exe");
	assert_string_equal(odf_image_info(img, 0)->target, "K100");
	assert_int_equal(odf_image_info(img, 0)->file_offset, 8);
	assert_int_equal(odf_image_info(img, 0)->size, 0x9B004);
	odf_image_free(img);
	/* the chunk without its first byte: no chunk of any class ends at
	 * its ID */
	memmove(exe + 8, b + 1, n - 1);
	exe[n + 7] = 0;
	assert_int_equal(odf_image_parse(exe, n + 23, "nec.exe",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_null(img);
	assert_non_null(strstr(d.msg, "is a Windows program"));
	free(exe);
	free(b);
}

/* A cut MT1939 image has lost the only bytes that say what it is: not
 * claimed, but the hint says how much an MT1939 image would miss. */
static void
test_mt1939_cut_hint(void **st)
{
	size_t n;
	uint8_t *b = build(ODF_FAMILY_MTK_FF, "SE-506CB", &n);
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };

	(void)st;
	assert_int_equal(odf_image_parse(b, n - 1000, "cut.bin",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_FORMAT);
	assert_int_equal(d.reason, ODF_R_MAYBE_TRUNCATED);
	assert_string_equal(d.expected, "MediaTek MT1939 (TSST)");
	assert_int_equal(d.limit - d.size, 1000);
	free(b);
}

/* MediaTek 8051 / Lite-On images inside an updater: found by the LITEONIT
 * marker, flash layout (1 MiB and 128 KiB) and OmniPatcher's rebanked
 * layout, with the offset they came from. */
static void
test_exe_mtk8051(void **st)
{
	static const size_t sizes[] = { 0x100000, 0x20000 };
	(void)st;
	for (size_t k = 0; k < 3; k++) {
		struct odf_image_spec s = { .family = ODF_FAMILY_MTK_8051,
					    .target = "SHM-165P6S",
					    .version = "MS0R",
					    .size = sizes[k == 1],
					    .variant = k == 2 ?
						"shared-common" : NULL,
					    .seed = 3 };
		struct odf_image *img = NULL;
		struct odf_diag d = { 0 };
		uint8_t *b = NULL, *rb = NULL, *exe;
		const uint8_t *emb, *p;
		size_t n, rn = 0, embn, plen, off = 0x2A7C1, total;

		assert_int_equal(odf_image_build(&s, &b, &n, &d), 0);
		emb = b;
		embn = n;
		if (k == 2) {	/* the rebanked layout inside */
			assert_int_equal(odf_mtk8051_to_flasher(b, n, &rb, &rn,
								&d), 0);
			emb = rb;
			embn = rn;
		}
		total = off + embn + 4321;
		exe = calloc(1, total);
		assert_non_null(exe);
		memcpy(exe, "MZ\x90\0", 4);
		memcpy(exe + off, emb, embn);
		assert_int_equal(odf_image_parse(exe, total, "LiteOn.exe",
						 ODF_FAMILY_UNKNOWN, &img, &d),
				 0);
		assert_int_equal(odf_image_info(img, 0)->family,
				 ODF_FAMILY_MTK_8051);
		assert_string_equal(odf_image_info(img, 0)->form, "exe");
		assert_int_equal(odf_image_info(img, 0)->file_offset, off);
		assert_int_equal(odf_image_info(img, 0)->file_size, total);
		assert_string_equal(odf_image_info(img, 0)->target,
				    "SHM-165P6S");
		assert_string_equal(odf_image_info(img, 0)->layout,
				    k == 2 ? "rebanked" : "flash");
		p = odf_image_data(img, 0, &plen);
		assert_int_equal(plen, n);
		assert_memory_equal(p, b, n);
		odf_image_free(img);
		/* without its marker the image is not found */
		if (k == 0) {
			exe[off + 0xFFF8] ^= 1;
			assert_int_equal(odf_image_parse(exe, total, "x.exe",
							 ODF_FAMILY_UNKNOWN,
							 &img, &d),
					 ODF_E_FORMAT);
			assert_non_null(strstr(d.msg, "is a Windows program"));
		}
		free(exe);
		free(rb);
		free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_empty_and_oversize),
		cmocka_unit_test(test_random_data),
		cmocka_unit_test(test_load_file_and_hex_binary),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_ihex_and_srec),
		cmocka_unit_test(test_ihex_bank_separator),
		cmocka_unit_test(test_text_form_bytes),
		cmocka_unit_test(test_exe_embedding),
		cmocka_unit_test(test_exe_nec_smallest),
		cmocka_unit_test(test_exe_mtk8051),
		cmocka_unit_test(test_mt1939_cut_hint),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
