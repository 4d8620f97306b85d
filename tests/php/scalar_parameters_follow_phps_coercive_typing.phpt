--TEST--
Every scalar parameter takes what PHP's own functions take for its type (an int for a string: orderUpdate(12345, ...); a numeric string for an int: getOrder("4567")), only the declared type under strict_types, and refuses anything else with PHP's TypeError message naming the method, the parameter, the expected and the given type; text that is not UTF-8 is a Sequra exception naming the parameter
--FILE--
<?php
require __DIR__ . '/pos.inc';
require __DIR__ . '/paysera_sandbox.inc';
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/strict_types_calls.inc';

/** What a call did: its value, or the exception (its paths, or a TypeError's message). */
function outcome(callable $call): string
{
    try {
        $value = $call();
        return 'ok' . (is_scalar($value) ? ' ' . var_export($value, true) : '');
    } catch (Sequra\ValidationException $e) {
        return get_class($e) . ' at ' . implode(', ', array_column($e->getProblems(), 'path'));
    } catch (TypeError $e) {
        return 'TypeError: ' . $e->getMessage();
    } catch (Throwable $e) {
        return get_class($e);
    }
}

$secret = str_repeat('s', 32);
$sequra = sandbox_client();
$pos = pos_client();
$paysera = paysera_client();
$cko = checkout_com_client();

echo "-- the calls of the reports --\n";
// A shop's order id is an int (WooCommerce's $order->get_id()).
$order = small_order();
$uri = $sequra->startSolicitation($order);
approve($uri);
$sequra->confirm($uri, $order);
$shopOrderId = random_int(100000, 999999999);
$sequra->updateReferences($uri, ['order_ref_1' => $shopOrderId]);
[$product, $shipping] = $order['cart']['items'];
$cart = fn (array $items) => ['currency' => 'EUR', 'order_total_with_tax' => array_sum(array_column($items, 'total_with_tax')), 'items' => $items];
echo 'orderUpdate(int, ...): ', outcome(fn () => $sequra->orderUpdate($shopOrderId, ['shipped_cart' => $cart([$product, $shipping]), 'unshipped_cart' => $cart([])])), "\n";
check('the order is shipped', inspect($uri)['unshipped_cart']['items'] === []);
check('sign($secret, 1234) signs "1234"', Sequra\Notifications::sign($secret, 1234) === Sequra\Notifications::sign($secret, '1234'));
// Ids as PDO/MySQL rows and $_GET give them.
$id = $pos->createOrder(pos_order())['id'];
check('getOrder("id")', $pos->getOrder((string) $id)['id'] === $id);
check('getOrder(" id ")', $pos->getOrder(" $id ")['id'] === $id);
check('getOrder(id as an integral float)', $pos->getOrder((float) $id)['id'] === $id);
echo 'sendSms("id", 666123456): ', outcome(fn () => $pos->sendSms((string) $id, 666123456)), "\n";
echo 'sendSms("id", null): ', outcome(fn () => $pos->sendSms((string) $id, null)), "\n";
echo 'cancelOrder("id"): ', outcome(fn () => $pos->cancelOrder("$id")['outcome']), "\n";

