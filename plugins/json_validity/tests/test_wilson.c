/*
 * test_wilson.c - the Wilson interval against values computed
 * independently with Python's statistics.NormalDist:
 *
 *   z = NormalDist().inv_cdf(1 - (1 - c) / 2); p = x / n; d = 1 + z*z/n
 *   centre = (p + z*z/(2n)) / d; half = z/d * sqrt(p(1-p)/n + z*z/(4n*n))
 *
 * and, for the example, by hand: 47 of 50 at 95% gives
 * z = 1.959964, d = 1.076829, centre = 0.908607, half = 0.070778, so
 * [0.837829, 0.979385].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "wilson.h"

static void assert_close(double got, double want, double tolerance)
{
    if (fabs(got - want) > tolerance)
        fail_msg("got %.12f, want %.12f", got, want);
}

static void test_quantile(void **state)
{
    (void)state;
    assert_close(wilson_normal_quantile(0.975), 1.9599639845400536, 1e-12);
    assert_close(wilson_normal_quantile(0.995), 2.5758293035489, 1e-12);
    assert_close(wilson_normal_quantile(0.95), 1.6448536269514715, 1e-12);
    assert_close(wilson_normal_quantile(0.5), 0, 1e-15);
    assert_close(wilson_normal_quantile(1e-6), -4.753424308822899, 1e-10);
}

typedef struct wilson_case {
    uint64_t x, n;
    double confidence, low, high;
} wilson_case;

static void test_interval(void **state)
{
    (void)state;
    static const wilson_case cases[] = {
        {47, 50, 0.95, 0.837829083112, 0.979385029651},
        {50, 50, 0.95, 0.928652400867, 1.0},
        {0, 50, 0.95, 0.0, 0.071347599133},
        {45, 50, 0.95, 0.786397685625, 0.956524235068},
        {44, 50, 0.95, 0.761951826168, 0.943823998491},
        {1, 1, 0.95, 0.206549314377, 1.0},
        {970, 1000, 0.99, 0.952710621294, 0.981093683697},
        {3, 10, 0.90, 0.126876583903, 0.558300204130},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double low, high;
        wilson_interval(cases[i].x, cases[i].n, cases[i].confidence, &low,
                        &high);
        assert_close(low, cases[i].low, 1e-9);
        assert_close(high, cases[i].high, 1e-9);
    }
}

static void test_bounds_exact_at_edges(void **state)
{
    (void)state;
    double low, high;
    wilson_interval(50, 50, 0.95, &low, &high);
    assert_true(high == 1.0);
    wilson_interval(0, 7, 0.99, &low, &high);
    assert_true(low == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile),
        cmocka_unit_test(test_interval),
        cmocka_unit_test(test_bounds_exact_at_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
