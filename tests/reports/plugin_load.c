#include "plugin_load.h"

#include <dlfcn.h>
#include <stdio.h>

static const char *descriptor_problem(const nbaq_plugin_descriptor *d)
{
    if (!d)
        return "entry point returned NULL";
    if (NBAQ_ABI_VERSION_MAJOR(d->abi_version) != NBAQ_ABI_MAJOR)
        return "built for another ABI major version";
    if (NBAQ_ABI_VERSION_MINOR(d->abi_version) > NBAQ_ABI_MINOR)
        return "built for a newer ABI minor version";
    if (d->struct_size < sizeof(nbaq_plugin_descriptor))
        return "descriptor too small";
    if (d->kind != NBAQ_KIND_REPORTER || !d->report)
        return "not a reporter";
    return NULL;
}

const nbaq_plugin_descriptor *plugin_load_reporter(const char *path,
                                                   void **handle, char *err,
                                                   size_t err_size)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, err_size, "%s", dlerror());
        return NULL;
    }
    nbaq_plugin_entry_fn entry;
    *(void **)&entry = dlsym(h, NBAQ_PLUGIN_ENTRY_SYMBOL);
    const nbaq_plugin_descriptor *d = entry ? entry() : NULL;
    const char *problem =
        entry ? descriptor_problem(d) : "no " NBAQ_PLUGIN_ENTRY_SYMBOL;
    if (problem) {
        snprintf(err, err_size, "%s: %s", path, problem);
        dlclose(h);
        return NULL;
    }
    *handle = h;
    return d;
}

void plugin_close(void *handle)
{
#ifdef __SANITIZE_ADDRESS__
    /* Under AddressSanitizer the plugin stays loaded until exit: the leak
     * check at exit reads the dynamic thread-local storage of modules that
     * dlclose() unloaded (libcurl's TLS libraries) and may crash on it, a
     * sanitizer runtime bug, not a leak. */
    (void)handle;
#else
    if (handle)
        dlclose(handle);
#endif
}
