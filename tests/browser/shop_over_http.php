<?php
// The example shop's endpoints over plain HTTP, for what a browser does not
// reach: the IPN endpoint's answers (forged, unsigned, unknown, busy,
// approved, repeated), and the admin's refusals (a stale form, nothing to
// ship, seQura refusing, seQura failing after it may have acted), and the
// settings page's diagnoses. tests/browser/run.sh runs it before Chromium;
// it reads SHOP_URL, SHOP_DATA_DIR (the running shop's), SEQURA_SANDBOX_URL
// and SEQURA_CA_FILE (the sandbox's CA, which the requests to it are
// verified with), and needs the sequra extension (for the signatures).

declare(strict_types=1);

foreach (['SHOP_URL', 'SHOP_DATA_DIR', 'SEQURA_SANDBOX_URL', 'SEQURA_CA_FILE'] as $name) {
    getenv($name) ?: exit("$name is not set: run bash tests/browser/run.sh\n");
}
$shop = getenv('SHOP_URL');
$data = getenv('SHOP_DATA_DIR');
$sandbox = getenv('SEQURA_SANDBOX_URL');

/** One request (to the shop, or to the sandbox: verified), redirects not followed: [status, Location, body]. */
function http(string $method, string $url, array|string $form = []): array
{
    $body = is_array($form) ? http_build_query($form) : $form;
    $context = stream_context_create([
        'http' => ['method' => $method, 'content' => $body,
            'header' => "Content-Type: application/x-www-form-urlencoded\r\n",
            'ignore_errors' => true, 'follow_location' => 0, 'timeout' => 20],
        'ssl' => ['cafile' => getenv('SEQURA_CA_FILE'), 'verify_peer' => true, 'verify_peer_name' => true],
    ]);
    $answer = @file_get_contents($url, false, $context);
    if ($answer === false) {
        throw new RuntimeException("$method $url: no answer");
    }
    preg_match('{^HTTP/\S+ (\d+)}', $http_response_header[0], $status);
    $location = preg_grep('/^location:/i', $http_response_header);
    return [(int) $status[1], trim(substr((string) reset($location), 9)), $answer];
}

$failures = 0;
$count = 0;
function check(string $what, bool $ok, string $detail): void
{
    global $failures, $count;
    $count++;
    echo ($ok ? 'ok' : 'not ok'), " $count - $what\n";
    if (!$ok) {
        $failures++;
        echo '  ', str_replace("\n", "\n  ", substr($detail, 0, 1500)), "\n";
    }
}

/** The page's text, tags stripped, for messages. */
function text(string $html): string
{
    return trim(preg_replace('/\s+/', ' ', html_entity_decode(strip_tags($html))));
}

function order_file(string $id): string
{
    return getenv('SHOP_DATA_DIR') . "/orders/$id.json";
}

function shop_order(string $id): array
{
    return json_decode((string) file_get_contents(order_file($id)), true);
}

/** A new order through the checkout: [shop id, seQura uuid]. */
function checkout(string $shop): array
{
    [$status, $location] = http('POST', "$shop/checkout");
    preg_match('/order=(SO-[0-9A-F]{8})$/', $location, $m) or throw new RuntimeException("checkout answered $status $location");
    return [$m[1], basename(shop_order($m[1])['sequra']['uri'])];
}

/** The shopper completes seQura's form; the sandbox waits for the shop's IPN answer. */
function approve(string $sandbox, string $uuid): array
{
    return json_decode(http('POST', "$sandbox/sandbox/orders/$uuid/approve?wait=true", 'product=i1')[2], true);
}

/** An admin form's token, from the page that shows the form. */
function token(string $page): string
{
    preg_match('/name="token" value="([0-9a-f]+)"/', http('GET', $page)[2], $m) or throw new RuntimeException("no form on $page");
    return $m[1];
}

[$id, $uuid] = checkout($shop);
$secret = (string) file_get_contents("$data/secret"); // made by the shop on first use
$ipn = fn (array $change = []) => $change + ['order_ref' => $uuid, 'product_code' => 'i1', 'sq_state' => 'approved',
    'order_ref_1' => $id, 'approved_since' => '1', 'order' => $id, 'signature' => Sequra\Notifications::sign($secret, $id)];

// The IPN endpoint.
[$status, , $body] = http('GET', "$shop/ipn");
check('a GET of the IPN endpoint is answered 404', $status === 404, "$status $body");
[$status, , $body] = http('POST', "$shop/ipn", $ipn(['signature' => 'AAAAAAAA']));
check('a forged IPN is answered 404 and changes nothing',
    $status === 404 && shop_order($id)['state'] === 'awaiting_payment', "$status $body");
[$status, , $body] = http('POST', "$shop/ipn", array_diff_key($ipn(), ['signature' => 1]));
check('an unsigned IPN is answered 404', $status === 404, "$status $body");
[$status, , $body] = http('POST', "$shop/ipn", $ipn(['order' => 'SO-00000000',
    'signature' => Sequra\Notifications::sign($secret, 'SO-00000000')]));
check('a signed IPN of an order the shop does not have is answered 404', $status === 404, "$status $body");
[$status, , $body] = http('POST', "$shop/ipn", $ipn(['order_ref' => '00000000-0000-4000-8000-000000000000']));
check("an IPN of another seQura order than the shop order's is answered 404",
    $status === 404 && shop_order($id)['state'] === 'awaiting_payment', "$status $body");
$lock = fopen(order_file($id), 'r');
flock($lock, LOCK_EX);
[$status, , $body] = http('POST', "$shop/ipn", $ipn());
flock($lock, LOCK_UN);
fclose($lock);
check('an IPN of an order another request is changing is answered 409 (seQura asks again)',
    $status === 409 && shop_order($id)['state'] === 'awaiting_payment', "$status $body");
