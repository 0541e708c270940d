/* odemu: helpers shared by the protocols added for the other public
 * families (proto_ps3.c, proto_plextor.c, proto_mtkff.c, proto_pioneer.c,
 * proto_lg.c, proto_mtk8051.c).  Not installed. */
#ifndef ODEMU_FAM_H
#define ODEMU_FAM_H

#include "emu.h"

/* Fill [from, to) of the flash with a fixed pseudo-random pattern (the
 * boot code and areas no image covers). */
void odemu_fam_fill(struct odemu *e, uint32_t from, uint32_t to,
		    uint32_t seed);
/* Erase every block touching [addr, addr+len) and program data there.
 * Returns 0, or -1 if the power was cut (target.c answers). */
int odemu_fam_write(struct odemu *e, uint32_t addr, const uint8_t *data,
		    uint32_t len);
/* 1 when all n bytes are printable ASCII. */
int odemu_fam_printable(const uint8_t *p, size_t n);
/* Answer a data-out command as done (status GOOD, all bytes taken). */
void odemu_fam_took(struct odf_cmd *c);
/* Answer a command the drive's own reset cut short (it reboots while
 * answering): no status, no sense, host status RESET. */
void odemu_fam_reset_cut(struct odf_cmd *c);
/* Append one piece of a sequential download to the staging RAM: offset 0
 * restarts the download, any other offset must continue it.  Returns 0,
 * or -1 with 05/24/00 (INVALID FIELD IN CDB) answered. */
int odemu_fam_stage(struct odemu *e, struct odf_cmd *c, uint32_t off,
		    uint32_t len);

/* The boot check's first half for a firmware of size bytes at flash
 * offset 0: no block is half written and its last 16 bytes are not all
 * erased (a write cut before its end leaves FF there). */
bool odemu_fam_image_whole(const struct odemu *e, uint32_t size);

/* A failed write's sense (st.dl_deferred, --fail-commit) answered to
 * TEST UNIT READY until the drive is reset: 1 when answered, else 0. */
int odemu_fam_deferred_sense(struct odemu *e, struct odf_cmd *c);

/* TEST UNIT READY after a download: the deferred sense above, else, while
 * st.chk_value counts down, 02/04/07 (OPERATION IN PROGRESS); at the
 * last count the drive restarts (odemu_restart) and done() answers that
 * TEST UNIT READY.  1 when answered, 0 when the drive is ready (the
 * generic answer). */
int odemu_fam_busy_tur(struct odemu *e, struct odf_cmd *c,
		       void (*done)(struct odemu *e, struct odf_cmd *c));

#endif
