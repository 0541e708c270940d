/* odflash image library: the ranges of an image that hold a drive
 * unit's own data, and their transplant from a copy of the unit's flash
 * into a new image (a crossflash that keeps them, issue #14).  The
 * families say which ranges (odfi_family_ops.units); never touches a
 * device. */
#include <string.h>

#include "image/internal.h"

const struct odf_unit_range *
odf_image_unit_ranges(enum odf_family family, size_t *n)
{
	const struct odfi_family_ops *o = odfi_ops(family);

	if (n)
		*n = o && o->units ? o->nunits : 0;
	return o && o->units && o->nunits ? o->units : NULL;
}

int
odf_image_transplant(enum odf_family family, uint8_t *payload, size_t len,
		     const uint8_t *unit, size_t unit_len, struct odf_diag *d)
{
	const struct odf_unit_range *r;
	size_t n;

	r = odf_image_unit_ranges(family, &n);
	if (r == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "%s images keep no data "
				    "of the unit", odf_family_name(family));
	if (payload == NULL || unit == NULL || unit_len != len)
		return odf_diag_set(d, ODF_E_USAGE, "the unit's copy is %zu "
				    "bytes, the image %zu", unit_len, len);
	for (size_t i = 0; i < n; i++) {
		if (r[i].start > r[i].end || r[i].end >= len)
			return odf_diag_set(d, ODF_E_FORMAT, "the %s range "
					    "0x%x..0x%x lies outside the %zu "
					    "bytes", r[i].what, r[i].start,
					    r[i].end, len);
		memcpy(payload + r[i].start, unit + r[i].start,
		       (size_t)r[i].end - r[i].start + 1);
	}
	return odf_image_fix_checksum(family, payload, len, d);
}
