/*
 * header.c: the meters above the process list, in two columns (one on a
 * narrow terminal), chosen and ordered in the configuration (meters_left,
 * meters_right; the setup screen, F2): one bar per CPU or all combined
 * (user, system, io/irq/steal), memory and swap bars, task counts by state
 * with the D count highlighted when non-zero, load average, uptime, and
 * pressure stall averages from /proc/pressure.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

#define HEADER_MAX_CPU_LINES 16

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

/* Lines one meter takes. */
static int meter_lines(const struct proc_sysinfo *si, enum ui_meter m)
{
	switch (m) {
	case UI_M_CPUS:
		return cpu_lines(si);
	case UI_M_TASKS:
		return 2;
	default:
		return 1;
	}
}

static int column_lines(const struct ui_config *c, const struct proc_sysinfo *si, int col)
{
	int n = 0;
	for (size_t i = 0; i < c->nmeters[col]; i++)
		n += meter_lines(si, c->meters[col][i]);
	return n;
}

int header_height(const struct ui *ui, const struct proc_sysinfo *si, int w)
{
	if (!si)
		return 0;
	int left = column_lines(&ui->cfg, si, 0), right = column_lines(&ui->cfg, si, 1);
	int h = header_two_columns(w) ? (left > right ? left : right) : left + right;
	/* A blank line under the meters; none at all when there is no meter. */
	return h ? h + 1 : 0;
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

static void draw_cpus(int y, int x, int w, const struct proc_sysinfo *si)
{
	int per = cpus_per_line(si->ncpu);
	char label[16];
	if (per == 0 || !si->cpu) {
		draw_cpu(y, x, w, "Avg", &si->all);
		return;
	}
	int cw = w / per;
	for (int i = 0; i < si->ncpu; i++) {
		snprintf(label, sizeof(label), "%3d", i);
		draw_cpu(y + i / per, x + (i % per) * cw, cw - (per > 1), label, &si->cpu[i]);
	}
}

static void draw_mem(int y, int x, int w, const struct proc_sysinfo *si)
{
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
	draw_bar(y, x, w, "Mem", mem, 3, text);
}

static void draw_swap(int y, int x, int w, const struct proc_sysinfo *si)
{
	char used[16], total[16], text[40];
	double st = si->swap_total_kb ? (double)si->swap_total_kb : 1;
	fmt_kb(used, sizeof(used), si->swap_used_kb);
	fmt_kb(total, sizeof(total), si->swap_total_kb);
	snprintf(text, sizeof(text), "%s/%s", used, total);
	struct bar_part swp[] = { { (double)si->swap_used_kb / st, UI_E_BAR_SWAP } };
	draw_bar(y, x, w, "Swp", swp, 1, text);
}

static void draw_tasks(int y, int x, int w, const struct proc_sysinfo *si)
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
}

static void draw_uptime(int y, int x, int w, const struct proc_sysinfo *si)
{
	char buf[64];
	unsigned long up = (unsigned long)si->uptime_s, days = up / 86400;
	if (days)
		snprintf(buf, sizeof(buf), "%lu day%s, %02lu:%02lu:%02lu", days, days > 1 ? "s" : "",
			 up / 3600 % 24, up / 60 % 60, up % 60);
	else
		snprintf(buf, sizeof(buf), "%02lu:%02lu:%02lu", up / 3600, up / 60 % 60, up % 60);
	put_lv(y, x, w, "Uptime: ", buf, ui_attr(UI_E_VALUE));
}

/* "PSI io: some 0.12% 0.30% 1.00%  full ...": avg10, avg60, avg300. */
static void draw_psi(int y, int x, int w, const struct proc_sysinfo *si, int which)
{
	static const char *const label[3] = { "PSI cpu: ", "PSI io: ", "PSI memory: " };
	static const char *const file[3] = { "cpu", "io", "memory" };
	const struct proc_psi *p = &si->psi[which];
	char buf[160];
	if (!p->have) {
		snprintf(buf, sizeof(buf), "/proc/pressure/%s is missing (kernel without PSI)",
			 file[which]);
		put_lv(y, x, w, label[which], buf, ui_attr(UI_E_DIM));
		return;
	}
	int n = snprintf(buf, sizeof(buf), "some %.2f%% %.2f%% %.2f%%", p->some[0], p->some[1],
			 p->some[2]);
	if (p->has_full && n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, "  full %.2f%% %.2f%% %.2f%%", p->full[0],
			 p->full[1], p->full[2]);
	put_lv(y, x, w, label[which], buf, ui_attr(UI_E_VALUE));
}

static void draw_meter(const struct proc_sysinfo *si, enum ui_meter m, int y, int x, int w)
{
	char buf[64];
	switch (m) {
	case UI_M_CPUS:
		draw_cpus(y, x, w, si);
		break;
	case UI_M_CPU:
		draw_cpu(y, x, w, "CPU", &si->all);
		break;
	case UI_M_MEM:
		draw_mem(y, x, w, si);
		break;
	case UI_M_SWAP:
		draw_swap(y, x, w, si);
		break;
	case UI_M_LOAD:
		snprintf(buf, sizeof(buf), "%.2f %.2f %.2f", si->load[0], si->load[1], si->load[2]);
		put_lv(y, x, w, "Load average: ", buf, ui_attr(UI_E_VALUE));
		break;
	case UI_M_UPTIME:
		draw_uptime(y, x, w, si);
		break;
	case UI_M_TASKS:
		draw_tasks(y, x, w, si);
		break;
	case UI_M_PSI_CPU:
	case UI_M_PSI_IO:
	case UI_M_PSI_MEMORY:
		draw_psi(y, x, w, si, m - UI_M_PSI_CPU);
		break;
	default:
		break;
	}
}

/* One column's meters from line y; returns the line after the last. */
static int draw_column(const struct ui_config *c, const struct proc_sysinfo *si, int col, int y,
		       int x, int w)
{
	for (size_t i = 0; i < c->nmeters[col]; i++) {
		draw_meter(si, c->meters[col][i], y, x, w);
		y += meter_lines(si, c->meters[col][i]);
	}
	return y;
}

void header_draw(struct ui *ui, const struct proc_sysinfo *si, int w)
{
	if (!si)
		return;
	bool two = header_two_columns(w);
	int lw = two ? w / 2 - 1 : w;
	int y = draw_column(&ui->cfg, si, 0, 0, 0, lw);
	int end = two ? draw_column(&ui->cfg, si, 1, 0, w / 2 + 1, w - w / 2 - 1)
		      : draw_column(&ui->cfg, si, 1, y, 0, w);
	if (ui->paused) {
		int py = (two && end < y ? y : end) - 1;
		ui_put(stdscr, py < 0 ? 0 : py, w - 8, 8, ui_attr(UI_E_WARNING), "(paused)");
	}
}
