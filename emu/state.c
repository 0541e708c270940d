/* odemu state file: everything a drive remembers, in one file replaced
 * atomically (write a temporary file, rename it over the old one; a drive
 * held open writes the changed pages into PATH.twin and exchanges the two
 * names, see odemu_state_save_twin; with ODEMU_FSYNC=1 also fsync both),
 * so that a kill -9 at any moment leaves either the old or the new state,
 * never a torn one.
 *
 * Layout (all integers little-endian):
 *   "ODEMUST6"            magic + format version (2: reenum_skip and
 *                         the signal fault after reenum_left; the hash
 *                         runs over 64-bit words; 3: fail_commit after
 *                         sig_num; 4: eio_at_cmd, cap_from_cmd
 *                         after fail_commit; 5: the INQUIRY overrides
 *                         after the serial; 6: garbage_seed after
 *                         cap_from_cmd)
 *   u32 body_len          bytes of the body that follows
 *   body                  fixed fields (see put_fields), then
 *                         flash[flash_size], ram[flash_size],
 *                         staged[flash_size / 4096]
 *   u64 fnv1a64(body)     torn or altered files are refused (FNV-1a
 *                         constants, 4 lanes of 64-bit LE words, folded,
 *                         then the tail bytes; see fnv1a64)
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu.h"
#include "odf/bytes.h"
#include "util/platform.h"

#define MAGIC "ODEMUST6"
#define MAX_FLASH (16u << 20)
/* the time scale odemu accepts (odemu_create, odemu new --time-scale;
 * admin.c, cli/odemu/cmd_drive.c): 0 to 1000, saved in thousandths.  A
 * file with more is refused: 2^64-1 thousandths (found by the fuzz
 * target emu-state) overflowed the u64 of the next save. */
#define MAX_TIME_SCALE 1000.0

int
odemu_state_alloc(struct odemu_state *st, uint32_t flash_size,
		  struct odf_diag *d)
{
	st->flash_size = flash_size;
	st->flash = malloc(flash_size);
	st->ram = malloc(flash_size);
	st->staged = calloc(flash_size / ODEMU_PAGE, 1);
	if (!st->flash || !st->ram || !st->staged) {
		odemu_state_free(st);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory for a "
				    "%u-byte flash", flash_size);
	}
	memset(st->flash, 0xFF, flash_size);
	memset(st->ram, 0xFF, flash_size);
	return 0;
}

void
odemu_state_free(struct odemu_state *st)
{
	free(st->flash);
	free(st->ram);
	free(st->staged);
	st->flash = st->ram = st->staged = NULL;
}

/* ---- serialisation ----------------------------------------------------- */
struct wbuf {
	uint8_t *p;
	size_t n, cap;
	bool reading;
	bool bad;
};

static void
io_bytes(struct wbuf *w, void *v, size_t n)
{
	if (w->bad)
		return;
	if (w->n + n > w->cap) {
		w->bad = true;
		return;
	}
	if (w->reading)
		memcpy(v, w->p + w->n, n);
	else
		memcpy(w->p + w->n, v, n);
	w->n += n;
}

static void
io_u8(struct wbuf *w, uint8_t *v)
{
	io_bytes(w, v, 1);
}

static void
io_u32(struct wbuf *w, uint32_t *v)
{
	uint8_t b[4];

	if (!w->reading)
		odf_put_le32(b, *v);
	io_bytes(w, b, 4);
	if (w->reading && !w->bad)
		*v = odf_le32(b);
}

static void
io_u64(struct wbuf *w, uint64_t *v)
{
	uint32_t lo = (uint32_t)*v, hi = (uint32_t)(*v >> 32);

	io_u32(w, &lo);
	io_u32(w, &hi);
	if (w->reading)
		*v = ((uint64_t)hi << 32) | lo;
}

