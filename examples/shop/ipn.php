<?php
// POST /ipn: seQura's IPN (merchant.notify_url). Anyone can POST here, so
// the IPN is acted on only when it carries the signature the shop put into
// the order's notification_parameters. Every answer is the status seQura
// expects for what the shop did (Sequra\Notifications::answerStatus):
//   taken (200)          the shop took the news (and confirmed the order);
//   unknown_order (404)  forged, unsigned, or no such order: seQura gives up;
//   try_later (409)      busy or failing on our side: seQura asks again;
//   never (410)          the shop will never fulfil this order: seQura
//                        cancels it and refunds the shopper. Never for an
//                        error of our own.

declare(strict_types=1);

serve_notification(
    'IPN',
    fn (string $body) => Sequra\Notifications::readIpn($body, shop_secret(), 'order'),
    take_ipn(...),
);

/** Acts on the IPN of this order; returns [outcome, why]. */
function take_ipn(array &$order, array $ipn): array
{
    if ($order['state'] === 'confirmed') {
        return ['taken', "order {$order['id']} is confirmed already"]; // the same IPN again
    }
    switch ($ipn['sq_state']) {
        case 'needs_review':
            $order['state'] = 'on_hold';
            remember($order, 'seQura is reviewing the shopper');
            return ['taken', "order {$order['id']} is on hold"];
        case 'cancelled':
            $order['state'] = 'cancelled';
            remember($order, 'seQura cancelled the order');
            return ['taken', "order {$order['id']} is cancelled"];
    }
    try {
        // The same order the checkout started with: seQura refuses another.
        sequra_client()->confirm($order['sequra']['uri'], $order['sequra']['order']);
    } catch (Sequra\ConflictException $e) {
        // seQura does not hold this order as approved: the sq_state is not
        // its word (an IPN of this order posted again with another state:
        // only the shop's identity is signed), or it is still reviewing the
        // shopper. The order stays as it was: seQura's own IPN comes again,
        // and an order it cancels comes as a cancelled IPN. Never 'never':
        // that would record a refusal seQura did not make.
        remember($order, 'seQura did not confirm it: ' . explain($e));
        return ['try_later', explain($e)];
    } catch (Sequra\Exception $e) {
        // Our side or the network: confirming again is harmless, so let
        // seQura ask again. mayHaveActed() does not change that.
        return ['try_later', explain($e)];
    }
    $order['state'] = 'confirmed';
    $order['sequra']['product_code'] = $ipn['product_code'];
    remember($order, "seQura approved ({$ipn['product_code']}); order confirmed");
    return ['taken', "order {$order['id']} is confirmed"];
}
