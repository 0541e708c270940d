/* odemu: NOR flash model, the drive's clock, state file (round trip, atomic under kill -9),
 * the lock, and each fault, driven by raw CDBs. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu.h"
#include "helper_tmpdir.h"
#include "odemu/odemu.h"
#include "odf/bytes.h"

static char dir[256];
static char path[300];

static int
setup(void **st)
{
	(void)st;
	if (odf_test_mkdtemp(dir, sizeof(dir), "emu") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/drive", dir);
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	return odf_test_rmtree(dir) == 0 ? 0 : -1;
}

static struct odemu *
new_drive(const char *model)
{
	struct odemu *e = NULL;

	unlink(path);
	assert_int_equal(odemu_create(model, path, NULL, NULL), 0);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	return e;
}

static void
cmd(struct odemu *e, struct odf_cmd *c, const uint8_t *cdb, size_t cl,
    enum odf_dir d, void *buf, size_t len, unsigned timeout)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->cdb, cdb, cl);
	c->cdb_len = cl;
	c->dir = d;
	c->buf = buf;
	c->len = len;
	c->timeout_ms = timeout;
	odemu_exec(e, c);
}

static const uint8_t INQ[6] = { 0x12, 0, 0, 0, 0x60, 0 };
static const uint8_t TUR[6] = { 0 };

/* ---- NOR model ------------------------------------------------------------ */
static void
test_nor_model(void **st)
{
	struct odemu *e = new_drive("spc-generic");
	uint8_t data[16], after[16];
	uint32_t a = 0x20000;		/* block 2 */

	(void)st;
	odemu_flash_erase(e, 2);
	for (uint32_t i = 0; i < 0x10000; i++)
		assert_int_equal(e->st.flash[a + i], 0xFF);
	assert_int_equal(odemu_flash_block_state(e, 2), ODEMU_BLOCK_ERASED);
	memset(data, 0x5A, sizeof(data));
	assert_int_equal(odemu_flash_program(e, a, data, 16), 0);
	assert_memory_equal(e->st.flash + a, data, 16);
	assert_int_equal(odemu_flash_block_state(e, 2),
			 ODEMU_BLOCK_PROGRAMMED);
	/* programming again only clears bits: 5A & A5 = 00, 5A & F0 = 50 */
	memset(data, 0xA5, 8);
	memset(data + 8, 0xF0, 8);
	assert_int_equal(odemu_flash_program(e, a, data, 16), 0);
	memcpy(after, e->st.flash + a, 16);
	for (int i = 0; i < 8; i++)
		assert_int_equal(after[i], 0x00);
	for (int i = 8; i < 16; i++)
		assert_int_equal(after[i], 0x50);
	/* programming FF changes nothing; only an erase sets bits */
	memset(data, 0xFF, 16);
	assert_int_equal(odemu_flash_program(e, a, data, 16), 0);
	assert_memory_equal(e->st.flash + a, after, 16);
	odemu_flash_erase(e, 2);
	assert_int_equal(e->st.flash[a], 0xFF);
	odemu_close(e);
}

/* ---- the drive's clock (flash.c) ----------------------------------------------- */
/* Modelled time is counted at once and waited out at the end of the
 * command, until its arrival plus the busy time, less how late the
 * drive's earlier answers were; that lateness is the drive's own, capped
 * at 1 s.  Lower bounds only: a loaded host makes waits longer. */
