/* fuzz_config: the terminal UI's config file (src/ui/config.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ui/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ui_config c;
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	ui_config_defaults(&c);
	ui_config_parse(&c, "config", text);
	free(text);
	if (c.ncols > UI_CONFIG_MAX_COLS || c.sort_col >= PROC_COL_COUNT || c.delay_tenths < 1 ||
	    c.delay_tenths > 600)
		__builtin_trap();
	for (size_t i = 0; i < c.ncols; i++)
		if (c.cols[i] >= PROC_COL_COUNT)
			__builtin_trap();
	ui_config_free(&c);
	return 0;
}
