/* odflash image library: internals shared between the files of lib/image.
 * Not a public header: only the files of lib/image include it. */
#ifndef ODF_IMAGE_INTERNAL_H
#define ODF_IMAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/bytes.h"
#include "odf/error.h"
#include "odf/ident.h"
#include "odf/image.h"

#define ODFI_MAX_PARTS 16

/* One firmware found inside a (decoded) buffer. */
struct odfi_part {
	size_t off, len;		/* payload inside the decoded buffer */
	struct odf_image_info info;
	char sha256[65];		/* "" until odf_image_sha256 */
};

struct odf_image {
	uint8_t *buf;			/* decoded bytes (the payloads) */
	size_t len;
	size_t nparts;
	struct odfi_part part[ODFI_MAX_PARTS];
};

/* What a family found in a buffer. */
struct odfi_found {
	size_t n;
	struct odfi_part part[ODFI_MAX_PARTS];
	/* A detector that converts the bytes (MediaTek 8051 rebanked ->
	 * flash layout) returns them here, malloc'd; the parts then lie in
	 * conv, which the image takes over. */
	uint8_t *conv;
	size_t convlen;
};

/* A family's detector: look at the whole buffer (already decoded from its
 * input form).  Returns 1 and fills `f` when the bytes are this family's,
 * 0 when they are not, or a negative odf_err (with d filled) when they are
 * this family's but unusable (ODF_E_TRUNCATED: say how much is missing).
 * `strong` is set to 1 on return 0 when a marker was seen but the size
 * did not fit, so that the caller can prefer that family's message. */
typedef int (*odfi_detect_fn)(const uint8_t *buf, size_t len,
			      struct odfi_found *f, struct odf_diag *d);
/* Find this family's payload inside a larger blob (vendor .exe): returns 1
 * and sets off and plen if found. */
typedef int (*odfi_find_fn)(const uint8_t *buf, size_t len, size_t *off,
			    size_t *plen);

struct odfi_family_ops {
	enum odf_family family;
	odfi_detect_fn detect;
	odfi_find_fn find;
	int (*inspect)(const uint8_t *p, size_t len,
		       struct odf_image_info *info);
	int (*fix)(uint8_t *p, size_t len, struct odf_diag *d);
	int (*build)(const struct odf_image_spec *s, uint8_t **out,
		     size_t *len, struct odf_diag *d);
	/* the unit's own ranges (odf_image_unit_ranges), NULL = none */
	const struct odf_unit_range *units;
	size_t nunits;
};

extern const struct odfi_family_ops odfi_nec_ops;
extern const struct odfi_family_ops odfi_pioneer_ops;
extern const struct odfi_family_ops odfi_plextor_ops;
extern const struct odfi_family_ops odfi_lg_ops;
extern const struct odfi_family_ops odfi_mtkff_ops;
extern const struct odfi_family_ops odfi_mtk8051_ops;
extern const struct odfi_family_ops odfi_spc_ops;
extern const struct odfi_family_ops odfi_ps3_ops;
extern const struct odfi_family_ops odfi_mt1959_ops;
extern const struct odfi_family_ops odfi_btc_ops;
extern const struct odfi_family_ops odfi_sd616_ops;

const struct odfi_family_ops *odfi_ops(enum odf_family f);

/* ---- helpers (image.c) ------------------------------------------------ */
/* Deterministic filler (xorshift) so built images differ by seed. */
void odfi_fill(uint8_t *p, size_t n, uint32_t seed);
/* Trimmed, case-sensitive string compare that ignores trailing blanks. */
bool odfi_streq_trim(const char *a, const char *b);
/* Fill the fields every family shares: family, size. */
void odfi_info_common(struct odf_image_info *info, enum odf_family fam,
		      const uint8_t *p, size_t len);
void odfi_set_checksum(struct odf_checksum *c, unsigned bits, size_t off,
		       uint32_t expected, uint32_t actual);
/* All n bytes printable ASCII (20h..7Eh). */
bool odfi_printable(const uint8_t *p, size_t n);
/* The first 28 printable bytes at or after p + from that start with one
 * of the nv 8-byte vendor names: a drive's INQUIRY strings (vendor[8]
 * product[16] revision[4]) inside a firmware; NULL when none. */
const uint8_t *odfi_find_inquiry_id(const uint8_t *p, size_t len,
				    size_t from, const char *const *vendors,
				    size_t nv);
/* Fill vendor, product, revision and version from 28 bytes in INQUIRY
 * layout (vendor[8] product[16] revision[4]: the T10 VENDOR
 * IDENTIFICATION, PRODUCT IDENTIFICATION and PRODUCT REVISION LEVEL of the
 * standard INQUIRY data, its bytes 8..35, SPC-4 6.6.2, left-aligned ASCII
 * padded with spaces). */
void odfi_info_inquiry(struct odf_image_info *in, const uint8_t *id);
/* Its writer, for the builders: 28 bytes at id in the same layout, each
 * string space-padded (cut to its field): the spec's vendor and product,
 * its revision or else its version, and the family's defaults (vendor,
 * product, revision) where the spec has none. */
void odfi_put_inquiry(uint8_t *id, const struct odf_image_spec *s,
		      const char *vendor, const char *product,
		      const char *revision);
/* malloc-and-zero with error reporting */
uint8_t *odfi_alloc(size_t n, struct odf_diag *d);

/* ---- input forms (forms.c) ------------------------------------------ */
enum odfi_form { ODFI_FORM_BIN, ODFI_FORM_HEX_BINARY, ODFI_FORM_IHEX,
		 ODFI_FORM_SREC };
/* Decide the form of a file's bytes (by content; `name` only tells a
 * binary ".hex" from a plain .bin) and decode text forms into *out
 * (malloc'd; for binary forms *out is NULL and the input is used as is).
 * Returns 0 or ODF_E_FORMAT with the failing line number. */
int odfi_decode_form(const uint8_t *buf, size_t len, const char *name,
		     enum odfi_form *form, uint8_t **out, size_t *outlen,
		     struct odf_diag *d);
const char *odfi_form_name(enum odfi_form f);

/* ---- NEC (nec.c) ----------------------------------------------------- */
/* Fold an NEC drive ID to its alias group's canonical ID ("K350" ->
 * "K310"); unknown IDs come back unchanged.  Returns the model name
 * ("ND-3500A") or NULL via *model when known. */
const char *odfi_nec_canonical(const char *id, const char **model);
/* Layout class name ("1 MiB", "2 MiB", ...) of a known ID, or NULL. */
const char *odfi_nec_class_of(const char *id);

/* Fold a target ID for comparison: NEC aliases to one ID, LG models
 * without dashes and blanks, upper-cased (compat.c). */
void odfi_fold_target(enum odf_family fam, const char *in, char *out,
		      size_t n);

#endif
