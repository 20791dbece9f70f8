/*
 * test_config_write.c: writing the terminal UI's settings back
 * (src/ui/config.c: ui_config_diff, ui_config_merge, ui_config_save):
 * only changed keys are rewritten, in place; comments, unknown and broken
 * lines are kept; the file is replaced whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/config.h"

static const char before[] = "# my whytop settings\n"
			     "delay = 7   # fast\n"
			     "frobnicate = 3\n"
			     "\n"
			     "columns = pid user command\n"
			     "sort = mem asc\n"
			     "sort = pid asc\n"
			     "tree = no\n";

static void fresh(struct ui_config *c)
{
	unsetenv("NO_COLOR");
	ui_config_defaults(c);
}

static void test_diff(void **state)
{
	(void)state;
	struct ui_config a, b;
	fresh(&a);
	fresh(&b);
	assert_int_equal(ui_config_diff(&a, &b), 0);
	b.delay_tenths = 30;
	b.highlight = true;
	b.nmeters[1] = 1;
	assert_int_equal(ui_config_diff(&a, &b),
			 1u << UI_K_DELAY | 1u << UI_K_HIGHLIGHT | 1u << UI_K_METERS_RIGHT);
}

static void test_merge_in_place(void **state)
{
	(void)state;
	struct ui_config c;
	fresh(&c);
	ui_config_parse(&c, "t", before);
	c.delay_tenths = 20;
	c.sort_col = PROC_COL_CPU;
	c.sort_desc = true;
	c.tree = true;              /* changed, but not in the mask: stays "no" */
	c.basename = true;          /* not in the file: appended */
	unsigned mask = 1u << UI_K_DELAY | 1u << UI_K_SORT | 1u << UI_K_BASENAME;
	char *out = ui_config_merge(before, &c, mask);
	assert_non_null(out);
	assert_string_equal(out, "# my whytop settings\n"
				 "delay = 20   # fast\n"
				 "frobnicate = 3\n"
				 "\n"
				 "columns = pid user command\n"
				 "sort = mem asc\n"
				 "sort = cpu desc\n"
				 "tree = no\n"
				 "show_basename = yes\n");
	/* Read back, it gives the values written. */
	struct ui_config back;
	fresh(&back);
	assert_int_equal(ui_config_parse(&back, "t", out), 1); /* frobnicate */
	assert_int_equal(back.delay_tenths, 20);
	assert_int_equal(back.sort_col, PROC_COL_CPU);
	assert_true(back.basename);
	assert_false(back.tree);
	free(out);
}

static void test_merge_new_file(void **state)
{
	(void)state;
	struct ui_config c;
	fresh(&c);
	c.meters[0][0] = UI_M_PSI_IO;
	c.nmeters[0] = 1;
	c.nmeters[1] = 0;
	char *out = ui_config_merge(NULL, &c, 1u << UI_K_METERS_LEFT | 1u << UI_K_METERS_RIGHT);
	assert_non_null(out);
	assert_non_null(strstr(out, "\nmeters_left = psi_io\nmeters_right = none\n"));
	assert_int_equal(out[0], '#');
	struct ui_config back;
	fresh(&back);
	assert_int_equal(ui_config_parse(&back, "t", out), 0);
	assert_int_equal(back.nmeters[0], 1);
	assert_int_equal(back.meters[0][0], UI_M_PSI_IO);
	assert_int_equal(back.nmeters[1], 0);
	free(out);
}

static void test_meters_parse(void **state)
{
	(void)state;
	struct ui_config c;
	fresh(&c);
	assert_int_equal(ui_config_parse(&c, "t", "meters_left = cpu, psi_cpu load\n"
						 "meters_right = mem bogus\n"),
			 1);
	assert_int_equal(c.nmeters[0], 3);
	assert_int_equal(c.meters[0][1], UI_M_PSI_CPU);
	assert_int_equal(c.nmeters[1], 3); /* the default */
	assert_non_null(strstr(c.msgs[0], "unknown meter 'bogus'"));
}

static void test_save_round_trip(void **state)
{
	(void)state;
	char dir[] = "/tmp/whytop-cfgw.XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	struct ui_config c;
	struct wt_err err;
	fresh(&c);
	c.theme[0] = '\0';
	snprintf(c.theme, sizeof(c.theme), "mono");
	/* The whytop directory does not exist yet: created. */
	assert_int_equal(ui_config_save(&c, 1u << UI_K_THEME, &err), 0);
	snprintf(path, sizeof(path), "%s/whytop/config", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char text[1024];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "\ntheme = mono\n"));
	/* A second save keeps what the first wrote and leaves no temporary file. */
	c.delay_tenths = 9;
	assert_int_equal(ui_config_save(&c, 1u << UI_K_DELAY, &err), 0);
	struct ui_config back;
	fresh(&back);
	assert_int_equal(ui_config_load(&back), 0);
	assert_int_equal(back.nmsgs, 0);
	assert_string_equal(back.theme, "mono");
	assert_int_equal(back.delay_tenths, 9);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s/whytop | wc -l) = 1", dir);
	assert_int_equal(system(cmd), 0);
	/* A config that is a symbolic link stays one; the file it points to is written. */
	char target[256], link[256];
	snprintf(target, sizeof(target), "%s/dotfiles", dir);
	assert_int_equal(mkdir(target, 0755), 0);
	snprintf(target, sizeof(target), "%s/dotfiles/whytop.conf", dir);
	snprintf(link, sizeof(link), "%s/whytop/config", dir);
	assert_int_equal(rename(link, target), 0);
	assert_int_equal(symlink(target, link), 0);
	c.delay_tenths = 11;
	assert_int_equal(ui_config_save(&c, 1u << UI_K_DELAY, &err), 0);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	fresh(&back);
	assert_int_equal(ui_config_load(&back), 0);
	assert_int_equal(back.delay_tenths, 11);
	assert_string_equal(back.theme, "mono");
	/* Where the directory cannot be made: the error names the path. */
	snprintf(path, sizeof(path), "%s/file", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", path, 1);
	assert_int_equal(ui_config_save(&c, 1u << UI_K_DELAY, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "Not a directory"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_merge_in_place),
		cmocka_unit_test(test_merge_new_file),
		cmocka_unit_test(test_meters_parse),
		cmocka_unit_test(test_save_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
