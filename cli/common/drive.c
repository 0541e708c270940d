/* odflash: one drive as the CLI shows it.  See drive.h. */
#include "drive.h"

#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "odf/vendor.h"

void
cli_drive_from_info(struct cli_drive *dr, const struct odf_dev_info *in)
{
	const char *blk = in->block_path[0] ? in->block_path : in->sg_path;

	snprintf(dr->block_device, sizeof(dr->block_device), "%s",
		 in->block_path);
	if (dr->device[0] == '\0')
		snprintf(dr->device, sizeof(dr->device), "%s",
			 blk[0] ? blk : in->name);
	snprintf(dr->hctl, sizeof(dr->hctl), "%s", in->hctl);
	snprintf(dr->transport, sizeof(dr->transport), "%s",
		 odf_bus_name(in->bus));
	dr->max_transfer = in->max_transfer;
}

int
cli_drive_probe(const char *name, struct cli_drive *dr,
		struct odf_dev **dev_out, struct odf_diag *d)
{
	struct odf_dev *dev = NULL;
	const struct odf_driver *drv = NULL;
	struct odf_diag local;
	int rc;

	if (d == NULL)
		d = &local;
	odf_diag_clear(d);
	if (dev_out != NULL)
		*dev_out = NULL;
	if (dr->device[0] == '\0')
		snprintf(dr->device, sizeof(dr->device), "%s", name);
	dr->id.mode = ODF_MODE_UNKNOWN;
	rc = odf_dev_open_ctx(cli_g.ctx, name, ODF_OPEN_READ, &dev, d);
	if (rc != 0) {
		dr->open_err = rc;
		dr->err = rc;
		dr->diag = *d;
		snprintf(dr->problem, sizeof(dr->problem), "%s",
			 d->msg[0] ? d->msg : odf_err_str(rc));
		return rc;
	}
	dr->opened = true;
	cli_drive_from_info(dr, odf_dev_get_info(dev));
	rc = odf_identify_drive(dev, &dr->id, &drv, d);
	if (rc == 0 || dr->id.vendor[0] || dr->id.product[0])
		dr->identified = true;
	if (rc != 0) {
		dr->err = rc;
		dr->diag = *d;
		snprintf(dr->problem, sizeof(dr->problem), "%s",
			 d->msg[0] ? d->msg : odf_err_str(rc));
	}
	if (drv != NULL)
		snprintf(dr->driver, sizeof(dr->driver), "%s", drv->name);
	else if (dr->id.driver[0])
		snprintf(dr->driver, sizeof(dr->driver), "%s", dr->id.driver);
	if (dev_out != NULL && rc == 0)
		*dev_out = dev;
	else
		odf_dev_close(dev);
	return rc;
}

/* 0 done, 1 rejected by the drive (not supported), 2 other error. */
static int
classify(int rc, const struct odf_diag *d)
{
	if (rc == 0)
		return 0;
	if (rc == ODF_E_UNSUPPORTED)
		return 1;
	if (rc == ODF_E_SENSE && d->sense_valid &&
	    d->sense_key == ODF_SK_ILLEGAL_REQUEST)
		return 1;
	return 2;
}

void
cli_drive_query_more(struct odf_dev *dev, struct cli_drive_more *m)
{
	struct odf_diag d;
	int rc;

	memset(m, 0, sizeof(*m));
	odf_diag_clear(&d);
	rc = odf_mode_sense_caps(dev, &m->caps, &d);
	m->caps_state = classify(rc, &d);
	if (m->caps_state == 2)
		odf_ctx_log(cli_g.ctx, ODF_LOG_WARN, "capabilities page: %s", d.msg);

	odf_diag_clear(&d);
	rc = odf_get_configuration(dev, &m->config, &d);
	m->config_state = classify(rc, &d);
	if (m->config_state == 2)
		odf_ctx_log(cli_g.ctx, ODF_LOG_WARN, "configuration: %s", d.msg);

	odf_diag_clear(&d);
	rc = odf_report_rpc(dev, &m->rpc, &d);
	m->rpc_state = classify(rc, &d);
	if (m->rpc_state == 2)
		odf_ctx_log(cli_g.ctx, ODF_LOG_WARN, "region state: %s", d.msg);

	odf_diag_clear(&d);
	rc = odf_get_media_status(dev, &m->media, &d);
	m->media_state = classify(rc, &d);
	if (m->media_state != 0) {
		/* No event status: TEST UNIT READY says 02/3A/xx without
		 * a medium (MMC-6 sense table). */
		struct odf_sense s;

		memset(&s, 0, sizeof(s));
		odf_diag_clear(&d);
		rc = odf_test_unit_ready(dev, &s, &d);
		if (rc == 0) {
			m->media.media_present = true;
			m->media_state = 0;
		} else if (rc == ODF_E_SENSE && s.valid &&
			   s.key == ODF_SK_NOT_READY && s.asc == 0x3a) {
			m->media.media_present = false;
			m->media_state = 0;
		}
	}
}

