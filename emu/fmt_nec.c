/* odemu: NEC / Optiarc firmware files, as binflash reads them.
 *
 * Sources (facts, not code): Liggy/binflash@5cfb543
 *  - necinterface.cpp:NECDRIVE::ReadFirmware: the file is walked from its
 *    end; the last 6 bytes are read, the drive ID is tried at the last 4
 *    (no bootcode), else at the 4 before the last 2 (which are the
 *    bootcode characters); the chunk size follows from the drive's flash
 *    size class (1M 1024004, 2M 1966086, Opti 1835014, + 2 with a
 *    bootcode), and the walk goes on before that chunk.  The chunk chosen
 *    is the first one seen, replaced by one for the requested drive, and
 *    by one with the requested bootcode (or none).
 *  - necinterface.cpp:NECDRIVE::GetDriveTypeFromBuffer: the ID lies at
 *    0xFA000 (1M), 0x1E0002 (2M), 0x1C0002 (Opti) of a chunk: the 2 MiB
 *    families keep 2 more bytes (the checksum word Flash2M/Flash2MOpti
 *    send, file[0x1E0000] / file[0x1C0000]) after the region.
 *  - necinterface.cpp:NECDRIVE::IdentifyFirmware: the INQUIRY strings.
 * The emulator knows one size class per model (its region length), so a
 * chunk whose ID is not the model's ends the walk (INFERRED: binflash
 * knows every ID's class; a file mixing drives of other classes before
 * ours is not read here).
 */
#include <string.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"

static void
put_trim(char *dst, size_t dstsz, const uint8_t *src, size_t n)
{
	size_t l = 0;

	while (l < n && l + 1 < dstsz && src[l] != 0)
		l++;
	memcpy(dst, src, l);
	while (l > 0 && dst[l - 1] == ' ')
		l--;
	dst[l] = 0;
}

bool
odemu_nec_inquiry(const uint8_t *fw, size_t n, char vendor[9],
		  char product[17], char revision[5])
{
	static const uint8_t pat[10] = { 0x07, 0x00, 0x03, 0x00, 0x78, 0x00,
					 0x78, 0x00, 0x78, 0x00 };
	/* IdentifyFirmware copies vendor 8, identification 16, revision 4
	 * (and 20 more "specific" bytes) from +394 */
	const size_t need = 394 + 8 + 16 + 4;

	if (n < need)
		return false;
	for (size_t i = 0; i + need <= n; i++) {
		if (memcmp(fw + i, pat, sizeof(pat)) != 0)
			continue;
		put_trim(vendor, 9, fw + i + 394, 8);
		put_trim(product, 17, fw + i + 394 + 8, 16);
		put_trim(revision, 5, fw + i + 394 + 24, 4);
		return true;
	}
	return false;
}

static bool
is_id(const struct odemu_model *m, const uint8_t *p)
{
	return memcmp(p, m->target, 4) == 0 ||
	       (m->safe_id && memcmp(p, m->safe_id, 4) == 0);
}

int
odemu_nec_pick(const struct odemu_model *m, const uint8_t *file, size_t len,
	       const uint8_t **fw, size_t *fw_len)
{
	/* the region, the checksum word of the 2 MiB families, the ID */
	size_t body = m->fw_len + (m->chk_inside ? 0u : 2u);
	size_t base = body + 4;
	size_t end = len;
	bool found = false, best_bc = false;

	while (end >= 6) {
		const uint8_t *t = file + end - 6;
		size_t chunk;
		bool bc_ok;

		if (is_id(m, t + 2)) {
			chunk = base;		/* no bootcode: always taken */
			bc_ok = true;
		} else if (is_id(m, t)) {
			chunk = base + 2;
			bc_ok = !m->bootcode || memcmp(t + 4, m->bootcode, 2) == 0;
		} else {
			break;
		}
		if (chunk > end)
			break;
		if (!found || (!best_bc && bc_ok)) {
			*fw = file + end - chunk;
			*fw_len = body;
			found = true;
			best_bc = bc_ok;
		}
		end -= chunk;
	}
	return found ? 0 : -1;
}

/* A file as binflash's DumpFirmware leaves it for model m (necinterface.cpp
 * DumpFirmware writes the flashed region, then the drive ID it got from
 * GetDriveID -- the safe-mode ID, "K310" for a K350 drive,
 * necinternal.cpp:GetDriveID --, and ReadFirmware takes 2 bootcode
 * characters after the ID): the region with the INQUIRY block where
 * IdentifyFirmware looks (the pattern, strings at +394; placed at 0x1000,
 * an emulator convention), its checksum word (a 16-bit sum of the
 * region's big-endian words: the last word of the region for the 1 MiB
 * family, which Flash1M sends from image[0xF9FFE]; the word right after
 * the region for Flash2M / Flash2MOpti, file[0x1E0000] / file[0x1C0000]),
 * then the ID and the bootcode.  The first byte is the model's dump ID
 * when it has one (FirmwareID.xlsx "Position 1", binflash@5cfb543). */
int
odemu_nec_build(const struct odemu_model *m, const char *version,
		uint32_t seed, uint8_t **out, size_t *len)
{
	static const uint8_t pat[10] = { 0x07, 0x00, 0x03, 0x00, 0x78, 0x00,
					 0x78, 0x00, 0x78, 0x00 };
	const char *id = m->safe_id ? m->safe_id : m->target;
	size_t body = m->chk_inside ? m->fw_len - 2 : m->fw_len;
	size_t n = m->fw_len + (m->chk_inside ? 0u : 2u) + 4 +
		   (m->bootcode ? 2u : 0u);
	uint8_t *b = odemu_fmt_alloc(n, seed);

	if (b == NULL)
		return -1;
	/* no second INQUIRY pattern in the filler before the real one */
	for (size_t i = 0; i + sizeof(pat) <= body; i++)
		if (memcmp(b + i, pat, sizeof(pat)) == 0)
			b[i] ^= 0xFF;
	if (m->dump_id)
		b[0] = m->dump_id;
	memcpy(b + 0x1000, pat, sizeof(pat));
	odemu_fmt_put_id(b + 0x1000 + 394, m->vendor, m->product, version);
	odf_put_be16(b + body, odf_sum_be16(b, body));
	memcpy(b + body + 2, id, 4);
	if (m->bootcode)
		memcpy(b + body + 6, m->bootcode, 2);
	*out = b;
	*len = n;
	return 0;
}
