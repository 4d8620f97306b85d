/*
 * A multi-threaded program that forks while its other threads make and
 * free handles, call the sandbox and sit in the log callback: each child
 * uses the library at once (the shared handle, a new one, a freed one, the
 * log callback) and must find it whole. A fork waits for the library's
 * process-wide locks (the set of live handles, the log callback), so no
 * child inherits one held by a thread it does not have, or a set caught
 * mid-update (where a freed handle once passed for a live one).
 *
 * A child that does not finish within 20 s is ended by its alarm: a hang.
 * Skipped under ThreadSanitizer, which does not support a fork of a
 * multi-threaded program, and under AddressSanitizer, whose allocator (gcc
 * 12's) is not fork-safe: a child forked while another thread allocates
 * waits forever on the allocator's lock (gdb showed it, in CI). Plain, the
 * C library's allocator (glibc's) is.
 *
 * Needs SEQURA_SANDBOX_URL and SEQURA_CA_FILE, as scripts/test.sh exports them.
 */
#include "testing.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

#define THREADS 4
#define FORKS 40

static const char *url;
static SqClient *shared;
static atomic_int stop;
static atomic_int records;

static void count_record(void *user_data, SqLogLevel level, const char *message,
                         const char *context_json) {
    (void)user_data;
    (void)level;
    (void)message;
    (void)context_json;
    atomic_fetch_add(&records, 1);
    /* Long enough that forks land inside a callback too. */
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, NULL);
}

/* Keeps the library busy: a new client made and freed (the set of live
 * handles changes), a call that logs, a validation. */
static void *busy(void *arg) {
    long index = (long)arg;
    while (!atomic_load(&stop)) {
        char *out = NULL;
        if (index % 2 == 0) {
            SqClient *client = orders_client(url, PASSWORD, 10.0);
            if (client != NULL) {
                sq_client_check_credentials(client);
                sq_client_free(client);
            }
        } else {
            sq_orders_validate(shared, "{\"cart\":1}", &out);
            sq_string_free(out);
            out = NULL;
            sq_merchant_payment_methods(shared, &out);
            sq_string_free(out);
        }
    }
    return NULL;
}

static void on_alarm(int signal_number) {
    (void)signal_number;
    _exit(42);
}

/* What a child does; its exit status says what went wrong (0: nothing). */
static int child(void) {
    signal(SIGALRM, on_alarm);
    alarm(20);
    int before = atomic_load(&records);
    if (sq_client_check_credentials(shared) != SQ_OK) {
        return 1;
    }
    SqClient *client = orders_client(url, PASSWORD, 10.0);
    if (client == NULL || sq_client_check_credentials(client) != SQ_OK) {
        return 2;
    }
    sq_client_free(client);
    /* The freed handle is refused, as in any process: the set is whole. */
    if (sq_client_check_credentials(client) != SQ_ERR_INVALID_ARGUMENT) {
        return 3;
    }
    if (atomic_load(&records) == before) {
        return 4; /* no record reached the callback in the child */
    }
    if (sq_set_log_callback(NULL, NULL) != SQ_OK) {
        return 5;
    }
    return 0;
}

int main(void) {
    url = sandbox_url();
#ifdef __SANITIZE_THREAD__
    printf("skipped: ThreadSanitizer does not support a fork of a multi-threaded program\n");
    return finish();
#endif
#ifdef __SANITIZE_ADDRESS__
    printf("skipped: AddressSanitizer's allocator is not fork-safe in a multi-threaded program\n");
    return finish();
#endif
    shared = orders_client(url, PASSWORD, 10.0);
    CHECK(shared != NULL, "a shared client");
    CHECK_STATUS(sq_set_log_callback(count_record, NULL), SQ_OK, "a log callback is set");
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++) {
        pthread_create(&threads[i], NULL, busy, (void *)i);
    }
    int statuses[6] = {0};
    for (int f = 0; f < FORKS; f++) {
        struct timespec pause = {0, 10000000 + (f % 4) * 7000000};
        nanosleep(&pause, NULL);
        pid_t pid = fork();
        if (pid == 0) {
            _exit(child());
        }
        int status = 0;
        waitpid(pid, &status, 0);
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 5;
        statuses[code < 6 ? code : 5]++;
        if (code != 0) {
            printf("     child %d: exit %d, signal %d\n", f, WIFEXITED(status) ? code : -1,
                   WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
    CHECK(statuses[0] == FORKS, "every child used the library whole: the shared handle, a new one, a freed one refused, the log callback");
    CHECK_STATUS(sq_set_log_callback(NULL, NULL), SQ_OK, "the parent's callback is cleared");
    sq_client_free(shared);
    return finish();
}
