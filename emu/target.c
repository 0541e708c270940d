/* odemu target: open/exec/close, the faults that sit between the host and
 * the drive (power, bridge, tray, hangs, re-enumeration), and the SPC/MMC
 * commands every emulated drive answers the way the Linux sr driver and
 * sg3_utils expect (research rig.md "Gotchas" 4: the sr probe at attach
 * time is INQUIRY + VPD 00/80, TUR, MODE SENSE(6) 2Ah, GET CONFIGURATION,
 * GET EVENT STATUS NOTIFICATION, PREVENT ALLOW).
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

/* ---- small helpers -------------------------------------------------------- */
void
odemu_put_padded(uint8_t *p, size_t n, const char *s)
{
	size_t l = s ? strlen(s) : 0;

	memset(p, ' ', n);
	memcpy(p, s ? s : "", l < n ? l : n);
}

void
odemu_copy_trim(char *dst, size_t dstsz, const char *src, size_t n)
{
	size_t l = 0;

	while (l < n && l + 1 < dstsz && src[l])
		l++;
	memcpy(dst, src, l);
	while (l > 0 && dst[l - 1] == ' ')
		l--;
	dst[l] = '\0';
}

uint16_t
odemu_sum_be16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	return (uint16_t)s;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- answers -------------------------------------------------------------- */
/* Fixed-format sense (response code 70h, additional length 10 = 18
 * bytes), as every drive in rig.md "Raw sense bytes" returns it. */
void
odemu_sense(struct odf_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq)
{
	c->scsi_status = ODF_SAM_CHECK_CONDITION;
	memset(c->sense, 0, 18);
	c->sense[0] = 0x70;
	c->sense[2] = key;
	c->sense[7] = 10;
	c->sense[12] = asc;
	c->sense[13] = ascq;
	c->sense_len = 18;
	c->resid = (int32_t)c->len;
}

void
odemu_good(struct odf_cmd *c)
{
	c->scsi_status = ODF_SAM_GOOD;
	c->sense_len = 0;
	c->resid = (int32_t)c->len;
}

void
odemu_data_in(struct odf_cmd *c, const uint8_t *p, size_t n, size_t alloc)
{
	size_t k = n;

	if (k > alloc)
		k = alloc;
	if (c->dir != ODF_DIR_IN || c->buf == NULL)
		k = 0;
	if (k > c->len)
		k = c->len;
	if (k)
		memcpy(c->buf, p, k);
	odemu_good(c);
	c->resid = (int32_t)(c->len - k);
}

void
odemu_add_ua(struct odemu *e, uint8_t asc, uint8_t ascq)
{
	struct odemu_state *s = &e->st;

	for (unsigned i = 0; i < s->n_ua; i++)
		if (s->ua_asc[i] == asc && s->ua_ascq[i] == ascq)
			return;
	if (s->n_ua == ODEMU_MAX_UA) {
		memmove(s->ua_asc, s->ua_asc + 1, ODEMU_MAX_UA - 1);
		memmove(s->ua_ascq, s->ua_ascq + 1, ODEMU_MAX_UA - 1);
		s->n_ua--;
	}
	s->ua_asc[s->n_ua] = asc;
	s->ua_ascq[s->n_ua] = ascq;
	s->n_ua++;
	e->dirty = true;
}

static bool
pop_ua(struct odemu *e, uint8_t *asc, uint8_t *ascq)
{
	struct odemu_state *s = &e->st;

	if (s->n_ua == 0)
		return false;
	*asc = s->ua_asc[0];
	*ascq = s->ua_ascq[0];
	memmove(s->ua_asc, s->ua_asc + 1, ODEMU_MAX_UA - 1);
	memmove(s->ua_ascq, s->ua_ascq + 1, ODEMU_MAX_UA - 1);
	s->n_ua--;
	e->dirty = true;
	return true;
}

/* ---- identity and boot ------------------------------------------------------- */
void
odemu_boot_strings(struct odemu *e)
{
	const struct odemu_model *m = e->model;

	odemu_copy_trim(e->vendor, sizeof(e->vendor), m->vendor, 8);
	odemu_copy_trim(e->product, sizeof(e->product), m->product, 16);
	odemu_copy_trim(e->revision, sizeof(e->revision), m->boot_revision,
			4);
	/* the bootcode in flash tells its own version (emulator
	 * convention, boot_rev_off in models.c): a flashed bootcode
	 * changes what safe mode answers, "0.NN" (protocols.md §1.1b.3) */
	if (m->boot_rev_off && m->boot_rev_off + 4 <= m->boot_len) {
		const uint8_t *r = e->st.flash + m->boot_rev_off;

		if (r[0] == '0' && r[1] == '.' && r[2] >= 0x20 && r[2] < 0x7F &&
		    r[3] >= 0x20 && r[3] < 0x7F)
			odemu_copy_trim(e->revision, sizeof(e->revision),
					(const char *)r, 4);
	}
}

