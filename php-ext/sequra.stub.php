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
 *    by unset(), or $items[9] after $items[5]) is refused where the API
 *    wants a list (in the other documents than an order, anywhere):
 *    json_encode() would send a JSON object. Pass array_values($items) for
 *    a list, or (object) $array for a mapping with numeric keys; in an
 *    order's free-form `extra` it is the object json_encode() makes;
 *  - NAN, INF and strings that are not UTF-8 are refused;
 *  - objects other than stdClass and backed enum cases (below), resources
 *    and closures are refused.
 * A document's other problems come in the same exception, after these; its
 * validate method (Order::validate, PosClient::validateOrder, ...) lists the
 * same problems as the calls that send it.
 * A list (keys exactly 0..n-1) becomes a JSON array, any array with a string
 * key a JSON object; the empty array becomes [] (pass new stdClass for {}).
 * A float without a fraction (3030.0, what round() returns) is an integer, as
 * json_encode() writes it, so it is taken where an amount in cents is; one
 * with a fraction (3030.5) is refused there.
 * A case of a backed enum becomes its value, as with json_encode()
 * (ItemType::Product is "product"); a case of an enum without values is
 * refused, as json_encode() refuses it. A DateTimeInterface is refused
 * saying to send its text (->format(DATE_ATOM)); a JsonSerializable's
 * jsonSerialize() is not called (no PHP code runs while an array is read):
 * pass what it returns.
 *
 * Scalar parameters follow PHP's own typing, as PHP's functions do: without
 * declare(strict_types=1) in the calling file, a `string` parameter also takes
 * an int (12345 is "12345"), a float, a bool or a Stringable object, and an
 * `int` parameter a numeric string ("4567", " 4567 ", as database rows and
 * $_GET give ids), an integral float or a bool (a fraction is cut, with PHP's
 * deprecation notice); with strict types only the declared type is taken.
 * null is taken only by a nullable (?string) parameter. Anything else is a
 * \TypeError with PHP's message (`Sequra\Client::orderUpdate(): Argument #1
 * ($orderRef1) must be of type string, array given`). A string parameter that
 * is not UTF-8 text is a Sequra\ValidationException naming the parameter in
 * snake_case (order_ref_1), or, for a secret key, a Sequra\ConfigException;
 * where the method says so, a Sequra\SignatureException.
 *
 * A client object whose constructor never ran (made by
 * ReflectionClass::newInstanceWithoutConstructor(), or a subclass whose
 * constructor does not call parent::__construct($options)) throws a
 * Sequra\ConfigException saying so from every instance method.
 *
 * Returned arrays are the API's answer as json_decode($json, true) gives it
 * (the same keys, values and types; each object's keys in byte order, not
 * the order the API wrote them), but for the keys of the shape a method
 * documents in its @return: those are read into that shape, as the
 * documents' own spelling (an id or amount written as digits is that int;
 * a POS `total_with_tax` written as a number is its JSON text), and one the
 * API sent as null is left out where the shape marks it optional (`key?`).
 * A value that fits no reading of its shape is refused, never dropped.
 * A shape ending in `...` may hold more keys, as the API sent them.
 *
 * Every client class takes the same connection options besides its own:
 * `connect_timeout`, `timeout`, `ca_file`, `user_agent`, `proxy`, `persistent`,
 * `log_bodies` and `logger` (see Client::__construct()). php.ini:
 * `sequra.persistent` (default On, changeable anywhere) is the default of
 * `persistent`. phpinfo() shows the connections this process keeps in its
 * pool, the log records lost (Client::droppedLogRecords()) and the setting.
 *
 * Written by hand from php-ext/src: keep the two in step
 * (tests/php/stub_matches_the_extension.phpt checks the declarations and the
 * option keys).
 */

namespace Sequra {

    /**
     * A client of one merchant's seQura account. Build it once and reuse it.
     * Every call blocks until seQura answers or the timeout passes.
     *
     * Logging (the `logger` option, the same on every client class): each HTTP
     * exchange is logged once at "debug" (context: `method`, `path` without
     * the query, `status` when an answer came, `error` (the kind) when none
     * came or the body of a success or a redirect could not be read, `ms`,
     * `attempt` from 1, and `request_id` when the server gave one;
     * `request_body` and `response_body` with `log_bodies`), each retry at
     * "warning" (`reason`, `wait_ms`, and `status` or `error`), each failed
     * call at "error" (`kind` as Exception::getKind(), `may_have_acted`,
     * `status` and `request_id` when the server answered). Never a password,
     * key, secret or token, nor, in bodies, the customer's personal fields
     * (masked "***"). The logger is called during the call, on the request's
     * thread: keep it quick. If it throws, the exception is dropped and the
     * record counted (droppedLogRecords()). That includes an exception
     * thrown by whatever PHP runs while the logger runs: a pcntl signal
     * handler (with pcntl_async_signals) that throws to stop a long job is
     * dropped too if its signal is handled in the logger; such a handler
     * should set a flag the job checks after the call. If it hits a fatal
     * error, the call still finishes and the script then ends as PHP ends it
     * at a fatal error;
     * if it calls exit(), the call finishes and the script then ends as exit()
     * ends it.
     * Records made while the logger runs (it calls the extension itself) are
     * dropped too, rather than recurse. A client is constructed once: calling
     * __construct() again on it is a ConfigException. A logger that holds
     * its own client (directly or through the plugin) keeps both alive until
     * the request ends: PHP's cycle collector does not see into the client.
     * In a process whose request never ends (a CLI queue worker), that is
     * for as long as the process lives: each such client keeps its memory
     * and, with `persistent` off, a connection. There, let the logger reach
     * the plugin through a WeakReference, from a static closure (any other
     * closure written in a method holds `$this`):
     * `$plugin = WeakReference::create($this);` and
     * `'logger' => static fn ($level, $message, $context) => $plugin->get()?->log($level, $message, $context)`.
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
         *     contract?: list<'services'|'multistore'|'garage'|'shipment_ref'|'instore'>,
         *     flow?: 'online'|'pos_legacy',
         *     allow_unknown_keys?: bool,
         *     connect_timeout?: int|float,
         *     timeout?: int|float,
         *     ca_file?: string,
         *     user_agent?: string,
         *     proxy?: string,
         *     persistent?: bool,
         *     log_bodies?: bool,
         *     logger?: object|callable(string, string, array<string, mixed>): mixed|null
         * } $options `endpoint` is "sandbox", "live" or a base URL (plain
         *     http:// only to a loopback host); `merchant` is the merchant id.
         *     `contract` lists the merchant's contract options and `flow` is
         *     "online" (default) or "pos_legacy" (an in-store order confirmed
         *     without IPN): they decide which order fields are required, as for
         *     Order::validate(); `allow_unknown_keys` lets order keys the API
         *     does not name through (by default they are refused as typos).
         *     `connect_timeout` (default 5) and `timeout` (default 30, for a whole
         *     call with its retries) are seconds, from 0.001 to 600, and may be
         *     fractional; `ca_file`
         *     is a PEM file of CA certificates to trust instead of the built-in
         *     ones; `user_agent` is added to the User-Agent header (e.g.
         *     "woocommerce-sequra/3.1"), and the PHP version is always added.
         *     `proxy` is an HTTP CONNECT proxy, "http://[user:password@]host:port"
         *     (or https://), for https endpoints only; it is never shown in a
         *     message. `persistent` (default true, or php.ini's
         *     sequra.persistent) takes the connections from this PHP process's
         *     pool, so that they outlive the client and the request, as PDO's
         *     persistent connections do: the next request skips the TCP and TLS
         *     handshakes; false opens them for this client alone and closes them
         *     with it. `log_bodies` (default false) adds the JSON bodies to the
         *     debug records, the customer's personal fields and every credential
         *     masked. `logger` is a PSR-3 logger (any object with a public
         *     log($level, $message, array $context), such as a
         *     Psr\Log\LoggerInterface; psr/log is not needed) or a callable
         *     taking the same arguments; null for none. See "Logging" above.
         *     Unknown keys are refused (they are usually typos). The array is
         *     a #[\SensitiveParameter]: stack traces never show it.
         *
         * @throws ConfigException when an option is missing, unknown or wrong,
         *     or the logger is neither callable nor has a public log() method.
         * @throws \TypeError when $options is not an array.
         */
        public function __construct(#[\SensitiveParameter] array $options) {}

        /**
         * The merchant id this client acts for (the `merchant` option).
         */
        public function getMerchant(): string {}

        /**
         * How many log records this PHP process has lost, for every client of
         * every class: a `logger` threw or hit a fatal error, or was busy (it
         * made a call of the extension itself, whose records would recurse).
         * Per process: under PHP-FPM each worker counts its own. phpinfo()
         * shows it too ("dropped log records").
         */
        public static function droppedLogRecords(): int {}

        /**
         * Starts a solicitation: POST /orders with the order.
         *
         * @param array $order The order as seQura's Orders API documents it
         *     (merchant, cart, delivery_address, customer, ...); its `state` must
         *     be empty ("" or null). Amounts are integer cents. Against
         *     seQura on the internet, `merchant.notify_url` and
         *     `merchant.events_webhook.url` must be public hosts: seQura
         *     posts to them from there.
         * @return string The order URI, e.g.
         *     "https://sandbox.sequrapi.com/orders/7bd9e5a4-..."; keep it to show
         *     the form and to confirm.
         *
         * @throws ValidationException when the array cannot be sent as JSON or
         *     the order is refused before sending (see getProblems()).
         * @throws AuthenticationException|ForbiddenException|ConflictException|
         *     UnprocessableException|RateLimitedException|ServerException|
         *     TransportException|UnexpectedResponseException when seQura refuses
         *     the order or cannot be reached. When mayHaveActed() is true, seQura
         *     may have made an order whose URI never came back: it is harmless
         *     (a solicitation the shopper never completes expires); start a new
         *     one for the checkout, which is a second order.
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
        public function getIdentificationForm(string $orderUri, ?array $options = null): string {}

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
         *     confirming again with the same order is safe: it acts only once
         *     (an IPN handler answers "try_later" and seQura asks again).
         */
        public function confirm(string $orderUri, array $order): void {}

        /**
         * Puts an approved order on hold while the shop reviews it: PUT {order URI}
         * with the full order and state "on_hold". Confirm or cancel it later.
         *
         * @param string $orderUri The URI startSolicitation() returned.
         * @param array $order The order; its `state` must be empty or "on_hold".
         *
         * @throws ConflictException when the order is not approved, or already
         *     confirmed or cancelled.
         * @throws ValidationException when the order has problems; nothing is sent.
         * @throws NotFoundException when seQura does not know the order.
         * @throws Exception for the other failures (see the subclasses): when
         *     mayHaveActed() is true, sending the same call again is safe: it
         *     acts only once.
         */
        public function hold(string $orderUri, array $order): void {}

        /**
         * Cancels an order that is not confirmed yet: PUT {order URI} with the full
         * order and state "cancelled". A confirmed order is cancelled with
         * orderUpdate() and both carts empty instead.
         *
         * @param string $orderUri The URI startSolicitation() returned.
         * @param array $order The order; its `state` must be empty or "cancelled".
         *
         * @throws ConflictException when the order is confirmed. Cancelling a
         *     cancelled order again succeeds: the same PUT acts once.
         * @throws ValidationException when the order has problems; nothing is sent.
         * @throws NotFoundException when seQura does not know the order.
         * @throws Exception for the other failures (see the subclasses): when
         *     mayHaveActed() is true, sending the same call again is safe: it
         *     acts only once.
         */
        public function cancel(string $orderUri, array $order): void {}

        /**
         * Sends the identification form to the shopper's mobile phone by SMS:
         * POST {order URI}/form_deliveries.
         *
         * @param string $orderUri The URI startSolicitation() returned.
         * @param string $productCode The product, e.g. "pp3".
         *
         * @throws ConflictException when the order is not pending or has no mobile
         *     phone.
         * @throws ValidationException when the order URI or product code is wrong.
         * @throws NotFoundException when seQura does not know the order.
         * @throws Exception for the other failures (see the subclasses): when
         *     mayHaveActed() is true, the SMS may have gone out: sending
         *     again may text the shopper twice.
         */
        public function sendIdentificationForm(string $orderUri, string $productCode): void {}

        /**
         * The payment methods seQura offers for this order: GET
         * /orders/{uuid}/payment_methods.
         *
         * @param string $orderUri The URI startSolicitation() returned.
         * @return array{payment_options: list<array{title?: string, description?: string, methods: list<array{product: string, campaign: ?string, title?: string, long_title?: string, cost?: array{setup_fee?: int, instalment_fee?: int, down_payment_fees?: int, instalment_total?: int, ...}, min_amount?: int, max_amount?: int, starts_at?: string, ends_at?: string, ...}>, ...}>, ...}
         *     Read into that shape, not json_decode()d: every method has a
         *     `campaign` (null for none), and a field of the shape seQura
         *     sent as null is left out (others are kept as they came). The
         *     costs and amounts are cents: written as digits or a whole
         *     float they are that int; one that is not whole cents (2.5)
         *     makes the answer an UnexpectedResponseException, never a
         *     cost left out.
         *
         * @throws ValidationException when the order URI is wrong.
         * @throws NotFoundException when seQura does not know the order.
         * @throws Exception for the other failures (see the subclasses).
         */
        public function getPaymentMethods(string $orderUri): array {}

        /**
         * The merchant's whole catalogue: GET /merchants/{merchant}/payment_methods.
         * Before an order exists (the payment step's list of methods), offer
         * seQura's methods whose min_amount and max_amount (cents) hold the
         * cart's total; an order's own costs come from getPaymentMethods()
         * once its solicitation has started.
         *
         * @return array{payment_options: list<array{title?: string, description?: string, methods: list<array{product: string, campaign: ?string, title?: string, long_title?: string, cost?: array{setup_fee?: int, instalment_fee?: int, down_payment_fees?: int, instalment_total?: int, ...}, min_amount?: int, max_amount?: int, starts_at?: string, ends_at?: string, ...}>, ...}>, ...}
         *     As getPaymentMethods().
         *
         * @throws AuthenticationException|ForbiddenException when the
         *     credentials or the merchant id are wrong.
         * @throws Exception for the other failures (see the subclasses).
         */
        public function getMerchantPaymentMethods(): array {}

        /**
         * Checks that the endpoint, the merchant id and the credentials work
         * together, for a settings page; nothing is created. Returns when they
         * do.
         *
         * @throws AuthenticationException for a wrong username or password (or
         *     credentials of the other environment).
         * @throws ForbiddenException|NotFoundException for a wrong merchant id.
         * @throws TransportException when the endpoint is unreachable.
         * @throws Exception for the other failures (see the subclasses).
         */
        public function checkCredentials(): void {}

        /**
         * Updates the shop's references of an order: PATCH {order URI}. Also the
         * last step of the legacy POS confirm.
         *
         * @param string $orderUri The URI startSolicitation() returned.
         * @param array{order_ref_1: string|int, order_ref_2?: string|int} $merchantReference
         *
         * @throws ConflictException when order_ref_1 is already taken by another
         *     order of the merchant, or the order is cancelled.
         * @throws ValidationException without order_ref_1; nothing is sent.
         * @throws NotFoundException when seQura does not know the order.
         * @throws Exception for the other failures (see the subclasses): when
         *     mayHaveActed() is true, sending the same call again is safe: it
         *     acts only once.
         */
        public function updateReferences(string $orderUri, array $merchantReference): void {}

        /**
         * Changes a confirmed order after the checkout: PUT
         * /merchants/{merchant}/orders/{order_ref_1}. Both carts together are the
         * order as it now stands: ship, refund or cancel items; both empty cancel
         * the order.
         *
         * @param string $orderRef1 The order's merchant_reference.order_ref_1;
         *     an int (a shop's order id) is taken as its digits.
         * @param array $update `shipped_cart` and `unshipped_cart` (each with
         *     `currency`, `order_total_with_tax`, `items`), optionally `trackings`,
         *     `delivery_method`, the addresses and `customer`, as in the order.
         *     Each item is the confirmed order's, known by its `reference`; an
         *     invoice fee (which has none) and a subscriber fee without one are
         *     known by their `type`.
         *
         * @throws ValidationException when a cart does not add up, a
         *     section is not as in an order (a tracking's type or date, an
         *     address), a key is named by no document (a typo such as
         *     `trakings`, unless `allow_unknown_keys`), or
         *     merchant.id or merchant_reference.order_ref_1 is another's: every
         *     problem at once, after any value JSON cannot carry; nothing is sent.
         * @throws NotFoundException when no confirmed order has the reference.
         * @throws ConflictException when an item is added or moved back.
         * @throws Exception for the other failures (see the subclasses): when
         *     mayHaveActed() is true, sending the same call again is safe: it
         *     acts only once.
         */
        public function orderUpdate(string $orderRef1, array $update): void {}
    }

    /**
     * What a shop's notification endpoint needs: no client is required.
     */
    final class Notifications
    {
        /**
         * Not to be built: the methods are static (new throws an
         * \Exception, and the class cannot be extended).
         */
        public function __construct() {}

        /**
         * The signature of the shop's identity of an order (its cart id), keyed
         * with the shop's secret: 16 to 1024 bytes of UTF-8 text without a
         * control character, e.g. bin2hex(random_bytes(32)). Put both in
         * merchant.notification_parameters, the signature under "signature".
         *
         * @throws ConfigException when the secret is too short or has a
         *     control character (a line end copied with it).
         * @throws ValidationException when the identity names no order (""
         *     or blank: its signature would vouch for every notification that
         *     echoes it) or cannot come back in a notification (a control
         *     character, more than 255 bytes); the problem's path is
         *     "identity".
         */
        public static function sign(#[\SensitiveParameter] string $secret, string $identity): string {}

        /**
         * Reads the IPN seQura POSTed to notify_url and checks its signature.
         *
         * The signature covers the shop's identity of the order only, not
         * order_ref, sq_state nor any other field: it proves the IPN is about
         * an order this shop started, not what it says of it. Match order_ref
         * with the order stored under that identity, and let seQura confirm
         * the state before acting on it where it can (confirm() refuses an
         * order seQura does not hold as approved): a signed IPN of the same
         * order, posted again with another sq_state, verifies too.
         *
         * @param string|array $body The raw body (file_get_contents('php://input'))
         *     or $_POST.
         * @param string $secret The shop's secret, as for sign().
         * @param string $identityParameter The parameter holding the signed
         *     identity, e.g. "cart".
         * @return array{order_ref: string, product_code: string, sq_state: string, order_ref_1: string, approved_since: string, parameters: array<string, string>}
         *     `sq_state` is "approved" (confirm() the order, then ship it),
         *     "needs_review" (seQura is reviewing the shopper: keep the order
         *     pending and unshipped; approved or cancelled follows; nothing to
         *     call) or "cancelled" (cancel the shop's order). `product_code` is
         *     "" for an order cancelled before the shopper completed it.
         *     `order_ref_1` and `approved_since` are "" when seQura sent none
         *     (approved_since comes with an approval only). `parameters` holds
         *     every other field: the order's notification_parameters (the
         *     signed identity among them) and any field seQura adds.
         *
         * @throws ValidationException for an empty body, a missing order_ref or
         *     sq_state, an approved or needs_review IPN without product_code, a
         *     field that is not UTF-8 text or an unknown sq_state; answer 404.
         * @throws SignatureException for a forged or unsigned IPN; answer 404 and
         *     do not act on it.
         * @throws ConfigException when the secret is too short or has a
         *     control character (a line end copied with it), or when
         *     $identityParameter is empty, is "signature", or is a field seQura
         *     sets (order_ref, sq_state, ...) rather than one of the order's
         *     notification_parameters.
         */
        public static function readIpn(mixed $body, #[\SensitiveParameter] string $secret, string $identityParameter): array {}

        /**
         * Reads an events-webhook request the same way. seQura posts the events
         * of an order after its confirmation (`event` "cancelled" when seQura
         * cancels it, "risk_assessment", ...) to the order's
         * merchant.events_webhook: ['url' => ..., 'parameters' => ['cart' =>
         * $cartId, 'signature' => Notifications::sign($secret, $cartId)]].
         * Its parameters come back prefixed "m_" (m_cart, m_signature) and are
         * returned without it; $identityParameter names it without it ("cart").
         * `fields` holds the post's other fields (e.g. a risk_assessment's
         * risk_level). Act on "cancelled" (stop fulfilling the shop's order);
         * an event the shop has no use for is logged and answered "taken". As
         * for an IPN, only the identity is signed, not `event`: a signed
         * notification of the same order posted again could say "cancelled",
         * so act on it in a way the shop can undo. Answer with
         * answerStatus(): "taken" once the shop acted on it, "try_later" to
         * be asked again.
         *
         * @param string|array $body The raw body or $_POST.
         * @return array{event: string, order_ref: string, order_ref_1: string, parameters: array<string, string>, fields: array<string, string>}
         *
         * @throws ValidationException for an empty body, a missing field or a
         *     field that is not UTF-8 text; answer 404.
         * @throws SignatureException for a forged or unsigned event; answer 404
         *     and do not act on it.
         * @throws ConfigException when the secret is too short or has a
         *     control character (a line end copied with it), or when
         *     $identityParameter is empty or is "signature".
         */
        public static function readEvent(mixed $body, #[\SensitiveParameter] string $secret, string $identityParameter): array {}

        /**
         * The HTTP status to answer seQura with: "taken" 200, "unknown_order" 404,
         * "try_later" 409 (seQura asks again), "never" 410 (seQura cancels the
         * order and refunds the shopper: only for an order the shop will never
         * fulfil, never for an error of its own).
         *
         * @throws ValidationException for another outcome.
         */
        public static function answerStatus(string $outcome): int {}
    }

    /**
     * The seQura order payload, checked before it leaves the shop: every
     * field of seQura's order document, its type, its allowed values and the
     * rules across fields (totals, item types, addresses, contract options).
     */
    final class Order
    {
        /**
         * Not to be built: the methods are static (new throws an
         * \Exception, and the class cannot be extended).
         */
        public function __construct() {}

        /**
         * Every problem of the order; an empty array when it is valid. At most
         * 100 are listed: past them, a last entry (path "order") counts the
         * others.
         *
         * Arrays with integer keys that are not 0..n-1 (such as items[9] after
         * items[5]) are read as json_encode() would send them and reported
         * among the other problems. The order's `state` is the one field each
         * call checks for itself: startSolicitation() takes it empty ("" or
         * null), confirm() empty or "confirmed". A client also checks what
         * depends on it: `merchant.id` is its merchant, and against seQura on
         * the internet `merchant.notify_url` and `merchant.events_webhook.url`
         * are public hosts.
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
         * @param array{contract?: list<string>, flow?: string, allow_unknown_keys?: bool}|null $options
         *     As for validate().
         * @return string The JSON text of the order.
         *
         * @throws ValidationException with every problem (see getProblems()),
         *     or when an option is wrong: the same problems as validate() and
         *     the calls that send the order, those of values that cannot
         *     become JSON (NAN, an object of a class, a resource) first.
         */
        public static function encode(array $order, ?array $options = null): string {}

        /**
         * The order's `platform` block, made from what PHP knows (its version,
         * php_uname()) and what the plugin says. Put it in the order as
         * `platform`.
         *
         * @param array{name: string, version: string, plugin_version?: string, db_name: string, db_version: string} $shop
         *     The shop software (`name`, e.g. "WooCommerce", and its
         *     `version`), this plugin's `plugin_version`, and the database
         *     (`db_name`, e.g. "mariadb", and `db_version`). `php_version` and
         *     `uname` are PHP's own: passing them is refused.
         * @return array{name: string, version: string, plugin_version?: string, uname: string, db_name: string, db_version: string, php_version: string}
         *
         * @throws ValidationException naming each missing, non-string or
         *     unknown field by its path, e.g. "platform.db_version".
         */
        public static function platform(array $shop): array {}
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
        /** @var string|null */
        protected $idempotencyKey = null;

        /**
         * The kind of error: one of "invalid_input", "config", "authentication",
         * "forbidden", "not_found", "conflict", "unprocessable", "rate_limited",
         * "server", "transport", "tls", "unexpected_response", "bad_signature".
         */
        public function getKind(): string {}

        /**
         * The HTTP status seQura answered, or null when no answer came (nothing
         * sent, connection failed, timeout). A transport error keeps the status
         * when the connection failed while the body was read: a 200 cut short
         * means the server acted. (A refusal cut short, a 409 say, is still
         * the refusal's own exception: its status says what happened.)
         */
        public function getHttpStatus(): ?int {}

        /**
         * Whether seQura may have acted on the request. false means it certainly
         * did not (nothing was sent, or the server refused), so the same request
         * can be corrected and sent again; true means it may have, and the
         * message says what sending it again would do: a PUT or PATCH (confirm,
         * hold, cancel, updateReferences, orderUpdate) acts only once however
         * often it is sent, a POST (startSolicitation, sendIdentificationForm,
         * a partner's create) may act twice. For startSolicitation that is
         * harmless: start a new one (the order left behind expires unless the
         * shopper completes it).
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

        /**
         * The idempotency key the failed request carried, when it may have
         * been acted on (mayHaveActed() true): checkout.com's
         * Cko-Idempotency-Key, yours or the one made for the call. Send it
         * again to retry safely; null otherwise.
         */
        public function getIdempotencyKey(): ?string {}
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
         * [['path' => 'cart.items[2].price_with_tax', 'message' => '...'], ...];
         * at most 100, then a last entry that counts the others (its path
         * is the document's root: "order", "update", "payment_request"...).
         * A message never quotes what a personal field holds (a name, a phone,
         * an id number, an address, a birth date), only its type: problems
         * may be logged.
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
         * Seconds to wait before retrying, when the server said so (a day at
         * most: a longer wait is read as a day); otherwise null.
         */
        public function getRetryAfter(): ?int {}
    }

    /**
     * 5xx: seQura failed and may have acted: the message says whether sending
     * the call again is safe (a PUT or PATCH) or may act twice (a POST).
     * Kind "server".
     */
    class ServerException extends Exception
    {
        /** @var string */
        protected $kind = 'server';
    }

    /**
     * The request did not complete: connection refused, lost, or timed out.
     * mayHaveActed() says whether it may have reached seQura. Kind "transport".
     */
    class TransportException extends Exception
    {
        /** @var string */
        protected $kind = 'transport';
    }

    /**
     * The server's certificate was refused (a CA not trusted, another host
     * name, expired) or no TLS connection could be agreed on; nothing was
     * sent (mayHaveActed() is false). Check the endpoint and the ca_file
     * option. A TransportException too. Kind "tls".
     */
    class TlsException extends TransportException
    {
        /** @var string */
        protected $kind = 'tls';
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
     * A client of one merchant's part-payment (in-store, POS) orders: the shop's
     * counter creates an order, seQura texts the customer a link to sign the
     * instalment agreement on their phone, and the order is confirmed when they
     * sign (or cancelled when the sale does not go ahead). It takes the same
     * options as Client: the API answers on the same seQura hosts with the same
     * credentials. It keeps one connection pool: build it once and reuse it.
     * Every call blocks until seQura answers or the timeout passes.
     */
    class PosClient
    {
        /**
         * Checks the options and builds the client; nothing is sent.
         *
         * @param array{
         *     endpoint: string,
         *     merchant: string,
         *     username: string,
         *     password: string,
         *     contract?: list<'services'|'multistore'|'garage'|'shipment_ref'|'instore'>,
         *     flow?: 'online'|'pos_legacy',
         *     allow_unknown_keys?: bool,
         *     connect_timeout?: int|float,
         *     timeout?: int|float,
         *     ca_file?: string,
         *     user_agent?: string,
         *     proxy?: string,
         *     persistent?: bool,
         *     log_bodies?: bool,
         *     logger?: object|callable(string, string, array<string, mixed>): mixed|null
         * } $options As for Client::__construct(); `allow_unknown_keys` lets
         *     order keys the API document does not name through (by default
         *     they are refused as typos); `contract` and `flow` are taken and
         *     not used by this API. The array is a #[\SensitiveParameter]:
         *     stack traces never show it.
         *
         * @throws ConfigException when an option is missing, unknown or wrong,
         *     or the logger is neither callable nor has a public log() method.
         * @throws \TypeError when $options is not an array.
         */
        public function __construct(#[\SensitiveParameter] array $options) {}

        /**
         * The merchant id this client acts for (the `merchant` option).
         */
        public function getMerchant(): string {}

        /**
         * Every problem of the order, as createOrder() checks it; nothing is
         * sent. An empty array when it can be sent.
         *
         * @param array $order As for createOrder().
         * @return list<array{path: string, message: string}> Each problem with
         *     its path, e.g. "cart_items[1].price_with_tax".
         */
        public function validateOrder(array $order): array {}

        /**
         * Creates a part-payment order: POST /api/public/v1/orders.
         *
         * The order is checked first: the documented fields are required,
         * `price_with_tax` is integer cents (25000 for 250.00; a string such as
         * "250.00" is refused, never converted), quantities are positive
         * integers, subscription items are refused, `merchant.id` must be the
         * client's own merchant (the request names it), and `mobile_phone` and
         * `nin` (a DNI, an NIE or a passport number: 5 to 20 letters and
         *     digits) must be plausible.
         *
         * @param array{
         *     merchant: array{id: string, store_ref: string},
         *     operator_ref: string,
         *     reference: string,
         *     mobile_phone: string,
         *     given_names: string,
         *     surnames: string,
         *     date_of_birth: string,
         *     nin: string,
         *     address: string,
         *     postal_code: string,
         *     city: string,
         *     email?: string,
         *     cart_items: list<array{reference: string, name: string, price_with_tax: int, quantity: int}>
         * } $order The order as seQura's part-payment API documents it.
         * @return array{id: int, reference?: string, status: string, total_with_tax: string, currency: string, sms_mobile_phone?: string, operator_ref?: string, cart_items: list<array{reference: string, name?: string, price_with_tax: int, quantity: int, total_with_tax?: mixed, ...}>, customer_data: array{given_names?: string, surnames?: string, nin?: string, email?: string, phone?: string, dob?: string, ...}, solicitation: mixed, order_uuid: ?string, subscription_id: mixed, joint_customer: mixed, can_resend_sms: bool, created_at?: string, ...}
         *     The cart object seQura answered: `id` (keep it for
         *     sendSms() and cancelOrder()), `status` ("pending"), `total_with_tax`
         *     (a string such as "250.00"), `currency`, `sms_mobile_phone`,
         *     `cart_items` (an item's `total_with_tax` is integer cents, or the
         *     server's value as it came when it is not), `customer_data`,
         *     `solicitation`, `order_uuid`, `subscription_id`, `joint_customer`,
         *     `can_resend_sms`, `created_at`, and any other field the server
         *     sent.
         *
         * @throws ValidationException when the order is refused before sending
         *     (see getProblems()).
         * @throws AuthenticationException|UnprocessableException when seQura
         *     refuses it (getErrors() holds the server's messages).
         * @throws Exception for the other failures (see the subclasses).
         */
        public function createOrder(array $order): array {}

        /**
         * Reads an order: GET /api/public/v1/orders/{id}; e.g. to see whether
         * the customer signed (`status` "confirmed").
         *
         * @param int $id The cart's `id`.
         * @return array{id: int, reference?: string, status: string, total_with_tax: string, currency: string, sms_mobile_phone?: string, operator_ref?: string, cart_items: list<array{reference: string, name?: string, price_with_tax: int, quantity: int, total_with_tax?: mixed, ...}>, customer_data: array{given_names?: string, surnames?: string, nin?: string, email?: string, phone?: string, dob?: string, ...}, solicitation: mixed, order_uuid: ?string, subscription_id: mixed, joint_customer: mixed, can_resend_sms: bool, created_at?: string, ...}
         *     The cart object, as createOrder() returns it.
         *
         * @throws ValidationException when $id is not positive.
         * @throws NotFoundException when there is no such order.
         * @throws AuthenticationException when the order belongs to another API
         *     account (or the password is wrong).
         * @throws Exception for the other failures.
         */
        public function getOrder(int $id): array {}

        /**
         * Texts the customer the link to sign the order:
         * POST /api/public/v1/orders/{id}/send_sms.
         *
         * @param int $id The cart's `id`.
         * @param string|null $mobilePhone Another number to text (checked first,
         *     e.g. "+34666123456"); null for the order's number.
         * @return string The server's message, e.g. "SMS sent successfully".
         *
         * @throws ValidationException when $id is not positive or $mobilePhone
         *     is not a mobile number.
         * @throws UnprocessableException when the SMS may not be sent again (see
         *     the cart's `can_resend_sms`).
         * @throws NotFoundException|AuthenticationException|Exception as for
         *     getOrder().
         */
        public function sendSms(int $id, ?string $mobilePhone = null): string {}

        /**
         * Cancels an order: POST /api/public/v1/orders/{id}/cancel. A pending
         * order is cancelled at once; for a confirmed one seQura asks the
         * financing provider to cancel it.
         *
         * @param int $id The cart's `id`.
         * @return array{outcome: 'cancelled'|'cancellation_requested'|'unknown', message: string, status: ?string}
         *     `outcome` is "cancelled" (done), "cancellation_requested" (the
         *     provider decides; the order stays confirmed until then) or
         *     "unknown" (accepted, but the order could not be read afterwards,
         *     or reads neither cancelled nor confirmed: read it later with
         *     getOrder()); `message` is the server's; `status` the order's
         *     status afterwards, or null.
         *
         * @throws UnprocessableException when the order is not in a cancellable
         *     status (already cancelled, completed, ...) or belongs to a
         *     subscription (cancel the subscription instead); getErrors() holds
         *     the server's message.
         * @throws NotFoundException|AuthenticationException|Exception as for
         *     getOrder().
         */
        public function cancelOrder(int $id): array {}
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
         *     user_agent?: string,
         *     proxy?: string,
         *     persistent?: bool,
         *     log_bodies?: bool,
         *     logger?: object|callable(string, string, array<string, mixed>): mixed|null
         * } $options `mac_id` and `mac_secret` are the project's MAC credentials;
         *     `endpoint` is Paysera's (default "https://checkout-eu-a.paysera.com")
         *     or another base URL such as the sandbox's (plain http:// only to a
         *     loopback host); `notification_endpoint` is the Event Notification
         *     API's base URL when it is not the endpoint (the bundled sandbox
         *     serves both at its URL); the others as for
         *     Client (`proxy`, `persistent`, `log_bodies` and `logger` too).
         *     Unknown keys are refused. The array is a #[\SensitiveParameter]:
         *     stack traces never show it.
         *
         * @throws ConfigException when an option is missing, unknown or wrong,
         *     or the logger is neither callable nor has a public log() method.
         * @throws \TypeError when $options is not an array.
         */
        public function __construct(#[\SensitiveParameter] array $options) {}

        /**
         * Every problem of a payment request, as createPaymentRequest() checks
         * it; nothing is sent. createPaymentRequest() also checks what depends
         * on the client: against Paysera on the internet, `callback_url` is a
         * public host.
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
         *     (['amount' => 999, 'currency' => 'EUR']: the amount in the
         *     currency's minor unit, an int or a string of digits, sent as
         *     given), `description`, `payer` (['email' =>
         *     ...]), `accept_url`, `cancel_url`, `callback_url` (https, and
         *     a public host when the endpoint is one), and
         *     optionally `method_key`, `locale` (e.g. "en"), `token_strategy`
         *     ("required" for a token for recurring payments) and any other field
         *     Paysera takes.
         * @return array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}
         *     The payment request as Paysera answered: `id`, `status`
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
         * @return array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}
         *     The payment request: its `status` ("new", "authorized",
         *     "captured", "canceled") and, once a `token_strategy: required`
         *     request is paid, the `issued_token` to store with the shopper.
         *
         * @throws ValidationException when $id is no payment request id.
         * @throws NotFoundException when Paysera does not know it.
         * @throws Exception for the other failures.
         */
        public function getPaymentRequest(string $id): array {}

        /**
         * Authorizes a new payment request with the shopper's stored token (a
         * recurring payment): PUT /checkout/rest/v1/payment-requests/{id}/authorize.
         *
         * @param string $token The `issued_token` of the shopper's first payment.
         * @return array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}
         *     The payment request, "authorized", or "captured" where Paysera
         *     captures at once (then there is nothing to capture()).
         *
         * @throws ValidationException when the token is empty, longer than
         *     1024 bytes or has a control character (named, never quoted).
         * @throws ConflictException when it is not "new".
         * @throws UnprocessableException when Paysera cannot use the token.
         * @throws Exception for the other failures.
         */
        public function authorizePaymentRequest(string $id, #[\SensitiveParameter] string $token): array {}

        /**
         * Captures an authorized payment request:
         * PUT /checkout/rest/v1/payment-requests/{id}/capture.
         *
         * @return array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}
         *     The payment request, "captured".
         *
         * @throws ConflictException when it is not "authorized".
         * @throws Exception for the other failures.
         */
        public function capturePaymentRequest(string $id): array {}

        /**
         * Cancels a new or authorized payment request:
         * PUT /checkout/rest/v1/payment-requests/{id}/cancel.
         *
         * @return array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}
         *     The payment request, "canceled".
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
         * markNotificationRead(). A notification whose `status` is "read" was
         * handled already (a callback posted again, by Paysera or by anyone
         * who saw its id): answer 200 and do not act twice. Acting is best
         * made idempotent too (a capture already done is a ConflictException).
         *
         * @param array $fields The callback's form fields: $_POST.
         * @return array{id: string, status?: string, event: string, data: array{payment_request?: array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}, ...}, ...}
         *     The notification: `id`, `event` (e.g.
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
         * @return array{id: string, status?: string, event: string, data: array{payment_request?: array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}, ...}, ...}
         *     As receiveCallback().
         *
         * @param string $notificationId The notification's id. It may come
         *     straight from the callback ($_POST['notification_id']), so any
         *     bytes are taken: one that is not a Paysera id (not UTF-8, or not
         *     1 to 128 letters, digits, "-" or "_") is a ValidationException
         *     naming notification_id, never a TypeError.
         *
         * @throws ValidationException when the id is not usable; nothing is sent.
         * @throws NotFoundException when Paysera does not know it.
         * @throws Exception for the other failures.
         */
        public function getNotification(string $notificationId): array {}

        /**
         * Marks a notification read once the shop has acted on it, so that
         * Paysera stops calling back: PUT /notification/rest/v1/notifications/{id}/read.
         *
         * @return array{id: string, status?: string, event: string, data: array{payment_request?: array{id: string, status: string, business_id?: string, order_id?: string, price?: array{amount: string|int, currency: string}, price_paid?: array{amount: string|int, currency: string}, description?: string, authorization_url?: string, payer?: array{email?: string, ...}, token_strategy?: string, issued_token?: string, ...}, ...}, ...}
         *     The notification, `status` "read".
         *
         * @param string $notificationId As for getNotification().
         *
         * @throws ValidationException when the id is not usable; nothing is sent.
         * @throws NotFoundException when Paysera does not know it.
         * @throws Exception for the other failures.
         */
        public function markNotificationRead(string $notificationId): array {}
    }

    /**
     * seQura through checkout.com: a client of one checkout.com account, whose
     * payment setups are confirmed with the seQura payment method. With
     * `persistent` (the default), its connections and, with OAuth, its access
     * token are the PHP process's, shared by every client of the same
     * credentials: one built in each PHP request reuses them. Every call
     * blocks until checkout.com answers or the timeout passes.
     *
     * Every POST carries a Cko-Idempotency-Key (yours, or a new one that the
     * answer gives back, or the exception's getIdempotencyKey() when the call
     * failed): sending the same key again answers the first result instead of
     * creating a second setup or payment, so a call that failed with
     * mayHaveActed() true is retried safely with the same key.
     */
    class CheckoutComClient
    {
        /**
         * Checks the options and builds the client; nothing is sent.
         *
         * @param array{
         *     secret_key?: string,
         *     client_id?: string,
         *     client_secret?: string,
         *     scope?: string,
         *     environment?: string,
         *     prefix?: string,
         *     endpoint?: string,
         *     access_url?: string,
         *     processing_channel_id?: string,
         *     connect_timeout?: int|float,
         *     timeout?: int|float,
         *     ca_file?: string,
         *     user_agent?: string,
         *     proxy?: string,
         *     persistent?: bool,
         *     log_bodies?: bool,
         *     logger?: object|callable(string, string, array<string, mixed>): mixed|null
         * } $options Either `secret_key` ("sk_..." for production, "sk_sbox_..."
         *     for the sandbox: the environment follows from it), or `client_id`
         *     and `client_secret` (an access key, OAuth) with `environment`
         *     ("sandbox" or "production") and optionally `scope` (default
         *     "gateway") and `access_url` (the token endpoint, by default the
         *     environment's, https://access.sandbox.checkout.com/connect/token;
         *     `endpoint` does not move it: with the bundled sandbox, pass its
         *     URL . "/connect/token"). `prefix` is the account's eight-character prefix
         *     (https://{prefix}.api.checkout.com); `endpoint` replaces the whole
         *     base URL (e.g. the bundled sandbox; plain http:// only to a
         *     loopback host). `processing_channel_id` ("pc_...") goes into setups
         *     that name none. The connection options (`connect_timeout`,
         *     `timeout`, `ca_file`, `user_agent`, `proxy`, `persistent`,
         *     `log_bodies`, `logger`) are as for Client. Unknown keys are
         *     refused. The array is a #[\SensitiveParameter]: stack traces never
         *     show it.
         *
         * @throws ConfigException when an option is missing, unknown or wrong
         *     (e.g. a malformed secret key; the message never shows it), or the
         *     logger is neither callable nor has a public log() method. An
         *     OAuth client learns whether the token endpoint takes its `scope`
         *     only when a call first asks for a token: any call may then
         *     throw ConfigException too (a 400 other than invalid_client),
         *     its own request not sent.
         * @throws \TypeError when $options is not an array.
         */
        public function __construct(#[\SensitiveParameter] array $options) {}

        /**
         * Every problem of a payment setup, as createSetup() checks it; an empty
         * array when it is valid. Nothing is sent.
         *
         * @param array $setup As for createSetup().
         * @return list<array{path: string, message: string}> Each problem with
         *     its path, e.g. "billing.address.country".
         */
        public function validateSetup(array $setup): array {}

        /**
         * Creates a payment setup: POST /payments/setups.
         *
         * @param array $setup The API's own JSON as an array: `amount` (integer
         *     cents, more than 0), `currency` ("EUR": seQura takes euros only),
         *     `reference` (at most 80 characters, no control character,
         *     at most 255 bytes: the webhooks carry it back), `description`,
         *     `billing.address` (address_line1, city, state, zip, and `country`
         *     as ISO 3166 alpha-2), `settings.success_url` and `failure_url`
         *     (absolute http(s) URLs without a user name or password). `processing_channel_id` defaults to the
         *     client's. Other keys the API knows are sent as given; a typo of
         *     one of these (`refrence`) and a key that no field of the API can
         *     be (not lower-case letters, digits and '_') are problems: the
         *     API would drop them.
         * @param string|null $idempotencyKey The Cko-Idempotency-Key to send;
         *     null for a new one.
         * @return array{setup: array{id: string, processing_channel_id?: string, amount?: int, currency?: string, payment_type?: string, reference?: string, description?: string, payment_methods?: array<string, array{status?: string, flags: list<string>, ...}>, available_payment_methods?: list<string>, ...}, idempotency_key: string, request_id: ?string}
         *     The setup (`id` is "set_..."; `payment_methods.sequra.status` is
         *     "ready" once seQura can be confirmed), the key sent, and
         *     checkout.com's request id.
         *
         * @throws ValidationException when the setup or key is refused before
         *     sending (see getProblems()).
         * @throws UnprocessableException when checkout.com refuses it
         *     (getErrors() holds its error codes, e.g. "idempotency_key_reused").
         * @throws RateLimitedException when a request with this key is still
         *     in flight.
         * @throws AuthenticationException|ForbiddenException|ServerException|
         *     TransportException|UnexpectedResponseException for the other
         *     failures; getRequestId() is checkout.com's id for its support.
         */
        public function createSetup(array $setup, ?string $idempotencyKey = null): array {}

        /**
         * Reads a payment setup: GET /payments/setups/{id}.
         *
         * @param string $id The setup's id, "set_...".
         * @return array{id: string, processing_channel_id?: string, amount?: int, currency?: string, payment_type?: string, reference?: string, description?: string, payment_methods?: array<string, array{status?: string, flags: list<string>, ...}>, available_payment_methods?: list<string>, ...}
         *     The setup.
         *
         * @throws ValidationException when $id is no setup id.
         * @throws NotFoundException when checkout.com does not know it.
         * @throws Exception for the other failures (see the subclasses).
         */
        public function getSetup(string $id): array {}

        /**
         * Updates a payment setup: PUT /payments/setups/{id} with the fields that
         * change (a new amount, the billing address once the customer gave it),
         * checked like createSetup() except that nothing is required.
         *
         * @param string $id The setup's id, "set_...".
         * @param array $changes The fields to change.
         * @return array{id: string, processing_channel_id?: string, amount?: int, currency?: string, payment_type?: string, reference?: string, description?: string, payment_methods?: array<string, array{status?: string, flags: list<string>, ...}>, available_payment_methods?: list<string>, ...}
         *     The setup as it is now.
         *
         * @throws ConflictException when the setup is already confirmed.
         * @throws NotFoundException|ValidationException|UnprocessableException
         * @throws Exception for the other failures (see the subclasses).
         */
        public function updateSetup(string $id, array $changes): array {}

        /**
         * Confirms a payment setup with seQura:
         * POST /payments/setups/{id}/confirm/sequra. Send the customer to
         * `redirect_url`; they come back to the setup's success_url or
         * failure_url, and a webhook (see verifyWebhook()) says how it ended.
         *
         * @param string $id The setup's id, "set_...".
         * @param string|null $idempotencyKey As for createSetup().
         * @return array{redirect_url: ?string, payment: array{id: string, status: string, reference?: string, processing?: array{partner_payment_id?: string, ...}, _links?: array<string, array{href?: string, ...}>, ...}, idempotency_key: string, request_id: ?string}
         *     The payment (`id` "pay_...", `status` "Pending",
         *     `processing.partner_payment_id`), the seQura page to redirect to,
         *     the key sent and checkout.com's request id.
         *
         * @throws UnprocessableException when seQura is not ready yet
         *     (getErrors() says which fields are missing).
         * @throws ConflictException when the setup is already confirmed.
         * @throws UnexpectedResponseException when the payment is not
         *     Pending (Declined, say): there is no page to send the customer
         *     to; offer another payment method (mayHaveActed() is true).
         * @throws NotFoundException|RateLimitedException|ValidationException
         * @throws Exception for the other failures (see the subclasses).
         */
        public function confirmSetup(string $id, ?string $idempotencyKey = null): array {}

        /**
         * A new idempotency key (a random UUID). Store it with the order before
         * calling when a retry may come from another request.
         *
         * @throws Exception when the system's random source fails.
         */
        public static function newIdempotencyKey(): string {}

        /**
         * Verifies a webhook checkout.com sent and returns its event. The
         * signature (hex HMAC-SHA256 of the raw body, keyed with the webhook's
         * secret) is compared in constant time.
         *
         * @param string $secret The webhook's secret key.
         * @param string $body The raw request body, exactly as received:
         *     file_get_contents('php://input').
         * @param string|null $signature The Cko-Signature header:
         *     $_SERVER['HTTP_CKO_SIGNATURE'] ?? null. Any bytes are taken: one
         *     that is not text (not UTF-8) is a SignatureException like any
         *     other signature that does not match, never a TypeError.
         * @return array{id: string, type: string, created_on?: string, payment_id?: string, reference?: string, amount?: int, currency?: string, data: array<string, mixed>}
         *     `id` ("evt_...": act once per id), `type` (e.g. "payment_approved":
         *     fulfil the order; "payment_declined", "payment_canceled",
         *     "payment_expired": cancel it), and the payment it is about.
         *
         * @throws SignatureException when the signature is missing, is not
         *     text or does not match: answer 401 and do not act on it.
         * @throws ValidationException when a signed body is not an event.
         * @throws ConfigException when $secret is empty or has a control
         *     character (a line end copied with it).
         */
        public static function verifyWebhook(#[\SensitiveParameter] string $secret, string $body, ?string $signature = null): array {}
    }
}
