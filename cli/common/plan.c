/* odflash: a plan's steps in the command line's words (--dry-run's plan
 * lines and the JSON "sends").  The library gives a step as data (odf/
 * plan.h: kind, CDB, direction, data slice, timeout, flags, the step its
 * data is computed from); the words are odflash's. */
#include <stdio.h>

#include "cli.h"

/* What a step other than CMD sends (the executor's own commands, not in
 * odf_plan_commands' count): lib/session/exec.c run_step, and odf/plan.h
 * enum odf_step_kind. */
const char *
cli_step_sends(enum odf_step_kind k)
{
	switch (k) {
	case ODF_STEP_POLL_READY:
		return "TEST UNIT READY until ready";
	case ODF_STEP_DRAIN_UA:
		return "TEST UNIT READY until no unit attention";
	case ODF_STEP_REOPEN:
		return "then INQUIRY, INQUIRY VPD 00h/80h: the same drive?";
	case ODF_STEP_CMD:
	case ODF_STEP_WAIT:
		break;
	}
	return "";
}

const char *
cli_step_cdb(const struct odf_plan_step *s, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t k = 0; k < s->cdb_len && o < len; k++)
		o += (size_t)snprintf(buf + o, len - o, "%s%02X", k ? " " : "",
				      s->cdb[k]);
	return buf;
}

void
cli_step_line(const struct odf_plan *p, size_t i, char *buf, size_t len)
{
	const struct odf_plan_step *s;
	char hex[ODF_CDB_MAX * 3 + 1];
	const char *dir = "-", *sends;
	char from[40] = "", br[64] = "";

	if (len == 0)
		return;
	buf[0] = '\0';
	if (i >= p->n)
		return;
	s = &p->steps[i];
	cli_step_cdb(s, hex, sizeof(hex));
	if (s->dir == ODF_DIR_IN)
		dir = "IN";
	else if (s->dir == ODF_DIR_OUT)
		dir = "OUT";
	if (s->fill)
		snprintf(from, sizeof(from), " (computed from step %zu)",
			 s->src_step + 1);
	else if (s->flags & ODF_STEP_KEEP_IN)
		snprintf(from, sizeof(from), " (kept)");
	sends = cli_step_sends(s->kind);
	if (sends[0])
		snprintf(br, sizeof(br), " [%s]", sends);
	if (s->kind == ODF_STEP_CMD)
		snprintf(buf, len, "%4zu %-6s %-35s %-3s %6zu @0x%06zx t=%us%s%s%s%s%s  %s",
			 i + 1, odf_step_kind_name(s->kind), hex, dir,
			 s->data_len, s->data_off, s->timeout_ms / 1000,
			 (s->flags & ODF_STEP_PONR) ? " [point of no return]" : "",
			 (s->flags & ODF_STEP_MAY_REBOOT) ? " [may reboot]" : "",
			 (s->flags & ODF_STEP_FAILURE_ONLY) ?
			 " [only after a failure]" :
			 (s->flags & ODF_STEP_CLEANUP) ? " [cleanup]" : "",
			 (s->flags & ODF_STEP_BOOTBLOCK) ? " [BOOTCODE]" : "",
			 from, s->label);
	else
		snprintf(buf, len, "%4zu %-6s %ums%s%s  %s", i + 1,
			 odf_step_kind_name(s->kind),
			 s->kind == ODF_STEP_WAIT ? s->wait_ms : s->timeout_ms,
			 br, (s->flags & ODF_STEP_FATAL_SENSE) ?
				 " [stops on a fatal sense]" : "",
			 s->label);
}
