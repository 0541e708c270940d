/* odemu tcmu: the command (cli/odemu/cmd_tcmu.c). */
#ifndef ODEMU_CLI_CMD_TCMU_H
#define ODEMU_CLI_CMD_TCMU_H

/* argv[0] is "tcmu"; returns a process exit code. */
int odemu_cmd_tcmu(int argc, char **argv);

#endif
