/* odflash vendor driver, NEC / Optiarc: the reads (binflash
 * necinterface.cpp DumpFirmware, RetrieveBootcodeVersion; necinternal.cpp
 * ReadRAM, ReadBoot; sources named in nec.c and at each command). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/bytes.h"
#include "odf/vendor.h"
#include "drivers/nec_int.h"

/* RetrieveBootcodeVersion: INQUIRY; if not in safe mode enter it; INQUIRY
 * "0.NN" gives bootcode "NN"; leave safe mode if we entered it. */
int
odfi_nec_read_bootcode(struct odf_dev *dev, struct odf_drive_ident *id,
		  struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_model_by_id(id->target);
	struct odf_inquiry inq;
	bool entered = false;
	int rc;

	if (!m)
		return odf_diag_set(d, ODF_E_UNSUPPORTED,
				    "no safe-mode ID known for drive ID '%s'",
				    id->target);
	rc = odf_inquiry(dev, &inq, d);
	if (rc < 0)
		return rc;
	if (!odfi_nec_rev_is_safe(inq.revision)) {
		rc = odfi_nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0)
			return rc;
		entered = true;
		rc = odf_inquiry(dev, &inq, d);
	}
	if (rc == 0 && inq.revision[0] == '0' && inq.revision[1] == '.') {
		id->bootcode[0] = inq.revision[2];
		id->bootcode[1] = inq.revision[3];
		id->bootcode[2] = '\0';
	} else if (rc == 0) {
		rc = odf_diag_set(d, ODF_E_UNSUPPORTED,
				  "the drive did not report a bootcode version "
				  "in safe mode (revision '%s')", inq.revision);
	}
	if (entered) {
		int lrc = odfi_nec_safe_mode(dev, m->drive_id, false,
					rc < 0 ? NULL : d);
		if (rc == 0)
			rc = lrc;
	}
	return rc;
}

/* ---- reading the flash ----------------------------------------------------- */
static int
nec_read_range(struct odf_dev *dev, uint32_t start, uint32_t end,
	       uint8_t dump_id, uint8_t *out, const struct odf_dump_req *req,
	       uint64_t base, uint64_t total, struct odf_diag *d)
{
	for (uint32_t a = start; a < end; a += NEC_DUMP_BLOCK) {
		int rc = odfi_nec_read_ram(dev, a, out + (a - start),
				      NEC_DUMP_BLOCK, dump_id, d);
		if (rc < 0) {
			if (d)
				snprintf(d->step, sizeof(d->step),
					 "read flash at 0x%06x", a);
			return rc;
		}
		if (req && req->progress)
			req->progress(req->progress_ctx, "dump",
				      base + (a - start) + NEC_DUMP_BLOCK, total);
	}
	return 0;
}

int
odfi_nec_dump(struct odf_dev *dev, const struct odf_drive_ident *id,
	 const struct odf_dump_req *req, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_flashable(id, d);
	const struct nec_layout_info *L;
	struct odf_drive_ident bid;
	uint32_t start, end;
	size_t n, o;
	uint8_t *buf;
	bool entered = false;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &odfi_nec_layouts[m->layout];
	start = req && req->raw ? 0 : L->body_start;
	end = req && req->raw ? L->flash_size : L->body_start + L->body_len;
	n = (size_t)(end - start) + 2 + 4 + 2;
	buf = malloc(n);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	/* Newer drives answer ReadRAM with flash contents only in safe mode
	 * and with the dump ID (necinterface.cpp DumpFirmware). */
	if (m->dump_id && id->mode == ODF_MODE_NORMAL) {
		rc = odfi_nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0)
			goto fail;
		entered = true;
	}
	rc = nec_read_range(dev, start, end, m->dump_id, buf, req, 0,
			    end - start, d);
	if (rc < 0)
		goto fail;
	o = end - start;
	if (req && req->raw)
		goto done;
	if (L->csum_after_body) {
		odf_put_be16(buf + o, odf_sum_be16(buf, o));
		o += 2;
	}
	memcpy(buf + o, m->drive_id, 4);
	o += 4;
	/* The bootcode goes after the ID when it can be read (binflash
	 * reads it after the dump; "0.NN" in safe mode). */
	bid = *id;
	bid.bootcode[0] = '\0';
	if (entered) {
		struct odf_inquiry inq;

		if (odf_inquiry(dev, &inq, NULL) == 0 &&
		    inq.revision[0] == '0' && inq.revision[1] == '.') {
			bid.bootcode[0] = inq.revision[2];
			bid.bootcode[1] = inq.revision[3];
			bid.bootcode[2] = '\0';
		}
	} else if (id->mode == ODF_MODE_NORMAL) {
		if (odfi_nec_read_bootcode(dev, &bid, NULL) < 0)
			bid.bootcode[0] = '\0';
	}
	if (strlen(bid.bootcode) == 2) {
		memcpy(buf + o, bid.bootcode, 2);
		o += 2;
	} else {
		odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_WARN, "bootcode version not readable: the "
			"dump carries no bootcode");
	}
