/*
 * options_tree.h - the layout of an nbaq_options tree, private to the
 * host: options.c builds and reads it, options_wire.c copies it into a
 * fork server's check child (forkserver.h).
 */
#ifndef NBAQ_CORE_OPTIONS_TREE_H
#define NBAQ_CORE_OPTIONS_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"

typedef struct opt_value {
    int set;
    const char *location; /* "" for defaults                              */
    const char *text;     /* STRING, ENUM                                  */
    int64_t integer;      /* INT, DURATION (ms), SIZE (bytes)              */
    double number;        /* DOUBLE; INT too                               */
    int boolean;
    size_t count;           /* STRING_LIST, STRING_MAP, OBJECT_LIST          */
    const char **items;     /* STRING_LIST items; STRING_MAP keys            */
    const char **values;    /* STRING_MAP values                             */
    nbaq_options **objects; /* OBJECT: [0]; OBJECT_LIST: count of them    */
} opt_value;

struct nbaq_options {
    const nbaq_option_spec *specs;
    size_t count;
    opt_value *values;
    const char *location; /* of the mapping; "" when from a default       */
    const char *plugin;
};

#endif
