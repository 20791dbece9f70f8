/* fuzz_theme: a theme file (src/ui/theme_file.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme th;
	struct wt_err err = {0};
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	theme_parse(&th, "fuzz", text, &err);
	free(text);
	return 0;
}
