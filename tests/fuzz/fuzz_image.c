/* libFuzzer entry point for the firmware-image parsers (lib/image).
 *
 * One source, several targets (tools/fuzz.sh builds each one with
 * -DODF_FUZZ_TARGET="name"):
 *   "all"     (the default) every input is parsed with family detection,
 *             with one forced family hint, and inspected as each family's
 *             flash payload;
 *   "forms"   family detection only (ODF_FAMILY_UNKNOWN): the input forms
 *             (Intel HEX, S-records, binary .hex), the detection order and
 *             the vendor .exe scan of lib/image/forms.c and image.c;
 *   "ihex", "srec"  the text-form decoder (odfi_decode_form) alone, fed
 *             text that starts with the form's first character;
 *   "exe"     every family's updater .exe finder (odfi_family_ops.find)
 *             and, where one finds an image, that family's detector on it;
 *   a family name ("nec", "pioneer", "plextor", "lg-renesas", "mtk-ff",
 *             "mtk-8051", "spc", "mt1959", "btc", "sd616"; "spc" also
 *             covers "ps3", the same parser in spc.c): that family's parser
 *             alone, through the hint, its inspect function and its .exe
 *             finder, so that its 10 minutes are not spent in the others'
 *             early rejections.
 * Every result must be self-consistent (parts inside the buffer, checksum
 * flags coherent, error messages set); anything else aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "image/internal.h"
#include "odf/image.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(struct odf_image *img)
{
	for (size_t i = 0; i < odf_image_parts(img); i++) {
		const struct odf_image_info *in = odf_image_info(img, i);
		size_t len = 0;
		const uint8_t *p = odf_image_data(img, i, &len);
		const char *sha;
		struct odf_diag d;
		struct odf_drive_ident drv;
		struct odf_compat c;

		if (in == NULL || p == NULL || len != in->size)
			abort();
		if (in->file_offset > in->file_size && strcmp(in->form, "bin") == 0)
			abort();
		/* the payload's first and last bytes: ASan catches a part
		 * that does not lie inside the buffer */
		if (len > 0) {
			volatile uint8_t sink = p[0];
			sink = p[len - 1];
			(void)sink;
		}
		sha = odf_image_sha256(img, i);
		if (sha == NULL || strlen(sha) != 64)
			abort();
		if (in->checksum.present &&
		    in->checksum.ok != (in->checksum.expected ==
					in->checksum.actual))
			abort();
		odf_diag_clear(&d);
		if (odf_image_validate(img, i, &d) == 0 &&
		    in->checksum.present && !in->checksum.ok)
			abort();
		memset(&drv, 0, sizeof(drv));
		drv.family = in->family;
		memcpy(drv.target, "K310", 5);
		memcpy(drv.bootcode, "05", 3);
		odf_image_check_compat(in, &drv, &c);
		if (c.n > ODF_COMPAT_MAX)
			abort();
		if (odf_image_select(img, &drv) >= odf_image_parts(img))
			abort();
	}
}

/* Parse with a hint; a failure must leave *out NULL and say why. */
static void
parse(const uint8_t *data, size_t size, enum odf_family hint)
{
	struct odf_image *img = NULL;
	struct odf_diag d;

	odf_diag_clear(&d);
	if (odf_image_parse(data, size, "fuzz.bin", hint, &img, &d) == 0) {
		check(img);
		odf_image_free(img);
	} else if (img != NULL || d.msg[0] == 0) {
		abort();
	}
}

/* The family's .exe finder, then its detector on what it found. */
static void
find_exe(const struct odfi_family_ops *o, const uint8_t *data, size_t size)
{
	size_t off = 0, plen = 0;

	if (o != NULL && o->find != NULL && o->find(data, size, &off, &plen)) {
		struct odfi_found *fo;

		if (off > size || plen > size - off)
			abort();
		fo = calloc(1, sizeof(*fo));
		if (fo == NULL)
			return;
		if (o->detect(data + off, plen, fo, NULL) == 1) {
			/* parts lie in the converted bytes, if any */
			size_t in = fo->conv ? fo->convlen : plen;
			for (size_t i = 0; i < fo->n; i++)
				if (fo->part[i].off > in ||
				    fo->part[i].len > in - fo->part[i].off)
					abort();
		}
		free(fo->conv);	/* bytes the detector converted */
		free(fo);
	}
}

