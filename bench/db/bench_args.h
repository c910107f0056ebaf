/*
 * bench_args.h - the options both db benchmarks take:
 *   URL [--setup] [--runs N] [--rows N]
 */
#ifndef NBAQ_BENCH_DB_ARGS_H
#define NBAQ_BENCH_DB_ARGS_H

typedef struct bench_args {
    const char *url;
    int setup; /* (re)create the table first */
    int runs;  /* timed rounds, 1 to 99 (default 7) */
    long rows; /* rows of the table (default 5,000,000) */
} bench_args;

/* Reads argv; returns 0, or -1 when the URL is missing (usage printed to
 * stderr, naming program). */
int bench_args_parse(int argc, char **argv, const char *program,
                     bench_args *out);

#endif
