/* odemu internals shared between the files of emu/ (not installed).
 *
 * A drive = a personality (const struct odemu_model, emu/models.c) + a
 * state (struct odemu_state, persisted by emu/state.c).  emu/target.c
 * answers the commands every drive shares (SPC/MMC), applies faults and
 * hands everything else to the personality's protocol (emu/proto_*.c).
 */
#ifndef ODEMU_EMU_H
#define ODEMU_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odemu/odemu.h"
#include "odf/bytes.h"
#include "odf/error.h"
#include "odf/ident.h"
#include "odf/transport.h"

#define ODEMU_MAX_BLOCKS 64
#define ODEMU_MAX_UA 4
#define ODEMU_PAGE 0x1000u	/* staging granularity: 4 KiB */

/* Sense keys (SPC-4 table "Sense key descriptions"; the emulator may not
 * use odf/scsi.h: it is the second, independent implementation). */
#define ODEMU_SK_NOT_READY 0x2
#define ODEMU_SK_ILLEGAL_REQUEST 0x5
#define ODEMU_SK_UNIT_ATTENTION 0x6

struct odemu;
struct odemu_model;

/* Quirks of standard (SPC) drives, as real targets show them
 * (docs/internals/rig.md §2-§3, measured on Linux 6.1): scsi_debug
 * ptype=5 rejects GET CONFIGURATION and READ BUFFER with 05/20/00 yet
 * takes WRITE BUFFER and
 * raises UNIT ATTENTION 3F/16 after each mode 5/7 command
 * (drivers/scsi/scsi_debug.c resp_write_buffer); QEMU ide-cd/scsi-cd
 * answer GET CONFIGURATION without feature 0104h and reject READ and
 * WRITE BUFFER with 05/20/00. */
#define ODEMU_SPCQ_NO_GET_CONFIG 0x01	/* GET CONFIGURATION: 05/20/00 */
#define ODEMU_SPCQ_NO_MICROCODE_FEATURE 0x02 /* no feature 0104h */
#define ODEMU_SPCQ_NO_READ_BUFFER 0x04	/* READ BUFFER: 05/20/00 */
#define ODEMU_SPCQ_NO_WRITE_BUFFER 0x08	/* WRITE BUFFER: 05/20/00 */
#define ODEMU_SPCQ_UA_PER_DOWNLOAD 0x10	/* UA 3F/16 after each accepted
					   WRITE BUFFER mode 5/7 */
#define ODEMU_SPCQ_FIXED_MEDIUM 0x20	/* scsi_debug: the medium is always
					   there; START STOP UNIT only stops
					   and starts the unit, a stopped
					   unit answers TEST UNIT READY
					   02/04/02 (resp_start_stop); the
					   state's tray_open holds "stopped" */

/* A protocol: answers what target.c does not.  Returns 1 when it handled
 * the command (status/sense/data set), 0 to let target.c answer. */
struct odemu_proto {
	const char *name;
	int (*exec)(struct odemu *e, struct odf_cmd *c);
	/* Does the firmware in flash pass the drive's own boot check?  Fills
	 * INQUIRY strings when it does. */
	bool (*boot_check)(struct odemu *e, char vendor[9], char product[17],
			   char revision[5]);
	/* Build the payload of a fresh drive (firmware + boot area). */
	int (*provision)(struct odemu *e, const char *version,
			 const uint8_t *image, size_t image_len,
			 struct odf_diag *d);
};

