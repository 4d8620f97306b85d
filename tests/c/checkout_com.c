/*
 * seQura through checkout.com through the C ABI, against the bundled
 * sandbox: create a payment setup, confirm it with seQura, get the redirect
 * URL; a retry with the same idempotency key; the errors as statuses with
 * checkout.com's request id; a signed webhook verified and a forged one
 * refused. Each check prints one line; the last is "N passed, M failed".
 *
 * Needs SEQURA_SANDBOX_URL (https://127.0.0.1:PORT) and SEQURA_CA_FILE, as
 * scripts/test.sh exports them. The sandbox's account: the keys below (see
 * tests/sandbox/src/checkout_com/mod.rs).
 */
#include "testing.h"

#define WEBHOOK_SECRET "sandbox-webhook-secret"

/* The setup of this process, for `amount` cents. */
static char *setup_json(int amount) {
    static char buffer[1024];
    snprintf(buffer, sizeof buffer, CHECKOUT_COM_SETUP, amount, (long)getpid());
    return buffer;
}

/* An idempotency key unique to this process (the plain and the sanitized
 * runs share one sandbox). */
static char *key(const char *name) {
    static char buffer[128];
    snprintf(buffer, sizeof buffer, "c-%ld-%s", (long)getpid(), name);
    return buffer;
}

/* One request to the sandbox's control endpoints, over loopback; returns the
 * HTTP status or -1. The answer's body goes to `answer`. */
static int control(const char *url, const char *method, const char *path, const char *body,
                   char *answer, size_t size) {
    char full[512];
    snprintf(full, sizeof full, "/sandbox/checkout_com/%s", path);
    return sandbox_request(url, method, full, body, answer, size);
}

static void happy_path(const char *url) {
    SqCheckoutComClient *client = checkout_com_client(url, CHECKOUT_COM_SECRET_KEY);
    char *setup = NULL, *used_key = NULL;
    CHECK_STATUS(sq_checkout_com_setup_create(client, setup_json(20000), NULL, &setup, &used_key),
                 SQ_OK, "a payment setup is created");
    char id[64] = "";
    CHECK(strncmp(json_string(setup, "id", id, sizeof id), "set_", 4) == 0 && strlen(id) == 30,
          "its id is set_ and 26 characters");
    CHECK(setup != NULL && strstr(setup, "\"sequra\":{\"status\":\"ready\"") != NULL,
          "seQura is ready");
    CHECK(used_key != NULL && strlen(used_key) == 36, "a new idempotency key is given back");

    char *updated = NULL;
    CHECK_STATUS(sq_checkout_com_setup_update(client, id, "{\"amount\": 18000}", &updated), SQ_OK,
                 "the setup's amount is changed before it is confirmed");
    CHECK(updated != NULL && strstr(updated, id) != NULL && strstr(updated, "\"amount\":18000") != NULL,
          "the setup as it is now has the new amount");
    sq_string_free(updated);
    updated = NULL;
    CHECK_STATUS(sq_checkout_com_setup_update(client, id, "{\"amount\": -1}", &updated),
                 SQ_ERR_INVALID_INPUT, "a negative amount is refused before sending");
    CHECK(updated == NULL && strstr(sq_last_error_json(), "\"path\":\"amount\"") != NULL,
          "no output, and the problem names amount");

    char *payment = NULL, *redirect = NULL, *confirm_key = NULL;
    CHECK_STATUS(sq_checkout_com_setup_confirm(client, id, NULL, &payment, &redirect, &confirm_key),
                 SQ_OK, "the setup is confirmed with seQura");
    char payment_id[64] = "";
    CHECK(strncmp(json_string(payment, "id", payment_id, sizeof payment_id), "pay_", 4) == 0,
          "the payment's id is pay_...");
    CHECK(payment != NULL && strstr(payment, "\"status\":\"Pending\"") != NULL &&
              strstr(payment, "\"product_type\":\"pay_later\"") != NULL,
          "the payment is pending, pay later");
    CHECK(redirect != NULL && strncmp(redirect, url, strlen(url)) == 0 &&
              strstr(redirect, "/sequra/checkout/") != NULL,
          "the redirect URL is seQura's page");
    CHECK(confirm_key != NULL && strcmp(confirm_key, used_key ? used_key : "") != 0,
          "the confirmation has a key of its own");
    CHECK(strcmp(sq_last_error(), "") == 0 &&
              strcmp(sq_last_error_json(), "{}") == 0,
          "success clears the last error");

    CHECK_STATUS(sq_checkout_com_setup_update(client, id, "{\"amount\": 17000}", &updated),
                 SQ_ERR_CONFLICT, "a confirmed setup is not changed");
    CHECK(updated == NULL, "no output on failure");

    char *read = NULL;
    CHECK_STATUS(sq_checkout_com_setup_get(client, id, &read), SQ_OK, "the setup is read back");
    CHECK(read != NULL && strstr(read, id) != NULL && strstr(read, "\"amount\":18000") != NULL,
          "it is the same setup, with the amount it was confirmed with");
    sq_string_free(read);
    sq_string_free(setup);
    sq_string_free(used_key);
    sq_string_free(payment);
    sq_string_free(redirect);
    sq_string_free(confirm_key);
    sq_checkout_com_client_free(client);
}

