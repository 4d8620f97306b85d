/*
 * sequra.h: the C ABI of the sequra library (seQura Orders API and partners).
 * Link with -lsequra (libsequra.so or libsequra.a).
 *
 * Conventions, for every function:
 * - It returns an SqStatus: SQ_OK (0) or an error. Why a call failed is
 *   the calling thread's last error: sq_last_error() (a message),
 *   sq_last_error_json() (kind, status, the server's errors, ...) and
 *   sq_last_error_may_have_acted() (whether the server may have acted on
 *   it), as in libgit2. Each thread has its own, so a thread never reads
 *   another's. Every call that returns an SqStatus replaces it, a
 *   success with none ("", "{}" and false), so it always describes the
 *   thread's latest such call. The functions that return no status
 *   (sq_last_error, sq_last_error_json, sq_last_error_may_have_acted,
 *   sq_status_name, sq_log_level_name, sq_version, sq_string_free, the
 *   _free functions) leave it alone. Its strings are
 *   the library's: valid until the thread's next call that returns an
 *   SqStatus; never free them. Messages are bounded (a value is quoted
 *   short, with its length) and never hold a password, key or secret.
 * - Input strings are NUL-terminated UTF-8, borrowed for the call only;
 *   JSON inputs are UTF-8 JSON text. A byte buffer (a pointer and a
 *   length, e.g. `body`, `body_length`) is borrowed for the call too, and
 *   may be NULL only with length 0. NULL where a value is required, bad
 *   UTF-8 and bad JSON give SQ_ERR_INVALID_ARGUMENT, never a crash; but a
 *   body received from the network (a webhook's, a callback's) is the
 *   sender's, and bad bytes in it are SQ_ERR_INVALID_INPUT. A
 *   JSON object with a key twice is ambiguous (which value is meant?):
 *   SQ_ERR_INVALID_INPUT, naming the key, in every function that takes
 *   JSON, the _validate ones too (SQ_ERR_CONFIG in a _new's options);
 *   nothing is sent. So is JSON larger than any document of these APIs
 *   (more than 100 000 values, 4 MiB of text in its strings and keys, or
 *   16 MiB of JSON text in all), which is not read past that bound.
 *   Each document has its own bound within that one: a seQura order or
 *   update 100 000 values and 4 MiB of text; a POS order, a checkout.com
 *   payment setup and a Paysera payment request 10 000 values and 1 MiB.
 *   A document over its bound gets that one problem, as any other: in the
 *   list a _validate function returns, SQ_ERR_INVALID_INPUT from a call
 *   that sends. JSON nested 128 levels deep or more does not parse
 *   (SQ_ERR_INVALID_ARGUMENT). In a seQura order and a POS order, an
 *   empty list `[]` is taken wherever an object is (what PHP's
 *   json_encode writes for an empty array) and sent as it came; the
 *   other documents want `{}`.
 * - Outputs (`out_` parameters) are written only on SQ_OK; a required
 *   output pointer that is NULL is refused before anything is sent.
 *   Every string written to one is owned by the caller and freed with
 *   sq_string_free, as it was written: read it, copy it, but do not
 *   shorten it (a NUL written inside it, strtok) before freeing it. An
 *   answer a C string cannot carry (a NUL byte
 *   inside) is SQ_ERR_UNEXPECTED_RESPONSE, `may_have_acted` true.
 * - Every function may be called from any thread. Every handle may be
 *   shared: any number of threads may call functions with one handle at
 *   once, no lock needed. Only its _free must not race: call it once,
 *   after every other call with the handle has returned. Using a handle
 *   after its _free, or one of another kind cast to it, is a bug the
 *   library catches when it can, as SQ_ERR_INVALID_ARGUMENT (and a _free
 *   of it does nothing), but not always: once a new handle of the same
 *   kind takes a freed one's address, the old pointer names the new
 *   handle. Do not rely on it. The functions
 *   without a handle (notifications, webhooks, idempotency keys) need no
 *   setup. The process-wide state is the log callback and the pool of
 *   persistent connections.
 * - A call blocks until it is done, at most the client's `timeout`, every
 *   request it sends included (a read after a POS cancel, an OAuth token,
 *   ...), plus the check and encoding of what it sends, which come first
 *   (some 25 ms a megabyte of JSON; microseconds for a usual order), and
 *   the time the log callback takes (the records of a call's
 *   last exchange come after it; a callback's time before a try is
 *   repeated is taken from that try's). It tries a request again
 *   by itself, within that time (at most 3 tries), when the request did
 *   not reach the server, on 429, 502, 503 or 504 when repeating it is
 *   safe (GET, PUT, a POST with an idempotency key), and at once on a new
 *   connection after a 408 on a pooled one (a request not safe to repeat
 *   only when the 408 closed the connection: the server did not take it).
 * - Any call that sends may fail with the status of any HTTP answer
 *   (SQ_ERR_AUTHENTICATION for 401, SQ_ERR_FORBIDDEN 403, SQ_ERR_NOT_FOUND
 *   404, SQ_ERR_CONFLICT 409, SQ_ERR_UNPROCESSABLE 422, SQ_ERR_RATE_LIMITED
 *   429, SQ_ERR_SERVER 5xx, SQ_ERR_UNEXPECTED_RESPONSE for what the API
 *   does not document) or with SQ_ERR_TRANSPORT or SQ_ERR_TLS; a
 *   function's Returns list names those its API documents.
 *
 * Documents: the JSON a function takes is the remote API's own (the
 * seQura order document for `order_json`: `merchant`, `cart` with every
 * amount in integer cents, `delivery_address`, `customer`, `gui`,
 * `platform`, ...; docs/apis.md in the source names each API's document).
 * seQura's example order, every field of the document, as the document
 * writes it: share/sequra/seed_order.json where the package is installed
 * (core/tests/fixtures/seed_order.json in the source; sq_orders_validate,
 * with a client for merchant s1, names its eight problems, each with what
 * to send instead); a small valid one: order_json_with in the source's
 * tests/c/testing.h. The library takes and gives JSON text: a C program
 * builds and reads it with a JSON library of its choice.
 * sq_orders_validate lists the problems of an order, each with its
 * `path` and what to send instead; the calls that send one refuse it
 * with the same problems and send nothing. A list of problems (a
 * _validate function's, or an error's `problems`) holds the first 100;
 * past them, one more says how many are left, at the document's root
 * (its `path` is "order", "payment_setup", "payment_request", ...; its
 * message begins "and N more problems not listed").
 *
 * Under valgrind (memcheck), pass
 * --suppressions=<prefix>/share/sequra/valgrind.supp: memcheck does not
 * follow the TLS library's AES-GCM assembly and reports its reads as
 * uninitialised; with it, a program using the library runs clean.
 *
 * Options every _new takes besides its own (the connection), each
 * optional; nothing is read from the environment (HTTP_PROXY,
 * SSL_CERT_FILE, ...):
 * - `connect_timeout`: seconds to open a connection (TCP and TLS),
 *   default 5; `timeout`: seconds for a whole call, retries included,
 *   default 30; both may be fractional, from 0.001 to 600;
 * - `ca_file`: a PEM file of CA certificates to trust instead of the
 *   built-in roots (TLS is always verified);
 * - `user_agent`: appended to the User-Agent, e.g. "myshop/1.2";
 * - `proxy`: an HTTP CONNECT proxy, "http://[user:password@]host:port",
 *   for https endpoints; never quoted in a message;
 * - `persistent`: true to take connections from a per-process pool, so
 *   that they outlive the client (idle ones close after 30 s; a forked
 *   child never uses its parent's, and lets go of its copies of them as
 *   it is forked, so they close when the parent closes them); a
 *   checkout.com OAuth token is then shared too, by the process's clients
 *   of the same credentials;
 * - `log_bodies`: true to add the masked bodies to the debug records
 *   (see Logging).
 *
 * Logging: sq_set_log_callback hands the library's records to a function
 * of yours, on the thread of the call that made them, during that call.
 * Each record has a level (SqLogLevel, PSR-3's), a one-line message and
 * its fields as a JSON object:
 * - each HTTP exchange (each try) is one SQ_LOG_DEBUG record: `method`,
 *   `path` (never the host, its userinfo or the query string), `status`
 *   when an answer came, `error` (the kind) when none came or the body of
 *   a success or a redirect could not be read, `ms`, `attempt` (1, 2, ...)
 *   and, when the server sends one, `request_id`;
 * - each try about to be repeated is an SQ_LOG_WARNING record with its
 *   `reason` (and, for a retry after a failed try, `method`, `path`,
 *   `attempt`, `wait_ms`, and `status` or `error`, the kind);
 * - each call that fails once it has been sent (not one refused before:
 *   a bad argument or document) is an SQ_LOG_ERROR record: `kind` (as in
 *   sq_last_error_json), `may_have_acted`, `method`, `path`, and `status`
 *   and `request_id` where there are;
 * - no record ever holds a password, key, secret, token, signature or
 *   Authorization header;
 * - request and response bodies only with the client option `log_bodies`:
 *   then the debug record also has `request_body` and `response_body`,
 *   JSON with the customer's personal fields (names, addresses, phones,
 *   email, national id, ...) and every credential masked as "***", and
 *   URLs without their user name, query and fragment; a body that is not JSON appears only as its
 *   size.
 * A call made while no callback is set builds no record at all.
 */

