<?php
// What the two notification endpoints (ipn.php, events.php) share: how a
// notification is read and given to its order, and the answer seQura
// expects for what the shop did.

declare(strict_types=1);

/**
 * Ends the request with the status for `$outcome`
 * (Sequra\Notifications::answerStatus) and why, which is also logged under
 * `$what` ("IPN", "event").
 */
function notification_answer(string $what, string $outcome, string $why): never
{
    http_response_code(Sequra\Notifications::answerStatus($outcome));
    header('Content-Type: text/plain; charset=utf-8');
    echo $why, "\n";
    error_log("$what: $outcome: $why");
    exit;
}

/**
 * Serves a notification endpoint and ends the request. Anyone can POST
 * here, so a notification is acted on only when `$read` (readIpn or
 * readEvent with the shop's secret) finds the signature the shop put into
 * its parameters: a forged or unsigned one, or one of a shop order that
 * does not exist or belongs to another seQura order, is answered 404.
 * `$take` gets the shop order, locked, and the notification, and returns
 * [outcome, why].
 */
function serve_notification(string $what, callable $read, callable $take): never
{
    if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
        notification_answer($what, 'unknown_order', 'seQura POSTs its notifications');
    }
    try {
        $notification = $read((string) file_get_contents('php://input'));
    } catch (Sequra\ValidationException | Sequra\SignatureException $e) {
        notification_answer($what, 'unknown_order', $e->getMessage());
    }
    $id = $notification['parameters']['order'];
    $act = function (array &$order) use ($notification, $take): array {
        if (basename($order['sequra']['uri']) !== $notification['order_ref']) {
            return ['unknown_order', "order {$order['id']} belongs to another seQura order"];
        }
        return $take($order, $notification);
    };
    try {
        // Not waiting for the lock: if another request holds the order (the
        // same notification twice at once), seQura asks again a little later.
        $outcome = (new Store())->update($id, $act, wait: false);
    } catch (OrderBusy $e) {
        notification_answer($what, 'try_later', $e->getMessage());
    }
    notification_answer($what, ...($outcome ?? ['unknown_order', "no order $id"]));
}
