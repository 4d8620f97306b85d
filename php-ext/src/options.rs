//! A client class's options array, read the same way by every client class
//! (`Sequra\Client`, `PosClient`, `PayseraClient`, `CheckoutComClient`): its
//! problems are configuration errors, the PHP version joins the User-Agent,
//! and the array never shows in a stack trace (`crate::sensitive`).

use crate::convert;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use sequra::Error;
use serde_json::Value;

/// The options array as the JSON object a core `Config::from_json` reads,
/// `user_agent` with ` PHP/8.2.x` added.
pub fn options_json(options: &ZendHashTable) -> Result<Value, Error> {
    let mut options = convert::to_json(options, "options").map_err(as_config_error)?;
    add_php_to_user_agent(&mut options);
    Ok(options)
}

/// The options array is the configuration: its problems are configuration
/// errors (`Sequra\ConfigException`), each naming its option.
fn as_config_error(error: Error) -> Error {
    let problems: Vec<String> = error
        .problems()
        .iter()
        .map(|p| format!("option {}: {}", p.path, p.message))
        .collect();
    Error::Config(problems.join("; "))
}

/// `user_agent` gains ` PHP/8.2.x`, so that seQura sees the PHP version.
fn add_php_to_user_agent(options: &mut Value) {
    let Some(options) = options.as_object_mut() else {
        return; // Config::from_json says what is wrong
    };
    let Some(version) = ZendCallable::try_from_name("phpversion")
        .and_then(|phpversion| phpversion.try_call(vec![]))
        .ok()
        .and_then(|version| version.string())
    else {
        return;
    };
    let agent = match options.get("user_agent") {
        None | Some(Value::Null) => format!("PHP/{version}"),
        Some(Value::String(agent)) => format!("{agent} PHP/{version}"),
        Some(_) => return, // Config::from_json says what is wrong
    };
    options.insert("user_agent".into(), Value::String(agent));
}
