/*
 * kformat.c: words and JSON for the kernel view, shared by the CLI and the
 * TUI so that both say the same thing: state names, durations, and the
 * JSON form of a thread and of the blocked view.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <whytop/kernel.h>
#include <whytop/sysnames.h>

const char *kstate_name(char s)
{
	switch (s) {
	case 'R': return "running";
	case 'S': return "sleeping (interruptible)";
	case 'D': return "disk sleep (uninterruptible)";
	case 'T': return "stopped";
	case 't': return "stopped by a tracer";
	case 'Z': return "zombie";
	case 'X': return "dead";
	case 'I': return "idle kernel thread";
	case 'P': return "parked";
	case 'W': return "waking";
	case 'K': return "wakekill";
	default: return "unknown";
	}
}

char *kduration_format(uint64_t ns, char *out, size_t outsz)
{
	uint64_t s = ns / 1000000000u;
	if (s < 60)
		snprintf(out, outsz, "%" PRIu64 ".%01" PRIu64 "s", s, (ns / 100000000u) % 10);
	else if (s < 3600)
		snprintf(out, outsz, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(out, outsz, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, (s / 60) % 60);
	return out;
}

static const char *sys_state_word(enum ksys_state s)
{
	switch (s) {
	case KSYS_RUNNING: return "running";
	case KSYS_NONE: return "not_in_syscall";
	case KSYS_IN: return "in_syscall";
	case KSYS_KTHREAD: return "kernel_thread";
	case KSYS_EXITED: return "exited";
	default: return "unknown";
	}
}

static const char *arg_kind_word(enum ksys_arg_kind k)
{
	switch (k) {
	case KARG_NUM: return "number";
	case KARG_FD: return "fd";
	case KARG_DIRFD: return "dirfd";
	case KARG_PATH: return "path";
	case KARG_OCT: return "mode";
	default: return "hex";
	}
}

void ksyscall_json(struct wt_buf *b, const struct ksyscall *sc)
{
	wt_buf_printf(b, "{\"state\":\"%s\"", sys_state_word(sc->state));
	if (sc->state == KSYS_IN) {
		wt_buf_printf(b, ",\"nr\":%ld,\"abi\":\"%s\",\"name\":", sc->nr,
			      sysname_arch_label(sc->arch));
		wt_json_str(b, sc->name);
		wt_buf_puts(b, ",\"args\":[");
		for (int i = 0; i < sc->nargs; i++) {
			const struct ksys_arg *a = &sc->arg[i];
			wt_buf_printf(b,
				      "%s{\"name\":\"%s\",\"kind\":\"%s\",\"raw\":\"0x%" PRIx64
				      "\",\"text\":",
				      i ? "," : "", a->name, arg_kind_word(a->kind), a->raw);
			wt_json_str_or_null(b, a->text);
			if (a->kind == KARG_FD || a->kind == KARG_DIRFD || a->kind == KARG_PATH) {
				wt_buf_puts(b, ",\"path\":");
				wt_json_str_or_null(b, a->target);
				if (a->note) {
					wt_buf_puts(b, ",\"note\":");
					wt_json_str(b, a->note);
				}
			}
			wt_buf_puts(b, "}");
		}
		wt_buf_puts(b, "]");
	}
	if (sc->state == KSYS_IN || sc->state == KSYS_NONE)
		wt_buf_printf(b, ",\"sp\":\"0x%" PRIx64 "\",\"pc\":\"0x%" PRIx64 "\"", sc->sp,
			      sc->pc);
	wt_buf_puts(b, ",\"summary\":");
	wt_json_str_or_null(b, sc->summary);
	wt_buf_puts(b, ",\"file\":");
	wt_json_str_or_null(b, sc->file);
	wt_buf_puts(b, "}");
}

void kthread_json(struct wt_buf *b, const struct kthread *t)
{
	wt_buf_printf(b, "{\"tid\":%d,\"comm\":", (int)t->tid);
	wt_json_str_or_null(b, t->comm);
	wt_buf_printf(b, ",\"state\":\"%c\",\"state_name\":\"%s\",\"wchan\":", t->state,
		      kstate_name(t->state));
	wt_json_str_or_null(b, t->wchan);
	if (t->wchan_error) {
		wt_buf_puts(b, ",\"wchan_error\":");
		wt_json_str(b, t->wchan_error);
	}
	wt_buf_puts(b, ",\"syscall\":");
	ksyscall_json(b, &t->sc);
	if (t->syscall_error) {
		wt_buf_puts(b, ",\"syscall_error\":");
		wt_json_str(b, t->syscall_error);
	}
	wt_buf_puts(b, ",\"stack\":");
	if (t->stack_error && !t->nframes) {
		wt_buf_puts(b, "null,\"stack_error\":");
		wt_json_str(b, t->stack_error);
	} else {
		wt_buf_puts(b, "[");
		for (size_t i = 0; i < t->nframes; i++) {
			const struct kframe *f = &t->frames[i];
			wt_buf_printf(b, "%s{\"func\":", i ? "," : "");
			wt_json_str_or_null(b, f->func);
			wt_buf_printf(b, ",\"offset\":%" PRIu64 ",\"size\":%" PRIu64 ",\"module\":",
				      f->offset, f->size);
			wt_json_str_or_null(b, f->module);
			wt_buf_puts(b, "}");
		}
		wt_buf_puts(b, "]");
	}
	if (t->blocked) {
		char since[32];
		struct tm tm;
		gmtime_r(&t->blocked_since, &tm);
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
		wt_buf_printf(b, ",\"blocked_for_s\":%.3f,\"blocked_since\":\"%s\"",
			      (double)t->blocked_ns / 1e9, since);
	}
	wt_buf_puts(b, "}");
}

void kproc_json(struct wt_buf *b, const struct kproc *kp)
{
	wt_buf_printf(b, "{\"pid\":%d,\"comm\":", (int)kp->pid);
	wt_json_str_or_null(b, kp->comm);
	wt_buf_printf(b, ",\"uid\":%u,\"kernel_thread\":%s,\"abi\":\"%s\",\"threads\":[",
		      (unsigned)kp->uid, kp->is_kthread ? "true" : "false",
		      kp->is_kthread ? "none" : sysname_arch_label(kp->arch));
	for (size_t i = 0; i < kp->nthreads; i++) {
		if (i)
			wt_buf_puts(b, ",");
		kthread_json(b, &kp->threads[i]);
	}
	wt_buf_puts(b, "]}");
}

void kblocked_json(struct wt_buf *b, const struct kblocked *bl)
{
	wt_buf_printf(b, "{\"tasks_scanned\":%zu,\"blocked\":%zu,\"note\":", bl->nscanned,
		      bl->ntasks);
	wt_json_str_or_null(b, bl->note);
	wt_buf_puts(b, ",\"groups\":[");
	for (size_t i = 0; i < bl->ngroups; i++) {
		const struct kblocked_group *g = &bl->groups[i];
		wt_buf_printf(b, "%s{\"key\":", i ? "," : "");
		wt_json_str(b, g->key);
		wt_buf_printf(b, ",\"from\":\"%s\",\"count\":%zu,\"tasks\":[",
			      g->from_stack ? "stack" : "wchan", g->ntasks);
		for (size_t j = 0; j < g->ntasks; j++) {
			const struct kblocked_task *t = &g->tasks[j];
			wt_buf_printf(b, "%s{\"pid\":%d,\"process\":", j ? "," : "", (int)t->pid);
			wt_json_str_or_null(b, t->pcomm);
			wt_buf_puts(b, ",\"thread\":");
			kthread_json(b, &t->t);
			wt_buf_puts(b, "}");
		}
		wt_buf_puts(b, "]}");
	}
	wt_buf_puts(b, "]}");
}
