/* libodemu-preload.so: make emulated drives look like Linux /dev/srN and
 * /dev/sgN nodes to any program (sg3_utils, sdparm, wodim, xorriso,
 * cd-info, eject, binflash, ...).
 *
 *   LD_PRELOAD=libodemu-preload.so ODEMU_MAP=/dev/sg90=STATE[,/dev/sr0=S2]
 *
 * A mapped path whose name starts with "sr" (or "scd") is a block device
 * 11:N, any other a character device 21:N (the sg driver), N being the
 * number in its name (Linux Documentation/admin-guide/devices.txt).  Two
 * paths mapped to one state file are two nodes of one drive (sr0 and sg0),
 * at SCSI address H:0:0:0 with H = 90 + the drive's index among the
 * distinct state files of ODEMU_MAP, in order (the fake sysfs a test
 * builds for `odflash scan` uses the same numbers).  ODEMU_HOST_BASE=N
 * (0..199) puts the first drive at host N instead of 90.
 *
 * open() of a mapped path returns a real placeholder descriptor (a memfd,
 * so that close/dup/poll on it behave) and opens the drive; stat/lstat of
 * the path, fstat of the descriptor, access, realpath and readlink answer
 * as for a device node in /dev; ioctls go to kernel.c, which answers them
 * as the sr or sg driver would, through the emulated drive.
 *
 * A descriptor this process did not open itself is taken as a node of
 * the drive when the path it was opened by, as /proc/self/fd names it,
 * is a mapped path that exists as a regular file (the placeholder a test
 * gives the other process to open).  That is how a Wine program gets its
 * devices: wineserver opens the file and sends the descriptor over its
 * socket (measured: strace of wine64 8.0 shows the descriptor of
 * dosdevices/d:: arriving by recvmsg SCM_RIGHTS).  The drive opens in
 * this process at the descriptor's first ioctl or fstat.
 *
 * Interposed symbols (what the Debian 12 initiators import, `nm -D`):
 * libsgutils2 open64, __open64_2, fstat64, ioctl; sdparm open, __open_2,
 * fstat, stat; wodim open64, stat64, lstat64, fstat64, readlink; libburn
 * (xorriso) open, __open_2, __xstat, __lxstat, __fxstat, readlink;
 * libcdio (cd-info) open, stat, lstat, fstat, realpath; eject/libmount
 * open, __open_2, openat, __openat_2, stat, lstat, fstat, fstatat, access,
 * faccessat, realpath, readlink; Wine's ntdll.so (wine64 8.0) open,
 * fstat, ioctl.  The rest of each family (the 64-bit and versioned
 * variants, statx) is interposed alike.
 *
 * With ODEMU_SLEEP=drive, sleep() (what btcflash waits with, `nm -D`)
 * runs in the time of the first drive this process has open: counted as
 * its modelled time and slept for the asked time times its time scale
 * (odemu new --time-scale; 0 = at once), odemu_host_sleep.  Without it,
 * or with no drive open, sleep() is the C library's.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "odemu/odemu.h"
#include "preload.h"

#define MAX_MAP 16
#define MAX_FD 1024
#define HOST_BASE 90
#define SR_MAJOR 11	/* Linux devices.txt: SCSI CD-ROM */
#define SG_MAJOR 21	/* Linux devices.txt: SCSI generic */

struct map {
	char dev[128];
	char state[512];
	unsigned minor;
	enum pl_kind kind;
	unsigned host;
	int drive;		/* first map of the same state file */
	bool file;		/* the path exists as a regular file: */
	char canon[PATH_MAX];	/* its real path, for descriptors passed in */
};

static size_t n_file_maps;

static struct map maps[MAX_MAP];
static size_t n_maps;
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* recursive: odemu_open, called with it held, calls our fstat */
static pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static struct pl_fd fds[MAX_FD];
/* One emulated drive per state file, shared by every descriptor this
 * process has open on its nodes (the kernel lets sr0 and sg0 be open at
 * once; odemu_open locks the state against a second opener). */
