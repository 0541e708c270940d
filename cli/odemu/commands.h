/* odemu: one function per command (cli/odemu/cmd_*.c); argv[0] is the
 * command name.  Each returns a process exit code of docs/odemu.1. */
#ifndef ODEMU_CLI_COMMANDS_H
#define ODEMU_CLI_COMMANDS_H

struct odemu;

int cmd_models(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_fault(int argc, char **argv);
int cmd_power_on(int argc, char **argv);
int cmd_mkimage(int argc, char **argv);
int cmd_mkboot(int argc, char **argv);
int cmd_dumpflash(int argc, char **argv);
int cmd_log(int argc, char **argv);

/* Open the drive at path for administration; 0, or the exit code after
 * the error was printed. */
int open_admin(const char *path, struct odemu **e);

#endif
