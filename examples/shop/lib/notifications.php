<?php
// What the two notification endpoints (ipn.php, events.php) share: the
// answer seQura expects for what the shop did.

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