static struct odemu *drive_e[MAX_MAP];
static unsigned drive_refs[MAX_MAP];

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_stat)(const char *, struct stat *);
static int (*real_stat64)(const char *, struct stat64 *);
static int (*real_lstat)(const char *, struct stat *);
static int (*real_lstat64)(const char *, struct stat64 *);
static int (*real_fstat)(int, struct stat *);
static int (*real_fstat64)(int, struct stat64 *);
static int (*real_fstatat)(int, const char *, struct stat *, int);
static int (*real_fstatat64)(int, const char *, struct stat64 *, int);
static int (*real_xstat)(int, const char *, struct stat *);
static int (*real_xstat64)(int, const char *, struct stat64 *);
static int (*real_lxstat)(int, const char *, struct stat *);
static int (*real_lxstat64)(int, const char *, struct stat64 *);
static int (*real_fxstat)(int, int, struct stat *);
static int (*real_fxstat64)(int, int, struct stat64 *);
static int (*real_fxstatat)(int, int, const char *, struct stat *, int);
static int (*real_fxstatat64)(int, int, const char *, struct stat64 *, int);
static int (*real_statx)(int, const char *, int, unsigned, struct statx *);
static int (*real_access)(const char *, int);
static int (*real_faccessat)(int, const char *, int, int);
static char *(*real_realpath)(const char *, char *);
static ssize_t (*real_readlink)(const char *, char *, size_t);
static ssize_t (*real_readlinkat)(int, const char *, char *, size_t);
static unsigned (*real_sleep)(unsigned);

static void *
sym(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

/* Object pointers from dlsym become function pointers through memcpy
 * (ISO C has no cast between them). */
#define LOAD(var, name) do { void *p_ = sym(name); \
	memcpy(&(var), &p_, sizeof(var)); } while (0)

static void
parse_map(void)
{
	const char *env = getenv("ODEMU_MAP");
	const char *hb = getenv("ODEMU_HOST_BASE");
	unsigned drives = 0, host0 = HOST_BASE;

	if (hb && *hb) {
		char *end;
		unsigned long v = strtoul(hb, &end, 10);

		if (*end == '\0' && v < 200)
			host0 = (unsigned)v;
	}

	while (env && *env && n_maps < MAX_MAP) {
		const char *comma = strchr(env, ',');
		size_t len = comma ? (size_t)(comma - env) : strlen(env);
		const char *eq = memchr(env, '=', len);
		size_t dl = eq ? (size_t)(eq - env) : 0;

		if (eq && dl > 0 && dl < sizeof(maps[0].dev) &&
		    len - dl - 1 < sizeof(maps[0].state)) {
			struct map *m = &maps[n_maps];
			const char *base, *digits;
			size_t j;

			memcpy(m->dev, env, dl);
			m->dev[dl] = '\0';
			memcpy(m->state, eq + 1, len - dl - 1);
			m->state[len - dl - 1] = '\0';
			base = strrchr(m->dev, '/');
			base = base ? base + 1 : m->dev;
			m->kind = (strncmp(base, "sr", 2) == 0 ||
				   strncmp(base, "scd", 3) == 0) ? PL_SR : PL_SG;
			digits = base + strcspn(base, "0123456789");
			m->minor = (unsigned)strtoul(digits, NULL, 10);
			for (j = 0; j < n_maps; j++)
				if (strcmp(maps[j].state, m->state) == 0)
					break;
			m->host = j < n_maps ? maps[j].host :
				  host0 + drives++;
			m->drive = j < n_maps ? maps[j].drive : (int)n_maps;
			n_maps++;
		}
		env = comma ? comma + 1 : NULL;
	}
}

