/* odflash: one drive as the CLI shows it (scan, info) — gathering the
 * facts through the library, and rendering them as text or JSON. */
#ifndef ODF_CLI_DRIVE_H
#define ODF_CLI_DRIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "odf/error.h"
#include "odf/ident.h"
#include "odf/scsi.h"
#include "odf/transport.h"

/* What could be learnt; strings "" = unknown. */
struct cli_drive {
	char device[280];	/* name to pass back to odflash */
	char block_device[64];	/* "/dev/sr0" or "" */
	char hctl[32];
	char transport[24];	/* odf_bus_name */
	uint64_t max_transfer;	/* 0 = unknown */
	bool opened;		/* the device could be opened */
	bool identified;	/* INQUIRY answered */
	int open_err;		/* odf_err of opening, 0 if none */
	char problem[ODF_DIAG_MSG_MAX];	/* why not opened/identified */
	int err;		/* odf_err of that, 0 if none */
	struct odf_diag diag;	/* its diagnosis, for the error's JSON */
	struct odf_drive_ident id;	/* vendor/product/revision/mode/... */
	char driver[16];	/* driver that handles it, "" = none */
};

/* Facts only info gathers; each part has a `*_state`: 0 read fine,
 * 1 the drive rejected the command ("not supported"), 2 error. */
struct cli_drive_more {
	int caps_state;
	struct odf_caps caps;
	int config_state;
	struct odf_config config;
	int rpc_state;
	struct odf_rpc_state rpc;
	int media_state;
	struct odf_media_status media;
};

/* Fill dev-independent facts from an odf_dev_info (scan entry or open
 * device): block device, hctl, transport, max transfer. */
void cli_drive_from_info(struct cli_drive *dr, const struct odf_dev_info *in);
/* Open `name` read-only and identify it (odf_identify_drive).  Returns 0
 * when the drive answered; otherwise the odf_err (dr->problem says
 * why) — the record is still filled as far as known.  When dev_out is not
 * NULL and the open succeeded, the open device is handed over (the caller
 * closes it); otherwise it is closed here. */
int cli_drive_probe(const char *name, struct cli_drive *dr,
		    struct odf_dev **dev_out, struct odf_diag *d);
/* info's extra queries; every failure is recorded, none is fatal. */
void cli_drive_query_more(struct odf_dev *dev, struct cli_drive_more *m);

/* The scan keys: device, block_device, hctl, vendor, model, revision,
 * transport, max_transfer, mode, driver (+ "error" when not identified).
 * New object, caller owns it. */
struct json_object *cli_drive_json(const struct cli_drive *dr);
/* Add info's keys: serial, firmware_date, features, rpc, media_present,
 * target, bootcode, family. */
void cli_drive_json_more(struct json_object *o, const struct cli_drive *dr,
			 const struct cli_drive_more *m);
/* Human text. */
void cli_drive_print_line(FILE *f, const struct cli_drive *dr);
void cli_drive_print_info(FILE *f, const struct cli_drive *dr,
			  const struct cli_drive_more *m);

#endif
