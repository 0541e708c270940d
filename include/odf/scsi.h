/* odflash: SPC and MMC commands.
 *
 * Each command comes as three pieces so that every byte can be tested:
 *   odf_cdb_X()    builds the CDB into a caller buffer, returns its length;
 *   odf_parse_X()  parses a data-in answer (good, short or garbage);
 *   odf_X()        runs it on a device and fills a struct.
 * Sources: SPC-4/MMC-6 field layouts as documented by sg3_utils
 * (doc/sg_write_buffer.8, doc/sg_read_buffer.8, include/sg_cmds_*.h) and
 * the Aaru MMC feature decoder, cited at each function.
 */
#ifndef ODF_SCSI_H
#define ODF_SCSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/error.h"
#include "odf/transport.h"

/* ---- sense ------------------------------------------------------------ */
struct odf_sense {
	bool valid;		/* a recognised response code 70h-73h */
	bool descriptor;	/* 72h/73h */
	bool deferred;		/* 71h/73h */
	bool truncated;		/* shorter than its additional length says */
	uint8_t response_code;
	uint8_t key, asc, ascq;
	bool info_valid;
	uint64_t info;
};
#define ODF_SK_NO_SENSE 0x0
#define ODF_SK_RECOVERED 0x1
#define ODF_SK_NOT_READY 0x2
#define ODF_SK_MEDIUM_ERROR 0x3
#define ODF_SK_HARDWARE_ERROR 0x4
#define ODF_SK_ILLEGAL_REQUEST 0x5
#define ODF_SK_UNIT_ATTENTION 0x6
#define ODF_SK_ABORTED 0xB

/* Parse fixed or descriptor sense; returns 0, or ODF_E_FORMAT for garbage
 * (out->valid false). */
int odf_sense_parse(const uint8_t *s, size_t len, struct odf_sense *out);
/* Plain-language text "Not ready: Medium not present" from libsgutils2's
 * tables; always NUL-terminates buf. */
const char *odf_sense_text(uint8_t key, uint8_t asc, uint8_t ascq,
			   char *buf, size_t len);

/* Sense classes a caller acts on (a bit set; SPC-4 sense key and ASC
 * tables, as sg3_utils prints them):
 *  NO_MEDIUM    02/3A/xx MEDIUM NOT PRESENT;
 *  STOPPED      02/04/02 LOGICAL UNIT NOT READY, INITIALIZING COMMAND
 *               REQUIRED: stopped until a START UNIT (Linux scsi_debug
 *               answers so after START STOP UNIT START=0:
 *               drivers/scsi/scsi_debug.c resp_start_stop);
 *  REFUSED      the command was refused before the drive acted on it:
 *               05/20/00 INVALID COMMAND OPERATION CODE, 05/24/00
 *               INVALID FIELD IN CDB (the CDB is checked first), or
 *               02/3A/xx (not performed at all);
 *  UA           key 6 UNIT ATTENTION (the command was not executed);
 *  FATAL        keys 3, 4, 5 (MEDIUM ERROR, HARDWARE ERROR, ILLEGAL
 *               REQUEST): the drive gave up rather than being busy;
 *  TRAY_LOCKED  ASC 53h (53/00 MEDIA LOAD OR EJECT FAILED, 53/02 MEDIUM
 *               REMOVAL PREVENTED), any key. */
#define ODF_SC_NO_MEDIUM 0x01u
#define ODF_SC_STOPPED 0x02u
#define ODF_SC_REFUSED 0x04u
#define ODF_SC_UA 0x08u
#define ODF_SC_FATAL 0x10u
#define ODF_SC_TRAY_LOCKED 0x20u
/* The classes of s; 0 when s is NULL or not valid sense. */
unsigned odf_sense_class(const struct odf_sense *s);
/* The classes of the sense a diag holds; 0 when d is NULL or holds none. */
unsigned odf_diag_sense_class(const struct odf_diag *d);
/* Copy key/ASC/ASCQ of valid sense s into d (sense_valid = 1); nothing
 * when d is NULL or s is not valid. */
void odf_diag_set_sense(struct odf_diag *d, const struct odf_sense *s);

