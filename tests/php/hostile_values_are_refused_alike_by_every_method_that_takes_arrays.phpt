--TEST--
Every method that takes an array refuses what JSON cannot carry (text and keys that are not UTF-8, NAN, INF, objects, closures, enum cases without values, resources, arrays that contain themselves, nesting too deep) with the same problems at the value (the methods that take a document list its other problems after them), bounded however large the input, and never an \Error
--FILE--
<?php
require __DIR__ . '/array_methods.inc';

['client' => $client] = closed_clients();
$methods = array_methods();

$closed = fopen('php://memory', 'r');
fclose($closed);
$recursive = ['x' => 1];
$recursive['self'] = &$recursive;
$object = new stdClass();
$object->self = $object;
$deep = 'bottom';
for ($i = 0; $i < 1000; $i++) {
    $deep = ['d' => $deep];
}
eval("class Caf\xE9 {}");
enum Suit { case Hearts; }
enum Colour: string { case Red = 'red'; }
enum Size: int { case Two = 2; }
class Money implements JsonSerializable { public function jsonSerialize(): mixed { return 500; } }

$hostile = [
    'a key that is not UTF-8' => ["ke\xFFy" => 1],
    'a string that is not UTF-8' => "Jos\xE9",
    'NAN' => NAN,
    'INF' => -INF,
    'an object' => new ArrayIterator([]),
    'a date' => new DateTime('2020-01-01'),
    'a JsonSerializable object' => new Money(),
    'a closure' => fn () => 1,
    'a case of an enum without values' => Suit::Hearts,
    'an ArrayObject' => new ArrayObject([1]),
    'an object whose class name is not UTF-8' => new ("Caf\xE9"),
    'a resource' => STDIN,
    'a closed resource' => $closed,
    'an array that contains itself' => $recursive,
    'an object that contains itself' => $object,
    'nesting 1000 deep' => $deep,
    'a list of 5000 NANs' => array_fill(0, 5000, NAN),
    'a key of 100 kB, not UTF-8' => [str_repeat("\xFF", 100000) => 1],
    '100 kB of text that is not UTF-8' => str_repeat("\xFF", 100000),
];

foreach ($hostile as $what => $value) {
    $seen = [];
    foreach ($methods as $name => $call) {
        // The last of a long list counts the rest at the name of the
        // document, which is each method's own (order, setup, options).
        $all = preg_replace('/^\w+: (?=and \d+ more problems not listed)/', '', outcome($call, ['a' => $value]));
        // The problems at the value; the methods that take a document go on
        // with the document's own (the fields it lacks, and `a`, which is
        // none of its fields, when the value refused is inside it), and
        // count them with the rest.
        $problems = array_values(array_filter(
            $all,
            fn ($p) => preg_match('/^a(\.|\[|: )/', $p) && !str_starts_with($p, 'a: is not a field of '),
        ));
        // The constructors' messages join the problems: the first is compared.
        $key = str_starts_with($name, 'new ') ? $problems[0] : implode("\n", $problems);
        $seen[$key][] = $name;
        if (!str_starts_with($name, 'new ')) {
            $lists[$what][implode("\n", $problems)] = $problems;
            $whole[$what] ??= $all;
        }
    }
    $lists[$what] = array_values($lists[$what]);
    [$first] = $lists[$what];
    $long = array_filter($first, fn ($p) => strlen($p) > 700);
    $last = str_starts_with(end($whole[$what]), 'and ') ? ', the last of all: ' . end($whole[$what]) : '';
    echo "$what: ", $first[0], ' (', count($first), ' problem', count($first) === 1 ? '' : 's',
        $long ? ', ' . count($long) . ' of them longer than 700 bytes' : '', "$last)\n";
    foreach ($seen as $problems => $names) {
        if (!str_starts_with($problems, $first[0])) {
            echo "  but ", implode(', ', $names), ': ', substr($problems, 0, 300), "\n";
        }
    }
    if (count($lists[$what]) > 1) {
        echo "  and the lists differ\n";
    }
}

// $GLOBALS: references, and every value above.
$problems = outcome(fn ($a) => Sequra\Order::encode($a), $GLOBALS);
echo '$GLOBALS: ', count($problems), " problems\n";

