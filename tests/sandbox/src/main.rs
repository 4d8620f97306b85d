//! `sequra-sandbox [--port N] [--merchant M] [--username U] [--password P]
//! [--exit-on-stdin-eof]`: serves the sandbox until killed. Prints its URL
//! as the first line on stdout, then one line per request on stderr.

use sequra_sandbox::{Sandbox, SandboxOptions};
use std::io::Write;

const USAGE: &str = "usage: sequra-sandbox [--port N] [--merchant M] [--username U] [--password P] [--exit-on-stdin-eof]";

fn main() {
    let mut options = SandboxOptions::default();
    let mut port = 0u16;
    let mut exit_on_eof = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| usage_error(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--port" => {
                port = value("--port")
                    .parse()
                    .unwrap_or_else(|_| usage_error("--port must be a number from 0 to 65535"))
            }
            "--merchant" => options.merchant = value("--merchant"),
            "--username" => options.username = value("--username"),
            "--password" => options.password = value("--password"),
            "--exit-on-stdin-eof" => exit_on_eof = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return;
            }
            other => usage_error(&format!("unknown argument {other:?}")),
        }
    }
    let sandbox = match Sandbox::start_on(port, options) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("sequra-sandbox: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1)
        }
    };
    sandbox.log_requests(true);
    // Scripts read this first line to learn where to connect.
    println!("{}", sandbox.url());
    let _ = std::io::stdout().flush();
    if exit_on_eof {
        // The parent closing our stdin (or dying) ends the sandbox too.
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        sandbox.stop();
    } else {
        loop {
            std::thread::park();
        }
    }
}

fn usage_error(message: &str) -> ! {
    eprintln!("sequra-sandbox: {message}\n{USAGE}");
    std::process::exit(2)
}
