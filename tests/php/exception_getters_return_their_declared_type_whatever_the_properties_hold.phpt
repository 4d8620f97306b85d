--TEST--
Exception getters return their declared type whatever unserialize() or a subclass put in the properties
--FILE--
<?php
// unserialize() sets whatever it is given; the getters' declared return
// types (bool, string, ?int, array, ...) hold anyway: a value of another
// type reads as the property's default, the kind as the class's own.
$p = "\0*\0";
$e = unserialize('O:26:"Sequra\ValidationException":8:{'
    . 's:15:"' . $p . 'mayHaveActed";s:3:"yes";'
    . 's:7:"' . $p . 'kind";a:0:{}'
    . 's:11:"' . $p . 'problems";i:7;'
    . 's:9:"' . $p . 'errors";s:1:"x";'
    . 's:13:"' . $p . 'httpStatus";s:3:"409";'
    . 's:13:"' . $p . 'retryAfter";d:1.5;'
    . 's:12:"' . $p . 'requestId";i:5;'
    . 's:17:"' . $p . 'idempotencyKey";b:1;}');
var_dump($e->mayHaveActed(), $e->getKind(), $e->getProblems(), $e->getErrors(), $e->getHttpStatus(),
         $e->getRequestId(), $e->getIdempotencyKey());

class Mine extends Sequra\TlsException {
    function spoil(): void {
        unset($this->kind);
        $this->httpStatus = '409';
        $this->mayHaveActed = 1;
    }
    function alias(): void {
        $this->errors = ['kept'];
        $this->kind = 'by reference';
        $r = &$this->kind; // a reference to a string is still a string
        $s = &$this->errors;
    }
}
$m = new Mine('m');
$m->spoil();
var_dump($m->getKind(), $m->getHttpStatus(), $m->mayHaveActed());
$m->alias();
var_dump($m->getKind(), $m->getErrors());

// Values of the right type are returned as they are.
$ok = unserialize(serialize(new Sequra\RateLimitedException('slow')));
var_dump($ok->getKind(), $ok->getRetryAfter(), $ok->mayHaveActed());
?>
--EXPECT--
bool(false)
string(13) "invalid_input"
array(0) {
}
array(0) {
}
NULL
NULL
NULL
string(3) "tls"
NULL
bool(false)
string(12) "by reference"
array(1) {
  [0]=>
  string(4) "kept"
}
string(12) "rate_limited"
NULL
bool(false)
