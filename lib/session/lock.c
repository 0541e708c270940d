/* odflash session: one writer per drive (issue #18, "Two writers, one
 * drive").
 *
 * Two odflash runs on one drive would interleave their commands: a dump
 * between a flash's erase and its commit, two flashes at once.  The
 * device node cannot say it: /dev/sr0, /dev/sg0 and a /dev/disk/by-id/
 * link are separate nodes of one drive, and an O_EXCL open of one does
 * not stop the others.  So the lock is keyed on the drive's identity,
 * found by identifying it: a file in <state dir>/locks/ named by the
 * SHA-256 of vendor, model and serial number.  A drive without a serial
 * number (VPD page 80h is optional, SPC-4 7.8.19) is keyed on where it
 * is, which every name of it resolves to: its SCSI address H:C:T:L as
 * the transport found it in sysfs (/dev/sr0, /dev/sg0, a by-id link and
 * "H:C:T:L" all give it); without one (emu:PATH), the real path of the
 * node or state file the name leads to.  Not the INQUIRY strings: a
 * drive in safe or boot mode answers other ones.  The holder keeps an exclusive flock(2) on it
 * for the whole job and writes "PID OP DEVICE" into it; the kernel drops
 * the flock when the process ends, however it ends, so a run killed by
 * SIGKILL leaves a file with words in it but no lock: the next run takes
 * the lock, sees the words and reports the stale lock it cleared.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "odf/image.h"
#include "session/session_int.h"
#include "util/platform.h"

static const char *const op_verb[] = { "flashing", "recovering", "verifying",
				       "dumping", "writing the bootcode of" };

/* Where a drive without a serial number is: see the top of the file. */
static const char *
where(const struct odfi_session *R, char *buf, size_t len)
{
	const struct odf_dev_info *info = R->dev ? odf_dev_get_info(R->dev) :
					  NULL;
	const char *name = R->o->device, *colon;
	char real[PATH_MAX];

	if (info && info->hctl[0]) {
		snprintf(buf, len, "hctl %s", info->hctl);
		return buf;
	}
	/* emu:PATH (a backend's prefix): the path after the prefix */
	colon = strchr(name, ':');
	if (colon && colon[1] != '\0' && memchr(name, '/', (size_t)(colon -
						   name)) == NULL)
		name = colon + 1;
	if (realpath(name, real) != NULL)
		snprintf(buf, len, "path %s", real);
	else
		snprintf(buf, len, "name %s", R->o->device);
	return buf;
}

static int
lock_path(const struct odfi_session *R, char *path, size_t len,
	  struct odf_diag *d)
{
	char key[4200], hex[65], dir[4200], at[PATH_MAX + 16];
	int n, rc;

	if (R->id.serial[0])
		n = snprintf(key, sizeof(key), "%s\n%s\n%s", R->id.vendor,
			     R->id.product, R->id.serial);
	else
		n = snprintf(key, sizeof(key), "at\n%s", where(R, at,
							      sizeof(at)));
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(key))
		n = (int)sizeof(key) - 1;
	odf_sha256_hex((const uint8_t *)key, (size_t)n, hex);
	snprintf(dir, sizeof(dir), "%s" ODFI_SEP "locks", R->state_dir);
	rc = odfi_mkdirs(dir, d);
	if (rc < 0)
		return rc;
	hex[32] = '\0';
	if (snprintf(path, len, "%s" ODFI_SEP "%s.lock", dir, hex) >= (int)len)
		return odf_diag_set(d, ODF_E_BACKUP, "lock path too long");
	return 0;
}

/* What the file says: "PID OP DEVICE" (0 when empty or unreadable). */
static long
read_holder(int fd, char *what, size_t len)
{
	char buf[600];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid = 0;
	int used = 0;

	what[0] = '\0';
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%ld %n", &pid, &used) != 1 || pid <= 0)
		return 0;
	snprintf(what, len, "%s", buf + used);
	what[strcspn(what, "\n")] = '\0';
	return pid;
}

