//! Raw HTTP/1.1 for the tests' fake adapters, which misbehave at the wire level (close a
//! connection without an answer, hang, answer garbage) as no HTTP server library lets them:
//! one request at a time per connection, bodies framed by `Content-Length` only,
//! persistent connections unless the client says `Connection: close` or speaks HTTP/1.0.
//! `serve` itself is hyper (src/serve/).
#![allow(dead_code)]

use std::io::{BufRead, Read, Write};

/// The protocol's request body limit (PROTOCOL.md §1: adapters accept up to 16 MiB).
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// Longest request line or header line we read.
const MAX_LINE: usize = 16 * 1024;
/// Most header fields we accept.
const MAX_HEADERS: usize = 100;

/// A parsed request.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// The method, as sent.
    pub method: String,
    /// The request-target (origin form), without the query.
    pub path: String,
    /// The body (empty when none).
    pub body: Vec<u8>,
    /// The connection stays open after the answer.
    pub keep_alive: bool,
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The peer closed the connection between requests: not an error.
    Closed,
    /// An I/O error or a close in the middle of a request.
    Io(String),
    /// A malformed request: answer 400 and close.
    Bad(String),
}

fn read_line(r: &mut impl BufRead, first: bool) -> Result<String, ReadError> {
    let mut buf = Vec::new();
    let n = (&mut *r).take(MAX_LINE as u64 + 1).read_until(b'\n', &mut buf).map_err(|e| ReadError::Io(e.to_string()))?;
    if n == 0 {
        return Err(if first { ReadError::Closed } else { ReadError::Io("connection closed in the headers".to_owned()) });
    }
    if buf.last() != Some(&b'\n') {
        return Err(if buf.len() > MAX_LINE { ReadError::Bad("line too long".to_owned()) } else { ReadError::Io("connection closed in a line".to_owned()) });
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    String::from_utf8(buf).map_err(|_| ReadError::Bad("non-UTF-8 header line".to_owned()))
}

/// Reads one request.
pub fn read_request(r: &mut impl BufRead) -> Result<Request, ReadError> {
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
    let mut line = read_line(r, true)?;
    if line.is_empty() {
        line = read_line(r, true)?;
    }
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(ReadError::Bad(format!("bad request line {line:?}")));
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Bad(format!("unsupported version {version:?}"))),
    };
    let mut keep_alive = !http10;
    let mut length: Option<usize> = None;
    for i in 0.. {
        let h = read_line(r, false)?;
        if h.is_empty() {
            break;
        }
        if i >= MAX_HEADERS {
            return Err(ReadError::Bad("too many header fields".to_owned()));
        }
        let Some((name, value)) = h.split_once(':') else {
            return Err(ReadError::Bad(format!("bad header line {h:?}")));
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                let n: usize = value.parse().map_err(|_| ReadError::Bad(format!("bad Content-Length {value:?}")))?;
                if length.is_some_and(|m| m != n) {
                    return Err(ReadError::Bad("conflicting Content-Length fields".to_owned()));
                }
                length = Some(n);
            }
            "transfer-encoding" => return Err(ReadError::Bad("Transfer-Encoding is not supported (send Content-Length)".to_owned())),
            "connection" => {
                for token in value.split(',').map(|t| t.trim().to_ascii_lowercase()) {
                    match token.as_str() {
                        "close" => keep_alive = false,
                        "keep-alive" => keep_alive = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let n = length.unwrap_or(0);
    if n > MAX_BODY {
        return Err(ReadError::Bad(format!("body of {n} bytes exceeds the {MAX_BODY}-byte limit")));
    }
    let mut body = vec![0; n];
    r.read_exact(&mut body).map_err(|e| ReadError::Io(format!("reading a {n}-byte body: {e}")))?;
    let path = target.split('?').next().unwrap_or("").to_owned();
    Ok(Request { method: method.to_owned(), path, body, keep_alive })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        422 => "Unprocessable Content",
        _ => "Internal Server Error",
    }
}

/// Writes a JSON answer in one `write_all` (with TCP_NODELAY, one segment for small answers).
pub fn write_response(w: &mut impl Write, status: u16, body: &[u8], keep_alive: bool) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(body.len() + 128);
    let close = if keep_alive { "" } else { "Connection: close\r\n" };
    write!(
        out,
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{close}\r\n",
        reason(status),
        body.len()
    )?;
    out.extend_from_slice(body);
    w.write_all(&out)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn parse(raw: &str) -> Result<Request, ReadError> {
        read_request(&mut BufReader::new(raw.as_bytes()))
    }

    #[test]
    fn requests_with_and_without_bodies() {
        let r = parse("POST /sessions/a/set?x=1 HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\n\r\n{}").unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str(), r.body.as_slice(), r.keep_alive), ("POST", "/sessions/a/set", &b"{}"[..], true));
        let r = parse("GET /info HTTP/1.0\r\n\r\n").unwrap();
        assert!(!r.keep_alive && r.body.is_empty());
        let r = parse("GET /info HTTP/1.1\nConnection: close\n\n").unwrap();
        assert!(!r.keep_alive);
    }

    #[test]
    fn several_requests_on_one_stream() {
        let raw = "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nx";
        let mut r = BufReader::new(raw.as_bytes());
        assert_eq!(read_request(&mut r).unwrap().path, "/a");
        assert_eq!(read_request(&mut r).unwrap().body, b"x");
        assert_eq!(read_request(&mut r), Err(ReadError::Closed));
    }

    #[test]
    fn malformed_requests() {
        assert!(matches!(parse("GARBAGE\r\n\r\n"), Err(ReadError::Bad(_))));
        assert!(matches!(parse("GET / HTTP/2\r\n\r\n"), Err(ReadError::Bad(_))));
        assert!(matches!(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), Err(ReadError::Bad(_))));
        assert!(matches!(parse("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), Err(ReadError::Bad(_))));
        assert!(matches!(parse("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"), Err(ReadError::Bad(_))));
        assert!(matches!(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"), Err(ReadError::Io(_))));
        assert!(matches!(parse("GET / HTTP/1.1\r\nHost"), Err(ReadError::Io(_))));
    }

    #[test]
    fn response_framing() {
        let mut out = Vec::new();
        write_response(&mut out, 422, b"{}", false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 422 Unprocessable Content\r\n"));
        assert!(text.contains("Content-Length: 2\r\n") && text.contains("Connection: close\r\n") && text.ends_with("\r\n\r\n{}"));
    }
}
