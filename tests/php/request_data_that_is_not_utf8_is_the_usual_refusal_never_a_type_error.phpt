--TEST--
Request data that is not UTF-8 (a webhook's Cko-Signature header, a Paysera callback's notification id, a notification's body) is refused as any other bad signature or input there, a Sequra\SignatureException or a Sequra\ValidationException naming it, never PHP's TypeError, so that a handler answers 401 or 400, not 500
--FILE--
<?php
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/paysera_sandbox.inc';

const NOT_UTF8 = ["\xff\xfe", "a1b2\x80c3", "\xc3"];

function refusal(callable $call): string
{
    try {
        $call();
        return 'accepted';
    } catch (Sequra\ValidationException $e) {
        $paths = array_column($e->getProblems(), 'path');
        return get_class($e) . ' at ' . implode(', ', $paths) . ($e->mayHaveActed() ? ', may have acted' : ', nothing sent');
    } catch (Throwable $e) {
        return get_class($e);
    }
}

// The webhook handler of README.md: a signature that cannot match is a 401.
$body = '{"id":"evt_az5sblvku4ge3dwpztvyizgcau","type":"payment_approved","data":{"id":"pay_mbabizu24mvu3mela5njyhpit4"}}';
$signed = hash_hmac('sha256', $body, CKO_WEBHOOK_SECRET);
check('the signed webhook verifies', Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, $body, $signed)['type'] === 'payment_approved');
foreach (NOT_UTF8 as $signature) {
    echo 'Cko-Signature ', bin2hex($signature), ': ', refusal(fn () => Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, $body, $signature)), "\n";
}
// Bytes that are not text, after a valid signature, are no longer it.
echo 'Cko-Signature with a byte added: ', refusal(fn () => Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, $body, $signed . "\xff")), "\n";

// Paysera's callback names a notification id; the shop fetches it and marks it read.
$paysera = paysera_client();
foreach (NOT_UTF8 as $id) {
    echo 'getNotification ', bin2hex($id), ': ', refusal(fn () => $paysera->getNotification($id)), "\n";
    echo 'markNotificationRead ', bin2hex($id), ': ', refusal(fn () => $paysera->markNotificationRead($id)), "\n";
}
echo 'receiveCallback: ', refusal(fn () => $paysera->receiveCallback(['notification_id' => "\xff"])), "\n";

// seQura's notifications: the raw body and $_POST.
$secret = str_repeat('s', 32);
echo 'readIpn raw body: ', refusal(fn () => Sequra\Notifications::readIpn("order_ref=\xff&cart=1", $secret, 'cart')), "\n";
echo 'readIpn $_POST: ', refusal(fn () => Sequra\Notifications::readIpn(['order_ref' => "\xff", 'cart' => '1'], $secret, 'cart')), "\n";
echo 'readEvent $_POST: ', refusal(fn () => Sequra\Notifications::readEvent(['event' => "\xff"], $secret, 'cart')), "\n";

// A value of the wrong type is still the developer's TypeError.
echo 'getNotification([]): ', refusal(fn () => $paysera->getNotification([])), "\n";
echo 'verifyWebhook(signature: []): ', refusal(fn () => Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, $body, [])), "\n";
?>
--EXPECT--
the signed webhook verifies: ok
Cko-Signature fffe: Sequra\SignatureException
Cko-Signature 61316232806333: Sequra\SignatureException
Cko-Signature c3: Sequra\SignatureException
Cko-Signature with a byte added: Sequra\SignatureException
getNotification fffe: Sequra\ValidationException at notification_id, nothing sent
markNotificationRead fffe: Sequra\ValidationException at notification_id, nothing sent
getNotification 61316232806333: Sequra\ValidationException at notification_id, nothing sent
markNotificationRead 61316232806333: Sequra\ValidationException at notification_id, nothing sent
getNotification c3: Sequra\ValidationException at notification_id, nothing sent
markNotificationRead c3: Sequra\ValidationException at notification_id, nothing sent
receiveCallback: Sequra\ValidationException at notification_id, nothing sent
readIpn raw body: Sequra\ValidationException at body, nothing sent
readIpn $_POST: Sequra\ValidationException at body.order_ref, nothing sent
readEvent $_POST: Sequra\ValidationException at body.event, nothing sent
getNotification([]): TypeError
verifyWebhook(signature: []): TypeError
