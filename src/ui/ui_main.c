/*
 * ui_main.c: starting and ending the terminal UI: settings (defaults,
 * config file, flags), the checks that need a person's attention before
 * curses takes the terminal (not a tty, unknown user or pid), curses
 * set-up, the first screens, the loop, and restoring the terminal.
 */
#include <errno.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <term.h>

#include "ui/blocked.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

/* "whytop: MSG" on stderr, escaped: messages quote what a user or a file gave. */
static void ui_print_error(const char *msg)
{
	char *e = wt_escape(msg, strlen(msg), 0);
	fprintf(stderr, "whytop: %s\n", e ? e : "out of memory");
	free(e);
}

static int ui_resolve_user(struct ui *ui)
{
	ui->opts.uid = (uid_t)-1;
	if (!ui->cfg.user[0])
		return 0;
	struct passwd *pw = getpwnam(ui->cfg.user);
	if (pw) {
		ui->opts.uid = pw->pw_uid;
		return 0;
	}
	long v;
	if (wt_parse_long(ui->cfg.user, 0, 0x7fffffff, &v) == 0) {
		ui->opts.uid = (uid_t)v;
		return 0;
	}
	char msg[160];
	snprintf(msg, sizeof(msg), "-u: no user called '%s'", ui->cfg.user);
	ui_print_error(msg);
	return 2;
}

static int ui_curses_start(void)
{
	const char *term = getenv("TERM");
	SCREEN *scr;

	setlocale(LC_ALL, "");
	if (!(scr = newterm(NULL, stdout, stdin))) {
		fprintf(stderr,
			"whytop: cannot use the terminal type '%s': terminfo does not know it. "
			"Set TERM to your terminal's type (e.g. xterm-256color), or use "
			"'whytop list' to print the process table once.\n",
			term ? term : "(unset)");
		return 1;
	}
	/* TERM=dumb and the like: curses starts, but could only draw a blank screen. */
	const char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		fprintf(stderr,
			"whytop: the terminal type '%s' cannot move the cursor, which the "
			"interactive UI needs. Run it in a terminal with cursor addressing "
			"(TERM=xterm-256color, screen, tmux...), or use 'whytop list' to print "
			"the process table once.\n",
			term ? term : "(unset)");
		return 1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	return 0;
}

int ui_main(int argc, char **argv)
{
	static struct ui ui; /* one per program; big, so not on the stack */
	struct wt_err err;
	int r;

	wt_err_clear(&err);
	ui_config_defaults(&ui.cfg);
	ui_config_load(&ui.cfg);
	r = ui_config_flags(&ui.cfg, argc, argv, &err);
	/*
	 * The settings as this run started (file, then flags): on quit only what
	 * the UI changed from these is written, so a flag given for one run
	 * (-d 5, -s user, -C) never lands in the file.
	 */
	struct ui_config start = ui.cfg;
	if (r == 1) {
		ui_config_print_options(stdout);
		return 0;
	}
	if (r) {
		ui_print_error(err.msg);
		ui_config_free(&ui.cfg);
		return r;
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr,
			"whytop: the interactive UI needs a terminal, and standard %s is not one.\n"
			"Use 'whytop list' (or 'whytop list --json') to print the process table once; "
			"'whytop --help' lists every subcommand.\n",
			isatty(STDOUT_FILENO) ? "input" : "output");
		ui_config_free(&ui.cfg);
		return 1;
	}
	if ((r = ui_resolve_user(&ui))) {
		ui_config_free(&ui.cfg);
		return r;
	}
	ui.opts.pids = ui.cfg.pids;
	ui.opts.npids = ui.cfg.npids;
	if (ui.cfg.open && kill(ui.cfg.pids[0], 0) < 0 && errno == ESRCH) {
		fprintf(stderr, "whytop: no process %d (it may have exited)\n", (int)ui.cfg.pids[0]);
		ui_config_free(&ui.cfg);
		return 1;
	}
	ui.table = proc_table_new();
	if (!ui.table) {
		fprintf(stderr, "whytop: out of memory\n");
		ui_config_free(&ui.cfg);
		return 1;
	}
	if (ui_curses_start()) {
		proc_table_free(ui.table);
		ui_config_free(&ui.cfg);
		return 1;
	}
	ui.color = ui.cfg.color && has_colors();
	char theme[64];
	snprintf(theme, sizeof(theme), "%s", ui.cfg.theme);
	ui_load_theme(&ui, theme);
	/* The config file's complaints stay up until a key is pressed. */
	if (ui.cfg.nmsgs) {
		if (ui.cfg.nmsgs + ui.cfg.nmsgs_more > 1)
			ui_set_status(&ui, true, "%s (+%zu more: listed when whytop ends)",
				      ui.cfg.msgs[0], ui.cfg.nmsgs + ui.cfg.nmsgs_more - 1);
		else
			ui_set_status(&ui, true, "%s", ui.cfg.msgs[0]);
	}

	ui_rescan(&ui);
	ui_push(&ui, list_screen_new(&ui));
	if (ui.top)
		ui.top->ops->tick(ui.top);
	if (ui.cfg.blocked)
		ui_push(&ui, blocked_screen_new(&ui));
	if (ui.cfg.open) {
		ui_push(&ui, proc_screen_new(&ui, ui.cfg.pids[0]));
		proc_screen_set_direct(ui.top);
	}

	r = ui.top ? ui_loop_run(&ui) : -ENOMEM;
	endwin();
	unsigned changed = ui_config_diff(&start, &ui.cfg);
	/* A terminal that went away is not a quit: nobody saw the settings. */
	if (changed && !ui.cfg.no_save && r >= 0 && !ui_term_lost() &&
	    ui_config_save(&ui.cfg, changed, &err) < 0)
		ui_print_error(err.msg);
	/* What was wrong with the config file, where it stays readable. */
	for (size_t i = 0; i < ui.cfg.nmsgs; i++)
		fprintf(stderr, "whytop: %s\n", ui.cfg.msgs[i]);
	if (ui.cfg.nmsgs_more)
		fprintf(stderr, "whytop: and %zu more bad line%s in the configuration file (not listed)\n",
			ui.cfg.nmsgs_more, ui.cfg.nmsgs_more > 1 ? "s" : "");
	proc_table_free(ui.table);
	ui_config_free(&ui.cfg);
	if (r < 0) {
		fprintf(stderr, "whytop: the terminal UI failed: %s\n", strerror(-r));
		return 1;
	}
	/*
	 * The terminal went away: every target is released (the screens are
	 * gone) and there is nobody left to tell anything. End without exit
	 * handlers: in the sanitizer build LeakSanitizer's check at exit (it
	 * stops every thread with ptrace) was seen to hang for ever there.
	 */
	if (ui_term_lost())
		_exit(0);
	return 0;
}

void ui_print_options(FILE *f)
{
	ui_config_print_options(f);
}