/* Run a command and classify it: 0 on GOOD; otherwise a negative odf_err
 * (ODF_E_SENSE, ODF_E_TRANSPORT, ODF_E_TIMEOUT, ODF_E_IO) with diag filled
 * (sense fields, a sentence naming the command).  `what` names the command
 * for messages ("INQUIRY"). */
int odf_scsi_run(struct odf_dev *dev, struct odf_cmd *c, const char *what,
		 struct odf_diag *d);
/* Send TEST UNIT READY until no UNIT ATTENTION is pending (at most
 * max_tries).  Returns 0 when the last answer was not a UA. */
int odf_drain_unit_attention(struct odf_dev *dev, unsigned max_tries,
			     struct odf_diag *d);

/* ---- INQUIRY (12h) ----------------------------------------------------- */
struct odf_inquiry {
	uint8_t pdt;		/* peripheral device type, 5 = CD/DVD */
	bool removable;
	uint8_t version;
	char vendor[9], product[17], revision[5];	/* trimmed */
	char vendor_specific[21];	/* bytes 36..55 as text (Pioneer date) */
	uint8_t raw[96];
	size_t raw_len;
};
size_t odf_cdb_inquiry(uint8_t *cdb, bool evpd, uint8_t page,
		       uint16_t alloc);
int odf_parse_inquiry(const uint8_t *b, size_t len, struct odf_inquiry *o);
int odf_inquiry(struct odf_dev *dev, struct odf_inquiry *o,
		struct odf_diag *d);
/* VPD 00h: supported pages; VPD 80h: unit serial number (trimmed). */
int odf_parse_vpd_pages(const uint8_t *b, size_t len, uint8_t *pages,
			size_t max, size_t *n);
int odf_parse_vpd_serial(const uint8_t *b, size_t len, char *serial,
			 size_t serial_len);
int odf_inquiry_serial(struct odf_dev *dev, char *serial, size_t len,
		       struct odf_diag *d);

/* ---- TEST UNIT READY (00h), REQUEST SENSE (03h) ------------------------- */
size_t odf_cdb_test_unit_ready(uint8_t *cdb);
/* 0 = ready; ODF_E_SENSE with *s filled (e.g. 02/3A/00 no medium). */
int odf_test_unit_ready(struct odf_dev *dev, struct odf_sense *s,
			struct odf_diag *d);
size_t odf_cdb_request_sense(uint8_t *cdb, uint8_t alloc);
int odf_request_sense(struct odf_dev *dev, struct odf_sense *s,
		      struct odf_diag *d);

/* ---- MODE SENSE(10) (5Ah) page 2Ah ------------------------------------- */
struct odf_caps {		/* MM capabilities page 2Ah */
	bool cdr_read, cdrw_read, dvdrom_read, dvdr_read, dvdram_read;
	bool cdr_write, cdrw_write, dvdr_write, dvdram_write;
	uint8_t loading_mech;	/* 0 caddy, 1 tray, 2 popup, 4+ changer */
	bool eject_supported;
};
size_t odf_cdb_mode_sense10(uint8_t *cdb, uint8_t page, uint16_t alloc);
int odf_parse_caps_page(const uint8_t *b, size_t len, struct odf_caps *o);
int odf_mode_sense_caps(struct odf_dev *dev, struct odf_caps *o,
			struct odf_diag *d);

/* ---- GET CONFIGURATION (46h) ------------------------------------------- */
#define ODF_MAX_PROFILES 32
struct odf_config {
	uint16_t current_profile;
	uint16_t profiles[ODF_MAX_PROFILES];
	size_t n_profiles;
	bool microcode_upgrade;	/* feature 0104h present */
	bool m5;		/* 0104h version >= 1, byte 4 bit 0 */
	bool fw_info;		/* feature 010Ch present */
	char fw_date[20];	/* "YYYY-MM-DD hh:mm:ss" from 010Ch, or "" */
};
size_t odf_cdb_get_configuration(uint8_t *cdb, uint8_t rt,
				 uint16_t start_feature, uint16_t alloc);
int odf_parse_configuration(const uint8_t *b, size_t len,
			    struct odf_config *o);
