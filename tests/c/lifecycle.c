/*
 * The seQura order's life after the checkout through the C ABI, against
 * the bundled sandbox: payment methods, the form by SMS, hold, confirm,
 * references, post-sale updates, cancel, the credentials check, and the
 * notification helpers. Each check prints one line; the last line is
 * "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL and SEQURA_CA_FILE, as scripts/test.sh exports them.
 */
#include "testing.h"

/* `{"shipped_cart": ..., "unshipped_cart": ...}` with `shipped` and
 * `unshipped` cases (3030 each), the shipping (242) in the shipped cart. */
static char *carts(int shipped, int unshipped) {
    static char buffer[1024];
    snprintf(buffer, sizeof buffer,
             "{\"shipped_cart\":{\"currency\":\"EUR\",\"order_total_with_tax\":%d,\"items\":["
             "{\"reference\":\"12-123\",\"quantity\":%d,\"total_with_tax\":%d},"
             "{\"reference\":\"seur24\",\"total_with_tax\":242}]},"
             "\"unshipped_cart\":{\"currency\":\"EUR\",\"order_total_with_tax\":%d,\"items\":["
             "{\"reference\":\"12-123\",\"quantity\":%d,\"total_with_tax\":%d}]}}",
             3030 * shipped + 242, shipped, 3030 * shipped, 3030 * unshipped, unshipped,
             3030 * unshipped);
    return buffer;
}

static void life_of_an_order(const char *url) {
    SqClient *client = orders_client(url, PASSWORD, 5);
    char order[4096];
    snprintf(order, sizeof order, "%s", order_json(100, 2));
    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order, &uri), SQ_OK, "an order starts");

    char *methods = NULL;
    CHECK_STATUS(sq_orders_payment_methods(client, uri, &methods), SQ_OK,
                 "its payment methods are listed");
    CHECK(methods != NULL && strstr(methods, "\"product\":\"pp3\"") != NULL &&
              strstr(methods, "\"instalment_total\"") != NULL,
          "as products with their costs");
    sq_string_free(methods);
    methods = NULL;
    CHECK_STATUS(sq_merchant_payment_methods(client, &methods), SQ_OK,
                 "the merchant's catalogue is listed");
    CHECK(methods != NULL && strstr(methods, "\"product\":\"sp1\"") != NULL, "with every product");
    sq_string_free(methods);

    CHECK_STATUS(sq_orders_send_form(client, uri, "pp3"), SQ_OK, "the form goes by SMS");
    CHECK_STATUS(sq_orders_hold(client, uri, order), SQ_ERR_CONFLICT,
                 "a pending order cannot be held");
    CHECK(strstr(sq_last_error_json(), "only after seQura approved it") != NULL,
          "and the server says why");
    CHECK(approve(url, uri) == 200, "the shopper is approved");
    CHECK_STATUS(sq_orders_hold(client, uri, order), SQ_OK, "the shop holds it to review");
    CHECK_STATUS(sq_orders_confirm(client, uri, order), SQ_OK, "then confirms it");

    char reference[64];
    snprintf(reference, sizeof reference, "T-%ld", (long)getpid());
    char references[128];
    snprintf(references, sizeof references, "{\"order_ref_1\":\"%s\"}", reference);
    CHECK_STATUS(sq_orders_update_references(client, uri, references), SQ_OK,
                 "its reference is updated");
    CHECK_STATUS(sq_orders_update_references(client, uri, "{\"order_ref_2\":\"x\"}"),
                 SQ_ERR_INVALID_INPUT, "a reference update without order_ref_1 is refused");

    CHECK_STATUS(sq_orders_update(client, reference, carts(1, 1)), SQ_OK,
                 "one case ships, one waits");
    CHECK_STATUS(sq_orders_update(client, reference, carts(2, 1)), SQ_ERR_CONFLICT,
                 "a case cannot be added after confirmation");
    CHECK(strstr(sq_last_error_json(), "items cannot be added") != NULL,
          "and the server says why");
    CHECK_STATUS(sq_orders_update(client, reference, carts(0, 1)), SQ_OK,
                 "the shipped case is refunded");
    CHECK_STATUS(sq_orders_update(client, reference, carts(0, 0)), SQ_OK,
                 "the waiting case is cancelled");
    CHECK_STATUS(sq_orders_update(client, reference,
                                  "{\"shipped_cart\":{\"currency\":\"EUR\",\"order_total_with_tax\":1,"
                                  "\"items\":[]}}"),
                 SQ_ERR_INVALID_INPUT, "carts that do not add up are refused before sending");
    CHECK(strstr(sq_last_error_json(), "\"path\":\"shipped_cart.order_total_with_tax\"") != NULL,
          "naming the field");
    CHECK_STATUS(sq_orders_update(client, "NOPE-1", carts(0, 0)), SQ_ERR_NOT_FOUND,
                 "an unknown reference is not found");
    sq_string_free(uri);

    uri = NULL;
    snprintf(order, sizeof order, "%s", order_json(101, 1));
    CHECK_STATUS(sq_orders_start(client, order, &uri), SQ_OK, "another order starts");
    CHECK_STATUS(sq_orders_cancel(client, uri, order), SQ_OK,
                 "and is cancelled before confirmation");
    CHECK_STATUS(sq_orders_confirm(client, uri, order), SQ_ERR_CONFLICT,
                 "a cancelled order cannot be confirmed");
    sq_string_free(uri);

    CHECK_STATUS(sq_client_check_credentials(client), SQ_OK, "the credentials work");
    sq_client_free(client);
    client = orders_client(url, "wrong", 5);
    CHECK_STATUS(sq_client_check_credentials(client), SQ_ERR_AUTHENTICATION,
                 "a wrong password is reported by the credentials check");
    sq_client_free(client);
}

