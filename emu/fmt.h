/* odemu: the emulated drives' own reading of firmware files, one file per
 * family (emu/fmt_<family>.c), written from the public sources the
 * flashers come from -- not lib/image's code, so that a mistake in
 * odflash's image library and in the emulator does not pass unseen.
 * Only public headers (odf/bytes.h) are used; nothing here calls
 * odf_image_* (make layers fails an emu/ object that does).  Each family
 * also has a builder, odemu_<family>_build: the file odemu mkimage
 * writes (emu/mkimage.c), malloc'd into *out; 0, or -1 out of memory.
 */
#ifndef ODEMU_FMT_H
#define ODEMU_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct odemu_model;

/* ---- NEC / Optiarc (emu/fmt_nec.c) -------------------------------------- */
/* The INQUIRY strings a NEC firmware carries: 8 + 16 + 4 bytes at +394
 * from the first 07 00 03 00 78 00 78 00 78 00 (Liggy/binflash@5cfb543
 * necinterface.cpp:NECDRIVE::IdentifyFirmware).  false when the pattern is
 * not there.  Strings are NUL-terminated, trailing blanks cut. */
bool odemu_nec_inquiry(const uint8_t *fw, size_t n, char vendor[9],
		       char product[17], char revision[5]);
/* The firmware of a NEC file for model m: binflash's ReadFirmware walk
 * (chunks from the end of the file, each ending in a 4-character drive ID,
 * optionally followed by 2 bootcode characters), choosing the chunk for
 * m's drive ID (target or safe-mode ID) and, among those, the one whose
 * bootcode is m's or none.  *fw and *fw_len: the chunk without its ID (the
 * region to flash, plus the stored checksum word for the 2 MiB
 * families).  0, or -1 when the file has no chunk for m. */
int odemu_nec_pick(const struct odemu_model *m, const uint8_t *file,
		   size_t len, const uint8_t **fw, size_t *fw_len);
int odemu_nec_build(const struct odemu_model *m, const char *version,
		    uint32_t seed, uint8_t **out, size_t *len);

/* ---- LG / Hitachi-LG Renesas (emu/fmt_lg.c) ------------------------------ */
/* devilsclaw/flasher@864b3ee flasher/lg_renesas.c:firm_chksum_calc with
 * key = the stored word: key + the big-endian words 1..n/2-1, then
 * complemented; 0 for a good file. */
uint16_t odemu_lg_chksum(const uint8_t *p, size_t n, uint16_t key);
/* lg_renesas.c:firm_validate: 0 = valid, else the source's code: 1 no
 * "REV LVL " at 0x20, 2 no "ROM REV " at 0x30, 3 BE32 at 0x44 != n -
 * 0x400, 7 MAIN file whose body's first 16 bytes differ from its last
 * 16, 8 checksum.  Also 3 when n <= 0x400 (the source does not guard). */
int odemu_lg_validate(const uint8_t *p, size_t n);
/* lg_renesas.c:get_firmtype: 1 = "MAIN" occurs in the header's 0x400
 * bytes, 2 = "CORE", 0 = neither (the first match wins). */
int odemu_lg_type(const uint8_t *p, size_t n);
int odemu_lg_build(const struct odemu_model *m, const char *version,
		   uint32_t seed, uint8_t **out, size_t *len);

/* ---- Plextor (emu/fmt_plextor.c) -------------------------------------------- */
/* speed47/qpxtool@fc1cf4c console/pxfw/pxfw.cpp FW_convert_to_ID (the
 * file's first 22..24 bytes name the model and give crc_offs),
 * csum_init (0x8000 for models up to PLEXTOR_PREMIUM, else 0) and
 * csum_update (the byte sum of file[0..crc_offs)), compared with the BE16
 * at crc_offs.  0 with *crc_off, *stored, *sum filled and model = the
 * model name ("PX-716A"), or -1 for a file pxfw does not know. */
int odemu_px_sum(const uint8_t *p, size_t n, char model[17],
		 uint32_t *crc_off, uint16_t *stored, uint16_t *sum);
int odemu_px_build(const struct odemu_model *m, const char *version,
		   uint32_t seed, uint8_t **out, size_t *len);

/* ---- MediaTek FF: MT1939, MT1339 (emu/fmt_mtkff.c) ------------------------ */
/* rbdixon/coastermelt@e5f9e55 doc/bootloader.txt calculate_checksum: the
 * 16-bit sum of the bytes 0x10000..0x1E1FFF of a 2 MiB image. */
uint16_t odemu_ff_sum(const uint8_t *p);
enum { ODEMU_FF_OK = 0, ODEMU_FF_LAYOUT = -1, ODEMU_FF_CHECKSUM = -2 };
/* An MT1939 image (2 MiB: AA AA at 0x1FFFF8, the infonub, the sum at
 * 0x1FFFFE) or an MT1339 one (256 KiB, INFERRED 8051 layout, no sum):
 * ODEMU_FF_OK with the INQUIRY strings filled, or why not. */
