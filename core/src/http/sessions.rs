//! The process's TLS session store, shared by every client's TLS
//! configuration ([`super::tls`]), so that a client resumes the sessions
//! of the clients before it, pooled or not.
//!
//! It keeps what rustls' own in-memory store keeps, by server name: the
//! key-exchange group the server chose, one TLS 1.2 session and up to
//! [`MAX_TICKETS`] TLS 1.3 tickets, for the [`MAX_SERVERS`] servers most
//! recently added. It lives as long as the process; rustls' store keeps
//! its servers in a hash table, whose memory valgrind reports as
//! "possibly lost" at exit once the table is held by a static: this one
//! keeps them in a list (a process calls a handful of servers).

use super::fork::ForkLock;
use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;
use std::collections::VecDeque;
use std::fmt;
use std::sync::MutexGuard;

/// Servers remembered; past this the one added first is forgotten.
const MAX_SERVERS: usize = 32;
/// TLS 1.3 tickets kept per server; past this the oldest is dropped.
const MAX_TICKETS: usize = 8;

#[derive(Default)]
pub(super) struct Sessions {
    /// Oldest first. A forked child whose parent's thread held it at the
    /// fork does without: no session kept, none resumed.
    servers: ForkLock<Vec<(ServerName<'static>, Server)>>,
}

#[derive(Default)]
struct Server {
    kx_hint: Option<NamedGroup>,
    tls12: Option<Tls12ClientSessionValue>,
    /// Oldest first.
    tls13: VecDeque<Tls13ClientSessionValue>,
}

impl Sessions {
    /// Runs `f` on what is kept for `name`, added if new.
    fn edit(&self, name: ServerName<'static>, f: impl FnOnce(&mut Server)) {
        let Some(mut servers) = self.servers.lock() else {
            return;
        };
        if let Some((_, server)) = servers.iter_mut().find(|(n, _)| *n == name) {
            return f(server);
        }
        if servers.len() >= MAX_SERVERS {
            servers.remove(0);
        }
        let mut server = Server::default();
        f(&mut server);
        servers.push((name, server));
    }

    /// `f` of what is kept for `name`, if anything.
    fn read<T>(
        &self,
        name: &ServerName<'_>,
        f: impl FnOnce(&mut Server) -> Option<T>,
    ) -> Option<T> {
        let mut servers: MutexGuard<'_, _> = self.servers.lock()?;
        let (_, server) = servers.iter_mut().find(|(n, _)| n == name)?;
        f(server)
    }
}

impl fmt::Debug for Sessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Sessions hold secrets: nothing of them is shown.
        f.debug_struct("Sessions").finish_non_exhaustive()
    }
}

impl ClientSessionStore for Sessions {
    fn set_kx_hint(&self, name: ServerName<'static>, group: NamedGroup) {
        self.edit(name, |server| server.kx_hint = Some(group));
    }

    fn kx_hint(&self, name: &ServerName<'_>) -> Option<NamedGroup> {
        self.read(name, |server| server.kx_hint)
    }

    fn set_tls12_session(&self, name: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.edit(name, |server| server.tls12 = Some(value));
    }

    fn tls12_session(&self, name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.read(name, |server| server.tls12.clone())
    }

    fn remove_tls12_session(&self, name: &ServerName<'static>) {
        self.read(name, |server| server.tls12.take());
    }

    fn insert_tls13_ticket(&self, name: ServerName<'static>, value: Tls13ClientSessionValue) {
        self.edit(name, |server| {
            if server.tls13.len() >= MAX_TICKETS {
                server.tls13.pop_front();
            }
            server.tls13.push_back(value);
        });
    }

    fn take_tls13_ticket(&self, name: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        self.read(name, |server| server.tls13.pop_back())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(host: &str) -> ServerName<'static> {
        ServerName::try_from(host.to_string()).unwrap()
    }

    #[test]
    fn each_server_keeps_its_own_and_the_first_added_is_forgotten_past_the_limit() {
        let sessions = Sessions::default();
        let group = NamedGroup::X25519;
        sessions.set_kx_hint(name("a.example"), group);
        assert_eq!(sessions.kx_hint(&name("a.example")), Some(group));
        assert_eq!(sessions.kx_hint(&name("b.example")), None);
        for i in 0..MAX_SERVERS {
            sessions.set_kx_hint(name(&format!("s{i}.example")), NamedGroup::secp256r1);
        }
        assert_eq!(sessions.kx_hint(&name("a.example")), None, "forgotten");
        assert_eq!(sessions.servers.lock().unwrap().len(), MAX_SERVERS);
        assert!(sessions.tls12_session(&name("s1.example")).is_none());
        assert!(sessions.take_tls13_ticket(&name("s1.example")).is_none());
    }
}
