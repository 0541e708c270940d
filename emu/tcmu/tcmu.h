/* odemu: serve an emulated drive to a real Linux kernel through
 * target_core_user (TCMU).  Entry point of `odemu tcmu STATE [options]`. */
#ifndef ODEMU_TCMU_H
#define ODEMU_TCMU_H

/* argv[0] is "tcmu"; returns a process exit code. */
int odemu_cmd_tcmu(int argc, char **argv);

#endif
