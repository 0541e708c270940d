/* odemu: BTC DRW1008 / DRW1004 DVD writers.
 *
 * What dvd+rw-tools btcflash.cpp main sends (docs/internals/protocols.md
 * §6.3), answered:
 *   3B 06 00 <off+20h BE24> 00 10 00 00   4 KiB of the image at off
 *   3B 06 00 00 00 00 00 00 20 00         the 32-byte header: bytes 30..31
 *                                         the 16-bit byte sum of the image
 *   3B 07 00 00 00 00 00 00 00 00         write the flash
 *   TEST UNIT READY                       until GOOD or 02/3A (btcflash
 *                                         waits 50 s first)
 * INFERRED for the emulated drives (no source says): the pieces are kept
 * in RAM in any order; any other WRITE BUFFER mode 6 (another length, an
 * offset that is not a piece's) is refused 05/24/00; mode 7 before the
 * whole image and the header are in is refused 05/2C/00 (COMMAND
 * SEQUENCE ERROR), and with a header whose sum is not the image's
 * 05/26/00 (INVALID FIELD IN PARAMETER LIST), nothing written; the drive
 * keeps its 16 KiB boot block (flash 0..3FFFh); it answers mode 7 once it
 * has erased 4000h..FFFFFh, then programs them while the host waits (the
 * emulator does it when the next command comes: a power cut before then
 * leaves the firmware erased, one inside it a torn block), then is busy
 * (TEST UNIT READY 02/04/01) for 50 s times the drive's time scale of real
 * time from mode 7, and for at least one such answer (time scale 0: that
 * one; with the preload's ODEMU_SLEEP=drive, btcflash's sleep(50) lasts as
 * long as this), then restarts (UA 29/00; re-enumeration).  The boot code starts the firmware when its
 * INQUIRY strings at 40BCh name "BTC", no block was left half-programmed
 * and the last 16 bytes are written (a write goes up from 4000h; a cut one
 * leaves the end erased); else it answers with the revision "BOOT" and
 * takes the same commands.
 * Fault --fail-commit KK/AA/QQ: nothing is written and TEST UNIT READY
 * answers that sense until the drive is reset.
 * Protocol state: st.chk_ok = header received, st.chk_value = its sum (or,
 * busy, the busy answers left), st.dl_len = 2 erased and programming
 * pending, 1 while busy, st.fw_len = the monotonic millisecond (mod 2^32)
 * the busy time ends, st.staged the 4 KiB pieces received, st.dl_deferred
 * the failed write's sense.
 */
#include <string.h>
#include <time.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define BTC_SIZE 0x100000u
#define BTC_BOOT 0x4000u
#define BTC_PIECE 0x1000u
#define BTC_HDR 0x20u
#define BTC_BUSY_MS 50000u	/* btcflash: sleep(50) */
#define BTC_BUSY_TURS 1u

static uint32_t
mono_ms(void)
{
	return (uint32_t)(odemu_now_ns() / 1000000u);
}

static bool
btc_boot_check(struct odemu *e, char vendor[9], char product[17],
	       char revision[5])
{
	return odemu_fam_image_whole(e, BTC_SIZE) &&
	       odemu_btc_check(e->st.flash, vendor, product, revision) == 0;
}

static int
btc_provision(struct odemu *e, const char *version, const uint8_t *file,
	      size_t len, struct odf_diag *d)
{
	char v[9], p[17], r[5];

	(void)version;
	if (odemu_btc_load(file, len, e->st.flash) < 0 ||
	    odemu_btc_check(e->st.flash, v, p, r) < 0)
		return odf_diag_set(d, ODF_E_FORMAT, "not a BTC image btcflash "
				    "takes (1 MiB .bin, or Intel HEX in 16 "
				    "banks, \"BTC\" at 0x40BC)");
	/* the unit's own boot block */
	odemu_fam_fill(e, 0, BTC_BOOT, 0x42544321u);
	return 0;
}