bool
odemu_boot_block_ok(const struct odemu *e)
{
	const struct odemu_model *m = e->model;
	uint32_t n = m->boot_len;

	if (n < 4 || n > e->st.flash_size)
		return true;
	for (unsigned b = 0; b < m->nblocks && odemu_block_start(m, b) < n;
	     b++)
		if (e->st.blk_dirty[b])
			return false;
	/* INFERRED: the bootcode's last word holds the 16-bit BE word sum
	 * of the rest (binflash SendChecksumOpti4: area 01 "takes u16 value
	 * from 0x007ffe"; Bootflash sums the words before it) */
	return odemu_sum_be16(e->st.flash, n - 2) ==
	       odf_be16(e->st.flash + n - 2);
}

/* Set the INQUIRY strings for the current mode (normal: from the
 * firmware in flash; safe/boot: what the boot code says). */
static void
refresh_ident(struct odemu *e)
{
	if (e->st.mode == ODF_MODE_NORMAL) {
		if (e->model->proto->boot_check(e, e->vendor, e->product,
						e->revision))
			return;
		e->st.mode = ODF_MODE_BOOT;
		e->dirty = true;
	}
	odemu_boot_strings(e);
}

void
odemu_reboot(struct odemu *e)
{
	e->st.n_boot++;
	e->st.mode = ODF_MODE_NORMAL;
	e->st.chk_ok = 0;
	e->st.chk_value = 0;	/* a boot ends any write in progress */
	e->st.dl_len = 0;
	e->st.dl_deferred = 0;
	memset(e->st.staged, 0, e->st.flash_size / ODEMU_PAGE);
	memset(e->st.ram, 0xFF, e->st.flash_size);
	e->dirty = true;
	refresh_ident(e);
	odf_log(ODF_LOG_DEBUG, "odemu: %s booted into %s mode (revision %s)",
		e->path ? e->path : "drive", odf_mode_name(e->st.mode),
		e->revision);
}

void
odemu_restart(struct odemu *e)
{
	odemu_reboot(e);
	if (e->st.reenum_arm && e->st.reenum_skip) {
		e->st.reenum_skip--;
		e->dirty = true;
	} else if (e->st.reenum_arm) {
		e->st.reenum_left = e->st.reenum_arm;
		e->st.reenum_arm = 0;
		e->gone = true;
	}
}

void
odemu_power_cut(struct odemu *e, struct odf_cmd *c)
{
	e->st.powered_off = 1;
	e->st.n_power_cuts++;
	e->st.cut_after_cmds = -1;
	e->st.cut_after_bytes = -1;
	e->gone = true;
	e->dirty = true;
	if (c) {
		c->scsi_status = 0;
		c->sense_len = 0;
		c->host_status = ODF_HOST_NO_CONNECT;
		c->resid = (int32_t)c->len;
	}
}

/* ---- open / close -------------------------------------------------------------- */
static void
free_emu(struct odemu *e)
{
	if (e == NULL)
		return;
	if (e->lock_fd >= 0)
		close(e->lock_fd);	/* releases the flock */
	odemu_state_free(&e->st);
	free(e->path);
	free(e->log_path);
	free(e);
}

static int
save(struct odemu *e, struct odf_diag *d)
{
	int rc = odemu_state_save(e->path, &e->st, d);

	if (rc == 0)
		e->dirty = e->counters_dirty = false;
	return rc;
}

static int
open_common(const char *path, bool admin, struct odemu **out,
	    struct odf_diag *d)
{
	struct odemu *e;
	char *lock = NULL;
	struct stat sb;
	int rc;

