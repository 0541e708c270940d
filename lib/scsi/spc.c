/* odflash SCSI layer: SPC commands (INQUIRY, VPD, TEST UNIT READY,
 * REQUEST SENSE, MODE SENSE(10), READ BUFFER, WRITE BUFFER).
 * Field layouts: SPC-4 as documented by sg3_utils (include/sg_cmds_basic.h,
 * src/sg_inq.c, doc/sg_read_buffer.8, doc/sg_write_buffer.8) and the
 * docs/internals/protocols.md §1.1-§1.3 for READ/WRITE BUFFER. */
#include <string.h>

#include "odf/bytes.h"
#include "scsi/scsi_int.h"

/* ---- INQUIRY ----------------------------------------------------------- */

/* INQUIRY (12h), 6 bytes: 12 | EVPD(bit 0) | PAGE CODE | ALLOCATION
 * LENGTH (BE16, bytes 3-4) | CONTROL (SPC-4 6.6; sg3_utils sg_ll_inquiry). */
size_t
odf_cdb_inquiry(uint8_t *cdb, bool evpd, uint8_t page, uint16_t alloc)
{
	memset(cdb, 0, 6);
	cdb[0] = 0x12;
	cdb[1] = evpd ? 0x01 : 0x00;
	cdb[2] = evpd ? page : 0;
	odf_put_be16(cdb + 3, alloc);
	return 6;
}

/* Standard INQUIRY data (SPC-4 6.6.2): byte 0 PERIPHERAL QUALIFIER (7-5)
 * and DEVICE TYPE (4-0); byte 1 bit 7 RMB; byte 2 VERSION; byte 4
 * ADDITIONAL LENGTH; T10 VENDOR IDENTIFICATION 8-15, PRODUCT
 * IDENTIFICATION 16-31, PRODUCT REVISION LEVEL 32-35, vendor specific
 * 36-55 (Pioneer puts the firmware date there: rpc1dev/DVRFlash). */
int
odf_parse_inquiry(const uint8_t *b, size_t len, struct odf_inquiry *o)
{
	size_t avail;
	bool ok;

	if (o == NULL)
		return ODF_E_USAGE;
	memset(o, 0, sizeof(*o));
	if (b == NULL || len < 36)
		return ODF_E_FORMAT;
	if ((b[0] >> 5) == 3)	/* qualifier 011b: no device at this LUN */
		return ODF_E_FORMAT;
	avail = 5 + (size_t)b[4];
	if (avail < 36)
		avail = 36;	/* lenient: some drives understate it */
	if (avail > len)
		avail = len;
	o->pdt = b[0] & 0x1f;
	o->removable = (b[1] & 0x80) != 0;
	o->version = b[2];
	ok = odfi_ascii_field(b + 8, 8, o->vendor, sizeof(o->vendor));
	ok = odfi_ascii_field(b + 16, 16, o->product, sizeof(o->product)) && ok;
	ok = odfi_ascii_field(b + 32, 4, o->revision, sizeof(o->revision)) && ok;
	if (!ok) {
		memset(o, 0, sizeof(*o));
		return ODF_E_FORMAT;
	}
	if (avail > 36) {
		size_t n = avail - 36 > 20 ? 20 : avail - 36;
		/* vendor specific: keep it only if it is text */
		if (!odfi_ascii_field(b + 36, n, o->vendor_specific,
				      sizeof(o->vendor_specific)))
			o->vendor_specific[0] = '\0';
	}
	o->raw_len = avail > sizeof(o->raw) ? sizeof(o->raw) : avail;
	memcpy(o->raw, b, o->raw_len);
	return 0;
}

int
odf_inquiry(struct odf_dev *dev, struct odf_inquiry *o, struct odf_diag *d)
{
	uint8_t cdb[6], buf[96];
	size_t n, got;
	int rc;

	memset(buf, 0, sizeof(buf));
	n = odf_cdb_inquiry(cdb, false, 0, sizeof(buf));
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "INQUIRY", &got, d);
	if (rc < 0)
		return rc;
	rc = odf_parse_inquiry(buf, got, o);
	if (rc < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "INQUIRY returned a malformed "
				    "answer (%zu bytes)", got);
	return 0;
}

/* VPD page 00h Supported VPD Pages (SPC-4 7.8.16): byte 1 PAGE CODE,
 * bytes 2-3 PAGE LENGTH, the page codes from byte 4. */
