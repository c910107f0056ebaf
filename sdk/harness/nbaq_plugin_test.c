/*
 * nbaq-plugin-test - runs one checker or reporter plugin with the host's
 * own code and shows what it recorded (harness.h;
 * docs/writing-a-plugin.md, "Testing a plugin").
 *
 * Exit status: a checker's status as nbaq-host maps it (0 PASS, 1
 * WARNING, 2 FAIL, 3 UNKNOWN or ERROR); a reporter's 0 when report()
 * succeeded, 1 when it failed; with --expect, 0 when the result equals
 * the expected document and 1 when not; 4 a checker recorded a metric
 * its declarations do not name (before all of the above); 64 usage; 78
 * the plugin, an option or the run file is wrong. --list: 0, or 64, 78.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "harness_result.h"
#include "log.h"
#include "status.h"
#include "units.h"

enum {
    EXIT_DIFFERS = 1,
    EXIT_UNDECLARED = 4,
    EXIT_USAGE = 64,
    EXIT_CONFIG = 78
};

typedef struct cli {
    harness_setup setup;
    harness_assignment *sets;
    const char **states;
    const char *format;         /* "text" or "json"                         */
    const char *result;         /* NULL: stdout, stderr for a reporter      */
    const char *expect;         /* NULL: no comparison                      */
    char output[PATH_MAX + 16]; /* "output=" and -o, made absolute      */
    int list;                   /* --list: the declarations, no run     */
} cli;

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "nbaq-plugin-test: %s\n", why);
    fputs("usage: nbaq-plugin-test [-v] [--list] [--options FILE.yaml] [--set "
          "NAME=VALUE]..."
          "\n           [--state KEY=VALUE]... [-n NAME] [--monitor NAME]"
          " [--timeout DURATION]\n           [-o FILE] [--format text|json]"
          " [--result FILE] [--expect FILE.json]\n           PLUGIN.so "
          "[RUN.json]\n",
          stderr);
    return EXIT_USAGE;
}

/* -o FILE: the reporter's `output`, taken from the current directory.
 * Not a device: the host replaces the file atomically (a rename over
 * it), which /dev/null must not undergo. */
static int add_output(cli *c, const char *path, unsigned argument)
{
    char cwd[PATH_MAX - 64];
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return usage("-o: not a regular file (the report replaces it); "
                     "the default is stdout");
    if (path[0] == '/' || strcmp(path, "-") == 0)
        snprintf(c->output, sizeof c->output, "output=%s", path);
    else if (getcwd(cwd, sizeof cwd))
        snprintf(c->output, sizeof c->output, "output=%s/%s", cwd, path);
    else
        return usage("-o: the current directory is gone");
    c->sets[c->setup.set_count++] =
        (harness_assignment){.text = c->output, .argument = argument};
    return 0;
}

static int take_option(cli *c, const char *flag, const char *value,
                       unsigned argument)
{
    harness_setup *s = &c->setup;
    char reason[256];
    if (strcmp(flag, "--options") == 0)
        s->options_file = value;
    else if (strcmp(flag, "--set") == 0)
        c->sets[s->set_count++] =
            (harness_assignment){.text = value, .argument = argument};
    else if (strcmp(flag, "--state") == 0)
        c->states[s->state_count++] = value;
    else if (strcmp(flag, "-n") == 0)
        s->instance = value;
    else if (strcmp(flag, "--monitor") == 0)
        s->monitor = value;
    else if (strcmp(flag, "--timeout") == 0)
        return units_parse_duration(value, &s->timeout_ms, reason,
                                    sizeof reason) == 0 &&
                       s->timeout_ms > 0
                   ? 0
                   : usage("--timeout wants a duration such as 30s");
    else if (strcmp(flag, "-o") == 0)
        return add_output(c, value, argument);
    else if (strcmp(flag, "--format") == 0 &&
             (strcmp(value, "text") == 0 || strcmp(value, "json") == 0))
        c->format = value;
    else if (strcmp(flag, "--result") == 0)
        c->result = value;
    else if (strcmp(flag, "--expect") == 0)
        c->expect = value;
    else
        return usage(NULL);
    return 0;
}