	if (out == NULL || path == NULL || path[0] == '\0')
		return odf_diag_set(d, ODF_E_USAGE, "odemu_open: no state path");
	*out = NULL;
	if (stat(path, &sb) < 0) {
		odf_diag_hint(d, "create one with: odemu new MODEL %s", path);
		return odf_diag_set(d, ODF_E_NODEV, "no emulated drive at %s: "
				    "create one with odemu new MODEL %s", path,
				    path);
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	e->lock_fd = -1;
	e->admin = admin;
	e->path = strdup(path);
	if (e->path == NULL || asprintf(&e->log_path, "%s.log", path) < 0 ||
	    asprintf(&lock, "%s.lock", path) < 0) {
		e->log_path = NULL;
		free_emu(e);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	/* The lock lives in a side file: the state file itself is replaced
	 * by rename on every save, which would drop a lock held on it. */
	e->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (e->lock_fd < 0) {
		rc = odf_diag_set(d, errno == EACCES ? ODF_E_ACCESS : ODF_E_OPEN,
				  "cannot open %s: %s", lock, strerror(errno));
		free(lock);
		free_emu(e);
		return rc;
	}
	free(lock);
	if (flock(e->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		odf_diag_hint(d, "another program (odflash, odemu tcmu, an "
			      "LD_PRELOAD session) has this drive open: wait "
			      "for it to finish");
		free_emu(e);
		return odf_diag_set(d, ODF_E_OPEN, "the emulated drive %s is "
				    "in use by another process", path);
	}
	rc = odemu_state_load(path, &e->st, d);
	if (rc < 0) {
		free_emu(e);
		return rc;
	}
	e->model = odemu_model_find(e->st.model);
	if (e->model == NULL || e->model->flash_size != e->st.flash_size) {
		free_emu(e);
		return odf_diag_set(d, ODF_E_FORMAT, "%s: unknown drive model "
				    "'%s' in the state file", path, e->st.model);
	}
	if (!admin && e->st.powered_off) {
		free_emu(e);
		odf_diag_hint(d, "power it on with: odemu power-on %s", path);
		return odf_diag_set(d, ODF_E_NODEV, "the emulated drive %s is "
				    "powered off", path);
	}
	if (!admin && !odemu_boot_block_ok(e)) {
		free_emu(e);
		odf_diag_hint(d, "a real drive in this state runs no code at "
			      "all: only reprogramming its flash chip with an "
			      "external programmer can revive it");
		return odf_diag_set(d, ODF_E_NODEV, "the emulated drive %s does "
				    "not answer: its bootcode is incomplete "
				    "(odemu show tells)", path);
	}
	if (!admin && e->st.reenum_left > 0) {
		e->st.reenum_left--;
		rc = save(e, d);
		free_emu(e);
		if (rc < 0)
			return rc;
		odf_diag_hint(d, "the drive is re-enumerating: try again");
		return odf_diag_set(d, ODF_E_NODEV, "the emulated drive %s is "
				    "not there (re-enumerating on the bus)",
				    path);
	}
	if (e->st.mode == ODF_MODE_SAFE)
		odemu_boot_strings(e);
	else
		refresh_ident(e);
	if (e->dirty && !e->st.powered_off && (rc = save(e, d)) < 0) {
		free_emu(e);
		return rc;
	}
	*out = e;
	return 0;
}

int
odemu_open(const char *state_path, struct odemu **out, struct odf_diag *d)
{
	return open_common(state_path, false, out, d);
}

int
odemu_open_admin(const char *state_path, struct odemu **out,
		 struct odf_diag *d)
{
	return open_common(state_path, true, out, d);
}

void
odemu_close(struct odemu *e)
{
	if (e == NULL)
		return;
	if (e->dirty || e->counters_dirty)
		(void)save(e, NULL);
	free_emu(e);
}

size_t
odemu_max_transfer(const struct odemu *e)
{
	return e ? (size_t)e->st.max_transfer : 0;
}

enum odf_bus
odemu_bus(const struct odemu *e)
{
	return e && e->st.max_transfer ? ODF_BUS_USB : ODF_BUS_EMU;
}

/* ---- the command log -------------------------------------------------------- */
static void
log_cmd(struct odemu *e, const struct odf_cmd *c, const char *note)
{
	char line[256];
	size_t n = 0;
	int fd;

	n += (size_t)snprintf(line + n, sizeof(line) - n, "%" PRIu64 " cdb=",
			      e->st.n_cmds);
	for (size_t i = 0; i < c->cdb_len && i < ODF_CDB_MAX; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%02x",
				      i ? " " : "", c->cdb[i]);
	n += (size_t)snprintf(line + n, sizeof(line) - n,
			      " dir=%s len=%zu status=0x%02x",
			      c->dir == ODF_DIR_IN ? "in" :
			      c->dir == ODF_DIR_OUT ? "out" : "none", c->len,
			      c->scsi_status);
	if (c->sense_len >= 14)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      " sense=%02x/%02x/%02x", c->sense[2] & 0xF,
				      c->sense[12], c->sense[13]);
	else
		n += (size_t)snprintf(line + n, sizeof(line) - n, " sense=-");
	if (c->host_status)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " host=0x%02x",
				      c->host_status);
	if (c->os_err)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " os_err=%d",
				      c->os_err);
	if (note)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " (%s)", note);
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	fd = open(e->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, n) < 0)
		odf_log(ODF_LOG_WARN, "odemu: cannot append to %s",
			e->log_path);
	close(fd);
}