int
odf_parse_vpd_pages(const uint8_t *b, size_t len, uint8_t *pages,
		    size_t max, size_t *n)
{
	size_t pl, i;

	if (n == NULL || (pages == NULL && max > 0))
		return ODF_E_USAGE;
	*n = 0;
	if (b == NULL || len < 4 || b[1] != 0x00)
		return ODF_E_FORMAT;
	pl = odf_be16(b + 2);
	if (pl > len - 4)
		pl = len - 4;	/* truncated: keep what is there */
	for (i = 0; i < pl && i < max; i++)
		pages[i] = b[4 + i];
	*n = i;
	return 0;
}

/* VPD page 80h Unit Serial Number (SPC-4 7.8.19): PRODUCT SERIAL NUMBER
 * from byte 4, PAGE LENGTH bytes 2-3, ASCII, right-aligned with spaces. */
int
odf_parse_vpd_serial(const uint8_t *b, size_t len, char *serial,
		     size_t serial_len)
{
	size_t pl;

	if (serial == NULL || serial_len == 0)
		return ODF_E_USAGE;
	serial[0] = '\0';
	if (b == NULL || len < 4 || b[1] != 0x80)
		return ODF_E_FORMAT;
	pl = odf_be16(b + 2);
	if (pl > len - 4)
		pl = len - 4;
	if (!odfi_ascii_field(b + 4, pl, serial, serial_len)) {
		serial[0] = '\0';
		return ODF_E_FORMAT;
	}
	return 0;
}

int
odf_inquiry_serial(struct odf_dev *dev, char *serial, size_t len,
		   struct odf_diag *d)
{
	uint8_t cdb[6], buf[252], pages[64];
	size_t n, got, np = 0, i;
	int rc;

	if (serial == NULL || len == 0)
		return odf_diag_set(d, ODF_E_USAGE, "no buffer for the serial");
	serial[0] = '\0';
	memset(buf, 0, sizeof(buf));
	n = odf_cdb_inquiry(cdb, true, 0x00, sizeof(buf));
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "INQUIRY VPD 00h", &got, d);
	if (rc < 0)
		return rc;
	if (odf_parse_vpd_pages(buf, got, pages, sizeof(pages), &np) < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "INQUIRY VPD 00h returned "
				    "a malformed answer (%zu bytes)", got);
	for (i = 0; i < np && pages[i] != 0x80; i++)
		;
	if (i == np)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the drive reports "
				    "no unit serial number (VPD page 80h)");
	memset(buf, 0, sizeof(buf));
	n = odf_cdb_inquiry(cdb, true, 0x80, sizeof(buf));
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "INQUIRY VPD 80h", &got, d);
	if (rc < 0)
		return rc;
	rc = odf_parse_vpd_serial(buf, got, serial, len);
	if (rc < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "INQUIRY VPD 80h returned a "
				    "malformed answer (%zu bytes)", got);
	return 0;
}

/* ---- TEST UNIT READY, REQUEST SENSE ------------------------------------ */

/* TEST UNIT READY (00h), 6 bytes, all zero but the opcode (SPC-4 6.47). */
size_t
odf_cdb_test_unit_ready(uint8_t *cdb)
{
	memset(cdb, 0, 6);
	return 6;
}

int
odf_test_unit_ready(struct odf_dev *dev, struct odf_sense *s,
		    struct odf_diag *d)
{
	uint8_t cdb[6];
	struct odf_cmd c;
	size_t n = odf_cdb_test_unit_ready(cdb);
	int rc;

	if (s)
		memset(s, 0, sizeof(*s));
	odf_cmd_init(&c, cdb, n, ODF_DIR_NONE, NULL, 0, ODFI_TMO_SHORT);
	rc = odf_scsi_run(dev, &c, "TEST UNIT READY", d);
	if (rc == ODF_E_SENSE && s)
		odf_sense_parse(c.sense, c.sense_len, s);
	return rc;
}

/* REQUEST SENSE (03h), 6 bytes: 03 | DESC(bit 0) = 0 (fixed format) | 0 |
 * 0 | ALLOCATION LENGTH | CONTROL (SPC-4 6.39). */
size_t
odf_cdb_request_sense(uint8_t *cdb, uint8_t alloc)
{
	memset(cdb, 0, 6);
	cdb[0] = 0x03;
	cdb[4] = alloc;
	return 6;
}

int
odf_request_sense(struct odf_dev *dev, struct odf_sense *s,
		  struct odf_diag *d)
{
	uint8_t cdb[6], buf[252];
	size_t n, got;
	int rc;

	if (s == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "no sense record");
	memset(s, 0, sizeof(*s));
	memset(buf, 0, sizeof(buf));
	n = odf_cdb_request_sense(cdb, sizeof(buf));
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "REQUEST SENSE", &got, d);
	if (rc < 0)
		return rc;
	if (odf_sense_parse(buf, got, s) < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "REQUEST SENSE returned "
				    "malformed sense data (%zu bytes)", got);
	return 0;
}

