<?php
// The seQura checkout from PHP, against the bundled sandbox, one line a step:
// start a solicitation, show the identification form, let the shopper
// complete it, receive the IPN, confirm the order, answer the IPN.
//
//   cargo build -p sequra-php -p sequra-sandbox
//   target/debug/sequra-sandbox --port 0 --tls  # prints its URL, then its CA's file
//   php -d extension=target/debug/libsequra_php.so examples/checkout.php <sandbox-url> <ca-file>
//
// The CA file defaults to $SEQURA_CA_FILE; a sandbox started without --tls
// speaks plain HTTP and needs none.
//
// scripts/demo.sh does all of it. Exits non-zero with a message on any failure.

declare(strict_types=1);

const MERCHANT = 'demo';
const USERNAME = 'demo';
const PASSWORD = 'demo-password';
const IPN_TIMEOUT = 10; // seconds to wait for seQura's IPN

require __DIR__ . '/demo.inc';

[$endpoint, $caFile] = sandbox_args(array_slice($argv, 1));

// The shop's IPN endpoint: a loopback listener that seQura will POST to.
$ipnServer = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr)
    or fail("cannot listen for the IPN: $errstr");
$notifyUrl = 'http://' . stream_socket_get_name($ipnServer, false) . '/ipn';
$cartId = 'cart-' . bin2hex(random_bytes(4));
// The shop's secret for its IPN signatures: in a shop, a setting made once.
$secret = bin2hex(random_bytes(16));

// The order, built like the PHP example of seQura's documentation.
$order = array();
$order["state"] = "";
$order["merchant"] = array();
$order["merchant"]["id"] = MERCHANT;
$order["merchant"]["notify_url"] = $notifyUrl;
// seQura echoes these back in the IPN: the shop's cart, signed by the shop.
$order["merchant"]["notification_parameters"] =
    ["cart" => $cartId, "signature" => Sequra\Notifications::sign($secret, $cartId)];