echo "-- an int for every string parameter, a numeric string for every int one --\n";
$setupId = $cko->createSetup(payment_setup())['setup']['id'];
$requestId = $paysera->createPaymentRequest(payment_request())['id'];
$key = random_int(100000, 999999999);
$id = $pos->createOrder(pos_order())['id'];
// Notifications signed with the key, naming the identity by the parameter.
$ipn = fn (string $name, $key) => http_build_query(['order_ref' => 'x', 'sq_state' => 'cancelled', $name => '1', 'signature' => Sequra\Notifications::sign((string) $key, '1')]);
$event = fn (string $name, $key) => http_build_query(['event' => 'cancelled', 'order_ref' => 'x', "m_$name" => '1', 'm_signature' => Sequra\Notifications::sign((string) $key, '1')]);
$webhook = '{"id":"evt_az5sblvku4ge3dwpztvyizgcau","type":"payment_approved","data":{"id":"pay_mbabizu24mvu3mela5njyhpit4"}}';
$calls = [
    'Sequra\Client::getIdentificationForm $orderUri' => fn () => $sequra->getIdentificationForm(12345),
    'Sequra\Client::confirm $orderUri' => fn () => $sequra->confirm(12345, $order),
    'Sequra\Client::hold $orderUri' => fn () => $sequra->hold(12345, $order),
    'Sequra\Client::cancel $orderUri' => fn () => $sequra->cancel(12345, $order),
    'Sequra\Client::sendIdentificationForm $orderUri' => fn () => $sequra->sendIdentificationForm(12345, 'pp3'),
    'Sequra\Client::sendIdentificationForm $productCode' => fn () => $sequra->sendIdentificationForm($uri, 3),
    'Sequra\Client::getPaymentMethods $orderUri' => fn () => $sequra->getPaymentMethods(12345),
    'Sequra\Client::updateReferences $orderUri' => fn () => $sequra->updateReferences(12345, ['order_ref_1' => 'x']),
    'Sequra\Client::orderUpdate $orderRef1' => fn () => $sequra->orderUpdate(1, ['shipped_cart' => $cart([]), 'unshipped_cart' => $cart([])]),
    'Sequra\Notifications::sign $secret' => fn () => strlen(Sequra\Notifications::sign(1234567890123456, 'cart')),
    'Sequra\Notifications::sign $identity' => fn () => strlen(Sequra\Notifications::sign($secret, 1234)),
    'Sequra\Notifications::readIpn $secret' => fn () => Sequra\Notifications::readIpn($ipn('cart', 1234567890123456), 1234567890123456, 'cart')['sq_state'],
    'Sequra\Notifications::readIpn $identityParameter' => fn () => Sequra\Notifications::readIpn($ipn('7', $secret), $secret, 7)['sq_state'],
    'Sequra\Notifications::readEvent $secret' => fn () => Sequra\Notifications::readEvent($event('cart', 1234567890123456), 1234567890123456, 'cart')['event'],
    'Sequra\Notifications::readEvent $identityParameter' => fn () => Sequra\Notifications::readEvent($event('7', $secret), $secret, 7)['event'],
    'Sequra\Notifications::answerStatus $outcome' => fn () => Sequra\Notifications::answerStatus(200),
    'Sequra\PosClient::getOrder $id' => fn () => $pos->getOrder("$id")['id'] === $id,
    'Sequra\PosClient::sendSms $id' => fn () => $pos->sendSms("$id"),
    'Sequra\PosClient::sendSms $mobilePhone' => fn () => $pos->sendSms($id, 666123456),
    'Sequra\PosClient::cancelOrder $id' => fn () => $pos->cancelOrder("$id")['outcome'],
    'Sequra\PayseraClient::getPaymentRequest $id' => fn () => $paysera->getPaymentRequest(12345),
    'Sequra\PayseraClient::authorizePaymentRequest $id' => fn () => $paysera->authorizePaymentRequest(12345, 'token'),
    'Sequra\PayseraClient::authorizePaymentRequest $token' => fn () => $paysera->authorizePaymentRequest($requestId, 12345),
    'Sequra\PayseraClient::capturePaymentRequest $id' => fn () => $paysera->capturePaymentRequest(12345),
    'Sequra\PayseraClient::cancelPaymentRequest $id' => fn () => $paysera->cancelPaymentRequest(12345),
    'Sequra\PayseraClient::getNotification $notificationId' => fn () => $paysera->getNotification(12345),
    'Sequra\PayseraClient::markNotificationRead $notificationId' => fn () => $paysera->markNotificationRead(12345),
    'Sequra\CheckoutComClient::createSetup $idempotencyKey' => fn () => $cko->createSetup(payment_setup(), $key)['idempotency_key'] === (string) $key,
    'Sequra\CheckoutComClient::getSetup $id' => fn () => $cko->getSetup(12345),
    'Sequra\CheckoutComClient::updateSetup $id' => fn () => $cko->updateSetup(12345, ['reference' => 'x']),
    'Sequra\CheckoutComClient::confirmSetup $id' => fn () => $cko->confirmSetup(12345),
    'Sequra\CheckoutComClient::confirmSetup $idempotencyKey' => fn () => $cko->confirmSetup($setupId, $key + 1)['idempotency_key'] === (string) ($key + 1),
    'Sequra\CheckoutComClient::verifyWebhook $secret' => fn () => Sequra\CheckoutComClient::verifyWebhook(1234567890123456, $webhook, hash_hmac('sha256', $webhook, '1234567890123456'))['type'],
    'Sequra\CheckoutComClient::verifyWebhook $body' => fn () => Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, 12, hash_hmac('sha256', '12', CKO_WEBHOOK_SECRET)),
    'Sequra\CheckoutComClient::verifyWebhook $signature' => fn () => Sequra\CheckoutComClient::verifyWebhook(CKO_WEBHOOK_SECRET, '{}', 12),
];
foreach ($calls as $call => $f) {
    echo $call, ': ', outcome($f), "\n";
}
// The list above holds every scalar parameter of the extension.
$scalars = [];
foreach (['Client', 'Notifications', 'Order', 'PosClient', 'PayseraClient', 'CheckoutComClient'] as $class) {
    foreach ((new ReflectionClass("Sequra\\$class"))->getMethods() as $method) {
        foreach ($method->getParameters() as $parameter) {
            if (in_array((string) $parameter->getType(), ['string', '?string', 'int', '?int'], true)) {
                $scalars[] = "Sequra\\$class::{$method->getName()} \${$parameter->getName()}";
            }
        }
    }
}
check('every scalar parameter is called above', array_diff($scalars, array_keys($calls)) === [], implode(', ', array_diff($scalars, array_keys($calls))));

