/* odflash platform layer, Windows half (lib/util/platform.h says what
 * each function stands in for).  Built on every platform; empty but on
 * Windows. */
#ifdef _WIN32
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <io.h>
#include <windows.h>

#include "util/platform.h"

#undef raise
#undef sigaction
#undef rename

int
odfi_flock(int fd, int op)
{
	/* LockFileEx / UnlockFileEx (Microsoft docs, fileapi.h); the CRT
	 * descriptor's handle: _get_osfhandle (corecrt_io.h) */
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	OVERLAPPED ov;
	DWORD fl = 0;

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	memset(&ov, 0, sizeof(ov));
	if (op & LOCK_UN)
		return UnlockFileEx(h, 0, MAXDWORD, MAXDWORD, &ov) ? 0 : -1;
	if (op & LOCK_EX)
		fl |= LOCKFILE_EXCLUSIVE_LOCK;
	if (op & LOCK_NB)
		fl |= LOCKFILE_FAIL_IMMEDIATELY;
	if (LockFileEx(h, fl, 0, MAXDWORD, MAXDWORD, &ov))
		return 0;
	errno = GetLastError() == ERROR_LOCK_VIOLATION ? EWOULDBLOCK : EIO;
	return -1;
}

int
odfi_lstat(const char *path, struct stat *sb)
{
	/* GetFileAttributesA: FILE_ATTRIBUTE_REPARSE_POINT marks symbolic
	 * links and junctions (Microsoft docs, "File Attribute Constants") */
	DWORD a = GetFileAttributesA(path);

	if (a != INVALID_FILE_ATTRIBUTES &&
	    (a & FILE_ATTRIBUTE_REPARSE_POINT)) {
		memset(sb, 0, sizeof(*sb));
		sb->st_mode = S_IFLNK | 0777;
		return 0;
	}
	return stat(path, sb);
}

ssize_t
odfi_pread(int fd, void *buf, size_t n, off_t off)
{
	if (n > INT32_MAX)
		n = INT32_MAX;
	if (_lseeki64(fd, off, SEEK_SET) < 0)
		return -1;
	return _read(fd, buf, (unsigned)n);
}

ssize_t
odfi_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (n > INT32_MAX)
		n = INT32_MAX;
	if (_lseeki64(fd, off, SEEK_SET) < 0)
		return -1;
	return _write(fd, buf, (unsigned)n);
}

int
odfi_rename(const char *from, const char *to)
{
	/* MoveFileExA (Microsoft docs, winbase.h):
	 * MOVEFILE_REPLACE_EXISTING replaces the target as rename(2) does;
	 * MOVEFILE_WRITE_THROUGH returns once the move is on disk */
	if (MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING |
			MOVEFILE_WRITE_THROUGH))
		return 0;
	errno = GetLastError() == ERROR_ACCESS_DENIED ? EACCES : EIO;
	return -1;
}

ssize_t
odfi_getline(char **line, size_t *cap, FILE *f)
{
	size_t n = 0;
	int c;

	if (*line == NULL || *cap == 0) {
		*cap = 128;
		if ((*line = malloc(*cap)) == NULL)
			return -1;
	}
	while ((c = fgetc(f)) != EOF) {
		if (n + 2 > *cap) {
			char *p = realloc(*line, *cap * 2);

			if (p == NULL)
				return -1;
			*line = p;
			*cap *= 2;
		}
		(*line)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	(*line)[n] = '\0';
	return n ? (ssize_t)n : -1;
}

void *
odfi_memmem(const void *h, size_t hl, const void *n, size_t nl)
{
	const unsigned char *p = h;

	if (nl == 0)
		return (void *)p;
	for (size_t i = 0; nl <= hl && i <= hl - nl; i++)
		if (p[i] == *(const unsigned char *)n &&
		    memcmp(p + i, n, nl) == 0)
			return (void *)(p + i);
	return NULL;
}

char *
odfi_mkdtemp(char *tmpl)
{
	/* _mktemp_s fills the trailing XXXXXX (Microsoft docs, CRT
	 * _mktemp_s); _mkdir fails on a name taken meanwhile: retry */
	size_t n = strlen(tmpl);
	char *save = strdup(tmpl);

	if (save == NULL)
		return NULL;
	for (int i = 0; i < 100; i++) {
		memcpy(tmpl, save, n + 1);
		if (_mktemp_s(tmpl, n + 1) != 0)
			break;
		if (_mkdir(tmpl) == 0) {
			free(save);
			return tmpl;
		}
		if (errno != EEXIST)
			break;
	}
	free(save);
	return NULL;
}

/* The handlers sigaction() installed, re-armed on each delivery. */
static void (*volatile handlers[NSIG])(int);

static void
trampoline(int sig)
{
	void (*h)(int) = sig > 0 && sig < NSIG ? handlers[sig] : NULL;

	if (h && h != SIG_DFL && h != SIG_IGN)
		signal(sig, trampoline);
	if (h)
		h(sig);
}

int
odfi_sigaction(int sig, const struct sigaction *sa, struct sigaction *old)
{
	void (*prev)(int);

	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = handlers[sig] ? handlers[sig] : SIG_DFL;
	}
	if (sa == NULL)
		return 0;
	handlers[sig] = sa->sa_handler;
	if (sig == SIGHUP)
		return 0;	/* no console event maps to it */
	prev = signal(sig, sa->sa_handler == SIG_DFL ||
		      sa->sa_handler == SIG_IGN ? sa->sa_handler : trampoline);
	return prev == SIG_ERR ? -1 : 0;
}

int
odfi_raise(int sig)
{
	if (sig == SIGKILL) {
		/* TerminateProcess (Microsoft docs, processthreadsapi.h):
		 * no handler, no atexit, as a kill -9 */
		TerminateProcess(GetCurrentProcess(), 128 + SIGKILL);
		_exit(128 + SIGKILL);
	}
	if (sig == SIGHUP)
		sig = SIGTERM;
	return raise(sig);
}
int
odfi_fcntl(int fd, int cmd, ...)
{
	int n, low[3], k = 0, r, arg;
	va_list ap;

	va_start(ap, cmd);
	arg = cmd == F_GETFD ? 0 : va_arg(ap, int);
	va_end(ap);

	switch (cmd) {
	case F_GETFD:
		return _get_osfhandle(fd) == -1 ? -1 : 0;
	case F_SETFD:
		return 0;
	case F_DUPFD_CLOEXEC:
		/* _dup gives the lowest free descriptor: hold the ones below
		 * arg that it hands out, then let them go */
		while ((n = _dup(fd)) >= 0 && n < arg && k < 3)
			low[k++] = n;
		r = n;
		while (k > 0)
			_close(low[--k]);
		return r;
	default:
		errno = EINVAL;
		return -1;
	}
}

#endif
