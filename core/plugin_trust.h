/*
 * plugin_trust.h - may this plugin file be loaded? (StrictModes rules)
 *
 * A plugin file is refused when it is a symbolic link, not a regular
 * file, owned by someone other than root or the running user, or
 * writable by group or others. Every directory from the file's up to /
 * must be owned by root or the running user and must not be writable by
 * group or others; an ancestor (not the file's own directory) may be
 * world-writable when it is root's and sticky, like /tmp, since nobody
 * else can rename what is inside it. NBAQ_PLUGIN_INSECURE=1 in the
 * environment turns the rules off (docs/configuration.md).
 */
#ifndef NBAQ_CORE_PLUGIN_TRUST_H
#define NBAQ_CORE_PLUGIN_TRUST_H

#include <stddef.h>

/* 0 when path may be loaded; -1 with err naming the file or directory at
 * fault and the reason. */
int plugin_trust_check(const char *path, char *err, size_t err_size);

/* 1 when NBAQ_PLUGIN_INSECURE=1 turns the rules off. */
int plugin_trust_disabled(void);

#endif
