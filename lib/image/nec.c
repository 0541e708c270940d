/* odflash image library: NEC / Optiarc firmware files.
 *
 * Facts (all from Liggy/binflash@5cfb543 necinterface.cpp / necinternal.cpp,
 * summarised in docs/internals/protocols.md §2; "[inferred]" marks our own
 * decisions where the source does not say):
 *  - A file is one or more "chunks" back to back.  Each chunk ends with the
 *    4-character ASCII drive ID ("K350"), optionally followed by 2 ASCII
 *    bootcode characters (the two after "0." in the safe-mode INQUIRY
 *    revision, "0.05" -> "05").  binflash parses chunks backwards from the
 *    end of the file (ReadFirmware); so do we.  Part 0 is the last chunk.
 *  - Chunk sizes (base / +2 with bootcode): 640K 634888/634890, 768K
 *    753668/753670, 1M 1024004/1024006, 2M 1966086/1966088, Opti/Opti2
 *    1835014/1835016, Opti3/Opti4 1769478/1769480; Optiarc BD 1901058
 *    with the ID at offset 0x42 instead of the end (GetDriveTypeFromBuffer).
 *  - INQUIRY strings inside the image: pattern 07 00 03 00 78 00 78 00 78
 *    00, vendor[8] product[16] revision[4] at +394 (IdentifyFirmware).
 *  - Checksum: 16-bit sum of big-endian 16-bit words, stored big-endian.
 *
 * Our payload ("what is flashed", odf_image_data) is the chunk without
 * its trailing ID/bootcode.  Per size class (payload length, where the
 * checksum word is stored, which bytes are summed):
 *   1M:     0xFA000 bytes (flash 0x6000..0xFFFFF); word at 0xF9FFE, the
 *           last word of the payload (Flash1M sends image[0xF9FFE..F] as
 *           the checksum, binflash trace); summed: words of 0..0xF9FFD
 *           [inferred: the source forwards the word, never computes it].
 *   768K:   0xB8000 bytes (dump range 0x8000..0xBFFFF); word at 0xB7FFE,
 *           summed 0..0xB7FFD [inferred by analogy with 1M].
 *   640K:   0x9B004 bytes (dump ranges 0x5000..0x7FFFF + bank 1
 *           0x240000..0x25FFFF = 0x9B000, then 4 bytes); word at 0x9B000,
 *           summed 0..0x9AFFF; 0x9B002..3 reserved [inferred].
 *   2M:     0x1E0002 bytes: body 0x1E0000, word at 0x1E0000 right after
 *           it, summed 0..0x1DFFFF (binflash: "stored right after the
 *           image", Flash2M sends file[0x1E0000..1]).
 *   Opti:   0x1C0002: body 0x1C0000 + word at 0x1C0000 (same rule).
 *   Opti3/4:0x1B0002: body 0x1B0000 + word at 0x1B0000 (Flash2MOpti4's
 *           final checksum is file[0x1B0000]).
 *   BD:     the whole 1901058-byte file (ID at 0x42 is inside): 0x200
 *           header, body 0x200..0x1D01FF, word at 0x1D0200 = sum of the
 *           body's words [inferred: 1901058 = 0x200 + 0x1D0000 + 2].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/platform.h"

enum nec_class { NC_640K, NC_768K, NC_1M, NC_2M, NC_OPTI, NC_OPTI3, NC_BD,
		 NC_COUNT, NC_ANY = -1 };

static const struct nec_layout {
	const char *name;
	size_t payload;		/* bytes before the tail ID */
	size_t sum_from, sum_to;	/* words summed: [from, to) */
	size_t csum_off;	/* where the BE16 word is stored */
	bool tail_id;		/* ID at the end (else at 0x42) */
} layouts[NC_COUNT] = {
	[NC_640K] = { "640 KiB", 0x9B004, 0, 0x9B000, 0x9B000, true },
	[NC_768K] = { "768 KiB", 0xB8000, 0, 0xB7FFE, 0xB7FFE, true },
	[NC_1M] = { "1 MiB", 0xFA000, 0, 0xF9FFE, 0xF9FFE, true },
	[NC_2M] = { "2 MiB", 0x1E0002, 0, 0x1E0000, 0x1E0000, true },
	[NC_OPTI] = { "Optiarc 1.75 MiB", 0x1C0002, 0, 0x1C0000, 0x1C0000,
		      true },
	[NC_OPTI3] = { "Optiarc 1.69 MiB", 0x1B0002, 0, 0x1B0000, 0x1B0000,
		       true },
	[NC_BD] = { "Optiarc BD 1.9 MiB", 1901058, 0x200, 0x1D0200, 0x1D0200,
		    false },
};
#define BD_ID_OFF 0x42

