<?php
// A differential fuzz of the documents that change what was already made,
// with the sandbox's own rules (tests/sandbox, written apart from the
// clients' validators) as the judge: an order's post-sale update
// (Client::orderUpdate, on an order a checkout just confirmed) and a
// payment setup's changes (CheckoutComClient::updateSetup, on a setup just
// created), each mutated at random and sent.
//
// - What the client sends, the sandbox takes: a refusal of the server's is
//   a rule the client could check itself, unless only the server can know
//   it (409: an item the confirmed order does not have, more units than
//   it has).
// - What the client refuses before sending, the sandbox refuses too when
//   the same JSON is sent to it directly: the client is not stricter than
//   the API. Not tried for what json_encode cannot write (a NAN, text that
//   is not UTF-8): there is no JSON of it to send, nor for unknown keys
//   alone (see judge.inc). Expected here: the
//   rules of an order's item, which the client applies to an update's
//   items too (price_with_tax in whole cents; a line's total_with_tax
//   within rounding of quantity x price_with_tax) and the sandbox checks
//   in neither.
//
// Usage, with the sandbox running as scripts/lib.sh's start_sandbox starts
// it (SEQURA_SANDBOX_URL and SEQURA_CA_FILE set):
//     php -n -d extension=target/release/libsequra_php.so \
//         fuzz/php/updates.php [SEED] [ROUNDS] [sequra|checkout_com]
// Prints each kind of disagreement once, with a document that shows it.

require __DIR__ . '/../../tests/php/sequra.inc';
require __DIR__ . '/../../tests/php/checkout_com.inc';
require __DIR__ . '/mutate.inc';
require __DIR__ . '/judge.inc';

$seed = (int) ($argv[1] ?? 1);
$rounds = (int) ($argv[2] ?? 200);
$only = $argv[3] ?? null;
mt_srand($seed);

/** An order the sandbox holds as confirmed, and an update that ships all of it. */
function confirmed_order(Sequra\Client $client): array
{
    $order = small_order();
    $uri = $client->startSolicitation($order);
    approve($uri);
    $client->confirm($uri, $order);
    $cart = fn (array $items, int $total) => ['currency' => 'EUR', 'order_total_with_tax' => $total, 'items' => $items];
    $update = [
        'shipped_cart' => $cart($order['cart']['items'], $order['cart']['order_total_with_tax']),
        'unshipped_cart' => $cart([], 0),
    ];
    return [$order['merchant_reference']['order_ref_1'], $update];
}

$client = sandbox_client();
$checkoutCom = checkout_com_client();
$documents = [
    'sequra' => function () use ($client) {
        [$reference, $update] = confirmed_order($client);
        return [
            $update,
            fn ($u) => $client->orderUpdate($reference, $u),
            fn ($json) => sandbox_http('PUT', '/merchants/' . DEMO_MERCHANT . '/orders/' . rawurlencode($reference),
                "{\"order\":$json}", headers: ['Authorization: ' . demo_basic_authorization()]),
        ];
    },
    'checkout_com' => function () use ($checkoutCom) {
        $setup = payment_setup();
        $id = $checkoutCom->createSetup($setup)['setup']['id'];
        $changes = ['amount' => 25000, 'reference' => $setup['reference'], 'description' => 'seQura payment, changed',
                    'billing' => $setup['billing']];
        return [
            $changes,
            fn ($c) => $checkoutCom->updateSetup($id, $c),
            fn ($json) => sandbox_http('PUT', '/payments/setups/' . rawurlencode($id), $json,
                headers: ['Authorization: Bearer ' . CKO_SECRET_KEY]),
        ];
    },
];
$outcomes = [];
$disagreements = [];
for ($round = 0; $round < $rounds; $round++) {
    foreach ($documents as $name => $make) {
        if ($only !== null && $only !== $name) {
            continue;
        }
        [$document, $send, $sendRaw] = $make();
        $document = mutate($document);
        $what = null;
        try {
            $send($document);
            $outcome = 'taken';
        } catch (Sequra\ValidationException $e) {
            $outcome = 'refused before sending';
            $rules = rule_problems($e->getProblems());
            if ($rules !== [] && sandbox_takes_as_sent($document, $sendRaw)) {
                $what = 'the client refused it, the sandbox took it: ' . problem_kind($rules[0]);
            }
        } catch (Sequra\Exception $e) {
            $outcome = 'refused by the sandbox';
            if ($e->getHttpStatus() !== 409) {
                $what = 'the client sent it, the sandbox refused it: '
                    . preg_replace(['/ \(request id [^)]*\)/', '/"[^"]*"/', '/\d+/'], ['', '"..."', 'N'], $e->getMessage());
            }
        }
        $outcomes[$name][$outcome] = ($outcomes[$name][$outcome] ?? 0) + 1;
        if ($what !== null) {
            $disagreements["$name: $what"] ??= $document;
        }
    }
}
report($seed, $outcomes, $disagreements);
