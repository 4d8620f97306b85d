/*
 * The seQura checkout through the C ABI, against the bundled sandbox:
 * the happy path and every way the boundary reports failure. Each check
 * prints one line; the last line is "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL (e.g. http://127.0.0.1:PORT), as scripts/test.sh
 * exports it. Credentials: merchant "demo", user "demo", "demo-password".
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sequra.h"

static int passed = 0;
static int failed = 0;

#define CHECK(cond, what)                                                   \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
            printf("ok   %s\n", what);                                      \
        } else {                                                            \
            failed++;                                                       \
            printf("FAIL %s (%s:%d: %s)\n", what, __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

#define PASSWORD "demo-password"

static const char *ORDER =
    "{\"state\":\"\","
    "\"merchant\":{\"id\":\"demo\",\"notify_url\":\"https://shop.example/ipn\"},"
    "\"merchant_reference\":{\"order_ref_1\":\"C-%ld-%d\"},"
    "\"cart\":{\"currency\":\"EUR\",\"gift\":false,\"order_total_with_tax\":%d,\"items\":["
    "{\"reference\":\"12-123\",\"name\":\"Leather Case\",\"price_with_tax\":3030,"
    "\"quantity\":%d,\"total_with_tax\":%d,\"downloadable\":false},"
    "{\"type\":\"handling\",\"reference\":\"seur24\",\"name\":\"SEUR 24h\",\"total_with_tax\":242}]},"
    "\"delivery_method\":{\"name\":\"SEUR24\"},"
    "\"delivery_address\":{\"given_names\":\"Ana\",\"surnames\":\"Ruiz\",\"company\":\"\","
    "\"address_line_1\":\"C/ Mayor 1\",\"address_line_2\":\"\",\"postal_code\":\"08001\","
    "\"city\":\"Barcelona\",\"country_code\":\"ES\"},"
    "\"invoice_address\":{\"given_names\":\"Ana\",\"surnames\":\"Ruiz\",\"company\":\"\","
    "\"address_line_1\":\"C/ Mayor 1\",\"address_line_2\":\"\",\"postal_code\":\"08001\","
    "\"city\":\"Barcelona\",\"country_code\":\"ES\"},"
    "\"customer\":{\"given_names\":\"Ana\",\"surnames\":\"Ruiz\",\"email\":\"ana@example.com\","
    "\"logged_in\":true,\"language_code\":\"es-ES\",\"ip_number\":\"127.0.0.1\",\"user_agent\":\"c\"},"
    "\"gui\":{\"layout\":\"desktop\"},"
    "\"platform\":{\"name\":\"c-tests\",\"version\":\"1\",\"uname\":\"linux\",\"db_name\":\"none\",\"db_version\":\"0\"}}";

/* An order whose first line has `quantity` cases. `ref` and the process id
 * keep order_ref_1 unique, as seQura requires of confirmed orders, also
 * when the plain and the sanitized runs share one sandbox. */
static char *order_json(int ref, int quantity) {
    static char buffer[4096];
    int line = 3030 * quantity;
    snprintf(buffer, sizeof buffer, ORDER, (long)getpid(), ref, line + 242, quantity, line);
    return buffer;
}

static SqClient *client_with(const char *url, const char *password, double timeout) {
    char options[512];
    snprintf(options, sizeof options,
             "{\"endpoint\":\"%s\",\"merchant\":\"demo\",\"username\":\"demo\","
             "\"password\":\"%s\",\"timeout\":%g}",
             url, password, timeout);
    SqClient *client = NULL;
    char *error = NULL;
    if (sq_client_new(options, &client, &error) != SQ_OK) {
        fprintf(stderr, "sq_client_new: %s\n", error ? error : "?");
        sq_string_free(error);
        exit(2);
    }
    return client;
}

/* POSTs to the sandbox's approval endpoint, as the shopper completing the
 * form would; returns the HTTP status, or -1. Loopback only. */
