/* odflash vendor driver, NEC / Optiarc: the plans (binflash Flash1M,
 * Flash2M, Flash2MOpti and Bootflash; sources named in nec.c and at each
 * command). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/bytes.h"
#include "odf/vendor.h"
#include "drivers/nec_int.h"

/* WriteRAMOpti's data-out layout: length x 0x1000 bytes of image copied
 * contiguously, then length x 4 zero bytes, length x 0x1004 in all (a
 * workaround for a bootcode bug in the AD-7170A and compatibles).  The
 * padding comes once at the end of each command, not after each 4 KiB:
 * Liggy/binflash@5cfb543 necinternal.cpp:WriteRAMOpti (memcpy length*0x1000,
 * memset +length*0x1000 length*4, transfer length*0x1004), called with
 * length 8 by necinterface.cpp:Flash2MOpti.  Fills `data` (calloc'ed,
 * len / 0x1000 x 0x1004 bytes) for commands of `units` units each; the
 * last command carries what is left. */
static void
opti_stage(uint8_t *data, const uint8_t *src, size_t len, size_t units)
{
	for (size_t off = 0; off < len; off += units * NEC_UNIT) {
		size_t n = len - off;

		if (n > units * NEC_UNIT)
			n = units * NEC_UNIT;
		memcpy(data + off / NEC_UNIT * NEC_OPTI_UNIT, src + off, n);
		/* the n / 0x1000 x 4 zero bytes after it: calloc */
	}
}

/* ---- planning ---------------------------------------------------------------- */
/* The image body and its checksum word, whatever wrapper the image
 * library strips: the payload starts with the flash body. */
int
odfi_nec_image_body(const struct nec_model *m, const struct odf_image *img,
	   size_t part, const uint8_t **body, uint16_t *csum,
	   struct odf_diag *d)
{
	const struct nec_layout_info *L = &odfi_nec_layouts[m->layout];
	const struct odf_image_info *info = odf_image_info(img, part);
	size_t len = 0;
	const uint8_t *p = odf_image_data(img, part, &len);

	if (!p || !info || len < L->body_len)
		return odf_diag_set(d, ODF_E_MISMATCH,
				    "the image holds %zu bytes, the %s (%s "
				    "layout) needs %u", len, m->model,
				    L->name, L->body_len);
	if (info->family != ODF_FAMILY_NEC)
		return odf_diag_set(d, ODF_E_MISMATCH,
				    "the image is not an NEC/Optiarc firmware");
	if (info->target[0]) {
		const struct nec_model *im = odfi_nec_model_by_id(info->target);

		if (!im || im->layout != m->layout)
			return odf_diag_set(d, ODF_E_MISMATCH,
					    "the image is for %s, whose flash "
					    "layout differs from the %s's",
					    info->target, m->model);
	}
	*body = p;
	if (!L->csum_after_body)
		/* Flash1M forwards the body's last word (flash 0xFFFFE). */
		*csum = odf_be16(p + L->body_len - 2);
	else if (len >= (size_t)L->body_len + 2)
		*csum = odf_be16(p + L->body_len);
	else if (info->checksum.present)
		*csum = (uint16_t)info->checksum.expected;
	else
		*csum = odf_sum_be16(p, L->body_len);
	return 0;
}

/* One FlashBlock step (op 04 erase, 02 program) per block first..last,
 * each retried twice and followed by 500 ms, labelled "<what> block N";
 * the first block's step carries first_flags.  -1 when out of memory. */
static int
plan_blocks(struct odf_plan *plan, uint8_t op, unsigned first, unsigned last,
	    unsigned first_flags, const char *what)
{
	uint8_t cdb[12];
	char label[ODF_STEP_LABEL_MAX];

	for (unsigned b = first; b <= last; b++) {
		struct odf_plan_step *s;

		odfi_nec_cdb_block(cdb, op, b);
		snprintf(label, sizeof(label), "%s block %u", what, b);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 16,
				     b == first ? first_flags : 0, label);
		if (!s)
			return -1;
		s->retries = 2;
		s->wait_ms = 500;
	}
	return 0;
}