/* Drive IDs.  Alias groups and families: binflash IdentifyDrive /
 * GetDriveID (K310/K350/K345 = ND-3500A/3450A; K312/K352 = 3520A; K313/
 * K353 = 3530A; K314/K354 = 3540A; L211/L251 = 6650A; K210/K250/K251 =
 * K2; K100/K110/K111/K130/A110 = K1; L110/L130 = L1; L210/L250/L245 = L2;
 * K315/K355 = 3550A; D570/D530/K380/K340 = AD-5170A; D770/D730/K480/
 * K440 = AD-7170A), docs/internals/protocols.md §2.2.  The first ID of a
 * group is its canonical one (the safe-mode ID binflash sends: "K310"
 * for every 3500A alias).  Classes: the 1 MiB family is K2, K350, K352,
 * K353, K354, L251 (§2.4); Flash2M is 3550/4550/7550; Opti is
 * x17x/x20x; Opti3/4 is x24x/x28x; C5xx/C6xx/B5xx/B74A are BD (ID read
 * at 0x7000).  NC_ANY: the class is not stated in the sources and comes
 * from the file size.  "Reverse ATA" IDs (L11R, L21R, LY1R) occur only in
 * files (§2.2). */
static const struct nec_id {
	const char *id;
	const char *canon;
	const char *model;
	int cls;
	bool laptop;
} ids[] = {
	{ "K100", "K100", "ND-1x00A (K1)", NC_ANY, false },
	{ "K110", "K100", "ND-1x00A (K1)", NC_ANY, false },
	{ "K111", "K100", "ND-1x00A (K1)", NC_ANY, false },
	{ "K130", "K100", "ND-1x00A (K1)", NC_ANY, false },
	{ "A110", "K100", "ND-1x00A (K1)", NC_ANY, false },
	{ "L110", "L110", "ND-5x00A (L1)", NC_ANY, true },
	{ "L130", "L110", "ND-5x00A (L1)", NC_ANY, true },
	{ "L210", "L210", "ND-6x00A (L2)", NC_ANY, true },
	{ "L250", "L210", "ND-6x00A (L2)", NC_ANY, true },
	{ "L245", "L210", "ND-6x00A (L2)", NC_ANY, true },
	{ "K210", "K210", "ND-2x00A (K2)", NC_1M, false },
	{ "K250", "K210", "ND-2x00A (K2)", NC_1M, false },
	{ "K251", "K210", "ND-2x00A (K2)", NC_1M, false },
	{ "K310", "K310", "ND-3500A/3450A", NC_1M, false },
	{ "K350", "K310", "ND-3500A/3450A", NC_1M, false },
	{ "K345", "K310", "ND-3500A/3450A", NC_1M, false },
	{ "K312", "K312", "ND-3520A", NC_1M, false },
	{ "K352", "K312", "ND-3520A", NC_1M, false },
	{ "K313", "K313", "ND-3530A", NC_1M, false },
	{ "K353", "K313", "ND-3530A", NC_1M, false },
	{ "K314", "K314", "ND-3540A", NC_1M, false },
	{ "K354", "K314", "ND-3540A", NC_1M, false },
	{ "L211", "L211", "ND-6650A", NC_1M, true },
	{ "L251", "L211", "ND-6650A", NC_1M, true },
	{ "K315", "K315", "ND-3550A", NC_2M, false },
	{ "K355", "K315", "ND-3550A", NC_2M, false },
	{ "D355", "D355", "ND-3550A (D355)", NC_2M, false },
	{ "K365", "K365", "ND-3650A/4650A", NC_ANY, false },
	{ "K460", "K460", "ND-4x50A", NC_ANY, false },
	{ "K370", "K370", "ND-3570A", NC_ANY, false },
	{ "K371", "K371", "ND-3571A", NC_ANY, false },
	{ "K470", "K470", "ND-4570A", NC_ANY, false },
	{ "K471", "K471", "ND-4571A", NC_ANY, false },
	{ "D570", "D570", "AD-5170A", NC_OPTI, false },
	{ "D530", "D570", "AD-5170A", NC_OPTI, false },
	{ "K380", "D570", "AD-5170A", NC_OPTI, false },
	{ "K340", "D570", "AD-5170A", NC_OPTI, false },
	{ "D57D", "D57D", "AD-5170A (D57D)", NC_OPTI, false },
	{ "D770", "D770", "AD-7170A", NC_OPTI, false },
	{ "D730", "D770", "AD-7170A", NC_OPTI, false },
	{ "K480", "D770", "AD-7170A", NC_OPTI, false },
	{ "K440", "D770", "AD-7170A", NC_OPTI, false },
	{ "Q230", "Q230", "AD-7230 (x23x)", NC_ANY, false },
	{ "Q245", "Q245", "AD-7240 (x24x)", NC_OPTI3, false },
	{ "G288", "G288", "AD-7280 (x28x)", NC_OPTI3, false },
	{ "P245", "P245", "Lite-On iHAS x24", NC_ANY, false },
	{ "P246", "P246", "Lite-On iHAS x24", NC_ANY, false },
	{ "P248", "P248", "Lite-On iHAS x24", NC_ANY, false },
	{ "M110", "M110", "HR-1100A", NC_ANY, false },
	{ "C500", "C500", "Optiarc BD combo", NC_BD, false },
	{ "C505", "C505", "Optiarc BD combo", NC_BD, false },
	{ "C600", "C600", "Optiarc BD combo", NC_BD, false },
	{ "C605", "C605", "Optiarc BD combo", NC_BD, false },
	{ "C64A", "C64A", "Optiarc BD combo", NC_BD, false },
	{ "B530", "B530", "Optiarc BD combo", NC_BD, false },
	{ "B535", "B535", "Optiarc BD combo", NC_BD, false },
	{ "B74A", "B74A", "Optiarc BD combo", NC_BD, false },
	{ "L11R", "L11R", "reverse-ATA notebook (file only)", NC_ANY, true },
	{ "L21R", "L21R", "reverse-ATA notebook (file only)", NC_ANY, true },
	{ "LY1R", "LY1R", "reverse-ATA notebook (file only)", NC_ANY, true },
};
#define NIDS (sizeof(ids) / sizeof(ids[0]))