static int approve(const char *base_url, const char *uri) {
    int port = 0;
    if (sscanf(base_url, "http://127.0.0.1:%d", &port) != 1) return -1;
    const char *uuid = strrchr(uri, '/');
    if (uuid == NULL) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = -1;
    if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
        char request[512];
        int n = snprintf(request, sizeof request,
                         "POST /sandbox/orders%s/approve?wait=true HTTP/1.1\r\n"
                         "Host: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                         uuid);
        char answer[256] = {0};
        if (write(fd, request, (size_t)n) == n && read(fd, answer, sizeof answer - 1) > 0) {
            sscanf(answer, "HTTP/1.1 %d", &status);
        }
    }
    close(fd);
    return status;
}

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void happy_path(const char *url) {
    SqClient *client = client_with(url, PASSWORD, 10);
    char *uri = NULL;
    CHECK(sq_orders_start(client, order_json(1, 2), &uri) == SQ_OK, "start answers the order URI");
    CHECK(uri != NULL && strncmp(uri, url, strlen(url)) == 0, "the order URI is under the endpoint");

    char *html = NULL;
    CHECK(sq_orders_form(client, uri, "{\"product\":\"i1\",\"ajax\":false}", &html) == SQ_OK,
          "the identification form is fetched");
    CHECK(html != NULL && strstr(html, "sq-identification") != NULL, "the form is seQura's");
    CHECK(approve(url, uri) == 200, "the sandbox approves the order");
    CHECK(sq_orders_confirm(client, uri, order_json(1, 2)) == SQ_OK, "confirm succeeds");
    CHECK(strcmp(sq_client_last_error(client), "") == 0, "success clears the last error");
    sq_string_free(html);
    sq_string_free(uri);
    sq_client_free(client);
}

static void validation(const char *url) {
    SqClient *client = client_with(url, PASSWORD, 10);
    char *problems = NULL;
    CHECK(sq_orders_validate(client, order_json(6, 1), &problems) == SQ_OK && strcmp(problems, "[]") == 0,
          "a valid order has no problems");
    sq_string_free(problems);
    problems = NULL;

    /* Totals that do not add up, a typo and a quantity of zero. */
    char order[4096];
    snprintf(order, sizeof order, "%s", order_json(6, 1));
    char *total = strstr(order, "\"order_total_with_tax\":3272");
    char *quantity = strstr(order, "\"quantity\":1");
    char *email = strstr(order, "\"email\"");
    if (total && quantity && email) {
        memcpy(total, "\"order_total_with_tax\":5097", 27);
        memcpy(quantity, "\"quantity\":0", 12);
        memcpy(email, "\"emial\"", 7);
    }
    CHECK(sq_orders_validate(client, order, &problems) == SQ_OK, "an invalid order is read");
    CHECK(problems != NULL && strstr(problems, "\"path\":\"cart.items[0].quantity\"") != NULL &&
              strstr(problems, "\"path\":\"customer.emial\"") != NULL &&
              strstr(problems, "is 5097 but the items add up to 3272") != NULL,
          "every problem is named by its path");
    sq_string_free(problems);

    char *uri = NULL;
    CHECK(sq_orders_start(client, order, &uri) == SQ_ERR_INVALID_INPUT && uri == NULL,
          "start refuses an invalid order before sending");
    const char *details = sq_client_last_error_json(client);
    CHECK(strstr(details, "\"problems\":[") != NULL && strstr(details, "customer.emial") != NULL,
          "the problems are in the details");
    sq_client_free(client);
}

static void wrong_password(const char *url) {
    SqClient *client = client_with(url, "not-" PASSWORD, 10);
    char *uri = NULL;
    SqStatus status = sq_orders_start(client, order_json(2, 1), &uri);
    CHECK(status == SQ_ERR_AUTHENTICATION, "a wrong password is SQ_ERR_AUTHENTICATION");
    CHECK(uri == NULL, "no output on failure");
    CHECK(strstr(sq_client_last_error(client), "not-" PASSWORD) == NULL,
          "the message never holds the password");
    CHECK(strstr(sq_client_last_error_json(client), "\"status\":401") != NULL,
          "the details carry the HTTP status");
    CHECK(strcmp(sq_status_name(status), "SQ_ERR_AUTHENTICATION") == 0, "statuses have names");
    sq_client_free(client);
}