static void retry_with_the_same_key(const char *url) {
    SqCheckoutComClient *client = checkout_com_client(url, CHECKOUT_COM_SECRET_KEY);
    char *first = NULL, *again = NULL, *given = NULL;
    char first_key[128];
    snprintf(first_key, sizeof first_key, "%s", key("retry"));
    CHECK_STATUS(sq_checkout_com_setup_create(client, setup_json(100), first_key, &first, NULL),
                 SQ_OK, "a setup is created with the caller's key");
    CHECK_STATUS(sq_checkout_com_setup_create(client, setup_json(100), first_key, &again, &given),
                 SQ_OK, "the same request is sent again with the same key");
    char id1[64] = "", id2[64] = "";
    CHECK(json_string(first, "id", id1, sizeof id1)[0] != '\0' && json_string(again, "id", id2, sizeof id2)[0] != '\0' &&
              strcmp(id1, id2) == 0,
          "the retry answers the same setup: nothing new is created");
    CHECK(given != NULL && strcmp(given, first_key) == 0, "the caller's key is given back");

    char *other = NULL;
    CHECK_STATUS(sq_checkout_com_setup_create(client, setup_json(200), first_key, &other, NULL),
                 SQ_ERR_UNPROCESSABLE, "the same key with another body is SQ_ERR_UNPROCESSABLE");
    const char *details = sq_last_error_json();
    CHECK(strstr(details, "\"errors\":[\"idempotency_key_reused\"]") != NULL &&
              strstr(details, "\"status\":422") != NULL && strstr(details, "\"request_id\":\"") != NULL,
          "the details carry checkout.com's code and request id");
    CHECK(other == NULL, "no output on failure");

    char *p1 = NULL, *p2 = NULL, *r1 = NULL, *r2 = NULL;
    char confirm_key[128];
    snprintf(confirm_key, sizeof confirm_key, "%s", key("confirm"));
    CHECK_STATUS(sq_checkout_com_setup_confirm(client, id1, confirm_key, &p1, &r1, NULL), SQ_OK,
                 "the setup is confirmed with the caller's key");
    CHECK_STATUS(sq_checkout_com_setup_confirm(client, id1, confirm_key, &p2, &r2, NULL), SQ_OK,
                 "the confirmation is sent again with the same key");
    CHECK(p1 != NULL && p2 != NULL && strcmp(p1, p2) == 0 && r1 != NULL && r2 != NULL && strcmp(r1, r2) == 0,
          "it answers the same payment and redirect URL");

    char *p3 = NULL, *r3 = NULL;
    CHECK_STATUS(sq_checkout_com_setup_confirm(client, id1, NULL, &p3, &r3, NULL), SQ_ERR_CONFLICT,
                 "confirming it again with a new key is SQ_ERR_CONFLICT");
    CHECK(strstr(sq_last_error_json(), "payment_setup_already_confirmed") != NULL,
          "the details say it is already confirmed");
    CHECK(p3 == NULL && r3 == NULL, "no output on failure");
    sq_string_free(first);
    sq_string_free(again);
    sq_string_free(given);
    sq_string_free(p1);
    sq_string_free(p2);
    sq_string_free(r1);
    sq_string_free(r2);
    sq_checkout_com_client_free(client);
}

