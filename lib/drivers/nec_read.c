/* odflash vendor driver, NEC / Optiarc: the reads, as plans (odf/plan.h
 * "Reads are plans too").  Sources: binflash necinterface.cpp
 * DumpFirmware (safe mode and the dump ID for the 2 MiB and Optiarc
 * families), RetrieveBootcodeVersion (enter safe mode, INQUIRY "0.NN",
 * leave); necinternal.cpp ReadRAM, ReadBoot (safe mode only); the CDB
 * builders and their sources are in nec.c.
 *
 * Every read that needs safe mode is one bracketed plan: enter safe mode,
 * the reads (kept in plan->data), leave safe mode marked ODF_STEP_CLEANUP
 * so that the session's executor sends it even after a failed read or a
 * cancel (binflash leaves safe mode on every failure too: globals sm0/sm1
 * in necinterface.cpp FlashFirmware). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/bytes.h"
#include "odf/scsi.h"
#include "odf/vendor.h"
#include "drivers/nec_int.h"

#define INQ_LEN 96u		/* INQUIRY allocation length (SPC-4 6.6) */

/* The flash range a read covers. */
static void
read_range(const struct nec_layout_info *L, enum odf_read_kind kind,
	   bool raw, uint32_t *start, uint32_t *end)
{
	bool whole = kind == ODF_READ_DUMP && raw;

	*start = whole ? 0 : L->body_start;
	*end = whole ? L->flash_size : L->body_start + L->body_len;
}

/* Does this read enter safe mode (and leave it again)? */
static bool
needs_bracket(const struct nec_model *m, const struct odf_drive_ident *id,
	      enum odf_read_kind kind)
{
	if (id->mode != ODF_MODE_NORMAL)
		return false;	/* in safe/boot mode already */
	if (kind == ODF_READ_BOOT || kind == ODF_READ_BOOTCODE)
		return true;	/* ReadBoot and "0.NN" answer in safe mode only */
	/* Newer drives answer ReadRAM with flash contents only in safe mode
	 * and with the dump ID (necinterface.cpp DumpFirmware); the dump of
	 * a 1 MiB drive reads its bootcode version after the flash
	 * (RetrieveBootcodeVersion) */
	return m->dump_id || kind == ODF_READ_DUMP;
}

static struct odf_plan_step *
add_safe_mode(struct odf_plan *plan, const struct nec_model *m, bool enter,
	      unsigned flags, const char *label)
{
	uint8_t cdb[12];
	struct odf_plan_step *s;

	odfi_nec_cdb_safe_mode(cdb, m->drive_id, enter);
	s = odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_NONE, 0, 0, NEC_TIMEOUT_MS,
			     1, flags | ODF_STEP_STATUS_ONLY, label);
	if (s) {
		s->retries = 2;
		s->wait_ms = 500;
	}
	return s;
}

/* INQUIRY kept at data offset off: the revision "0.NN" in safe mode. */
static struct odf_plan_step *
add_inquiry(struct odf_plan *plan, size_t off, const char *label)
{
	uint8_t cdb[ODF_CDB_MAX];
	size_t n = odf_cdb_inquiry(cdb, false, 0, INQ_LEN);
	struct odf_plan_step *s;

	s = odf_plan_add_cmd(plan, cdb, n, ODF_DIR_IN, off, INQ_LEN, 30000, 1,
			     ODF_STEP_KEEP_IN, label);
	if (s)
		s->retries = 2;
	return s;
}