/* One family's parser on its own: hint, inspect, .exe finder. */
static void
one_family(enum odf_family f, const uint8_t *data, size_t size)
{
	struct odf_image_info info;

	parse(data, size, f);
	if (size > 0)
		odf_image_inspect(f, data, size, &info);
	find_exe(odfi_ops(f), data, size);
	if (f == ODF_FAMILY_MTK_8051) {
		uint8_t *a = NULL, *b = NULL;
		size_t la = 0, lb = 0;

		/* flasher -> flash -> flasher must give the input back */
		if (odf_mtk8051_to_flash(data, size, &a, &la, NULL) == 0) {
			if (odf_mtk8051_to_flasher(a, la, &b, &lb, NULL) != 0 ||
			    lb != size || memcmp(b, data, size) != 0)
				abort();
		}
		free(a);
		free(b);
	}
}

/* Intel HEX / S-records: decoded bytes lie in a buffer of the length
 * returned, the form is a text form; a failure says why and returns
 * nothing.  ("ihex" and "srec" differ in their seeds.) */
static void
text_form(const uint8_t *data, size_t size)
{
	enum odfi_form form;
	uint8_t *out = NULL;
	size_t outlen = 0;
	struct odf_diag d;

	odf_diag_clear(&d);
	if (odfi_decode_form(data, size, "fuzz.hex", &form, &out, &outlen,
			     &d) < 0) {
		if (out != NULL || d.msg[0] == 0)
			abort();
		return;
	}
	if (form == ODFI_FORM_BIN) {
		if (out != NULL)
			abort();
		return;
	}
	if (out == NULL || outlen == 0 ||
	    (form != ODFI_FORM_SREC && form != ODFI_FORM_IHEX))
		abort();
	{
		volatile uint8_t sink = out[0];
		sink = out[outlen - 1];
		(void)sink;
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int target = -2;	/* -2 not decided, -1 all, else family */
	const char *name = fuzz_target("all");
	struct odf_image_info info;

	if (strcmp(name, "ihex") == 0 ||
	    strcmp(name, "srec") == 0) {
		text_form(data, size);
		return 0;
	}
	if (strcmp(name, "exe") == 0) {
		for (int f = 1; f < ODF_FAMILY_COUNT; f++)
			find_exe(odfi_ops((enum odf_family)f), data, size);
		return 0;
	}
	if (target == -2) {
		if (strcmp(name, "all") == 0)
			target = -1;
		else if (strcmp(name, "forms") == 0)
			target = ODF_FAMILY_UNKNOWN;
		else if ((target = odf_family_from_name(name)) ==
			 ODF_FAMILY_UNKNOWN)
			abort();	/* a target name tools/fuzz.sh mistyped */
	}
	if (target == ODF_FAMILY_UNKNOWN) {
		parse(data, size, ODF_FAMILY_UNKNOWN);
		return 0;
	}
	if (target == ODF_FAMILY_SPC || target == ODF_FAMILY_PS3) {
		one_family(ODF_FAMILY_SPC, data, size);
		one_family(ODF_FAMILY_PS3, data, size);
		return 0;
	}
	if (target > 0) {
		one_family((enum odf_family)target, data, size);
		return 0;
	}
	parse(data, size, ODF_FAMILY_UNKNOWN);
	/* one forced family per input, chosen by its first byte */
	if (size > 0)
		parse(data, size,
		      (enum odf_family)(data[0] % ODF_FAMILY_COUNT));
	for (int f = 1; f < ODF_FAMILY_COUNT; f++)
		odf_image_inspect((enum odf_family)f, data, size, &info);
	return 0;
}
