//! The `sequra` PHP extension: a thin skin over the `sequra` crate.
//!
//! `Sequra\Client` takes and returns plain PHP arrays and strings; every
//! error is a `Sequra\Exception` subclass. The IDE stub is
//! `php-ext/sequra.stub.php`.

mod checkout_com;
mod client;
mod convert;
mod errors;
mod notifications;
mod options;
mod order;
mod paysera;
mod pos;
mod to_php;

use ext_php_rs::class::RegisteredClass;
use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};
use std::sync::Mutex;

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

/// Module startup, before the `#[php_class]` classes: the exceptions.
fn startup(_type: i32, _module_number: i32) -> i32 {
    match errors::register() {
        Ok(()) => SUCCESS,
        Err(error) => {
            eprintln!("sequra: cannot register the exception classes: {error}");
            FAILURE
        }
    }
}

/// Request startup: the first one after the module starts marks every
/// client class's secret-holding options parameter (under a lock, for
/// threaded PHP).
extern "C" fn request_startup(_type: i32, _module_number: i32) -> i32 {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock();
    // Nothing here panics; a panic must still not unwind into PHP.
    let _ = std::panic::catch_unwind(|| {
        options::mark_sensitive(client::Client::get_metadata().ce());
        options::mark_sensitive(pos::PosClient::get_metadata().ce());
        options::mark_sensitive(paysera::PayseraClient::get_metadata().ce());
        options::mark_sensitive(checkout_com::CheckoutComClient::get_metadata().ce());
    });
    SUCCESS
}

/// The `sequra` section of `phpinfo()` and `php -i`.
extern "C" fn info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("sequra support", "enabled");
    info_table_row!("extension version", env!("CARGO_PKG_VERSION"));
    info_table_row!("core library version", sequra::VERSION);
    info_table_end!();
}
