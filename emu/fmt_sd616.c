/* odemu: Samsung SD-616F (MediaTek MT1329E) firmware files and the stream
 * redumper sends them in.
 *
 * superg/redumper@2ab9a42 drive/flash_sd616.ixx:redumper_flash_sd616
 * (docs/internals/protocols.md §5.5): the file is 0x20000 bytes; it goes
 * to the drive as a 0x30000-byte stream that starts zeroed and gets four
 * copies: file[0, 0x10000) at 0; file[0x10000, 0x1F800) at 0x10400;
 * file[0x1F800, 0x20000) at 0x20000; file[0x10400, 0x1F800) at 0x20800.
 * INFERRED (no source says): the drive takes the stream back into its
 * 128 KiB flash layout and refuses one whose zero gaps or second copy do
 * not fit that map; the file carries the drive's INQUIRY strings in
 * INQUIRY layout ("SAMSUNG " and a product naming the SD-616), which the
 * builder puts at 0x4000.
 */
#include <string.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"
#include "util/platform.h"

#define SD_SIZE 0x20000u
#define SD_ID_AT 0x4000u

static bool
zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

int
odemu_sd616_unpack(unsigned piece, const uint8_t *s, uint8_t *file)
{
	switch (piece) {
	case 0:		/* stream 0x00000 */
		memcpy(file, s, 0x10000);
		return 0;
	case 1:		/* stream 0x10000 */
		if (!zero(s, 0x400) || !zero(s + 0xFC00, 0x400))
			return -1;
		memcpy(file + 0x10000, s + 0x400, 0xF800);
		return 0;
	case 2:		/* stream 0x20000 */
		if (memcmp(s + 0x800, file + 0x10400, 0xF400) != 0 ||
		    !zero(s + 0xFC00, 0x400))
			return -1;
		memcpy(file + 0x1F800, s, 0x800);
		return 0;
	default:
		return -1;
	}
}

int
odemu_sd616_check(const uint8_t *fw, size_t n, char vendor[9],
		  char product[17], char revision[5])
{
	for (size_t i = 0; n >= 28 && i <= n - 28; i++) {
		bool ok = memcmp(fw + i, "SAMSUNG ", 8) == 0;

		for (unsigned k = 0; ok && k < 28; k++)
			ok = fw[i + k] >= 0x20 && fw[i + k] <= 0x7E;
		if (!ok || !memmem(fw + i + 8, 16, "SD-616", 6))
			continue;
		odf_str_trim(vendor, 9, fw + i, 8, ODF_STR_KEEP);
		odf_str_trim(product, 17, fw + i + 8, 16, ODF_STR_KEEP);
		odf_str_trim(revision, 5, fw + i + 24, 4, ODF_STR_KEEP);
		return 0;
	}
	return -1;
}

int
odemu_sd616_build(const struct odemu_model *m, const char *version,
		  uint32_t seed, uint8_t **out, size_t *len)
{
	uint8_t *b = odemu_fmt_alloc(SD_SIZE, seed);

	if (b == NULL)
		return -1;
	for (uint32_t i = 0; i + 8 <= SD_SIZE; i++)
		if (memcmp(b + i, "SAMSUNG ", 8) == 0)
			b[i] = 0;
	b[0] = 0x02;
	odemu_fmt_put_id(b + SD_ID_AT, m->vendor, m->product, version);
	*out = b;
	*len = SD_SIZE;
	return 0;
}
