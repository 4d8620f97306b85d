/*
 * TLS through the C ABI: a client that does not trust the sandbox's
 * certificate (no ca_file, so the built-in roots; or the file of another
 * CA) fails with SQ_ERR_TLS before anything is sent: the message says
 * the request was not sent, the JSON that nothing was acted on, and no
 * request reaches the API. With the sandbox's CA the same call works. Each
 * check prints one line; the last line is "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL (https://127.0.0.1:PORT) and SEQURA_CA_FILE, as
 * scripts/test.sh exports them.
 */
#include "testing.h"

/* How many POST /orders reached the sandbox's API; -1 when it does not say. */
static long orders_posted(const char *url) {
    char reply[1024];
    if (sandbox_request(url, "GET", "/sandbox/requests?method=POST&path=/orders", NULL, reply, sizeof reply) != 200) {
        return -1;
    }
    const char *count = strstr(body_of(reply), "\"count\":");
    return count ? strtol(count + 8, NULL, 10) : -1;
}

/* Writes the PEM of a CA that signed nothing the sandbox serves (GET
 * /sandbox/tls: unrelated_ca_pem) to a new temporary file, whose path goes
 * to `path`; 0, or -1. */
static int write_unrelated_ca(const char *url, char *path, size_t size) {
    char reply[8192], pem[4096];
    if (sandbox_request(url, "GET", "/sandbox/tls", NULL, reply, sizeof reply) != 200) return -1;
    json_string(body_of(reply), "unrelated_ca_pem", pem, sizeof pem);
    /* JSON writes the PEM's line ends as \n, and nothing else needs escaping in it. */
    char *to = pem;
    for (const char *from = pem; *from != '\0'; from++) {
        if (from[0] == '\\' && from[1] == 'n') {
            *to++ = '\n';
            from++;
        } else {
            *to++ = *from;
        }
    }
    *to = '\0';
    if (strstr(pem, "-----BEGIN CERTIFICATE-----\n") != pem) return -1;
    snprintf(path, size, "/tmp/sequra-unrelated-ca-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    size_t length = strlen(pem);
    int written = write(fd, pem, length) == (ssize_t)length;
    close(fd);
    return written ? 0 : -1;
}

/* A client of the sandbox's seQura account trusting `trust`: its
 * "ca_file" option and the comma before it, or "" for none. */
static SqClient *client_trusting(const char *url, const char *trust) {
    SqClient *client = NULL;
    MAKE_CLIENT(sq_client_new, client,
                "{\"endpoint\":\"%s\"%s,\"merchant\":\"demo\",\"username\":\"demo\","
                "\"password\":\"" PASSWORD "\",\"timeout\":10}",
                url, trust);
    return client;
}

/* Starting a solicitation with `client` is refused before it is sent. */
static void refused_before_sending(const char *url, SqClient *client, const char *why) {
    char what[256];
    long before = orders_posted(url);
    char *uri = NULL;
    snprintf(what, sizeof what, "%s: starting a solicitation is a TLS error", why);
    CHECK_STATUS(sq_orders_start(client, order_json(1, 1), &uri), SQ_ERR_TLS, what);
    snprintf(what, sizeof what, "%s: no order URI is written", why);
    CHECK(uri == NULL, what);
    snprintf(what, sizeof what, "%s: the message says the request was not sent, and why", why);
    int says = strstr(sq_last_error(), "the request was not sent: the TLS connection was refused") != NULL;
    CHECK(says, what);
    if (!says) printf("     the message: %s\n", sq_last_error());
    snprintf(what, sizeof what, "%s: the error says nothing was acted on", why);
    CHECK(strstr(sq_last_error_json(), "\"kind\":\"tls\"") != NULL &&
              strstr(sq_last_error_json(), "\"may_have_acted\":false") != NULL,
          what);
    snprintf(what, sizeof what, "%s: no POST /orders reached the sandbox", why);
    CHECK(before >= 0 && orders_posted(url) == before, what);
    sq_string_free(uri);
}

int main(void) {
    const char *url = sandbox_url();

    SqClient *client = client_trusting(url, "");
    refused_before_sending(url, client, "no ca_file");
    sq_client_free(client);

    char path[64] = "", trust[320];
    int written = write_unrelated_ca(url, path, sizeof path) == 0;
    CHECK(written, "another CA's PEM is written to a file");
    if (written) {
        snprintf(trust, sizeof trust, ",\"ca_file\":\"%s\"", path);
        client = client_trusting(url, trust);
        refused_before_sending(url, client, "another CA's file");
        sq_client_free(client);
        unlink(path);
    }

    snprintf(trust, sizeof trust, ",\"ca_file\":\"%s\"", sandbox_ca_file());
    client = client_trusting(url, trust);
    CHECK_STATUS(sq_client_check_credentials(client), SQ_OK, "with the sandbox's CA the same client works");
    sq_client_free(client);
    return finish();
}
