/*
 * snapfile.c: a process snapshot in a file, so that a stack can be walked
 * again later, elsewhere, without the process: "whytop stack PID --save
 * FILE" writes what stack_walk copied while the threads were held, and
 * "whytop stack --load FILE" unwinds and names it. The stored tier of the
 * tests (tests/data) rests on it, as elfutils tests eu-stack on core files.
 *
 * The file is text lines with length-prefixed byte blocks, in this order:
 *
 *   whytop-snapshot 1
 *   pid PID
 *   is32 0|1
 *   maps LEN\n<LEN bytes of /proc/PID/maps>\n
 *   module START BUILDID|- LEN\n<LEN bytes: the path as maps gives it>\n   (each module)
 *   vdso START LEN\n<LEN bytes: the vDSO image>\n                     (when read)
 *   thread TID STATE OK IS32 LEN\n<LEN bytes of comm>\n                   (each thread)
 *   regs R0 .. R16 ORIG_AX           (hex, DWARF order; when OK is 1)
 *   window LO LEN TRUNCATED\n<LEN bytes of stack from LO>\n   (when copied)
 *   error LEN\n<LEN bytes>\n         (why the thread was not copied)
 *   end
 *
 * No other memory is kept: code and unwind tables are read from the
 * modules' files, which --load finds by their path (or by name in
 * --modules DIR) and takes only when their build-id is the recorded one;
 * the vDSO, which has no file, is kept as it was mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whytop/util.h>

#include "core/stack/stack_int.h"

#define SNAPFILE_MAGIC "whytop-snapshot 1\n"
#define SNAPFILE_ID_MAX 64

struct snapfile_mod {
	uint64_t start;
	char *maps_path; /* as maps gives it (escaped), the key of its mappings */
	char *file;	 /* the file found and checked at load */
	int fd;		 /* open on file, -1: none */
	unsigned char id[SNAPFILE_ID_MAX];
	int idlen; /* 0: none recorded */
};

struct snapfile {
	struct snapfile_mod *mods;
	size_t nmods;
	uint64_t vdso_start;
	char *vdso; /* its image, vdso_len bytes; NULL: not kept */
	size_t vdso_len;
};

void snapfile_free(struct snapfile *sf)
{
	if (!sf)
		return;
	for (size_t i = 0; i < sf->nmods; i++) {
		free(sf->mods[i].maps_path);
		free(sf->mods[i].file);
		if (sf->mods[i].fd >= 0)
			close(sf->mods[i].fd);
	}
	free(sf->mods);
	free(sf->vdso);
	free(sf);
}

/* ---- writing ---- */

struct snapfile_out {
	FILE *f;
	struct debug_proc *dp;
};

static void snapfile_put_block(FILE *f, const char *tag, const void *data, size_t len)
{
	fprintf(f, "%s%s%zu\n", tag, *tag ? " " : "", len);
	fwrite(data, 1, len, f);
	fputc('\n', f);
}

static int snapfile_put_module(Dwfl_Module *mod, void **userdata, const char *name,
			       Dwarf_Addr start, void *arg)
{
	struct snapfile_out *o = arg;
	struct debug_mod *dm = modfile_of(mod); /* opens its file, checked against memory */
	if (!dm)
		return DWARF_CB_OK; /* the vDSO: not kept */
	const unsigned char *id;
	GElf_Addr vaddr;
	int len = dm->refused ? 0 : dwfl_module_build_id(mod, &id, &vaddr);
	fprintf(o->f, "module %" PRIx64 " ", (uint64_t)start);
	if (len > 0 && len <= SNAPFILE_ID_MAX)
		for (int i = 0; i < len; i++)
			fprintf(o->f, "%02x", id[i]);
	else
		fputc('-', o->f);
	fputc(' ', o->f);
	snapfile_put_block(o->f, "", name, strlen(name));
	return DWARF_CB_OK;
}

/* comm of a thread, raw (escaped when shown), or "" */
static size_t snapfile_comm(pid_t pid, pid_t tid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	ssize_t n = wt_read_at(AT_FDCWD, path, buf, size);
	if (n <= 0)
		return 0;
	if (buf[n - 1] == '\n')
		n--;
	return (size_t)n;
}