static int parse_args(int argc, char **argv, cli *c)
{
    c->sets = calloc((size_t)argc, sizeof *c->sets);
    c->states = calloc((size_t)argc, sizeof *c->states);
    if (!c->sets || !c->states)
        return usage("out of memory");
    c->setup.sets = c->sets;
    c->setup.states = c->states;
    c->format = "text";
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-v") == 0) {
            log_set_level(NBAQ_LOG_DEBUG);
        } else if (strcmp(arg, "--list") == 0) {
            c->list = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            if (i + 1 >= argc)
                return usage(NULL);
            int rc = take_option(c, arg, argv[i + 1], (unsigned)(i + 1));
            if (rc != 0)
                return rc;
            i++;
        } else if (positional == 0 && ++positional) {
            c->setup.plugin_path = arg;
        } else if (positional == 1 && ++positional) {
            c->setup.run_path = arg;
        } else {
            return usage(NULL);
        }
    }
    return positional >= 1 ? 0 : usage("which plugin?");
}

static int exit_code_for(const harness_result *r)
{
    if (r->kind == NBAQ_KIND_REPORTER)
        return r->status == NBAQ_PASS ? 0 : 1;
    int rank = status_rank(r->status); /* PASS 0 ... UNKNOWN 3, ERROR 4 */
    return rank > 3 ? 3 : rank;
}

static int show(const cli *c, const harness_result *r, const cJSON *doc)
{
    FILE *out = r->kind == NBAQ_KIND_REPORTER ? stderr : stdout;
    if (c->result && !(out = fopen(c->result, "w"))) {
        fprintf(stderr, "nbaq-plugin-test: %s: cannot write it\n", c->result);
        return -1;
    }
    if (strcmp(c->format, "json") == 0) {
        char *text = cJSON_Print(doc);
        fprintf(out, "%s\n", text ? text : "null");
        free(text);
    } else {
        harness_result_text(r, out);
    }
    int failed = ferror(out);
    if (c->result)
        failed |= fclose(out) != 0;
    else
        fflush(out);
    return failed ? -1 : 0;
}

/* Names on stderr too: a ctest log shows them next to --expect's. */
static int undeclared_code(const harness_result *r, int code)
{
    const harness_decls *d = &r->decls;
    for (size_t i = 0; i < d->undeclared_count; i++)
        fprintf(stderr,
                "nbaq-plugin-test: check '%s': plugin '%s' recorded metric "
                "'%s', which it does not declare\n",
                r->instance, r->plugin, d->undeclared[i]);
    return d->undeclared_count > 0 ? EXIT_UNDECLARED : code;
}

static int report(const cli *c, const harness_result *r)
{
    cJSON *doc = harness_result_json(r);
    if (!doc || show(c, r, doc) != 0) {
        cJSON_Delete(doc);
        return EXIT_CONFIG;
    }
    int code = exit_code_for(r);
    char err[2048];
    if (c->expect) {
        code = harness_result_compare(doc, c->expect, err, sizeof err) == 0
                   ? 0
                   : EXIT_DIFFERS;
        if (code != 0)
            fprintf(stderr, "nbaq-plugin-test: %s\n", err);
    }
    cJSON_Delete(doc);
    return undeclared_code(r, code);
}

static int list(const cli *c)
{
    harness_result r;
    char err[4096];
    if (c->setup.run_path)
        return usage("--list takes no run file");
    if (harness_list(&c->setup, &r, err, sizeof err) != 0) {
        fprintf(stderr, "nbaq-plugin-test: %s\n", err);
        return EXIT_CONFIG;
    }
    int code = 0;
    if (strcmp(c->format, "json") == 0) {
        cJSON *doc = harness_declarations_json(&r);
        char *text = doc ? cJSON_Print(doc) : NULL;
        if (text)
            printf("%s\n", text);
        else
            code = EXIT_CONFIG;
        free(text);
        cJSON_Delete(doc);
    } else {
        harness_declarations_text(&r, stdout);
    }
    harness_result_free(&r);
    return fflush(stdout) == 0 && code == 0 ? 0 : EXIT_CONFIG;
}

int main(int argc, char **argv)
{
    cli c = {0};
    log_set_level(NBAQ_LOG_INFO); /* the plugin's logs, on stderr */
    int code = parse_args(argc, argv, &c);
    if (code == 0 && c.list) {
        code = list(&c);
    } else if (code == 0) {
        harness_result r;
        char err[4096];
        if (harness_run(&c.setup, &r, err, sizeof err) != 0) {
            fprintf(stderr, "nbaq-plugin-test: %s\n", err);
            code = EXIT_CONFIG;
        } else {
            code = report(&c, &r);
            harness_result_free(&r);
        }
    }
    free(c.sets);
    free(c.states);
    return code;
}
