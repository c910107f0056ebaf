/*
 * Routing (core/alerts/routing.c): routes by severity and check, and the
 * original system's escalation policy, worked out by hand:
 *   high after 30 minutes to email and Slack;
 *   critical after 30 minutes adds the webhook and repeats every 30 min;
 *   critical after 2 hours repeats every 15 minutes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "routing.h"

#define MIN 60000LL
#define HOUR (60 * MIN)

static char *mail_slack[] = {"oncall_mail", "team_slack"};
static char *webhook[] = {"ops_webhook"};
static char *orders_only[] = {"orders"};

static const char *const channels[] = {"oncall_mail", "team_slack",
                                       "ops_webhook"};
static const unsigned char no_default[] = {0, 0, 0};

static alerts_config policy(void)
{
    static alert_level levels[3];
    levels[0] = (alert_level){.after_ms = 30 * MIN,
                              .min_severity = NBAQ_SEV_HIGH,
                              .channels = mail_slack,
                              .channel_count = 2};
    levels[1] = (alert_level){.after_ms = 30 * MIN,
                              .min_severity = NBAQ_SEV_CRITICAL,
                              .channels = webhook,
                              .channel_count = 1,
                              .repeat_ms = 30 * MIN};
    levels[2] = (alert_level){.after_ms = 2 * HOUR,
                              .min_severity = NBAQ_SEV_CRITICAL,
                              .repeat_ms = 15 * MIN};
    alerts_config ac;
    alerts_config_defaults(&ac);
    ac.routes_given = 1; /* routes: [] : nothing before the levels */
    ac.levels = levels;
    ac.level_count = 3;
    return ac;
}

/* "MSW" letters for the selected channels, "-" for none. */
static const char *route(const alerts_config *ac, const char *check,
                         nbaq_severity severity, int64_t open_ms,
                         int64_t *repeat)
{
    static char out[8];
    router r = {ac, channels, no_default, 3};
    unsigned char selected[3];
    *repeat = router_route(&r, check, severity, open_ms, selected);
    size_t k = 0;
    for (int i = 0; i < 3; i++) {
        if (selected[i])
            out[k++] = "MSW"[i];
    }
    if (k == 0)
        out[k++] = '-';
    out[k] = '\0';
    return out;
}

static void test_original_policy(void **state)
{
    (void)state;
    alerts_config ac = policy();
    int64_t repeat;
    /* Before 30 minutes nothing, whatever the severity. */
    assert_string_equal(route(&ac, "x", NBAQ_SEV_CRITICAL, 29 * MIN, &repeat),
                        "-");
    assert_int_equal(repeat, 4 * HOUR);
    /* High at 30 minutes: email and Slack, the default 4h repeat. */
    assert_string_equal(route(&ac, "x", NBAQ_SEV_HIGH, 30 * MIN, &repeat),
                        "MS");
    assert_int_equal(repeat, 4 * HOUR);
    /* High is never paged to the webhook, even after hours. */
    assert_string_equal(route(&ac, "x", NBAQ_SEV_HIGH, 5 * HOUR, &repeat),
                        "MS");
    assert_int_equal(repeat, 4 * HOUR);
    /* Critical at 30 minutes: the webhook too, every 30 minutes. */
    assert_string_equal(route(&ac, "x", NBAQ_SEV_CRITICAL, 30 * MIN, &repeat),
                        "MSW");
    assert_int_equal(repeat, 30 * MIN);
    /* Critical after 2 hours: every 15 minutes. */
    assert_string_equal(
        route(&ac, "x", NBAQ_SEV_CRITICAL, 2 * HOUR - 1, &repeat), "MSW");
    assert_int_equal(repeat, 30 * MIN);
    assert_string_equal(route(&ac, "x", NBAQ_SEV_CRITICAL, 2 * HOUR, &repeat),
                        "MSW");
    assert_int_equal(repeat, 15 * MIN);
    /* Medium never reaches anybody under this policy. */
    assert_string_equal(route(&ac, "x", NBAQ_SEV_MEDIUM, 9 * HOUR, &repeat),
                        "-");
}

static void test_routes_by_severity_and_check(void **state)
{
    (void)state;
    alert_route routes[2] = {
        {.channel = "team_slack", .min_severity = NBAQ_SEV_MEDIUM},
        {.channel = "ops_webhook",
         .min_severity = NBAQ_SEV_INFO,
         .checks = orders_only,
         .check_count = 1}};
    alerts_config ac;
    alerts_config_defaults(&ac);
    ac.routes_given = 1;
    ac.routes = routes;
    ac.route_count = 2;
    int64_t repeat;
    assert_string_equal(route(&ac, "orders", NBAQ_SEV_LOW, 0, &repeat), "W");
    assert_string_equal(route(&ac, "orders", NBAQ_SEV_MEDIUM, 0, &repeat),
                        "SW");
    assert_string_equal(route(&ac, "stock", NBAQ_SEV_MEDIUM, 0, &repeat), "S");
    assert_string_equal(route(&ac, "stock", NBAQ_SEV_LOW, 0, &repeat), "-");
    assert_int_equal(repeat, 4 * HOUR);
}

static void test_without_routes_defaults_take_everything(void **state)
{
    (void)state;
    alerts_config ac;
    alerts_config_defaults(&ac);
    ac.repeat_ms = 0; /* never repeat */
    static const unsigned char defaults[] = {1, 0, 1};
    router r = {&ac, channels, defaults, 3};
    unsigned char selected[3];
    assert_int_equal(router_route(&r, "x", NBAQ_SEV_INFO, 0, selected), 0);
    assert_memory_equal(selected, defaults, 3);
}

static void test_repeat_min_treats_zero_as_never(void **state)
{
    (void)state;
    assert_int_equal(alerts_repeat_min(0, 5), 5);
    assert_int_equal(alerts_repeat_min(5, 0), 5);
    assert_int_equal(alerts_repeat_min(7, 5), 5);
    assert_int_equal(alerts_repeat_min(0, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_original_policy),
        cmocka_unit_test(test_routes_by_severity_and_check),
        cmocka_unit_test(test_without_routes_defaults_take_everything),
        cmocka_unit_test(test_repeat_min_treats_zero_as_never),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
