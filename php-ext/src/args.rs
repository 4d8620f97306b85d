//! The methods' parameters, read by PHP's own rules: the types here are the
//! parameters' types (`orderRef1: Text`, `id: Int`, `order: Array`), and ext-php-rs
//! reads each argument through them before the method runs.
//!
//! A `string` or `int` parameter takes what PHP's own functions take for
//! that type (`zend_parse_parameters`; the engine's own conversion is
//! called, `zend_parse_arg_str_slow` and `zend_parse_arg_long_slow`):
//!
//! - a `string` parameter takes a string; without `declare(strict_types=1)`
//!   in the calling file also an int (`12345` → `"12345"`), a float (as
//!   `(string)` writes it), a bool (`"1"`, `""`) and a `Stringable` object;
//! - an `int` parameter takes an int; without strict types also a numeric
//!   string (`"4567"`, `" 4567 "`, `"1e3"`), a float with an integral
//!   value, and a bool; a float or numeric string with a fraction is cut to
//!   its integer with PHP's deprecation notice, as PHP does;
//! - an `array` parameter takes an array, as in PHP ([`Array`]);
//! - `null` only where the parameter is nullable (`?string`): PHP's own
//!   functions still take it, deprecated since 8.1, as `""` or `0`, which
//!   here would be sent as a reference or an id; PHP 9 refuses it, as user
//!   functions do.
//!
//! Anything else is PHP's TypeError with PHP's own message:
//! `Sequra\Client::orderUpdate(): Argument #1 ($orderRef1) must be of type
//! string, array given`. Text that is not UTF-8 is refused as bad input of
//! the method's kind, naming the parameter (snake_case, as the API names
//! it) and never quoting it: a `Sequra\ValidationException` ([`Text`]), a
//! `Sequra\ConfigException` for a key ([`SecretKey`]). [`Bytes`] takes a
//! string as bytes, for what is checked as bytes (a webhook's body).
//!
//! Each type throws its own exception and gives ext-php-rs nothing, whose
//! own TypeError ("Invalid value given for argument") is then not thrown:
//! ext-php-rs 0.16's `PhpException::throw` keeps a pending exception.
//! Checked on 8.1 to 8.5 by
//! `tests/php/scalar_parameters_follow_phps_coercive_typing.phpt`.
//!
//! # What this assumes of PHP (8.1 to 8.5)
//!
//! The signatures of `zend_parse_arg_str_slow`, `zend_parse_arg_long_slow`
//! (`Zend/zend_API.h`; a later `const zval *` is the same to the caller;
//! their `ZEND_FASTCALL` is the plain C convention on 64-bit targets) and
//! `zend_argument_type_error`; `zend_zval_value_name` from 8.3 (the name
//! PHP 8.3+ puts in its messages: `true given`), `zend_zval_type_name` in
//! 8.1 and 8.2 (`bool given`). While an internal function runs, its frame is
//! `EG(current_execute_data)`, its arguments the zvals after the frame
//! (`ZEND_CALL_ARG`), and an internal function's `arg_info` names are C
//! strings. The conversions change the argument's zval in place, as
//! `zend_parse_parameters` does: the frame owns it, and the text borrowed
//! from it lives until the method returns.

use crate::convert::zval::{type_of, PhpValue};
use crate::convert::NOT_UTF8;
use crate::errors::exception;
use ext_php_rs::convert::FromZvalMut;
use ext_php_rs::ffi::{
    ext_php_rs_executor_globals, zend_execute_data, zend_long, zend_string, IS_LONG, IS_NULL,
    IS_REFERENCE, IS_STRING, ZEND_MM_ALIGNMENT,
};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use sequra::Error;
use std::ffi::{c_char, CStr};
use std::ops::Deref;

extern "C" {
    fn zend_parse_arg_str_slow(arg: *mut Zval, dest: *mut *mut zend_string, arg_num: u32) -> bool;
    fn zend_parse_arg_long_slow(arg: *mut Zval, dest: *mut zend_long, arg_num: u32) -> bool;
    fn zend_argument_type_error(arg_num: u32, format: *const c_char, ...);
    #[cfg(php83)]
    fn zend_zval_value_name(arg: *const Zval) -> *const c_char;
    #[cfg(not(php83))]
    fn zend_zval_type_name(arg: *const Zval) -> *const c_char;
}

/// A `string` parameter holding text: UTF-8, or a
/// `Sequra\ValidationException` naming it.
pub struct Text<'a>(&'a str);

/// A `string` parameter holding a key (a shop's secret): UTF-8, or a
/// `Sequra\ConfigException` naming it, as the key's other checks are.
pub struct SecretKey<'a>(&'a str);

/// A `string` parameter taken as bytes, checked by the method itself.
pub struct Bytes<'a>(&'a [u8]);

/// An `int` parameter.
pub struct Int(i64);

/// An `array` parameter (PHP converts nothing to an array).
pub struct Array<'a>(&'a ZendHashTable);

/// A nullable parameter (`?string`): `None` for null, or when left out.
pub struct Nullable<T>(Option<T>);

