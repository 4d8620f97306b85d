//! The PHP classes of paysera.

use ext_php_rs::prelude::*;

/// Adds this flow's classes to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
}
