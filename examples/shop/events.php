<?php
// POST /events: seQura's events webhook (merchant.events_webhook), the
// news of an order after its confirmation: "cancelled" when seQura cancels
// a confirmed order (the IPN says nothing then), and others the shop only
// records. As for the IPN (lib/notifications.php), an event is acted on
// only when it carries the signature the shop put into the webhook's
// parameters (they come back prefixed m_, which readEvent takes off).

declare(strict_types=1);

serve_notification(
    'event',
    fn (string $body) => Sequra\Notifications::readEvent($body, shop_secret(), 'order'),
    take_event(...),
);

/** Acts on the event of this order; returns [outcome, why]. */
function take_event(array &$order, array $event): array
{
    if ($event['event'] === 'cancelled' && $order['state'] !== 'cancelled') {
        // The shop stops fulfilling it (what shipped already is the admin's
        // to recover). Only the order's identity is signed, not the event:
        // a signed notification of this order posted again could say
        // "cancelled" too, so nothing done here is beyond undoing.
        $order['state'] = 'cancelled';
        remember($order, 'seQura cancelled the order');
        return ['taken', "order {$order['id']} is cancelled"];
    }
    remember($order, "seQura event: {$event['event']}");
    return ['taken', "event {$event['event']} recorded"];
}
