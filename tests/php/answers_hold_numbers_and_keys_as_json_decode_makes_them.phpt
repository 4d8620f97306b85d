--TEST--
An answer handed to PHP holds what json_decode($json, true) makes of it: integers beyond PHP's become floats, fractions and exponents floats, numeric keys integers
--FILE--
<?php
// A signed checkout.com webhook hands back its `data` object as sent.
$secret = 'a-webhook-secret';
$data = '{"id": "pay_x", "u64_max": 18446744073709551615, "beyond_u64": 18446744073709551616, "below_i64": -9223372036854775809,'
    . ' "i64_max": 9223372036854775807, "i64_min": -9223372036854775808, "one_point_oh": 1.0, "exponent": 1e300,'
    . ' "tiny": 5e-324, "negative_zero": -0.0, "fraction": 0.1, "42": "a numeric key", "-7": "negative",'
    . ' "007": "not numeric to PHP", "9223372036854775808": "beyond PHP_INT_MAX", "": "empty", "a\u0000b": "a NUL in a key",'
    . ' "nested": [1, 2.5, {"3": null}]}';
$body = '{"id": "evt_az5sblvku4ge3dwpztvyizgcau", "type": "payment_approved", "data": ' . $data . '}';
$event = Sequra\CheckoutComClient::verifyWebhook($secret, $body, hash_hmac('sha256', $body, $secret));

$expected = json_decode($data, true);
foreach ($expected as $key => $value) {
    $got = $event['data'][$key] ?? 'missing';
    $same = var_export($got, true) === var_export($value, true);
    echo var_export($key, true), ' => ', $same ? '' : 'NOT ', 'as json_decode: ', str_replace("\n", '', var_export($value, true)), "\n";
}
echo count($event['data']) === count($expected) ? "nothing else\n" : "other keys\n";
?>
--EXPECT--
'id' => as json_decode: 'pay_x'
'u64_max' => as json_decode: 1.8446744073709552E+19
'beyond_u64' => as json_decode: 1.8446744073709552E+19
'below_i64' => as json_decode: -9.223372036854776E+18
'i64_max' => as json_decode: 9223372036854775807
'i64_min' => as json_decode: -9223372036854775807-1
'one_point_oh' => as json_decode: 1.0
'exponent' => as json_decode: 1.0E+300
'tiny' => as json_decode: 5.0E-324
'negative_zero' => as json_decode: -0.0
'fraction' => as json_decode: 0.1
42 => as json_decode: 'a numeric key'
-7 => as json_decode: 'negative'
'007' => as json_decode: 'not numeric to PHP'
'9223372036854775808' => as json_decode: 'beyond PHP_INT_MAX'
'' => as json_decode: 'empty'
'a' . "\0" . 'b' => as json_decode: 'a NUL in a key'
'nested' => as json_decode: array (  0 => 1,  1 => 2.5,  2 =>   array (    3 => NULL,  ),)
nothing else
