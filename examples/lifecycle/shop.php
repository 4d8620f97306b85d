<?php
// The shop's notification endpoints, served by PHP's built-in server on
// loopback (examples/lifecycle.php starts it):
//
//   POST /ipn     seQura's IPN: verified, then the order is confirmed
//   POST /events  seQura's events webhook: verified and recorded
//
// The "shop database" is a directory of JSON files, one per cart
// ($SHOP_DIR/<cart>.json), written by the main script when it starts the
// checkout. Every answer is the status seQura expects for what the shop did
// (Sequra\Notifications::answerStatus): never 410 for an error of our own.

declare(strict_types=1);

function answer(string $outcome, string $why): never
{
    http_response_code(Sequra\Notifications::answerStatus($outcome));
    header('Content-Type: text/plain');
    echo $why, "\n";
    error_log("shop: $outcome: $why");
    exit;
}

function shop_order_file(string $cart): string
{
    // The cart id comes from a verified notification, but a path is a path.
    if (!preg_match('/^[a-z0-9-]{1,64}$/', $cart)) {
        answer('unknown_order', "no such cart $cart");
    }
    return getenv('SHOP_DIR') . "/$cart.json";
}

$secret = (string) getenv('SHOP_SECRET');
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    answer('unknown_order', 'only POST is served here');
}
$body = (string) file_get_contents('php://input');

try {
    if ($path === '/events') {
        $event = Sequra\Notifications::readEvent($body, $secret, 'cart');
        $file = shop_order_file($event['parameters']['cart']);
        $shop = json_decode((string) @file_get_contents($file), true) ?? answer('unknown_order', 'unknown cart');
        $shop['events'][] = $event['event'];
        file_put_contents($file, json_encode($shop));
        answer('taken', "event {$event['event']} recorded");
    }
    if ($path !== '/ipn') {
        answer('unknown_order', "nothing at $path");
    }
    $ipn = Sequra\Notifications::readIpn($body, $secret, 'cart');
} catch (Sequra\ValidationException | Sequra\SignatureException $e) {
    // Not a notification of an order this shop started: 404, never 410.
    answer('unknown_order', $e->getMessage());
}

$file = shop_order_file($ipn['parameters']['cart']);
$shop = json_decode((string) @file_get_contents($file), true) ?? answer('unknown_order', 'unknown cart');
if ($shop['uri'] !== null && basename($shop['uri']) !== $ipn['order_ref']) {
    answer('unknown_order', "cart {$ipn['parameters']['cart']} belongs to another seQura order");
}

switch ($ipn['sq_state']) {
    case 'approved':
        $client = new Sequra\Client([
            'endpoint' => getenv('SEQURA_SANDBOX_URL'),
            'ca_file' => getenv('SEQURA_CA_FILE') ?: null, // the sandbox's CA, when it speaks HTTPS
            'merchant' => 'demo',
            'username' => 'demo',
            'password' => 'demo-password',
            'timeout' => 5,
        ]);
        try {
            $client->confirm($shop['uri'], $shop['order']);
        } catch (Sequra\ConflictException $e) {
            // seQura does not hold it as approved (this IPN posted again
            // with another sq_state: only the cart is signed; or still under
            // review): leave the order as it is, seQura's word comes again.
            // 410 ("never") is for an order the shop itself will not fulfil.
            answer('try_later', 'confirm refused: ' . implode('; ', $e->getErrors()));
        } catch (Sequra\Exception $e) {
            // Our side or the network failed: ask seQura to try again.
            answer('try_later', $e->getMessage());
        }
        $shop['state'] = 'confirmed';
        $shop['product_code'] = $ipn['product_code'];
        break;
    case 'needs_review':
        // Under review before approval; an order confirmed since is past
        // it (this IPN posted again: only the cart is signed).
        if ($shop['state'] !== 'confirmed') {
            $shop['state'] = 'on_hold';
        }
        break;
    case 'cancelled':
        $shop['state'] = 'cancelled';
        break;
}
file_put_contents($file, json_encode($shop));
answer('taken', "order {$ipn['order_ref']} is {$shop['state']}");
