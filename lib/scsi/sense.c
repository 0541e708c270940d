/* odflash SCSI layer: sense data.
 *
 * Formats (SPC-4 4.5 "Sense data", as documented by sg3_utils
 * include/sg_lib.h and lib/sg_lib.c sg_scsi_normalize_sense):
 *   fixed, response code 70h (current) / 71h (deferred), bit 7 of byte 0 =
 *     VALID (INFORMATION field bytes 3-6 is meaningful); byte 2 bits 3-0
 *     SENSE KEY; byte 7 ADDITIONAL SENSE LENGTH; bytes 12/13 ASC/ASCQ.
 *     ATAPI drives set the VALID bit too (docs/internals/rig.md §2: QEMU
 *     ide-cd's sense is f0 00 05 .. 20 00).
 *   descriptor, 72h (current) / 73h (deferred): byte 1 bits 3-0 SENSE KEY,
 *     byte 2 ASC, byte 3 ASCQ, byte 7 ADDITIONAL SENSE LENGTH, descriptors
 *     from byte 8; descriptor type 00h = INFORMATION (byte 2 bit 7 VALID,
 *     bytes 4-11 the 8-byte INFORMATION field).
 * The plain-language text comes from libsgutils2's tables
 * (sg_get_sense_key_str, sg_get_asc_ascq_str).
 */
#include <stdio.h>
#include <string.h>

#include <scsi/sg_lib.h>

#include "odf/bytes.h"
#include "odf/scsi.h"

static void
parse_fixed(const uint8_t *s, size_t len, struct odf_sense *o)
{
	if (len >= 3)
		o->key = s[2] & 0x0f;
	if (len >= 8) {
		if (len < 8 + (size_t)s[7])
			o->truncated = true;
	} else {
		o->truncated = true;
	}
	if (len >= 7 && (s[0] & 0x80)) {
		o->info_valid = true;
		o->info = odf_be32(s + 3);
	}
	if (len >= 13)
		o->asc = s[12];
	if (len >= 14)
		o->ascq = s[13];
}

static void
parse_descriptor(const uint8_t *s, size_t len, struct odf_sense *o)
{
	size_t end, i;

	o->key = s[1] & 0x0f;
	o->asc = s[2];
	o->ascq = s[3];
	if (len < 8) {
		o->truncated = true;
		return;
	}
	end = 8 + (size_t)s[7];
	if (end > len) {
		o->truncated = true;
		end = len;
	}
	/* Walk the descriptors: type, additional length, body. */
	for (i = 8; i + 2 <= end; i += 2 + (size_t)s[i + 1]) {
		if (s[i] == 0x00 && i + 12 <= end && s[i + 1] >= 0x0a) {
			o->info_valid = (s[i + 2] & 0x80) != 0;
			o->info = ((uint64_t)odf_be32(s + i + 4) << 32) |
				  odf_be32(s + i + 8);
		}
	}
}

int
odf_sense_parse(const uint8_t *s, size_t len, struct odf_sense *out)
{
	uint8_t rc;

	if (out == NULL)
		return ODF_E_USAGE;
	memset(out, 0, sizeof(*out));
	if (s == NULL || len == 0)
		return ODF_E_FORMAT;
	rc = s[0] & 0x7f;
	switch (rc) {
	case 0x70:
	case 0x71:
		if (len < 3)
			return ODF_E_FORMAT;	/* not even a sense key */
		parse_fixed(s, len, out);
		break;
	case 0x72:
	case 0x73:
		if (len < 4)
			return ODF_E_FORMAT;
		parse_descriptor(s, len, out);
		out->descriptor = true;
		break;
	default:
		return ODF_E_FORMAT;
	}
	out->valid = true;
	out->response_code = rc;
	out->deferred = rc == 0x71 || rc == 0x73;
	return 0;
}

const char *
odf_sense_text(uint8_t key, uint8_t asc, uint8_t ascq, char *buf,
	       size_t len)
{
	char k[64], a[160];
	const char *at;
	static const char pfx[] = "Additional sense: ";

	if (buf == NULL || len == 0)
		return "";
	sg_get_sense_key_str(key, (int)sizeof(k), k);
	sg_get_asc_ascq_str(asc, ascq, (int)sizeof(a), a);
	/* libsgutils2 prefixes table entries with "Additional sense: ". */
	at = strncmp(a, pfx, sizeof(pfx) - 1) == 0 ? a + sizeof(pfx) - 1 : a;
	snprintf(buf, len, "%s: %s", k, at);
	return buf;
}

unsigned
odf_sense_class(const struct odf_sense *s)
{
	unsigned c = 0;

	if (s == NULL || !s->valid)
		return 0;
	if (s->key == ODF_SK_NOT_READY && s->asc == 0x3A)
		c |= ODF_SC_NO_MEDIUM | ODF_SC_REFUSED;
	if (s->key == ODF_SK_NOT_READY && s->asc == 0x04 && s->ascq == 0x02)
		c |= ODF_SC_STOPPED;
	if (s->key == ODF_SK_ILLEGAL_REQUEST &&
	    (s->asc == 0x20 || s->asc == 0x24))
		c |= ODF_SC_REFUSED;
	if (s->key == ODF_SK_UNIT_ATTENTION)
		c |= ODF_SC_UA;
	if (s->key == ODF_SK_MEDIUM_ERROR || s->key == ODF_SK_HARDWARE_ERROR ||
	    s->key == ODF_SK_ILLEGAL_REQUEST)
		c |= ODF_SC_FATAL;
	if (s->asc == 0x53)
		c |= ODF_SC_TRAY_LOCKED;
	return c;
}

unsigned
odf_diag_sense_class(const struct odf_diag *d)
{
	struct odf_sense s;

	if (d == NULL || !d->sense_valid)
		return 0;
	memset(&s, 0, sizeof(s));
	s.valid = true;
	s.key = d->sense_key;
	s.asc = d->asc;
	s.ascq = d->ascq;
	return odf_sense_class(&s);
}

void
odf_diag_set_sense(struct odf_diag *d, const struct odf_sense *s)
{
	if (d == NULL || s == NULL || !s->valid)
		return;
	d->sense_valid = 1;
	d->sense_key = s->key;
	d->asc = s->asc;
	d->ascq = s->ascq;
}
