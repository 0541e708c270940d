/* odemu mmc: the SPC/MMC commands every emulated drive answers the way
 * the Linux sr driver and sg3_utils expect (docs/internals/rig.md §4:
 * the sr probe at attach time is INQUIRY + VPD 00/80, TUR, MODE SENSE(6)
 * 2Ah, GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, PREVENT ALLOW).
 *
 * Field layouts: SPC-4/MMC-6 as documented by sg3_utils (sg_inq, sg_vpd,
 * sg_modes, sg_get_config, sg_turs, sg_requests man pages and
 * include/sg_cmds_basic.h) and the Linux kernel's drivers/scsi/sr.c,
 * drivers/cdrom/cdrom.c (struct mode_page_header, event_header,
 * media_event_desc, rpc_state_t in include/uapi/linux/cdrom.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"
#include "odf/image.h"

/* ---- SPC / MMC commands ---------------------------------------------------- */
#define DISC_SECTORS 2295104u	/* the emulated disc: single-layer DVD */

static bool
media_present(const struct odemu *e)
{
	return e->st.disc && !e->st.tray_open;
}

static void
not_ready_no_medium(struct odemu *e, struct odf_cmd *c)
{
	/* MEDIUM NOT PRESENT - TRAY CLOSED 3Ah/01h, - TRAY OPEN 3Ah/02h
	 * (SPC-4 ASC table as listed by sg3_utils lib/sg_lib_data.c): an MMC
	 * drive knows where its tray is and says so; QPxTool's pxfw waits for
	 * exactly 02/3A/01 or 02/3A/02 (speed47/qpxtool@fc1cf4c
	 * lib/qpxtransport/qpx_mmc.cpp:wait_unit_ready, need_media 0) */
	odemu_sense(c, ODEMU_SK_NOT_READY, 0x3A, e->st.tray_open ? 0x02 : 0x01);
}

void
odemu_inquiry_std(const struct odemu *e, uint8_t *b, size_t n)
{
	memset(b, 0, n);
	b[0] = 0x05;			/* PDT 5: CD/DVD */
	b[1] = 0x80;			/* RMB */
	b[2] = e->model->inq_version;
	b[3] = 0x02;			/* response data format 2 */
	b[4] = (uint8_t)(n - 5);
	odemu_fmt_put_id(b + 8, e->vendor, e->product, e->revision);
}

static void
cmd_inquiry(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[96];
	size_t alloc = odf_be16(c->cdb + 3);
	bool evpd = c->cdb[1] & 1;

	memset(b, 0, sizeof(b));
	if (c->cdb[1] & 0x02) {			/* CmdDt: obsolete */
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
		return;
	}
	if (!evpd) {
		if (c->cdb[2]) {
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
			return;
		}
		odemu_inquiry_std(e, b, sizeof(b));
		odemu_data_in(c, b, sizeof(b), alloc);
		return;
	}
	switch (c->cdb[2]) {
	case 0x00:				/* supported VPD pages */
		/* a drive without a serial number offers no page 80h
		 * (SPC-4 7.8.19: the page is optional) */
		b[0] = 0x05; b[1] = 0x00; b[3] = e->st.serial[0] ? 2 : 1;
		b[4] = 0x00; b[5] = 0x80;
		odemu_data_in(c, b, 4 + b[3], alloc);
		return;
	case 0x80: {				/* unit serial number */
		size_t l = strlen(e->st.serial);

		if (l == 0) {
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
			return;
		}
		b[0] = 0x05; b[1] = 0x80; b[3] = (uint8_t)l;
		memcpy(b + 4, e->st.serial, l);
		odemu_data_in(c, b, 4 + l, alloc);
		return;
	}
	default:
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
	}
}

static void
cmd_request_sense(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[18], asc, ascq;

	memset(b, 0, sizeof(b));
	b[0] = 0x70;
	b[7] = 10;
	if (odemu_pop_ua(e, &asc, &ascq)) {
		b[2] = ODEMU_SK_UNIT_ATTENTION;
		b[12] = asc;
		b[13] = ascq;
	}
	odemu_data_in(c, b, sizeof(b), c->cdb[4]);
}

/* MM Capabilities page 2Ah (MMC-3 6.3.11; Linux cdrom.h struct
 * mode_page_header / sr.c get_capabilities reads bytes 2..6). */
