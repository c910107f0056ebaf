/*
 * main.c - the nbaq-host command line. Only this file decides exit codes:
 *   0 all PASS, 1 worst WARNING, 2 worst FAIL, 3 any ERROR or UNKNOWN (or a
 *   reporter or the history store failed), 64 usage error, 78 configuration
 *   error (including plugins the config uses that do not load).
 *   --daemon: 0 stopped by SIGTERM/SIGINT once running checks finished, 3
 *   a second signal interrupted them or the daemon could not start.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "alerts_cli.h"
#include "bind.h"
#include "clock.h"
#include "config.h"
#include "daemon.h"
#include "evaluate.h"
#include "history.h"
#include "listing.h"
#include "log.h"
#include "registry.h"
#include "run.h"
#include "status.h"
#include "text.h"

#ifndef NBAQ_VERSION
#define NBAQ_VERSION "0.0.0"
#endif

enum {
    EXIT_PASS = 0,
    EXIT_WARNING = 1,
    EXIT_FAIL = 2,
    EXIT_ERROR = 3,
    EXIT_USAGE = 64,
    EXIT_CONFIG = 78
};

typedef struct cli {
    const char *config_path;
    int check_config;
    int list_plugins;
    const char **only;
    size_t only_count;
    const char **plugin_dirs;
    size_t plugin_dir_count;
    int verbose;
    int quiet;
    int daemon; /* --daemon (core/daemon/) */
    int argc;   /* what follows the options: a subcommand and its args */
    char **argv;
} cli;

/* What a subcommand gets: the parsed command line, the loaded config (when
 * the subcommand needs one) and the plugin registry (search path set). */
typedef struct session {
    const cli *cli;
    config *cfg;
    registry reg;
} session;

typedef struct subcommand {
    const char *name;
    const char *usage; /* one line for --help                          */
    int needs_config;  /* -c is required                              */
    int binds_plugins; /* load the config's plugins and validate options */
    /* Returns the exit code. argv[0] is the subcommand's name.          */
    int (*run)(session *s, int argc, char **argv);
} subcommand;

static int command_run(session *s, int argc, char **argv);
static int command_history(session *s, int argc, char **argv);
static int command_alerts(session *s, int argc, char **argv);

/*
 * Subcommands: `nbaq-host [options] <name> [args...]`. Without a name, the
 * first entry (run) is used. To add one, add an entry here; its function
 * receives argv starting with its own name.
 */
static const subcommand subcommands[] = {
    {"run", "run            run every enabled check once (the default)", 1, 1,
     command_run},
    {"history", "history ...    query the history store (history --help)", 1, 0,
     command_history},
    {"alerts", "alerts ...     list and silence alerts (alerts --help)", 1, 0,
     command_alerts},
};

#define SUBCOMMAND_COUNT (sizeof subcommands / sizeof subcommands[0])

