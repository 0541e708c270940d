/* odemu tcmu: serve an emulated drive to a real Linux kernel through the
 * LIO user-space backstore, target_core_user (TCMU).
 *
 * The kernel side is wired with configfs (tests/rig/guest/tcmu-setup.sh
 * does it): a "user" backstore whose enable creates a UIO device named
 * "tcm-user/<hba>/<dev>/<cfgstring>", and a fabric (tcm_loop) LUN linked
 * to it.  This program finds that UIO device, maps it and answers the
 * command ring with odemu_exec, so the kernel exposes the emulated drive
 * as /dev/srN + /dev/sgN.
 *
 * Ring protocol: the comment block and structures of the kernel uapi
 * header <linux/target_core_user.h> (struct tcmu_mailbox,
 * struct tcmu_cmd_entry, TCMU_OP_PAD/CMD, cmd_head/cmd_tail modulo
 * cmdr_size, iov_base = offset into the mapping, a write() to the UIO fd
 * to signal completions) and the kernel's
 * Documentation/target/tcmu-design.rst ("Writing a user pass-through
 * handler").
 *
 * The drive is opened for each command and closed after it
 * (odemu_open/odemu_exec/odemu_close), so the state file is the only
 * truth: `odemu fault`, `odemu power-on` or `odemu show` can be run on the
 * same STATE while the drive is being served.
 */
#include "tcmu/tcmu.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* <linux/target_core_user.h> includes <linux/uio.h>, whose struct iovec
 * clashes with glibc's; the kernel's is renamed while it is included. */
#define iovec odemu_kiovec
#include <linux/target_core_user.h>
#undef iovec

#include "odemu/odemu.h"

#define SYSFS_UIO "/sys/class/uio"
#define NAME_PREFIX "tcm-user/"
#define OPEN_RETRIES 200	/* x 10 ms: a CLI tool holding the state */

static volatile sig_atomic_t stop_signal;

/* What the server has to say goes to the caller (odemu's CLI prints). */
static void say(const struct odemu_tcmu_opts *o, enum odemu_tcmu_level l,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(const struct odemu_tcmu_opts *o, enum odemu_tcmu_level l,
    const char *fmt, ...)
{
	va_list ap;

	if (o->say == NULL)
		return;
	va_start(ap, fmt);
	o->say(l, fmt, ap);
	va_end(ap);
}

/* "12 00 00 00 24 00": the CDB for -vv */
static const char *
hex_cdb(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at + 4 <= len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%02x",
				       i ? " " : "", p[i]);
	return buf;
}

static void
on_signal(int sig)
{
	stop_signal = sig;
}

struct tcmu_srv {
	const struct odemu_tcmu_opts *o;
	int fd;
	uint8_t *map;
	size_t map_size;
	uint8_t *buf;		/* bounce buffer for one command's data */
	size_t buf_size;
	uint64_t ncmds;
};

/* ---- sysfs -------------------------------------------------------------- */

