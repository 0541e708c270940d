/* odflash transport: one command through libsgutils2's pass-through
 * object (sg_pt.h: clear_scsi_pt_obj, set_scsi_pt_*, do_scsi_pt,
 * get_scsi_pt_*; timeouts are in seconds), shared by the Linux (SG_IO,
 * sg_pt_linux.c) and the Windows (SPTI, sg_pt_win32.c) backends. */
#include <limits.h>
#include <stdlib.h>

#include <scsi/sg_pt.h>

#include "transport/backend.h"

#define DEFAULT_TIMEOUT_S 60
#define DRIVER_ERROR_CODE 0x04	/* Linux include/scsi/scsi.h DRIVER_ERROR */

void *
odfi_sgpt_new(size_t size, int fd)
{
	struct odfi_sgpt *s = size >= sizeof(*s) ? calloc(1, size) : NULL;

	if (s && (s->pt = construct_scsi_pt_obj()) == NULL) {
		free(s);
		s = NULL;
	}
	if (s == NULL) {
		scsi_pt_close_device(fd);
		return NULL;
	}
	s->fd = fd;
	return s;
}

void
odfi_sgpt_close(struct odfi_sgpt *s)
{
	destruct_scsi_pt_obj(s->pt);
	scsi_pt_close_device(s->fd);
}

int
odfi_sgpt_exec(struct odf_dev *dev, struct odf_cmd *c)
{
	const struct odfi_sgpt *s = dev->priv;
	struct sg_pt_base *pt = s->pt;
	int fd = s->fd;
	int res, secs, v;

	if (c->len > INT_MAX)
		return ODF_E_USAGE;
	clear_scsi_pt_obj(pt);
	set_scsi_pt_cdb(pt, c->cdb, (int)c->cdb_len);
	set_scsi_pt_sense(pt, c->sense, (int)sizeof(c->sense));
	if (c->dir == ODF_DIR_IN && c->len)
		set_scsi_pt_data_in(pt, c->buf, (int)c->len);
	else if (c->dir == ODF_DIR_OUT && c->len)
		set_scsi_pt_data_out(pt, c->buf, (int)c->len);
	/* do_scsi_pt takes seconds: round up, at least 1. */
	if (c->timeout_ms == 0)
		secs = DEFAULT_TIMEOUT_S;
	else
		secs = (int)((c->timeout_ms + 999u) / 1000u);
	if (secs < 1)
		secs = 1;
	res = do_scsi_pt(pt, fd, secs, 0);
	if (res < 0) {
		c->os_err = -res;
		return 0;
	}
	if (res == SCSI_PT_DO_BAD_PARAMS)
		return ODF_E_USAGE;
	if (res == SCSI_PT_DO_NOT_SUPPORTED)
		return ODF_E_UNSUPPORTED;
	if (res == SCSI_PT_DO_TIMEOUT)
		c->host_status = ODF_HOST_TIME_OUT;
	v = get_scsi_pt_status_response(pt);
	c->scsi_status = v < 0 ? 0 : (uint8_t)v;
	v = get_scsi_pt_sense_len(pt);
	c->sense_len = v < 0 ? 0 : (size_t)v;
	if (c->sense_len > sizeof(c->sense))
		c->sense_len = sizeof(c->sense);
	c->resid = get_scsi_pt_resid(pt);
	v = get_scsi_pt_os_err(pt);
	if (v)
		c->os_err = v;
	v = get_scsi_pt_transport_err(pt);
	if (v)
		c->host_status = (uint16_t)(v & 0xff);
	/* libsgutils has no getter for the driver status: when it calls the
	 * result a transport error and the host status is clean, the driver
	 * status was the cause. */
	if (get_scsi_pt_result_category(pt) ==
	    SCSI_PT_RESULT_TRANSPORT_ERR && c->host_status == 0)
		c->driver_status = DRIVER_ERROR_CODE;
	c->duration_ns = get_pt_duration_ns(pt);
	return 0;
}
