/* The fault table: every fault the emulated drive can be given, once.
 * odemu fault (parsing), odemu_set_faults (validation, --clear), odemu
 * show (text and JSON) and the state file all iterate this table, so a
 * fault added here is parsed, checked, cleared, shown and saved.
 *
 * Each entry maps to one field of struct odemu_state (emu.h); the state
 * file keeps its layout (ODEMUST6): the entries with in_block set are
 * written in table order where the fault block always was (state.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emu.h"

#define FIELD(f) offsetof(struct odemu_state, f), sizeof(((struct odemu_state *)0)->f)

static const struct odemu_fault_desc table[ODEMU_FAULT_N] = {
	[ODEMU_F_CUT_CMDS] = { "power-cut-after-cmds", ODEMU_FK_COUNT,
			       0, UINT32_MAX, -1, false, -1 },
	[ODEMU_F_CUT_BYTES] = { "power-cut-after-bytes", ODEMU_FK_COUNT,
				0, UINT32_MAX, -1, false, -1 },
	[ODEMU_F_MAX_TRANSFER] = { "max-transfer", ODEMU_FK_COUNT,
				   512, 1u << 30, 0, false, -1 },
	[ODEMU_F_DROP_VENDOR] = { "drop-vendor-opcodes", ODEMU_FK_FLAG,
				  0, 1, 0, false, -1 },
	[ODEMU_F_HANG_MS] = { "hang-ms", ODEMU_FK_COUNT,
			      0, 3600000, 0, false, -1 },
	[ODEMU_F_REENUM] = { "reenumerate", ODEMU_FK_COUNT,
			     0, 1000, 0, false, -1 },
	[ODEMU_F_REENUM_LEFT] = { "reenumerate-left", ODEMU_FK_STATUS,
				  0, 1000, 0, false, -1 },
	[ODEMU_F_REENUM_SKIP] = { "reenumerate-skip", ODEMU_FK_COUNT,
				  0, 1000, 0, false, -1 },
	/* as if another program held PREVENT ALLOW MEDIUM REMOVAL (MMC-6 /
	 * SPC-4 1Eh, honoured by START STOP UNIT) */
	[ODEMU_F_TRAY_LOCKED] = { "tray-locked", ODEMU_FK_FLAG,
				  0, 1, 0, true, -1 },
	[ODEMU_F_SIGNAL_AFTER] = { "signal-after-cmds", ODEMU_FK_COUNT,
				   1, UINT32_MAX, -1, false, ODEMU_F_SIGNAL },
	[ODEMU_F_SIGNAL] = { "signal", ODEMU_FK_SIGNAL,
			     1, 64, 0, false, ODEMU_F_SIGNAL_AFTER },
	/* sense key << 16 | ASC << 8 | ASCQ, key 1..15 */
	[ODEMU_F_FAIL_COMMIT] = { "fail-commit", ODEMU_FK_SENSE,
				  0x010000, 0x0FFFFF, 0, false, -1 },
	/* the Nth command from now fails on the path with EIO, once: a
	 * transport error (cable, bridge reset), nothing reaches the drive */
	[ODEMU_F_EIO_AT_CMD] = { "eio-at-cmd", ODEMU_FK_COUNT,
				 1, UINT32_MAX, -1, false, -1 },
	/* --max-transfer bites from the Nth command from now on (until
	 * then the path carries any size and reports no cap): a bridge
	 * that starts refusing part way, e.g. after a re-enumeration */
	[ODEMU_F_CAP_FROM_CMD] = { "max-transfer-from-cmd", ODEMU_FK_COUNT,
				   1, UINT32_MAX, 0, false,
				   ODEMU_F_MAX_TRANSFER },
	/* a lying drive (issue #18): every data-in command answered with
	 * random lengths, bytes and sense from this seed (garbage.c) */
	[ODEMU_F_GARBAGE] = { "garbage-answers", ODEMU_FK_COUNT,
			      0, UINT32_MAX, -1, false, -1 },
};

