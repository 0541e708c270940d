/* odflash: big/little-endian field access for CDBs and firmware images
 * (inline), and the byte helpers of lib/util/bytes.c that the library,
 * the image library and the emulator share: written once. */
#ifndef ODF_BYTES_H
#define ODF_BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t odf_be16(const uint8_t *p)
{ return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t odf_be24(const uint8_t *p)
{ return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2]; }
static inline uint32_t odf_be32(const uint8_t *p)
{ return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	 ((uint32_t)p[2] << 8) | p[3]; }
static inline uint16_t odf_le16(const uint8_t *p)
{ return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t odf_le32(const uint8_t *p)
{ return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	 ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }
static inline void odf_put_be16(uint8_t *p, uint32_t v)
{ p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void odf_put_be24(uint8_t *p, uint32_t v)
{ p[0] = (uint8_t)(v >> 16); p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)v; }
static inline void odf_put_be32(uint8_t *p, uint32_t v)
{ p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
static inline void odf_put_le16(uint8_t *p, uint32_t v)
{ p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void odf_put_le32(uint8_t *p, uint32_t v)
{ p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }

/* 16-bit sum of the big-endian words of p[0..n & ~1), mod 2^16: the NEC
 * checksum as the drive computes it (binflash necinterface.cpp
 * ReadFirmware; docs/internals/protocols.md §2.7) and the base of LG's. */
uint16_t odf_sum_be16(const uint8_t *p, size_t n);
/* Sum of the bytes of p[0..n), mod 2^32. */
uint32_t odf_sum_bytes(const uint8_t *p, size_t n);

/* What odf_str_trim does with a byte outside 0x20..0x7E. */
enum odf_str_other {
	ODF_STR_KEEP = 0,	/* copy it */
	ODF_STR_MARK,		/* write '?' */
	ODF_STR_STOP,		/* end the string there */
};
/* Copy the fixed-width field src[0..n) into dst (dstsz bytes, always
 * NUL-terminated when dstsz > 0): stops at a NUL byte or when dst is
 * full, treats other bytes as `other` says, drops trailing blanks. */
void odf_str_trim(char *dst, size_t dstsz, const void *src, size_t n,
		  enum odf_str_other other);
/* Write s into p[0..n) padded with blanks (INQUIRY style); NULL = "". */
void odf_put_padded(uint8_t *p, size_t n, const char *s);

#endif
