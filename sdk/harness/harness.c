#include "harness.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "harness_child.h"
#include "history.h"
#include "registry.h"
#include "run_json.h"
#include "runcache.h"
#include "text.h"

/* A loaded and configured plugin, until harness_close. */
struct harness {
    registry reg;
    arena mem;
    ydoc *options_doc;
    run_builder *run;
    history_state saved; /* --state */
    harness_writes *writes;
    char cache_dir[PATH_MAX];
    char config_dir[PATH_MAX];
    const plugin *plugin;
    harness_job job;
    int64_t timeout_ms;
};

/* dir and stem of "<dir>/<stem>.so"; the registry finds the plugin by
 * its name (the stem) in that one directory, as nbaq-host would. */
static int split_plugin_path(const char *path, char *dir, size_t dir_size,
                             char *stem, size_t stem_size, char *err,
                             size_t err_size)
{
    char resolved[PATH_MAX];
    if (!realpath(path, resolved))
        return err_set(err, err_size, "%s: no such plugin file", path);
    char *slash = strrchr(resolved, '/');
    const char *base = slash + 1;
    size_t len = strlen(base);
    if (len < 4 || strcmp(base + len - 3, ".so") != 0)
        return err_set(err, err_size, "%s: a plugin file ends in .so", path);
    snprintf(stem, stem_size, "%.*s", (int)(len - 3), base);
    *slash = '\0';
    snprintf(dir, dir_size, "%s", resolved[0] ? resolved : "/");
    return 0;
}

/* The directory relative paths in options are taken from: the options
 * file's, like a config's, else the current one. */
static int find_config_dir(const char *options_file, char *dir, size_t size,
                           char *err, size_t err_size)
{
    char resolved[PATH_MAX];
    if (!options_file)
        return getcwd(dir, size)
                   ? 0
                   : err_set(err, err_size, "the current directory is gone");
    if (!realpath(options_file, resolved))
        return err_set(err, err_size, "%s: no such options file", options_file);
    *strrchr(resolved, '/') = '\0';
    snprintf(dir, size, "%s", resolved[0] ? resolved : "/");
    return 0;
}

static int load_states(history_state *saved, const char *const *states,
                       size_t count, char *err, size_t err_size)
{
    saved->items = calloc(count ? count : 1, sizeof *saved->items);
    if (!saved->items)
        return err_set(err, err_size, "out of memory");
    for (size_t i = 0; i < count; i++) {
        const char *eq = strchr(states[i], '=');
        if (!eq || eq == states[i])
            return err_set(err, err_size, "--state %s: want KEY=VALUE",
                           states[i]);
        history_state_item *item = &saved->items[saved->count++];
        item->key = strndup(states[i], (size_t)(eq - states[i]));
        item->value = strdup(eq + 1);
        if (!item->key || !item->value)
            return err_set(err, err_size, "out of memory");
    }
    return 0;
}

static const plugin *load_plugin(harness *hs, const char *path, char *err,
                                 size_t err_size)
{
    char dir[PATH_MAX], stem[NAME_MAX + 1];
    if (split_plugin_path(path, dir, sizeof dir, stem, sizeof stem, err,
                          err_size) != 0)
        return NULL;
    if (registry_add_dir(&hs->reg, dir) != 0) {
        err_set(err, err_size, "out of memory");
        return NULL;
    }
    return registry_get(&hs->reg, stem, err, err_size);
}

/* The context of the job: what nbaq-host's run.c gives a check or a
 * reporter, with the --state pairs as its saved state. */
