/*
 * A single-threaded program that uses a client, forks, and uses the same
 * client in the child, which then frees it and exits, as a pre-forking
 * server's worker does. The child must get its answer over its own
 * connection, and its exit must find nothing lost: the parent's agents it
 * inherited are kept, never dropped (dropping one could write into the
 * parent's connection), and leak checkers must see them kept, not leaked.
 * `make valgrind` and `make asan` check each child at its exit too; a
 * report there is the child's exit status, which the parent checks.
 *
 * (tests/c/forks.c forks while other threads call; memcheck and ASan can't
 * follow that one, as it says.)
 *
 * Needs SEQURA_SANDBOX_URL and SEQURA_CA_FILE, as scripts/test.sh exports them.
 */
#include "testing.h"

#include <sys/wait.h>

/* A client with `persistent` connections (shared by every client of the
 * endpoint) or its own. */
static SqClient *client_of(const char *url, const char *persistent) {
    char options[2048];
    snprintf(options, sizeof options,
             "{" SANDBOX_ENDPOINT ",\"merchant\":\"demo\",\"username\":\"demo\","
             "\"password\":\"" PASSWORD "\",\"persistent\":%s}",
             SANDBOX_ENDPOINT_ARGS(url), persistent);
    SqClient *client = NULL;
    CHECK_STATUS(sq_client_new(options, &client), SQ_OK, "a client is made");
    return client;
}

static int payment_methods_listed(SqClient *client) {
    char *methods = NULL;
    SqStatus status = sq_merchant_payment_methods(client, &methods);
    int listed = status == SQ_OK && methods != NULL && strstr(methods, "\"product\"") != NULL;
    sq_string_free(methods);
    return listed;
}

static void a_child_uses_the_parents_client(const char *url, const char *persistent) {
    printf("-- persistent: %s\n", persistent);
    SqClient *client = client_of(url, persistent);
    if (client == NULL) return;
    CHECK(payment_methods_listed(client), "the parent calls, leaving a connection open");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int listed = payment_methods_listed(client);
        sq_client_free(client);
        exit(listed ? 0 : 3);
    }
    int status = -1;
    CHECK(child > 0 && waitpid(child, &status, 0) == child, "the child runs");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child calls with it, frees it and exits with nothing lost");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("     the child's status: %d (3: its call failed; else a leak checker's)\n",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    CHECK(payment_methods_listed(client), "the parent's client still calls after");
    sq_client_free(client);
}

int main(void) {
    const char *url = sandbox_url();
    a_child_uses_the_parents_client(url, "true");
    a_child_uses_the_parents_client(url, "false");
    return finish();
}
