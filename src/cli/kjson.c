/*
 * kjson.c: the JSON form of the kernel view (see kjson.h). The words a
 * state or an argument kind is written as are part of the documented
 * output; the people's words (kernel_state_name) come from the core, shared with
 * the TUI.
 */
#include <time.h>

#include <whytop/sysnames.h>

#include "cli/kjson.h"

static const char *kjson_sys_state(enum kernel_sys_state s)
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

static const char *kjson_arg_kind(enum kernel_sys_arg_kind k)
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

void kjson_syscall(struct json *j, const struct kernel_syscall *sc)
{
	json_object_begin(j);
	json_field_string(j, "state", kjson_sys_state(sc->state));
	if (sc->state == KSYS_IN) {
		json_field_int(j, "nr", sc->nr);
		json_field_string(j, "abi", sysname_arch_label(sc->arch));
		json_field_string(j, "name", sc->name);
		json_key(j, "args");
		json_array_begin(j);
		for (int i = 0; i < sc->nargs; i++) {
			const struct kernel_sys_arg *a = &sc->arg[i];
			json_object_begin(j);
			json_field_string(j, "name", a->name);
			json_field_string(j, "kind", kjson_arg_kind(a->kind));
			json_field_hex(j, "raw", a->raw);
			json_field_string(j, "text", a->text);
			if (a->kind == KARG_FD || a->kind == KARG_DIRFD || a->kind == KARG_PATH) {
				json_field_string(j, "path", a->target);
				if (a->note)
					json_field_string(j, "note", a->note);
			}
			json_object_end(j);
		}
		json_array_end(j);
	}
	if (sc->state == KSYS_IN || sc->state == KSYS_NONE) {
		json_field_hex(j, "sp", sc->sp);
		json_field_hex(j, "pc", sc->pc);
	}
	json_field_string(j, "summary", sc->summary);
	json_field_string(j, "file", sc->file);
	json_object_end(j);
}

void kjson_thread(struct json *j, const struct kernel_thread *t)
{
	json_object_begin(j);
	json_field_int(j, "tid", t->tid);
	json_field_string(j, "comm", t->comm);
	json_field_char(j, "state", t->state);
	json_field_string(j, "state_name", kernel_state_name(t->state));
	json_field_string(j, "wchan", t->wchan);
	if (t->wchan_error)
		json_field_string(j, "wchan_error", t->wchan_error);
	json_key(j, "syscall");
	kjson_syscall(j, &t->sc);
	if (t->syscall_error)
		json_field_string(j, "syscall_error", t->syscall_error);
	json_key(j, "stack");
	if (t->stack_error && !t->nframes) {
		json_null(j);
		json_field_string(j, "stack_error", t->stack_error);
	} else {
		json_array_begin(j);
		for (size_t i = 0; i < t->nframes; i++) {
			const struct kernel_frame *f = &t->frames[i];
			json_object_begin(j);
			json_field_string(j, "func", f->func);
			json_field_uint(j, "offset", f->offset);
			json_field_uint(j, "size", f->size);
			json_field_string(j, "module", f->module);
			json_object_end(j);
		}
		json_array_end(j);
	}
	if (t->blocked) {
		char since[32];
		struct tm tm;
		gmtime_r(&t->blocked_since, &tm);
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_field_double(j, "blocked_for_s", (double)t->blocked_ns / 1e9, 3);
		json_field_string(j, "blocked_since", since);
		/* false: as observed by whytop, the wait may be longer */
		json_field_bool(j, "blocked_exact", t->blocked_exact);
	}
	json_object_end(j);
}

void kjson_proc(struct json *j, const struct kernel_proc *kp)
{
	json_object_begin(j);
	json_field_int(j, "pid", kp->pid);
	json_field_string(j, "comm", kp->comm);
	json_field_uint(j, "uid", kp->uid);
	json_field_bool(j, "kernel_thread", kp->is_kthread);
	json_field_string(j, "abi", kp->is_kthread ? "none" : sysname_arch_label(kp->arch));
	json_key(j, "threads");
	json_array_begin(j);
	for (size_t i = 0; i < kp->nthreads; i++)
		kjson_thread(j, &kp->threads[i]);
	json_array_end(j);
	json_object_end(j);
}

void kjson_blocked(struct json *j, const struct kernel_blocked *bl)
{
	json_object_begin(j);
	json_field_uint(j, "tasks_scanned", bl->nscanned);
	json_field_uint(j, "blocked", bl->ntasks);
	json_field_string(j, "note", bl->note);
	json_key(j, "groups");
	json_array_begin(j);
	for (size_t i = 0; i < bl->ngroups; i++) {
		const struct kernel_blocked_group *g = &bl->groups[i];
		json_object_begin(j);
		json_field_string(j, "key", g->key);
		json_field_string(j, "from", g->from_stack ? "stack" : "wchan");
		json_field_uint(j, "count", g->ntasks);
		json_key(j, "tasks");
		json_array_begin(j);
		for (size_t k = 0; k < g->ntasks; k++) {
			const struct kernel_blocked_task *t = &g->tasks[k];
			json_object_begin(j);
			json_field_int(j, "pid", t->pid);
			json_field_string(j, "process", t->pcomm);
			json_key(j, "thread");
			kjson_thread(j, &t->t);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}
