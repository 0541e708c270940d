/* odflash: where the journal, the backups and the drive locks live. */
#include "cli.h"

#ifndef _WIN32
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* root's home directory.  The static build (make static, -DODF_NO_NSS)
 * reads /etc/passwd itself with fgetpwent(3): getpwuid(3) goes through
 * NSS, which makes glibc link its dynamic loader into a static binary
 * (and can load no NSS module there anyway). */
static const char *
root_home(void)
{
#ifdef ODF_NO_NSS
	static char home[256];
	const struct passwd *pw;
	FILE *f = fopen("/etc/passwd", "re");

	home[0] = '\0';
	if (f == NULL)
		return NULL;
	while ((pw = fgetpwent(f)) != NULL) {
		if (pw->pw_uid == 0 && pw->pw_dir != NULL) {
			snprintf(home, sizeof home, "%s", pw->pw_dir);
			break;
		}
	}
	fclose(f);
	return home[0] ? home : NULL;
#else
	const struct passwd *pw = getpwuid(0);

	return pw != NULL ? pw->pw_dir : NULL;
#endif
}

int
cli_state_dir(char *buf, size_t len, struct odf_diag *d)
{
	const char *o = getenv("ODFLASH_STATE_DIR");
	const char *x = getenv("XDG_STATE_HOME");
	const char *h = getenv("HOME");
	int n;

	if (o && o[0]) {
		if (o[0] != '/')
			return odf_diag_set(d, ODF_E_USAGE, "ODFLASH_STATE_DIR "
					    "must be an absolute path, not "
					    "'%s'", o);
		n = snprintf(buf, len, "%s", o);
	} else if (geteuid() == 0 && getenv("SUDO_USER") != NULL) {
		/* Under sudo, HOME and XDG_STATE_HOME may still name the
		 * user's home (sudo -E, env_keep): root's backups and
		 * journal go to root's own state directory, never as
		 * root-owned files into the user's (issue #18). */
		const char *rh = root_home();

		if (rh == NULL || rh[0] != '/')
			return odf_diag_set(d, ODF_E_BACKUP, "running under "
					    "sudo and root has no home "
					    "directory: set ODFLASH_STATE_DIR");
		n = snprintf(buf, len, "%s/.local/state/odflash", rh);
	} else if (x && x[0] == '/') {
		n = snprintf(buf, len, "%s/odflash", x);
	} else if (h && h[0]) {
		n = snprintf(buf, len, "%s/.local/state/odflash", h);
	} else {
		return odf_diag_set(d, ODF_E_BACKUP, "neither XDG_STATE_HOME "
				    "nor HOME is set: nowhere to keep backups "
				    "and the journal");
	}
	if (n < 0 || (size_t)n >= len)
		return odf_diag_set(d, ODF_E_BACKUP, "state directory path "
				    "too long");
	return 0;
}
#endif /* !_WIN32: statedir_win32.c there */
