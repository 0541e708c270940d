/* libodemu-preload.so: make emulated drives look like /dev/sgN nodes to
 * any program that uses SG_IO (sg3_utils, binflash, ...).
 *
 *   LD_PRELOAD=libodemu-preload.so ODEMU_MAP=/dev/sg90=STATE[,/dev/sg91=S2]
 *
 * open() of a mapped path returns a real placeholder descriptor (a
 * memfd, so that close/dup/poll on it behave) and opens the drive; SG_IO
 * ioctls on it are translated to struct odf_cmd and answered by
 * odemu_exec; fstat reports a character device.
 *
 * Interposed symbols: Debian's libsgutils2 imports open64, __open64_2
 * (it is built with _FORTIFY_SOURCE), close, ioctl and fstat64
 * (docs/internals/rig.md §7); open/__open_2/fstat/__fxstat/__fxstat64
 * cover other programs.  The sg_io_hdr v3 layout, SG_IO, SG_GET_VERSION_NUM
 * and SG_GET_SCSI_ID come from <scsi/sg.h> (Linux include/scsi/sg.h).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "odemu/odemu.h"

#define MAX_MAP 16
#define MAX_FD 1024

struct map {
	char dev[128];
	char state[512];
	unsigned minor;
};

static struct map maps[MAX_MAP];
static size_t n_maps;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct odemu *fds[MAX_FD];
static unsigned fd_minor[MAX_FD];

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_close)(int);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_fstat)(int, struct stat *);
static int (*real_fstat64)(int, struct stat64 *);

static void
init(void)
{
	const char *env = getenv("ODEMU_MAP");

	real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	real_open64 = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
							     "open64");
	real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT,
							     "ioctl");
	real_fstat = (int (*)(int, struct stat *))dlsym(RTLD_NEXT, "fstat");
	real_fstat64 = (int (*)(int, struct stat64 *))dlsym(RTLD_NEXT,
							    "fstat64");
	while (env && *env && n_maps < MAX_MAP) {
		const char *comma = strchr(env, ',');
		size_t len = comma ? (size_t)(comma - env) : strlen(env);
		const char *eq = memchr(env, '=', len);

		if (eq && eq > env && (size_t)(eq - env) < sizeof(maps[0].dev) &&
		    len - (size_t)(eq - env) - 1 < sizeof(maps[0].state)) {
			struct map *m = &maps[n_maps];
			const char *digits;
			memcpy(m->dev, env, (size_t)(eq - env));
			m->dev[eq - env] = '\0';
			memcpy(m->state, eq + 1, len - (size_t)(eq - env) - 1);
			m->state[len - (size_t)(eq - env) - 1] = '\0';
			digits = m->dev + strcspn(m->dev, "0123456789");
			m->minor = (unsigned)strtoul(digits, NULL, 10);
			n_maps++;
		}
		env = comma ? comma + 1 : NULL;
	}
}

static const struct map *
find_map(const char *path)
{
	pthread_once(&once, init);
	for (size_t i = 0; path && i < n_maps; i++)
		if (strcmp(maps[i].dev, path) == 0)
			return &maps[i];
	return NULL;
}

static struct odemu *
emu_of(int fd)
{
	struct odemu *e;

	if (fd < 0 || fd >= MAX_FD)
		return NULL;
	pthread_mutex_lock(&lock);
	e = fds[fd];
	pthread_mutex_unlock(&lock);
	return e;
}

/* Open a mapped drive: errno as the kernel would set it for a node that
 * is missing (ENODEV/ENXIO) or busy (EBUSY). */
static int
open_mapped(const struct map *m)
{
	struct odemu *e = NULL;
	struct odf_diag d;
	int fd, rc;

	odf_diag_clear(&d);
	rc = odemu_open(m->state, &e, &d);
	if (rc < 0) {
		errno = rc == ODF_E_OPEN ? EBUSY :
			rc == ODF_E_ACCESS ? EACCES : ENXIO;
		return -1;
	}
	fd = memfd_create("odemu-sg", MFD_CLOEXEC);
	if (fd < 0 || fd >= MAX_FD) {
		if (fd >= 0)
			real_close(fd);
		odemu_close(e);
		errno = EMFILE;
		return -1;
	}
	pthread_mutex_lock(&lock);
	fds[fd] = e;
	fd_minor[fd] = m->minor;
	pthread_mutex_unlock(&lock);
	return fd;
}

static int
do_open(int (*fn)(const char *, int, ...), const char *path, int flags,
	mode_t mode)
{
	const struct map *m = find_map(path);

	if (m)
		return open_mapped(m);
	return fn(path, flags, mode);
}

static mode_t
mode_arg(int flags, va_list ap)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return (mode_t)va_arg(ap, int);
	return 0;
}

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int close(int fd);
int ioctl(int fd, unsigned long req, ...);
int fstat(int fd, struct stat *st);
int fstat64(int fd, struct stat64 *st);

int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	pthread_once(&once, init);
	return do_open(real_open, path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	pthread_once(&once, init);
	return do_open(real_open64 ? real_open64 : real_open, path, flags,
		       mode);
}

int
__open_2(const char *path, int flags)
{
	pthread_once(&once, init);
	return do_open(real_open, path, flags, 0);
}

int
__open64_2(const char *path, int flags)
{
	pthread_once(&once, init);
	return do_open(real_open64 ? real_open64 : real_open, path, flags, 0);
}

int
close(int fd)
{
	struct odemu *e = NULL;

	pthread_once(&once, init);
	if (fd >= 0 && fd < MAX_FD) {
		pthread_mutex_lock(&lock);
		e = fds[fd];
		fds[fd] = NULL;
		pthread_mutex_unlock(&lock);
	}
	if (e)
		odemu_close(e);
	return real_close(fd);
}

static void
fake_stat(int fd, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0660;
	st->st_rdev = makedev(21, fd_minor[fd]);	/* sg major 21 */
	st->st_blksize = 4096;
	st->st_nlink = 1;
}

int
fstat(int fd, struct stat *st)
{
	pthread_once(&once, init);
	if (emu_of(fd)) {
		fake_stat(fd, st);
		return 0;
	}
	return real_fstat(fd, st);
}

int
fstat64(int fd, struct stat64 *st)
{
	pthread_once(&once, init);
	if (emu_of(fd)) {
		struct stat s;
		fake_stat(fd, &s);
		memset(st, 0, sizeof(*st));
		st->st_mode = s.st_mode;
		st->st_rdev = s.st_rdev;
		st->st_blksize = s.st_blksize;
		st->st_nlink = s.st_nlink;
		return 0;
	}
	return real_fstat64(fd, st);
}

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

int
ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	struct odemu *e;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	pthread_once(&once, init);
	e = emu_of(fd);
	if (e == NULL)
		return real_ioctl(fd, req, arg);
	switch (req) {
	case SG_IO:
		return sg_io(e, arg);
	case SG_GET_VERSION_NUM:
		*(int *)arg = 30536;		/* sg driver 3.5.36 */
		return 0;
	case SG_GET_SCSI_ID: {
		struct sg_scsi_id *id = arg;
		memset(id, 0, sizeof(*id));
		id->host_no = 90;
		id->scsi_type = 5;		/* CD/DVD */
		id->h_cmd_per_lun = 1;
		id->d_queue_depth = 1;
		return 0;
	}
	case SG_GET_RESERVED_SIZE:
		*(int *)arg = (int)(odemu_max_transfer(e) ?
				    odemu_max_transfer(e) : 1u << 20);
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
		*(int *)arg = 0;
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}
