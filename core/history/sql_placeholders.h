/*
 * sql_placeholders.h - SQL text with numbered placeholders for many rows
 * at once (multi-row INSERT ... VALUES, IN lists), sized as it is
 * written: no guessed buffer.
 */
#ifndef NBAQ_HISTORY_SQL_PLACEHOLDERS_H
#define NBAQ_HISTORY_SQL_PLACEHOLDERS_H

#include <stddef.h>

/* head, then `groups` groups "($n,$n+1,...)" of `columns` placeholders
 * each, separated by ",", numbered from first on, then tail (NULL: none).
 * E.g. ("VALUES ", 2, 2, 1, NULL) is "VALUES ($1,$2),($3,$4)" and
 * ("... IN ", 1, 3, 2, NULL) is "... IN ($2,$3,$4)". A malloc'd string
 * the caller frees; NULL when out of memory. */
char *sql_placeholders(const char *head, size_t groups, size_t columns,
                       size_t first, const char *tail);

#endif
