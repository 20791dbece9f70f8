/* ui_main.c: placeholder until the terminal UI lands. */
#include <stdio.h>

#include "ui/ui.h"

int ui_main(int argc, char **argv)
{
	fprintf(stderr, "whytop: the terminal UI is not built yet; use the subcommands\n");
	return 1;
}

void ui_print_options(FILE *f)
{
	fprintf(f, "Terminal UI options: (not built yet)\n");
}
