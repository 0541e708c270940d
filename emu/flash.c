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

/* Each nanosleep overshoots by the timer slack (tens of microseconds);
 * over the ~900 commands of a flash that adds up.  The overshoot is
 * measured and taken off the next sleeps, so the drive's total time
 * tracks its model (bench_flash). */
static int64_t g_overslept_ns;

static uint64_t
mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void
odemu_model_time(struct odemu *e, uint64_t ns)
{
	double scale = e->st.time_scale;
	uint64_t sl, t0;
	int64_t want;
	struct timespec ts;

	e->st.modeled_ns += ns;
	if (scale <= 0.0)
		return;
	sl = (uint64_t)((double)ns * scale);
	e->st.slept_ns += sl;
	want = (int64_t)sl - g_overslept_ns;
	if (want <= 0) {
		g_overslept_ns -= (int64_t)sl;
		return;
	}
	ts.tv_sec = (time_t)((uint64_t)want / 1000000000ull);
	ts.tv_nsec = (long)((uint64_t)want % 1000000000ull);
	t0 = mono_ns();
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	g_overslept_ns = (int64_t)(mono_ns() - t0) - want;
}

void
odemu_host_sleep(struct odemu *e, uint64_t ns)
{
	odemu_model_time(e, ns);
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