int snapfile_write(struct debug_proc *dp, const struct snap *snap, const char *path,
		   struct wt_err *err)
{
	char esc[512];
	wt_escape_to(esc, sizeof(esc), path, strlen(path), 0);
	FILE *f = fopen(path, "we");
	if (!f)
		return wt_err_set(err, errno, "cannot write the snapshot to %s: %s", esc,
				  strerror(errno));
	struct snapfile_out o = {.f = f, .dp = dp};
	fputs(SNAPFILE_MAGIC, f);
	fprintf(f, "pid %d\nis32 %d\n", (int)dp->pid, dp->is32 ? 1 : 0);
	snapfile_put_block(f, "maps", dp->maps_text, dp->maps_len);
	dwfl_getmodules(dp->dwfl, snapfile_put_module, &o, 0);
	for (size_t i = 0; i < dp->nmaps; i++) {
		const struct debug_map *m = &dp->maps[i];
		if (m->path_len != 6 || memcmp(m->path, "[vdso]", 6) != 0 ||
		    m->end - m->start > (1u << 20))
			continue;
		size_t n = (size_t)(m->end - m->start);
		char *img = malloc(n);
		if (img && attach_read_mem(dp->pid, m->start, img, n) == (ssize_t)n) {
			fprintf(f, "vdso %" PRIx64 " ", m->start);
			snapfile_put_block(f, "", img, n);
		}
		free(img);
	}
	for (size_t i = 0; i < snap->nthreads; i++) {
		const struct snap_thread *t = &snap->threads[i];
		char comm[64];
		size_t n = snapfile_comm(dp->pid, t->tid, comm, sizeof(comm));
		fprintf(f, "thread %d %d %d %d ", (int)t->tid, (int)(unsigned char)t->state,
			t->ok ? 1 : 0, t->is32 ? 1 : 0);
		snapfile_put_block(f, "", comm, n);
		if (t->ok) {
			fputs("regs", f);
			for (int r = 0; r < STACK_NREGS; r++)
				fprintf(f, " %" PRIx64, t->regs[r]);
			fprintf(f, " %" PRIx64 "\n", t->orig_ax);
		}
		if (t->win && t->win_len) {
			fprintf(f, "window %" PRIx64 " %zu %d\n", t->win_lo, t->win_len,
				t->win_truncated ? 1 : 0);
			fwrite(t->win, 1, t->win_len, f);
			fputc('\n', f);
		}
		if (t->error)
			snapfile_put_block(f, "error", t->error, strlen(t->error));
	}
	fputs("end\n", f);
	bool bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return wt_err_set(err, EIO, "cannot write the snapshot to %s: %s", esc,
				  strerror(errno ? errno : EIO));
	return 0;
}

/* ---- reading ---- */

struct snapfile_in {
	const char *p, *end;
	int line;
};

/* The next line, without its newline, into buf; false at the end or if too long. */
static bool snapfile_line(struct snapfile_in *in, char *buf, size_t size)
{
	if (in->p >= in->end)
		return false;
	const char *nl = memchr(in->p, '\n', (size_t)(in->end - in->p));
	if (!nl || (size_t)(nl - in->p) >= size)
		return false;
	memcpy(buf, in->p, (size_t)(nl - in->p));
	buf[nl - in->p] = 0;
	in->p = nl + 1;
	in->line++;
	return true;
}

/* len bytes, then a newline; the bytes (not NUL-ended) or NULL. */
static const char *snapfile_bytes(struct snapfile_in *in, size_t len)
{
	if ((size_t)(in->end - in->p) < len + 1 || in->p[len] != '\n')
		return NULL;
	const char *b = in->p;
	in->p += len + 1;
	in->line++;
	return b;
}

static int snapfile_hex_id(const char *s, unsigned char *id)
{
	if (strcmp(s, "-") == 0)
		return 0;
	size_t n = strlen(s);
	if (n % 2 || n / 2 > SNAPFILE_ID_MAX)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		id[i] = (unsigned char)v;
	}
	return (int)(n / 2);
}

