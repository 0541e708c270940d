/* odflash on Windows: where the journal, the backups and the drive locks
 * live: %ODFLASH_STATE_DIR% when set (an absolute path: "C:\..." or
 * "\\server\share\..."), else %LOCALAPPDATA%\odflash (Microsoft docs,
 * "Recognized environment variables": LOCALAPPDATA, the user's local
 * application data folder).  Built on every platform; empty but on
 * Windows (statedir.c there). */
#ifdef _WIN32
#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

static bool
absolute(const char *p)
{
	return (isalpha((unsigned char)p[0]) && p[1] == ':' &&
		(p[2] == '\\' || p[2] == '/')) ||
	       (p[0] == '\\' && p[1] == '\\');
}

int
cli_state_dir(char *buf, size_t len, struct odf_diag *d)
{
	const char *o = getenv("ODFLASH_STATE_DIR");
	const char *l = getenv("LOCALAPPDATA");
	int n;

	if (o && o[0]) {
		if (!absolute(o))
			return odf_diag_set(d, ODF_E_USAGE, "ODFLASH_STATE_DIR "
					    "must be an absolute path (C:\\...), "
					    "not '%s'", o);
		n = snprintf(buf, len, "%s", o);
	} else if (l && absolute(l)) {
		n = snprintf(buf, len, "%s\\odflash", l);
	} else {
		return odf_diag_set(d, ODF_E_BACKUP, "LOCALAPPDATA is not "
				    "set: nowhere to keep backups and the "
				    "journal (set ODFLASH_STATE_DIR)");
	}
	if (n < 0 || (size_t)n >= len)
		return odf_diag_set(d, ODF_E_BACKUP, "state directory path "
				    "too long");
	return 0;
}
#endif /* _WIN32 */
