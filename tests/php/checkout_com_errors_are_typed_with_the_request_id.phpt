--TEST--
checkout.com: every documented error is its exception class, with checkout.com's request id kept
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';

function show(Sequra\Exception $e): void
{
    echo get_class($e), ': ', $e->getKind(), ' ', $e->getHttpStatus() ?? '-', ' [', implode(',', $e->getErrors()), ']',
        is_string($e->getRequestId()) ? ' with request id' : '', "\n";
}

$wrongKey = 'sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa';
try {
    checkout_com_client(['secret_key' => $wrongKey])->createSetup(payment_setup());
} catch (Sequra\AuthenticationException $e) {
    show($e);
    check('the key is nowhere', !str_contains(print_r($e, true) . $e, $wrongKey));
}

$client = checkout_com_client();
try {
    $client->getSetup('set_aaaaaaaaaaaaaaaaaaaaaaaaaa');
} catch (Sequra\NotFoundException $e) {
    show($e);
}

$key = Sequra\CheckoutComClient::newIdempotencyKey();
$setup = $client->createSetup(payment_setup(), $key)['setup'];
try {
    $client->createSetup(payment_setup(30000), $key);
} catch (Sequra\UnprocessableException $e) {
    show($e);
    check('the message quotes the code and the request id', str_contains($e->getMessage(), 'idempotency_key_reused')
        && str_contains($e->getMessage(), $e->getRequestId()));
}

$client->confirmSetup($setup['id']);
try {
    $client->confirmSetup($setup['id']);
} catch (Sequra\ConflictException $e) {
    show($e);
}

$other = payment_setup();
$other['processing_channel_id'] = 'pc_wzjki6hw5puepb5fnvqlizj2e4';
try {
    $client->createSetup($other);
} catch (Sequra\UnprocessableException $e) {
    show($e);
}

$bad = payment_setup();
$bad['amount'] = 199.99;
$bad['currency'] = 'USD';
$bad['billing']['address']['country'] = 'Spain';
$bad['settings']['failure_url'] = 'shop.example/ko';
try {
    $client->createSetup($bad);
} catch (Sequra\ValidationException $e) {
    show($e);
    echo implode(', ', array_column($e->getProblems(), 'path')), "\n";
}
echo implode(', ', array_column($client->validateSetup($bad), 'path')), "\n";

try {
    new Sequra\CheckoutComClient(['secret_key' => 'pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e', 'prefix' => 'vkuhvk4v']);
} catch (Sequra\ConfigException $e) {
    show($e);
    check('it says it is a public key', str_contains($e->getMessage(), 'public key'));
}
?>
--EXPECT--
Sequra\AuthenticationException: authentication 401 [] with request id
the key is nowhere: ok
Sequra\NotFoundException: not_found 404 [] with request id
Sequra\UnprocessableException: unprocessable 422 [idempotency_key_reused] with request id
the message quotes the code and the request id: ok
Sequra\ConflictException: conflict 409 [payment_setup_already_confirmed] with request id
Sequra\UnprocessableException: unprocessable 422 [processing_channel_id_invalid] with request id
Sequra\ValidationException: invalid_input - []
amount, currency, billing.address.country, settings.failure_url
amount, currency, billing.address.country, settings.failure_url
Sequra\ConfigException: config - []
it says it is a public key: ok