static void snapfile_id_text(const unsigned char *id, int len, char *out)
{
	for (int i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", id[i]);
	out[2 * len] = 0;
}

/*
 * Find module m's file: its recorded path, then DIR/BASENAME; taken only
 * with the recorded build-id. Otherwise a sentence in err saying which.
 */
static int snapfile_find_module(struct snapfile_mod *m, const char *modules_dir, pid_t pid,
				struct wt_err *err)
{
	char real[4096], cand[2][4096 + 256];
	bool deleted;
	modfile_unescape(m->maps_path, real, sizeof(real), &deleted);
	const char *base = strrchr(real, '/');
	base = base ? base + 1 : real;
	int ncand = 0;
	snprintf(cand[ncand++], sizeof(cand[0]), "%s", real);
	if (modules_dir)
		snprintf(cand[ncand++], sizeof(cand[0]), "%s/%s", modules_dir, base);
	char want[2 * SNAPFILE_ID_MAX + 1], got[2 * SNAPFILE_ID_MAX + 1] = "";
	snapfile_id_text(m->id, m->idlen, want);
	const char *differs = NULL;
	for (int c = 0; c < ncand; c++) {
		int fd = open(cand[c], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		unsigned char id[SNAPFILE_ID_MAX];
		int n = modfile_file_id(fd, id);
		if (n == m->idlen && memcmp(id, m->id, (size_t)n) == 0) {
			m->fd = fd;
			m->file = strdup(cand[c]);
			return m->file ? 0 : wt_err_set(err, ENOMEM, "out of memory");
		}
		close(fd);
		if (!differs) {
			differs = cand[c];
			if (n > 0)
				snapfile_id_text(id, n, got);
			else
				snprintf(got, sizeof(got), "none");
		}
	}
	char e_real[512], e_c[512];
	wt_escape_to(e_real, sizeof(e_real), real, strlen(real), 0);
	if (differs) {
		wt_escape_to(e_c, sizeof(e_c), differs, strlen(differs), 0);
		return wt_err_set(
		    err, ESTALE,
		    "%s is not the file process %d had mapped as %s (its build-id "
		    "is %s, the snapshot's %s): its frames would be another "
		    "program's; put the very file there or in the --modules directory",
		    e_c, (int)pid, e_real, got, want);
	}
	if (modules_dir) {
		wt_escape_to(e_c, sizeof(e_c), cand[1], strlen(cand[1]), 0);
		return wt_err_set(err, ENOENT,
				  "process %d had %s mapped, and neither it nor %s is here; copy "
				  "that file (build-id %s) there",
				  (int)pid, e_real, e_c, want);
	}
	return wt_err_set(err, ENOENT,
			  "process %d had %s mapped, and no such file is here; copy that file "
			  "(build-id %s) there, or into a directory named with --modules DIR",
			  (int)pid, e_real, want);
}

static void snapfile_snap_free(struct snap *s)
{
	for (size_t i = 0; s && i < s->nthreads; i++)
		s->threads[i].error = NULL; /* into the file's text, freed with it */
	snap_free(s);
}

/*
 * Parse text (len bytes) into sf, snap (threads), maps; errors say the
 * line. Thread errors point into text: the caller replaces them.
 */
static int snapfile_parse(const char *text, size_t len, const char *shown, struct snapfile *sf,
			  struct snap *s, char **maps, size_t *maps_len, bool *is32,
			  struct wt_err *err)
{
	struct snapfile_in in = {text, text + len, 0};
	char line[1024];
	int pid = 0, b32 = 0;
	size_t n;
	const char *b;
	if (len < strlen(SNAPFILE_MAGIC) || memcmp(text, SNAPFILE_MAGIC, strlen(SNAPFILE_MAGIC)))
		return wt_err_set(err, EINVAL,
				  "%s is not a whytop snapshot (it does not begin with \"%.*s\"); "
				  "make one with whytop stack PID --save FILE",
				  shown, (int)strlen(SNAPFILE_MAGIC) - 1, SNAPFILE_MAGIC);
	snapfile_line(&in, line, sizeof(line));
	if (!snapfile_line(&in, line, sizeof(line)) || sscanf(line, "pid %d", &pid) != 1 ||
	    !snapfile_line(&in, line, sizeof(line)) || sscanf(line, "is32 %d", &b32) != 1 ||
	    !snapfile_line(&in, line, sizeof(line)) || sscanf(line, "maps %zu", &n) != 1 ||
	    !(b = snapfile_bytes(&in, n)))
		goto bad;
	s->pid = pid;
	*is32 = b32 != 0;
	/* NUL-ended, as wt_read_all_at leaves it: the maps parser scans it as a string */
	if (!(*maps = malloc(n + 1)))
		return wt_err_set(err, ENOMEM, "out of memory");
	memcpy(*maps, b, n);
	(*maps)[n] = 0;
	*maps_len = n;
	struct snap_thread *t = NULL;
	while (snapfile_line(&in, line, sizeof(line))) {
		char id[2 * SNAPFILE_ID_MAX + 2];
		unsigned long long a;
		int tid, state, ok, t32, trunc;
		if (strcmp(line, "end") == 0)
			return 0;
		if (sscanf(line, "module %llx %129s %zu", &a, id, &n) == 3) {
			void *q = realloc(sf->mods, (sf->nmods + 1) * sizeof(*sf->mods));
			if (!q)
				return wt_err_set(err, ENOMEM, "out of memory");
			sf->mods = q;
			struct snapfile_mod *m = &sf->mods[sf->nmods];
			memset(m, 0, sizeof(*m));
			m->fd = -1;
			m->start = a;
			if ((m->idlen = snapfile_hex_id(id, m->id)) < 0 ||
			    !(b = snapfile_bytes(&in, n)))
				goto bad;
			sf->nmods++;
			if (!(m->maps_path = strndup(b, n)))
				return wt_err_set(err, ENOMEM, "out of memory");
		} else if (!sf->vdso && sscanf(line, "vdso %llx %zu", &a, &n) == 2) {
			if (!(b = snapfile_bytes(&in, n)))
				goto bad;
			if (!(sf->vdso = malloc(n ? n : 1)))
				return wt_err_set(err, ENOMEM, "out of memory");
			memcpy(sf->vdso, b, n);
			sf->vdso_start = a;
			sf->vdso_len = n;
		} else if (sscanf(line, "thread %d %d %d %d %zu", &tid, &state, &ok, &t32, &n) ==
			   5) {
			if (s->nthreads == s->cap) {
				size_t cap = s->cap ? 2 * s->cap : 8;
				void *q = realloc(s->threads, cap * sizeof(*s->threads));
				if (!q)
					return wt_err_set(err, ENOMEM, "out of memory");
				s->threads = q;
				s->cap = cap;
			}
			t = &s->threads[s->nthreads++];
			memset(t, 0, sizeof(*t));
			t->tid = tid;
			t->state = (char)state;
			t->ok = ok != 0;
			t->is32 = t32 != 0;
			if (!(b = snapfile_bytes(&in, n)) || !(t->name = strndup(b, n)))
				goto bad;
		} else if (t && strncmp(line, "regs ", 5) == 0) {
			const char *p = line + 5;
			for (int r = 0; r <= STACK_NREGS; r++) {
				char *e;
				unsigned long long v = strtoull(p, &e, 16);
				if (e == p)
					goto bad;
				if (r < STACK_NREGS)
					t->regs[r] = v;
				else
					t->orig_ax = v;
				p = e;
			}
		} else if (t && sscanf(line, "window %llx %zu %d", &a, &n, &trunc) == 3) {
			if (!(b = snapfile_bytes(&in, n)))
				goto bad;
			free(t->win);
			if (!(t->win = malloc(n ? n : 1)))
				return wt_err_set(err, ENOMEM, "out of memory");
			memcpy(t->win, b, n);
			t->win_lo = a;
			t->win_len = n;
			t->win_truncated = trunc != 0;
		} else if (t && sscanf(line, "error %zu", &n) == 1) {
			if (!(b = snapfile_bytes(&in, n)))
				goto bad;
			t->error = b; /* replaced by the caller */
		} else {
			goto bad;
		}
	}
	return wt_err_set(err, EINVAL,
			  "%s ends early (no \"end\" line): the snapshot was cut; "
			  "save it again",
			  shown);
bad:
	return wt_err_set(err, EINVAL,
			  "%s is damaged near line %d (a snapshot line or its byte count is "
			  "wrong); save it again",
			  shown, in.line + 1);
}

/* Thread errors pointed into the file's text: keep them as static sentences. */
static void snapfile_thread_errors(struct snap *s)
{
	static const char *known[] = {
	    "the thread exited during the walk",
	    ("the thread did not stop in time (uninterruptible sleep in the kernel?); see its "
	     "kernel stack"),
	    "its registers could not be read",
	};
	for (size_t i = 0; i < s->nthreads; i++) {
		struct snap_thread *t = &s->threads[i];
		if (!t->error)
			continue;
		const char *e = "the thread was not copied when the snapshot was taken";
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strncmp(t->error, known[k], strlen(known[k])) == 0)
				e = known[k];
		t->error = e;
	}
}

int snapfile_read(const char *path, const char *modules_dir, struct debug_proc **dpp,
		  struct snap **snapp, pid_t *pidp, struct wt_err *err)
{
	char shown[512];
	wt_escape_to(shown, sizeof(shown), path, strlen(path), 0);
	*dpp = NULL;
	*snapp = NULL;
	char *text;
	size_t len;
	int r = wt_read_all_at(AT_FDCWD, path, &text, &len);
	if (r < 0)
		return wt_err_set(err, -r, "cannot read the snapshot %s: %s", shown, strerror(-r));
	struct snapfile *sf = calloc(1, sizeof(*sf));
	struct snap *s = calloc(1, sizeof(*s));
	char *maps = NULL;
	size_t maps_len = 0;
	bool is32 = false;
	if (!sf || !s) {
		r = wt_err_set(err, ENOMEM, "out of memory");
		goto fail;
	}
	r = snapfile_parse(text, len, shown, sf, s, &maps, &maps_len, &is32, err);
	snapfile_thread_errors(s);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < sf->nmods; i++) {
		struct snapfile_mod *m = &sf->mods[i];
		if (m->idlen == 0)
			continue; /* nothing to check it by: never used (snapfile_find_elf) */
		if ((r = snapfile_find_module(m, modules_dir, s->pid, err)) < 0) {
			char why[sizeof(err->msg)];
			snprintf(why, sizeof(why), "%s", err->msg);
			r = wt_err_set(err, -r, "cannot load %s: %s", shown, why);
			goto fail;
		}
	}
	free(text);
	text = NULL;
	*pidp = s->pid;
	r = debug_proc_open_stored(maps, maps_len, is32, sf, dpp, err);
	maps = NULL;
	sf = NULL; /* the debug_proc's now, or freed */
	if (r < 0)
		goto fail;
	*snapp = s;
	return 0;
fail:
	free(text);
	free(maps);
	snapfile_free(sf);
	snapfile_snap_free(s);
	return r;
}

