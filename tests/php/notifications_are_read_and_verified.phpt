--TEST--
Notifications: a signed IPN is read from the raw body or $_POST; an empty body, a missing field, an unknown state, a forged signature and an empty identity are each refused
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$secret = 'a-long-random-shop-secret';
$signature = Sequra\Notifications::sign($secret, 'C-9');
$fields = ['order_ref' => 'u-1', 'product_code' => 'i1', 'sq_state' => 'approved',
           'order_ref_1' => 'R-1', 'approved_since' => '1', 'cart' => 'C-9', 'signature' => $signature];

$ipn = Sequra\Notifications::readIpn(http_build_query($fields), $secret, 'cart');
check('a signed IPN is read from the raw body', $ipn['sq_state'] === 'approved' && $ipn['parameters']['cart'] === 'C-9');
check('and from $_POST', Sequra\Notifications::readIpn($fields, $secret, 'cart') === $ipn);

function refused(callable $read, string $class): string
{
    try {
        $read();
        return 'accepted';
    } catch (Sequra\Exception $e) {
        return ($e instanceof $class ? 'refused' : get_class($e)) . ' (' . $e->getMessage() . ')';
    }
}

echo refused(fn () => Sequra\Notifications::readIpn('', $secret, 'cart'), Sequra\ValidationException::class), "\n";
echo refused(fn () => Sequra\Notifications::readIpn(array_diff_key($fields, ['product_code' => 1]), $secret, 'cart'),
    Sequra\ValidationException::class), "\n";
$cancelled = ['sq_state' => 'cancelled', 'product_code' => ''] + $fields;
check('a cancelled order the shopper never completed comes without a product',
    Sequra\Notifications::readIpn($cancelled, $secret, 'cart')['product_code'] === '');
echo refused(fn () => Sequra\Notifications::readIpn(['sq_state' => 'shipped'] + $fields, $secret, 'cart'), Sequra\ValidationException::class), "\n";
echo refused(fn () => Sequra\Notifications::readIpn(['signature' => 'AAAA'] + $fields, $secret, 'cart'), Sequra\SignatureException::class), "\n";
echo refused(fn () => Sequra\Notifications::readIpn(['cart' => ['x']] + $fields, $secret, 'cart'), Sequra\ValidationException::class), "\n";
// An identity that names no order is not signed, and not taken back.
echo refused(fn () => Sequra\Notifications::sign($secret, ''), Sequra\ValidationException::class), "\n";
echo refused(fn () => Sequra\Notifications::readIpn(['cart' => ''] + $fields, $secret, 'cart'), Sequra\SignatureException::class), "\n";

$event = Sequra\Notifications::readEvent(['event' => 'cancelled', 'order_ref' => 'u-1', 'order_ref_1' => 'R-1',
    'm_cart' => 'C-9', 'm_signature' => $signature], $secret, 'cart');
check('a signed event is read, its parameters without m_', $event['event'] === 'cancelled' && $event['parameters']['cart'] === 'C-9');
// A setup mistake shows whatever the body (a handler answers 404 to a bad body).
echo refused(fn () => Sequra\Notifications::readEvent('order_ref=x', $secret, 'signature'), Sequra\ConfigException::class), "\n";

foreach (['taken', 'unknown_order', 'try_later', 'never'] as $outcome) {
    echo $outcome, ' => ', Sequra\Notifications::answerStatus($outcome), "\n";
}
echo refused(fn () => Sequra\Notifications::answerStatus('refund'), Sequra\ValidationException::class), "\n";
?>
--EXPECTF--
a signed IPN is read from the raw body: ok
and from $_POST: ok
refused (invalid input: body: is empty; a notification from seQura is a form post with order_ref, product_code and sq_state)
refused (invalid input: product_code: is missing from the notification: seQura names the product of an order the shopper completed)
a cancelled order the shopper never completed comes without a product: ok
refused (invalid input: sq_state: %s)
refused (the notification's signature does not match: it did not come through an order this shop started; answer 404 and do not act on it)
refused (invalid input: body.cart: must be a string, as seQura posts every field)
refused (invalid input: identity: is empty or only spaces: sign what tells the shop's orders apart (its cart id or order reference), or the signature vouches for every notification)
refused (the notification's identity is empty: it names no order this shop started; answer 404 and do not act on it)
a signed event is read, its parameters without m_: ok
refused (configuration: the identity parameter is the signature's own parameter; name the parameter the order carries its signed identity in (e.g. "cart"))
taken => 200
unknown_order => 404
try_later => 409
never => 410
refused (invalid input: outcome: "refund" is not an outcome; use taken, unknown_order, try_later or never)
