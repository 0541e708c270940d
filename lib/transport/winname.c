/* odflash transport: Windows device names, on every platform (pure
 * string work, so the unit tests check it on Linux too).
 *
 * Accepted: a drive letter "D:" (or "D"), its device path "\\.\D:", a
 * CD-ROM class device "\\.\CdRom0" or "CdRom0" (case-insensitive).
 * Both are names the Win32 device namespace gives an optical drive:
 * Microsoft docs, "Naming Files, Paths, and Namespaces" (Win32 device
 * namespaces, "\\.\X:") and the CD-ROM class driver's \Device\CdRomN
 * with its \\.\CdRomN symbolic link ("Introduction to CD-ROM Drivers"). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "transport/backend.h"

int
odfi_win_devpath(const char *name, char *path, size_t size, char *letter)
{
	const char *s = name;
	unsigned long n = 0;
	const char *p;

	*letter = '\0';
	if (strncmp(s, "\\\\.\\", 4) == 0 || strncmp(s, "//./", 4) == 0)
		s += 4;
	if (isalpha((unsigned char)s[0]) &&
	    (s[1] == '\0' || (s[1] == ':' && s[2] == '\0'))) {
		*letter = (char)toupper((unsigned char)s[0]);
		return snprintf(path, size, "\\\\.\\%c:", *letter) < (int)size ?
		       0 : -1;
	}
	if (strncasecmp(s, "cdrom", 5) != 0 || !isdigit((unsigned char)s[5]))
		return -1;
	for (p = s + 5; isdigit((unsigned char)*p); p++) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > 999)
			return -1;
	}
	if (*p != '\0')
		return -1;
	return snprintf(path, size, "\\\\.\\CdRom%lu", n) < (int)size ? 0 : -1;
}
