/*
 * What the C test programs share: the CHECK macros and their counts, a
 * client of each of the sandbox's accounts, a valid document for each
 * API, and requests to the sandbox's control endpoints (the shopper
 * approving, seQura cancelling). Everything is static inline, so a program
 * that does not use a helper compiles clean under -Wall -Wextra -Werror.
 *
 * The sandbox serves HTTPS from a CA of its own (scripts/lib.sh
 * start_sandbox exports SEQURA_SANDBOX_URL and SEQURA_CA_FILE): the clients
 * trust that CA through their ca_file option, the control requests through
 * OpenSSL (sandbox_request).
 */
#ifndef SEQURA_TESTING_H
#define SEQURA_TESTING_H

#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "sequra.h"

static int passed = 0;
static int failed = 0;

#define CHECK(cond, what)                                                   \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
            printf("ok   %s\n", what); \
        } else {                                                            \
            failed++;                                                       \
            printf("FAIL %s (%s:%d: %s)\n", what, __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

/* A status check: on failure it says which status came, and why (the
 * thread's last error, which CHECK leaves alone). */
#define CHECK_STATUS(call, want, what)                                          \
    do {                                                                        \
        SqStatus got_ = (call);                                                 \
        CHECK(got_ == (want), what);                                            \
        if (got_ != (want)) {                                                   \
            printf("     got %s, want %s: %s\n", sq_status_name(got_), \
                   sq_status_name(want), sq_last_error());                      \
        }                                                                       \
    } while (0)

#define PASSWORD "demo-password"

/* The PEM file of the sandbox's CA, from SEQURA_CA_FILE; exits 2 when it
 * is not set. */
static inline const char *sandbox_ca_file(void) {
    const char *file = getenv("SEQURA_CA_FILE");
    if (file == NULL || *file == '\0') {
        fprintf(stderr, "SEQURA_CA_FILE is not set; scripts/test.sh starts the sandbox (--tls) and sets it\n");
        exit(2);
    }
    return file;
}

/* The sandbox's URL from SEQURA_SANDBOX_URL (https, its CA in
 * SEQURA_CA_FILE); exits 2 when either is not set. */
static inline const char *sandbox_url(void) {
    const char *url = getenv("SEQURA_SANDBOX_URL");
    if (url == NULL || strncmp(url, "https://", 8) != 0) {
        fprintf(stderr, "SEQURA_SANDBOX_URL is not an https URL; scripts/test.sh starts the sandbox (--tls)\n");
        exit(2);
    }
    sandbox_ca_file();
    /* Output order matters when a failure is read next to the sandbox's log. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("libsequra %s against %s\n", sq_version(), url);
    return url;
}

/* Prints the counts; the program's exit status. */
static inline int finish(void) {
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

/* An order whose first line has `quantity` cases, with an order_ref_1 made
 * unique by `ref` and the process id, as seQura requires of confirmed
 * orders, also when the plain and the sanitized runs share one sandbox.
 * `extra_merchant` is inserted into `merchant` (e.g. ",\"notify_url\":...").
 * The buffer is static: copy it before the next call. */
static inline char *order_json_with(int ref, int quantity, const char *extra_merchant) {
    static char buffer[4096];
    int line = 3030 * quantity;
    snprintf(buffer, sizeof buffer,
             "{\"state\":\"\","
             "\"merchant\":{\"id\":\"demo\"%s},"
             "\"merchant_reference\":{\"order_ref_1\":\"C-%ld-%d\"},"
             "\"cart\":{\"currency\":\"EUR\",\"gift\":false,\"order_total_with_tax\":%d,\"items\":["
             "{\"reference\":\"12-123\",\"name\":\"Leather Case\",\"price_with_tax\":3030,"
             "\"quantity\":%d,\"total_with_tax\":%d,\"downloadable\":false},"
             "{\"type\":\"handling\",\"reference\":\"seur24\",\"name\":\"SEUR 24h\",\"total_with_tax\":242}]},"
             "\"delivery_method\":{\"name\":\"SEUR24\"},"
             "\"delivery_address\":{\"given_names\":\"Ana\",\"surnames\":\"Ruiz\",\"company\":\"\","
             "\"address_line_1\":\"C/ Mayor 1\",\"address_line_2\":\"\",\"postal_code\":\"08001\","
             "\"city\":\"Barcelona\",\"country_code\":\"ES\",\"mobile_phone\":\"+34666555444\"},"
             "\"invoice_address\":{\"given_names\":\"Ana\",\"surnames\":\"Ruiz\",\"company\":\"\","
             "\"address_line_1\":\"C/ Mayor 1\",\"address_line_2\":\"\",\"postal_code\":\"08001\","
             "\"city\":\"Barcelona\",\"country_code\":\"ES\"},"
             "\"customer\":{\"given_names\":\"Ana\",\"surnames\":\"Ruiz\",\"email\":\"ana@example.com\","
             "\"logged_in\":true,\"language_code\":\"es-ES\",\"ip_number\":\"127.0.0.1\",\"user_agent\":\"c\"},"
             "\"gui\":{\"layout\":\"desktop\"},"
             "\"platform\":{\"name\":\"c-tests\",\"version\":\"1\",\"uname\":\"linux\",\"db_name\":\"none\",\"db_version\":\"0\"}}",
             extra_merchant, (long)getpid(), ref, line + 242, quantity, line);
    return buffer;
}

/* The same with the usual notify_url. */
static inline char *order_json(int ref, int quantity) {
    return order_json_with(ref, quantity, ",\"notify_url\":\"https://shop.example/ipn\"");
}

/* The part-payment order of the POS document, with a national id whose check
 * letter is right. */
#define POS_ORDER \
    "{\"merchant\":{\"id\":\"demo\",\"store_ref\":\"store_1\"}," \
    "\"operator_ref\":\"operator@example.com\",\"reference\":\"pos_c_1\"," \
    "\"mobile_phone\":\"+34666123456\",\"given_names\":\"Mar\xc3\xad" "a\"," \
    "\"surnames\":\"Garc\xc3\xad" "a L\xc3\xb3pez\",\"date_of_birth\":\"1990-01-01\"," \
    "\"nin\":\"12345678Z\",\"address\":\"Calle Mayor 1\",\"postal_code\":\"08001\"," \
    "\"city\":\"Barcelona\",\"cart_items\":[{\"reference\":\"FRAME-001\"," \
    "\"name\":\"Designer Frame\",\"price_with_tax\":25000,\"quantity\":1}]}"

/* The sandbox's Paysera project (tests/sandbox/src/paysera). */
#define PAYSERA_MAC_ID "sandbox-mac-id"
#define PAYSERA_MAC_SECRET "sandbox-mac-secret-4f7d2c9a1b"
#define PAYSERA_BUSINESS "sandbox-business"

/* The seed's payment request, a printf format taking the business id, the
 * process id and a suffix (which make the order id unique, as the plain and
 * the sanitized runs share one sandbox), the amount and the callback URL. */
#define PAYSERA_REQUEST \
    "{\"business_id\":\"%s\",\"order_id\":\"C-%ld-%s\"," \
    "\"price\":{\"amount\":\"%s\",\"currency\":\"EUR\"}," \
    "\"description\":\"Monthly subscription\",\"method_key\":\"card\"," \
    "\"payer\":{\"email\":\"customer@example.com\"},\"locale\":\"en\"," \
    "\"accept_url\":\"https://yoursite.com/payment/success\"," \
    "\"cancel_url\":\"https://yoursite.com/payment/cancel\"," \
    "\"callback_url\":\"%s\",\"token_strategy\":\"required\"}"

/* The sandbox's checkout.com account (tests/sandbox/src/checkout_com). */
#define CHECKOUT_COM_SECRET_KEY "sk_sbox_sequrasandboxsecretkeyaaaaq"
#define CHECKOUT_COM_CHANNEL "pc_sequrasandboxchannelaaaaaa"

/* A payment setup, a printf format taking the amount in cents and the
 * process id (its reference). */
#define CHECKOUT_COM_SETUP                                                                \
    "{\"amount\":%d,\"currency\":\"EUR\",\"reference\":\"C-%ld\"," \
    "\"billing\":{\"address\":{\"address_line1\":\"C/ Mayor 1\",\"city\":\"Barcelona\"," \
    "\"state\":\"Barcelona\",\"zip\":\"08001\",\"country\":\"ES\"}}," \
    "\"settings\":{\"success_url\":\"https://shop.example/ok\"," \
    "\"failure_url\":\"https://shop.example/ko\"}}"

/* Makes `client` with `constructor` from the options JSON that the printf
 * format and arguments after it give; exits 2, saying why, when a client a
 * test needs cannot be made. */
#define MAKE_CLIENT(constructor, client, ...)                                     \
    do {                                                                          \
        char options_[4096];                                                      \
        int length_ = snprintf(options_, sizeof options_, __VA_ARGS__);           \
        if (length_ < 0 || (size_t)length_ >= sizeof options_) {                  \
            fprintf(stderr, "%s: the options do not fit %zu bytes\n",              \
                    #constructor, sizeof options_);                               \
            exit(2);                                                              \
        }                                                                         \
        if (constructor(options_, &(client)) != SQ_OK) {                          \
            fprintf(stderr, "%s: %s\n", #constructor, sq_last_error());           \
            exit(2);                                                              \
        }                                                                         \
    } while (0)

/* The sandbox as a client's options name it, its endpoint and the CA to
 * trust it with: a printf format fragment, and its two arguments. */
#define SANDBOX_ENDPOINT "\"endpoint\":\"%s\",\"ca_file\":\"%s\""
#define SANDBOX_ENDPOINT_ARGS(url) (url), sandbox_ca_file()

/* The options of the sandbox's seQura account, which the part-payment API
 * shares: a printf format taking SANDBOX_ENDPOINT_ARGS(url), the password
 * and the timeout. */
#define SEQURA_OPTIONS                                                            \
    "{" SANDBOX_ENDPOINT ",\"merchant\":\"demo\",\"username\":\"demo\","            \
    "\"password\":\"%s\",\"timeout\":%g}"

/* A client of the sandbox's seQura account. */
static inline SqClient *orders_client(const char *url, const char *password, double timeout) {
    SqClient *client = NULL;
    MAKE_CLIENT(sq_client_new, client, SEQURA_OPTIONS, SANDBOX_ENDPOINT_ARGS(url), password, timeout);
    return client;
}

/* A part-payment client of the same account. */
static inline SqPosClient *pos_client(const char *url, const char *password) {
    SqPosClient *client = NULL;
    MAKE_CLIENT(sq_pos_client_new, client, SEQURA_OPTIONS, SANDBOX_ENDPOINT_ARGS(url), password, 10.0);
    return client;
}

/* A client of the sandbox's Paysera project, with `mac_secret`. */
static inline SqPayseraClient *paysera_client(const char *url, const char *mac_secret) {
    SqPayseraClient *client = NULL;
    MAKE_CLIENT(sq_paysera_client_new, client,
                "{" SANDBOX_ENDPOINT ",\"mac_id\":\"" PAYSERA_MAC_ID "\",\"mac_secret\":\"%s\","
                "\"timeout\":10}",
                SANDBOX_ENDPOINT_ARGS(url), mac_secret);
    return client;
}

/* A client of the sandbox's checkout.com account, with `secret_key`. */
static inline SqCheckoutComClient *checkout_com_client(const char *url, const char *secret_key) {
    SqCheckoutComClient *client = NULL;
    MAKE_CLIENT(sq_checkout_com_client_new, client,
                "{\"secret_key\":\"%s\"," SANDBOX_ENDPOINT ","
                "\"processing_channel_id\":\"" CHECKOUT_COM_CHANNEL "\",\"timeout\":10}",
                secret_key, SANDBOX_ENDPOINT_ARGS(url));
    return client;
}

/* The string value of the first "key":"..." in a JSON text, copied into
 * `out`; "" when absent. Enough for the ids and statuses the tests read. */
static inline const char *json_string(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    out[0] = '\0';
    const char *start = json ? strstr(json, pattern) : NULL;
    if (start == NULL) return out;
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    size_t length = end ? (size_t)(end - start) : 0;
    if (length >= size) length = size - 1;
    memcpy(out, start, length);
    out[length] = '\0';
    return out;
}

/* The port of the sandbox's base URL (https://127.0.0.1:PORT), or -1. */
static inline int loopback_port(const char *base_url) {
    int port = 0;
    if (sscanf(base_url, "https://127.0.0.1:%d", &port) != 1) {
        return -1;
    }
    return port;
}

/* Why the last OpenSSL call on `ssl` (NULL: before one) failed, for a
 * test's output. */
static inline void print_tls_error(const char *what, const SSL *ssl) {
    long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    char error[256] = "no OpenSSL error";
    unsigned long code = ERR_get_error();
    if (code != 0) ERR_error_string_n(code, error, sizeof error);
    fprintf(stderr, "sandbox_request: %s failed: %s%s%s\n", what, error,
            verify != X509_V_OK ? ": " : "", verify != X509_V_OK ? X509_verify_cert_error_string(verify) : "");
    ERR_clear_error();
}

/* Sends `method path` with the JSON `body` (NULL for none) to the sandbox
 * at `base_url` (loopback only), as its control endpoints take them.
 * Returns the HTTP status, or -1; when `answer` is not NULL it receives the
 * raw answer, head and body, cut to `size`.
 *
 * The control endpoints are no part of the library's API, so this speaks
 * HTTPS itself, with OpenSSL, and verifies as the library does: the
 * sandbox's CA (SEQURA_CA_FILE) alone, and its name, 127.0.0.1. One
 * connection a request: a program makes a handful. */
static inline int sandbox_request(const char *base_url, const char *method, const char *path,
                                  const char *body, char *answer, size_t size) {
    int port = loopback_port(base_url);
    if (port < 0) return -1;
    int status = -1;
    char reply[8192] = {0};
    char request[2048];
    const char *content = body ? body : "";
    int n = snprintf(request, sizeof request,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     method, path, port, strlen(content), content);
    if (n <= 0 || (size_t)n >= sizeof request) return -1;

    SSL_CTX *tls = SSL_CTX_new(TLS_client_method());
    SSL *ssl = NULL;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (tls == NULL || SSL_CTX_load_verify_locations(tls, sandbox_ca_file(), NULL) != 1) {
        print_tls_error("reading the CA in SEQURA_CA_FILE", NULL);
    } else if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("sandbox_request: connect");
    } else {
        SSL_CTX_set_verify(tls, SSL_VERIFY_PEER, NULL);
        ssl = SSL_new(tls);
        if (ssl == NULL || X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1") != 1 ||
            SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1) {
            print_tls_error("the TLS handshake", ssl);
        } else if (SSL_write(ssl, request, n) != n) {
            print_tls_error("writing the request", ssl);
        } else {
            size_t got = 0;
            int r;
            while (got < sizeof reply - 1 && (r = SSL_read(ssl, reply + got, (int)(sizeof reply - 1 - got))) > 0) {
                got += (size_t)r;
            }
            ERR_clear_error(); /* the sandbox may close without close_notify */
            sscanf(reply, "HTTP/1.1 %d", &status);
        }
    }
    SSL_free(ssl);
    SSL_CTX_free(tls);
    if (fd >= 0) close(fd);
    if (answer != NULL && size > 0) {
        snprintf(answer, size, "%s", reply);
    }
    return status;
}

/* The body of a raw answer sandbox_request wrote. */
static inline const char *body_of(const char *answer) {
    const char *start = strstr(answer, "\r\n\r\n");
    return start ? start + 4 : "";
}

/* POSTs an empty body to `path` on the sandbox; returns the HTTP status. */
static inline int sandbox_post(const char *base_url, const char *path) {
    return sandbox_request(base_url, "POST", path, NULL, NULL, 0);
}

/* A listening socket on a free loopback port, whose number goes to
 * `*port`; -1 when none can be opened. */
static inline int listen_loopback(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(address.sin_port);
    return fd;
}

/* Approves the order at `uri` as the shopper completing the form would,
 * waiting for the IPN; returns the HTTP status, or -1. */
static inline int approve(const char *base_url, const char *uri) {
    const char *uuid = uri ? strrchr(uri, '/') : NULL;
    if (uuid == NULL) return -1;
    char path[256];
    snprintf(path, sizeof path, "/sandbox/orders%s/approve?wait=true", uuid);
    return sandbox_post(base_url, path);
}

#endif
