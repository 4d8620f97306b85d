--TEST--
examples/pos_counter.php sells at the counter: it texts the customer and hands over the goods once they sign
--FILE--
<?php
require __DIR__ . '/pos.inc';

// The example as a shop runs it, in this PHP with this extension.
$argv = ['pos_counter.php', sandbox_url()];
require __DIR__ . '/../../examples/pos_counter.php';
?>
--EXPECTF--
order %d created for POS-%s: 250.00 EUR, pending
SMS to +34666123456: SMS sent successfully
waiting up to 5.0 s for the customer to sign on their phone
signed: order %d is confirmed (seQura order %s); hand over the goods
