//! HTTP/1.1 on the wire: reading one request (the head by `httparse`, the
//! body by Content-Length or chunked, within limits) and laying out one
//! answer as a single buffer, so that it leaves in one write.

use crate::server::Reply;
use std::io::{self, BufRead, Read, Write};

/// The largest request body the sandbox reads (1 MiB); the real APIs
/// accept far less.
pub const MAX_BODY: usize = 1 << 20;
/// The largest request line and headers, together.
const MAX_HEAD: usize = 64 << 10;
const MAX_HEADERS: usize = 100;
/// A chunk-size line is a few hex digits and perhaps an extension.
const MAX_CHUNK_LINE: usize = 1024;

/// A request as read from the wire.
pub(crate) struct Request {
    /// Upper case, as sent (methods are case-sensitive; all real ones
    /// are upper case).
    pub method: String,
    /// The request target as sent: `/path?query`.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the client keeps the connection after the answer.
    pub keep_alive: bool,
}

/// Why no request came.
pub(crate) enum ReadError {
    /// The connection ended, failed or timed out: nobody to answer.
    Gone,
    /// The request cannot be served: answer this and close.
    Refuse(Reply),
}

fn refuse(status: u16, why: impl Into<String>) -> ReadError {
    ReadError::Refuse(Reply::errors(status, [why.into()]))
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> ReadError {
        ReadError::Gone
    }
}

/// The next request on the connection; `None` when the client closed it
/// between requests. `stream` is written to only for `100 Continue`.
pub(crate) fn read_request<S: Read + Write>(
    stream: &mut io::BufReader<S>,
) -> Result<Option<Request>, ReadError> {
    let Some(head) = read_head(stream)? else {
        return Ok(None);
    };
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(refuse(400, "the request head is incomplete")),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(refuse(431, format!("more than {MAX_HEADERS} headers")))
        }
        Err(e) => return Err(refuse(400, format!("the request is not HTTP/1.x: {e}"))),
    }
    let method = parsed.method.unwrap_or_default().to_string();
    let target = origin_form(parsed.path.unwrap_or_default()).to_string();
    let version = parsed.version.unwrap_or(1);
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            let value = String::from_utf8_lossy(h.value).trim().to_string();
            (h.name.to_string(), value)
        })
        .collect();
    let connection = |token: &str| {
        values(&headers, "connection")
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    let keep_alive = if version == 0 {
        connection("keep-alive")
    } else {
        !connection("close")
    };
    let body = read_body(stream, &headers)?;
    Ok(Some(Request {
        method,
        target,
        headers,
        body,
        keep_alive,
    }))
}

fn values<'a>(
    headers: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `http://host/path?q` (absolute form, as to a proxy) → `/path?q`.
fn origin_form(target: &str) -> &str {
    let lower = target.get(..8).unwrap_or(target).to_ascii_lowercase();
    let Some(rest) = ["http://", "https://"]
        .iter()
        .find(|scheme| lower.starts_with(*scheme))
        .map(|scheme| &target[scheme.len()..])
    else {
        return target;
    };
    match rest.find(['/', '?']) {
        Some(at) if rest[at..].starts_with('/') => &rest[at..],
        _ => "/",
    }
}

/// The request line and headers, up to and including the blank line;
/// `None` at a clean end of the connection. Blank lines before a request
/// are skipped, as RFC 9112 allows.
fn read_head<R: BufRead>(stream: &mut R) -> Result<Option<Vec<u8>>, ReadError> {
    let mut head: Vec<u8> = Vec::new();
    loop {
        let buffer = stream.fill_buf()?;
        if buffer.is_empty() {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(ReadError::Gone)
            };
        }
        if head.is_empty() {
            let blank = buffer
                .iter()
                .take_while(|b| **b == b'\r' || **b == b'\n')
                .count();
            if blank > 0 {
                stream.consume(blank);
                continue;
            }
        }
        let before = head.len();
        head.extend_from_slice(buffer);
        let available = buffer.len();
        // The blank line may straddle what was there before.
        if let Some(end) = end_of_head(&head, before.saturating_sub(3)) {
            stream.consume(end - before);
            head.truncate(end);
            return Ok(Some(head));
        }
        stream.consume(available);
        if head.len() > MAX_HEAD {
            return Err(refuse(431, "the request head is larger than 64 KiB"));
        }
    }
}

