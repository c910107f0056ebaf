/*
 * corpus.c - the generators of the labelled corpus (see corpus.h). Each
 * family is a shape (flat, growth, cycles), a noise model and a kind of
 * event; events start after a warm-up of a few cycles and are at least
 * EVENT_GAP runs apart, so that each is judged against a settled past.
 */
#include "corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)
/* 2026-01-05T00:00:00Z, a Monday. */
#define START_MS 1767571200000LL
#define EVENT_GAP 60
#define PI 3.14159265358979323846

typedef enum shape { FLAT, LINEAR, EXPONENTIAL, DAILY, WEEKLY } shape;
typedef enum noise { NO_NOISE, GAUSSIAN, NULL_RATE } noise;
typedef enum event_kind {
    SHIFT,    /* a few runs away from the expected value          */
    STEP,     /* a level shift lasting 15 to 30 runs              */
    OUTLIER,  /* one run                                           */
    DRIFT,    /* a ramp over RAMP runs, then held, then back       */
    HOLIDAY,  /* a weekday with a weekend's volume                 */
    NULL_JUMP /* the NULL rate jumps 20 to 100 times              */
} event_kind;

#define RAMP 20
/* An event departs at least this many noise sd from the clean value. */
#define EVENT_MIN_SD 6

typedef struct family {
    const char *name;
    const char *legend;
    shape shape;
    noise noise;
    double cv_low, cv_high; /* noise sd / level                    */
    event_kind event;
    int64_t spacing_ms;
    size_t length;
    double missing; /* share of runs skipped                         */
    size_t warmup;  /* runs before the first event                   */
    size_t max_delay;
} family;

static const family families[] = {
    {"stable", "constant counts", FLAT, NO_NOISE, 0, 0, SHIFT, DAY_MS, 400, 0,
     30, 1},
    {"noisy", "counts, noise 3-10%", FLAT, GAUSSIAN, 0.03, 0.10, SHIFT, DAY_MS,
     400, 0, 40, 1},
    {"linear", "linear growth 0.3-1.5%/run, noise 1-2%", LINEAR, GAUSSIAN, 0.01,
     0.02, SHIFT, DAY_MS, 400, 0, 40, 1},
    {"multiplicative", "growth x1.003-x1.01/run, noise 1-2%", EXPONENTIAL,
     GAUSSIAN, 0.01, 0.02, SHIFT, DAY_MS, 400, 0, 40, 1},
    {"daily", "hourly runs, daily cycle +-30-70%", DAILY, GAUSSIAN, 0.02, 0.04,
     SHIFT, HOUR_MS, 720, 0, 96, 1},
    {"weekly", "daily runs, weekends at 30-60%", WEEKLY, GAUSSIAN, 0.02, 0.04,
     SHIFT, DAY_MS, 540, 0, 35, 1},
    {"holidays", "weekly cycle; events: weekdays at weekend volume", WEEKLY,
     GAUSSIAN, 0.02, 0.04, HOLIDAY, DAY_MS, 540, 0, 35, 0},
    {"steps", "noise 2-5%; events: steps up/down for 15-30 runs", FLAT,
     GAUSSIAN, 0.02, 0.05, STEP, DAY_MS, 500, 0, 40, 1},
    {"drift", "noise 2-4%; events: 20-run ramps to +-30-50%", FLAT, GAUSSIAN,
     0.02, 0.04, DRIFT, DAY_MS, 500, 0, 40, RAMP},
    {"outliers", "noise 2-5%; events: single runs", FLAT, GAUSSIAN, 0.02, 0.05,
     OUTLIER, DAY_MS, 400, 0, 40, 0},
    {"missing", "daily cycle, 25% of hourly runs missing", DAILY, GAUSSIAN,
     0.02, 0.04, SHIFT, HOUR_MS, 720, 0.25, 96, 1},
    {"null_rate", "NULL rate 0.002-0.1% of 100k rows", FLAT, NULL_RATE, 0, 0,
     NULL_JUMP, DAY_MS, 400, 0, 40, 1},
};