static int
read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(out, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* Does UIO name "tcm-user/<hba>/<dev>/<cfgstring>" match what the user
 * asked for (NULL = any tcm-user device)? */
static bool
name_matches(const char *name, const char *match)
{
	const char *dev, *cfg;
	size_t dlen;

	if (strncmp(name, NAME_PREFIX, strlen(NAME_PREFIX)) != 0)
		return false;
	if (!match)
		return true;
	if (strcmp(name, match) == 0)
		return true;
	dev = strchr(name + strlen(NAME_PREFIX), '/');
	if (!dev)
		return false;
	dev++;
	cfg = strchr(dev, '/');
	dlen = cfg ? (size_t)(cfg - dev) : strlen(dev);
	if (strlen(match) == dlen && strncmp(dev, match, dlen) == 0)
		return true;
	return cfg && strcmp(cfg + 1, match) == 0;
}

/* Find the UIO device; fills dev ("/dev/uioN") and its map0 size.
 * Returns the number of matching devices (0, 1 or more). */
static int
find_uio(const char *match, char *dev, size_t dev_len, size_t *map_size,
	 char *found_name, size_t name_len)
{
	DIR *dir = opendir(SYSFS_UIO);
	struct dirent *e;
	int n = 0;

	if (!dir)
		return 0;
	while ((e = readdir(dir)) != NULL) {
		char path[PATH_MAX], name[256], size[64];
		unsigned long long sz;
		char *end;

		if (strncmp(e->d_name, "uio", 3) != 0)
			continue;
		snprintf(path, sizeof path, SYSFS_UIO "/%s/name", e->d_name);
		if (read_line(path, name, sizeof name) != 0 ||
		    !name_matches(name, match))
			continue;
		snprintf(path, sizeof path, SYSFS_UIO "/%s/maps/map0/size",
			 e->d_name);
		if (read_line(path, size, sizeof size) != 0)
			continue;
		errno = 0;
		sz = strtoull(size, &end, 0);
		if (errno || end == size || sz == 0 || sz > SIZE_MAX)
			continue;
		if (++n == 1) {
			snprintf(dev, dev_len, "/dev/%s", e->d_name);
			snprintf(found_name, name_len, "%s", name);
			*map_size = (size_t)sz;
		}
	}
	closedir(dir);
	return n;
}

/* For an explicit --uio /dev/uioN: its map0 size and name from sysfs. */
static int
uio_facts(const char *dev, size_t *map_size, char *name, size_t name_len)
{
	const char *base = strrchr(dev, '/');
	char path[PATH_MAX], size[64];
	unsigned long long sz;
	char *end;

	base = base ? base + 1 : dev;
	snprintf(path, sizeof path, SYSFS_UIO "/%s/name", base);
	if (read_line(path, name, name_len) != 0)
		return -1;
	snprintf(path, sizeof path, SYSFS_UIO "/%s/maps/map0/size", base);
	if (read_line(path, size, sizeof size) != 0)
		return -1;
	errno = 0;
	sz = strtoull(size, &end, 0);
	if (errno || end == size || sz == 0 || sz > SIZE_MAX)
		return -1;
	*map_size = (size_t)sz;
	return 0;
}

/* ---- the command ------------------------------------------------------ */

/* Data direction of a CDB.  A TCMU command entry carries the data iovecs
 * but not the direction (the kernel copies data-out into the data area
 * before queueing and copies data-in back after completion), so the
 * handler has to know it from the opcode.  Data-out opcodes:
 *   SPC-4/MMC-6 (T10) command tables: FORMAT UNIT 04, WRITE(6) 0A,
 *   MODE SELECT(6) 15, SEND DIAGNOSTIC 1D, WRITE(10) 2A, WRITE AND
 *   VERIFY(10) 2E, WRITE BUFFER 3B, WRITE LONG 3F, LOG SELECT 4C, SEND OPC
 *   INFORMATION 54, MODE SELECT(10) 55, SEND CUE SHEET 5D, PERSISTENT
 *   RESERVE OUT 5F, WRITE(16) 8A, SEND KEY A3, WRITE(12) AA, WRITE AND
 *   VERIFY(12) AE, SECURITY PROTOCOL OUT B5, SET STREAMING B6, SEND DVD
 *   STRUCTURE BF;
 *   NEC WriteRAM `CB 01 ...` (Liggy/binflash necinternal.cpp WriteRAM);
 *   MediaTek/TSST flash `FF 00 01 ...` (superg/redumper scsi/mmc.ixx
 *   SAMSUNG_FLASH_FIRMWARE).
 * Every other command with data is data-in. */
static enum odf_dir
cdb_dir(const uint8_t *cdb)
{
	switch (cdb[0]) {
	case 0x04: case 0x0A: case 0x15: case 0x1D: case 0x2A: case 0x2E:
	case 0x3B: case 0x3F: case 0x4C: case 0x54: case 0x55: case 0x5D:
	case 0x5F: case 0x8A: case 0xA3: case 0xAA: case 0xAE: case 0xB5:
	case 0xB6: case 0xBF:
		return ODF_DIR_OUT;
	case 0xCB:
		return (cdb[1] & 0x0F) == 0x01 ? ODF_DIR_OUT : ODF_DIR_IN;
	case 0xFF:
		return cdb[1] == 0x00 && cdb[2] == 0x01 ? ODF_DIR_OUT
							 : ODF_DIR_IN;
	default:
		return ODF_DIR_IN;
	}
}

/* CDB length from the group code (SAM-5 5.2: group 0 = 6 bytes, 1/2 =
 * 10, 4 = 16, 5 = 12; 3 = variable (0x7F, length in byte 7); 6/7 are
 * vendor-specific, and the optical vendor commands odemu models are
 * 12-byte packets (Liggy/binflash necinternal.cpp: "all vendor CDBs are
 * 12 bytes")). */
static size_t
cdb_len(const uint8_t *cdb)
{
	switch (cdb[0] >> 5) {
	case 0:
		return 6;
	case 1: case 2:
		return 10;
	case 3:
		return cdb[0] == 0x7F ? (size_t)cdb[7] + 8 : 12;
	case 4:
		return 16;
	default:
		return 12;
	}
}

static void
fixed_sense(uint8_t *s, uint8_t key, uint8_t asc, uint8_t ascq)
{
	/* Fixed-format sense data, SPC-4 4.5.3: 70h, key, additional length
	 * 0Ah, ASC at 12, ASCQ at 13. */
	memset(s, 0, 18);
	s[0] = 0x70;
	s[2] = key;
	s[7] = 0x0A;
	s[12] = asc;
	s[13] = ascq;
}

/* Run one command against the drive.  The drive is opened for this
 * command only; when it cannot be opened (powered off, re-enumerating, or
 * the state file is gone) the target answers NOT READY, LOGICAL UNIT NOT
 * READY, CAUSE NOT REPORTABLE (02/04/00): a TCMU handler can only return
 * a SCSI status, never the host error a vanished USB drive would give. */
static void
run_cmd(struct tcmu_srv *s, struct odf_cmd *c)
{
	struct odemu *emu = NULL;
	struct odf_diag d;
	int rc = ODF_E_BUSY, i;

	for (i = 0; i < OPEN_RETRIES && !stop_signal; i++) {
		memset(&d, 0, sizeof d);
		rc = odemu_open(s->o->state, &emu, &d);
		if (rc != ODF_E_BUSY)
			break;
		/* another odemu command holds the state for a moment */
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 },
			  NULL);
	}
	if (rc != 0) {
		if (s->o->verbose)
			say(s->o, ODEMU_TCMU_NOTE, "drive not available (%s): answering 02/04/00",
				 d.msg[0] ? d.msg : odf_err_str(rc));
		c->scsi_status = ODF_SAM_CHECK_CONDITION;
		fixed_sense(c->sense, 0x02, 0x04, 0x00);
		c->sense_len = 18;
		c->resid = (int32_t)c->len;
		return;
	}
	odemu_exec(emu, c);
	odemu_close(emu);
	if (c->host_status != ODF_HOST_OK || c->os_err != 0) {
		/* The drive vanished under this command (power cut, hang,
		 * re-enumeration): no SCSI status exists for it, see above. */
		c->scsi_status = ODF_SAM_CHECK_CONDITION;
		fixed_sense(c->sense, 0x02, 0x04, 0x00);
		c->sense_len = 18;
		if (c->dir == ODF_DIR_IN)
			c->resid = (int32_t)c->len;
	}
}

