/*
 * The local-directory walker and the run's listing cache: key byte order
 * with names that sort around '/', sizes, skips, and that a replayed
 * listing is the listing (a damaged cache is an error naming the file, a
 * stopped listing leaves no cache). Expected keys are sorted here with
 * strcmp over the full keys, independently of the walker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "objstore_internal.h"
#include "objstore_sort.h"

/* Files of the tree (relative path, content); directories are made on
 * the way. Names sort around '/' (0x2F): '-' (0x2D) and '.' (0x2E) below
 * it, '0' above; and hold a tab, a newline, a backslash and UTF-8.     */
static const char *const files[][2] = {
    {"a-b", "1"},
    {"a/x.json", "22"},
    {"a/y/z.json", "333"},
    {"a.d/k", "4444"},
    {"a0", "55555"},
    {"b\\s", "6"},
    {"n\nl", "77"},
    {"t\tab", "888"},
    {"\xc3\xa9t\xc3\xa9.json", "9999"},
    {"zz/deep/er/still/file", ""},
};
#define FILE_COUNT (sizeof files / sizeof files[0])

typedef struct seen {
    char keys[32][64];
    char etags[32][16];
    uint64_t sizes[32];
    int64_t mtimes[32];
    size_t count;
    size_t stop_after; /* 0: never stop */
} seen;

static int collect(void *user, const nbaq_objstore_object *o)
{
    seen *s = user;
    assert_true(s->count < 32);
    snprintf(s->keys[s->count], sizeof s->keys[0], "%s", o->key);
    assert_string_equal(o->name, o->key); /* the whole tree: no prefix */
    snprintf(s->etags[s->count], sizeof s->etags[0], "%s", o->etag);
    s->sizes[s->count] = o->size;
    s->mtimes[s->count] = o->mtime_ms;
    s->count++;
    return s->stop_after && s->count >= s->stop_after;
}

static void make_tree(const char *root)
{
    char path[512];
    for (size_t i = 0; i < FILE_COUNT; i++) {
        snprintf(path, sizeof path, "%s/%s", root, files[i][0]);
        for (char *slash = strchr(path + strlen(root) + 1, '/'); slash;
             slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            mkdir(path, 0700);
            *slash = '/';
        }
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(files[i][1], f);
        fclose(f);
    }
    /* a link to a directory is skipped, not followed */
    snprintf(path, sizeof path, "%s/link", root);
    assert_int_equal(symlink("a", path), 0);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int list(const char *root, const char *cache, seen *out,
                nbaq_objstore_list_info *info, char *err, size_t err_size)
{
    nbaq_objstore_config cfg = {.url = root, .cache_dir = cache};
    nbaq_objstore *store;
    assert_int_equal(nbaq_objstore_open(&cfg, &store, err, err_size), 0);
    int rc = nbaq_objstore_list(store, collect, out, info, err, err_size);
    nbaq_objstore_close(store);
    return rc;
}

/* The one .list file in the cache directory, or "" when there is none. */
static void cache_file(const char *cache, char *path, size_t size)
{
    DIR *d = opendir(cache);
    struct dirent *e;
    path[0] = '\0';
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".list") == 0)
            snprintf(path, size, "%s/%s", cache, e->d_name);
    }
    closedir(d);
}

static void assert_tree_listing(const seen *s)
{
    const char *expected[FILE_COUNT];
    for (size_t i = 0; i < FILE_COUNT; i++)
        expected[i] = files[i][0];
    qsort(expected, FILE_COUNT, sizeof expected[0], by_bytes);
    assert_int_equal(s->count, FILE_COUNT);
    for (size_t i = 0; i < FILE_COUNT; i++) {
        assert_string_equal(s->keys[i], expected[i]);
        assert_string_equal(s->etags[i], ""); /* files have none */
        for (size_t f = 0; f < FILE_COUNT; f++)
            if (strcmp(files[f][0], expected[i]) == 0)
                assert_int_equal(s->sizes[i], strlen(files[f][1]));
    }
}