static void
init(void)
{
	LOAD(real_open, "open");
	LOAD(real_open64, "open64");
	LOAD(real_openat, "openat");
	LOAD(real_openat64, "openat64");
	LOAD(real_close, "close");
	LOAD(real_ioctl, "ioctl");
	LOAD(real_stat, "stat");
	LOAD(real_stat64, "stat64");
	LOAD(real_lstat, "lstat");
	LOAD(real_lstat64, "lstat64");
	LOAD(real_fstat, "fstat");
	LOAD(real_fstat64, "fstat64");
	LOAD(real_fstatat, "fstatat");
	LOAD(real_fstatat64, "fstatat64");
	LOAD(real_xstat, "__xstat");
	LOAD(real_xstat64, "__xstat64");
	LOAD(real_lxstat, "__lxstat");
	LOAD(real_lxstat64, "__lxstat64");
	LOAD(real_fxstat, "__fxstat");
	LOAD(real_fxstat64, "__fxstat64");
	LOAD(real_fxstatat, "__fxstatat");
	LOAD(real_fxstatat64, "__fxstatat64");
	LOAD(real_statx, "statx");
	LOAD(real_access, "access");
	LOAD(real_faccessat, "faccessat");
	LOAD(real_realpath, "realpath");
	LOAD(real_readlink, "readlink");
	LOAD(real_readlinkat, "readlinkat");
	LOAD(real_sleep, "sleep");
	parse_map();
	for (size_t i = 0; i < n_maps; i++) {
		struct stat st;

		if (real_realpath(maps[i].dev, maps[i].canon) != NULL &&
		    real_stat(maps[i].canon, &st) == 0 && S_ISREG(st.st_mode)) {
			maps[i].file = true;
			n_file_maps++;
		}
	}
}

/* The map of an absolute path (or of a relative one given with AT_FDCWD
 * exactly as in ODEMU_MAP), -1 if none. */
static int
find_map(int dirfd, const char *path)
{
	pthread_once(&once, init);
	if (path == NULL || (path[0] != '/' && dirfd != AT_FDCWD))
		return -1;
	for (size_t i = 0; i < n_maps; i++)
		if (strcmp(maps[i].dev, path) == 0)
			return (int)i;
	return -1;
}

static int adopt(int fd);

static struct pl_fd *
fd_of(int fd)
{
	struct pl_fd *f = NULL;

	pthread_once(&once, init);
	if (fd < 0 || fd >= MAX_FD)
		return NULL;
	pthread_mutex_lock(&lock);
	if (fds[fd].e == NULL && n_file_maps > 0)
		(void)adopt(fd);
	if (fds[fd].e)
		f = &fds[fd];
	pthread_mutex_unlock(&lock);
	return f;
}

unsigned
odemu_pl_use_count(int map)
{
	unsigned n = 0;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < MAX_FD; i++)
		if (fds[i].e && fds[i].kind == PL_SR &&
		    maps[fds[i].map].drive == maps[map].drive)
			n++;
	pthread_mutex_unlock(&lock);
	return n;
}

/* The cdrom layer keeps keeplocked per device, across processes, until
 * the drive goes away: here it lives beside the state file, in
 * STATE.keeplocked, which the preload alone creates and removes. */
static bool
keeplocked_path(int map, char *out, size_t size)
{
	int n = snprintf(out, size, "%s.keeplocked", maps[map].state);

	return n > 0 && (size_t)n < size;
}

bool
odemu_pl_keeplocked(int map)
{
	char p[sizeof(maps[0].state) + 16];
	struct stat st;

	return keeplocked_path(map, p, sizeof(p)) && real_stat(p, &st) == 0;
}

void
odemu_pl_set_keeplocked(int map, bool on)
{
	char p[sizeof(maps[0].state) + 16];
	int fd;

	if (!keeplocked_path(map, p, sizeof(p)))
		return;
	if (!on) {
		unlink(p);
		return;
	}
	fd = real_open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		real_close(fd);
}

/* Take the drive of map mi for descriptor fd (lock held): the drive
 * opens on the first descriptor.  0, or -1 with errno as the kernel would
 * set it for a node that is missing (ENODEV/ENXIO) or busy (EBUSY). */
