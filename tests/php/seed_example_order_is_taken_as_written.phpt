--TEST--
The PHP example order of seQura's documentation, passed as written: what happens today, step by step
--DESCRIPTION--
The example writes $order["cart"]["items"][9] after [5] (the documentation numbers
item types, not items). json_encode() would send cart.items as a JSON object; the
extension refuses it before sending and says how to make it a list. Made a list,
the example is sent, and the sandbox refuses it as seQura would: its merchant id
"s1" is not the merchant of the credentials, and its totals are illustrative
(5097 is not the sum of its items). The order payload validator (a later issue)
may refuse it earlier, with paths; update the expectations then.
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
--EXPECTF--
as written: Sequra\ValidationException null
  cart.items: is not a list: its keys (0, 1, 2, 3, 4, 5, 9) are not 0 to 6 in order, so json_encode would make it an object; pass array_values() of it for a list, or (object) of it for a mapping
with array_values(cart.items): Sequra\ForbiddenException 403
  order.merchant.id%S"s1"%S
and the merchant id of the credentials: Sequra\ConflictException 409
  cart.order_total_with_tax%S5097%S86177%S
