/*
 * One handle of each kind (SqClient, SqPosClient, SqPayseraClient,
 * SqCheckoutComClient) shared by THREADS threads at once, against the
 * bundled sandbox: calls that succeed (validations and GETs), calls that
 * fail (unknown ids the server answers 404, documents refused before
 * sending, bad arguments), the handle-less helpers and the constructors.
 *
 * After each failing call every thread waits at a barrier before it reads
 * sq_last_error(): by then all of them have failed, each with an error
 * naming its own thread and round, so a last error kept anywhere but per
 * thread shows one thread another's. Each thread tallies its own checks
 * (CHECK's counts are not for threads); main adds one line per thread to
 * the usual "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL and SEQURA_CA_FILE, as scripts/test.sh exports them.
 */
#include "testing.h"

#include <pthread.h>

#define THREADS 8
#define ROUNDS 16

/* What the threads share: the handles, and documents and ids they read. */
struct shared {
    const char *url;
    const SqClient *orders;
    const SqPosClient *pos;
    const SqPayseraClient *paysera;
    const SqCheckoutComClient *checkout_com;
    char order[4096];
    char pos_order_id[32];
    char payment_request[2048];
    char payment_request_id[128];
    char setup[1024];
    char setup_id[64];
    pthread_barrier_t barrier;
};

/* One thread's tally. */
struct worker {
    struct shared *shared;
    pthread_t thread;
    int index;
    int passed;
    int failed;
};

/* A check on a worker thread, counted in its tally; a failure prints one
 * line (one printf, so that lines of several threads do not mix). */