/* The legacy POS confirm: an in-store order without URLs, confirmed by the
 * counter once the shopper is approved, then given the ticket's reference. */
static void legacy_pos_confirm(const char *url) {
    char options[512];
    snprintf(options, sizeof options,
             "{" SANDBOX_ENDPOINT ",\"merchant\":\"demo\",\"username\":\"demo\","
             "\"password\":\"%s\",\"flow\":\"pos_legacy\"}",
             SANDBOX_ENDPOINT_ARGS(url), PASSWORD);
    SqClient *client = NULL;
    CHECK(sq_client_new(options, &client) == SQ_OK, "a client for the legacy POS flow");
    if (client == NULL) return;

    char *uri = NULL;
    CHECK_STATUS(sq_orders_start(client, order_json(200, 1), &uri), SQ_ERR_INVALID_INPUT,
                 "an order with a notify_url is refused in this flow");
    CHECK(strstr(sq_last_error_json(), "merchant.notify_url") != NULL, "naming it");

    char order[4096];
    snprintf(order, sizeof order, "%s", order_json_with(201, 1, ""));
    CHECK_STATUS(sq_orders_start(client, order, &uri), SQ_OK, "an in-store order starts");
    CHECK(approve(url, uri) == 200, "the shopper is approved");
    CHECK_STATUS(sq_orders_confirm(client, uri, order), SQ_OK, "the counter confirms it");
    char references[128];
    snprintf(references, sizeof references, "{\"order_ref_1\":\"TICKET-%ld\"}", (long)getpid());
    CHECK_STATUS(sq_orders_update_references(client, uri, references), SQ_OK,
                 "and sends the ticket's reference");
    sq_string_free(uri);

    uri = NULL;
    snprintf(order, sizeof order, "%s", order_json_with(202, 1, ""));
    CHECK_STATUS(sq_orders_start(client, order, &uri), SQ_OK, "a second order starts");
    CHECK(approve(url, uri) == 200, "is approved");
    CHECK_STATUS(sq_orders_confirm(client, uri, order), SQ_OK, "and confirmed");
    CHECK_STATUS(sq_orders_update_references(client, uri, references), SQ_ERR_CONFLICT,
                 "the same ticket reference twice is a conflict");
    CHECK(strstr(sq_last_error_json(), "already used by another confirmed order") != NULL,
          "that says the reference is taken");
    sq_string_free(uri);
    sq_client_free(client);
}

