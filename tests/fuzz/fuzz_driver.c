/* libFuzzer entry point for what the drivers of lib/drivers make of a
 * drive's answers: a fake transport ("fz:", registered with
 * odf_transport_register) answers every command from the fuzz input, so
 * a drive that lies, answers short, or answers garbage is what each
 * driver's identify code meets.  Targets (tools/fuzz.sh,
 * -DODF_FUZZ_TARGET="name"):
 *   drv-identify  odf_identify_drive: INQUIRY, VPD 80h, every probe;
 *   drv-NAME      INQUIRY, then driver NAME's probe alone and, when it
 *                 takes the drive, its read-only path_probe and
 *                 read_bootcode.
 * The input is a list of answers, one per command in the order sent:
 *   byte K; K % 4 == 0: GOOD, then a 16-bit little-endian length L and
 *                       L data bytes (cut to the command's length and
 *                       to what is left of the input);
 *           K % 4 == 1: CHECK CONDITION, then a length byte and that
 *                       many sense bytes (at most ODF_SENSE_MAX);
 *           K % 4 == 2: GOOD with no data (resid = the whole length);
 *           K % 4 == 3: the transport fails (DID_NO_CONNECT).
 * Past the end of the input every command fails at the transport, so a
 * probe always ends.  Each result must be terminated strings; a probe
 * that sends more than 4096 commands aborts (a loop). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "odf/plan.h"
#include "odf/scsi.h"
#include "odf/transport.h"
#include "odf/vendor.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in;
static size_t in_len, in_pos, n_cmds;

static int
fz_open(void **priv, const char *name, unsigned flags,
	struct odf_dev_info *info, struct odf_diag *d)
{
	(void)name;
	(void)d;
	*priv = NULL;
	info->bus = ODF_BUS_SCSI;
	info->writable = (flags & ODF_OPEN_WRITE) != 0;
	return 0;
}

static int
fz_exec(void *priv, struct odf_cmd *c)
{
	uint8_t k;
	size_t l;

	(void)priv;
	if (++n_cmds > 4096)
		abort();	/* the driver loops on its answers */
	c->resid = (int32_t)c->len;
	if (in_pos >= in_len) {
		c->host_status = 0x01;	/* DID_NO_CONNECT */
		return 0;
	}
	k = in[in_pos++];
	switch (k % 4) {
	case 0:
		l = in_pos + 2 <= in_len ?
		    (size_t)(in[in_pos] | in[in_pos + 1] << 8) : 0;
		in_pos = in_pos + 2 <= in_len ? in_pos + 2 : in_len;
		if (l > in_len - in_pos)
			l = in_len - in_pos;
		if (c->dir == ODF_DIR_IN) {
			if (l > c->len)
				l = c->len;
			if (l)
				memcpy(c->buf, in + in_pos, l);
			c->resid = (int32_t)(c->len - l);
		} else {
			c->resid = 0;
		}
		in_pos += l;
		break;
	case 1:
		l = in_pos < in_len ? in[in_pos++] : 0;
		if (l > ODF_SENSE_MAX)
			l = ODF_SENSE_MAX;
		if (l > in_len - in_pos)
			l = in_len - in_pos;
		memcpy(c->sense, in + in_pos, l);
		c->sense_len = l;
		c->scsi_status = 0x02;
		in_pos += l;
		break;
	case 2:
		break;
	default:
		c->host_status = 0x01;
		break;
	}
	return 0;
}

static void
fz_close(void *priv)
{
	(void)priv;
}

static const struct odf_backend_ops fz_ops = {
	.name = "fuzz",
	.prefix = "fz:",
	.open = fz_open,
	.exec = fz_exec,
	.close = fz_close,
};

static void
check_ident(const struct odf_drive_ident *id)
{
	fuzz_terminated(id->vendor, sizeof(id->vendor));
	fuzz_terminated(id->product, sizeof(id->product));
	fuzz_terminated(id->revision, sizeof(id->revision));
	fuzz_terminated(id->serial, sizeof(id->serial));
	fuzz_terminated(id->target, sizeof(id->target));
	fuzz_terminated(id->bootcode, sizeof(id->bootcode));
	fuzz_terminated(id->variant, sizeof(id->variant));
	fuzz_terminated(id->oem, sizeof(id->oem));
	fuzz_terminated(id->driver, sizeof(id->driver));
	fuzz_terminated(id->detail, sizeof(id->detail));
}

/* One driver: INQUIRY from the input, its probe, then its read-only
 * extras when it took the drive. */
static void
one_driver(struct odf_dev *dev, const struct odf_driver *drv)
{
	struct odf_inquiry inq;
	struct odf_drive_ident id;
	struct odf_diag d;

	odf_diag_clear(&d);
	if (odf_inquiry(dev, &inq, &d) < 0)
		return;
	memset(&id, 0, sizeof(id));
	snprintf(id.vendor, sizeof(id.vendor), "%s", inq.vendor);
	snprintf(id.product, sizeof(id.product), "%s", inq.product);
	snprintf(id.revision, sizeof(id.revision), "%s", inq.revision);
	odf_diag_clear(&d);
	if (drv->probe(dev, &inq, &id, &d) != 1) {
		check_ident(&id);
		return;
	}
	check_ident(&id);
	if (drv->ops != NULL && drv->ops->path_probe != NULL) {
		struct odf_path_limits lim;

		memset(&lim, 0, sizeof(lim));
		odf_diag_clear(&d);
		(void)drv->ops->path_probe(dev, &id, &lim, &d);
	}
	if (drv->ops != NULL && drv->ops->read_bootcode != NULL) {
		odf_diag_clear(&d);
		(void)drv->ops->read_bootcode(dev, &id, &d);
		check_ident(&id);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct odf_driver *drv;
	static bool ready;
	struct odf_dev *dev = NULL;
	struct odf_diag d;

	if (!ready) {
		const char *t = fuzz_target("drv-identify");

		if (odf_transport_register(&fz_ops) < 0)
			abort();
		if (strcmp(t, "drv-identify") != 0 &&
		    (strncmp(t, "drv-", 4) != 0 ||
		     (drv = odf_driver_by_name(t + 4)) == NULL))
			abort();	/* a target name tools/fuzz.sh mistyped */
		ready = true;
	}
	in = data;
	in_len = size;
	in_pos = 0;
	n_cmds = 0;
	odf_diag_clear(&d);
	if (odf_dev_open("fz:drive", 0, &dev, &d) < 0)
		abort();
	if (drv == NULL) {
		struct odf_drive_ident id;
		const struct odf_driver *got = NULL;

		if (odf_identify_drive(dev, &id, &got, &d) == 0)
			check_ident(&id);
	} else {
		one_driver(dev, drv);
	}
	odf_dev_close(dev);
	return 0;
}