static void
test_busy_clock(void **st)
{
	struct odemu *e = new_drive("spc-generic"), *f = NULL;
	char path2[320];
	struct odf_cmd c;
	uint8_t b[0x60];
	uint64_t t0, m0;

	(void)st;
	e->st.time_scale = 0.01;
	m0 = e->st.modeled_ns;
	odemu_model_time(e, 2000000000ull);		/* 2 s x 0.01 */
	assert_true(e->st.modeled_ns - m0 == 2000000000ull);
	assert_true(e->busy_ns == 20000000ull);		/* not slept yet */
	e->late_ns = 0;
	t0 = odemu_now_ns();
	odemu_busy_wait(e, t0);
	assert_true(odemu_now_ns() - t0 >= 20000000ull);
	assert_true(e->busy_ns == 0);
	/* 900 ms late before: a 500 ms busy time is not waited, 400 ms
	 * stays (plus the call's own time; waiting would leave >= 900) */
	e->late_ns = 900000000ull;
	odemu_model_time(e, 50000000000ull);
	odemu_busy_wait(e, odemu_now_ns());
	assert_true(e->late_ns >= 400000000ull && e->late_ns < 900000000ull);
	/* an answer after its deadline (the emulator's work took longer
	 * than the busy time) counts as late: here 50 - 10 ms */
	e->late_ns = 0;
	odemu_model_time(e, 1000000000ull);
	odemu_busy_wait(e, odemu_now_ns() - 50000000ull);
	assert_true(e->late_ns >= 40000000ull);
	/* at most 1 s is carried */
	odemu_busy_wait(e, odemu_now_ns() - 5000000000ull);
	assert_true(e->late_ns == 1000000000ull);
	/* per drive: e's lateness does not shorten another drive's wait
	 * (every drive of odflash flash --all runs in its own thread) */
	snprintf(path2, sizeof(path2), "%s/drive2", dir);
	assert_int_equal(odemu_create("spc-generic", path2, NULL, NULL), 0);
	assert_int_equal(odemu_open(path2, &f, NULL), 0);
	f->st.time_scale = 0.01;
	odemu_model_time(f, 2000000000ull);
	t0 = odemu_now_ns();
	odemu_busy_wait(f, t0);
	assert_true(odemu_now_ns() - t0 >= 20000000ull);
	odemu_close(f);
	/* time scale 0: counted, never waited, no lateness kept */
	e->st.time_scale = 0;
	e->late_ns = 0;
	m0 = e->st.modeled_ns;
	odemu_model_time(e, 2000000000ull);
	assert_true(e->st.modeled_ns - m0 == 2000000000ull);
	assert_true(e->busy_ns == 0);
	odemu_busy_wait(e, odemu_now_ns() - 50000000ull);
	assert_true(e->late_ns == 0);
	/* through odemu_exec: INQUIRY's 96 bytes at 30 us/KiB x 1000 is
	 * 2.81 ms, answered no sooner, the wait in the command's duration */
	e->st.time_scale = 1000;
	t0 = odemu_now_ns();
	cmd(e, &c, INQ, 6, ODF_DIR_IN, b, sizeof(b), 0);
	assert_int_equal(c.scsi_status, 0);
	assert_true(odemu_now_ns() - t0 >= 2812000ull);
	assert_true(c.duration_ns >= 2812000ull);
	assert_true(e->busy_ns == 0);
	odemu_close(e);
}

