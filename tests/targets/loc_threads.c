/*
 * loc_threads: four threads spinning in worker(), each on its own local
 * `running`. Poking one thread's `running` (whytop poke --thread TID) must
 * end that thread only: it prints "worker ID done" and the others go on.
 * Each worker prints "worker ID tid TID" when it starts.
 */
#pragma GCC optimize("O0")
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NWORKERS 4

static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	int running = 1;
	unsigned long turns = 0;

	pthread_mutex_lock(&print_lock);
	printf("worker %d tid %ld\n", id, (long)syscall(SYS_gettid));
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
	while (running)
		turns++;
	pthread_mutex_lock(&print_lock);
	printf("worker %d done\n", id);
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
	return NULL;
}

int main(void)
{
	pthread_t th[NWORKERS];

	for (long i = 0; i < NWORKERS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(th[i], NULL);
	printf("loc_threads: all done\n");
	return 0;
}
