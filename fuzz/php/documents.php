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
//   it (Paysera's business_id) or the sandbox is stricter than the API's
//   document (Paysera's method_key is free text there).
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

$seed = (int) ($argv[1] ?? 1);
$rounds = (int) ($argv[2] ?? 300);
$only = $argv[3] ?? null;
mt_srand($seed);

$pos = pos_client();
$paysera = paysera_client();
$checkoutCom = checkout_com_client();
$documents = [
    'pos' => [pos_order(...), fn ($d) => $pos->validateOrder($d), fn ($d) => $pos->createOrder($d)],
    'paysera' => [payment_request(...), fn ($d) => Sequra\PayseraClient::validatePaymentRequest($d),
                  fn ($d) => $paysera->createPaymentRequest($d)],
    'checkout_com' => [payment_setup(...), fn ($d) => $checkoutCom->validateSetup($d),
                       fn ($d) => $checkoutCom->createSetup($d)],
];
$outcomes = [];
$disagreements = [];
for ($round = 0; $round < $rounds; $round++) {
    foreach ($documents as $name => [$make, $validate, $create]) {
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
        $what = match (true) {
            $problems === [] && $outcome === 'refused before sending' => 'validate passed it, create refused it',
            $problems !== [] && $outcome !== 'refused before sending' => "validate found problems, then it was $outcome",
            $outcome === 'refused before sending' && $refused !== $problems => 'validate and create found other problems',
            $outcome === 'refused by the sandbox' => 'validate passed it, the sandbox refused it: '
                . preg_replace(['/ \(request id [^)]*\)/', '/"[^"]*"/'], ['', '"..."'], $answer),
            default => null,
        };
        if ($what !== null) {
            $disagreements["$name: $what"] ??= json_encode($document, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR);
        }
    }
}
echo "seed $seed: ", json_encode($outcomes), "\n";
foreach ($disagreements as $what => $document) {
    echo "\n$what\n  $document\n";
}