#ifndef SEQURA_H
#define SEQURA_H

/* Generated by cbindgen from c-api/src: do not edit. Regenerate with SEQURA_UPDATE_HEADER=1 cargo test -p sequra-capi --test header */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The version of the library this header describes: sq_version() returns SEQURA_VERSION. */
#define SEQURA_VERSION_MAJOR 0
#define SEQURA_VERSION_MINOR 1
#define SEQURA_VERSION_PATCH 0
#define SEQURA_VERSION "0.1.0"

/**
 * The outcome of a call: 0 is success, anything else an error whose
 * details the calling thread's sq_last_error and sq_last_error_json give.
 * The numbers are fixed forever: new statuses are added at the end, none
 * is ever renumbered or reused, so a caller should treat an unknown
 * number as an error.
 */
enum SqStatus
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  /**
   * The call succeeded; its outputs are written.
   */
  SQ_OK = 0,
  /**
   * A pointer argument was NULL or not a live handle of the function's
   * kind, a string was not UTF-8, a JSON argument did not parse, a
   * length was more than any buffer can hold, or two outputs were the
   * same pointer. Nothing was sent.
   */
  SQ_ERR_INVALID_ARGUMENT = 1,
  /**
   * The payload has problems (a document, options of a call, a
   * notification or callback received), listed in the last error's JSON
   * under `problems` (each with `path` and `message`). Nothing was sent.
   */
  SQ_ERR_INVALID_INPUT = 2,
  /**
   * The client options are unusable, or a secret or setting a function
   * without a handle takes (a notification or webhook secret, an
   * `identity_parameter`), or the system's random source failed.
   * Nothing was sent (but for a checkout.com OAuth client's token
   * request, whose endpoint refused its `scope`: the call's own request
   * was not sent).
   */
  SQ_ERR_CONFIG = 3,
  /**
   * HTTP 401: the credentials were refused (a username or password, a
   * Paysera MAC, a checkout.com key).
   */
  SQ_ERR_AUTHENTICATION = 4,
  /**
   * HTTP 403: the credentials may not do this (e.g. another merchant's
   * order).
   */
  SQ_ERR_FORBIDDEN = 5,
  /**
   * HTTP 404: no such thing (an order, a setup, a payment request, a
   * notification).
   */
  SQ_ERR_NOT_FOUND = 6,
  /**
   * HTTP 409: refused in the current state; the server's reasons are in
   * the last error's JSON under `errors`. (The POS API answers a state
   * it refuses with 422: SQ_ERR_UNPROCESSABLE.)
   */
  SQ_ERR_CONFLICT = 7,
  /**
   * HTTP 422, or a 400 with the server's reasons: the request was refused
   * as sent, or in its state for the POS API; `errors` in the JSON name
   * what to fix.
   */
  SQ_ERR_UNPROCESSABLE = 8,
  /**
   * HTTP 429: too many requests; `retry_after` in the JSON says when.
   */
  SQ_ERR_RATE_LIMITED = 9,
  /**
   * HTTP 5xx: the server failed and may have acted; the message says
   * what sending the call again would do (see sq_last_error_json).
   */
  SQ_ERR_SERVER = 10,
  /**
   * The request did not complete (connection, timeout); `may_have_acted`
   * in the JSON says whether it can have arrived. (A refused TLS
   * connection is SQ_ERR_TLS.)
   */
  SQ_ERR_TRANSPORT = 11,
  /**
   * The server answered something the API does not document.
   */
  SQ_ERR_UNEXPECTED_RESPONSE = 12,
  /**
   * A notification's signature did not match.
   */
  SQ_ERR_BAD_SIGNATURE = 13,
  /**
   * A bug inside the library was caught at the boundary; please report it.
   */
  SQ_ERR_INTERNAL = 14,
  /**
   * The server's certificate was refused (a CA the client does not trust,
   * another host name, expired) or no TLS connection could be agreed on;
   * nothing was sent. Check the endpoint and the `ca_file` option. Any
   * call documented to return SQ_ERR_TRANSPORT may return it.
   */
  SQ_ERR_TLS = 15,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum SqStatus SqStatus;
#else
typedef uint32_t SqStatus;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * How much a log record matters, in PSR-3's order from debug to
 * emergency, so that `level >= SQ_LOG_WARNING` keeps warnings and worse.
 * The numbers are fixed forever. The library emits SQ_LOG_DEBUG,
 * SQ_LOG_WARNING and SQ_LOG_ERROR; the other five are PSR-3's, numbered
 * now so that no number ever changes.
 */
enum SqLogLevel
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  SQ_LOG_DEBUG = 0,
  SQ_LOG_INFO = 1,
  SQ_LOG_NOTICE = 2,
  SQ_LOG_WARNING = 3,
  SQ_LOG_ERROR = 4,
  SQ_LOG_CRITICAL = 5,
  SQ_LOG_ALERT = 6,
  SQ_LOG_EMERGENCY = 7,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum SqLogLevel SqLogLevel;
