//! The shared library's SONAME: `libsequra.so.<major>`, so that a program
//! linked against one major version never loads another. `make install`
//! (the root Makefile) installs the file under that name with the
//! `libsequra.so` link beside it.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsequra.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
