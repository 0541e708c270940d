/* odflash vendor driver: BTC DRW1008 / DRW1004 / DRW1108 DVD writers.
 *
 * Facts: dvd+rw-tools btcflash.cpp (David Huang, 2004, public domain),
 * main (docs/internals/protocols.md §6.3):
 *   - the 1 MiB image goes in 4 KiB pieces, WRITE BUFFER mode 6
 *     (download microcode with offsets), buffer ID 0, buffer offset =
 *     image offset + 20h, length 1000h: 3B 06 00 <off+20h BE24> 00 10 00
 *     00 ("WRITE BUFFER[1]");
 *   - then a 32-byte header at buffer offset 0, zero but for bytes 30..31:
 *     the 16-bit sum of the image's bytes, big-endian (calcsum;
 *     "WRITE BUFFER[2]");
 *   - then WRITE BUFFER mode 7 (with offsets and save), offset 0, length
 *     0, no data: the drive writes its flash ("WRITE BUFFER[3]");
 *   - then btcflash sleeps 50 s ("Let drive sit for a while before
 *     bothering it") and sends TEST UNIT READY once a second until GOOD
 *     or NOT READY / MEDIUM NOT PRESENT (02/3A), with no limit.
 *   btcflash checks the status of every WRITE BUFFER and stops at the
 *   first error.  odflash sends the same commands in the same order (the
 *   plan's CDBs and data are pinned against btcflash's own run on the
 *   emulated drive: tests/e2e/btcflash.sh) and bounds the wait: 50 s,
 *   then TEST UNIT READY for at most 120 s.
 * The WRITE BUFFER CDB layout: SPC-4 (docs/internals/protocols.md §1.1).
 * INFERRED (no source says): the drive's INQUIRY vendor is "BTC" and its
 * product names the model (btcflash's header comment names DRW1008,
 * DRW1004, DRW1108); a drive whose firmware does not start answers in its
 * boot code with the revision "BOOT" (as odflash's other boot loaders)
 * and takes the same commands, so it is recovered with the flash plan.
 * No command reads the flash back: no dump, verify by identity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define BTC_CHUNK 0x1000u
#define BTC_SIZE 0x100000u
#define BTC_HDR 0x20u
#define BTC_BUF_OFF 0x20u	/* buffer offset = image offset + 20h */
#define BTC_TIMEOUT_MS 60000u
#define BTC_SETTLE_MS 50000u	/* btcflash: sleep(50) */
#define BTC_POLL_MS 120000u	/* odflash's bound; btcflash has none */

static const char *const btc_models[] = { "DRW1008", "DRW1004", "DRW1108" };

static int
btc_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	  struct odf_drive_ident *id, struct odf_diag *d)
{
	const char *model = NULL;

	(void)d;
	if (inq->pdt != 5 || strcmp(inq->vendor, "BTC") != 0)
		return 0;
	for (size_t i = 0; i < sizeof(btc_models) / sizeof(btc_models[0]);
	     i++)
		if (strstr(inq->product, btc_models[i]))
			model = btc_models[i];
	if (!model)
		return 0;
	snprintf(id->target, sizeof(id->target), "%s", model);
	id->mode = strcmp(inq->revision, "BOOT") == 0 ||
		   odfi_vnd_in_boot_code(dev) ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	snprintf(id->detail, sizeof(id->detail), "BTC %s (btcflash: WRITE "
		 "BUFFER mode 6 in 4 KiB pieces, mode 7 to write)", model);
	return 1;
}

static int
btc_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	 size_t part, const struct odf_path_limits *lim,
	 enum odf_plan_kind kind, struct odf_plan *plan, struct odf_diag *d)
{
	char label[ODF_STEP_LABEL_MAX];
	size_t len;
	uint32_t sum = 0;
	uint8_t cdb[10];
	uint8_t *data;
	int rc;

	rc = odfi_vnd_fixed_chunk(lim, BTC_CHUNK, "a BTC drive", d);
	if (rc < 0)
		return rc;
	/* the header after the image: calcsum's 16-bit byte sum at 30..31 */
	rc = odfi_vnd_plan_start_sized(plan, "btc", img, part,
				       kind == ODF_PLAN_RECOVER, "a BTC",
				       BTC_SIZE, BTC_HDR, &len, d);
	if (rc < 0)
		return rc;
	data = plan->data;
	for (size_t i = 0; i < len; i++)
		sum += data[i];
	odf_put_be16(data + len + 30, (uint16_t)sum);
	plan->chunk = BTC_CHUNK;
	snprintf(plan->what, sizeof(plan->what), "BTC %.16s: WRITE BUFFER "
		 "mode 6 x %u pieces of 4 KiB, header, mode 7 (btcflash)",
		 id->target, (unsigned)(len / BTC_CHUNK));
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	for (size_t off = 0; off < len; off += BTC_CHUNK) {
		struct odf_plan_step *s;

		odf_cdb_write_buffer(cdb, 0x06, 0, 0,
				     (uint32_t)off + BTC_BUF_OFF, BTC_CHUNK);
		snprintf(label, sizeof(label), "WRITE BUFFER mode 6 0x%05x",
			 (unsigned)off);
		s = odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, off, BTC_CHUNK,
				 BTC_TIMEOUT_MS, 1, 0, label);
		if (!s)
			goto nomem;
		s->image_bytes = BTC_CHUNK;
	}
	odf_cdb_write_buffer(cdb, 0x06, 0, 0, 0, BTC_HDR);
	if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, len, BTC_HDR,
			  BTC_TIMEOUT_MS, 1, 0, "WRITE BUFFER mode 6 header "
			  "(checksum)"))
		goto nomem;
	odf_cdb_write_buffer(cdb, 0x07, 0, 0, 0, 0);
	if (!odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_NONE, 0, 0, BTC_TIMEOUT_MS,
			  8, ODF_STEP_PONR | ODF_STEP_REJECT_SAFE |
			  ODF_STEP_MAY_REBOOT, "WRITE BUFFER mode 7 (write)"))
		goto nomem;
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.wait_ms = BTC_SETTLE_MS, .wait_weight = 50,
		.wait_label = "let the drive write (btcflash: 50 s)",
		.reopen_label = "reopen (the drive may re-enumerate)",
		.poll_ms = BTC_POLL_MS, .poll_weight = 4,
		.poll_flags = ODF_STEP_SAFE | ODF_STEP_FATAL_SENSE,
		.poll_label = "wait for the drive (GOOD or no disc)" }, d);
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

static const struct odf_driver_ops btc_ops = {
	.chunk_align = BTC_CHUNK,
	.chunk_max = BTC_CHUNK,
	.dump_ext = ".bin",
	.no_dump = "the BTC protocol (btcflash) has no command known to read "
		   "the firmware back",
	.plan = btc_plan,
	.verify = odfi_vnd_verify_identity,
};

const struct odf_driver odf_driver_btc = {
	.name = "btc",
	.description = "BTC DRW1008/DRW1004/DRW1108 DVD writers (btcflash: "
		       "WRITE BUFFER mode 6 in 4 KiB pieces at offset +20h, "
		       "sum header, mode 7; verify by identity, no dump)",
	.family = ODF_FAMILY_BTC,
	.probe = btc_probe,
	.ops = &btc_ops,
};
