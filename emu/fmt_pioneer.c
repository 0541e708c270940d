/* odemu: Pioneer DVR-10x firmware parts, as DVRFlash checks them before
 * it sends one (rpc1dev/DVRFlash@8ccb1b7 DVRFlash.cpp:main, the file
 * checks; docs/internals/protocols.md §3.6):
 *   0x060  24  the drive's description, INQUIRY vendor[8] + product[16]
 *   0x090      the version string
 *   0x0B0   4  interface ("ATA ")
 *   0x0B4   4  generation, ASCII decimal read with atoi
 *   0x0D0   8  kernel type (7 characters compared)
 *   0x110   6  "Kernel" or "Normal"
 * Sizes: generation up to 8 and 52..62: a normal part of exactly
 * 0x100000 bytes, a kernel part of 0x10000; generation 9..11 and 64 up:
 * normal at least 0x128000, kernel 0x20000; DVRFlash reads at most
 * 2 MiB.  No checksum.
 */
#include <stdio.h>
#include <string.h>

#include "emu.h"
#include "fmt.h"

#define PIO_KIND 0x110u
#define PIO_MAX 0x200000u

int
odemu_pio_kind(const uint8_t *p, size_t n)
{
	if (n < PIO_KIND + 6)
		return -1;
	if (memcmp(p + PIO_KIND, "Kernel", 6) == 0)
		return 1;
	if (memcmp(p + PIO_KIND, "Normal", 6) == 0)
		return 0;
	return -1;
}

/* DVRFlash compares the drive's generation with atoi(file + 0xB4)
 * (DVRFlash.cpp:main, "Hardware and Firmware really don't match"): white
 * space skipped, a sign, then the digits up to the first non-digit --
 * not only 4 bytes; here bounded by the file. */
int
odemu_pio_generation(const uint8_t *p, size_t n)
{
	size_t i = 0xB4;
	int g = 0, neg = 0;

	while (i < n && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
		i++;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	for (; i < n && p[i] >= '0' && p[i] <= '9' && g < 100000; i++)
		g = g * 10 + (p[i] - '0');
	return neg ? -g : g;
}

bool
odemu_pio_size_ok(int generation, bool kernel, size_t n)
{
	bool big = (generation >= 9 && generation <= 11) || generation >= 64;

	if (n > PIO_MAX)
		return false;
	if (kernel)
		return n == (big ? 0x20000u : 0x10000u);
	return big ? n >= 0x128000u : n == 0x100000u;
}

int
odemu_pio_build(const struct odemu_model *m, bool kernel, int generation,
		const char *version, const char *ktype, uint32_t seed,
		uint8_t **out, size_t *len)
{
	bool big = (generation >= 9 && generation <= 11) || generation >= 64;
	size_t n = kernel ? (big ? 0x20000u : 0x10000u) :
			    (big ? 0x128000u : 0x100000u);
	char gen[5];
	uint8_t *b = odemu_fmt_alloc(n, seed);

	if (b == NULL)
		return -1;
	memset(b + 0x60, ' ', PIO_KIND + 0x10 - 0x60);
	odf_put_padded(b + 0x60, 8, m->vendor);
	odf_put_padded(b + 0x68, 16, m->product);
	odf_put_padded(b + 0x90, 16, version);
	memcpy(b + 0xB0, "ATA ", 4);
	snprintf(gen, sizeof(gen), "%-4d", generation);
	memcpy(b + 0xB4, gen, 4);
	odf_put_padded(b + 0xD0, 8, ktype);
	memcpy(b + PIO_KIND, kernel ? "Kernel" : "Normal", 6);
	*out = b;
	*len = n;
	return 0;
}
