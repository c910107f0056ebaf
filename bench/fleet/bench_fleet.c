/*
 * bench_fleet URL [CHECKS] [ROUNDS] - the cost of a claim (history_fleet.h)
 * on a PostgreSQL store: CHECKS checks are registered with a 1 s interval,
 * then each round waits for their slot and claims and releases every one
 * (the winning path: UPDATE ... FOR UPDATE SKIP LOCKED, then the release),
 * then claims each again at once (the losing path: not due, one more
 * query for when it will be). Prints microseconds per call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "history_fleet.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int fail(const char *err)
{
    fprintf(stderr, "bench_fleet: %s\n", err);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return fail("usage: bench_fleet URL [CHECKS] [ROUNDS]");
    int checks = argc > 2 ? atoi(argv[2]) : 1000;
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    char err[1024];
    history_store *store;
    history_fleet *fleet;
    history_fleet_identity id = {"bench", "bench:1", "bench", 1, "bench", "0"};
    if (history_open(argv[1], NULL, NULL, &store, err, sizeof err) != 0 ||
        history_fleet_open(store, &id, &fleet, err, sizeof err) != 0)
        return fail(err);
    char name[32];
    for (int i = 0; i < checks; i++) {
        snprintf(name, sizeof name, "check_%d", i);
        if (history_fleet_register(fleet, name, 1000, err, sizeof err) != 0)
            return fail(err);
    }
    printf("%d checks, %d rounds\n%-6s %14s %14s %14s\n", checks, rounds,
           "round", "claim+release", "claim (won)", "claim (lost)");
    for (int r = 0; r < rounds; r++) {
        usleep(1100 * 1000); /* every check's slot has come */
        double won = 0, released = 0, lost = 0;
        int claimed, misses = 0;
        int64_t wait;
        for (int i = 0; i < checks; i++) {
            snprintf(name, sizeof name, "check_%d", i);
            double t0 = now_us();
            if (history_fleet_claim(fleet, name, 1000, 15000, &claimed, &wait,
                                    err, sizeof err) != 0)
                return fail(err);
            double t1 = now_us();
            if (history_fleet_release(fleet, name, err, sizeof err) != 0)
                return fail(err);
            double t2 = now_us();
            if (history_fleet_claim(fleet, name, 1000, 15000, &claimed, &wait,
                                    err, sizeof err) != 0)
                return fail(err);
            /* Claimed again only when the next slot came in between. */
            misses += claimed;
            if (claimed &&
                history_fleet_release(fleet, name, err, sizeof err) != 0)
                return fail(err);
            won += t1 - t0;
            released += t2 - t0;
            lost += now_us() - t2;
        }
        printf("%-6d %11.0f us %11.0f us %11.0f us  (%d slots turned "
               "between two calls)\n",
               r + 1, released / checks, won / checks, lost / checks, misses);
    }
    history_fleet_close(fleet, NULL, 0);
    history_close(store);
    return 0;
}
