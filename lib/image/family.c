/* odflash image library: family and mode names (the short, stable names
 * of docs/odflash.1 "JSON OUTPUT": nec, pioneer, plextor, lg-renesas, mtk-ff,
 * mtk-8051, ps3, spc, mt1959, btc, sd616, unknown). */
#include <string.h>
#include <strings.h>

#include "odf/ident.h"

static const char *const family_names[ODF_FAMILY_COUNT] = {
	[ODF_FAMILY_UNKNOWN] = "unknown",
	[ODF_FAMILY_NEC] = "nec",
	[ODF_FAMILY_PIONEER] = "pioneer",
	[ODF_FAMILY_PLEXTOR] = "plextor",
	[ODF_FAMILY_LG_RENESAS] = "lg-renesas",
	[ODF_FAMILY_MTK_FF] = "mtk-ff",
	[ODF_FAMILY_MTK_8051] = "mtk-8051",
	[ODF_FAMILY_PS3] = "ps3",
	[ODF_FAMILY_SPC] = "spc",
	[ODF_FAMILY_MT1959] = "mt1959",
	[ODF_FAMILY_BTC] = "btc",
	[ODF_FAMILY_SD616] = "sd616",
};

const char *
odf_family_name(enum odf_family f)
{
	if ((int)f < 0 || f >= ODF_FAMILY_COUNT)
		return "unknown";
	return family_names[f];
}

enum odf_family
odf_family_from_name(const char *name)
{
	if (name == NULL)
		return ODF_FAMILY_UNKNOWN;
	for (int i = 1; i < ODF_FAMILY_COUNT; i++)
		if (strcasecmp(name, family_names[i]) == 0)
			return (enum odf_family)i;
	return ODF_FAMILY_UNKNOWN;
}

const char *
odf_mode_name(enum odf_mode m)
{
	switch (m) {
	case ODF_MODE_NORMAL:
		return "normal";
	case ODF_MODE_SAFE:
		return "safe";
	case ODF_MODE_BOOT:
		return "boot";
	default:
		return "unknown";
	}
}
