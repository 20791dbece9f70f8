/*
 * stk_inline: built with -O2 so that stk_inline_body is inlined into
 * stk_inline_outer; a walk must show both, the inner one marked inline.
 */
#include <stdio.h>
#include <unistd.h>

volatile unsigned long stk_inline_count;

static inline __attribute__((always_inline)) void stk_inline_body(void)
{
	for (;;) stk_inline_count++; /* STK_BODY_LINE */
}

__attribute__((noinline)) void stk_inline_outer(void)
{
	stk_inline_body(); /* STK_CALL_LINE */
}

int main(void)
{
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	stk_inline_outer();
	return 0;
}