impl<'a> Text<'a> {
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

impl Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl Deref for SecretKey<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl<'a> Bytes<'a> {
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

impl Deref for Bytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.0
    }
}

impl Int {
    pub fn get(&self) -> i64 {
        self.0
    }
}

impl<'a> Nullable<Text<'a>> {
    pub fn as_str(&self) -> Option<&'a str> {
        self.0.as_ref().map(Text::as_str)
    }
}

impl Deref for Array<'_> {
    type Target = ZendHashTable;
    fn deref(&self) -> &ZendHashTable {
        self.0
    }
}

impl<'a> Nullable<Array<'a>> {
    pub fn get(&self) -> Option<&'a ZendHashTable> {
        self.0.as_ref().map(|array| array.0)
    }
}

impl<'a> Nullable<Bytes<'a>> {
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        self.0.as_ref().map(Bytes::as_bytes)
    }
}

/// How a parameter type reads its argument: the value, or `None` with an
/// exception thrown.
trait Param<'a>: Sized {
    /// The declared type, as reflection and the stub show it.
    const TYPE: DataType;
    fn read(arg: &'a mut Zval, at: Position) -> Option<Self>;
}

/// Where an argument is: its number (from 1) in the running call.
#[derive(Clone, Copy)]
struct Position {
    frame: *const zend_execute_data,
    number: u32,
    /// Whether the parameter is nullable (`?string`), for the message.
    nullable: bool,
}

impl<'a> Param<'a> for Text<'a> {
    const TYPE: DataType = DataType::String;
    fn read(arg: &'a mut Zval, at: Position) -> Option<Self> {
        text(arg, at, |name| Error::invalid(name, NOT_UTF8)).map(Text)
    }
}

impl<'a> Param<'a> for SecretKey<'a> {
    const TYPE: DataType = DataType::String;
    fn read(arg: &'a mut Zval, at: Position) -> Option<Self> {
        text(arg, at, |name| {
            Error::Config(format!(
                "{name} is not valid UTF-8; use a key of UTF-8 text (e.g. bin2hex(random_bytes(32)))"
            ))
        })
        .map(SecretKey)
    }
}

impl<'a> Param<'a> for Bytes<'a> {
    const TYPE: DataType = DataType::String;
    fn read(arg: &'a mut Zval, at: Position) -> Option<Self> {
        string(arg, at).map(Bytes)
    }
}

impl<'a> Param<'a> for Int {
    const TYPE: DataType = DataType::Long;
    fn read(arg: &'a mut Zval, at: Position) -> Option<Self> {
        if type_of(arg) == IS_LONG {
            return arg.long().map(Int);
        }
        let mut number: zend_long = 0;
        // SAFETY: the argument's live zval; the engine's conversion of an
        // `int` parameter, which reads it and the caller's strict flag.
        if type_of(arg) != IS_NULL
            && unsafe { zend_parse_arg_long_slow(arg, &mut number, at.number) }
        {
            Some(Int(number))
        } else {
            type_error(arg, at, [c"int", c"?int"])
        }
    }
}

impl<'a> Param<'a> for Array<'a> {
    const TYPE: DataType = DataType::Array;
    fn read(arg: &'a mut Zval, at: Position) -> Option<Self> {
        match arg.array() {
            Some(array) => Some(Array(array)),
            None => type_error(arg, at, [c"array", c"?array"]),
        }
    }
}

/// The text of a `string` argument, or `not_utf8(its snake_case name)`
/// thrown; never quoting it.
fn text(arg: &mut Zval, at: Position, not_utf8: fn(String) -> Error) -> Option<&str> {
    match std::str::from_utf8(string(arg, at)?) {
        Ok(text) => Some(text),
        Err(_) => throw(&not_utf8(at.snake_name())),
    }
}

/// The bytes of a `string` argument, converted in place by PHP's rules.
fn string<'a>(arg: &'a mut Zval, at: Position) -> Option<&'a [u8]> {
    if type_of(arg) != IS_STRING {
        let mut converted: *mut zend_string = std::ptr::null_mut();
        // SAFETY: the argument's live zval, which the engine's conversion of
        // a `string` parameter may replace by the string it makes (the frame
        // then owns that string); it reads the caller's strict flag.
        let taken = type_of(arg) != IS_NULL
            && unsafe { zend_parse_arg_str_slow(arg, &mut converted, at.number) };
        if !taken || type_of(arg) != IS_STRING {
            return type_error(arg, at, [c"string", c"?string"]);
        }
    }
    // A string now, owned by the frame for the call.
    let arg: &'a Zval = arg;
    PhpValue::of(arg).string().map(ZendStr::as_bytes)
}

/// PHP's TypeError for the argument, unless the conversion threw already
/// (a `__toString` that threw, a deprecation made an exception).
fn type_error<T>(arg: &Zval, at: Position, [plain, nullable]: [&CStr; 2]) -> Option<T> {
    if exception_pending() {
        return None;
    }
    let expected = if at.nullable { nullable } else { plain };
    // SAFETY: the engine's own message, built from the running frame (the
    // function's name and the argument's); the strings are C strings that
    // outlive the call.
    unsafe {
        zend_argument_type_error(
            at.number,
            c"must be of type %s, %s given".as_ptr(),
            expected.as_ptr(),
            given(arg),
        );
    }
    None
}

