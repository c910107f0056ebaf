/*
 * test_reservoir.c - reservoir sampling: everything kept when the stream
 * is short, the same sample for the same seed, and every item kept with
 * probability k/n (counted over many seeds, with a chi-square bound).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "reservoir.h"

static void offer_numbers(reservoir *r, int n)
{
    for (int i = 0; i < n; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%02d", i);
        assert_int_equal(reservoir_offer(r, key, (uint64_t)i), 0);
    }
}

static void test_short_stream_keeps_all(void **state)
{
    (void)state;
    reservoir r;
    assert_int_equal(reservoir_init(&r, 5, 42), 0);
    offer_numbers(&r, 3);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.seen, 3);
    assert_string_equal(r.items[0].key, "k00");
    assert_string_equal(r.items[2].key, "k02");
    assert_int_equal(r.items[2].size, 2);
    reservoir_free(&r);
}

/* The kept keys, sorted, joined: a fingerprint of the sample. */
static void sample_of(uint64_t seed, char *out, size_t size)
{
    reservoir r;
    assert_int_equal(reservoir_init(&r, 4, seed), 0);
    offer_numbers(&r, 30);
    assert_int_equal(r.count, 4);
    reservoir_sort(&r);
    out[0] = '\0';
    for (size_t i = 0; i < r.count; i++) {
        strncat(out, r.items[i].key, size - strlen(out) - 1);
        strncat(out, " ", size - strlen(out) - 1);
    }
    reservoir_free(&r);
}

static void test_seed_reproduces(void **state)
{
    (void)state;
    char a[128], b[128], c[128];
    sample_of(7, a, sizeof a);
    sample_of(7, b, sizeof b);
    sample_of(8, c, sizeof c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

static void test_inclusion_is_uniform(void **state)
{
    (void)state;
    enum { N = 10, K = 3, TRIALS = 30000 };
    unsigned kept[N] = {0};
    for (uint64_t seed = 1; seed <= TRIALS; seed++) {
        reservoir r;
        assert_int_equal(reservoir_init(&r, K, seed), 0);
        offer_numbers(&r, N);
        for (size_t i = 0; i < r.count; i++)
            kept[r.items[i].size]++;
        reservoir_free(&r);
    }
    /* expected K/N * TRIALS = 9000 each; 27.88 is the 0.1% point of
     * chi-square with 9 degrees of freedom */
    double expected = (double)K / N * TRIALS, chi2 = 0;
    for (int i = 0; i < N; i++)
        chi2 += (kept[i] - expected) * (kept[i] - expected) / expected;
    if (chi2 > 27.88)
        fail_msg("chi-square %.2f: counts not uniform", chi2);
}

static void test_uniform_draws(void **state)
{
    (void)state;
    reservoir r;
    assert_int_equal(reservoir_init(&r, 1, 99), 0);
    unsigned seen[3] = {0};
    for (int i = 0; i < 30000; i++) {
        uint64_t x = reservoir_uniform(&r, 3);
        assert_true(x < 3);
        seen[x]++;
    }
    for (int i = 0; i < 3; i++)
        assert_true(seen[i] > 9700 && seen[i] < 10300);
    assert_int_equal(reservoir_uniform(&r, 1), 0);
    reservoir_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_stream_keeps_all),
        cmocka_unit_test(test_seed_reproduces),
        cmocka_unit_test(test_inclusion_is_uniform),
        cmocka_unit_test(test_uniform_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
