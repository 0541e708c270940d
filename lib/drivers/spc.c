/* odflash vendor driver: the standard SPC path (WRITE BUFFER 3Bh /
 * READ BUFFER 3Ch), the last and most generic driver.
 *
 * Facts: WRITE BUFFER(10) `3B mode bufid off(BE24) len(BE24) ctrl`, modes
 * 5 (download microcode and save), 7 (with offsets, save), 0Eh (with
 * offsets, defer) and 0Fh (activate deferred microcode); READ BUFFER mode
 * 2 (data), 3 (descriptor: byte 0 = offset boundary 2^n, bytes 1-3 =
 * capacity) -- sg3_utils doc/sg_write_buffer.8 and doc/sg_read_buffer.8
 * (hreinecke/sg3_utils); `--bpw` splits a download into chunks with
 * increasing buffer offsets, 300 s per command, 4 KiB chunks recommended
 * for enclosures.  fwupd plugins/scsi/fu-scsi-device.c: mode 0Eh, 4096-byte
 * chunks.  Linux drivers/scsi/scsi_debug.c raises UNIT ATTENTION 06/3F/16
 * (microcode changed without reset) after a mode 5/7 download, answered to
 * the next command -- a flasher must drain it and resend
 * (docs/internals/rig.md §3).  MMC GET CONFIGURATION feature 0104h =
 * Microcode Upgrade (Aaru MMC feature decoder).
 *
 * Drives that advertise neither (no feature 0104h, no READ BUFFER
 * descriptor) are still taken when they are CD/DVD devices (peripheral
 * device type 5, SPC-4 INQUIRY): Linux scsi_debug ptype=5 accepts WRITE
 * BUFFER without advertising it, QEMU ide-cd/scsi-cd reject it with
 * 05/20/00 (docs/internals/rig.md §2-§3).  Only the first WRITE BUFFER
 * tells, and a drive that rejects it (05/20/00 or 05/24/00) has done
 * nothing: that chunk carries ODF_STEP_REJECT_SAFE, so the pipeline
 * reports a refusal with the drive untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/bytes.h"
#include "odf/vendor.h"
#include "drivers/drivers_int.h"

#define SPC_TIMEOUT_MS 300000u	/* sg_write_buffer default per command */
#define SPC_DEFAULT_CHUNK 0x8000u	/* fits USB bridges' 32 KiB quirk
					   (Linux usb-storage MAX_SECTORS_64) */
#define SPC_MAX_CHUNK 0x10000u
/* ident detail of a drive that advertises no microcode download */
static const char spc_unadvertised[] = "does not advertise microcode "
				       "download; trying WRITE BUFFER";

static int
spc_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	  struct odf_drive_ident *id, struct odf_diag *d)
{
	struct odf_config cfg;
	struct odf_buffer_desc desc;
	bool feature = false, rb = false;

	(void)d;
	if (inq->pdt != 5)
		return 0;
	if (odf_get_configuration(dev, &cfg, NULL) == 0)
		feature = cfg.microcode_upgrade;
	if (odf_read_buffer_desc(dev, 0, &desc, NULL) == 0)
		rb = true;
	id->mode = ODF_MODE_NORMAL;
	snprintf(id->target, sizeof(id->target), "%s", inq->product);
	if (!feature && !rb)
		snprintf(id->detail, sizeof(id->detail), "%s",
			 spc_unadvertised);
	else
		snprintf(id->detail, sizeof(id->detail),
			 "standard WRITE BUFFER path%s%s", feature ?
			 ", Microcode Upgrade feature" : "",
			 rb ? ", READ BUFFER descriptor" : "");
	return 1;
}

static int
spc_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
	       struct odf_path_limits *lim, struct odf_diag *d)
{
	struct odf_buffer_desc desc;
	struct odf_diag rd;
	int rc;

