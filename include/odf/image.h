/* odflash: firmware images — parse, validate, identify, write.
 *
 * This library never touches a device.  It recognises every family's
 * files (raw .bin, binary ".hex", Intel HEX, Motorola S-records, images
 * embedded in a vendor's Windows updater .exe), reports what they are,
 * verifies checksums (expected and actual), checks them against a drive's
 * identity, and builds/repairs images (for the emulator and for patched
 * files).  Facts and sources: see each family's file in lib/image/.
 */
#ifndef ODF_IMAGE_H
#define ODF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "odf/error.h"
#include "odf/ident.h"

struct odf_checksum {
	bool present;		/* the format carries a checksum */
	bool ok;
	uint32_t expected;	/* stored in the file */
	uint32_t actual;	/* computed */
	unsigned bits;		/* 16 or 32 */
	size_t offset;		/* where it is stored in the payload */
};

struct odf_image_info {
	enum odf_family family;
	char target[32];	/* drive ID/model it is for ("K350",
				   "DVR-109", "PX-716A", "SE-506CB") */
	char vendor[9], product[17], revision[5];	/* INQUIRY strings
							   inside, or "" */
	char version[32];	/* firmware version, "" if not carried */
	char bootcode[8];	/* NEC bootcode "05", "" if none */
	char variant[32];	/* "master"/"slave"/"kernel"/"normal"/OEM */
	char oem[32];		/* OEM/brand/kernel type where the format
				   carries one (Pioneer "PIO_ADV", NEC
				   INQUIRY vendor "_NEC"), else "" */
	size_t size;		/* payload bytes (what is flashed) */
	struct odf_checksum checksum;
	/* The payload's sha256 is not here: odf_image_sha256() computes it
	 * on request (hashing costs more than all of identification). */
	char form[16];		/* "bin", "hex-binary", "ihex", "srec", "exe" */
	char layout[16];	/* where a family has several: MediaTek 8051
				   "flash" (as flashed) or "rebanked"
				   (OmniPatcher's 0x150000 working layout,
				   converted to flash); else "" */
	size_t file_offset;	/* payload offset inside the file */
	size_t file_size;
	char note[160];		/* e.g. "converted from flash layout" */
};

struct odf_image;		/* opaque; owns its bytes */

/* Read and parse a file.  Errors: ODF_E_FILE (missing, unreadable,
 * directory; msg says which), ODF_E_FORMAT (not a firmware we know; for
 * unknown layouts accepted as generic SPC, never guessed: see below),
 * ODF_E_TRUNCATED (msg says how many bytes are missing).  A recognised
 * image with a bad checksum loads fine: look at info.checksum.
 * `hint_family` forces a family (ODF_FAMILY_UNKNOWN = detect; SPC = take
 * any bytes as an opaque generic image). */
int odf_image_load(const char *path, enum odf_family hint_family,
		   struct odf_image **out, struct odf_diag *d);
/* Same on a memory buffer (copied); name is used in messages. */
int odf_image_parse(const uint8_t *buf, size_t len, const char *name,
		    enum odf_family hint_family, struct odf_image **out,
		    struct odf_diag *d);
void odf_image_free(struct odf_image *img);

/* A file can hold several firmwares (NEC: several bootcodes back to back).
 * Part 0 is the default; odf_image_select picks the best for a drive. */
size_t odf_image_parts(const struct odf_image *img);
const struct odf_image_info *odf_image_info(const struct odf_image *img,
					    size_t part);
const uint8_t *odf_image_data(const struct odf_image *img, size_t part,
			      size_t *len);
size_t odf_image_select(const struct odf_image *img,
			const struct odf_drive_ident *drive);
/* SHA-256 of a part's payload, 64 lower-case hex digits: computed on the
 * first call and kept in img (so not thread-safe on one image); NULL if
 * there is no such part.  Identification (load/parse/info) never hashes:
 * at about 1.6 GB/s (nettle with SHA-NI) hashing costs ten times what
 * everything else identification does. */
const char *odf_image_sha256(struct odf_image *img, size_t part);

/* Everything a flasher must refuse: 0 if the image is fit to flash,
 * else ODF_E_CHECKSUM / ODF_E_FORMAT with diag filled. */
int odf_image_validate(const struct odf_image *img, size_t part,
		       struct odf_diag *d);

/* Inspect a payload of a known family as it lies in a drive's flash
 * (no file wrapper): fills strings, version, checksum (no hash: use
 * odf_sha256_hex).  Used by the
 * emulator to decide identity and boot mode.  ODF_E_FORMAT if the bytes
 * are not that family's layout. */
int odf_image_inspect(enum odf_family family, const uint8_t *payload,
		      size_t len, struct odf_image_info *info);

/* ---- compatibility between an image and a drive ------------------------ */
enum odf_incompat {
	ODF_INCOMPAT_FAMILY,	/* another family: never overridable */
	ODF_INCOMPAT_LAYOUT,	/* size/flash layout differs: never */
	ODF_INCOMPAT_TARGET,	/* another drive model ID: --crossflash */
	ODF_INCOMPAT_BOOTCODE,	/* bootcode differs: never */
	ODF_INCOMPAT_VARIANT,	/* notebook master vs slave: --crossflash */
	ODF_INCOMPAT_OEM,	/* another OEM/brand: --crossflash */
};
#define ODF_COMPAT_MAX 8
struct odf_compat {
	size_t n;
	struct {
		enum odf_incompat kind;
		bool overridable;	/* allowed with --crossflash */
		char text[200];		/* "image is for K352 (ND-3520A), the
					   drive is K350 (ND-3500A)" */
	} reason[ODF_COMPAT_MAX];
};
/* Fill every reason the image does not fit the drive; returns 0 when
 * there is none, ODF_E_MISMATCH otherwise. */