/* ---- SPC / MMC commands ---------------------------------------------------- */
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
		b[0] = 0x05;			/* PDT 5: CD/DVD */
		b[1] = 0x80;			/* RMB */
		b[2] = e->model->inq_version;
		b[3] = 0x02;			/* response data format 2 */
		b[4] = sizeof(b) - 5;
		odemu_put_padded(b + 8, 8, e->vendor);
		odemu_put_padded(b + 16, 16, e->product);
		odemu_put_padded(b + 32, 4, e->revision);
		odemu_data_in(c, b, sizeof(b), alloc);
		return;
	}
	switch (c->cdb[2]) {
	case 0x00:				/* supported VPD pages */
		b[0] = 0x05; b[1] = 0x00; b[3] = 2; b[4] = 0x00; b[5] = 0x80;
		odemu_data_in(c, b, 6, alloc);
		return;
	case 0x80: {				/* unit serial number */
		size_t l = strlen(e->st.serial);
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
	if (pop_ua(e, &asc, &ascq)) {
		b[2] = ODEMU_SK_UNIT_ATTENTION;
		b[12] = asc;
		b[13] = ascq;
	}
	odemu_data_in(c, b, sizeof(b), c->cdb[4]);
}

/* MM Capabilities page 2Ah (MMC-3 6.3.11; Linux cdrom.h struct
 * mode_page_header / sr.c get_capabilities reads bytes 2..6). */
static size_t
caps_page(uint8_t *p)
{
	memset(p, 0, 28);
	p[0] = 0x2A;
	p[1] = 26;
	p[2] = 0x1F;	/* read CD-R, CD-RW, method 2, DVD-ROM, DVD-R */
	p[3] = 0x13;	/* write CD-R, CD-RW, DVD-R */
	p[4] = 0x71;	/* audio play, composite, digital ports, mode 2 form 2 */
	p[5] = 0x03;	/* CD-DA commands, accurate */
	p[6] = 0x29;	/* loading mechanism 001b tray, eject, lock */
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
	n = hl + caps_page(b + hl);
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
 * bytes 4..17) (research protocols.md §3). */
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

static void
cmd_read_capacity(struct odemu *e, struct odf_cmd *c)
{
	uint8_t b[8];

	if (!media_present(e)) {
		not_ready_no_medium(e, c);
		return;
	}
	/* a single-layer DVD: 2295104 sectors of 2048 bytes (ECMA-267) */
	odf_put_be32(b, 2295104 - 1);
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

static void
generic_exec(struct odemu *e, struct odf_cmd *c)
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
	case 0xA4: cmd_report_key(e, c); return;
	default:
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x20, 0);
	}
}

/* ---- exec: faults, then the drive -------------------------------------------- */
static void
no_connect(struct odf_cmd *c)
{
	c->scsi_status = 0;
	c->sense_len = 0;
	c->host_status = ODF_HOST_NO_CONNECT;
	c->resid = (int32_t)c->len;
}

void
odemu_exec(struct odemu *e, struct odf_cmd *c)
{
	uint64_t t0 = now_ns();
	const char *note = NULL;
	int sig = 0;
	uint8_t asc, ascq;

	c->scsi_status = 0;
	c->host_status = 0;
	c->driver_status = 0;
	c->os_err = 0;
	c->sense_len = 0;
	c->resid = (int32_t)c->len;
	if (e == NULL)
		return;
	if (e->gone || e->st.powered_off) {
		no_connect(c);
		goto done;
	}
	/* Counters alone are saved with the next real change or at close;
	 * an armed command-count power cut is durable at every command. */
	e->st.n_cmds++;
	if (e->st.cut_after_cmds >= 0)
		e->dirty = true;
	else
		e->counters_dirty = true;
	/* the bridge: an SG_IO larger than the path's max_hw_sectors fails
	 * in the block layer with EINVAL before anything is sent
	 * (protocols.md §4.1; sg_write_buffer(8) "pass through os error
	 * invalid argument") */
	if (e->st.max_transfer && c->len > e->st.max_transfer) {
		c->os_err = EINVAL;
		note = "bridge: transfer too large";
		goto done;
	}
	/* a bridge that filters vendor opcodes answers itself (§4.2) */
	if (e->st.drop_vendor && c->cdb[0] >= 0xC0) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x20, 0);
		note = "bridge: vendor opcode dropped";
		goto done;
	}
	if (e->st.cut_after_cmds == 0) {
		odemu_power_cut(e, c);
		note = "power cut";
		goto done;
	}
	if (e->st.cut_after_cmds > 0)
		e->st.cut_after_cmds--;
	if (e->st.hang_ms) {
		unsigned h = e->st.hang_ms;
		unsigned to = c->timeout_ms ? c->timeout_ms : 60000;

		e->st.hang_ms = 0;
		if (h > to) {
			sleep_ms(to);
			c->host_status = ODF_HOST_TIME_OUT;
			note = "hang: timed out";
			goto done;
		}
		sleep_ms(h);
	}
	if (c->dir == ODF_DIR_IN)
		e->st.bytes_in += c->len;
	else if (c->dir == ODF_DIR_OUT)
		e->st.bytes_out += c->len;
	odemu_model_time(e, (uint64_t)c->len * e->model->transfer_us_per_kib *
			 1000ull / 1024u);
	/* a pending unit attention is reported once, to any command but
	 * INQUIRY and REQUEST SENSE (SAM-5 5.14, as sg_turs/sg_requests
	 * show it: rig.md "scsi_debug: WRITE BUFFER sequence") */
	if (c->cdb[0] != 0x12 && c->cdb[0] != 0x03 && pop_ua(e, &asc, &ascq)) {
		odemu_sense(c, ODEMU_SK_UNIT_ATTENTION, asc, ascq);
		goto done;
	}
	if (!e->model->proto->exec(e, c))
		generic_exec(e, c);
	if (e->st.powered_off) {
		no_connect(c);
		note = "power cut";
	} else if (e->st.sig_after_cmds > 0 && --e->st.sig_after_cmds == 0) {
		/* the user presses Ctrl-C (or kill) right after this answer */
		sig = (int)e->st.sig_num;
		e->st.sig_after_cmds = -1;
		e->dirty = true;
		note = "host signalled";
	}
