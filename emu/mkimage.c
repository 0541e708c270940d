/* odemu mkimage: a format-valid firmware file for an emulated model,
 * built by the emulator's own format code (emu/fmt_<family>.c), never by
 * odflash's image library: odflash's reading of these files is then a
 * check of two implementations against each other (tests/unit/
 * test_emu_fmt.c, tests/e2e/image_identify.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "fmt.h"

uint8_t *
odemu_fmt_alloc(size_t n, uint32_t seed)
{
	uint8_t *b = malloc(n ? n : 1);
	uint32_t x = seed | 1u;

	if (b == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (uint8_t)(x >> 8);
	}
	return b;
}

void
odemu_fmt_put_id(uint8_t *id, const char *vendor, const char *product,
		 const char *revision)
{
	odf_put_padded(id, 8, vendor);
	odf_put_padded(id + 8, 16, product);
	odf_put_padded(id + 24, 4, revision);
}

/* The generation DVRFlash's SetKern table gives the model (rpc1dev/
 * DVRFlash@8ccb1b7 DVRFlash.cpp; docs/internals/protocols.md §3.3). */
static int
pio_generation_of(const char *target)
{
	static const struct { const char *model; int gen; } t[] = {
		{ "DVR-104", 3 }, { "DVR-105", 4 }, { "DVR-106", 6 },
		{ "DVR-107", 7 }, { "DVR-108", 8 }, { "DVR-109", 9 },
		{ "DVR-110", 10 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].model, target) == 0)
			return t[i].gen;
	return 0;
}

/* The emulated PS3 drive's image: 1 MiB (the size odemu has always
 * built for it; the drive holds up to fw_len). */
#define PS3_IMAGE 0x100000u

int
odemu_build_image(const struct odemu_model *m, const char *version,
		  uint32_t seed, uint8_t **out, size_t *len)
{
	switch (m->family) {
	case ODF_FAMILY_NEC:
		return odemu_nec_build(m, version, seed, out, len);
	case ODF_FAMILY_LG_RENESAS:
		return odemu_lg_build(m, version, seed, out, len);
	case ODF_FAMILY_PLEXTOR:
		return odemu_px_build(m, version, seed, out, len);
	case ODF_FAMILY_MTK_FF:
		return odemu_ff_build(m, version, seed, out, len);
	case ODF_FAMILY_PIONEER:
		/* the normal part, kernel type GENERAL (DVRFlash's
		 * 5C6A8FE9 key, the models' own, emu/models.c) */
		return odemu_pio_build(m, false, pio_generation_of(m->target),
				       version, "GENERAL", seed, out, len);
	case ODF_FAMILY_SPC:
		return odemu_spc_build(m, ODEMU_SPC_KIND_SPC, m->fw_len,
				       version, seed, out, len);
	case ODF_FAMILY_MT1959:
		return odemu_m59_build(m, version, seed, out, len);
	case ODF_FAMILY_BTC:
		return odemu_btc_build(m, version, seed, out, len);
	case ODF_FAMILY_SD616:
		return odemu_sd616_build(m, version, seed, out, len);
	case ODF_FAMILY_PS3:
		return odemu_spc_build(m, ODEMU_SPC_KIND_PS3, PS3_IMAGE,
				       version, seed, out, len);
	default:
		return -1;
	}
}

int
odemu_pio_generation_of(const struct odemu_model *m)
{
	return pio_generation_of(m->target);
}

int
odemu_mkimage(const char *model, const char *version, uint8_t **out,
	      size_t *len, struct odf_diag *d)
{
	const struct odemu_model *m = odemu_model_find(model);
	char seedtext[96];

	if (m == NULL) {
		odemu_diag_hint(d, "models: %s", odemu_model_names());
		return odf_diag_set(d, ODF_E_USAGE, "unknown drive model '%s'",
				    model ? model : "");
	}
	if (version == NULL)
		version = m->default_version;
	if (strlen(version) == 0 || strlen(version) > 4) {
		odemu_diag_hint(d, "use a revision of 1 to 4 characters, "
			      "e.g. %s", m->default_version);
		return odf_diag_set(d, ODF_E_USAGE, "version '%s' does not fit "
				    "the 4-character INQUIRY revision",
				    version);
	}
	snprintf(seedtext, sizeof(seedtext), "%s/%s", m->name, version);
	if (odemu_build_image(m, version, odemu_seed_of(seedtext), out,
			      len) < 0)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory building "
				    "a %s image", m->name);
	return 0;
}
