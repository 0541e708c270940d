/* odflash session: preflight -- the drive's mode, mounts, power, and "no
 * disc" (every flasher requires 02/3A/00 before flashing: binflash
 * IsUnitReady loop, DVRFlash, pxfw). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "odf/image.h"
#include "odf/scsi.h"
#include "odf/transport.h"
#include "odf/vendor.h"
#include "session/session_int.h"

/* ---- stage 4: preflight ----------------------------------------------------------- */
/* An MMC drive reports the disc it holds as a non-zero current profile in
 * GET CONFIGURATION's header (MMC-6 5.3.1, "Current Profile"; 0000h = no
 * medium).  A unit that does not answer GET CONFIGURATION at all (Linux
 * scsi_debug, docs/internals/rig.md §3) has no disc to report. */
static bool
mmc_medium_present(struct odf_dev *dev)
{
	struct odf_config c;

	memset(&c, 0, sizeof(c));
	if (odf_get_configuration(dev, &c, NULL) != 0)
		return false;
	return c.current_profile != 0;
}

/* Before the confirmation: TEST UNIT READY and GET CONFIGURATION only.
 * "No medium" is what every flasher wants; a disc the drive reports (an
 * MMC current profile) is refused unless the user asked for the eject
 * (--eject): opening the tray unasked is an action the user did not
 * choose (issue #12).  What the drive needs (eject, or a stop for a unit
 * that is not "no medium" but reports no disc) is only decided here and
 * named by the question; odfi_stage_disc sends it after the yes. */
static int
check_no_disc(struct odfi_session *R, struct odf_diag *d)
{
	struct odf_sense s;
	int rc;

	R->disc = ODFI_DISC_NONE;
	odf_drain_unit_attention(R->dev, 8, NULL);
	memset(&s, 0, sizeof(s));
	rc = odf_test_unit_ready(R->dev, &s, NULL);
	if (rc == ODF_E_SENSE && (odf_sense_class(&s) & ODF_SC_NO_MEDIUM))
		return 0;
	if (rc != 0 && rc != ODF_E_SENSE)
		return odf_diag_set(d, rc, "TEST UNIT READY failed: the drive "
				    "does not answer");
	R->disc_tur_good = rc == 0;
	if (mmc_medium_present(R->dev) && !R->o->eject) {
		odf_diag_clear(d);
		odf_diag_set(d, ODF_E_SAFETY, "a disc is in the drive (TEST "
			     "UNIT READY %s, and the drive reports a current "
			     "profile); nothing was changed",
			     rc == 0 ? "GOOD" : "not \"no medium\"");
		odf_diag_reason(d, ODF_R_DISC_IN_TRAY);
		odf_diag_fact_device(d, R->o->device);
		odf_diag_set_sense(d, &s);
		return ODF_E_SAFETY;
	}
	/* A unit that reports no medium profile but is not "no medium"
	 * (scsi_debug-like) is stopped; with --eject the tray is opened. */
	R->disc = R->o->eject ? ODFI_DISC_EJECT : ODFI_DISC_STOP;
	return 0;
}

/* After the confirmation (never in a dry run): the eject or stop that
 * preflight decided and the question named, then "no medium" again. */
static int
disc_act(struct odfi_session *R, struct odf_diag *d)
{
	struct odf_sense s;
	struct odf_diag ej;
	bool locked = false;
	bool ejected;
	int rc;

	if (R->disc == ODFI_DISC_EJECT) {
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "a disc may be in the drive "
			    "(TUR %s): ejecting it, as asked", R->disc_tur_good ?
			    "GOOD" : "not 02/3A");
		odfi_notice(R, ODF_NOTICE_EJECT);
	} else {
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "the unit reports no disc but is not "
			"\"no medium\": stopping it (START STOP UNIT, no "
			"eject)");
	}
	odf_diag_clear(&ej);
	ejected = odf_start_stop(R->dev, false, R->disc == ODFI_DISC_EJECT,
				 &ej) == 0;
	if (ejected)
		odfi_sleep_ms(R, 200);
	else
		locked = (odf_diag_sense_class(&ej) & ODF_SC_TRAY_LOCKED) != 0;
	odf_drain_unit_attention(R->dev, 8, NULL);
	memset(&s, 0, sizeof(s));
	rc = odf_test_unit_ready(R->dev, &s, NULL);
	if (rc == ODF_E_SENSE && (odf_sense_class(&s) & ODF_SC_NO_MEDIUM))
		return 0;
	if (ejected && rc == ODF_E_SENSE &&
	    (odf_sense_class(&s) & ODF_SC_STOPPED) &&
	    !mmc_medium_present(R->dev)) {
		/* The eject was taken and left the unit stopped, and it is
		 * not an MMC drive reporting a disc: it reads nothing during
		 * the flash, which is what "no disc" is for. */
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "the drive stopped but does not report "
			"\"no medium\" (02/04/02, its medium cannot be "
			"unloaded): going on with the drive stopped");
		return 0;
	}
	if (locked) {
		/* 53/02 MEDIUM REMOVAL PREVENTED (or 53/00 load/eject
		 * failed): another program holds the tray, or it is stuck */
		odf_diag_set(d, ODF_E_SAFETY, "a disc is in the drive and the "
			     "tray will not open (%s); nothing was changed",
			     ej.ascq == 0x02 ? "medium removal is prevented, "
			     "e.g. by a program using the disc" :
			     "the eject failed");
		odf_diag_reason(d, ODF_R_TRAY_LOCKED);
	} else {
		odf_diag_set(d, ODF_E_SAFETY, "a disc is in the drive, or the "
			     "drive is busy, and it could not be ejected; "
			     "nothing was changed");
		odf_diag_reason(d, ODF_R_EJECT_FAILED);
	}
	odf_diag_set_sense(d, &s);
	return ODF_E_SAFETY;
}

