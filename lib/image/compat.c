/* odflash image library: which part of an image fits which drive (part
 * selection) and whether an image fits a drive at all (the compatibility
 * check with its reasons).  Never touches a device. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "image/internal.h"

/* Family-aware target folding: NEC aliases fold to one ID; an LG
 * Renesas image names its drive in 8 characters ("GSA-E50L", lib/image/
 * lg.c) where INQUIRY may carry a longer form ("GSA-4163B"), so LG
 * models compare without dashes and blanks, upper-cased [inferred]. */
void
odfi_fold_target(enum odf_family fam, const char *in, char *out, size_t n)
{
	const char *m = NULL;

	if (fam == ODF_FAMILY_NEC)
		in = odfi_nec_canonical(in, &m);
	if (fam == ODF_FAMILY_LG_RENESAS && n > 0) {
		size_t o = 0;

		for (; *in && o + 1 < n; in++)
			if (*in != '-' && *in != ' ')
				out[o++] = (char)((*in >= 'a' && *in <= 'z') ?
						  *in - 'a' + 'A' : *in);
		out[o] = '\0';
		return;
	}
	snprintf(out, n, "%s", in);
}

size_t
odf_image_select(const struct odf_image *img,
		 const struct odf_drive_ident *drive)
{
	size_t best = 0;
	int best_score = -1;

	if (img == NULL || drive == NULL || img->nparts == 0)
		return 0;
	for (size_t i = 0; i < img->nparts; i++) {
		const struct odf_image_info *in = &img->part[i].info;
		char a[32], b[32];
		int s = 0;

		odfi_fold_target(in->family, in->target, a, sizeof(a));
		odfi_fold_target(in->family, drive->target, b, sizeof(b));
		if (in->target[0] && drive->target[0] &&
		    odfi_streq_trim(a, b))
			s += 4;
		if (in->bootcode[0] && drive->bootcode[0] &&
		    strcmp(in->bootcode, drive->bootcode) == 0)
			s += 2;
		else if (in->bootcode[0] == 0)
			s += 1;
		if (s > best_score) {
			best_score = s;
			best = i;
		}
	}
	return best;
}

