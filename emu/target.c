/* odemu target: open/exec/close and dispatch: the faults that sit between
 * the host and the drive (power, bridge, tray, hangs, re-enumeration; the
 * fault table is faults.c), then the model's protocol, then the generic
 * SPC/MMC command set (mmc.c).  Creating drives, images and status: admin.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"
#include "odf/bytes.h"
#include "odf/image.h"
#include "util/platform.h"

/* ---- the emulator's log -------------------------------------------------- */
static odf_log_fn log_fn;
static void *log_user;
static int log_max = ODF_LOG_WARN;

void
odemu_log_set(odf_log_fn fn, void *user, int max_level)
{
	log_fn = fn;
	log_user = user;
	log_max = max_level;
}

void
odemu_log(int level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (log_fn == NULL || level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_fn(log_user, level, buf);
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
 * bytes), as every target in docs/internals/rig.md §2-§3 returns it. */
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

bool
odemu_pop_ua(struct odemu *e, uint8_t *asc, uint8_t *ascq)
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
/* odemu new --vendor/--product/--revision: what a hostile (or just odd)
 * device answers; the revision only in normal mode (safe mode's "0.NN"
 * is how the drive tells it is in safe mode). */
static void
inq_overrides(struct odemu *e)
{
	if (e->st.inq_vendor[0])
		memcpy(e->vendor, e->st.inq_vendor, sizeof(e->vendor));
	if (e->st.inq_product[0])
		memcpy(e->product, e->st.inq_product, sizeof(e->product));
	if (e->st.inq_revision[0] && e->st.mode == ODF_MODE_NORMAL)
		memcpy(e->revision, e->st.inq_revision, sizeof(e->revision));
}

void
odemu_boot_strings(struct odemu *e)
{
	const struct odemu_model *m = e->model;

	odf_str_trim(e->vendor, sizeof(e->vendor), m->vendor, 8, ODF_STR_KEEP);
	odf_str_trim(e->product, sizeof(e->product), m->product, 16, ODF_STR_KEEP);
	odf_str_trim(e->revision, sizeof(e->revision), m->boot_revision,
			4, ODF_STR_KEEP);
	/* the bootcode in flash tells its own version (emulator
	 * convention, boot_rev_off in models.c): a flashed bootcode
	 * changes what safe mode answers, "0.NN"
	 * (docs/internals/protocols.md §2.3) */
	if (m->boot_rev_off && m->boot_rev_off + 4 <= m->boot_len) {
		const uint8_t *r = e->st.flash + m->boot_rev_off;

		if (r[0] == '0' && r[1] == '.' && r[2] >= 0x20 && r[2] < 0x7F &&
		    r[3] >= 0x20 && r[3] < 0x7F)
			odf_str_trim(e->revision, sizeof(e->revision),
					(const char *)r, 4, ODF_STR_KEEP);
	}
	inq_overrides(e);
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
	return odf_sum_be16(e->st.flash, n - 2) ==
	       odf_be16(e->st.flash + n - 2);
}

/* Set the INQUIRY strings for the current mode (normal: from the
 * firmware in flash; safe/boot: what the boot code says). */
static void
refresh_ident(struct odemu *e)
{
	if (e->st.mode != ODF_MODE_NORMAL ||
	    !e->model->proto->boot_check(e, e->vendor, e->product,
					 e->revision)) {
		if (e->st.mode == ODF_MODE_NORMAL) {
			e->st.mode = ODF_MODE_BOOT;
			e->dirty = true;
		}
		odemu_boot_strings(e);
	}
	inq_overrides(e);
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
	odemu_log(ODF_LOG_DEBUG, "odemu: %s booted into %s mode (revision %s)",
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
	/* the twin first: removed while the lock still keeps others out */
	odemu_twin_drop(&e->twin);
	if (e->lock_fd >= 0)
		close(e->lock_fd);	/* releases the flock */
	odemu_state_free(&e->st);
	free(e->path);
	free(e->log_path);
	free(e);
}

int
odemu_save(struct odemu *e, struct odf_diag *d)
{
	int rc = odemu_state_save_twin(e->path, &e->st, &e->twin, d);

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
		odemu_diag_hint(d, "create one with: odemu new MODEL %s", path);
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
		odemu_diag_hint(d, "another program (odflash, odemu tcmu, an "
			      "LD_PRELOAD session) has this drive open: wait "
			      "for it to finish");
		free_emu(e);
		/* as the kernel's EBUSY on a held sg/sr node (exit 5) */
		return odf_diag_set(d, ODF_E_BUSY, "the emulated drive %s is "
				    "in use by another process", path);
	}
	rc = odemu_state_load(path, &e->st, d);
	if (rc < 0) {
		free_emu(e);
		return rc;
	}
	odemu_twin_init(&e->twin, path, &e->st);
	e->model = odemu_model_find(e->st.model);
	if (e->model == NULL || e->model->flash_size != e->st.flash_size) {
		free_emu(e);
		return odf_diag_set(d, ODF_E_FORMAT, "%s: unknown drive model "
				    "'%s' in the state file", path, e->st.model);
	}
	if (!admin && e->st.powered_off) {
		free_emu(e);
		odemu_diag_hint(d, "power it on with: odemu power-on %s", path);
		return odf_diag_set(d, ODF_E_NODEV, "the emulated drive %s is "
				    "powered off", path);
	}
	if (!admin && !odemu_boot_block_ok(e)) {
		free_emu(e);
		odemu_diag_hint(d, "a real drive in this state runs no code at "
			      "all: only reprogramming its flash chip with an "
			      "external programmer can revive it");
		return odf_diag_set(d, ODF_E_NODEV, "the emulated drive %s does "
				    "not answer: its bootcode is incomplete "
				    "(odemu show tells)", path);
	}
	if (!admin && e->st.reenum_left > 0) {
		e->st.reenum_left--;
		rc = odemu_save(e, d);
		free_emu(e);
		if (rc < 0)
			return rc;
		odemu_diag_hint(d, "the drive is re-enumerating: try again");
		return odf_diag_set(d, ODF_E_NODEV, "the emulated drive %s is "
				    "not there (re-enumerating on the bus)",
				    path);
	}
	if (e->st.mode == ODF_MODE_SAFE)
		odemu_boot_strings(e);
	else
		refresh_ident(e);
	if (e->dirty && !e->st.powered_off && (rc = odemu_save(e, d)) < 0) {
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
odemu_set_lazy_save(struct odemu *e, bool lazy)
{
	if (e)
		e->lazy_save = lazy;
}

void
odemu_close(struct odemu *e)
{
	if (e == NULL)
		return;
	/* a lying drive lies differently to the next program: the seed
	 * advances by one per session it answered with garbage (garbage.c) */
	if (e->garbage_k > 0 && e->st.garbage_seed >= 0) {
		e->st.garbage_seed = (e->st.garbage_seed + 1) & 0xFFFFFFFF;
		e->dirty = true;
	}
	if (e->dirty || e->counters_dirty)
		(void)odemu_save(e, NULL);
	free_emu(e);
}

/* The cap the path reports: none until --max-transfer-from-cmd bites. */
size_t
odemu_max_transfer(const struct odemu *e)
{
	return e && e->st.cap_from_cmd == 0 ? (size_t)e->st.max_transfer : 0;
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
		odemu_log(ODF_LOG_WARN, "odemu: cannot append to %s",
			e->log_path);
	close(fd);
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
	uint64_t t0 = odemu_now_ns();
	const char *note = NULL;
	char gnote[64];
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
	 * (docs/internals/protocols.md §1.8; sg_write_buffer(8) "pass
	 * through os error invalid argument") */
	if (e->st.cap_from_cmd > 1) {
		e->st.cap_from_cmd--;		/* not biting yet */
	} else if (e->st.cap_from_cmd == 1) {
		e->st.cap_from_cmd = 0;		/* from this command on */
		e->dirty = true;
	}
	if (e->st.max_transfer && e->st.cap_from_cmd == 0 &&
	    c->len > e->st.max_transfer) {
		c->os_err = EINVAL;
		note = "bridge: transfer too large";
		goto done;
	}
	/* a transport error on the path (odemu fault --eio-at-cmd): the
	 * command does not reach the drive, the host sees EIO */
	if (e->st.eio_at_cmd > 0 && --e->st.eio_at_cmd == 0) {
		e->st.eio_at_cmd = -1;
		e->dirty = true;
		c->os_err = EIO;
		note = "path: transport error (EIO)";
		goto done;
	}
	/* a bridge that filters vendor opcodes answers itself
	 * (docs/internals/protocols.md §1.8) */
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
	/* a lying drive: data-in answers from the seed, not the drive */
	if (e->st.garbage_seed >= 0 && c->dir == ODF_DIR_IN) {
		odemu_garbage_answer(e, c, gnote, sizeof(gnote));
		note = gnote;
		goto done;
	}
	/* a pending unit attention is reported once, to any command but
	 * INQUIRY and REQUEST SENSE (SAM-5 5.14, as sg_turs/sg_requests
	 * show it: docs/internals/rig.md §3) */
	if (c->cdb[0] != 0x12 && c->cdb[0] != 0x03 && odemu_pop_ua(e, &asc, &ascq)) {
		odemu_sense(c, ODEMU_SK_UNIT_ATTENTION, asc, ascq);
		goto done;
	}
	if (!e->model->proto->exec(e, c))
		odemu_mmc_exec(e, c);
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
	if (e) {
		log_cmd(e, c, note);
		if (e->dirty && !e->lazy_save)
			(void)odemu_save(e, NULL);
		/* the drive answers when its modelled busy time since t0
		 * is over: the log and the save above are done within it
		 * (flash.c, the drive's clock) */
		odemu_busy_wait(e, t0);
	}
	c->duration_ns = odemu_now_ns() - t0;
	if (sig)
		raise(sig);
}