static const char *
mode_str(const struct cli_drive *dr)
{
	if (!dr->identified || dr->id.mode == ODF_MODE_UNKNOWN)
		return NULL;
	return odf_mode_name(dr->id.mode);
}

struct json_object *
cli_drive_json(const struct cli_drive *dr)
{
	struct json_object *o = json_object_new_object();

	cli_json_str(o, "device", dr->device);
	cli_json_str(o, "block_device", dr->block_device);
	cli_json_str(o, "hctl", dr->hctl);
	cli_json_str(o, "vendor", dr->id.vendor);
	cli_json_str(o, "model", dr->id.product);
	cli_json_str(o, "revision", dr->id.revision);
	cli_json_str(o, "transport", dr->transport);
	if (dr->max_transfer)
		cli_json_int(o, "max_transfer", (int64_t)dr->max_transfer);
	else
		json_object_object_add(o, "max_transfer", NULL);
	cli_json_str(o, "mode", mode_str(dr));
	cli_json_str(o, "driver", dr->driver);
	if (dr->err)
		json_object_object_add(o, "error", cli_error_json(&dr->diag,
					dr->err, NULL));
	if (dr->open_err == ODF_E_ACCESS)
		cli_json_bool(o, "permission_denied", true);
	return o;
}

static struct json_object *
profiles_json(const struct odf_config *c)
{
	struct json_object *a = json_object_new_array();
	char buf[32];
	size_t i;

	for (i = 0; i < c->n_profiles && i < ODF_MAX_PROFILES; i++)
		json_object_array_add(a, json_object_new_string(
			odf_profile_name(c->profiles[i], buf, sizeof(buf))));
	return a;
}

static void
caps_lists(const struct odf_caps *c, struct json_object *rd,
	   struct json_object *wr)
{
	const struct { bool v; const char *n; } r[] = {
		{ c->cdr_read, "CD-R" }, { c->cdrw_read, "CD-RW" },
		{ c->dvdrom_read, "DVD-ROM" }, { c->dvdr_read, "DVD-R" },
		{ c->dvdram_read, "DVD-RAM" },
	}, w[] = {
		{ c->cdr_write, "CD-R" }, { c->cdrw_write, "CD-RW" },
		{ c->dvdr_write, "DVD-R" }, { c->dvdram_write, "DVD-RAM" },
	};
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (r[i].v)
			json_object_array_add(rd, json_object_new_string(r[i].n));
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (w[i].v)
			json_object_array_add(wr, json_object_new_string(w[i].n));
}

static const char *
loading_name(uint8_t m)
{
	switch (m) {
	case 0: return "caddy";
	case 1: return "tray";
	case 2: return "pop-up";
	default: return m >= 4 ? "changer" : "unknown";
	}
}

static const char *
state_name(int st)
{
	return st == 1 ? "not supported" : "error";
}

