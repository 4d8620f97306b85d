<?php
// A differential fuzz of the documents the clients send, with the sandbox's
// own rules (tests/sandbox, written apart from the clients' validators) as
// the judge: a part-payment order, a Paysera payment request and a
// checkout.com setup, each mutated at random, then checked by its validate
// method and sent by its create call.
//
// - validate and create agree: create refuses before sending exactly when
//   validate lists problems, and with the same ones;
// - what validate passes, the sandbox takes: a refusal of the server's is
//   a rule the client could check itself, unless only the server can know
//   it (Paysera's business_id, an order_id already used) or the sandbox is
//   stricter than the API's document (Paysera's method_key is free text
//   there, and its locale any language code);
// - what validate refuses, the sandbox refuses too when the same JSON is
//   sent to it directly (Paysera's signed with a MAC written here from
//   the document): the client is not stricter than the API. Not tried for
//   what json_encode cannot write (a NAN, text that is not UTF-8), nor
//   for unknown keys alone, which the client refuses by choice (a typo's
//   guard, lifted by its allow_unknown_keys option). Expected here, where
//   the client checks what the sandbox does not: a part-payment order
//   worth nothing or whose price x quantity passes what cents can be, a
//   Paysera amount of more than 18 digits or with a leading zero
//   (docs/decisions.md) or order_id of more than 255 characters, a URL
//   with a space.
//
// Usage, with the sandbox running as scripts/lib.sh's start_sandbox starts
// it (SEQURA_SANDBOX_URL and SEQURA_CA_FILE set):
//     php -n -d extension=target/release/libsequra_php.so \
//         fuzz/php/documents.php [SEED] [ROUNDS] [pos|paysera|checkout_com]
// Prints each kind of disagreement once, with a document that shows it.

require __DIR__ . '/../../tests/php/pos.inc';
require __DIR__ . '/../../tests/php/paysera_sandbox.inc';
require __DIR__ . '/../../tests/php/checkout_com.inc';
require __DIR__ . '/mutate.inc';
require __DIR__ . '/judge.inc';

$seed = (int) ($argv[1] ?? 1);
$rounds = (int) ($argv[2] ?? 300);
$only = $argv[3] ?? null;
mt_srand($seed);

/** Paysera's MAC header for a request of $body, as its document says. */
function paysera_mac(string $method, string $path, string $body): string
{
    [$ts, $nonce] = [(string) time(), bin2hex(random_bytes(12))];
    $ext = 'body_hash=' . rawurlencode(base64_encode(hash('sha256', $body, true)));
    $host = parse_url(sandbox_url(), PHP_URL_HOST);
    $port = parse_url(sandbox_url(), PHP_URL_PORT);
    $mac = base64_encode(hash_hmac('sha256', "$ts\n$nonce\n$method\n$path\n$host\n$port\n$ext\n", PAYSERA_MAC_SECRET, true));
    return 'MAC id="' . PAYSERA_MAC_ID . "\", ts=\"$ts\", nonce=\"$nonce\", mac=\"$mac\", ext=\"$ext\"";
}

$pos = pos_client();
$paysera = paysera_client();
$checkoutCom = checkout_com_client();
$paysera_path = '/checkout/rest/v1/payment-requests';
$documents = [
    'pos' => [pos_order(...), fn ($d) => $pos->validateOrder($d), fn ($d) => $pos->createOrder($d),
              fn ($json) => sandbox_http('POST', '/api/public/v1/orders', $json,
                  headers: ['Authorization: ' . demo_basic_authorization()])],
    'paysera' => [payment_request(...), fn ($d) => Sequra\PayseraClient::validatePaymentRequest($d),
                  fn ($d) => $paysera->createPaymentRequest($d),
                  fn ($json) => sandbox_http('POST', $paysera_path, $json,
                      headers: ['Authorization: ' . paysera_mac('POST', $paysera_path, $json)])],
    'checkout_com' => [payment_setup(...), fn ($d) => $checkoutCom->validateSetup($d),
                       fn ($d) => $checkoutCom->createSetup($d),
                       fn ($json) => sandbox_http('POST', '/payments/setups', $json,
                           headers: ['Authorization: Bearer ' . CKO_SECRET_KEY])],
];
$outcomes = [];
$disagreements = [];
for ($round = 0; $round < $rounds; $round++) {
    foreach ($documents as $name => [$make, $validate, $create, $sendRaw]) {
        if ($only !== null && $only !== $name) {
            continue;
        }
        $document = mutate($make());
        $problems = $validate($document);
        try {
            $create($document);
            $outcome = 'created';
        } catch (Sequra\ValidationException $e) {
            $outcome = 'refused before sending';
            $refused = $e->getProblems();
        } catch (Sequra\Exception $e) {
            $outcome = 'refused by the sandbox';
            $answer = $e->getMessage();
        }
        $outcomes[$name][$outcome] = ($outcomes[$name][$outcome] ?? 0) + 1;
        $rules = rule_problems($problems);
        $takenRaw = $rules !== [] && sandbox_takes_as_sent($document, $sendRaw);
        $what = match (true) {
            $problems === [] && $outcome === 'refused before sending' => 'validate passed it, create refused it',
            $problems !== [] && $outcome !== 'refused before sending' => "validate found problems, then it was $outcome",
            $outcome === 'refused before sending' && $refused !== $problems => 'validate and create found other problems',
            $outcome === 'refused by the sandbox' => 'validate passed it, the sandbox refused it: '
                . preg_replace(['/ \(request id [^)]*\)/', '/"[^"]*"/', '/payment request \S+/'],
                               ['', '"..."', 'payment request ...'], $answer),
            $takenRaw => 'validate refused it, the sandbox took it: ' . problem_kind($rules[0]),
            default => null,
        };
        if ($what !== null) {
            $disagreements["$name: $what"] ??= $document;
        }
    }
}
report($seed, $outcomes, $disagreements);