static int prepare_job(harness *hs, const harness_setup *s,
                       nbaq_plugin_kind kind, uint32_t flags, const char *name,
                       const char *instance, const nbaq_options *options,
                       char *err, size_t err_size)
{
    if (find_config_dir(s->options_file, hs->config_dir, sizeof hs->config_dir,
                        err, err_size) != 0 ||
        load_states(&hs->saved, s->states, s->state_count, err, err_size) != 0)
        return -1;
    const char *monitor = s->monitor ? s->monitor : HARNESS_DEFAULT_MONITOR;
    if (runcache_make(monitor, hs->cache_dir, sizeof hs->cache_dir, err,
                      err_size) != 0)
        return -1;
    if (!(hs->writes = harness_writes_map()))
        return err_set(err, err_size, "cannot map shared memory");
    const nbaq_run *run = hs->job.run;
    hs->job.ctx =
        (nbaq_ctx){.kind = kind,
                   .flags = flags,
                   .instance = instance,
                   .plugin = name,
                   .monitor = monitor,
                   .config_dir = hs->config_dir,
                   .cache_dir = hs->cache_dir,
                   .options = options,
                   .state = &hs->saved,
                   .run_started_ms = run ? run->started_ms : clock_wall_ms(),
                   .stdout_fd = -1};
    hs->job.writes = hs->writes;
    hs->timeout_ms =
        s->timeout_ms > 0 ? s->timeout_ms : HARNESS_DEFAULT_TIMEOUT_MS;
    return 0;
}

/* The plugin, its options, the run it is fed, the context of its job. */
static int prepare(harness *hs, const harness_setup *s, char *err,
                   size_t err_size)
{
    const plugin *p = hs->plugin =
        load_plugin(hs, s->plugin_path, err, err_size);
    if (!p)
        return -1;
    int reporter = p->kind == NBAQ_KIND_REPORTER;
    const char *instance = s->instance ? s->instance : p->name;
    char owner[300];
    snprintf(owner, sizeof owner, "%s '%.200s'",
             reporter ? "reporter" : "check", instance);
    nbaq_options *options;
    if (harness_options_build(&hs->mem, &hs->options_doc, p->options, owner,
                              p->name, s->options_file, s->sets, s->set_count,
                              &options, err, err_size) != 0)
        return -1;
    if (!reporter && s->run_path)
        return err_set(err, err_size, "%s is a checker: it takes no run file",
                       p->name);
    if (s->run_path && !(hs->run = run_json_load(s->run_path, err, err_size)))
        return -1;
    hs->job.check = p->check;
    hs->job.report = p->report;
    hs->job.run = hs->run ? run_builder_run(hs->run) : NULL;
    return prepare_job(hs, s, p->kind, p->flags, p->name, instance, options,
                       err, err_size);
}

/* A checker's declarations, and what it recorded that they miss. */
static int declarations(const harness *hs, harness_result *r, char *err,
                        size_t err_size)
{
    const plugin *p = hs->plugin;
    if (!p || p->kind != NBAQ_KIND_CHECKER)
        return 0;
    if (harness_decls_expand(&r->decls, p->metrics, p->options,
                             hs->job.ctx.options) != 0 ||
        harness_decls_audit(&r->decls, &r->outcome) != 0)
        return err_set(err, err_size, "out of memory");
    return 0;
}

static int conclude(job *j, const harness *hs, harness_result *r, char *err,
                    size_t err_size)
{
    char buf[RECORD_MESSAGE_MAX + 256];
    const char *message;
    job_conclude(j, &r->status, &message, buf, sizeof buf);
    r->kind = hs->job.ctx.kind;
    r->plugin = strdup(hs->job.ctx.plugin);
    r->instance = strdup(hs->job.ctx.instance);
    r->message = strdup(message);
    r->outcome = j->out;
    j->out = (job_outcome){0};
    r->writes = *hs->writes;
    if (!r->plugin || !r->instance || !r->message)
        return err_set(err, err_size, "out of memory");
    return declarations(hs, r, err, err_size);
}

harness *harness_open(const harness_setup *setup, char *err, size_t err_size)
{
    harness *hs = calloc(1, sizeof *hs);
    if (!hs) {
        err_set(err, err_size, "out of memory");
        return NULL;
    }
    registry_init(&hs->reg);
    if (prepare(hs, setup, err, err_size) != 0) {
        harness_close(hs);
        return NULL;
    }
    return hs;
}

