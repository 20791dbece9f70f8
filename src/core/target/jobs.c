/*
 * tracer.c: the tracer thread (tracer.h): a queue of jobs run in order on
 * one thread, a list of finished jobs handed back through an eventfd. Every
 * 100 ms without work the thread also detaches threads that could not be
 * stopped in time by an earlier attach (attach_reap_deferred), so nothing
 * stays traced longer than it must.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <whytop/attach.h>
#include <whytop/tracer.h>

struct tracer_job {
	tracer_fn run, done;
	void *arg;
	bool sync_done; /* tracer_call: finished */
	struct tracer_job *next;
};

struct tracer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;   /* work queued or stopping */
	pthread_cond_t synced; /* a tracer_call job finished */
	struct tracer_job *queue, **queue_tail;
	struct tracer_job *finished, **finished_tail;
	unsigned pending;
	bool stopping, cancelling;
	int efd;
};

static void tracer_push(struct tracer_job ***tail, struct tracer_job *j)
{
	j->next = NULL;
	**tail = j;
	*tail = &j->next;
}

static void *tracer_main(void *p)
{
	struct tracer *tr = p;
	pthread_mutex_lock(&tr->lock);
	while (!tr->stopping) {
		struct tracer_job *j = tr->queue;
		if (!j) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			if (pthread_cond_timedwait(&tr->wake, &tr->lock, &ts) == ETIMEDOUT) {
				pthread_mutex_unlock(&tr->lock);
				attach_reap_deferred();
				pthread_mutex_lock(&tr->lock);
			}
			continue;
		}
		tr->queue = j->next;
		if (!tr->queue)
			tr->queue_tail = &tr->queue;
		pthread_mutex_unlock(&tr->lock);
		j->run(j->arg);
		pthread_mutex_lock(&tr->lock);
		tr->pending--;
		if (j->sync_done) {
			/* tracer_call waits on this job itself */
			j->sync_done = false;
			j->run = NULL;
			pthread_cond_broadcast(&tr->synced);
			continue;
		}
		tracer_push(&tr->finished_tail, j);
		uint64_t one = 1;
		ssize_t w = write(tr->efd, &one, sizeof(one));
		(void)w;
	}
	pthread_mutex_unlock(&tr->lock);
	attach_reap_deferred();
	return NULL;
}

int tracer_start(struct tracer **out, struct wt_err *err)
{
	struct tracer *tr = calloc(1, sizeof(*tr));
	if (!tr)
		return wt_err_set(err, ENOMEM, "out of memory");
	tr->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (tr->efd < 0) {
		int e = errno;
		free(tr);
		return wt_err_set(err, e, "cannot create the tracer's eventfd: %s", strerror(e));
	}
	pthread_mutex_init(&tr->lock, NULL);
	pthread_cond_init(&tr->wake, NULL);
	pthread_cond_init(&tr->synced, NULL);
	tr->queue_tail = &tr->queue;
	tr->finished_tail = &tr->finished;
	int r = pthread_create(&tr->thread, NULL, tracer_main, tr);
	if (r) {
		close(tr->efd);
		free(tr);
		return wt_err_set(err, r, "cannot start the tracer thread: %s", strerror(r));
	}
	/* Named, so that ps -L and whytop -H tell it apart (and it shows as TracerPid). */
	pthread_setname_np(tr->thread, "whytop-tracer");
	*out = tr;
	return 0;
}

int tracer_fd(const struct tracer *tr)
{
	return tr->efd;
}

int tracer_submit(struct tracer *tr, tracer_fn run, tracer_fn done, void *arg)
{
	struct tracer_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->run = run;
	j->done = done;
	j->arg = arg;
	pthread_mutex_lock(&tr->lock);
	if (tr->stopping) {
		pthread_mutex_unlock(&tr->lock);
		free(j);
		return -ESHUTDOWN;
	}
	tracer_push(&tr->queue_tail, j);
	tr->pending++;
	pthread_cond_signal(&tr->wake);
	pthread_mutex_unlock(&tr->lock);
	return 0;
}

int tracer_collect(struct tracer *tr)
{
	uint64_t v;
	ssize_t rd = read(tr->efd, &v, sizeof(v));
	(void)rd;
	pthread_mutex_lock(&tr->lock);
	struct tracer_job *list = tr->finished;
	tr->finished = NULL;
	tr->finished_tail = &tr->finished;
	pthread_mutex_unlock(&tr->lock);
	int n = 0;
	while (list) {
		struct tracer_job *next = list->next;
		if (list->done)
			list->done(list->arg);
		free(list);
		list = next;
		n++;
	}
	return n;
}

int tracer_call(struct tracer *tr, tracer_fn run, void *arg)
{
	if (tracer_on_thread(tr)) {
		run(arg);
		return 0;
	}
	struct tracer_job j = {.run = run, .arg = arg, .sync_done = true};
	pthread_mutex_lock(&tr->lock);
	if (tr->stopping) {
		pthread_mutex_unlock(&tr->lock);
		return -ESHUTDOWN;
	}
	tracer_push(&tr->queue_tail, &j);
	tr->pending++;
	pthread_cond_signal(&tr->wake);
	while (j.run)
		pthread_cond_wait(&tr->synced, &tr->lock);
	pthread_mutex_unlock(&tr->lock);
	return 0;
}

bool tracer_on_thread(const struct tracer *tr)
{
	return pthread_equal(pthread_self(), tr->thread);
}

bool tracer_cancelled(const struct tracer *tr)
{
	return tr->cancelling;
}

unsigned tracer_pending(struct tracer *tr)
{
	pthread_mutex_lock(&tr->lock);
	unsigned n = tr->pending;
	pthread_mutex_unlock(&tr->lock);
	return n;
}

void tracer_stop(struct tracer *tr)
{
	if (!tr)
		return;
	pthread_mutex_lock(&tr->lock);
	tr->stopping = true;
	pthread_cond_signal(&tr->wake);
	pthread_mutex_unlock(&tr->lock);
	pthread_join(tr->thread, NULL);
	/* Finished jobs get their done; queued ones too, marked cancelled. */
	tracer_collect(tr);
	tr->cancelling = true;
	struct tracer_job *j = tr->queue;
	while (j) {
		struct tracer_job *next = j->next;
		if (j->sync_done) {
			j->run = NULL; /* release a (theoretical) waiting tracer_call */
		} else {
			if (j->done)
				j->done(j->arg);
			free(j);
		}
		j = next;
	}
	pthread_cond_broadcast(&tr->synced);
	close(tr->efd);
	pthread_cond_destroy(&tr->wake);
	pthread_cond_destroy(&tr->synced);
	pthread_mutex_destroy(&tr->lock);
	free(tr);
}
