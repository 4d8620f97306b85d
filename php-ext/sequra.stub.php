<?php

/**
 * IDE stub of the `sequra` PHP extension (php-ext/, built from Rust).
 *
 * Load the extension with `php -d extension=/path/to/libsequra_php.so`.
 * This file only describes the classes for IDEs and static analysers; never
 * include it.
 *
 * Arrays passed to the extension become JSON like json_encode() makes it, with
 * three differences, each reported as a Sequra\ValidationException that names
 * the path of the value (nothing is sent):
 *  - an array whose keys are all integers but not 0..n-1 in order (a gap left
 *    by unset(), or $items[9] after $items[5]) is refused: json_encode() would
 *    send a JSON object where the API wants a list. Pass array_values($items)
 *    for a list, or (object) $array for a mapping with numeric keys;
 *  - NAN, INF and strings that are not UTF-8 are refused;
 *  - objects other than stdClass, resources and closures are refused.
 * A list (keys exactly 0..n-1) becomes a JSON array, any array with a string
 * key a JSON object; the empty array becomes [] (pass new stdClass for {}).
 *
 * Written by hand from php-ext/src: keep the two in step.
 */

namespace Sequra {

    /**
     * A client of one merchant's seQura account. It keeps one connection pool:
     * build it once and reuse it. Every call blocks until seQura answers or the
     * timeout passes.
     */
    class Client
    {
        /**
         * Checks the options and builds the client; nothing is sent.
         *
         * @param array{
         *     endpoint: string,
         *     merchant: string,
         *     username: string,
         *     password: string,
         *     connect_timeout?: int|float,
         *     timeout?: int|float,
         *     ca_file?: string,
         *     user_agent?: string
         * } $options `endpoint` is "sandbox", "live" or a base URL (plain
         *     http:// only to a loopback host); `merchant` is the merchant id;
         *     `connect_timeout` (default 5) and `timeout` (default 30, for a whole
         *     call with its retries) are seconds and may be fractional; `ca_file`
         *     is a PEM file of CA certificates to trust instead of the built-in
         *     ones; `user_agent` is added to the User-Agent header (e.g.
         *     "woocommerce-sequra/3.1"), and the PHP version is always added.
         *     Unknown keys are refused (they are usually typos). The array is
         *     a #[\SensitiveParameter]: stack traces never show it.
         *
         * @throws ConfigException when an option is missing, unknown or wrong.
         * @throws \TypeError when $options is not an array.
         */
        public function __construct(#[\SensitiveParameter] array $options) {}

        /**
         * The merchant id this client acts for (the `merchant` option).
         */
        public function getMerchant(): string {}

        /**
         * Starts a solicitation: POST /orders with the order.
         *
         * @param array $order The order as seQura's Orders API documents it
         *     (merchant, cart, delivery_address, customer, ...); its `state` must
         *     be empty ("" or null). Amounts are integer cents.
         * @return string The order URI, e.g.
         *     "https://sandbox.sequrapi.com/orders/7bd9e5a4-..."; keep it to show
         *     the form and to confirm.
         *
         * @throws ValidationException when the array cannot be sent as JSON or
         *     the order is refused before sending (see getProblems()).
         * @throws AuthenticationException|ForbiddenException|ConflictException|
         *     UnprocessableException|RateLimitedException|ServerException|
         *     TransportException|UnexpectedResponseException when seQura refuses
         *     the order or cannot be reached.
         */
        public function startSolicitation(array $order): string {}

        /**
         * The identification form to show the shopper: GET {orderUri}/form_v2.
         *
         * @param string $orderUri The URI startSolicitation() returned (or the
         *     bare order uuid).
         * @param array{product?: string, campaign?: ?string, ajax?: bool}|null $options
         *     `product` is the seQura product code (default "i1"), `campaign` the
         *     campaign of products that have one, `ajax` true for an HTML fragment
         *     to load into the page (default false, a whole page). null and []
         *     mean the defaults. An unknown key is a ValidationException.
         * @return string The HTML of the form.
         *
         * @throws ValidationException when an option or the order URI is wrong.
         * @throws NotFoundException when seQura does not know the order.
         * @throws Exception for the other failures (see the subclasses).
         */
        public function identificationForm(string $orderUri, ?array $options = null): string {}

        /**
         * Confirms an approved order: PUT {orderUri} with the full order and
         * state "confirmed". Call it when the IPN says the order is approved,
         * with the same order you started the solicitation with.
         *
         * @param string $orderUri The URI startSolicitation() returned.
         * @param array $order The order; its `state` must be empty or "confirmed".
         *
         * @throws ConflictException when seQura refuses the confirmation (the cart
         *     changed, the order is not approved, ...): getErrors() says why. Do
         *     not complete the order.
         * @throws NotFoundException when seQura does not know the order.
         * @throws Exception for the other failures; when mayHaveActed() is true,
         *     check the order's state before retrying.
         */
        public function confirm(string $orderUri, array $order): void {}
    }