static int
attach(int mi, int fd)
{
	const struct map *m = &maps[mi];
	struct odemu *e = drive_e[m->drive];
	struct odf_diag d;
	int rc = 0;

	if (e == NULL) {
		odf_diag_clear(&d);
		rc = odemu_open(m->state, &e, &d);
	} else {
		struct odemu_status st;
		odemu_get_status(e, &st);
		if (st.powered_off)		/* the node is gone */
			rc = ODF_E_NODEV;
	}
	if (rc < 0) {
		errno = rc == ODF_E_OPEN || rc == ODF_E_BUSY ? EBUSY :
			rc == ODF_E_ACCESS ? EACCES : ENXIO;
		return -1;
	}
	drive_e[m->drive] = e;
	drive_refs[m->drive]++;
	memset(&fds[fd], 0, sizeof(fds[fd]));
	fds[fd].e = e;
	fds[fd].map = mi;
	fds[fd].kind = m->kind;
	fds[fd].minor = m->minor;
	fds[fd].host = m->host;
	return 0;
}

/* A descriptor another process opened on a mapped path that is a regular
 * file (lock held): /proc/self/fd/N names the file it was opened by
 * (Linux Documentation/filesystems/proc.rst, /proc/PID/fd). */
static int
adopt(int fd)
{
	char link[32], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = real_readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return -1;
	target[n] = '\0';
	for (size_t i = 0; i < n_maps; i++)
		if (maps[i].file && strcmp(maps[i].canon, target) == 0)
			return attach((int)i, fd);
	return -1;
}

/* Open a mapped drive: a placeholder descriptor (a memfd) for it. */
static int
open_mapped(int mi)
{
	const struct map *m = &maps[mi];
	int fd;

	pthread_mutex_lock(&lock);
	fd = memfd_create(m->kind == PL_SR ? "odemu-sr" : "odemu-sg",
			  MFD_CLOEXEC);
	if (fd < 0 || fd >= MAX_FD) {
		if (fd >= 0)
			real_close(fd);
		pthread_mutex_unlock(&lock);
		errno = EMFILE;
		return -1;
	}
	if (attach(mi, fd) < 0) {
		int e = errno;

		real_close(fd);
		pthread_mutex_unlock(&lock);
		errno = e;
		return -1;
	}
	pthread_mutex_unlock(&lock);
	return fd;
}

static mode_t
mode_arg(int flags, va_list ap)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return (mode_t)va_arg(ap, int);
	return 0;
}

#define OPEN_BODY(realfn, ...) do { \
	va_list ap; mode_t mode; int mi; \
	va_start(ap, flags); mode = mode_arg(flags, ap); va_end(ap); \
	mi = find_map(AT_FDCWD, path); \
	if (mi >= 0) return open_mapped(mi); \
	return realfn(__VA_ARGS__, mode); } while (0)

#define OPENAT_BODY(realfn) do { \
	va_list ap; mode_t mode; int mi; \
	va_start(ap, flags); mode = mode_arg(flags, ap); va_end(ap); \
	mi = find_map(dirfd, path); \
	if (mi >= 0) return open_mapped(mi); \
	return realfn(dirfd, path, flags, mode); } while (0)

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

int
open(const char *path, int flags, ...)
{
	OPEN_BODY(real_open, path, flags);
}

int
open64(const char *path, int flags, ...)
{
	OPEN_BODY(real_open64, path, flags);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	OPENAT_BODY(real_openat);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	OPENAT_BODY(real_openat64);
}

int
__open_2(const char *path, int flags)
{
	return open(path, flags);
}

int
__open64_2(const char *path, int flags)
{
	return open64(path, flags);
}

int
__openat_2(int dirfd, const char *path, int flags)
{
	return openat(dirfd, path, flags);
}

int
__openat64_2(int dirfd, const char *path, int flags)
{
	return openat64(dirfd, path, flags);
}

int close(int fd);

