/* odflash: byte helpers shared by the library, the image library and the
 * emulator (declared in odf/bytes.h): checksums over firmware bytes and
 * fixed-width string fields. */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "odf/bytes.h"

/* Sums of the bytes at even and at odd offsets of p[0..n) (offsets
 * relative to p); every checksum the families use is built from them, and
 * they are most of identification's time.  No library offers this.
 * x86-64 (SSE2 is part of its base ISA): 32 bytes a step; PSADBW against
 * zero adds the eight bytes of each 64-bit half into a 64-bit lane, after
 * masking the odd bytes off (even sum) or shifting them down (odd sum):
 * about 30 GB/s, twice the portable version below.
 * Elsewhere: eight bytes at a time, each 64-bit little-endian load holds
 * four even bytes in lanes 0,2,4,6 and four odd ones in 1,3,5,7; they are
 * added in 16-bit lanes, flushed before a lane can overflow. */
static void
sum_even_odd(const uint8_t *p, size_t n, uint64_t *even, uint64_t *odd)
{
	uint64_t e = 0, o = 0;
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i m = _mm_set1_epi16(0x00FF), z = _mm_setzero_si128();
	__m128i ae = z, ao = z, be = z, bo = z;
	uint64_t t[2];

	for (; n - i >= 32; i += 32) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));

		ae = _mm_add_epi64(ae, _mm_sad_epu8(_mm_and_si128(x, m), z));
		ao = _mm_add_epi64(ao, _mm_sad_epu8(_mm_srli_epi16(x, 8), z));
		be = _mm_add_epi64(be, _mm_sad_epu8(_mm_and_si128(y, m), z));
		bo = _mm_add_epi64(bo, _mm_sad_epu8(_mm_srli_epi16(y, 8), z));
	}
	_mm_storeu_si128((__m128i *)(void *)t, _mm_add_epi64(ae, be));
	e = t[0] + t[1];
	_mm_storeu_si128((__m128i *)(void *)t, _mm_add_epi64(ao, bo));
	o = t[0] + t[1];
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t m = 0x00FF00FF00FF00FFull;

	while (n - i >= 8) {
		uint64_t ae = 0, ao = 0;
		size_t k = (n - i) / 8;

		if (k > 250)	/* 250 * 255 < 65536 */
			k = 250;
		for (size_t j = 0; j < k; j++, i += 8) {
			uint64_t x;
			memcpy(&x, p + i, 8);
			ae += x & m;
			ao += (x >> 8) & m;
		}
		for (int l = 0; l < 4; l++) {
			e += (ae >> (16 * l)) & 0xFFFF;
			o += (ao >> (16 * l)) & 0xFFFF;
		}
	}
#endif
	for (; i < n; i++) {
		if (i & 1)
			o += p[i];
		else
			e += p[i];
	}
	*even = e;
	*odd = o;
}

uint16_t
odf_sum_be16(const uint8_t *p, size_t n)
{
	uint64_t e, o;

	/* sum of BE16 words = 256 * (high bytes) + (low bytes), mod 2^16 */
	sum_even_odd(p, n & ~(size_t)1, &e, &o);
	return (uint16_t)((e << 8) + o);
}

uint32_t
odf_sum_bytes(const uint8_t *p, size_t n)
{
	uint64_t e, o;

	sum_even_odd(p, n, &e, &o);
	return (uint32_t)(e + o);
}

void
odf_str_trim(char *dst, size_t dstsz, const void *src, size_t n,
	     enum odf_str_other other)
{
	const uint8_t *p = src;
	size_t k = 0;

	if (dstsz == 0)
		return;
	for (size_t i = 0; i < n && k + 1 < dstsz && p[i] != 0; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7F)
			dst[k++] = (char)p[i];
		else if (other == ODF_STR_STOP)
			break;
		else
			dst[k++] = other == ODF_STR_MARK ? '?' : (char)p[i];
	}
	while (k > 0 && dst[k - 1] == ' ')
		k--;
	dst[k] = '\0';
}

void
odf_put_padded(uint8_t *p, size_t n, const char *s)
{
	size_t l = s ? strlen(s) : 0;

	for (size_t i = 0; i < n; i++)
		p[i] = i < l ? (uint8_t)s[i] : ' ';
}
