/* libodemu-preload.so: the ioctls of Linux's sr and sg drivers, answered
 * through the emulated drive's own target code (odemu_exec), as the
 * kernel would: every answer that depends on the drive is the drive's
 * answer to the SCSI command the kernel sends for it.
 *
 * Sources (read there; facts in our words):
 *  - torvalds/linux@002c6ca7 drivers/scsi/scsi_ioctl.c: scsi_ioctl() (what
 *    sg and sr both accept: SG_GET_VERSION_NUM 30527, SG_IO, SCSI_IOCTL_
 *    GET_IDLUN = id | lun<<8 | channel<<16 | host<<24, SCSI_IOCTL_GET_BUS_
 *    NUMBER = host, CDROMEJECT / CDROMCLOSETRAY = START STOP UNIT with
 *    byte 4 = 2 / 3), scsi_cdrom_send_packet() (CDROM_SEND_PACKET: a
 *    12-byte CDB, CGC_DATA_* to SG_DXFER_*, timeout in clock ticks, sense
 *    into cgc.sense, EIO on any non-GOOD status, else stat 0 and buflen =
 *    residual), sg_io() (EINVAL for data with no direction).
 *  - torvalds/linux@4f9a10bc drivers/cdrom/cdrom.c: cdrom_ioctl_eject (no
 *    CDC_OPEN_TRAY: ENOSYS; other openers or keeplocked: EBUSY; unlock,
 *    then tray_move), _closetray, _lock_door, _get_capability (capability
 *    & ~mask), _drive_status, cdrom_get_media_event (GET EVENT STATUS
 *    NOTIFICATION, polled, media class, 8 bytes), cdrom_release (the
 *    last close unlocks the door unless keeplocked).
 *  - torvalds/linux@70a02f84 drivers/scsi/sr_ioctl.c: sr_tray_move,
 *    sr_lock_door (PREVENT ALLOW MEDIUM REMOVAL), sr_drive_status (TUR,
 *    then 2/04/01, then the media event, then 2/04/02, 2/04/xx, ASC 3Ah),
 *    sr_read_tochdr (READ TOC, 12 bytes, first/last track from bytes 2-3),
 *    sr_read_tocentry (READ TOC for one track: control, ADR, address),
 *    sr_do_ioctl (NOT READY: ENOMEDIUM; 05/20/00: EDRIVE_CANT_DO_THIS;
 *    UNIT ATTENTION: retried; else EIO).
 *  - torvalds/linux@001aac25 drivers/scsi/sr.c: SR_CAPABILITIES and
 *    get_capabilities (the mask from MM capabilities page 2Ah).
 *  - Linux drivers/scsi/sg.c sg_version_num 30536 (sg 3.5.36) for sg nodes.
 * The sg driver hands the CDROM* tray ioctls it does not know to
 * scsi_ioctl(); CDROM_DRIVE_STATUS, CDROM_GET_CAPABILITY, CDROM_LOCKDOOR
 * and CDROMREADTOCHDR exist only on sr (sg answers ENOTTY, INFERRED: what
 * libata's ata_scsi_ioctl returns for an ioctl it does not know).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <linux/cdrom.h>
#include <scsi/scsi.h>
#include <scsi/sg.h>
#include <string.h>
#include <unistd.h>

#include "odemu/odemu.h"
#include "preload.h"

#define SG_VERSION_SG 30536	/* drivers/scsi/sg.c */
#define SG_VERSION_SCSI 30527	/* drivers/scsi/scsi_ioctl.c sg_get_version */
#ifndef SG_DXFER_UNKNOWN
#define SG_DXFER_UNKNOWN (-5)	/* Linux include/scsi/sg.h */
#endif
#define USER_HZ_MS 10		/* clock_t ticks are 1/100 s */
#define TUR_RETRIES 3		/* sr.c MAX_RETRIES */
#define IOCTL_RETRIES 10	/* sr_do_ioctl: UNIT ATTENTION retries */
#define SR_CAPABILITIES (CDC_CLOSE_TRAY | CDC_OPEN_TRAY | CDC_LOCK | \
	CDC_SELECT_SPEED | CDC_SELECT_DISC | CDC_MULTI_SESSION | CDC_MCN | \
	CDC_MEDIA_CHANGED | CDC_PLAY_AUDIO | CDC_RESET | CDC_DRIVE_STATUS | \
	CDC_CD_R | CDC_CD_RW | CDC_DVD | CDC_DVD_R | CDC_DVD_RAM | \
	CDC_GENERIC_PACKET | CDC_MRW | CDC_MRW_W | CDC_RAM)

