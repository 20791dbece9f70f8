/*
 * users.c: uid -> user name, cached.
 *
 * getpwuid() goes through NSS and stdio on every miss and may open sockets
 * (nscd, sssd); the process table asks for thousands of uids a second. We
 * read /etc/passwd ourselves (one read, no stdio) and keep a small hash;
 * a uid that is not in it is shown as its number. /etc/passwd is re-read
 * at most once every few seconds when it changes or a uid is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <whytop/util.h>
#include "core/proc/internal.h"

#define USERS_BUCKETS 256

struct user_ent {
	uid_t uid;
	bool from_passwd;
	char *name; /* escaped */
	struct user_ent *next;
};

struct proc_users {
	struct user_ent *bucket[USERS_BUCKETS];
	struct timespec passwd_mtime;
	uint64_t loaded_ns; /* monotonic time of the last load, 0 never */
};

static void users_clear(struct proc_users *u)
{
	for (size_t i = 0; i < USERS_BUCKETS; i++) {
		struct user_ent *e = u->bucket[i], *next;
		for (; e; e = next) {
			next = e->next;
			free(e->name);
			free(e);
		}
		u->bucket[i] = NULL;
	}
}

static struct user_ent *users_lookup(struct proc_users *u, uid_t uid)
{
	for (struct user_ent *e = u->bucket[uid % USERS_BUCKETS]; e; e = e->next)
		if (e->uid == uid)
			return e;
	return NULL;
}

static void users_add(struct proc_users *u, uid_t uid, const char *name, size_t len,
		      bool from_passwd)
{
	if (users_lookup(u, uid))
		return; /* the first line for a uid wins, as with getpwuid */
	struct user_ent *e = calloc(1, sizeof(*e));
	if (!e)
		return;
	e->name = wt_escape(name, len, 0);
	if (!e->name) {
		free(e);
		return;
	}
	e->uid = uid;
	e->from_passwd = from_passwd;
	e->next = u->bucket[uid % USERS_BUCKETS];
	u->bucket[uid % USERS_BUCKETS] = e;
}

/* name:passwd:uid:gid:gecos:home:shell */
static void users_parse_passwd(struct proc_users *u, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		if (c1 && c2 && c1 > p && *p != '#' && *p != '+' && *p != '-') {
			const char *q = c2 + 1;
			uint64_t uid;
			if (proc_parse_u64(&q, eol, &uid) == 0 && q < eol && *q == ':' &&
			    uid < UINT32_MAX)
				users_add(u, (uid_t)uid, p, (size_t)(c1 - p), true);
		}
		p = eol + 1;
	}
}

static void users_load(struct proc_users *u)
{
	struct stat st;
	char *buf;
	size_t len;

	u->loaded_ns = wt_now_ns();
	if (stat("/etc/passwd", &st) == 0) {
		if (st.st_mtim.tv_sec == u->passwd_mtime.tv_sec &&
		    st.st_mtim.tv_nsec == u->passwd_mtime.tv_nsec && u->passwd_mtime.tv_sec)
			return;
		u->passwd_mtime = st.st_mtim;
	}
	if (wt_read_all_at(AT_FDCWD, "/etc/passwd", &buf, &len) != 0)
		return;
	users_clear(u);
	users_parse_passwd(u, buf, len);
	free(buf);
}

struct proc_users *proc_users_new(void)
{
	return calloc(1, sizeof(struct proc_users));
}

void proc_users_free(struct proc_users *u)
{
	if (!u)
		return;
	users_clear(u);
	free(u);
}

const char *proc_users_name(struct proc_users *u, uid_t uid)
{
	struct user_ent *e;

	if (!u->loaded_ns)
		users_load(u);
	e = users_lookup(u, uid);
	if (!e && wt_now_ns() - u->loaded_ns > 5000000000ull) {
		/* A user added since: look again, but not on every miss. */
		users_load(u);
		e = users_lookup(u, uid);
	}
	if (!e) {
		char num[16];
		int n = snprintf(num, sizeof(num), "%u", (unsigned)uid);
		users_add(u, uid, num, (size_t)n, false);
		e = users_lookup(u, uid);
	}
	return e ? e->name : "?";
}
