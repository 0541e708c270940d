/* odflash SCSI layer: MMC commands (GET CONFIGURATION, GET EVENT STATUS
 * NOTIFICATION, START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, REPORT KEY
 * RPC state).  Layouts: MMC-6 as documented by sg3_utils
 * (include/sg_cmds_mmc.h, src/sg_get_config.c), Linux
 * drivers/cdrom/cdrom.c and include/uapi/linux/cdrom.h, and the Aaru MMC
 * feature decoder for 010Ch (docs/internals/protocols.md §1.6). */
#include <stdio.h>
#include <string.h>

#include "odf/bytes.h"
#include "scsi/scsi_int.h"

/* ---- GET CONFIGURATION ---------------------------------------------------- */

/* GET CONFIGURATION (46h), 10 bytes: 46 | RT (1-0) | STARTING FEATURE
 * NUMBER (BE16, 2-3) | 0 0 0 | ALLOCATION LENGTH (BE16, 7-8) | CONTROL
 * (MMC-6 6.6; sg3_utils sg_ll_get_config). */
size_t
odf_cdb_get_configuration(uint8_t *cdb, uint8_t rt, uint16_t start_feature,
			  uint16_t alloc)
{
	memset(cdb, 0, 10);
	cdb[0] = 0x46;
	cdb[1] = rt & 0x03;
	odf_put_be16(cdb + 2, start_feature);
	odf_put_be16(cdb + 7, alloc);
	return 10;
}

