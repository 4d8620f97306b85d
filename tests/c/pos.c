/*
 * The part-payment (POS) orders API through the C ABI, against the bundled
 * sandbox: create an order, text the customer, cancel it (at once, or as a
 * request once the customer signed), and every documented refusal as its
 * status with the server's message. Each check prints one line; the last
 * line is "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL (https://127.0.0.1:PORT) and SEQURA_CA_FILE, as
 * scripts/test.sh exports them. Credentials: merchant "demo", user "demo",
 * "demo-password".
 */
#include "testing.h"

/* The top-level "id" of a cart, or 0. */
static uint64_t id_of(const char *cart) {
    const char *at = cart ? strstr(cart, "\"id\":") : NULL;
    return at ? strtoull(at + 5, NULL, 10) : 0;
}

/* Sends a request to one of the sandbox's control endpoints (loopback
 * only); writes up to `size` bytes of the answer to `answer` when it is
 * not NULL and returns the HTTP status, or -1. */
static int control(const char *base_url, const char *method, const char *path, const char *body,
                   char *answer, size_t size) {
    char full[512];
    char reply[8192];
    snprintf(full, sizeof full, "/sandbox/pos%s", path);
    int status = sandbox_request(base_url, method, full, body, reply, sizeof reply);
    if (answer != NULL && size > 0) {
        snprintf(answer, size, "%s", body_of(reply));
    }
    return status;
}

/* An order made elsewhere in seQura; its id, or 0. */
static uint64_t seed_order(const char *url, const char *how) {
    char answer[2048];
    if (control(url, "POST", "/orders", how, answer, sizeof answer) != 201) return 0;
    return id_of(answer);
}

static int sign(const char *url, uint64_t id) {
    char path[64];
    snprintf(path, sizeof path, "/orders/%" PRIu64 "/sign", id);
    return control(url, "POST", path, NULL, NULL, 0);
}

static void created_texted_and_cancelled(const char *url) {
    SqPosClient *client = pos_client(url, PASSWORD);
    char *cart = NULL;
    CHECK_STATUS(sq_pos_orders_create(client, POS_ORDER, &cart), SQ_OK,
                 "create answers the cart");
    uint64_t id = id_of(cart);
    CHECK(id > 0, "the cart has an id");
    CHECK(cart && strstr(cart, "\"status\":\"pending\"") && strstr(cart, "\"total_with_tax\":\"250.00\"") &&
              strstr(cart, "\"can_resend_sms\":true"),
          "the cart is pending, totals 250.00 and may be texted");

    char *message = NULL;
    CHECK_STATUS(sq_pos_orders_send_sms(client, id, NULL, &message), SQ_OK,
                 "the SMS goes to the order's number");
    CHECK(message && strcmp(message, "SMS sent successfully") == 0, "with the server's message");
    sq_string_free(message);
    message = NULL;
    CHECK_STATUS(sq_pos_orders_send_sms(client, id, "+34699000111", &message), SQ_OK,
                 "the SMS goes to another number");
    sq_string_free(message);
    message = NULL;
    CHECK_STATUS(sq_pos_orders_send_sms(client, id, "699 000 111", &message), SQ_ERR_INVALID_INPUT,
                 "a number with spaces is refused before sending");
    CHECK(message == NULL && strstr(sq_last_error_json(), "\"path\":\"mobile_phone\"") != NULL,
          "the problem names mobile_phone");

    char *read = NULL;
    CHECK_STATUS(sq_pos_orders_get(client, id, &read), SQ_OK, "the order is read");
    CHECK(read && strstr(read, "\"sms_mobile_phone\":\"+34699000111\"") != NULL,
          "it keeps the number the SMS went to");
    sq_string_free(read);

    char *result = NULL;
    CHECK_STATUS(sq_pos_orders_cancel(client, id, &result), SQ_OK, "a pending order is cancelled");
    CHECK(result && strstr(result, "\"outcome\":\"cancelled\"") && strstr(result, "\"status\":\"cancelled\""),
          "at once");
    CHECK(strcmp(sq_last_error(), "") == 0 &&
              strcmp(sq_last_error_json(), "{}") == 0,
          "success clears the last error");
    sq_string_free(result);
    result = NULL;

    CHECK_STATUS(sq_pos_orders_cancel(client, id, &result), SQ_ERR_UNPROCESSABLE,
                 "cancelling it again is SQ_ERR_UNPROCESSABLE");
    const char *details = sq_last_error_json();
    CHECK(result == NULL && strstr(details, "\"status\":422") &&
              strstr(details, "Order is not in a cancellable status (cancelled)"),
          "with the server's message");
    sq_string_free(cart);
    sq_pos_client_free(client);
}

static void signed_order_cancellation_is_requested(const char *url) {
    SqPosClient *client = pos_client(url, PASSWORD);
    char *cart = NULL;
    CHECK_STATUS(sq_pos_orders_create(client, POS_ORDER, &cart), SQ_OK, "a second order is created");
    uint64_t id = id_of(cart);
    CHECK(sign(url, id) == 200, "the customer signs");
    char *message = NULL;
    CHECK_STATUS(sq_pos_orders_send_sms(client, id, NULL, &message), SQ_ERR_UNPROCESSABLE,
                 "a signed order is not texted again");
    CHECK(message == NULL && strstr(sq_last_error(), "the order is confirmed") != NULL,
          "the server says why");
    char *result = NULL;
    CHECK_STATUS(sq_pos_orders_cancel(client, id, &result), SQ_OK, "a confirmed order is cancelled");
    CHECK(result && strstr(result, "\"outcome\":\"cancellation_requested\"") &&
              strstr(result, "\"status\":\"confirmed\""),
          "as a request to the financing provider");
    sq_string_free(result);
    sq_string_free(cart);
    sq_pos_client_free(client);
}