// Where seQura sends the shopper once the shop answered the IPN.
$order["merchant"]["return_url"] = "https://my.shop.tld/checkout/confirmed";
$order["merchant"]["abort_url"] = "https://my.shop.tld/checkout/payment";
$order["merchant_reference"] = array();
$order["merchant_reference"]["order_ref_1"] = strtoupper($cartId); // unique per order
$order["cart"] = array();
$order["cart"]["currency"] = "EUR";
$order["cart"]["gift"] = false;
$order["cart"]["order_total_with_tax"] = 6302;
$order["cart"]["cart_ref"] = $cartId;
$order["cart"]["items"] = array();
$order["cart"]["items"][0] = array();
$order["cart"]["items"][0]["reference"] = "12-123-1234";
$order["cart"]["items"][0]["name"] = "Leather Case (iPod nano) - Negro / Chocolate";
$order["cart"]["items"][0]["price_with_tax"] = 3030;
$order["cart"]["items"][0]["quantity"] = 2;
$order["cart"]["items"][0]["total_with_tax"] = 6060;
$order["cart"]["items"][0]["downloadable"] = false;
$order["cart"]["items"][1] = array();
$order["cart"]["items"][1]["type"] = "handling";
$order["cart"]["items"][1]["reference"] = "seur24";
$order["cart"]["items"][1]["name"] = "SEUR entrega en 24 horas";
$order["cart"]["items"][1]["total_with_tax"] = 242;
$order["delivery_method"] = array();
$order["delivery_method"]["name"] = "SEUR24";
$order["delivery_address"] = array();
$order["delivery_address"]["given_names"] = "Maria José";
$order["delivery_address"]["surnames"] = "Barroso Rajoy";
$order["delivery_address"]["company"] = "";
$order["delivery_address"]["address_line_1"] = "C/ Aragó 383";
$order["delivery_address"]["address_line_2"] = "5º";
$order["delivery_address"]["postal_code"] = "08013";
$order["delivery_address"]["city"] = "Barcelona";
$order["delivery_address"]["country_code"] = "ES";
$order["invoice_address"] = $order["delivery_address"];
$order["customer"] = array();
$order["customer"]["given_names"] = "Maria José";
$order["customer"]["surnames"] = "Barroso Rajoy";
$order["customer"]["email"] = "nisse@example.com";
$order["customer"]["logged_in"] = true;
$order["customer"]["language_code"] = "es-ES";
$order["customer"]["ip_number"] = "12.23.34.45";
$order["customer"]["user_agent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_0) AppleWebKit/537.36";
$order["gui"] = array();
$order["gui"]["layout"] = "desktop";
$order["platform"] = array();
$order["platform"]["name"] = "checkout-demo";
$order["platform"]["version"] = "1.0";
$order["platform"]["uname"] = php_uname();
$order["platform"]["db_name"] = "none";
$order["platform"]["db_version"] = "0";
$order["platform"]["php_version"] = PHP_VERSION;

/** The form with id sq-identification: its action URL and its fields. */
function identification_form(string $html): array
{
    if (!preg_match('{<form\b[^>]*\bid="sq-identification"[^>]*>(.*?)</form>}si', $html, $form)
        || !preg_match('{\baction="([^"]*)"}i', $form[0], $action)) {
        fail('the identification form has no <form id="sq-identification" action="...">');
    }
    $fields = [];
    preg_match_all('{<input\b[^>]*>}i', $form[1], $inputs);
    foreach ($inputs[0] as $input) {
        if (preg_match('{\bname="([^"]*)"}i', $input, $name)) {
            preg_match('{\bvalue="([^"]*)"}i', $input, $value);
            $fields[html_entity_decode($name[1])] = html_entity_decode($value[1] ?? '');
        }
    }
    return [html_entity_decode($action[1]), $fields];
}

/** Reads one HTTP request from the connection: [request line, headers, body]. */
function read_request($connection): array
{
    stream_set_timeout($connection, IPN_TIMEOUT);
    $requestLine = trim((string) fgets($connection));
    $headers = [];
    while (($line = fgets($connection)) !== false && trim($line) !== '') {
        [$name, $value] = array_map('trim', explode(':', $line, 2)) + [1 => ''];
        $headers[strtolower($name)] = $value;
    }
    $length = (int) ($headers['content-length'] ?? 0);
    $body = '';
    while (strlen($body) < $length && !feof($connection)) {
        $chunk = fread($connection, $length - strlen($body));
        if ($chunk === false || (stream_get_meta_data($connection)['timed_out'] ?? false)) {
            fail('the IPN request ended early');
        }
        $body .= $chunk;
    }
    return [$requestLine, $headers, $body];
}

try {
    $client = new Sequra\Client([
        'endpoint' => $endpoint,
        'ca_file' => $caFile, // the sandbox's CA; leave it out for seQura's own endpoints
        'merchant' => MERCHANT,
        'username' => USERNAME,
        'password' => PASSWORD,
        'timeout' => 10,
        'user_agent' => 'checkout-demo/1.0',
    ]);
    step("client for merchant {$client->getMerchant()} at $endpoint; IPN listener at $notifyUrl");

    $uri = $client->startSolicitation($order);
    $uuid = substr($uri, strrpos($uri, '/') + 1);
    step("started the solicitation of cart $cartId ({$order['cart']['order_total_with_tax']} cents): order URI $uri");

    $html = $client->getIdentificationForm($uri, ['product' => 'i1']);
    [$action, $fields] = identification_form($html);
    step('fetched the identification form (' . strlen($html) . " bytes of HTML): it posts to $action");

    // The shopper completes the form; seQura approves and POSTs the IPN.
    [$status] = http('POST', $action, http_build_query($fields));
    if ($status < 200 || $status >= 400) {
        fail("the shopper's POST to $action answered $status");
    }
    step("the shopper completed the form: POST $action answered $status");

    $connection = @stream_socket_accept($ipnServer, IPN_TIMEOUT)
        or fail('no IPN arrived within ' . IPN_TIMEOUT . " s at $notifyUrl");
    [$requestLine, $headers, $body] = read_request($connection);
    // Anyone can POST to notify_url: only a signed IPN is acted on.
    $answer = function (string $outcome) use ($connection): int {
        $status = Sequra\Notifications::answerStatus($outcome);
        fwrite($connection, "HTTP/1.1 $status $outcome\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        fclose($connection);
        return $status;
    };
    try {
        $ipn = Sequra\Notifications::readIpn($body, $secret, 'cart');
    } catch (Sequra\ValidationException | Sequra\SignatureException $e) {
        $answer('unknown_order');
        fail("$requestLine is not a signed IPN: {$e->getMessage()}");
    }
    step("IPN received and its signature checked: $requestLine with order_ref={$ipn['order_ref']}, "
        . "sq_state={$ipn['sq_state']}, cart={$ipn['parameters']['cart']}");
    if ($ipn['order_ref'] !== $uuid || $ipn['parameters']['cart'] !== $cartId) {
        $answer('unknown_order');
        fail("the IPN is not about our order $uuid and cart $cartId");
    }
    if ($ipn['sq_state'] !== 'approved') {
        $answer('taken');
        fail("seQura says the order is {$ipn['sq_state']}, not approved");
    }

    try {
        $client->confirm($uri, $order);
    } catch (Sequra\Exception $e) {
        // seQura asks again: confirming again is safe, whatever happened.
        $answer('try_later');
        throw $e;
    }
    step("confirmed the order: PUT $uri with state \"confirmed\" was accepted");
    step('answered the IPN: HTTP/1.1 ' . $answer('taken'));

    [$status, $state] = http('GET', "$endpoint/sandbox/orders/$uuid");
    $state = json_decode($state, true);
    step("the sandbox shows order $uuid as " . ($state['state'] ?? "unknown (GET answered $status)"));
    if (($state['state'] ?? null) !== 'confirmed') {
        fail('the order is not confirmed');
    }
} catch (Sequra\Exception $e) {
    $problems = $e instanceof Sequra\ValidationException ? $e->getProblems() : [];
    $details = array_merge(array_map(fn ($p) => "{$p['path']}: {$p['message']}", $problems), $e->getErrors());
    fail(get_class($e) . ' (' . $e->getKind() . '): ' . $e->getMessage()
        . ($details ? "\n  " . implode("\n  ", $details) : ''));
}
