/*
 * test_stack_stored: the stored-snapshot tier. Snapshots of stk_bare
 * (tests/data: saved by "whytop stack PID --save", see regen.sh) are
 * loaded with stack_load and their frames asserted exactly: no root, no
 * ptrace, no live process (the process they came from is long gone).
 * stk_bare links no libc, so the binary kept beside them is the only
 * module and the frames are the same on any machine. Also: a module file
 * that is missing or has another build-id, and a damaged snapshot, are
 * refused with a sentence.
 */
#include <setjmp.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <whytop/stack.h>
#include <whytop/util.h>

struct want_frame {
	uint64_t pc;
	const char *function;
	uint64_t offset;
	int line; /* in ./stk_bare.c; 0: no line (the _start in assembly) */
};

static char data_dir[4096];

static void data_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", data_dir, name);
}

static struct stack *load_ok(const char *name, const char *modules)
{
	char path[4200];
	data_path(path, sizeof(path), name);
	struct stack *st = NULL;
	struct wt_err err = {0};
	int r = stack_load(path, modules, NULL, &st, &err);
	if (r < 0)
		fail_msg("stack_load %s: %s", path, err.msg);
	assert_non_null(st);
	return st;
}

static void check_frames(const struct stack *st, const struct want_frame *want, size_t n)
{
	assert_true(st->loaded);
	assert_int_equal(st->nthreads, 1);
	const struct stack_thread *t = &st->threads[0];
	assert_int_equal(t->tid, st->pid); /* the main thread of the saved process */
	assert_string_equal(t->name, "stk_bare");
	assert_int_equal(t->state, 'S');
	assert_null(t->error);
	assert_int_equal(t->nframes, n);
	for (size_t i = 0; i < n; i++) {
		const struct stack_frame *f = &t->frames[i];
		if (f->pc != want[i].pc || !f->function ||
		    strcmp(f->function, want[i].function) != 0 || f->offset != want[i].offset)
			fail_msg("frame #%zu: %#llx %s+%#llx, want %#llx %s+%#llx", i,
				 (unsigned long long)f->pc, f->function ? f->function : "??",
				 (unsigned long long)f->offset, (unsigned long long)want[i].pc,
				 want[i].function, (unsigned long long)want[i].offset);
		assert_string_equal(f->module, "stk_bare");
		/* libunwind walked it all, from the files' .eh_frame_hdr: no fallback. */
		assert_int_equal(f->flags, 0);
		if (want[i].line) {
			assert_non_null(f->file);
			assert_string_equal(f->file, "./stk_bare.c");
			assert_int_equal(f->line, want[i].line);
		} else {
			assert_null(f->file);
		}
	}
}

/* _start <- bare_start <- bare_outer <- bare_inner <- bare_wait <- bare_syscall */
static void test_chain(void **state)
{
	static const struct want_frame want[] = {
	    {0x401035, "bare_syscall", 0x26, 33}, {0x40105c, "bare_wait", 0x1d, 43},
	    {0x401074, "bare_inner", 0x16, 49},	  {0x4010eb, "bare_outer", 0x45, 67},
	    {0x401172, "bare_start", 0x84, 78},	  {0x40100e, "_start", 0xe, 0},
	};
	struct stack *st = load_ok("bare_chain.snap", data_dir);
	check_frames(st, want, sizeof(want) / sizeof(want[0]));
	stack_free(st);
}

/* stk_bare 4: bare_recurse four times between bare_outer and bare_inner */
static void test_recurse(void **state)
{
	static const struct want_frame want[] = {
	    {0x401035, "bare_syscall", 0x26, 33}, {0x40105c, "bare_wait", 0x1d, 43},
	    {0x401074, "bare_inner", 0x16, 49},	  {0x4010a1, "bare_recurse", 0x2a, 57},
	    {0x401095, "bare_recurse", 0x1e, 55}, {0x401095, "bare_recurse", 0x1e, 55},
	    {0x401095, "bare_recurse", 0x1e, 55}, {0x4010df, "bare_outer", 0x39, 65},
	    {0x401172, "bare_start", 0x84, 78},	  {0x40100e, "_start", 0xe, 0},
	};
	struct stack *st = load_ok("bare_recurse.snap", data_dir);
	check_frames(st, want, sizeof(want) / sizeof(want[0]));
	stack_free(st);
}