static struct snapfile_mod *snapfile_mod_at(struct snapfile *sf, uint64_t start)
{
	for (size_t i = 0; i < sf->nmods; i++)
		if (sf->mods[i].start == start)
			return &sf->mods[i];
	return NULL;
}

int snapfile_find_elf(struct debug_mod *dm, char **file_name, Elf **elfp)
{
	struct snapfile *sf = dm->dp->stored;
	struct snapfile_mod *m = snapfile_mod_at(sf, dm->start);
	dm->opened = true;
	dm->host_path = false; /* libunwind: unwind.c reads the tables through our memory */
	if (!m && sf->vdso && dm->start == sf->vdso_start) {
		/* kept until dwfl_end: debug_proc_close frees the snapfile after */
		*elfp = elf_memory(sf->vdso, sf->vdso_len);
		return -1;
	}
	if (!m || m->fd < 0) {
		if (!dm->refused && m)
			dm->refused = strdup("the snapshot recorded no build-id for this file, so "
					     "whytop cannot check it and does not use it");
		return -1;
	}
	int fd = dup(m->fd);
	if (fd < 0)
		return -1;
	*file_name = strdup(m->file);
	return fd;
}

int snapfile_mem_read(struct debug_proc *dp, uint64_t addr, void *val, size_t len)
{
	struct snapfile *sf = dp->stored;
	if (sf->vdso && addr >= sf->vdso_start && addr + len <= sf->vdso_start + sf->vdso_len) {
		memcpy(val, sf->vdso + (addr - sf->vdso_start), len);
		return 0;
	}
	const struct debug_map *map = debug_proc_find_map(dp, addr);
	/* Only what the file holds as it is: read-only mappings of it. */
	if (!map || !map->file || !map->readable || map->writable || addr + len > map->end)
		return -EFAULT;
	for (size_t i = 0; i < sf->nmods; i++) {
		struct snapfile_mod *m = &sf->mods[i];
		if (m->fd < 0 || strlen(m->maps_path) != map->path_len ||
		    memcmp(m->maps_path, map->path, map->path_len) != 0)
			continue;
		ssize_t n = pread(m->fd, val, len, (off_t)(map->offset + (addr - map->start)));
		return n == (ssize_t)len ? 0 : -EFAULT;
	}
	return -EFAULT;
}
