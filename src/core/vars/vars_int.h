/*
 * vars_int.h: what the files of src/core/vars (behind locals.h) share among themselves
 * (location.c, value.c, valparse.c, locals.c, poke.c). Not for front ends.
 */
#ifndef WHYTOP_VARS_INT_H
#define WHYTOP_VARS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <whytop/locals.h>
#include <whytop/util.h>

/* Reads of target memory are bounded: no value costs more than this. */
#define LX_MAX_READ 4096
/* Strings behind char * are cut here. */
#define LX_MAX_STRING 64
/* Formatted aggregates are cut after this many characters. */
#define LX_MAX_TEXT 200

/* Everything needed to evaluate locations and read values in one frame. */
struct vars_loc_ctx {
	Dwfl *dwfl;
	const struct locals_frame *f;
	int memfd; /* /proc/PID/mem */
	Dwfl_Module *mod;
	Dwarf_Addr bias; /* module load bias (PIE, shared libraries) */
	Dwarf_Addr pc;	 /* absolute pc used for lookups (pc - 1 for callers) */
	Dwarf_Die cudie;
	Dwarf_Die *scopes; /* dwarf_getscopes at pc: innermost first */
	int nscopes;
	int fn_scope;	/* index in scopes of this frame's function (inlined or not) */
	int phys_scope; /* index of the physical subprogram (its frame base) */
	uint64_t cfa;
	bool cfa_known, cfa_tried;
};

/* Where a value lives, after evaluating its location. */
enum vars_lval_kind {
	LV_MEM,	  /* memory at addr */
	LV_REG,	  /* register reg; save_addr != 0: an outer frame saved it there */
	LV_BYTES, /* a value with no place (constant, stack value, pieces) */
	LV_NONE,  /* no value: loc says why (optimized out, not live, unavailable) */
};

struct lval {
	enum vars_lval_kind kind;
	enum locals_loc loc;
	uint64_t addr;
	int reg;
	uint64_t save_addr;
	unsigned char bytes[64];
	size_t nbytes;
	bool has_loclist;    /* the location changes with the pc (optimized code) */
	unsigned bit_size;   /* bit-field member: width, 0 if not a bit-field */
	unsigned bit_offset; /* bit-field member: offset from addr, little-endian bits */
	char why[160];	     /* for LV_NONE and read-only values */
	char copies[160];    /* other places its location list names, or "" */
};

/* A type with the array dimension we are at (multi-dimensional arrays). */
struct vtype {
	Dwarf_Die die;
	int dim;
	bool valid; /* false: no type (void) */
};

/* location.c */
const char *vars_loc_reg_name(int reg);
int vars_loc_eval_location(struct vars_loc_ctx *c, Dwarf_Die *var, struct lval *out);
/* One location expression alone, as vars_loc_eval_location does (for the fuzzer). */
int vars_loc_eval_ops(struct vars_loc_ctx *c, const Dwarf_Op *ops, size_t nops, struct lval *out);
int vars_loc_frame_cfa(struct vars_loc_ctx *c, uint64_t *cfa);
/* Read a register of the frame; -ENOENT if the unwinder could not recover it. */
int vars_loc_reg_value(struct vars_loc_ctx *c, int reg, uint64_t *val);

/* value.c */
int vars_loc_mem_read(struct vars_loc_ctx *c, uint64_t addr, void *buf, size_t n);
void vars_type_init(struct vtype *t, Dwarf_Die *owner); /* from owner's DW_AT_type */
bool vars_type_strip(struct vtype *t);			/* peel typedef and cv; false if void */
uint64_t vars_type_size(const struct vtype *t);
int vars_type_tag(const struct vtype *t);		      /* after vars_type_strip */
void vars_type_name(const struct vtype *t, struct wt_buf *b); /* C spelling, escaped */
bool vars_type_is_scalar(const struct vtype *t);
bool vars_type_is_aggregate(const struct vtype *t);
/* Read the bytes of a value (bounded to max). */
int vars_lval_read(struct vars_loc_ctx *c, const struct lval *v, uint64_t size, unsigned char *buf,
		   size_t max);
/* Format the value of type t held in bytes. */
void vars_value_format(struct vars_loc_ctx *c, const struct vtype *t, const unsigned char *bytes,
		       size_t n, struct wt_buf *out, int depth);
/* Children of an aggregate: count, and the i-th one's name, type and place. */
size_t vars_value_nchildren(const struct vtype *t);
int vars_value_child(struct vars_loc_ctx *c, const struct vtype *t, const struct lval *parent,
		     size_t i, char *name, size_t namesz, struct vtype *ct, struct lval *cv);
/* Find a member by name, or -1. */
long vars_value_member_index(const struct vtype *t, const char *name);

/* valparse.c: text to exactly size bytes for a scalar type; err says why not. */
int vars_value_parse(struct vars_loc_ctx *c, const struct vtype *t, const char *text,
		     unsigned char *out, size_t *size, struct wt_err *err);

/* locals.c */
/* a and b are in the same function (by symbol). */
bool vars_loc_same_function(Dwfl *dwfl, uint64_t a, uint64_t b);
/* The thread's state letter from /proc (R S D T t Z ...), 0 if it is gone. */
char vars_loc_thread_state(pid_t pid, pid_t tid);
/* The thread exists and is not a zombie. */
bool vars_loc_thread_alive(pid_t pid, pid_t tid);
/* 0 if [addr, addr+size) is mapped in pid with every permission in perm ("w", "x"). */
int vars_loc_maps_check(pid_t pid, uint64_t addr, uint64_t size, const char *perm);
/* modfile.c: why whytop does not use the module's file (it is not the
 * file the process mapped), a sentence; NULL when its file is fine. */
const char *modfile_refusal(Dwfl_Module *mod);
int vars_loc_open(Dwfl *dwfl, const struct locals_frame *f, struct vars_loc_ctx *c, bool write,
		  struct wt_err *err);
void vars_loc_close(struct vars_loc_ctx *c);
/* Find the variable a path names ("cfg.limit", "arr[3]") with its type and place. */
int vars_loc_resolve(struct vars_loc_ctx *c, const char *path, struct vtype *t, struct lval *v,
		     struct wt_err *err);
/* Escaped function name of the frame's scope, or NULL. */
char *vars_loc_function_name(struct vars_loc_ctx *c);

#endif
