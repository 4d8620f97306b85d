<?php
// The admin's orders: the list (GET /admin/orders) and one order
// (/admin/orders/{id}), whose buttons change the confirmed order at seQura
// with one post-sale update (Client::orderUpdate) that states the order as
// it now stands: ship some items, refund a shipped one, cancel the rest.

declare(strict_types=1);

$store = new Store();
if ($path === '/admin/orders') {
    show_list($store->all());
}
$id = substr($path, strlen('/admin/orders/'));
$order = $store->find($id) ?? page('Not found', notice('error', 'No such order.'), 404);

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    check_form_token("order:$id");
    $action = (string) ($_POST['action'] ?? '');
    $input = $action === 'ship' ? (array) ($_POST['qty'] ?? []) : ['reference' => $_POST['reference'] ?? null];
    try {
        $store->update($id, fn (array &$order) => change($order, $action, $input));
        redirect('/admin/orders/' . rawurlencode($id) . '?done=' . rawurlencode($action));
    } catch (InvalidArgumentException $e) {
        show_order($order, notice('error', $e->getMessage()), $input, 422);
    } catch (Sequra\Exception $e) {
        show_order($order, notice('error', explain($e) . ($e->mayHaveActed()
            ? ' seQura may have applied the change all the same; this page shows the order as the shop last'
                . ' recorded it. Press the same button again to make sure: an update states the whole order,'
                . ' so sending it twice changes nothing.'
            : ' Nothing was changed.')), $input, 502);
    }
}
$done = ['ship' => 'The shipment was sent to seQura.', 'refund' => 'The refund was sent to seQura.',
    'cancel' => 'The cancellation was sent to seQura.'][$_GET['done'] ?? ''] ?? null;
show_order($order, $done === null ? '' : notice('ok', $done));

/** Does $action at seQura, then records it; throws when either refuses. */
function change(array &$order, string $action, array $input): void
{
    if ($order['state'] !== 'confirmed') {
        throw new InvalidArgumentException("The order is {$order['state']}: only a confirmed order can change.");
    }
    $lines = apply_action($order['lines'], $action, $input);
    $carts = post_sale_update($lines);
    // The order's merchant_reference.order_ref_1 is the shop's order id.
    sequra_client()->orderUpdate($order['id'], $carts);
    $order['lines'] = $lines;
    if ($carts['shipped_cart']['items'] === [] && $carts['unshipped_cart']['items'] === []) {
        $order['state'] = 'cancelled';
    }
    remember($order, "$action sent to seQura: shipped " . money($carts['shipped_cart']['order_total_with_tax'])
        . ', not shipped yet ' . money($carts['unshipped_cart']['order_total_with_tax']));
}

function show_list(array $orders): never
{
    $rows = '';
    foreach ($orders as $order) {
        $rows .= '<tr><td><a href="/admin/orders/' . h(rawurlencode($order['id'])) . '">' . h($order['id'])
            . '</a></td><td>' . h($order['created_at']) . '</td><td>' . h(money(order_total($order['lines'])))
            . '</td><td>' . h($order['state']) . '</td></tr>';
    }
    page('Orders', $rows === '' ? '<p>No orders yet.</p>'
        : "<table><tr><th>Order</th><th>Placed</th><th>Total</th><th>State</th></tr>$rows</table>");
}

/** What the admin typed, as text to put back into the form. */
function refill(mixed $value): string
{
    return is_scalar($value) ? (string) $value : '';
}

/** The order page; $input refills the ship form after a refusal. */
function show_order(array $order, string $notice, array $input = [], int $status = 200): never
{
    $id = $order['id'];
    $token = h(form_token("order:$id"));
    $action = h('/admin/orders/' . rawurlencode($id));
    $open = $order['state'] === 'confirmed';
    $rows = '';
    foreach ($order['lines'] as $line) {
        $ref = h($line['reference']);
        $ship = $refund = '';
        if ($open && !$line['handling'] && unshipped($line) > 0) {
            $ship = "<input type=\"number\" form=\"ship\" id=\"qty-$ref\" name=\"qty[$ref]\" min=\"0\" max=\""
                . unshipped($line) . '" value="' . h(refill($input[$line['reference']] ?? unshipped($line))) . '">';
        }
        if ($open && !$line['handling'] && $line['shipped'] > $line['refunded']) {
            $refund = "<form method=\"post\" action=\"$action\"><input type=\"hidden\" name=\"token\" value=\"$token\">"
                . "<input type=\"hidden\" name=\"action\" value=\"refund\"><input type=\"hidden\" name=\"reference\""
                . " value=\"$ref\"><button type=\"submit\" id=\"refund-$ref\">Refund one</button></form>";
        }
        $rows .= '<tr><td>' . h($line['name']) . '</td><td>' . h(money($line['price'])) . '</td><td>'
            . h($line['ordered']) . '</td><td>' . h($line['shipped']) . '</td><td>' . h($line['refunded'])
            . '</td><td>' . h($line['cancelled']) . "</td><td>$ship</td><td>$refund</td></tr>";
    }
    $carts = post_sale_update($order['lines']);
    $summary = '<p id="order-state">State: <strong>' . h($order['state']) . '</strong>'
        . ($order['state'] === 'confirmed' || $order['state'] === 'cancelled'
            ? ' · shipped (charged) ' . h(money($carts['shipped_cart']['order_total_with_tax']))
                . ' · not shipped yet ' . h(money($carts['unshipped_cart']['order_total_with_tax'])) : '')
        . (isset($order['sequra']['product_code']) ? ' · paid with seQura ' . h($order['sequra']['product_code']) : '')
        . '</p>';
    $waiting = array_filter($order['lines'], fn ($line) => !$line['handling'] && unshipped($line) > 0);
    $buttons = !$open || $waiting === [] ? '' : "<form id=\"ship\" method=\"post\" action=\"$action\">"
        . "<input type=\"hidden\" name=\"token\" value=\"$token\"><input type=\"hidden\" name=\"action\" value=\"ship\">"
        . '<button type="submit" id="ship-button">Ship the quantities above</button></form>'
        . "<form method=\"post\" action=\"$action\"><input type=\"hidden\" name=\"token\" value=\"$token\">"
        . '<input type="hidden" name="action" value="cancel">'
        . '<button type="submit" id="cancel-button">Cancel what is not shipped</button></form>';
    $history = implode('', array_map(fn ($line) => '<li>' . h($line) . '</li>', $order['history']));
    page("Order $id", $notice . $summary
        . '<table><tr><th>Item</th><th>Price</th><th>Ordered</th><th>Shipped</th><th>Refunded</th>'
        . "<th>Cancelled</th><th>To ship</th><th></th></tr>$rows</table>$buttons<h2>History</h2><ul>$history</ul>",
        $status);
}