typedef struct fixture {
    char root[64];
    char cache[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->root, sizeof f->root, "/tmp/nbaq-objlocal-XXXXXX");
    snprintf(f->cache, sizeof f->cache, "/tmp/nbaq-objcache-XXXXXX");
    if (!mkdtemp(f->root) || !mkdtemp(f->cache))
        return -1;
    make_tree(f->root);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", f->root, f->cache);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void test_key_order_and_sizes(void **state)
{
    fixture *f = *state;
    seen s = {0};
    nbaq_objstore_list_info info;
    char err[512];
    assert_int_equal(list(f->root, NULL, &s, &info, err, sizeof err), 0);
    assert_tree_listing(&s);
    assert_int_equal(info.objects, FILE_COUNT);
    assert_int_equal(info.from_cache, 0);
    assert_int_equal(info.skipped, 1);
    assert_non_null(strstr(info.first_skipped, "/link: symbolic link to a "
                                               "directory, not followed"));
}

static void test_cache_replays_the_listing(void **state)
{
    fixture *f = *state;
    seen first = {0}, again = {0};
    nbaq_objstore_list_info a, b;
    char err[512];
    assert_int_equal(list(f->root, f->cache, &first, &a, err, sizeof err), 0);
    assert_int_equal(list(f->root, f->cache, &again, &b, err, sizeof err), 0);
    assert_int_equal(a.from_cache, 0);
    assert_int_equal(b.from_cache, 1);
    assert_tree_listing(&first);
    assert_int_equal(again.count, first.count);
    for (size_t i = 0; i < first.count; i++) {
        assert_string_equal(again.keys[i], first.keys[i]);
        assert_int_equal(again.sizes[i], first.sizes[i]);
        assert_int_equal(again.mtimes[i], first.mtimes[i]);
    }
    assert_int_equal(b.objects, a.objects);
    assert_int_equal(b.bytes, a.bytes);
    assert_int_equal(b.skipped, a.skipped);
    assert_string_equal(b.first_skipped, a.first_skipped);
}

/* Lists the tree once through the cache; path: the cache file written. */
static void list_into_cache(const fixture *f, char *path, size_t size)
{
    seen s = {0};
    nbaq_objstore_list_info info;
    char err[512];
    assert_int_equal(list(f->root, f->cache, &s, &info, err, sizeof err), 0);
    cache_file(f->cache, path, size);
    assert_true(path[0] != '\0');
}

static void test_damaged_cache_is_an_error(void **state)
{
    fixture *f = *state;
    char path[256];
    list_into_cache(f, path, sizeof path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size - 3), 0); /* cut the end */
    seen s = {0};
    nbaq_objstore_list_info info;
    char err[512];
    assert_int_equal(list(f->root, f->cache, &s, &info, err, sizeof err), -1);
    assert_int_equal(info.error, NBAQ_OBJSTORE_ERR_IO);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "is damaged"));
}

static void test_cache_of_another_format_lists_anew(void **state)
{
    fixture *f = *state;
    char path[256];
    list_into_cache(f, path, sizeof path);
    FILE *old = fopen(path, "w"); /* the text format of earlier versions */
    assert_non_null(old);
    fputs("nbaq-listing 1\tfile /elsewhere\nE\t0\n", old);
    fclose(old);
    seen s = {0};
    nbaq_objstore_list_info info;
    char err[512];
    assert_int_equal(list(f->root, f->cache, &s, &info, err, sizeof err), 0);
    assert_int_equal(info.from_cache, 0);
    assert_tree_listing(&s);
}

static void test_stopped_listing_leaves_no_cache(void **state)
{
    fixture *f = *state;
    seen s = {.stop_after = 3};
    nbaq_objstore_list_info info;
    char err[512], path[256];
    assert_int_equal(list(f->root, f->cache, &s, &info, err, sizeof err), -1);
    assert_int_equal(info.error, NBAQ_OBJSTORE_ERR_ABORTED);
    cache_file(f->cache, path, sizeof path);
    assert_string_equal(path, "");
    memset(&s, 0, sizeof s);
    assert_int_equal(list(f->root, f->cache, &s, &info, err, sizeof err), 0);
    assert_int_equal(info.from_cache, 0);
    assert_tree_listing(&s);
}

/* Keys in no order (s3rver lists in its own): each one a prefix of the
 * one before, or sharing nothing with it.                               */
static const char *const unordered[] = {
    "zeta/x/y", "zeta/x", "zeta", "alpha", "zeta/x/y/z", "\xc3\xa9t\xc3\xa9"};
#define UNORDERED_COUNT (sizeof unordered / sizeof unordered[0])

