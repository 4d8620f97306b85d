/*
 * The library's log records through sq_set_log_callback, against the
 * bundled sandbox: one debug record per HTTP exchange with its fields, a
 * warning per retry, an error per failed call, never a secret, bodies
 * only with `log_bodies` and then masked; records on the calling thread,
 * from many threads at once; a replaced callback never called after
 * sq_set_log_callback returned; NULL turning it off.
 *
 * Needs SEQURA_SANDBOX_URL and SEQURA_CA_FILE, as scripts/test.sh exports them.
 */
#include "testing.h"

#include <pthread.h>
#include <stdatomic.h>

/* The sandbox's basic credentials "demo:demo-password" as an
 * Authorization header carries them. */
#define PASSWORD_BASE64 "ZGVtbzpkZW1vLXBhc3N3b3Jk"

#define MAX_RECORDS 64

struct record {
    SqLogLevel level;
    char message[256];
    char context[8192];
};

/* What a callback collects: the first MAX_RECORDS records in full (cut
 * to the buffers), and checks made on every record's whole text. */
struct log {
    pthread_mutex_t lock;
    struct record records[MAX_RECORDS];
    int count;
    /* Records that held a password, key or its base64. */
    int secrets;
    /* Set once sq_set_log_callback replaced this log's callback. */
    atomic_int retired;
};

/* Records delivered to a retired log: must stay 0. */
static atomic_int after_retirement;
/* Records this thread's calls made, counted by the callback. */
static _Thread_local int records_on_this_thread;

static void log_init(struct log *log) {
    memset(log, 0, sizeof *log);
    pthread_mutex_init(&log->lock, NULL);
}

static int holds_a_secret(const char *text) {
    return strstr(text, PASSWORD) != NULL || strstr(text, PASSWORD_BASE64) != NULL ||
           strstr(text, CHECKOUT_COM_SECRET_KEY) != NULL || strstr(text, "Basic ") != NULL;
}

static void collect(void *user_data, SqLogLevel level, const char *message,
                    const char *context_json) {
    struct log *log = user_data;
    if (atomic_load(&log->retired)) atomic_fetch_add(&after_retirement, 1);
    records_on_this_thread++;
    pthread_mutex_lock(&log->lock);
    if (holds_a_secret(message) || holds_a_secret(context_json)) log->secrets++;
    if (log->count < MAX_RECORDS) {
        struct record *record = &log->records[log->count];
        record->level = level;
        snprintf(record->message, sizeof record->message, "%s", message);
        snprintf(record->context, sizeof record->context, "%s", context_json);
    }
    log->count++;
    pthread_mutex_unlock(&log->lock);
}

/* Forgets what `log` collected. */
static void log_clear(struct log *log) {
    pthread_mutex_lock(&log->lock);
    log->count = 0;
    pthread_mutex_unlock(&log->lock);
}

/* Whether the context of record `i` holds every one of the NULL-ended
 * `parts`. */
static int record_has(const struct log *log, int i, SqLogLevel level, ...) {
    if (i >= log->count || i >= MAX_RECORDS || log->records[i].level != level) return 0;
    va_list parts;
    va_start(parts, level);
    int all = 1;
    for (const char *part = va_arg(parts, const char *); part; part = va_arg(parts, const char *)) {
        if (strstr(log->records[i].context, part) == NULL) all = 0;
    }
    va_end(parts);
    return all;
}

static void print_records(const struct log *log) {
    for (int i = 0; i < log->count && i < MAX_RECORDS; i++) {
        printf("     record %d: %s: %s %s\n", i, sq_log_level_name(log->records[i].level),
               log->records[i].message, log->records[i].context);
    }
}

/* Checks that `log` holds `count` records and `ok`; prints them when not. */
static void check_records(const struct log *log, int count, int ok, const char *what) {
    CHECK(log->count == count && ok, what);
    if (log->count != count || !ok) print_records(log);
}

static void set_callback(SqLogCallback callback, void *user_data) {
    if (sq_set_log_callback(callback, user_data) != SQ_OK) {
        fprintf(stderr, "sq_set_log_callback: %s\n", sq_last_error());
        exit(2);
    }
}