    /**
     * The seQura order payload, checked before it leaves the shop: every
     * field of seQura's order document, its type, its allowed values and the
     * rules across fields (totals, item types, addresses, contract options).
     */
    final class Order
    {
        /**
         * Nothing to build: the methods are static.
         */
        public function __construct() {}

        /**
         * Every problem of the order; an empty array when it is valid.
         *
         * Arrays with integer keys that are not 0..n-1 (such as items[9] after
         * items[5]) are read as json_encode() would send them and reported
         * among the other problems.
         *
         * @param array $order The order, as for Client::startSolicitation().
         * @param array{contract?: list<string>, flow?: string, allow_unknown_keys?: bool}|null $options
         *     `contract` lists the merchant's contract options ("services",
         *     "multistore", "garage", "shipment_ref", "instore"); `flow` is
         *     "online" (default) or "pos_legacy"; `allow_unknown_keys` lets keys
         *     the document does not name through (by default they are
         *     reported: they are usually typos).
         * @return list<array{path: string, message: string}> Each problem with
         *     its path, e.g. "cart.items[2].price_with_tax".
         *
         * @throws ValidationException when an option is wrong.
         */
        public static function validate(array $order, ?array $options = null): array {}

        /**
         * The order as the JSON seQura receives, once it is valid.
         *
         * @param array $order The order, as for Client::startSolicitation().
         * @param array|null $options As for validate().
         * @return string The JSON text of the order.
         *
         * @throws ValidationException with every problem (see getProblems()).
         */
        public static function encode(array $order, ?array $options = null): string {}
    }

    /**
     * Every error of the sequra extension; the subclass says which kind.
     * getMessage() says what went wrong and what to do, and never holds a
     * password or key. getCode() is the HTTP status when seQura answered,
     * otherwise 0.
     */
    class Exception extends \RuntimeException
    {
        /** @var string */
        protected $kind = '';
        /** @var int|null */
        protected $httpStatus = null;
        /** @var bool */
        protected $mayHaveActed = false;
        /** @var list<array{path: string, message: string}> */
        protected $problems = [];
        /** @var list<string> */
        protected $errors = [];
        /** @var int|null */
        protected $retryAfter = null;
        /** @var string|null */
        protected $requestId = null;

        /**
         * The kind of error: one of "invalid_input", "config", "authentication",
         * "forbidden", "not_found", "conflict", "unprocessable", "rate_limited",
         * "server", "transport", "unexpected_response", "bad_signature".
         */
        public function getKind(): string {}

        /**
         * The HTTP status seQura answered, or null when no answer came (nothing
         * sent, connection failed, timeout).
         */
        public function getHttpStatus(): ?int {}

        /**
         * Whether seQura may have acted on the request. false means it certainly
         * did not (nothing was sent, or the server refused), so the same request
         * can be corrected and sent again; true means check the order's state
         * before retrying.
         */
        public function mayHaveActed(): bool {}

        /**
         * seQura's list of errors, as it sent them (e.g. why a confirmation was
         * refused: "cart.items[0].quantity ..."); empty when it sent none or did
         * not answer.
         *
         * @return list<string>
         */
        public function getErrors(): array {}

        /**
         * The id the server gave the failed request (e.g. checkout.com's
         * Cko-Request-Id), to quote to its support; null when it gave none.
         */
        public function getRequestId(): ?string {}
    }

    /**
     * The input has problems; nothing was sent. Kind "invalid_input".
     */
    class ValidationException extends Exception
    {
        /** @var string */
        protected $kind = 'invalid_input';