static void errors(const char *url) {
    SqCheckoutComClient *wrong = checkout_com_client(url, "sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa");
    char *out = NULL;
    CHECK_STATUS(sq_checkout_com_setup_create(wrong, setup_json(100), NULL, &out, NULL),
                 SQ_ERR_AUTHENTICATION, "a wrong secret key is SQ_ERR_AUTHENTICATION");
    const char *details = sq_last_error_json();
    CHECK(strstr(details, "\"status\":401") != NULL && strstr(details, "\"request_id\":\"") != NULL &&
              strstr(details, "\"may_have_acted\":false") != NULL,
          "the details carry the 401 and the request id");
    CHECK(strstr(sq_last_error(), "sk_sbox_aaaa") == NULL &&
              strstr(details, "sk_sbox_aaaa") == NULL,
          "neither the message nor the details hold the key");
    sq_checkout_com_client_free(wrong);

    SqCheckoutComClient *client = checkout_com_client(url, CHECKOUT_COM_SECRET_KEY);
    CHECK_STATUS(sq_checkout_com_setup_get(client, "set_aaaaaaaaaaaaaaaaaaaaaaaaaa", &out),
                 SQ_ERR_NOT_FOUND, "an unknown setup is SQ_ERR_NOT_FOUND");
    CHECK(strstr(sq_last_error_json(), "\"request_id\":\"") != NULL,
          "with the request id");

    const char *bad = "{\"amount\":12.5,\"currency\":\"USD\",\"settings\":{\"success_url\":\"shop.example/ok\"}}";
    CHECK_STATUS(sq_checkout_com_setup_create(client, bad, "with space", &out, NULL),
                 SQ_ERR_INVALID_INPUT, "an invalid setup is refused before sending");
    details = sq_last_error_json();
    CHECK(strstr(details, "\"path\":\"amount\"") != NULL && strstr(details, "\"path\":\"currency\"") != NULL &&
              strstr(details, "\"path\":\"settings.success_url\"") != NULL &&
              strstr(details, "\"path\":\"idempotency_key\"") != NULL,
          "every problem is named by its path");
    char *problems = NULL;
    CHECK_STATUS(sq_checkout_com_setup_validate(client, bad, &problems), SQ_OK,
                 "validate reads an invalid setup");
    CHECK(problems != NULL && strstr(problems, "\"path\":\"amount\"") != NULL, "and lists its problems");
    sq_string_free(problems);
    CHECK_STATUS(sq_checkout_com_setup_get(client, "../orders", &out), SQ_ERR_INVALID_INPUT,
                 "a malformed setup id is refused before sending");
    CHECK(out == NULL, "no output after any of these");
    sq_checkout_com_client_free(client);
}

/* Accepts one webhook: its Cko-Signature to `signature`, its body to
 * `body`; answers 200. Returns 0, or -1. */
static int receive_webhook(int listener, char *signature, size_t signature_size, char *body,
                           size_t body_size) {
    struct timeval timeout = {5, 0};
    setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    static char request[16384];
    size_t got = 0;
    long length = -1;
    char *head_end = NULL;
    for (;;) {
        ssize_t r = read(fd, request + got, sizeof request - 1 - got);
        if (r <= 0) break;
        got += (size_t)r;
        request[got] = '\0';
        head_end = strstr(request, "\r\n\r\n");
        if (head_end != NULL) {
            for (char *line = request; line < head_end; line = strstr(line, "\r\n") + 2) {
                if (strncasecmp(line, "content-length:", 15) == 0) length = strtol(line + 15, NULL, 10);
            }
            if (length >= 0 && got >= (size_t)(head_end + 4 - request) + (size_t)length) break;
        }
    }
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    int written = write(fd, ok, strlen(ok)) == (ssize_t)strlen(ok);
    close(fd);
    if (head_end == NULL || length < 0 || (size_t)length >= body_size || !written) return -1;
    memcpy(body, head_end + 4, (size_t)length);
    body[length] = '\0';
    signature[0] = '\0';
    for (char *line = request; line < head_end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "cko-signature:", 14) == 0) {
            char *value = line + 14;
            while (*value == ' ') value++;
            size_t n = (size_t)(strstr(value, "\r\n") - value);
            if (n >= signature_size) return -1;
            memcpy(signature, value, n);
            signature[n] = '\0';
        }
    }
    return 0;
}

