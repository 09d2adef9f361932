//! Network fixtures for tests of TLS trust and proxies (feature `net-testing`):
//! a private CA made on the spot, an HTTPS front that terminates TLS with a
//! certificate of that CA and forwards to a plain-http emulator, and a proxy on
//! loopback that records every request it is asked to carry.
//!
//! ```no_run
//! # async fn demo() {
//! use lpconfig_emulator::net::{RecordingProxy, TestCa, TlsFront};
//! use lpconfig_emulator::Emulator;
//! let emu = Emulator::builder().demo().start().await.unwrap();
//! let ca = TestCa::new(&["localhost", "lp.test"]);
//! let front = TlsFront::start(&ca, emu.addr()).await.unwrap();   // https://localhost:{front.port()}
//! let proxy = RecordingProxy::start(Some(front.addr())).await.unwrap();
//! assert!(proxy.requests().is_empty());
//! # }
//! ```

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A private certificate authority and one server certificate it signed.
pub struct TestCa {
    ca_pem: String,
    server_cert: CertificateDer<'static>,
    server_key: Vec<u8>,
}

impl TestCa {
    /// A new CA and a server certificate for `names` (DNS names or IP addresses).
    pub fn new(names: &[&str]) -> Self {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("empty names are valid");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "lpconfig test CA");
        let ca_key = KeyPair::generate().expect("key generation");
        let ca_cert = ca_params.self_signed(&ca_key).expect("self-signed CA");
        let issuer = Issuer::new(ca_params, ca_key);
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).expect("valid subject alt names");
        params.distinguished_name.push(DnType::CommonName, "lpconfig test server");
        let key = KeyPair::generate().expect("key generation");
        let cert = params.signed_by(&key, &issuer).expect("signed server certificate");
        Self { ca_pem: ca_cert.pem(), server_cert: cert.der().clone(), server_key: key.serialize_der() }
    }

    /// The CA certificate as PEM (what a `ca_bundle` file holds).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Writes the CA certificate to `dir/ca.pem` and returns the path.
    pub fn write_ca(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join("ca.pem");
        std::fs::write(&path, &self.ca_pem)?;
        Ok(path)
    }

    fn server_config(&self) -> io::Result<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.server_key.clone()));
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_no_client_auth().with_single_cert(vec![self.server_cert.clone()], key))
            .map_err(io::Error::other)
    }
}

/// Stops the accept loop when dropped.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// An HTTPS server on 127.0.0.1 that forwards each decrypted connection to a
/// plain-http backend (an emulator).
pub struct TlsFront {
    addr: SocketAddr,
    handshakes: Arc<Mutex<u32>>,
    _task: AbortOnDrop,
}

impl TlsFront {
    /// Listens on a free port of 127.0.0.1.
    pub async fn start(ca: &TestCa, backend: SocketAddr) -> io::Result<Self> {
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(ca.server_config()?));
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let handshakes = Arc::new(Mutex::new(0));
        let count = handshakes.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, count) = (acceptor.clone(), count.clone());
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: nothing to forward.
                    let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                    *count.lock().expect("counter") += 1;
                    if let Ok(mut plain) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                    }
                });
            }
        });
        Ok(Self { addr, handshakes, _task: AbortOnDrop(task) })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// TLS handshakes completed so far (a client that rejects the certificate completes none).
    pub fn handshakes(&self) -> u32 {
        *self.handshakes.lock().expect("counter")
    }
}

/// What a [`RecordingProxy`] was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ProxyLog {
    /// The head (request line and headers) of every request, in arrival order.
    pub heads: Vec<String>,
    /// Every byte a client sent through a CONNECT tunnel (TLS records, if all is well).
    pub tunneled: Vec<u8>,
}

/// An HTTP proxy on 127.0.0.1 that records what it is asked to carry. A
/// `CONNECT` is tunnelled to `tunnel_to` (whatever host it names); a plain
/// proxied request gets `502` (after being recorded).
pub struct RecordingProxy {
    addr: SocketAddr,
    log: Arc<Mutex<ProxyLog>>,
    _task: AbortOnDrop,
}

impl RecordingProxy {
    /// Listens on a free port of 127.0.0.1.
    pub async fn start(tunnel_to: Option<SocketAddr>) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let log = Arc::new(Mutex::new(ProxyLog::default()));
        let shared = log.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serve(tcp, tunnel_to, shared.clone()));
            }
        });
        Ok(Self { addr, log, _task: AbortOnDrop(task) })
    }

    /// The proxy URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request heads seen so far.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().expect("proxy log").heads.clone()
    }

    /// Everything recorded so far.
    pub fn log(&self) -> ProxyLog {
        self.log.lock().expect("proxy log").clone()
    }
}

async fn serve(mut client: TcpStream, tunnel_to: Option<SocketAddr>, log: Arc<Mutex<ProxyLog>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match client.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let is_connect = text.starts_with("CONNECT ");
    log.lock().expect("proxy log").heads.push(text);
    let upstream = match (is_connect, tunnel_to) {
        (true, Some(to)) => TcpStream::connect(to).await.ok(),
        _ => None,
    };
    let Some(mut upstream) = upstream else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n").await;
        return;
    };
    if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_err() {
        return;
    }
    let (mut cr, mut cw) = client.into_split();
    let (mut ur, mut uw) = upstream.split();
    let up = async {
        let mut buf = [0u8; 8192];
        loop {
            match cr.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    log.lock().expect("proxy log").tunneled.extend_from_slice(&buf[..n]);
                    if uw.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
        let _ = uw.shutdown().await;
    };
    let down = async {
        let _ = tokio::io::copy(&mut ur, &mut cw).await;
        let _ = cw.shutdown().await;
    };
    tokio::join!(up, down);
}
