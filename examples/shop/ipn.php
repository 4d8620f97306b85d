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

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    notification_answer('IPN', 'unknown_order', 'seQura POSTs its notifications');
}
try {
    $ipn = Sequra\Notifications::readIpn((string) file_get_contents('php://input'), shop_secret(), 'order');
} catch (Sequra\ValidationException | Sequra\SignatureException $e) {
    notification_answer('IPN', 'unknown_order', $e->getMessage());
}

$id = $ipn['parameters']['order'];
try {
    // Not waiting for the lock: if another request holds the order (the
    // same IPN twice at once), seQura asks again a little later.
    $outcome = (new Store())->update($id, fn (array &$order) => take_ipn($order, $ipn), wait: false);
} catch (OrderBusy $e) {
    notification_answer('IPN', 'try_later', $e->getMessage());
}
notification_answer('IPN', ...($outcome ?? ['unknown_order', "no order $id"]));

/** Acts on the IPN; returns [outcome, why]. */
function take_ipn(array &$order, array $ipn): array
{
    if (basename($order['sequra']['uri']) !== $ipn['order_ref']) {
        return ['unknown_order', "order {$order['id']} belongs to another seQura order"];
    }
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
