/* complete.h: candidates for the shell completion scripts (src/shell/). */
#ifndef WHYTOP_COMPLETE_H
#define WHYTOP_COMPLETE_H

/* "whytop __complete CWORD WORD0 WORD1 ...": argv[0] is "__complete". */
int complete_main(int argc, char **argv);

#endif