echo "-- what PHP refuses, with PHP's message --\n";
$wrong = [
    'array' => fn () => $sequra->orderUpdate([], []),
    'null' => fn () => $sequra->orderUpdate(null, []),
    'object' => fn () => $sequra->orderUpdate(new stdClass(), []),
    'closure' => fn () => Sequra\Notifications::sign($secret, fn () => 1),
    'Stringable' => fn () => Sequra\Notifications::sign($secret, new class { public function __toString(): string { return '1234'; } }) === Sequra\Notifications::sign($secret, '1234'),
    'resource' => fn () => $paysera->getPaymentRequest(STDIN),
    'nullable' => fn () => $pos->sendSms($id, []),
    'nullable by name' => fn () => $cko->confirmSetup(idempotencyKey: [], id: $setupId),
    'int: array' => fn () => $pos->getOrder([]),
    'int: null' => fn () => $pos->cancelOrder(null),
    'int: not numeric' => fn () => $pos->getOrder('abc'),
    'int: leading numeric' => fn () => $pos->getOrder("{$id}abc"),
    'int: too large' => fn () => $pos->getOrder('99999999999999999999'),
    'int: NAN' => fn () => $pos->getOrder(NAN),
    'a __toString that throws' => fn () => $sequra->orderUpdate(new class { public function __toString(): string { throw new DomainException('no'); } }, []),
];
foreach ($wrong as $what => $f) {
    echo $what, ': ', outcome($f), "\n";
}

echo "-- strict_types --\n";
echo 'sign(1234): ', outcome(fn () => strict_sign(1234)), "\n";
echo 'sign("1234"): ', outcome(fn () => strict_sign('1234') === Sequra\Notifications::sign($secret, 1234)), "\n";
echo 'getOrder("id"): ', outcome(fn () => strict_get_order($pos, "$id")), "\n";
echo 'getOrder(id): ', outcome(fn () => strict_get_order($pos, $id)['id'] === $id), "\n";

