--TEST--
Sequra\PosClient creates a part-payment order, texts the customer, and cancels it: at once while pending, as a request once signed
--FILE--
<?php
require __DIR__ . '/pos.inc';

$client = pos_client();
check('merchant', $client->getMerchant() === 'demo');
check('the order is valid', $client->validateOrder(pos_order()) === []);

$cart = $client->createOrder(pos_order());
echo 'created: ', $cart['status'], ' ', $cart['total_with_tax'], ' ', $cart['currency'], ' ',
    var_export($cart['can_resend_sms'], true), "\n";
check('the id is an int', is_int($cart['id']) && $cart['id'] > 0);
check('items keep integer cents', $cart['cart_items'][0]['price_with_tax'] === 25000
    && $cart['cart_items'][0]['total_with_tax'] === 25000);
check('the customer is recorded', $cart['customer_data']['nin'] === '12345678Z'
    && $cart['customer_data']['dob'] === '1990-01-01');
check('not yet a seQura order', $cart['order_uuid'] === null && $cart['solicitation'] === null
    && $cart['subscription_id'] === null && $cart['joint_customer'] === null);

echo 'sms: ', $client->sendSms($cart['id']), "\n";
echo 'sms to another number: ', $client->sendSms($cart['id'], '+34699000111'), "\n";
echo 'read: ', $client->getOrder($cart['id'])['sms_mobile_phone'], "\n";
echo 'cancel: ', json_encode($client->cancelOrder($cart['id'])), "\n";

$signed = $client->createOrder(pos_order())['id'];
pos_sign($signed);
$read = $client->getOrder($signed);
echo 'signed: ', $read['status'], ' ', var_export($read['can_resend_sms'], true), ' ',
    preg_match('{^[0-9a-f-]{36}$}', $read['order_uuid']) ? 'uuid' : 'no uuid', "\n";
echo 'cancel signed: ', json_encode($client->cancelOrder($signed)), "\n";
?>
--EXPECT--
merchant: ok
the order is valid: ok
created: pending 250.00 EUR true
the id is an int: ok
items keep integer cents: ok
the customer is recorded: ok
not yet a seQura order: ok
sms: SMS sent successfully
sms to another number: SMS sent successfully
read: +34699000111
cancel: {"message":"Order cancelled successfully","outcome":"cancelled","status":"cancelled"}
signed: confirmed false uuid
cancel signed: {"message":"Cancellation requested to the financing provider","outcome":"cancellation_requested","status":"confirmed"}
