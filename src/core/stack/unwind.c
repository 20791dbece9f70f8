/*
 * unwind.c: the primary unwinder, libunwind-ptrace, run on the snapshot
 * after the target was let go. libunwind's own _UPT accessors would stop
 * the target for every word (one PTRACE_PEEKDATA each) and every register
 * (a full PTRACE_GETREGSET each); ours answer from the copied registers and
 * stack windows, and from cached read-only pages for unwind tables.
 *
 * _UPT_find_proc_info remembers only the last ELF image it mapped, and
 * re-reads /proc/PID/maps and re-maps a file whenever the walk moves to
 * another library. We keep one _UPT handle per module, so each module is
 * mapped once per process and stays cached between walks, with libunwind's
 * global caching on in the one address space per process.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gelf.h>
#include <libunwind-ptrace.h>

#include "core/stack/stack_int.h"

struct unwind_upt {
	Dwarf_Addr start; /* module start, the key */
	void *upt;	  /* _UPT_create handle caching this module's ELF */
};

struct unwind_space {
	unw_addr_space_t as;
	struct unwind_upt *upts;
	size_t nupts, cap;
};

/*
 * libunwind passes our accessors either the cursor's argument or, from
 * inside _UPT_find_proc_info, the _UPT handle; neither leads back to the
 * walk. Walks run one at a time on the tracer thread, so the walk is here.
 */
static __thread struct debug_proc *unwind_dp;

static void *unwind_upt_for(struct debug_proc *dp, unw_word_t ip)
{
	struct unwind_space *uw = dp->uw;
	Dwfl_Module *mod = dwfl_addrmodule(dp->dwfl, ip);
	if (!mod)
		return NULL;
	Dwarf_Addr start;
	const char *name = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	/* [vdso] and other images without a file: libunwind cannot open them. */
	if (!name || name[0] != '/')
		return NULL;
	/*
	 * libunwind opens the path maps gives, in our mount namespace: only
	 * where that is the mapped file (not a bind mount in the target's
	 * namespace, a replaced binary, an escaped newline). Elsewhere the
	 * fallback unwinds with the module's right file (modfile.c).
	 */
	struct debug_mod *dm = modfile_of(mod);
	if (!dm || !dm->host_path)
		return NULL;
	for (size_t i = 0; i < uw->nupts; i++)
		if (uw->upts[i].start == start)
			return uw->upts[i].upt;
	if (uw->nupts == uw->cap) {
		size_t cap = uw->cap ? uw->cap * 2 : 16;
		void *p = realloc(uw->upts, cap * sizeof(*uw->upts));
		if (!p)
			return NULL;
		uw->upts = p;
		uw->cap = cap;
	}
	void *upt = _UPT_create(dp->pid);
	if (!upt)
		return NULL;
	uw->upts[uw->nupts++] = (struct unwind_upt){start, upt};
	return upt;
}

/*
 * libunwind's search of an .eh_frame_hdr table, exported though not in its
 * headers (perf's libunwind glue declares it the same way).
 */
extern int _Ux86_64_dwarf_search_unwind_table(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di, unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);

/*
 * A loaded snapshot has no process for _UPT_find_proc_info (it reads
 * /proc/PID/maps): the module's .eh_frame_hdr is found from its file's
 * program headers, and libunwind searches its table through our
 * access_mem, which reads the same file (snapfile_mem_read). As
 * libunwind's dwarf_find_unwind_table does it for a live process.
 */