/* --thread: a tid the snapshot does not hold is refused. */
static void test_only_tid(void **state)
{
	struct stack *st = load_ok("bare_chain.snap", data_dir);
	pid_t tid = st->pid;
	stack_free(st);
	char path[4200];
	data_path(path, sizeof(path), "bare_chain.snap");
	struct stack_opts o = {.only_tid = tid};
	struct wt_err err = {0};
	assert_int_equal(stack_load(path, data_dir, &o, &st, &err), 0);
	assert_int_equal(st->nthreads, 1);
	stack_free(st);
	o.only_tid = tid + 1;
	assert_true(stack_load(path, data_dir, &o, &st, &err) < 0);
	assert_non_null(strstr(err.msg, "is not in the snapshot"));
}

static char *tmp_dir(void)
{
	char *d = strdup("/tmp/test_stack_stored.XXXXXX");
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void rm_dir(char *d, const char *file)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/%s", d, file);
	unlink(p);
	rmdir(d);
	free(d);
}

/* No stk_bare at the recorded path nor in the --modules directory. */
static void test_missing_module(void **state)
{
	char *d = tmp_dir();
	char path[4200];
	data_path(path, sizeof(path), "bare_chain.snap");
	struct stack *st = NULL;
	struct wt_err err = {0};
	assert_true(stack_load(path, d, NULL, &st, &err) < 0);
	assert_null(st);
	if (!strstr(err.msg, "cannot load ") || !strstr(err.msg, "stk_bare mapped, and neither"))
		fail_msg("unexpected refusal: %s", err.msg);
	rm_dir(d, "stk_bare");
}

/* A stk_bare whose build-id differs in one byte: refused, never used. */
static void test_other_build_id(void **state)
{
	char bin[4200];
	data_path(bin, sizeof(bin), "stk_bare");
	char *text;
	size_t len;
	assert_int_equal(wt_read_all_at(AT_FDCWD, bin, &text, &len), 0);
	/* The note: namesz 4, descsz 20, type 3 (NT_GNU_BUILD_ID), "GNU\0". */
	static const unsigned char note[] = {4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0};
	unsigned char *at = memmem(text, len, note, sizeof(note));
	assert_non_null(at);
	at[sizeof(note)] ^= 0xff;
	char *d = tmp_dir();
	char other[4200];
	snprintf(other, sizeof(other), "%s/stk_bare", d);
	FILE *f = fopen(other, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(text);
	char path[4200];
	data_path(path, sizeof(path), "bare_chain.snap");
	struct stack *st = NULL;
	struct wt_err err = {0};
	assert_true(stack_load(path, d, NULL, &st, &err) < 0);
	if (!strstr(err.msg, "is not the file process") || !strstr(err.msg, "build-id"))
		fail_msg("unexpected refusal: %s", err.msg);
	rm_dir(d, "stk_bare");
}

/* A snapshot cut short, and a file that is none. */
static void test_damaged(void **state)
{
	char src[4200];
	data_path(src, sizeof(src), "bare_chain.snap");
	char *text;
	size_t len;
	assert_int_equal(wt_read_all_at(AT_FDCWD, src, &text, &len), 0);
	char *d = tmp_dir();
	char cut[4200];
	snprintf(cut, sizeof(cut), "%s/cut.snap", d);
	FILE *f = fopen(cut, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len - 10, f), len - 10);
	assert_int_equal(fclose(f), 0);
	free(text);
	struct stack *st = NULL;
	struct wt_err err = {0};
	assert_true(stack_load(cut, data_dir, NULL, &st, &err) < 0);
	if (!strstr(err.msg, "damaged near line") && !strstr(err.msg, "ends early"))
		fail_msg("unexpected refusal: %s", err.msg);
	char bin[4200];
	data_path(bin, sizeof(bin), "stk_bare");
	assert_true(stack_load(bin, data_dir, NULL, &st, &err) < 0);
	assert_non_null(strstr(err.msg, "is not a whytop snapshot"));
	rm_dir(d, "cut.snap");
}

int main(void)
{
	const char *src = getenv("SRCDIR");
	snprintf(data_dir, sizeof(data_dir), "%s/tests/data", src ? src : ".");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chain),	   cmocka_unit_test(test_recurse),
	    cmocka_unit_test(test_only_tid),	   cmocka_unit_test(test_missing_module),
	    cmocka_unit_test(test_other_build_id), cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
