/* libFuzzer entry point for the SCSI answer parsers of lib/scsi: what a
 * drive returns for a data-in command, and its sense data.  One source,
 * one target per parser (tools/fuzz.sh, -DODF_FUZZ_TARGET="name"):
 *   inquiry    standard INQUIRY data (odf_parse_inquiry)
 *   vpd        VPD pages 00h and 80h (odf_parse_vpd_pages, _serial)
 *   config     GET CONFIGURATION (odf_parse_configuration)
 *   modesense  MODE SENSE(10) page 2Ah (odf_parse_caps_page)
 *   sense      sense data: parse, text, classes, and the command record
 *              classifier that reads it (odfi_scsi_classify)
 *   bufdesc    READ BUFFER descriptor (odf_parse_buffer_desc)
 *   media      GET EVENT STATUS NOTIFICATION media class
 *   rpc        REPORT KEY RPC state
 * Every parser must keep its strings terminated inside their fields and
 * its counts inside their arrays; anything else aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "odf/scsi.h"
#include "scsi/scsi_int.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inquiry(const uint8_t *b, size_t n)
{
	struct odf_inquiry q;
	char f[32];

	memset(&q, 0xA5, sizeof(q));
	if (odf_parse_inquiry(b, n, &q) == 0) {
		fuzz_terminated(q.vendor, sizeof(q.vendor));
		fuzz_terminated(q.product, sizeof(q.product));
		fuzz_terminated(q.revision, sizeof(q.revision));
		fuzz_terminated(q.vendor_specific, sizeof(q.vendor_specific));
		if (q.raw_len > sizeof(q.raw) || q.raw_len > n)
			abort();
	}
	/* the ASCII field copier every string goes through */
	if (n > 0) {
		size_t fl = 1 + (size_t)b[0] % sizeof(f);

		(void)odfi_ascii_field(b + 1, n - 1, f, fl);
		fuzz_terminated(f, fl);
	}
}

static void
vpd(const uint8_t *b, size_t n)
{
	uint8_t pages[64];
	size_t np = 99;
	char serial[64];
	size_t sl = n > 0 ? 1 + b[0] % sizeof(serial) : sizeof(serial);

	if (odf_parse_vpd_pages(b, n, pages, sizeof(pages), &np) == 0 &&
	    np > sizeof(pages))
		abort();
	if (odf_parse_vpd_serial(b, n, serial, sl) == 0)
		fuzz_terminated(serial, sl);
}

static void
config(const uint8_t *b, size_t n)
{
	struct odf_config c;
	char name[24];

	if (odf_parse_configuration(b, n, &c) == 0) {
		if (c.n_profiles > ODF_MAX_PROFILES)
			abort();
		fuzz_terminated(c.fw_date, sizeof(c.fw_date));
		for (size_t i = 0; i < c.n_profiles; i++)
			fuzz_terminated(odf_profile_name(c.profiles[i], name,
						    sizeof(name)),
				   sizeof(name));
	}
}

static void
sense(const uint8_t *b, size_t n)
{
	struct odf_sense s;
	struct odf_cmd c;
	struct odf_diag d;
	char text[128];
	uint8_t cdb[6] = { 0x12, 0, 0, 0, 36, 0 };

	if (odf_sense_parse(b, n, &s) == 0 && s.valid) {
		fuzz_terminated(odf_sense_text(s.key, s.asc, s.ascq, text,
					  sizeof(text)), sizeof(text));
		(void)odf_sense_class(&s);
	}
	/* the same bytes as the sense of a CHECK CONDITION, with status
	 * and host/driver codes from the first bytes */
	odf_cmd_init(&c, cdb, sizeof(cdb), ODF_DIR_IN, NULL, 0, 1000);
	c.scsi_status = n > 0 ? (b[0] & 1 ? 0x02 : b[0]) : 0x02;
	c.host_status = n > 1 ? b[1] % 16 : 0;
	c.driver_status = n > 2 ? b[2] % 16 : 0;
	c.sense_len = n < ODF_SENSE_MAX ? n : ODF_SENSE_MAX;
	if (c.sense_len)
		memcpy(c.sense, b, c.sense_len);
	odf_diag_clear(&d);
	if (odfi_scsi_classify(&c, "INQUIRY", &d) < 0) {
		if (d.msg[0] == 0)
			abort();
		(void)odf_diag_sense_class(&d);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = fuzz_target("inquiry");

	if (strcmp(t, "inquiry") == 0) {
		inquiry(data, size);
	} else if (strcmp(t, "vpd") == 0) {
		vpd(data, size);
	} else if (strcmp(t, "config") == 0) {
		config(data, size);
	} else if (strcmp(t, "modesense") == 0) {
		struct odf_caps c;

		(void)odf_parse_caps_page(data, size, &c);
	} else if (strcmp(t, "sense") == 0) {
		sense(data, size);
	} else if (strcmp(t, "bufdesc") == 0) {
		struct odf_buffer_desc b;

		(void)odf_parse_buffer_desc(data, size, &b);
	} else if (strcmp(t, "media") == 0) {
		struct odf_media_status m;

		(void)odf_parse_media_event(data, size, &m);
	} else if (strcmp(t, "rpc") == 0) {
		struct odf_rpc_state r;

		if (odf_parse_rpc_state(data, size, &r) == 0 &&
		    (r.region < -1 || r.region > 8))
			abort();
	} else {
		abort();	/* a target name tools/fuzz.sh mistyped */
	}
	return 0;
}
