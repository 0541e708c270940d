/* odflash driver layer: helpers shared by the family drivers
 * (lib/drivers/drivers_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/drivers_int.h"

bool
odfi_vnd_in_boot_code(struct odf_dev *dev)
{
	struct odf_config cfg;
	struct odf_diag cd;

	odf_diag_clear(&cd);
	if (odf_get_configuration(dev, &cfg, &cd) == 0)
		return false;
	return cd.sense_valid && cd.sense_key == ODF_SK_ILLEGAL_REQUEST;
}

/* Both starts: the image part copied into one buffer with `extra` zero
 * bytes after it; size 0 takes a part of any size. */
static int
plan_start(struct odf_plan *plan, const char *driver,
	   const struct odf_image *img, size_t part, bool recovery,
	   const char *what, size_t size, size_t extra, size_t *len,
	   struct odf_diag *d)
{
	const uint8_t *p = odf_image_data(img, part, len);
	uint8_t *data;

	if (!p || *len == 0)
		return odf_diag_set(d, ODF_E_FORMAT, "the image is empty");
	if (size && *len != size)
		return odf_diag_set(d, ODF_E_MISMATCH, "%s image is %zu bytes, "
				    "not %zu", what, size, *len);
	data = malloc(*len + extra);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	memcpy(data, p, *len);
	memset(data + *len, 0, extra);
	odf_plan_init(plan, driver);
	odf_plan_set_data(plan, data, *len + extra);
	plan->recovery = recovery;
	return 0;
}

int
odfi_vnd_plan_start(struct odf_plan *plan, const char *driver,
		    const struct odf_image *img, size_t part, bool recovery,
		    size_t *len, struct odf_diag *d)
{
	return plan_start(plan, driver, img, part, recovery, NULL, 0, 0, len,
			  d);
}

int
odfi_vnd_plan_start_sized(struct odf_plan *plan, const char *driver,
			  const struct odf_image *img, size_t part,
			  bool recovery, const char *what, size_t size,
			  size_t extra, size_t *len, struct odf_diag *d)
{
	return plan_start(plan, driver, img, part, recovery, what, size,
			  extra, len, d);
}

int
odfi_vnd_verify_identity(struct odf_dev *dev, const struct odf_drive_ident *id,
			 const struct odf_image *img, size_t part,
			 struct odf_diag *d)
{
	const struct odf_image_info *info = odf_image_info(img, part);
	struct odf_inquiry inq;
	const char *want;
	int rc;

	(void)id;
	rc = odf_inquiry(dev, &inq, d);
	if (rc < 0)
		return rc;
	want = info && info->revision[0] ? info->revision :
	       (info ? info->version : "");
	if (want[0] && strncmp(inq.revision, want, 4) != 0)
		return odf_diag_set(d, ODF_E_VERIFY, "the drive reports "
				    "revision '%s', the image is '%.4s'",
				    inq.revision, want);
	return odf_diag_set(d, ODF_E_UNSUPPORTED, "this protocol cannot read "
			    "the firmware back: verified by the drive's "
			    "identity only");
}

struct odf_plan_step *
odfi_vnd_cmd(struct odf_plan *plan, const uint8_t *cdb, size_t cdb_len,
	     enum odf_dir dir, size_t off, size_t len, unsigned timeout_ms,
	     unsigned weight, unsigned flags, const char *label)
{
	struct odf_plan_step *s = odf_plan_add_cmd(plan, cdb, cdb_len, dir,
						   off, len, timeout_ms,
						   weight, flags, label);

	if (!s)
		odf_plan_release(plan);
	return s;
}

struct odf_plan_step *
odfi_vnd_kind(struct odf_plan *plan, enum odf_step_kind k, unsigned ms,
	      unsigned weight, unsigned flags, const char *label)
{
	struct odf_plan_step *s = odf_plan_add_kind(plan, k, ms, weight, flags,
						    label);

	if (!s)
		odf_plan_release(plan);
	return s;
}

int
odfi_vnd_come_back(struct odf_plan *plan, const struct odfi_come_back *cb,
		   struct odf_diag *d)
{
	if ((cb->wait_label && !odfi_vnd_kind(plan, ODF_STEP_WAIT, cb->wait_ms,
					      cb->wait_weight, 0,
					      cb->wait_label)) ||
	    (cb->reopen_label && !odfi_vnd_kind(plan, ODF_STEP_REOPEN, 0, 0, 0,
						cb->reopen_label)) ||
	    !odfi_vnd_kind(plan, ODF_STEP_POLL_READY, cb->poll_ms,
			   cb->poll_weight, cb->poll_flags, cb->poll_label) ||
	    !odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0, ODFI_DRAIN_LABEL))
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	return 0;
}

int
odfi_vnd_run(struct odf_dev *dev, const uint8_t *cdb, size_t cdb_len,
	     enum odf_dir dir, void *buf, size_t len, unsigned timeout_ms,
	     const char *what, struct odf_diag *d)
{
	struct odf_cmd c;

	odf_cmd_init(&c, cdb, cdb_len, dir, buf, len, timeout_ms);
	return odf_scsi_run(dev, &c, what, d);
}

bool
odfi_vnd_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *
odfi_vnd_dev_name(const struct odf_dev *dev)
{
	const struct odf_dev_info *in = dev ? odf_dev_get_info(dev) : NULL;

	return in ? in->name : "";
}

int
odfi_vnd_fixed_chunk(const struct odf_path_limits *lim, size_t takes,
		     const char *who, struct odf_diag *d)
{
	size_t c;

	if (lim && lim->forced_chunk && lim->forced_chunk != takes) {
		odf_diag_reason(d, ODF_R_CHUNK_REFUSED);
		odf_diag_fact_bytes(d, lim->forced_chunk, takes);
		return odf_diag_set(d, ODF_E_USAGE, "a chunk of %zu bytes was "
				    "asked: %s takes exactly %zu bytes per "
				    "write", lim->forced_chunk, who, takes);
	}
	/* the block itself through the path: the forced chunk left is
	 * none or exactly the block, which odf_plan_choose_chunk takes as
	 * it takes none */
	return odf_plan_choose_chunk(takes, takes, lim, &c, d);
}