static const uint8_t inq_pattern[10] = { 0x07, 0x00, 0x03, 0x00, 0x78,
					 0x00, 0x78, 0x00, 0x78, 0x00 };
#define INQ_STR_OFF 394

static const struct nec_id *
lookup(const char *id4)
{
	for (size_t i = 0; i < NIDS; i++)
		if (strncmp(ids[i].id, id4, 4) == 0)
			return &ids[i];
	return NULL;
}

const char *
odfi_nec_canonical(const char *id, const char **model)
{
	const struct nec_id *e = (id && strlen(id) == 4) ? lookup(id) : NULL;

	if (model)
		*model = e ? e->model : NULL;
	return e ? e->canon : id;
}

const char *
odfi_nec_class_of(const char *id)
{
	const struct nec_id *e = (id && strlen(id) == 4) ? lookup(id) : NULL;

	if (e == NULL || e->cls == NC_ANY)
		return NULL;
	return layouts[e->cls].name;
}

/* Plausible drive ID: letter, then 3 of [0-9A-Z]. */
static bool
id_plausible(const uint8_t *p)
{
	if (p[0] < 'A' || p[0] > 'Z')
		return false;
	for (int i = 1; i < 4; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		      (p[i] >= 'A' && p[i] <= 'Z')))
			return false;
	return true;
}

