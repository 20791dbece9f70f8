/*
 * prof_body.h: the loop step of the profile targets (prof_split,
 * prof_phase): the same in every function, so that shares follow
 * iteration counts, and a step the compiler cannot fold or vectorize.
 */
#ifndef PROF_BODY_H
#define PROF_BODY_H

#define PROF_BODY(x)                                                                               \
	do {                                                                                       \
		(x) ^= (x) << 13;                                                                  \
		(x) ^= (x) >> 7;                                                                   \
		(x) ^= (x) << 17;                                                                  \
		__asm__ volatile("" : "+r"(x));                                                    \
	} while (0)

#endif
