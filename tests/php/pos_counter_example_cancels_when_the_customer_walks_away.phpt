--TEST--
examples/pos_counter.php cancels the order when the customer does not sign in time
--FILE--
<?php
require __DIR__ . '/pos.inc';

// The example as a shop runs it, in this PHP with this extension.
$argv = ['pos_counter.php', sandbox_url(), '--customer=walks-away', '--wait=0.4'];
require __DIR__ . '/../../examples/pos_counter.php';
?>
--EXPECTF--
order %d created for POS-%s: 250.00 EUR, pending
SMS to +34666123456: SMS sent successfully
waiting up to 0.4 s for the customer to sign on their phone
not signed in time (status pending): cancelling
order %d: cancelled (Order cancelled successfully)