#else
typedef uint32_t SqLogLevel;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * A client of one checkout.com account (a secret key or OAuth client
 * credentials). Opaque: create it with sq_checkout_com_client_new and
 * release it with sq_checkout_com_client_free. Any number of threads may
 * call functions with one handle at once.
 */
typedef struct SqCheckoutComClient SqCheckoutComClient;

/**
 * A client of one merchant's seQura account. Opaque: create it with
 * sq_client_new and release it with sq_client_free. Any number of threads
 * may call functions with one handle at once.
 */
typedef struct SqClient SqClient;

/**
 * A client of one Paysera project (Paysera Checkout). Opaque: create it
 * with sq_paysera_client_new and release it with sq_paysera_client_free.
 * Any number of threads may call functions with one handle at once.
 */
typedef struct SqPayseraClient SqPayseraClient;

/**
 * A client of one merchant's part-payment (in-store) orders. Opaque:
 * create it with sq_pos_client_new and release it with
 * sq_pos_client_free. Any number of threads may call functions with one
 * handle at once.
 */
typedef struct SqPosClient SqPosClient;

/**
 * Receives one log record: `user_data` as given to sq_set_log_callback,
 * the record's `level`, its `message` (one line of text, e.g. "POST
 * /orders answered 201 in 12 ms") and `context_json`, a JSON object with
 * the record's fields (see the header's opening comment). Both strings
 * are UTF-8, borrowed for the duration of the callback only: copy what
 * you keep.
 */
typedef void (*SqLogCallback)(void *user_data,
                              SqLogLevel level,
                              const char *message,
                              const char *context_json);

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Creates a client from the options JSON object in `options_json`:
 * `endpoint` ("sandbox", "live" or a URL; plain http only to loopback),
 * `merchant`, `username`, `password`; optionally `contract` (the
 * merchant's contract options, which the order checks follow: a list of
 * "services", "multistore", "garage", "shipment_ref", "instore"), `flow`
 * ("online", the default, or "pos_legacy" for in-store orders confirmed
 * without IPN) and `allow_unknown_keys` (true lets order keys the API
 * does not name through); and the connection options (the top of
 * sequra.h). Unknown keys are refused: they are usually typos. Nothing is
 * sent.
 *
 * `options_json` is borrowed for the call. On SQ_OK, `*out_client`
 * receives the handle, owned by the caller: release it with
 * sq_client_free. On failure `*out_client` is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
 * NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
 * option, an unreadable `ca_file`, a bad `proxy`); SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_client_new(const char *options_json, SqClient **out_client);

/**
 * Releases a client made by sq_client_new. NULL is allowed and ignored.
 * Call it once, when no other call with the handle is running or will
 * follow: freeing a handle twice, or while another thread uses it, is a
 * bug the library catches only when it can (see the top of sequra.h): do
 * not rely on it.
 */
void sq_client_free(SqClient *client);

/**
 * Releases a string the library handed out through an `out_` parameter.
 * NULL is allowed and ignored. Never pass it a borrowed or static string
 * (sq_last_error, sq_last_error_json, sq_version, sq_status_name,
 * sq_log_level_name, a log callback's `message` and `context_json`), nor
 * free twice.
 */
void sq_string_free(char *s);

/**
 * The message of the calling thread's last call that returned a status:
 * "" when it succeeded (or the thread made none), else what went wrong
 * and what to do. Never holds a password, key or secret. Borrowed from
 * the library: valid until this thread's next call of a function that
 * returns an SqStatus, or until the thread exits (other threads' calls
 * never touch it); copy it to keep it or hand it to another thread; do
 * not free it. Calls from an atexit handler or a pthread key destructor
 * keep their last error too.
 */
const char *sq_last_error(void);

/**
 * The calling thread's last error as a JSON object: `kind` (the
 * status's name in lower case without SQ_ERR_: "conflict" for
 * SQ_ERR_CONFLICT, "invalid_argument", "internal", ...), `message` (as
 * sq_last_error), `may_have_acted` (false: the request certainly had no
 * effect and can be corrected and sent again; true: it may have, and the
 * message ends with what sending it again would do, by the request's
 * method: a GET, PUT or PATCH (reads, confirm, hold, cancel, reference
 * and post-sale updates, Paysera's capture and cancel) acts only once
 * however often it is sent, so sending it again is safe; a POST (a
 * solicitation, the form by SMS, a POS order and its SMS and cancel, a
 * Paysera request) may act twice; checkout.com's POSTs are safe again
 * with their `idempotency_key`), and where they apply
 * `status` (HTTP), `errors` (the server's own list: seQura's messages,
 * Paysera's "field: message (code)" or, from its `error_properties`,
 * "field: message (error)"; checkout.com's `error_codes`),
 * `problems` (of the payload, each with `path` and `message`),
 * `request_id` (the server's id of the request, for its support),
 * `retry_after` (seconds, a day at most) and `idempotency_key` (the key a failed
 * checkout.com POST that may have acted carried: send it again to retry
 * safely). "{}" when the last call succeeded. Borrowed
 * like sq_last_error; do not free it.
 */
const char *sq_last_error_json(void);

/**
 * sq_last_error_json's `may_have_acted`, without reading JSON: true when
 * the calling thread's last call that returned a status failed after the
 * server may have acted on it (sq_last_error says what sending it again
 * would do); false when it certainly had no effect, or succeeded.
 */
bool sq_last_error_may_have_acted(void);

/**
 * The library's version, e.g. "0.1.0". Static: never free it.
 */
const char *sq_version(void);

/**
 * The name of a status, e.g. "SQ_ERR_CONFLICT", or "SQ_UNKNOWN" for a
 * number that is no status (it takes any uint32_t, so a stray number is
 * safe to pass). Static: never free it.
 */
const char *sq_status_name(uint32_t status);

/**
 * Creates a client from the options JSON object in `options_json`:
 * `secret_key` (`sk_...` or `sk_sbox_...`; the environment follows from
 * it), or `client_id` and `client_secret` (OAuth; then `environment` is
 * required, and `scope` (default "gateway") and `access_url` are
 * optional: the token endpoint, by default the environment's
 * (https://access.sandbox.checkout.com/connect/token), not under
 * `endpoint`: with the bundled sandbox, its URL + "/connect/token"); `prefix` (the
 * account's eight-character prefix) or `endpoint` (a base URL that
 * replaces it, e.g. the bundled sandbox; plain http only to loopback);
 * and optionally `environment` ("sandbox" or "production"),
 * `processing_channel_id` (for setups that name none), and the connection
 * options (the top of sequra.h). Unknown keys are refused. Nothing is
 * sent.
 *
 * `options_json` is borrowed for the call. On SQ_OK, `*out_client`
 * receives the handle, owned by the caller: release it with
 * sq_checkout_com_client_free. On failure `*out_client` is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
 * NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
 * option, e.g. a malformed secret key); SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 *
 * An OAuth client learns whether the token endpoint takes its `scope`
 * only when a call first asks it for a token: then any of the calls
 * below may return SQ_ERR_CONFIG too (a 400 other than
 * `invalid_client`), and the call's own request was not sent.
 */