/* SCSI_IOCTL_GET_IDLUN's record (Linux include/scsi/scsi_ioctl.h). */
struct scsi_idlun_rec {
	int dev_id;
	int host_unique_id;
};

/* ---- SG_IO ------------------------------------------------------------------ */
/* SG_IO v3: translate, run, copy back (Linux include/scsi/sg.h). */
static int
sg_io(struct odemu *e, sg_io_hdr_t *h)
{
	struct odf_cmd c;
	size_t sl;

	if (h->interface_id != 'S' || h->iovec_count != 0) {
		errno = h->interface_id != 'S' ? ENOSYS : EINVAL;
		return -1;
	}
	if (h->cmd_len < 6 || h->cmd_len > ODF_CDB_MAX || h->cmdp == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(&c, 0, sizeof(c));
	memcpy(c.cdb, h->cmdp, h->cmd_len);
	c.cdb_len = h->cmd_len;
	switch (h->dxfer_direction) {
	case SG_DXFER_NONE: c.dir = ODF_DIR_NONE; break;
	case SG_DXFER_TO_DEV: c.dir = ODF_DIR_OUT; break;
	case SG_DXFER_FROM_DEV:
	case SG_DXFER_TO_FROM_DEV: c.dir = ODF_DIR_IN; break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (c.dir != ODF_DIR_NONE && h->dxfer_len > 0) {
		if (h->dxferp == NULL) {
			errno = EFAULT;
			return -1;
		}
		c.buf = h->dxferp;
		c.len = h->dxfer_len;
	} else {
		c.dir = ODF_DIR_NONE;
	}
	c.timeout_ms = h->timeout;
	odemu_exec(e, &c);
	if (c.os_err) {
		errno = c.os_err;
		return -1;
	}
	h->status = c.scsi_status;
	h->masked_status = (unsigned char)((c.scsi_status >> 1) & 0x7F);
	h->msg_status = 0;
	h->host_status = c.host_status;
	h->driver_status = c.driver_status;
	if (c.scsi_status == 0x02 && c.sense_len)
		h->driver_status |= 0x08;	/* DRIVER_SENSE */
	sl = c.sense_len < h->mx_sb_len ? c.sense_len : h->mx_sb_len;
	if (sl && h->sbp)
		memcpy(h->sbp, c.sense, sl);
	h->sb_len_wr = (unsigned char)sl;
	h->resid = c.resid;
	h->duration = (unsigned)(c.duration_ns / 1000000u);
	h->info = (c.scsi_status || c.host_status || c.driver_status) ?
		  SG_INFO_CHECK : 0;
	return 0;
}

/* CDROM_SEND_PACKET: scsi_cdrom_send_packet's translation to SG_IO. */
static int
send_packet(struct odemu *e, struct cdrom_generic_command *cgc)
{
	sg_io_hdr_t h;

	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	h.cmd_len = CDROM_PACKET_SIZE;
	h.cmdp = cgc->cmd;
	h.dxfer_len = cgc->buflen;
	h.dxferp = cgc->buffer;
	switch (cgc->data_direction) {
	case CGC_DATA_UNKNOWN: h.dxfer_direction = SG_DXFER_UNKNOWN; break;
	case CGC_DATA_WRITE: h.dxfer_direction = SG_DXFER_TO_DEV; break;
	case CGC_DATA_READ: h.dxfer_direction = SG_DXFER_FROM_DEV; break;
	case CGC_DATA_NONE: h.dxfer_direction = SG_DXFER_NONE; break;
	default:
		errno = EINVAL;
		return -1;
	}
	/* sg_io(): a transfer needs a direction; no transfer needs none */
	if (h.dxfer_len == 0)
		h.dxfer_direction = SG_DXFER_NONE;
	else if (h.dxfer_direction != SG_DXFER_TO_DEV &&
		 h.dxfer_direction != SG_DXFER_FROM_DEV) {
		errno = EINVAL;
		return -1;
	}
	h.sbp = (unsigned char *)cgc->sense;
	h.mx_sb_len = cgc->sense ? sizeof(struct request_sense) : 0;
	h.timeout = cgc->timeout > 0 ? (unsigned)cgc->timeout * USER_HZ_MS :
		    0;
	if (sg_io(e, &h) < 0)
		return -1;
	if (h.status) {
		errno = EIO;
		return -1;
	}
	cgc->stat = 0;
	cgc->buflen = (unsigned)h.resid;
	return 0;
}

/* ---- commands the kernel itself sends --------------------------------------- */
struct ksense {
	uint8_t key, asc, ascq;
	bool valid;
};

/* scsi_execute(): cmd_len = COMMAND_SIZE(opcode) (SPC-4 4.2.5.1: groups
 * 0: 6, 1-2: 10, 5: 12 bytes). */
static size_t
command_size(uint8_t op)
{
	switch (op >> 5) {
	case 0: return 6;
	case 1:
	case 2: return 10;
	case 4: return 16;
	case 5: return 12;
	default: return 10;
	}
}

/* Run one command: 0 GOOD, 1 CHECK CONDITION (sense in *s), -errno when
 * the drive could not be reached (power cut, gone). */
static int
kcmd(struct odemu *e, const uint8_t *cdb, enum odf_dir dir, void *buf,
     size_t len, struct ksense *s)
{
	struct odf_cmd c;

	memset(&c, 0, sizeof(c));
	memset(s, 0, sizeof(*s));
	c.cdb_len = command_size(cdb[0]);
	memcpy(c.cdb, cdb, c.cdb_len);
	c.dir = len ? dir : ODF_DIR_NONE;
	c.buf = len ? buf : NULL;
	c.len = len;
	c.timeout_ms = 30000;
	odemu_exec(e, &c);
	if (c.os_err)
		return -c.os_err;
	if (c.host_status || (c.driver_status & ~0x08u))
		return -EIO;
	if (c.scsi_status == 0)
		return 0;
	/* fixed (70h/71h) or descriptor (72h/73h) sense, SPC-4 4.5 */
	if (c.sense_len >= 14 && (c.sense[0] & 0x7E) == 0x70) {
		s->key = c.sense[2] & 0x0F;
		s->asc = c.sense[12];
		s->ascq = c.sense[13];
		s->valid = true;
	} else if (c.sense_len >= 4 && (c.sense[0] & 0x7E) == 0x72) {
		s->key = c.sense[1] & 0x0F;
		s->asc = c.sense[2];
		s->ascq = c.sense[3];
		s->valid = true;
	}
	return 1;
}

/* sr_do_ioctl's errno for a packet from the cdrom layer. */
static int
sr_packet(struct odemu *e, const uint8_t *cdb, void *buf, size_t len)
{
	struct ksense s;
	int rc = 0;

	for (int tries = 0; tries <= IOCTL_RETRIES; tries++) {
		rc = kcmd(e, cdb, ODF_DIR_IN, buf, len, &s);
		if (rc <= 0)
			return rc;
		if (!(s.valid && s.key == 0x06))	/* UNIT ATTENTION */
			break;
	}
	if (s.valid && s.key == 0x06)
		return -ENOMEDIUM;
	if (s.valid && s.key == 0x02)		/* NOT READY */
		return -ENOMEDIUM;
	if (s.valid && s.key == 0x05 && s.asc == 0x20 && s.ascq == 0)
		return -EDRIVE_CANT_DO_THIS;
	return -EIO;
}

/* scsi_test_unit_ready: repeated while the drive reports UNIT ATTENTION. */
static int
test_unit_ready(struct odemu *e, struct ksense *s)
{
	static const uint8_t tur[6] = { 0x00 };
	int rc = 0;

	for (int i = 0; i < TUR_RETRIES; i++) {
		rc = kcmd(e, tur, ODF_DIR_NONE, NULL, 0, s);
		if (rc != 1 || !(s->valid && s->key == 0x06))
			break;
	}
	return rc;
}

/* ioctl_internal_command (scsi_ioctl.c): no retry; on a removable
 * device a UNIT ATTENTION counts as done (the command did not run: the
 * attention is consumed and the device marked changed); any other CHECK
 * CONDITION gives the SCSI result, status 02h, which the ioctl returns
 * as a positive value. */
static int
internal_command(struct odemu *e, const uint8_t *cdb)
{
	struct ksense s;
	int rc = kcmd(e, cdb, ODF_DIR_NONE, NULL, 0, &s);

	if (rc <= 0)
		return rc;
	return (s.valid && s.key == 0x06) ? 0 : 0x02;
}

/* START STOP UNIT (1Bh) with LoEj, byte 4: 2 = eject, 3 = load.  sr's
 * tray_move goes through sr_do_ioctl (NOT READY: ENOMEDIUM, else EIO);
 * scsi_ioctl's scsi_send_start_stop through internal_command. */
static int
tray_move(struct odemu *e, uint8_t how)
{
	uint8_t cdb[6] = { 0x1B, 0, 0, 0, how, 0 };
	int rc = sr_packet(e, cdb, NULL, 0);

	return rc;
}

static int
start_stop(struct odemu *e, uint8_t how)
{
	uint8_t cdb[6] = { 0x1B, 0, 0, 0, how, 0 };

	return internal_command(e, cdb);
}

/* PREVENT ALLOW MEDIUM REMOVAL (1Eh): scsi_set_medium_removal. */
static int
medium_removal(struct odemu *e, bool prevent)
{
	uint8_t cdb[6] = { 0x1E, 0, 0, 0, prevent ? 1 : 0, 0 };

	return internal_command(e, cdb);
}

/* sr's get_capabilities: MODE SENSE(10) page 2Ah, and the CDC_* bits the
 * page says the drive lacks.  The kernel probes once, when sr attaches;
 * we probe on the first ioctl of a descriptor that needs it. */
static uint32_t
caps_mask(struct pl_fd *f)
{
	static const uint8_t ms[10] = { 0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128, 0 };
	uint8_t b[128];
	struct ksense s;
	uint32_t mask = 0;
	size_t n;
	const uint8_t *p;

	if (f->caps_known)
		return f->caps_mask;
	memset(b, 0, sizeof(b));
	if (kcmd(f->e, ms, ODF_DIR_IN, b, sizeof(b), &s) != 0 ||
	    (n = 8u + (size_t)(b[6] << 8 | b[7])) + 7 > sizeof(b) ||
	    (b[n] & 0x3F) != 0x2A) {
		/* "scsi-1 drive": no capabilities page */
		mask = CDC_CD_R | CDC_CD_RW | CDC_DVD_R | CDC_DVD |
		       CDC_DVD_RAM | CDC_SELECT_DISC | CDC_SELECT_SPEED |
		       CDC_MRW | CDC_MRW_W | CDC_RAM;
	} else {
		p = b + n;
		if ((p[6] >> 5) == 0)		/* caddy: cannot close */
			mask |= CDC_CLOSE_TRAY;
		if (!(p[2] & 0x08))
			mask |= CDC_DVD;
		if (!(p[3] & 0x20))
			mask |= CDC_DVD_RAM;
		if (!(p[3] & 0x10))
			mask |= CDC_DVD_R;
		if (!(p[3] & 0x02))
			mask |= CDC_CD_RW;
		if (!(p[3] & 0x01))
			mask |= CDC_CD_R;
		if (!(p[6] & 0x08))		/* no eject */
			mask |= CDC_OPEN_TRAY;
		mask |= CDC_SELECT_DISC;	/* not a changer */
	}
	f->caps_mask = mask;
	f->caps_known = true;
	return mask;
}

static bool
can(struct pl_fd *f, uint32_t bit)
{
	return (SR_CAPABILITIES & ~caps_mask(f) & bit) != 0;
}

/* sr_drive_status: CDS_* from TUR, the media event, the sense. */
static int
drive_status(struct odemu *e)
{
	static const uint8_t gesn[10] = { 0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0 };
	uint8_t b[8];
	struct ksense s, g;
	int rc = test_unit_ready(e, &s);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return CDS_DISC_OK;
	if (s.valid && s.key == 0x02 && s.asc == 0x04 && s.ascq == 0x01)
		return CDS_DRIVE_NOT_READY;
	memset(b, 0, sizeof(b));
	if (kcmd(e, gesn, ODF_DIR_IN, b, sizeof(b), &g) == 0 &&
	    (b[0] << 8 | b[1]) >= 4 && !(b[2] & 0x80) && (b[2] & 7) == 4) {
		if (b[5] & 0x02)
			return CDS_DISC_OK;
		return (b[5] & 0x01) ? CDS_TRAY_OPEN : CDS_NO_DISC;
	}
	if (s.valid && s.key == 0x02 && s.asc == 0x04 && s.ascq == 0x02)
		return CDS_TRAY_OPEN;
	if (s.valid && s.key == 0x02 && s.asc == 0x04)
		return CDS_DISC_OK;
	return (s.valid && s.asc == 0x3A) ? CDS_NO_DISC : CDS_TRAY_OPEN;
}

static int
fail(int neg_errno)
{
	errno = -neg_errno;
	return -1;
}

/* CDROMREADTOCENTRY: cdrom.c asks sr_read_tocentry for MSF and converts
 * to LBA when the caller asked LBA (sanitize_format: frames + 75 x
 * (seconds - 2 + 60 x minutes)). */
static int
read_tocentry(struct odemu *e, struct cdrom_tocentry *te)
{
	uint8_t cdb[10] = { 0x43, 0x02, 0, 0, 0, 0, 0, 0, 12, 0 };
	uint8_t b[12];
	int rc;

	if (te->cdte_format != CDROM_MSF && te->cdte_format != CDROM_LBA)
		return fail(-EINVAL);
	cdb[6] = te->cdte_track;
	memset(b, 0, sizeof(b));
	rc = sr_packet(e, cdb, b, sizeof(b));
	if (rc < 0)
		return fail(rc);
	te->cdte_ctrl = b[5] & 0x0F;
	te->cdte_adr = b[5] >> 4;
	te->cdte_datamode = (te->cdte_ctrl & 0x04) ? 1 : 0;
	if (te->cdte_format == CDROM_MSF) {
		te->cdte_addr.msf.minute = b[9];
		te->cdte_addr.msf.second = b[10];
		te->cdte_addr.msf.frame = b[11];
	} else {
		te->cdte_addr.lba = b[11] + 75 * (b[10] - 2 + 60 * b[9]);
	}
	return 0;
}

static int
cdrom_ioctl1(struct pl_fd *f, unsigned long req, void *arg)
{
	int rc;

	switch (req) {
	case CDROMEJECT:
		if (!can(f, CDC_OPEN_TRAY))
			return INT_MIN;		/* ENOSYS: on to scsi_ioctl */
		if (odemu_pl_use_count(f->map) != 1 ||
		    odemu_pl_keeplocked(f->map))
			return fail(-EBUSY);
		rc = medium_removal(f->e, false);
		if (rc == 0)
			rc = tray_move(f->e, 2);
		return rc < 0 ? fail(rc) : rc;
	case CDROMCLOSETRAY:
		if (!can(f, CDC_CLOSE_TRAY))
			return INT_MIN;
		rc = tray_move(f->e, 3);
		return rc < 0 ? fail(rc) : 0;
	case CDROM_LOCKDOOR: {
		/* the argument is an int passed in the pointer's place */
		bool lock = (int)(intptr_t)arg != 0;

		odemu_pl_set_keeplocked(f->map, lock);
		if (odemu_pl_use_count(f->map) != 1 && !lock &&
		    geteuid() != 0)	/* capable(CAP_SYS_ADMIN) */
			return fail(-EBUSY);
		rc = medium_removal(f->e, lock);
		return rc < 0 ? fail(rc) : rc;
	}
	case CDROM_GET_CAPABILITY:
		return (int)(SR_CAPABILITIES & ~caps_mask(f));
	case CDROM_DRIVE_STATUS:
		/* no changer: any slot argument reads the current one */
		rc = drive_status(f->e);
		return rc < 0 ? fail(rc) : rc;
	case CDROMREADTOCHDR: {
		uint8_t cdb[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 12, 0 };
		uint8_t b[12];
		struct cdrom_tochdr *th = arg;

		memset(b, 0, sizeof(b));
		rc = sr_packet(f->e, cdb, b, sizeof(b));
		if (rc < 0)
			return fail(rc);
		th->cdth_trk0 = b[2];
		th->cdth_trk1 = b[3];
		return 0;
	}
	case CDROMREADTOCENTRY:
		return read_tocentry(f->e, arg);
	default:
		return INT_MIN;
	}
}

/* The cdrom layer's ioctls (sr only); false for one it does not know
 * (cdrom.c's ENOSYS, which sr hands on to scsi_ioctl). */
static bool
cdrom_ioctl(struct pl_fd *f, unsigned long req, void *arg, int *ret)
{
	*ret = cdrom_ioctl1(f, req, arg);
	return *ret != INT_MIN;
}

void
odemu_pl_release(struct pl_fd *f)
{
	/* cdrom_release: the last close of the block device unlocks the
	 * door unless CDROM_LOCKDOOR asked to keep it locked */
	if (f->kind == PL_SR && odemu_pl_use_count(f->map) == 1 &&
	    !odemu_pl_keeplocked(f->map))
		(void)medium_removal(f->e, false);
}

int
odemu_pl_ioctl(struct pl_fd *f, unsigned long req, void *arg)
{
	int rc;

	if (f->kind == PL_SR && cdrom_ioctl(f, req, arg, &rc))
		return rc;
	switch (req) {
	case SG_IO:
		return sg_io(f->e, arg);
	case CDROM_SEND_PACKET:
		return send_packet(f->e, arg);
	case SG_GET_VERSION_NUM:
		*(int *)arg = f->kind == PL_SR ? SG_VERSION_SCSI :
			      SG_VERSION_SG;
		return 0;
	case SCSI_IOCTL_GET_IDLUN: {
		struct scsi_idlun_rec *id = arg;
		/* target 0, lun 0, channel 0 */
		id->dev_id = (int)((f->host & 0xFFu) << 24);
		id->host_unique_id = (int)f->host;
		return 0;
	}
	case SCSI_IOCTL_GET_BUS_NUMBER:
		*(int *)arg = (int)f->host;
		return 0;
	case SG_GET_SCSI_ID: {
		struct sg_scsi_id *id = arg;
		if (f->kind == PL_SR)
			break;
		memset(id, 0, sizeof(*id));
		id->host_no = (int)f->host;
		id->scsi_type = 5;	/* every odemu model is an MMC drive */
		id->h_cmd_per_lun = 1;
		id->d_queue_depth = 1;
		return 0;
	}
	case CDROMEJECT:	/* scsi_ioctl: scsi_send_start_stop */
	case CDROMCLOSETRAY:
		rc = start_stop(f->e, req == CDROMEJECT ? 2 : 3);
		return rc < 0 ? fail(rc) : rc;
	case SG_GET_RESERVED_SIZE:
		*(int *)arg = (int)(odemu_max_transfer(f->e) ?
				    odemu_max_transfer(f->e) : 1u << 20);
		return 0;
	case SG_SET_RESERVED_SIZE:
	case SG_SET_TIMEOUT:
	case SG_SET_COMMAND_Q:
	case SG_SET_KEEP_ORPHAN:
	case SG_SET_FORCE_PACK_ID:
		return 0;
	case SG_GET_TIMEOUT:
		return 60 * 100;
	case SG_EMULATED_HOST:
		/* scsi_ioctl's sg_emulated_host: 1 ("ATAPI") on sr */
		*(int *)arg = f->kind == PL_SR ? 1 : 0;
		return 0;
	default:
		break;
	}
	errno = ENOTTY;
	return -1;
}