static void webhooks(const char *url) {
    int port = 0;
    int listener = listen_loopback(&port);
    CHECK(listener >= 0, "the shop listens for webhooks");
    if (listener < 0) return;
    char answer[4096], path[256], registration[128];
    snprintf(registration, sizeof registration, "{\"url\":\"http://127.0.0.1:%d/checkout-com\"}", port);
    CHECK(control(url, "PUT", "webhook", registration, answer, sizeof answer) == 200,
          "the webhook URL is registered");

    SqCheckoutComClient *client = checkout_com_client(url, CHECKOUT_COM_SECRET_KEY);
    char *setup = NULL, *payment = NULL, *redirect = NULL;
    char id[64] = "", payment_id[64] = "";
    CHECK_STATUS(sq_checkout_com_setup_create(client, setup_json(4200), NULL, &setup, NULL), SQ_OK,
                 "a setup to approve is created");
    json_string(setup, "id", id, sizeof id);
    CHECK_STATUS(sq_checkout_com_setup_confirm(client, id, NULL, &payment, &redirect, NULL), SQ_OK,
                 "a setup to approve is confirmed");
    json_string(payment, "id", payment_id, sizeof payment_id);
    snprintf(path, sizeof path, "payments/%s/approve", payment_id);
    CHECK(control(url, "POST", path, "", answer, sizeof answer) == 200,
          "the customer approves at seQura");

    static char body[8192];
    char signature[160];
    CHECK(receive_webhook(listener, signature, sizeof signature, body, sizeof body) == 0,
          "the shop receives the webhook");
    close(listener);
    control(url, "DELETE", "webhook", "", answer, sizeof answer);

    char *event = NULL;
    CHECK_STATUS(sq_checkout_com_webhook_verify(WEBHOOK_SECRET, body, signature, &event), SQ_OK,
                 "the signed webhook verifies");
    CHECK(event != NULL && strstr(event, "\"type\":\"payment_approved\"") != NULL &&
              strstr(event, payment_id) != NULL && strstr(event, "\"amount\":4200") != NULL,
          "the event says the payment was approved");
    sq_string_free(event);

    /* The same signature on a changed body, another secret, no header. */
    char *changed = strstr(body, "4200");
    if (changed != NULL) changed[0] = '9';
    event = NULL;
    CHECK(sq_checkout_com_webhook_verify(WEBHOOK_SECRET, body, signature, &event) ==
              SQ_ERR_BAD_SIGNATURE,
          "a forged webhook is SQ_ERR_BAD_SIGNATURE");
    CHECK(event == NULL && strstr(sq_last_error(), "does not match") != NULL,
          "nothing is written; the last error says why");
    CHECK(sq_checkout_com_webhook_verify("another-secret", body, signature, &event) ==
              SQ_ERR_BAD_SIGNATURE,
          "a webhook signed with another secret is refused");
    CHECK(sq_checkout_com_webhook_verify(WEBHOOK_SECRET "\n", body, signature, &event) == SQ_ERR_CONFIG &&
              strstr(sq_last_error(), "the webhook secret has a control character") != NULL &&
              strstr(sq_last_error(), WEBHOOK_SECRET) == NULL && strstr(sq_last_error_json(), WEBHOOK_SECRET) == NULL,
          "a secret copied with its line end is SQ_ERR_CONFIG, named and never quoted, not a forged webhook");
    CHECK(sq_checkout_com_webhook_verify(WEBHOOK_SECRET, body, NULL, &event) == SQ_ERR_BAD_SIGNATURE,
          "an unsigned webhook is refused");
    CHECK(sq_checkout_com_webhook_verify(WEBHOOK_SECRET, NULL, signature, &event) ==
                  SQ_ERR_INVALID_ARGUMENT &&
              strcmp(sq_last_error(), "body is NULL") == 0,
          "a NULL body is refused, named");
    CHECK(event == NULL, "no event from any of these");
    sq_string_free(setup);
    sq_string_free(payment);
    sq_string_free(redirect);
    sq_checkout_com_client_free(client);
}