static bool
boot_plausible(const uint8_t *p)
{
	for (int i = 0; i < 2; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		      (p[i] >= 'A' && p[i] <= 'Z')))
			return false;
	return true;
}

static int
class_of_payload(size_t len)
{
	for (int c = 0; c < NC_COUNT; c++)
		if (layouts[c].payload == len)
			return c;
	return NC_ANY;
}

static void
inquiry_strings(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	const uint8_t *q = p, *end = p + len;

	while ((size_t)(end - q) >= sizeof(inq_pattern)) {
		const uint8_t *m = memmem(q, (size_t)(end - q), inq_pattern,
					  sizeof(inq_pattern));
		if (m == NULL)
			return;
		if ((size_t)(end - m) >= INQ_STR_OFF + 28) {
			odf_str_trim(in->vendor, sizeof(in->vendor),
				 m + INQ_STR_OFF, 8, ODF_STR_MARK);
			odf_str_trim(in->product, sizeof(in->product),
				 m + INQ_STR_OFF + 8, 16, ODF_STR_MARK);
			odf_str_trim(in->revision, sizeof(in->revision),
				 m + INQ_STR_OFF + 24, 4, ODF_STR_MARK);
			snprintf(in->version, sizeof(in->version), "%s",
				 in->revision);
			snprintf(in->oem, sizeof(in->oem), "%s", in->vendor);
			return;
		}
		q = m + 1;
	}
}

static void
payload_checksum(int cls, const uint8_t *p, struct odf_image_info *in)
{
	const struct nec_layout *l = &layouts[cls];
	uint16_t sum = odf_sum_be16(p + l->sum_from,
					   l->sum_to - l->sum_from);

	odfi_set_checksum(&in->checksum, 16, l->csum_off,
			  odf_be16(p + l->csum_off), sum);
}

/* Describe a payload of a known class; id/boot may be NULL. */
static void
describe_payload(int cls, const uint8_t *p, const uint8_t *id,
		 const uint8_t *boot, struct odf_image_info *in)
{
	odfi_info_common(in, ODF_FAMILY_NEC, p, layouts[cls].payload);
	if (cls == NC_BD)
		id = p + BD_ID_OFF;
	if (id) {
		const struct nec_id *e = lookup((const char *)id);
		memcpy(in->target, id, 4);
		in->target[4] = 0;
		snprintf(in->note, sizeof(in->note), "NEC/Optiarc %s image%s%s",
			 layouts[cls].name, e ? ", " : ", ID not in our table",
			 e ? e->model : "");
	} else {
		snprintf(in->note, sizeof(in->note), "NEC/Optiarc %s image",
			 layouts[cls].name);
	}
	if (boot) {
		in->bootcode[0] = (char)boot[0];
		in->bootcode[1] = (char)boot[1];
		in->bootcode[2] = 0;
	}
	inquiry_strings(p, layouts[cls].payload, in);
	payload_checksum(cls, p, in);
}

static int
nec_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	int cls = class_of_payload(len);

	if (cls == NC_ANY)
		return ODF_E_FORMAT;
	if (cls == NC_BD && !id_plausible(p + BD_ID_OFF))
		return ODF_E_FORMAT;
	describe_payload(cls, p, NULL, NULL, in);
	return 0;
}

