/* odflash session: a crossflash that keeps the drive's own data (issue
 * #14).  Some families' images hold ranges that belong to the unit, not
 * to the firmware (odf_image_unit_ranges: LG MT1959 signature and
 * calibration, lib/image/mt1959.c cites them); a crossflash must carry
 * them over from this drive into the new image, or it erases them.
 *
 * Where they come from:
 *   - a range the drive reads out itself (odf_unit_range.from_drive: the
 *     probe's odf_drive_ident.unit, MT1959's 32 bytes at 0x3000) from the
 *     drive;
 *   - the others from a full copy of this unit's flash: no public source
 *     reads them from such a drive (the driver has no dump, see its
 *     no_dump), so only a verified backup of this unit in the state
 *     directory's backups/ folder will do: its sidecar (FILE.json, as
 *     backup.c writes it) names the drive's vendor, model and serial
 *     and says valid; the file still has the sidecar's sha256, is the
 *     image's size, parses as the family's image with a good checksum,
 *     and holds at the drive's read-out offset the very bytes the drive
 *     reads out now.  INFERRED (no source says): those bytes identify
 *     the unit (redumper copies the drive's own over the file's); the
 *     serial and model match is the rule for backups (recovery.c).
 * Nothing found: the crossflash is refused (ODF_E_SAFETY, exit 5) before
 * anything is sent, saying what is missing.  The transplanted image
 * replaces R->img; the confirmation names every range and its source
 * with the source's sha256. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odf/image.h"
#include "odf/vendor.h"
#include "session/session_int.h"
#include "util/platform.h"

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

static uint8_t *
read_all(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	size_t got;

	*len = 0;
	if (!f)
		return NULL;
	b = malloc(max + 1);
	if (!b) {
		fclose(f);
		return NULL;
	}
	got = fread(b, 1, max + 1, f);
	fclose(f);
	*len = got;
	return b;
}

struct cand {
	char path[4096], time[32], sha[65], why[160];
	uint8_t *buf;
	size_t len;
};

/* One sidecar: is its file a verified copy of this unit's flash?  0 and
 * c->buf set when it is; else c->why says why not (for the message). */
static int
check_one(struct odfi_session *R, const char *side, size_t want,
	  struct cand *c)
{
	struct json_object *o = json_object_from_file(side), *v;
	struct odf_image *img = NULL;
	size_t n = strlen(side);
	char sha[65];
	int rc = -1;

	c->buf = NULL;
	c->why[0] = '\0';
	if (!o)
		return -1;
	if (strcmp(jstr(o, "vendor"), R->id.vendor) != 0 ||
	    strcmp(jstr(o, "model"), R->id.product) != 0 ||
	    strcmp(jstr(o, "serial"), R->id.serial) != 0) {
		json_object_put(o);
		return -1;	/* another drive's: not a candidate */
	}
	snprintf(c->path, sizeof(c->path), "%.*s", (int)(n - 5), side);
	snprintf(c->time, sizeof(c->time), "%s", jstr(o, "time"));
	if (!json_object_object_get_ex(o, "valid", &v) ||
	    !json_object_get_boolean(v)) {
		snprintf(c->why, sizeof(c->why), "its sidecar does not say "
			 "valid");
		goto out;
	}
	c->buf = read_all(c->path, want, &c->len);
	if (!c->buf) {
		snprintf(c->why, sizeof(c->why), "it cannot be read");
		goto out;
	}
	if (c->len != want) {
		snprintf(c->why, sizeof(c->why), "it is not %zu bytes", want);
		goto out;
	}
	odf_sha256_hex(c->buf, c->len, sha);
	if (strcmp(sha, jstr(o, "sha256")) != 0) {
		snprintf(c->why, sizeof(c->why), "its sha256 is not its "
			 "sidecar's: it changed");
		goto out;
	}
	if (odf_image_parse(c->buf, c->len, c->path, R->drv->family, &img,
			    NULL) < 0 || odf_image_validate(img, 0, NULL) < 0) {
		snprintf(c->why, sizeof(c->why), "it is not a valid %s image "
			 "(checksum)", odf_family_name(R->drv->family));
		goto out;
	}
	if (!R->id.unit_len || R->id.unit_at + R->id.unit_len > c->len ||
	    memcmp(c->buf + R->id.unit_at, R->id.unit, R->id.unit_len) != 0) {
		snprintf(c->why, sizeof(c->why), "its %u bytes at 0x%x are "
			 "not what the drive reads out there now",
			 R->id.unit_len, R->id.unit_at);
		goto out;
	}
	snprintf(c->sha, sizeof(c->sha), "%s", sha);
	rc = 0;
out:
	odf_image_free(img);
	json_object_put(o);
	if (rc < 0) {
		free(c->buf);
		c->buf = NULL;
	}
	return rc;
}

/* The newest verified backup of this unit in dir: 0 and *best filled,
 * else -1 with why[] the first candidate's reason ("" = none found). */
static int
find_backup(struct odfi_session *R, const char *dir, size_t want,
	    struct cand *best, char *why, size_t wlen)
{
	struct cand *c = malloc(sizeof(*c));
	DIR *dh = opendir(dir);
	struct dirent *de;
	bool found = false;

