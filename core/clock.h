/* clock.h - milliseconds from the two clocks the host uses. */
#ifndef NBAQ_CORE_CLOCK_H
#define NBAQ_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC: deadlines and durations (same in parent and child). */
int64_t clock_mono_ms(void);
/* CLOCK_REALTIME: epoch milliseconds for results. */
int64_t clock_wall_ms(void);
/* 0 when NBAQ_NOW is unset, empty or a time; else -1 with err naming it
 * and its value: main refuses to run on a clock the user did not ask for. */
int clock_check_override(char *err, size_t err_size);
/* "2025-01-31T12:00:00.123Z" */
void clock_format_iso(int64_t epoch_ms, char *buf, size_t size);
/* "20250131T120000.123Z": for file names and run ids. */
void clock_format_compact(int64_t epoch_ms, char *buf, size_t size);

#endif
