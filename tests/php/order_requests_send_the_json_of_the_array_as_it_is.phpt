--TEST--
startSolicitation, confirm, hold and cancel send the order in one encode, straight from the PHP array: the body is {"order": ...} with the bytes json_encode writes (the caller's key order), and the state the call sets in place of an empty one, or last when there is none
--FILE--
<?php
require __DIR__ . '/sequra.inc';

const AS_IS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS;

// A server that keeps each request's method and body, and answers as seQura does.
$dir = sys_get_temp_dir() . '/sequra-bodies-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/router.php", <<<'PHP'
<?php
$n = count(glob(__DIR__ . '/*.body'));
file_put_contents(sprintf('%s/%03d.body', __DIR__, $n), $_SERVER['REQUEST_METHOD'] . ' ' . file_get_contents('php://input'));
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    header('Location: /orders/5d2c1a8e-request-bytes', true, 204);
} else {
    http_response_code(200);
}
PHP);
$port = free_port();
$server = proc_open([PHP_BINARY, '-n', '-S', "127.0.0.1:$port", "$dir/router.php"], [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
    usleep(50000);
}
$client = new Sequra\Client(['endpoint' => "http://127.0.0.1:$port", 'merchant' => 'demo', 'username' => 'demo', 'password' => 'x']);

/** The last request's method and body. */
function last_request(string $dir): string
{
    $files = glob("$dir/*.body");
    return file_get_contents(end($files));
}

$order = small_order();
$order['customer']['user_agent'] = "Mozilla/5.0 (\"quoted\") \u{2028} \\ é";
$uri = $client->startSolicitation($order);
echo last_request($dir) === 'POST {"order":' . json_encode($order, AS_IS) . '}'
    ? "start: the bytes of json_encode\n" : "start differs:\n" . last_request($dir) . "\n";

$client->confirm($uri, $order);
$confirmed = ['state' => 'confirmed'] + $order;
echo last_request($dir) === 'PUT {"order":' . json_encode($confirmed, AS_IS) . '}'
    ? "confirm: the bytes of json_encode, state \"confirmed\" in place of the empty one\n" : "confirm differs:\n" . last_request($dir) . "\n";

// No state at all: the call's goes last.
$stateless = $order;
unset($stateless['state']);
$client->hold($uri, $stateless);
echo last_request($dir) === 'PUT {"order":' . json_encode($stateless + ['state' => 'on_hold'], AS_IS) . '}'
    ? "hold without a state: the call's last\n" : "hold differs:\n" . last_request($dir) . "\n";

// The call's own state, given: kept where it is.
$order['state'] = 'cancelled';
$client->cancel($uri, $order);
echo last_request($dir) === 'PUT {"order":' . json_encode($order, AS_IS) . '}'
    ? "cancel with its own state: in place\n" : "cancel differs:\n" . last_request($dir) . "\n";

// Nothing is sent for an order with problems, or a state another call sets.
$count = count(glob("$dir/*.body"));
foreach (['start' => fn () => $client->startSolicitation($order), 'confirm' => fn () => $client->confirm($uri, $order)] as $call => $f) {
    try {
        $f();
    } catch (Sequra\ValidationException $e) {
        echo "$call with state \"cancelled\": ", $e->getProblems()[0]['path'], ': ', $e->getProblems()[0]['message'], "\n";
    }
}
$bad = small_order();
$bad['cart']['gift'] = 'no';
try {
    $client->confirm($uri, $bad);
} catch (Sequra\ValidationException $e) {
    echo 'a problem: ', $e->getProblems()[0]['path'], "\n";
}
echo count(glob("$dir/*.body")) === $count ? "and nothing was sent\n" : "something was sent\n";

// SIGINT: the built-in server shuts down cleanly (under valgrind it is traced too).
proc_terminate($server, 2);
proc_close($server);
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
start: the bytes of json_encode
confirm: the bytes of json_encode, state "confirmed" in place of the empty one
hold without a state: the call's last
cancel with its own state: in place
start with state "cancelled": state: is a string ("cancelled") but must be empty ("" or null) when starting a solicitation
confirm with state "cancelled": state: is a string ("cancelled") but this call sends "confirmed"; leave it empty or set "confirmed"
a problem: cart.gift
and nothing was sent
