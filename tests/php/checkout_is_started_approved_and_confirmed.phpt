--TEST--
Checkout against the sandbox: start, identification form, approval (IPN), confirm
--FILE--
<?php
require __DIR__ . '/sequra.inc';

$client = sandbox_client();
$order = small_order();

$uri = $client->startSolicitation($order);
check('the order URI is under the endpoint', str_starts_with($uri, sandbox_url() . '/orders/'), $uri);

$html = $client->getIdentificationForm($uri);
check('the form is the identification form', str_contains($html, 'sq-identification'));
$fragment = $client->getIdentificationForm(order_uuid($uri), ['product' => 'pp3', 'campaign' => 'spring', 'ajax' => true]);
check('the options reach the form', str_contains($fragment, 'value="pp3"') && !str_contains($fragment, '<html'));

approve($uri);
check('the shopper approved it', inspect($uri)['state'] === 'approved');

var_dump($client->confirm($uri, $order));
$stored = inspect($uri);
check('the order is confirmed', $stored['state'] === 'confirmed', $stored['state']);
// JSON objects have no key order (the sandbox sorts them): compare sorted.
function sorted(array $a): array
{
    ksort($a);
    return array_map(fn ($v) => is_array($v) ? sorted($v) : $v, $a);
}
check('seQura got the order as given, with state confirmed',
      sorted($stored['order']) === sorted(['state' => 'confirmed'] + $order));
?>
--EXPECT--
the order URI is under the endpoint: ok
the form is the identification form: ok
the options reach the form: ok
the shopper approved it: ok
NULL
the order is confirmed: ok
seQura got the order as given, with state confirmed: ok
