--TEST--
checkout.com: a POST retried with the same idempotency key creates nothing new; one in flight is rate limited
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';

$client = checkout_com_client();
$setup = payment_setup();
$key = Sequra\CheckoutComClient::newIdempotencyKey();
check('a new key is a UUID', preg_match('/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', $key) === 1, $key);

$before = setups_in_sandbox();
$first = $client->createSetup($setup, $key);
$again = $client->createSetup($setup, $key);
check('the retry answers the same setup', $again['setup'] === $first['setup']);
check('the caller\'s key is given back', $again['idempotency_key'] === $key);
check('only one setup exists', setups_in_sandbox() === $before + 1);

$confirmKey = Sequra\CheckoutComClient::newIdempotencyKey();
$payment = $client->confirmSetup($first['setup']['id'], $confirmKey);
$repeat = $client->confirmSetup($first['setup']['id'], $confirmKey);
check('a retried confirmation answers the same payment', $repeat['payment'] === $payment['payment']);
check('and the same redirect URL', $repeat['redirect_url'] === $payment['redirect_url']);

// The sandbox holds the next POST for 2 s; a duplicate sent meanwhile is
// refused with a 429, as checkout.com does, and creates nothing.
checkout_com_control('POST', 'faults', ['delay_ms' => 2000]);
$busyKey = Sequra\CheckoutComClient::newIdempotencyKey();
$body = json_encode($setup + ['processing_channel_id' => CKO_CHANNEL]);
$raw = sandbox_socket();
fwrite($raw, "POST /payments/setups HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " . CKO_SECRET_KEY
    . "\r\nCko-Idempotency-Key: $busyKey\r\nContent-Type: application/json\r\nContent-Length: " . strlen($body)
    . "\r\nConnection: close\r\n\r\n$body");
usleep(300000);
try {
    $client->createSetup($setup, $busyKey);
    echo "no exception\n";
} catch (Sequra\RateLimitedException $e) {
    echo get_class($e), ': ', $e->getHttpStatus(), ' ', implode(',', $e->getErrors()), "\n";
    check('the request id is kept', is_string($e->getRequestId()));
    check('checkout.com did not act on it', !$e->mayHaveActed());
}
$answer = stream_get_contents($raw);
fclose($raw);
preg_match('{"id":"(set_[a-z2-7]{26})"}', $answer, $match);
$afterBusy = $client->createSetup($setup, $busyKey);
check('once the first is done, the key answers its setup', $afterBusy['setup']['id'] === ($match[1] ?? null));
?>
--EXPECT--
a new key is a UUID: ok
the retry answers the same setup: ok
the caller's key is given back: ok
only one setup exists: ok
a retried confirmation answers the same payment: ok
and the same redirect URL: ok
Sequra\RateLimitedException: 429 duplicate_request_in_progress
the request id is kept: ok
checkout.com did not act on it: ok
once the first is done, the key answers its setup: ok
