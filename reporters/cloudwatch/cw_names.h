/*
 * cw_names.h - names and dimension values as CloudWatch accepts them.
 *
 * CloudWatch takes metric names and dimension names of 1 to 255 ASCII
 * characters that do not start with a colon, and dimension values of 1 to
 * 1024 ASCII characters; control characters are refused, and each must
 * hold a character other than white space. Names coming from a run
 * (metric, check and monitor names) are sanitized to fit; names written
 * in the config (namespace, extra dimensions) are checked instead, so that
 * a typo is an error rather than a silently different metric.
 *
 * Sanitizing, in this order:
 *   1. every UTF-8 code point outside printable ASCII (0x20-0x7E), and
 *      every byte that is not valid UTF-8, becomes one '_';
 *   2. the result is cut to the maximum length;
 *   3. a name (not a value) starting with ':' gets '_' instead;
 *   4. a result that is empty or only spaces becomes "_".
 */
#ifndef CW_NAMES_H
#define CW_NAMES_H

#include <stddef.h>

#define CW_NAME_MAX 255       /* metric names, dimension names, namespace */
#define CW_DIM_VALUE_MAX 1024 /* dimension values                         */

typedef enum cw_text_kind {
    CW_TEXT_NAME = 0, /* at most CW_NAME_MAX, no leading ':'            */
    CW_TEXT_VALUE     /* at most CW_DIM_VALUE_MAX                       */
} cw_text_kind;

/* Writes s (NULL reads as "") sanitized into out, which must hold
 * CW_NAME_MAX + 1 or CW_DIM_VALUE_MAX + 1 bytes as kind says. Returns
 * non-zero when the result differs from s.                              */
int cw_sanitize(const char *s, cw_text_kind kind, char *out);

/* NULL when s is acceptable as it is for kind, else why not (a static
 * phrase: "is empty", "is longer than 255 characters"...).               */
const char *cw_text_problem(const char *s, cw_text_kind kind);

/*
 * Unique names within one check: the metric names of a check and the
 * names reserved beside them (the status metric, the dimension names)
 * must differ, or one would overwrite another (EMF) or two series would
 * merge (PutMetricData). A name already taken gets the suffix "_2", "_3"
 * and so on, its base cut so that the whole stays within CW_NAME_MAX.
 *
 * The set stores pointers: every name added must outlive the set (or the
 * next reset). Create with _init, empty with _reset, free with _free.
 */
typedef struct cw_nameset {
    const char **slots;
    size_t capacity; /* a power of two                                    */
    size_t used;
} cw_nameset;

void cw_nameset_init(cw_nameset *set);
void cw_nameset_free(cw_nameset *set);
/* Empties the set and makes room for at least n names. -1: no memory. */
int cw_nameset_reset(cw_nameset *set, size_t n);
/* Adds name as it is (reserved names); 0, or -1 when already present. */
int cw_nameset_reserve(cw_nameset *set, const char *name);
/* Makes name (a CW_NAME_MAX + 1 buffer) unique by a suffix if needed,
 * and adds it. Returns non-zero when it was renamed.                     */
int cw_nameset_claim(cw_nameset *set, char *name);

#endif
