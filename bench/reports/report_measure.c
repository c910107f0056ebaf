#include "report_measure.h"

#include <sys/resource.h>
#include <time.h>

double measure_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

long measure_peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

report_measurement measure_report(harness *h, run_builder *rb, int stdout_fd,
                                  char *err, size_t err_size)
{
    report_measurement m;
    m.rss_before_kb = measure_peak_rss_kb();
    double start = measure_now_ms();
    m.rc =
        harness_report_here(h, run_builder_run(rb), stdout_fd, err, err_size);
    m.report_ms = measure_now_ms() - start;
    m.rss_after_kb = measure_peak_rss_kb();
    return m;
}
