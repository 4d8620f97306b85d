/*
 * Paysera Checkout through the C ABI, against the bundled sandbox: payment
 * requests created, paid, captured, authorized with a token and canceled;
 * a callback taken end to end; and how the boundary reports each error.
 * Each check prints one line; the last line is "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL (https://127.0.0.1:PORT) and SEQURA_CA_FILE, as
 * scripts/test.sh exports them. Credentials: the sandbox's PAYSERA_MAC_ID
 * and PAYSERA_MAC_SECRET, business PAYSERA_BUSINESS_ID.
 */
#include "testing.h"

/* The seed's payment request (PAYSERA_REQUEST) of this process. */
static char *request_json(const char *business, const char *order, const char *amount,
                          const char *callback_url) {
    static char buffer[2048];
    snprintf(buffer, sizeof buffer, PAYSERA_REQUEST, business, (long)getpid(), order, amount, callback_url);
    return buffer;
}

/* POSTs to the sandbox's payment page, as the shopper paying would;
 * returns the HTTP status, or -1. The callback comes on its own. */
static int pay(const char *base_url, const char *id) {
    char path[256];
    snprintf(path, sizeof path, "/sandbox/paysera/payment-requests/%s/pay", id);
    return sandbox_post(base_url, path);
}

/* The shop's callback endpoint: a loopback listener. */
static int listen_for_callbacks(char *url, size_t size) {
    int port = 0;
    int fd = listen_loopback(&port);
    if (fd >= 0) snprintf(url, size, "http://127.0.0.1:%d/paysera-callback", port);
    return fd;
}

/* Takes one callback (waiting at most 5 s), answers it 200 and copies its
 * body into `body`; returns 0, or -1. */
static int take_callback(int listener, char *body, size_t size) {
    struct pollfd ready = {listener, POLLIN, 0};
    if (poll(&ready, 1, 5000) != 1) return -1;
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) return -1;
    char request[4096];
    size_t used = 0;
    const char *start = NULL;
    long length = -1;
    while (used < sizeof request - 1) {
        struct pollfd more = {fd, POLLIN, 0};
        if (poll(&more, 1, 5000) != 1) break;
        ssize_t n = read(fd, request + used, sizeof request - 1 - used);
        if (n <= 0) break;
        used += (size_t)n;
        request[used] = '\0';
        start = strstr(request, "\r\n\r\n");
        if (start != NULL) {
            const char *header = strstr(request, "content-length:");
            if (header == NULL) header = strstr(request, "Content-Length:");
            length = header ? strtol(header + 15, NULL, 10) : 0;
            if ((long)(used - (size_t)(start + 4 - request)) >= length) break;
        }
    }
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK";
    int written = write(fd, ok, strlen(ok)) == (ssize_t)strlen(ok);
    close(fd);
    if (start == NULL || length < 0 || !written) return -1;
    snprintf(body, size, "%.*s", (int)length, start + 4);
    return 0;
}

