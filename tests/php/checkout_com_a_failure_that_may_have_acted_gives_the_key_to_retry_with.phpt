--TEST--
checkout.com: a POST that failed after checkout.com may have acted gives the idempotency key it carried (also one the library made), and retrying with it creates nothing new
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';

$client = checkout_com_client();
$setup = payment_setup();
$before = setups_in_sandbox();

// The sandbox creates the setup, then answers 500 as a gateway that lost
// the answer would.
checkout_com_control('POST', 'faults', ['answer_status' => 500]);
$key = null;
try {
    $client->createSetup($setup);
    echo "no exception\n";
} catch (Sequra\ServerException $e) {
    $key = $e->getIdempotencyKey();
    echo get_class($e), ': ', $e->getHttpStatus(), "\n";
    check('it may have acted', $e->mayHaveActed());
    check('the key made for the call is given', is_string($key) && strlen($key) === 36, var_export($key, true));
    check('and named in the message', is_string($key) && str_contains($e->getMessage(), $key));
}
$retry = $client->createSetup($setup, $key);
check('the retry with it answers the setup already created', setups_in_sandbox() === $before + 1);
check('with that key', $retry['idempotency_key'] === $key);

checkout_com_control('POST', 'faults', ['answer_status' => 500]);
$confirmKey = null;
try {
    $client->confirmSetup($retry['setup']['id']);
    echo "no exception\n";
} catch (Sequra\ServerException $e) {
    $confirmKey = $e->getIdempotencyKey();
    check('a lost confirmation gives its key too', is_string($confirmKey) && $confirmKey !== $key);
}
$confirmed = $client->confirmSetup($retry['setup']['id'], $confirmKey);
check('retried with it, the payment and its redirect URL come back', is_string($confirmed['redirect_url']));

try {
    $client->confirmSetup($retry['setup']['id'], Sequra\CheckoutComClient::newIdempotencyKey());
    echo "no exception\n";
} catch (Sequra\ConflictException $e) {
    check('a refusal did not act and carries no key', !$e->mayHaveActed() && $e->getIdempotencyKey() === null);
}
?>
--EXPECT--
Sequra\ServerException: 500
it may have acted: ok
the key made for the call is given: ok
and named in the message: ok
the retry with it answers the setup already created: ok
with that key: ok
a lost confirmation gives its key too: ok
retried with it, the payment and its redirect URL come back: ok
a refusal did not act and carries no key: ok
