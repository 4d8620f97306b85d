--TEST--
Notifications: $_POST with a field name or value that is not UTF-8, or that is not a string, is a Sequra\ValidationException (the handler answers 404), never an \Error
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$secret = 'a-long-random-shop-secret';
$fields = ['order_ref' => 'u-1', 'product_code' => 'i1', 'sq_state' => 'approved',
           'order_ref_1' => 'R-1', 'approved_since' => '1', 'cart' => 'C-9',
           'signature' => Sequra\Notifications::sign($secret, 'C-9')];

// What anyone can post: `curl --data '%FF=1'` makes $_POST ["\xFF" => '1'].
$hostile = [
    'a name that is not UTF-8' => ["\xFF" => '1'] + $fields,
    'a long name that is not UTF-8' => [str_repeat("\xFE", 100000) => '1'] + $fields,
    'a value that is not UTF-8' => ['cart' => "C-\xE9"] + $fields,
    'a list where a value goes' => ['cart' => ['C-9']] + $fields,
    'a number' => ['approved_since' => 1] + $fields,
    'null' => ['cart' => null] + $fields,
    'an object' => ['cart' => new stdClass()] + $fields,
    'a resource' => ['cart' => STDIN] + $fields,
    'a reference to itself' => (function () use ($fields) { $f = $fields; $f['self'] = &$f; return $f; })(),
];

foreach (['readIpn', 'readEvent'] as $method) {
    foreach ($hostile as $what => $body) {
        try {
            Sequra\Notifications::$method($body, $secret, 'cart');
            echo "$method, $what: accepted\n";
        } catch (Sequra\ValidationException $e) {
            $problems = $e->getProblems();
            echo "$method, $what: ", $problems[0]['path'], ': ', $problems[0]['message'], "\n";
            if (strlen($e->getMessage()) > 1000) {
                echo "  the message is ", strlen($e->getMessage()), " bytes long\n";
            }
        } catch (Throwable $e) {
            echo "$method, $what: ", get_class($e), ': ', $e->getMessage(), "\n";
        }
    }
}
// The cycle, which PHP would leak at exit.
unset($hostile, $body, $e);
gc_collect_cycles();
?>
--EXPECT--
readIpn, a name that is not UTF-8: body: has a key that is not valid UTF-8 ("\xff"); use UTF-8 keys
readIpn, a long name that is not UTF-8: body: has a key that is not valid UTF-8 ("\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe… (100000 bytes)"); use UTF-8 keys
readIpn, a value that is not UTF-8: body.cart: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
readIpn, a list where a value goes: body.cart: must be a string, as seQura posts every field
readIpn, a number: body.approved_since: must be a string, as seQura posts every field
readIpn, null: body.cart: must be a string, as seQura posts every field
readIpn, an object: body.cart: must be a string, as seQura posts every field
readIpn, a resource: body.cart: must be a string, as seQura posts every field
readIpn, a reference to itself: body.self: must be a string, as seQura posts every field
readEvent, a name that is not UTF-8: body: has a key that is not valid UTF-8 ("\xff"); use UTF-8 keys
readEvent, a long name that is not UTF-8: body: has a key that is not valid UTF-8 ("\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe… (100000 bytes)"); use UTF-8 keys
readEvent, a value that is not UTF-8: body.cart: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding)
readEvent, a list where a value goes: body.cart: must be a string, as seQura posts every field
readEvent, a number: body.approved_since: must be a string, as seQura posts every field
readEvent, null: body.cart: must be a string, as seQura posts every field
readEvent, an object: body.cart: must be a string, as seQura posts every field
readEvent, a resource: body.cart: must be a string, as seQura posts every field
readEvent, a reference to itself: body.self: must be a string, as seQura posts every field