int harness_run_child(harness *hs, harness_result *r, char *err,
                      size_t err_size)
{
    memset(r, 0, sizeof *r);
    int reporter = hs->job.ctx.kind == NBAQ_KIND_REPORTER;
    if (reporter && !hs->job.run)
        return err_set(err, err_size, "%s is a reporter: give it a run file",
                       hs->job.ctx.plugin);
    char label[300];
    snprintf(label, sizeof label, "%s '%.200s'",
             reporter ? "reporter" : "check", hs->job.ctx.instance);
    job j = {.label = label,
             .timeout_ms = hs->timeout_ms,
             .child_main =
                 reporter ? harness_report_child : harness_check_child,
             .arg = &hs->job};
    int rc = runner_run(&j, 1, 1, err, err_size);
    if (rc == 0)
        rc = conclude(&j, hs, r, err, err_size);
    job_outcome_free(&j.out);
    if (rc != 0)
        harness_result_free(r);
    return rc;
}

int harness_report_here(harness *hs, const nbaq_run *run, int stdout_fd,
                        char *err, size_t err_size)
{
    if (hs->plugin->kind != NBAQ_KIND_REPORTER)
        return err_set(err, err_size, "%s is not a reporter", hs->plugin->name);
    hs->job.ctx.stdout_fd = stdout_fd;
    hs->job.ctx.deadline_ms = clock_mono_ms() + hs->timeout_ms;
    hs->job.ctx.run_started_ms = run->started_ms;
    return harness_report_counted(&hs->job, run, err, err_size);
}

const harness_writes *harness_writes_of(const harness *hs)
{
    return hs->writes;
}

const char *harness_plugin_name(const harness *hs)
{
    return hs->plugin->name;
}

int harness_run_body(const harness_setup *setup, harness_body_fn body,
                     void *arg, harness_result *r, char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    harness *hs = calloc(1, sizeof *hs);
    if (!hs)
        return err_set(err, err_size, "out of memory");
    registry_init(&hs->reg);
    const char *name = setup->instance ? setup->instance : "body";
    int rc = prepare_job(hs, setup, NBAQ_KIND_CHECKER, 0, name, name, NULL, err,
                         err_size);
    if (rc == 0) {
        harness_child_set_body(body, arg);
        hs->job.check = harness_body_check;
        rc = harness_run_child(hs, r, err, err_size);
    }
    harness_close(hs);
    return rc;
}

void harness_close(harness *hs)
{
    if (!hs)
        return;
    for (size_t i = 0; i < hs->saved.count; i++) {
        free(hs->saved.items[i].key);
        free(hs->saved.items[i].value);
    }
    free(hs->saved.items);
    harness_writes_unmap(hs->writes);
    if (hs->cache_dir[0])
        runcache_remove(hs->cache_dir);
    run_builder_free(hs->run);
    ydoc_free(hs->options_doc);
    arena_free(&hs->mem);
    registry_free(&hs->reg);
    free(hs);
}

int harness_run(const harness_setup *setup, harness_result *r, char *err,
                size_t err_size)
{
    memset(r, 0, sizeof *r);
    harness *hs = harness_open(setup, err, err_size);
    if (!hs)
        return -1;
    int rc = harness_run_child(hs, r, err, err_size);
    harness_close(hs);
    return rc;
}

int harness_list(const harness_setup *setup, harness_result *r, char *err,
                 size_t err_size)
{
    memset(r, 0, sizeof *r);
    harness *hs = harness_open(setup, err, err_size);
    if (!hs)
        return -1;
    r->kind = hs->job.ctx.kind;
    r->plugin = strdup(hs->job.ctx.plugin);
    r->instance = strdup(hs->job.ctx.instance);
    r->message = strdup("");
    int rc = r->plugin && r->instance && r->message
                 ? declarations(hs, r, err, err_size)
                 : err_set(err, err_size, "out of memory");
    harness_close(hs);
    if (rc != 0)
        harness_result_free(r);
    return rc;
}

void harness_result_free(harness_result *r)
{
    free(r->plugin);
    free(r->instance);
    free(r->message);
    job_outcome_free(&r->outcome);
    harness_decls_free(&r->decls);
    memset(r, 0, sizeof *r);
}