struct odemu_model {
	const char *name;		/* "nec-nd3500" */
	const char *description;	/* "NEC ND-3500AG DVD+-RW (1 MiB flash)" */
	enum odf_family family;
	const struct odemu_proto *proto;
	/* INQUIRY strings the boot code answers with (safe/boot mode) and
	 * the image-building defaults */
	const char *vendor, *product, *default_version;
	const char *boot_revision;	/* revision in boot mode ("0.05") */
	const char *target;		/* family ID in flash ("K350") */
	const char *safe_id;		/* ID SetSafeMode wants ("K310") */
	const char *bootcode;		/* "05" or NULL */
	const char *rid_text;		/* at rid_addr + 0x20 */
	const char *fw_date;		/* "YYYYMMDDhhmmss" (feature 010Ch) */
	uint8_t inq_version;		/* INQUIRY byte 2 */
	/* flash geometry */
	uint32_t flash_size;
	unsigned nblocks;
	const uint32_t *block_size;	/* nblocks entries, in order */
	uint32_t fw_start, fw_len;	/* firmware region (what is flashed) */
	bool chk_inside;		/* checksum = last word of the region */
	uint32_t chk_addr;		/* else: flash address of the stored
					   checksum word (0 = none) */
	uint32_t id_addr, rid_addr;	/* 0 = none */
	unsigned erase_first, erase_last;	/* blocks the protocol may erase */
	unsigned prog_first, prog_last;		/* ... and program */
	int chk_index;			/* SendChecksum index, -1 = any */
	uint8_t dump_id;		/* 0 = none needed; also the
					   firmware's first byte */
	bool dump_normal;		/* firmware reads in normal mode
					   without "RD"+ID are answered too */
	bool opti_pad;			/* WriteRAMOpti: n x 4 zero bytes
					   after the n x 4 KiB */
	/* bootcode (binflash Bootflash: WriteRAM area 1 to 0x0000,
	 * FlashBlock CB 02 ..01 = block 0); 0 = no bootcode flash */
	uint32_t boot_len;		/* GetBootcodeSizeFromDriveType */
	bool boot_csum;			/* SendChecksum area 1 required */
	uint32_t boot_rev_off;		/* emulator convention: "0.NN" here
					   in the boot block (0 = none) */
	bool chk_nv;			/* the accepted checksum word lives in
					   settings kept outside the firmware
					   blocks: overwritten, not NOR-
					   programmed (see models.c) */
	unsigned spc_quirks;		/* ODEMU_SPCQ_*: how a standard
					   drive departs from spc-generic */
	/* timings of the real part */
	unsigned erase_ms_per_block;
	unsigned program_us_per_kib;
	unsigned transfer_us_per_kib;
};

const struct odemu_model *odemu_model_find(const char *name);
/* FNV-1a of a string: the seed of a model's filler and serial. */
uint32_t odemu_seed_of(const char *s);
/* The image odemu mkimage writes for m (emu/mkimage.c: the families'
 * own builders, emu/fmt_*.c); 0, or -1 out of memory. */
int odemu_build_image(const struct odemu_model *m, const char *version,
		      uint32_t seed, uint8_t **out, size_t *len);
/* The Pioneer generation DVRFlash gives m's model (0 = unknown). */
int odemu_pio_generation_of(const struct odemu_model *m);
const struct odemu_model *odemu_model_at(size_t i);	/* NULL past end */
uint32_t odemu_block_start(const struct odemu_model *m, unsigned b);
/* Block holding addr, or -1. */
int odemu_block_of(const struct odemu_model *m, uint32_t addr);

extern const struct odemu_proto odemu_proto_nec;
extern const struct odemu_proto odemu_proto_spc;
extern const struct odemu_proto odemu_proto_ps3;
extern const struct odemu_proto odemu_proto_plextor;
extern const struct odemu_proto odemu_proto_mtkff;
extern const struct odemu_proto odemu_proto_pioneer;
extern const struct odemu_proto odemu_proto_lg;
extern const struct odemu_proto odemu_proto_mt1959;
extern const struct odemu_proto odemu_proto_btc;
extern const struct odemu_proto odemu_proto_sd616;

/* Persistent state: everything a drive remembers (see state.c for the
 * file layout). */
