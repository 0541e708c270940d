/* odemu fault --garbage-answers SEED: a lying drive (issue #18).
 *
 * Every data-in command is answered, instead of by the drive, with
 * bytes drawn from a small PRNG seeded by SEED and k, the index of the
 * data-in command since the drive was opened: one seed gives the same
 * answers to the same questions whatever the drive's history.  When a
 * program it answered with garbage closes the drive the seed advances
 * by one (target.c odemu_close), so N runs after one
 * `fault --garbage-answers S` meet seeds S .. S+N-1; each answer is
 * logged as "garbage S/k: what".  Commands without data in (TEST UNIT
 * READY, the data-out writes) still reach the drive, so a write odflash
 * should never have sent shows in the flash and in the command log.
 *
 * The generator is splitmix64 (G. Steele, D. Lea, C. Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014; the public
 * domain reference is S. Vigna's splitmix64.c at prng.di.unimi.it):
 * a test tool's dice, nothing cryptographic.
 *
 * What one answer is (16 equal chances):
 *   5  GOOD, a random length (0 .. the allocation), random bytes
 *   3  GOOD, a random length, shaped like an answer: byte 0 a CD/DVD
 *      device type, bytes 2-3 a big-endian length near the one sent,
 *      bytes 8-35 printable ASCII (INQUIRY strings that parse)
 *   2  GOOD, the whole allocation of random bytes
 *   4  CHECK CONDITION: half the time fixed-format sense (70h) with a
 *      random key, ASC and ASCQ; else 0 to 32 random sense bytes
 *   1  GOOD with no data at all
 *   1  BUSY, RESERVATION CONFLICT or TASK SET FULL (SAM-5 5.3.1)
 */
#include <stdio.h>
#include <string.h>

#include "emu.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void
fill(uint64_t *x, uint8_t *p, size_t n)
{
	while (n) {
		uint64_t r = splitmix64(x);
		size_t k = n < 8 ? n : 8;

		memcpy(p, &r, k);
		p += k;
		n -= k;
	}
}

static unsigned answer(uint64_t x, struct odf_cmd *c);

static const char *const what[] = { "random bytes", "shaped bytes",
				    "random sense", "no data", "busy status" };

/* note: the command log's "garbage S/k: what" */
void
odemu_garbage_answer(struct odemu *e, struct odf_cmd *c, char *note,
		     size_t note_len)
{
	uint64_t s = (uint64_t)e->st.garbage_seed, k = e->garbage_k++;
	unsigned w = answer(s << 32 ^ k, c);

	snprintf(note, note_len, "garbage %llu/%llu: %s",
		 (unsigned long long)s, (unsigned long long)k, what[w]);
}

static unsigned
answer(uint64_t x, struct odf_cmd *c)
{
	static const uint8_t busy[] = { 0x08, 0x18, 0x28 };
	size_t len = c->buf ? c->len : 0, n;
	unsigned pick;

	(void)splitmix64(&x);
	pick = (unsigned)(splitmix64(&x) % 16);
	c->scsi_status = ODF_SAM_GOOD;
	c->resid = (int32_t)c->len;
	c->sense_len = 0;
	if (pick < 5 || (pick >= 8 && pick < 10)) {
		n = pick < 5 ? (size_t)(splitmix64(&x) % (len + 1)) : len;
		fill(&x, c->buf, n);
		c->resid = (int32_t)(c->len - n);
		return 0;
	}
	if (pick < 8) {
		n = (size_t)(splitmix64(&x) % (len + 1));
		fill(&x, c->buf, n);
		if (n > 0)
			c->buf[0] = 0x05;	/* CD/DVD (SPC-4 table 49) */
		if (n > 3) {
			uint64_t d = splitmix64(&x) % 9;
			uint16_t l = (uint16_t)(n - 4 + d - 4);

			c->buf[2] = (uint8_t)(l >> 8);
			c->buf[3] = (uint8_t)l;
		}
		for (size_t i = 8; i < n && i < 36; i++)
			c->buf[i] = (uint8_t)(0x20 + c->buf[i] % 0x5F);
		c->resid = (int32_t)(c->len - n);
		return 1;
	}
	if (pick < 14) {
		uint64_t r = splitmix64(&x);

		if (r & 1) {
			odemu_sense(c, (uint8_t)(r >> 8 & 0xF), (uint8_t)(r >> 16),
				    (uint8_t)(r >> 24));
		} else {
			c->scsi_status = ODF_SAM_CHECK_CONDITION;
			n = (size_t)(r >> 8) % 33;
			if (n > sizeof(c->sense))
				n = sizeof(c->sense);
			fill(&x, c->sense, n);
			c->sense_len = n;
		}
		return 2;
	}
	if (pick == 14)
		return 3;
	c->scsi_status = busy[splitmix64(&x) % 3];
	return 4;
}