/* where each entry lives in struct odemu_state */
static const struct {
	size_t off, size;
	bool is_signed, in_block;
} field[ODEMU_FAULT_N] = {
	[ODEMU_F_CUT_CMDS] = { FIELD(cut_after_cmds), true, true },
	[ODEMU_F_CUT_BYTES] = { FIELD(cut_after_bytes), true, true },
	[ODEMU_F_MAX_TRANSFER] = { FIELD(max_transfer), false, true },
	[ODEMU_F_DROP_VENDOR] = { FIELD(drop_vendor), false, true },
	[ODEMU_F_HANG_MS] = { FIELD(hang_ms), false, true },
	[ODEMU_F_REENUM] = { FIELD(reenum_arm), false, true },
	[ODEMU_F_REENUM_LEFT] = { FIELD(reenum_left), false, true },
	[ODEMU_F_REENUM_SKIP] = { FIELD(reenum_skip), false, true },
	/* the real PREVENT state too: saved with the tray fields */
	[ODEMU_F_TRAY_LOCKED] = { FIELD(prevent), false, false },
	[ODEMU_F_SIGNAL_AFTER] = { FIELD(sig_after_cmds), true, true },
	[ODEMU_F_SIGNAL] = { FIELD(sig_num), false, true },
	[ODEMU_F_FAIL_COMMIT] = { FIELD(fail_commit), false, true },
	[ODEMU_F_EIO_AT_CMD] = { FIELD(eio_at_cmd), true, true },
	[ODEMU_F_CAP_FROM_CMD] = { FIELD(cap_from_cmd), true, true },
	[ODEMU_F_GARBAGE] = { FIELD(garbage_seed), true, true },
};

const struct odemu_fault_desc *
odemu_fault_table(void)
{
	return table;
}

void *
odemu_fault_field(struct odemu_state *s, unsigned i, size_t *size,
		  bool *in_block)
{
	*size = field[i].size;
	*in_block = field[i].in_block;
	return (uint8_t *)s + field[i].off;
}

int64_t
odemu_fault_get(const struct odemu_state *s, unsigned i)
{
	const uint8_t *p = (const uint8_t *)s + field[i].off;

	if (field[i].size == 8) {
		int64_t v;

		memcpy(&v, p, 8);
		return v;
	} else {
		uint32_t v;

		memcpy(&v, p, 4);
		return v;
	}
}

static void
fault_put(struct odemu_state *s, unsigned i, int64_t v)
{
	uint8_t *p = (uint8_t *)s + field[i].off;

	if (field[i].size == 8) {
		memcpy(p, &v, 8);
	} else {
		uint32_t u = (uint32_t)v;

		memcpy(p, &u, 4);
	}
}

void
odemu_faults_clear(struct odemu_state *s)
{
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++)
		fault_put(s, i, table[i].off);
}

int
odemu_set_faults(struct odemu *e, const struct odemu_fault_opts *f,
		 struct odf_diag *d)
{
	struct odemu_state *s = &e->st;

	/* check everything first: a refused set changes nothing */
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++) {
		const struct odemu_fault_desc *t = &table[i];
		int64_t v = f->val[i];

		if (!f->set[i])
			continue;
		if (t->kind == ODEMU_FK_STATUS)
			return odf_diag_set(d, ODF_E_USAGE, "%s is the drive's "
					    "own state, not a fault to set",
					    t->name);
		if (v == t->off)
			continue;
		if (v < 0 || (uint64_t)v < t->min || (uint64_t)v > t->max)
			return odf_diag_set(d, ODF_E_USAGE, "--%s wants %llu "
					    "to %llu, got %lld", t->name,
					    (unsigned long long)t->min,
					    (unsigned long long)t->max,
					    (long long)v);
		if (t->with >= 0 && !f->set[t->with])
			return odf_diag_set(d, ODF_E_USAGE, "--%s goes with "
					    "--%s", t->name,
					    table[t->with].name);
	}
	if (f->clear)
		odemu_faults_clear(s);
	for (unsigned i = 0; i < ODEMU_FAULT_N; i++)
		if (f->set[i])
			fault_put(s, i, f->val[i]);
	if (f->set_disc) {
		if (f->disc != (bool)s->disc || s->tray_open) {
			s->media_event = f->disc ? 2 : 3;
			odemu_add_ua(e, 0x28, 0x00); /* medium may have changed */
		}
		s->disc = f->disc;
		s->tray_open = 0;
	}
	e->dirty = true;
	return odemu_save(e, d);
}
