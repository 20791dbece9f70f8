/* fuzz_kwchan: /proc/PID/wchan. */
#include <stdint.h>
#include <stdlib.h>
#include <whytop/kernel.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	free(kernel_stack_clean_wchan((const char *)data, size));
	return 0;
}
