#include "bind.h"

#include <stdio.h>

#include "options.h"
#include "plugin_validate.h"
#include "text.h"
#include "threshold_names.h"
#include "yread.h"

static const char *kind_name(nbaq_plugin_kind kind)
{
    return kind == NBAQ_KIND_CHECKER ? "a checker" : "a reporter";
}

static int bind_instance(config *cfg, registry *reg, const char *owner,
                         const char *plugin_name, nbaq_plugin_kind want,
                         const ynode *node, const ynode *options_node,
                         const plugin **plugin_out, nbaq_options **options,
                         char *err, size_t err_size)
{
    char reason[2048];
    const plugin *p = registry_get(reg, plugin_name, reason, sizeof reason);
    const ynode *at = ynode_get(node, "plugin");
    if (!p)
        return yread_fail(at ? at : node, owner, err, err_size, "%s", reason);
    if (p->kind != want)
        return yread_fail(at ? at : node, owner, err, err_size,
                          "plugin '%s' is %s, not %s (%s)", plugin_name,
                          kind_name(p->kind), kind_name(want), p->path);
    *plugin_out = p;
    if (options_build(&cfg->mem, p->options, options_node, node, owner, p->name,
                      options, err, err_size) != 0)
        return -1;
    if (plugin_validate(p, *options, reason, sizeof reason) != 0)
        return yread_fail(node, owner, err, err_size, "plugin '%s': %s",
                          p->name, reason);
    return 0;
}

int bind_config(config *cfg, registry *reg, char *err, size_t err_size)
{
    char owner[200];
    for (size_t i = 0; i < cfg->check_count; i++) {
        check_config *c = &cfg->checks[i];
        snprintf(owner, sizeof owner, "check '%.100s'", c->name);
        if (bind_instance(cfg, reg, owner, c->plugin, NBAQ_KIND_CHECKER,
                          c->node, c->options_node, &c->plugin_ref, &c->options,
                          err, err_size) != 0)
            return -1;
    }
    for (size_t i = 0; i < cfg->reporter_count; i++) {
        reporter_config *r = &cfg->reporters[i];
        snprintf(owner, sizeof owner, "reporter '%.100s'", r->name);
        if (bind_instance(cfg, reg, owner, r->plugin, NBAQ_KIND_REPORTER,
                          r->node, r->options_node, &r->plugin_ref, &r->options,
                          err, err_size) != 0)
            return -1;
    }
    return threshold_names_check(cfg, err, err_size);
}