/* ---- state file -------------------------------------------------------------- */
static void
test_state_round_trip(void **st)
{
	struct odemu_state s, t;

	(void)st;
	memset(&s, 0, sizeof(s));
	assert_int_equal(odemu_state_alloc(&s, 0x10000, NULL), 0);
	snprintf(s.model, sizeof(s.model), "spc-generic");
	snprintf(s.serial, sizeof(s.serial), "XYZ");
	s.time_scale = 0.25;
	s.mode = ODF_MODE_SAFE;
	s.cut_after_cmds = 7;
	s.cut_after_bytes = -1;
	s.max_transfer = 8192;
	s.n_ua = 1;
	s.ua_asc[0] = 0x3F;
	s.ua_ascq[0] = 0x01;
	s.modeled_ns = 123456789012ull;
	for (uint32_t i = 0; i < 0x10000; i++)
		s.flash[i] = (uint8_t)(i * 7);
	s.ram[5] = 0x42;
	s.staged[3] = 1;
	assert_int_equal(odemu_state_save(path, &s, NULL), 0);
	assert_int_equal(odemu_state_load(path, &t, NULL), 0);
	assert_string_equal(t.model, "spc-generic");
	assert_string_equal(t.serial, "XYZ");
	assert_true(t.time_scale > 0.249 && t.time_scale < 0.251);
	assert_int_equal(t.mode, ODF_MODE_SAFE);
	assert_int_equal(t.cut_after_cmds, 7);
	assert_int_equal(t.cut_after_bytes, -1);
	assert_int_equal(t.max_transfer, 8192);
	assert_int_equal(t.n_ua, 1);
	assert_int_equal(t.ua_asc[0], 0x3F);
	assert_int_equal(t.modeled_ns, 123456789012ull);
	assert_memory_equal(t.flash, s.flash, 0x10000);
	assert_int_equal(t.ram[5], 0x42);
	assert_int_equal(t.staged[3], 1);
	odemu_state_free(&t);
	/* a damaged file is refused, not half-loaded */
	{
		FILE *f = fopen(path, "r+b");
		assert_non_null(f);
		fseek(f, 200, SEEK_SET);
		fputc(0x55 ^ s.flash[100], f);
		fclose(f);
		assert_int_equal(odemu_state_load(path, &t, NULL),
				 ODF_E_FORMAT);
		assert_int_equal(truncate(path, 100), 0);
		assert_int_equal(odemu_state_load(path, &t, NULL),
				 ODF_E_FORMAT);
	}
	odemu_state_free(&s);
}

/* A time scale beyond odemu's 0..1000 is refused where it comes in: by
 * odemu_create, and in a state file (its u64 of thousandths, rehashed so
 * that only the field is wrong).  2^64-1 thousandths is the input the
 * fuzz target emu-state found (tests/fuzz/corpus/emu-state/
 * crash-time-scale): it made the next save's conversion overflow. */