struct odemu_state {
	char model[32];
	char serial[64];
	/* INQUIRY strings set by odemu new --vendor/--product/--revision
	 * (any bytes but NUL: a hostile device); "" = the model's */
	char inq_vendor[9], inq_product[17], inq_revision[5];
	double time_scale;
	uint32_t mode;			/* enum odf_mode */
	uint32_t powered_off;
	uint32_t disc, tray_open, prevent;
	uint32_t media_event;		/* pending GESN media event code */
	/* RPC (REPORT KEY format 08h) */
	uint8_t rpc_type, rpc_vendor_resets, rpc_user_changes, rpc_mask,
		rpc_scheme;
	/* pending unit attentions (key is always 06h) */
	uint32_t n_ua;
	uint8_t ua_asc[ODEMU_MAX_UA], ua_ascq[ODEMU_MAX_UA];
	/* faults */
	int64_t cut_after_cmds;		/* -1 = off */
	int64_t cut_after_bytes;	/* -1 = off */
	uint64_t max_transfer;		/* 0 = none */
	uint32_t drop_vendor;
	uint32_t hang_ms;
	uint32_t reenum_arm;		/* vanish for N opens on next reboot */
	uint32_t reenum_left;
	uint32_t reenum_skip;		/* reboots to let pass first */
	int64_t sig_after_cmds;		/* -1 = off: raise sig_num in the
					   host after the Nth command */
	uint32_t sig_num;
	uint32_t fail_commit;		/* KK<<16|AA<<8|QQ: the next commit
					   fails with this sense, 0 = off */
	int64_t eio_at_cmd;		/* -1 = off: the Nth command from now
					   fails with EIO, once */
	int64_t cap_from_cmd;		/* 0 = max_transfer bites from now;
					   N: from the Nth command from now */
	int64_t garbage_seed;		/* -1 = off: every data-in command
					   answered with garbage (garbage.c) */
	/* protocol state */
	uint32_t chk_ok;		/* staged image + checksum accepted */
	uint32_t chk_value;
	uint32_t fw_len;		/* SPC: active image length */
	uint32_t dl_len;		/* SPC: contiguous bytes downloaded */
	uint32_t dl_deferred;		/* SPC: complete image awaits 0Fh */
	/* counters */
	uint64_t n_cmds, bytes_in, bytes_out, n_erase, bytes_programmed,
		 n_boot, modeled_ns, slept_ns, n_power_cuts;
	/* blocks programmed while not erased since (for show) */
	uint8_t blk_dirty[ODEMU_MAX_BLOCKS];
	/* big buffers: flash and staging RAM (flash_size each) */
	uint8_t *flash;
	uint8_t *ram;
	uint8_t *staged;		/* one flag per 4 KiB page */
	uint32_t flash_size;
};

/* The incremental save (state.c, odemu_state_save_twin): the state file
 * and its twin "PATH.twin" hold the last two saved generations; a save
 * writes into the twin only the pages that differ from what it holds,
 * then swaps the two names atomically (renameat2 RENAME_EXCHANGE). */
struct odemu_twin {
	char *path;			/* PATH.twin */
	uint8_t *shadow;		/* flash + ram as last saved (2 x fs) */
	uint8_t *prev;			/* pages the twin lacks: changed by the
					   last save (flag per page of
					   flash + ram) */
	uint32_t flash_size;
	bool have_twin;			/* the twin file holds the generation
					   before the state file's */
	bool off;			/* no exchange here: whole-file saves */
};

struct odemu {
	char *path;
	char *log_path;
	int lock_fd;
	bool admin;			/* opened by the odemu CLI */
	bool gone;			/* powered off / vanished meanwhile */
	const struct odemu_model *model;
	struct odemu_state st;
	char vendor[9], product[17], revision[5];	/* current INQUIRY */
	bool dirty;			/* state must be written */
	bool counters_dirty;		/* only counters changed: save at close */
	bool lazy_save;			/* odemu_set_lazy_save: at close only */
	uint64_t garbage_k;		/* data-in commands answered with
					   garbage since this open */
	uint64_t busy_ns;		/* this command's scaled modelled
					   time, waited out at its end */
	uint64_t late_ns;		/* how late its answers came after
					   their deadlines: taken off the
					   next ones (flash.c) */
	struct odemu_twin twin;		/* incremental saves (state.c) */
};

/* ---- state.c -------------------------------------------------------------- */
int odemu_state_alloc(struct odemu_state *st, uint32_t flash_size,
		      struct odf_diag *d);
void odemu_state_free(struct odemu_state *st);
int odemu_state_save(const char *path, const struct odemu_state *st,
		     struct odf_diag *d);
int odemu_state_load(const char *path, struct odemu_state *st,
		     struct odf_diag *d);
/* Incremental saves of a drive held open (and locked) by this process:
 * odemu_twin_init right after the load (st as loaded = the file), then
 * odemu_state_save_twin instead of odemu_state_save (same file, same
 * atomicity: the state file always names a whole generation), and
 * odemu_twin_drop at close (removes the twin file).  Without the
 * exchange (a file system that lacks it), or with no memory for the
 * shadow, the saves are whole-file ones. */
void odemu_twin_init(struct odemu_twin *t, const char *path,
		     const struct odemu_state *st);