static void exchanges(const char *url, struct log *log) {
    SqClient *client = orders_client(url, PASSWORD, 10);
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(1, 1), &uri), SQ_OK, "an order is started");
    check_records(log, 1,
                  record_has(log, 0, SQ_LOG_DEBUG, "\"method\":\"POST\"", "\"path\":\"/orders\"",
                             "\"status\":", "\"ms\":", "\"attempt\":1", NULL),
                  "its exchange is one debug record: method, path, status, ms, attempt");
    CHECK(log->count >= 1 && strstr(log->records[0].message, "POST /orders answered") != NULL,
          "the message says what was asked and answered");
    char *html = NULL;
    CHECK_STATUS(sq_orders_form(client, uri ? uri : "x", NULL, &html), SQ_OK, "its form is fetched");
    check_records(log, 2, record_has(log, 1, SQ_LOG_DEBUG, "\"method\":\"GET\"", "/form_v2", NULL),
                  "a second exchange, a second debug record");
    char *problems = NULL;
    CHECK_STATUS(sq_orders_validate(client, order_json(1, 1), &problems), SQ_OK, "an order is validated");
    int bodies = 0;
    for (int i = 0; i < log->count && i < MAX_RECORDS; i++) {
        if (strstr(log->records[i].context, "_body") != NULL) bodies++;
    }
    check_records(log, 2, 1, "a call that sends nothing logs nothing");
    CHECK(bodies == 0, "no body is logged without log_bodies");
    sq_string_free(problems);
    sq_string_free(html);
    sq_string_free(uri);
    sq_client_free(client);

    log_clear(log);
    SqPosClient *pos = pos_client(url, PASSWORD);
    char *cart = NULL;
    CHECK_STATUS(sq_pos_orders_create(pos, POS_ORDER, &cart), SQ_OK, "a part-payment order is made");
    check_records(log, 1, record_has(log, 0, SQ_LOG_DEBUG, "\"request_id\":\"", NULL),
                  "its debug record carries the server's request id");
    sq_string_free(cart);
    sq_pos_client_free(pos);
}

static void failures(const char *url, struct log *log) {
    log_clear(log);
    SqClient *client = orders_client(url, "not-" PASSWORD, 10);
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(2, 1), &uri), SQ_ERR_AUTHENTICATION,
                 "a wrong password is refused");
    check_records(log, 2, record_has(log, 0, SQ_LOG_DEBUG, "\"status\":401", NULL),
                  "the exchange is a debug record with the 401");
    check_records(log, 2,
                  record_has(log, 1, SQ_LOG_ERROR, "\"kind\":\"authentication\"",
                             "\"may_have_acted\":false", "\"status\":401", NULL),
                  "the failed call is an error record: kind, may_have_acted, status");
    sq_client_free(client);

    log_clear(log);
    client = orders_client(url, PASSWORD, 10);
    CHECK(sandbox_request(url, "POST", "/sandbox/faults",
                          "{\"method\":\"GET\",\"path\":\"/merchants/demo/payment_methods\","
                          "\"fault\":\"status\",\"status\":503}",
                          NULL, 0) == 200,
          "the sandbox answers the next catalogue request 503");
    char *methods = NULL;
    CHECK_STATUS(sq_merchant_payment_methods(client, &methods), SQ_OK, "the catalogue is read on a retry");
    check_records(log, 3,
                  record_has(log, 0, SQ_LOG_DEBUG, "\"status\":503", "\"attempt\":1", NULL) &&
                      record_has(log, 1, SQ_LOG_WARNING, "\"reason\":\"server unavailable\"",
                                 "\"wait_ms\":", NULL) &&
                      record_has(log, 2, SQ_LOG_DEBUG, "\"status\":200", "\"attempt\":2", NULL),
                  "each try is a debug record and the retry between them a warning");
    sq_string_free(methods);
    sq_client_free(client);
}

/* The sandbox's seQura account with log_bodies, for sq_client_new and
 * sq_pos_client_new: a printf format taking SANDBOX_ENDPOINT_ARGS(url) and
 * the password. */
#define BODIES_OPTIONS                                                         \
    "{" SANDBOX_ENDPOINT ",\"merchant\":\"demo\",\"username\":\"demo\"," \
    "\"password\":\"%s\",\"log_bodies\":true}"

/* The context of the one record `log` holds, or "". */
static const char *only_context(const struct log *log) {
    check_records(log, 1, 1, "the exchange is one record");
    return log->count == 1 ? log->records[0].context : "";
}

