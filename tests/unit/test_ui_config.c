/*
 * test_ui_config.c: the terminal UI's settings and theme files, parsed
 * from canned text (src/ui/config.c, src/ui/theme_file.c; no curses).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/config.h"
#include "ui/theme.h"

static void fresh(struct ui_config *c)
{
	unsetenv("NO_COLOR");
	ui_config_defaults(c);
}

static void test_defaults(void **state)
{
	struct ui_config c;
	fresh(&c);
	assert_int_equal(c.delay_tenths, 15);
	assert_int_equal(c.sort_col, PROC_COL_CPU);
	assert_true(c.sort_desc);
	assert_string_equal(c.theme, "default");
	assert_true(c.color);
	assert_int_equal(c.cols[c.ncols - 1], PROC_COL_COMMAND);
	assert_false(c.tree);
}

static void test_parse_good(void **state)
{
	struct ui_config c;
	fresh(&c);
	int bad = ui_config_parse(&c, "cfg",
				  "# a comment\n"
				  "delay = 7   # fast\n"
				  "\n"
				  "columns = pid, user cpu command\n"
				  "sort = mem asc\n"
				  "theme = high-contrast\n"
				  "tree = yes\n"
				  "hide_kthreads = on\n"
				  "color = no\n");
	assert_int_equal(bad, 0);
	assert_int_equal(c.nmsgs, 0);
	assert_int_equal(c.delay_tenths, 7);
	assert_int_equal(c.ncols, 4);
	assert_int_equal(c.cols[0], PROC_COL_PID);
	assert_int_equal(c.cols[1], PROC_COL_USER);
	assert_int_equal(c.cols[2], PROC_COL_CPU);
	assert_int_equal(c.cols[3], PROC_COL_COMMAND);
	assert_int_equal(c.sort_col, PROC_COL_MEM);
	assert_false(c.sort_desc);
	assert_string_equal(c.theme, "high-contrast");
	assert_true(c.tree);
	assert_true(c.hide_kthreads);
	assert_false(c.color);
}

static void test_command_column_last(void **state)
{
	struct ui_config c;
	fresh(&c);
	assert_int_equal(ui_config_parse(&c, "cfg", "columns = command pid cpu\n"), 0);
	assert_int_equal(c.ncols, 3);
	assert_int_equal(c.cols[0], PROC_COL_PID);
	assert_int_equal(c.cols[1], PROC_COL_CPU);
	assert_int_equal(c.cols[2], PROC_COL_COMMAND);
}

static void test_broken_line_reported_rest_applied(void **state)
{
	struct ui_config c;
	fresh(&c);
	int bad = ui_config_parse(&c, "/x/config",
				  "delay = 20\n"
				  "sort = mem\n"
				  "this line is broken\n"
				  "delay = fast\n"
				  "columns = pid bogus\n"
				  "theme = ../../etc/passwd\n"
				  "frobnicate = 1\n");
	assert_int_equal(bad, 5);
	assert_int_equal(c.nmsgs, 5);
	assert_non_null(strstr(c.msgs[0], "/x/config line 3"));
	assert_non_null(strstr(c.msgs[0], "key = value"));
	assert_non_null(strstr(c.msgs[1], "line 4"));
	assert_non_null(strstr(c.msgs[2], "line 5"));
	assert_non_null(strstr(c.msgs[2], "bogus"));
	assert_non_null(strstr(c.msgs[3], "line 6"));
	assert_non_null(strstr(c.msgs[4], "line 7"));
	assert_non_null(strstr(c.msgs[4], "frobnicate"));
	/* Good lines still count; broken ones leave the default. */
	assert_int_equal(c.delay_tenths, 20);
	assert_int_equal(c.sort_col, PROC_COL_MEM);
	assert_int_equal(c.ncols, 11);
	assert_string_equal(c.theme, "default");
}