[$status, , $body] = http('POST', "$shop/ipn", $ipn());
check('a signed IPN saying approved before seQura approved is answered 409 and changes nothing',
    $status === 409 && shop_order($id)['state'] === 'awaiting_payment', "$status $body");
$answer = approve($sandbox, $uuid);
check("seQura's IPN of the approved order is answered 200 once the shop confirmed it",
    ($answer['ipn']['status'] ?? null) === 200 && shop_order($id)['state'] === 'confirmed', json_encode($answer));
[$status, , $body] = http('POST', "$shop/ipn", $ipn());
check('the same IPN again is answered 200', $status === 200 && str_contains($body, 'confirmed already'), "$status $body");

// The order page.
$page = "$shop/admin/orders/$id";
$token = token($page);
[$status, , $body] = http('POST', $page, ['token' => 'stale', 'action' => 'cancel']);
check('an admin form without its token is refused and changes nothing',
    $status === 403 && shop_order($id)['lines'][0]['cancelled'] === 0, "$status " . text($body));
[$status, , $body] = http('POST', $page, ['token' => $token, 'action' => 'ship', 'qty' => ['TENT-2P' => 0, 'MAT-01' => 0, 'LAMP-H' => 0]]);
check('shipping nothing is refused before anything is sent',
    $status === 422 && str_contains(text($body), 'Choose at least one item to ship.'), "$status " . text($body));

// seQura fails after the update may have reached it: a stand-in answering 500.
$failing = sys_get_temp_dir() . '/sequra-failing-' . bin2hex(random_bytes(4)) . '.php';
file_put_contents($failing, '<?php http_response_code(500); header("Content-Type: application/json"); echo "{\"errors\":[\"boom\"]}";');
$probe = stream_socket_server('tcp://127.0.0.1:0');
$address = stream_socket_get_name($probe, false);
fclose($probe);
$server = proc_open([PHP_BINARY, '-n', '-S', $address, $failing], [['file', '/dev/null', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes);
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', (int) explode(':', $address)[1]); $i++) {
    usleep(20000);
}
file_put_contents("$data/settings.json", json_encode(['endpoint' => "http://$address"]));
[$status, , $body] = http('POST', $page, ['token' => $token, 'action' => 'cancel']);
unlink("$data/settings.json");
proc_terminate($server);
proc_close($server);
unlink($failing);
check('seQura failing after it may have acted: the admin is told it may have applied, and to press again',
    $status === 502 && str_contains(text($body), 'seQura may have applied the change all the same')
        && shop_order($id)['lines'][2]['cancelled'] === 0, "$status " . text($body));

// seQura refuses: it cancelled the order on its side, and its event could
// not be taken (another request held the order each time seQura tried).
$lock = fopen(order_file($id), 'r');
flock($lock, LOCK_EX);
$cancel = json_decode(http('POST', "$sandbox/sandbox/orders/$uuid/cancel?wait=true")[2], true);
flock($lock, LOCK_UN);
fclose($lock);
check("seQura's cancelled event of an order another request is changing is answered 409, and changes nothing",
    ($cancel['event']['status'] ?? null) === 409
        && shop_order($id)['state'] === 'confirmed', json_encode($cancel));
[$status, , $body] = http('POST', $page, ['token' => $token, 'action' => 'ship', 'qty' => ['TENT-2P' => 1]]);
check("seQura's refusal is shown with its reason, and nothing changed",
    $status === 502 && str_contains(text($body), 'seQura refused: order is cancelled')
        && str_contains(text($body), 'Nothing was changed.') && shop_order($id)['lines'][0]['shipped'] === 0,
    "$status " . text($body));

// The events endpoint: seQura cancels a confirmed order, and says so only
// there (no IPN comes after the confirmation).
[$status, , $body] = http('POST', "$shop/events", ['event' => 'cancelled', 'order_ref' => $uuid,
    'order_ref_1' => $id, 'm_order' => $id, 'm_signature' => 'AAAAAAAA']);
check('a forged event is answered 404', $status === 404, "$status $body");
[$other, $otherUuid] = checkout($shop);
approve($sandbox, $otherUuid);
$cancel = json_decode(http('POST', "$sandbox/sandbox/orders/$otherUuid/cancel?wait=true")[2], true);
check("seQura's cancelled event of a confirmed order is answered 200, and the shop's order is cancelled",
    ($cancel['event']['status'] ?? null) === 200
        && shop_order($other)['state'] === 'cancelled', json_encode($cancel) . ' ' . shop_order($other)['state']);

// The settings page says what is wrong.
$settings = "$shop/admin/settings";
$form = ['token' => token($settings), 'endpoint' => $sandbox, 'merchant' => 'demo', 'username' => 'demo', 'password' => ''];
foreach ([
    'a wrong merchant id' => [['merchant' => 'nobody'], 'seQura does not know merchant "nobody" for user "demo"'],
    'an unreachable endpoint' => [['endpoint' => 'http://127.0.0.1:1'], 'seQura cannot be reached at http://127.0.0.1:1'],
    'an endpoint that is no URL' => [['endpoint' => 'sequra.example'], 'These settings cannot be used'],
] as $what => [$change, $expected]) {
    [$status, , $body] = http('POST', $settings, $change + $form);
    check("the settings page names $what and saves nothing",
        str_contains(text($body), $expected) && str_contains(text($body), 'Nothing was saved.')
            && !is_file("$data/settings.json"), "$status " . text($body));
}

echo $failures === 0 ? "shop over HTTP: $count checks passed\n" : "shop over HTTP: $failures of $count checks failed\n";
exit($failures === 0 ? 0 : 1);
