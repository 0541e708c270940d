/* libFuzzer entry point for the firmware-image parsers (lib/image): every
 * input is parsed with family detection, with each family hint, and
 * inspected as each family's flash payload; every result must be
 * self-consistent (parts inside the buffer, checksum flags coherent). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odf/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct odf_image *img)
{
	for (size_t i = 0; i < odf_image_parts(img); i++) {
		const struct odf_image_info *in = odf_image_info(img, i);
		size_t len = 0;
		const uint8_t *p = odf_image_data(img, i, &len);
		struct odf_diag d;
		struct odf_drive_ident drv;
		struct odf_compat c;

		if (in == NULL || p == NULL || len != in->size ||
		    strlen(in->sha256) != 64)
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct odf_image *img = NULL;
	struct odf_diag d;
	struct odf_image_info info;
	enum odf_family hint = ODF_FAMILY_UNKNOWN;

	odf_diag_clear(&d);
	if (odf_image_parse(data, size, "fuzz.bin", ODF_FAMILY_UNKNOWN, &img,
			    &d) == 0) {
		check(img);
		odf_image_free(img);
	} else if (img != NULL || d.msg[0] == 0) {
		abort();
	}
	/* one forced family per input, chosen by its first byte */
	if (size > 0)
		hint = (enum odf_family)(data[0] % ODF_FAMILY_COUNT);
	img = NULL;
	if (odf_image_parse(data, size, "fuzz.bin", hint, &img, NULL) == 0) {
		check(img);
		odf_image_free(img);
	}
	for (int f = 1; f < ODF_FAMILY_COUNT; f++)
		odf_image_inspect((enum odf_family)f, data, size, &info);
	return 0;
}
