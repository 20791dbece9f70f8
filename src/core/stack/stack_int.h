/*
 * stack_int.h: what the files of src/core/stack (and vars) share and front ends do not
 * see: the inside of a debug_proc, the snapshot taken while the target is
 * held, and the unwinders and the symbolizer that work on that snapshot
 * after the target runs again.
 */
#ifndef WHYTOP_DEBUG_INT_H
#define WHYTOP_DEBUG_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <elfutils/libdwfl.h>

#include <whytop/attach.h>
#include <whytop/stack.h>

/* One line of /proc/PID/maps. */
struct debug_map {
	uint64_t start, end;
	bool readable, writable, exec, file;
	uint64_t offset, ino; /* the mapped file's identity, as the kernel gives it */
	unsigned dev_major, dev_minor;
	const char *path; /* into debug_proc.maps_text, path_len bytes, as maps escapes it */
	size_t path_len;
};

/*
 * What whytop knows about one module's file (modfile.c), kept in the
 * module's libdwfl userdata slot from its report until it is removed.
 */
struct debug_mod {
	uint32_t magic; /* DEBUG_MOD_MAGIC: a Dwfl of ours, not a caller's */
	struct debug_proc *dp;
	/* Its first mapping: /proc/PID/map_files/START-END opens that inode. */
	uint64_t start, end, offset, ino;
	unsigned dev_major, dev_minor;
	uint64_t mod_end; /* the module's last mapping ends here */
	bool opened;	  /* find_elf ran for it */
	/* The path in maps names the mapped file in our own namespace:
	 * libunwind, which opens files by that path, may be used on it. */
	bool host_path;
	char *refused; /* why its file is not used, a sentence; NULL: none */
	/*
	 * Every debug_mod of dp, whatever libdwfl still holds: a module
	 * libdwfl drops without calling back (seen while a process execs
	 * under whytop trace -k) is freed with dp, not lost.
	 */
	struct debug_mod *all_prev, *all_next;
};
#define DEBUG_MOD_MAGIC 0x6d6f6466u

/* A cached page of the target's read-only memory (unwind tables, code). */
#define DEBUG_PAGE_SLOTS 512
struct debug_page {
	uint64_t addr; /* page address, 0: empty */
	uint8_t data[4096];
};

/* One thread as copied while it was held. */
struct snap_thread {
	pid_t tid;
	char state;
	char *name;
	bool ok;		    /* registers were read */
	bool is32;		    /* an i386 thread: regs hold its registers zero-extended */
	uint64_t regs[STACK_NREGS]; /* x86_64 DWARF order (eax in rax's slot, ...) */
	uint64_t orig_ax;	    /* the syscall number the thread is in or came from */
	uint64_t win_lo;	    /* stack copy [win_lo, win_lo + win_len) */
	size_t win_len;
	uint8_t *win;
	bool win_truncated; /* the stack went on beyond the copy */
	const char *error;  /* static text: why nothing could be walked */
	/*
	 * Unwound already, while the hold waited for other threads to stop
	 * (stack.c, attach_opts.on_idle): frames not yet named, the
	 * unwinder's error (malloc'ed), NULL frames if not done.
	 */
	struct stack_frame *early;
	size_t nearly;
	char *early_error;
	char *early_name; /* its comm, escaped, read then too */
	bool early_done;
	bool early_named; /* early holds named frames (all names were kept ones) */
};

struct snap {
	pid_t pid;
	struct snap_thread *threads;
	size_t nthreads, cap;
};

struct unwind_space; /* libunwind side, unwind.c */
struct symbols_cache; /* names by pc, symbols.c */
struct symidx;	      /* sorted symbol tables, symidx.c */
struct namecache;     /* names kept on disk, namecache.c */

struct target;

