--TEST--
Paysera against the sandbox: a payment request created, paid, called back, captured; a token authorizes the next; another is canceled
--FILE--
<?php
require __DIR__ . '/paysera_sandbox.inc';

$client = paysera_client();
[$shop, $callbackUrl] = callback_listener();

$created = $client->createPaymentRequest(payment_request($callbackUrl));
check('a payment request is created, new', $created['status'] === 'new', $created['status']);
check('the amount comes back in minor units', $created['price'] === ['amount' => 999, 'currency' => 'EUR']);
check('with the URL to send the shopper to', str_contains($created['authorization_url'], $created['id']));

// The shopper pays; Paysera calls the shop back with a notification id only.
paysera_pay($created['id']);
$post = take_callback($shop);
check('the callback names a notification', array_keys($post) === ['notification_id'], json_encode($post));
$notification = $client->receiveCallback($post);
check('the shop fetches the notification it names', $notification['id'] === $post['notification_id']);
check('it is about the authorized request', $notification['event'] === 'payment_request.authorized'
      && $notification['data']['payment_request']['id'] === $created['id']);
$token = $notification['data']['payment_request']['issued_token'] ?? '';
check('it carries the token to store', $token !== '');
$read = $client->markNotificationRead($notification['id']);
check('the shop marks it read', $read['status'] === 'read');
check('Paysera has it read', $client->getNotification($notification['id'])['status'] === 'read');

$captured = $client->capturePaymentRequest($created['id']);
check('the authorized request is captured', $captured['status'] === 'captured');
check('the price is paid', $captured['price_paid'] === $captured['price']);

// A recurring payment: the stored token authorizes it.
$second = $client->createPaymentRequest(payment_request($callbackUrl));
$authorized = $client->authorizePaymentRequest($second['id'], $token);
check('the token authorizes the next request', $authorized['status'] === 'authorized');
check('which is captured', $client->capturePaymentRequest($second['id'])['status'] === 'captured');
check('as Paysera holds it', $client->getPaymentRequest($second['id'])['status'] === 'captured');

// The Paysera document's example writes the amount as an integer.
$integer = payment_request();
$integer['price']['amount'] = 999;
$third = $client->createPaymentRequest($integer);
check('an integer amount, as the document writes it, is taken too', $third['price']['amount'] === 999);
check('a new request is canceled', $client->cancelPaymentRequest($third['id'])['status'] === 'canceled');
try {
    $client->capturePaymentRequest($third['id']);
    check('a canceled request cannot be captured', false);
} catch (Sequra\ConflictException $e) {
    check('a canceled request cannot be captured', $e->getHttpStatus() === 409
          && str_ends_with($e->getErrors()[0], '(invalid_state)'), implode('; ', $e->getErrors()));
}
?>
--EXPECT--
a payment request is created, new: ok
the amount comes back in minor units: ok
with the URL to send the shopper to: ok
the callback names a notification: ok
the shop fetches the notification it names: ok
it is about the authorized request: ok
it carries the token to store: ok
the shop marks it read: ok
Paysera has it read: ok
the authorized request is captured: ok
the price is paid: ok
the token authorizes the next request: ok
which is captured: ok
as Paysera holds it: ok
an integer amount, as the document writes it, is taken too: ok
a new request is canceled: ok
a canceled request cannot be captured: ok