	if (strcmp(id->detail, spc_unadvertised) == 0)
		odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_WARN, "%s %s: the drive %s", id->vendor,
			id->product, spc_unadvertised);
	odf_diag_clear(&rd);
	rc = odf_read_buffer_desc(dev, 0, &desc, &rd);
	if (rc == 0) {
		lim->offset_boundary = desc.offset_boundary >= 31 ? 0 :
				       (uint32_t)1 << desc.offset_boundary;
		lim->buffer_capacity = desc.capacity;
		odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_INFO, "READ BUFFER descriptor: offset "
			"boundary %u bytes, capacity %u bytes",
			lim->offset_boundary, desc.capacity);
		return 0;
	}
	if (rd.sense_valid && (rd.sense_key == ODF_SK_ILLEGAL_REQUEST ||
			       (rd.sense_key == ODF_SK_NOT_READY &&
				rd.asc == 0x3A))) {
		/* No descriptor: chunk conservatively.  QEMU scsi-cd with
		 * an empty tray answers every command it does not know
		 * with MEDIUM NOT PRESENT 02/3A/00 (tests/rig, scen-qemu),
		 * so only the first WRITE BUFFER will tell. */
		odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_INFO, "no READ BUFFER descriptor (%s)", rd.msg);
		return 0;
	}
	if (d)
		*d = rd;
	return rc;
}

static int
spc_dump(struct odf_dev *dev, const struct odf_drive_ident *id,
	 const struct odf_dump_req *req, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(dev);
	struct odf_buffer_desc desc;
	uint32_t chunk = SPC_DEFAULT_CHUNK, align;
	uint8_t *buf;
	int rc;

	(void)id;
	rc = odf_read_buffer_desc(dev, 0, &desc, d);
	if (rc < 0 || desc.capacity == 0) {
		if (rc == 0)
			odf_diag_set(d, ODF_E_UNSUPPORTED,
				     "the drive reports an empty buffer");
		odf_diag_reason(d, ODF_R_NO_DUMP);
		odf_diag_fact_device(d, odfi_vnd_dev_name(dev));
		odf_diag_fact_family(d, ODF_FAMILY_SPC);
		return ODF_E_UNSUPPORTED;
	}
	/* Reads no larger than the path carries (or --chunk), on the
	 * descriptor's offset boundary (SPC-4 READ BUFFER descriptor mode
	 * 03h: offsets are multiples of 2^boundary). */
	if (req && req->max_transfer && req->max_transfer < chunk)
		chunk = (uint32_t)req->max_transfer;
	if (in && in->max_transfer && in->max_transfer < chunk)
		chunk = (uint32_t)in->max_transfer;
	align = desc.offset_boundary < 16 ? 1u << desc.offset_boundary :
		SPC_DEFAULT_CHUNK;
	chunk -= chunk % align;
	if (chunk == 0)
		return odf_diag_set(d, ODF_E_PATH, "the path carries less than "
				    "the drive's READ BUFFER offset unit (%u "
				    "bytes)", align);
	buf = malloc(desc.capacity);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	for (uint32_t off = 0; off < desc.capacity; off += chunk) {
		uint32_t n = desc.capacity - off;

		if (n > chunk)
			n = chunk;
		rc = odf_read_buffer(dev, ODF_RB_MODE_DATA, 0, off, buf + off,
				     n, d);
		if (rc < 0) {
			free(buf);
			if (d && d->sense_valid &&
			    d->sense_key == ODF_SK_ILLEGAL_REQUEST) {
				odf_diag_reason(d, ODF_R_NO_DUMP);
				odf_diag_fact_device(d,
						     odfi_vnd_dev_name(dev));
				odf_diag_fact_family(d, ODF_FAMILY_SPC);
				return ODF_E_UNSUPPORTED;
			}
			return rc;
		}
		if (req && req->progress)
			req->progress(req->progress_ctx, "dump",
				      (uint64_t)off + n, desc.capacity);
	}
	*out = buf;
	*len = desc.capacity;
	return 0;
}