#define FAMILY_COUNT (sizeof families / sizeof families[0])

size_t corpus_family_count(void)
{
    return FAMILY_COUNT;
}

const char *corpus_family_name(size_t f)
{
    return f < FAMILY_COUNT ? families[f].name : "";
}

const char *corpus_family_legend(size_t f)
{
    return f < FAMILY_COUNT ? families[f].legend : "";
}

/* splitmix64: a small, well-mixed generator with a 64-bit state. */
typedef struct rng {
    uint64_t state;
} rng;

static uint64_t next_u64(rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(rng *r)
{
    return (double)(next_u64(r) >> 11) / 9007199254740992.0;
}

static double between(rng *r, double low, double high)
{
    return low + (high - low) * uniform(r);
}

static double gaussian(rng *r)
{
    double u = uniform(r), v = uniform(r);
    return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * PI * v);
}

/* Poisson by multiplication (lambda <= 60), else a rounded normal. */
static double poisson(rng *r, double lambda)
{
    if (lambda > 60)
        return fmax(0, round(lambda + sqrt(lambda) * gaussian(r)));
    double limit = exp(-lambda), p = 1;
    int k = -1;
    do {
        k++;
        p *= uniform(r);
    } while (p > limit);
    return k;
}

typedef struct params {
    double level, cv, growth, amplitude, weekend, phase, rows, null_p;
} params;

static params draw_params(const family *f, rng *r)
{
    params p = {0};
    p.level = round(exp(between(r, log(200), log(1e6))));
    p.cv = between(r, f->cv_low, f->cv_high);
    p.growth =
        f->shape == LINEAR ? between(r, 0.003, 0.015) : between(r, 0.003, 0.01);
    p.amplitude = between(r, 0.3, 0.7);
    p.weekend = between(r, 0.3, 0.6);
    p.phase = between(r, 0, 2 * PI);
    p.rows = 100000;
    p.null_p = exp(between(r, log(0.00002), log(0.001)));
    return p;
}

static int is_weekend(int64_t ts)
{
    int64_t day = (ts / DAY_MS + 4) % 7; /* 0 Sunday */
    return day == 0 || day == 6;
}

/* The clean expected value of run i at time ts. */
static double expected_at(const family *f, const params *p, size_t i,
                          int64_t ts)
{
    switch (f->shape) {
    case LINEAR:
        return p->level * (1 + p->growth * (double)i);
    case EXPONENTIAL:
        return p->level * pow(1 + p->growth, (double)i);
    case DAILY: {
        double hour = (double)(ts % DAY_MS) / (double)HOUR_MS;
        return p->level *
               (1 + p->amplitude * sin(2 * PI * hour / 24 + p->phase));
    }
    case WEEKLY:
        return is_weekend(ts) ? p->level * p->weekend : p->level;
    default:
        return f->noise == NULL_RATE ? p->null_p : p->level;
    }
}

static double observe(const family *f, const params *p, rng *r, double expected)
{
    switch (f->noise) {
    case GAUSSIAN:
        return fmax(0, round(expected * (1 + p->cv * gaussian(r))));
    case NULL_RATE:
        return poisson(r, expected * p->rows) / p->rows;
    default:
        return round(expected);
    }
}

/* Lays out the events: starts and lengths, EVENT_GAP runs apart. */
static size_t place_events(const family *f, size_t n, rng *r,
                           bench_event *events, size_t capacity)
{
    size_t count = 0;
    size_t at = f->warmup + (size_t)between(r, 0, 20);
    while (count < capacity && at + 40 < n) {
        size_t length = 1;
        if (f->event == SHIFT || f->event == NULL_JUMP)
            length = 2 + (size_t)between(r, 0, 4);
        else if (f->event == STEP)
            length = 15 + (size_t)between(r, 0, 16);
        else if (f->event == DRIFT)
            length = RAMP + 10;
        if (f->event == HOLIDAY)
            while (at < n && is_weekend(START_MS + (int64_t)at * f->spacing_ms))
                at++;
        events[count++] = (bench_event){at, length};
        at += length + EVENT_GAP + (size_t)between(r, 0, 30);
    }
    return count;
}