done:
	if (entered) {
		rc = odfi_nec_safe_mode(dev, m->drive_id, false, d);
		entered = false;
		if (rc < 0)
			goto fail;
	}
	*out = buf;
	*len = o;
	return 0;
fail:
	if (entered)
		odfi_nec_safe_mode(dev, m->drive_id, false, NULL);
	free(buf);
	return rc;
}

int
odfi_nec_verify(struct odf_dev *dev, const struct odf_drive_ident *id,
	   const struct odf_image *img, size_t part, struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_flashable(id, d);
	const struct nec_layout_info *L;
	const uint8_t *body;
	uint16_t csum;
	uint8_t *buf;
	bool entered = false;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &odfi_nec_layouts[m->layout];
	rc = odfi_nec_image_body(m, img, part, &body, &csum, d);
	if (rc < 0)
		return rc;
	buf = malloc(L->body_len);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (m->dump_id && id->mode == ODF_MODE_NORMAL) {
		rc = odfi_nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0)
			goto out;
		entered = true;
	}
	rc = nec_read_range(dev, L->body_start, L->body_start + L->body_len,
			    m->dump_id, buf, NULL, 0, 0, d);
	if (rc == 0) {
		for (size_t i = 0; i < L->body_len; i++)
			if (buf[i] != body[i]) {
				rc = odf_diag_set(d, ODF_E_VERIFY,
						  "the drive's flash differs "
						  "from the image at 0x%06zx "
						  "(flash 0x%06zx)", i,
						  L->body_start + i);
				break;
			}
	}
out:
	if (entered) {
		int lrc = odfi_nec_safe_mode(dev, m->drive_id, false,
					rc < 0 ? NULL : d);
		if (rc == 0)
			rc = lrc;
	}
	free(buf);
	return rc;
}

int
odfi_nec_read_boot(struct odf_dev *dev, const struct odf_drive_ident *id,
	      uint8_t **out, size_t *len, struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_flashable(id, d);
	uint32_t n;
	uint8_t cdb[12], *buf;
	bool entered = false;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	n = odfi_nec_boot_len(m->layout);
	buf = malloc(n);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (id->mode == ODF_MODE_NORMAL) {
		rc = odfi_nec_safe_mode(dev, m->drive_id, true, d);
		if (rc < 0) {
			free(buf);
			return rc;
		}
		entered = true;
	} else {
		/* ReadBoot answers in safe mode only; a drive that booted
		 * into its boot code after losing its firmware is asked to
		 * enter it (a refusal just means it is there already) */
		(void)odfi_nec_safe_mode(dev, m->drive_id, true, NULL);
	}
	odfi_nec_cdb_read_boot(cdb);
	rc = odfi_nec_run(dev, cdb, ODF_DIR_IN, buf, n, "ReadBoot", d);
	if (entered) {
		int lrc = odfi_nec_safe_mode(dev, m->drive_id, false,
					rc < 0 ? NULL : d);
		if (rc == 0)
			rc = lrc;
	}
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = n;
	return 0;
}
