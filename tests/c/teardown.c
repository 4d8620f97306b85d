/*
 * Calls made while a thread or the process ends: from a pthread key
 * destructor and from an atexit handler, where a shop's shutdown hook may
 * confirm or cancel an order. Both run after Rust's thread-locals are torn
 * down; the thread's last error must still say what happened, above all
 * that the server may have acted. Each call meets a connection reset
 * after the sandbox has taken the order.
 *
 * The atexit handler runs after main's counts: a failure there prints FAIL
 * and ends the process with status 1.
 *
 * Needs SEQURA_SANDBOX_URL and SEQURA_CA_FILE, as scripts/test.sh exports them.
 */
#include "testing.h"

#include <pthread.h>

static const char *url;
static SqPosClient *client;
static pthread_key_t key;

/* Creates an order that the sandbox takes and then resets the connection
 * on; true when the status and the thread's last error both say so. */
static int a_failed_call_is_remembered(const char *where) {
    if (sandbox_request(url, "POST", "/sandbox/faults",
                        "{\"method\":\"POST\",\"path\":\"/api/public/v1/orders\","
                        "\"fault\":\"reset\",\"when\":\"after\"}",
                        NULL, 0) != 200) {
        printf("     %s: the sandbox took no fault\n", where);
        return 0;
    }
    char *out = NULL;
    SqStatus status = sq_pos_orders_create(client, POS_ORDER, &out);
    sq_string_free(out);
    int remembered = status == SQ_ERR_TRANSPORT && sq_last_error_may_have_acted() &&
                     strstr(sq_last_error(), "may have") != NULL &&
                     strstr(sq_last_error_json(), "\"may_have_acted\":true") != NULL;
    if (!remembered) {
        printf("     %s: got %s, may_have_acted %d, \"%.200s\", %.200s\n", where,
               sq_status_name(status), sq_last_error_may_have_acted(), sq_last_error(),
               sq_last_error_json());
    }
    return remembered;
}

static int in_destructor = -1;

static void key_destructor(void *value) {
    (void)value;
    in_destructor = a_failed_call_is_remembered("pthread key destructor");
}

static void *worker(void *arg) {
    (void)arg;
    CHECK(a_failed_call_is_remembered("thread"), "a thread's failed call is its last error");
    pthread_setspecific(key, &key);
    return NULL;
}

static void at_exit(void) {
    int remembered = a_failed_call_is_remembered("atexit handler");
    sq_pos_client_free(client);
    if (!remembered) {
        printf("FAIL a failed call from an atexit handler is the thread's last error\n");
        fflush(stdout);
        _exit(1);
    }
    printf("ok   a failed call from an atexit handler is the thread's last error\n");
}

int main(void) {
    url = sandbox_url();
    client = pos_client(url, PASSWORD);
    if (client == NULL) return 1;
    CHECK(pthread_key_create(&key, key_destructor) == 0, "a pthread key is made");
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, worker, NULL) == 0 && pthread_join(thread, NULL) == 0,
          "a thread runs and ends");
    CHECK(in_destructor == 1, "a failed call from a pthread key destructor is the thread's last error");
    CHECK(atexit(at_exit) == 0, "an atexit handler is registered");
    return finish();
}
