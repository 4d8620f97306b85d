//! A client class's options array, read the same way by every client class
//! (`Sequra\Client`, `PosClient`, `PayseraClient`, `CheckoutComClient`): its
//! problems are configuration errors, the PHP version joins the User-Agent,
//! the connection pool is on unless the options or `sequra.persistent` say
//! otherwise, the `logger` is taken out for the extension to hold (the core
//! never sees a PHP value), and the array never shows in a stack trace
//! (`crate::sensitive`).

use crate::{convert, logger};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{zend_ini_entry, zend_string};
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::types::ZendHashTable;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::{ExecuteData, IniEntryDef, IniEntryDefs};
use sequra::connection::Connection;
use sequra::log::Sink;
use sequra::Error;
use serde_json::Value;
use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

/// A client class's options: the JSON object its core `Config::from_json`
/// reads, and what the extension adds to the configuration it makes.
pub struct ClientOptions {
    pub json: Value,
    logger: Option<Arc<dyn Sink>>,
}

impl ClientOptions {
    /// Reads the options array of a new `T`: the `logger` taken out,
    /// `user_agent` with ` PHP/8.2.x` added, `persistent` set to the
    /// default when absent. A `T` constructed already is refused (see
    /// [`constructed_already`]).
    pub fn read<T: RegisteredClass>(options: &ZendHashTable) -> Result<ClientOptions, Error> {
        if constructed_already::<T>() {
            return Err(Error::Config(format!(
                "this {} is constructed already; make a new one with new",
                T::CLASS_NAME
            )));
        }
        let (logger, mut json) = match options.get("logger") {
            None => (None, to_json(options)?),
            Some(logger) => {
                // The array is the caller's: its copy loses the logger.
                let mut rest: ZBox<ZendHashTable> = options.to_owned();
                rest.remove("logger");
                (logger::sink(logger)?, to_json(&rest)?)
            }
        };
        match json.as_array() {
            // An empty PHP array is a list to JSON: no option given.
            Some(list) if list.is_empty() => json = Value::Object(Default::default()),
            // In PHP's words, not JSON's ("must be an object").
            Some(_) => {
                return Err(Error::Config(
                    "the options must be an array of 'option' => value, not a list of values"
                        .into(),
                ))
            }
            None => {}
        }
        if let Some(options) = json.as_object_mut() {
            add_php_to_user_agent(options);
            if options.get("persistent").is_none_or(Value::is_null) {
                options.insert("persistent".into(), PERSISTENT.get().into());
            }
        } // else Config::from_json says what is wrong
        Ok(ClientOptions { json, logger })
    }

    /// Sets what the JSON cannot carry on the connection the core read.
    pub fn apply(self, connection: &mut Connection) {
        connection.logger = self.logger;
    }
}

/// Whether the object whose `__construct` runs now holds a client already:
/// `$client->__construct([...])` called again, even from its own logger in
/// the middle of a call. ext-php-rs's constructor would put the new client
/// in its place and drop the old one while that call still reads it.
fn constructed_already<T: RegisteredClass>() -> bool {
    // SAFETY: on the request's thread, in a constructor: the current frame
    // is the `__construct` call's, which PHP keeps alive for the call;
    // `get_object` reads it only when its Rust value is initialised.
    unsafe {
        let Some(globals) = ext_php_rs::ffi::ext_php_rs_executor_globals().as_ref() else {
            return false;
        };
        match globals.current_execute_data.cast::<ExecuteData>().as_mut() {
            Some(frame) => frame.get_object::<T>().is_some(),
            None => false,
        }
    }
}

/// A core configuration error that lists the options names `logger` too:
/// the core never sees it (taken out in [`ClientOptions::read`]), but a
/// PHP caller may pass it.
pub fn with_logger_listed(error: Error) -> Error {
    match error {
        Error::Config(message) if message.contains("; the options are ") => {
            Error::Config(format!("{message}, logger"))
        }
        other => other,
    }
}