static bool
all_digits(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* Walk the feature descriptors of a GET CONFIGURATION answer into o
 * without clearing it (so that a follow-up answer can be merged).
 * Header (MMC-6 6.6.2.1): DATA LENGTH BE32 (bytes 0-3, counts the bytes
 * after itself), CURRENT PROFILE BE16 (6-7).  Feature descriptor: FEATURE
 * CODE BE16, byte 2 VERSION (5-2) PERSISTENT (1) CURRENT (0), byte 3
 * ADDITIONAL LENGTH, then the data.  Sets *truncated when the answer ends
 * before DATA LENGTH says. */
static int
walk_config(const uint8_t *b, size_t len, struct odf_config *o,
	    bool set_profile, bool *truncated)
{
	size_t end, off;
	uint32_t dl;

	*truncated = false;
	if (b == NULL || len < 8)
		return ODF_E_FORMAT;
	dl = odf_be32(b);
	if (dl < 4)
		return ODF_E_FORMAT;
	end = (size_t)dl + 4 < (size_t)dl ? SIZE_MAX : (size_t)dl + 4;
	if (end > len) {
		*truncated = true;
		end = len;
	}
	if (set_profile)
		o->current_profile = odf_be16(b + 6);
	for (off = 8; off + 4 <= end;) {
		uint16_t code = odf_be16(b + off);
		uint8_t ver = (b[off + 2] >> 2) & 0x0f;
		size_t al = b[off + 3];
		const uint8_t *p = b + off;

		if (off + 4 + al > end) {
			*truncated = true;
			break;
		}
		switch (code) {
		case 0x0000:	/* Profile List: 4-byte descriptors */
			for (size_t i = 0; i + 4 <= al; i += 4) {
				uint16_t pr = odf_be16(p + 4 + i);
				size_t k;
				for (k = 0; k < o->n_profiles; k++)
					if (o->profiles[k] == pr)
						break;
				if (k == o->n_profiles &&
				    o->n_profiles < ODF_MAX_PROFILES)
					o->profiles[o->n_profiles++] = pr;
			}
			break;
		case 0x0104:	/* Microcode Upgrade; M5 needs version >= 1 */
			o->microcode_upgrade = true;
			o->m5 = ver >= 1 && al >= 1 && (p[4] & 0x01);
			break;
		case 0x010c:	/* Firmware Information: 2-char ASCII fields */
			o->fw_info = true;
			o->fw_date[0] = '\0';
			if (al >= 14 && all_digits(p + 4, 14))
				snprintf(o->fw_date, sizeof(o->fw_date),
					 "%.2s%.2s-%.2s-%.2s %.2s:%.2s:%.2s",
					 (const char *)p + 4,
					 (const char *)p + 6,
					 (const char *)p + 8,
					 (const char *)p + 10,
					 (const char *)p + 12,
					 (const char *)p + 14,
					 (const char *)p + 16);
			break;
		default:
			break;
		}
		off += 4 + al;
	}
	return 0;
}

int
odf_parse_configuration(const uint8_t *b, size_t len, struct odf_config *o)
{
	bool trunc;
	int rc;

	if (o == NULL)
		return ODF_E_USAGE;
	memset(o, 0, sizeof(*o));
	rc = walk_config(b, len, o, true, &trunc);
	if (rc < 0)
		memset(o, 0, sizeof(*o));
	return rc;
}

int
odf_get_configuration(struct odf_dev *dev, struct odf_config *o,
		      struct odf_diag *d)
{
	uint8_t cdb[10], one[64], big[4096];
	size_t n, got;
	bool trunc;
	int rc;
	static const uint16_t late[] = { 0x0104, 0x010c };

	if (o == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "no config record");
	memset(o, 0, sizeof(*o));
	memset(big, 0, sizeof(big));
	n = odf_cdb_get_configuration(cdb, 0, 0, sizeof(big));
	rc = odfi_run_in(dev, cdb, n, big, sizeof(big), ODFI_TMO_SHORT,
			 "GET CONFIGURATION", &got, d);
	if (rc < 0)
		return rc;
	rc = walk_config(big, got, o, true, &trunc);
	if (rc < 0) {
		memset(o, 0, sizeof(*o));
		return odf_diag_set(d, ODF_E_ANSWER, "GET CONFIGURATION returned a "
				    "malformed answer (%zu bytes)", got);
	}
	if (!trunc)
		return 0;
	/* The full list did not fit: ask for the features odflash needs one
	 * by one (RT = 10b: exactly the starting feature). */
	for (size_t i = 0; i < sizeof(late) / sizeof(late[0]); i++) {
		bool t2;
		memset(one, 0, sizeof(one));
		n = odf_cdb_get_configuration(cdb, 2, late[i], sizeof(one));
		if (odfi_run_in(dev, cdb, n, one, sizeof(one), ODFI_TMO_SHORT,
				"GET CONFIGURATION", &got, NULL) == 0)
			walk_config(one, got, o, false, &t2);
	}
	return 0;
}

/* Profile names, MMC-6 5.3.1 Table 87 (the names sg3_utils
 * src/sg_get_config.c prints). */
const char *
odf_profile_name(uint16_t profile, char *buf, size_t len)
{
	static const struct { uint16_t p; const char *n; } t[] = {
		{ 0x0001, "Non-removable disk" }, { 0x0002, "Removable disk" },
		{ 0x0003, "MO erasable" }, { 0x0004, "MO write once" },
		{ 0x0005, "AS-MO" }, { 0x0008, "CD-ROM" }, { 0x0009, "CD-R" },
		{ 0x000a, "CD-RW" }, { 0x0010, "DVD-ROM" },
		{ 0x0011, "DVD-R" }, { 0x0012, "DVD-RAM" },
		{ 0x0013, "DVD-RW restricted overwrite" },
		{ 0x0014, "DVD-RW" }, { 0x0015, "DVD-R DL" },
		{ 0x0016, "DVD-R DL jump" }, { 0x0017, "DVD-RW DL" },
		{ 0x0018, "DVD-Download" }, { 0x001a, "DVD+RW" },
		{ 0x001b, "DVD+R" }, { 0x002a, "DVD+RW DL" },
		{ 0x002b, "DVD+R DL" }, { 0x0040, "BD-ROM" },
		{ 0x0041, "BD-R" }, { 0x0042, "BD-R RRM" },
		{ 0x0043, "BD-RE" }, { 0x0050, "HD DVD-ROM" },
		{ 0x0051, "HD DVD-R" }, { 0x0052, "HD DVD-RAM" },
		{ 0x0053, "HD DVD-RW" }, { 0x0058, "HD DVD-R DL" },
		{ 0x005a, "HD DVD-RW DL" }, { 0xffff, "non-standard" },
	};

	if (buf == NULL || len == 0)
		return "";
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].p == profile) {
			snprintf(buf, len, "%s", t[i].n);
			return buf;
		}
	snprintf(buf, len, "profile 0x%04x", profile);
	return buf;
}

