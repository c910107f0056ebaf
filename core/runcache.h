/*
 * runcache.h - the per-run cache directory (api->run_cache_dir) and the
 * sweep of those that a killed host left behind.
 *
 * The directory is $TMPDIR (or /tmp)/nbaq-<monitor>-<pid>-XXXXXX. A host
 * killed with SIGKILL cannot remove its own, so each run first removes
 * the directories of its monitor whose owner process no longer exists
 * (and that belong to the running user). A pid that was reused keeps its
 * directory until that process is gone too.
 */
#ifndef NBAQ_CORE_RUNCACHE_H
#define NBAQ_CORE_RUNCACHE_H

#include <stddef.h>

/* Sweeps stale directories, then creates this run's into dir. Returns 0,
 * or -1 with err naming the directory it could not create. */
int runcache_make(const char *monitor, char *dir, size_t size, char *err,
                  size_t err_size);

/* Removes dir and everything in it (never following symbolic links). */
void runcache_remove(const char *dir);

#endif