static void print_help(FILE *out)
{
    fputs("usage: nbaq-host -c FILE [options] [command [args...]]\n"
          "       nbaq-host --list-plugins [-c FILE] [--plugin-dir DIR]\n"
          "\n"
          "options:\n"
          "  -c, --config FILE     the monitor configuration (YAML)\n"
          "      --check-config    load and validate config, plugins and "
          "options;\n"
          "                        run nothing\n"
          "      --list-plugins    list every plugin found, with its "
          "options\n"
          "      --only NAME       run only this check (repeatable)\n"
          "      --daemon          run each check on its interval, serve the\n"
          "                        dashboard, /api and /metrics over HTTP\n"
          "      --plugin-dir DIR  search DIR for plugins first "
          "(repeatable)\n"
          "  -v, --verbose         more messages (-v info, -vv debug)\n"
          "  -q, --quiet           errors only\n"
          "      --version         print the version and exit\n"
          "  -h, --help            print this help and exit\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
        fprintf(out, "  %s\n", subcommands[i].usage);
    fputs("\nexit codes: 0 PASS, 1 WARNING, 2 FAIL, 3 ERROR/UNKNOWN (or a "
          "reporter failed),\n"
          "            64 usage error, 78 configuration error\n",
          out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("nbaq-host: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'nbaq-host --help'.\n", stderr);
    return EXIT_USAGE;
}

static int push(const char ***list, size_t *count, const char *value)
{
    const char **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    grown[(*count)++] = value;
    *list = grown;
    return 0;
}

enum {
    OPT_CHECK_CONFIG = 256,
    OPT_LIST_PLUGINS,
    OPT_ONLY,
    OPT_PLUGIN_DIR,
    OPT_VERSION,
    OPT_DAEMON
};

/* Returns -1 to go on, or an exit code. */
static int parse_cli(int argc, char **argv, cli *c)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"check-config", no_argument, NULL, OPT_CHECK_CONFIG},
        {"list-plugins", no_argument, NULL, OPT_LIST_PLUGINS},
        {"only", required_argument, NULL, OPT_ONLY},
        {"plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR},
        {"daemon", no_argument, NULL, OPT_DAEMON},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+c:vqh", options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            c->config_path = optarg;
            break;
        case OPT_CHECK_CONFIG:
            c->check_config = 1;
            break;
        case OPT_LIST_PLUGINS:
            c->list_plugins = 1;
            break;
        case OPT_ONLY:
            if (!text_is_name(optarg))
                return usage_error("--only: '%s' is not a check name", optarg);
            if (push(&c->only, &c->only_count, optarg) != 0)
                return EXIT_ERROR;
            break;
        case OPT_PLUGIN_DIR:
            if (push(&c->plugin_dirs, &c->plugin_dir_count, optarg) != 0)
                return EXIT_ERROR;
            break;
        case OPT_DAEMON:
            c->daemon = 1;
            break;
        case 'v':
            c->verbose++;
            break;
        case 'q':
            c->quiet = 1;
            break;
        case OPT_VERSION:
            printf("nbaq-host %s (plugin ABI %d.%d)\n", NBAQ_VERSION,
                   NBAQ_ABI_MAJOR, NBAQ_ABI_MINOR);
            return EXIT_PASS;
        case 'h':
            print_help(stdout);
            return EXIT_PASS;
        case ':':
            return usage_error("option '%s' needs an argument",
                               argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    c->argc = argc - optind;
    c->argv = argv + optind;
    if (c->quiet && c->verbose)
        return usage_error("%s", "-q and -v exclude each other");
    return -1;
}

static int exit_code_for(nbaq_status status)
{
    switch (status) {
    case NBAQ_PASS:
        return EXIT_PASS;
    case NBAQ_WARNING:
        return EXIT_WARNING;
    case NBAQ_FAIL:
        return EXIT_FAIL;
    default:
        return EXIT_ERROR;
    }
}

static int check_only_names(const config *cfg, const cli *c)
{
    for (size_t i = 0; i < c->only_count; i++) {
        if (config_find_check(cfg, c->only[i]))
            continue;
        const char **names = malloc((cfg->check_count + 1) * sizeof *names);
        const char *guess = NULL;
        if (names) {
            for (size_t k = 0; k < cfg->check_count; k++)
                names[k] = cfg->checks[k].name;
            guess = text_suggest(c->only[i], names, cfg->check_count);
        }
        fprintf(stderr, "nbaq-host: --only: no check named '%s' in %s",
                c->only[i], cfg->path);
        if (guess)
            fprintf(stderr, " (did you mean '%s'?)", guess);
        fputc('\n', stderr);
        free(names);
        return EXIT_USAGE;
    }
    return -1;
}

static void log_peak_rss(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        log_msg(NBAQ_LOG_DEBUG, NULL, "peak RSS of the host: %ld KiB",
                usage.ru_maxrss);
}

static int command_run(session *s, int argc, char **argv)
{
    if (argc > 1)
        return usage_error("run: unexpected argument '%s'", argv[1]);
    run_summary summary;
    char err[2048];
    if (run_monitor(s->cfg, s->cli->only, s->cli->only_count, &summary, err,
                    sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "%s", err);
        return EXIT_ERROR;
    }
    log_peak_rss();
    int code = exit_code_for(summary.status);
    if (summary.reporters_failed > 0 || summary.history_failed ||
        summary.alerts_failed || summary.interrupted)
        code = EXIT_ERROR;
    log_msg(NBAQ_LOG_INFO, NULL, "%zu checks, worst %s, exit code %d",
            summary.checks_run, status_name(summary.status), code);
    return code;
}

/* The better direction of a metric, from the config's rules. */
static rule_better better_of(void *arg, const char *check, const char *metric)
{
    const check_config *c = config_find_check(arg, check);
    const metric_rule *rule =
        c ? evaluate_find_rule(c->rules, c->rule_count, metric) : NULL;
    return rule ? rule->better : RULE_BETTER_NONE;
}

static int command_history(session *s, int argc, char **argv)
{
    if (!s->cfg->history.configured) {
        log_msg(NBAQ_LOG_ERROR, NULL,
                "%s: no 'history' section: there is "
                "no history to query",
                s->cfg->path);
        return EXIT_CONFIG;
    }
    history_cli_env env = {.url = s->cfg->history.url,
                           .base_dir = s->cfg->dir,
                           .monitor = s->cfg->monitor,
                           .now_ms = clock_wall_ms(), /* follows NBAQ_NOW */
                           .better = better_of,
                           .better_arg = s->cfg};
    char err[2048] = "";
    int rc = history_cli_main(argc, argv, &env, stdout, err, sizeof err);
    if (rc != HISTORY_EXIT_OK && err[0])
        fprintf(stderr, "nbaq-host: %s\n", err);
    return rc;
}

/* The alert lifecycle lives in the history store (docs/alerts.md). */
static int command_alerts(session *s, int argc, char **argv)
{
    if (!s->cfg->history.configured) {
        log_msg(NBAQ_LOG_ERROR, NULL,
                "%s: no 'history' section: alerts are kept in the "
                "history store",
                s->cfg->path);
        return EXIT_CONFIG;
    }
    char err[2048] = "";
    int rc = alerts_cli_main(argc, argv, s->cfg, stdout, err, sizeof err);
    if (rc != 0 && err[0])
        fprintf(stderr, "nbaq-host: %s\n", err);
    return rc;
}

/* ---- --daemon (core/daemon/) ------------------------------------- */

static int setup_registry(session *s);

/* Loads and binds the config again, for the daemon's SIGHUP. */
static int load_for_daemon(void *arg, config **cfg_out, registry **reg_out,
                           char *err, size_t err_size)
{
    session s = {.cli = arg};
    registry *reg = malloc(sizeof *reg);
    s.cfg = config_load(s.cli->config_path, err, err_size);
    if (!reg || !s.cfg) {
        if (!reg)
            err_set(err, err_size, "out of memory");
        free(reg);
        config_free(s.cfg);
        return -1;
    }
    int rc = setup_registry(&s);
    if (rc != 0)
        err_set(err, err_size, "cannot set up the plugin search path");
    else
        rc = bind_config(s.cfg, &s.reg, err, err_size);
    if (rc != 0) {
        registry_free(&s.reg);
        config_free(s.cfg);
        free(reg);
        return -1;
    }
    *reg = s.reg;
    *reg_out = reg;
    *cfg_out = s.cfg;
    return 0;
}

static int command_daemon(session *s)
{
    daemon_host host = {.cfg = s->cfg,
                        .reg = &s->reg,
                        .load = load_for_daemon,
                        .load_arg = (void *)s->cli,
                        .version = NBAQ_VERSION};
    return daemon_run(&host) == DAEMON_STOPPED ? EXIT_PASS : EXIT_ERROR;
}

static const subcommand *find_subcommand(const cli *c)
{
    if (c->argc == 0)
        return &subcommands[0];
    for (size_t i = 0; i < SUBCOMMAND_COUNT; i++) {
        if (strcmp(subcommands[i].name, c->argv[0]) == 0)
            return &subcommands[i];
    }
    return NULL;
}

static int setup_registry(session *s)
{
    registry_init(&s->reg);
    int rc = 0;
    for (size_t i = 0; i < s->cli->plugin_dir_count; i++)
        rc |= registry_add_dir(&s->reg, s->cli->plugin_dirs[i]);
    for (size_t i = 0; s->cfg && i < s->cfg->plugin_dir_count; i++)
        rc |= registry_add_dir(&s->reg, s->cfg->plugin_dirs[i]);
    rc |= registry_add_default_dirs(&s->reg);
    return rc;
}

static int load_config(session *s)
{
    char err[4096];
    s->cfg = config_load(s->cli->config_path, err, sizeof err);
    if (!s->cfg) {
        log_msg(NBAQ_LOG_ERROR, NULL, "%s", err);
        return EXIT_CONFIG;
    }
    alerts_config_warn(s->cfg);
    return -1;
}

static int bind(session *s)
{
    char err[4096];
    if (bind_config(s->cfg, &s->reg, err, sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "%s", err);
        return EXIT_CONFIG;
    }
    return -1;
}

static int dispatch(session *s, const cli *c)
{
    int rc;
    if (c->list_plugins) {
        if (c->config_path && (rc = load_config(s)) >= 0)
            return rc;
        if (setup_registry(s) != 0)
            return EXIT_ERROR;
        int broken = listing_print(&s->reg, stdout);
        return broken < 0 ? EXIT_ERROR : EXIT_PASS;
    }
    const subcommand *sub = find_subcommand(c);
    if (!sub)
        return usage_error("unknown command '%s'", c->argv[0]);
    if (c->daemon && (c->argc > 0 || c->only_count > 0))
        return usage_error("%s", "--daemon runs every enabled check: it "
                                 "takes no command and no --only");
    if ((sub->needs_config || c->check_config) && !c->config_path)
        return usage_error("%s", "missing -c FILE (the monitor "
                                 "configuration)");
    if (c->config_path && (rc = load_config(s)) >= 0)
        return rc;
    if (s->cfg && (rc = check_only_names(s->cfg, c)) >= 0)
        return rc;
    if (setup_registry(s) != 0)
        return EXIT_ERROR;
    if ((sub->binds_plugins || c->check_config) && (rc = bind(s)) >= 0)
        return rc;
    if (c->check_config) {
        printf("configuration OK: %s (%zu checks, %zu reporters)\n",
               s->cfg->path, s->cfg->check_count, s->cfg->reporter_count);
        return EXIT_PASS;
    }
    if (c->daemon)
        return command_daemon(s);
    static char default_name[] = "run";
    static char *default_argv[] = {default_name, NULL};
    if (c->argc == 0)
        return sub->run(s, 1, default_argv);
    return sub->run(s, c->argc, c->argv);
}

int main(int argc, char **argv)
{
    cli c = {0};
    int rc = parse_cli(argc, argv, &c);
    if (rc < 0) {
        if (c.quiet)
            log_set_level(NBAQ_LOG_ERROR);
        else if (c.verbose == 1)
            log_set_level(NBAQ_LOG_INFO);
        else if (c.verbose >= 2)
            log_set_level(NBAQ_LOG_DEBUG);
        char clock_err[256];
        if (!c.config_path && !c.list_plugins && c.argc == 0 && !c.check_config)
            rc = usage_error("%s", "missing -c FILE (the monitor "
                                   "configuration)");
        else if (clock_check_override(clock_err, sizeof clock_err) != 0)
            rc = usage_error("%s", clock_err);
        else {
            session s = {.cli = &c};
            rc = dispatch(&s, &c);
            registry_free(&s.reg);
            config_free(s.cfg);
        }
    }
    free(c.only);
    free(c.plugin_dirs);
    fflush(stdout);
    return rc;
}