/* ---- GET EVENT STATUS NOTIFICATION, media class ----------------------------- */

/* GET EVENT STATUS NOTIFICATION (4Ah), 10 bytes: 4A | POLLED (bit 0) = 1 |
 * 0 0 | NOTIFICATION CLASS REQUEST | 0 0 | ALLOCATION LENGTH (BE16, 7-8) |
 * CONTROL (MMC-6 6.8; Linux drivers/cdrom/cdrom.c cdrom_get_media_event
 * sends 4A 01 .. 10 .. 00 08). */
size_t
odf_cdb_get_event_status(uint8_t *cdb, uint8_t class_mask, uint16_t alloc)
{
	memset(cdb, 0, 10);
	cdb[0] = 0x4a;
	cdb[1] = 0x01;
	cdb[4] = class_mask;
	odf_put_be16(cdb + 7, alloc);
	return 10;
}

/* Event header: EVENT DATA LENGTH BE16, byte 2 NEA (7) NOTIFICATION CLASS
 * (2-0, 4 = media), byte 3 supported classes; media event descriptor
 * (struct media_event_desc in Linux include/uapi/linux/cdrom.h): byte 4
 * MEDIA EVENT CODE (3-0), byte 5 bit 0 door/tray open, bit 1 media
 * present. */
int
odf_parse_media_event(const uint8_t *b, size_t len,
		      struct odf_media_status *o)
{
	if (o == NULL)
		return ODF_E_USAGE;
	memset(o, 0, sizeof(*o));
	if (b == NULL || len < 4)
		return ODF_E_FORMAT;
	if ((b[2] & 0x80) || (b[2] & 0x07) != 4)
		return ODF_E_UNSUPPORTED;	/* no media event available */
	if (len < 8 || odf_be16(b) < 6)
		return ODF_E_FORMAT;
	o->media_event = b[4] & 0x0f;
	o->tray_open = (b[5] & 0x01) != 0;
	o->media_present = (b[5] & 0x02) != 0;
	return 0;
}

int
odf_get_media_status(struct odf_dev *dev, struct odf_media_status *o,
		     struct odf_diag *d)
{
	uint8_t cdb[10], buf[8] = {0};
	size_t n, got;
	int rc;

	n = odf_cdb_get_event_status(cdb, 0x10, sizeof(buf));
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "GET EVENT STATUS NOTIFICATION", &got, d);
	if (rc < 0)
		return rc;
	rc = odf_parse_media_event(buf, got, o);
	if (rc == ODF_E_UNSUPPORTED)
		return odf_diag_set(d, rc, "the drive reports no media events");
	if (rc < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "GET EVENT STATUS NOTIFICATION "
				    "returned a malformed answer (%zu bytes)",
				    got);
	return 0;
}

/* ---- START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL --------------------------- */

/* START STOP UNIT (1Bh), 6 bytes: byte 4 LOEJ (bit 1), START (bit 0)
 * (SBC-3 5.25 / MMC-6 6.39): start=0 loej=1 ejects, start=1 loej=1
 * loads. */
size_t
odf_cdb_start_stop(uint8_t *cdb, bool start, bool loej)
{
	memset(cdb, 0, 6);
	cdb[0] = 0x1b;
	cdb[4] = (uint8_t)((loej ? 0x02 : 0) | (start ? 0x01 : 0));
	return 6;
}

int
odf_start_stop(struct odf_dev *dev, bool start, bool loej,
	       struct odf_diag *d)
{
	uint8_t cdb[6];
	struct odf_cmd c;
	size_t n = odf_cdb_start_stop(cdb, start, loej);

