/* odflash image library: Samsung SD-616F DVD-ROM (MediaTek MT1329E).
 *
 * Facts: superg/redumper@2ab9a42 drive/flash_sd616.ixx:
 * redumper_flash_sd616 (docs/internals/protocols.md §5.5): the file is
 * exactly 0x20000 bytes ("file is not 128KB" otherwise); the drive is
 * vendor "SAMSUNG", product "DVD-ROM SD-616F" (SAMSUNG_SUPPORTED_DRIVES).
 * No source gives a checksum of the file: identify says there is none.
 * INFERRED (no source gives it): the file carries the drive's INQUIRY
 * strings in INQUIRY layout (vendor[8] product[16] revision[4], as the
 * MT1339 and MediaTek 8051 files do, §5.4, §6.1), found by searching for
 * "SAMSUNG " followed by a product naming the SD-616; the model ("SD-616F")
 * is the target.  odflash's and odemu's builders put them at 0x4000.
 */
#include <stdio.h>
#include <string.h>

#include "image/internal.h"
#include "util/platform.h"

#define SD616_SIZE 0x20000u
#define SD616_ID_AT 0x4000u	/* builder only (INFERRED, see the top) */

static const char *const sd616_vendors[] = { "SAMSUNG " };

static const uint8_t *
sd616_find_id(const uint8_t *p, size_t len)
{
	const uint8_t *id = odfi_find_inquiry_id(p, len, 0, sd616_vendors, 1);

	while (id) {
		if (memmem(id + 8, 16, "SD-616", 6))
			return id;
		id = odfi_find_inquiry_id(p, len, (size_t)(id - p) + 1,
					  sd616_vendors, 1);
	}
	return NULL;
}

static int
sd616_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	const uint8_t *id;
	const char *m;

	if (len != SD616_SIZE || (id = sd616_find_id(p, len)) == NULL)
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_SD616, p, len);
	odfi_info_inquiry(in, id);
	m = strstr(in->product, "SD-616");
	snprintf(in->target, sizeof(in->target), "%.7s", m ? m : in->product);
	in->checksum.present = false;
	snprintf(in->note, sizeof(in->note), "Samsung SD-616 (MediaTek "
		 "MT1329E) 128 KiB image; no checksum is known for these "
		 "files");
	return 0;
}

static int
sd616_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	     struct odf_diag *d)
{
	memset(f, 0, sizeof(*f));
	if (len > SD616_SIZE || sd616_find_id(buf, len) == NULL)
		return 0;
	if (len < SD616_SIZE) {
		odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
		odf_diag_fact_bytes(d, len, SD616_SIZE);
		return odf_diag_set(d, ODF_E_TRUNCATED, "truncated: %u bytes "
				    "expected for a Samsung SD-616 image, %zu "
				    "present, %zu missing", SD616_SIZE, len,
				    (size_t)SD616_SIZE - len);
	}
	if (sd616_inspect(buf, len, &f->part[0].info) < 0)
		return 0;
	f->n = 1;
	f->part[0].len = len;
	return 1;
}

static int
sd616_fix(uint8_t *p, size_t len, struct odf_diag *d)
{
	(void)p;
	if (len != SD616_SIZE)
		return odf_diag_set(d, ODF_E_FORMAT, "a Samsung SD-616 image is "
				    "%u bytes, not %zu", SD616_SIZE, len);
	return 0;	/* no checksum known */
}

static int
sd616_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	    struct odf_diag *d)
{
	uint8_t *b;

	if (s->size && s->size != SD616_SIZE)
		return odf_diag_set(d, ODF_E_USAGE, "a Samsung SD-616 image is "
				    "%u bytes, not %zu", SD616_SIZE, s->size);
	b = odfi_alloc(SD616_SIZE, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, SD616_SIZE, s->seed);
	for (size_t i = 0; i + 8 <= SD616_SIZE; i++)
		if (memcmp(b + i, "SAMSUNG ", 8) == 0)
			b[i] = 0;
	b[0] = 0x02;	/* 8051 LJMP (INFERRED, §6.1) */
	odfi_put_inquiry(b + SD616_ID_AT, s, "SAMSUNG", "DVD-ROM SD-616F",
			 "F100");
	*out = b;
	*len = SD616_SIZE;
	return 0;
}

const struct odfi_family_ops odfi_sd616_ops = {
	.family = ODF_FAMILY_SD616,
	.detect = sd616_detect,
	.find = NULL,
	.inspect = sd616_inspect,
	.fix = sd616_fix,
	.build = sd616_build,
};
