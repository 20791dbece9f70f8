/*
 * true32: the smallest i386 program (no libc): it exits 0. Tests run it
 * first to learn whether this kernel can execute 32-bit programs at all
 * (some cannot: no IA32 emulation, "Exec format error"), and skip if not.
 */
void _start(void)
{
	__asm__ volatile("int $0x80" : : "a"(1), "b"(0));
	for (;;)
		;
}
