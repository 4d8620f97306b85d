//! Whether the connection an answer is read from ended uncleanly: reset,
//! or closed without TLS's closing alert (`close_notify`). ureq takes
//! either for the end of a body that has no length (neither
//! `Content-Length` nor chunked, which ends where the connection does),
//! so an answer cut short by an attacker or a failing network would pass
//! for whole. RFC 9112 (9.8): such a body "is complete only if a valid
//! closure alert has been received". The transports note an unclean end
//! here, on the thread that reads (ureq reads on the caller's thread);
//! `read_body` asks after reading a body that has no length.

use std::cell::Cell;
use std::io;

thread_local! {
    static UNCLEAN: Cell<bool> = const { Cell::new(false) };
}

/// Notes `error` of a read if it is an unclean end.
pub(super) fn note(error: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionReset, UnexpectedEof};
    if matches!(
        error.kind(),
        UnexpectedEof | ConnectionReset | ConnectionAborted
    ) {
        let _ = UNCLEAN.try_with(|unclean| unclean.set(true));
    }
}

/// [`note`] of a transport's error.
pub(super) fn note_ureq(error: &ureq::Error) {
    if let ureq::Error::Io(error) = error {
        note(error);
    }
}

/// Whether a read on this thread ended uncleanly since the last time it
/// was asked; asking forgets it.
pub(super) fn take() -> bool {
    UNCLEAN.try_with(Cell::take).unwrap_or(false)
}
