/* odemu: an emulated optical drive, in-process.
 *
 * A drive is a personality (model table) plus a state file.  Three front
 * ends reach it: the odflash "emu:PATH" transport backend, the LD_PRELOAD
 * library (any SG_IO program) and the target_core_user handler (a real
 * kernel).  All of them go through odemu_open / odemu_exec / odemu_close,
 * so every command is answered by the same code.
 *
 * The emulator uses only the public odf headers and the image library; it
 * never uses the SCSI command layer or the vendor drivers it is meant to
 * test.
 */
#ifndef ODEMU_H
#define ODEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/error.h"
#include "odf/ident.h"
#include "odf/transport.h"

struct odemu;

/* Open the drive whose state lives in state_path: lock it, load it.
 * Fails like a real bus would: ODF_E_NODEV if the file does not exist,
 * the drive is powered off, or it is re-enumerating (fault); ODF_E_FORMAT
 * if the file is not an odemu state; ODF_E_OPEN if another process holds
 * it. */
/* Make odf_dev_open accept "emu:STATE" (odf_transport_register): called
 * once by each program that links libodemu; 0 or a negative odf_err. */
int odemu_transport_register(void);

int odemu_open(const char *state_path, struct odemu **out,
	       struct odf_diag *d);
/* Answer one command exactly as the drive (and its faults: bridge cap,
 * dropped opcodes, hangs, power cut) would: fills status, sense, resid,
 * host_status, os_err, duration.  Persists the state atomically when the
 * command changed it. */
void odemu_exec(struct odemu *emu, struct odf_cmd *c);
void odemu_close(struct odemu *emu);
/* Save the state when the handle is closed only, not after every command
 * that changed it (the default: a process killed halfway leaves its
 * drive on disk as it was).  For programs that drive the emulator
 * in-process and close it before anyone else looks (the in-process
 * session sweep, tests/unit/test_session_sweep.c): a flash then writes
 * the state once instead of once per command. */
void odemu_set_lazy_save(struct odemu *emu, bool lazy);

/* The drive's host waits ns (a program's sleep, through the preload):
 * counted as the drive's modelled time and really slept that long times
 * the drive's time scale (0: not at all).  So a wait a flasher makes for
 * a drive's busy time (btcflash's 50 s) runs in the drive's time. */
void odemu_host_sleep(struct odemu *emu, uint64_t ns);

/* What the path to this drive looks like (a bridge fault shows as USB
 * with its transfer cap, as sysfs would show it). */
size_t odemu_max_transfer(const struct odemu *emu);	/* 0 = no cap */
enum odf_bus odemu_bus(const struct odemu *emu);

/* ---- administration (the odemu tool, tests) ------------------------------ */
/* The models it can emulate, in table order; NULL past the end. */
struct odemu_model_info {
	const char *name;		/* "nec-nd3500" */
	const char *description;
	enum odf_family family;
	const char *vendor, *product;	/* INQUIRY as shipped */
	const char *default_version;
	uint32_t flash_size;
	uint32_t fw_start, fw_len;	/* the firmware region */
	unsigned nblocks;
};
int odemu_model_info(size_t i, struct odemu_model_info *out);
/* Space-separated list of every model name, in table order, for
 * messages; never truncated (sized from the table at the first call). */
const char *odemu_model_names(void);

struct odemu_new_opts {
	const char *version;	/* NULL = the model's shipped version */
	const char *firmware;	/* image file to put in flash, or NULL */
	const char *serial;	/* VPD 80h; NULL = derived from the path;
				   "" = none: VPD 80h is not offered */
	/* INQUIRY strings (any bytes but NUL, at most 8/16/4); NULL = the
	 * model's or its firmware's */
	const char *vendor, *product, *revision;
	double time_scale;	/* 0 = instant, 1 = real timings */
};
/* Create a drive.  ODF_E_USAGE for an unknown model (msg lists them) or
 * an existing state (never overwritten); ODF_E_FILE/FORMAT/MISMATCH for
 * a firmware file that cannot be read or does not fit the model. */
int odemu_create(const char *model, const char *state_path,
		 const struct odemu_new_opts *o, struct odf_diag *d);
/* A format-valid file image for a model (malloc'd, caller frees). */
int odemu_mkimage(const char *model, const char *version, uint8_t **out,
		  size_t *len, struct odf_diag *d);

/* A bootcode file for MODEL (NEC families: the raw boot block binflash's
 * Bootflash takes, 0x4000 or 0x8000 bytes), in this emulator's
 * convention: "0.NN" at a fixed offset, last word = BE word sum of the
 * rest.  version = "NN" (NULL = the model's).  ODF_E_UNSUPPORTED for a
 * model without a bootcode flash. */
int odemu_mkboot(const char *model, const char *version, uint8_t **out,
		 size_t *len, struct odf_diag *d);

