/*
 * header.c: the meters above the process list: one bar per CPU (user,
 * system, io/irq/steal), memory and swap bars, task counts by state with
 * the D count highlighted when non-zero, load average and uptime.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

#define HEADER_MAX_CPU_LINES 16
#define HEADER_RIGHT_LINES 4

/* CPUs shown per line of the left column, or 0 when only the average fits. */
static int cpus_per_line(int ncpu)
{
	if (ncpu <= HEADER_MAX_CPU_LINES / 2)
		return 1;
	if (ncpu <= HEADER_MAX_CPU_LINES * 2)
		return 2;
	return 0;
}

static int cpu_lines(const struct proc_sysinfo *si)
{
	int per = cpus_per_line(si->ncpu);
	return per ? (si->ncpu + per - 1) / per : 1;
}

static bool header_two_columns(int w)
{
	return w >= 80;
}

int header_height(const struct proc_sysinfo *si, int w)
{
	if (!si)
		return 0;
	int left = cpu_lines(si) + 2;
	if (header_two_columns(w))
		return (left > HEADER_RIGHT_LINES ? left : HEADER_RIGHT_LINES) + 1;
	return left + HEADER_RIGHT_LINES + 1;
}

struct bar_part {
	double frac;
	enum ui_elem elem;
};

/* "LBL[||||||      text]" in w columns at (y, x). */
static void draw_bar(int y, int x, int w, const char *label, const struct bar_part *parts,
		     int nparts, const char *text)
{
	int lw = (int)strlen(label);
	ui_put(stdscr, y, x, lw, ui_attr(UI_E_LABEL), label);
	int inner = w - lw - 2;
	if (inner < 1)
		return;
	ui_put(stdscr, y, x + lw, 1, ui_attr(UI_E_BAR_BRACKET), "[");
	ui_put(stdscr, y, x + lw + 1 + inner, 1, ui_attr(UI_E_BAR_BRACKET), "]");
	int tl = (int)strlen(text);
	int tx = inner - tl; /* text sits at the right end of the bar */
	int col = 0;
	for (int p = 0; p < nparts; p++) {
		double f = parts[p].frac;
		if (f < 0)
			f = 0;
		int n = (int)(f * inner + 0.5);
		for (int i = 0; i < n && col < inner; i++, col++) {
			char ch[2] = { '|', 0 };
			if (col >= tx && col - tx < tl)
				ch[0] = text[col - tx];
			ui_put(stdscr, y, x + lw + 1 + col, 1, ui_attr(parts[p].elem), ch);
		}
	}
	for (; col < inner; col++) {
		char ch[2] = { ' ', 0 };
		if (col >= tx && col - tx < tl)
			ch[0] = text[col - tx];
		ui_put(stdscr, y, x + lw + 1 + col, 1, ui_attr(UI_E_DIM), ch);
	}
}

static void fmt_kb(char *out, size_t sz, uint64_t kb)
{
	const char *u = "KMGTP";
	double v = (double)kb;
	int i = 0;
	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(out, sz, "%lluK", (unsigned long long)kb);
	else
		snprintf(out, sz, v < 10 ? "%.2f%c" : "%.1f%c", v, u[i]);
}

static void draw_cpu(int y, int x, int w, const char *label, const struct proc_cpu *c)
{
	char text[16];
	snprintf(text, sizeof(text), "%.1f%%", c->total_pct);
	struct bar_part parts[] = {
		{ c->user_pct / 100.0, UI_E_BAR_USER },
		{ c->system_pct / 100.0, UI_E_BAR_SYSTEM },
		{ (c->iowait_pct + c->irq_pct + c->steal_pct) / 100.0, UI_E_BAR_IO },
	};
	draw_bar(y, x, w, label, parts, 3, text);
}

/* label: value, value in the value colour. */
static int put_lv(int y, int x, int w, const char *label, const char *value, int vattr)
{
	int n = ui_put(stdscr, y, x, w, ui_attr(UI_E_LABEL), label);
	return n + ui_put(stdscr, y, x + n, w - n, vattr, value);
}