static void bad_arguments(const char *url) {
    SqCheckoutComClient *client = checkout_com_client(url, CHECKOUT_COM_SECRET_KEY);
    char *out = NULL;
    CHECK_STATUS(sq_checkout_com_setup_create(client, NULL, NULL, &out, NULL),
                 SQ_ERR_INVALID_ARGUMENT, "a NULL setup is refused");
    CHECK(strcmp(sq_last_error(), "setup_json is NULL") == 0,
          "the message names it");
    CHECK_STATUS(sq_checkout_com_setup_create(client, "{\"amount\": ", NULL, &out, NULL),
                 SQ_ERR_INVALID_ARGUMENT, "bad JSON is refused");
    CHECK_STATUS(sq_checkout_com_setup_confirm(client, "set_aaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, &out, NULL, NULL),
                 SQ_ERR_INVALID_ARGUMENT, "a NULL redirect output is refused before sending");
    CHECK(sq_checkout_com_setup_get(NULL, "x", &out) == SQ_ERR_INVALID_ARGUMENT &&
              strcmp(sq_last_error(), "client is NULL") == 0,
          "a NULL client is refused, named");
    CHECK(out == NULL, "no output after any of these");

    SqCheckoutComClient *none = NULL;
    CHECK(sq_checkout_com_client_new("{\"secret_key\":\"sk_test_4f3c9a1e-1111-2222-3333-444455556666\","
                                     "\"prefix\":\"vkuhvk4v\"}",
                                     &none) == SQ_ERR_CONFIG,
          "a key of a previous account is SQ_ERR_CONFIG");
    CHECK(none == NULL && strstr(sq_last_error(), "previous (ABC)") != NULL &&
              strstr(sq_last_error(), "4f3c9a1e") == NULL && strstr(sq_last_error_json(), "4f3c9a1e") == NULL,
          "the last error says why without the key");
    char *fresh = NULL;
    CHECK(sq_checkout_com_new_idempotency_key(&fresh) == SQ_OK && fresh != NULL && strlen(fresh) == 36,
          "a new idempotency key is a UUID");
    sq_string_free(fresh);
    sq_checkout_com_client_free(client);
    sq_checkout_com_client_free(NULL);
}

/* A POST that fails after checkout.com may have acted names the key it
 * carried, also one the library made, and the retry with it creates
 * nothing new. */
static void a_lost_answer_gives_the_key(const char *url) {
    SqCheckoutComClient *client = checkout_com_client(url, CHECKOUT_COM_SECRET_KEY);
    char answer[1024];
    /* The sandbox creates the setup, then answers 500. */
    CHECK(control(url, "POST", "faults", "{\"answer_status\":500}", answer, sizeof answer) == 200,
          "a 500 after the next setup is queued");
    char *setup = NULL, *given = NULL;
    CHECK_STATUS(sq_checkout_com_setup_create(client, setup_json(300), NULL, &setup, &given),
                 SQ_ERR_SERVER, "the lost answer is SQ_ERR_SERVER");
    const char *details = sq_last_error_json();
    char lost_key[64] = "";
    CHECK(strstr(details, "\"may_have_acted\":true") != NULL && sq_last_error_may_have_acted() &&
              strlen(json_string(details, "idempotency_key", lost_key, sizeof lost_key)) == 36,
          "the details name the key made for the call");
    CHECK(setup == NULL && given == NULL, "no output on failure");
    CHECK_STATUS(sq_checkout_com_setup_create(client, setup_json(300), lost_key, &setup, &given),
                 SQ_OK, "the retry with that key answers the setup already created");
    CHECK(given != NULL && strcmp(given, lost_key) == 0, "with that key");
    sq_string_free(setup);
    sq_string_free(given);
    sq_checkout_com_client_free(client);
}

int main(void) {
    const char *url = sandbox_url();
    happy_path(url);
    retry_with_the_same_key(url);
    a_lost_answer_gives_the_key(url);
    errors(url);
    webhooks(url);
    bad_arguments(url);
    return finish();
}
