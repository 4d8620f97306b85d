--TEST--
log_bodies is off by default: the debug records carry no body; with 'log_bodies' => true they carry both, masked
--FILE--
<?php
require __DIR__ . '/logger.inc';

$quiet = new Recorder();
$client = sandbox_client(['logger' => $quiet]);
$uri = $client->startSolicitation(small_order());
$client->getPaymentMethods($uri);
$keys = array_merge(...array_map(fn ($r) => array_keys($r[2]), $quiet->records));
check('two exchanges logged', count($quiet->at('debug')) === 2);
check('by default no record has a body', !in_array('request_body', $keys, true) && !in_array('response_body', $keys, true),
    implode(',', $keys));
check('by default the cart is not in the log', !str_contains($quiet->text(), 'Leather Case'));

$loud = new Recorder();
$client = sandbox_client(['logger' => $loud, 'log_bodies' => true]);
$uri = $client->startSolicitation(small_order());
$client->getPaymentMethods($uri);
[$post, $get] = $loud->at('debug');
check('with log_bodies the request body is there', ($post[2]['request_body']['order']['cart']['items'][0]['name'] ?? null) === 'Leather Case');
check('masked', ($post[2]['request_body']['order']['customer']['given_names'] ?? null) === '***');
check('and the answer too', isset($get[2]['response_body']['payment_options']));
?>
--EXPECT--
two exchanges logged: ok
by default no record has a body: ok
by default the cart is not in the log: ok
with log_bodies the request body is there: ok
masked: ok
and the answer too: ok
