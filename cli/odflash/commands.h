/* odflash: one function per command; argv[0] is the command name.  Each
 * returns a process exit code of docs/odflash.1 EXIT STATUS. */
#ifndef ODF_CLI_COMMANDS_H
#define ODF_CLI_COMMANDS_H

int cmd_scan(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_flash(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_recover(int argc, char **argv);
int cmd_history(int argc, char **argv);

#endif
