/* odemu NOR flash model.
 *
 * Parallel NOR flash (the 29F/29LV parts these drives carry) behaves
 * like this, and so does the model: an erase sets a whole block to FFh;
 * programming can only clear bits (new = old AND data), so programming a
 * block that was not erased first leaves the AND of old and new contents,
 * exactly the corruption real flash shows (AMD/Spansion Am29LV160 data
 * sheet, "Program Command Sequence": "a bit cannot be programmed from a
 * 0 back to a 1"; only an erase returns it to 1).
 *
 * Timings come from the personality and are scaled by the state's time
 * scale: 0 answers at once, 1 sleeps as long as the real part would.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "emu.h"

/* The drive's clock.  A command's modelled times (its transfer, erase,
 * program) are added up while it runs (odemu_model_time) and waited out
 * once, at its end (odemu_busy_wait, from odemu_exec), until an absolute
 * deadline on CLOCK_MONOTONIC (clock_nanosleep TIMER_ABSTIME): the
 * command's arrival plus its busy time.  So the emulator's own work for
 * the command (the state file it saves, ~4 ms on a disk; its log line)
 * is done within the drive's busy time, as a real drive's flash work is,
 * not after it.  An answer that still comes after its deadline (the
 * timer's slack and wake-up latency; the emulator's work on a command
 * with little or no busy time, e.g. a save after a 64 KiB WriteRAM of
 * 0.5 ms) is late by the emulator, not by the drive: that lateness is
 * taken off the next deadlines, so the drive's total time is its
 * modelled time plus the host's own time between commands, however many
 * commands it answers (bench_flash).  Up to LATE_MAX_NS is carried (the
 * saves after the 16 WriteRAMs of a 1 MiB NEC flash come to ~0.1 s
 * before its first erase); more is a stopped process or a suspended host,
 * not the emulator's own work.  Both live in the drive
 * (struct odemu), not the process: each drive of `odflash flash --all`
 * runs in its own thread. */
#define LATE_MAX_NS 1000000000ull

uint64_t
odemu_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* Sleep until due (CLOCK_MONOTONIC ns).  POSIX: clock_nanosleep with
 * TIMER_ABSTIME (POSIX.1-2008, clock_nanosleep()), restarted after a
 * signal toward the same deadline.  mingw-w64's winpthreads refuses
 * CLOCK_MONOTONIC with TIMER_ABSTIME (-1, errno EINVAL, seen under Wine
 * 8): there a relative nanosleep of what is left, until due. */
static void
sleep_until(uint64_t due)
{
#ifdef _WIN32
	uint64_t now;

	while ((now = odemu_now_ns()) < due) {
		struct timespec ts = { (time_t)((due - now) / 1000000000ull),
				       (long)((due - now) % 1000000000ull) };

		(void)nanosleep(&ts, NULL);
	}
#else
	struct timespec ts = { (time_t)(due / 1000000000ull),
			       (long)(due % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
#endif
}

void
odemu_model_time(struct odemu *e, uint64_t ns)
{
	double scale = e->st.time_scale;
	uint64_t sl;

	e->st.modeled_ns += ns;
	if (scale <= 0.0)
		return;
	sl = (uint64_t)((double)ns * scale);
	e->st.slept_ns += sl;
	e->busy_ns += sl;
}

void
odemu_busy_wait(struct odemu *e, uint64_t t0)
{
	uint64_t busy = e->busy_ns;
	uint64_t take = e->late_ns < busy ? e->late_ns : busy;
	uint64_t due = t0 + busy - take, now;

	e->busy_ns = 0;
	e->late_ns -= take;
	if (e->st.time_scale <= 0.0)
		return;		/* answers at once: no clock to keep */
	now = odemu_now_ns();
	if (now < due) {
		sleep_until(due);
		now = odemu_now_ns();
	}
	if (now > due)
		e->late_ns += now - due;
	if (e->late_ns > LATE_MAX_NS)
		e->late_ns = LATE_MAX_NS;
}

void
odemu_host_sleep(struct odemu *e, uint64_t ns)
{
	uint64_t t0 = odemu_now_ns();

	odemu_model_time(e, ns);
	odemu_busy_wait(e, t0);
	e->counters_dirty = true;
}

int
odemu_flash_erase(struct odemu *e, unsigned b)
{
	const struct odemu_model *m = e->model;
	uint32_t a;

	if (b >= m->nblocks)
		return 0;
	a = odemu_block_start(m, b);
	memset(e->st.flash + a, 0xFF, m->block_size[b]);
	e->st.blk_dirty[b] = 0;
	e->st.n_erase++;
	e->dirty = true;
	odemu_model_time(e, (uint64_t)m->erase_ms_per_block * 1000000ull);
	return 0;
}

int
odemu_flash_program(struct odemu *e, uint32_t addr, const uint8_t *data,
		    size_t len)
{
	const struct odemu_model *m = e->model;
	size_t n = len;
	int cut = 0;

	if (addr >= e->st.flash_size)
		return 0;
	if (n > e->st.flash_size - addr)
		n = e->st.flash_size - addr;
	if (e->st.cut_after_bytes >= 0 &&
	    (uint64_t)e->st.cut_after_bytes < n) {
		/* the power goes off part way: bytes before the cut are
		 * programmed, the rest of the block keeps what it held */
		n = (size_t)e->st.cut_after_bytes;
		cut = 1;
	}
	for (size_t i = 0; i < n; i++)
		e->st.flash[addr + i] &= data[i];
	if (e->st.cut_after_bytes >= 0)
		e->st.cut_after_bytes -= (int64_t)n;
	e->st.bytes_programmed += n;
	e->dirty = true;
	odemu_model_time(e, (uint64_t)n * m->program_us_per_kib * 1000ull /
			 1024u);
	if (cut) {
		int b = odemu_block_of(m, addr + (uint32_t)n);
		if (b >= 0)
			e->st.blk_dirty[b] = 1;
		odemu_power_cut(e, NULL);
		return -1;
	}
	return 0;
}

int
odemu_flash_block_state(const struct odemu *e, unsigned b)
{
	const struct odemu_model *m = e->model;
	uint32_t a = odemu_block_start(m, b);

	if (e->st.blk_dirty[b])
		return 2;
	for (uint32_t i = 0; i < m->block_size[b]; i++)
		if (e->st.flash[a + i] != 0xFF)
			return 1;
	return 0;
}
