/*
 * The seQura checkout through the C ABI, against the bundled sandbox:
 * the happy path and every way the boundary reports failure. Each check
 * prints one line; the last line is "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL (https://127.0.0.1:PORT) and SEQURA_CA_FILE, as
 * scripts/test.sh exports them. Credentials: merchant "demo", user "demo",
 * "demo-password".
 */
#include "testing.h"

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void happy_path(const char *url) {
    SqClient *client = orders_client(url, PASSWORD, 10);
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(1, 2), &uri), SQ_OK,
                 "start answers the order URI");
    CHECK(uri != NULL && strncmp(uri, url, strlen(url)) == 0, "the order URI is under the endpoint");
    if (uri == NULL) {
        sq_client_free(client);
        return;
    }

    char *html = NULL;
    CHECK_STATUS(sq_orders_form(client, uri, "{\"product\":\"i1\",\"ajax\":false}", &html),
                 SQ_OK, "the identification form is fetched");
    CHECK(html != NULL && strstr(html, "sq-identification") != NULL, "the form is seQura's");
    CHECK(approve(url, uri) == 200, "the sandbox approves the order");
    CHECK_STATUS(sq_orders_confirm(client, uri, order_json(1, 2)), SQ_OK, "confirm succeeds");
    CHECK(strcmp(sq_last_error(), "") == 0 &&
              strcmp(sq_last_error_json(), "{}") == 0,
          "success clears the last error");
    sq_string_free(html);
    sq_string_free(uri);
    sq_client_free(client);
}

static void validation(const char *url) {
    SqClient *client = orders_client(url, PASSWORD, 10);
    char *problems = NULL;
    CHECK_STATUS(sq_orders_validate(client, order_json(6, 1), &problems), SQ_OK,
                 "a valid order is read");
    CHECK(problems != NULL && strcmp(problems, "[]") == 0, "a valid order has no problems");
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
    CHECK_STATUS(sq_orders_validate(client, order, &problems), SQ_OK, "an invalid order is read");
    CHECK(problems != NULL && strstr(problems, "\"path\":\"cart.items[0].quantity\"") != NULL &&
              strstr(problems, "\"path\":\"customer.emial\"") != NULL &&
              strstr(problems, "is 5097 but cart.items[].total_with_tax add up to 3272") != NULL,
          "every problem is named by its path");
    sq_string_free(problems);

    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order, &uri), SQ_ERR_INVALID_INPUT,
                 "start refuses an invalid order before sending");
    CHECK(uri == NULL, "no output on failure");
    const char *details = sq_last_error_json();
    CHECK(strstr(details, "\"problems\":[") != NULL && strstr(details, "customer.emial") != NULL &&
              strstr(details, "\"may_have_acted\":false") != NULL,
          "the problems are in the details");

    /* A million values, more than any document these APIs take: refused as
     * the JSON is read, with one problem, before it is built or checked. */
    size_t values = 1000000;
    char *huge = malloc(2 * values + 2);
    if (huge != NULL) {
        huge[0] = '[';
        for (size_t i = 0; i < values; i++) {
            huge[1 + 2 * i] = '0';
            huge[2 + 2 * i] = i + 1 < values ? ',' : ']';
        }
        huge[2 * values + 1] = '\0';
        problems = NULL;
        CHECK_STATUS(sq_orders_validate(client, huge, &problems), SQ_ERR_INVALID_INPUT,
                     "a million values are refused");
        CHECK(problems == NULL, "no output on failure");
        details = sq_last_error_json();
        CHECK(strstr(details, "\"path\":\"order_json\"") != NULL &&
                  strstr(details, "more than 100000 values") != NULL,
              "the one problem names the argument and the bound");
        free(huge);
    }
    sq_client_free(client);
}

static void wrong_password(const char *url) {
    SqClient *client = orders_client(url, "not-" PASSWORD, 10);
    char *uri = NULL;
    SqStatus status = sq_orders_start(client, order_json(2, 1), &uri);
    CHECK(status == SQ_ERR_AUTHENTICATION, "a wrong password is SQ_ERR_AUTHENTICATION");
    CHECK(uri == NULL, "no output on failure");
    CHECK(strstr(sq_last_error(), PASSWORD) == NULL &&
              strstr(sq_last_error_json(), PASSWORD) == NULL,
          "neither the message nor the details hold the password");
    CHECK(strstr(sq_last_error(), "check the credentials (username and password") != NULL,
          "the message says what to do");
    CHECK(strstr(sq_last_error_json(), "\"status\":401") != NULL &&
              strstr(sq_last_error_json(), "\"kind\":\"authentication\"") != NULL,
          "the details carry the kind and the HTTP status");
    CHECK(strcmp(sq_status_name(status), "SQ_ERR_AUTHENTICATION") == 0, "statuses have names");
    sq_client_free(client);
}

