<?php
// The shop's "database": one JSON file per order under SHOP_DATA_DIR/orders,
// changed under an exclusive lock so that the IPN and the admin never write
// over each other.

declare(strict_types=1);

/** Another request holds the order: try again later. */
final class OrderBusy extends RuntimeException
{
}

final class Store
{
    private string $dir;

    public function __construct()
    {
        $this->dir = data_dir() . '/orders';
        if (!is_dir($this->dir) && !mkdir($this->dir, 0700) && !is_dir($this->dir)) {
            throw new RuntimeException("cannot create {$this->dir}");
        }
    }

    /** A new order id, e.g. "SO-1A2B3C4D": the shop's reference sent to seQura. */
    public static function newId(): string
    {
        return 'SO-' . strtoupper(bin2hex(random_bytes(4)));
    }

    /** Whether $id can name an order: ids arrive in URLs and notifications. */
    public static function isId(string $id): bool
    {
        return preg_match('/^SO-[0-9A-F]{8}$/', $id) === 1;
    }

    public function create(array $order): void
    {
        $handle = fopen($this->file($order['id']), 'x');
        if ($handle === false) {
            throw new RuntimeException("order {$order['id']} exists already");
        }
        fwrite($handle, json_encode($order, JSON_PRETTY_PRINT | JSON_THROW_ON_ERROR));
        fclose($handle);
    }

    /** The order, or null when there is none with this id. */
    public function find(string $id): ?array
    {
        if (!self::isId($id)) {
            return null;
        }
        $text = @file_get_contents($this->file($id));
        return $text === false ? null : json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    /** Every order, newest first. */
    public function all(): array
    {
        $orders = [];
        foreach (glob("{$this->dir}/SO-*.json") as $file) {
            $orders[] = json_decode((string) file_get_contents($file), true);
        }
        usort($orders, fn ($a, $b) => $b['created_at'] <=> $a['created_at']);
        return $orders;
    }

    /**
     * Runs $change(&$order) under the order's lock and saves the order as
     * $change left it; returns what $change returns. When $change throws,
     * nothing is saved.
     *
     * @param bool $wait false: throw OrderBusy at once if another request holds the lock.
     * @return mixed null when there is no such order (and $change is not run).
     */
    public function update(string $id, callable $change, bool $wait = true): mixed
    {
        if (!self::isId($id) || ($handle = @fopen($this->file($id), 'r+')) === false) {
            return null;
        }
        try {
            if (!flock($handle, $wait ? LOCK_EX : LOCK_EX | LOCK_NB)) {
                throw new OrderBusy("order $id is being changed by another request");
            }
            $order = json_decode(stream_get_contents($handle), true, 512, JSON_THROW_ON_ERROR);
            $result = $change($order);
            $json = json_encode($order, JSON_PRETTY_PRINT | JSON_THROW_ON_ERROR);
            ftruncate($handle, 0);
            rewind($handle);
            fwrite($handle, $json);
            fflush($handle);
            return $result;
        } finally {
            fclose($handle); // releases the lock
        }
    }

    private function file(string $id): string
    {
        return "{$this->dir}/$id.json";
    }
}

/** Adds a line to the order's history (shown on its admin page). */
function remember(array &$order, string $what): void
{
    $order['history'][] = date('Y-m-d H:i:s') . " $what";
}
