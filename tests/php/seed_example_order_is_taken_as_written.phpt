--TEST--
The PHP example order of seQura's documentation, passed as written: refused before sending, every problem named by path
--DESCRIPTION--
The example writes $order["cart"]["items"][9] after [5] (the documentation numbers
item types, not items). json_encode() would send cart.items as a JSON object; the
extension refuses it before sending and says how to make it a list. Made a list,
the validator names every other problem of the example: its totals are
illustrative (5097 is not the sum of its items, and a service's
total is not its price), a discount type is written as a
list, its merchant.id is not the client's merchant, and it uses fields of
contracts the sandbox merchant does not have.
--FILE--
<?php
require __DIR__ . '/sequra.inc';

function attempt(string $what, array $order): void
{
    try {
        $uri = sandbox_client()->startSolicitation($order);
        echo "$what: sent, order URI $uri\n";
    } catch (Sequra\Exception $e) {
        echo "$what: ", get_class($e), ' ', json_encode($e->getHttpStatus()), "\n";
        foreach ($e instanceof Sequra\ValidationException ? $e->getProblems() : [] as $problem) {
            echo '  ', $problem['path'], ': ', $problem['message'], "\n";
        }
        foreach ($e->getErrors() as $error) {
            echo '  ', $error, "\n";
        }
    }
}

$order = require __DIR__ . '/seed_order.inc';
attempt('as written', $order);

$order['cart']['items'] = array_values($order['cart']['items']);
attempt('with array_values(cart.items)', $order);

$order['merchant']['id'] = DEMO_MERCHANT;
attempt('and the merchant id of the credentials', $order);
?>
--EXPECT--
as written: Sequra\ValidationException null
  cart.items: must be a list, but its keys (0, 1, 2, 3, 4, 5, 9) are not 0 to 6 in order; in PHP, pass it through array_values()
  subscription.discounts[0].type: must be one of "percent", "amount", not a list
  merchant.id: is a string ("s1") but the client is for merchant "demo", which the request names; make them equal
  cart.items[5].total_with_tax: is 75020 but quantity × price_with_tax is 1 × 3030 = 3030; they may differ by rounding only, at most one cent per unit (1 here)
  cart.order_total_with_tax: is 5097 but cart.items[].total_with_tax add up to 86177: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)
  cart.items[5]: is a service, which needs the services contract option; ask seQura to enable it or sell it as a product
  instore: is only for in-store integrations; remove it, or set the instore contract option
  customer.vehicle: is only for garages; remove it, or set the garage contract option
  cart.subscription_total_price: is 1000 but the items' monthly subscription costs (subscription_price, or subscription_price_per_item × quantity) add up to 2000
with array_values(cart.items): Sequra\ValidationException null
  subscription.discounts[0].type: must be one of "percent", "amount", not a list
  merchant.id: is a string ("s1") but the client is for merchant "demo", which the request names; make them equal
  cart.items[5].total_with_tax: is 75020 but quantity × price_with_tax is 1 × 3030 = 3030; they may differ by rounding only, at most one cent per unit (1 here)
  cart.order_total_with_tax: is 5097 but cart.items[].total_with_tax add up to 86177: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)
  cart.items[5]: is a service, which needs the services contract option; ask seQura to enable it or sell it as a product
  instore: is only for in-store integrations; remove it, or set the instore contract option
  customer.vehicle: is only for garages; remove it, or set the garage contract option
  cart.subscription_total_price: is 1000 but the items' monthly subscription costs (subscription_price, or subscription_price_per_item × quantity) add up to 2000
and the merchant id of the credentials: Sequra\ValidationException null
  subscription.discounts[0].type: must be one of "percent", "amount", not a list
  cart.items[5].total_with_tax: is 75020 but quantity × price_with_tax is 1 × 3030 = 3030; they may differ by rounding only, at most one cent per unit (1 here)
  cart.order_total_with_tax: is 5097 but cart.items[].total_with_tax add up to 86177: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)
  cart.items[5]: is a service, which needs the services contract option; ask seQura to enable it or sell it as a product
  instore: is only for in-store integrations; remove it, or set the instore contract option
  customer.vehicle: is only for garages; remove it, or set the garage contract option
  cart.subscription_total_price: is 1000 but the items' monthly subscription costs (subscription_price, or subscription_price_per_item × quantity) add up to 2000
