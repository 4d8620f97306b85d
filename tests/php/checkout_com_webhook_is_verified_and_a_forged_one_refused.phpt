--TEST--
checkout.com: the webhook sent when the customer finishes at seQura verifies; a forged one is a Sequra\SignatureException
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';

// The shop's webhook endpoint: a loopback listener checkout.com POSTs to.
$shop = stream_socket_server('tcp://127.0.0.1:0');
checkout_com_control('PUT', 'webhook', ['url' => 'http://' . stream_socket_get_name($shop, false) . '/checkout-com']);

$client = checkout_com_client();
$setup = $client->createSetup(payment_setup(4200))['setup'];
$payment = $client->confirmSetup($setup['id'])['payment'];
[$status] = checkout_com_control('POST', 'payments/' . $payment['id'] . '/approve');
check('the customer approves at seQura', $status === 200);

// Receive the webhook as a PHP endpoint would: the raw body and the header.
$connection = stream_socket_accept($shop, 5);
$head = '';
while (!str_contains($head, "\r\n\r\n")) {
    $head .= fread($connection, 1);
}
preg_match('/^content-length:\s*(\d+)/im', $head, $length);
$body = '';
while (strlen($body) < (int) $length[1]) {
    $body .= fread($connection, (int) $length[1] - strlen($body));
}
fwrite($connection, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
fclose($connection);
checkout_com_control('DELETE', 'webhook');
preg_match('/^cko-signature:\s*(\S+)/im', $head, $signature);

$event = Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, $body, $signature[1]);
echo $event['type'], ' ', $event['amount'], ' ', $event['currency'], "\n";
check('it is about the payment', $event['payment_id'] === $payment['id']);
check('and the setup\'s reference', $event['reference'] === $setup['reference']);
check('the event id has the real form', preg_match('/^evt_[a-z2-7]{26}$/', $event['id']) === 1);

$forged = str_replace('"amount":4200', '"amount":1', $body);
foreach ([[$forged, $signature[1]], [$body, hash_hmac('sha256', $body, 'a guess')], [$body, null]] as [$candidate, $sig]) {
    try {
        Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, $candidate, $sig);
        echo "accepted\n";
    } catch (Sequra\SignatureException $e) {
        echo get_class($e), ': ', $e->getKind(), "\n";
    }
}
check('PHP\'s own hash_hmac makes the same signature', hash_equals(hash_hmac('sha256', $body, CKO_WEBHOOK_SECRET), $signature[1]));
?>
--EXPECT--
the customer approves at seQura: ok
payment_approved 4200 EUR
it is about the payment: ok
and the setup's reference: ok
the event id has the real form: ok
Sequra\SignatureException: bad_signature
Sequra\SignatureException: bad_signature
Sequra\SignatureException: bad_signature
PHP's own hash_hmac makes the same signature: ok
