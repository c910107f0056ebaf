/*
 * job_child.h - what a job's child process does first, before any plugin
 * code runs, whether the host forked it (runner.h) or a fork server did
 * (forkserver.h).
 */
#ifndef NBAQ_CORE_JOB_CHILD_H
#define NBAQ_CORE_JOB_CHILD_H

/* In a freshly forked child: default dispositions for the signals the host
 * handles and for crash signals (a sanitizer's handlers would turn a crash
 * into "exited with code 1"), and an empty signal mask. */
void runner_reset_child_signals(void);

/* In a job's child, before any plugin code: its own process group and
 * cgroup (cell, NULL: none), default signals, stdin from /dev/null, stdout
 * onto stderr. Returns a close-on-exec copy of the original stdout. */
int runner_child_prepare(const char *cell);

#endif
