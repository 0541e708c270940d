/* odflash vendor layer: the plan data structure (odf/plan.h) that every
 * driver builds and the pipeline runs.  Pure data; never touches a
 * device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/plan.h"

const char *
odf_step_kind_name(enum odf_step_kind k)
{
	switch (k) {
	case ODF_STEP_CMD: return "CMD";
	case ODF_STEP_WAIT: return "WAIT";
	case ODF_STEP_POLL_READY: return "POLL";
	case ODF_STEP_REOPEN: return "REOPEN";
	case ODF_STEP_DRAIN_UA: return "DRAIN";
	}
	return "?";
}

void
odf_plan_init(struct odf_plan *p, const char *driver)
{
	memset(p, 0, sizeof(*p));
	if (driver)
		snprintf(p->driver, sizeof(p->driver), "%s", driver);
}

void
odf_plan_release(struct odf_plan *p)
{
	if (!p)
		return;
	free(p->steps);
	free(p->data);
	p->steps = NULL;
	p->data = NULL;
	p->n = p->cap = 0;
	p->data_len = 0;
}

void
odf_plan_set_data(struct odf_plan *p, uint8_t *data, size_t len)
{
	free(p->data);
	p->data = data;
	p->data_len = len;
}

struct odf_plan_step *
odf_plan_add(struct odf_plan *p, const struct odf_plan_step *s)
{
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 64;
		struct odf_plan_step *ns = realloc(p->steps,
						   ncap * sizeof(*ns));
		if (!ns)
			return NULL;
		p->steps = ns;
		p->cap = ncap;
	}
	p->steps[p->n] = *s;
	return &p->steps[p->n++];
}

struct odf_plan_step *
odf_plan_add_cmd(struct odf_plan *p, const uint8_t *cdb, size_t cdb_len,
		 enum odf_dir dir, size_t data_off, size_t data_len,
		 unsigned timeout_ms, unsigned weight, unsigned flags,
		 const char *label)
{
	struct odf_plan_step s;

	memset(&s, 0, sizeof(s));
	s.kind = ODF_STEP_CMD;
	if (cdb_len > ODF_CDB_MAX)
		return NULL;
	memcpy(s.cdb, cdb, cdb_len);
	s.cdb_len = cdb_len;
	s.dir = dir;
	s.data_off = data_off;
	s.data_len = data_len;
	s.timeout_ms = timeout_ms;
	s.weight = weight;
	s.flags = flags;
	snprintf(s.label, sizeof(s.label), "%s", label ? label : "");
	return odf_plan_add(p, &s);
}

struct odf_plan_step *
odf_plan_add_kind(struct odf_plan *p, enum odf_step_kind k, unsigned ms,
		  unsigned weight, unsigned flags, const char *label)
{
	struct odf_plan_step s;

	memset(&s, 0, sizeof(s));
	s.kind = k;
	if (k == ODF_STEP_WAIT)
		s.wait_ms = ms;
	else
		s.timeout_ms = ms;
	s.weight = weight;
	s.flags = flags;
	snprintf(s.label, sizeof(s.label), "%s", label ? label : "");
	return odf_plan_add(p, &s);
}

int
odf_plan_set_computed(struct odf_plan *p, size_t i, size_t src,
		      odf_step_fill_fn fill)
{
	struct odf_plan_step *s, *in;

	if (!fill || i >= p->n || src >= i)
		return ODF_E_INTERNAL;
	s = &p->steps[i];
	in = &p->steps[src];
	if (s->kind != ODF_STEP_CMD || s->dir != ODF_DIR_OUT ||
	    in->kind != ODF_STEP_CMD || in->dir != ODF_DIR_IN)
		return ODF_E_INTERNAL;
	in->flags |= ODF_STEP_KEEP_IN;
	s->fill = fill;
	s->src_step = src;
	return 0;
}

int
odf_plan_check(const struct odf_plan *p, struct odf_diag *d)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct odf_plan_step *s = &p->steps[i];
		bool kept = s->dir == ODF_DIR_IN &&
			    (s->flags & ODF_STEP_KEEP_IN);

		if ((s->dir == ODF_DIR_OUT || kept) &&
		    (s->data_off > p->data_len ||
		     s->data_len > p->data_len - s->data_off))
			return odf_diag_set(d, ODF_E_INTERNAL, "plan step %zu "
					    "reads past its data", i + 1);
		if (s->image_bytes &&
		    (s->kind != ODF_STEP_CMD || s->dir == ODF_DIR_IN ||
		     s->image_bytes > (s->dir == ODF_DIR_OUT ? s->data_len :
				       s->cdb_len)))
			return odf_diag_set(d, ODF_E_INTERNAL, "plan step %zu "
					    "claims %zu image bytes, more than "
					    "it sends", i + 1, s->image_bytes);
		if (s->fill &&
		    (s->dir != ODF_DIR_OUT || s->src_step >= i ||
		     p->steps[s->src_step].kind != ODF_STEP_CMD ||
		     p->steps[s->src_step].dir != ODF_DIR_IN ||
		     !(p->steps[s->src_step].flags & ODF_STEP_KEEP_IN)))
			return odf_diag_set(d, ODF_E_INTERNAL, "plan step %zu "
					    "is computed from step %zu, which "
					    "is not an earlier kept data-in "
					    "step", i + 1, s->src_step + 1);
	}
	return 0;
}

uint64_t
odf_plan_image_bytes(const struct odf_plan *p)
{
	uint64_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		if (!(p->steps[i].flags & ODF_STEP_FAILURE_ONLY))
			n += p->steps[i].image_bytes;
	return n;
}

unsigned
odf_plan_total_weight(const struct odf_plan *p)
{
	unsigned w = 0;

	for (size_t i = 0; i < p->n; i++)
		w += p->steps[i].weight;
	return w;
}

size_t
odf_plan_ponr(const struct odf_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].flags & ODF_STEP_PONR)
			return i;
	return p->n;
}

size_t
odf_plan_commands(const struct odf_plan *p)
{
	size_t c = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == ODF_STEP_CMD)
			c++;
	return c;
}

int
odf_plan_choose_chunk(size_t align, size_t proto_max,
		      const struct odf_path_limits *lim, size_t *chunk,
		      struct odf_diag *d)
{
	size_t c = proto_max;

	if (align == 0 || proto_max < align)
		return odf_diag_set(d, ODF_E_INTERNAL,
				    "bad chunk constraints (align %zu, max %zu)",
				    align, proto_max);
	if (lim && lim->forced_chunk) {
		if (lim->forced_chunk % align != 0) {
			odf_diag_reason(d, ODF_R_CHUNK_REFUSED);
			odf_diag_fact_bytes(d, lim->forced_chunk, align);
			odf_diag_set(d, ODF_E_USAGE,
				     "a chunk of %zu bytes is not a multiple "
				     "of %zu bytes, the unit this protocol "
				     "transfers", lim->forced_chunk, align);
			return ODF_E_USAGE;
		}
		if (lim->forced_chunk < c)
			c = lim->forced_chunk;
	}
	if (lim && lim->max_transfer && lim->max_transfer < c)
		c = lim->max_transfer;
	c -= c % align;
	if (c == 0) {
		odf_diag_set(d, ODF_E_PATH,
			     "the path to the drive carries at most %zu bytes "
			     "per command, but this protocol cannot send less "
			     "than %zu",
			     lim ? lim->max_transfer : (size_t)0, align);
		odf_diag_reason(d, ODF_R_BRIDGE_CAP);
		odf_diag_fact_bytes(d, align, lim ? lim->max_transfer : 0);
		return ODF_E_PATH;
	}
	*chunk = c;
	return 0;
}
