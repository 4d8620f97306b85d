--TEST--
Paysera's accept_url and cancel_url and checkout.com's success_url and failure_url may be any absolute http(s) URL without a user name; Paysera's callback_url must be https
--FILE--
<?php
require __DIR__ . '/paysera_sandbox.inc';
require __DIR__ . '/checkout_com.inc';

$request = payment_request();
$request['accept_url'] = 'http://shop.example/payment/success';
$request['cancel_url'] = 'http://shop.example:8080/payment/cancel?order=1';
check('plain http redirect URLs are valid', Sequra\PayseraClient::validatePaymentRequest($request) === []);
$created = paysera_client()->createPaymentRequest($request);
check('and the sandbox, which follows the document, creates the request', $created['accept_url'] === $request['accept_url']);
$request['callback_url'] = 'http://shop.example/payment/callback';
$request['accept_url'] = 'http://user:pw@shop.example/ok';
$request['cancel_url'] = '/payment/cancel';
foreach (Sequra\PayseraClient::validatePaymentRequest($request) as $problem) {
    echo $problem['path'], ': ', $problem['message'], "\n";
}

$client = checkout_com_client();
$setup = payment_setup();
$setup['settings'] = ['success_url' => 'http://shop.example/ok', 'failure_url' => 'http://shop.example/ko'];
check('plain http success and failure URLs are valid', $client->validateSetup($setup) === []);
$setup['settings'] = ['success_url' => 'http://user:pw@shop.example/ok', 'failure_url' => 'shop.example/ko'];
foreach ($client->validateSetup($setup) as $problem) {
    echo $problem['path'], ': ', $problem['message'], "\n";
}
?>
--EXPECT--
plain http redirect URLs are valid: ok
and the sandbox, which follows the document, creates the request: ok
accept_url: "http://***@shop.example/ok" holds a user name or password; leave them out of the URL
cancel_url: "/payment/cancel" is not an absolute URL; write it whole, e.g. "https://shop.example/payments/success"
callback_url: "http://shop.example/payment/callback" is plain http to a remote host; use https (plain http is allowed only to loopback, for tests)
plain http success and failure URLs are valid: ok
settings.success_url: "http://***@shop.example/ok" holds a user name or password; leave them out of the URL
settings.failure_url: "shop.example/ko" is not an absolute URL; write it whole, e.g. "https://shop.example/payments/success"
