//! `sequra-sandbox [--port N] [--merchant M] [--username U] [--password P]
//! [--exit-on-stdin-eof]`: serves the sandbox until killed. Prints its URL
//! as the first line on stdout.

use sequra_sandbox::{Sandbox, SandboxOptions};
use std::io::{Read, Write};

const USAGE: &str = "usage: sequra-sandbox [--port N] [--merchant M] [--username U] [--password P] [--exit-on-stdin-eof]";

fn main() {
    let mut options = SandboxOptions {
        log_requests: true,
        ..SandboxOptions::default()
    };
    let mut port = 0u16;
    let mut exit_on_eof = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--port" => {
                port = value("--port")
                    .parse()
                    .unwrap_or_else(|_| fail("--port must be a number from 0 to 65535"))
            }
            "--merchant" => options.merchant = value("--merchant"),
            "--username" => options.username = value("--username"),
            "--password" => options.password = value("--password"),
            "--exit-on-stdin-eof" => exit_on_eof = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument {other:?}")),
        }
    }
    let sandbox = Sandbox::start_on(port, options)
        .unwrap_or_else(|e| fail(&format!("cannot listen on 127.0.0.1:{port}: {e}")));
    println!("{}", sandbox.url());
    let _ = std::io::stdout().flush();
    if exit_on_eof {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    } else {
        loop {
            std::thread::park();
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("sequra-sandbox: {message}\n{USAGE}");
    std::process::exit(2)
}