static size_t
caps_page(const struct odemu *e, uint8_t *p)
{
	memset(p, 0, 28);
	p[0] = 0x2A;
	p[1] = 26;
	p[2] = 0x1F;	/* read CD-R, CD-RW, method 2, DVD-ROM, DVD-R */
	p[3] = 0x13;	/* write CD-R, CD-RW, DVD-R */
	p[4] = 0x71;	/* audio play, composite, digital ports, mode 2 form 2 */
	p[5] = 0x03;	/* CD-DA commands, accurate */
	/* loading mechanism 001b tray, eject, lock; bit 1 the lock state
	 * (a PREVENT MEDIUM REMOVAL in force, MMC-3 6.3.11 Table 361) */
	p[6] = (uint8_t)(0x29 | (e->st.prevent ? 0x02 : 0));
	p[7] = 0x03;	/* separate volume / mute */
	odf_put_be16(p + 8, 8467);	/* max read speed (obsolete), kB/s */
	odf_put_be16(p + 10, 256);	/* volume levels */
	odf_put_be16(p + 12, 2048);	/* buffer size, KiB */
	odf_put_be16(p + 14, 8467);
	odf_put_be16(p + 18, 8467);	/* max write speed */
	odf_put_be16(p + 20, 8467);
	return 28;
}

static void
cmd_mode_sense(struct odemu *e, struct odf_cmd *c, bool ten)
{
	uint8_t b[64];
	uint8_t page = c->cdb[2] & 0x3F;
	size_t hl = ten ? 8 : 4, n;
	size_t alloc = ten ? odf_be16(c->cdb + 7) : c->cdb[4];

	(void)e;
	if ((c->cdb[2] >> 6) == 3) {		/* saved values */
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x39, 0);
		return;
	}
	if (page != 0x2A && page != 0x3F) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
		return;
	}
	memset(b, 0, sizeof(b));
	n = hl + caps_page(e, b + hl);
	if (ten)
		odf_put_be16(b, (uint32_t)(n - 2));
	else
		b[0] = (uint8_t)(n - 1);
	odemu_data_in(c, b, n, alloc);
}

/* GET CONFIGURATION (MMC-6 5.2, feature layouts as decoded by the Aaru
 * MMC feature decoder and sg3_utils sg_get_config):
 * 0000h profile list, 0001h core, 0003h removable medium, 0104h
 * microcode upgrade (version 1, byte 4 bit 0 = M5), 010Ch firmware
 * information (ASCII century, year, month, day, hour, minute, second at
 * bytes 4..17) (docs/internals/protocols.md §1.6). */
static void
cmd_get_configuration(struct odemu *e, struct odf_cmd *c)
{
	static const uint16_t profiles[] = { 0x0008, 0x0009, 0x000A, 0x0010,
		0x0011, 0x0013, 0x0014, 0x001A, 0x001B };
	uint8_t b[256], f[64];
	uint8_t rt = c->cdb[1] & 3;
	uint16_t start = odf_be16(c->cdb + 2);
	size_t alloc = odf_be16(c->cdb + 7), n = 8;
	bool media = media_present(e);
	uint16_t cur = media ? 0x0010 : 0x0000;

	if (rt == 3) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
		return;
	}
	memset(b, 0, sizeof(b));
	for (unsigned code = 0; code <= 0x010C; code++) {
		size_t fl = 0;
		bool current = true;

		memset(f, 0, sizeof(f));
		switch (code) {
		case 0x0000:
			f[2] = 0x03;		/* persistent, current */
			for (size_t i = 0; i < sizeof(profiles) / 2; i++) {
				odf_put_be16(f + 4 + 4 * i, profiles[i]);
				f[6 + 4 * i] = profiles[i] == cur;
			}
			f[3] = (uint8_t)(4 * (sizeof(profiles) / 2));
			fl = 4 + f[3];
			break;
		case 0x0001:
			f[2] = 0x07;		/* version 1, persistent, current */
			f[3] = 8;
			odf_put_be32(f + 4, 2);	/* ATAPI */
			fl = 12;
			break;
		case 0x0003:
			f[2] = 0x03;
			f[3] = 4;
			f[4] = 0x29;		/* tray, eject, lock */
			fl = 8;
			break;
		case 0x0104:
			if (e->model->spc_quirks &
			    ODEMU_SPCQ_NO_MICROCODE_FEATURE)
				break;
			f[2] = 0x07;		/* version 1, persistent, current */
			f[3] = 4;
			f[4] = 0x01;		/* M5 */
			fl = 8;
			break;
		case 0x010C: {
			const char *dt = e->model->fw_date;
			f[2] = 0x03;
			f[3] = 0x10;
			/* century "20", year, month, day, hour, min, sec */
			memcpy(f + 4, dt, 14);
			fl = 20;
			break;
		}
		default:
			break;
		}
		if (fl == 0 || code < start)
			continue;
		if (rt == 2 && code != start)
			continue;
		if (rt == 1 && !current)
			continue;
		f[0] = (uint8_t)(code >> 8);
		f[1] = (uint8_t)code;
		memcpy(b + n, f, fl);
		n += fl;
	}
	odf_put_be32(b, (uint32_t)(n - 4));
	odf_put_be16(b + 6, cur);
	odemu_data_in(c, b, n, alloc);
}

