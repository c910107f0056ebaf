#include "plugin_validate.h"

#include "hostapi.h"
#include "options.h"
#include "plugin_vet.h"
#include "text.h"

typedef struct validate_call {
    nbaq_validate_fn validate;
    const nbaq_options *opts;
} validate_call;

/* Runs in the child. */
static int call_validate(const char *what, void *arg, char *err,
                         size_t err_size)
{
    const validate_call *call = arg;
    char reason[NBAQ_ERR_SIZE] = "";
    options_set_bug_handler(plugin_vet_fail);
    if (call->validate(hostapi_table(), call->opts, reason, sizeof reason) == 0)
        return 0;
    reason[sizeof reason - 1] = '\0';
    if (!reason[0])
        return err_set(err, err_size, "%s refused the options without a reason",
                       what);
    return err_set(err, err_size, "%s", reason);
}

int plugin_validate(const plugin *p, const nbaq_options *opts, char *err,
                    size_t err_size)
{
    if (!p->validate)
        return 0;
    validate_call call = {p->validate, opts};
    return plugin_vet_call("validate()", call_validate, &call, err, err_size);
}
