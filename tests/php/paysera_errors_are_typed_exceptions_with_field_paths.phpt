--TEST--
Paysera errors are typed exceptions: problems found before sending, fields Paysera refuses, conflicts, unknown ids, a wrong MAC secret
--FILE--
<?php
require __DIR__ . '/paysera_sandbox.inc';

$client = paysera_client();

function fails(string $what, callable $call): ?Sequra\Exception
{
    try {
        $call();
        echo "$what: no exception\n";
        return null;
    } catch (Sequra\Exception $e) {
        echo "$what: ", get_class($e), ' ', var_export($e->getHttpStatus(), true), "\n";
        return $e;
    }
}

$bad = payment_request('http://shop.example/callback');
$bad['price']['amount'] = '9.99';
unset($bad['order_id']);
$e = fails('an invalid request', fn () => $client->createPaymentRequest($bad));
echo '  problems: ', implode(', ', array_column($e->getProblems(), 'path')), "\n";
echo '  may have acted: ', var_export($e->mayHaveActed(), true), "\n";
echo '  validate: ', implode(', ', array_column(Sequra\PayseraClient::validatePaymentRequest($bad), 'path')), "\n";

$foreign = payment_request();
$foreign['business_id'] = 'someone-elses-business';
$foreign['method_key'] = 'cash';
$e = fails('fields only Paysera can judge', fn () => $client->createPaymentRequest($foreign));
echo '  ', implode("\n  ", $e->getErrors()), "\n";

$request = payment_request();
$client->createPaymentRequest($request);
$e = fails('an order_id used twice', fn () => $client->createPaymentRequest($request));
echo '  ', preg_replace('{request \S+}', 'request …', $e->getErrors()[0]), "\n";

$created = $client->createPaymentRequest(payment_request());
$e = fails('a token Paysera did not issue', fn () => $client->authorizePaymentRequest($created['id'], 'not-a-token'));
echo '  ', $e->getErrors()[0], "\n";
fails('capturing a new request', fn () => $client->capturePaymentRequest($created['id']));
fails('an unknown payment request', fn () => $client->getPaymentRequest('no-such-request'));
fails('a forged callback', fn () => $client->receiveCallback(['notification_id' => 'forged', 'event' => 'payment_request.captured']));
// Only notification_id is read: what else a $_POST holds is never looked at.
$doubled = 'leaf';
for ($i = 0; $i < 20; $i++) {
    $doubled = [$doubled, $doubled];
}
fails('a forged callback with fields JSON cannot carry', fn () => $client->receiveCallback(['notification_id' => 'forged',
    'a' => [1 => 'x'], 'b' => NAN, 'c' => "\xff", "\xff" => 'd', 'e' => new DateTime(), 'f' => $doubled]));
$e = fails('a callback without notification_id', fn () => $client->receiveCallback([]));
echo '  ', $e->getProblems()[0]['path'], "\n";
$e = fails('a notification_id that is not a string', fn () => $client->receiveCallback(['notification_id' => ['x']]));
echo '  ', $e->getProblems()[0]['path'], ': ', $e->getProblems()[0]['message'], "\n";
fails('an id that would leave its path', fn () => $client->getPaymentRequest('../x'));

$wrong = paysera_client(['mac_secret' => 'not-the-secret']);
$e = fails('a wrong MAC secret', fn () => $wrong->getPaymentRequest('x'));
echo '  ', $e->getErrors()[0], "\n";
echo '  the secret is nowhere: ', var_export(!str_contains((string) $e, 'not-the-secret')
    && !str_contains($e->getMessage(), 'not-the-secret'), true), "\n";

try {
    new Sequra\PayseraClient(['mac_id' => 'x', 'mac_secret' => 'hunter2-secret', 'mac_secert' => 'y']);
} catch (Sequra\ConfigException $e) {
    echo 'an unknown option: ', $e->getMessage(), "\n";
    echo '  the trace hides the options: ', var_export(!str_contains($e->getTraceAsString(), 'hunter2'), true), "\n";
}
try {
    $client->getPaymentRequest([]);
} catch (TypeError $e) {
    echo "a wrong argument type: TypeError\n";
}
?>
--EXPECT--
an invalid request: Sequra\ValidationException NULL
  problems: order_id, price.amount, callback_url
  may have acted: false
  validate: order_id, price.amount, callback_url
fields only Paysera can judge: Sequra\UnprocessableException 400
  business_id: is not a business of this client (invalid_parameter)
  method_key: "cash" is not one of card, wallet, bank_transfer (invalid_parameter)
an order_id used twice: Sequra\ConflictException 409
  order_id: is already used by payment request … (duplicate)
a token Paysera did not issue: Sequra\UnprocessableException 422
  token: is not a token issued to this business (invalid_token)
capturing a new request: Sequra\ConflictException 409
an unknown payment request: Sequra\NotFoundException 404
a forged callback: Sequra\NotFoundException 404
a forged callback with fields JSON cannot carry: Sequra\NotFoundException 404
a callback without notification_id: Sequra\ValidationException NULL
  notification_id
a notification_id that is not a string: Sequra\ValidationException NULL
  notification_id: must be a string, as Paysera posts it
an id that would leave its path: Sequra\ValidationException NULL
a wrong MAC secret: Sequra\AuthenticationException 401
  MAC signature does not match: check the MAC secret and that the request is signed as sent (unauthorized)
  the secret is nowhere: true
an unknown option: configuration: unknown option "mac_secert"; the options are endpoint, notification_endpoint, mac_id, mac_secret, connect_timeout, timeout, ca_file, user_agent, proxy, persistent, log_bodies, logger
  the trace hides the options: true
a wrong argument type: TypeError