int
odfi_drive_lock(struct odfi_session *R, struct odf_diag *d)
{
	char path[4300], what[600], line[600];
	long pid;
	int fd, rc, n;

	if (!R->state_dir[0])
		return 0;	/* a library caller without a state dir */
	rc = lock_path(R, path, sizeof(path), d);
	if (rc < 0)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;

		odf_diag_set(d, ODF_E_BACKUP, "cannot open the drive lock %s: "
			     "%s%s", path, strerror(e), e == ELOOP ?
			     " (a symbolic link: refused)" : "");
		odf_diag_reason(d, ODF_R_LOCK_UNUSABLE);
		odf_diag_fact_path(d, path);
		return ODF_E_BACKUP;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		pid = read_holder(fd, what, sizeof(what));
		close(fd);
		if (pid > 0) {
			const char *sp = strchr(what, ' ');
			int op = sp ? (int)(sp - what) : 0;

			odf_diag_set(d, ODF_E_BUSY, "busy: odflash PID %ld is "
				     "%.*s it (%s %s, serial %s, opened as %s)",
				     pid, op, what, R->id.vendor,
				     R->id.product, R->id.serial[0] ?
				     R->id.serial : "none",
				     sp ? sp + 1 : "?");
		} else {
			odf_diag_set(d, ODF_E_BUSY, "busy: another odflash is "
				     "working on %s %s", R->id.vendor,
				     R->id.product);
		}
		odf_diag_reason(d, ODF_R_DRIVE_LOCKED);
		if (d)
			d->step[0] = '\0';	/* not a failed command */
		return ODF_E_BUSY;
	}
	pid = read_holder(fd, what, sizeof(what));
	if (pid > 0)
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "cleared a stale drive lock: "
			    "odflash PID %ld (%s) ended without releasing it "
			    "(killed?)", pid, what);
	n = snprintf(line, sizeof(line), "%ld %s %s\n", (long)getpid(),
		     op_verb[R->op], R->o->device);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = (int)strlen(line);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, line, (size_t)n, 0) != n) {
		int e = errno;

		close(fd);
		return odf_diag_set(d, ODF_E_BACKUP, "cannot write the drive "
				    "lock %s: %s", path, strerror(e));
	}
	R->lock_fd = fd;
	return 0;
}

void
odfi_drive_unlock(struct odfi_session *R)
{
	if (R->lock_fd < 0)
		return;
	/* empty = released in order; the file stays (unlinking it under
	 * the lock would race a run that has just opened it) */
	if (ftruncate(R->lock_fd, 0) < 0)
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "drive lock not cleared: %s",
			    strerror(errno));
	close(R->lock_fd);
	R->lock_fd = -1;
}

/* The H:C:T:L a device name resolves to through sysfs, "" if none. */
static void
hctl_of(const struct odfi_session *R, const char *name, char *hctl, size_t len)
{
	struct odf_dev_info info;

	hctl[0] = '\0';
	memset(&info, 0, sizeof(info));
	if (odf_resolve_name(R->sysfs, "/dev", name, &info, NULL) == 0)
		snprintf(hctl, len, "%s", info.hctl);
}

void
odfi_drive_lock_holder(struct odfi_session *R, struct odf_diag *d)
{
	char dir[4200], path[4500], what[600], mine[32], theirs[32];
	struct dirent *de;
	DIR *dp;

	if (!R->state_dir[0])
		return;
	hctl_of(R, R->o->device, mine, sizeof(mine));
	if (!mine[0])
		return;
	snprintf(dir, sizeof(dir), "%s" ODFI_SEP "locks", R->state_dir);
	dp = opendir(dir);
	if (dp == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		const char *dev;
		long pid;
		int fd;

		if (!strstr(de->d_name, ".lock"))
			continue;
		snprintf(path, sizeof(path), "%s" ODFI_SEP "%s", dir, de->d_name);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
			close(fd);	/* nobody holds it */
			continue;
		}
		pid = read_holder(fd, what, sizeof(what));
		close(fd);
		dev = strchr(what, ' ');
		if (pid <= 0 || dev == NULL)
			continue;
		hctl_of(R, dev + 1, theirs, sizeof(theirs));
		if (strcmp(mine, theirs) != 0)
			continue;
		odf_diag_set(d, ODF_E_BUSY, "busy: odflash PID %ld is %.*s it "
			     "(opened as %s; %s is the same drive, %s)", pid,
			     (int)(dev - what), what, dev + 1, R->o->device,
			     mine);
		odf_diag_reason(d, ODF_R_DRIVE_LOCKED);
		if (d)
			d->step[0] = '\0';
		break;
	}
	closedir(dp);
}