        /**
         * Every problem found, each with the path of the value and a sentence:
         * [['path' => 'cart.items[2].price_with_tax', 'message' => '...'], ...].
         *
         * @return list<array{path: string, message: string}>
         */
        public function getProblems(): array {}
    }

    /**
     * The client's options are unusable; nothing was sent. Kind "config".
     */
    class ConfigException extends Exception
    {
        /** @var string */
        protected $kind = 'config';
    }

    /**
     * 401: seQura refused the credentials (check username and password, and that
     * they belong to the endpoint). Kind "authentication".
     */
    class AuthenticationException extends Exception
    {
        /** @var string */
        protected $kind = 'authentication';
    }

    /**
     * 403: the credentials may not do this (check the merchant id). Kind
     * "forbidden".
     */
    class ForbiddenException extends Exception
    {
        /** @var string */
        protected $kind = 'forbidden';
    }

    /**
     * 404: seQura does not know the order. Kind "not_found".
     */
    class NotFoundException extends Exception
    {
        /** @var string */
        protected $kind = 'not_found';
    }

    /**
     * 409: refused in the order's current state (the cart changed, the order is
     * not approved, the reference is taken); getErrors() says why. Kind
     * "conflict".
     */
    class ConflictException extends Exception
    {
        /** @var string */
        protected $kind = 'conflict';
    }

    /**
     * 422: seQura could not process the request; getErrors() says why. Kind
     * "unprocessable".
     */
    class UnprocessableException extends Exception
    {
        /** @var string */
        protected $kind = 'unprocessable';
    }

    /**
     * 429: too many requests. Kind "rate_limited".
     */
    class RateLimitedException extends Exception
    {
        /** @var string */
        protected $kind = 'rate_limited';

        /**
         * Seconds to wait before retrying, when seQura said so; otherwise null.
         */
        public function getRetryAfter(): ?int {}
    }

    /**
     * 5xx: seQura failed and may have acted; check the order before retrying.
     * Kind "server".
     */
    class ServerException extends Exception
    {
        /** @var string */
        protected $kind = 'server';
    }

    /**
     * The request did not complete: connection refused, TLS failure, timeout.
     * mayHaveActed() says whether it may have reached seQura. Kind "transport".
     */
    class TransportException extends Exception
    {
        /** @var string */
        protected $kind = 'transport';
    }

    /**
     * seQura answered something its API does not document. Kind
     * "unexpected_response".
     */
    class UnexpectedResponseException extends Exception
    {
        /** @var string */
        protected $kind = 'unexpected_response';
    }

    /**
     * A notification's signature did not match. Kind "bad_signature".
     */
    class SignatureException extends Exception
    {
        /** @var string */
        protected $kind = 'bad_signature';
    }