/* The fault table: one entry per fault, in this order, drives `odemu
 * fault` (option --NAME), its validation, --clear, `odemu show` (text
 * NAME=VALUE, JSON NAME with '-' as '_') and the state file. */
enum odemu_fault_id {
	ODEMU_F_CUT_CMDS, ODEMU_F_CUT_BYTES, ODEMU_F_MAX_TRANSFER,
	ODEMU_F_DROP_VENDOR, ODEMU_F_HANG_MS, ODEMU_F_REENUM,
	ODEMU_F_REENUM_LEFT, ODEMU_F_REENUM_SKIP, ODEMU_F_TRAY_LOCKED,
	ODEMU_F_SIGNAL_AFTER, ODEMU_F_SIGNAL, ODEMU_F_FAIL_COMMIT,
	ODEMU_F_EIO_AT_CMD, ODEMU_F_CAP_FROM_CMD, ODEMU_F_GARBAGE,
	ODEMU_FAULT_N
};
enum odemu_fault_kind {
	ODEMU_FK_COUNT,		/* --NAME N; shown NAME=N */
	ODEMU_FK_FLAG,		/* --NAME (or --NAME on|off); shown NAME */
	ODEMU_FK_SENSE,		/* --NAME KK/AA/QQ|off; shown NAME=KK/AA/QQ */
	ODEMU_FK_SIGNAL,	/* --NAME INT|TERM|HUP|KILL: the signal number
				   of the entry named by .with; shown there */
	ODEMU_FK_STATUS,	/* the drive's own progress, not settable */
};
struct odemu_fault_desc {
	const char *name;
	enum odemu_fault_kind kind;
	uint64_t min, max;		/* accepted values when set (not off) */
	int64_t off;			/* the value that means no fault */
	bool takes_value;		/* FLAG: wants on|off after --NAME */
	int with;			/* shown together with entry .with
					   (-1: none) */
};
/* The table (ODEMU_FAULT_N entries, enum odemu_fault_id order). */
const struct odemu_fault_desc *odemu_fault_table(void);

/* Open for administration: like odemu_open but also when the drive is
 * powered off or re-enumerating (does not consume a re-enumeration). */
int odemu_open_admin(const char *state_path, struct odemu **out,
		     struct odf_diag *d);

enum odemu_block_state { ODEMU_BLOCK_ERASED = 0, ODEMU_BLOCK_PROGRAMMED,
			 ODEMU_BLOCK_PARTIAL };
#define ODEMU_STATUS_MAX_BLOCKS 64
struct odemu_status {
	char model[32];
	char serial[64];
	enum odf_mode mode;
	bool powered_off;
	char vendor[9], product[17], revision[5];	/* INQUIRY now */
	char flash_sha256[65];
	bool disc, tray_open;
	double time_scale;
	/* faults: the value of each odemu_fault_table() entry, by its
	 * enum odemu_fault_id (entry .off = no fault) */
	int64_t fault[ODEMU_FAULT_N];
	unsigned pending_ua;
	bool boot_broken;		/* the bootcode is incomplete: the drive
					   cannot start (nothing answers) */
	/* counters */
	uint64_t n_cmds, bytes_in, bytes_out, n_erase, bytes_programmed,
		 n_boot, modeled_ns, slept_ns, n_power_cuts;
	unsigned nblocks;
	struct { uint32_t start, size; enum odemu_block_state state; }
		block[ODEMU_STATUS_MAX_BLOCKS];
};
void odemu_get_status(const struct odemu *emu, struct odemu_status *st);

/* Faults: set[i] says that val[i] applies, for each i of enum
 * odemu_fault_id; odemu_set_faults checks each value against its
 * odemu_fault_table() entry. */
struct odemu_fault_opts {
	bool clear;			/* first set every fault to its .off */
	bool set[ODEMU_FAULT_N];
	int64_t val[ODEMU_FAULT_N];
	/* not a fault but set with them: a disc inserted or taken out */
	bool set_disc, disc;
};
int odemu_set_faults(struct odemu *emu, const struct odemu_fault_opts *f,
		     struct odf_diag *d);
/* Power the drive back on: boots normally or into boot mode as its flash
 * dictates; staging RAM and safe mode are lost. */
int odemu_power_on(struct odemu *emu, struct odf_diag *d);
/* The whole flash (ground truth); valid until odemu_close. */
const uint8_t *odemu_flash(const struct odemu *emu, size_t *len);
/* Path of the command log (STATE.log); valid until odemu_close. */
const char *odemu_log_path(const struct odemu *emu);

/* Where the emulator's own log lines go (NULL = nowhere); the programs
 * that embed it set this next to their libodf context's sink. */
void odemu_log_set(odf_log_fn fn, void *user, int max_level);
void odemu_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The emulator's own advice, in odemu's words, into d->hint (if d is not
 * NULL); libodf fills reasons instead (odf/error.h). */
void odemu_diag_hint(struct odf_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
