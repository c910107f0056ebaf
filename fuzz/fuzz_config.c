/* The config loader (core/config.c, ydoc.c, yread.c) and option binding
 * (core/options.c): the input is a monitor.yaml; every check's and
 * reporter's `options:` is then validated against a schema that uses
 * every option type, as bind_config() does against a plugin's schema. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "options.h"

static const char *const colours[] = {"red", "green", "blue", NULL};

static const nbaq_option_spec object_fields[] = {
    {.name = "name", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "weight", .type = NBAQ_OPT_DOUBLE, .min = 0, .max = 1},
    NBAQ_OPTION_END};

static const nbaq_option_spec schema[] = {
    {.name = "url", .type = NBAQ_OPT_STRING},
    {.name = "password", .type = NBAQ_OPT_STRING, .secret = 1},
    {.name = "count", .type = NBAQ_OPT_INT, .min = -5, .max = 1e6},
    {.name = "ratio", .type = NBAQ_OPT_DOUBLE, .default_value = "0.5"},
    {.name = "enabled", .type = NBAQ_OPT_BOOL, .default_value = "true"},
    {.name = "timeout", .type = NBAQ_OPT_DURATION, .default_value = "30s"},
    {.name = "limit", .type = NBAQ_OPT_SIZE, .max = 1e12, .min = 1},
    {.name = "colour", .type = NBAQ_OPT_ENUM, .choices = colours},
    {.name = "suffixes", .type = NBAQ_OPT_STRING_LIST},
    {.name = "headers", .type = NBAQ_OPT_STRING_MAP},
    {.name = "target", .type = NBAQ_OPT_OBJECT, .fields = object_fields},
    {.name = "targets", .type = NBAQ_OPT_OBJECT_LIST, .fields = object_fields},
    NBAQ_OPTION_END};

static char path[64];

static void bind_options(const config *cfg)
{
    arena mem = {0};
    char err[1024];
    nbaq_options *out;
    for (size_t i = 0; i < cfg->check_count; i++) {
        const check_config *c = &cfg->checks[i];
        if (options_build(&mem, schema, c->options_node, c->node, c->name,
                          "fuzz", &out, err, sizeof err) == 0) {
            options_string(out, "url");
            options_count(out, "suffixes");
        }
    }
    for (size_t i = 0; i < cfg->reporter_count; i++) {
        const reporter_config *r = &cfg->reporters[i];
        options_build(&mem, schema, r->options_node, r->node, r->name, "fuzz",
                      &out, err, sizeof err);
    }
    arena_free(&mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/nbaq-fuzz-config-%ld.yaml",
                 (long)getpid());
    FILE *f = fopen(path, "we");
    if (f == NULL)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    char err[2048];
    config *cfg = config_load(path, err, sizeof err);
    if (cfg != NULL) {
        bind_options(cfg);
        config_free(cfg);
    }
    return 0;
}