static void notifications(void) {
    const char *secret = "a-long-random-shop-secret";
    char *signature = NULL;
    CHECK(sq_notification_sign(secret, "C-9", &signature) == SQ_OK && signature != NULL,
          "the shop signs its cart id");
    char body[512];
    snprintf(body, sizeof body,
             "order_ref=u-1&product_code=i1&sq_state=approved&order_ref_1=R-1"
             "&approved_since=1&cart=C-9&signature=%s",
             signature != NULL ? signature : "");
    sq_string_free(signature);
    signature = NULL;
    CHECK(sq_notification_sign(secret, "", &signature) == SQ_ERR_INVALID_INPUT && signature == NULL &&
              strstr(sq_last_error(), "identity: is empty") != NULL,
          "an empty identity, whose signature would vouch for any IPN, is not signed");

    char *ipn = NULL;
    CHECK(sq_ipn_read((const uint8_t *)body, strlen(body), secret, "cart", &ipn) == SQ_OK,
          "a signed IPN is read");
    CHECK(ipn != NULL && strstr(ipn, "\"sq_state\":\"approved\"") != NULL &&
              strstr(ipn, "\"order_ref\":\"u-1\"") != NULL,
          "into its fields");
    sq_string_free(ipn);

    const char *forged = "order_ref=u-1&product_code=i1&sq_state=approved&cart=C-9&signature=AAAA";
    ipn = NULL;
    CHECK(sq_ipn_read((const uint8_t *)forged, strlen(forged), secret, "cart", &ipn) ==
              SQ_ERR_BAD_SIGNATURE,
          "a forged IPN is SQ_ERR_BAD_SIGNATURE");
    CHECK(ipn == NULL && strstr(sq_last_error(), "answer 404") != NULL &&
              strstr(sq_last_error_json(), "\"kind\":\"bad_signature\"") != NULL,
          "with no output and advice to answer 404");
    CHECK(sq_ipn_read(NULL, 0, secret, "cart", &ipn) == SQ_ERR_INVALID_INPUT,
          "an empty body is SQ_ERR_INVALID_INPUT");
    CHECK(sq_ipn_read(NULL, 5, secret, "cart", &ipn) == SQ_ERR_INVALID_ARGUMENT && ipn == NULL &&
              strcmp(sq_last_error(), "body is NULL") == 0,
          "a NULL body with a length is SQ_ERR_INVALID_ARGUMENT, named, never read");
    CHECK(sq_ipn_read((const uint8_t *)body, strlen(body), "a-long-random-shop-secret\r\n", "cart", &ipn) ==
                  SQ_ERR_CONFIG &&
              strstr(sq_last_error(), "the notification secret has a control character") != NULL &&
              strstr(sq_last_error(), secret) == NULL && strstr(sq_last_error_json(), secret) == NULL,
          "a secret copied with its line end is SQ_ERR_CONFIG, named and never quoted");

    const char *event = "event=cancelled&order_ref=u-1&order_ref_1=R-1&m_cart=C-9&m_signature=AAAA";
    CHECK(sq_event_read((const uint8_t *)event, strlen(event), secret, "cart", &ipn) ==
              SQ_ERR_BAD_SIGNATURE,
          "a forged event is refused too");
    CHECK(ipn == NULL && strstr(sq_last_error(), "answer 404") != NULL &&
              strstr(sq_last_error_json(), "\"kind\":\"bad_signature\"") != NULL,
          "with no output and the same advice");

    uint16_t status = 0;
    CHECK(sq_notification_answer_status("never", &status) == SQ_OK && status == 410 &&
              strcmp(sq_last_error(), "") == 0,
          "\"never\" is answered 410");
    CHECK(sq_notification_answer_status("refund", &status) == SQ_ERR_INVALID_INPUT &&
              strstr(sq_last_error(), "\"refund\" is not an outcome") != NULL,
          "an unknown outcome is refused, named");
    CHECK(sq_notification_answer_status("never", NULL) == SQ_ERR_INVALID_ARGUMENT &&
              strcmp(sq_last_error(), "out_status is NULL") == 0,
          "a NULL out_status is SQ_ERR_INVALID_ARGUMENT, named, never written");
}

int main(void) {
    const char *url = sandbox_url();
    life_of_an_order(url);
    legacy_pos_confirm(url);
    notifications();
    return finish();
}