/* Is [off, off + len) inside the mapping? */
static bool
in_map(const struct tcmu_srv *s, uintptr_t off, size_t len)
{
	return off <= s->map_size && len <= s->map_size - off;
}

/* iovec i of an entry.  The entry is packed (the iovec array sits at an
 * unaligned offset), so it is copied out, never dereferenced in place. */
static struct odemu_kiovec
entry_iov(const struct tcmu_cmd_entry *ent, uint32_t i)
{
	struct odemu_kiovec v;

	memcpy(&v, (const uint8_t *)ent +
		       offsetof(struct tcmu_cmd_entry, req.iov) +
		       (size_t)i * sizeof v, sizeof v);
	return v;
}

/* Check the entry against the mapping; fills the CDB pointer and length
 * and the total data length.  Returns false for a malformed entry. */
static bool
check_entry(const struct tcmu_srv *s, const struct tcmu_cmd_entry *ent,
	    const uint8_t **cdb, size_t *clen, size_t *total)
{
	uint32_t niov = ent->req.iov_cnt, i;
	uint64_t cdb_off = ent->req.cdb_off;
	uintptr_t at = (uintptr_t)((const uint8_t *)ent - s->map) +
		       offsetof(struct tcmu_cmd_entry, req.iov);

	*cdb = NULL;
	*total = 0;
	if (niov > s->map_size / sizeof(struct odemu_kiovec) ||
	    !in_map(s, at, (size_t)niov * sizeof(struct odemu_kiovec)) ||
	    cdb_off >= s->map_size)
		return false;
	*cdb = s->map + cdb_off;
	*clen = cdb_len(*cdb);
	if (*clen > ODF_CDB_MAX || !in_map(s, (uintptr_t)cdb_off, *clen))
		return false;
	for (i = 0; i < niov; i++) {
		struct odemu_kiovec v = entry_iov(ent, i);

		if (!in_map(s, (uintptr_t)v.iov_base, v.iov_len) ||
		    v.iov_len > SIZE_MAX / 2 - *total)
			return false;
		*total += v.iov_len;
	}
	return true;
}

