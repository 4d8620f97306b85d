//! `sequra-sandbox`: serves the sandbox until killed (see `--help`).
//! Prints its URL as the first line on stdout (with TLS, the CA file's
//! path as the second), then one line per request on stderr.

use sequra_sandbox::{Sandbox, SandboxOptions, Tls};
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str = "usage: sequra-sandbox [--port N] [--merchant M] [--username U] [--password P]
                      [--tls | --tls-bad-name] [--ca-file PATH] [--exit-on-stdin-eof]";

const HELP: &str = "Serves the seQura, seQura POS, checkout.com and Paysera sandbox on
127.0.0.1 until killed. Prints the URL (http://127.0.0.1:PORT, or https://
with TLS) as the first line on stdout, then one line per request on stderr
(method, path, status; never headers, queries or bodies).

  --port N             listen on port N (default 0: a free port)
  --merchant M         the merchant the account may act for (default demo)
  --username U         the Basic auth user (default demo)
  --password P         the Basic auth password (default demo-password)
  --tls                serve HTTPS with a certificate for 127.0.0.1, ::1 and
                       localhost from a CA made at start; stdout's second
                       line is the path of the CA's PEM file
  --tls-bad-name       serve HTTPS as --tls, but with a certificate that
                       names only not-the-sandbox.invalid (for tests of a
                       client that must refuse it)
  --ca-file PATH       with --tls: write the CA's PEM to PATH (default: a
                       new file in the temp dir, removed on a clean exit)
  --exit-on-stdin-eof  exit when stdin closes (when the parent ends)
  -h, --help           this text

The control API (faults, counters, TLS material) is described in
docs/sandbox.md: POST /sandbox/faults, GET /sandbox/requests?method=POST&path=/orders,
GET /sandbox/stats, GET /sandbox/tls.";

fn main() {
    let mut options = SandboxOptions::default();
    let mut port = 0u16;
    let mut exit_on_eof = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .filter(|v| !v.starts_with("--"))
                .unwrap_or_else(|| usage_error(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--port" => {
                let given = value("--port");
                port = given.parse().unwrap_or_else(|_| {
                    usage_error(&format!(
                        "--port must be a number from 0 to 65535, not {given:?}"
                    ))
                })
            }
            "--merchant" => options.merchant = value("--merchant"),
            "--username" => options.username = value("--username"),
            "--password" => options.password = value("--password"),
            "--tls" | "--tls-bad-name" => {
                let mode = if arg == "--tls" {
                    Tls::On
                } else {
                    Tls::BadName
                };
                if options.tls != Tls::Off && options.tls != mode {
                    usage_error("give --tls or --tls-bad-name, not both");
                }
                options.tls = mode;
            }
            "--ca-file" => {
                let path = value("--ca-file");
                if path.is_empty() {
                    usage_error("--ca-file needs a path");
                }
                options.ca_file = Some(PathBuf::from(path));
            }
            "--exit-on-stdin-eof" => exit_on_eof = true,
            "--help" | "-h" => {
                println!("{USAGE}\n\n{HELP}");
                return;
            }
            other => usage_error(&format!("unknown argument {other:?}")),
        }
    }
    if options.ca_file.is_some() && options.tls == Tls::Off {
        usage_error("--ca-file needs --tls (or --tls-bad-name)");
    }
    let sandbox = match Sandbox::start_on(port, options) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("sequra-sandbox: cannot serve on 127.0.0.1:{port}: {e}");
            std::process::exit(1)
        }
    };
    sandbox.log_requests(true);
    // Scripts read the first line to learn where to connect, the second
    // for the CA to trust.
    println!("{}", sandbox.url());
    if let Some(ca_file) = sandbox.ca_file() {
        println!("{}", ca_file.display());
    }
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
    eprintln!("sequra-sandbox: {message}\n{USAGE}\n(--help says more)");
    std::process::exit(2)
}
