/*
 * sc_classes: whether this whytop's decoder knows strace's classes of
 * calls (-e trace=%file...): prints sysdecode_classes of x86_64 chdir
 * (a %file call), 0 while the decoder does not know them yet.
 */
#include <linux/audit.h>
#include <stdio.h>
#include <sys/syscall.h>

#include <whytop/decode.h>

int main(void)
{
	printf("%u\n", sysdecode_classes(AUDIT_ARCH_X86_64, SYS_chdir));
	return 0;
}
