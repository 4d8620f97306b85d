--TEST--
Faults: a solicitation whose answer is lost after seQura acted may have acted and was sent once; a read that meets one 503 succeeds; a 429 with a huge Retry-After comes back at once
--CONFLICTS--
all
--FILE--
<?php
require __DIR__ . '/faults.inc';

$client = sandbox_client();

// seQura creates the order, then the connection is reset before the answer:
// the shop must not start it again blindly, and the library did not either.
$before = requests_reached('POST', '/orders');
queue_fault(['method' => 'POST', 'path' => '/orders', 'fault' => 'reset', 'when' => 'after']);
try {
    $client->startSolicitation(small_order());
    echo "no exception\n";
} catch (Sequra\TransportException | Sequra\ServerException $e) {
    echo 'lost answer: ', get_class($e), "\n";
    check('it may have acted', $e->mayHaveActed());
    check('the message says that sending it again may act twice',
        str_contains($e->getMessage(), 'sending it again may act twice'), $e->getMessage());
}
check('the POST was sent once', requests_reached('POST', '/orders') === $before + 1);
check('the fault was used', faults_left('/orders') === []);

// seQura creates the order and answers, but the connection drops halfway
// through the answer's body: the status came, and it says seQura acted.
queue_fault(['method' => 'POST', 'path' => '/orders', 'fault' => 'truncated_body', 'when' => 'after']);
try {
    $client->startSolicitation(small_order());
    echo "no exception\n";
} catch (Sequra\TransportException $e) {
    echo 'body cut short: ', get_class($e), ' after ', var_export($e->getHttpStatus(), true), "\n";
    check('it may have acted', $e->mayHaveActed());
}
check('that POST was sent once', requests_reached('POST', '/orders') === $before + 2);

// A GET meets one 503 after the server answered: it is tried again.
$uri = $client->startSolicitation(small_order());
$path = parse_url($uri, PHP_URL_PATH) . '/payment_methods';
queue_fault(['method' => 'GET', 'path' => $path, 'fault' => 'status', 'status' => 503, 'when' => 'after']);
$methods = $client->getPaymentMethods($uri);
check('the payment methods come after one 503', isset($methods['payment_options']), json_encode($methods));
check('the GET was sent twice', requests_reached('GET', $path) === 2);
check('that fault was used', faults_left($path) === []);

// A 429 whose Retry-After no deadline fits: no wait, the retry-after capped.
$catalogue = '/merchants/' . DEMO_MERCHANT . '/payment_methods';
queue_fault(['method' => 'GET', 'path' => $catalogue, 'fault' => 'rate_limited', 'retry_after' => '18446744073709551615']);
$started = microtime(true);
try {
    $client->getMerchantPaymentMethods();
    echo "no exception\n";
} catch (Sequra\RateLimitedException $e) {
    echo 'rate limited: ', get_class($e), ' ', $e->getHttpStatus(), "\n";
    check('retry after a day at most', $e->getRetryAfter() === 86400, var_export($e->getRetryAfter(), true));
    check('seQura did not act', !$e->mayHaveActed());
    check('no wait', microtime(true) - $started < 5);
}
check('the last fault was used', faults_left($catalogue) === []);
?>
--EXPECT--
lost answer: Sequra\TransportException
it may have acted: ok
the message says that sending it again may act twice: ok
the POST was sent once: ok
the fault was used: ok
body cut short: Sequra\TransportException after 200
it may have acted: ok
that POST was sent once: ok
the payment methods come after one 503: ok
the GET was sent twice: ok
that fault was used: ok
rate limited: Sequra\RateLimitedException 429
retry after a day at most: ok
seQura did not act: ok
no wait: ok
the last fault was used: ok
