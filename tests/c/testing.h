/*
 * What the C test programs share: the CHECK macros and their counts, a
 * client of each of the sandbox's accounts, a valid document for each
 * API, and a POST to the sandbox's control endpoints (the shopper
 * approving, seQura cancelling). Everything is static inline, so a program that does not use
 * a helper compiles clean under -Wall -Wextra -Werror.
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

/* The sandbox's URL from SEQURA_SANDBOX_URL; exits 2 when it is not set. */
static inline const char *sandbox_url(void) {
    const char *url = getenv("SEQURA_SANDBOX_URL");
    if (url == NULL || *url == '\0') {
        fprintf(stderr, "SEQURA_SANDBOX_URL is not set; scripts/test.sh starts the sandbox\n");
        exit(2);
    }
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

/* The part-payment order of seeds/002, with a national id whose check
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
        char options_[512];                                                       \
        snprintf(options_, sizeof options_, __VA_ARGS__);                         \
        if (constructor(options_, &(client)) != SQ_OK) {                          \
            fprintf(stderr, "%s: %s\n", #constructor, sq_last_error());           \
            exit(2);                                                              \
        }                                                                         \
    } while (0)

/* The options of the sandbox's seQura account, which the part-payment API
 * shares: a printf format taking the URL, the password and the timeout. */
#define SEQURA_OPTIONS                                                            \
    "{\"endpoint\":\"%s\",\"merchant\":\"demo\",\"username\":\"demo\","               \
    "\"password\":\"%s\",\"timeout\":%g}"

/* A client of the sandbox's seQura account. */
static inline SqClient *orders_client(const char *url, const char *password, double timeout) {
    SqClient *client = NULL;
    MAKE_CLIENT(sq_client_new, client, SEQURA_OPTIONS, url, password, timeout);
    return client;
}

/* A part-payment client of the same account. */
static inline SqPosClient *pos_client(const char *url, const char *password) {
    SqPosClient *client = NULL;
    MAKE_CLIENT(sq_pos_client_new, client, SEQURA_OPTIONS, url, password, 10.0);
    return client;
}

/* A client of the sandbox's Paysera project, with `mac_secret`. */
static inline SqPayseraClient *paysera_client(const char *url, const char *mac_secret) {
    SqPayseraClient *client = NULL;
    MAKE_CLIENT(sq_paysera_client_new, client,
                "{\"endpoint\":\"%s\",\"mac_id\":\"" PAYSERA_MAC_ID "\",\"mac_secret\":\"%s\","
                "\"timeout\":10}",
                url, mac_secret);
    return client;
}

/* A client of the sandbox's checkout.com account, with `secret_key`. */
static inline SqCheckoutComClient *checkout_com_client(const char *url, const char *secret_key) {
    SqCheckoutComClient *client = NULL;
    MAKE_CLIENT(sq_checkout_com_client_new, client,
                "{\"secret_key\":\"%s\",\"endpoint\":\"%s\","
                "\"processing_channel_id\":\"" CHECKOUT_COM_CHANNEL "\",\"timeout\":10}",
                secret_key, url);
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

/* The port of a loopback base URL (http://127.0.0.1:PORT), or -1. */
static inline int loopback_port(const char *base_url) {
    int port = 0;
    if (sscanf(base_url, "http://127.0.0.1:%d", &port) != 1 &&
        sscanf(base_url, "http://localhost:%d", &port) != 1) {
        return -1;
    }
    return port;
}

/* Sends `method path` with the JSON `body` (NULL for none) to the sandbox
 * at `base_url` (loopback only), as its control endpoints take them.
 * Returns the HTTP status, or -1; when `answer` is not NULL it receives the
 * raw answer, head and body, cut to `size`. */
static inline int sandbox_request(const char *base_url, const char *method, const char *path,
                                  const char *body, char *answer, size_t size) {
    int port = loopback_port(base_url);
    int fd = port < 0 ? -1 : socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = -1;
    char reply[8192] = {0};
    if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
        char request[2048];
        const char *content = body ? body : "";
        int n = snprintf(request, sizeof request,
                         "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                         "Connection: close\r\n\r\n%s",
                         method, path, strlen(content), content);
        if (n > 0 && (size_t)n < sizeof request && write(fd, request, (size_t)n) == n) {
            size_t got = 0;
            ssize_t r;
            while (got < sizeof reply - 1 && (r = read(fd, reply + got, sizeof reply - 1 - got)) > 0) {
                got += (size_t)r;
            }
            sscanf(reply, "HTTP/1.1 %d", &status);
        }
    }
    close(fd);
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
