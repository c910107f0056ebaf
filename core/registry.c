#include "registry.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_features.h"
#include "log.h"
#include "metric_decls.h"
#include "options.h"
#include "plugin_trust.h"
#include "plugin_vet.h"
#include "textbuf.h"
#include "text.h"

#ifndef NBAQ_PLUGIN_INSTALL_DIR_FULL
#define NBAQ_PLUGIN_INSTALL_DIR_FULL "/usr/local/lib/nbaq/plugins"
#endif
#ifndef NBAQ_PLUGIN_DIR_FROM_BINDIR
#define NBAQ_PLUGIN_DIR_FROM_BINDIR "../lib/nbaq/plugins"
#endif

const nbaq_option_spec registry_output_options[] = {
    {.name = "output",
     .type = NBAQ_OPT_STRING,
     .default_value = "-",
     .description = "where to write the report: - (stdout) or a file path"},
    {.name = "output_dir",
     .type = NBAQ_OPT_STRING,
     .description = "a directory: writes <monitor>-<UTC timestamp>.<ext> "
                    "and replaces <monitor>-latest.<ext>"},
    NBAQ_OPTION_END};

static const char *const reserved_output_names[] = {"output", "output_dir",
                                                    NULL};

void registry_init(registry *reg)
{
    memset(reg, 0, sizeof *reg);
}

static int same_dir(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int registry_add_dir(registry *reg, const char *dir)
{
    if (!dir || !*dir)
        return 0;
    for (size_t i = 0; i < reg->dir_count; i++) {
        if (same_dir(reg->dirs[i], dir))
            return 0;
    }
    char **dirs = realloc(reg->dirs, (reg->dir_count + 1) * sizeof *dirs);
    if (!dirs)
        return -1;
    reg->dirs = dirs;
    reg->dirs[reg->dir_count] = strdup(dir);
    if (!reg->dirs[reg->dir_count])
        return -1;
    reg->dir_count++;
    return 0;
}

int registry_add_default_dirs(registry *reg)
{
    const char *env = getenv("NBAQ_PLUGIN_PATH");
    if (env) {
        char *copy = strdup(env);
        if (!copy)
            return -1;
        char *save = NULL;
        for (char *d = strtok_r(copy, ":", &save); d;
             d = strtok_r(NULL, ":", &save)) {
            if (registry_add_dir(reg, d) != 0) {
                free(copy);
                return -1;
            }
        }
        free(copy);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        char dir[PATH_MAX + 64];
        snprintf(dir, sizeof dir, "%s/plugins", exe);
        if (registry_add_dir(reg, dir) != 0)
            return -1;
        snprintf(dir, sizeof dir, "%s/%s", exe, NBAQ_PLUGIN_DIR_FROM_BINDIR);
        char resolved[PATH_MAX];
        if (realpath(dir, resolved) && registry_add_dir(reg, resolved) != 0)
            return -1;
    }
    return registry_add_dir(reg, NBAQ_PLUGIN_INSTALL_DIR_FULL);
}

static int merge_output_options(plugin *p, char *err, size_t err_size)
{
    size_t own = 0;
    while (p->options && p->options[own].name)
        own++;
    size_t extra =
        sizeof registry_output_options / sizeof registry_output_options[0] - 1;
    p->merged_options = calloc(own + extra + 1, sizeof *p->merged_options);
    if (!p->merged_options)
        return err_set(err, err_size, "out of memory");
    for (size_t i = 0; i < own; i++)
        p->merged_options[i] = p->options[i];
    for (size_t i = 0; i < extra; i++)
        p->merged_options[own + i] = registry_output_options[i];
    p->options = p->merged_options;
    return 0;
}

/* Opens one file (plugin_open.h), then checks its option schema; name is
 * its stem. */
static plugin *load_file(const char *name, const char *path, char *err,
                         size_t err_size)
{
    plugin *p = plugin_open(name, path, err, err_size);
    if (!p)
        return NULL;
    int writes_output =
        p->kind == NBAQ_KIND_REPORTER && (p->flags & NBAQ_FLAG_WRITES_OUTPUT);
    char reason[1024];
    if (options_check_schema(p->options, p->name,
                             writes_output ? reserved_output_names : NULL,
                             reason, sizeof reason) != 0) {
        err_set(err, err_size, "%s: plugin '%s': %s", path, p->name, reason);
        plugin_close(p);
        return NULL;
    }
    if (metric_decls_check_schema(p->metrics, p->options, reason,
                                  sizeof reason) != 0) {
        err_set(err, err_size, "%s: plugin '%s': %s", path, p->name, reason);
        plugin_close(p);
        return NULL;
    }
    if (writes_output && merge_output_options(p, err, err_size) != 0) {
        plugin_close(p);
        return NULL;
    }
    return p;
}

static int vet_in_child(const char *path, void *arg, char *err, size_t err_size)
{
    plugin *p = load_file(arg, path, err, err_size);
    plugin_close(p);
    return p ? 0 : -1;
}

/* Trust rules, then load-time code in a child, then the real load. */
static plugin *load_vetted(const char *name, const char *path, char *err,
                           size_t err_size)
{
    if (plugin_trust_check(path, err, err_size) != 0)
        return NULL;
    if (plugin_vet(path, vet_in_child, (void *)name, err, err_size) != 0)
        return NULL;
    return load_file(name, path, err, err_size);
}

static int file_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void list_searched(const registry *reg, textbuf *sb)
{
    for (size_t i = 0; i < reg->dir_count; i++)
        textbuf_printf(sb, "%s%s", i ? ", " : "", reg->dirs[i]);
    if (reg->dir_count == 0)
        textbuf_puts(sb, "no directories");
}

static int plugin_path(const registry *reg, size_t dir, const char *name,
                       char *path, size_t size)
{
    int n = snprintf(path, size, "%s/%s.so", reg->dirs[dir], name);
    return n >= 0 && (size_t)n < size;
}

/* The first directory that has name.so; later copies get a warning. */
static int find_first(const registry *reg, const char *name, char *path,
                      size_t size)
{
    int found = 0;
    for (size_t i = 0; i < reg->dir_count; i++) {
        char candidate[PATH_MAX];
        if (!plugin_path(reg, i, name, candidate, sizeof candidate) ||
            !file_exists(candidate))
            continue;
        if (!found) {
            text_copy(path, size, candidate);
            found = 1;
        } else {
            log_msg(NBAQ_LOG_WARN, NULL,
                    "plugin '%s': using %s, which shadows %s", name, path,
                    candidate);
        }
    }
    return found;
}

const plugin *registry_get(registry *reg, const char *name, char *err,
                           size_t err_size)
{
    for (size_t i = 0; i < reg->plugin_count; i++) {
        if (strcmp(reg->plugins[i]->name, name) == 0)
            return reg->plugins[i];
    }
    char path[PATH_MAX];
    int found = find_first(reg, name, path, sizeof path);
    if (!found && build_feature_missing_for_plugin(name)) {
        err_set(err, err_size, "plugin '%s': %s", name,
                build_feature_missing_for_plugin(name));
        return NULL;
    }
    if (!found) {
        textbuf sb = TEXTBUF_INIT;
        list_searched(reg, &sb);
        err_set(err, err_size, "plugin '%s' not found: no %s.so in %s", name,
                name, textbuf_cstr(&sb));
        textbuf_free(&sb);
        return NULL;
    }
    plugin *p = load_vetted(name, path, err, err_size);
    if (!p)
        return NULL;
    plugin **list =
        realloc(reg->plugins, (reg->plugin_count + 1) * sizeof *list);
    if (!list) {
        plugin_close(p);
        err_set(err, err_size, "out of memory");
        return NULL;
    }
    reg->plugins = list;
    reg->plugins[reg->plugin_count++] = p;
    return p;
}

/* By name, then in search order: the first of a name is the one used. */
static int listing_compare(const void *a, const void *b)
{
    const plugin_listing *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c
             : (x->dir_index > y->dir_index) - (x->dir_index < y->dir_index);
}

static int list_dir(const char *dir, size_t dir_index, plugin_listing **list,
                    size_t *count, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* a missing directory simply has no plugins */
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= 3 || strcmp(e->d_name + len - 3, ".so") != 0)
            continue;
        char path[PATH_MAX];
        int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof path || !file_exists(path))
            continue;
        if (*count == *cap) {
            size_t new_cap = *cap ? *cap * 2 : 16;
            plugin_listing *grown = realloc(*list, new_cap * sizeof *grown);
            if (!grown) {
                closedir(d);
                return -1;
            }
            *list = grown;
            *cap = new_cap;
        }
        plugin_listing *item = &(*list)[(*count)++];
        memset(item, 0, sizeof *item);
        item->dir_index = dir_index;
        item->name = strndup(e->d_name, len - 3);
        item->path = strdup(path);
        if (!item->name || !item->path) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    return 0;
}

