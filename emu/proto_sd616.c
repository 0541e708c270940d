/* odemu: Samsung SD-616F DVD-ROM (MediaTek MT1329E).
 *
 * What superg/redumper@2ab9a42 sends (drive/flash_sd616.ixx,
 * drive/flash_tsst.ixx, scsi/cmd.ixx:cmd_flash_tsst, scsi/mmc.ixx;
 * docs/internals/protocols.md §5.1, §5.5), answered:
 *   FF 00 01 00 00 ST 00 00 00 00 00 00   data out, 0x10000 bytes: ST 00
 *                                         the first piece of the 0x30000
 *                                         stream, FF the next, 02 the last
 * redumper checks every status, the last included, and sends nothing
 * after it.
 * INFERRED for the emulated drive (no source says): pieces of another
 * length, another ST, or out of order are refused 05/24/00; the drive
 * takes the stream back into its 128 KiB flash layout (emu/fmt_sd616.c)
 * and refuses a piece whose zero gaps or second copy do not fit redumper's
 * map 05/26/00 (the download is dropped); the flash is 16K/16K/32K/64K
 * blocks whose first 16 KiB (the boot block) the drive keeps; it writes
 * the rest at the last piece, answers it GOOD and restarts (UA 29/00,
 * re-enumeration); its boot code starts the firmware when the INQUIRY
 * strings are there, no block was left half-programmed and the last 16
 * bytes are written, else answers with the revision "BOOT" and takes the
 * same commands.  Other FF sub-codes are ignored (as coastermelt says of
 * the MT1939, §5.1).
 * Fault --fail-commit KK/AA/QQ: the last piece answers that sense and
 * nothing is written.
 * Protocol state: st.dl_len = stream bytes received.
 */
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define SD_SIZE 0x20000u
#define SD_STREAM 0x30000u
#define SD_PIECE 0x10000u
#define SD_BOOT 0x4000u

static bool
sd_boot_check(struct odemu *e, char vendor[9], char product[17],
	      char revision[5])
{
	return odemu_fam_image_whole(e, SD_SIZE) &&
	       odemu_sd616_check(e->st.flash, SD_SIZE, vendor, product,
				 revision) == 0;
}

static int
sd_provision(struct odemu *e, const char *version, const uint8_t *file,
	     size_t len, struct odf_diag *d)
{
	char v[9], p[17], r[5];

	(void)version;
	if (len != SD_SIZE || odemu_sd616_check(file, len, v, p, r) < 0)
		return odf_diag_set(d, ODF_E_FORMAT, "not a Samsung SD-616 "
				    "image of %u bytes", SD_SIZE);
	memcpy(e->st.flash, file, len);
	odemu_fam_fill(e, 0, SD_BOOT, 0x53443631u);	/* the unit's boot */
	return 0;
}

static void
sd_flash(struct odemu *e, struct odf_cmd *c)
{
	uint8_t st = c->cdb[5];
	unsigned piece;

	if (c->dir != ODF_DIR_OUT || c->len != SD_PIECE ||
	    (st != 0x00 && st != 0xFF && st != 0x02)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (st == 0x00)
		e->st.dl_len = 0;
	piece = e->st.dl_len / SD_PIECE;
	if ((st == 0x00) != (piece == 0) || (st == 0x02) != (piece == 2) ||
	    piece > 2) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	e->dirty = true;
	if (odemu_sd616_unpack(piece, c->buf, e->st.ram) < 0) {
		e->st.dl_len = 0;
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
		return;
	}
	e->st.dl_len += SD_PIECE;
	if (st != 0x02) {
		odemu_fam_took(c);
		return;
	}
	e->st.dl_len = 0;
	if (e->st.fail_commit) {
		uint32_t k = e->st.fail_commit;

		e->st.fail_commit = 0;
		odemu_sense(c, (uint8_t)(k >> 16), (uint8_t)(k >> 8),
			    (uint8_t)k);
		return;
	}
	if (odemu_fam_write(e, SD_BOOT, e->st.ram + SD_BOOT,
			    SD_SIZE - SD_BOOT) < 0)
		return;		/* power cut */
	odemu_restart(e);
	odemu_add_ua(e, 0x29, 0x00);
	odemu_fam_took(c);
}

static int
sd_exec(struct odemu *e, struct odf_cmd *c)
{
	if (c->cdb[0] != 0xFF)
		return 0;
	if (c->cdb[1] == 0x00 && c->cdb[2] == 0x01)
		sd_flash(e, c);
	else
		odemu_good(c);	/* unknown sub-codes: ignored */
	return 1;
}

const struct odemu_proto odemu_proto_sd616 = {
	.name = "sd616",
	.exec = sd_exec,
	.boot_check = sd_boot_check,
	.provision = sd_provision,
};