/* ---- MODE SENSE(10), page 2Ah -------------------------------------------- */

/* MODE SENSE(10) (5Ah), 10 bytes: 5A | DBD (bit 3) | PC (7-6) = 0 current,
 * PAGE CODE (5-0) | SUBPAGE | 0 0 0 | ALLOCATION LENGTH (BE16, 7-8) |
 * CONTROL (SPC-4 6.14).  DBD is set: MMC drives have no block
 * descriptors to report. */
size_t
odf_cdb_mode_sense10(uint8_t *cdb, uint8_t page, uint16_t alloc)
{
	memset(cdb, 0, 10);
	cdb[0] = 0x5a;
	cdb[1] = 0x08;
	cdb[2] = page & 0x3f;
	odf_put_be16(cdb + 7, alloc);
	return 10;
}

/* Mode parameter header(10): MODE DATA LENGTH BE16 (0-1), BLOCK
 * DESCRIPTOR LENGTH BE16 (6-7), pages after 8 + that.  MM Capabilities
 * and Mechanical Status page 2Ah (MMC-3 6.3.11; the bits Linux reads in
 * drivers/scsi/sr.c get_capabilities()): byte 2 bit 0 CD-R read, 1 CD-RW
 * read, 3 DVD-ROM read, 4 DVD-R read, 5 DVD-RAM read; byte 3 bit 0 CD-R
 * write, 1 CD-RW write, 4 DVD-R write, 5 DVD-RAM write; byte 6 bit 3
 * Eject, bits 7-5 Loading Mechanism Type. */
int
odf_parse_caps_page(const uint8_t *b, size_t len, struct odf_caps *o)
{
	size_t end, off;
	const uint8_t *p;

	if (o == NULL)
		return ODF_E_USAGE;
	memset(o, 0, sizeof(*o));
	if (b == NULL || len < 8)
		return ODF_E_FORMAT;
	end = (size_t)odf_be16(b) + 2;
	if (end > len)
		end = len;
	off = 8 + (size_t)odf_be16(b + 6);
	if (end < off + 7)
		return ODF_E_FORMAT;
	p = b + off;
	if ((p[0] & 0x3f) != 0x2a || p[1] < 5)
		return ODF_E_FORMAT;
	o->cdr_read = p[2] & 0x01;
	o->cdrw_read = p[2] & 0x02;
	o->dvdrom_read = p[2] & 0x08;
	o->dvdr_read = p[2] & 0x10;
	o->dvdram_read = p[2] & 0x20;
	o->cdr_write = p[3] & 0x01;
	o->cdrw_write = p[3] & 0x02;
	o->dvdr_write = p[3] & 0x10;
	o->dvdram_write = p[3] & 0x20;
	o->eject_supported = p[6] & 0x08;
	o->loading_mech = p[6] >> 5;
	return 0;
}

int
odf_mode_sense_caps(struct odf_dev *dev, struct odf_caps *o,
		    struct odf_diag *d)
{
	uint8_t cdb[10], buf[256];
	size_t n, got;
	int rc;

	memset(buf, 0, sizeof(buf));
	n = odf_cdb_mode_sense10(cdb, 0x2a, sizeof(buf));
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "MODE SENSE(10) page 2Ah", &got, d);
	if (rc < 0)
		return rc;
	rc = odf_parse_caps_page(buf, got, o);
	if (rc < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "MODE SENSE(10) page 2Ah returned "
				    "a malformed answer (%zu bytes)", got);
	return 0;
}

/* ---- READ BUFFER / WRITE BUFFER ------------------------------------------ */

/* READ BUFFER(10) (3Ch): 3C | MODE (4-0) | BUFFER ID | BUFFER OFFSET
 * (BE24, 3-5) | ALLOCATION LENGTH (BE24, 6-8) | CONTROL (SPC-4 6.17;
 * sg3_utils doc/sg_read_buffer.8). */
size_t
odf_cdb_read_buffer(uint8_t *cdb, uint8_t mode, uint8_t buf_id,
		    uint32_t offset, uint32_t len)
{
	memset(cdb, 0, 10);
	cdb[0] = 0x3c;
	cdb[1] = mode & 0x1f;
	cdb[2] = buf_id;
	odf_put_be24(cdb + 3, offset & 0xffffff);
	odf_put_be24(cdb + 6, len & 0xffffff);
	return 10;
}

