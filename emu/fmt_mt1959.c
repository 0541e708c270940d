/* odemu: MediaTek MT1959 firmware images, as the emulated drives' boot
 * loader takes them.
 *
 * RibShark/OmniDrive@9f3792a scripts/update_cmac.py (calc_cmac and the
 * loop over the table; docs/internals/protocols.md §5.6): 16 entries of
 * 28 bytes at 0x10400, little-endian <enabled, start, end>, then the
 * 16-byte CMAC; enabled 0xFFFFFFFF = unused; the CMAC is AES-CMAC-128
 * (key BD209408E35E526A36235234434FE8AB) over start..end inclusive with
 * each 16-byte block reversed, stored reversed.  superg/redumper@2ab9a42
 * drive/flash_mt1959.ixx: the config ID "MT1959 Boot XXX " at 0x3000.
 * INFERRED: the boot loader starts the firmware only when every used
 * range's CMAC matches (why update_cmac.py exists); the INQUIRY strings
 * lie in the image in INQUIRY layout (found by the model's vendor, else
 * HL-DT-ST or ASUS: a crossflashed drive names the image's model).
 * The builder's layout (INFERRED, the same odflash's lib/image builds):
 * ranges 0x10600..0x1DFFFF and 0x1E0000..0x1E7FFF, the INQUIRY strings
 * at 0x1E0100, 0x1E8500..0x1E8FFF erased.  nettle's CMAC, no own AES.
 */
#include <stdio.h>
#include <string.h>

#include <nettle/cmac.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"

#define M59_SIZE 0x200000u
#define M59_TABLE 0x10400u
#define M59_ID_AT 0x1E0100u

static const uint8_t m59_key[16] = {
	0xBD, 0x20, 0x94, 0x08, 0xE3, 0x5E, 0x52, 0x6A,
	0x36, 0x23, 0x52, 0x34, 0x43, 0x4F, 0xE8, 0xAB,
};

static void
m59_mac(const uint8_t *p, uint32_t a, uint32_t b, uint8_t out[16])
{
	struct cmac_aes128_ctx c;
	uint8_t rev[16], mac[16];
	uint32_t i = a;

	cmac_aes128_set_key(&c, m59_key);
	while (i <= b) {
		uint32_t n = b - i + 1 < 16 ? b - i + 1 : 16;

		for (uint32_t k = 0; k < n; k++)
			rev[n - 1 - k] = p[i + k];
		cmac_aes128_update(&c, n, rev);
		i += n;
	}
	cmac_aes128_digest(&c, 16, mac);
	for (unsigned k = 0; k < 16; k++)
		out[k] = mac[15 - k];
}

static bool
ascii28(const uint8_t *p)
{
	for (unsigned i = 0; i < 28; i++)
		if (p[i] < 0x20 || p[i] > 0x7E)
			return false;
	return true;
}

int
odemu_m59_check(const uint8_t *p, size_t n, const char *vendor,
		char out_vendor[9], char product[17], char revision[5])
{
	char v8[9];
	const uint8_t *id = NULL;

	if (n != M59_SIZE || memcmp(p + 0x3000, "MT1959 Boot ", 12) != 0)
		return -1;
	for (unsigned i = 0; i < 16; i++) {
		const uint8_t *e = p + M59_TABLE + 28 * i;
		uint32_t a = odf_le32(e + 4), b = odf_le32(e + 8);
		uint8_t mac[16];

		if (odf_le32(e) == 0xFFFFFFFFu)
			continue;
		if (a > b || b >= M59_SIZE)
			return -2;
		m59_mac(p, a, b, mac);
		if (memcmp(mac, e + 12, 16) != 0)
			return -2;
	}
	/* the model's own vendor first, then the other MT1959 vendors: a
	 * crossflashed drive answers INQUIRY with the strings of the
	 * firmware it runs (OmniDrive's InquiryDataPatch changes them in the
	 * firmware, RibShark/OmniDrive@9f3792a asm/main.asm) */
	for (unsigned k = 0; k < 3 && !id; k++) {
		snprintf(v8, sizeof(v8), "%-8s", k == 0 ? vendor :
			 k == 1 ? "HL-DT-ST" : "ASUS");
		for (size_t i = M59_TABLE; i + 28 <= n && !id; i++)
			if (memcmp(p + i, v8, 8) == 0 && ascii28(p + i))
				id = p + i;
	}
	if (!id)
		return -1;
	odf_str_trim(out_vendor, 9, id, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, id + 8, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, id + 24, 4, ODF_STR_KEEP);
	return 0;
}

void
odemu_m59_seal(uint8_t *p)
{
	for (unsigned i = 0; i < 16; i++) {
		uint8_t *e = p + M59_TABLE + 28 * i;

		if (odf_le32(e) != 0xFFFFFFFFu)
			m59_mac(p, odf_le32(e + 4), odf_le32(e + 8), e + 12);
	}
}

int
odemu_m59_build(const struct odemu_model *m, const char *version,
		uint32_t seed, uint8_t **out, size_t *len)
{
	static const uint32_t r[2][2] = { { 0x10600, 0x1DFFFF },
					  { 0x1E0000, 0x1E7FFF } };
	char cfg[17];
	uint8_t *b = odemu_fmt_alloc(M59_SIZE, seed);

	if (b == NULL)
		return -1;
	for (uint32_t i = 0; i + 8 <= M59_SIZE; i++)
		if (memcmp(b + i, "HL-DT-ST", 8) == 0 ||
		    memcmp(b + i, "ASUS    ", 8) == 0 ||
		    memcmp(b + i, "OmniDriv", 8) == 0)
			b[i] = 0;
	snprintf(cfg, sizeof(cfg), "MT1959 Boot %s", m->target);
	odf_put_padded(b + 0x3000, 16, cfg);
	memset(b + M59_TABLE, 0xFF, 16 * 28);
	for (unsigned i = 0; i < 2; i++) {
		odf_put_le32(b + M59_TABLE + 28 * i, 1);
		odf_put_le32(b + M59_TABLE + 28 * i + 4, r[i][0]);
		odf_put_le32(b + M59_TABLE + 28 * i + 8, r[i][1]);
	}
	odemu_fmt_put_id(b + M59_ID_AT, m->vendor, m->product, version);
	memset(b + 0x1E8500, 0xFF, 0x1E9000 - 0x1E8500);
	odemu_m59_seal(b);
	*out = b;
	*len = M59_SIZE;
	return 0;
}
