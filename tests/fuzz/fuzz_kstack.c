/*
 * fuzz_kstack: /proc/PID/stack, then what the kernel view and the blocked
 * view make of its frames (the key frame a task is grouped under, the mm frame).
 */
#include <stdint.h>
#include <whytop/kernel.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_frame *f;
	size_t n;

	if (kernel_stack_parse_stack((const char *)data, size, &f, &n))
		return 0;
	kernel_blocked_key_frame(f, n);
	kernel_stack_mm_frame(f, n);
	kernel_frames_free(f, n);
	return 0;
}