static int unwind_stored_proc_info(struct debug_proc *dp, unw_addr_space_t as, unw_word_t ip,
				   unw_proc_info_t *pi, int need_unwind_info, void *arg)
{
	Dwfl_Module *mod = dwfl_addrmodule(dp->dwfl, ip);
	const char *name =
	    mod ? dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL) : NULL;
	/* The vDSO as in a live walk: the fallback's, so both show the same frames. */
	if (!name || name[0] != '/')
		return -UNW_ENOINFO;
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	size_t phnum;
	if (!elf || elf_getphdrnum(elf, &phnum) < 0)
		return -UNW_ENOINFO;
	GElf_Phdr hdr = {0}, text = {0}, p;
	for (size_t i = 0; i < phnum; i++) {
		if (!gelf_getphdr(elf, (int)i, &p))
			continue;
		if (p.p_type == PT_GNU_EH_FRAME)
			hdr = p;
		else if (p.p_type == PT_LOAD && (p.p_flags & PF_X) && ip >= bias + p.p_vaddr &&
			 ip < bias + p.p_vaddr + p.p_memsz)
			text = p;
	}
	if (hdr.p_type != PT_GNU_EH_FRAME || text.p_type != PT_LOAD)
		return -UNW_ENOINFO;
	uint64_t at = bias + hdr.p_vaddr, head, count;
	/* version 1, eh_frame_ptr 4 bytes, fde_count udata4, table datarel|sdata4 */
	if (debug_mem_read_word(dp, at, &head) < 0 || (head & 0xff) != 1 ||
	    ((head >> 8) & 0x07) != 0x03 || /* eh_frame_ptr: a 4-byte encoding */
	    ((head >> 16) & 0xff) != 0x03 || ((head >> 24) & 0xff) != 0x3b ||
	    debug_mem_read_word32(dp, at + 8, &count) < 0)
		return -UNW_ENOINFO;
	unw_dyn_info_t di = {
	    .start_ip = bias + text.p_vaddr,
	    .end_ip = bias + text.p_vaddr + text.p_memsz,
	    .format = UNW_INFO_FORMAT_REMOTE_TABLE,
	    .u.rti = {.segbase = at,
		      .table_data = at + 12,
		      .table_len = count * 8 / sizeof(unw_word_t)},
	};
	return _Ux86_64_dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
}

static int unwind_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
				 int need_unwind_info, void *arg)
{
	if (unwind_dp->stored)
		return unwind_stored_proc_info(unwind_dp, as, ip, pi, need_unwind_info, arg);
	void *upt = unwind_upt_for(unwind_dp, ip);
	if (!upt)
		return -UNW_ENOINFO;
	return _UPT_find_proc_info(as, ip, pi, need_unwind_info, upt);
}

static void unwind_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	_UPT_put_unwind_info(as, pi, arg);
}

static int unwind_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil, void *arg)
{
	return -UNW_ENOINFO; /* no JIT registration: skip libunwind's search of the maps */
}

static int unwind_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write,
			     void *arg)
{
	if (write)
		return -UNW_EREADONLYREG;
	uint64_t v;
	if (debug_mem_read_word(unwind_dp, addr, &v) < 0)
		return -UNW_EINVAL;
	*val = v;
	return 0;
}

static int unwind_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write,
			     void *arg)
{
	/* libunwind's x86_64 numbers are the DWARF numbers 0..16. */
	if (write || reg < 0 || reg >= STACK_NREGS || !unwind_dp->cur)
		return -UNW_EBADREG;
	*val = unwind_dp->cur->regs[reg];
	return 0;
}

static int unwind_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write,
			       void *arg)
{
	return -UNW_EBADREG;
}

static int unwind_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	return -UNW_EINVAL;
}

static int unwind_get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
				unw_word_t *off, void *arg)
{
	return -UNW_ENOINFO; /* names come from libdw (symbols.c) */
}

static unw_accessors_t unwind_accessors = {
    .find_proc_info = unwind_find_proc_info,
    .put_unwind_info = unwind_put_unwind_info,
    .get_dyn_info_list_addr = unwind_get_dyn_info_list_addr,
    .access_mem = unwind_access_mem,
    .access_reg = unwind_access_reg,
    .access_fpreg = unwind_access_fpreg,
    .resume = unwind_resume,
    .get_proc_name = unwind_get_proc_name,
};