int odf_get_configuration(struct odf_dev *dev, struct odf_config *o,
			  struct odf_diag *d);
/* "DVD+RW", "BD-R", ... or "profile 0x%04x" into buf. */
const char *odf_profile_name(uint16_t profile, char *buf, size_t len);

/* ---- GET EVENT STATUS NOTIFICATION (4Ah), media class ------------------ */
struct odf_media_status {
	bool media_present;
	bool tray_open;
	uint8_t media_event;	/* low nibble of byte 4 */
};
size_t odf_cdb_get_event_status(uint8_t *cdb, uint8_t class_mask,
				uint16_t alloc);
int odf_parse_media_event(const uint8_t *b, size_t len,
			  struct odf_media_status *o);
int odf_get_media_status(struct odf_dev *dev, struct odf_media_status *o,
			 struct odf_diag *d);

/* ---- START STOP UNIT (1Bh), PREVENT ALLOW MEDIUM REMOVAL (1Eh) ---------- */
size_t odf_cdb_start_stop(uint8_t *cdb, bool start, bool loej);
int odf_start_stop(struct odf_dev *dev, bool start, bool loej,
		   struct odf_diag *d);
size_t odf_cdb_prevent_allow(uint8_t *cdb, bool prevent);
int odf_prevent_allow(struct odf_dev *dev, bool prevent,
		      struct odf_diag *d);

/* ---- READ BUFFER (3Ch) / WRITE BUFFER (3Bh) ---------------------------- */
#define ODF_RB_MODE_DATA 0x02
#define ODF_RB_MODE_DESCRIPTOR 0x03
#define ODF_RB_MODE_VENDOR6 0x06
#define ODF_WB_MODE_DMC 0x04		/* download microcode, activate */
#define ODF_WB_MODE_DMC_SAVE 0x05
#define ODF_WB_MODE_DMC_OFFS 0x06
#define ODF_WB_MODE_DMC_OFFS_SAVE 0x07
#define ODF_WB_MODE_DMC_OFFS_DEFER 0x0E
#define ODF_WB_MODE_ACTIVATE 0x0F
size_t odf_cdb_read_buffer(uint8_t *cdb, uint8_t mode, uint8_t buf_id,
			   uint32_t offset, uint32_t len);
size_t odf_cdb_write_buffer(uint8_t *cdb, uint8_t mode, uint8_t mspec,
			    uint8_t buf_id, uint32_t offset, uint32_t len);
int odf_read_buffer(struct odf_dev *dev, uint8_t mode, uint8_t buf_id,
		    uint32_t offset, void *buf, size_t len,
		    struct odf_diag *d);
struct odf_buffer_desc {
	uint8_t offset_boundary;	/* offsets are multiples of 2^n */
	uint32_t capacity;		/* bytes */
};
int odf_parse_buffer_desc(const uint8_t *b, size_t len,
			  struct odf_buffer_desc *o);
int odf_read_buffer_desc(struct odf_dev *dev, uint8_t buf_id,
			 struct odf_buffer_desc *o, struct odf_diag *d);
int odf_write_buffer(struct odf_dev *dev, uint8_t mode, uint8_t buf_id,
		     uint32_t offset, const void *buf, size_t len,
		     unsigned timeout_ms, struct odf_diag *d);

/* ---- REPORT KEY (A4h) format 08h: RPC state ----------------------------- */
struct odf_rpc_state {
	uint8_t type_code;	/* 0 no region set, 1 region set, 2 last change,
				   3 permanent */
	uint8_t vendor_resets;	/* resets left */
	uint8_t user_changes;	/* changes left */
	uint8_t region_mask;	/* 1 bits = regions NOT playable */
	uint8_t rpc_scheme;	/* 0 unknown (RPC I?), 1 RPC II */
	int region;		/* 1..8, 0 = none set, -1 = several */
};
size_t odf_cdb_report_key_rpc(uint8_t *cdb);
int odf_parse_rpc_state(const uint8_t *b, size_t len,
			struct odf_rpc_state *o);
int odf_report_rpc(struct odf_dev *dev, struct odf_rpc_state *o,
		   struct odf_diag *d);

#endif
