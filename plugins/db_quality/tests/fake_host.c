#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_host.h"

enum { MAX_METRICS = 512, MAX_STATE = 64 };

static struct {
    char *name;
    double value;
    char *unit;
} metrics[MAX_METRICS];
static size_t metric_count;
static nbaq_status status = NBAQ_UNKNOWN;
static char message[8192];
static struct {
    char *key;
    char *value;
} state[MAX_STATE];
static size_t state_count;

void fake_reset(void)
{
    for (size_t i = 0; i < metric_count; i++) {
        free(metrics[i].name);
        free(metrics[i].unit);
    }
    metric_count = 0;
    status = NBAQ_UNKNOWN;
    message[0] = '\0';
}

static int find_metric(const char *name)
{
    for (size_t i = 0; i < metric_count; i++)
        if (strcmp(metrics[i].name, name) == 0)
            return (int)i;
    return -1;
}

int fake_has_metric(const char *name)
{
    return find_metric(name) >= 0;
}

double fake_metric(const char *name)
{
    int i = find_metric(name);
    if (i < 0)
        fail_msg("metric %s not set (message: %s)", name, message);
    return metrics[i].value;
}

const char *fake_unit(const char *name)
{
    int i = find_metric(name);
    return i < 0 ? NULL : metrics[i].unit;
}

size_t fake_metric_count(void)
{
    return metric_count;
}

nbaq_status fake_status(void)
{
    return status;
}

const char *fake_message(void)
{
    return message;
}

const char *fake_state(const char *key)
{
    for (size_t i = 0; i < state_count; i++)
        if (strcmp(state[i].key, key) == 0)
            return state[i].value;
    return NULL;
}

static void metric_set(nbaq_ctx *ctx, const char *name, double value,
                       const char *unit)
{
    (void)ctx;
    int i = find_metric(name);
    if (i < 0) {
        assert_true(metric_count < MAX_METRICS);
        i = (int)metric_count++;
        metrics[i].name = strdup(name);
    } else {
        free(metrics[i].unit);
    }
    metrics[i].value = value;
    metrics[i].unit = strdup(unit != NULL ? unit : "");
}

static void status_set(nbaq_ctx *ctx, nbaq_status s, const char *fmt, ...)
{
    (void)ctx;
    status = s;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
}

static void log_line(const nbaq_ctx *ctx, nbaq_log_level level, const char *fmt,
                     ...)
{
    (void)ctx;
    (void)level;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int64_t time_left_ms(const nbaq_ctx *ctx)
{
    (void)ctx;
    return 120000;
}

static const char *state_get(const nbaq_ctx *ctx, const char *key)
{
    (void)ctx;
    return fake_state(key);
}

static void state_set(nbaq_ctx *ctx, const char *key, const char *value)
{
    (void)ctx;
    for (size_t i = 0; i < state_count; i++)
        if (strcmp(state[i].key, key) == 0) {
            free(state[i].value);
            state[i].value = strdup(value);
            return;
        }
    assert_true(state_count < MAX_STATE);
    state[state_count].key = strdup(key);
    state[state_count++].value = strdup(value);
}

/* This host keeps no history store: nothing is backfilled. */
static int metric_backfill(nbaq_ctx *ctx, const char *name, const char *unit,
                           const nbaq_point *points, size_t count)
{
    (void)ctx, (void)name, (void)unit, (void)points, (void)count;
    return -1;
}

const nbaq_host_api fake_api = {
    .abi_version = NBAQ_ABI_VERSION,
    .struct_size = sizeof(nbaq_host_api),
    .log = log_line,
    .metric_set = metric_set,
    .status_set = status_set,
    .time_left_ms = time_left_ms,
    .state_get = state_get,
    .state_set = state_set,
    .metric_backfill = metric_backfill,
};