int unwind_space_new(struct debug_proc *dp, struct unwind_space **out)
{
	struct unwind_space *uw = calloc(1, sizeof(*uw));
	if (!uw)
		return -ENOMEM;
	uw->as = unw_create_addr_space(&unwind_accessors, 0);
	if (!uw->as) {
		free(uw);
		return -ENOMEM;
	}
	unw_set_caching_policy(uw->as, UNW_CACHE_GLOBAL);
	*out = uw;
	return 0;
}

void unwind_space_flush(struct unwind_space *uw)
{
	for (size_t i = 0; i < uw->nupts; i++)
		_UPT_destroy(uw->upts[i].upt);
	uw->nupts = 0;
	unw_flush_cache(uw->as, 0, 0);
}

void unwind_space_free(struct unwind_space *uw)
{
	unwind_space_flush(uw);
	unw_destroy_addr_space(uw->as);
	free(uw->upts);
	free(uw);
}

/* Registers the SysV ABI makes callees preserve; others are unknown in outer frames. */
static bool unwind_callee_saved(int r)
{
	return r == 3 || r == 6 || r == 7 || (r >= 12 && r <= 16);
}

static void unwind_frame_regs(unw_cursor_t *c, struct stack_frame *f, bool first)
{
	for (int r = 0; r < STACK_NREGS; r++) {
		if (!first && !unwind_callee_saved(r))
			continue;
		unw_word_t v;
		if (unw_get_reg(c, r, &v) < 0)
			continue;
		f->regs[r] = v;
		f->regs_valid |= 1u << r;
		unw_save_loc_t loc;
		if (!first && unw_get_save_loc(c, r, &loc) == 0 && loc.type == UNW_SLT_MEMORY)
			f->reg_addr[r] = loc.u.addr;
	}
}

size_t unwind_thread(struct debug_proc *dp, struct stack_frame *frames, size_t max,
		     const char **why)
{
	unw_cursor_t c;
	*why = NULL;
	unwind_dp = dp;
	int r = unw_init_remote(&c, dp->uw->as, dp);
	if (r < 0) {
		*why = unw_strerror(r);
		unwind_dp = NULL;
		return 0;
	}
	size_t n = 0;
	while (n < max) {
		struct stack_frame *f = &frames[n];
		memset(f, 0, sizeof(*f));
		unw_word_t ip, sp;
		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0 || unw_get_reg(&c, UNW_REG_SP, &sp) < 0)
			break;
		if (ip == 0)
			break;
		f->pc = ip;
		unwind_frame_regs(&c, f, n == 0);
		/*
		 * libunwind 1.6 answers true for the frame it restored from a
		 * signal context, one above the trampoline: the trampoline
		 * (__restore_rt) is the frame below.
		 */
		if (n > 0 && unw_is_signal_frame(&c) > 0)
			frames[n - 1].flags |= STACK_FRAME_SIGNAL;
		if (n > 0) {
			/* The caller's stack pointer is the callee's canonical frame address. */
			frames[n - 1].cfa = sp;
			if (frames[n - 1].pc == ip && frames[n - 1].regs[STACK_REG_SP] == sp) {
				*why = "the unwinder looped on one frame";
				break;
			}
		}
		n++;
		/*
		 * Without unwind info libunwind guesses from rbp; in the vDSO that
		 * yields a wrong caller and garbage above it. Stop and let the
		 * fallback (which reads the vDSO's own CFI) continue honestly.
		 */
		unw_proc_info_t pi;
		/* (libunwind reports a missing FDE as a one-byte procedure, not an error) */
		if (unw_get_proc_info(&c, &pi) < 0 ||
		    (pi.start_ip == ip && pi.end_ip == ip + 1 && !pi.unwind_info)) {
			*why = "no unwind information for this code";
			break;
		}
		r = unw_step(&c);
		if (r == 0)
			break;
		if (r < 0) {
			*why = unw_strerror(r);
			break;
		}
	}
	unwind_dp = NULL;
	return n;
}