void
cli_drive_json_more(struct json_object *o, const struct cli_drive *dr,
		    const struct cli_drive_more *m)
{
	struct json_object *f = json_object_new_object();
	char buf[32];

	cli_json_str(o, "serial", dr->id.serial);
	cli_json_str(o, "family", odf_family_name(dr->id.family));
	cli_json_str(o, "target", dr->id.target);
	cli_json_str(o, "bootcode", dr->id.bootcode);
	cli_json_str(o, "variant", dr->id.variant);
	cli_json_str(o, "firmware_date", m->config_state == 0 ?
		     m->config.fw_date : NULL);

	if (m->config_state == 0) {
		cli_json_bool(f, "microcode_upgrade", m->config.microcode_upgrade);
		cli_json_bool(f, "microcode_m5", m->config.m5);
		cli_json_bool(f, "firmware_information", m->config.fw_info);
		cli_json_str(f, "current_profile", m->config.current_profile ?
			     odf_profile_name(m->config.current_profile, buf,
					      sizeof(buf)) : NULL);
		json_object_object_add(f, "profiles", profiles_json(&m->config));
	} else {
		cli_json_str(f, "configuration", state_name(m->config_state));
	}
	if (m->caps_state == 0) {
		struct json_object *rd = json_object_new_array();
		struct json_object *wr = json_object_new_array();

		caps_lists(&m->caps, rd, wr);
		json_object_object_add(f, "reads", rd);
		json_object_object_add(f, "writes", wr);
		cli_json_str(f, "loading", loading_name(m->caps.loading_mech));
		cli_json_bool(f, "eject", m->caps.eject_supported);
	} else {
		cli_json_str(f, "capabilities", state_name(m->caps_state));
	}
	json_object_object_add(o, "features", f);

	if (m->rpc_state == 0) {
		struct json_object *r = json_object_new_object();

		cli_json_bool(r, "supported", true);
		cli_json_str(r, "scheme", m->rpc.rpc_scheme == 1 ? "RPC-II" :
			     "RPC-I");
		if (m->rpc.region > 0)
			cli_json_int(r, "region", m->rpc.region);
		else
			json_object_object_add(r, "region", NULL);
		cli_json_int(r, "region_mask", m->rpc.region_mask);
		cli_json_int(r, "user_changes_left", m->rpc.user_changes);
		cli_json_int(r, "vendor_resets_left", m->rpc.vendor_resets);
		cli_json_int(r, "type_code", m->rpc.type_code);
		json_object_object_add(o, "rpc", r);
	} else {
		struct json_object *r = json_object_new_object();

		cli_json_bool(r, "supported", false);
		cli_json_str(r, "state", state_name(m->rpc_state));
		json_object_object_add(o, "rpc", r);
	}
	if (m->media_state == 0)
		cli_json_bool(o, "media_present", m->media.media_present);
	else
		json_object_object_add(o, "media_present", NULL);
}

static const char *
or_dash(const char *s)
{
	return (s != NULL && s[0]) ? s : "-";
}

void
cli_drive_print_line(FILE *f, const struct cli_drive *dr)
{
	char xfer[48] = "?";

	if (dr->max_transfer)
		snprintf(xfer, sizeof(xfer), "%" PRIu64 "K",
			 dr->max_transfer / 1024);
	if (!dr->identified) {
		cli_out(f, "%-22s %-8s %s\n", dr->device, or_dash(dr->hctl),
			dr->open_err == ODF_E_ACCESS ? "(permission denied)" :
			or_dash(dr->problem));
		return;
	}
	cli_out(f, "%-22s %-8s %-8s %-16s %-4s %-9s max %-6s %-6s %s\n",
		dr->device, or_dash(dr->hctl), or_dash(dr->id.vendor),
		or_dash(dr->id.product), or_dash(dr->id.revision),
		or_dash(dr->transport), xfer, or_dash(mode_str(dr)),
		dr->driver[0] ? dr->driver : "(no driver)");
}