SqStatus sq_checkout_com_client_new(const char *options_json, SqCheckoutComClient **out_client);

/**
 * Releases a client made by sq_checkout_com_client_new. NULL is allowed and
 * ignored. Call it once, when no other call with the handle is running
 * or will follow: freeing a handle twice, or while another thread uses
 * it, is a bug the library catches only when it can (see the top of
 * sequra.h): do not rely on it.
 */
void sq_checkout_com_client_free(SqCheckoutComClient *client);

/**
 * Writes a new idempotency key (a random UUID) to `*out_key`, owned by the
 * caller (free it with sq_string_free). Make one before a create or
 * confirm whose retry may come from another process, and store it with
 * the order: sending the same key again is what makes the retry safe.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`out_key` NULL);
 * SQ_ERR_CONFIG (the system's random source failed); SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_checkout_com_new_idempotency_key(char **out_key);

/**
 * Checks the payment setup in `setup_json` (borrowed for the call) as
 * sq_checkout_com_setup_create does; nothing is sent. On SQ_OK,
 * `*out_problems_json` receives a JSON array of `{"path", "message"}`,
 * `[]` when the setup is valid, owned by the caller (free it with
 * sq_string_free).
 *
 * Returns SQ_OK whenever the setup could be read, valid or not;
 * SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_checkout_com_setup_validate(const SqCheckoutComClient *client,
                                        const char *setup_json,
                                        char **out_problems_json);

/**
 * Creates a payment setup (`POST /payments/setups`) from the setup object
 * in `setup_json`, the API's own JSON (`amount` in cents, `currency`
 * "EUR", `reference`, `billing.address`, `settings.success_url` and
 * `failure_url`, ...); it gets the client's `processing_channel_id` when
 * it names none. Other keys the API has are sent as given; a typo of a
 * key the check knows (`refrence`) and a key no field of the API can be
 * (not lower-case letters, digits and '_') are problems, as the API would
 * drop them. It is checked first; one with problems is refused and
 * nothing is sent. A setup may be created before it has all seQura needs
 * and completed with sq_checkout_com_setup_update: its
 * `payment_methods.sequra.status` is "ready" once it has them (the
 * billing address's `address_line1`, `city`, `state`, `zip` and
 * `country` among them), and confirming one that is not is refused
 * with checkout.com's codes of what is missing.
 *
 * `idempotency_key` is the Cko-Idempotency-Key to send, or NULL for a new
 * one; the request is retried with it on connection failures, 429 and
 * 502-504, and sending the same key again later answers the same setup
 * instead of creating another. All strings are borrowed for the call.
 *
 * On SQ_OK, `*out_setup_json` receives the setup as JSON (its `id` is
 * `set_...`; `payment_methods.sequra.status` is "ready" once seQura can be
 * confirmed) and, when `out_idempotency_key` is not NULL,
 * `*out_idempotency_key` the key sent; both owned by the caller (free them
 * with sq_string_free). On failure nothing is written.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, two outputs at
 * one pointer, not UTF-8, not JSON); SQ_ERR_INVALID_INPUT (the setup's or
 * key's `problems`, nothing sent); SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_UNPROCESSABLE
 * (checkout.com's `errors`, e.g. the key reused for another body),
 * SQ_ERR_RATE_LIMITED (a request with this key is still in flight),
 * SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
 * SQ_ERR_INTERNAL. Details via sq_last_error(). After any failure whose
 * `may_have_acted` is true, sq_last_error_json()'s `idempotency_key` is
 * the key sent (also one made for the call): retry with it.
 */
SqStatus sq_checkout_com_setup_create(const SqCheckoutComClient *client,
                                      const char *setup_json,
                                      const char *idempotency_key,
                                      char **out_setup_json,
                                      char **out_idempotency_key);

/**
 * Reads the payment setup `setup_id` (`GET /payments/setups/{id}`). On
 * SQ_OK, `*out_setup_json` receives it as JSON, owned by the caller (free
 * it with sq_string_free). `setup_id` is borrowed for the call.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (not a
 * `set_...` id, nothing sent); SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION,
 * SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_checkout_com_setup_get(const SqCheckoutComClient *client,
                                   const char *setup_id,
                                   char **out_setup_json);

/**
 * Updates the payment setup `setup_id` (`PUT /payments/setups/{id}`) with
 * the fields in `changes_json` (e.g. a new `amount`, the `billing`
 * address), checked first like a create except that nothing is required.
 * On SQ_OK, `*out_setup_json` receives the setup as it is now, owned by
 * the caller (free it with sq_string_free). Strings are borrowed.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT;
 * SQ_ERR_NOT_FOUND; SQ_ERR_CONFLICT (already confirmed);
 * SQ_ERR_UNPROCESSABLE; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
 * SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_checkout_com_setup_update(const SqCheckoutComClient *client,
                                      const char *setup_id,
                                      const char *changes_json,
                                      char **out_setup_json);

/**
 * Confirms the payment setup `setup_id` with seQura
 * (`POST /payments/setups/{id}/confirm/sequra`), with `idempotency_key`
 * as for sq_checkout_com_setup_create (NULL for a new one).
 *
 * On SQ_OK, `*out_payment_json` receives the payment as JSON (`id`
 * `pay_...`, `status` "Pending", `processing.partner_payment_id`, ...),
 * `*out_redirect_url` the seQura page to send the customer to, and, when
 * `out_idempotency_key` is not NULL, `*out_idempotency_key` the key sent;
 * each owned by the caller (free them with sq_string_free). On failure
 * nothing is written. Strings are borrowed for the call.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, two outputs at
 * one pointer); SQ_ERR_INVALID_INPUT (not a `set_...` id, a bad key);
 * SQ_ERR_NOT_FOUND; SQ_ERR_CONFLICT (already
 * confirmed); SQ_ERR_UNPROCESSABLE (seQura is not ready: the `errors` say
 * what is missing); SQ_ERR_RATE_LIMITED; SQ_ERR_AUTHENTICATION,
 * SQ_ERR_FORBIDDEN, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE (also a payment that is not Pending, e.g.
 * Declined: there is no page to send the customer to); SQ_ERR_INTERNAL.
 * Details via sq_last_error(); after a failure that may have acted, the
 * key to retry with is sq_last_error_json()'s `idempotency_key`, as for
 * sq_checkout_com_setup_create.
 */
SqStatus sq_checkout_com_setup_confirm(const SqCheckoutComClient *client,
                                       const char *setup_id,
                                       const char *idempotency_key,
                                       char **out_payment_json,
                                       char **out_redirect_url,
                                       char **out_idempotency_key);