	why[0] = '\0';
	if (!c || !dh) {
		free(c);
		if (dh)
			closedir(dh);
		return -1;
	}
	while ((de = readdir(dh)) != NULL) {
		char side[4400];
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		if (snprintf(side, sizeof(side), "%s" ODFI_SEP "%s", dir, de->d_name) >=
		    (int)sizeof(side))
			continue;
		if (check_one(R, side, want, c) < 0) {
			if (c->why[0] && !why[0] &&
			    snprintf(why, wlen, "passed over %s: %s", c->path,
				     c->why) >= (int)wlen)
				why[wlen - 1] = '\0';
			continue;
		}
		if (!found || strcmp(c->time, best->time) > 0) {
			free(found ? best->buf : NULL);
			*best = *c;
			found = true;
		} else {
			free(c->buf);
		}
	}
	closedir(dh);
	free(c);
	return found ? 0 : -1;
}

static int
refuse(struct odfi_session *R, const char *dir, const char *why,
       struct odf_diag *d)
{
	char who[128];

	snprintf(who, sizeof(who), "%s %s serial %s", R->id.vendor,
		 R->id.product, R->id.serial[0] ? R->id.serial : "(none)");
	odf_diag_set(d, ODF_E_SAFETY, "crossflash refused, nothing was "
		     "changed: it would overwrite the drive's own signature "
		     "and calibration, no public source reads them from the "
		     "drive (%s protocol), and %s holds no verified backup of "
		     "this unit (%s)%s%s", odf_family_name(R->drv->family),
		     dir, who, why[0] ? "; " : "", why);
	odf_diag_reason(d, ODF_R_NO_UNIT_DATA);
	odf_diag_fact_path(d, dir);
	odf_diag_fact_model(d, NULL, who);
	odf_diag_fact_family(d, R->drv->family);
	if (d)
		d->step[0] = '\0';
	return ODF_E_SAFETY;
}

int
odfi_unit_data(struct odfi_session *R, struct odf_diag *d)
{
	const struct odf_image_info *info = odf_image_info(R->img, R->part);
	const struct odf_unit_range *ur;
	struct odf_image *nimg = NULL;
	struct cand best;
	char dir[4200], why[ODF_DIAG_MSG_MAX / 2], dsha[65];
	const uint8_t *src;
	uint8_t *buf;
	size_t n, len;
	int rc;

	if (R->unit_done || !info)
		return 0;
	ur = odf_image_unit_ranges(info->family, &n);
	if (!ur)
		return 0;
	snprintf(dir, sizeof(dir), "%s" ODFI_SEP "backups", R->state_dir);
	src = odf_image_data(R->img, R->part, &len);
	if (!R->id.serial[0])
		return refuse(R, dir, "the drive reports no serial number: no "
			      "backup can be matched to it", d);
	if (!R->id.unit_len)
		return refuse(R, dir, "the drive did not read out its own "
			      "block: no backup can be matched to it", d);
	if (find_backup(R, dir, len, &best, why, sizeof(why)) < 0)
		return refuse(R, dir, why, d);
	buf = malloc(len);
	if (!buf) {
		free(best.buf);
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	}
	memcpy(buf, src, len);
	/* the backup's block at unit_at equals the drive's (check_one), so
	 * the drive's own ranges come from the same bytes */
	rc = odf_image_transplant(info->family, buf, len, best.buf, best.len,
				  d);
	free(best.buf);
	if (rc == 0)
		rc = odf_image_parse(buf, len, R->o->file ? R->o->file :
				     "the image", info->family, &nimg, d);
	free(buf);
	if (rc == 0 && odf_image_validate(nimg, 0, d) < 0)
		rc = ODF_E_CHECKSUM;
	if (rc < 0) {
		odf_image_free(nimg);
		return rc;
	}
	odf_sha256_hex(R->id.unit, R->id.unit_len, dsha);
	snprintf(R->unit_file, sizeof(R->unit_file), "%s", best.path);
	R->n_unit = 0;
	for (size_t i = 0; i < n && R->n_unit < ODF_UNIT_MAX; i++) {
		struct odf_unit_source *u = &R->unit[R->n_unit++];

		u->start = ur[i].start;
		u->end = ur[i].end;
		u->what = ur[i].what;
		u->from = ur[i].from_drive ? NULL : R->unit_file;
		snprintf(u->sha256, sizeof(u->sha256), "%s",
			 ur[i].from_drive ? dsha : best.sha);
		odf_ctx_log(R->ctx, ODF_LOG_INFO, "unit data: %s 0x%x..0x%x "
			    "from %s (sha256 %s)", u->what, u->start, u->end,
			    u->from ? u->from : "the drive's own read-out",
			    u->sha256);
	}
	odf_image_free(R->img);
	R->img = nimg;
	R->part = 0;
	R->unit_done = true;
	odf_ctx_log(R->ctx, ODF_LOG_INFO, "unit data: the image written is "
		    "%s with them (sha256 %s)", R->o->file ? R->o->file :
		    "the image", odf_image_sha256(R->img, 0));
	return 0;
}