/* Copy between the bounce buffer and the entry's data area. */
static void
copy_data(struct tcmu_srv *s, const struct tcmu_cmd_entry *ent, bool out)
{
	uint32_t i, niov = ent->req.iov_cnt;
	size_t done = 0;

	for (i = 0; i < niov; i++) {
		struct odemu_kiovec v = entry_iov(ent, i);
		uint8_t *area = s->map + (uintptr_t)v.iov_base;

		if (out)
			memcpy(s->buf + done, area, v.iov_len);
		else
			memcpy(area, s->buf + done, v.iov_len);
		done += v.iov_len;
	}
}

static void
handle_entry(struct tcmu_srv *s, const struct tcmu_mailbox *mb,
	     struct tcmu_cmd_entry *ent)
{
	struct odf_cmd c;
	const uint8_t *cdb;
	size_t total, clen = 0;
	bool ok;
	char hex[80];

	memset(&c, 0, sizeof c);
	ok = check_entry(s, ent, &cdb, &clen, &total);
	if (ok && total > s->buf_size) {
		uint8_t *nb = realloc(s->buf, total);

		if (!nb) {
			ok = false;
		} else {
			s->buf = nb;
			s->buf_size = total;
		}
	}
	if (!ok) {
		/* A malformed entry cannot come from a sane kernel; answer
		 * HARDWARE ERROR, INTERNAL TARGET FAILURE (04/44/00). */
		say(s->o, ODEMU_TCMU_WARN, "malformed TCMU command entry (cmd_id %u)",
			 (unsigned)ent->hdr.cmd_id);
		c.scsi_status = ODF_SAM_CHECK_CONDITION;
		fixed_sense(c.sense, 0x04, 0x44, 0x00);
		c.sense_len = 18;
		total = 0;
	} else {
		enum odf_dir dir = total ? cdb_dir(cdb) : ODF_DIR_NONE;

		odf_cmd_init(&c, cdb, clen, dir, total ? s->buf : NULL, total,
			     0);
		if (dir == ODF_DIR_OUT)
			copy_data(s, ent, true);	/* gather data-out */
		else if (total)
			memset(s->buf, 0, total);
		run_cmd(s, &c);
		if (dir == ODF_DIR_IN)
			copy_data(s, ent, false);	/* scatter data-in */
	}
	s->ncmds++;
	if (s->o->verbose >= 2 && ok)
		say(s->o, ODEMU_TCMU_NOTE, "cdb %s len %zu -> status %02x sense %02x/%02x/%02x",
			 hex_cdb(cdb, clen, hex, sizeof hex),
			 total, c.scsi_status,
			 c.sense_len > 13 ? c.sense[2] & 0x0F : 0,
			 c.sense_len > 13 ? c.sense[12] : 0,
			 c.sense_len > 13 ? c.sense[13] : 0);