/**
 * Verifies a webhook checkout.com sent: `signature` is its Cko-Signature
 * header (NULL when it had none), `body` the raw request body exactly as
 * received (before any decoding; JSON text, which holds no NUL byte),
 * `webhook_secret` the webhook's secret key. The signature is compared in
 * constant time. No client is needed.
 *
 * On SQ_OK, `*out_event_json` receives the event as JSON: `id`
 * (`evt_...`: act once per id), `type` (e.g. "payment_approved",
 * "payment_declined"), `created_on`, and for payment events `payment_id`,
 * `reference`, `amount`, `currency`, with the whole `data`; owned by the
 * caller (free it with sq_string_free); on failure it is untouched. All
 * strings are borrowed for the call.
 *
 * Returns SQ_OK; SQ_ERR_BAD_SIGNATURE (forged, changed or unsigned:
 * answer 401 and do not act on it); SQ_ERR_INVALID_INPUT (signed, but not
 * an event); SQ_ERR_CONFIG (an empty secret, or one with a control
 * character: a line end copied with it); SQ_ERR_INVALID_ARGUMENT
 * (a NULL pointer, a signature that is not UTF-8); SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_checkout_com_webhook_verify(const char *webhook_secret,
                                        const char *body,
                                        const char *signature,
                                        char **out_event_json);

/**
 * Sets the function that receives the library's log records, replacing
 * any set before; a NULL `callback` turns logging off (then the library
 * does not even build records). `user_data` is passed to every call of
 * the callback, untouched; the library never reads or frees it.
 *
 * The callback runs on whichever thread made the record, inside the
 * library call that made it, so it may run on several threads at once
 * (it and `user_data` must be safe for that) and must be quick: the call
 * waits for it. It must not unwind (a C++ exception, longjmp) out of the
 * library. It may call the library, even on its own thread (those calls
 * log too: mind the recursion). sq_last_error() read there describes the
 * thread's last finished call, not the one being logged, which sets its
 * own when it returns: a call made from the callback never hides it.
 *
 * When this function returns, the previous callback is not running on any
 * thread and will never be called again: its `user_data` may be freed.
 * It waits for the previous callback to return on every other thread, so
 * do not call it while holding a lock that callback takes.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT when called from inside a log
 * callback (it would wait for itself; nothing changes); SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_set_log_callback(SqLogCallback callback, void *user_data);

/**
 * PSR-3's name of a log level ("debug", "info", "notice", "warning",
 * "error", "critical", "alert", "emergency"), or "unknown" for a number
 * that is no level (it takes any uint32_t). Static: never free it.
 */
const char *sq_log_level_name(uint32_t level);

/**
 * The signature of `identity` (e.g. the shop's cart id) keyed with the
 * shop's `secret` (16 to 1024 bytes of UTF-8 text without a control
 * character, e.g. 64 random hex digits): put both in the order's
 * `merchant.notification_parameters` (the signature under "signature")
 * when the solicitation starts. On SQ_OK `*out_signature` receives it,
 * owned by the caller (free it with sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (an
 * `identity` that is empty or blank, has a control character or is longer
 * than 255 bytes: no notification could vouch for an order with it);
 * SQ_ERR_CONFIG (the secret is too short or has a control character);
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_notification_sign(const char *secret, const char *identity, char **out_signature);

/**
 * Reads the raw `application/x-www-form-urlencoded` body (`body`,
 * `body_length` bytes) of an IPN seQura POSTed to the shop's notify_url,
 * and checks the signature it echoes: the identity in the parameter
 * `identity_parameter` (e.g. "cart") signed with `secret`, as
 * sq_notification_sign made it. On SQ_OK `*out_json` receives
 * `{"order_ref", "product_code", "sq_state", "order_ref_1",
 * "approved_since", "parameters"}`, owned by the caller: `sq_state` is
 * "approved" (confirm the order), "needs_review" (wait: another IPN
 * follows) or "cancelled"; `approved_since` is the post's text (seconds
 * since the epoch); a field seQura left out is ""; `parameters` holds the
 * shop's notification parameters.
 *
 * The signature covers the identity only: it proves the IPN is about an
 * order this shop started, not what it says of it (a signed IPN of the
 * same order posted again with another `sq_state` verifies too). Match
 * `order_ref` with the order stored under the identity, and let seQura
 * confirm the state where it can (sq_orders_confirm refuses an order it
 * does not hold as approved). The fields the signature does not cover are
 * checked: `order_ref` is an order uuid (letters, digits and '-'),
 * `product_code` a product code, every other name and value has no
 * control character and at most 255 bytes; a repeated parameter is
 * refused (which one is meant would be ambiguous), and so is a name PHP's
 * `$_POST` would file under another (with a space, '.' or '['), which a
 * PHP part of the shop would read otherwise.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_INPUT (an empty body, a missing,
 * repeated or malformed field, an unknown sq_state; answer 404);
 * SQ_ERR_BAD_SIGNATURE (forged or unsigned, also when the identity
 * parameter the signature signs is missing; answer 404 and do not act);
 * SQ_ERR_CONFIG (the secret is shorter than 16 bytes, longer than 1024
 * or has a control character; or `identity_parameter` is empty, is
 * "signature", has a control character, a space, '.' or '[', or is a
 * field seQura sets, such as `order_ref`: checked before the body);
 * SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_ipn_read(const uint8_t *body,
                     size_t body_length,
                     const char *secret,
                     const char *identity_parameter,
                     char **out_json);

/**
 * The same for an event POSTed to `merchant.events_webhook.url`: its
 * webhook parameters (sent back prefixed `m_`) carry the identity and the
 * signature. On SQ_OK `*out_json` receives `{"event", "order_ref",
 * "order_ref_1", "parameters", "fields"}`, owned by the caller: `event` is
 * the event's name as seQura sent it (e.g. "cancelled": seQura cancelled
 * the confirmed order; an event the shop does not know is still read, for
 * it to answer 200 and ignore), `parameters` the shop's webhook
 * parameters without their `m_`, `fields` the post's other fields. The
 * bundled sandbox sends "cancelled" (POST /sandbox/orders/{uuid}/cancel
 * on a confirmed order). Answer as for an IPN.
 *
 * Returns as sq_ipn_read. Details via sq_last_error().
 */
SqStatus sq_event_read(const uint8_t *body,
                       size_t body_length,
                       const char *secret,
                       const char *identity_parameter,
                       char **out_json);