int odemu_state_save_twin(const char *path, const struct odemu_state *st,
			  struct odemu_twin *t, struct odf_diag *d);
void odemu_twin_drop(struct odemu_twin *t);
/* The torn-file hash of a state body (tests/fuzz/fuzz_emustate.c frames
 * fuzzed bodies with it so that the loader's field checks are reached). */
uint64_t odemu_state_hash(const uint8_t *body, size_t n);

/* ---- flash.c: NOR model ---------------------------------------------------- */
/* Erase block b (all FFh).  Returns 0, or -1 if the power was cut. */
int odemu_flash_erase(struct odemu *e, unsigned b);
/* Program: flash &= data (bits can only be cleared).  Counts bytes for
 * the power-cut fault: returns 0, or -1 when the power went off part way
 * (the bytes before the cut stay programmed). */
int odemu_flash_program(struct odemu *e, uint32_t addr, const uint8_t *data,
			size_t len);
/* Classify block b: 0 erased (all FFh), 1 programmed, 2 partially
 * programmed (programmed since erase but ends in erased bytes that
 * should not be, i.e. a dirty flag still set), as shown by odemu show. */
int odemu_flash_block_state(const struct odemu *e, unsigned b);
/* Count modeled time; scaled by the time scale, it is added to the
 * command's busy time, which odemu_exec waits out at the command's end
 * (odemu_busy_wait). */
void odemu_model_time(struct odemu *e, uint64_t ns);
/* The emulator's clock: CLOCK_MONOTONIC in ns (the drive's clock, the
 * commands' durations, BTC's busy deadline). */
uint64_t odemu_now_ns(void);
/* Wait until t0 (CLOCK_MONOTONIC ns, the command's arrival) plus the busy
 * time counted since the last wait, less how late earlier answers came;
 * at once when that time has passed.  Counts how late this one is. */
void odemu_busy_wait(struct odemu *e, uint64_t t0);

/* ---- faults.c: the fault table ---------------------------------------------- */
/* Entry i's field in s (size 4 or 8 bytes; in_block: saved in the state
 * file's fault block, in table order). */
void *odemu_fault_field(struct odemu_state *s, unsigned i, size_t *size,
			bool *in_block);
int64_t odemu_fault_get(const struct odemu_state *s, unsigned i);
/* Every fault to its .off value. */
void odemu_faults_clear(struct odemu_state *s);

/* ---- garbage.c: --garbage-answers ------------------------------------------ */
/* Answer data-in command c with the seed's garbage for this command
 * index; note gets the command log's words. */
void odemu_garbage_answer(struct odemu *e, struct odf_cmd *c, char *note,
			  size_t note_len);

/* ---- mmc.c: the generic SPC/MMC command set ---------------------------------- */
void odemu_mmc_exec(struct odemu *e, struct odf_cmd *c);
/* Standard INQUIRY data (SPC-4 6.6.2) of n >= 36 bytes into b: a CD/DVD
 * device, removable, the model's version, the drive's strings. */
void odemu_inquiry_std(const struct odemu *e, uint8_t *b, size_t n);

/* ---- target.c --------------------------------------------------------------- */
/* Write the state file now. */
int odemu_save(struct odemu *e, struct odf_diag *d);
void odemu_sense(struct odf_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq);
void odemu_good(struct odf_cmd *c);
/* Copy a data-in answer, obeying the transfer length and alloc. */
void odemu_data_in(struct odf_cmd *c, const uint8_t *p, size_t n,
		   size_t alloc);
void odemu_add_ua(struct odemu *e, uint8_t asc, uint8_t ascq);
/* Take the oldest pending unit attention; false when none. */
bool odemu_pop_ua(struct odemu *e, uint8_t *asc, uint8_t *ascq);
/* INQUIRY strings of the boot code (safe/boot mode). */
void odemu_boot_strings(struct odemu *e);
/* Run the boot check and set mode/INQUIRY strings (normal or boot). */
void odemu_reboot(struct odemu *e);
/* Power was cut in the middle of a command. */
void odemu_power_cut(struct odemu *e, struct odf_cmd *c);
/* The drive leaves safe mode / activates: reboot + re-enumeration. */
void odemu_restart(struct odemu *e);
/* The boot block holds a whole bootcode (its stored word matches and no
 * program was cut short); false = the drive cannot start at all. */
bool odemu_boot_block_ok(const struct odemu *e);

#endif
