/*
 * bench_detect - the anomaly rule (core/history/detect.c) against the
 * labelled corpus (corpus.c) and four baselines (baselines.c).
 *
 *   bench_detect table [SERIES [Z]]  recall, delay and false alarms per
 *                                 family and detector; SERIES clean and
 *                                 SERIES eventful series per family
 *                                 (default 10); Z: nbaq's z (default: the
 *                                 rule's default)
 *   bench_detect trace F I [events]  why nbaq fires on series I of family
 *                                 F (0-based), clean or with events
 *   bench_detect speed            CPU time of one detect_judge over 1,000
 *                                 past points, and of 10,000 of them
 *
 * Runs are simulated in order as the host runs them: each detector sees
 * the values before the run with the flags it set itself (nbaq also its
 * suspects), and nbaq carries its episode from run to run. False alarms
 * count openings (a run that fires after one that did not), per 1,000
 * runs of the clean series. A second table counts each detector's errors
 * (missed events plus false alarms) and says, per family, whether nbaq is
 * better than every baseline: fewer errors, or as many and a shorter mean
 * delay. Figures: docs/performance.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baselines.h"
#include "corpus.h"
#include "detect.h"

typedef int (*baseline_fn)(const history_sample *, size_t, double, int64_t);

typedef struct detector {
    const char *name;
    baseline_fn baseline; /* NULL: nbaq's detect_judge */
} detector;

static const detector detectors[] = {
    {"nbaq", NULL},
    {"nbaq-1.x", baseline_nbaq1},
    {"elementary", baseline_elementary},
    {"deequ-online", baseline_deequ_online},
    {"deequ-rate", baseline_deequ_rate},
};
#define DETECTOR_COUNT (sizeof detectors / sizeof detectors[0])

typedef struct score {
    size_t events, caught, delay_sum, delay_max;
    size_t clean_runs, clean_openings;
    size_t runs_outside, openings_outside; /* eventful series, outside events */
} score;

/* Runs the detector over s; fired[i] is set per run. */
static void simulate(const detector *d, const bench_series *s,
                     const anomaly_rule *rule, history_sample *past,
                     unsigned char *fired)
{
    detect_episode episode = {0};
    size_t needed = detect_points_needed(rule);
    for (size_t i = 0; i < s->n; i++) {
        int flag;
        if (d->baseline) {
            flag = d->baseline(past, i, s->value[i], s->ts[i]);
            fired[i] = (unsigned char)flag;
        } else {
            size_t from = i > needed ? i - needed : 0;
            detect_result r;
            detect_judge(rule, s->value[i], s->ts[i], past + from, i - from,
                         &episode, &r);
            episode = r.episode;
            fired[i] = (unsigned char)r.fired;
            flag = r.fired || r.suspect;
        }
        past[i] = (history_sample){s->ts[i], s->value[i], flag};
    }
}

static size_t openings(const unsigned char *fired, size_t from, size_t to)
{
    size_t count = 0;
    for (size_t i = from; i < to; i++)
        count += fired[i] && (i == 0 || !fired[i - 1]);
    return count;
}

static void score_events(const bench_series *s, const unsigned char *fired,
                         score *sc)
{
    size_t outside_from = 0;
    for (size_t e = 0; e < s->event_count; e++) {
        const bench_event *ev = &s->events[e];
        sc->events++;
        size_t last = ev->start + s->max_delay;
        for (size_t i = ev->start; i <= last && i < s->n; i++) {
            if (fired[i]) {
                size_t delay = i - ev->start;
                sc->caught++;
                sc->delay_sum += delay;
                if (delay > sc->delay_max)
                    sc->delay_max = delay;
                break;
            }
        }
        sc->openings_outside += openings(fired, outside_from, ev->start);
        sc->runs_outside += ev->start - outside_from;
        /* An episode may outlast the event by its hysteresis: skip it. */
        outside_from = ev->start + ev->length;
        while (outside_from < s->n && fired[outside_from])
            outside_from++;
    }
    sc->openings_outside += openings(fired, outside_from, s->n);
    sc->runs_outside += s->n > outside_from ? s->n - outside_from : 0;
}