/**
 * The HTTP status the shop answers a notification with, for what it did:
 * `outcome` "taken" → 200, "unknown_order" → 404, "try_later" → 409
 * (seQura asks again), "never" → 410 (seQura cancels the order and refunds
 * the shopper: only for an order the shop will never fulfil, never for an
 * error of its own). On SQ_OK `*out_status` receives it.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_INPUT (another outcome);
 * SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_notification_answer_status(const char *outcome, uint16_t *out_status);

/**
 * Starts a solicitation (`POST /orders`) for the seQura order object in
 * `order_json` (borrowed for the call). The order is checked first; one
 * with problems is refused and nothing is sent. On SQ_OK, `*out_uri`
 * receives the new order's URI, owned by the caller (free it with
 * sq_string_free); on failure it is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
 * JSON); SQ_ERR_INVALID_INPUT (the order's `problems`, nothing sent);
 * SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_CONFLICT,
 * SQ_ERR_UNPROCESSABLE, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER (the server's
 * answer); SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_orders_start(const SqClient *client, const char *order_json, char **out_uri);

/**
 * Fetches the identification form (`GET {order}/form_v2`) of the order at
 * `order_uri` (the URI sq_orders_start gave, or the bare uuid). On SQ_OK,
 * `*out_html` receives the HTML to show the shopper, owned by the caller
 * (free it with sq_string_free); on failure it is untouched.
 * `options_json` may be NULL, or an object with `product` (default "i1"),
 * `campaign` (default null) and `ajax` (default false); any other key is
 * refused. Both strings are borrowed for the call.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
 * JSON); SQ_ERR_INVALID_INPUT (an unknown or mistyped option, or a key
 * given twice, each a problem under `problems`, as a document's are;
 * `order_uri` is no order URI of the configured endpoint);
 * SQ_ERR_NOT_FOUND (no such order); SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED,
 * SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_orders_form(const SqClient *client,
                        const char *order_uri,
                        const char *options_json,
                        char **out_html);

/**
 * Confirms the approved order at `order_uri` (`PUT {order}` with the full
 * order in `order_json` and `state` "confirmed"); both strings are
 * borrowed for the call. The order is checked first, as by
 * sq_orders_start. SQ_ERR_CONFLICT means seQura refused (the cart changed,
 * the reference is taken, the order is not approved): do not complete the
 * order; the server's reasons are in the last error's JSON under `errors`.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT;
 * SQ_ERR_CONFLICT; SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION,
 * SQ_ERR_FORBIDDEN, SQ_ERR_UNPROCESSABLE, SQ_ERR_RATE_LIMITED,
 * SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_orders_confirm(const SqClient *client, const char *order_uri, const char *order_json);

/**
 * Checks the order in `order_json` (borrowed for the call) as
 * sq_orders_start and sq_orders_confirm do, with the client's `contract`
 * options; nothing is sent. Its `state` is required (the document's
 * first field) and is the one field each call checks for itself:
 * sq_orders_start takes it empty ("" or null), sq_orders_confirm empty or
 * "confirmed", sq_orders_hold empty or "on_hold", sq_orders_cancel empty
 * or "cancelled". On SQ_OK, `*out_problems_json` receives a JSON
 * array of `{"path": "cart.items[2].price_with_tax", "message": "..."}`,
 * `[]` when the order is valid, owned by the caller (free it with
 * sq_string_free).
 *
 * Returns SQ_OK whenever the order could be read, valid or not;
 * SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_orders_validate(const SqClient *client,
                            const char *order_json,
                            char **out_problems_json);

/**
 * The payment methods seQura offers for the order at `order_uri` (the
 * URI sq_orders_start gave, or its uuid): `GET /orders/{uuid}/payment_methods`.
 * On SQ_OK, `*out_json` receives `{"payment_options": [{"title", "methods":
 * [{"product", "campaign", "title", "long_title", "cost": {...},
 * "min_amount", "max_amount", ...}]}]}`, owned by the caller (free it with
 * sq_string_free); on failure it is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (not an
 * order URI of the endpoint); SQ_ERR_AUTHENTICATION; SQ_ERR_NOT_FOUND;
 * SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_orders_payment_methods(const SqClient *client, const char *order_uri, char **out_json);

/**
 * The merchant's catalogue: `GET /merchants/{merchant}/payment_methods`.
 * `*out_json` as for sq_orders_payment_methods.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_AUTHENTICATION;
 * SQ_ERR_FORBIDDEN; SQ_ERR_NOT_FOUND; SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER;
 * SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_merchant_payment_methods(const SqClient *client, char **out_json);

/**
 * Checks that the endpoint, merchant id and credentials work together,
 * for a settings page; nothing is created.
 *
 * Returns SQ_OK when they do; SQ_ERR_AUTHENTICATION (wrong username or
 * password, or credentials of the other environment); SQ_ERR_FORBIDDEN or
 * SQ_ERR_NOT_FOUND (the merchant id); SQ_ERR_TRANSPORT (the endpoint is
 * unreachable); SQ_ERR_SERVER; SQ_ERR_UNEXPECTED_RESPONSE;
 * SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_client_check_credentials(const SqClient *client);

/**
 * Sends the identification form for product `product_code` (e.g. "pp3")
 * to the shopper's mobile phone by SMS: `POST {order URI}/form_deliveries`.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad
 * URI or product code; nothing sent); SQ_ERR_CONFLICT (the order is not
 * pending or has no mobile phone; `errors` say which); SQ_ERR_NOT_FOUND;
 * SQ_ERR_AUTHENTICATION; SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER;
 * SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_orders_send_form(const SqClient *client,
                             const char *order_uri,
                             const char *product_code);

/**
 * Puts an approved order on hold while the shop reviews it: `PUT {order
 * URI}` with the full order in `order_json` and `state` "on_hold". The
 * order is checked first, as for sq_orders_confirm.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (nothing
 * sent); SQ_ERR_CONFLICT (not approved, or confirmed or cancelled);
 * SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION; SQ_ERR_FORBIDDEN;
 * SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_orders_hold(const SqClient *client, const char *order_uri, const char *order_json);

/**
 * Cancels an order that is not confirmed: `PUT {order URI}` with the full
 * order and `state` "cancelled". A confirmed order is cancelled with
 * sq_orders_update and both carts empty instead (SQ_ERR_CONFLICT here).
 *
 * Returns as sq_orders_hold. Details via sq_last_error().
 */
SqStatus sq_orders_cancel(const SqClient *client, const char *order_uri, const char *order_json);

/**
 * Updates the shop's references of an order: `PATCH {order URI}` with the
 * `merchant_reference` object in `reference_json`
 * (`{"order_ref_1": "...", "order_ref_2": "..."}`). This is also the last
 * step of the legacy POS confirm.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (no
 * `order_ref_1`, an unknown key; nothing sent); SQ_ERR_CONFLICT
 * (`order_ref_1` already taken by another order of the merchant, or the
 * order is cancelled); SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION;
 * SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_orders_update_references(const SqClient *client,
                                     const char *order_uri,
                                     const char *reference_json);

/**
 * Changes a confirmed order after the checkout: `PUT
 * /merchants/{merchant}/orders/{order_ref_1}` with `update_json`, an
 * object with `shipped_cart` and `unshipped_cart` (each `currency`,
 * `order_total_with_tax`, `items`) and optionally `trackings`. Both carts
 * together are the order as it now stands: ship, refund or cancel items;
 * both carts without items (`"items": []`, `order_total_with_tax` 0, the
 * currency still given) cancel the order. The update is checked first: the carts'
 * sums, the other sections as an order's (trackings, addresses), and a key
 * no document names (a typo such as `trakings`, unless the client's
 * `allow_unknown_keys`).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (the
 * update's `problems`; nothing sent); SQ_ERR_NOT_FOUND (no confirmed order
 * has this reference); SQ_ERR_CONFLICT (an item added or moved back, the
 * order cancelled; `errors` say which); SQ_ERR_AUTHENTICATION;
 * SQ_ERR_FORBIDDEN; SQ_ERR_RATE_LIMITED; SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_orders_update(const SqClient *client, const char *order_ref_1, const char *update_json);

/**
 * Creates a Paysera client from the options JSON object in
 * `options_json`: `mac_id` and `mac_secret` (required), `endpoint`
 * (default "https://checkout-eu-a.paysera.com", or a URL such as the
 * sandbox's; plain http only to loopback), `notification_endpoint`
 * (default: the endpoint, as for Paysera and the bundled sandbox), and
 * the connection options (the top of sequra.h). Unknown keys are refused.
 * Nothing is sent.
 *
 * `options_json` is borrowed for the call. On SQ_OK, `*out_client`
 * receives the handle, owned by the caller: release it with
 * sq_paysera_client_free. On failure `*out_client` is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
 * NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
 * option); SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_client_new(const char *options_json, SqPayseraClient **out_client);

/**
 * Releases a client made by sq_paysera_client_new. NULL is allowed and
 * ignored. Call it once, when no other call with the handle is running
 * or will follow: freeing a handle twice, or while another thread uses
 * it, is a bug the library catches only when it can (see the top of
 * sequra.h): do not rely on it.
 */