static void bodies(const char *url, struct log *log) {
    log_clear(log);
    SqClient *client = NULL;
    MAKE_CLIENT(sq_client_new, client, BODIES_OPTIONS, SANDBOX_ENDPOINT_ARGS(url), PASSWORD);
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(3, 1), &uri), SQ_OK,
                 "an order is started with log_bodies");
    const char *context = only_context(log);
    CHECK(strstr(context, "\"request_body\":{") != NULL && strstr(context, "Leather Case") != NULL,
          "the debug record has the request body");
    CHECK(strstr(context, "\"given_names\":\"***\"") != NULL && strstr(context, "ana@example.com") == NULL &&
              strstr(context, "Ruiz") == NULL && strstr(context, "+34666555444") == NULL &&
              strstr(context, "C/ Mayor") == NULL,
          "the customer's personal fields are masked");
    sq_string_free(uri);
    sq_client_free(client);

    log_clear(log);
    SqPosClient *pos = NULL;
    MAKE_CLIENT(sq_pos_client_new, pos, BODIES_OPTIONS, SANDBOX_ENDPOINT_ARGS(url), PASSWORD);
    char *cart = NULL;
    CHECK_STATUS(sq_pos_orders_create(pos, POS_ORDER, &cart), SQ_OK, "a part-payment order is made with log_bodies");
    context = only_context(log);
    CHECK(strstr(context, "\"response_body\":{") != NULL && strstr(context, "\"nin\":\"***\"") != NULL &&
              strstr(context, "12345678Z") == NULL,
          "the response body is logged, masked too");
    sq_string_free(cart);
    sq_pos_client_free(pos);
}

#define THREADS 4
#define CALLS 4

static void *call_catalogue(void *arg) {
    const SqClient *client = arg;
    int ok = 0;
    for (int i = 0; i < CALLS; i++) {
        char *methods = NULL;
        if (sq_merchant_payment_methods(client, &methods) == SQ_OK) ok++;
        sq_string_free(methods);
    }
    /* A record made for this thread's calls was delivered on this thread. */
    return (void *)(intptr_t)(ok == CALLS && records_on_this_thread == CALLS);
}

static void threads(const char *url, struct log *log) {
    log_clear(log);
    SqClient *client = orders_client(url, PASSWORD, 10);
    pthread_t workers[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&workers[i], NULL, call_catalogue, client);
    int own = 0;
    for (int i = 0; i < THREADS; i++) {
        void *result = NULL;
        pthread_join(workers[i], &result);
        own += result != NULL;
    }
    CHECK(own == THREADS, "every thread got the records of its own calls, on itself");
    CHECK(log->count == THREADS * CALLS, "one record per exchange, from every thread");
    sq_client_free(client);
}

/* Counts like `collect`, slowly, so that replacing it finds it running. */
static void collect_slowly(void *user_data, SqLogLevel level, const char *message,
                           const char *context_json) {
    collect(user_data, level, message, context_json);
    struct timespec pause = {0, 2 * 1000 * 1000};
    nanosleep(&pause, NULL);
    struct log *log = user_data;
    if (atomic_load(&log->retired)) atomic_fetch_add(&after_retirement, 1);
}

static atomic_int keep_calling;

static void *call_until_told(void *arg) {
    const SqClient *client = arg;
    for (int i = 0; i < 400 && atomic_load(&keep_calling); i++) {
        char *methods = NULL;
        sq_merchant_payment_methods(client, &methods);
        sq_string_free(methods);
    }
    return NULL;
}

#define ROUNDS 6

/* Waits (10 s at the most: valgrind is slow) until `log` has a record. */
static void wait_for_a_record(struct log *log) {
    struct timespec pause = {0, 5 * 1000 * 1000};
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&log->lock);
        int count = log->count;
        pthread_mutex_unlock(&log->lock);
        if (count > 0) return;
        nanosleep(&pause, NULL);
    }
}

static void replacing(const char *url) {
    static struct log logs[ROUNDS];
    SqClient *client = orders_client(url, PASSWORD, 10);
    atomic_store(&keep_calling, 1);
    pthread_t workers[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&workers[i], NULL, call_until_told, client);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int round = 0; round < ROUNDS; round++) {
        log_init(&logs[round]);
        set_callback(collect_slowly, &logs[round]);
        if (round > 0) atomic_store(&logs[round - 1].retired, 1);
        wait_for_a_record(&logs[round]);
        if (round % 3 == 2) {
            set_callback(NULL, NULL);
            atomic_store(&logs[round].retired, 1);
            nanosleep(&pause, NULL);
        }
    }
    set_callback(NULL, NULL);
    atomic_store(&logs[ROUNDS - 1].retired, 1);
    atomic_store(&keep_calling, 0);
    for (int i = 0; i < THREADS; i++) pthread_join(workers[i], NULL);
    int delivered = 0;
    for (int round = 0; round < ROUNDS; round++) {
        delivered += logs[round].count > 0;
        pthread_mutex_destroy(&logs[round].lock);
    }
    CHECK(delivered == ROUNDS, "every callback got records while calls ran on other threads");
    CHECK(atomic_load(&after_retirement) == 0,
          "no callback ran after sq_set_log_callback replaced it");
    sq_client_free(client);
}