static void draw_right(struct ui *ui, const struct proc_sysinfo *si, int y, int x, int w)
{
	char buf[160];
	snprintf(buf, sizeof(buf), "%u, %u thr, %u kthr; %u running", si->nprocs, si->nthreads,
		 si->nkthreads, si->nrunning);
	put_lv(y, x, w, "Tasks: ", buf, ui_attr(UI_E_VALUE));

	/* States, with D standing out whenever a task is in it. */
	int cx = x + ui_put(stdscr, y + 1, x, w, ui_attr(UI_E_LABEL), "States: ");
	struct {
		const char *name;
		unsigned n;
		enum ui_elem hl;
	} st[] = {
		{ "R", si->nrunning, UI_E_VALUE },  { "S", si->nsleeping, UI_E_VALUE },
		{ "D", si->ndisk, UI_E_STATE_D },   { "T", si->nstopped, UI_E_VALUE },
		{ "Z", si->nzombie, UI_E_VALUE },   { "I", si->nidle, UI_E_VALUE },
	};
	for (size_t i = 0; i < WT_ARRAY_SIZE(st); i++) {
		snprintf(buf, sizeof(buf), "%s %u", st[i].name, st[i].n);
		int a = st[i].n && st[i].hl == UI_E_STATE_D ? ui_attr(UI_E_STATE_D)
							      : ui_attr(UI_E_VALUE);
		int room = x + w - cx;
		if (room <= 0)
			break;
		cx += ui_put(stdscr, y + 1, cx, room, a, buf);
		cx += ui_put(stdscr, y + 1, cx, x + w - cx, ui_attr(UI_E_NORMAL), "  ");
	}

	snprintf(buf, sizeof(buf), "%.2f %.2f %.2f", si->load[0], si->load[1], si->load[2]);
	put_lv(y + 2, x, w, "Load average: ", buf, ui_attr(UI_E_VALUE));

	unsigned long up = (unsigned long)si->uptime_s, days = up / 86400;
	if (days)
		snprintf(buf, sizeof(buf), "%lu day%s, %02lu:%02lu:%02lu", days, days > 1 ? "s" : "",
			 up / 3600 % 24, up / 60 % 60, up % 60);
	else
		snprintf(buf, sizeof(buf), "%02lu:%02lu:%02lu", up / 3600, up / 60 % 60, up % 60);
	put_lv(y + 3, x, w, "Uptime: ", buf, ui_attr(UI_E_VALUE));
	if (ui->paused)
		ui_put(stdscr, y + 3, x + w - 8, 8, ui_attr(UI_E_WARNING), "(paused)");
}

void header_draw(struct ui *ui, const struct proc_sysinfo *si, int w)
{
	if (!si)
		return;
	bool two = header_two_columns(w);
	int lw = two ? w / 2 - 1 : w;
	int per = cpus_per_line(si->ncpu), y = 0;
	char label[16];
	if (per == 0 || !si->cpu) {
		draw_cpu(y++, 0, lw, "Avg", &si->all);
	} else {
		int cw = lw / per;
		for (int i = 0; i < si->ncpu; i++) {
			snprintf(label, sizeof(label), "%3d", i);
			draw_cpu(y + i / per, (i % per) * cw, cw - (per > 1), label, &si->cpu[i]);
		}
		y += cpu_lines(si);
	}

	char used[16], total[16], text[40];
	double mt = si->mem_total_kb ? (double)si->mem_total_kb : 1;
	fmt_kb(used, sizeof(used), si->mem_used_kb);
	fmt_kb(total, sizeof(total), si->mem_total_kb);
	snprintf(text, sizeof(text), "%s/%s", used, total);
	struct bar_part mem[] = {
		{ (double)si->mem_used_kb / mt, UI_E_BAR_MEM },
		{ (double)si->mem_buffers_kb / mt, UI_E_BAR_BUFFERS },
		{ (double)si->mem_cached_kb / mt, UI_E_BAR_CACHE },
	};
	draw_bar(y++, 0, lw, "Mem", mem, 3, text);

	double st = si->swap_total_kb ? (double)si->swap_total_kb : 1;
	fmt_kb(used, sizeof(used), si->swap_used_kb);
	fmt_kb(total, sizeof(total), si->swap_total_kb);
	snprintf(text, sizeof(text), "%s/%s", used, total);
	struct bar_part swp[] = { { (double)si->swap_used_kb / st, UI_E_BAR_SWAP } };
	draw_bar(y++, 0, lw, "Swp", swp, 1, text);

	if (two)
		draw_right(ui, si, 0, w / 2 + 1, w - w / 2 - 1);
	else
		draw_right(ui, si, y, 0, w);
}