int
odfi_nec_plan_read(const struct odf_drive_ident *id, enum odf_read_kind kind,
		   bool raw, struct odf_plan *plan, struct odf_diag *d)
{
	const struct nec_model *m = kind == ODF_READ_BOOTCODE ?
		odfi_nec_model_by_id(id->target) : odfi_nec_flashable(id, d);
	const struct nec_layout_info *L;
	uint32_t start = 0, end = 0;
	size_t data_len, inq_off;
	uint8_t cdb[12], *data;
	char label[ODF_STEP_LABEL_MAX];
	bool bracket;

	if (!m && kind == ODF_READ_BOOTCODE)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "no safe-mode ID "
				    "known for drive ID '%s'", id->target);
	if (!m)
		return ODF_E_UNSUPPORTED;
	L = &odfi_nec_layouts[m->layout];
	bracket = needs_bracket(m, id, kind);
	if (kind == ODF_READ_DUMP || kind == ODF_READ_VERIFY)
		read_range(L, kind, raw, &start, &end);
	/* plan->data: the flash read, or the bootcode, then the INQUIRY */
	inq_off = kind == ODF_READ_BOOT ? odfi_nec_boot_len(m->layout) :
		  (size_t)(end - start);
	data_len = inq_off + INQ_LEN;
	data = calloc(1, data_len);
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	odf_plan_init(plan, "nec");
	odf_plan_set_data(plan, data, data_len);
	plan->read = true;
	plan->recovery = id->mode != ODF_MODE_NORMAL;
	plan->enters = bracket ? ODF_MODE_SAFE : ODF_MODE_NORMAL;
	plan->chunk = NEC_DUMP_BLOCK;
	snprintf(plan->what, sizeof(plan->what), "NEC %s (%s): %s%s", L->name,
		 m->model, kind == ODF_READ_DUMP ? "read the firmware" :
		 kind == ODF_READ_VERIFY ? "read the flash back" :
		 kind == ODF_READ_BOOT ? "read the bootcode (ReadBoot)" :
		 "read the bootcode version", bracket ? " in safe mode" : "");

	/* enter safe mode first, except for the 1 MiB dump, whose reads
	 * need none: it enters after them for the bootcode version */
	if (bracket && (kind != ODF_READ_DUMP || m->dump_id) &&
	    !add_safe_mode(plan, m, true, ODF_STEP_NORMAL_ONLY,
			   "enter safe mode"))
		goto nomem;
	/* ReadBoot answers in safe mode only; a drive that booted into its
	 * boot code after losing its firmware is asked to enter it (a
	 * refusal just means it is there already: ODF_STEP_CLEANUP before
	 * anything else is logged only) */
	if (!bracket && kind == ODF_READ_BOOT &&
	    !add_safe_mode(plan, m, true, ODF_STEP_CLEANUP,
			   "enter safe mode (again)"))
		goto nomem;
	for (uint32_t a = start; a < end; a += NEC_DUMP_BLOCK) {
		odfi_nec_cdb_read_ram(cdb, a, NEC_DUMP_BLOCK, m->dump_id);
		snprintf(label, sizeof(label), "read flash at 0x%06x", a);
		if (!odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_IN, a - start,
				      NEC_DUMP_BLOCK, NEC_TIMEOUT_MS, 1,
				      ODF_STEP_KEEP_IN, label))
			goto nomem;
	}
	if (kind == ODF_READ_BOOT) {
		odfi_nec_cdb_read_boot(cdb);
		if (!odf_plan_add_cmd(plan, cdb, 12, ODF_DIR_IN, 0, inq_off,
				      NEC_TIMEOUT_MS, 1, ODF_STEP_KEEP_IN,
				      "ReadBoot"))
			goto nomem;
	}
	if (bracket && kind == ODF_READ_DUMP && !m->dump_id &&
	    !add_safe_mode(plan, m, true, ODF_STEP_NORMAL_ONLY,
			   "enter safe mode (bootcode version)"))
		goto nomem;
	if ((bracket && kind == ODF_READ_DUMP) || kind == ODF_READ_BOOTCODE) {
		if (!add_inquiry(plan, inq_off, "INQUIRY (bootcode version)"))
			goto nomem;
	}
	if (bracket && !add_safe_mode(plan, m, false, ODF_STEP_CLEANUP |
				      ODF_STEP_MAY_REBOOT, "leave safe mode"))
		goto nomem;
	return 0;
nomem:
	odf_plan_release(plan);
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

/* A drive a read left in safe mode (odflash killed inside the bracket
 * above): the bracket's leave step alone, SetSafeMode with EN 0 (binflash
 * necinterface.cpp, the sm0/sm1 globals: every exit leaves safe mode so),
 * which reboots the drive into its firmware when that is intact. */