/* ---- compatibility ------------------------------------------------------------ */
static void
add_reason(struct odf_compat *c, enum odf_incompat k, bool ovr,
	   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add_reason(struct odf_compat *c, enum odf_incompat k, bool ovr,
	   const char *fmt, ...)
{
	va_list ap;

	if (c->n >= ODF_COMPAT_MAX)
		return;
	c->reason[c->n].kind = k;
	c->reason[c->n].overridable = ovr;
	va_start(ap, fmt);
	vsnprintf(c->reason[c->n].text, sizeof(c->reason[c->n].text), fmt, ap);
	va_end(ap);
	c->n++;
}

static void
describe(enum odf_family fam, const char *id, char *out, size_t n)
{
	const char *model = NULL;

	if (fam == ODF_FAMILY_NEC)
		odfi_nec_canonical(id, &model);
	if (model)
		snprintf(out, n, "%s (%s)", id, model);
	else
		snprintf(out, n, "%s", id);
}

/* MediaTek MT1959 crossflash pairings.  OmniDrive's README ("Flashing",
 * RibShark/OmniDrive@9f3792a README.md): "The BU40N firmware should work
 * with all slim drives and the BW-16D1HT firmware should work with all
 * desktop drives."  The two donors' config IDs are redumper's
 * (superg/redumper@2ab9a42 drive/flash_mt1959.ixx MT1959_SUPPORTED_DRIVES:
 * BU40N "MT1959 Boot BU5 ", BW-16D1HT "MT1959 Boot JB8 ").  INFERRED (no
 * source says it in these words): the README's slim drives are those with
 * the BU5 config ID and its desktop drives those with JB8 -- in redumper's
 * table the BU40N is the one BU5 drive, the desktop BH/WH16NS.. and the
 * BW-16D1HT(-U) are JB8.  Pinned by tests/unit/test_vendor_mt1959.c. */
static const struct {
	const char *vendor, *product, *config, *drives;
} mt59_pairs[] = {
	{ "HL-DT-ST", "BD-RE BU40N", "MT1959 Boot BU5", "slim" },
	{ "ASUS", "BW-16D1HT", "MT1959 Boot JB8", "desktop" },
};

static const char *
mt59_class(const char *config)
{
	for (size_t i = 0; i < sizeof(mt59_pairs) / sizeof(mt59_pairs[0]); i++)
		if (strcmp(mt59_pairs[i].config, config) == 0)
			return mt59_pairs[i].drives;
	return "unknown";
}

/* MediaTek MT1959: redumper refuses an image whose config ID (0x3000)
 * differs from the drive's (redumper_flash_mt1959), and no source pairs
 * a BU5 image with a JB8 drive or back (above): never, even with
 * --crossflash.  Another product of the same config ID is a crossflash:
 * allowed with --crossflash for the pairings above only (the session then
 * carries the unit's own data over: odf_image_unit_ranges), refused
 * otherwise. */
static void
mt1959_compat(const struct odf_image_info *img,
	      const struct odf_drive_ident *drive, struct odf_compat *out)
{
	bool donor = false;

	if (img->target[0] && drive->target[0] &&
	    strcmp(img->target, drive->target) != 0) {
		add_reason(out, ODF_INCOMPAT_LAYOUT, false,
			   "image has config ID '%s' (%s), the drive '%s' "
			   "(%s); OmniDrive pairs BU40N firmware with slim, "
			   "BW-16D1HT firmware with desktop drives only",
			   img->target, mt59_class(img->target), drive->target,
			   mt59_class(drive->target));
		return;
	}
	if (!img->product[0] || !drive->product[0] ||
	    odfi_streq_trim(img->product, drive->product))
		return;
	for (size_t i = 0; i < sizeof(mt59_pairs) / sizeof(mt59_pairs[0]); i++)
		if (strcmp(mt59_pairs[i].config, img->target) == 0 &&
		    odfi_streq_trim(mt59_pairs[i].vendor, img->vendor) &&
		    odfi_streq_trim(mt59_pairs[i].product, img->product))
			donor = true;
	if (donor)
		add_reason(out, ODF_INCOMPAT_TARGET, true,
			   "image is for %s %s, the drive is %s %s (OmniDrive: "
			   "the %s firmware works on all %s drives)",
			   img->vendor, img->product, drive->vendor,
			   drive->product, img->product,
			   mt59_class(img->target));
	else
		add_reason(out, ODF_INCOMPAT_TARGET, false,
			   "image is for %s %s, the drive is %s %s; OmniDrive "
			   "vouches only for the BU40N firmware on slim, the "
			   "BW-16D1HT firmware on desktop drives", img->vendor,
			   img->product, drive->vendor, drive->product);
}

int
odf_image_check_compat(const struct odf_image_info *img,
		       const struct odf_drive_ident *drive,
		       struct odf_compat *out)
{
	struct odf_compat dummy;
	char a[32], b[32], da[64], db[64];
	const char *doem;

	if (out == NULL)
		out = &dummy;
	memset(out, 0, sizeof(*out));
	if (img == NULL || drive == NULL)
		return ODF_E_USAGE;
	if (drive->family != ODF_FAMILY_UNKNOWN &&
	    img->family != drive->family &&
	    !(img->family == ODF_FAMILY_SPC &&
	      drive->family == ODF_FAMILY_PS3)) {
		add_reason(out, ODF_INCOMPAT_FAMILY, false,
			   "image is %s firmware, the drive is a %s drive",
			   odf_family_name(img->family),
			   odf_family_name(drive->family));
		return ODF_E_MISMATCH;
	}
	if (img->family == ODF_FAMILY_NEC && img->target[0] &&
	    drive->target[0]) {
		const char *ci = odfi_nec_class_of(img->target);
		const char *cd = odfi_nec_class_of(drive->target);
		if (ci && cd && strcmp(ci, cd) != 0)
			add_reason(out, ODF_INCOMPAT_LAYOUT, false,
				   "image has the NEC %s layout, the drive "
				   "(%s) has the %s layout", ci, drive->target,
				   cd);
	}
	if (img->family == ODF_FAMILY_MT1959)
		mt1959_compat(img, drive, out);
	else if (img->target[0] && drive->target[0] &&
		 img->family != ODF_FAMILY_PIONEER) {
		odfi_fold_target(img->family, img->target, a, sizeof(a));
		odfi_fold_target(img->family, drive->target, b, sizeof(b));
		if (!odfi_streq_trim(a, b)) {
			describe(img->family, img->target, da, sizeof(da));
			describe(img->family, drive->target, db, sizeof(db));
			add_reason(out, ODF_INCOMPAT_TARGET, true,
				   "image is for %s, the drive is %s", da, db);
		}
	}
	if (img->family == ODF_FAMILY_PIONEER && img->product[0] &&
	    drive->product[0] && !odfi_streq_trim(img->product, drive->product))
		add_reason(out, ODF_INCOMPAT_TARGET, true,
			   "image is for %s, the drive is %s", img->product,
			   drive->product);
	if (img->bootcode[0] && drive->bootcode[0] &&
	    strcmp(img->bootcode, drive->bootcode) != 0)
		add_reason(out, ODF_INCOMPAT_BOOTCODE, false,
			   "image expects bootcode %s, the drive has bootcode %s",
			   img->bootcode, drive->bootcode);
	if ((strcmp(img->variant, "master") == 0 ||
	     strcmp(img->variant, "slave") == 0) &&
	    (strcmp(drive->variant, "master") == 0 ||
	     strcmp(drive->variant, "slave") == 0) &&
	    strcmp(img->variant, drive->variant) != 0)
		add_reason(out, ODF_INCOMPAT_VARIANT, true,
			   "image is for a notebook %s drive, the drive is %s",
			   img->variant, drive->variant);
	doem = drive->oem;
	if (doem[0] == 0 && img->family == ODF_FAMILY_PIONEER)
		doem = drive->target;	/* kernel type, ident.h */
	if (doem[0] == 0 && img->family == ODF_FAMILY_NEC)
		doem = drive->vendor;
	if (img->oem[0] && doem[0] && !odfi_streq_trim(img->oem, doem))
		add_reason(out, ODF_INCOMPAT_OEM, true,
			   "image is %s's firmware, the drive is %s's "
			   "(crossflash)", img->oem, doem);
	return out->n ? ODF_E_MISMATCH : 0;
}

/* ---- version order ------------------------------------------------------------ */
/* The revisions these families' drives report are four characters: NEC
 * "1.00" ... "2.18", "2.1A" (a letter after 9), Pioneer "1.33", Plextor
 * "1.11", LG and MediaTek/Lite-On a letter series then digits and
 * letters ("A102", "TS01", "KS0B"), the standard path's files "2.50".
 * Their order is INFERRED from how vendors number releases (no public
 * flasher states one; DVRFlash calls an older Pioneer file a
 * "downgrade"): two revisions are ordered only when they share their
 * leading non-digit series ("A1.." vs "A1..", "" vs "") and have the same
 * length; then character by character in ASCII, where digits come before
 * letters (NEC's 2.19 < 2.1A).  Anything else is "other": they differ and
 * odflash knows no order.  Pinned in tests/unit/test_image_families.c. */
static void
trim_rev(char *out, size_t n, const char *in)
{
	size_t len;

	while (*in == ' ')
		in++;
	snprintf(out, n, "%s", in);
	len = strlen(out);
	while (len > 0 && out[len - 1] == ' ')
		out[--len] = '\0';
}

enum odf_version_change
odf_version_change(enum odf_family family, const char *from, const char *to)
{
	char a[32], b[32];
	size_t pa = 0, pb = 0;
	int c;

	(void)family;	/* one rule for every family so far (above) */
	if (!from || !to)
		return ODF_VERSION_UNKNOWN;
	trim_rev(a, sizeof(a), from);
	trim_rev(b, sizeof(b), to);
	if (!a[0] || !b[0])
		return ODF_VERSION_UNKNOWN;
	if (strcmp(a, b) == 0)
		return ODF_VERSION_SAME;
	while (a[pa] && (a[pa] < '0' || a[pa] > '9'))
		pa++;
	while (b[pb] && (b[pb] < '0' || b[pb] > '9'))
		pb++;
	if (strlen(a) != strlen(b) || pa != pb || strncmp(a, b, pa) != 0)
		return ODF_VERSION_OTHER;
	c = strcmp(a, b);
	return c < 0 ? ODF_VERSION_UPGRADE : ODF_VERSION_DOWNGRADE;
}

const char *
odf_version_change_name(enum odf_version_change c)
{
	switch (c) {
	case ODF_VERSION_UPGRADE: return "upgrade";
	case ODF_VERSION_SAME: return "same";
	case ODF_VERSION_DOWNGRADE: return "downgrade";
	case ODF_VERSION_OTHER: return "other";
	default: return "unknown";
	}
}