static void changed_cart(const char *url) {
    SqClient *client = orders_client(url, PASSWORD, 10);
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(3, 1), &uri), SQ_OK,
                 "a second order is started");
    CHECK(approve(url, uri) == 200, "and approved");
    CHECK_STATUS(sq_orders_confirm(client, uri ? uri : "", order_json(3, 2)), SQ_ERR_CONFLICT,
                 "confirm of a changed cart is SQ_ERR_CONFLICT");
    const char *details = sq_last_error_json();
    CHECK(strstr(details, "\"kind\":\"conflict\"") != NULL && strstr(details, "\"status\":409") != NULL &&
              strstr(details, "\"errors\":[") != NULL && strstr(details, "cart.items[0].quantity") != NULL,
          "the server's errors are in the details");
    sq_string_free(uri);
    sq_client_free(client);
}

static void unknown_order(const char *url) {
    SqClient *client = orders_client(url, PASSWORD, 10);
    char unknown[256];
    snprintf(unknown, sizeof unknown, "%s/orders/00000000-0000-4000-8000-000000000000", url);
    char *html = NULL;
    CHECK_STATUS(sq_orders_form(client, unknown, NULL, &html), SQ_ERR_NOT_FOUND,
                 "an unknown order URI is SQ_ERR_NOT_FOUND");
    CHECK(html == NULL, "no output on failure");
    CHECK(strstr(sq_last_error_json(), "\"status\":404") != NULL,
          "the details carry the 404");
    CHECK_STATUS(sq_orders_confirm(client, unknown, order_json(7, 1)), SQ_ERR_NOT_FOUND,
                 "confirming an unknown order is SQ_ERR_NOT_FOUND");
    sq_client_free(client);
}

/* A loopback URL where nothing listens: port 1. A port bound and closed
 * refuses connections too, but a server of a test running beside this one
 * can be given it at once. */
static const char NOTHING_LISTENS[] = "http://127.0.0.1:1";

static void sandbox_not_running(void) {
    const char *url = NOTHING_LISTENS;
    SqClient *client = orders_client(url, PASSWORD, 2);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(4, 1), &uri), SQ_ERR_TRANSPORT,
                 "no server is SQ_ERR_TRANSPORT");
    double elapsed = seconds_since(&start);
    CHECK(elapsed < 5.0, "within the configured timeout of 2 s");
    CHECK(uri == NULL, "no output on failure");
    CHECK(strstr(sq_last_error_json(), "\"kind\":\"transport\"") != NULL &&
              strstr(sq_last_error_json(), "\"may_have_acted\":false") != NULL &&
              !sq_last_error_may_have_acted(),
          "a refused connection sent nothing");
    sq_client_free(client);
}

