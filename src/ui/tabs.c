/*
 * tabs.c: the tabs of a process's screen, in tab-bar order. Each tab adds
 * its declaration and its row by replacing its own placeholder comment
 * (one per line, separated by blank lines so that branches merge cleanly).
 */
#include <stddef.h>

#include "ui/tab.h"

extern const struct tab_ops tab_overview_ops;

extern const struct tab_ops tab_syscalls_ops;

extern const struct tab_ops tab_stack_ops;

extern const struct tab_ops tab_locals_ops;

extern const struct tab_ops tab_kernel_ops;

extern const struct tab_ops tab_profile_ops;

extern const struct tab_ops tab_files_ops;

const struct tab_ops *const tab_table[] = {
	&tab_overview_ops,

	&tab_syscalls_ops,

	&tab_stack_ops,

	&tab_locals_ops,

	&tab_kernel_ops,

	&tab_profile_ops,

	&tab_files_ops,

	NULL,
};