/* GET EVENT STATUS NOTIFICATION, polled, media class (MMC-6 6.6; Linux
 * cdrom.h struct event_header / media_event_desc). */
static void
cmd_gesn(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[8];
	size_t alloc = odf_be16(c->cdb + 7);

	if (!(c->cdb[1] & 1)) {			/* asynchronous: unsupported */
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
		return;
	}
	memset(b, 0, sizeof(b));
	b[3] = 0x10;				/* supported: media class */
	if (!(c->cdb[4] & 0x10)) {
		b[1] = 2;
		b[2] = 0x80;			/* NEA, no class */
		odemu_data_in(c, b, 4, alloc);
		return;
	}
	b[1] = 6;
	b[2] = 0x04;				/* media class */
	b[4] = (uint8_t)(e->st.media_event & 0x0F);
	b[5] = (uint8_t)((media_present(e) ? 0x02 : 0) |
			 (e->st.tray_open ? 0x01 : 0));
	if (e->st.media_event) {
		e->st.media_event = 0;
		e->dirty = true;
	}
	odemu_data_in(c, b, 8, alloc);
}

static void
cmd_start_stop(struct odemu *e, struct odf_cmd *c)
{
	bool start = c->cdb[4] & 1, loej = c->cdb[4] & 2;

	if (e->model->spc_quirks & ODEMU_SPCQ_FIXED_MEDIUM) {
		e->st.tray_open = !start;	/* stopped */
		e->dirty = true;
		odemu_good(c);
		return;
	}
	if (loej) {
		if (!start) {			/* eject */
			if (e->st.prevent) {
				/* MEDIUM REMOVAL PREVENTED 53h/02h */
				odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x53, 0x02);
				return;
			}
			if (!e->st.tray_open) {
				e->st.tray_open = 1;
				e->st.media_event = e->st.disc ? 3 : 1;
			}
		} else if (e->st.tray_open) {	/* load */
			e->st.tray_open = 0;
			e->st.media_event = e->st.disc ? 2 : 0;
		}
		e->dirty = true;
	}
	odemu_good(c);
}

/* One TOC track descriptor (MMC-6 6.26.3.2, Table 484): ADR 1 / CONTROL
 * 4 (a data track, recorded uninterrupted), the track number and its
 * start as an LBA or as MSF (LBA + 150 two-second frames, M:S:F with 75
 * frames a second; a DVD's lead-out lies past 255 minutes, so M is held
 * at FFh there: INFERRED, MMC defines no MSF form for such addresses). */
static void
toc_desc(uint8_t *d, uint8_t track, uint32_t lba, bool msf)
{
	memset(d, 0, 8);
	d[1] = 0x14;
	d[2] = track;
	if (msf) {
		uint32_t f = lba + 150;
		d[5] = (uint8_t)(f / 4500 > 0xFF ? 0xFF : f / 4500);
		d[6] = (uint8_t)(f / 75 % 60);
		d[7] = (uint8_t)(f % 75);
	} else {
		odf_put_be32(d + 4, lba);
	}
}