static void mark_shadowed(plugin_listing *list, size_t count)
{
    for (size_t i = 1; i < count; i++) {
        size_t first = i;
        while (first > 0 && strcmp(list[first - 1].name, list[i].name) == 0)
            first--;
        if (first != i)
            list[i].shadowed_by = list[first].path;
    }
}

int registry_list_all(registry *reg, plugin_listing **out, size_t *count)
{
    plugin_listing *list = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < reg->dir_count; i++) {
        if (list_dir(reg->dirs[i], i, &list, &n, &cap) != 0) {
            registry_listing_free(list, n);
            return -1;
        }
    }
    if (n > 1)
        qsort(list, n, sizeof *list, listing_compare);
    mark_shadowed(list, n);
    for (size_t i = 0; i < n; i++) {
        if (list[i].shadowed_by)
            continue; /* never used, so never loaded */
        char err[2048];
        list[i].loaded =
            load_vetted(list[i].name, list[i].path, err, sizeof err);
        if (!list[i].loaded)
            list[i].error = strdup(err);
    }
    *out = list;
    *count = n;
    return 0;
}

void registry_listing_free(plugin_listing *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        plugin_close(list[i].loaded);
        free(list[i].name);
        free(list[i].path);
        free(list[i].error);
    }
    free(list);
}

void registry_free(registry *reg)
{
    for (size_t i = 0; i < reg->plugin_count; i++)
        plugin_close(reg->plugins[i]);
    free(reg->plugins);
    for (size_t i = 0; i < reg->dir_count; i++)
        free(reg->dirs[i]);
    free(reg->dirs);
    memset(reg, 0, sizeof *reg);
}
