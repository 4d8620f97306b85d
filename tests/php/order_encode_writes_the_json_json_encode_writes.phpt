--TEST--
Sequra\Order::encode writes, in one pass with the validation, the JSON json_encode writes (slashes and non-ASCII characters as they are, a float without a fraction as an integer as json_encode writes it, other floats as the core writes them), and refuses what to_json refuses with the same paths and messages
--FILE--
<?php
require __DIR__ . '/sequra.inc';

const AS_IS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS;

// seQura's example order, its problems mended.
$order = require __DIR__ . '/seed_order_mended.inc';
$contract = ['contract' => ['services', 'garage', 'instore']];
$json = Sequra\Order::encode($order, $contract);
echo $json === json_encode($order, AS_IS) ? "the seed order: the bytes of json_encode\n" : "the seed order differs:\n$json\n";
echo json_decode($json, true) === $order ? "and it reads back as the same array\n" : "and it reads back differently\n";

// What strings, numbers and empty arrays become, under a key the options let through.
$loose = $contract + ['allow_unknown_keys' => true];
$order['x_extra'] = [
    'quote' => 'say "hi"',
    'backslash' => 'C:\\shop',
    'slash' => 'https://shop.example/a/b',
    'controls' => "\x00\x01\x08\t\n\x0b\x0c\r\x1f\x7f",
    'unicode' => 'José, 5º, €, 😀',
    'separators' => "\u{2028}\u{2029}",
    'long' => str_repeat('0123456789', 10) . '"' . str_repeat('é', 20),
    'empty_list' => [],
    'empty_object' => new stdClass(),
    'nested' => [[], [[]], ['a' => []], (object) ['b' => new stdClass()]],
    'numeric_keys' => (object) ['10' => 1, '9' => 2],
    'integers' => [0, -1, 86177, PHP_INT_MAX, PHP_INT_MIN],
    'others' => [true, false, null],
];
$json = Sequra\Order::encode($order, $loose);
echo $json === json_encode($order, AS_IS) ? "strings, integers, empty lists and objects: the bytes of json_encode\n" : "differs:\n$json\n";

// An object of another class cast to stdClass keeps its protected and
// private properties under names that start with NUL: json_encode leaves
// them out, and so does encode, in a value it writes whole and in an
// object it checks.
class Entity { public $given_names = 'Ana'; protected $password_hash = 'xyz'; private $note = 'VIP'; }
class Options { public $has_jquery = true; private $secret = 'x'; }
$cast = $order;
$cast['x_extra'] = (object) (array) new Entity();
$cast['merchant']['options'] = (object) (array) new Options();
$json = Sequra\Order::encode($cast, $loose);
check('the non-public properties of a cast object are left out, as json_encode leaves them', $json === json_encode($cast, AS_IS), $json);

// A float without a fraction below 1e17 is an integer, as json_encode
// writes it (100.0 is 100; past 2^53, its shortest digits and zeros, as
// json_encode writes them); other floats as the core writes them
// (serde_json): shortest, 1e+25 rather than 1.0e+25.
$order['x_extra'] = ['floats' => [1.5, 0.1, 100.0, -0.0, 1e16, 99999999999999990.0, 1e17, 1e25, 1.0e-7, 0.30000000000000004]];
$json = Sequra\Order::encode($order, $loose);
echo substr($json, strrpos($json, '"x_extra"')), "\n";
unset($order['x_extra']);

// So amounts that round() made (floats) are the integers json_encode sends.
$rounded = $order;
$rounded['cart']['items'][0]['price_with_tax'] = round(30.30 * 100);
$rounded['cart']['items'][0]['total_with_tax'] = round(60.60 * 100);
$rounded['cart']['items'][0]['quantity'] = 2.0;
check('amounts round() returned are valid', Sequra\Order::validate($rounded, $contract) === [], json_encode(Sequra\Order::validate($rounded, $contract)));
check('and written as json_encode writes them', Sequra\Order::encode($rounded, $contract) === json_encode($rounded, AS_IS));
$rounded['cart']['items'][0]['price_with_tax'] = 3030.5;
foreach (Sequra\Order::validate($rounded, $contract) as $problem) {
    echo "a fraction of a cent: {$problem['path']}: {$problem['message']}\n";
}

