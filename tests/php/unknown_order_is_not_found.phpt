--TEST--
An unknown order is a Sequra\NotFoundException; an order URI of another host is refused before sending
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$client = sandbox_client();
$unknown = sandbox_url() . '/orders/00000000-0000-4000-8000-000000000000';
foreach (['getIdentificationForm' => fn () => $client->getIdentificationForm($unknown),
          'confirm' => fn () => $client->confirm($unknown, small_order())] as $call => $f) {
    try {
        $f();
        echo "$call: found\n";
    } catch (Sequra\NotFoundException $e) {
        echo "$call: ", get_class($e), ' ', $e->getKind(), ' ', $e->getHttpStatus(), "\n";
    }
}

try {
    $client->confirm('https://attacker.example/orders/abc', small_order());
} catch (Sequra\ValidationException $e) {
    echo 'another host: ', $e->getKind(), ' ', $e->getProblems()[0]['path'], "\n";
}
?>
--EXPECT--
getIdentificationForm: Sequra\NotFoundException not_found 404
confirm: Sequra\NotFoundException not_found 404
another host: invalid_input order_uri