static void
test_state_time_scale_range(void **st)
{
	struct odemu_new_opts o;
	struct odemu_state s, t;
	struct odf_diag d;
	/* magic[8] len[4], then model[32] serial[64] inq_vendor[9]
	 * inq_product[17] inq_revision[5], then the u64 (state.c io_fields) */
	const size_t at = 12 + 32 + 64 + 9 + 17 + 5;
	const uint64_t bad[] = { UINT64_MAX, 1000001, 1ull << 53 };
	unsigned n = 0;

	(void)st;
	memset(&o, 0, sizeof(o));
	o.time_scale = 1000.5;
	odf_diag_clear(&d);
	assert_int_equal(odemu_create("spc-generic", path, &o, &d),
			 ODF_E_USAGE);
	assert_non_null(strstr(d.msg, "from 0 to 1000"));
	o.time_scale = 1000;
	assert_int_equal(odemu_create("spc-generic", path, &o, NULL), 0);
	unlink(path);
	memset(&s, 0, sizeof(s));
	assert_int_equal(odemu_state_alloc(&s, 0x1000, NULL), 0);
	snprintf(s.model, sizeof(s.model), "spc-generic");
	s.time_scale = 1000;	/* the largest: loads */
	assert_int_equal(odemu_state_save(path, &s, NULL), 0);
	assert_int_equal(odemu_state_load(path, &t, NULL), 0);
	assert_true(t.time_scale == 1000.0);
	odemu_state_free(&t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++, n++) {
		FILE *f;
		uint8_t *b;
		long len;
		uint32_t body;
		uint64_t h;

		/* save first: it renames a new file over the old one */
		assert_int_equal(odemu_state_save(path, &s, NULL), 0);
		f = fopen(path, "r+b");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		b = malloc((size_t)len);
		assert_non_null(b);
		rewind(f);
		assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
		body = odf_le32(b + 8);
		assert_int_equal((long)body + 20, len);
		assert_int_equal(odf_le32(b + at), 1000000);
		odf_put_le32(b + at, (uint32_t)bad[i]);
		odf_put_le32(b + at + 4, (uint32_t)(bad[i] >> 32));
		h = odemu_state_hash(b + 12, body);
		odf_put_le32(b + 12 + body, (uint32_t)h);
		odf_put_le32(b + 16 + body, (uint32_t)(h >> 32));
		rewind(f);
		assert_int_equal(fwrite(b, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		free(b);
		odf_diag_clear(&d);
		assert_int_equal(odemu_state_load(path, &t, &d), ODF_E_FORMAT);
		assert_non_null(strstr(d.msg, "inconsistent"));
	}
	assert_int_equal(n, 3);
	odemu_state_free(&s);
}

/* A child saves the state in a loop and is killed with SIGKILL at 20
 * random moments (seeded); every time the file must load and hold one
 * whole save: its flash all one byte.  child() never returns. */
static void
kill9_rounds(unsigned seed, void (*child)(struct odemu_state *s))
{
	struct odemu_state s, t;

	memset(&s, 0, sizeof(s));
	assert_int_equal(odemu_state_alloc(&s, 0x40000, NULL), 0);
	snprintf(s.model, sizeof(s.model), "spc-generic");
	assert_int_equal(odemu_state_save(path, &s, NULL), 0);
	srand(seed);
	for (int round = 0; round < 20; round++) {
		pid_t pid = fork();
		struct timespec ts = { 0, 1000000L + (rand() % 20) * 1000000L };

		assert_true(pid >= 0);
		if (pid == 0) {
			child(&s);
			_exit(1);
		}
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		assert_int_equal(odemu_state_load(path, &t, NULL), 0);
		for (uint32_t i = 1; i < 0x40000; i++)
			assert_int_equal(t.flash[i], t.flash[0]);
		odemu_state_free(&t);
	}
	odemu_state_free(&s);
}

/* whole-file saves, the whole flash changed each time */
static void
plain_saves(struct odemu_state *s)
{
	for (uint64_t i = 0;; i++) {
		s->n_cmds = i;
		memset(s->flash, (int)(i & 0xFF), 0x40000);
		odemu_state_save(path, s, NULL);
	}
}

static void
test_state_atomic_kill9(void **st)
{
	(void)st;
	kill9_rounds(1234, plain_saves);
}

/* The incremental save (state.c: the twin file) writes the very bytes a
 * whole-file save writes, over a run of random changes (none, a page of
 * flash or ram, many pages, the staged flags, the counters): the file is
 * compared with a whole-file save of the same state after each one.  A
 * stale twin (a killed process's) is removed at init, the twin at drop. */
static void
test_state_twin_same_bytes(void **st)
{
	struct odemu_state s, t;
	struct odemu_twin tw;
	char twin[320], whole[320];
	const uint32_t fs = 0x40000;
	unsigned rounds = 0, pages_changed = 0;
	FILE *f;

	(void)st;
	snprintf(twin, sizeof(twin), "%s.twin", path);
	snprintf(whole, sizeof(whole), "%s/whole", dir);
	memset(&s, 0, sizeof(s));
	assert_int_equal(odemu_state_alloc(&s, fs, NULL), 0);
	snprintf(s.model, sizeof(s.model), "spc-generic");
	assert_int_equal(odemu_state_save(path, &s, NULL), 0);
	f = fopen(twin, "w");
	assert_non_null(f);
	fputs("stale", f);
	fclose(f);
	odemu_twin_init(&tw, path, &s);
	assert_int_equal(access(twin, F_OK), -1);
	srand(4321);
	for (int round = 0; round < 300; round++) {
		int what = rand() % 6;
		uint8_t *a, *b;
		size_t na, nb;

		if (what == 1 || what == 2) {	/* a byte of one page */
			uint8_t *arr = what == 1 ? s.flash : s.ram;

			arr[(size_t)rand() % fs] = (uint8_t)rand();
			pages_changed++;
		} else if (what == 3) {		/* a run of pages */
			size_t off = ((size_t)rand() % (fs / ODEMU_PAGE)) *
				     ODEMU_PAGE;
			size_t n = ((size_t)rand() % 8 + 1) * ODEMU_PAGE;

			if (off + n > fs)
				n = fs - off;
			memset(s.flash + off, rand() & 0xFF, n);
			memset(s.ram + off, rand() & 0xFF, n);
			pages_changed += (unsigned)(2 * n / ODEMU_PAGE);
		} else if (what == 4) {
			s.staged[(size_t)rand() % (fs / ODEMU_PAGE)] ^= 1;
		}
		s.n_cmds++;			/* every save: the counters */
		assert_int_equal(odemu_state_save_twin(path, &s, &tw, NULL), 0);
		assert_int_equal(odemu_state_save(whole, &s, NULL), 0);
		a = odf_test_slurp(path, &na);
		b = odf_test_slurp(whole, &nb);
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		free(a);
		free(b);
		rounds++;
	}
	assert_int_equal(odemu_state_load(path, &t, NULL), 0);
	assert_memory_equal(t.flash, s.flash, fs);
	assert_memory_equal(t.ram, s.ram, fs);
	odemu_state_free(&t);
	/* Linux: the exchange worked, the twin is there until the drop */
	assert_false(tw.off);
	assert_int_equal(access(twin, F_OK), 0);
	odemu_twin_drop(&tw);
	assert_int_equal(access(twin, F_OK), -1);
	printf("# twin saves: %u rounds, %u page changes, each file equal to "
	       "the whole-file save\n", rounds, pages_changed);
	assert_int_equal(rounds, 300);
	assert_true(pages_changed > 100);
	odemu_state_free(&s);
}

/* The incremental save (a page, or the whole flash, per save) under
 * kill -9 at random moments. */
static void
twin_saves(struct odemu_state *s)
{
	struct odemu_twin tw;
	struct odemu_state c;

	(void)s;
	if (odemu_state_load(path, &c, NULL) < 0)
		_exit(1);
	odemu_twin_init(&tw, path, &c);
	for (uint64_t i = c.n_cmds + 1;; i++) {
		c.n_cmds = i;
		if (i % 3)
			memset(c.flash, (int)(i & 0xFF), 0x40000);
		else
			c.ram[(i * ODEMU_PAGE) % 0x40000] ^= 1;
		odemu_state_save_twin(path, &c, &tw, NULL);
	}
}

static void
test_state_twin_atomic_kill9(void **st)
{
	(void)st;
	kill9_rounds(5678, twin_saves);
}

static void
test_lock(void **st)
{
	struct odemu *e = new_drive("nec-nd3500"), *e2 = NULL;
	pid_t pid;
	int status;

	(void)st;
	/* another process cannot open it while it is open */
	pid = fork();
	if (pid == 0) {
		struct odemu *x = NULL;
		_exit(odemu_open(path, &x, NULL) == ODF_E_BUSY ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	odemu_close(e);
	/* the same process reopens it after close */
	assert_int_equal(odemu_open(path, &e2, NULL), 0);
	odemu_close(e2);
	assert_int_equal(odemu_open("/nonexistent/drive", &e2, NULL),
			 ODF_E_NODEV);
}

/* ---- faults ------------------------------------------------------------------- */
static void
test_fault_bridge(void **st)
{
	struct odemu *e = new_drive("spc-generic");
	struct odemu_fault_opts f = { .set[ODEMU_F_MAX_TRANSFER] = true,
				      .val[ODEMU_F_MAX_TRANSFER] = 8192 };
	struct odf_cmd c;
	uint8_t *buf = calloc(1, 32768);
	uint8_t rb[10] = { 0x3C, 0x02, 0, 0, 0, 0, 0, 0x80, 0x00, 0 };
	uint8_t vend[12] = { 0xF1 };

	(void)st;
	assert_int_equal(odemu_bus(e), ODF_BUS_EMU);
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	assert_int_equal(odemu_bus(e), ODF_BUS_USB);
	assert_int_equal(odemu_max_transfer(e), 8192);
	cmd(e, &c, rb, 10, ODF_DIR_IN, buf, 32768, 0);
	assert_int_equal(c.os_err, EINVAL);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(c.resid, 32768);
	rb[7] = 0x20;
	cmd(e, &c, rb, 10, ODF_DIR_IN, buf, 8192, 0);
	assert_int_equal(c.os_err, 0);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(c.resid, 0);
	assert_memory_equal(buf, "ODFSPCFW", 8);
	/* vendor opcodes: the drive says invalid opcode anyway; with the
	 * bridge fault the NEC ReadRAM is answered by the bridge */
	odemu_close(e);
	e = new_drive("nec-nd3500");
	memset(&f, 0, sizeof(f));
	f.set[ODEMU_F_DROP_VENDOR] = true;
	f.val[ODEMU_F_DROP_VENDOR] = 1;
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	vend[0] = 0xCC;
	vend[4] = 0x48;
	vend[8] = 0x20;
	cmd(e, &c, vend, 12, ODF_DIR_IN, buf, 32, 0);
	assert_int_equal(c.scsi_status, ODF_SAM_CHECK_CONDITION);
	assert_int_equal(c.sense[2], 5);
	assert_int_equal(c.sense[12], 0x20);
	f.val[ODEMU_F_DROP_VENDOR] = 0;
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	cmd(e, &c, vend, 12, ODF_DIR_IN, buf, 32, 0);
	assert_int_equal(c.scsi_status, 0);
	assert_memory_equal(buf, "K350", 4);
	free(buf);
	odemu_close(e);
}

static void
test_fault_disc_hang(void **st)
{
	struct odemu *e = new_drive("spc-generic");
	struct odemu_fault_opts f = { .set_disc = true, .disc = true };
	struct odf_cmd c;
	uint8_t cap[8];
	static const uint8_t rc10[10] = { 0x25 };
	static const uint8_t eject[6] = { 0x1B, 0, 0, 0, 0x02, 0 };

	(void)st;
	cmd(e, &c, TUR, 6, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(c.sense[2], 2);
	assert_int_equal(c.sense[12], 0x3A);
	cmd(e, &c, rc10, 10, ODF_DIR_IN, cap, 8, 0);
	assert_int_equal(c.sense[12], 0x3A);
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	/* inserting a disc raises 06/28/00 once, then the drive is ready */
	cmd(e, &c, TUR, 6, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(c.sense[2], 6);
	assert_int_equal(c.sense[12], 0x28);
	cmd(e, &c, TUR, 6, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(c.scsi_status, 0);
	cmd(e, &c, rc10, 10, ODF_DIR_IN, cap, 8, 0);
	assert_int_equal(c.scsi_status, 0);
	assert_int_equal(odf_be32(cap + 4), 2048);
	cmd(e, &c, eject, 6, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(c.scsi_status, 0);
	cmd(e, &c, TUR, 6, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(c.sense[12], 0x3A);
	assert_int_equal(c.sense[13], 0x02);	/* tray open */
	/* hang: 300 ms against a 50 ms timeout -> DID_TIME_OUT after 50 ms */
	memset(&f, 0, sizeof(f));
	f.set[ODEMU_F_HANG_MS] = true;
	f.val[ODEMU_F_HANG_MS] = 300;
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, cap, 8, 50);
	assert_int_equal(c.host_status, ODF_HOST_TIME_OUT);
	assert_true(c.duration_ns >= 50000000ull);
	assert_true(c.duration_ns < 300000000ull);
	/* one-shot: the next command is answered */
	cmd(e, &c, INQ, 6, ODF_DIR_IN, cap, 8, 50);
	assert_int_equal(c.host_status, 0);
	assert_int_equal(c.scsi_status, 0);
	/* a hang shorter than the timeout only delays */
	f.val[ODEMU_F_HANG_MS] = 60;
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, cap, 8, 1000);
	assert_int_equal(c.host_status, 0);
	assert_true(c.duration_ns >= 60000000ull);
	odemu_close(e);
}

static void
test_fault_power_cut_bytes(void **st)
{
	struct odemu *e = new_drive("spc-generic");
	struct odemu_fault_opts f = { .set[ODEMU_F_CUT_BYTES] = true,
				      .val[ODEMU_F_CUT_BYTES] = 0x18000 };
	struct odemu_status *s = malloc(sizeof(*s));
	struct odf_cmd c;
	uint8_t *img;
	size_t len;
	uint8_t wb[10] = { 0x3B, 0x05 };
	char rev[5];
	uint8_t inq[96];

	(void)st;
	assert_int_equal(odemu_mkimage("spc-generic", "2.00", &img, &len,
				       NULL), 0);
	odf_put_be24(wb + 6, (uint32_t)len);
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	cmd(e, &c, wb, 10, ODF_DIR_OUT, img, len, 0);
	assert_int_equal(c.host_status, ODF_HOST_NO_CONNECT);
	/* the open handle is dead, the drive cannot be opened */
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	assert_int_equal(c.host_status, ODF_HOST_NO_CONNECT);
	odemu_close(e);
	assert_int_equal(odemu_open(path, &e, NULL), ODF_E_NODEV);
	/* show tells the truth: block 1 programmed, block 2 half, rest
	 * erased, power off */
	assert_int_equal(odemu_open_admin(path, &e, NULL), 0);
	odemu_get_status(e, s);
	assert_true(s->powered_off);
	assert_int_equal(s->block[1].state, ODEMU_BLOCK_PROGRAMMED);
	assert_int_equal(s->block[2].state, ODEMU_BLOCK_PARTIAL);
	assert_int_equal(s->block[3].state, ODEMU_BLOCK_ERASED);
	assert_memory_equal(e->st.flash + 0x10000, img, 0x18000);
	assert_int_equal(e->st.flash[0x10000 + 0x18000], 0xFF);
	assert_int_equal(odemu_power_on(e, NULL), 0);
	odemu_close(e);
	/* it boots into boot mode: its flash holds half an image */
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	memcpy(rev, inq + 32, 4);
	rev[4] = 0;
	assert_string_equal(rev, "BOOT");
	/* the recovery path (WRITE BUFFER) still works */
	cmd(e, &c, TUR, 6, ODF_DIR_NONE, NULL, 0, 0);	/* 06/29/00 */
	assert_int_equal(c.sense[12], 0x29);
	cmd(e, &c, wb, 10, ODF_DIR_OUT, img, len, 0);
	assert_int_equal(c.scsi_status, 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	assert_memory_equal(inq + 32, "2.00", 4);
	free(img);
	free(s);
	odemu_close(e);
}

static void
test_fault_power_cut_cmds_and_reenum(void **st)
{
	struct odemu *e = new_drive("nec-nd3500");
	struct odemu_fault_opts f = { .set[ODEMU_F_CUT_CMDS] = true,
				      .val[ODEMU_F_CUT_CMDS] = 2 };
	struct odf_cmd c;
	uint8_t inq[96];
	uint8_t safe_on[12] = { 0xCC, 0x01, 0x01, 0, 'K', '3', '1', '0', 1 };
	uint8_t safe_off[12] = { 0xCC, 0x01, 0x00, 0, 'K', '3', '1', '0', 1 };

	(void)st;
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	assert_int_equal(c.host_status, 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	assert_int_equal(c.host_status, 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	assert_int_equal(c.host_status, ODF_HOST_NO_CONNECT);
	odemu_close(e);
	assert_int_equal(odemu_open(path, &e, NULL), ODF_E_NODEV);
	assert_int_equal(odemu_open_admin(path, &e, NULL), 0);
	assert_int_equal(odemu_power_on(e, NULL), 0);
	memset(&f, 0, sizeof(f));
	f.set[ODEMU_F_REENUM] = true;
	f.val[ODEMU_F_REENUM] = 2;
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	odemu_close(e);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	cmd(e, &c, TUR, 6, ODF_DIR_NONE, NULL, 0, 0);	/* 06/29/00 */
	assert_int_equal(c.sense[2], 6);
	assert_int_equal(c.sense[12], 0x29);
	cmd(e, &c, safe_on, 12, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(c.scsi_status, 0);
	cmd(e, &c, safe_off, 12, ODF_DIR_NONE, NULL, 0, 0);
	assert_int_equal(c.scsi_status, 0);
	/* the drive reboots and drops off the bus for 2 opens */
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	assert_int_equal(c.host_status, ODF_HOST_NO_CONNECT);
	odemu_close(e);
	assert_int_equal(odemu_open(path, &e, NULL), ODF_E_NODEV);
	assert_int_equal(odemu_open(path, &e, NULL), ODF_E_NODEV);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	cmd(e, &c, INQ, 6, ODF_DIR_IN, inq, 96, 0);
	assert_memory_equal(inq + 32, "2.16", 4);
	odemu_close(e);
}

/* Every settable entry of the fault table: set, shown by odemu_get_status,
 * kept by the state file, and turned off again by clear. */
static void
test_fault_table_set_save_clear(void **st)
{
	const struct odemu_fault_desc *t = odemu_fault_table();
	struct odemu *e = new_drive("nec-nd3500");
	struct odemu_fault_opts f;
	struct odemu_status *s = malloc(sizeof(*s));
	unsigned n = 0;

	(void)st;
	assert_non_null(s);
	memset(&f, 0, sizeof(f));
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++) {
		assert_non_null(t[i].name);
		if (t[i].kind == ODEMU_FK_STATUS)
			continue;
		f.set[i] = true;
		/* a value that is not off: the top of the range */
		f.val[i] = (int64_t)t[i].max;
		assert_int_not_equal(f.val[i], t[i].off);
		n++;
	}
	assert_true(n >= 10);
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	odemu_close(e);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	odemu_get_status(e, s);
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++)
		if (t[i].kind != ODEMU_FK_STATUS)
			assert_int_equal(s->fault[i], (int64_t)t[i].max);
	memset(&f, 0, sizeof(f));
	f.clear = true;
	assert_int_equal(odemu_set_faults(e, &f, NULL), 0);
	odemu_close(e);
	assert_int_equal(odemu_open(path, &e, NULL), 0);
	odemu_get_status(e, s);
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++)
		assert_int_equal(s->fault[i], t[i].off);
	/* out of range: refused, nothing changed */
	memset(&f, 0, sizeof(f));
	f.set[ODEMU_F_REENUM_SKIP] = true;
	f.val[ODEMU_F_REENUM_SKIP] = 1001;
	assert_int_equal(odemu_set_faults(e, &f, NULL), ODF_E_USAGE);
	f.val[ODEMU_F_REENUM_SKIP] = 3;
	f.set[ODEMU_F_HANG_MS] = true;
	f.val[ODEMU_F_HANG_MS] = 3600001;
	assert_int_equal(odemu_set_faults(e, &f, NULL), ODF_E_USAGE);
	odemu_get_status(e, s);
	assert_int_equal(s->fault[ODEMU_F_REENUM_SKIP], 0);
	odemu_close(e);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nor_model, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_table_set_save_clear,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_state_time_scale_range,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_atomic_kill9, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_state_twin_same_bytes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_twin_atomic_kill9,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_bridge, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fault_disc_hang, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fault_power_cut_bytes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fault_power_cut_cmds_and_reenum, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