static void refusals(const char *url) {
    SqPosClient *wrong = pos_client(url, "not-" PASSWORD);
    char *out = NULL;
    CHECK_STATUS(sq_pos_orders_create(wrong, POS_ORDER, &out), SQ_ERR_AUTHENTICATION,
                 "a wrong password is SQ_ERR_AUTHENTICATION");
    CHECK(strstr(sq_last_error(), "HTTP Basic: Access denied") != NULL &&
              strstr(sq_last_error(), "denied.") == NULL &&
              strstr(sq_last_error(), PASSWORD) == NULL &&
              strstr(sq_last_error_json(), PASSWORD) == NULL,
          "with the server's text and no password");
    sq_pos_client_free(wrong);

    SqPosClient *client = pos_client(url, PASSWORD);
    uint64_t theirs = seed_order(url, "{\"api_account\":\"another-store\"}");
    CHECK(theirs > 0, "another API account has an order");
    CHECK_STATUS(sq_pos_orders_cancel(client, theirs, &out), SQ_ERR_AUTHENTICATION,
                 "cancelling it is SQ_ERR_AUTHENTICATION");
    CHECK(strstr(sq_last_error_json(), "\"errors\":[\"API account not authorised for this order\"]"),
          "with the server's message");

    CHECK_STATUS(sq_pos_orders_send_sms(client, 99999999, NULL, &out), SQ_ERR_NOT_FOUND,
                 "an unknown order is SQ_ERR_NOT_FOUND");
    CHECK(strstr(sq_last_error_json(), "\"errors\":[\"Order not found\"]") &&
              strstr(sq_last_error_json(), "\"request_id\":"),
          "with the server's message and request id");

    uint64_t subscription = seed_order(url, "{\"status\":\"confirmed\",\"subscription_id\":77}");
    CHECK(subscription > 0, "an order belongs to a subscription");
    CHECK_STATUS(sq_pos_orders_cancel(client, subscription, &out), SQ_ERR_UNPROCESSABLE,
                 "cancelling it is SQ_ERR_UNPROCESSABLE");
    CHECK(strstr(sq_last_error(), "Order belongs to a subscription") != NULL,
          "with the server's message");

    char order[2048];
    snprintf(order, sizeof order, "%s", POS_ORDER);
    char *nin = strstr(order, "12345678Z");
    char *quantity = strstr(order, "\"quantity\":1");
    if (nin && quantity) {
        nin[2] = '-';
        memcpy(quantity, "\"quantity\":0", 12);
    }
    CHECK_STATUS(sq_pos_orders_create(client, order, &out), SQ_ERR_INVALID_INPUT,
                 "an invalid order is refused before sending");
    const char *details = sq_last_error_json();
    CHECK(strstr(details, "\"path\":\"nin\"") && strstr(details, "\"path\":\"cart_items[0].quantity\"") &&
              strstr(details, "\"may_have_acted\":false"),
          "every problem is named by its path");
    char *problems = NULL;
    CHECK_STATUS(sq_pos_orders_validate(client, order, &problems), SQ_OK, "validate reads it");
    CHECK(problems && strstr(problems, "is not an identity document number") != NULL,
          "and says what the national id should be");
    sq_string_free(problems);

    CHECK_STATUS(sq_pos_orders_create(client, NULL, &out), SQ_ERR_INVALID_ARGUMENT,
                 "a NULL order is refused");
    CHECK(strcmp(sq_last_error(), "order_json is NULL") == 0, "the message names it");
    CHECK_STATUS(sq_pos_orders_create(client, "{\"merchant\": ", &out), SQ_ERR_INVALID_ARGUMENT,
                 "bad JSON is refused");
    const char bad_utf8[] = {'+', '3', '4', (char)0xff, 0};
    CHECK_STATUS(sq_pos_orders_send_sms(client, 1, bad_utf8, &out), SQ_ERR_INVALID_ARGUMENT,
                 "a phone that is not UTF-8 is refused");
    CHECK(sq_pos_orders_cancel(NULL, 1, &out) == SQ_ERR_INVALID_ARGUMENT &&
              strcmp(sq_last_error(), "client is NULL") == 0,
          "a NULL client is refused");
    CHECK(out == NULL, "no output after any of these");
    sq_pos_client_free(client);
    sq_pos_client_free(NULL);

    SqPosClient *none = NULL;
    CHECK(sq_pos_client_new("{\"endpoint\":\"sandbox\"}", &none) == SQ_ERR_CONFIG && none == NULL &&
              strstr(sq_last_error(), "merchant") != NULL,
          "missing options are SQ_ERR_CONFIG, named in the last error");
    CHECK(sq_pos_client_new("{\"endpoint\":\"sandbox\",\"merchant\":\"m\",\"username\":\"shop\\nS3CR3T\","
                            "\"password\":\"x\"}",
                            &none) == SQ_ERR_CONFIG &&
              none == NULL && strstr(sq_last_error(), "username has a control character at byte 4") != NULL &&
              strstr(sq_last_error(), "S3CR3T") == NULL && strstr(sq_last_error_json(), "S3CR3T") == NULL,
          "a username with a line end is SQ_ERR_CONFIG, never showing what follows it");
}

int main(void) {
    const char *url = sandbox_url();
    created_texted_and_cancelled(url);
    signed_order_cancellation_is_requested(url);
    refusals(url);
    return finish();
}
