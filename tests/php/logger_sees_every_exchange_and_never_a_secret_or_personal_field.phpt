--TEST--
A PSR-3 logger sees every exchange of every client class once at debug (method, path, status, ms, attempt, request id), a retry at warning, a failure at error, and never a secret nor an unmasked personal field, bodies included
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/logger.inc';
require __DIR__ . '/faults.inc';
require __DIR__ . '/pos.inc';
require __DIR__ . '/checkout_com.inc';
require __DIR__ . '/paysera_sandbox.inc';

// Bodies on: the worst case for what a log could leak.
$log = new Recorder();
$options = ['logger' => $log, 'log_bodies' => true];

// seQura: a checkout, a read that meets one 503, an unknown order.
$client = sandbox_client($options);
$order = small_order();
$order['delivery_address']['mobile_phone'] = '+34699887766';
$order['customer']['nin'] = '87654321X';
$uri = $client->startSolicitation($order);
approve($uri);
$order['state'] = 'confirmed';
$client->confirm($uri, $order);
$path = parse_url($uri, PHP_URL_PATH) . '/payment_methods';
queue_fault(['method' => 'GET', 'path' => $path, 'fault' => 'status', 'status' => 503, 'when' => 'after']);
$client->getPaymentMethods($uri);
try {
    $client->getPaymentMethods('00000000-0000-4000-8000-000000000000');
} catch (Sequra\NotFoundException $e) {
}
$sequra = count($log->records);
check('one debug record per exchange (POST, PUT, GET 503, GET 200, GET 404)',
    count($log->at('debug')) === 5, print_r(array_column($log->records, 1), true));
check('each debug record has method, path, status, ms and attempt',
    array_filter($log->at('debug'), fn ($r) => !exchange_is_complete($r)) === []);
[$first] = $log->at('debug');
check('the first is the POST /orders', $first[2]['method'] === 'POST' && $first[2]['path'] === '/orders'
    && $first[2]['status'] === 204 && $first[2]['attempt'] === 1, json_encode($first));
[$retry] = $log->at('warning') + [null];
check('the 503 is a warning saying why, then attempt 2',
    $retry !== null && $retry[2]['path'] === $path && $retry[2]['status'] === 503 && is_string($retry[2]['reason'])
    && $log->at('debug')[3][2]['attempt'] === 2, json_encode($log->records));
[$failure] = $log->at('error') + [null];
check('the 404 is an error with its kind and may_have_acted',
    $failure !== null && $failure[2]['kind'] === 'not_found' && $failure[2]['may_have_acted'] === false
    && $failure[2]['status'] === 404, json_encode($failure));
check('the confirmation body is logged, masked',
    ($log->at('debug')[1][2]['request_body']['order']['customer']['email'] ?? null) === '***');

// The other client classes, each with the same logger.
$pos = pos_client($options);
$cart = $pos->createOrder(pos_order());
$pos->sendSms($cart['id']);
$cko = checkout_com_client($options);
$cko->createSetup(payment_setup());
$paysera = paysera_client($options);
$paysera->createPaymentRequest(payment_request());
$others = array_slice($log->records, $sequra);
check('PosClient, CheckoutComClient and PayseraClient log their 4 exchanges',
    count($others) === 4 && array_filter($others, fn ($r) => !exchange_is_complete($r)) === [],
    print_r($others, true));
check('POS and checkout.com exchanges carry the request id',
    exchange_is_complete($others[0], true) && exchange_is_complete($others[2], true), print_r($others, true));

// Nothing secret, nothing personal, anywhere in the log.
$text = $log->text();
$never = [
    'the password' => DEMO_PASSWORD,
    'the basic credentials' => base64_encode(DEMO_USERNAME . ':' . DEMO_PASSWORD),
    'the checkout.com API key' => CKO_SECRET_KEY,
    'the Paysera MAC secret' => PAYSERA_MAC_SECRET,
    "the customer's email" => 'nisse@example.com',
    "the payer's email" => 'customer@example.com',
    "the customer's phone" => '+34699887766',
    "the POS customer's phone" => '+34666123456',
    "the customer's national id" => '87654321X',
    "the POS customer's national id" => '12345678Z',
    "the customer's address" => 'C/ Aragó 383',
    "the POS customer's address" => 'Calle Mayor 1',
    "the customer's name" => 'Barroso Rajoy',
    "the POS customer's name" => 'García López',
    "the customer's postal code" => '08013',
    "the customer's IP" => '12.23.34.45',
];
foreach ($never as $what => $value) {
    check("never $what", !str_contains($text, $value));
}
?>
--EXPECT--
one debug record per exchange (POST, PUT, GET 503, GET 200, GET 404): ok
each debug record has method, path, status, ms and attempt: ok
the first is the POST /orders: ok
the 503 is a warning saying why, then attempt 2: ok
the 404 is an error with its kind and may_have_acted: ok
the confirmation body is logged, masked: ok
PosClient, CheckoutComClient and PayseraClient log their 4 exchanges: ok
POS and checkout.com exchanges carry the request id: ok
never the password: ok
never the basic credentials: ok
never the checkout.com API key: ok
never the Paysera MAC secret: ok
never the customer's email: ok
never the payer's email: ok
never the customer's phone: ok
never the POS customer's phone: ok
never the customer's national id: ok
never the POS customer's national id: ok
never the customer's address: ok
never the POS customer's address: ok
never the customer's name: ok
never the POS customer's name: ok
never the customer's postal code: ok
never the customer's IP: ok
