--TEST--
PHP arrays become JSON like json_encode makes it; what json_encode would get wrong is a ValidationException naming the path, before anything is sent (a list with gaps too, however PHP lays it out)
--FILE--
<?php
require __DIR__ . '/sequra.inc';

// Nothing listens on this port: a ValidationException (and not a
// TransportException) proves that the extension refused before sending.
$client = new Sequra\Client(['endpoint' => 'http://127.0.0.1:' . closed_port(), 'merchant' => 'demo',
                             'username' => 'demo', 'password' => 'x', 'timeout' => 2]);

function refused(callable $call): void
{
    try {
        $call();
        echo "  sent\n";
    } catch (Sequra\ValidationException $e) {
        foreach ($e->getProblems() as $problem) {
            echo '  ', $problem['path'], ': ', $problem['message'], "\n";
        }
        if ($e->mayHaveActed() || $e->getHttpStatus() !== null || $e->getKind() !== 'invalid_input') {
            echo "  wrong details\n";
        }
    } catch (Sequra\TransportException $e) {
        echo "  converted and sent (", $e->getKind(), ")\n";
    }
}

echo "a gap in a list (unset):\n";
$order = small_order();
unset($order['cart']['items'][0]);
refused(fn () => $client->startSolicitation($order));

echo "every problem, each with its path:\n";
$order = small_order();
$order['cart']['items'][0]['price_with_tax'] = NAN;
$order['customer']['given_names'] = "Jos\xE9";
$order['customer']['created_at'] = new DateTime('2020-01-01');
$order['customer']['updated_at'] = new class {
}; // its name goes on after a NUL with this file's path, never shown
$order['gui']["la\xFFyout"] = 'desktop';
$order['platform']['uname'] = fopen('php://memory', 'r');
refused(fn () => $client->startSolicitation($order));

echo "items keyed by product id, as a shop's loop may build them (in PHP 8.1 a packed array, with holes before its keys):\n";
$order = small_order();
$byId = [];
foreach ($order['cart']['items'] as $i => $item) {
    $byId[5 + 2 * $i] = $item;
}
$order['cart']['items'] = $byId;
refused(fn () => $client->startSolicitation($order));
refused(fn () => $client->getIdentificationForm('abc', [3 => 'i1']));

echo "a recursive array:\n";
$order = small_order();
$order['merchant']['options'] = ['has_jquery' => true];
$order['merchant']['options']['self'] = &$order['merchant']['options'];
refused(fn () => $client->startSolicitation($order));
unset($order['merchant']['options']['self']); // the cycle, which PHP leaks at exit

echo "the identification form's options:\n";
refused(fn () => $client->getIdentificationForm('abc', ['produc' => 'i1']));
refused(fn () => $client->getIdentificationForm('abc', ['ajax' => 'yes']));
refused(fn () => $client->getIdentificationForm('abc', ['i1']));

echo "what converts is sent:\n";
$order = small_order();
$order['merchant']['options'] = new stdClass();                // {}
$order['customer']['previous_orders'] = [];                 // [] (a list)
$order['merchant']['notification_parameters'] = (object) ['1234' => 'x']; // numeric keys: a mapping
$order['cart']['items'] = array_values([5 => $order['cart']['items'][0], 9 => $order['cart']['items'][1]]);
$reference = &$order['merchant_reference']['order_ref_1'];
refused(fn () => $client->startSolicitation($order));
refused(fn () => $client->getIdentificationForm('abc', []));
refused(fn () => $client->getIdentificationForm('abc', ['product' => 'pp3', 'campaign' => null, 'ajax' => true]));
?>
--EXPECT--
a gap in a list (unset):
  cart.items: must be a list, but its keys (1) are not 0 in order; in PHP, pass it through array_values()
  cart.order_total_with_tax: is 6302 but cart.items[].total_with_tax add up to 242: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)
every problem, each with its path:
  cart.items[0].price_with_tax: is NaN, which JSON cannot carry; send a finite number
  customer.given_names: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
  customer.created_at: is an object of class DateTime; send the date as text: ->format(DATE_ATOM), or ->format('Y-m-d') for a date alone
  customer.updated_at: is an object of class class@anonymous; pass an array, or a stdClass for a JSON object
  gui: has a key that is not valid UTF-8 ("la\xffyout"); use UTF-8 keys
  platform.uname: is a resource; pass arrays, strings, numbers, booleans or null
items keyed by product id, as a shop's loop may build them (in PHP 8.1 a packed array, with holes before its keys):
  cart.items: must be a list, but its keys (5, 7) are not 0 and 1 in order; in PHP, pass it through array_values()
  options: is not a list: its keys (3) are not 0 in order, so json_encode would make it an object; pass array_values() of it for a list, or (object) of it for a mapping
a recursive array:
  merchant.options.self: contains itself (through a reference); JSON cannot carry a recursive array
the identification form's options:
  options.produc: is not an option of the form; the options are product, campaign and ajax
  options.ajax: must be true or false
  options: must be an object
what converts is sent:
  converted and sent (transport)
  converted and sent (transport)
  converted and sent (transport)
