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
int odemu_open(const char *state_path, struct odemu **out,
	       struct odf_diag *d);
/* Answer one command exactly as the drive (and its faults: bridge cap,
 * dropped opcodes, hangs, power cut) would: fills status, sense, resid,
 * host_status, os_err, duration.  Persists the state atomically when the
 * command changed it. */
void odemu_exec(struct odemu *emu, struct odf_cmd *c);
void odemu_close(struct odemu *emu);

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
	const char *serial;	/* VPD 80h; NULL = derived from the path */
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
	/* faults (-1 / 0 = off) */
	int64_t cut_after_cmds, cut_after_bytes;
	uint64_t max_transfer;
	bool drop_vendor;
	unsigned hang_ms, reenum_armed, reenum_left;
	uint32_t fail_commit;		/* KK<<16|AA<<8|QQ, 0 = off */
	unsigned pending_ua;
	bool tray_locked;		/* PREVENT ALLOW MEDIUM REMOVAL held */
	unsigned reenum_skip;
	int64_t signal_after_cmds;	/* -1 = off */
	int signal;
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

/* Faults: each field applies only when its `set_` flag is true. */
struct odemu_fault_opts {
	bool clear;			/* first remove every fault */
	bool set_cut_cmds, set_cut_bytes, set_max_transfer, set_drop_vendor,
	     set_disc, set_hang, set_reenum, set_reenum_skip, set_tray_locked,
	     set_signal, set_fail_commit;
	uint64_t cut_cmds, cut_bytes, max_transfer, hang_ms, reenum,
		 reenum_skip;
	bool drop_vendor, disc, tray_locked;
	/* set_signal: after the signal_cmds-th command from now has been
	 * answered, raise signal_num in the process that sent it (the user
	 * pressing Ctrl-C at that moment); emu: transport and LD_PRELOAD */
	uint64_t signal_cmds;
	int signal_num;
	/* the drive's next commit fails and it answers TEST UNIT READY with
	 * this sense (sense key << 16 | ASC << 8 | ASCQ, key 1..15) until it
	 * is reset; protocols that model it: ps3 */
	uint32_t fail_commit;
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

#endif