static int list_unordered(nbaq_objstore *s, objstore_listing *l, char *err,
                          size_t err_size)
{
    (void)s;
    for (size_t i = 0; i < UNORDERED_COUNT; i++) {
        nbaq_objstore_object o = {.key = unordered[i],
                                  .name = unordered[i],
                                  .size = i,
                                  .mtime_ms = (int64_t)i * 1000,
                                  .etag = i % 2 ? "abc" : ""};
        if (objstore_emit(l, &o, err, err_size) != 0)
            return -1;
    }
    return 0;
}

static void test_cache_keeps_keys_in_any_order(void **state)
{
    fixture *f = *state;
    nbaq_objstore_config cfg = {.url = f->root, .cache_dir = f->cache};
    nbaq_objstore *store;
    char err[512];
    assert_int_equal(nbaq_objstore_open(&cfg, &store, err, sizeof err), 0);
    for (int pass = 0; pass < 2; pass++) {
        seen s = {0};
        nbaq_objstore_list_info info = {0};
        objstore_listing l = {.on_object = collect, .user = &s, .info = &info};
        assert_int_equal(
            objstore_cache_list(store, &l, list_unordered, err, sizeof err), 0);
        assert_int_equal(info.from_cache, pass); /* written, then replayed */
        assert_int_equal(s.count, UNORDERED_COUNT);
        for (size_t i = 0; i < UNORDERED_COUNT; i++) {
            assert_string_equal(s.keys[i], unordered[i]);
            assert_int_equal(s.sizes[i], i);
            assert_int_equal(s.mtimes[i], (int64_t)i * 1000);
            assert_string_equal(s.etags[i], i % 2 ? "abc" : "");
        }
    }
    nbaq_objstore_close(store);
}

/* The radix sort against qsort() with strcmp(), over names sharing
 * prefixes of several lengths, with ties past 8 bytes, high bytes and
 * names that are prefixes of others.                                  */
static void test_sort_names_matches_strcmp(void **state)
{
    (void)state;
    static const char alphabet[] = "ab-/.0\xc3\xa9\xff";
    enum { COUNT = 3000 };
    char(*names)[40] = calloc(COUNT, sizeof *names);
    const char **ptrs = calloc(COUNT, sizeof *ptrs);
    const char **expected = calloc(COUNT, sizeof *expected);
    uint32_t *order = calloc(COUNT, sizeof *order);
    assert_true(names && ptrs && expected && order);
    uint64_t rng = 42;
    size_t n = 0;
    for (size_t i = 0; i < COUNT; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        /* half share "event-0", a quarter also the 9 bytes after it */
        int len = snprintf(names[n], sizeof names[0], "%s",
                           i % 2   ? ""
                           : i % 4 ? "event-0"
                                   : "event-0123456789");
        for (int k = (int)(rng >> 59) % 12; k >= 0; k--) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            names[n][len++] = alphabet[(rng >> 33) % (sizeof alphabet - 1)];
        }
        names[n][len] = '\0';
        int seen_before = 0;
        for (size_t j = 0; j < n && !seen_before; j++)
            seen_before = strcmp(names[j], names[n]) == 0;
        if (!seen_before)
            ptrs[n] = expected[n] = names[n], n++;
    }
    qsort(expected, n, sizeof *expected, by_bytes);
    assert_int_equal(objstore_sort_names(ptrs, n, order), 0);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(ptrs[order[i]], expected[i]);
    /* and a directory whose names share all but the end: '.' (0x2E)
     * sorts before '0' (0x30), so "00001." comes before "000010"       */
    const char *same[] = {"event-000010.json", "event-000002.json",
                          "event-000001.json", "event-00001.json"};
    const char *sorted[] = {"event-000001.json", "event-000002.json",
                            "event-00001.json", "event-000010.json"};
    assert_int_equal(objstore_sort_names(same, 4, order), 0);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(same[order[i]], sorted[i]);
    free(names);
    free(ptrs);
    free(expected);
    free(order);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_order_and_sizes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cache_replays_the_listing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_damaged_cache_is_an_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cache_of_another_format_lists_anew,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_stopped_listing_leaves_no_cache,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_keeps_keys_in_any_order,
                                        setup, teardown),
        cmocka_unit_test(test_sort_names_matches_strcmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
