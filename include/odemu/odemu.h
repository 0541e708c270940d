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

#include <stddef.h>
#include <stdint.h>

#include "odf/error.h"
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

#endif