int
close(int fd)
{
	struct odemu *e = NULL;

	pthread_once(&once, init);
	if (fd >= 0 && fd < MAX_FD && fds[fd].e)
		odemu_pl_release(&fds[fd]);
	if (fd >= 0 && fd < MAX_FD) {
		pthread_mutex_lock(&lock);
		if (fds[fd].e) {
			int dr = maps[fds[fd].map].drive;
			if (--drive_refs[dr] == 0) {
				e = drive_e[dr];
				drive_e[dr] = NULL;
			}
		}
		memset(&fds[fd], 0, sizeof(fds[fd]));
		pthread_mutex_unlock(&lock);
	}
	if (e)
		odemu_close(e);
	return real_close(fd);
}

unsigned sleep(unsigned s);

unsigned
sleep(unsigned s)
{
	const char *mode = getenv("ODEMU_SLEEP");
	bool slept = false;

	pthread_once(&once, init);
	if (mode && strcmp(mode, "drive") == 0) {
		pthread_mutex_lock(&lock);
		for (size_t i = 0; i < MAX_MAP && !slept; i++)
			if (drive_e[i]) {
				odemu_host_sleep(drive_e[i],
						 (uint64_t)s * 1000000000ull);
				slept = true;
			}
		pthread_mutex_unlock(&lock);
	}
	return slept ? 0 : real_sleep(s);
}

int ioctl(int fd, unsigned long req, ...);

int
ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	struct pl_fd *f;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	f = fd_of(fd);
	if (f == NULL)
		return real_ioctl(fd, req, arg);
	return odemu_pl_ioctl(f, req, arg);
}

/* ---- stat: a device node in /dev ------------------------------------------ */
/* Fill a struct stat or stat64 for map m: root:root 0660 (INFERRED: udev
 * gives sr/sg nodes group cdrom/disk; the owner matters to no initiator
 * we run), st_rdev from the node's kind and number. */
#define FILL_STAT(st, m) do { \
	memset((st), 0, sizeof(*(st))); \
	(st)->st_mode = ((m)->kind == PL_SR ? S_IFBLK : S_IFCHR) | 0660; \
	(st)->st_rdev = makedev((m)->kind == PL_SR ? SR_MAJOR : SG_MAJOR, \
				(m)->minor); \
	(st)->st_nlink = 1; \
	(st)->st_blksize = 4096; } while (0)

static const struct map *
map_of_fd(int fd)
{
	struct pl_fd *f = fd_of(fd);

	return f ? &maps[f->map] : NULL;
}

static const struct map *
map_of_path(int dirfd, const char *path, int flags)
{
	int mi;

	if (path && path[0] == '\0' && (flags & AT_EMPTY_PATH))
		return map_of_fd(dirfd);
	mi = find_map(dirfd, path);
	return mi >= 0 ? &maps[mi] : NULL;
}

int stat(const char *path, struct stat *st);
int stat64(const char *path, struct stat64 *st);
int lstat(const char *path, struct stat *st);
int lstat64(const char *path, struct stat64 *st);
int fstat(int fd, struct stat *st);
int fstat64(int fd, struct stat64 *st);
int fstatat(int dirfd, const char *path, struct stat *st, int flags);
int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags);
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st,
	       int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
		 int flags);

#define STAT_PATH(path, st, call) do { \
	const struct map *m_ = map_of_path(AT_FDCWD, (path), 0); \
	if (m_) { FILL_STAT((st), m_); return 0; } \
	return call; } while (0)
#define STAT_FD(fd, st, call) do { \
	const struct map *m_ = map_of_fd(fd); \
	if (m_) { FILL_STAT((st), m_); return 0; } \
	return call; } while (0)
#define STAT_AT(dirfd, path, st, flags, call) do { \
	const struct map *m_ = map_of_path((dirfd), (path), (flags)); \
	if (m_) { FILL_STAT((st), m_); return 0; } \
	return call; } while (0)

