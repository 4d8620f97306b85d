//! Tells this crate which PHP it is built for, as ext-php-rs tells itself:
//! the cfgs `php82`, `php83`, `php84`, ... (each version sets those of the
//! versions before it too), `php_zts` and `php_debug`, from the same `php` ext-php-rs's
//! build script runs (`$PHP`, else the first `php` in `PATH`). ext-php-rs's
//! own cfgs stay inside ext-php-rs; the code that reads PHP's structures
//! directly (`src/convert/zval.rs`, `src/sensitive.rs`) is gated on these.

use ext_php_rs_build::{find_php, ApiVersion, PHPInfo};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    ext_php_rs_build::emit_check_cfg();
    ext_php_rs_build::emit_rerun_if_env_changed();
    println!("cargo:rerun-if-changed=build.rs");
    let info = PHPInfo::get(&find_php()?)?;
    let version = ApiVersion::try_from(info.zend_version()?)?;
    ext_php_rs_build::emit_php_cfg_flags(version);
    if info.thread_safety()? {
        println!("cargo:rustc-cfg=php_zts");
    }
    if info.debug()? {
        println!("cargo:rustc-cfg=php_debug");
    }
    Ok(())
}