	/* The response overlays the request (the union in struct
	 * tcmu_cmd_entry): everything needed from req was used above. */
	ent->rsp.scsi_status = c.scsi_status;
	memset(ent->rsp.sense_buffer, 0, TCMU_SENSE_BUFFERSIZE);
	if (c.scsi_status == ODF_SAM_CHECK_CONDITION && c.sense_len)
		memcpy(ent->rsp.sense_buffer, c.sense,
		       c.sense_len < TCMU_SENSE_BUFFERSIZE
			       ? c.sense_len : TCMU_SENSE_BUFFERSIZE);
	if ((mb->flags & TCMU_MAILBOX_FLAG_CAP_READ_LEN) &&
	    c.dir == ODF_DIR_IN && c.resid > 0 && (size_t)c.resid <= total) {
		/* short data-in: report how much the drive really sent */
		ent->hdr.uflags |= TCMU_UFLAG_READ_LEN;
		ent->rsp.read_len = (uint32_t)(total - (size_t)c.resid);
	}
}

/* Handle every entry between cmd_tail and cmd_head; returns how many
 * entries were completed (PAD included). */
static unsigned
drain_ring(struct tcmu_srv *s)
{
	struct tcmu_mailbox *mb = (struct tcmu_mailbox *)s->map;
	volatile struct tcmu_mailbox *vmb = mb;
	unsigned handled = 0;
	uint32_t head, tail, size = mb->cmdr_size;

	for (;;) {
		struct tcmu_cmd_entry *ent;
		uint32_t len;

		head = vmb->cmd_head;
		tail = vmb->cmd_tail;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (head == tail || (stop_signal && handled))
			break;
		if (size == 0 || tail >= size ||
		    !in_map(s, (uintptr_t)mb->cmdr_off + tail,
			    sizeof(struct tcmu_cmd_entry_hdr)))
			break;
		ent = (struct tcmu_cmd_entry *)(s->map + mb->cmdr_off + tail);
		len = tcmu_hdr_get_len(ent->hdr.len_op);
		if (len == 0)
			break;	/* cannot advance: corrupt ring */
		switch (tcmu_hdr_get_op(ent->hdr.len_op)) {
		case TCMU_OP_PAD:
			break;
		case TCMU_OP_CMD:
			handle_entry(s, mb, ent);
			break;
		default:
			/* TMR (never negotiated) or an op from a newer
			 * kernel: tell the kernel we did not know it */
			ent->hdr.uflags |= TCMU_UFLAG_UNKNOWN_OP;
			break;
		}
		__atomic_thread_fence(__ATOMIC_RELEASE);
		vmb->cmd_tail = (tail + len) % size;
		handled++;
	}
	return handled;
}

static int
kick(int fd)
{
	uint32_t one = 1;

	return write(fd, &one, sizeof one) == (ssize_t)sizeof one ? 0 : -1;
}

/* ---- main loop ---------------------------------------------------------- */

static int
serve(struct tcmu_srv *s)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };

	/* anything queued before we started */
	if (drain_ring(s))
		kick(s->fd);
	while (!stop_signal) {
		uint32_t events;
		int r = poll(&p, 1, 1000);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			say(s->o, ODEMU_TCMU_ERR, "poll on the UIO device: %s", strerror(errno));
			return ODEMU_TCMU_EXIT_INTERNAL;
		}
		if (r == 0)
			continue;
		if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
			say(s->o, ODEMU_TCMU_ERR, "the UIO device went away (backstore "
				"disabled or removed)");
			return ODEMU_TCMU_EXIT_DEVICE;
		}
		/* acknowledge the interrupt (event count) */
		if (read(s->fd, &events, sizeof events) < 0 &&
		    errno != EINTR && errno != EAGAIN) {
			say(s->o, ODEMU_TCMU_ERR, "read from the UIO device: %s",
				strerror(errno));
			return ODEMU_TCMU_EXIT_INTERNAL;
		}
		if (drain_ring(s) && kick(s->fd) != 0) {
			say(s->o, ODEMU_TCMU_ERR, "write to the UIO device: %s",
				strerror(errno));
			return ODEMU_TCMU_EXIT_INTERNAL;
		}
	}
	return ODEMU_TCMU_EXIT_OK;
}