/* WRITE BUFFER(10) (3Bh): 3B | MODE SPECIFIC (7-5) MODE (4-0) | BUFFER ID
 * | BUFFER OFFSET (BE24, 3-5) | PARAMETER LIST LENGTH (BE24, 6-8) |
 * CONTROL (SPC-4 6.49; sg3_utils doc/sg_write_buffer.8; fwupd
 * plugins/scsi/fu-scsi-device.c). */
size_t
odf_cdb_write_buffer(uint8_t *cdb, uint8_t mode, uint8_t mspec,
		     uint8_t buf_id, uint32_t offset, uint32_t len)
{
	memset(cdb, 0, 10);
	cdb[0] = 0x3b;
	cdb[1] = (uint8_t)(((mspec & 0x07) << 5) | (mode & 0x1f));
	cdb[2] = buf_id;
	odf_put_be24(cdb + 3, offset & 0xffffff);
	odf_put_be24(cdb + 6, len & 0xffffff);
	return 10;
}

static int
check_buffer_args(uint8_t mode, uint32_t offset, const void *buf,
		  size_t len, const char *what, struct odf_diag *d)
{
	if (mode > 0x1f)
		return odf_diag_set(d, ODF_E_USAGE, "%s: mode 0x%02x does not "
				    "fit in 5 bits", what, mode);
	if (offset > 0xffffff || len > 0xffffff)
		return odf_diag_set(d, ODF_E_USAGE, "%s: offset 0x%x or length "
				    "%zu does not fit in 24 bits", what,
				    offset, len);
	if (len > 0 && buf == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "%s: no buffer", what);
	return 0;
}

int
odf_read_buffer(struct odf_dev *dev, uint8_t mode, uint8_t buf_id,
		uint32_t offset, void *buf, size_t len, struct odf_diag *d)
{
	uint8_t cdb[10];
	size_t n, got;
	int rc;

	rc = check_buffer_args(mode, offset, buf, len, "READ BUFFER", d);
	if (rc < 0)
		return rc;
	n = odf_cdb_read_buffer(cdb, mode, buf_id, offset, (uint32_t)len);
	rc = odfi_run_in(dev, cdb, n, buf, len, ODFI_TMO_READBUF,
			 "READ BUFFER", &got, d);
	if (rc < 0)
		return rc;
	if (got != len)
		return odf_diag_set(d, ODF_E_IO, "READ BUFFER (mode 0x%02x, "
				    "buffer 0x%02x, offset 0x%x) returned %zu "
				    "of %zu bytes", mode, buf_id, offset, got,
				    len);
	return 0;
}

/* READ BUFFER descriptor (mode 03h), 4 bytes: OFFSET BOUNDARY, BUFFER
 * CAPACITY (BE24) (SPC-4 6.17.5; sg3_utils doc/sg_read_buffer.8). */
int
odf_parse_buffer_desc(const uint8_t *b, size_t len,
		      struct odf_buffer_desc *o)
{
	if (o == NULL)
		return ODF_E_USAGE;
	memset(o, 0, sizeof(*o));
	if (b == NULL || len < 4)
		return ODF_E_FORMAT;
	o->offset_boundary = b[0];
	o->capacity = odf_be24(b + 1);
	return 0;
}

int
odf_read_buffer_desc(struct odf_dev *dev, uint8_t buf_id,
		     struct odf_buffer_desc *o, struct odf_diag *d)
{
	uint8_t cdb[10], buf[4] = {0};
	size_t n, got;
	int rc;

	n = odf_cdb_read_buffer(cdb, ODF_RB_MODE_DESCRIPTOR, buf_id, 0, 4);
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "READ BUFFER descriptor", &got, d);
	if (rc < 0)
		return rc;
	rc = odf_parse_buffer_desc(buf, got, o);
	if (rc < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "READ BUFFER descriptor returned "
				    "%zu of 4 bytes", got);
	return 0;
}

int
odf_write_buffer(struct odf_dev *dev, uint8_t mode, uint8_t buf_id,
		 uint32_t offset, const void *buf, size_t len,
		 unsigned timeout_ms, struct odf_diag *d)
{
	uint8_t cdb[10];
	struct odf_cmd c;
	size_t n;
	int rc;

	rc = check_buffer_args(mode, offset, buf, len, "WRITE BUFFER", d);
	if (rc < 0)
		return rc;
	n = odf_cdb_write_buffer(cdb, mode, 0, buf_id, offset, (uint32_t)len);
	/* The record's buffer is not const, but data-out is only read. */
	odf_cmd_init(&c, cdb, n, len ? ODF_DIR_OUT : ODF_DIR_NONE,
		     (void *)(uintptr_t)buf, len,
		     timeout_ms ? timeout_ms : ODFI_TMO_WRITEBUF);
	return odf_scsi_run(dev, &c, "WRITE BUFFER", d);
}
