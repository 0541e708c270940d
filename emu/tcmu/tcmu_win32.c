/* odemu tcmu on Windows: TCMU is a Linux kernel facility
 * (target_core_user), so there is nothing to serve the drive to; the
 * command says so (ODF_E_UNSUPPORTED).  Built on every platform; empty
 * but on Windows, where tcmu.c is left out (Makefile, WIN_TCMU_SRC). */
#ifdef _WIN32
#include "odf/error.h"
#include "tcmu/tcmu.h"

int
odemu_tcmu_serve(const struct odemu_tcmu_opts *o, struct odf_diag *d)
{
	(void)o;
	return odf_diag_set(d, ODF_E_UNSUPPORTED, "odemu tcmu serves a Linux "
			    "kernel (target_core_user); there is none on "
			    "Windows: use emu:STATE with odflash instead");
}
#endif
