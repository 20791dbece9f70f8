/* ui.h: the terminal front end's entry points, for main.c. */
#ifndef WHYTOP_UI_UI_H
#define WHYTOP_UI_UI_H

#include <stdio.h>

/* Parse the TUI's (htop-compatible) flags and run until the user quits. */
int ui_main(int argc, char **argv);
/* The TUI's flags, for --help. */
void ui_print_options(FILE *f);

#endif
