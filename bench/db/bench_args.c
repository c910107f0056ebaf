#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_args.h"

int bench_args_parse(int argc, char **argv, const char *program,
                     bench_args *out)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s URL [--setup] [--runs N] [--rows N]\n",
                program);
        return -1;
    }
    *out = (bench_args){.url = argv[1], .runs = 7, .rows = 5000000};
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--setup") == 0)
            out->setup = 1;
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            out->runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
            out->rows = atol(argv[++i]);
    }
    out->runs = out->runs < 1 ? 1 : out->runs > 99 ? 99 : out->runs;
    return 0;
}
