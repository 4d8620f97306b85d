//! What the client costs per call next to a raw socket: a GET through the
//! seQura client (`orders().form`, a pooled keep-alive connection) against
//! the same request as pre-built bytes on a raw keep-alive socket, to the
//! same loopback server, in the same run; then again with two threads
//! spinning (the machine's two cores busy), as a PHP host under load.
//!
//! `cargo bench -p sequra --bench transport`
//!
//! Two modes for `strace -f -c` (system calls per call: run with two
//! counts and divide the difference):
//! `TRANSPORT_BENCH_SERVE=1` serves on a printed port until killed;
//! `TRANSPORT_BENCH_CALLS=http://127.0.0.1:PORT` makes 10 calls to it
//! (`TRANSPORT_BENCH_COUNT=n`: n) and exits (`https://a-host-name:1`:
//! refused calls that resolve a name).

#[path = "common/timing.rs"]
mod timing;

use sequra::orders::{Client, Config, Endpoint, FormOptions};
use std::hint::black_box;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const ORDER: &str = "00000000-0000-4000-8000-000000000000";
const ANSWER: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 6\r\n\r\n<form>";

/// Serves every connection: answers each request head with [`ANSWER`].
fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                    buffer.drain(..end + 4);
                    if stream.write_all(ANSWER).is_err() {
                        return;
                    }
                }
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                }
            }
        });
    }
}

fn client(url: &str) -> Client {
    let mut config = Config::new(Endpoint::Url(url.into()), "m", "user", "password");
    config.connection.persistent = true;
    Client::new(config).expect("a valid configuration")
}

fn call(client: &Client) {
    let html = client
        .orders()
        .form(ORDER, &FormOptions::default())
        .expect("the server answers");
    black_box(html);
}

/// A raw keep-alive socket sending the client's request as fixed bytes.
struct Raw {
    stream: TcpStream,
    request: Vec<u8>,
    buffer: Vec<u8>,
}

impl Raw {
    fn new(port: u16) -> Raw {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_nodelay(true).unwrap();
        let request = format!(
            "GET /orders/{ORDER}/form_v2?product=i1&campaign=&ajax=false HTTP/1.1\r\n\
             host: 127.0.0.1:{port}\r\naccept: text/html\r\n\
             authorization: Basic dXNlcjpwYXNzd29yZA==\r\nsequra-merchant-id: m\r\n\
             user-agent: sequra/bench\r\naccept-encoding: identity\r\n\r\n"
        );
        Raw {
            stream,
            request: request.into_bytes(),
            buffer: vec![0; ANSWER.len()],
        }
    }

    fn call(&mut self) {
        self.stream.write_all(&self.request).unwrap();
        self.stream.read_exact(&mut self.buffer).unwrap();
        black_box(&self.buffer);
    }
}

/// Microseconds per call of `f`.
fn per_call(f: impl FnMut()) -> f64 {
    timing::per_call(1_000, f).as_secs_f64() * 1e6
}

/// Two threads spinning until dropped.
struct Busy(Arc<AtomicBool>, Vec<std::thread::JoinHandle<()>>);

impl Busy {
    fn start() -> Busy {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..2)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut n = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        n = black_box(n.wrapping_add(1));
                    }
                })
            })
            .collect();
        Busy(stop, threads)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        for thread in self.1.drain(..) {
            let _ = thread.join();
        }
    }
}

fn main() {
    if std::env::var_os("TRANSPORT_BENCH_SERVE").is_some() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        println!("{}", listener.local_addr().unwrap().port());
        serve(listener);
        return;
    }
    if let Ok(url) = std::env::var("TRANSPORT_BENCH_CALLS") {
        // Failures too (a refused port): only the system calls count here.
        let client = client(&url);
        let count = std::env::var("TRANSPORT_BENCH_COUNT")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(10);
        for _ in 0..count {
            let _ = black_box(client.orders().form(ORDER, &FormOptions::default()));
        }
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || serve(listener));
    let client = client(&format!("http://127.0.0.1:{port}"));
    let mut raw = Raw::new(port);
    // Warm both connections up.
    call(&client);
    raw.call();
    println!("GET through the client vs the same bytes on a raw keep-alive socket, loopback");
    for (load, busy) in [("idle machine", None), ("two busy loops", Some(()))] {
        let _busy = busy.map(|_| Busy::start());
        let baseline = per_call(|| raw.call());
        let ours = per_call(|| call(&client));
        println!(
            "{load:<16} raw socket {baseline:>8.1} µs  client {ours:>8.1} µs  {:.2}x",
            ours / baseline
        );
    }
}