int stat(const char *path, struct stat *st)
{ STAT_PATH(path, st, real_stat(path, st)); }
int stat64(const char *path, struct stat64 *st)
{ STAT_PATH(path, st, real_stat64(path, st)); }
int lstat(const char *path, struct stat *st)
{ STAT_PATH(path, st, real_lstat(path, st)); }
int lstat64(const char *path, struct stat64 *st)
{ STAT_PATH(path, st, real_lstat64(path, st)); }
int fstat(int fd, struct stat *st)
{ STAT_FD(fd, st, real_fstat(fd, st)); }
int fstat64(int fd, struct stat64 *st)
{ STAT_FD(fd, st, real_fstat64(fd, st)); }
int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{ STAT_AT(dirfd, path, st, flags, real_fstatat(dirfd, path, st, flags)); }
int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{ STAT_AT(dirfd, path, st, flags,
	  real_fstatat64(dirfd, path, st, flags)); }
int __xstat(int ver, const char *path, struct stat *st)
{ STAT_PATH(path, st, real_xstat(ver, path, st)); }
int __xstat64(int ver, const char *path, struct stat64 *st)
{ STAT_PATH(path, st, real_xstat64(ver, path, st)); }
int __lxstat(int ver, const char *path, struct stat *st)
{ STAT_PATH(path, st, real_lxstat(ver, path, st)); }
int __lxstat64(int ver, const char *path, struct stat64 *st)
{ STAT_PATH(path, st, real_lxstat64(ver, path, st)); }
int __fxstat(int ver, int fd, struct stat *st)
{ STAT_FD(fd, st, real_fxstat(ver, fd, st)); }
int __fxstat64(int ver, int fd, struct stat64 *st)
{ STAT_FD(fd, st, real_fxstat64(ver, fd, st)); }
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st,
	       int flags)
{ STAT_AT(dirfd, path, st, flags,
	  real_fxstatat(ver, dirfd, path, st, flags)); }
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
		 int flags)
{ STAT_AT(dirfd, path, st, flags,
	  real_fxstatat64(ver, dirfd, path, st, flags)); }

int
statx(int dirfd, const char *path, int flags, unsigned mask,
      struct statx *sx)
{
	const struct map *m = map_of_path(dirfd, path, flags);

	if (m == NULL) {
		if (real_statx == NULL) {
			errno = ENOSYS;
			return -1;
		}
		return real_statx(dirfd, path, flags, mask, sx);
	}
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_TYPE | STATX_MODE | STATX_NLINK;
	sx->stx_mode = (uint16_t)((m->kind == PL_SR ? S_IFBLK : S_IFCHR) |
				  0660);
	sx->stx_nlink = 1;
	sx->stx_blksize = 4096;
	sx->stx_rdev_major = m->kind == PL_SR ? SR_MAJOR : SG_MAJOR;
	sx->stx_rdev_minor = m->minor;
	return 0;
}

/* ---- names: the node exists, is readable, and is no link ------------------ */
int
access(const char *path, int amode)
{
	if (find_map(AT_FDCWD, path) >= 0)
		return 0;
	return real_access(path, amode);
}

int
faccessat(int dirfd, const char *path, int amode, int flags)
{
	if (find_map(dirfd, path) >= 0)
		return 0;
	return real_faccessat(dirfd, path, amode, flags);
}

char *
realpath(const char *path, char *resolved)
{
	size_t n;

	if (find_map(AT_FDCWD, path) < 0 || path[0] != '/')
		return real_realpath(path, resolved);
	n = strlen(path) + 1;
	if (resolved == NULL)
		return strdup(path);
	if (n > PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	memcpy(resolved, path, n);
	return resolved;
}

ssize_t
readlink(const char *path, char *buf, size_t size)
{
	if (find_map(AT_FDCWD, path) >= 0) {
		errno = EINVAL;		/* not a symbolic link */
		return -1;
	}
	return real_readlink(path, buf, size);
}

ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	if (find_map(dirfd, path) >= 0) {
		errno = EINVAL;
		return -1;
	}
	return real_readlinkat(dirfd, path, buf, size);
}
