/*
 * plugin_vet.h - run a plugin's load-time code in a throw-away child first.
 *
 * dlopen() runs a plugin's constructors, and reading its descriptor runs
 * nbaq_plugin_descriptor_get(): code that may crash, exit or hang. The
 * host therefore first loads the file in a forked child (own process
 * group, default crash signals), which runs the caller's vetting function
 * and sends back one line: "ok" or the error. The parent waits at most the
 * load timeout (NBAQ_PLUGIN_LOAD_TIMEOUT in milliseconds, default 5000),
 * then kills the child's process group. Only a file that vetted "ok" is
 * loaded into the host itself.
 */
#ifndef NBAQ_CORE_PLUGIN_VET_H
#define NBAQ_CORE_PLUGIN_VET_H

#include <stddef.h>

/* Runs in the child: 0 when the file is a good plugin, else -1 with err. */
typedef int (*plugin_vet_fn)(const char *path, void *arg, char *err,
                             size_t err_size);

/* 0 when vet(path, arg) returned 0 in the child; -1 with err naming path
 * otherwise: the child's own error, or how the child ended (crashed with
 * signal N, exited with code N, did not finish within the timeout). */
int plugin_vet(const char *path, plugin_vet_fn vet, void *arg, char *err,
               size_t err_size);

/* The same isolation for another plugin callback than loading (its
 * validate(), say): fn(what, arg) runs in a throw-away child, and errors
 * about how the child ended name `what` ("validate()"). */
int plugin_vet_call(const char *what, plugin_vet_fn fn, void *arg, char *err,
                    size_t err_size);

/* In the child: ends it at once with message as its error (for plugin bugs
 * the option accessors find). */
void plugin_vet_fail(const char *message);

#endif