/// What PHP calls the type of a value given, as in its own messages.
fn given(arg: &Zval) -> *const c_char {
    // SAFETY: a live zval; the name is static or the class's name.
    unsafe {
        #[cfg(php83)]
        return zend_zval_value_name(arg);
        #[cfg(not(php83))]
        return zend_zval_type_name(arg);
    }
}

fn throw<T>(error: &Error) -> Option<T> {
    exception(error).throw();
    None
}

fn exception_pending() -> bool {
    // SAFETY: the executor globals of the running request.
    unsafe { ext_php_rs_executor_globals().as_ref() }.is_some_and(|eg| !eg.exception.is_null())
}

/// `ZEND_CALL_FRAME_SLOT`: where a frame's arguments start, in zvals
/// (`Zend/zend_compile.h`).
const FRAME_SLOT: usize = {
    const fn aligned(size: usize) -> usize {
        let alignment = ZEND_MM_ALIGNMENT as usize;
        (size + alignment - 1) & !(alignment - 1)
    }
    let zval = aligned(std::mem::size_of::<Zval>());
    aligned(std::mem::size_of::<zend_execute_data>()).div_ceil(zval)
};

impl Position {
    /// The argument `arg` of the running internal call: its slot in the
    /// frame (ext-php-rs hands the slot itself, or the value of a reference
    /// held there).
    fn of(arg: *const Zval) -> Self {
        // SAFETY: while an internal function runs, EG(current_execute_data)
        // is its frame, followed by its `num_args` argument zvals.
        unsafe {
            let frame = ext_php_rs_executor_globals()
                .as_ref()
                .map_or(std::ptr::null(), |eg| eg.current_execute_data.cast_const());
            let mut at = Position {
                frame,
                number: 0,
                nullable: false,
            };
            let Some(call) = frame.as_ref() else {
                return at;
            };
            let count = call.This.u2.num_args as usize;
            let first = frame.cast::<Zval>().add(FRAME_SLOT);
            if let Some(i) = (0..count).find(|&i| {
                let slot = first.add(i);
                std::ptr::eq(slot, arg)
                    || (type_of(&*slot) == IS_REFERENCE
                        && std::ptr::eq(std::ptr::addr_of!((*(*slot).value.ref_).val), arg))
            }) {
                at.number = i as u32 + 1;
            }
            at
        }
    }

    /// The parameter's name in snake_case, as the API names its fields
    /// (`$orderRef1` → `order_ref_1`).
    fn snake_name(self) -> String {
        let mut snake = String::new();
        let mut previous_digit = false;
        for c in self.name().chars() {
            let digit = c.is_ascii_digit();
            if (c.is_ascii_uppercase() || (digit && !previous_digit)) && !snake.is_empty() {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
            previous_digit = digit;
        }
        snake
    }

    /// The parameter's PHP name, from the running function's `arg_info`.
    fn name(self) -> String {
        // SAFETY: the running frame's function is internal; its `arg_info`
        // holds `num_args` entries whose names are C strings.
        unsafe {
            let Some(function) = self.frame.as_ref().and_then(|call| call.func.as_ref()) else {
                return "argument".into();
            };
            let internal = &function.internal_function;
            let index = self.number as usize;
            if index == 0 || index > internal.num_args as usize || internal.arg_info.is_null() {
                return "argument".into();
            }
            let info = &*internal.arg_info.add(index - 1);
            if info.name.is_null() {
                return "argument".into();
            }
            CStr::from_ptr(info.name).to_string_lossy().into_owned()
        }
    }
}

impl<'a, T: Param<'a>> Param<'a> for Nullable<T> {
    const TYPE: DataType = T::TYPE;
    fn read(arg: &'a mut Zval, at: Position) -> Option<Self> {
        if type_of(arg) == IS_NULL {
            return Some(Nullable(None));
        }
        let at = Position {
            nullable: true,
            ..at
        };
        T::read(arg, at).map(|value| Nullable(Some(value)))
    }
}

/// Each type as ext-php-rs reads a parameter.
macro_rules! parameter_type {
    ($($ty:ty),*) => {$(
        impl<'a> FromZvalMut<'a> for $ty {
            const TYPE: DataType = <$ty as Param<'a>>::TYPE;
            fn from_zval_mut(arg: &'a mut Zval) -> Option<Self> {
                let at = Position::of(arg);
                <$ty as Param<'a>>::read(arg, at)
            }
        }
        impl<'a> FromZvalMut<'a> for Nullable<$ty> {
            const TYPE: DataType = <$ty as Param<'a>>::TYPE;
            const NULLABLE: bool = true;
            fn from_zval_mut(arg: &'a mut Zval) -> Option<Self> {
                let at = Position::of(arg);
                <Nullable<$ty> as Param<'a>>::read(arg, at)
            }
            fn from_missing() -> Option<Self> {
                Some(Nullable(None))
            }
        }
    )*};
}

parameter_type!(Text<'a>, SecretKey<'a>, Bytes<'a>, Int, Array<'a>);