static void payment_flow(const char *url) {
    char callback_url[128];
    int listener = listen_for_callbacks(callback_url, sizeof callback_url);
    CHECK(listener >= 0, "the shop listens for callbacks on loopback");
    if (listener < 0) return;
    SqPayseraClient *client = paysera_client(url, PAYSERA_MAC_SECRET);
    char id[128], token[128], value[128], body[512];

    char *created = NULL;
    CHECK_STATUS(sq_paysera_payment_request_create(client, request_json(PAYSERA_BUSINESS, "1", "999", callback_url),
                                                   &created),
                 SQ_OK, "a payment request is created");
    json_string(created, "id", id, sizeof id);
    CHECK(strcmp(json_string(created, "status", value, sizeof value), "new") == 0 &&
              strstr(created ? created : "", "\"authorization_url\":\"") != NULL,
          "it is new, with the URL to send the shopper to");
    sq_string_free(created);

    CHECK(pay(url, id) == 200, "the shopper pays on the payment page");
    CHECK(take_callback(listener, body, sizeof body) == 0 && strstr(body, "notification_id=") == body,
          "Paysera calls back with the notification's id only");
    char *notification = NULL;
    CHECK_STATUS(sq_paysera_callback_receive(client, body, &notification), SQ_OK,
                 "the callback is turned into the notification it names");
    CHECK(strcmp(json_string(notification, "event", value, sizeof value),
                 "payment_request.authorized") == 0,
          "the notification says the request was authorized");
    json_string(notification, "issued_token", token, sizeof token);
    CHECK(token[0] != '\0', "it carries the issued token to store");
    char note_id[128];
    json_string(notification, "id", note_id, sizeof note_id);
    sq_string_free(notification);
    notification = NULL;
    CHECK_STATUS(sq_paysera_notification_get(client, note_id, &notification), SQ_OK,
                 "the notification is read again by its id");
    CHECK(strcmp(json_string(notification, "event", value, sizeof value),
                 "payment_request.authorized") == 0,
          "it is the same notification");
    sq_string_free(notification);
    notification = NULL;
    CHECK_STATUS(sq_paysera_notification_get(client, "../payment-requests", &notification),
                 SQ_ERR_INVALID_INPUT, "an id that is not one is refused before sending");
    CHECK(notification == NULL && strstr(sq_last_error(), "notification_id") != NULL,
          "no output, and the error names notification_id");
    CHECK_STATUS(sq_paysera_notification_mark_read(client, note_id, &notification), SQ_OK,
                 "the shop marks the notification read");
    CHECK(strcmp(json_string(notification, "status", value, sizeof value), "read") == 0,
          "Paysera has it read");
    sq_string_free(notification);

    char *captured = NULL;
    CHECK_STATUS(sq_paysera_payment_request_capture(client, id, &captured), SQ_OK,
                 "the authorized request is captured");
    CHECK(strcmp(json_string(captured, "status", value, sizeof value), "captured") == 0,
          "its status is captured");
    sq_string_free(captured);

    /* A recurring payment with the stored token. */
    char *second = NULL;
    CHECK_STATUS(sq_paysera_payment_request_create(client, request_json(PAYSERA_BUSINESS, "2", "999", callback_url),
                                                   &second),
                 SQ_OK, "a second payment request is created");
    char second_id[128];
    json_string(second, "id", second_id, sizeof second_id);
    sq_string_free(second);
    char *authorized = NULL;
    CHECK_STATUS(sq_paysera_payment_request_authorize(client, second_id, token, &authorized),
                 SQ_OK, "the token authorizes it");
    CHECK(strcmp(json_string(authorized, "status", value, sizeof value), "authorized") == 0,
          "its status is authorized");
    sq_string_free(authorized);
    CHECK(take_callback(listener, body, sizeof body) == 0, "the shop is called back again");
    char *again = NULL;
    CHECK_STATUS(sq_paysera_payment_request_capture(client, second_id, &again), SQ_OK,
                 "and it is captured");
    sq_string_free(again);
    again = NULL;
    CHECK_STATUS(sq_paysera_payment_request_get(client, second_id, &again), SQ_OK,
                 "it is read back");
    CHECK(strcmp(json_string(again, "status", value, sizeof value), "captured") == 0,
          "captured, as Paysera holds it");
    sq_string_free(again);

    /* A third is canceled, after which nothing moves it. */
    char *third = NULL;
    CHECK_STATUS(sq_paysera_payment_request_create(client, request_json(PAYSERA_BUSINESS, "3", "250", callback_url),
                                                   &third),
                 SQ_OK, "a third payment request is created");
    char third_id[128];
    json_string(third, "id", third_id, sizeof third_id);
    sq_string_free(third);
    char *canceled = NULL;
    CHECK_STATUS(sq_paysera_payment_request_cancel(client, third_id, &canceled), SQ_OK,
                 "a new request is canceled");
    CHECK(strcmp(json_string(canceled, "status", value, sizeof value), "canceled") == 0,
          "its status is canceled");
    sq_string_free(canceled);
    canceled = NULL;
    CHECK_STATUS(sq_paysera_payment_request_capture(client, third_id, &canceled), SQ_ERR_CONFLICT,
                 "capturing a canceled request is SQ_ERR_CONFLICT");
    CHECK(canceled == NULL, "no output on failure");
    const char *details = sq_last_error_json();
    CHECK(strstr(details, "\"status\":409") != NULL && strstr(details, "(invalid_state)") != NULL,
          "the details carry Paysera's reason");

    char *duplicate = NULL;
    CHECK_STATUS(sq_paysera_payment_request_create(client, request_json(PAYSERA_BUSINESS, "3", "250", callback_url),
                                                   &duplicate),
                 SQ_ERR_CONFLICT, "an order_id used twice is SQ_ERR_CONFLICT");
    CHECK(strstr(sq_last_error_json(), "order_id: is already used") != NULL,
          "the details name order_id");
    sq_paysera_client_free(client);
    close(listener);
}