static bool
boundary_ok(const uint8_t *buf, size_t start)
{
	if (start == 0)
		return true;
	if (start >= 4 && id_plausible(buf + start - 4))
		return true;
	return start >= 6 && id_plausible(buf + start - 6) &&
	       boot_plausible(buf + start - 2);
}

/* The smallest chunk chunk_at takes: the smallest tail-ID payload with
 * its 4-byte ID, or a BD image. */
static size_t
min_chunk(void)
{
	size_t m = layouts[NC_BD].payload;

	for (int c = 0; c < NC_COUNT; c++)
		if (layouts[c].tail_id && layouts[c].payload + 4 < m)
			m = layouts[c].payload + 4;
	return m;
}

/* One chunk ending at `end`: returns its start or SIZE_MAX. */
static size_t
chunk_at(const uint8_t *buf, size_t end, bool only_whole,
	 struct odfi_part *pt)
{
	for (int tail = 4; tail <= 6; tail += 2) {
		const uint8_t *id, *boot;
		const struct nec_id *e;

		if (end < (size_t)tail)
			break;
		id = buf + end - tail;
		boot = tail == 6 ? buf + end - 2 : NULL;
		if (!id_plausible(id) || (boot && !boot_plausible(boot)))
			continue;
		e = lookup((const char *)id);
		for (int c = 0; c < NC_COUNT; c++) {
			size_t chunk;
			if (!layouts[c].tail_id)
				continue;
			if (e && e->cls != NC_ANY && e->cls != c)
				continue;
			chunk = layouts[c].payload + (size_t)tail;
			if (chunk > end)
				continue;
			if ((e == NULL || only_whole) && chunk != end)
				continue;
			/* an ID whose class the sources do not give: the
			 * chunk must start the file or follow another one */
			if (e && e->cls == NC_ANY && chunk != end &&
			    !boundary_ok(buf, end - chunk))
				continue;
			memset(pt, 0, sizeof(*pt));
			pt->off = end - chunk;
			pt->len = layouts[c].payload;
			describe_payload(c, buf + pt->off, id, boot, &pt->info);
			return pt->off;
		}
	}
	if (end >= layouts[NC_BD].payload) {
		size_t s = end - layouts[NC_BD].payload;
		const uint8_t *id = buf + s + BD_ID_OFF;
		const struct nec_id *e = lookup((const char *)id);
		if (id_plausible(id) && (s == 0 || (e && e->cls == NC_BD)) &&
		    (!only_whole || s == 0)) {
			memset(pt, 0, sizeof(*pt));
			pt->off = s;
			pt->len = layouts[NC_BD].payload;
			describe_payload(NC_BD, buf + s, NULL, NULL, &pt->info);
			return s;
		}
	}
	return SIZE_MAX;
}