// What JSON carries is taken, as json_encode takes it.
$shared = ['x'];
$taken = [
    'PHP_INT_MAX' => PHP_INT_MAX,
    'PHP_INT_MIN' => PHP_INT_MIN,
    'an integer beyond PHP_INT_MAX (a float in PHP)' => PHP_INT_MAX + 1,
    '-0.0' => -0.0,
    '1e300' => 1e300,
    'NUL, controls, quotes and U+2028' => "a\0b\x01\"\\/\u{2028}é",
    'one array through two references' => ['p' => &$shared, 'q' => &$shared],
    'an empty stdClass' => new stdClass(),
    'a stdClass with numeric names' => (object) ['1' => 'x', '2' => 'y'],
    'a case of a string-backed enum' => Colour::Red,
    'a case of an int-backed enum' => Size::Two,
    'nesting 63 deep' => (function () { $a = 1; for ($i = 0; $i < 63; $i++) { $a = [$a]; } return $a; })(),
];
$order = small_order();
foreach ($taken as $what => $value) {
    $json = Sequra\Order::encode(['extra' => $value] + $order, ['allow_unknown_keys' => true]);
    $same = json_decode($json, true) == json_decode(json_encode(['extra' => $value] + $order), true);
    // Converted, startSolicitation's validator names the unknown key.
    $converted = outcome(fn ($a) => $client->startSolicitation($a), ['extra' => $value] + $order)
        === ['extra: is not a field of this object (it is a field of delivery_address, invoice_address and subscription.cart.items[]); remove it, or allow unknown keys'];
    echo "$what: ", $same ? 'encoded as json_encode encodes it' : "encoded as $json",
        $converted ? ', converted for startSolicitation' : ', refused by startSolicitation', "\n";
}
// The cycles, which PHP would leak at exit.
unset($recursive, $object, $hostile, $value);
gc_collect_cycles();
?>
--EXPECT--
a key that is not UTF-8: a: has a key that is not valid UTF-8 ("ke\xffy"); use UTF-8 keys (1 problem)
a string that is not UTF-8: a: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding) (1 problem)
NAN: a: is NaN, which JSON cannot carry; send a finite number (1 problem)
INF: a: is -inf, which JSON cannot carry; send a finite number (1 problem)
an object: a: is an object of class ArrayIterator; pass an array, or a stdClass for a JSON object (1 problem)
a date: a: is an object of class DateTime; send the date as text: ->format(DATE_ATOM), or ->format('Y-m-d') for a date alone (1 problem)
a JsonSerializable object: a: is an object of class Money, whose jsonSerialize() is not called here; pass what it returns (->jsonSerialize()) (1 problem)
a closure: a: is an object of class Closure; pass an array, or a stdClass for a JSON object (1 problem)
a case of an enum without values: a: is a case of the enum Suit, which has no value to send (json_encode refuses it too); pass a string, or give the enum values (enum Suit: string) (1 problem)
an ArrayObject: a: is an object of class ArrayObject; pass an array, or a stdClass for a JSON object (1 problem)
an object whose class name is not UTF-8: a: is an object of class Caf\xe9; pass an array, or a stdClass for a JSON object (1 problem)
a resource: a: is a resource; pass arrays, strings, numbers, booleans or null (1 problem)
a closed resource: a: is a resource; pass arrays, strings, numbers, booleans or null (1 problem)
an array that contains itself: a.self: contains itself (through a reference); JSON cannot carry a recursive array (1 problem)
an object that contains itself: a.self: contains itself (through a reference); JSON cannot carry a recursive array (1 problem)
nesting 1000 deep: a.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d: is nested more than 64 levels deep (1 problem)
a list of 5000 NANs: a[0]: is NaN, which JSON cannot carry; send a finite number (100 problems, the last of all: and 4910 more problems not listed; fix those above and validate again)
a key of 100 kB, not UTF-8: a: has a key that is not valid UTF-8 ("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff… (100000 bytes)"); use UTF-8 keys (1 problem)
100 kB of text that is not UTF-8: a: is not valid UTF-8; convert the text to UTF-8 (e.g. with mb_convert_encoding) (1 problem)
$GLOBALS: 101 problems
PHP_INT_MAX: encoded as json_encode encodes it, converted for startSolicitation
PHP_INT_MIN: encoded as json_encode encodes it, converted for startSolicitation
an integer beyond PHP_INT_MAX (a float in PHP): encoded as json_encode encodes it, converted for startSolicitation
-0.0: encoded as json_encode encodes it, converted for startSolicitation
1e300: encoded as json_encode encodes it, converted for startSolicitation
NUL, controls, quotes and U+2028: encoded as json_encode encodes it, converted for startSolicitation
one array through two references: encoded as json_encode encodes it, converted for startSolicitation
an empty stdClass: encoded as json_encode encodes it, converted for startSolicitation
a stdClass with numeric names: encoded as json_encode encodes it, converted for startSolicitation
a case of a string-backed enum: encoded as json_encode encodes it, converted for startSolicitation
a case of an int-backed enum: encoded as json_encode encodes it, converted for startSolicitation
nesting 63 deep: encoded as json_encode encodes it, converted for startSolicitation