/* READ TOC/PMA/ATIP 43h formats 0 (TOC) and 1 (session information) for
 * the emulated disc, a DVD-ROM of one session and one track: MMC-6
 * 6.26.2.3 (DVD media report "a fabricated TOC" of track 1 and lead-out
 * AAh).  Without a disc: NOT READY, medium not present. */
static void
cmd_read_toc(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[4 + 2 * 8];
	bool msf = c->cdb[1] & 0x02;
	uint8_t fmt = c->cdb[2] & 0x0F, track = c->cdb[6];
	size_t alloc = odf_be16(c->cdb + 7), n = 4;

	if (!media_present(e)) {
		not_ready_no_medium(e, c);
		return;
	}
	memset(b, 0, sizeof(b));
	b[2] = 1;				/* first track / session */
	b[3] = 1;				/* last */
	if (fmt == 0) {
		if (track > 1 && track != 0xAA) {
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
			return;
		}
		if (track <= 1) {
			toc_desc(b + n, 1, 0, msf);
			n += 8;
		}
		toc_desc(b + n, 0xAA, DISC_SECTORS, msf);
		n += 8;
	} else if (fmt == 1) {
		toc_desc(b + n, 1, 0, msf);
		n += 8;
	} else {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
		return;
	}
	odf_put_be16(b, (uint16_t)(n - 2));
	odemu_data_in(c, b, n, alloc);
}

static void
cmd_read_capacity(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[8];

	if (!media_present(e)) {
		not_ready_no_medium(e, c);
		return;
	}
	/* a single-layer DVD: DISC_SECTORS of 2048 bytes (ECMA-267) */
	odf_put_be32(b, DISC_SECTORS - 1);
	odf_put_be32(b + 4, 2048);
	odemu_data_in(c, b, 8, 8);
}

/* REPORT KEY format 08h: RPC state (MMC-6 6.29; Linux cdrom.h
 * rpc_state_t: type_code 7:6, vra 5:3, ucca 2:0; region mask; scheme). */
static void
cmd_report_key(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[8];
	size_t alloc = odf_be16(c->cdb + 8);

	if ((c->cdb[10] & 0x3F) != 0x08) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0);
		return;
	}
	memset(b, 0, sizeof(b));
	odf_put_be16(b, 6);
	b[4] = (uint8_t)((e->st.rpc_type & 3) << 6 |
			 (e->st.rpc_vendor_resets & 7) << 3 |
			 (e->st.rpc_user_changes & 7));
	b[5] = e->st.rpc_mask;
	b[6] = e->st.rpc_scheme;
	odemu_data_in(c, b, 8, alloc);
}

void
odemu_mmc_exec(struct odemu *e, struct odf_cmd *c)
{
	uint8_t op = c->cdb[0];

	if (e->st.mode == ODF_MODE_BOOT && op != 0x12 && op != 0x00 &&
	    op != 0x03) {
		/* the boot code answers only the basics */
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x20, 0);
		return;
	}
	switch (op) {
	case 0x12: cmd_inquiry(e, c); return;
	case 0x00:				/* TEST UNIT READY */
		if (e->model->spc_quirks & ODEMU_SPCQ_FIXED_MEDIUM) {
			if (e->st.tray_open)	/* stopped */
				odemu_sense(c, ODEMU_SK_NOT_READY, 0x04, 0x02);
			else
				odemu_good(c);
		} else if (!media_present(e))
			not_ready_no_medium(e, c);
		else
			odemu_good(c);
		return;
	case 0x03: cmd_request_sense(e, c); return;
	case 0x1A: cmd_mode_sense(e, c, false); return;
	case 0x5A: cmd_mode_sense(e, c, true); return;
	case 0x46:
		if (e->model->spc_quirks & ODEMU_SPCQ_NO_GET_CONFIG)
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x20, 0);
		else
			cmd_get_configuration(e, c);
		return;
	case 0x4A: cmd_gesn(e, c); return;
	case 0x1E:				/* PREVENT ALLOW MEDIUM REMOVAL */
		e->st.prevent = c->cdb[4] & 1;
		e->dirty = true;
		odemu_good(c);
		return;
	case 0x1B: cmd_start_stop(e, c); return;
	case 0x25: cmd_read_capacity(e, c); return;
	case 0x43: cmd_read_toc(e, c); return;
	case 0xA4: cmd_report_key(e, c); return;
	default:
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x20, 0);
	}
}