static void changed_cart(const char *url) {
    SqClient *client = client_with(url, PASSWORD, 10);
    char *uri = NULL;
    sq_orders_start(client, order_json(3, 1), &uri);
    approve(url, uri);
    SqStatus status = sq_orders_confirm(client, uri, order_json(3, 2));
    CHECK(status == SQ_ERR_CONFLICT, "confirm of a changed cart is SQ_ERR_CONFLICT");
    const char *details = sq_client_last_error_json(client);
    CHECK(strstr(details, "\"errors\":[") != NULL && strstr(details, "cart.items[0].quantity") != NULL,
          "the server's errors are in the details");
    sq_string_free(uri);
    sq_client_free(client);
}

static void unknown_order(const char *url) {
    SqClient *client = client_with(url, PASSWORD, 10);
    char unknown[256];
    snprintf(unknown, sizeof unknown, "%s/orders/00000000-0000-4000-8000-000000000000", url);
    char *html = NULL;
    CHECK(sq_orders_form(client, unknown, NULL, &html) == SQ_ERR_NOT_FOUND,
          "an unknown order URI is SQ_ERR_NOT_FOUND");
    CHECK(html == NULL, "no output on failure");
    sq_client_free(client);
}

static void sandbox_not_running(void) {
    /* Bind a port, then close it: nothing listens there. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&address, sizeof address);
    getsockname(fd, (struct sockaddr *)&address, &length);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(address.sin_port));

    SqClient *client = client_with(url, PASSWORD, 2);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *uri = NULL;
    CHECK(sq_orders_start(client, order_json(4, 1), &uri) == SQ_ERR_TRANSPORT,
          "no server is SQ_ERR_TRANSPORT");
    CHECK(seconds_since(&start) < 4.0, "within the configured timeout");
    CHECK(strstr(sq_client_last_error_json(client), "\"may_have_acted\":false") != NULL,
          "a refused connection sent nothing");
    sq_client_free(client);
}

static void bad_arguments(const char *url) {
    SqClient *client = client_with(url, PASSWORD, 10);
    char *uri = NULL;
    CHECK(sq_orders_start(client, NULL, &uri) == SQ_ERR_INVALID_ARGUMENT, "a NULL order is refused");
    CHECK(strstr(sq_client_last_error(client), "order_json is NULL") != NULL, "the message names it");
    CHECK(sq_orders_start(client, order_json(5, 1), NULL) == SQ_ERR_INVALID_ARGUMENT,
          "a NULL output is refused before sending");
    CHECK(sq_orders_start(NULL, order_json(5, 1), &uri) == SQ_ERR_INVALID_ARGUMENT,
          "a NULL client is refused");
    const char bad_utf8[] = {'{', '"', (char)0xff, '"', ':', '1', '}', 0};
    CHECK(sq_orders_start(client, bad_utf8, &uri) == SQ_ERR_INVALID_ARGUMENT, "bad UTF-8 is refused");
    CHECK(sq_orders_start(client, "{\"cart\": ", &uri) == SQ_ERR_INVALID_ARGUMENT, "bad JSON is refused");
    CHECK(sq_orders_form(client, "x", "{\"prodcut\":\"i1\"}", &uri) == SQ_ERR_INVALID_INPUT,
          "an unknown form option is refused");
    CHECK(uri == NULL, "no output after any of these");
    sq_client_free(client);
    sq_client_free(NULL);
    sq_string_free(NULL);

    SqClient *none = NULL;
    char *error = NULL;
    CHECK(sq_client_new("{\"endpoint\":\"sandbox\",\"pasword\":\"x\"}", &none, &error) == SQ_ERR_CONFIG,
          "bad options are SQ_ERR_CONFIG");
    CHECK(none == NULL && error != NULL && strstr(error, "pasword") != NULL,
          "the message names the bad option");
    sq_string_free(error);
    CHECK(sq_client_new(NULL, &none, NULL) == SQ_ERR_INVALID_ARGUMENT, "NULL options are refused");
    CHECK(strcmp(sq_status_name(999), "SQ_UNKNOWN") == 0, "an unknown status number is safe");
}

int main(void) {
    const char *url = getenv("SEQURA_SANDBOX_URL");
    if (url == NULL || *url == '\0') {
        fprintf(stderr, "SEQURA_SANDBOX_URL is not set; scripts/test.sh starts the sandbox\n");
        return 2;
    }
    printf("libsequra %s against %s\n", sq_version(), url);
    happy_path(url);
    validation(url);
    wrong_password(url);
    changed_cart(url);
    unknown_order(url);
    sandbox_not_running();
    bad_arguments(url);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
