/* odflash vendor driver, NEC / Optiarc: what nec.c, nec_plan.c and
 * nec_read.c share (not installed).  The sources of every fact are named
 * in nec.c's opening comment and at each table and CDB builder. */
#ifndef ODF_DRIVERS_NEC_INT_H
#define ODF_DRIVERS_NEC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/vendor.h"

/* binflash drive.cpp: scsiLimitSeconds(scsi, 300, 0) for every command. */
#define NEC_TIMEOUT_MS 300000u
#define NEC_UNIT 0x1000u		/* WriteRAM n x 4 KiB (necinternal.cpp) */
#define NEC_OPTI_UNIT 0x1004u		/* WriteRAMOpti: + 4 zero bytes per unit */
#define NEC_MAX_UNITS 8u		/* n <= 8: <= 32 KiB per WriteRAM */
#define NEC_DUMP_BLOCK 0x1000u		/* DUMP_BLOCK_SIZE (DumpFirmware) */

enum nec_layout { NEC_1M, NEC_2M, NEC_OPTI, NEC_OTHER };

struct nec_layout_info {
	const char *name;
	uint32_t flash_size;	/* whole flash (raw dump) */
	uint32_t body_start;	/* flash address of the file body */
	uint32_t body_len;	/* bytes of the file body */
	uint32_t ram_base;	/* WriteRAM address of body[0] */
	unsigned erase_first, erase_last;	/* blocks, inclusive */
	unsigned prog_first, prog_last;
	uint32_t rid_addr;	/* GetSettingsArea: CheckXFlash RID block */
	bool opti_pad;		/* WriteRAMOpti */
	bool csum_after_body;	/* checksum word stored after the body */
};

/* The four layouts (nec.c; Flash1M, Flash2M, Flash2MOpti). */
extern const struct nec_layout_info odfi_nec_layouts[];

enum nec_dumpid { DUMPID_NONE = 0, DUMPID_TABLE };

struct nec_model {
	const char *ids[4];	/* IDs the drive reports (IdentifyDrive) */
	const char *drive_id;	/* GetDriveID: safe mode + file ID */
	const char *model;
	enum nec_layout layout;
	uint8_t dump_id;	/* binflash FirmwareID.xlsx; 0 =
				   none needed: the 1 MiB
				   family reads with id 0 (binflash trace,
				   §2.4); the 2 MiB and Optiarc families
				   dump in safe mode with "RD"+id
				   (DumpFirmware "if (id)").  ND-7550A: the
				   master's ID. */
	bool k2;		/* two checksums (Flash1M for K2) */
};

/* The drive ID the drive reports -> its model (IdentifyDrive IDs);
 * NULL when unknown. */
const struct nec_model *odfi_nec_model_by_id(const char *id);
/* The model of a drive odflash can dump and flash, or NULL with d set. */
const struct nec_model *odfi_nec_flashable(const struct odf_drive_ident *id,
					   struct odf_diag *d);
/* GetBootcodeSizeFromDriveType (nec.c). */
uint32_t odfi_nec_boot_len(enum nec_layout l);
/* INQUIRY revision "0.xx": the bootcode answers (IsSafeMode). */
bool odfi_nec_rev_is_safe(const char *rev);

/* The CDB builders (12 bytes each; their binflash sources in nec.c). */
size_t odfi_nec_cdb_read_ram(uint8_t *c, uint32_t addr, uint16_t len,
			     uint8_t dump_id);
size_t odfi_nec_cdb_safe_mode(uint8_t *c, const char *drive_id, bool enter);
size_t odfi_nec_cdb_checksum(uint8_t *c, uint16_t sum, unsigned idx);
size_t odfi_nec_cdb_write_ram(uint8_t *c, uint32_t addr, unsigned units);
size_t odfi_nec_cdb_block(uint8_t *c, uint8_t op, unsigned block);
size_t odfi_nec_cdb_read_boot(uint8_t *c);
size_t odfi_nec_cdb_flash_boot(uint8_t *c);

/* Commands on a device, NEC_TIMEOUT_MS each. */
int odfi_nec_run(struct odf_dev *dev, const uint8_t *cdb, enum odf_dir dir,
		 void *buf, size_t len, const char *what, struct odf_diag *d);
int odfi_nec_read_ram(struct odf_dev *dev, uint32_t addr, uint8_t *buf,
		      uint16_t len, uint8_t dump_id, struct odf_diag *d);
int odfi_nec_safe_mode(struct odf_dev *dev, const char *drive_id, bool enter,
		       struct odf_diag *d);

/* nec_plan.c: the image body and its checksum word; the plans. */
int odfi_nec_image_body(const struct nec_model *m, const struct odf_image *img,
			size_t part, const uint8_t **body, uint16_t *csum,
			struct odf_diag *d);
int odfi_nec_plan(const struct odf_drive_ident *id, const struct odf_image *img,
		  size_t part, const struct odf_path_limits *lim,
		  enum odf_plan_kind kind, struct odf_plan *plan,
		  struct odf_diag *d);
int odfi_nec_plan_bootcode(const struct odf_drive_ident *id,
			   const uint8_t *boot, size_t len,
			   const struct odf_path_limits *lim,
			   struct odf_plan *plan, struct odf_diag *d);

/* nec_read.c: the reads, as plans (odf_driver_ops.plan_read and
 * read_result). */
int odfi_nec_plan_leave(const struct odf_drive_ident *id,
			struct odf_plan *plan, struct odf_diag *d);
int odfi_nec_plan_read(const struct odf_drive_ident *id,
		       enum odf_read_kind kind, bool raw,
		       struct odf_plan *plan, struct odf_diag *d);
int odfi_nec_read_result(struct odf_drive_ident *id, enum odf_read_kind kind,
			 bool raw, const struct odf_plan *plan,
			 const struct odf_image *img, size_t part,
			 uint8_t **out, size_t *len, struct odf_diag *d);

#endif