#define EXPECT(w, cond, what)                                                           \
    do {                                                                                \
        if (cond) {                                                                     \
            (w)->passed++;                                                              \
        } else {                                                                        \
            (w)->failed++;                                                              \
            printf("FAIL thread %d: %s (%s:%d: %s); its last error: %s\n", (w)->index, \
                   what, __FILE__, __LINE__, #cond, sq_last_error());                   \
        }                                                                               \
    } while (0)

static void succeeded(struct worker *w, SqStatus status, char *out, const char *has,
                      const char *what) {
    EXPECT(w, status == SQ_OK, what);
    EXPECT(w, strcmp(sq_last_error(), "") == 0 && strcmp(sq_last_error_json(), "{}") == 0, what);
    EXPECT(w, out != NULL && strstr(out, has) != NULL, what);
    sq_string_free(out);
}

static void failed_as(struct worker *w, SqStatus status, char *out, SqStatus want, const char *mine,
                      const char *what) {
    pthread_barrier_wait(&w->shared->barrier);
    EXPECT(w, status == want, what);
    EXPECT(w, out == NULL, what);
    EXPECT(w, strstr(sq_last_error(), mine) != NULL, what);
    EXPECT(w, strstr(sq_last_error_json(), mine) != NULL, what);
}

/* `call`, which may write a string to `out`, succeeds with `has` in it and
 * leaves no last error. */
#define SUCCEEDS(w, call, has, what)                \
    do {                                            \
        char *out = NULL;                           \
        SqStatus status_ = (call);                  \
        succeeded(w, status_, out, has, what);      \
    } while (0)

/* `call` fails with `want`, writes nothing to `out`, and, once every
 * thread has failed too, this thread's last error names `mine`. */
#define FAILS(w, call, want, mine, what)                    \
    do {                                                    \
        char *out = NULL;                                   \
        SqStatus status_ = (call);                          \
        failed_as(w, status_, out, want, mine, what);       \
    } while (0)

static void round_of_calls(struct worker *w, int round) {
    const struct shared *s = w->shared;
    const char *url = s->url;
    int n = w->index * 1000 + round;
    char tag[32], mine[160], input[4096];
    snprintf(tag, sizeof tag, "t%dr%d", w->index, round);

    SUCCEEDS(w, sq_orders_validate(s->orders, s->order, &out), "[]", "a seQura order is valid");
    SUCCEEDS(w, sq_merchant_payment_methods(s->orders, &out), "\"product\":\"sp1\"",
             "the merchant's payment methods are read");
    snprintf(mine, sizeof mine, "00000000-0000-4000-8000-%012d", n);
    snprintf(input, sizeof input, "%s/orders/%s", url, mine);
    FAILS(w, sq_orders_form(s->orders, input, NULL, &out), SQ_ERR_NOT_FOUND, mine,
          "an unknown seQura order is not found");
    snprintf(input, sizeof input, "{\"%s\":1}", tag);
    snprintf(mine, sizeof mine, "options.%s", tag);
    FAILS(w, sq_orders_form(s->orders, "x", input, &out), SQ_ERR_INVALID_INPUT, mine,
          "an unknown form option is refused");

    SUCCEEDS(w, sq_pos_orders_validate(s->pos, POS_ORDER, &out), "[]", "a part-payment order is valid");
    SUCCEEDS(w, sq_pos_orders_get(s->pos, strtoull(s->pos_order_id, NULL, 10), &out),
             s->pos_order_id, "a part-payment order is read");
    uint64_t unknown = 900000000 + (uint64_t)n;
    snprintf(mine, sizeof mine, "/orders/%" PRIu64, unknown);
    FAILS(w, sq_pos_orders_get(s->pos, unknown, &out), SQ_ERR_NOT_FOUND, mine,
          "an unknown part-payment order is not found");
    snprintf(input, sizeof input, "{\"%s\":1,%s", tag, POS_ORDER + 1);
    FAILS(w, sq_pos_orders_create(s->pos, input, &out), SQ_ERR_INVALID_INPUT, tag,
          "a part-payment order with an unknown field is refused before sending");

    SUCCEEDS(w, sq_paysera_payment_request_validate(s->paysera, s->payment_request, &out), "[]",
             "a Paysera payment request is valid");
    SUCCEEDS(w, sq_paysera_payment_request_get(s->paysera, s->payment_request_id, &out),
             s->payment_request_id, "a Paysera payment request is read");
    snprintf(mine, sizeof mine, "no-such-%s", tag);
    FAILS(w, sq_paysera_payment_request_get(s->paysera, mine, &out), SQ_ERR_NOT_FOUND, mine,
          "an unknown Paysera payment request is not found");

    SUCCEEDS(w, sq_checkout_com_setup_validate(s->checkout_com, s->setup, &out), "[]",
             "a checkout.com payment setup is valid");
    SUCCEEDS(w, sq_checkout_com_setup_get(s->checkout_com, s->setup_id, &out), s->setup_id,
             "a checkout.com payment setup is read");
    snprintf(mine, sizeof mine, "set_%026d", n);
    FAILS(w, sq_checkout_com_setup_get(s->checkout_com, mine, &out), SQ_ERR_NOT_FOUND, mine,
          "an unknown checkout.com payment setup is not found");
    snprintf(mine, sizeof mine, "set_%s.x", tag);
    FAILS(w, sq_checkout_com_setup_get(s->checkout_com, mine, &out), SQ_ERR_INVALID_INPUT, mine,
          "a malformed setup id is refused before sending");

    SUCCEEDS(w, sq_notification_sign("a-long-random-shop-secret", tag, &out), "",
             "a notification identity is signed");
    uint16_t answer = 0;
    FAILS(w, sq_notification_answer_status(tag, &answer), SQ_ERR_INVALID_INPUT, tag,
          "an unknown notification outcome is refused");

    SqPosClient *none = NULL;
    snprintf(input, sizeof input, "{\"endpoint\":\"sandbox\",\"%s\":1}", tag);
    FAILS(w, sq_pos_client_new(input, &none), SQ_ERR_CONFIG, tag,
          "a constructor's unknown option is named");
    EXPECT(w, none == NULL, "a failed constructor writes no handle");
    SqClient *own = NULL;
    snprintf(input, sizeof input,
             "{\"endpoint\":\"%s\",\"merchant\":\"demo\",\"username\":\"demo\",\"password\":\"x\"}", url);
    EXPECT(w, sq_client_new(input, &own) == SQ_OK && own != NULL && strcmp(sq_last_error(), "") == 0,
           "a client is made alongside");
    sq_client_free(own);
}

static void *work(void *arg) {
    struct worker *w = arg;
    for (int round = 0; round < ROUNDS; round++) {
        round_of_calls(w, round);
    }
    return NULL;
}

/* What the threads read, made once: a document of each API and a
 * resource of each to GET. */
static void prepare(struct shared *s) {
    snprintf(s->order, sizeof s->order, "%s", order_json(1, 1));

    char *cart = NULL;
    CHECK_STATUS(sq_pos_orders_create(s->pos, POS_ORDER, &cart), SQ_OK, "a part-payment order is made");
    const char *id = cart ? strstr(cart, "\"id\":") : NULL;
    snprintf(s->pos_order_id, sizeof s->pos_order_id, "%llu", id ? strtoull(id + 5, NULL, 10) : 0);
    sq_string_free(cart);

    snprintf(s->payment_request, sizeof s->payment_request, PAYSERA_REQUEST, PAYSERA_BUSINESS,
             (long)getpid(), "threads", "999", "https://shop.example/paysera-callback");
    char *request = NULL;
    CHECK_STATUS(sq_paysera_payment_request_create(s->paysera, s->payment_request, &request), SQ_OK,
                 "a Paysera payment request is made");
    json_string(request, "id", s->payment_request_id, sizeof s->payment_request_id);
    sq_string_free(request);

    snprintf(s->setup, sizeof s->setup, CHECKOUT_COM_SETUP, 100, (long)getpid());
    char *setup = NULL;
    CHECK_STATUS(sq_checkout_com_setup_create(s->checkout_com, s->setup, NULL, &setup, NULL), SQ_OK,
                 "a checkout.com payment setup is made");
    json_string(setup, "id", s->setup_id, sizeof s->setup_id);
    sq_string_free(setup);
}

int main(void) {
    const char *url = sandbox_url();
    SqClient *orders = orders_client(url, PASSWORD, 10);
    SqPosClient *pos = pos_client(url, PASSWORD);
    SqPayseraClient *paysera = paysera_client(url, PAYSERA_MAC_SECRET);
    SqCheckoutComClient *checkout_com = checkout_com_client(url, CHECKOUT_COM_SECRET_KEY);
    static struct shared shared;
    shared.url = url;
    shared.orders = orders;
    shared.pos = pos;
    shared.paysera = paysera;
    shared.checkout_com = checkout_com;
    prepare(&shared);
    pthread_barrier_init(&shared.barrier, NULL, THREADS);

    char *uri = NULL;
    CHECK(sq_orders_start(orders, NULL, &uri) == SQ_ERR_INVALID_ARGUMENT,
          "the main thread fails a call before the threads start");
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){.shared = &shared, .index = i};
        /* The others would wait at the barrier for it forever. */
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fprintf(stderr, "thread %d could not be started\n", i);
            exit(2);
        }
    }
    char what[160];
    for (int i = 0; i < THREADS; i++) {
        pthread_join(workers[i].thread, NULL);
        snprintf(what, sizeof what, "thread %d: %d checks, each error its own", i, workers[i].passed);
        CHECK(workers[i].failed == 0 && workers[i].passed > 0, what);
    }
    CHECK(strcmp(sq_last_error(), "order_json is NULL") == 0,
          "the main thread's last error is still its own");

    pthread_barrier_destroy(&shared.barrier);
    sq_client_free(orders);
    sq_pos_client_free(pos);
    sq_paysera_client_free(paysera);
    sq_checkout_com_client_free(checkout_com);
    return finish();
}