static int
nec_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	   struct odf_diag *d)
{
	size_t end = len;

	memset(f, 0, sizeof(*f));
	while (end > 0 && f->n < ODFI_MAX_PARTS) {
		size_t s = chunk_at(buf, end, false, &f->part[f->n]);
		if (s == SIZE_MAX)
			break;
		f->n++;
		end = s;
	}
	if (f->n > 0) {
		if (end > 0)
			for (size_t i = 0; i < f->n; i++) {
				size_t l = strlen(f->part[i].info.note);
				snprintf(f->part[i].info.note + l,
					 sizeof(f->part[i].info.note) - l,
					 "; %zu unrecognised bytes at the "
					 "start of the file", end);
			}
		if (f->n > 1)
			for (size_t i = 0; i < f->n; i++) {
				size_t l = strlen(f->part[i].info.note);
				snprintf(f->part[i].info.note + l,
					 sizeof(f->part[i].info.note) - l,
					 "; firmware %zu of %zu in the file",
					 f->n - i, f->n);
			}
		return 1;
	}
	/* Not a whole NEC file.  Say "truncated" when it clearly is one: a
	 * known ID at the end, or the INQUIRY block pattern inside. */
	{
		const struct nec_id *e = len >= 4 ?
			lookup((const char *)buf + len - 4) : NULL;
		const struct nec_id *e6 = len >= 6 ?
			lookup((const char *)buf + len - 6) : NULL;
		bool pat = memmem(buf, len, inq_pattern,
				  sizeof(inq_pattern)) != NULL;
		int cls = NC_ANY;
		size_t want = 0;
		/* bootcode bytes after the ID: 0 or 2 when the ID is still
		 * at the end, unknown (-1) when the cut took it */
		int boot = e ? 0 : e6 ? 2 : -1;

		if (e6 && !e)
			e = e6;
		if (e && e->cls != NC_ANY)
			cls = e->cls;
		if (cls == NC_ANY && (e || pat)) {
			/* smallest class the file does not fill */
			for (int c = 0; c < NC_COUNT; c++) {
				size_t w = layouts[c].payload +
					   (layouts[c].tail_id ? 4 : 0);
				if (w > len && (want == 0 || w < want)) {
					want = w;
					cls = c;
				}
			}
		} else if (cls != NC_ANY) {
			want = layouts[cls].payload +
			       (layouts[cls].tail_id ? 4 : 0);
		}
		if (cls == NC_ANY)
			return 0;
		if (want > 0 && boot == 2 && layouts[cls].tail_id)
			want += 2;
		if (want > len && boot < 0 && layouts[cls].tail_id) {
			odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
			odf_diag_fact_bytes(d, len, want);
			return odf_diag_set(d, ODF_E_TRUNCATED,
					    "truncated: %zu bytes expected for an "
					    "NEC %s image (%zu with a bootcode), "
					    "%zu present, %zu missing (%zu with a "
					    "bootcode)", want, layouts[cls].name,
					    want + 2, len, want - len,
					    want + 2 - len);
		}
		if (want > len) {
			odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
			odf_diag_fact_bytes(d, len, want);
			return odf_diag_set(d, ODF_E_TRUNCATED,
					    "truncated: %zu bytes expected for an "
					    "NEC %s image, %zu present, %zu "
					    "missing", want, layouts[cls].name,
					    len, want - len);
		}
		return odf_diag_set(d, ODF_E_FORMAT,
				    "NEC firmware with ID %.4s has the wrong "
				    "size: %zu bytes, an NEC %s image is %zu "
				    "(or %zu with bootcode)",
				    e ? e->id : "?", len, layouts[cls].name,
				    want, want + 2);
	}
}

/* Find an NEC chunk inside an updater: a known ID whose chunk contains
 * the INQUIRY block pattern.  A file without the pattern anywhere has no
 * such chunk: one scan answers, not one per known ID (the fuzz target
 * "nec" ran at 15 inputs/s on 1 MiB files for these scans). */
static int
nec_find(const uint8_t *buf, size_t len, size_t *off, size_t *plen)
{
	size_t least = min_chunk();

	/* chunk_at takes no chunk ending before `least`: a smaller file
	 * has none, and an ID (4 bytes, then 0 or 2 of bootcode) that ends
	 * one starts at least - 6 or later (the fuzz target "all" spent a
	 * third of its time in these scans on its 64 KiB inputs) */
	if (len < least ||
	    memmem(buf, len, inq_pattern, sizeof(inq_pattern)) == NULL)
		return 0;
	for (size_t i = 0; i < NIDS; i++) {
		const uint8_t *q = buf + least - 6;
		while (q < buf + len) {
			const uint8_t *m = memmem(q, (size_t)(buf + len - q),
						  ids[i].id, 4);
			struct odfi_part pt;
			if (m == NULL)
				break;
			for (size_t t = 4; t <= 6; t += 2) {
				size_t end = (size_t)(m - buf) + t;
				size_t s;
				if (end > len)
					continue;
				s = chunk_at(buf, end, false, &pt);
				if (s != SIZE_MAX &&
				    memmem(buf + s, end - s, inq_pattern,
					   sizeof(inq_pattern))) {
					*off = s;
					*plen = end - s;
					return 1;
				}
			}
			q = m + 1;
		}
	}
	return 0;
}

