/*
 * alerts_cli.c - the `alerts` command: arguments, and silencing.
 */
#include "alerts_cli.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alerts_cli_internal.h"
#include "clock.h"
#include "fingerprint.h"
#include "history_alerts.h"
#include "history_calc.h"
#include "text.h"

static const char usage_text[] =
    "usage: nbaq-host -c FILE alerts [list] [--all] [--json]\n"
    "       nbaq-host -c FILE alerts silence (FINGERPRINT | --check NAME)"
    " --until TIME\n"
    "                                [--comment TEXT]\n"
    "       nbaq-host -c FILE alerts ack ...      (the same as silence)\n"
    "       nbaq-host -c FILE alerts unsilence (FINGERPRINT | --check NAME |"
    " --id N)\n"
    "       nbaq-host -c FILE alerts silences [--all] [--json]\n"
    "       nbaq-host -c FILE alerts outbox [--json]\n"
    "\n"
    "  list       open alerts (--all: also fingerprints still counting\n"
    "             towards open_after or inside the flap window)\n"
    "  silence    no notification for the alert (or every alert of the\n"
    "             check) until TIME; reports show it as silenced\n"
    "  unsilence  end the matching active silences now\n"
    "  silences   active silences (--all: ended ones too)\n"
    "  outbox     notifications not delivered yet, per channel\n"
    "\n"
    "TIME: a duration from now (2h, 1d12h), a UTC date or date and time\n"
    "(2025-05-01, 2025-05-01T18:00, 2025-05-01T18:00:00Z) or epoch\n"
    "milliseconds. Exit status: 0 done, 64 usage error, 69 the store\n"
    "cannot be opened or written.\n";

static int usage(cli_env *env, const char *fmt, ...) NBAQ_PRINTF(2, 3);

static int usage(cli_env *env, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    err_set(env->err, env->err_size, "alerts: %s (see 'alerts --help')",
            message);
    return ALERTS_EXIT_USAGE;
}

/* "--name value" or "--name=value"; returns the value or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t len = strlen(name);
    if (strncmp(argv[*i], name, len) != 0)
        return NULL;
    if (argv[*i][len] == '=')
        return argv[*i] + len + 1;
    if (argv[*i][len] != '\0' || *i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int parse_id(const char *text, int64_t *id)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || v <= 0)
        return -1;
    *id = v;
    return 0;
}

static int parse_args(cli_env *env, int argc, char **argv, cli_args *a)
{
    static const char *const valued[] = {"--check", "--until", "--comment",
                                         "--id"};
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        size_t k = 0;
        for (; k < 4 && !(value = option_value(argc, argv, &i, valued[k])); k++)
            ;
        if (value && k == 0)
            a->check = value;
        else if (value && k == 1)
            a->until = value;
        else if (value && k == 2)
            a->comment = value;
        else if (value && k == 3) {
            if (parse_id(value, &a->id) != 0)
                return usage(env, "--id: '%s' is not a silence id", value);
        } else if (strcmp(arg, "--all") == 0)
            a->all = 1;
        else if (strcmp(arg, "--json") == 0)
            a->json = 1;
        else if (arg[0] == '-')
            return usage(env, "unknown or incomplete option '%s'", arg);
        else if (!a->fingerprint)
            a->fingerprint = arg;
        else
            return usage(env, "unexpected argument '%s'", arg);
    }
    return ALERTS_EXIT_OK;
}

static int check_known(cli_env *env, const char *check)
{
    const config *cfg = env->cfg;
    if (config_find_check(cfg, check))
        return ALERTS_EXIT_OK;
    const char **names = malloc((cfg->check_count + 1) * sizeof *names);
    const char *guess = NULL;
    if (names) {
        for (size_t i = 0; i < cfg->check_count; i++)
            names[i] = cfg->checks[i].name;
        guess = text_suggest(check, names, cfg->check_count);
    }
    int rc = guess ? usage(env,
                           "no check named '%s' in %s (did you mean "
                           "'%s'?)",
                           check, cfg->path, guess)
                   : usage(env, "no check named '%s' in %s", check, cfg->path);
    free(names);
    return rc;
}

/* Exactly one of FINGERPRINT and --check, each valid. */
static int check_target(cli_env *env, const cli_args *a, int allow_id)
{
    int given =
        (a->fingerprint != NULL) + (a->check != NULL) + (allow_id && a->id > 0);
    if (given != 1)
        return usage(env, allow_id ? "give one of FINGERPRINT, --check NAME "
                                     "and --id N"
                                   : "give a FINGERPRINT or --check NAME");
    if (a->fingerprint && !alert_fingerprint_valid(a->fingerprint))
        return usage(env,
                     "'%s' is not a fingerprint (16 lowercase hex digits, "
                     "as 'alerts list' shows them)",
                     a->fingerprint);
    return a->check ? check_known(env, a->check) : ALERTS_EXIT_OK;
}

