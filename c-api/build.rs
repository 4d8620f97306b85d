//! The shared library's SONAME: `libsequra.so.<major>`, so that a program
//! linked against one major version never loads another. `make install`
//! (the root Makefile) installs the file under that name with the
//! `libsequra.so` link beside it.
//!
//! And `-z nodelete`: each thread's last error sits under a pthread key
//! whose destructor is in the library (src/last_error.rs), so dlclose must
//! never unmap it while a thread may still end.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsequra.so.{major}");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