static bool
all_staged(const struct odemu *e)
{
	for (uint32_t p = 0; p < BTC_SIZE / ODEMU_PAGE; p++)
		if (!e->st.staged[p])
			return false;
	return true;
}

static void
btc_commit(struct odemu *e, struct odf_cmd *c)
{
	uint32_t sum = 0;

	if (!e->st.chk_ok || !all_staged(e)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	for (uint32_t i = 0; i < BTC_SIZE; i++)
		sum += e->st.ram[i];
	if ((sum & 0xFFFF) != e->st.chk_value) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
		return;
	}
	e->st.chk_ok = 0;
	memset(e->st.staged, 0, e->st.flash_size / ODEMU_PAGE);
	e->dirty = true;
	if (e->st.fail_commit) {
		e->st.dl_deferred = e->st.fail_commit;
		e->st.fail_commit = 0;
		odemu_good(c);
		return;
	}
	e->st.fw_len = mono_ms() +
		       (uint32_t)((double)BTC_BUSY_MS * e->st.time_scale);
	for (unsigned b = 1; b < e->model->nblocks; b++)
		odemu_flash_erase(e, b);
	e->st.dl_len = 2;		/* programming follows */
	e->st.chk_value = BTC_BUSY_TURS;
	odemu_good(c);
}

/* The programming the drive does after it answered mode 7, while the
 * host waits: done when the next command arrives.  0, or -1 when the
 * power went off part way (target.c answers the command as cut). */
static int
btc_program(struct odemu *e)
{
	e->st.dl_len = 1;
	e->dirty = true;
	return odemu_flash_program(e, BTC_BOOT, e->st.ram + BTC_BOOT,
				   BTC_SIZE - BTC_BOOT);
}

static void
btc_write_buffer(struct odemu *e, struct odf_cmd *c)
{
	uint32_t off = odf_be24(c->cdb + 3), n = odf_be24(c->cdb + 6);
	uint8_t mode = c->cdb[1] & 0x1F;

	if (e->st.dl_len) {
		odemu_sense(c, ODEMU_SK_NOT_READY, 0x04, 0x01);
		return;
	}
	if (mode == 0x07 && off == 0 && n == 0 && c->len == 0) {
		btc_commit(e, c);
		return;
	}
	if (mode != 0x06 || c->dir != ODF_DIR_OUT || n != c->len) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (off == 0 && n == BTC_HDR) {
		e->st.chk_value = odf_be16(c->buf + 30);
		e->st.chk_ok = 1;
		e->dirty = true;
		odemu_fam_took(c);
		return;
	}
	if (n != BTC_PIECE || off < BTC_HDR ||
	    (off - BTC_HDR) % BTC_PIECE != 0 ||
	    off - BTC_HDR + BTC_PIECE > BTC_SIZE) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	memcpy(e->st.ram + off - BTC_HDR, c->buf, BTC_PIECE);
	e->st.staged[(off - BTC_HDR) / ODEMU_PAGE] = 1;
	e->dirty = true;
	odemu_fam_took(c);
}

static int
btc_exec(struct odemu *e, struct odf_cmd *c)
{
	if (e->st.dl_len == 2 && btc_program(e) < 0)
		return 1;
	switch (c->cdb[0]) {
	case 0x3B:
		btc_write_buffer(e, c);
		return 1;
	case 0x00:
		if (odemu_fam_deferred_sense(e, c))
			return 1;
		if (!e->st.dl_len)
			return 0;
		e->dirty = true;
		if (e->st.chk_value)
			e->st.chk_value--;
		if (e->st.chk_value == 0 &&
		    (int32_t)(e->st.fw_len - mono_ms()) <= 0) {
			e->st.dl_len = 0;
			odemu_restart(e);
			odemu_add_ua(e, 0x29, 0x00);
		}
		odemu_sense(c, ODEMU_SK_NOT_READY, 0x04, 0x01);
		return 1;
	default:
		return 0;
	}
}

const struct odemu_proto odemu_proto_btc = {
	.name = "btc",
	.exec = btc_exec,
	.boot_check = btc_boot_check,
	.provision = btc_provision,
};