static void test_no_color_env(void **state)
{
	struct ui_config c;
	setenv("NO_COLOR", "1", 1);
	ui_config_defaults(&c);
	assert_false(c.color);
	/* The file cannot turn colour back on against NO_COLOR. */
	ui_config_parse(&c, "cfg", "color = yes\n");
	assert_false(c.color);
	setenv("NO_COLOR", "", 1);
	ui_config_defaults(&c);
	assert_true(c.color); /* empty means unset (no-color.org) */
	unsetenv("NO_COLOR");
}

static int flags(struct ui_config *c, struct wt_err *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	argv[argc++] = "whytop";
	va_start(ap, err);
	for (char *a; (a = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	wt_err_clear(err);
	return ui_config_flags(c, argc, argv, err);
}

static void test_flags_override(void **state)
{
	struct ui_config c;
	struct wt_err err;
	fresh(&c);
	ui_config_parse(&c, "cfg", "delay = 30\nsort = pid\ntheme = light\n");
	/* Pids above any pid_max: -p asks /proc whether a pid is a thread,
	 * and these can be no task on any machine. */
	assert_int_equal(flags(&c, &err, "-d", "5", "-s", "MEM%", "-t", "-H", "--theme", "mono",
			       "-C", "-p", "2147480012,2147480034", "-u", "root", NULL),
			 0);
	assert_int_equal(c.delay_tenths, 5);
	assert_int_equal(c.sort_col, PROC_COL_MEM);
	assert_true(c.sort_desc);
	assert_true(c.tree);
	assert_true(c.threads);
	assert_false(c.color);
	assert_string_equal(c.theme, "mono");
	assert_int_equal(c.npids, 2);
	assert_int_equal(c.pids[0], 2147480012);
	assert_int_equal(c.pids[1], 2147480034);
	assert_string_equal(c.user, "root");
	ui_config_free(&c);

	fresh(&c);
	assert_int_equal(flags(&c, &err, "-p", "2147480077", "--open", NULL), 0);
	assert_true(c.open);
	ui_config_free(&c);
}

static void test_flags_bad(void **state)
{
	struct ui_config c;
	struct wt_err err;
	fresh(&c);
	assert_int_equal(flags(&c, &err, "-d", "abc", NULL), 2);
	assert_non_null(strstr(err.msg, "abc"));
	assert_int_equal(flags(&c, &err, "-d", "0", NULL), 2);
	assert_int_equal(flags(&c, &err, "-s", "nosuch", NULL), 2);
	assert_non_null(strstr(err.msg, "nosuch"));
	assert_int_equal(flags(&c, &err, "-p", "12,x", NULL), 2);
	ui_config_free(&c);
	fresh(&c);
	assert_int_equal(flags(&c, &err, "--open", NULL), 2);
	assert_non_null(strstr(err.msg, "--open"));
	assert_int_equal(flags(&c, &err, "--theme", "a/b", NULL), 2);
	assert_int_equal(flags(&c, &err, "--bogus", NULL), 2);
	assert_non_null(strstr(err.msg, "--bogus"));
	assert_int_equal(flags(&c, &err, "stray", NULL), 2);
	ui_config_free(&c);
}

static void test_theme_parse(void **state)
{
	struct theme th;
	struct wt_err err;
	assert_int_equal(theme_parse(&th, "t",
				     "description = a test\n"
				     "normal = white on black\n"
				     "selected = black on bright-cyan, bold, underline\n"
				     "state_d = reverse\n"
				     "state_d.256 = 196 on default, bold\n"
				     "title = on blue\n",
				     &err),
			 0);
	assert_string_equal(th.description, "a test");
	assert_int_equal(th.spec8[UI_E_NORMAL].fg, 7);
	assert_int_equal(th.spec8[UI_E_NORMAL].bg, 0);
	assert_int_equal(th.spec8[UI_E_SELECTED].fg, 0);
	assert_int_equal(th.spec8[UI_E_SELECTED].bg, 14);
	assert_int_equal(th.spec8[UI_E_SELECTED].attrs, THEME_BOLD | THEME_UNDERLINE);
	assert_int_equal(th.spec8[UI_E_STATE_D].attrs, THEME_REVERSE);
	assert_int_equal(th.spec8[UI_E_STATE_D].fg, -1);
	assert_true(th.spec256[UI_E_STATE_D].set);
	assert_int_equal(th.spec256[UI_E_STATE_D].fg, 196);
	assert_false(th.spec256[UI_E_SELECTED].set);
	assert_int_equal(th.spec8[UI_E_TITLE].fg, -1);
	assert_int_equal(th.spec8[UI_E_TITLE].bg, 4);
	/* Left out: like normal. */
	assert_int_equal(th.spec8[UI_E_DIALOG].fg, 7);
	assert_int_equal(th.spec8[UI_E_DIALOG].bg, 0);
}

static void test_theme_errors(void **state)
{
	struct theme th;
	struct wt_err err;
	assert_true(theme_parse(&th, "t", "normal = white\nsparkles = red\n", &err) < 0);
	assert_non_null(strstr(err.msg, "line 2"));
	assert_non_null(strstr(err.msg, "sparkles"));
	assert_true(theme_parse(&th, "t", "normal = mauve on black\n", &err) < 0);
	assert_non_null(strstr(err.msg, "line 1"));
	assert_true(theme_parse(&th, "t", "\n\nnormal = 300\n", &err) < 0);
	assert_non_null(strstr(err.msg, "line 3"));
	assert_true(theme_parse(&th, "t", "normal white\n", &err) < 0);
	assert_true(theme_parse(&th, "t", "normal = red on blue, sparkly\n", &err) < 0);
}

/* The shipped themes parse, are listed, and a user theme is found first. */
static void test_theme_files(void **state)
{
	char dir[] = "/tmp/whytop-theme-test.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/whytop", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/whytop/themes", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/whytop/themes/mine", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("description = my own\nnormal = green on black\n", f);
	fclose(f);

	static const char *const shipped[] = { "default", "mono", "light", "high-contrast" };
	struct theme th;
	struct wt_err err;
	for (size_t i = 0; i < WT_ARRAY_SIZE(shipped); i++) {
		wt_err_clear(&err);
		int r = theme_load(&th, shipped[i], &err);
		if (r)
			fprintf(stderr, "%s\n", err.msg);
		assert_int_equal(r, 0);
		assert_true(th.description[0] != '\0');
		/* D-state tasks must stand out in every theme. */
		const struct theme_spec *d = &th.spec8[UI_E_STATE_D], *n = &th.spec8[UI_E_NORMAL];
		assert_true(d->fg != n->fg || d->bg != n->bg || d->attrs != n->attrs);
	}
	assert_int_equal(theme_load(&th, "mine", &err), 0);
	assert_string_equal(th.description, "my own");
	assert_int_equal(th.spec8[UI_E_NORMAL].fg, 2);
	assert_true(theme_load(&th, "no-such-theme", &err) < 0);
	assert_non_null(strstr(err.msg, "no-such-theme"));
	assert_true(theme_load(&th, "../etc", &err) < 0);

	char **names;
	size_t n = theme_list(&names);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < WT_ARRAY_SIZE(shipped); j++)
			found += strcmp(names[i], shipped[j]) == 0;
		found += strcmp(names[i], "mine") == 0;
		if (i)
			assert_true(strcmp(names[i - 1], names[i]) < 0);
	}
	assert_int_equal(found, 5);
	theme_list_free(names, n);

	unlink(path);
	snprintf(path, sizeof(path), "%s/whytop/themes", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/whytop", dir);
	rmdir(path);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");
}

static void test_config_path(void **state)
{
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	char *p = ui_config_path("config");
	assert_string_equal(p, "/xdg/whytop/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/someone", 1);
	p = ui_config_path("config");
	assert_string_equal(p, "/home/someone/.config/whytop/config");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_command_column_last),
		cmocka_unit_test(test_broken_line_reported_rest_applied),
		cmocka_unit_test(test_no_color_env),
		cmocka_unit_test(test_flags_override),
		cmocka_unit_test(test_flags_bad),
		cmocka_unit_test(test_theme_parse),
		cmocka_unit_test(test_theme_errors),
		cmocka_unit_test(test_theme_files),
		cmocka_unit_test(test_config_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