echo "-- text that is not UTF-8 --\n";
$bad = "\xff1";
$texts = [
    'orderUri' => fn () => $sequra->getPaymentMethods($bad),
    'productCode' => fn () => $sequra->sendIdentificationForm($uri, $bad),
    'orderRef1' => fn () => $sequra->orderUpdate($bad, []),
    'identity' => fn () => Sequra\Notifications::sign($secret, $bad),
    'secret' => fn () => Sequra\Notifications::sign($bad . $secret, 'cart'),
    'mobilePhone' => fn () => $pos->sendSms($id, $bad),
    'id' => fn () => $paysera->getPaymentRequest($bad),
    'token' => fn () => $paysera->authorizePaymentRequest($requestId, $bad),
    'idempotencyKey' => fn () => $cko->createSetup(payment_setup(), $bad),
    'webhook secret' => fn () => Sequra\CheckoutComClient::verifyWebhook($bad . $secret, '{}', 'ab'),
];
foreach ($texts as $what => $f) {
    echo $what, ': ', outcome($f), "\n";
}
try {
    Sequra\Notifications::sign("\xff-the-shops-secret-key", 'cart');
} catch (Sequra\ConfigException $e) {
    check('a key that is not UTF-8 is never quoted', !str_contains($e->getMessage(), 'the-shops-secret'), $e->getMessage());
}
?>
--EXPECT--
-- the calls of the reports --
orderUpdate(int, ...): ok
the order is shipped: ok
sign($secret, 1234) signs "1234": ok
getOrder("id"): ok
getOrder(" id "): ok
getOrder(id as an integral float): ok
sendSms("id", 666123456): ok 'SMS sent successfully'
sendSms("id", null): ok 'SMS sent successfully'
cancelOrder("id"): ok 'cancelled'
-- an int for every string parameter, a numeric string for every int one --
Sequra\Client::getIdentificationForm $orderUri: Sequra\NotFoundException
Sequra\Client::confirm $orderUri: Sequra\NotFoundException
Sequra\Client::hold $orderUri: Sequra\NotFoundException
Sequra\Client::cancel $orderUri: Sequra\NotFoundException
Sequra\Client::sendIdentificationForm $orderUri: Sequra\NotFoundException
Sequra\Client::sendIdentificationForm $productCode: Sequra\ValidationException at product_code
Sequra\Client::getPaymentMethods $orderUri: Sequra\NotFoundException
Sequra\Client::updateReferences $orderUri: Sequra\NotFoundException
Sequra\Client::orderUpdate $orderRef1: Sequra\NotFoundException
Sequra\Notifications::sign $secret: ok 43
Sequra\Notifications::sign $identity: ok 43
Sequra\Notifications::readIpn $secret: ok 'cancelled'
Sequra\Notifications::readIpn $identityParameter: ok 'cancelled'
Sequra\Notifications::readEvent $secret: ok 'cancelled'
Sequra\Notifications::readEvent $identityParameter: ok 'cancelled'
Sequra\Notifications::answerStatus $outcome: Sequra\ValidationException at outcome
Sequra\PosClient::getOrder $id: ok true
Sequra\PosClient::sendSms $id: ok 'SMS sent successfully'
Sequra\PosClient::sendSms $mobilePhone: ok 'SMS sent successfully'
Sequra\PosClient::cancelOrder $id: ok 'cancelled'
Sequra\PayseraClient::getPaymentRequest $id: Sequra\NotFoundException
Sequra\PayseraClient::authorizePaymentRequest $id: Sequra\NotFoundException
Sequra\PayseraClient::authorizePaymentRequest $token: Sequra\UnprocessableException
Sequra\PayseraClient::capturePaymentRequest $id: Sequra\NotFoundException
Sequra\PayseraClient::cancelPaymentRequest $id: Sequra\NotFoundException
Sequra\PayseraClient::getNotification $notificationId: Sequra\NotFoundException
Sequra\PayseraClient::markNotificationRead $notificationId: Sequra\NotFoundException
Sequra\CheckoutComClient::createSetup $idempotencyKey: ok true
Sequra\CheckoutComClient::getSetup $id: Sequra\ValidationException at id
Sequra\CheckoutComClient::updateSetup $id: Sequra\ValidationException at id
Sequra\CheckoutComClient::confirmSetup $id: Sequra\ValidationException at id
Sequra\CheckoutComClient::confirmSetup $idempotencyKey: ok true
Sequra\CheckoutComClient::verifyWebhook $secret: ok 'payment_approved'
Sequra\CheckoutComClient::verifyWebhook $body: Sequra\ValidationException at body
Sequra\CheckoutComClient::verifyWebhook $signature: Sequra\SignatureException
every scalar parameter is called above: ok
-- what PHP refuses, with PHP's message --
array: TypeError: Sequra\Client::orderUpdate(): Argument #1 ($orderRef1) must be of type string, array given
null: TypeError: Sequra\Client::orderUpdate(): Argument #1 ($orderRef1) must be of type string, null given
object: TypeError: Sequra\Client::orderUpdate(): Argument #1 ($orderRef1) must be of type string, stdClass given
closure: TypeError: Sequra\Notifications::sign(): Argument #2 ($identity) must be of type string, Closure given
Stringable: ok true
resource: TypeError: Sequra\PayseraClient::getPaymentRequest(): Argument #1 ($id) must be of type string, resource given
nullable: TypeError: Sequra\PosClient::sendSms(): Argument #2 ($mobilePhone) must be of type ?string, array given
nullable by name: TypeError: Sequra\CheckoutComClient::confirmSetup(): Argument #2 ($idempotencyKey) must be of type ?string, array given
int: array: TypeError: Sequra\PosClient::getOrder(): Argument #1 ($id) must be of type int, array given
int: null: TypeError: Sequra\PosClient::cancelOrder(): Argument #1 ($id) must be of type int, null given
int: not numeric: TypeError: Sequra\PosClient::getOrder(): Argument #1 ($id) must be of type int, string given
int: leading numeric: TypeError: Sequra\PosClient::getOrder(): Argument #1 ($id) must be of type int, string given
int: too large: TypeError: Sequra\PosClient::getOrder(): Argument #1 ($id) must be of type int, string given
int: NAN: TypeError: Sequra\PosClient::getOrder(): Argument #1 ($id) must be of type int, float given
a __toString that throws: DomainException
-- strict_types --
sign(1234): TypeError: Sequra\Notifications::sign(): Argument #2 ($identity) must be of type string, int given
sign("1234"): ok true
getOrder("id"): TypeError: Sequra\PosClient::getOrder(): Argument #1 ($id) must be of type int, string given
getOrder(id): ok true
-- text that is not UTF-8 --
orderUri: Sequra\ValidationException at order_uri
productCode: Sequra\ValidationException at product_code
orderRef1: Sequra\ValidationException at order_ref_1
identity: Sequra\ValidationException at identity
secret: Sequra\ConfigException
mobilePhone: Sequra\ValidationException at mobile_phone
id: Sequra\ValidationException at id
token: Sequra\ValidationException at token
idempotencyKey: Sequra\ValidationException at idempotency_key
webhook secret: Sequra\ConfigException
a key that is not UTF-8 is never quoted: ok