static void bad_arguments(const char *url) {
    SqClient *client = orders_client(url, PASSWORD, 10);
    char *out = NULL;
    CHECK_STATUS(sq_orders_start(client, NULL, &out), SQ_ERR_INVALID_ARGUMENT,
                 "a NULL order is refused");
    CHECK(strcmp(sq_last_error(), "order_json is NULL") == 0, "the message names it");
    CHECK_STATUS(sq_orders_start(client, order_json(5, 1), NULL), SQ_ERR_INVALID_ARGUMENT,
                 "a NULL output is refused before sending");
    CHECK(strcmp(sq_last_error(), "out_uri is NULL") == 0, "the message names the output");
    CHECK(sq_orders_start(NULL, order_json(5, 1), &out) == SQ_ERR_INVALID_ARGUMENT,
          "a NULL client is refused");
    CHECK(strcmp(sq_last_error(), "client is NULL") == 0 &&
              strstr(sq_last_error_json(), "\"kind\":\"invalid_argument\"") != NULL,
          "the last error names the NULL client");
    CHECK_STATUS(sq_orders_confirm(client, NULL, order_json(5, 1)), SQ_ERR_INVALID_ARGUMENT,
                 "a NULL order URI is refused");
    CHECK_STATUS(sq_orders_form(client, "x", NULL, NULL), SQ_ERR_INVALID_ARGUMENT,
                 "a NULL form output is refused");

    const char bad_utf8[] = {'{', '"', (char)0xff, '"', ':', '1', '}', 0};
    CHECK_STATUS(sq_orders_start(client, bad_utf8, &out), SQ_ERR_INVALID_ARGUMENT,
                 "a bad UTF-8 order is refused");
    CHECK(strstr(sq_last_error(), "order_json is not valid UTF-8") != NULL,
          "the message names it");
    const char bad_uri[] = {'a', (char)0xc3, 'b', 0};
    CHECK_STATUS(sq_orders_form(client, bad_uri, NULL, &out), SQ_ERR_INVALID_ARGUMENT,
                 "a bad UTF-8 order URI is refused");
    CHECK_STATUS(sq_orders_confirm(client, "x", bad_utf8), SQ_ERR_INVALID_ARGUMENT,
                 "a bad UTF-8 order to confirm is refused");

    CHECK_STATUS(sq_orders_start(client, "{\"cart\": ", &out), SQ_ERR_INVALID_ARGUMENT,
                 "bad JSON is refused");
    CHECK(strstr(sq_last_error(), "order_json is not valid JSON") != NULL &&
              strstr(sq_last_error(), "line 1 column") != NULL,
          "the message says where the JSON breaks");
    CHECK(strstr(sq_last_error_json(), "\"kind\":\"invalid_argument\"") != NULL,
          "the details say invalid_argument");
    CHECK_STATUS(sq_orders_form(client, "x", "{\"prodcut\":\"i1\"}", &out),
                 SQ_ERR_INVALID_INPUT, "an unknown form option is refused as invalid input");
    CHECK(strstr(sq_last_error(), "options.prodcut") != NULL, "the message names the option");
    CHECK(strstr(sq_last_error_json(), "\"problems\":[{") != NULL &&
              strstr(sq_last_error_json(), "\"path\":\"options.prodcut\"") != NULL,
          "the details list it as a problem, as every document's are");
    CHECK(out == NULL, "no output after any of these");
    sq_client_free(client);
    sq_client_free(NULL);
    sq_string_free(NULL);
}

static void bad_options(void) {
    SqClient *none = NULL;
    CHECK(sq_client_new("{\"endpoint\": \"sandbox\",", &none) == SQ_ERR_INVALID_ARGUMENT,
          "options that are not JSON are refused");
    CHECK(none == NULL && strstr(sq_last_error(), "options_json is not valid JSON") != NULL &&
              strstr(sq_last_error(), "line 1 column") != NULL,
          "the last error says where the JSON breaks");

    CHECK(sq_client_new("{\"endpoint\":\"sandbox\",\"pasword\":\"x\"}", &none) == SQ_ERR_CONFIG,
          "an unknown option is SQ_ERR_CONFIG");
    CHECK(none == NULL && strstr(sq_last_error(), "pasword") != NULL &&
              strstr(sq_last_error_json(), "\"kind\":\"config\"") != NULL,
          "the last error names the bad option");

    /* A ':' or a line end in the username is usually user:password pasted
       whole: the problem says where, never quoting it. */
    CHECK(sq_client_new("{\"endpoint\":\"sandbox\",\"merchant\":\"m\",\"username\":\"shop:S3CR3T\","
                        "\"password\":\"x\"}",
                        &none) == SQ_ERR_CONFIG &&
              none == NULL && strstr(sq_last_error(), "username has a ':' at byte 4") != NULL &&
              strstr(sq_last_error(), "S3CR3T") == NULL && strstr(sq_last_error_json(), "S3CR3T") == NULL,
          "a username with a password pasted in is SQ_ERR_CONFIG, never showing the password");

    CHECK(sq_client_new(NULL, &none) == SQ_ERR_INVALID_ARGUMENT &&
              strcmp(sq_last_error(), "options_json is NULL") == 0,
          "NULL options are refused");
    CHECK(sq_client_new("{}", NULL) == SQ_ERR_INVALID_ARGUMENT &&
              strcmp(sq_last_error(), "out_client is NULL") == 0,
          "a NULL out_client is refused");
    CHECK(strcmp(sq_status_name(SQ_ERR_INTERNAL), "SQ_ERR_INTERNAL") == 0 &&
              strcmp(sq_status_name(SQ_ERR_TLS), "SQ_ERR_TLS") == 0 &&
              strcmp(sq_status_name(999), "SQ_UNKNOWN") == 0,
          "every number has a name, unknown ones too");
}

int main(void) {
    CHECK(strcmp(sq_version(), SEQURA_VERSION) == 0, "the library is the version its header describes");
    const char *url = sandbox_url();
    happy_path(url);
    validation(url);
    wrong_password(url);
    changed_cart(url);
    unknown_order(url);
    sandbox_not_running();
    bad_arguments(url);
    bad_options();
    return finish();
}