/// Where the head ends (after `\r\n\r\n` or `\n\n`), searching from `from`.
fn end_of_head(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find_map(|i| {
        if bytes[i..].starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else if bytes[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

fn read_body<S: Read + Write>(
    stream: &mut io::BufReader<S>,
    headers: &[(String, String)],
) -> Result<Vec<u8>, ReadError> {
    let chunked = match values(headers, "transfer-encoding").last() {
        None => false,
        Some(codings) => {
            if values(headers, "content-length").next().is_some() {
                // RFC 9112 6.1: a request smuggling attempt, or a broken client.
                return Err(refuse(
                    400,
                    "the request has both Transfer-Encoding and Content-Length",
                ));
            }
            let last = codings.rsplit(',').next().unwrap_or_default().trim();
            if !last.eq_ignore_ascii_case("chunked") {
                return Err(refuse(
                    400,
                    format!("Transfer-Encoding {codings:?} does not end in chunked"),
                ));
            }
            true
        }
    };
    let length = if chunked {
        None
    } else {
        let mut lengths = values(headers, "content-length");
        match lengths.next() {
            None => Some(0),
            Some(first) => {
                if lengths.any(|other| other != first) {
                    return Err(refuse(400, "the Content-Length headers disagree"));
                }
                let valid = !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit());
                match first.parse::<u64>() {
                    Ok(length) if valid => Some(length),
                    _ => {
                        return Err(refuse(
                            400,
                            format!("Content-Length {first:?} is not a number"),
                        ))
                    }
                }
            }
        }
    };
    if length.is_some_and(|length| length > MAX_BODY as u64) {
        return Err(refuse(413, "the body is larger than 1 MiB"));
    }
    if length != Some(0)
        && values(headers, "expect").any(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        let writer = stream.get_mut();
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    match length {
        Some(length) => {
            let mut body = Vec::new();
            (&mut *stream).take(length).read_to_end(&mut body)?;
            if body.len() as u64 != length {
                return Err(ReadError::Gone);
            }
            Ok(body)
        }
        None => read_chunked(stream),
    }
}

/// A chunked body (RFC 9112 7.1); extensions and trailers are read and
/// dropped.
fn read_chunked<R: BufRead>(stream: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, MAX_CHUNK_LINE)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let valid =
            !size.is_empty() && size.len() <= 8 && size.bytes().all(|b| b.is_ascii_hexdigit());
        let Some(size) = valid
            .then(|| usize::from_str_radix(size, 16).ok())
            .flatten()
        else {
            return Err(refuse(400, format!("{line:?} is not a chunk size")));
        };
        if size == 0 {
            let mut trailers = 0;
            while !read_line(stream, MAX_HEAD)?.is_empty() {
                trailers += 1;
                if trailers > MAX_HEADERS {
                    return Err(refuse(431, format!("more than {MAX_HEADERS} trailers")));
                }
            }
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(refuse(413, "the body is larger than 1 MiB"));
        }
        let before = body.len();
        (&mut *stream).take(size as u64).read_to_end(&mut body)?;
        if body.len() - before != size {
            return Err(ReadError::Gone);
        }
        if !read_line(stream, 0)?.is_empty() {
            return Err(refuse(400, "a chunk is longer than its size"));
        }
    }
}

/// One line without its `\r\n` (or `\n`), of at most `max` bytes.
fn read_line<R: BufRead>(stream: &mut R, max: usize) -> Result<String, ReadError> {
    let mut line = Vec::new();
    // `\r\n` comes on top of the `max` bytes.
    (&mut *stream)
        .take(max as u64 + 2)
        .read_until(b'\n', &mut line)?;
    if line.last() != Some(&b'\n') {
        return Err(if line.len() > max {
            refuse(400, "a line of the body is too long")
        } else {
            ReadError::Gone
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// The status line and headers of `reply`, saying its body is
/// `content_length` bytes (its own, or what a fault promises).
pub(crate) fn head(reply: &Reply, content_length: u64, keep_alive: bool) -> Vec<u8> {
    let reason = http::StatusCode::from_u16(reply.status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("Unknown");
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nDate: {}\r\n",
        reply.status,
        httpdate::fmt_http_date(std::time::SystemTime::now())
    );
    // RFC 9110 8.6: no Content-Length on a 1xx or 204.
    if !(reply.status < 200 || reply.status == 204) {
        head.push_str(&format!("Content-Length: {content_length}\r\n"));
    }
    let headers = reply
        .content_type
        .map(|value| ("Content-Type", value.to_string()))
        .into_iter()
        .chain(reply.headers.iter().map(|(n, v)| (*n, v.clone())));
    for (name, value) in headers {
        // Values come from the control API too; a line break would forge
        // headers of its own.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// The whole answer, head and body, in one buffer (the body left out for
/// a HEAD request, as its Content-Length still says).
pub(crate) fn encode(reply: &Reply, keep_alive: bool, head_only: bool) -> Vec<u8> {
    let mut bytes = head(reply, reply.body.len() as u64, keep_alive);
    if !head_only {
        bytes.extend_from_slice(&reply.body);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    /// A byte source that also takes writes (for `100 Continue`).
    struct Wire {
        input: Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Wire {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            self.input.read(buffer)
        }
    }

    impl Write for Wire {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.output.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn wire(bytes: &[u8]) -> BufReader<Wire> {
        BufReader::with_capacity(
            7, // small, so heads and chunks straddle reads
            Wire {
                input: Cursor::new(bytes.to_vec()),
                output: Vec::new(),
            },
        )
    }

    fn refused(result: Result<Option<Request>, ReadError>) -> u16 {
        match result {
            Err(ReadError::Refuse(reply)) => reply.status,
            Err(ReadError::Gone) => panic!("gone, not refused"),
            Ok(_) => panic!("read, not refused"),
        }
    }

    #[test]
    fn pipelined_requests_are_read_one_by_one() {
        let mut stream = wire(
            b"\r\nPOST /a?x=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET http://h:1/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        );
        let first = read_request(&mut stream).ok().flatten().unwrap();
        assert_eq!(
            (first.method.as_str(), first.target.as_str()),
            ("POST", "/a?x=1")
        );
        assert_eq!(first.body, b"abc");
        assert!(first.keep_alive);
        let second = read_request(&mut stream).ok().flatten().unwrap();
        assert_eq!(second.target, "/b");
        assert!(second.keep_alive, "HTTP/1.0 asked for keep-alive");
        assert!(read_request(&mut stream).ok().unwrap().is_none());
    }

    #[test]
    fn chunked_bodies_are_joined() {
        let mut stream = wire(
            b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\n",
        );
        let request = read_request(&mut stream).ok().flatten().unwrap();
        assert_eq!(request.body, b"abc0123456789abcdef");
        assert!(!request.keep_alive);
    }

    #[test]
    fn continue_is_sent_before_the_body_is_read() {
        let mut stream =
            wire(b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok");
        let request = read_request(&mut stream).ok().flatten().unwrap();
        assert_eq!(request.body, b"ok");
        assert_eq!(stream.get_ref().output, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn hostile_requests_are_refused_not_read() {
        let huge = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert_eq!(refused(read_request(&mut wire(huge.as_bytes()))), 413);
        let both = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(refused(read_request(&mut wire(both))), 400);
        let disagree = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
        assert_eq!(refused(read_request(&mut wire(disagree))), 400);
        let signed = b"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\nx";
        assert_eq!(refused(read_request(&mut wire(signed))), 400);
        let chunk = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffff\r\n";
        assert_eq!(refused(read_request(&mut wire(chunk))), 400);
        let big_chunk = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\n";
        assert_eq!(refused(read_request(&mut wire(big_chunk))), 413);
        assert_eq!(refused(read_request(&mut wire(b"NOT HTTP\r\n\r\n"))), 400);
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(refused(read_request(&mut wire(long.as_bytes()))), 431);
        let many: String = (0..=MAX_HEADERS).map(|i| format!("h{i}: v\r\n")).collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(refused(read_request(&mut wire(many.as_bytes()))), 431);
    }

    #[test]
    fn a_cut_request_is_gone() {
        for cut in [
            &b"GET / HTTP/1.1\r\nHost"[..],
            b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
        ] {
            assert!(matches!(read_request(&mut wire(cut)), Err(ReadError::Gone)));
        }
    }

    #[test]
    fn answers_are_laid_out_whole() {
        let reply = Reply::json(201, serde_json::json!({"a": 1}))
            .with_header("X-Evil", "a\r\nSet-Cookie: x".into())
            .with_header("Location", "/x".into());
        let text = String::from_utf8(encode(&reply, false, false)).unwrap();
        assert!(text.starts_with("HTTP/1.1 201 Created\r\nDate: "), "{text}");
        assert!(text.contains("\r\nContent-Length: 7\r\n"), "{text}");
        assert!(text.contains("\r\nLocation: /x\r\n"), "{text}");
        assert!(!text.contains("Set-Cookie"), "{text}");
        assert!(
            text.ends_with("Connection: close\r\n\r\n{\"a\":1}"),
            "{text}"
        );
        let head_only = String::from_utf8(encode(&reply, true, true)).unwrap();
        assert!(head_only.ends_with("Content-Length: 7\r\nContent-Type: application/json; charset=utf-8\r\nLocation: /x\r\n\r\n"), "{head_only}");
        let empty = String::from_utf8(encode(&Reply::empty(204), true, false)).unwrap();
        assert!(!empty.contains("Content-Length"), "{empty}");
    }
}