static int run_family(size_t f, unsigned series, const anomaly_rule *rule,
                      score *scores)
{
    for (unsigned k = 0; k < series; k++) {
        for (int with_events = 0; with_events < 2; with_events++) {
            bench_series s;
            if (corpus_make(f, k, with_events, &s) != 0)
                return -1;
            history_sample *past = malloc(s.n * sizeof *past);
            unsigned char *fired = malloc(s.n);
            if (!past || !fired) {
                free(past);
                free(fired);
                corpus_free(&s);
                return -1;
            }
            for (size_t d = 0; d < DETECTOR_COUNT; d++) {
                simulate(&detectors[d], &s, rule, past, fired);
                if (with_events) {
                    score_events(&s, fired, &scores[d]);
                } else {
                    scores[d].clean_runs += s.n;
                    scores[d].clean_openings += openings(fired, 0, s.n);
                }
            }
            free(past);
            free(fired);
            corpus_free(&s);
        }
    }
    return 0;
}

static void print_row(const char *family, const char *name, const score *sc)
{
    double recall = sc->events ? (double)sc->caught / (double)sc->events : 0;
    double clean = sc->clean_runs ? 1000.0 * (double)sc->clean_openings /
                                        (double)sc->clean_runs
                                  : 0;
    double outside = sc->runs_outside ? 1000.0 * (double)sc->openings_outside /
                                            (double)sc->runs_outside
                                      : 0;
    char delay[32] = "-";
    if (sc->caught)
        snprintf(delay, sizeof delay, "%.2f / %zu",
                 (double)sc->delay_sum / (double)sc->caught, sc->delay_max);
    printf("| %-14s | %-12s | %4zu/%-4zu %5.3f | %-10s | %7.2f | %7.2f |\n",
           family, name, sc->caught, sc->events, recall, delay, clean, outside);
}

/* Wrong answers a user got: events missed plus false alarms (openings on
 * the clean series and between events). */
static size_t errors_of(const score *sc)
{
    return sc->events - sc->caught + sc->clean_openings + sc->openings_outside;
}

static double mean_delay(const score *sc)
{
    return sc->caught ? (double)sc->delay_sum / (double)sc->caught : 0;
}

/* a better than b: fewer errors, or as many and a shorter mean delay
 * (docs/performance.md defines it before the figures). */
static int better(const score *a, const score *b)
{
    size_t ea = errors_of(a), eb = errors_of(b);
    return ea < eb || (ea == eb && mean_delay(a) < mean_delay(b));
}

/* One row per family: nbaq's errors against the best baseline's. */
static void print_verdict(const char *family, const score *scores)
{
    size_t best = 1, beaten = 0;
    for (size_t d = 1; d < DETECTOR_COUNT; d++) {
        if (better(&scores[d], &scores[best]))
            best = d;
        beaten += better(&scores[0], &scores[d]);
    }
    printf("| %-14s | %6zu (%zu missed) | %-12s %6zu (%zu missed) | %s |\n",
           family, errors_of(&scores[0]), scores[0].events - scores[0].caught,
           detectors[best].name, errors_of(&scores[best]),
           scores[best].events - scores[best].caught,
           beaten == DETECTOR_COUNT - 1 ? "yes" : "no");
}

static int table(unsigned series, double z)
{
    anomaly_rule rule;
    anomaly_rule_defaults(&rule);
    if (z > 0)
        rule.z = z;
    printf("| family         | detector     | recall           | delay "
           "mean/max | FA/1000 clean | FA/1000 between events |\n");
    printf("|----------------|--------------|------------------|---------"
           "---|---------|---------|\n");
    size_t families = corpus_family_count();
    score(*all)[DETECTOR_COUNT] = calloc(families, sizeof *all);
    if (!all) {
        fprintf(stderr, "bench_detect: out of memory\n");
        return 1;
    }
    for (size_t f = 0; f < families; f++) {
        score *scores = all[f];
        if (run_family(f, series, &rule, scores) != 0) {
            fprintf(stderr, "bench_detect: out of memory\n");
            free(all);
            return 1;
        }
        for (size_t d = 0; d < DETECTOR_COUNT; d++)
            print_row(d == 0 ? corpus_family_name(f) : "", detectors[d].name,
                      &scores[d]);
    }
    printf("\n| family         | nbaq errors      | best baseline, errors "
           "         | nbaq better than every baseline |\n");
    printf("|----------------|------------------|---------------------------"
           "----|-----|\n");
    for (size_t f = 0; f < families; f++)
        print_verdict(corpus_family_name(f), all[f]);
    free(all);
    printf("\nFamilies:\n");
    for (size_t f = 0; f < corpus_family_count(); f++)
        printf("  %-14s %s\n", corpus_family_name(f), corpus_family_legend(f));
    return 0;
}

/* Every run of one series where nbaq fires or flags a suspect, with its
 * evidence: to see why. */