void sq_paysera_client_free(SqPayseraClient *client);

/**
 * Checks the payment request in `request_json` (borrowed for the call) as
 * sq_paysera_payment_request_create does; nothing is sent. On SQ_OK,
 * `*out_problems_json` receives a JSON array of `{"path": "price.amount",
 * "message": "..."}`, `[]` when the request is valid, owned by the caller
 * (free it with sq_string_free).
 *
 * Returns SQ_OK whenever the request could be read, valid or not;
 * SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_payment_request_validate(const SqPayseraClient *client,
                                             const char *request_json,
                                             char **out_problems_json);

/**
 * Creates a payment request (`POST /checkout/rest/v1/payment-requests`)
 * from the JSON object in `request_json` (borrowed for the call):
 * `business_id`, `order_id`, `price` (`{"amount": 999, "currency":
 * "EUR"}`, the amount in the currency's minor unit, an integer or a string
 * of digits, sent as given), `description`, `payer` (`{"email"}`),
 * `accept_url`, `cancel_url`, `callback_url` (https), and optionally
 * `method_key`, `locale`, `token_strategy` ("required" for a token for
 * recurring payments) and any other field Paysera takes. The request is checked first; one with
 * problems is refused and nothing is sent. Not sent again once it may
 * have reached Paysera (a second request would be a second payment).
 *
 * On SQ_OK, `*out_payment_request_json` receives the new payment request
 * as Paysera answered it (`id`, `status` "new", `authorization_url`, ...),
 * owned by the caller (free it with sq_string_free); on failure it is
 * untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
 * JSON); SQ_ERR_INVALID_INPUT (the request's `problems`, nothing sent);
 * SQ_ERR_UNPROCESSABLE (Paysera refused fields, answering 400 or 422: the
 * last error's `errors` name them); SQ_ERR_CONFLICT (the `order_id` is
 * taken); SQ_ERR_AUTHENTICATION (the MAC was refused); SQ_ERR_FORBIDDEN,
 * SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_payment_request_create(const SqPayseraClient *client,
                                           const char *request_json,
                                           char **out_payment_request_json);

/**
 * Reads the payment request `id` (`GET
 * /checkout/rest/v1/payment-requests/{id}`). On SQ_OK,
 * `*out_payment_request_json` receives it as JSON (its `status`, and its
 * `issued_token` once a `token_strategy: required` request was paid: store
 * that token), owned by the caller (free it with sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (`id` is
 * not a Paysera id); SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION,
 * SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_payment_request_get(const SqPayseraClient *client,
                                        const char *id,
                                        char **out_payment_request_json);

/**
 * Authorizes the `new` payment request `id` with `token`, the
 * `issued_token` of the same shopper's first payment (`PUT
 * /checkout/rest/v1/payment-requests/{id}/authorize`). On SQ_OK,
 * `*out_payment_request_json` receives the request, `authorized` (or
 * `captured`, where Paysera captures at once: nothing is left to capture),
 * owned by the caller (free it with sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id;
 * a token that is empty, over 1024 bytes or has a control character,
 * named but never quoted: it is a secret); SQ_ERR_CONFLICT (the request is not `new`);
 * SQ_ERR_UNPROCESSABLE (Paysera cannot use the token; `errors` says why);
 * SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
 * SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_payment_request_authorize(const SqPayseraClient *client,
                                              const char *id,
                                              const char *token,
                                              char **out_payment_request_json);

/**
 * Captures the `authorized` payment request `id` (`PUT
 * /checkout/rest/v1/payment-requests/{id}/capture`). On SQ_OK,
 * `*out_payment_request_json` receives the request, `captured`, owned by
 * the caller (free it with sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
 * SQ_ERR_CONFLICT (the request is not `authorized`); SQ_ERR_NOT_FOUND;
 * SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED,
 * SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_payment_request_capture(const SqPayseraClient *client,
                                            const char *id,
                                            char **out_payment_request_json);

/**
 * Cancels the `new` or `authorized` payment request `id` (`PUT
 * /checkout/rest/v1/payment-requests/{id}/cancel`). On SQ_OK,
 * `*out_payment_request_json` receives the request, `canceled`, owned by
 * the caller (free it with sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
 * SQ_ERR_CONFLICT (it is captured or already canceled); SQ_ERR_NOT_FOUND;
 * SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED,
 * SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_payment_request_cancel(const SqPayseraClient *client,
                                           const char *id,
                                           char **out_payment_request_json);

/**
 * Turns a callback into the notification it names: reads
 * `notification_id` from `callback_body` (the raw
 * `application/x-www-form-urlencoded` body Paysera posted to the
 * `callback_url`; nothing else in it is trusted) and fetches that
 * notification from Paysera (`GET
 * /notification/rest/v1/notifications/{id}`). Act on it, then call
 * sq_paysera_notification_mark_read so that Paysera stops calling back.
 *
 * On SQ_OK, `*out_notification_json` receives the notification (`id`,
 * `event` such as "payment_request.captured", `data.payment_request`),
 * owned by the caller (free it with sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer);
 * SQ_ERR_INVALID_INPUT (the body names no usable notification_id, or is
 * not UTF-8: it is the sender's);
 * SQ_ERR_NOT_FOUND (Paysera does not know it: the callback is not
 * Paysera's; answer it 404 and do nothing); SQ_ERR_AUTHENTICATION,
 * SQ_ERR_FORBIDDEN, SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_callback_receive(const SqPayseraClient *client,
                                     const char *callback_body,
                                     char **out_notification_json);

/**
 * Fetches the notification `notification_id` (`GET
 * /notification/rest/v1/notifications/{id}`). On SQ_OK,
 * `*out_notification_json` receives it, owned by the caller (free it with
 * sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
 * SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
 * SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_notification_get(const SqPayseraClient *client,
                                     const char *notification_id,
                                     char **out_notification_json);

/**
 * Marks the notification `notification_id` read once the shop has acted
 * on it, so that Paysera stops repeating its callback (`PUT
 * /notification/rest/v1/notifications/{id}/read`; again is fine). On
 * SQ_OK, `*out_notification_json` receives the notification, `status`
 * "read", owned by the caller (free it with sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT; SQ_ERR_INVALID_INPUT (a bad id);
 * SQ_ERR_NOT_FOUND; SQ_ERR_AUTHENTICATION, SQ_ERR_FORBIDDEN,
 * SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_paysera_notification_mark_read(const SqPayseraClient *client,
                                           const char *notification_id,
                                           char **out_notification_json);

/**
 * Creates a part-payment client from the options JSON object in
 * `options_json`: the same options as sq_client_new (`endpoint`,
 * `merchant`, `username`, `password`, optionally `allow_unknown_keys`
 * for the part-payment order's keys, and the connection options; the
 * seQura client's `contract` and `flow` are taken, so that one options
 * object serves both clients, and not used by this API). Unknown keys are
 * refused. Nothing is sent.
 *
 * `options_json` is borrowed for the call. On SQ_OK, `*out_client`
 * receives the handle, owned by the caller: release it with
 * sq_pos_client_free. On failure `*out_client` is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (`options_json` or `out_client`
 * NULL, not UTF-8, not JSON); SQ_ERR_CONFIG (a missing, unknown or bad
 * option); SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_pos_client_new(const char *options_json, SqPosClient **out_client);

/**
 * Releases a client made by sq_pos_client_new. NULL is allowed and
 * ignored. Call it once, when no other call with the handle is running
 * or will follow: freeing a handle twice, or while another thread uses
 * it, is a bug the library catches only when it can (see the top of
 * sequra.h): do not rely on it.
 */