int
odemu_tcmu_serve(const struct odemu_tcmu_opts *o, struct odf_diag *d)
{
	struct tcmu_srv s;
	struct sigaction sa;
	struct odemu *emu = NULL;
	char dev[PATH_MAX], name[256];
	size_t map_size = 0;
	struct tcmu_mailbox *mb;
	unsigned waited = 0;
	int rc, n;

	/* Check the drive once, so a wrong STATE fails at once, not as
	 * 02/04/00 on every command. */
	rc = odemu_open(o->state, &emu, d);
	if (rc != 0 && rc != ODF_E_NODEV)	/* powered off is served */
		return rc;
	if (emu)
		odemu_close(emu);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);	/* no SA_RESTART: poll returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (;;) {
		if (o->uio) {
			snprintf(dev, sizeof dev, "%s", o->uio);
			n = uio_facts(o->uio, &map_size, name, sizeof name) == 0;
		} else {
			n = find_uio(o->match, dev, sizeof dev, &map_size,
				     name, sizeof name);
		}
		if (n == 1 || n > 1 || waited >= o->wait_s * 10 || stop_signal)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 },
			  NULL);
		waited++;
	}
	if (n == 0) {
		if (o->uio)
			say(o, ODEMU_TCMU_ERR, "%s is not a UIO device with a map "
				"(no " SYSFS_UIO " entry)", o->uio);
		else
			say(o, ODEMU_TCMU_ERR, "no target_core_user device%s%s found in "
				SYSFS_UIO, o->match ? " named " : "",
				o->match ? o->match : "");
		say(o, ODEMU_TCMU_HINT, "load target_core_user, create "
			 "/sys/kernel/config/target/core/user_0/NAME, write "
			 "\"dev_config=NAME/odemu\" to its control file and 1 "
			 "to its enable file");
		return ODEMU_TCMU_EXIT_DEVICE;
	}
	if (n > 1) {
		say(o, ODEMU_TCMU_ERR, "%d target_core_user devices match; choose one with "
			"--device NAME or --uio /dev/uioN", n);
		return ODEMU_TCMU_EXIT_USAGE;
	}
	if (!o->uio && strncmp(name, NAME_PREFIX, strlen(NAME_PREFIX)) != 0) {
		say(o, ODEMU_TCMU_ERR, "%s is not a target_core_user device (%s)", dev, name);
		return ODEMU_TCMU_EXIT_DEVICE;
	}

	memset(&s, 0, sizeof s);
	s.o = o;
	s.map_size = map_size;
	s.fd = open(dev, O_RDWR | O_CLOEXEC);
	if (s.fd < 0) {
		say(o, ODEMU_TCMU_ERR, "cannot open %s: %s", dev, strerror(errno));
		return ODEMU_TCMU_EXIT_DEVICE;
	}
	/* map 0 is at offset 0 (UIO: map N at N * page size) */
	s.map = mmap(NULL, map_size, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd,
		     0);
	if (s.map == MAP_FAILED) {
		say(o, ODEMU_TCMU_ERR, "cannot map %s (%zu bytes): %s", dev, map_size,
			strerror(errno));
		close(s.fd);
		return ODEMU_TCMU_EXIT_DEVICE;
	}
	mb = (struct tcmu_mailbox *)s.map;
	if (mb->version != TCMU_MAILBOX_VERSION && mb->version != 1) {
		say(o, ODEMU_TCMU_ERR, "%s: unsupported TCMU mailbox version %u", dev,
			(unsigned)mb->version);
		rc = ODEMU_TCMU_EXIT_DEVICE;
	} else if (mb->cmdr_size == 0 ||
		   !in_map(&s, mb->cmdr_off, mb->cmdr_size)) {
		say(o, ODEMU_TCMU_ERR, "%s: command ring outside the mapping", dev);
		rc = ODEMU_TCMU_EXIT_DEVICE;
	} else {
		if (o->verbose)
			say(o, ODEMU_TCMU_NOTE, "serving %s on %s (%s, ring %u bytes)",
				 o->state, dev, name, (unsigned)mb->cmdr_size);
		rc = serve(&s);
		if (o->verbose)
			say(o, ODEMU_TCMU_NOTE, "stopped after %" PRIu64 " commands",
				 s.ncmds);
	}
	munmap(s.map, map_size);
	close(s.fd);
	free(s.buf);
	return rc;
}
