<?php
// The example shop (examples/shop) in Chromium, against the bundled sandbox:
// the shopper pays with seQura (the shop's checkout, seQura's form in it,
// back to the shop's "order confirmed" page after the IPN), then the admin
// ships part of the order, refunds an item, cancels the rest, and checks
// the settings with a wrong password and the right one. Each page must show
// what the step did; each is saved as a PNG.
//
// tests/browser/run.sh starts the sandbox, the shop and chromedriver (whose
// Chromium trusts the sandbox's CA) and runs this with php -n; it reads:
//   SHOP_URL, SEQURA_SANDBOX_URL, SEQURA_CA_FILE (the sandbox's CA),
//   WEBDRIVER_URL, CHROMIUM (the binary), CHROMIUM_PROFILE (a new empty
//   directory), SCREENSHOTS (a directory).

declare(strict_types=1);

require __DIR__ . '/webdriver.php';

function env(string $name): string
{
    $value = (string) getenv($name);
    if ($value === '') {
        fwrite(STDERR, "$name is not set: run bash tests/browser/run.sh\n");
        exit(2);
    }
    return $value;
}

$shop = env('SHOP_URL');
$sandbox = env('SEQURA_SANDBOX_URL');
$screenshots = env('SCREENSHOTS');

/** The sandbox's view of a seQura order (its control endpoint, not the API). */
function sandbox_order(string $sandbox, string $uuid): array
{
    $tls = stream_context_create(['ssl' => ['cafile' => env('SEQURA_CA_FILE'), 'verify_peer' => true, 'verify_peer_name' => true]]);
    $json = json_decode((string) @file_get_contents("$sandbox/sandbox/orders/$uuid", false, $tls), true);
    return is_array($json) ? $json : throw new StepFailed("the sandbox does not show order $uuid");
}

/** seQura's carts must be these totals (cents). */
function check_carts(array $order, int $shipped, int $unshipped): void
{
    $now = [$order['shipped_cart']['order_total_with_tax'] ?? null, $order['unshipped_cart']['order_total_with_tax'] ?? null];
    if ($now !== [$shipped, $unshipped]) {
        throw new StepFailed("seQura's carts are " . json_encode($now) . ', not ' . json_encode([$shipped, $unshipped]));
    }
}

$browser = new Browser(env('WEBDRIVER_URL'), env('CHROMIUM'), [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', '--window-size=1200,900', '--user-data-dir=' . env('CHROMIUM_PROFILE'),
]);

$count = 0;
$name = 'start';
/**
 * One step: $act, then the page must show every $expected (the first as soon
 * as the new page is there); then its screenshot. Returns the page's text.
 */
$step = function (string $title, string $shot, callable $act, array $expected) use ($browser, $screenshots, &$count, &$name): string {
    $name = $title;
    $count++;
    $act();
    $text = $browser->waitForText(array_shift($expected));
    foreach ($expected as $words) {
        if (!str_contains($text, $words)) {
            throw new StepFailed("the page does not show \"$words\"");
        }
    }
    $browser->screenshot(sprintf('%s/%02d-%s.png', $screenshots, $count, $shot));
    echo "ok $count - $title\n";
    return $text;
};

try {
    $step('the shop shows the cart', 'cart', fn () => $browser->open("$shop/"),
        ['Your cart', 'Two-person tent', 'Sleeping mat', 'Head lamp', '159.93 €']);

    $step("the checkout shows seQura's identification form", 'identification-form',
        fn () => $browser->click('#pay-with-sequra'),
        ['Pay 159.93 € with seQura (i1)', 'Pay with seQura', 'Order SO-', 'Confirm my identity']);
    $action = (string) $browser->attribute('#sq-identification', 'action');
    preg_match('{/sandbox/orders/([0-9a-f-]{36})/approve$}', $action, $m)
        or throw new StepFailed("the form posts to $action, not to a sandbox order's approve");
    $uuid = $m[1];

    $text = $step("the shopper confirms; seQura's IPN confirms the order; back at the shop", 'order-confirmed',
        fn () => $browser->click('#sq-identification button[type=submit]'),
        ['Order confirmed', 'is confirmed; seQura will email you how to pay']);
    preg_match('/Order (SO-[0-9A-F]{8}) is confirmed/', $text, $m) or throw new StepFailed('no order id on the page');
    $id = $m[1];
    if (!str_starts_with($browser->url(), "$shop/checkout/done?order=$id")) {
        throw new StepFailed("seQura sent the shopper to {$browser->url()}, not to the order's return_url");
    }
    if (sandbox_order($sandbox, $uuid)['state'] !== 'confirmed') {
        throw new StepFailed("seQura's order $uuid is not confirmed");
    }

    $step("the admin opens the order page", 'order-page', fn () => $browser->open("$shop/admin/orders/$id"),
        ["Order $id", 'State: confirmed · shipped (charged) 0.00 € · not shipped yet 159.93 € · paid with seQura i1']);

    $step('the admin ships the tent and one mat (the lamp waits)', 'shipped-part', function () use ($browser) {
        $browser->type('#qty-MAT-01', '1');
        $browser->type('#qty-LAMP-H', '0');
        $browser->click('#ship-button');
    }, ['The shipment was sent to seQura.', 'shipped (charged) 119.44 € · not shipped yet 40.49 €']);
    check_carts(sandbox_order($sandbox, $uuid), 11944, 4049);

    $step('the admin refunds the shipped mat', 'refunded-mat', fn () => $browser->click('#refund-MAT-01'),
        ['The refund was sent to seQura.', 'shipped (charged) 94.94 € · not shipped yet 40.49 €']);
    check_carts(sandbox_order($sandbox, $uuid), 9494, 4049);

    $step('the admin cancels what is not shipped', 'cancelled-rest', fn () => $browser->click('#cancel-button'),
        ['The cancellation was sent to seQura.', 'shipped (charged) 94.94 € · not shipped yet 0.00 €']);
    check_carts(sandbox_order($sandbox, $uuid), 9494, 0);

    $step('the settings page names a wrong password', 'settings-wrong-password', function () use ($browser, $shop) {
        $browser->open("$shop/admin/settings");
        $browser->type('#password', 'not-the-password');
        $browser->click('#check-button');
    }, ['seQura refused the username or password', 'Nothing was saved.']);

    $step('the settings page accepts the right credentials', 'settings-checked', function () use ($browser) {
        $browser->type('#password', 'demo-password');
        $browser->click('#check-button');
    }, ['Connected: seQura accepts merchant demo', 'The settings are saved.']);
} catch (Throwable $e) {
    $url = $text = '?';
    try {
        $url = $browser->url();
        $text = $browser->text();
        $browser->screenshot("$screenshots/failed.png");
    } catch (Throwable) {
        // The browser itself is gone: report what we have.
    }
    $failure = sprintf("not ok %d - %s\n  %s: %s\n  at %s\n  the page shows (%d characters):\n    %s\n",
        $count, $name, get_class($e), $e->getMessage(), $url, strlen($text),
        str_replace("\n", "\n    ", substr($text, 0, 2000)));
}
try {
    $browser->quit();
} catch (Throwable) {
    // run.sh stops chromedriver and its browser anyway.
}
if (isset($failure)) {
    fwrite(STDERR, $failure);
    exit(1);
}
echo "browser test: $count steps passed; screenshots in $screenshots\n";
