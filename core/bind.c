#include "bind.h"

#include <stdio.h>
#include <stdlib.h>

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
    return options_build(&cfg->mem, p->options, options_node, node, owner,
                         p->name, options, err, err_size);
}

/* Every instance through its plugin's validate(), in config order:
 * checks, then reporters. */
static int validate_instances(const config *cfg, char *err, size_t err_size)
{
    size_t count = cfg->check_count + cfg->reporter_count;
    validate_job *jobs = calloc(count ? count : 1, sizeof *jobs);
    if (!jobs)
        return err_set(err, err_size, "out of memory");
    for (size_t i = 0; i < cfg->check_count; i++)
        jobs[i] =
            (validate_job){cfg->checks[i].plugin_ref, cfg->checks[i].options};
    for (size_t i = 0; i < cfg->reporter_count; i++)
        jobs[cfg->check_count + i] = (validate_job){
            cfg->reporters[i].plugin_ref, cfg->reporters[i].options};
    char reason[2048];
    size_t failed;
    int rc = plugin_validate_all(jobs, count, &failed, reason, sizeof reason);
    free(jobs);
    if (rc == 0)
        return 0;
    if (failed >= count)
        return err_set(err, err_size, "%s", reason);
    char owner[200];
    const ynode *node;
    const char *plugin_name;
    if (failed < cfg->check_count) {
        const check_config *c = &cfg->checks[failed];
        snprintf(owner, sizeof owner, "check '%.100s'", c->name);
        node = c->node;
        plugin_name = c->plugin_ref->name;
    } else {
        const reporter_config *r = &cfg->reporters[failed - cfg->check_count];
        snprintf(owner, sizeof owner, "reporter '%.100s'", r->name);
        node = r->node;
        plugin_name = r->plugin_ref->name;
    }
    return yread_fail(node, owner, err, err_size, "plugin '%s': %s",
                      plugin_name, reason);
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
    if (validate_instances(cfg, err, err_size) != 0)
        return -1;
    return threshold_names_check(cfg, err, err_size);
}