void
cli_drive_print_info(FILE *f, const struct cli_drive *dr,
		     const struct cli_drive_more *m)
{
	char buf[64];
	size_t i;

	cli_out(f, "device:          %s\n", dr->device);
	if (dr->block_device[0])
		cli_out(f, "block device:    %s\n", dr->block_device);
	if (dr->hctl[0])
		cli_out(f, "hctl:            %s\n", dr->hctl);
	cli_out(f, "vendor:          %s\n", or_dash(dr->id.vendor));
	cli_out(f, "model:           %s\n", or_dash(dr->id.product));
	cli_out(f, "revision:        %s\n", or_dash(dr->id.revision));
	cli_out(f, "serial:          %s\n", or_dash(dr->id.serial));
	cli_out(f, "mode:            %s\n", or_dash(mode_str(dr)));
	cli_out(f, "driver:          %s\n",
		dr->driver[0] ? dr->driver : "none (no driver handles this "
		"drive; it can be inspected but not flashed)");
	if (dr->id.family != ODF_FAMILY_UNKNOWN)
		cli_out(f, "family:          %s\n",
			odf_family_name(dr->id.family));
	if (dr->id.target[0])
		cli_out(f, "target:          %s\n", dr->id.target);
	if (dr->id.bootcode[0])
		cli_out(f, "bootcode:        %s\n", dr->id.bootcode);
	if (dr->id.variant[0])
		cli_out(f, "variant:         %s\n", dr->id.variant);
	if (dr->id.detail[0])
		cli_out(f, "detail:          %s\n", dr->id.detail);
	cli_out(f, "transport:       %s\n", or_dash(dr->transport));
	if (dr->max_transfer)
		cli_out(f, "max transfer:    %s per command\n",
			cli_fmt_size(dr->max_transfer, buf, sizeof(buf)));
	else
		cli_out(f, "max transfer:    unknown\n");
	if (m->config_state == 0) {
		cli_out(f, "firmware date:   %s\n", or_dash(m->config.fw_date));
		cli_out(f, "microcode upgrade: %s\n",
			m->config.microcode_upgrade ?
			(m->config.m5 ? "yes (M5)" : "yes") : "no");
		cli_out(f, "profiles:       ");
		for (i = 0; i < m->config.n_profiles && i < ODF_MAX_PROFILES;
		     i++)
			cli_out(f, " %s", odf_profile_name(m->config.profiles[i],
							   buf, sizeof(buf)));
		cli_out(f, "%s\n", m->config.n_profiles ? "" : " none");
		if (m->config.current_profile)
			cli_out(f, "current profile: %s\n", odf_profile_name(
				m->config.current_profile, buf, sizeof(buf)));
	} else {
		cli_out(f, "configuration:   %s\n", state_name(m->config_state));
	}
	if (m->caps_state == 0) {
		const struct odf_caps *c = &m->caps;

		cli_out(f, "reads:          %s%s%s%s%s\n",
			c->cdr_read ? " CD-R" : "", c->cdrw_read ? " CD-RW" : "",
			c->dvdrom_read ? " DVD-ROM" : "",
			c->dvdr_read ? " DVD-R" : "",
			c->dvdram_read ? " DVD-RAM" : "");
		cli_out(f, "writes:         %s%s%s%s%s\n",
			c->cdr_write ? " CD-R" : "",
			c->cdrw_write ? " CD-RW" : "",
			c->dvdr_write ? " DVD-R" : "",
			c->dvdram_write ? " DVD-RAM" : "",
			(c->cdr_write || c->cdrw_write || c->dvdr_write ||
			 c->dvdram_write) ? "" : " none");
		cli_out(f, "loading:         %s\n",
			loading_name(c->loading_mech));
	} else {
		cli_out(f, "capabilities:    %s\n", state_name(m->caps_state));
	}
	if (m->rpc_state == 0) {
		if (m->rpc.region > 0)
			snprintf(buf, sizeof(buf), "region %d", m->rpc.region);
		else
			snprintf(buf, sizeof(buf), "%s", m->rpc.region < 0 ?
				 "several regions" : "no region set");
		cli_out(f, "region (RPC):    %s, %s, %u user changes left, "
			"%u vendor resets left\n", m->rpc.rpc_scheme == 1 ?
			"RPC-II" : "RPC-I", buf, m->rpc.user_changes,
			m->rpc.vendor_resets);
	} else {
		cli_out(f, "region (RPC):    %s\n", state_name(m->rpc_state));
	}
	if (m->media_state == 0)
		cli_out(f, "media present:   %s\n",
			m->media.media_present ? "yes" : "no");
	else
		cli_out(f, "media present:   unknown\n");
}
