/* odflash SCSI layer: running a command and explaining its outcome.
 * Result categories follow sg3_utils' get_scsi_pt_result_category (see
 * odf_cmd_category); host status names are Linux's DID_* codes
 * (include/scsi/scsi_status.h, sg3_utils lib/sg_lib.c linux_host_bytes). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "odf/ctx.h"
#include "scsi/scsi_int.h"

static const char *
host_status_name(unsigned h)
{
	static const char *const names[] = {
		"ok", "no connection", "bus busy", "timed out",
		"bad target", "aborted", "parity error", "host error",
		"bus reset", "bad interrupt", "passthrough", "soft error",
		"imm retry", "requeue", "transport disrupted",
		"transport failfast", "target failure", "nexus failure",
		"allocation failure", "medium error",
	};
	return h < sizeof(names) / sizeof(names[0]) ? names[h] : "unknown";
}

static const char *
status_name(uint8_t s)
{
	switch (s) {	/* SAM-5 status codes */
	case 0x02: return "CHECK CONDITION (without sense data)";
	case 0x04: return "CONDITION MET";
	case 0x08: return "BUSY";
	case 0x18: return "RESERVATION CONFLICT";
	case 0x28: return "TASK SET FULL";
	case 0x30: return "ACA ACTIVE";
	case 0x40: return "TASK ABORTED";
	default: return "an unexpected status";
	}
}

/* The reason a front end words for the sense classes that have one. */
static enum odf_reason
sense_reason(const struct odf_sense *s)
{
	if (s->key == ODF_SK_ILLEGAL_REQUEST && s->asc == 0x20)
		return ODF_R_COMMAND_UNSUPPORTED;
	if (s->key == ODF_SK_ILLEGAL_REQUEST && s->asc == 0x24)
		return ODF_R_FIELD_REJECTED;
	if (s->key == ODF_SK_UNIT_ATTENTION)
		return ODF_R_UNIT_ATTENTION;
	if (s->key == ODF_SK_NOT_READY && s->asc == 0x04)
		return ODF_R_BECOMING_READY;
	if (s->key == ODF_SK_NOT_READY && s->asc == 0x3a)
		return ODF_R_NO_DISC;
	return ODF_R_NONE;
}

int
odfi_scsi_classify(const struct odf_cmd *c, const char *what,
		   struct odf_diag *d)
{
	struct odf_sense s;
	char txt[256];

	if (what == NULL)
		what = "command";
	if (d)
		snprintf(d->step, sizeof(d->step), "%s", what);
	if (odf_cmd_category(c) == ODF_CAT_OK)
		return 0;
	odf_diag_reason(d, ODF_R_NONE);	/* a new failure, a new reason */
	switch (odf_cmd_category(c)) {
	case ODF_CAT_OK:
		return 0;
	case ODF_CAT_OS:
		if (d)
			d->os_errno = c->os_err;
		if (c->os_err == EINVAL && c->len > 0 &&
		    c->dir != ODF_DIR_NONE) {
			odf_diag_set(d, ODF_E_IO, "%s failed: the operating "
				     "system refused a %zu-byte transfer "
				     "(%s); the path to the drive may not "
				     "carry transfers that large", what,
				     c->len, strerror(c->os_err));
			odf_diag_reason(d, ODF_R_BRIDGE_CAP);
			return ODF_E_IO;
		}
		if (c->os_err == ETIMEDOUT) {
			odf_diag_set(d, ODF_E_TIMEOUT, "%s timed out", what);
			return ODF_E_TIMEOUT;
		}
		odf_diag_set(d, ODF_E_IO, "%s failed: the operating system "
			     "refused it (%s)", what, strerror(c->os_err));
		if (c->os_err == EPERM || c->os_err == EACCES)
			odf_diag_reason(d, ODF_R_WRITE_ACCESS);
		else if (c->os_err == ENODEV || c->os_err == ENXIO)
			odf_diag_reason(d, ODF_R_DRIVE_GONE);
		return ODF_E_IO;
	case ODF_CAT_TRANSPORT:
		if (c->host_status == ODF_HOST_TIME_OUT) {
			odf_diag_set(d, ODF_E_TIMEOUT, "%s timed out after "
				     "%u ms", what, c->timeout_ms ?
				     c->timeout_ms : 60000u);
			odf_diag_reason(d, ODF_R_DRIVE_HUNG);
			return ODF_E_TIMEOUT;
		}
		odf_diag_set(d, ODF_E_TRANSPORT, "%s failed on the path to the "
			     "drive (host status 0x%02x: %s, driver status "
			     "0x%02x)", what, c->host_status,
			     host_status_name(c->host_status),
			     c->driver_status);
		odf_diag_reason(d, ODF_R_PATH_FAILED);
		return ODF_E_TRANSPORT;
	case ODF_CAT_SENSE:
		if (odf_sense_parse(c->sense, c->sense_len, &s) < 0) {
			odf_diag_set(d, ODF_E_SENSE, "%s failed: CHECK "
				     "CONDITION with unreadable sense data "
				     "(%zu bytes, first 0x%02x)", what,
				     c->sense_len, c->sense[0]);
			return ODF_E_SENSE;
		}
		odf_diag_set_sense(d, &s);
		odf_sense_text(s.key, s.asc, s.ascq, txt, sizeof(txt));
		odf_diag_set(d, ODF_E_SENSE, "%s failed: %s%s (%02X/%02X/%02X)",
			     what, s.deferred ? "deferred error: " : "", txt,
			     s.key, s.asc, s.ascq);
		odf_diag_reason(d, sense_reason(&s));
		return ODF_E_SENSE;
	case ODF_CAT_STATUS:
		odf_diag_set(d, ODF_E_TRANSPORT, "%s failed: the drive "
			     "answered %s (status 0x%02x)", what,
			     status_name(c->scsi_status), c->scsi_status);
		if (c->scsi_status == ODF_SAM_BUSY)
			odf_diag_reason(d, ODF_R_DRIVE_BUSY);
		return ODF_E_TRANSPORT;
	}
	return odf_diag_set(d, ODF_E_INTERNAL, "%s: unknown result", what);
}

