<?php
// The shopper's side: the cart (GET /), the start of seQura's checkout
// (POST /checkout), seQura's identification form inside the shop's own page
// (GET /checkout/pay), and the page seQura sends the shopper back to once
// approved, after the IPN (GET /checkout/done: merchant.return_url).

declare(strict_types=1);

$store = new Store();
$id = (string) ($_GET['order'] ?? '');

match ([$_SERVER['REQUEST_METHOD'], $path]) {
    ['GET', '/'] => show_cart(),
    ['POST', '/checkout'] => start_checkout($store),
    ['GET', '/checkout/pay'] => show_form($store, $id, (string) ($_GET['product'] ?? 'i1')),
    ['GET', '/checkout/done'] => show_outcome($store, $id),
    default => page('Not found', notice('error', 'Nothing here.'), 404),
};

function lines_table(array $lines): string
{
    $rows = '';
    foreach ($lines as $line) {
        $rows .= '<tr><td>' . h($line['name']) . '</td><td>' . h($line['ordered']) . '</td><td>'
            . h(money(line_total($line, $line['ordered']))) . '</td></tr>';
    }
    return "<table><tr><th>Item</th><th>Quantity</th><th>Total</th></tr>$rows"
        . '<tr><th colspan="2">Total</th><th>' . h(money(order_total($lines))) . '</th></tr></table>';
}

function show_cart(): never
{
    $shopper = example_shopper();
    $c = $shopper['customer'];
    $a = $shopper['delivery_address'];
    page('Your cart', lines_table(example_cart())
        . '<p>Deliver to: ' . h("{$a['given_names']} {$a['surnames']}, {$a['address_line_1']} {$a['address_line_2']}, "
            . "{$a['postal_code']} {$a['city']}") . '<br>Email: ' . h($c['email']) . '</p>'
        . '<form method="post" action="/checkout"><button type="submit" id="pay-with-sequra">Pay with seQura</button></form>');
}

/** The shop order is created and seQura's solicitation started with it. */
function start_checkout(Store $store): never
{
    $order = ['id' => Store::newId(), 'created_at' => date('c'), 'state' => 'awaiting_payment',
        'lines' => example_cart(), 'shopper' => example_shopper(), 'history' => []];
    $settings = sequra_settings();
    $order['sequra'] = ['order' => sequra_order($order, $settings['merchant'])];
    try {
        // The order is checked before it is sent: a ValidationException
        // names each problem (a bug of the shop's order mapping).
        $order['sequra']['uri'] = sequra_client($settings)->startSolicitation($order['sequra']['order']);
    } catch (Sequra\Exception $e) {
        error_log("seQura checkout of {$order['id']}: " . explain($e));
        page('Checkout', notice('error', 'Paying with seQura is not possible right now; please choose another payment method.'), 502);
    }
    remember($order, 'seQura checkout started');
    $store->create($order);
    redirect("/checkout/pay?order={$order['id']}");
}

/** The offered payment methods and the identification form of the chosen one. */
function show_form(Store $store, string $id, string $product): never
{
    $order = $store->find($id) ?? page('Not found', notice('error', 'No such order.'), 404);
    if ($order['state'] !== 'awaiting_payment') {
        redirect("/checkout/done?order=$id");
    }
    $uri = $order['sequra']['uri'];
    try {
        $client = sequra_client();
        $offered = [];
        foreach ($client->getPaymentMethods($uri)['payment_options'] as $option) {
            foreach ($option['methods'] as $method) {
                $offered[$method['product']] = $method;
            }
        }
        if ($offered === []) {
            page('Pay with seQura', notice('error', 'seQura offers no way to pay this order; please choose another payment method.'));
        }
        $chosen = $offered[$product] ?? reset($offered);
        $form = $client->getIdentificationForm($uri,
            ['product' => $chosen['product'], 'campaign' => $chosen['campaign'], 'ajax' => true]);
    } catch (Sequra\Exception $e) {
        error_log("seQura form of $id: " . explain($e));
        page('Pay with seQura', notice('error', 'seQura cannot be reached right now; please try again.'), 502);
    }
    $choices = '';
    foreach ($offered as $method) {
        $label = h($method['title']);
        $choices .= '<li>' . ($method === $chosen ? "<strong>$label</strong>"
            : '<a href="/checkout/pay?' . h(http_build_query(['order' => $id, 'product' => $method['product']]))
                . "\">$label</a>") . '</li>';
    }
    // $form is seQura's HTML fragment (ajax=true), fetched over verified TLS
    // from the configured endpoint: it is printed as it is, not escaped.
    page('Pay with seQura', '<p>Order ' . h($id) . ': ' . h(money(order_total($order['lines']))) . '</p>'
        . "<ul>$choices</ul><div id=\"sequra-form\">$form</div>");
}

/** Where seQura sends the shopper once approved; the IPN came first. */
function show_outcome(Store $store, string $id): never
{
    $order = $store->find($id) ?? page('Not found', notice('error', 'No such order.'), 404);
    match ($order['state']) {
        'confirmed' => page('Order confirmed', notice('ok', "Thank you! Order $id is confirmed; seQura will email you how to pay.")
            . lines_table($order['lines'])),
        'on_hold' => page('Order received', notice('ok', "Order $id is received; seQura is reviewing it and we will email you.")),
        // The IPN is late: look again in a moment.
        'awaiting_payment' => page('Waiting for seQura', '<meta http-equiv="refresh" content="2">'
            . notice('', "Order $id is waiting for seQura's confirmation…")),
        default => page('Order not accepted', notice('error', "Order $id was not accepted by seQura.")),
    };
}