struct debug_proc {
	pid_t pid;
	struct debug_mod *mods; /* every debug_mod made for it (modfile.c) */
	struct target *target; /* the owner of pid: holds are made on its thread */
	/*
	 * An i386 program (a compat task): registers are its 32-bit ones
	 * zero-extended in the x86_64 slots, words in memory are 4 bytes, and
	 * only libdwfl (whose ebl is then i386) and frame pointers unwind it.
	 */
	bool is32;
	Dwfl *dwfl;
	bool dwfl_state; /* dwfl_attach_state done (fallback unwinder) */
	char *maps_text; /* last /proc/PID/maps, to notice dlopen/munmap */
	size_t maps_len;
	struct debug_map *maps;
	size_t nmaps;
	struct debug_page *pages; /* DEBUG_PAGE_SLOTS, direct mapped */
	struct unwind_space *uw;
	struct symbols_cache *symcache;
	struct symidx *symidx;
	struct namecache *names;
	/* During one walk: the snapshot and the thread being unwound. */
	struct snap *snap;
	struct snap_thread *cur;
	/*
	 * A snapshot loaded from a file (snapfile.c), no process behind it:
	 * pid is 0, so no read can reach a live process; memory outside the
	 * stack windows comes from the modules' files, checked by build-id.
	 */
	struct snapfile *stored;
};

/* dwfl.c: the process's Dwfl, for the core only (front ends never see it). */
Dwfl *debug_proc_dwfl(struct debug_proc *dp);
/*
 * Where a separate debug file of mod is looked for, in find_debuginfo's
 * order (file_name: its main file; debuglink: its .gnu_debuglink name or
 * NULL); how many paths were written. Is debuginfod asked too?
 */
#define DEBUG_CANDIDATES 4
int debug_candidates(Dwfl_Module *mod, const char *file_name, const char *debuglink,
		     char (*path)[4096]);
bool debug_uses_debuginfod(void);

/* maps.c: read /proc/PID/maps (changed: its text differs from the last read). */
int debug_proc_read_maps(struct debug_proc *dp, bool *changed);
/* Parse dp->maps_text into dp->maps (a loaded snapshot's text too). */
int debug_parse_maps(struct debug_proc *dp);
const struct debug_map *debug_proc_find_map(const struct debug_proc *dp, uint64_t addr);
/* memory.c. Read one word of target memory for an unwinder: the stack copies first,
 * then cached read-only pages, then the live process. 0 or -errno. */
int debug_mem_read_word(struct debug_proc *dp, uint64_t addr, uint64_t *val);
/* The same for a 4-byte word (an i386 program's pointers), zero-extended. */
int debug_mem_read_word32(struct debug_proc *dp, uint64_t addr, uint64_t *val);
void debug_pages_flush(struct debug_proc *dp);

/*
 * modfile.c: which file is a module's. find_elf for a mapped file: opened
 * through /proc/PID/map_files (the mapped inode itself), else through
 * /proc/PID/root or our own path when it is the same file (device and
 * inode, or build-id); a file whose build-id differs from the one in the
 * process's memory is refused. Returns an fd (and *file_name, a path to
 * show and to find debug files beside) or -1, with dm->refused set when
 * a file was there but is not the mapped one.
 */
int modfile_find_elf(struct debug_mod *dm, const char *name, char **file_name);
/* The build-id of the ELF file open on fd, into id (64 bytes); 0 if none. */
int modfile_file_id(int fd, unsigned char *id);
/* maps' path made a real one: "\012" back to a newline, " (deleted)" cut. */
void modfile_unescape(const char *name, char *out, size_t size, bool *deleted);
struct debug_mod *modfile_new(struct debug_proc *dp, const struct debug_map *first);
void modfile_free(struct debug_mod *dm);
/* Free the debug_mods of dp libdwfl let go of without calling back. */
void modfile_free_all(struct debug_proc *dp);
/* The module's debug_mod, its file looked for first; NULL if not ours. */
struct debug_mod *modfile_of(Dwfl_Module *mod);
/* Why whytop does not use the module's file (it is not the file the
 * process mapped), a sentence; NULL when its file is fine. Also in
 * vars_int.h, for the locals. */