int
odf_scsi_run(struct odf_dev *dev, struct odf_cmd *c, const char *what,
	     struct odf_diag *d)
{
	int rc;

	if (what == NULL)
		what = "command";
	rc = odf_dev_exec(dev, c);
	if (rc < 0) {
		if (d)
			snprintf(d->step, sizeof(d->step), "%s", what);
		return odf_diag_set(d, rc, "%s could not be sent: %s", what,
				    odf_err_str(rc));
	}
	return odfi_scsi_classify(c, what, d);
}

int
odfi_run_in(struct odf_dev *dev, const uint8_t *cdb, size_t cdb_len,
	    void *buf, size_t len, unsigned timeout_ms, const char *what,
	    size_t *got, struct odf_diag *d)
{
	struct odf_cmd c;
	int rc;

	*got = 0;
	odf_cmd_init(&c, cdb, cdb_len, len ? ODF_DIR_IN : ODF_DIR_NONE, buf,
		     len, timeout_ms);
	rc = odf_scsi_run(dev, &c, what, d);
	if (rc < 0)
		return rc;
	if (c.resid < 0 || (size_t)c.resid > len)
		*got = len;	/* nonsense residual: trust the request */
	else
		*got = len - (size_t)c.resid;
	return 0;
}

bool
odfi_ascii_field(const uint8_t *src, size_t n, char *dst, size_t dst_len)
{
	size_t i, start = 0, end;
	bool ok = true;

	for (end = 0; end < n && src[end] != 0; end++)
		if (src[end] < 0x20 || src[end] > 0x7e)
			ok = false;
	while (start < end && src[start] == ' ')
		start++;
	while (end > start && src[end - 1] == ' ')
		end--;
	if (dst_len == 0)
		return ok;
	for (i = 0; start < end && i + 1 < dst_len; start++, i++)
		dst[i] = (src[start] < 0x20 || src[start] > 0x7e) ? '?' :
			 (char)src[start];
	dst[i] = '\0';
	return ok;
}

/* TEST UNIT READY until no UNIT ATTENTION is pending.  Pending UAs are
 * reported once each (SAM-5 5.14 unit attention condition); a drive that
 * was just flashed queues 06/29/xx and 06/3F/01 (Linux
 * drivers/scsi/scsi_debug.c), so a few tries are normal. */
int
odf_drain_unit_attention(struct odf_dev *dev, unsigned max_tries,
			 struct odf_diag *d)
{
	uint8_t cdb[6];
	struct odf_cmd c;
	struct odf_sense s;
	size_t n = odf_cdb_test_unit_ready(cdb);
	int rc;

	if (max_tries == 0)
		max_tries = 1;
	for (unsigned i = 0; i < max_tries; i++) {
		odf_cmd_init(&c, cdb, n, ODF_DIR_NONE, NULL, 0,
			     ODFI_TMO_SHORT);
		rc = odf_dev_exec(dev, &c);
		if (rc < 0)
			return odf_diag_set(d, rc, "TEST UNIT READY could not "
					    "be sent: %s", odf_err_str(rc));
		if (odf_cmd_category(&c) == ODF_CAT_SENSE &&
		    odf_sense_parse(c.sense, c.sense_len, &s) == 0 &&
		    (odf_sense_class(&s) & ODF_SC_UA)) {
			odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_DEBUG, "unit attention %02X/%02X/%02X "
				"drained", s.key, s.asc, s.ascq);
			continue;
		}
		if (odf_cmd_category(&c) == ODF_CAT_OK ||
		    odf_cmd_category(&c) == ODF_CAT_SENSE)
			return 0;	/* not a UA: e.g. 02/3A/00 no disc */
		return odfi_scsi_classify(&c, "TEST UNIT READY", d);
	}
	if (d)
		snprintf(d->step, sizeof(d->step), "TEST UNIT READY");
	odf_diag_set(d, ODF_E_SENSE, "the drive still reports a unit "
		     "attention after %u tries", max_tries);
	odf_diag_reason(d, ODF_R_DRIVE_STUCK);
	return ODF_E_SENSE;
}