int odf_image_check_compat(const struct odf_image_info *img,
			   const struct odf_drive_ident *drive,
			   struct odf_compat *out);

/* ---- version order between an image and a drive ------------------------- */
enum odf_version_change {
	ODF_VERSION_UNKNOWN = 0,	/* a side names no version */
	ODF_VERSION_UPGRADE,		/* the image is newer */
	ODF_VERSION_SAME,		/* a reflash of the drive's version */
	ODF_VERSION_DOWNGRADE,		/* the image is older */
	ODF_VERSION_OTHER,		/* they differ, no order is known */
};
/* What flashing an image of version `to` does to a drive of revision
 * `from` (both as the drive reports them: the 4-character INQUIRY
 * revision), in the family's order where one is known (lib/image/
 * compat.c says which).  Blank-padding is ignored; NULL or "" gives
 * ODF_VERSION_UNKNOWN. */
enum odf_version_change odf_version_change(enum odf_family family,
					   const char *from, const char *to);
/* "upgrade", "same", "downgrade", "other", "unknown" (stable words). */
const char *odf_version_change_name(enum odf_version_change c);

/* ---- writing ------------------------------------------------------------ */
struct odf_image_spec {
	enum odf_family family;
	const char *target;	/* family drive ID ("K350", "DVR-109") */
	const char *vendor, *product, *revision;	/* INQUIRY strings */
	const char *version;	/* firmware version */
	const char *bootcode;	/* NEC: "05"; NULL = none */
	const char *variant;	/* "kernel"/"normal", "master"/"slave" */
	size_t size;		/* payload size; 0 = the target's default */
	uint32_t seed;		/* filler pattern, so images differ */
	const char *oem;	/* Pioneer kernel type ("PIO_ADV"); NULL =
				   the family's default */
};
/* Build a format-valid file image (correct size, IDs, strings, checksum);
 * *out is malloc'd, caller frees. */
int odf_image_build(const struct odf_image_spec *spec, uint8_t **out,
		    size_t *len, struct odf_diag *d);
/* Recompute the checksum of a payload in place. */
int odf_image_fix_checksum(enum odf_family family, uint8_t *payload,
			   size_t len, struct odf_diag *d);

/* ---- a unit's own data (crossflash) ------------------------------------
 * Ranges of a family's image that hold the drive unit's own data (LG
 * MT1959: its signature and calibration, and the ID block the drive reads
 * out itself), which a crossflash must carry over from the unit into the
 * new image.  lib/image/mt1959.c cites the layout. */
struct odf_unit_range {
	uint32_t start, end;	/* offsets in the image, end inclusive */
	const char *what;	/* "signature", "calibration", "ID block" */
	bool from_drive;	/* the drive reads it out itself (the probe's
				   odf_drive_ident.unit), else only a full
				   copy of its flash holds it */
};
/* The family's unit ranges (*n of them), NULL and *n = 0 when it has
 * none. */
const struct odf_unit_range *odf_image_unit_ranges(enum odf_family family,
						   size_t *n);
/* Copy every unit range from `unit` (a full copy of the unit's flash,
 * the same size as payload) into payload, then fix the family's checksum
 * (MT1959: every CMAC range).  ODF_E_USAGE for a family without ranges
 * or another size. */
int odf_image_transplant(enum odf_family family, uint8_t *payload,
			 size_t len, const uint8_t *unit, size_t unit_len,
			 struct odf_diag *d);

/* ---- MediaTek 8051 / Lite-On bank layouts (lib/image/mtk8051.c) --------
 * A 1 MiB Lite-On flash image is a 0x4000-byte bootcode, a 0x4000-byte
 * common area at 0x4000, then bank-specific parts of 0xC000 bytes (the
 * last 0x8000).  The "rebanked" layout (OmniPatcher's working copy, what
 * the 8051 sees as 64 KiB banks) repeats the common area in front of each
 * of the 0x15 parts and keeps the bootcode at the end: 0x150000 bytes
 * (rpc1dev/omnipatcher lib_rebank.pl, mtk_rebank modes 1 and 0).
 * to_flasher: 0x100000 flash -> 0x150000 rebanked; to_flash: back.  Both
 * malloc *out (caller frees) and fail with ODF_E_FORMAT on another size;
 * to_flash also when a bank's common area differs from bank 0's. */
int odf_mtk8051_to_flasher(const uint8_t *flash, size_t len, uint8_t **out,
			   size_t *outlen, struct odf_diag *d);
int odf_mtk8051_to_flash(const uint8_t *flasher, size_t len, uint8_t **out,
			 size_t *outlen, struct odf_diag *d);

/* NEC drive-ID aliases: the canonical ID of id's group ("K350" -> "K310",
 * ND-3500A), or id itself when it is not in the table; *model (may be
 * NULL) gets the drive's model name or NULL. */
const char *odf_nec_alias(const char *id, const char **model);

/* SHA-256 of a buffer as 64 lower-case hex digits + NUL (nettle). */
void odf_sha256_hex(const uint8_t *buf, size_t len, char out[65]);
/* The same of everything left to read in f, read in 64 KiB pieces (no
 * copy of the file is kept); -1 when a read fails (out is then not
 * set). */
int odf_sha256_stream(FILE *f, char out[65]);

#endif