fn to_json(options: &ZendHashTable) -> Result<Value, Error> {
    convert::to_json(options, "options").map_err(as_config_error)
}

/// The options array is the configuration: its problems are configuration
/// errors (`Sequra\ConfigException`), each naming its option.
fn as_config_error(error: Error) -> Error {
    Error::Config(sequra::error::problems_sentence_by(error.problems(), |p| {
        match p.path.as_str() {
            // The array as a whole (too large): no one option to name.
            "options" => format!("the options array {}", p.message),
            path => format!("option {path}: {}", p.message),
        }
    }))
}

/// `user_agent` gains ` PHP/8.2.x`, so that seQura sees the PHP version.
fn add_php_to_user_agent(options: &mut serde_json::Map<String, Value>) {
    let Some(version) = php_version() else {
        return;
    };
    let agent = match options.get("user_agent") {
        None | Some(Value::Null) => format!("PHP/{version}"),
        Some(Value::String(agent)) if !agent.trim().is_empty() => format!("{agent} PHP/{version}"),
        // The core refuses a blank one as the caller wrote it.
        Some(_) => return, // Config::from_json says what is wrong
    };
    options.insert("user_agent".into(), Value::String(agent));
}

/// The running PHP's version, its `PHP_VERSION` constant: read even where
/// `disable_functions` hides phpversion() from scripts.
pub fn php_version() -> Option<String> {
    const NAME: &str = "PHP_VERSION";
    // SAFETY: the engine's lookup reads `NAME.len()` bytes of the name and
    // returns null or the constant's value, which lives while the request
    // runs (it is read at once).
    let version = unsafe { zend_get_constant_str(NAME.as_ptr().cast(), NAME.len()).as_ref() }?;
    version.string()
}

thread_local! {
    /// `sequra.persistent` as this thread sees it: PHP calls
    /// [`on_modify_persistent`] at startup, on `ini_set()` and when a
    /// request ends, on each thread (under ZTS every thread has its own
    /// settings).
    static PERSISTENT: Cell<bool> = const { Cell::new(true) };
}

extern "C" {
    /// The value of the constant `name`, or null (Zend/zend_constants.h).
    fn zend_get_constant_str(name: *const c_char, name_len: usize) -> *const Zval;
    /// `"1"`, `"on"`, `"yes"`, `"true"` (any case), or a non-zero number.
    fn zend_ini_parse_bool(text: *mut zend_string) -> bool;
    /// Shows a boolean setting as On or Off in `phpinfo()`.
    fn zend_ini_boolean_displayer_cb(entry: *mut zend_ini_entry, kind: c_int);
}

/// The extension's php.ini settings.
///
/// `sequra.persistent` (default On): whether clients take their connections
/// from the process-wide pool unless their options say `persistent`. It is
/// `PHP_INI_ALL`: it only chooses a default that each client's options can
/// already override either way, so nothing is gained by forbidding
/// `ini_set()` or `.user.ini`, and a plugin may set it in its bootstrap.
static INI: IniEntryDefs<2> = IniEntryDefs::new([persistent_entry(), IniEntryDef::end()]);

const fn persistent_entry() -> IniEntryDef {
    let mut entry = IniEntryDef::new(c"sequra.persistent", c"1", IniEntryPermission::All);
    entry.on_modify = Some(on_modify_persistent);
    entry.displayer = Some(zend_ini_boolean_displayer_cb);
    entry
}

unsafe extern "C" fn on_modify_persistent(
    _entry: *mut zend_ini_entry,
    value: *mut zend_string,
    _: *mut c_void,
    _: *mut c_void,
    _: *mut c_void,
    _stage: c_int,
) -> c_int {
    // SAFETY: PHP passes the new value, a live string, or null to reset.
    let on = !value.is_null() && unsafe { zend_ini_parse_bool(value) };
    PERSISTENT.set(on);
    0 // SUCCESS
}

/// Registers the settings; from MINIT.
pub fn register_ini(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
}