const char *modfile_refusal(Dwfl_Module *mod);

/*
 * dcache.c: given an open separate debug file with compressed sections,
 * found for module (its main file's name) whose build-id is want_id, the
 * fd to hand libdwfl instead, fd closed: the uncompressed copy in
 * whytop's cache (made now if missing), or the file without its DWARF
 * when inflating it would cost too much or failed before (inflate.c; a
 * note says so), or -1 (such a file that is not the module's). Otherwise
 * fd itself.
 */
int dcache_swap(int fd, const char *debug_path, const char *module, const unsigned char *want_id,
		int want_len);
/* The cache directory ($WHYTOP_DEBUG_CACHE, ...), made if need be; false: none. */
bool dcache_dir(char *out, size_t n);
/* Room for size more bytes there: under the size limit, a tenth of the disk left free. */
bool dcache_room(const char *dir, uint64_t size);

/*
 * inflate.c: the cost of a file's compressed sections, read from their
 * headers without inflating anything.
 */
/*
 * How many compressed sections (SHF_COMPRESSED or .zdebug_*); what they
 * inflate to in *total, what they take in the file in *stored (saturating).
 */
int inflate_cost(Elf *elf, uint64_t *total, uint64_t *stored);
/* The most a file of this size may inflate to; *why names the rule that set it. */
uint64_t inflate_limit(uint64_t file_size, const char **why);
/* Over the limit? Then also a note for module (NULL: path) saying so. */
bool inflate_too_big(Elf *elf, uint64_t file_size, const char *path, const char *module);
void inflate_size_text(uint64_t v, char *buf, size_t n);
/* The file with its DWARF and compressed sections made SHT_NOBITS, symbols kept. */
Elf *inflate_strip_elf(int fd); /* a main file: an Elf for find_elf's *elfp, or NULL */
int inflate_strip_fd(int fd);   /* a debug file: a sparse memfd, or -1 */
/* Remember "debug info of PATH skipped: ..." for the module whose main file is module. */
void inflate_note(const char *module, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Is there a note for the module whose main file is mainfile? */
bool inflate_noted(const char *mainfile);
/* The notes of dwfl's modules, strdup'ed, into *out (free each and the array). */
size_t inflate_notes(Dwfl *dwfl, char ***out);

/*
 * stack.c: walk the threads of a set already held (attach_all by the
 * caller, who lets them go): for a poke that must find its frame again
 * in the very state it writes into. The set stays held.
 */
int stack_walk_held(struct debug_proc *dp, struct attach_set *as, struct stack **out,
		    struct wt_err *err);

/* snapshot.c: copy registers and stack windows of held threads. */
int snap_take(struct debug_proc *dp, struct attach_set *as, size_t window_max, struct snap **out);
void snap_free(struct snap *s);
/* Rolling hold: copy each thread as its stop is seen, then let it go. */
struct snap *snap_new(pid_t pid);
int snap_copy_one(struct debug_proc *dp, struct attach_set *as, struct attach_thread *at,
		  size_t window_max, struct snap *s);
int snap_add_missing(struct snap *s, struct attach_set *as);
/* A one-thread snapshot from registers and a stack copy made elsewhere (win: taken). */
struct snap *snap_from_regs(struct debug_proc *dp, pid_t tid, const struct user_regs_struct *u,
			    uint64_t win_lo, uint8_t *win, size_t win_len, bool win_truncated);

/*
 * snapfile.c: a snapshot written to a file (--save) and read back (--load):
 * every thread's registers and stack window, the maps text, each module's
 * path and build-id. The format is described at the top of snapfile.c.
 */
struct snapfile;
/* Write snap (taken from dp's process) to path: 0 or -errno, err filled. */
int snapfile_write(struct debug_proc *dp, const struct snap *snap, const char *path,
		   struct wt_err *err);
/* Read path: a debug_proc without a process (pid 0) and its snapshot. */
int snapfile_read(const char *path, const char *modules_dir, struct debug_proc **dp,
		  struct snap **snap, pid_t *pid, struct wt_err *err);
void snapfile_free(struct snapfile *sf);
/* Memory of a loaded snapshot outside the stack windows: read-only file pages. */
int snapfile_mem_read(struct debug_proc *dp, uint64_t addr, void *val, size_t len);
/* find_elf of a loaded snapshot's module: the file checked at load, or the stored vDSO. */
int snapfile_find_elf(struct debug_mod *dm, char **file_name, Elf **elfp);
/* dwfl.c: a debug_proc for a loaded snapshot: maps from text (taken), no process. */
int debug_proc_open_stored(char *maps_text, size_t maps_len, bool is32, struct snapfile *sf,
			   struct debug_proc **out, struct wt_err *err);

/* unwind.c: libunwind-ptrace with our accessors; frames get pc, cfa, regs. */
int unwind_space_new(struct debug_proc *dp, struct unwind_space **out);
void unwind_space_free(struct unwind_space *uw);
void unwind_space_flush(struct unwind_space *uw);
/* Unwind dp->cur into *frames; returns frames found, sets *why on an early stop. */
size_t unwind_thread(struct debug_proc *dp, struct stack_frame *frames, size_t max,
		     const char **why);

/* fallback.c: libdwfl's unwinder on the same snapshot, frames marked FALLBACK. */
size_t fallback_thread(struct debug_proc *dp, struct stack_frame *frames, size_t max,
		       const char **why);
/* Frame pointers, last resort. */
size_t fallback_fp_thread(struct debug_proc *dp, struct stack_frame *frames, size_t max);

/* stack.c: free n frames' names and the array. */
void stack_frames_free(struct stack_frame *v, size_t n);

/* symbols.c: name physical frames, expand inline ones. Replaces *frames. */
int symbols_name_frames(struct debug_proc *dp, struct stack_frame **frames, size_t *n);
/*
 * The same only when every frame is named from what is kept (in memory or
 * on disk, namecache.c), with no symbol table or DWARF to load: a bounded
 * cost, for the hold's idle time. 1 (frames untouched) otherwise.
 */
int symbols_name_frames_cached(struct debug_proc *dp, struct stack_frame **frames, size_t *n);
void symbols_cache_flush(struct debug_proc *dp);

/* symidx.c: the symbol holding pc in mod, as dwfl_module_addrinfo would
 * choose it, by binary search; *start is its address. NULL if none. */
const char *symidx_lookup(struct debug_proc *dp, Dwfl_Module *mod, uint64_t pc, uint64_t *start);
/* Forget every module's table (before a re-report frees the modules). */
void symidx_flush(struct debug_proc *dp);

/*
 * namecache.c: names of frames kept on disk by module file. The names
 * (function, file, src_path, offset, line, column, inline_depth, the
 * INLINE flag; no module) symbols.c made for pc looked up exactly or at
 * pc-1, as stored by an earlier whytop, or NULL; *n of them.
 */
const struct stack_frame *namecache_get(struct debug_proc *dp, Dwfl_Module *mod, uint64_t pc,
					bool exact, size_t *n);
/* Remember names just made (written by namecache_sync). */
void namecache_add(struct debug_proc *dp, Dwfl_Module *mod, uint64_t pc, bool exact,
		   const struct stack_frame *v, size_t n);
/* Append the names made since the last sync to their files. */
void namecache_sync(struct debug_proc *dp);
/* Sync, then forget every module (before a re-report frees them). */
void namecache_flush(struct debug_proc *dp);
/* A record's line (malloc'ed, newline included) and back (for tests). */
char *namecache_line(uint64_t rel, bool exact, const struct stack_frame *v, size_t n);
bool namecache_parse(const char *s, size_t len, uint64_t *rel, bool *exact,
		     struct stack_frame **v, size_t *n);
void namecache_names_free(struct stack_frame *v, size_t n);

#endif
