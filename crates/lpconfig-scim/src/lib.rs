//! A SCIM 2.0 service provider (RFC 7643/7644) over a LivePerson account: an identity
//! provider (Okta, Entra ID, ...) creates, updates, deactivates and groups agents
//! through it. SCIM Users are LivePerson users, SCIM Groups are agent groups; the
//! mapping is a TOML file ([`Mapping`]); what LivePerson cannot show back (masked
//! or SCIM-only attributes) is kept in a local SQLite [`Store`]. See docs/scim.md.
//!
//! ```no_run
//! # async fn demo(client: lpconfig::Client) -> std::io::Result<()> {
//! use lpconfig_scim::{Mapping, Server, Store};
//! let store = Store::open("scim.db".as_ref()).unwrap();
//! let server = Server::bind("127.0.0.1:0", client, Mapping::default(), store, "token".into(), None).await.unwrap();
//! println!("scim: listening on {}", server.url());
//! server.run(std::future::pending()).await
//! # }
//! ```

pub mod assign;
pub mod bridge;
pub mod convert;
pub mod error;
pub mod filter;
pub mod mapping;
pub mod patch;
pub mod path;
pub mod schema;
pub mod server;
pub mod store;
pub mod tls;
pub mod version;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

pub use bridge::Bridge;
pub use error::{ScimError, ScimResult};
pub use mapping::Mapping;
pub use store::Store;

/// The media type of SCIM bodies.
pub const SCIM_JSON: &str = "application/scim+json";

/// A bound SCIM server.
pub struct Server {
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    router: axum::Router,
    tls: Option<tls::Acceptor>,
    state: Arc<server::AppState>,
}

impl Server {
    /// Binds `listen` (`127.0.0.1:0` picks a free port) and prepares the routes;
    /// `tls`: PEM certificate chain and key files (HTTPS), else plain HTTP.
    pub async fn bind(
        listen: &str,
        client: lpconfig::Client,
        mapping: Mapping,
        store: Store,
        token: lpconfig::Secret,
        tls: Option<(&Path, &Path)>,
    ) -> ScimResult<Self> {
        let acceptor = tls.map(|(c, k)| tls::acceptor(c, k)).transpose()?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| ScimError::status(500, format!("cannot listen on {listen}: {e}")))?;
        let addr = listener.local_addr().map_err(|e| ScimError::status(500, e.to_string()))?;
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{addr}/scim/v2");
        let state = Arc::new(server::AppState { bridge: Bridge::new(client, mapping, store, base), token });
        let router =
            server::router(state.clone()).layer(axum::extract::DefaultBodyLimit::max(server::MAX_BODY));
        Ok(Self { listener, addr, router, tls: acceptor, state })
    }

    /// Checks the mapping against the account (the only I/O before serving): every
    /// role, skill and agent group its `[groups]` name, its `default_role`,
    /// `default_group` and `group_parent` exist. Errors name the mapping entry.
    pub async fn check_mapping(&self) -> ScimResult<()> {
        self.state.bridge.check_mapping().await
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT/scim/v2` (`https` with TLS).
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}/scim/v2", self.addr)
    }

    /// Serves until `shutdown` completes.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        match self.tls {
            None => axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown).await,
            Some(acceptor) => tls::serve(self.listener, acceptor, self.router, shutdown).await,
        }
    }
}