int
odfi_nec_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	 size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	 struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	const struct nec_model *m = odfi_nec_flashable(id, d);
	const struct nec_layout_info *L;
	const uint8_t *body;
	uint8_t *data;
	uint16_t csum;
	size_t unit, chunk, units, data_len, img_len = 0;
	uint8_t cdb[12];
	char label[ODF_STEP_LABEL_MAX];
	struct odf_plan_step *s;
	struct odf_path_limits l2;
	int rc;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &odfi_nec_layouts[m->layout];
	rc = odfi_nec_image_body(m, img, part, &body, &csum, d);
	if (rc < 0)
		return rc;
	(void)odf_image_data(img, part, &img_len);
	unit = L->opti_pad ? NEC_OPTI_UNIT : NEC_UNIT;
	/* Chunks are counted in 4 KiB units of the body; the transfer is
	 * units x unit bytes (WriteRAMOpti sends 4 more bytes per 4 KiB,
	 * all of them zeros after the image, see opti_stage). */
	l2 = lim ? *lim : (struct odf_path_limits){ 0 };
	if (l2.forced_chunk) {
		if (l2.forced_chunk % NEC_UNIT) {
			odf_diag_reason(d, ODF_R_CHUNK_REFUSED);
			odf_diag_fact_bytes(d, l2.forced_chunk, NEC_UNIT);
			return odf_diag_set(d, ODF_E_USAGE, "a chunk of %zu "
					    "bytes is not a multiple of 4096: "
					    "NEC WriteRAM sends n x 4 KiB",
					    l2.forced_chunk);
		}
		l2.forced_chunk = l2.forced_chunk / NEC_UNIT * unit;
	}
	rc = odf_plan_choose_chunk(unit, NEC_MAX_UNITS * unit, &l2, &chunk, d);
	if (rc < 0)
		return rc;
	units = chunk / unit;

	/* The data the OUT steps send: the body, or for WriteRAMOpti each
	 * command's n x 4 KiB of image followed by n x 4 zero bytes. */
	data_len = L->opti_pad ? (size_t)L->body_len / NEC_UNIT * NEC_OPTI_UNIT
			       : L->body_len;
	data = calloc(1, data_len);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (L->opti_pad)
		opti_stage(data, body, L->body_len, units);
	else
		memcpy(data, body, L->body_len);
	odf_plan_init(plan, "nec");
	odf_plan_set_data(plan, data, data_len);
	plan->chunk = units * NEC_UNIT;
	plan->recovery = recovery;
	snprintf(plan->what, sizeof(plan->what), "NEC %s (%s, safe-mode ID %s)%s",
		 L->name, m->model, m->drive_id,
		 recovery ? ", recovery" : "");

	/* A drive in safe or boot mode may or may not need (or accept) the
	 * enter command again: in a recovery plan it is sent, and a refusal
	 * is only logged (ODF_STEP_CLEANUP before the point of no return). */
	odfi_nec_cdb_safe_mode(cdb, m->drive_id, true);
	if (!recovery || id->mode == ODF_MODE_NORMAL)
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1,
				     ODF_STEP_NORMAL_ONLY | ODF_STEP_STATUS_ONLY,
				     "enter safe mode");
	else
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1,
				     ODF_STEP_CLEANUP | ODF_STEP_STATUS_ONLY,
				     "enter safe mode (again)");
	if (!s)
		goto nomem;
	s->retries = 2;
	s->wait_ms = 500;
	for (size_t off = 0; off < L->body_len; off += units * NEC_UNIT) {
		size_t n = L->body_len - off;
		size_t nu;

		if (n > units * NEC_UNIT)
			n = units * NEC_UNIT;
		nu = n / NEC_UNIT;
		odfi_nec_cdb_write_ram(cdb, L->ram_base + (uint32_t)off, (unsigned)nu);
		snprintf(label, sizeof(label), "stage 0x%06zx", L->ram_base + off);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_OUT,
				     off / NEC_UNIT * unit, nu * unit,
				     NEC_TIMEOUT_MS, (unsigned)nu,
				     0, label);
		if (!s)
			goto nomem;
		s->image_bytes = n;	/* WriteRAMOpti's zeros are not */
		s->retries = 2;
		s->wait_ms = 200;
	}
	if (m->k2) {
		/* K2: checksum 1 = body[0x29FFE] index 1, then index 2. */
		odfi_nec_cdb_checksum(cdb, odf_be16(body + 0x29FFE), 1);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0, "send checksum 1");
		if (!s)
			goto nomem;
		s->retries = 2;
		odfi_nec_cdb_checksum(cdb, csum, 2);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0, "send checksum 2");
	} else {
		odfi_nec_cdb_checksum(cdb, csum, m->layout == NEC_1M ? 8 : 0);
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0, "send checksum");
	}
	if (!s)
		goto nomem;
	/* a checksum word stored after the body is the image's too: it
	 * travels in this CDB */
	if (L->csum_after_body && img_len >= (size_t)L->body_len + 2)
		s->image_bytes = 2;
	s->retries = 2;
	if (plan_blocks(plan, 0x04, L->erase_first, L->erase_last,
			ODF_STEP_PONR, "erase") < 0 ||
	    plan_blocks(plan, 0x02, L->prog_first, L->prog_last, 0,
			"program") < 0)
		goto nomem;
	/* binflash always tries to leave safe mode, even after a failure. */
	odfi_nec_cdb_safe_mode(cdb, m->drive_id, false);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     1, ODF_STEP_CLEANUP | ODF_STEP_SAFE |
			     ODF_STEP_MAY_REBOOT | ODF_STEP_STATUS_ONLY,
			     "leave safe mode");
	if (!s)
		goto nomem;
	s->retries = 2;
	s->wait_ms = 500;
	return 0;
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

