--TEST--
checkout.com: a payment setup is created, confirmed with seQura, and gives the URL to send the customer to
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';

$client = checkout_com_client();
$setup = payment_setup();
$created = $client->createSetup($setup);
$id = $created['setup']['id'];
check('the setup id has the real form', preg_match('/^set_[a-z2-7]{26}$/', $id) === 1, $id);
check('seQura is ready', $created['setup']['payment_methods']['sequra']['status'] === 'ready');
check('the channel comes from the options', $created['setup']['processing_channel_id'] === CKO_CHANNEL);
// JSON objects have no key order: compare as sets of pairs (==).
check('the setup keeps the request as sent', $created['setup']['billing'] == $setup['billing']);
check('a new idempotency key is given back', strlen($created['idempotency_key']) === 36);
check('with checkout.com\'s request id', is_string($created['request_id']));

$confirmed = $client->confirmSetup($id);
$payment = $confirmed['payment'];
check('the payment id has the real form', preg_match('/^pay_[a-z2-7]{26}$/', $payment['id']) === 1, $payment['id']);
check('the payment is pending', $payment['status'] === 'Pending');
check('seQura\'s own id is there', is_string($payment['processing']['partner_payment_id']));
check('pay later', $payment['processing']['product_type'] === 'pay_later');
check('the redirect URL is exposed directly', $confirmed['redirect_url'] === $payment['_links']['redirect']['href']);
check('it is seQura\'s page in the sandbox', str_starts_with($confirmed['redirect_url'], sandbox_url() . '/sandbox/checkout_com/sequra/checkout/'));
[, $page] = sandbox_http('GET', $confirmed['redirect_url']);
check('the page opens', str_contains($page, 'sq-checkout'));

$read = $client->getSetup($id);
check('the setup is read back', $read['id'] === $id && $read['amount'] === 20000);

$partial = payment_setup();
unset($partial['billing']);
$pending = $client->createSetup($partial)['setup'];
check('without a billing address seQura waits', $pending['payment_methods']['sequra']['status'] === 'pending');
$updated = $client->updateSetup($pending['id'], ['billing' => $setup['billing']]);
check('an update makes it ready', $updated['payment_methods']['sequra']['status'] === 'ready');
?>
--EXPECT--
the setup id has the real form: ok
seQura is ready: ok
the channel comes from the options: ok
the setup keeps the request as sent: ok
a new idempotency key is given back: ok
with checkout.com's request id: ok
the payment id has the real form: ok
the payment is pending: ok
seQura's own id is there: ok
pay later: ok
the redirect URL is exposed directly: ok
it is seQura's page in the sandbox: ok
the page opens: ok
the setup is read back: ok
without a billing address seQura waits: ok
an update makes it ready: ok
