/* odemu: helpers for the family protocols (emu/fam.h). */
#include <string.h>

#include "fam.h"

void
odemu_fam_fill(struct odemu *e, uint32_t from, uint32_t to, uint32_t seed)
{
	uint32_t x = seed ? seed : 0x4F444655u;

	for (uint32_t i = from; i < to && i < e->st.flash_size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		e->st.flash[i] = (uint8_t)x;
	}
}

int
odemu_fam_write(struct odemu *e, uint32_t addr, const uint8_t *data,
		uint32_t len)
{
	const struct odemu_model *m = e->model;
	int first, last;

	if (len == 0)
		return 0;
	first = odemu_block_of(m, addr);
	last = odemu_block_of(m, addr + len - 1);
	if (first < 0 || last < 0)
		return -1;
	e->dirty = true;
	for (int b = first; b <= last; b++) {
		uint32_t bs = odemu_block_start(m, (unsigned)b);
		uint32_t be = bs + m->block_size[b];

		/* NOR: erase whole blocks; keep what lies outside the range */
		if (bs < addr || be > addr + len) {
			uint8_t keep_lo[0x10000], keep_hi[0x10000];
			uint32_t lo = addr > bs ? addr - bs : 0;
			uint32_t hi = be > addr + len ? be - (addr + len) : 0;

			if (lo > sizeof(keep_lo) || hi > sizeof(keep_hi))
				return -1;
			memcpy(keep_lo, e->st.flash + bs, lo);
			memcpy(keep_hi, e->st.flash + be - hi, hi);
			if (odemu_flash_erase(e, (unsigned)b) < 0)
				return -1;
			if (lo && odemu_flash_program(e, bs, keep_lo, lo) < 0)
				return -1;
			if (hi && odemu_flash_program(e, be - hi, keep_hi,
						      hi) < 0)
				return -1;
		} else if (odemu_flash_erase(e, (unsigned)b) < 0) {
			return -1;
		}
	}
	return odemu_flash_program(e, addr, data, len);
}

int
odemu_fam_printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7E)
			return 0;
	return 1;
}

void
odemu_fam_took(struct odf_cmd *c)
{
	odemu_good(c);
	c->resid = 0;
}

void
odemu_fam_reset_cut(struct odf_cmd *c)
{
	c->scsi_status = 0;
	c->sense_len = 0;
	c->host_status = ODF_HOST_RESET;
	c->resid = 0;
}

int
odemu_fam_stage(struct odemu *e, struct odf_cmd *c, uint32_t off,
		uint32_t len)
{
	if (off == 0)
		e->st.dl_len = 0;
	if (off != e->st.dl_len) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return -1;
	}
	memcpy(e->st.ram + off, c->buf, len);
	e->st.dl_len = off + len;
	e->dirty = true;
	return 0;
}

bool
odemu_fam_image_whole(const struct odemu *e, uint32_t size)
{
	for (unsigned b = 0; b < e->model->nblocks; b++)
		if (e->st.blk_dirty[b])
			return false;
	for (uint32_t i = size - 16; i < size; i++)
		if (e->st.flash[i] != 0xFF)
			return true;
	return false;
}

int
odemu_fam_deferred_sense(struct odemu *e, struct odf_cmd *c)
{
	uint32_t k = e->st.dl_deferred;

	if (k == 0)
		return 0;
	odemu_sense(c, (uint8_t)(k >> 16), (uint8_t)(k >> 8), (uint8_t)k);
	return 1;
}

int
odemu_fam_busy_tur(struct odemu *e, struct odf_cmd *c,
		   void (*done)(struct odemu *e, struct odf_cmd *c))
{
	if (odemu_fam_deferred_sense(e, c))
		return 1;
	if (e->st.chk_value == 0)
		return 0;
	e->dirty = true;
	if (--e->st.chk_value > 0) {
		odemu_sense(c, ODEMU_SK_NOT_READY, 0x04, 0x07);
		return 1;
	}
	odemu_restart(e);
	done(e, c);
	return 1;
}
