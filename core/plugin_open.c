#include "plugin_open.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The descriptor as it was at ABI 1.0: the least a plugin must provide. */
#define DESCRIPTOR_MIN_SIZE                                                    \
    (offsetof(nbaq_plugin_descriptor, flags) + sizeof(uint32_t))

void plugin_close(plugin *p)
{
    if (!p)
        return;
    if (p->handle)
        dlclose(p->handle);
    free(p->merged_options);
    free(p->name);
    free(p->path);
    free(p);
}

static int is_plugin_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    }
    return 1;
}

static int check_descriptor(plugin *p, const nbaq_plugin_descriptor *raw,
                            char *err, size_t err_size)
{
    uint32_t major = NBAQ_ABI_VERSION_MAJOR(raw->abi_version);
    uint32_t minor = NBAQ_ABI_VERSION_MINOR(raw->abi_version);
    if (major != NBAQ_ABI_MAJOR)
        return err_set(err, err_size,
                       "%s: built for nbaq ABI %u.%u, this host speaks ABI "
                       "%d.%d (rebuild the plugin against this SDK)",
                       p->path, major, minor, NBAQ_ABI_MAJOR, NBAQ_ABI_MINOR);
    if (minor > NBAQ_ABI_MINOR)
        return err_set(err, err_size,
                       "%s: built against ABI %u.%u, newer than this host's "
                       "%d.%d (upgrade nbaq-host)",
                       p->path, major, minor, NBAQ_ABI_MAJOR, NBAQ_ABI_MINOR);
    if (raw->struct_size < DESCRIPTOR_MIN_SIZE)
        return err_set(err, err_size,
                       "%s: descriptor struct_size %u is smaller than the %zu "
                       "bytes of ABI 1.0 (use NBAQ_DESCRIPTOR_HEADER)",
                       p->path, raw->struct_size, (size_t)DESCRIPTOR_MIN_SIZE);
    /* Read only what the plugin's size covers. */
    nbaq_plugin_descriptor d;
    memset(&d, 0, sizeof d);
    memcpy(&d, raw, raw->struct_size < sizeof d ? raw->struct_size : sizeof d);
    if (!is_plugin_name(d.name))
        return err_set(err, err_size,
                       "%s: descriptor name must match [a-z0-9_]+", p->path);
    if (strcmp(d.name, p->name) != 0)
        return err_set(err, err_size,
                       "%s: descriptor name '%.100s' differs from the file "
                       "name '%s' (rename the file or fix the descriptor)",
                       p->path, d.name, p->name);
    if (d.kind == NBAQ_KIND_CHECKER && !d.check)
        return err_set(err, err_size, "%s: a checker without a check function",
                       p->path);
    if (d.kind == NBAQ_KIND_REPORTER && !d.report)
        return err_set(err, err_size,
                       "%s: a reporter without a report function", p->path);
    if (d.kind != NBAQ_KIND_CHECKER && d.kind != NBAQ_KIND_REPORTER)
        return err_set(err, err_size, "%s: unknown plugin kind %d", p->path,
                       (int)d.kind);
    p->kind = d.kind;
    p->abi_version = d.abi_version;
    p->version = d.version ? d.version : "";
    p->description = d.description ? d.description : "";
    p->flags = d.flags;
    p->check = d.check;
    p->report = d.report;
    p->options = d.options;
    p->validate = d.validate;
    p->metrics = d.metrics;
    if (d.metrics && d.kind != NBAQ_KIND_CHECKER)
        return err_set(err, err_size,
                       "%s: a reporter declares metrics (only checkers emit "
                       "them)",
                       p->path);
    return 0;
}

plugin *plugin_open(const char *name, const char *path, char *err,
                    size_t err_size)
{
    plugin *p = calloc(1, sizeof *p);
    if (!p || !(p->name = strdup(name)) || !(p->path = strdup(path))) {
        plugin_close(p);
        err_set(err, err_size, "out of memory");
        return NULL;
    }
    dlerror();
    p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!p->handle) {
        const char *why = dlerror();
        err_set(err, err_size, "%s: not a loadable shared object: %s", path,
                why ? why : "unknown error");
        plugin_close(p);
        return NULL;
    }
    nbaq_plugin_entry_fn entry;
    void *symbol = dlsym(p->handle, NBAQ_PLUGIN_ENTRY_SYMBOL);
    memcpy(&entry, &symbol, sizeof entry);
    if (!symbol) {
        err_set(err, err_size,
                "%s: not an nbaq plugin: no %s symbol (use NBAQ_PLUGIN())",
                path, NBAQ_PLUGIN_ENTRY_SYMBOL);
        plugin_close(p);
        return NULL;
    }
    const nbaq_plugin_descriptor *raw = entry();
    if (!raw) {
        err_set(err, err_size, "%s: %s() returned NULL", path,
                NBAQ_PLUGIN_ENTRY_SYMBOL);
        plugin_close(p);
        return NULL;
    }
    if (check_descriptor(p, raw, err, err_size) != 0) {
        plugin_close(p);
        return NULL;
    }
    return p;
}