static void
io_fields(struct wbuf *w, struct odemu_state *s)
{
	uint64_t scale_milli = (uint64_t)(s->time_scale * 1000.0 + 0.5);

	io_bytes(w, s->model, sizeof(s->model));
	io_bytes(w, s->serial, sizeof(s->serial));
	io_bytes(w, s->inq_vendor, sizeof(s->inq_vendor));
	io_bytes(w, s->inq_product, sizeof(s->inq_product));
	io_bytes(w, s->inq_revision, sizeof(s->inq_revision));
	io_u64(w, &scale_milli);
	if (w->reading)
		s->time_scale = (double)scale_milli / 1000.0;
	io_u32(w, &s->mode);
	io_u32(w, &s->powered_off);
	io_u32(w, &s->disc);
	io_u32(w, &s->tray_open);
	io_u32(w, &s->prevent);
	io_u32(w, &s->media_event);
	io_u8(w, &s->rpc_type);
	io_u8(w, &s->rpc_vendor_resets);
	io_u8(w, &s->rpc_user_changes);
	io_u8(w, &s->rpc_mask);
	io_u8(w, &s->rpc_scheme);
	io_u32(w, &s->n_ua);
	io_bytes(w, s->ua_asc, sizeof(s->ua_asc));
	io_bytes(w, s->ua_ascq, sizeof(s->ua_ascq));
	/* the fault block: the fault table's entries in order (faults.c) */
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++) {
		size_t size;
		bool in_block;
		void *f = odemu_fault_field(s, i, &size, &in_block);

		if (!in_block)
			continue;
		if (size == 8)
			io_u64(w, f);
		else
			io_u32(w, f);
	}
	io_u32(w, &s->chk_ok);
	io_u32(w, &s->chk_value);
	io_u32(w, &s->fw_len);
	io_u32(w, &s->dl_len);
	io_u32(w, &s->dl_deferred);
	io_u64(w, &s->n_cmds);
	io_u64(w, &s->bytes_in);
	io_u64(w, &s->bytes_out);
	io_u64(w, &s->n_erase);
	io_u64(w, &s->bytes_programmed);
	io_u64(w, &s->n_boot);
	io_u64(w, &s->modeled_ns);
	io_u64(w, &s->slept_ns);
	io_u64(w, &s->n_power_cuts);
	io_bytes(w, s->blk_dirty, sizeof(s->blk_dirty));
	io_u32(w, &s->flash_size);
}

static size_t
fixed_len(void)
{
	struct odemu_state s;
	struct wbuf w = { NULL, 0, SIZE_MAX, false, false };
	uint8_t scratch[1024];

	memset(&s, 0, sizeof(s));
	w.p = scratch;
	w.cap = sizeof(scratch);
	io_fields(&w, &s);
	return w.n;
}

/* FNV-1a's 64-bit constants over little-endian 64-bit words in four
 * interleaved lanes (then the tail bytes), folded at the end: the same
 * torn-file detection at a small fraction of the byte loop's cost, which
 * was most of a flash's time (bench_flash: every changing command saves
 * the 2 x flash-size state).  Streamed (fnv_add over the pieces, then
 * fnv_end) so that a save hashes the state's arrays where they are
 * instead of a copy of the whole body: the result is that of one pass
 * over the concatenation. */
struct fnv {
	uint64_t h[4];
	uint8_t carry[32];
	size_t nc;
};

static const uint64_t FNV_PRIME = 0x100000001b3ull;

static void
fnv_start(struct fnv *f)
{
	f->h[0] = 0xcbf29ce484222325ull;
	f->h[1] = 0x84222325cbf29ce4ull;
	f->h[2] = 0xcbf29ce400000001ull;
	f->h[3] = 0x100000001b3ull;
	f->nc = 0;
}

static void
fnv_block(struct fnv *f, const uint8_t *p)
{
	for (int k = 0; k < 4; k++) {
		const uint8_t *q = p + 8 * k;

		f->h[k] ^= (uint64_t)odf_le32(q) | (uint64_t)odf_le32(q + 4) << 32;
		f->h[k] *= FNV_PRIME;
	}
}