echo "refused as to_json refuses, every problem with its path:\n";
function refused(string $what, array $order, array $options = []): void
{
    foreach (['encode', 'validate'] as $method) {
        try {
            $result = Sequra\Order::$method($order, $options);
            $problems = $method === 'validate' ? $result : [];
        } catch (Sequra\ValidationException $e) {
            $problems = $e->getProblems();
        }
        echo "$what ($method):\n";
        foreach ($problems as $problem) {
            echo '  ', $problem['path'], ': ', $problem['message'], "\n";
        }
    }
}
/** An id object, as plugins have them: its text is meant. */
final class CartId
{
    public function __toString(): string
    {
        return 'ZXCV1234';
    }
}
$bad = small_order();
$bad['cart']['items'][0]['price_with_tax'] = NAN;
$bad['customer']['given_names'] = "Jos\xE9";
$bad['customer']['created_at'] = new DateTime('2020-01-01');
$bad['gui']["la\xFFyout"] = 'desktop';
$bad['platform']['uname'] = fopen('php://memory', 'r');
$bad['merchant_reference']['order_ref_1'] = new CartId();
refused('values JSON cannot carry', $bad);

$bad = small_order();
$bad['merchant']['options'] = ['has_jquery' => true];
$bad['merchant']['options']['self'] = &$bad['merchant']['options'];
refused('a recursive array', $bad);
unset($bad['merchant']['options']['self']); // the cycle, which PHP leaks at exit

$bad = small_order();
unset($bad['cart']['items'][0]);
refused('a gap in a list', $bad);

$bad = small_order();
$bad['cart']['items'] = ['9f61c3d2' => $bad['cart']['items'][0]]; // WooCommerce's cart keys
refused('a list with string keys', $bad);

refused('not an order at all', ['a', 'list']);

?>
--EXPECT--
the seed order: the bytes of json_encode
and it reads back as the same array
strings, integers, empty lists and objects: the bytes of json_encode
the non-public properties of a cast object are left out, as json_encode leaves them: ok
"x_extra":{"floats":[1.5,0.1,100,0,10000000000000000,99999999999999980,1e+17,1e+25,1e-7,0.30000000000000004]}}
amounts round() returned are valid: ok
and written as json_encode writes them: ok
a fraction of a cent: cart.items[0].price_with_tax: must be an integer amount in cents, not a decimal number (3030.5); round it to whole cents, e.g. (int) round($price * 100) in PHP
refused as to_json refuses, every problem with its path:
values JSON cannot carry (encode):
  merchant_reference.order_ref_1: is an object of class CartId, whose text is not taken for it (json_encode does not take it either); pass (string) of it for its text
  cart.items[0].price_with_tax: is NaN, which JSON cannot carry; send a finite number
  customer.given_names: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
  customer.created_at: is an object of class DateTime; send the date as text: ->format(DATE_ATOM), or ->format('Y-m-d') for a date alone
  gui: has a key that is not valid UTF-8 ("la\xffyout"); use UTF-8 keys
  platform.uname: is a resource; pass arrays, strings, numbers, booleans or null
values JSON cannot carry (validate):
  merchant_reference.order_ref_1: is an object of class CartId, whose text is not taken for it (json_encode does not take it either); pass (string) of it for its text
  cart.items[0].price_with_tax: is NaN, which JSON cannot carry; send a finite number
  customer.given_names: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
  customer.created_at: is an object of class DateTime; send the date as text: ->format(DATE_ATOM), or ->format('Y-m-d') for a date alone
  gui: has a key that is not valid UTF-8 ("la\xffyout"); use UTF-8 keys
  platform.uname: is a resource; pass arrays, strings, numbers, booleans or null
a recursive array (encode):
  merchant.options.self: contains itself (through a reference); JSON cannot carry a recursive array
a recursive array (validate):
  merchant.options.self: contains itself (through a reference); JSON cannot carry a recursive array
a gap in a list (encode):
  cart.items: must be a list, but its keys (1) are not 0 in order; in PHP, pass it through array_values()
  cart.order_total_with_tax: is 6302 but cart.items[].total_with_tax add up to 242: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)
a gap in a list (validate):
  cart.items: must be a list, but its keys (1) are not 0 in order; in PHP, pass it through array_values()
  cart.order_total_with_tax: is 6302 but cart.items[].total_with_tax add up to 242: make the items add up to what the shopper pays (a rounding difference may go on an item's total_with_tax, which may differ from quantity × price_with_tax by a cent a unit)
a list with string keys (encode):
  cart.items: must be a list, not an object (in PHP, an array with string keys: pass array_values() of it)
a list with string keys (validate):
  cart.items: must be a list, not an object (in PHP, an array with string keys: pass array_values() of it)
not an order at all (encode):
  order: must be an object
not an order at all (validate):
  order: must be an object