static SqStatus nested_status = SQ_OK;

static void replace_from_inside(void *user_data, SqLogLevel level, const char *message,
                                const char *context_json) {
    nested_status = sq_set_log_callback(NULL, NULL);
    collect(user_data, level, message, context_json);
}

static void reentry(const char *url, struct log *log) {
    log_clear(log);
    set_callback(replace_from_inside, log);
    SqClient *client = orders_client(url, "not-" PASSWORD, 10);
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(4, 1), &uri), SQ_ERR_AUTHENTICATION,
                 "a call fails while the callback calls the library");
    CHECK(nested_status == SQ_ERR_INVALID_ARGUMENT,
          "sq_set_log_callback from inside a callback is refused");
    CHECK(strstr(sq_last_error(), "check the credentials") != NULL,
          "the logged call's own last error is kept");
    CHECK(log->count == 2, "the callback stayed set");
    set_callback(collect, log);
    sq_client_free(client);
}

/* A call made from the callback is a call of its own: it has its own
 * client's timeout, not what is left of the call that logged. */
struct nested {
    const char *url;
    SqClient *client;
    int done;
    SqStatus status;
};

static void call_from_inside(void *user_data, SqLogLevel level, const char *message,
                             const char *context_json) {
    (void)message, (void)context_json;
    struct nested *nested = user_data;
    if (nested->done || level != SQ_LOG_DEBUG) return;
    nested->done = 1;
    /* The outer call has used 3 s of its 4; this one takes 1.5 of its 10. */
    sandbox_request(nested->url, "POST", "/sandbox/faults",
                    "{\"method\":\"GET\",\"path\":\"/merchants/demo/payment_methods\","
                    "\"fault\":\"delay\",\"ms\":1500}",
                    NULL, 0);
    char *methods = NULL;
    nested->status = sq_merchant_payment_methods(nested->client, &methods);
    if (nested->status == SQ_OK) sq_string_free(methods);
}

static void nested_deadline(const char *url, struct log *log) {
    struct nested nested = {url, orders_client(url, PASSWORD, 10), 0, SQ_OK};
    SqClient *outer = orders_client(url, PASSWORD, 4);
    CHECK(sandbox_request(url, "POST", "/sandbox/faults",
                          "{\"method\":\"GET\",\"path\":\"/merchants/demo/payment_methods\","
                          "\"fault\":\"delay\",\"ms\":3000}",
                          NULL, 0) == 200,
          "the sandbox answers the next catalogue request after 3 s");
    set_callback(call_from_inside, &nested);
    char *methods = NULL;
    CHECK_STATUS(sq_merchant_payment_methods(outer, &methods), SQ_OK, "the slow call is in time");
    set_callback(collect, log);
    CHECK(nested.done, "the callback called the library");
    CHECK(nested.status == SQ_OK,
          "a call from the callback had its own client's timeout, not the logging call's");
    sq_string_free(methods);
    sq_client_free(outer);
    sq_client_free(nested.client);
}

static void turned_off(const char *url, struct log *log) {
    set_callback(NULL, NULL);
    log_clear(log);
    SqClient *client = orders_client(url, PASSWORD, 10);
    char *methods = NULL;
    CHECK_STATUS(sq_merchant_payment_methods(client, &methods), SQ_OK, "a call with no callback");
    CHECK(log->count == 0, "a NULL callback turns logging off");
    sq_string_free(methods);
    sq_client_free(client);
}

int main(void) {
    const char *url = sandbox_url();
    CHECK(strcmp(sq_log_level_name(SQ_LOG_DEBUG), "debug") == 0 &&
              strcmp(sq_log_level_name(SQ_LOG_ERROR), "error") == 0 &&
              strcmp(sq_log_level_name(99), "unknown") == 0 && SQ_LOG_WARNING > SQ_LOG_INFO,
          "levels have PSR-3's names and order");
    static struct log log;
    log_init(&log);
    set_callback(collect, &log);
    exchanges(url, &log);
    failures(url, &log);
    bodies(url, &log);
    threads(url, &log);
    reentry(url, &log);
    nested_deadline(url, &log);
    CHECK(log.secrets == 0, "no record held a password, key or Authorization header");
    turned_off(url, &log);
    replacing(url);
    pthread_mutex_destroy(&log.lock);
    return finish();
}