/* A drive in safe or boot mode may not report "no medium": a recovery
 * goes on (binflash and DVRFlash skip the check in those modes). */
static int
recover_tolerates(struct odfi_session *R, int rc, struct odf_diag *d)
{
	if (rc < 0 && R->op == OP_RECOVER && R->id.mode != ODF_MODE_NORMAL) {
		odf_ctx_log(R->ctx, ODF_LOG_WARN, "drive in %s mode does not report "
			"\"no medium\"; going on with the recovery",
			odf_mode_name(R->id.mode));
		odf_diag_clear(d);
		R->disc = ODFI_DISC_NONE;
		return 0;
	}
	return rc;
}

int
odfi_stage_disc(struct odfi_session *R, struct odf_diag *d)
{
	if (R->disc == ODFI_DISC_NONE || R->o->dry_run)
		return 0;
	return recover_tolerates(R, disc_act(R, d), d);
}

int
odfi_stage_preflight(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(R->dev);
	int rc;

	odf_ctx_log(R->ctx, ODF_LOG_INFO, "stage: preflight (mode, mounts, power, disc)");
	if (R->op == OP_FLASH && R->id.mode != ODF_MODE_NORMAL) {
		odf_diag_set(d, ODF_E_SAFETY, "the drive is in %s mode, not "
			     "normal mode", odf_mode_name(R->id.mode));
		odf_diag_reason(d, ODF_R_RECOVER_FIRST);
		odf_diag_fact_device(d, R->o->device);
		return ODF_E_SAFETY;
	}
	if (in && odf_preflight_mounted(R->mounts, in->block_path)) {
		odf_diag_set(d, ODF_E_SAFETY, "%s is mounted", in->block_path);
		odf_diag_reason(d, ODF_R_MOUNTED);
		odf_diag_fact_path(d, in->block_path);
		odf_diag_fact_device(d, R->o->device);
		return ODF_E_SAFETY;
	}
	rc = odf_preflight_power(R->sysfs, d);
	if (rc < 0)
		return rc;
	/* TEST UNIT READY and GET CONFIGURATION only: the eject or stop
	 * comes after the confirmation (odfi_stage_disc) */
	rc = check_no_disc(R, d);
	return recover_tolerates(R, rc, d);
}

/* ---- host-side checks (exposed for tests: odf/flash.h) ---------------- */
int
odf_preflight_mounted(const char *mounts, const char *block_path)
{
	char line[4096];
	size_t bl;
	FILE *f;
	int hit = 0;

	if (!block_path || !block_path[0])
		return 0;
	f = fopen(mounts ? mounts : "/proc/self/mounts", "r");
	if (!f)
		return 0;
	bl = strlen(block_path);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, block_path, bl) == 0 && line[bl] == ' ') {
			hit = 1;
			break;
		}
	fclose(f);
	return hit;
}

static int
read_word(const char *dir, const char *name, const char *file, char *out,
	  size_t len)
{
	char p[4200];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s/%s", dir, name, file);
	f = fopen(p, "r");
	out[0] = '\0';
	if (!f)
		return -1;
	if (!fgets(out, (int)len, f))
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int
odf_preflight_power(const char *sysfs_root, struct odf_diag *d)
{
	char dir[4096], type[32], online[8];
	bool battery = false, mains_online = false;
	struct dirent *de;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/class/power_supply",
		 sysfs_root ? sysfs_root : "/sys");
	dp = opendir(dir);
	if (!dp)
		return 0;	/* no power supply class: a desktop/VM */
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (read_word(dir, de->d_name, "type", type, sizeof(type)) < 0)
			continue;
		if (strcmp(type, "Battery") == 0)
			battery = true;
		else if (strcmp(type, "Mains") == 0 &&
			 read_word(dir, de->d_name, "online", online,
				   sizeof(online)) == 0 &&
			 strcmp(online, "1") == 0)
			mains_online = true;
	}
	closedir(dp);
	if (battery && !mains_online) {
		odf_diag_set(d, ODF_E_SAFETY, "the computer runs on battery: "
			     "a power loss while flashing can destroy the "
			     "drive's firmware");
		odf_diag_reason(d, ODF_R_ON_BATTERY);
		return ODF_E_SAFETY;
	}
	return 0;
}
