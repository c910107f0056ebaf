/*
 * json_recommend.c - recommendations as JSON, from lib/reportview's list
 * (the same one markdown, html and text show).
 */
#include "json_recommend.h"

#include <stdlib.h>

#include "recommend.h"
#include "status.h"
#include "reportview.h"

static void put(cJSON *o, const char *key, cJSON *item, int *ok)
{
    if (item == NULL || !cJSON_AddItemToObject(o, key, item)) {
        cJSON_Delete(item);
        *ok = 0;
    }
}

static cJSON *recommendation_json(const recommendation *r, json_text_fn text,
                                  int *ok)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    put(o, "rule", cJSON_CreateString(recommend_rule_name(r->kind)), ok);
    put(o, "title", cJSON_CreateString(r->title), ok);
    put(o, "status", cJSON_CreateString(status_name(r->status)), ok);
    put(o, "check", text(r->check->name), ok);
    put(o, "metric", r->metric ? text(r->metric->name) : cJSON_CreateNull(),
        ok);
    put(o, "what", text(r->what), ok);
    put(o, "since", r->since[0] ? text(r->since) : cJSON_CreateNull(), ok);
    put(o, "look", text(r->look), ok);
    return o;
}

cJSON *json_recommendations(const nbaq_run *run, json_text_fn text, int *ok)
{
    cJSON *array = cJSON_CreateArray();
    const nbaq_check_result **checks = reportview_checks_worst_first(run);
    recommendation_list list = {0};
    if (array == NULL || (run->check_count > 0 && checks == NULL) ||
        recommend_build(&list, run, checks, recommend_capacity(run)) != 0) {
        free(checks);
        cJSON_Delete(array);
        *ok = 0;
        return NULL;
    }
    for (size_t i = 0; i < list.count && *ok; i++) {
        cJSON *item = recommendation_json(&list.items[i], text, ok);
        if (item == NULL || !cJSON_AddItemToArray(array, item)) {
            cJSON_Delete(item);
            *ok = 0;
        }
    }
    recommend_free(&list);
    free(checks);
    return array;
}