int odemu_ff_check(const uint8_t *p, size_t n, char vendor[9],
		   char product[17], char revision[5]);
int odemu_ff_build(const struct odemu_model *m, const char *version,
		   uint32_t seed, uint8_t **out, size_t *len);

/* ---- Pioneer (emu/fmt_pioneer.c) -------------------------------------------- */
/* rpc1dev/DVRFlash@8ccb1b7 DVRFlash.cpp:main file checks: 1 "Kernel", 0
 * "Normal" at 0x110, -1 neither; the generation (atoi of 0xB4); whether n
 * bytes is a size DVRFlash takes for that generation and part. */
int odemu_pio_kind(const uint8_t *p, size_t n);
int odemu_pio_generation(const uint8_t *p, size_t n);
bool odemu_pio_size_ok(int generation, bool kernel, size_t n);
/* A part for m: the smallest size its generation allows. */
int odemu_pio_build(const struct odemu_model *m, bool kernel, int generation,
		    const char *version, const char *ktype, uint32_t seed,
		    uint8_t **out, size_t *len);

/* ---- generic SPC and PS3: odflash's container (emu/fmt_spc.c) ------------- */
#define ODEMU_SPC_KIND_SPC 0u
#define ODEMU_SPC_KIND_PS3 1u
/* docs/image-formats.md "odflash generic SPC image": the byte sum with
 * the stored word (0x3C..0x3F) left out; a whole container of exactly n
 * bytes of that kind with a good sum and a revision: 0, else -1. */
uint32_t odemu_spc_sum(const uint8_t *p, size_t n);
int odemu_spc_check(const uint8_t *p, size_t n, unsigned kind,
		    char vendor[9], char product[17], char revision[5]);
int odemu_spc_build(const struct odemu_model *m, unsigned kind, size_t n,
		    const char *version, uint32_t seed, uint8_t **out,
		    size_t *len);

/* ---- MediaTek MT1959 (emu/fmt_mt1959.c) ---------------------------------- */
/* A 2 MiB image with "MT1959 Boot " at 0x3000 whose every used CMAC range
 * (RibShark/OmniDrive update_cmac.py) matches, and the INQUIRY strings of
 * `vendor` inside: 0 with them filled; -1 layout, -2 a CMAC differs. */
int odemu_m59_check(const uint8_t *p, size_t n, const char *vendor,
		    char out_vendor[9], char product[17], char revision[5]);
/* Rewrite every used range's CMAC (what update_cmac.py does). */
void odemu_m59_seal(uint8_t *p);
int odemu_m59_build(const struct odemu_model *m, const char *version,
		    uint32_t seed, uint8_t **out, size_t *len);

/* ---- BTC DRW1008/1004/1108 (emu/fmt_btc.c) ------------------------------- */
/* dvd+rw-tools btcflash.cpp loadfirmware: a file of exactly 1 MiB as is,
 * else its Intel HEX with ":00000155AA" bank separators, into out[1 MiB];
 * 0, or -1 where btcflash refuses the file. */
int odemu_btc_load(const uint8_t *file, size_t n, uint8_t *out);
/* The INQUIRY strings at 0x40BC of a 1 MiB firmware whose vendor is "BTC":
 * 0 with them filled, else -1. */
int odemu_btc_check(const uint8_t *fw, char vendor[9], char product[17],
		    char revision[5]);
/* The Intel HEX text btcflash reads (16 banks, 16 bytes a record). */
int odemu_btc_build(const struct odemu_model *m, const char *version,
		    uint32_t seed, uint8_t **out, size_t *len);

/* ---- Samsung SD-616F, MT1329E (emu/fmt_sd616.c) --------------------------- */
/* Piece `piece` (0..2) of redumper's 0x30000-byte stream back into the
 * 128 KiB file at `file` (pieces in order: piece 2 checks its second copy
 * against what piece 1 brought); 0, or -1 when the piece does not fit the
 * map (a zero gap not zero, the copy differs). */
int odemu_sd616_unpack(unsigned piece, const uint8_t *s, uint8_t *file);
/* The INQUIRY strings ("SAMSUNG ", a product naming the SD-616) inside
 * fw[0..n): 0 with them filled, else -1. */
int odemu_sd616_check(const uint8_t *fw, size_t n, char vendor[9],
		      char product[17], char revision[5]);
int odemu_sd616_build(const struct odemu_model *m, const char *version,
		      uint32_t seed, uint8_t **out, size_t *len);

/* ---- builders' common part (emu/mkimage.c) ------------------------------------ */
/* n bytes of the seed's xorshift filler, or NULL. */
uint8_t *odemu_fmt_alloc(size_t n, uint32_t seed);
/* A drive's INQUIRY strings as its firmware carries them: vendor[8]
 * product[16] revision[4] at id, each space-padded (cut to its field). */
void odemu_fmt_put_id(uint8_t *id, const char *vendor, const char *product,
		      const char *revision);

#endif