done:
	c->duration_ns = now_ns() - t0;
	if (e) {
		log_cmd(e, c, note);
		if (e->dirty)
			(void)save(e, NULL);
	}
	if (sig)
		raise(sig);
}

/* ---- administration ------------------------------------------------------------ */
int
odemu_model_info(size_t i, struct odemu_model_info *out)
{
	const struct odemu_model *m = odemu_model_at(i);

	if (m == NULL)
		return ODF_E_USAGE;
	out->name = m->name;
	out->description = m->description;
	out->family = m->family;
	out->vendor = m->vendor;
	out->product = m->product;
	out->default_version = m->default_version;
	out->flash_size = m->flash_size;
	out->fw_start = m->fw_start;
	out->fw_len = m->fw_len;
	out->nblocks = m->nblocks;
	return 0;
}

/* The list is built once, at the first call, in a buffer sized from the
 * model table itself: it never truncates however many models are added.
 * pthread_once: the tcmu front end may ask from several threads. */
static char *model_names;

static void
build_model_names(void)
{
	const struct odemu_model *m;
	size_t need = 1, n = 0;
	char *s;

	for (size_t i = 0; (m = odemu_model_at(i)) != NULL; i++)
		need += strlen(m->name) + 1;
	s = malloc(need);
	if (s == NULL)
		return;
	for (size_t i = 0; (m = odemu_model_at(i)) != NULL; i++) {
		size_t l = strlen(m->name);

		if (i)
			s[n++] = ' ';
		memcpy(s + n, m->name, l);
		n += l;
	}
	s[n] = '\0';
	model_names = s;
}

const char *
odemu_model_names(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, build_model_names);
	return model_names ? model_names : "(out of memory)";
}