static int trace(size_t family, unsigned index, int with_events)
{
    anomaly_rule rule;
    anomaly_rule_defaults(&rule);
    bench_series s;
    if (corpus_make(family, index, with_events, &s) != 0)
        return 1;
    history_sample *past = malloc(s.n * sizeof *past);
    if (!past) {
        corpus_free(&s);
        return 1;
    }
    for (size_t e = 0; e < s.event_count; e++)
        printf("event at run %zu, %zu runs\n", s.events[e].start,
               s.events[e].length);
    detect_episode episode = {0};
    size_t needed = detect_points_needed(&rule);
    for (size_t i = 0; i < s.n; i++) {
        size_t from = i > needed ? i - needed : 0;
        detect_result r;
        detect_judge(&rule, s.value[i], s.ts[i], past + from, i - from,
                     &episode, &r);
        episode = r.episode;
        if (r.fired || r.suspect || r.closed || getenv("BENCH_TRACE_ALL")) {
            char reason[300];
            detect_reason(&rule, s.value[i], &r, reason, sizeof reason);
            printf("run %4zu%s%s%s %s\n", i, r.opened ? " opened" : "",
                   r.closed ? " closed" : "", r.suspect ? " suspect" : "",
                   reason);
        }
        past[i] = (history_sample){s.ts[i], s.value[i], r.fired || r.suspect};
    }
    free(past);
    corpus_free(&s);
    return 0;
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define SPEED_POINTS 1000
#define SPEED_HOUR_MS 3600000LL

/* 1,000 hourly values before now: a level of 1000 with +-2% noise, with
 * or without a daily cycle of +-50%. */
static void speed_series(int daily, history_sample *past, double *now_value,
                         int64_t *now_ms)
{
    const int64_t start = 1767571200000LL; /* 2026-01-05T00:00:00Z */
    for (size_t i = 0; i <= SPEED_POINTS; i++) {
        double hour = (double)(i % 24);
        double cycle = daily ? 0.5 * sin(2 * 3.14159265358979 * hour / 24) : 0;
        double noise = 0.02 * sin((double)i * 12.9898) * cos((double)i * 4.1);
        double v = round(1000 * (1 + cycle) * (1 + noise));
        int64_t ts = start + (int64_t)i * SPEED_HOUR_MS;
        if (i < SPEED_POINTS)
            past[i] = (history_sample){ts, v, 0};
        else
            *now_value = v, *now_ms = ts;
    }
}

/* CPU time of one detect_judge over the latest `points` of SPEED_POINTS
 * past values, with a baseline window of `window` points (0: the default,
 * 30), repeated. */
static int time_judge(int daily, size_t points, uint32_t window,
                      const char *label)
{
    anomaly_rule rule;
    anomaly_rule_defaults(&rule);
    if (window)
        rule.window_points = window;
    static history_sample past[SPEED_POINTS];
    double value;
    int64_t now_ms;
    speed_series(daily, past, &value, &now_ms);
    const int iterations = 5000;
    volatile int sink = 0;
    double start = cpu_seconds();
    for (int k = 0; k < iterations; k++) {
        detect_result r;
        detect_judge(&rule, value, now_ms, past + SPEED_POINTS - points, points,
                     NULL, &r);
        sink += r.fired;
    }
    double per = (cpu_seconds() - start) / iterations;
    printf("detect_judge, %4zu past points, window %4u, %-12s %7.1f us "
           "(x 10,000 metrics: %.2f s)\n",
           points, rule.window_points, label, per * 1e6, per * 10000);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "table";
    if (strcmp(mode, "table") == 0) {
        unsigned series = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 10;
        double z = argc > 3 ? strtod(argv[3], NULL) : 0;
        return table(series ? series : 10, z);
    }
    if (strcmp(mode, "speed") == 0) {
        return time_judge(0, SPEED_POINTS, 0, "no cycle") ||
               time_judge(1, SPEED_POINTS, 0, "daily cycle") ||
               time_judge(0, SPEED_POINTS, SPEED_POINTS, "no cycle") ||
               time_judge(1, SPEED_POINTS, SPEED_POINTS, "daily cycle") ||
               time_judge(0, DETECT_SEASON_POINTS, 0, "no cycle") ||
               time_judge(1, DETECT_SEASON_POINTS, 0, "daily cycle");
    }
    if (strcmp(mode, "trace") == 0 && argc > 3)
        return trace(strtoul(argv[2], NULL, 10),
                     (unsigned)strtoul(argv[3], NULL, 10),
                     argc > 4 && strcmp(argv[4], "events") == 0);
    fprintf(stderr, "usage: bench_detect table [SERIES [Z]] | speed | trace "
                    "FAMILY INDEX [events]\n");
    return 2;
}
