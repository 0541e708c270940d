/* odflash driver layer: helpers shared by the family drivers of
 * lib/drivers (not installed).  odfi_ prefix: internal to this layer. */
#ifndef ODF_DRIVERS_INT_H
#define ODF_DRIVERS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odf/vendor.h"

/* Does the drive run its firmware, or only a boot loader?  A boot loader
 * answers INQUIRY / TEST UNIT READY / REQUEST SENSE and little else, so
 * a drive that refuses GET CONFIGURATION (MMC-6 5.2, mandatory for every
 * MMC drive) with ILLEGAL REQUEST is taken to be in its boot code.
 * [inferred: no public source states what these boot loaders answer;
 * the emulated drives follow this rule].  Read-only. */
bool odfi_vnd_in_boot_code(struct odf_dev *dev);

/* Copy part `part` of img into a fresh plan owned by `driver`.  Fills
 * *len; returns 0 or a negative odf_err with d filled. */
int odfi_vnd_plan_start(struct odf_plan *plan, const char *driver,
			const struct odf_image *img, size_t part,
			bool recovery, size_t *len, struct odf_diag *d);
/* The same for a family whose images have one size: a part of another
 * size is ODF_E_MISMATCH ("<what> image is <size> bytes, not <len>";
 * what with its article, "a BTC") and no plan; the plan's data gets
 * `extra` zero bytes after the image (a header or block the plan sends
 * after it: plan->data_len counts them, *len does not). */
int odfi_vnd_plan_start_sized(struct odf_plan *plan, const char *driver,
			      const struct odf_image *img, size_t part,
			      bool recovery, const char *what, size_t size,
			      size_t extra, size_t *len, struct odf_diag *d);

/* Verification for families that cannot read their flash back: the
 * drive's INQUIRY revision must equal the image's.  Returns ODF_E_VERIFY
 * when it differs, ODF_E_UNSUPPORTED ("identity only") when it matches,
 * or an I/O error.  The shape of odf_driver_ops.verify (id unused). */
int odfi_vnd_verify_identity(struct odf_dev *dev,
			     const struct odf_drive_ident *id,
			     const struct odf_image *img, size_t part,
			     struct odf_diag *d);


/* Append a CDB step; on out-of-memory release the plan and set d. */
struct odf_plan_step *odfi_vnd_cmd(struct odf_plan *plan, const uint8_t *cdb,
				   size_t cdb_len, enum odf_dir dir,
				   size_t off, size_t len, unsigned timeout_ms,
				   unsigned weight, unsigned flags,
				   const char *label);
/* Append a non-CDB step (WAIT/POLL/REOPEN/DRAIN). */
struct odf_plan_step *odfi_vnd_kind(struct odf_plan *plan,
				    enum odf_step_kind k, unsigned ms,
				    unsigned weight, unsigned flags,
				    const char *label);

/* The label of every DRAIN_UA step. */
#define ODFI_DRAIN_LABEL "drain unit attentions"

/* The come-back tail after a commit, written as a designated-initializer
 * literal by each driver: [WAIT wait_ms] [REOPEN] POLL_READY for poll_ms
 * then DRAIN_UA.  A step whose label is NULL is left out (POLL_READY and
 * DRAIN_UA are always there). */
struct odfi_come_back {
	unsigned wait_ms, wait_weight;
	const char *wait_label;
	const char *reopen_label;
	unsigned poll_ms, poll_weight, poll_flags;
	const char *poll_label;
};
/* Append the tail; 0, or ODF_E_NOMEM with d set and the plan released. */
int odfi_vnd_come_back(struct odf_plan *plan, const struct odfi_come_back *cb,
		       struct odf_diag *d);

/* Run one CDB (data-in or none) with a label for the trace. */
int odfi_vnd_run(struct odf_dev *dev, const uint8_t *cdb, size_t cdb_len,
		 enum odf_dir dir, void *buf, size_t len, unsigned timeout_ms,
		 const char *what, struct odf_diag *d);

/* The product string starts with / contains these. */
bool odfi_vnd_prefix(const char *s, const char *prefix);
/* A protocol whose block is fixed: ODF_E_USAGE (reason chunk-refused)
 * when lim forces another chunk (who: "an LG drive", "the SE-506CB"),
 * else odf_plan_choose_chunk's answer for the block through the path
 * (ODF_E_PATH, reason bridge-cap, when the path carries less); 0 when
 * the block goes through. */
int odfi_vnd_fixed_chunk(const struct odf_path_limits *lim, size_t takes,
			 const char *who, struct odf_diag *d);
/* The name the device was opened by, for a diag's device fact. */
const char *odfi_vnd_dev_name(const struct odf_dev *dev);

/* Pioneer DVR-103/104 anti-downgrade answer (pioneer.c; DVRFlash's
 * generator): the 16-bit seed whose first 4 outputs are data[0..3]
 * (0, or -1 when none), the answer byte for a seed, and the
 * odf_step_fill_fn that fills an answer block from the seeded data. */
int odfi_pio_find_seed(const uint8_t *data, size_t len, uint16_t *seed);
uint8_t odfi_pio_answer(uint16_t seed);
int odfi_pio_fill_answer(const uint8_t *in, size_t in_len, uint8_t *out,
			 size_t out_len, struct odf_diag *d);

/* The family drivers of this layer (registered in registry.c). */
extern const struct odf_driver odf_driver_ps3;
extern const struct odf_driver odf_driver_plextor;
extern const struct odf_driver odf_driver_mtkff;
extern const struct odf_driver odf_driver_pioneer;
extern const struct odf_driver odf_driver_lg;
extern const struct odf_driver odf_driver_mtk8051;
extern const struct odf_driver odf_driver_mt1959;
extern const struct odf_driver odf_driver_btc;
extern const struct odf_driver odf_driver_sd616;

#endif
