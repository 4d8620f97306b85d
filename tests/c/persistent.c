/*
 * The per-process pool through the C ABI ("persistent": true): a client
 * made after another of the same account was freed sends its call on the
 * connection that one opened (no new TCP connection, no new TLS
 * handshake at the sandbox), and a client that is not persistent opens its
 * own (its handshake may resume a session). The pool lives until the
 * process ends: `make valgrind` runs this program with memcheck's default
 * leak kinds, which must find nothing
 * "possibly lost" at exit (what the pool holds is still reachable, as a C
 * programmer's valgrind run expects of a library's process-wide state).
 * Each check prints one line; the last line is "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL (https://127.0.0.1:PORT) and SEQURA_CA_FILE, as
 * scripts/test.sh exports them.
 */
#include "testing.h"

/* The sandbox's counts of connections and full TLS handshakes, the
 * request that asks included (it comes on a connection of its own); 0, or
 * -1 when the sandbox does not say. */
static int sandbox_stats(const char *url, long *connections, long *handshakes) {
    char reply[1024];
    if (sandbox_request(url, "GET", "/sandbox/stats", NULL, reply, sizeof reply) != 200) return -1;
    const char *c = strstr(body_of(reply), "\"connections\":");
    const char *h = strstr(body_of(reply), "\"tls_full_handshakes\":");
    if (c == NULL || h == NULL) return -1;
    *connections = strtol(c + strlen("\"connections\":"), NULL, 10);
    *handshakes = strtol(h + strlen("\"tls_full_handshakes\":"), NULL, 10);
    return 0;
}

/* A client of the sandbox's seQura account, persistent or not, that
 * checks its credentials once and is freed. */
static void one_call(const char *url, int persistent, const char *what) {
    SqClient *client = NULL;
    MAKE_CLIENT(sq_client_new, client,
                "{" SANDBOX_ENDPOINT ",\"merchant\":\"demo\",\"username\":\"demo\","
                "\"password\":\"" PASSWORD "\",\"persistent\":%s}",
                SANDBOX_ENDPOINT_ARGS(url), persistent ? "true" : "false");
    CHECK_STATUS(sq_client_check_credentials(client), SQ_OK, what);
    sq_client_free(client);
}

int main(void) {
    const char *url = sandbox_url();
    long connections = 0, handshakes = 0, then_connections = 0, then_handshakes = 0;

    one_call(url, 1, "a persistent client's call works");
    CHECK(sandbox_stats(url, &connections, &handshakes) == 0, "the sandbox counts connections");
    one_call(url, 1, "a second persistent client of the same account works");
    CHECK(sandbox_stats(url, &then_connections, &then_handshakes) == 0, "the sandbox counts them again");
    /* One more of each: the request that asked. */
    CHECK(then_connections == connections + 1,
          "it opened no connection: it took the first client's from the pool");
    CHECK(then_handshakes == handshakes + 1, "and made no TLS handshake");

    one_call(url, 0, "a client that is not persistent works");
    CHECK(sandbox_stats(url, &connections, &handshakes) == 0, "the sandbox counts them once more");
    /* (Its handshake may resume a TLS session of the process's.) */
    CHECK(connections == then_connections + 2, "it opened a connection of its own");
    return finish();
}