    /**
     * A client of one Paysera project (Paysera Checkout): payment requests
     * authenticated with Paysera's MAC header, and the notifications their
     * callbacks name. Arrays in and out are shaped like Paysera's JSON. It keeps
     * one connection pool: build it once and reuse it.
     */
    class PayseraClient
    {
        /**
         * Checks the options and builds the client; nothing is sent.
         *
         * @param array{
         *     mac_id: string,
         *     mac_secret: string,
         *     endpoint?: string,
         *     notification_endpoint?: string,
         *     connect_timeout?: int|float,
         *     timeout?: int|float,
         *     ca_file?: string,
         *     user_agent?: string
         * } $options `mac_id` and `mac_secret` are the project's MAC credentials;
         *     `endpoint` is Paysera's (default "https://checkout-eu-a.paysera.com")
         *     or another base URL such as the sandbox's (plain http:// only to a
         *     loopback host); `notification_endpoint` is the Event Notification
         *     API's base URL when it is not the endpoint (the bundled sandbox
         *     serves it under "{sandbox}/sandbox/paysera"); the others as for
         *     Client. Unknown keys are refused. The array is a
         *     #[\SensitiveParameter]: stack traces never show it.
         *
         * @throws ConfigException when an option is missing, unknown or wrong.
         */
        public function __construct(#[\SensitiveParameter] array $options) {}

        /**
         * Every problem of a payment request, as createPaymentRequest() checks
         * it; nothing is sent.
         *
         * @param array $request The payment request, as for createPaymentRequest().
         * @return list<array{path: string, message: string}> Each problem with its
         *     path, e.g. "price.amount"; empty when the request can be sent.
         */
        public static function validatePaymentRequest(array $request): array {}

        /**
         * Creates a payment request: POST /checkout/rest/v1/payment-requests.
         * Never retried (a creation is not idempotent).
         *
         * @param array $request `business_id`, `order_id` (unique), `price`
         *     (['amount' => '999', 'currency' => 'EUR']: the amount a string in
         *     the currency's minor unit), `description`, `payer` (['email' =>
         *     ...]), `accept_url`, `cancel_url`, `callback_url` (https), and
         *     optionally `method_key`, `locale` (e.g. "en"), `token_strategy`
         *     ("required" for a token for recurring payments) and any other field
         *     Paysera takes.
         * @return array The payment request as Paysera answered: `id`, `status`
         *     ("new"), `authorization_url` (send the shopper there), ...
         *
         * @throws ValidationException when the request has problems (see
         *     getProblems()); nothing was sent.
         * @throws UnprocessableException when Paysera refuses fields (HTTP 400 or
         *     422): getErrors() names each, e.g. "business_id: ... (invalid_parameter)".
         * @throws ConflictException when the order_id is already used.
         * @throws AuthenticationException when Paysera refuses the MAC.
         * @throws Exception for the other failures (see the subclasses).
         */
        public function createPaymentRequest(array $request): array {}

        /**
         * Reads a payment request: GET /checkout/rest/v1/payment-requests/{id}.
         *
         * @return array The payment request: its `status` ("new", "authorized",
         *     "captured", "canceled") and, once a `token_strategy: required`
         *     request is paid, the `issued_token` to store with the shopper.
         *
         * @throws NotFoundException when Paysera does not know it.
         * @throws Exception for the other failures.
         */
        public function getPaymentRequest(string $id): array {}

        /**
         * Authorizes a new payment request with the shopper's stored token (a
         * recurring payment): PUT /checkout/rest/v1/payment-requests/{id}/authorize.
         *
         * @param string $token The `issued_token` of the shopper's first payment.
         * @return array The payment request, "authorized".
         *
         * @throws ConflictException when it is not "new".
         * @throws UnprocessableException when Paysera cannot use the token.
         * @throws Exception for the other failures.
         */
        public function authorizePaymentRequest(string $id, string $token): array {}

        /**
         * Captures an authorized payment request:
         * PUT /checkout/rest/v1/payment-requests/{id}/capture.
         *
         * @return array The payment request, "captured".
         *
         * @throws ConflictException when it is not "authorized".
         * @throws Exception for the other failures.
         */
        public function capturePaymentRequest(string $id): array {}

        /**
         * Cancels a new or authorized payment request:
         * PUT /checkout/rest/v1/payment-requests/{id}/cancel.
         *
         * @return array The payment request, "canceled".
         *
         * @throws ConflictException when it is captured or already canceled.
         * @throws Exception for the other failures.
         */
        public function cancelPaymentRequest(string $id): array {}

        /**
         * Turns Paysera's callback into the notification it names: reads only
         * `notification_id` from the callback (nothing else in it is trusted)
         * and fetches that notification from Paysera
         * (GET /notification/rest/v1/notifications/{id}). Act on it, then call
         * markNotificationRead().
         *
         * @param array $fields The callback's form fields: $_POST.
         * @return array The notification: `id`, `event` (e.g.
         *     "payment_request.captured"), `data` => ['payment_request' => ...].
         *
         * @throws ValidationException when the callback has no usable
         *     notification_id.
         * @throws NotFoundException when Paysera does not know the notification:
         *     the callback is not Paysera's; answer 404 and do nothing.
         * @throws Exception for the other failures.
         */
        public function receiveCallback(array $fields): array {}

        /**
         * Fetches a notification: GET /notification/rest/v1/notifications/{id}.
         *
         * @throws NotFoundException when Paysera does not know it.
         * @throws Exception for the other failures.
         */
        public function getNotification(string $notificationId): array {}

        /**
         * Marks a notification read once the shop has acted on it, so that
         * Paysera stops calling back: PUT /notification/rest/v1/notifications/{id}/read.
         *
         * @return array The notification, `status` "read".
         *
         * @throws NotFoundException when Paysera does not know it.
         * @throws Exception for the other failures.
         */
        public function markNotificationRead(string $notificationId): array {}
    }
}