static void
fnv_add(struct fnv *f, const uint8_t *p, size_t n)
{
	if (f->nc > 0) {
		size_t take = 32 - f->nc < n ? 32 - f->nc : n;

		memcpy(f->carry + f->nc, p, take);
		f->nc += take;
		p += take;
		n -= take;
		if (f->nc < 32)
			return;
		fnv_block(f, f->carry);
		f->nc = 0;
	}
	for (; n >= 32; p += 32, n -= 32)
		fnv_block(f, p);
	memcpy(f->carry, p, n);
	f->nc = n;
}

static uint64_t
fnv_end(const struct fnv *f)
{
	uint64_t r = f->h[0];

	for (int k = 1; k < 4; k++)
		r = (r ^ f->h[k]) * FNV_PRIME;
	for (size_t i = 0; i < f->nc; i++)
		r = (r ^ f->carry[i]) * FNV_PRIME;
	return r;
}

static uint64_t
fnv1a64(const uint8_t *p, size_t n)
{
	struct fnv f;

	fnv_start(&f);
	fnv_add(&f, p, n);
	return fnv_end(&f);
}

uint64_t
odemu_state_hash(const uint8_t *body, size_t n)
{
	return fnv1a64(body, n);
}

/* fsync costs about 10 ms per save on a disk and protects only against
 * the HOST crashing; the rename alone already makes a kill -9 of any
 * process leave the old or the new state, never a torn one.  A drive's
 * own power cut is modeled, not the host's.  ODEMU_FSYNC=1 restores
 * the host-crash-proof saves. */
