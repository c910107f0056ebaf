/*
 * detect_space.h - the scale on which the anomaly rule models a metric:
 * small counts on a square root (Anscombe), other positive values on logs
 * (cycles and growth multiply, noise is proportional), the rest as they
 * are. Each makes the noise about equally wide at every level.
 */
#ifndef NBAQ_HISTORY_DETECT_SPACE_H
#define NBAQ_HISTORY_DETECT_SPACE_H

#include <stddef.h>

/* Values that are whole multiples of a quantum q with a median of at most
 * this many quanta are small counts (Poisson-like noise). */
#define DETECT_SMALL_COUNT 100.0

/* The spread of Poisson counts on that square root: counts never vary less,
 * and a robust spread of few distinct values underestimates it. */
#define DETECT_SQRT_POISSON_SD 1.0

typedef enum detect_space_kind {
    DETECT_SPACE_LINEAR = 0,
    DETECT_SPACE_SQRT, /* 2 sqrt(x / q + 3/8)                      */
    DETECT_SPACE_LOG
} detect_space_kind;

/* Counts whose variance is at least this fraction of their mean vary like
 * Poisson counts (or more): their spread is floored at the Poisson one. */
#define DETECT_POISSON_DISPERSION 0.5

typedef struct detect_space {
    detect_space_kind kind;
    double quantum; /* SQRT: the counting unit (1, or 1e-5 for a rate) */
    int poisson;    /* SQRT: the counts vary at least like Poisson counts */
} detect_space;

/* On the log space, the band is relative and symmetric,
 * expected x (1 +- h), unless the noise is visibly skewed like a log-normal
 * one: see detect_space_relative_band. Right skewness of the relative
 * residuals beyond this many standard errors of a normal sample's
 * skewness, sqrt(6 / n), keeps the band on logs, expected x exp(+-h). */
#define DETECT_SKEW_LIMIT_SE 2.0

/* Chooses the space from v[0..n); scratch holds n doubles. */
detect_space detect_space_choose(const double *v, size_t n, double *scratch);
/* x into the space and back; monotonic, inverse of each other. */
double detect_space_to(const detect_space *s, double x);
double detect_space_from(const detect_space *s, double y);
/*
 * 1 when a log-space model's band should be relative and symmetric:
 * residuals[0..n) are log residuals; their relative counterparts
 * exp(r) - 1 are not significantly right-skewed (sample skewness at most
 * DETECT_SKEW_LIMIT_SE standard errors), i.e. the noise is proportional
 * but symmetric, as sums of many events are. Logs would shrink upward
 * departures of such noise and stretch downward ones (+6 sd in 9 % noise
 * is +4.8 sd on logs). 0 with fewer than 3 residuals or no variation.
 */
int detect_space_relative_band(const double *residuals, size_t n);

#endif