static int
nec_fix(uint8_t *p, size_t len, struct odf_diag *d)
{
	int cls = class_of_payload(len);
	const struct nec_layout *l;

	if (cls == NC_ANY)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%zu bytes is not an NEC payload size", len);
	l = &layouts[cls];
	odf_put_be16(p + l->csum_off,
		     odf_sum_be16(p + l->sum_from, l->sum_to - l->sum_from));
	return 0;
}

static int
nec_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	  struct odf_diag *d)
{
	const struct nec_id *e;
	int cls = NC_ANY;
	size_t total, inq;
	uint8_t *b;
	bool boot;

	if (s->target == NULL || strlen(s->target) != 4 ||
	    !id_plausible((const uint8_t *)s->target))
		return odf_diag_set(d, ODF_E_USAGE,
				    "an NEC image needs a 4-character drive ID "
				    "(\"K350\"), got '%s'",
				    s->target ? s->target : "(none)");
	e = lookup(s->target);
	if (s->size) {
		cls = class_of_payload(s->size);
		for (int c = 0; cls == NC_ANY && c < NC_COUNT; c++)
			if (layouts[c].payload + 4 == s->size ||
			    layouts[c].payload + 6 == s->size)
				cls = c;
		if (cls == NC_ANY)
			return odf_diag_set(d, ODF_E_USAGE,
					    "%zu bytes is not an NEC image size",
					    s->size);
	} else if (e && e->cls != NC_ANY) {
		cls = e->cls;
	} else {
		cls = NC_1M;
	}
	if (s->bootcode && (strlen(s->bootcode) != 2 ||
			    !boot_plausible((const uint8_t *)s->bootcode)))
		return odf_diag_set(d, ODF_E_USAGE,
				    "NEC bootcode is 2 characters (\"05\"), got "
				    "'%s'", s->bootcode);
	boot = s->bootcode != NULL && layouts[cls].tail_id;
	total = layouts[cls].payload +
		(layouts[cls].tail_id ? (boot ? 6 : 4) : 0);
	b = odfi_alloc(total, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, layouts[cls].payload, s->seed);
	/* Keep random filler from forming a second INQUIRY pattern or a
	 * plausible ID in front of the real ones: the filler never has
	 * 0x07 0x00 0x03 by chance often, but be exact: clear the pattern's
	 * first byte wherever it occurs. */
	for (size_t i = 0; i + sizeof(inq_pattern) <= layouts[cls].payload;
	     i++)
		if (b[i] == 0x07 && memcmp(b + i, inq_pattern,
					   sizeof(inq_pattern)) == 0)
			b[i] = 0;
	inq = (cls == NC_BD ? 0x400 : 0x1000);
	memcpy(b + inq, inq_pattern, sizeof(inq_pattern));
	odfi_put_inquiry(b + inq + INQ_STR_OFF, s, "_NEC",
			 e ? e->model : "DVD_RW", "1.00");
	if (cls == NC_BD)
		memcpy(b + BD_ID_OFF, s->target, 4);
	nec_fix(b, layouts[cls].payload, NULL);
	if (layouts[cls].tail_id) {
		memcpy(b + layouts[cls].payload, s->target, 4);
		if (boot)
			memcpy(b + layouts[cls].payload + 4, s->bootcode, 2);
	}
	*out = b;
	*len = total;
	return 0;
}

const struct odfi_family_ops odfi_nec_ops = {
	.family = ODF_FAMILY_NEC,
	.detect = nec_detect,
	.find = nec_find,
	.inspect = nec_inspect,
	.fix = nec_fix,
	.build = nec_build,
};

const char *
odf_nec_alias(const char *id, const char **model)
{
	return odfi_nec_canonical(id, model);
}