/* The value during run k of event e, given the clean one. sd: the noise's
 * standard deviation at that value. Departures from the clean value, as
 * observed, are at least EVENT_MIN_SD sd (and meaningful in percent), so
 * that each is a real event for any method. */
static double apply_event(const family *f, const params *p, rng *r,
                          double clean, double noisy, size_t k, double size)
{
    double sd = clean * p->cv;
    switch (f->event) {
    case HOLIDAY:
        return round(noisy * p->weekend);
    case NULL_JUMP:
        return poisson(r, clean * size * p->rows) / p->rows;
    case DRIFT: {
        double reach = k < RAMP ? (double)(k + 1) / RAMP : 1;
        return fmax(0, round(noisy + reach * (size * clean)));
    }
    default: {
        /* At least EVENT_MIN_SD sd from the clean value as observed, the
         * run's own noise included: a shift of 6 sd that the noise pulls
         * back to 4 sd is not an event any method can tell from noise. */
        double shift = size * clean;
        if (fabs(shift) < EVENT_MIN_SD * sd)
            shift = copysign(EVENT_MIN_SD * sd, shift);
        double departure = noisy - clean + shift;
        if (fabs(departure) < EVENT_MIN_SD * sd)
            departure = copysign(EVENT_MIN_SD * sd, shift);
        return fmax(0, round(clean + departure));
    }
    }
}

/* Relative size of an event: sign and magnitude by kind. */
static double event_size(const family *f, rng *r)
{
    double sign = uniform(r) < 0.5 ? -1 : 1;
    switch (f->event) {
    case NULL_JUMP:
        return between(r, 20, 100);
    case STEP:
        return sign * between(r, 0.25, 0.5);
    case DRIFT:
        return sign * between(r, 0.3, 0.5);
    case OUTLIER:
        return sign > 0 ? between(r, 0.5, 2.0) : -between(r, 0.4, 0.8);
    default:
        return sign > 0 ? between(r, 0.3, 0.6) : -between(r, 0.3, 0.6);
    }
}

int corpus_make(size_t family_index, unsigned index, int with_events,
                bench_series *out)
{
    memset(out, 0, sizeof *out);
    if (family_index >= FAMILY_COUNT)
        return -1;
    const family *f = &families[family_index];
    rng r = {0x6E626171ULL * (family_index + 1) + index * 7919ULL +
             (with_events ? 0x5EED : 0)};
    params p = draw_params(f, &r);
    out->ts = malloc(f->length * sizeof *out->ts);
    out->value = malloc(f->length * sizeof *out->value);
    out->events = malloc(f->length * sizeof *out->events);
    if (!out->ts || !out->value || !out->events) {
        corpus_free(out);
        return -1;
    }
    out->max_delay = f->max_delay;
    int64_t ts = START_MS;
    for (size_t i = 0; i < f->length; i++) {
        while (f->missing > 0 && uniform(&r) < f->missing)
            ts += f->spacing_ms;
        out->ts[i] = ts;
        ts += f->spacing_ms;
    }
    out->n = f->length;
    if (with_events)
        out->event_count = place_events(f, out->n, &r, out->events, out->n);
    size_t e = 0;
    double size = 0;
    for (size_t i = 0; i < out->n; i++) {
        double clean = expected_at(f, &p, i, out->ts[i]);
        double noisy = observe(f, &p, &r, clean);
        while (e < out->event_count &&
               i >= out->events[e].start + out->events[e].length)
            e++;
        int in_event = e < out->event_count && i >= out->events[e].start;
        if (in_event && i == out->events[e].start)
            size = event_size(f, &r);
        out->value[i] = in_event ? apply_event(f, &p, &r, clean, noisy,
                                               i - out->events[e].start, size)
                                 : noisy;
    }
    return 0;
}

void corpus_free(bench_series *s)
{
    free(s->ts);
    free(s->value);
    free(s->events);
    memset(s, 0, sizeof *s);
}