static int
spc_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	 size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	 struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	size_t len = 0, align, chunk, maxc;
	const uint8_t *p = odf_image_data(img, part, &len);
	uint8_t *data, cdb[ODF_CDB_MAX];
	char label[ODF_STEP_LABEL_MAX];
	struct odf_plan_step *s;
	size_t nchunks;
	int rc;

	(void)id;
	if (!p || len == 0)
		return odf_diag_set(d, ODF_E_FORMAT, "the image is empty");
	if (len > 0xFFFFFF)
		return odf_diag_set(d, ODF_E_MISMATCH,
				    "the image (%zu bytes) does not fit the "
				    "24-bit WRITE BUFFER offset", len);
	if (lim && lim->buffer_capacity && len > lim->buffer_capacity)
		return odf_diag_set(d, ODF_E_MISMATCH,
				    "the image (%zu bytes) is larger than the "
				    "drive's buffer (%u bytes)", len,
				    lim->buffer_capacity);
	align = lim && lim->offset_boundary ? lim->offset_boundary : 1;
	if (align > SPC_MAX_CHUNK)
		return odf_diag_set(d, ODF_E_PATH,
				    "offset boundary %zu is larger than any "
				    "chunk odflash sends", align);
	/* Without a path cap, 32 KiB chunks (sg_write_buffer recommends
	 * small chunks for enclosures); a user --chunk may go up to 64 KiB. */
	maxc = lim && lim->forced_chunk ? SPC_MAX_CHUNK : SPC_DEFAULT_CHUNK;
	maxc -= maxc % align;
	rc = odf_plan_choose_chunk(align, maxc, lim, &chunk, d);
	if (rc < 0)
		return rc;
	data = malloc(len);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	memcpy(data, p, len);
	odf_plan_init(plan, "spc");
	odf_plan_set_data(plan, data, len);
	plan->chunk = chunk;
	plan->recovery = recovery;
	nchunks = (len + chunk - 1) / chunk;
	snprintf(plan->what, sizeof(plan->what),
		 "standard WRITE BUFFER mode 7, %zu chunk%s of up to %zu bytes",
		 nchunks, nchunks == 1 ? "" : "s", chunk);
	/* A UA left by something earlier is drained before the first chunk. */
	if (!odf_plan_add_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			       ODFI_DRAIN_LABEL))
		goto nomem;
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		bool last = off + n >= len;

		odf_cdb_write_buffer(cdb, ODF_WB_MODE_DMC_OFFS_SAVE, 0, 0,
				     (uint32_t)off, (uint32_t)n);
		snprintf(label, sizeof(label), "download 0x%06zx+%zu", off, n);
		s = odf_plan_add_cmd(plan, cdb, 10, ODF_DIR_OUT, off, n,
				     SPC_TIMEOUT_MS,
				     (unsigned)((n + 4095) / 4096),
				     (off == 0 ? ODF_STEP_PONR |
				      ODF_STEP_REJECT_SAFE : 0) |
				     (last ? ODF_STEP_MAY_REBOOT : 0), label);
		if (!s)
			goto nomem;
		s->image_bytes = n;
		s->retries = 3;
		s->wait_ms = 100;
	}
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.poll_ms = 120000, .poll_weight = 4,
		.poll_flags = ODF_STEP_SAFE,
		.poll_label = "wait for the drive" }, d);
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static int
spc_verify(struct odf_dev *dev, const struct odf_drive_ident *id,
	   const struct odf_image *img, size_t part, struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(dev);
	size_t len = 0, chunk = SPC_DEFAULT_CHUNK;
	const uint8_t *p = odf_image_data(img, part, &len);
	uint8_t *buf;
	int rc = 0;

	(void)id;
	/* the read-back, like the dump, no larger than the path carries
	 * (docs/internals/protocols.md §1.8) */
	if (in && in->max_transfer && in->max_transfer < chunk)
		chunk = in->max_transfer;
	buf = malloc(len ? len : 1);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;

		rc = odf_read_buffer(dev, ODF_RB_MODE_DATA, 0, (uint32_t)off,
				     buf + off, n, d);
		if (rc < 0)
			break;
	}
	if (rc == 0 && memcmp(buf, p, len) != 0)
		rc = odf_diag_set(d, ODF_E_VERIFY, "the drive's READ BUFFER "
				  "data differs from the image");
	else if (rc < 0 && d && d->sense_valid &&
		 d->sense_key == ODF_SK_ILLEGAL_REQUEST)
		rc = ODF_E_UNSUPPORTED;	/* cannot read back: re-identify only */
	free(buf);
	return rc;
}

static const struct odf_driver_ops spc_ops = {
	.chunk_align = 1,
	.chunk_max = SPC_MAX_CHUNK,
	.dump_ext = ".bin",
	.dump = spc_dump,
	.path_probe = spc_path_probe,
	.plan = spc_plan,
	.verify = spc_verify,
};

const struct odf_driver odf_driver_spc = {
	.name = "spc",
	.description = "standard SPC WRITE BUFFER (microcode download)",
	.family = ODF_FAMILY_SPC,
	.probe = spc_probe,
	.ops = &spc_ops,
};
