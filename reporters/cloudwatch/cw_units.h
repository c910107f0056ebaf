/*
 * cw_units.h - CloudWatch's units, and the unit CloudWatch gets for the
 * unit a checker gave a metric.
 *
 * CloudWatch knows a fixed list (Seconds, Bytes, Percent, Count,
 * Bytes/Second... and None). A metric's nbaq unit is free text; the
 * mapping below recognises the common spellings (README.md has the
 * table) and sends None for anything else, so that no value is ever
 * rescaled or refused. Every string returned is static.
 */
#ifndef CW_UNITS_H
#define CW_UNITS_H

/* The canonical spelling of a CloudWatch unit written in any case
 * ("seconds" gives "Seconds"), or NULL when there is no such unit.      */
const char *cw_unit_canonical(const char *name);

/* The CloudWatch unit for an nbaq unit (NULL or "" give "None").        */
const char *cw_unit_for(const char *nbaq_unit);

#endif
