/* odflash platform layer, internal: the few POSIX facilities the code
 * uses that Windows (mingw-w64's CRT) lacks or spells differently.
 *
 * Code is written against POSIX and includes this header; on POSIX it
 * adds nothing.  On Windows it maps each missing name to an odfi_
 * function of lib/util/platform_win32.c, so no #ifdef is needed at the
 * call sites.  What each mapping can and cannot do is said beside it;
 * the whole layer is one place to read (CONTRIBUTING.md, "Platforms"). */
#ifndef ODFI_PLATFORM_H
#define ODFI_PLATFORM_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>

/* A path separator: '/' everywhere, '\\' too on Windows; ODFI_SEP the one
 * paths are joined with (so a path odflash prints reads the Windows way
 * there: "C:\\...\\odflash\\backups\\x.bin"). */
#ifdef _WIN32
#define ODFI_IS_SEP(c) ((c) == '/' || (c) == '\\')
#define ODFI_SEP "\\"
#else
#define ODFI_IS_SEP(c) ((c) == '/')
#define ODFI_SEP "/"
#endif

/* The last separator in path (ODFI_IS_SEP), NULL when there is none. */
static inline char *
odfi_last_sep(char *path)
{
	char *s = NULL;

	for (; *path; path++)
		if (ODFI_IS_SEP(*path))
			s = path;
	return s;
}

#ifdef _WIN32
#include <io.h>
#include <direct.h>

/* open(2) flags without a Windows meaning.  O_CLOEXEC: the CRT's
 * _O_NOINHERIT (handle not inherited by child processes), and
 * _O_BINARY with it: every open() in this code names O_CLOEXEC, and
 * every file it opens is binary (the CRT's default text mode would turn
 * \n into \r\n and stop reading at a 0x1A byte).  O_NOFOLLOW and
 * O_DIRECTORY: none; links in the state directory are refused by
 * odfi_lstat's FILE_ATTRIBUTE_REPARSE_POINT check instead. */
#define O_CLOEXEC (_O_NOINHERIT | _O_BINARY)
#define O_NOFOLLOW 0
#define O_DIRECTORY 0

/* flock(2): LockFileEx on the file's handle (Microsoft docs,
 * fileapi.h LockFileEx: LOCKFILE_EXCLUSIVE_LOCK |
 * LOCKFILE_FAIL_IMMEDIATELY); released when the descriptor is closed or
 * the process ends.  EWOULDBLOCK when another process holds it. */
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
int odfi_flock(int fd, int op);
#define flock(fd, op) odfi_flock(fd, op)

/* lstat(2): stat() plus S_IFLNK for a reparse point (a symbolic link or
 * junction: GetFileAttributesA, FILE_ATTRIBUTE_REPARSE_POINT). */
#ifndef S_IFLNK
#define S_IFLNK 0120000
#endif
#ifndef S_ISLNK
#define S_ISLNK(m) (((m) & 0170000) == S_IFLNK)
#endif
int odfi_lstat(const char *path, struct stat *sb);
#define lstat(p, sb) odfi_lstat(p, sb)

/* mkdir(2) has no mode on Windows; the directory inherits the ACL of
 * %LOCALAPPDATA% (the user's own). */
#define mkdir(p, mode) _mkdir(p)

/* fsync(2): _commit (FlushFileBuffers). */
#define fsync(fd) _commit(fd)

/* pread/pwrite: lseek then read/write; callers own the descriptor
 * alone, so the moved offset is not seen by anyone else. */
ssize_t odfi_pread(int fd, void *buf, size_t n, off_t off);
ssize_t odfi_pwrite(int fd, const void *buf, size_t n, off_t off);
#define pread(fd, b, n, o) odfi_pread(fd, b, n, o)
#define pwrite(fd, b, n, o) odfi_pwrite(fd, b, n, o)

/* realpath(3) with a NULL buffer: _fullpath (malloc'ed result). */
#define realpath(p, r) _fullpath(r, p, 0)

/* rename(2) replaces an existing target atomically; the CRT's rename
 * fails with EEXIST: MoveFileExA with MOVEFILE_REPLACE_EXISTING. */
int odfi_rename(const char *from, const char *to);
#define rename(a, b) odfi_rename(a, b)

/* GNU/POSIX library functions mingw-w64 does not have. */
ssize_t odfi_getline(char **line, size_t *cap, FILE *f);
#define getline(l, c, f) odfi_getline(l, c, f)
void *odfi_memmem(const void *h, size_t hl, const void *n, size_t nl);
#define memmem(h, hl, n, nl) odfi_memmem(h, hl, n, nl)
char *odfi_mkdtemp(char *tmpl);
#define mkdtemp(t) odfi_mkdtemp(t)
#define gmtime_r(t, tm) (gmtime_s(tm, t) == 0 ? (tm) : NULL)

/* Signals: the CRT knows INT, TERM (never sent by Windows), ABRT, ...;
 * HUP and KILL get their POSIX numbers so tables keep their rows.
 * sigaction is the CRT's signal function with the handler re-armed on each delivery
 * (the CRT resets it to SIG_DFL before calling it); raise(SIGKILL)
 * ends the process at once with exit code 137 (128 + 9, as a shell
 * reports a killed program), raise(SIGHUP) as SIGTERM. */
#define SIGHUP 1
#define SIGKILL 9
typedef int sigset_t;
struct sigaction {
	void (*sa_handler)(int);
	sigset_t sa_mask;
	int sa_flags;
};
static inline int
sigemptyset(sigset_t *s)
{
	*s = 0;
	return 0;
}
int odfi_sigaction(int sig, const struct sigaction *sa,
		   struct sigaction *old);
#define sigaction(s, a, o) odfi_sigaction(s, a, o)
int odfi_raise(int sig);
#define raise(s) odfi_raise(s)

/* geteuid(2): Windows has no user IDs; 0, as for root, because file
 * modes keep no one out there either (chmod 0 only sets read-only). */
#define geteuid() 0

/* fcntl(2): what odflash asks of it (cli/common/events.c): is a
 * descriptor open (F_GETFD: the CRT's _get_osfhandle), close-on-exec
 * (F_SETFD: Windows programs inherit no CRT descriptors unless asked, a
 * no-op) and a duplicate at 3 or above (F_DUPFD_CLOEXEC: _dup). */
#define F_GETFD 1
#define F_SETFD 2
#define FD_CLOEXEC 1
#define F_DUPFD_CLOEXEC 1030
int odfi_fcntl(int fd, int cmd, ...);
#define fcntl odfi_fcntl

/* dirname(3) comes from <libgen.h>, which mingw-w64 has. */
#endif /* _WIN32 */

#endif