static uint32_t
seed_of(const char *s)
{
	uint32_t h = 2166136261u;

	while (s && *s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* A real NEC/Optiarc firmware carries its dump ID as its first byte
 * (Liggy/binflash@5cfb543 FirmwareID.xlsx "Position 1" 0 for ND-3550A 93h
 * and AD-7170A B4h; GetIDFromDriveType reads it from 0x30000 on the
 * AD-7170A): put it there and sum the region again, the word after it
 * (the 2 MiB families' file[fw_len], emu/fmt_nec.c). */
static void
nec_put_dump_id(const struct odemu_model *m, uint8_t *file, size_t len)
{
	const uint8_t *fw;
	size_t fl;

	if (m->chk_inside || odemu_nec_pick(m, file, len, &fw, &fl) < 0)
		return;
	file[fw - file] = m->dump_id;
	odf_put_be16(file + (fw - file) + m->fw_len,
		     odemu_sum_be16(fw, m->fw_len));
}

int
odemu_mkimage(const char *model, const char *version, uint8_t **out,
	      size_t *len, struct odf_diag *d)
{
	const struct odemu_model *m = odemu_model_find(model);
	struct odf_image_spec spec;
	char seedtext[96];
	int rc;

	if (m == NULL) {
		odf_diag_hint(d, "models: %s", odemu_model_names());
		return odf_diag_set(d, ODF_E_USAGE, "unknown drive model '%s'",
				    model ? model : "");
	}
	if (version == NULL)
		version = m->default_version;
	if (strlen(version) == 0 || strlen(version) > 4) {
		odf_diag_hint(d, "use a revision of 1 to 4 characters, "
			      "e.g. %s", m->default_version);
		return odf_diag_set(d, ODF_E_USAGE, "version '%s' does not fit "
				    "the 4-character INQUIRY revision",
				    version);
	}
	memset(&spec, 0, sizeof(spec));
	spec.family = m->family;
	spec.target = m->target;
	/* A NEC file ends in the ID binflash's DumpFirmware writes after a
	 * dump: GetDriveID(drivetype), the safe-mode ID -- "K310" for a
	 * K350 drive, whose ID block (0x4800) says "K350" (Liggy/binflash
	 * @5cfb543 necinternal.cpp:GetDriveID case K350, necinterface.cpp
	 * DumpFirmware fprintf GetDriveID; IdentifyDrive takes K310, K350
	 * and K345 alike).  So the emulated files look like real dumps. */
	if (m->family == ODF_FAMILY_NEC && m->safe_id)
		spec.target = m->safe_id;
	spec.vendor = m->vendor;
	spec.product = m->product;
	spec.revision = version;
	spec.version = version;
	spec.bootcode = m->bootcode;
	/* SPC, MediaTek FF and LG images fill the drive's firmware region */
	spec.size = m->family == ODF_FAMILY_SPC ||
		    m->family == ODF_FAMILY_MTK_FF ||
		    m->family == ODF_FAMILY_LG_RENESAS ? m->fw_len : 0;
	snprintf(seedtext, sizeof(seedtext), "%s/%s", m->name, version);
	spec.seed = seed_of(seedtext);
	rc = odf_image_build(&spec, out, len, d);
	if (rc == 0 && m->family == ODF_FAMILY_NEC && m->dump_id)
		nec_put_dump_id(m, *out, *len);
	return rc;
}

int
odemu_mkboot(const char *model, const char *version, uint8_t **out,
	      size_t *len, struct odf_diag *d)
{
	const struct odemu_model *m = odemu_model_find(model);
	char seedtext[96];
	uint32_t x;
	uint8_t *b;

	if (m == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "unknown drive model '%s' "
				    "(models: %s)", model ? model : "",
				    odemu_model_names());
	if (!m->boot_len)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "%s has no bootcode "
				    "flash", m->name);
	if (version == NULL)
		version = m->boot_revision + 2;
	if (strlen(version) != 2)
		return odf_diag_set(d, ODF_E_USAGE, "a bootcode version is 2 "
				    "characters (\"05\"), got '%s'", version);
	b = malloc(m->boot_len);
	if (b == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	snprintf(seedtext, sizeof(seedtext), "%s/boot/%s", m->name, version);
	x = seed_of(seedtext) | 1u;
	for (uint32_t i = 0; i < m->boot_len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (uint8_t)x;
	}
	if (m->id_addr && m->id_addr + 0x20 <= m->boot_len) {
		/* a boot block that covers the ID keeps the model's ID */
		memset(b + m->id_addr, 0, 0x20);
		memcpy(b + m->id_addr, m->target, 4);
	}
	if (m->boot_rev_off) {
		b[m->boot_rev_off] = '0';
		b[m->boot_rev_off + 1] = '.';
		memcpy(b + m->boot_rev_off + 2, version, 2);
	}
	odf_put_be16(b + m->boot_len - 2, odemu_sum_be16(b, m->boot_len - 2));
	*out = b;
	*len = m->boot_len;
	return 0;
}

int
odemu_create(const char *model, const char *path,
	     const struct odemu_new_opts *o, struct odf_diag *d)
{
	const struct odemu_model *m = odemu_model_find(model);
	struct odemu e;
	struct stat sb;
	uint8_t *img = NULL;
	size_t img_len = 0;
	int rc;

	if (m == NULL) {
		odf_diag_hint(d, "models: %s", odemu_model_names());
		return odf_diag_set(d, ODF_E_USAGE, "unknown drive model '%s' "
				    "(models: %s)", model ? model : "",
				    odemu_model_names());
	}
	if (path == NULL || path[0] == '\0')
		return odf_diag_set(d, ODF_E_USAGE, "no state path given");
	if (lstat(path, &sb) == 0) {
		odf_diag_hint(d, "remove it first, or choose another path");
		return odf_diag_set(d, ODF_E_USAGE, "%s already exists: "
				    "refusing to overwrite a drive state",
				    path);
	}
	if (o && o->time_scale < 0)
		return odf_diag_set(d, ODF_E_USAGE, "the time scale must be 0 "
				    "or more");
	memset(&e, 0, sizeof(e));
	e.model = m;
	e.lock_fd = -1;
	rc = odemu_state_alloc(&e.st, m->flash_size, d);
	if (rc < 0)
		return rc;
	snprintf(e.st.model, sizeof(e.st.model), "%s", m->name);
	if (o && o->serial) {
		if (strlen(o->serial) == 0 || strlen(o->serial) > 32) {
			odemu_state_free(&e.st);
			return odf_diag_set(d, ODF_E_USAGE, "the serial number "
					    "must have 1 to 32 characters");
		}
		snprintf(e.st.serial, sizeof(e.st.serial), "%s", o->serial);
	} else {
		snprintf(e.st.serial, sizeof(e.st.serial), "EMU%08X",
			 seed_of(path));
	}
	e.st.time_scale = o ? o->time_scale : 0;
	e.st.cut_after_cmds = -1;
	e.st.cut_after_bytes = -1;
	e.st.sig_after_cmds = -1;
	/* RPC II drive, region 2 set, 4 vendor resets and 4 changes left */
	e.st.rpc_type = 1;
	e.st.rpc_vendor_resets = 4;
	e.st.rpc_user_changes = 4;
	e.st.rpc_mask = 0xFD;
	e.st.rpc_scheme = 1;
	if (o && o->firmware) {
		FILE *f = fopen(o->firmware, "rb");
		if (f == NULL) {
			rc = odf_diag_set(d, ODF_E_FILE, "cannot open firmware "
					  "file %s: %s", o->firmware,
					  strerror(errno));
			goto out;
		}
		/* read the whole file, however long */
		for (;;) {
			uint8_t *nb = realloc(img, img_len + 65536);
			size_t r;
			if (nb == NULL) {
				fclose(f);
				rc = odf_diag_set(d, ODF_E_NOMEM, "out of memory");
				goto out;
			}
			img = nb;
			r = fread(img + img_len, 1, 65536, f);
			img_len += r;
			if (r < 65536)
				break;
		}
		if (ferror(f)) {
			fclose(f);
			rc = odf_diag_set(d, ODF_E_FILE, "cannot read %s",
					  o->firmware);
			goto out;
		}
		fclose(f);
	} else {
		rc = odemu_mkimage(m->name, o ? o->version : NULL, &img,
				   &img_len, d);
		if (rc < 0)
			goto out;
	}
	rc = m->proto->provision(&e, o ? o->version : NULL, img, img_len, d);
	if (rc < 0)
		goto out;
	e.path = (char *)path;
	odemu_reboot(&e);
	e.st.n_boot = 0;
	e.path = NULL;
	rc = odemu_state_save(path, &e.st, d);
out:
	free(img);
	odemu_state_free(&e.st);
	return rc;
}

void
odemu_get_status(const struct odemu *e, struct odemu_status *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->model, sizeof(s->model), "%s", e->st.model);
	snprintf(s->serial, sizeof(s->serial), "%s", e->st.serial);
	s->mode = (enum odf_mode)e->st.mode;
	/* A NEC/Optiarc drive whose firmware fails its check runs its boot
	 * code, the code SetSafeMode starts: over the wire it is one state,
	 * INQUIRY revision "0.xx" (Liggy/binflash@5cfb543 necinternal.cpp
	 * IsSafeMode), which odflash info calls "safe": so does odemu show.
	 * The emulator keeps the cause (st.mode BOOT) to itself. */
	if (e->model->family == ODF_FAMILY_NEC && s->mode == ODF_MODE_BOOT)
		s->mode = ODF_MODE_SAFE;
	s->powered_off = e->st.powered_off;
	memcpy(s->vendor, e->vendor, sizeof(s->vendor));
	memcpy(s->product, e->product, sizeof(s->product));
	memcpy(s->revision, e->revision, sizeof(s->revision));
	odf_sha256_hex(e->st.flash, e->st.flash_size, s->flash_sha256);
	s->disc = e->st.disc;
	s->tray_open = e->st.tray_open;
	s->time_scale = e->st.time_scale;
	s->cut_after_cmds = e->st.cut_after_cmds;
	s->cut_after_bytes = e->st.cut_after_bytes;
	s->max_transfer = e->st.max_transfer;
	s->drop_vendor = e->st.drop_vendor;
	s->hang_ms = e->st.hang_ms;
	s->reenum_armed = e->st.reenum_arm;
	s->reenum_left = e->st.reenum_left;
	s->fail_commit = e->st.fail_commit;
	s->pending_ua = e->st.n_ua;
	s->tray_locked = e->st.prevent;
	s->reenum_skip = e->st.reenum_skip;
	s->signal_after_cmds = e->st.sig_after_cmds;
	s->signal = (int)e->st.sig_num;
	s->boot_broken = !odemu_boot_block_ok(e);
	s->n_cmds = e->st.n_cmds;
	s->bytes_in = e->st.bytes_in;
	s->bytes_out = e->st.bytes_out;
	s->n_erase = e->st.n_erase;
	s->bytes_programmed = e->st.bytes_programmed;
	s->n_boot = e->st.n_boot;
	s->modeled_ns = e->st.modeled_ns;
	s->slept_ns = e->st.slept_ns;
	s->n_power_cuts = e->st.n_power_cuts;
	s->nblocks = e->model->nblocks;
	for (unsigned b = 0; b < e->model->nblocks &&
	     b < ODEMU_STATUS_MAX_BLOCKS; b++) {
		s->block[b].start = odemu_block_start(e->model, b);
		s->block[b].size = e->model->block_size[b];
		s->block[b].state = (enum odemu_block_state)
			odemu_flash_block_state(e, b);
	}
}

int
odemu_set_faults(struct odemu *e, const struct odemu_fault_opts *f,
		 struct odf_diag *d)
{
	struct odemu_state *s = &e->st;

	if (f->clear) {
		s->cut_after_cmds = -1;
		s->cut_after_bytes = -1;
		s->max_transfer = 0;
		s->drop_vendor = 0;
		s->hang_ms = 0;
		s->reenum_arm = 0;
		s->reenum_left = 0;
		s->reenum_skip = 0;
		s->sig_after_cmds = -1;
		s->sig_num = 0;
		s->prevent = 0;
		s->fail_commit = 0;
	}
	if (f->set_cut_cmds) {
		if (f->cut_cmds > INT64_MAX)
			return odf_diag_set(d, ODF_E_USAGE, "count too large");
		s->cut_after_cmds = (int64_t)f->cut_cmds;
	}
	if (f->set_cut_bytes) {
		if (f->cut_bytes > INT64_MAX)
			return odf_diag_set(d, ODF_E_USAGE, "count too large");
		s->cut_after_bytes = (int64_t)f->cut_bytes;
	}
	if (f->set_max_transfer)
		s->max_transfer = f->max_transfer;
	if (f->set_drop_vendor)
		s->drop_vendor = f->drop_vendor;
	if (f->set_hang) {
		if (f->hang_ms > 3600000)
			return odf_diag_set(d, ODF_E_USAGE, "--hang-ms at most "
					    "3600000 (one hour)");
		s->hang_ms = (uint32_t)f->hang_ms;
	}
	if (f->set_reenum) {
		if (f->reenum > 1000)
			return odf_diag_set(d, ODF_E_USAGE, "--reenumerate at "
					    "most 1000");
		s->reenum_arm = (uint32_t)f->reenum;
	}
	if (f->set_reenum_skip) {
		if (f->reenum_skip > 1000)
			return odf_diag_set(d, ODF_E_USAGE, "--reenumerate-skip "
					    "at most 1000");
		s->reenum_skip = (uint32_t)f->reenum_skip;
	}
	if (f->set_signal) {
		if (f->signal_cmds == 0 || f->signal_cmds > INT64_MAX ||
		    f->signal_num <= 0 || f->signal_num >= 65)
			return odf_diag_set(d, ODF_E_USAGE, "--signal-after-cmds "
					    "wants N >= 1 and a signal number");
		s->sig_after_cmds = (int64_t)f->signal_cmds;
		s->sig_num = (uint32_t)f->signal_num;
	}
	if (f->set_tray_locked)
		/* as if another program held PREVENT ALLOW MEDIUM REMOVAL
		 * (MMC-6 / SPC-4 1Eh, honoured by START STOP UNIT below) */
		s->prevent = f->tray_locked;
	if (f->set_fail_commit) {
		if (f->fail_commit > 0xFFFFFF ||
		    (f->fail_commit && (f->fail_commit >> 16) == 0))
			return odf_diag_set(d, ODF_E_USAGE, "--fail-commit "
					    "wants a sense KK/AA/QQ with a key "
					    "of 01 to 0F");
		s->fail_commit = f->fail_commit;
	}
	if (f->set_disc) {
		if (f->disc != (bool)s->disc || s->tray_open) {
			s->media_event = f->disc ? 2 : 3;
			odemu_add_ua(e, 0x28, 0x00); /* medium may have changed */
		}
		s->disc = f->disc;
		s->tray_open = 0;
	}
	e->dirty = true;
	return save(e, d);
}

int
odemu_power_on(struct odemu *e, struct odf_diag *d)
{
	e->st.powered_off = 0;
	e->gone = false;
	e->st.reenum_left = 0;
	e->st.n_ua = 0;
	odemu_reboot(e);
	/* POWER ON, RESET, OR BUS DEVICE RESET OCCURRED 29h/00h */
	odemu_add_ua(e, 0x29, 0x00);
	return save(e, d);
}

const uint8_t *
odemu_flash(const struct odemu *e, size_t *len)
{
	*len = e->st.flash_size;
	return e->st.flash;
}

const char *
odemu_log_path(const struct odemu *e)
{
	return e->log_path;
}
