/*
 * files_target: a process holding one of each kind of fd the Files tab
 * shows: FILE opened read-write at offset 4242, a pipe, a TCP socket
 * listening on 127.0.0.1 (a port the kernel picks), a TCP connection to it
 * (both ends), a unix socket listening on UNIXPATH, and an eventfd. Prints
 * "ready LISTEN_PORT CLIENT_PORT" once all are open, then waits to be
 * killed. SIGUSR1 makes it open one more file, FILE followed by an escape
 * sequence and "late" (a name a terminal must never receive raw), and
 * print "late". Further arguments are ignored (a long command line).
 * Usage: files_target FILE UNIXPATH [ARG...]
 */
#include <arpa/inet.h>
#include <signal.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t late;

static void on_usr1(int sig)
{
	(void)sig;
	late = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int port_of(int s)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	if (getsockname(s, (struct sockaddr *)&a, &l) < 0)
		die("getsockname");
	return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: files_target FILE UNIXPATH [ARG...]\n");
		return 2;
	}
	int f = open(argv[1], O_RDWR | O_CREAT | O_APPEND, 0600);
	if (f < 0 || ftruncate(f, 8192) < 0 || lseek(f, 4242, SEEK_SET) != 4242)
		die("file");
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 4) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &al) < 0)
		die("listen");
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	int acc = accept(l, NULL, NULL);
	if (acc < 0)
		die("accept");
	int u = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un ua = {.sun_family = AF_UNIX};
	snprintf(ua.sun_path, sizeof(ua.sun_path), "%s", argv[2]);
	if (u < 0 || bind(u, (struct sockaddr *)&ua, sizeof(ua)) < 0 || listen(u, 4) < 0)
		die("unix");
	int e = eventfd(0, EFD_NONBLOCK);
	if (e < 0)
		die("eventfd");
	sigset_t usr1, old;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	signal(SIGUSR1, on_usr1);
	printf("ready %d %d\n", port_of(l), port_of(c));
	fflush(stdout);
	for (;;) {
		sigsuspend(&old); /* no signal lost between the test and the wait */
		if (late) {
			char name[4200];
			late = 0;
			snprintf(name, sizeof(name), "%s\033[7mlate", argv[1]);
			if (open(name, O_RDONLY | O_CREAT, 0600) < 0)
				die("late file");
			printf("late\n");
			fflush(stdout);
		}
	}
}