int
odfi_nec_plan_leave(const struct odf_drive_ident *id, struct odf_plan *plan,
		    struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_model_by_id(id->target);

	if (!m)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "no safe-mode ID "
				    "known for drive ID '%s'", id->target);
	odf_plan_init(plan, "nec");
	plan->recovery = true;
	snprintf(plan->what, sizeof(plan->what), "NEC (%s): leave safe mode, "
		 "nothing written", m->model);
	if (!add_safe_mode(plan, m, false, ODF_STEP_MAY_REBOOT,
			   "leave safe mode")) {
		odf_plan_release(plan);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	return 0;
}

/* The bootcode version from the kept INQUIRY: "0.NN" gives "NN". */
static bool
kept_bootcode(const struct odf_plan *plan, size_t off, char bc[3])
{
	struct odf_inquiry inq;

	if (off + INQ_LEN > plan->data_len ||
	    odf_parse_inquiry(plan->data + off, INQ_LEN, &inq) < 0 ||
	    inq.revision[0] != '0' || inq.revision[1] != '.')
		return false;
	bc[0] = inq.revision[2];
	bc[1] = inq.revision[3];
	bc[2] = '\0';
	return strlen(bc) == 2;
}

/* The dump file: the body, the checksum word (2 MiB, Optiarc), the
 * drive ID, the bootcode version when it could be read. */
static int
dump_result(const struct odf_drive_ident *id, const struct nec_model *m,
	    bool raw, const struct odf_plan *plan, uint8_t **out, size_t *len,
	    struct odf_diag *d)
{
	const struct nec_layout_info *L = &odfi_nec_layouts[m->layout];
	uint32_t start, end;
	size_t o;
	uint8_t *buf;
	char bc[3] = "";

	read_range(L, ODF_READ_DUMP, raw, &start, &end);
	o = end - start;
	buf = malloc(o + 2 + 4 + 2);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	memcpy(buf, plan->data, o);
	if (!raw) {
		if (L->csum_after_body) {
			odf_put_be16(buf + o, odf_sum_be16(buf, o));
			o += 2;
		}
		memcpy(buf + o, m->drive_id, 4);
		o += 4;
		/* The bootcode goes after the ID when it can be read
		 * (binflash reads it after the dump; "0.NN" in safe mode). */
		if (needs_bracket(m, id, ODF_READ_DUMP) &&
		    kept_bootcode(plan, end - start, bc)) {
			memcpy(buf + o, bc, 2);
			o += 2;
		}
	}
	*out = buf;
	*len = o;
	return 0;
}

int
odfi_nec_read_result(struct odf_drive_ident *id, enum odf_read_kind kind,
		     bool raw, const struct odf_plan *plan,
		     const struct odf_image *img, size_t part, uint8_t **out,
		     size_t *len, struct odf_diag *d)
{
	const struct nec_model *m = odfi_nec_model_by_id(id->target);
	const struct nec_layout_info *L;
	const uint8_t *body;
	uint16_t csum;
	uint32_t n;
	int rc;

	if (!m)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "no NEC model for "
				    "drive ID '%s'", id->target);
	L = &odfi_nec_layouts[m->layout];
	switch (kind) {
	case ODF_READ_DUMP:
		return dump_result(id, m, raw, plan, out, len, d);
	case ODF_READ_VERIFY:
		rc = odfi_nec_image_body(m, img, part, &body, &csum, d);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < L->body_len; i++)
			if (plan->data[i] != body[i])
				return odf_diag_set(d, ODF_E_VERIFY, "the "
						    "drive's flash differs "
						    "from the image at "
						    "0x%06zx (flash 0x%06zx)",
						    i, L->body_start + i);
		return 0;
	case ODF_READ_BOOT:
		n = odfi_nec_boot_len(m->layout);
		*out = malloc(n);
		if (!*out)
			return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
		memcpy(*out, plan->data, n);
		*len = n;
		return 0;
	case ODF_READ_BOOTCODE:
		if (!kept_bootcode(plan, 0, id->bootcode)) {
			id->bootcode[0] = '\0';
			return odf_diag_set(d, ODF_E_UNSUPPORTED, "the drive "
					    "did not report a bootcode version "
					    "in safe mode");
		}
		return 0;
	}
	return odf_diag_set(d, ODF_E_INTERNAL, "unknown read kind %d",
			    (int)kind);
}