int
odfi_nec_plan_bootcode(const struct odf_drive_ident *id, const uint8_t *boot,
		  size_t len, const struct odf_path_limits *lim,
		  struct odf_plan *plan, struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_flashable(id, d);
	const struct nec_layout_info *L;
	struct odf_plan_step *s;
	uint8_t cdb[12], *data;
	size_t data_len, units;
	uint32_t n;

	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &odfi_nec_layouts[m->layout];
	n = odfi_nec_boot_len(m->layout);
	if (len != n)
		return odf_diag_set(d, ODF_E_MISMATCH, "the bootcode file holds "
				    "%zu bytes, the %s's bootcode is %u (binflash "
				    "GetBootcodeSizeFromDriveType)", len,
				    m->model, n);
	units = n / NEC_UNIT;
	data_len = L->opti_pad ? units * NEC_OPTI_UNIT : n;
	/* Bootflash sends the whole bootcode in one WriteRAM (4 or 8
	 * units); splitting it is not in any public trace. */
	if (lim && lim->max_transfer && data_len > lim->max_transfer)
		return odf_diag_set(d, ODF_E_PATH, "the bootcode goes in one "
				    "%zu-byte command, the path carries %zu",
				    data_len, lim->max_transfer);
	if (lim && lim->forced_chunk && lim->forced_chunk < n) {
		odf_diag_reason(d, ODF_R_CHUNK_REFUSED);
		odf_diag_fact_bytes(d, lim->forced_chunk, data_len);
		return odf_diag_set(d, ODF_E_USAGE, "a bootcode cannot be split "
				    "into chunks: binflash sends it in one "
				    "command");
	}
	data = calloc(1, data_len);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	if (L->opti_pad)
		opti_stage(data, boot, n, units);
	else
		memcpy(data, boot, n);
	odf_plan_init(plan, "nec");
	odf_plan_set_data(plan, data, data_len);
	plan->chunk = n;
	snprintf(plan->what, sizeof(plan->what), "NEC %s (%s, safe-mode ID "
		 "%s): BOOTCODE, binflash Bootflash", L->name, m->model,
		 m->drive_id);

	odfi_nec_cdb_safe_mode(cdb, m->drive_id, true);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     1, ODF_STEP_STATUS_ONLY |
			     (id->mode == ODF_MODE_NORMAL ? ODF_STEP_NORMAL_ONLY :
			      ODF_STEP_CLEANUP), "enter safe mode");
	if (!s)
		goto nomem;
	s->retries = 2;
	s->wait_ms = 500;
	/* WriteRAM(0x0000, 4, area 1) / WriteRAMOpti(0x0000, 8, area 1) */
	odfi_nec_cdb_write_ram(cdb, 0, (unsigned)units);
	cdb[9] = 0x01;
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_OUT, 0, data_len,
			     NEC_TIMEOUT_MS, (unsigned)units, 0,
			     "stage bootcode");
	if (!s)
		goto nomem;
	s->image_bytes = n;
	s->retries = 2;
	s->wait_ms = 200;
	if (m->layout != NEC_1M) {
		odfi_nec_cdb_checksum(cdb, odf_sum_be16(boot, n - 2), 0);
		cdb[9] = 0x01;		/* area 1: bootcode */
		s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0,
				     NEC_TIMEOUT_MS, 1, 0,
				     "send bootcode checksum");
		if (!s)
			goto nomem;
		s->retries = 2;
	}
	if (plan_blocks(plan, 0x04, L->erase_first, L->erase_last,
			ODF_STEP_PONR, "erase firmware") < 0)
		goto nomem;
	/* No retry: a second boot write after an unknown outcome is not in
	 * binflash (it does not even check this command's status); the
	 * drive restarts into the new boot code, so an error may only mean
	 * it rebooted. */
	odfi_nec_cdb_flash_boot(cdb);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     32, ODF_STEP_BOOTBLOCK | ODF_STEP_MAY_REBOOT |
			     ODF_STEP_SAFE, "write bootcode (FlashBlock 01)");
	if (!s)
		goto nomem;
	/* Bootflash leaves safe mode when staging or the checksum fail. */
	odfi_nec_cdb_safe_mode(cdb, m->drive_id, false);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     0, ODF_STEP_CLEANUP | ODF_STEP_FAILURE_ONLY |
			     ODF_STEP_STATUS_ONLY, "leave safe mode");
	if (!s)
		goto nomem;
	return 0;
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}
