<?php
// The shop's order and what seQura sees of it: the order document sent at
// the checkout, and the two carts (shipped, not shipped yet) sent after it.
// Money is integer cents throughout.
//
// A shop order keeps one line per product, plus the delivery fee, with how
// many were ordered, shipped, refunded and cancelled:
//   ['reference', 'name', 'price', 'ordered', 'shipped', 'refunded',
//    'cancelled', 'handling' => true for the delivery fee]

declare(strict_types=1);

/** What the example's shopper has in the cart, and the delivery fee. */
function example_cart(): array
{
    $line = fn (string $reference, string $name, int $price, int $quantity, bool $handling = false) => [
        'reference' => $reference, 'name' => $name, 'price' => $price, 'ordered' => $quantity,
        'shipped' => 0, 'refunded' => 0, 'cancelled' => 0, 'handling' => $handling,
    ];
    return [
        $line('TENT-2P', 'Two-person tent', 8999, 1),
        $line('MAT-01', 'Sleeping mat', 2450, 2),
        $line('LAMP-H', 'Head lamp', 1599, 1),
        $line('SHIP-STD', 'Standard delivery (2-3 days)', 495, 1, true),
    ];
}

/** The example's shopper, as the shop's account page would hold them. */
function example_shopper(): array
{
    $address = [
        'given_names' => 'Maria José', 'surnames' => 'Barroso Rajoy', 'company' => '',
        'address_line_1' => 'C/ Aragó 383', 'address_line_2' => '5º', 'postal_code' => '08013',
        'city' => 'Barcelona', 'country_code' => 'ES', 'mobile_phone' => '+34666555444',
    ];
    return [
        'customer' => ['given_names' => 'Maria José', 'surnames' => 'Barroso Rajoy',
            'email' => 'maria.jose@example.com', 'ref' => 'C-1042'],
        'delivery_address' => $address,
        'invoice_address' => $address,
    ];
}

function line_total(array $line, int $quantity): int
{
    return $line['price'] * $quantity;
}

function order_total(array $lines): int
{
    return array_sum(array_map(fn ($line) => line_total($line, $line['ordered']), $lines));
}

/** $quantity of $line as an item of a seQura cart. */
function sequra_item(array $line, int $quantity): array
{
    if ($line['handling']) {
        return ['type' => 'handling', 'reference' => $line['reference'], 'name' => $line['name'],
            'total_with_tax' => line_total($line, $quantity)];
    }
    return ['reference' => $line['reference'], 'name' => $line['name'], 'price_with_tax' => $line['price'],
        'quantity' => $quantity, 'total_with_tax' => line_total($line, $quantity), 'downloadable' => false];
}

/** A seQura cart of the given quantity of each line (lines at 0 left out). */
function sequra_cart(array $lines, callable $quantity): array
{
    $items = [];
    foreach ($lines as $line) {
        if (($n = $quantity($line)) > 0) {
            $items[] = sequra_item($line, $n);
        }
    }
    return ['currency' => 'EUR', 'order_total_with_tax' => array_sum(array_column($items, 'total_with_tax')),
        'items' => $items];
}

/**
 * The order document seQura's checkout starts with. The shop signs its own
 * order id into the notification parameters, so that the IPN endpoint knows
 * the IPN came through an order it started.
 */
