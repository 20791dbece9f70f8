/* fuzz_proc_psi: a /proc/pressure file (the header's PSI meters). */
#include <stdint.h>
#include "core/proc/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_psi psi;
	proc_parse_psi((const char *)data, size, &psi);
	return 0;
}