static int parse_until(cli_env *env, const char *text, int64_t *until)
{
    int64_t ms;
    if (!text)
        return usage(env, "--until TIME is required");
    if (history_parse_duration(text, &ms) == 0)
        *until = env->now_ms + ms;
    else if (strcmp(text, "now") == 0 ||
             history_parse_time(text, env->now_ms, until) != 0)
        return usage(env, "--until: '%s' is not a time to come", text);
    if (*until <= env->now_ms)
        return usage(env, "--until: '%s' is already past", text);
    return ALERTS_EXIT_OK;
}

/* A fingerprint nobody tracks may be a typo: say so, but keep the
 * silence, for an alert that opens later. */
static void note_unknown_fingerprint(cli_env *env, const char *fingerprint)
{
    history_alert *rows;
    size_t count;
    char err[512];
    if (history_alerts_load(env->store, env->cfg->monitor, &rows, &count, err,
                            sizeof err) != 0)
        return;
    int known = 0;
    for (size_t i = 0; i < count && !known; i++)
        known = strcmp(rows[i].fingerprint, fingerprint) == 0;
    history_alerts_free(rows, count);
    if (!known)
        fprintf(env->out,
                "note: monitor %s has no alert with fingerprint %s now; the "
                "silence applies if one opens\n",
                env->cfg->monitor, fingerprint);
}

static int cli_silence(cli_env *env, const cli_args *a)
{
    int64_t until;
    int rc = check_target(env, a, 0);
    if (rc == ALERTS_EXIT_OK)
        rc = parse_until(env, a->until, &until);
    if (rc != ALERTS_EXIT_OK)
        return rc;
    history_silence s = {.fingerprint =
                             (char *)(a->fingerprint ? a->fingerprint : ""),
                         .check = (char *)(a->check ? a->check : ""),
                         .until_ms = until,
                         .created_ms = env->now_ms,
                         .comment = (char *)(a->comment ? a->comment : "")};
    int64_t id;
    if (history_silence_add(env->store, env->cfg->monitor, &s, &id, env->err,
                            env->err_size) != 0)
        return ALERTS_EXIT_STORE;
    char when[64];
    history_format_time(until, when, sizeof when);
    if (a->fingerprint)
        fprintf(env->out, "silenced alert %s until %s (silence %" PRId64 ")\n",
                a->fingerprint, when, id);
    else
        fprintf(env->out,
                "silenced every alert of check '%s' until %s (silence "
                "%" PRId64 ")\n",
                a->check, when, id);
    if (a->fingerprint)
        note_unknown_fingerprint(env, a->fingerprint);
    return ALERTS_EXIT_OK;
}

static int cli_unsilence(cli_env *env, const cli_args *a)
{
    int rc = check_target(env, a, 1);
    if (rc != ALERTS_EXIT_OK)
        return rc;
    if (a->until || a->comment)
        return usage(env, "unsilence takes no --until or --comment");
    uint64_t ended;
    if (history_silence_end(env->store, env->cfg->monitor, a->id,
                            a->fingerprint, a->check, env->now_ms, &ended,
                            env->err, env->err_size) != 0)
        return ALERTS_EXIT_STORE;
    fprintf(env->out, "%" PRIu64 " active silence%s ended\n", ended,
            ended == 1 ? "" : "s");
    return ALERTS_EXIT_OK;
}

typedef int (*cli_command)(cli_env *env, const cli_args *args);

static cli_command find_command(const char *name)
{
    static const struct {
        const char *name;
        cli_command fn;
    } commands[] = {{"list", cli_list},         {"silence", cli_silence},
                    {"ack", cli_silence},       {"unsilence", cli_unsilence},
                    {"silences", cli_silences}, {"outbox", cli_outbox}};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn;
    }
    return NULL;
}

int alerts_cli_main(int argc, char **argv, const config *cfg, FILE *out,
                    char *err, size_t err_size)
{
    cli_env env = {cfg, NULL, clock_wall_ms(), out, err, err_size};
    int first = 1;
    cli_command command = cli_list;
    if (argc > 1 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_text, out);
        return ALERTS_EXIT_OK;
    }
    if (argc > 1 && argv[1][0] != '-') {
        if (!(command = find_command(argv[1])))
            return usage(&env, "unknown command '%s'", argv[1]);
        first = 2;
    }
    cli_args args = {0};
    int rc = parse_args(&env, argc - first, argv + first, &args);
    if (rc != ALERTS_EXIT_OK)
        return rc;
    if (command != cli_silence && (args.until || args.comment) &&
        command != cli_unsilence)
        return usage(&env, "--until and --comment go with silence");
    if (history_open(cfg->history.url, cfg->dir, NULL, &env.store, err,
                     err_size) != 0)
        return ALERTS_EXIT_STORE;
    rc = command(&env, &args);
    history_close(env.store);
    return rc;
}
