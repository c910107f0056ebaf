/*
 * store_suite.h - the store tests that SQLite and PostgreSQL must both
 * pass: each test gets a store_env (a fresh store URL) from its setup.
 */
#ifndef NBAQ_STORE_SUITE_H
#define NBAQ_STORE_SUITE_H

typedef struct store_env {
    char *url;  /* a store nobody else uses                              */
    char *name; /* what error messages must call it                      */
    char *dir;  /* SQLite: the temporary directory holding it            */
    int is_pg;
} store_env;

void test_store_creates_schema_once(void **state);
void test_store_migrates_version_2(void **state);
void test_store_migrates_version_5(void **state);
void test_store_previous_window_points_and_stats(void **state);
void test_store_anomaly_and_change_from_history(void **state);
void test_store_baseline_points_and_window(void **state);
void test_store_accept_and_relearn_rebase(void **state);
void test_store_state_roundtrip(void **state);
void test_store_nan_and_infinity_roundtrip(void **state);
void test_store_prune(void **state);
void test_store_failed_save_leaves_nothing(void **state);
void test_store_newer_schema_is_refused(void **state);
void test_store_alerts_and_checks_saved(void **state);
void test_store_killed_mid_save_keeps_run_atomic(void **state);
void test_store_two_connections_share_it(void **state);

#define STORE_SUITE_TESTS(setup, teardown)                                     \
    cmocka_unit_test_setup_teardown(test_store_creates_schema_once, setup,     \
                                    teardown),                                 \
        cmocka_unit_test_setup_teardown(test_store_migrates_version_2, setup,  \
                                        teardown),                             \
        cmocka_unit_test_setup_teardown(test_store_migrates_version_5, setup,  \
                                        teardown),                             \
        cmocka_unit_test_setup_teardown(                                       \
            test_store_previous_window_points_and_stats, setup, teardown),     \
        cmocka_unit_test_setup_teardown(                                       \
            test_store_anomaly_and_change_from_history, setup, teardown),      \
        cmocka_unit_test_setup_teardown(test_store_baseline_points_and_window, \
                                        setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_store_accept_and_relearn_rebase,  \
                                        setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_store_state_roundtrip, setup,     \
                                        teardown),                             \
        cmocka_unit_test_setup_teardown(test_store_nan_and_infinity_roundtrip, \
                                        setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_store_prune, setup, teardown),    \
        cmocka_unit_test_setup_teardown(test_store_failed_save_leaves_nothing, \
                                        setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_store_newer_schema_is_refused,    \
                                        setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_store_alerts_and_checks_saved,    \
                                        setup, teardown),                      \
        cmocka_unit_test_setup_teardown(                                       \
            test_store_killed_mid_save_keeps_run_atomic, setup, teardown),     \
        cmocka_unit_test_setup_teardown(test_store_two_connections_share_it,   \
                                        setup, teardown)

#endif