function sequra_order(array $shopOrder, string $merchant): array
{
    $shop = shop_url();
    $id = $shopOrder['id'];
    $cart = sequra_cart($shopOrder['lines'], fn ($line) => $line['ordered']);
    // The shop's order id, signed: seQura posts both parameters back.
    $signed = ['order' => $id, 'signature' => Sequra\Notifications::sign(shop_secret(), $id)];
    return [
        'state' => '',
        'merchant' => [
            'id' => $merchant,
            'notify_url' => "$shop/ipn",
            'notification_parameters' => $signed,
            // After the confirmation, seQura's news (a cancellation) comes here.
            'events_webhook' => ['url' => "$shop/events", 'parameters' => $signed],
            'return_url' => "$shop/checkout/done?order=$id",
            'abort_url' => "$shop/",
        ],
        'merchant_reference' => ['order_ref_1' => $id],
        'cart' => $cart + ['cart_ref' => $id, 'gift' => false],
        'delivery_method' => ['name' => 'Standard delivery', 'days' => '2-3', 'home_delivery' => true],
        'delivery_address' => $shopOrder['shopper']['delivery_address'],
        'invoice_address' => $shopOrder['shopper']['invoice_address'],
        'customer' => $shopOrder['shopper']['customer'] + [
            'logged_in' => true,
            'language_code' => 'es-ES',
            'ip_number' => $_SERVER['REMOTE_ADDR'],
            'user_agent' => $_SERVER['HTTP_USER_AGENT'] ?? null,
        ],
        'gui' => ['layout' => 'desktop'],
        'platform' => platform(),
    ];
}

/**
 * The order's `platform` block: what the shop runs on. The extension adds
 * PHP's version and php_uname(); a platform passes its own name and version
 * and its database's (e.g. 'mysql' and the server's version).
 */
function platform(): array
{
    return Sequra\Order::platform(['name' => 'example-shop', 'version' => '1.0', 'plugin_version' => '1.0',
        'db_name' => 'json-files', 'db_version' => '1']);
}

/** The post-sale update stating the order as it now stands (Client::orderUpdate). */
function post_sale_update(array $lines): array
{
    return [
        'shipped_cart' => sequra_cart($lines, fn ($line) => $line['shipped'] - $line['refunded']),
        'unshipped_cart' => sequra_cart($lines, fn ($line) => unshipped($line)),
    ];
}

function unshipped(array $line): int
{
    return $line['ordered'] - $line['shipped'] - $line['cancelled'];
}

/**
 * The lines once the admin's action is done; an InvalidArgumentException
 * (nothing sent) when there is nothing to do.
 *
 * ship:   $input[reference] => quantity to ship; the delivery fee ships with
 *         the first parcel.
 * refund: one unit of $input['reference'] came back.
 * cancel: what is not shipped will not be; the delivery fee is cancelled
 *         too when nothing was shipped (the whole order is cancelled).
 */
function apply_action(array $lines, string $action, array $input): array
{
    $changed = false;
    foreach ($lines as &$line) {
        $ref = $line['reference'];
        if ($action === 'ship' && !$line['handling']) {
            $n = filter_var($input[$ref] ?? 0, FILTER_VALIDATE_INT, ['options' => ['min_range' => 0]]);
            if ($n === false || $n > unshipped($line)) {
                throw new InvalidArgumentException("{$line['name']}: ship between 0 and " . unshipped($line));
            }
            $line['shipped'] += $n;
            $changed = $changed || $n > 0;
        } elseif ($action === 'refund' && $ref === ($input['reference'] ?? null)) {
            if ($line['handling'] || $line['shipped'] - $line['refunded'] < 1) {
                throw new InvalidArgumentException("{$line['name']}: nothing shipped to refund");
            }
            $line['refunded']++;
            $changed = true;
        } elseif ($action === 'cancel' && !$line['handling'] && unshipped($line) > 0) {
            $line['cancelled'] += unshipped($line);
            $changed = true;
        }
    }
    unset($line);
    if (!$changed) {
        throw new InvalidArgumentException(match ($action) {
            'ship' => 'Choose at least one item to ship.',
            'cancel' => 'Everything is shipped or cancelled already.',
            default => 'Nothing to do.',
        });
    }
    // The delivery fee follows the products: shipped with the first parcel,
    // cancelled with the order when no parcel went out.
    $anyShipped = array_sum(array_column($lines, 'shipped')) > 0;
    foreach ($lines as &$line) {
        if ($line['handling'] && unshipped($line) > 0) {
            if ($action === 'ship' && $anyShipped) {
                $line['shipped'] = $line['ordered'];
            } elseif ($action === 'cancel' && !$anyShipped) {
                $line['cancelled'] = $line['ordered'];
            }
        }
    }
    return $lines;
}
