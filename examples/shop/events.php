<?php
// POST /events: seQura's events webhook (merchant.events_webhook), the
// news of an order after its confirmation: "cancelled" when seQura cancels
// a confirmed order (the IPN says nothing then), and others the shop only
// records. As for the IPN, an event is acted on only when it carries the
// signature the shop put into the webhook's parameters (they come back
// prefixed m_, which readEvent takes off).

declare(strict_types=1);

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    notification_answer('event', 'unknown_order', 'seQura POSTs its events');
}
try {
    $event = Sequra\Notifications::readEvent((string) file_get_contents('php://input'), shop_secret(), 'order');
} catch (Sequra\ValidationException | Sequra\SignatureException $e) {
    notification_answer('event', 'unknown_order', $e->getMessage());
}

$id = $event['parameters']['order'];
try {
    $outcome = (new Store())->update($id, fn (array &$order) => take_event($order, $event), wait: false);
} catch (OrderBusy $e) {
    notification_answer('event', 'try_later', $e->getMessage());
}
notification_answer('event', ...($outcome ?? ['unknown_order', "no order $id"]));

/** Acts on the event; returns [outcome, why]. */
function take_event(array &$order, array $event): array
{
    if (basename($order['sequra']['uri']) !== $event['order_ref']) {
        return ['unknown_order', "order {$order['id']} belongs to another seQura order"];
    }
    if ($event['event'] === 'cancelled' && $order['state'] !== 'cancelled') {
        // seQura's word, signed as the shop's own order: the shop stops
        // fulfilling it (what shipped already is the admin's to recover).
        $order['state'] = 'cancelled';
        remember($order, 'seQura cancelled the order');
        return ['taken', "order {$order['id']} is cancelled"];
    }
    remember($order, "seQura event: {$event['event']}");
    return ['taken', "event {$event['event']} recorded"];
}