static void refusals(const char *url) {
    SqPayseraClient *client = paysera_client(url, PAYSERA_MAC_SECRET);
    char *out = NULL;
    CHECK_STATUS(sq_paysera_payment_request_create(
                     client, request_json("someone-elses", "4", "999", "https://yoursite.com/cb"), &out),
                 SQ_ERR_UNPROCESSABLE, "fields Paysera refuses are SQ_ERR_UNPROCESSABLE");
    const char *details = sq_last_error_json();
    CHECK(strstr(details, "\"status\":400") != NULL &&
              strstr(details, "business_id: is not a business of this client (invalid_parameter)") != NULL,
          "the details name each field Paysera refused");

    CHECK_STATUS(sq_paysera_payment_request_create(
                     client, request_json(PAYSERA_BUSINESS, "5", "9.99", "http://shop.example/cb"), &out),
                 SQ_ERR_INVALID_INPUT, "an invalid request is refused before sending");
    details = sq_last_error_json();
    CHECK(strstr(details, "\"path\":\"price.amount\"") != NULL &&
              strstr(details, "\"path\":\"callback_url\"") != NULL &&
              strstr(details, "\"may_have_acted\":false") != NULL,
          "every problem is named by its path");

    char *problems = NULL;
    CHECK_STATUS(sq_paysera_payment_request_validate(
                     client, request_json(PAYSERA_BUSINESS, "6", "0", "https://yoursite.com/cb"), &problems),
                 SQ_OK, "validate reads a request");
    CHECK(problems != NULL && strstr(problems, "\"price.amount\"") != NULL &&
              strstr(problems, "must be positive") != NULL,
          "and lists its problems");
    sq_string_free(problems);

    CHECK_STATUS(sq_paysera_payment_request_get(client, "no-such-request", &out),
                 SQ_ERR_NOT_FOUND, "an unknown payment request is SQ_ERR_NOT_FOUND");
    CHECK_STATUS(sq_paysera_callback_receive(client, "notification_id=forged", &out),
                 SQ_ERR_NOT_FOUND, "a forged callback names no notification Paysera has");
    CHECK_STATUS(sq_paysera_callback_receive(client, "event=payment_request.captured", &out),
                 SQ_ERR_INVALID_INPUT, "a callback without notification_id is refused");
    /* The body is the sender's: bytes that are not UTF-8 are its fault, not
       the caller's. */
    CHECK_STATUS(sq_paysera_callback_receive(client, "notification_id=\xff\xfe", &out),
                 SQ_ERR_INVALID_INPUT, "a callback body that is not UTF-8 is invalid input");
    CHECK(strstr(sq_last_error(), "body: is not UTF-8") != NULL, "the message says so");
    CHECK_STATUS(sq_paysera_payment_request_authorize(client, "x", NULL, &out),
                 SQ_ERR_INVALID_ARGUMENT, "a NULL token is refused");
    CHECK(strcmp(sq_last_error(), "token is NULL") == 0, "the message names it");
    /* The token is a secret (it charges the shopper again): its problems
       name it and say what is wrong, never quoting a byte of it. */
    CHECK_STATUS(sq_paysera_payment_request_authorize(client, "x", "MACSECRET-token\n", &out),
                 SQ_ERR_INVALID_INPUT, "a token copied with its line end is refused before sending");
    CHECK(strstr(sq_last_error(), "token: has a control character") != NULL &&
              strstr(sq_last_error(), "MACSECRET") == NULL && strstr(sq_last_error_json(), "MACSECRET") == NULL,
          "the message names the token, never its bytes");
    static char long_token[2048];
    memset(long_token, 'M', sizeof long_token - 1);
    CHECK_STATUS(sq_paysera_payment_request_authorize(client, "x", long_token, &out),
                 SQ_ERR_INVALID_INPUT, "a token over 1024 bytes is refused before sending");
    CHECK(strstr(sq_last_error(), "token: is 2047 bytes, longer than 1024") != NULL &&
              strstr(sq_last_error(), "MMM") == NULL && strstr(sq_last_error_json(), "MMM") == NULL,
          "the message gives its length, never its bytes");
    CHECK_STATUS(sq_paysera_payment_request_cancel(client, "x", NULL), SQ_ERR_INVALID_ARGUMENT,
                 "a NULL output is refused before sending");
    CHECK(sq_paysera_payment_request_get(NULL, "x", &out) == SQ_ERR_INVALID_ARGUMENT &&
              strcmp(sq_last_error(), "client is NULL") == 0,
          "a NULL client is refused");
    CHECK(out == NULL, "no output after any of these");
    sq_paysera_client_free(client);

    SqPayseraClient *wrong = paysera_client(url, "not-the-" PAYSERA_MAC_SECRET);
    CHECK_STATUS(sq_paysera_payment_request_get(wrong, "x", &out), SQ_ERR_AUTHENTICATION,
                 "a wrong MAC secret is SQ_ERR_AUTHENTICATION");
    CHECK(strstr(sq_last_error(), PAYSERA_MAC_SECRET) == NULL &&
              strstr(sq_last_error_json(), PAYSERA_MAC_SECRET) == NULL &&
              strstr(sq_last_error_json(), "MAC signature does not match") != NULL,
          "the details say why and never hold the secret");
    sq_paysera_client_free(wrong);
    sq_paysera_client_free(NULL);

    SqPayseraClient *none = NULL;
    CHECK(sq_paysera_client_new("{\"mac_id\":\"x\",\"mac_secert\":\"y\"}", &none) == SQ_ERR_CONFIG &&
              none == NULL && strstr(sq_last_error(), "mac_secert") != NULL,
          "an unknown option is SQ_ERR_CONFIG, named");
}

int main(void) {
    const char *url = sandbox_url();
    payment_flow(url);
    refusals(url);
    return finish();
}
