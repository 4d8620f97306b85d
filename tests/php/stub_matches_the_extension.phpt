--TEST--
php-ext/sequra.stub.php declares exactly the classes, parents, methods, parameters and return types of the loaded extension
--FILE--
<?php
function signature(ReflectionMethod $m): string
{
    $params = array_map(fn (ReflectionParameter $p) => trim($p->getType() . ' $' . $p->getName()
        . ($p->isOptional() ? ' = ' . strtolower(var_export($p->getDefaultValue(), true)) : '')), $m->getParameters());
    $return = $m->hasReturnType() ? ': ' . $m->getReturnType() : '';
    return $m->getName() . '(' . implode(', ', $params) . ')' . $return;
}

// What the extension declares.
$actual = [];
foreach ((new ReflectionExtension('sequra'))->getClasses() as $class) {
    $line = 'class ' . $class->getName() . ' extends ' . ($class->getParentClass() ? $class->getParentClass()->getName() : '-');
    $methods = array_filter($class->getMethods(), fn ($m) => $m->getDeclaringClass()->getName() === $class->getName());
    $actual[] = $line;
    foreach ($methods as $m) {
        $actual[] = $class->getName() . '::' . signature($m);
    }
}

// What the stub declares: parsed from its source, never loaded.
$stub = file_get_contents(__DIR__ . '/../../php-ext/sequra.stub.php');
$declared = [];
preg_match_all('{^    (?:final )?class (\w+)(?: extends ([\\\\\w]+))?|^        public (?:static )?function (\w+)\(([^)]*)\)(?::\s*(\S+))? \{\}}m',
               $stub, $found, PREG_SET_ORDER);
foreach ($found as $f) {
    if (($f[1] ?? '') !== '') {
        $class = 'Sequra\\' . $f[1];
        $parent = ltrim($f[2] ?? '', '\\');
        $declared[] = "class $class extends " . ($parent === '' ? '-' : (str_contains($parent, 'Exception') && !str_contains($parent, 'Runtime') ? "Sequra\\$parent" : $parent));
    } else {
        $params = $f[4] === '' ? [] : array_map(fn ($p) => trim(preg_replace('{#\[[^\]]*\]}', '', $p)), explode(',', $f[4]));
        $declared[] = "$class::{$f[3]}(" . implode(', ', $params) . ')' . (isset($f[5]) && $f[5] !== '' ? ": {$f[5]}" : '');
    }
}

sort($actual);
sort($declared);
echo "only in the extension:\n", implode("\n", array_diff($actual, $declared)), "\n";
echo "only in the stub:\n", implode("\n", array_diff($declared, $actual)), "\n";
echo count($actual), " declarations\n";
?>
--EXPECT--
only in the extension:

only in the stub:

74 declarations