static bool
want_fsync(void)
{
	const char *e = getenv("ODEMU_FSYNC");

	return e && e[0] == '1';
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = write(fd, p, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The header and the fixed fields of st (head, 12 + fixed_len bytes,
 * malloc'ed) and the 8-byte hash that ends the file (tail), streamed
 * over the fixed fields and the state's own arrays: no copy of the
 * 2 x flash-size body is built (that copy was a third of a save's time:
 * the body's malloc, memcpy and page faults). */
static uint8_t *
frame(const struct odemu_state *st, uint8_t tail[8])
{
	size_t fl = fixed_len();
	size_t pages = st->flash_size / ODEMU_PAGE;
	size_t body = fl + 2 * (size_t)st->flash_size + pages;
	uint8_t *head = malloc(12 + fl);
	struct odemu_state copy = *st;
	struct wbuf w;
	struct fnv f;
	uint64_t h;

	if (head == NULL)
		return NULL;
	memcpy(head, MAGIC, 8);
	odf_put_le32(head + 8, (uint32_t)body);
	w = (struct wbuf){ head + 12, 0, fl, false, false };
	io_fields(&w, &copy);
	fnv_start(&f);
	fnv_add(&f, head + 12, fl);
	fnv_add(&f, st->flash, st->flash_size);
	fnv_add(&f, st->ram, st->flash_size);
	fnv_add(&f, st->staged, pages);
	h = fnv_end(&f);
	odf_put_le32(tail, (uint32_t)h);
	odf_put_le32(tail + 4, (uint32_t)(h >> 32));
	return head;
}

/* The whole file into fd, from the start. */
static int
write_whole(int fd, const struct odemu_state *st, const uint8_t *head,
	    const uint8_t tail[8])
{
	return write_all(fd, head, 12 + fixed_len()) < 0 ||
	       write_all(fd, st->flash, st->flash_size) < 0 ||
	       write_all(fd, st->ram, st->flash_size) < 0 ||
	       write_all(fd, st->staged, st->flash_size / ODEMU_PAGE) < 0 ||
	       write_all(fd, tail, 8) < 0 ? -1 : 0;
}

static void
fsync_dir_of(const char *path)
{
	char *dircopy = strdup(path);
	int dfd;

	if (dircopy == NULL)
		return;
	dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dircopy);
}

int
odemu_state_save(const char *path, const struct odemu_state *st,
		 struct odf_diag *d)
{
	uint8_t tail[8], *head = frame(st, tail);
	char *tmp = NULL;
	int fd = -1, rc = 0;

	if (head == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		free(head);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = odf_diag_set(d, ODF_E_FILE, "cannot write the drive state "
				  "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_whole(fd, st, head, tail) < 0 ||
	    (want_fsync() && fsync(fd) < 0)) {
		rc = odf_diag_set(d, ODF_E_FILE, "cannot write the drive state "
				  "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		rc = odf_diag_set(d, ODF_E_FILE, "cannot replace the drive "
				  "state %s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (want_fsync())
		fsync_dir_of(path);
out:
	free(tmp);
	free(head);
	return rc;
}

/* ---- incremental saves: the twin file ------------------------------------------
 * A drive held open saves after every change (target.c), and the whole
 * file (2 x flash size) written anew each time was most of a sweep
 * case's system time (perf: tmpfs page allocation, copy, and freeing the
 * replaced file's pages).  Instead the last two generations live in two
 * files, PATH (generation k) and PATH.twin (k - 1), and a save writes
 * into the twin the header, the fixed fields, the staged flags, the hash
 * and only the flash/ram pages that differ from what the twin holds
 * (changed by this save or by the previous one: the shadow, a copy of
 * generation k, tells the first, t->prev the second), then swaps the two
 * names in one step (renameat2 RENAME_EXCHANGE, Linux 3.15+: rename(2)).
 * PATH names a whole generation at every moment, as with the rename of a
 * new file: a kill at any point leaves the old or the new state.  The
 * drive's lock (target.c) keeps every other user of PATH out meanwhile,
 * so the twin is this process's alone; a twin found at open is a killed
 * process's leftover and is removed. */
#if defined(__linux__) && defined(RENAME_EXCHANGE)
#define HAVE_EXCHANGE 1
#endif

#ifdef HAVE_EXCHANGE
static bool
exchange_unsupported(int err)
{
	return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP ||
	       err == ENOTSUP || err == EPERM;
}

#endif

void
odemu_twin_init(struct odemu_twin *t, const char *path,
		const struct odemu_state *st)
{
	size_t fs = st->flash_size, npg = 2 * (fs / ODEMU_PAGE);

	memset(t, 0, sizeof(*t));
	t->flash_size = st->flash_size;
#ifndef HAVE_EXCHANGE
	t->off = true;			/* whole-file saves */
	return;
#endif
	if (asprintf(&t->path, "%s.twin", path) < 0) {
		t->path = NULL;
		t->off = true;
		return;
	}
	(void)unlink(t->path);		/* a killed process's leftover */
	t->shadow = malloc(2 * fs);
	t->prev = calloc(2 * npg, 1);	/* prev, then this save's flags */
	if (t->shadow == NULL || t->prev == NULL || fs % ODEMU_PAGE) {
		t->off = true;
		return;
	}
	memcpy(t->shadow, st->flash, fs);
	memcpy(t->shadow + fs, st->ram, fs);
}

void
odemu_twin_drop(struct odemu_twin *t)
{
	if (t->path)
		(void)unlink(t->path);
	free(t->path);
	free(t->shadow);
	free(t->prev);
	memset(t, 0, sizeof(*t));
}

#ifdef HAVE_EXCHANGE
static const uint8_t *
twin_page(const struct odemu_state *st, size_t k)
{
	size_t fpg = st->flash_size / ODEMU_PAGE;

	return k < fpg ? st->flash + k * ODEMU_PAGE :
	       st->ram + (k - fpg) * ODEMU_PAGE;
}

/* write_all at an offset (pwrite: the twin is written in place) */
static int
pwrite_all(int fd, const uint8_t *p, size_t n, off_t off)
{
	while (n > 0) {
		ssize_t r = pwrite(fd, p, n, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

/* Into the twin (generation k - 1): the pages flagged in now or prev,
 * runs of them in one pwrite each, then the small parts. */
static int
write_delta(int fd, const struct odemu_state *st, const struct odemu_twin *t,
	    const uint8_t *now, const uint8_t *head, const uint8_t tail[8])
{
	size_t fl = fixed_len(), fs = st->flash_size;
	size_t npg = 2 * (fs / ODEMU_PAGE), k = 0;
	off_t base = (off_t)(12 + fl);

	if (pwrite_all(fd, head, 12 + fl, 0) < 0)
		return -1;
	while (k < npg) {
		size_t run = 0;

		if (!now[k] && !t->prev[k]) {
			k++;
			continue;
		}
		/* a run stays inside flash or inside ram: contiguous in
		 * memory too */
		while (k + run < npg && (now[k + run] || t->prev[k + run]) &&
		       (k + run != fs / ODEMU_PAGE || run == 0))
			run++;
		if (pwrite_all(fd, twin_page(st, k), run * ODEMU_PAGE,
			       base + (off_t)(k * ODEMU_PAGE)) < 0)
			return -1;
		k += run;
	}
	base += (off_t)(2 * fs);
	return pwrite_all(fd, st->staged, fs / ODEMU_PAGE, base) < 0 ||
	       pwrite_all(fd, tail, 8, base + (off_t)(fs / ODEMU_PAGE)) < 0 ?
	       -1 : 0;
}

int
odemu_state_save_twin(const char *path, const struct odemu_state *st,
		      struct odemu_twin *t, struct odf_diag *d)
{
	size_t fs = st->flash_size, npg = 2 * (fs / ODEMU_PAGE);
	uint8_t tail[8], *head, *now;
	int fd, rc = 0;
	bool whole = !t->have_twin;

	if (t->off || t->shadow == NULL || fs != t->flash_size)
		return odemu_state_save(path, st, d);
	head = frame(st, tail);
	if (head == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	now = t->prev + npg;
	for (size_t k = 0; k < npg; k++)
		now[k] = memcmp(twin_page(st, k), t->shadow + k * ODEMU_PAGE,
				ODEMU_PAGE) != 0;
	fd = open(t->path, whole ? O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC :
		  O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0 && !whole) {		/* gone meanwhile: write it whole */
		whole = true;
		fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0644);
	}
	if (fd < 0) {
		rc = odf_diag_set(d, ODF_E_FILE, "cannot write the drive state "
				  "%s: %s", t->path, strerror(errno));
		goto out;
	}
	t->have_twin = false;		/* until it holds a whole generation */
	if ((whole ? write_whole(fd, st, head, tail) :
	     write_delta(fd, st, t, now, head, tail)) < 0 ||
	    (want_fsync() && fsync(fd) < 0)) {
		rc = odf_diag_set(d, ODF_E_FILE, "cannot write the drive state "
				  "%s: %s", t->path, strerror(errno));
		close(fd);
		(void)unlink(t->path);
		goto out;
	}
	close(fd);
	/* the twin holds the new generation whole: swap it in */
	if (renameat2(AT_FDCWD, t->path, AT_FDCWD, path, RENAME_EXCHANGE) < 0) {
		int err = errno;

		if (rename(t->path, path) < 0) {
			rc = odf_diag_set(d, ODF_E_FILE, "cannot replace the "
					  "drive state %s: %s", path,
					  strerror(errno));
			(void)unlink(t->path);
			goto out;
		}
		/* replaced (no twin now); a file system without the
		 * exchange: whole-file saves from here on */
		if (exchange_unsupported(err))
			t->off = true;
	} else {
		t->have_twin = true;
	}
	if (want_fsync())
		fsync_dir_of(path);
	for (size_t k = 0; k < npg; k++)
		if (now[k])
			memcpy(t->shadow + k * ODEMU_PAGE, twin_page(st, k),
			       ODEMU_PAGE);
	memcpy(t->prev, now, npg);
out:
	free(head);
	return rc;
}
#else
int
odemu_state_save_twin(const char *path, const struct odemu_state *st,
		      struct odemu_twin *t, struct odf_diag *d)
{
	(void)t;
	return odemu_state_save(path, st, d);
}
#endif

static int
load_once(const char *path, struct odemu_state *st, struct odf_diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	uint8_t *buf = NULL;
	size_t got = 0, body, fl = fixed_len(), pages;
	struct wbuf w;
	uint32_t fsz;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return odf_diag_set(d, ODF_E_NODEV, "no emulated drive "
					    "at %s: create one with odemu new "
					    "MODEL %s", path, path);
		return odf_diag_set(d, errno == EACCES ? ODF_E_ACCESS :
				    ODF_E_OPEN, "cannot open the drive state "
				    "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size < 20 || (uint64_t)sb.st_size > 2ull * MAX_FLASH +
	    MAX_FLASH / ODEMU_PAGE + fl + 20) {
		close(fd);
		return odf_diag_set(d, ODF_E_FORMAT, "%s is not an odemu "
				    "drive state (wrong size or not a file)",
				    path);
	}
	buf = malloc((size_t)sb.st_size);
	if (buf == NULL) {
		close(fd);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)sb.st_size || memcmp(buf, MAGIC, 8) != 0) {
		rc = odf_diag_set(d, ODF_E_FORMAT, "%s is not an odemu drive "
				  "state (no " MAGIC " header)", path);
		goto out;
	}
	body = odf_le32(buf + 8);
	if (body + 20 != got || body < fl) {
		rc = odf_diag_set(d, ODF_E_FORMAT, "%s: drive state is "
				  "truncated or damaged", path);
		goto out;
	}
	{
		uint64_t h = fnv1a64(buf + 12, body);
		uint64_t s = odf_le32(buf + 12 + body) |
			     ((uint64_t)odf_le32(buf + 16 + body) << 32);
		if (h != s) {
			rc = odf_diag_set(d, ODF_E_FORMAT, "%s: drive state "
					  "checksum is wrong (damaged file)",
					  path);
			goto out;
		}
	}
	w = (struct wbuf){ buf + 12, 0, body, true, false };
	io_fields(&w, st);
	fsz = st->flash_size;
	pages = fsz / ODEMU_PAGE;
	st->model[sizeof(st->model) - 1] = '\0';
	st->serial[sizeof(st->serial) - 1] = '\0';
	if (w.bad || fsz == 0 || fsz > MAX_FLASH || fsz % ODEMU_PAGE ||
	    fl + 2 * (size_t)fsz + pages != body || st->n_ua > ODEMU_MAX_UA ||
	    !(st->time_scale >= 0.0 && st->time_scale <= MAX_TIME_SCALE)) {
		rc = odf_diag_set(d, ODF_E_FORMAT, "%s: drive state fields "
				  "are inconsistent", path);
		goto out;
	}
	st->flash = st->ram = st->staged = NULL;
	rc = odemu_state_alloc(st, fsz, d);
	if (rc < 0)
		goto out;
	io_bytes(&w, st->flash, fsz);
	io_bytes(&w, st->ram, fsz);
	io_bytes(&w, st->staged, pages);
out:
	free(buf);
	return rc;
}

/* Whether a program holds the drive at path (its file or a link to it)
 * and saves through a twin: PATH.twin exists only while one does. */
static bool
twin_held(const char *path)
{
	char *real = realpath(path, NULL), *t = NULL;
	bool held = false;

	if (real && asprintf(&t, "%s.twin", real) >= 0)
		held = access(t, F_OK) == 0;
	free(t);
	free(real);
	return held;
}

/* A program that holds the drive saves into STATE.twin and swaps the
 * names (odemu_state_save_twin), so the inode a reader opened as STATE
 * is written in place two saves later.  A reader that does not share the
 * holder's lock (the same file by another name: a link) can read a save
 * half-written: caught by the hash, and, while a twin says a holder is
 * saving, the file is read again (the one named STATE is whole).  With
 * no twin a bad file is damaged at once. */
int
odemu_state_load(const char *path, struct odemu_state *st,
		 struct odf_diag *d)
{
	int rc = 0;

	for (int i = 0; i < 50; i++) {
		const struct timespec ts = { 0, 1000000L };

		rc = load_once(path, st, d);
		if (rc != ODF_E_FORMAT || !twin_held(path))
			break;
		nanosleep(&ts, NULL);
	}
	return rc;
}