	odf_cmd_init(&c, cdb, n, ODF_DIR_NONE, NULL, 0, ODFI_TMO_READBUF);
	return odf_scsi_run(dev, &c, "START STOP UNIT", d);
}

/* PREVENT ALLOW MEDIUM REMOVAL (1Eh), 6 bytes: byte 4 PREVENT (bits 1-0;
 * 01b = prevent) (SPC-4 6.13 / MMC-6 6.21). */
size_t
odf_cdb_prevent_allow(uint8_t *cdb, bool prevent)
{
	memset(cdb, 0, 6);
	cdb[0] = 0x1e;
	cdb[4] = prevent ? 0x01 : 0x00;
	return 6;
}

int
odf_prevent_allow(struct odf_dev *dev, bool prevent, struct odf_diag *d)
{
	uint8_t cdb[6];
	struct odf_cmd c;
	size_t n = odf_cdb_prevent_allow(cdb, prevent);

	odf_cmd_init(&c, cdb, n, ODF_DIR_NONE, NULL, 0, ODFI_TMO_SHORT);
	return odf_scsi_run(dev, &c, "PREVENT ALLOW MEDIUM REMOVAL", d);
}

/* ---- REPORT KEY, RPC state --------------------------------------------------- */

/* REPORT KEY (A4h), 12 bytes: A4 | 0 | LBA (2-5) | 0 | KEY CLASS (7) = 0 |
 * ALLOCATION LENGTH (BE16, 8-9) | AGID (7-6) KEY FORMAT (5-0) = 08h RPC
 * state | CONTROL (MMC-6 6.29; Linux drivers/cdrom/cdrom.c
 * dvd_do_auth DVD_LU_SEND_RPC_STATE: cmd[10] = 8, size 8). */
size_t
odf_cdb_report_key_rpc(uint8_t *cdb)
{
	memset(cdb, 0, 12);
	cdb[0] = 0xa4;
	odf_put_be16(cdb + 8, 8);
	cdb[10] = 0x08;
	return 12;
}

/* RPC state (MMC-6 Table "REPORT KEY data format (KEY FORMAT = 08h)";
 * Linux cdrom.c: type = buf[4] >> 6, vra = (buf[4] >> 3) & 7,
 * ucca = buf[4] & 7, region_mask = buf[5], rpc_scheme = buf[6]). */
int
odf_parse_rpc_state(const uint8_t *b, size_t len, struct odf_rpc_state *o)
{
	unsigned playable, count = 0, idx = 0;

	if (o == NULL)
		return ODF_E_USAGE;
	memset(o, 0, sizeof(*o));
	if (b == NULL || len < 8 || odf_be16(b) < 6)
		return ODF_E_FORMAT;
	o->type_code = b[4] >> 6;
	o->vendor_resets = (b[4] >> 3) & 0x07;
	o->user_changes = b[4] & 0x07;
	o->region_mask = b[5];
	o->rpc_scheme = b[6];
	/* a 1 bit in the mask = region NOT playable */
	playable = (unsigned)(~b[5]) & 0xff;
	for (unsigned i = 0; i < 8; i++)
		if (playable & (1u << i)) {
			count++;
			idx = i;
		}
	if (o->type_code == 0 || count == 0)
		o->region = 0;
	else if (count == 1)
		o->region = (int)idx + 1;
	else
		o->region = -1;
	return 0;
}

int
odf_report_rpc(struct odf_dev *dev, struct odf_rpc_state *o,
	       struct odf_diag *d)
{
	uint8_t cdb[12], buf[8] = {0};
	size_t n, got;
	int rc;

	n = odf_cdb_report_key_rpc(cdb);
	rc = odfi_run_in(dev, cdb, n, buf, sizeof(buf), ODFI_TMO_SHORT,
			 "REPORT KEY (RPC state)", &got, d);
	if (rc < 0)
		return rc;
	rc = odf_parse_rpc_state(buf, got, o);
	if (rc < 0)
		return odf_diag_set(d, ODF_E_ANSWER, "REPORT KEY (RPC state) returned a "
				    "malformed answer (%zu bytes)", got);
	return 0;
}