void sq_pos_client_free(SqPosClient *client);

/**
 * Checks the part-payment order in `order_json` (borrowed for the call)
 * as sq_pos_orders_create does; nothing is sent. On SQ_OK,
 * `*out_problems_json` receives a JSON array of `{"path":
 * "cart_items[1].price_with_tax", "message": "..."}`, `[]` when the order
 * is valid, owned by the caller (free it with sq_string_free).
 *
 * Returns SQ_OK whenever the order could be read, valid or not;
 * SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not JSON);
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_pos_orders_validate(const SqPosClient *client,
                                const char *order_json,
                                char **out_problems_json);

/**
 * Creates a part-payment order (`POST /api/public/v1/orders`) from the
 * order object in `order_json` (borrowed for the call): `merchant` (`id`,
 * `store_ref`), `operator_ref`, `reference`, the customer's `mobile_phone`,
 * `given_names`, `surnames`, `date_of_birth`, `nin`, `address`,
 * `postal_code`, `city`, and `cart_items` (`reference`, `name`,
 * `price_with_tax` in integer cents, `quantity`). The order is checked
 * first (its `merchant.id` must be the client's); one with problems is
 * refused and nothing is sent. On SQ_OK,
 * `*out_cart_json` receives the cart object seQura answered (`id`,
 * `status`, `total_with_tax` as a string like "250.00", ...), owned by the
 * caller (free it with sq_string_free); on failure it is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer, not UTF-8, not
 * JSON); SQ_ERR_INVALID_INPUT (the order's `problems`, nothing sent);
 * SQ_ERR_AUTHENTICATION (401); SQ_ERR_UNPROCESSABLE (422: the server's
 * `errors`); SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER; SQ_ERR_TRANSPORT;
 * SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_pos_orders_create(const SqPosClient *client,
                              const char *order_json,
                              char **out_cart_json);

/**
 * Reads the part-payment order `order_id` (`GET
 * /api/public/v1/orders/:id`), e.g. to see whether the customer signed
 * (`status` "confirmed"). On SQ_OK, `*out_cart_json` receives the cart
 * object, owned by the caller (free it with sq_string_free); on failure it
 * is untouched.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer);
 * SQ_ERR_INVALID_INPUT (`order_id` 0: ids start at 1; nothing sent);
 * SQ_ERR_AUTHENTICATION (401: a wrong password, or an order of another API
 * account); SQ_ERR_NOT_FOUND (404: no such order); SQ_ERR_RATE_LIMITED,
 * SQ_ERR_SERVER; SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE;
 * SQ_ERR_INTERNAL. Details via sq_last_error().
 */
SqStatus sq_pos_orders_get(const SqPosClient *client, uint64_t order_id, char **out_cart_json);

/**
 * Texts the customer the link to sign the part-payment order `order_id`
 * (`POST /api/public/v1/orders/:id/send_sms`): to `mobile_phone` when it
 * is not NULL (checked first, e.g. "+34666123456"), else to the order's
 * number. `mobile_phone` is borrowed for the call. On SQ_OK,
 * `*out_message` receives the server's message (e.g. "SMS sent
 * successfully"; "" when it gave none), owned by the caller (free it with
 * sq_string_free).
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL client or output, not
 * UTF-8); SQ_ERR_INVALID_INPUT (`order_id` 0, or `mobile_phone` is not a
 * mobile number; nothing sent); SQ_ERR_UNPROCESSABLE (422: the SMS may not be sent again,
 * see the cart's `can_resend_sms`); SQ_ERR_AUTHENTICATION (401);
 * SQ_ERR_NOT_FOUND (404); SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER;
 * SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_pos_orders_send_sms(const SqPosClient *client,
                                uint64_t order_id,
                                const char *mobile_phone,
                                char **out_message);

/**
 * Cancels the part-payment order `order_id` (`POST
 * /api/public/v1/orders/:id/cancel`). A pending order is cancelled at
 * once; for a confirmed one seQura asks the financing provider to cancel
 * it. On SQ_OK, `*out_result_json` receives `{"outcome": ..., "message":
 * ..., "status": ...}`, owned by the caller (free it with sq_string_free):
 * `outcome` is "cancelled" (done), "cancellation_requested" (the provider
 * decides; the order stays confirmed until then) or "unknown" (accepted,
 * but the order could not be read afterwards, or reads neither cancelled
 * nor confirmed: read it later with sq_pos_orders_get); `status` is the
 * order's status afterwards, or null.
 *
 * Returns SQ_OK; SQ_ERR_INVALID_ARGUMENT (a NULL pointer);
 * SQ_ERR_INVALID_INPUT (`order_id` 0; nothing sent);
 * SQ_ERR_UNPROCESSABLE (422: not in a cancellable status, or the order
 * belongs to a subscription; the server's message is in `errors`);
 * SQ_ERR_AUTHENTICATION (401: an order of another API account);
 * SQ_ERR_NOT_FOUND (404); SQ_ERR_RATE_LIMITED, SQ_ERR_SERVER;
 * SQ_ERR_TRANSPORT; SQ_ERR_UNEXPECTED_RESPONSE; SQ_ERR_INTERNAL.
 * Details via sq_last_error().
 */
SqStatus sq_pos_orders_cancel(const SqPosClient *client, uint64_t order_id, char **out_result_json);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* SEQURA_H */
