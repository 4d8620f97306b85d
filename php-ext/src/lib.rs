//! The `sequra` PHP extension: a thin skin over the `sequra` crate.
//!
//! `Sequra\Client` takes and returns plain PHP arrays and strings; every
//! error is a `Sequra\Exception` subclass. The IDE stub is
//! `php-ext/sequra.stub.php`.

mod args;
mod checkout_com;
mod client;
mod constructed;
mod convert;
mod errors;
mod handlers;
mod logger;
mod notifications;
mod options;
mod order;
mod paysera;
mod pos;
mod sensitive;
mod to_php;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

const SUCCESS: i32 = 0;
const FAILURE: i32 = -1;

#[php_module]
#[php(startup = startup)]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = module
        .name("sequra")
        .class::<client::Client>()
        .class::<order::Order>()
        .class::<notifications::Notifications>()
        .info_function(info)
        .request_startup_function(request_startup);
    let module = pos::register(module);
    let module = checkout_com::register(module);
    paysera::register(module)
}

/// Module startup, before the `#[php_class]` classes: the exceptions, and
/// the secret parameters' marks, which go in once the classes are there.
fn startup(module_type: i32, module_number: i32) -> i32 {
    match errors::register() {
        Ok(()) => {
            options::register_ini(module_number);
            sensitive::mark_after_startup(module_type);
            SUCCESS
        }
        Err(error) => {
            eprintln!("sequra: cannot register the exception classes: {error}");
            FAILURE
        }
    }
}

/// Once every class of the module is registered (after every module's
/// startup, or in the request of `dl()`; see `sensitive`): the secret
/// parameters' marks, and the guards of the methods that need a constructed
/// object.
fn classes_registered() {
    // Nothing here panics; a panic must still not unwind into PHP.
    let _ = std::panic::catch_unwind(|| {
        handlers::forget_all();
        sensitive::mark_all();
        constructed::guard_all();
    });
}

/// Request startup: nothing of an earlier request's loggers is pending;
/// and the marks of a module `dl()` has just loaded.
extern "C" fn request_startup(module_type: i32, _module_number: i32) -> i32 {
    logger::request_startup();
    sensitive::mark_if_loaded_by_dl(module_type);
    SUCCESS
}

extern "C" {
    /// The module's php.ini settings as a `phpinfo()` table.
    fn display_ini_entries(module: *mut ModuleEntry);
}

/// The `sequra` section of `phpinfo()` and `php -i`: versions, what this
/// process's connection pool holds, the log records lost, the settings.
extern "C" fn info(module: *mut ModuleEntry) {
    let pool = sequra::connection::pool_stats();
    info_table_start!();
    info_table_row!("sequra support", "enabled");
    info_table_row!("extension version", env!("CARGO_PKG_VERSION"));
    info_table_row!("core library version", sequra::VERSION);
    info_table_row!("pooled connections", pool.connections.to_string());
    info_table_row!("pooled endpoints", pool.agents.to_string());
    info_table_row!("dropped log records", logger::dropped_records().to_string());
    info_table_end!();
    // SAFETY: PHP passes this module's entry, whose settings it shows.
    unsafe { display_ini_entries(module) };
}
