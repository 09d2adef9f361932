//! The outermost middleware: applies fault rules before routing and records every
//! request (faulted or not) with the status it got.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error_body;
use crate::faults::FaultAction;
use crate::request_log::LoggedRequest;
use crate::server::ConnectionKill;
use crate::state::AppState;

/// Largest request body the emulator reads (batches of 1,000 users fit easily).
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// Fault injection and request logging around the whole router.
pub async fn intercept(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let at = Instant::now();
    let (parts, body) = req.into_parts();
    let record = state.settings.record_requests;
    let mut entry = LoggedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        // Copying headers and bodies is most of this middleware's cost; benchmark
        // mode keeps only what fault matching needs.
        headers: if record {
            parts
                .headers
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect()
        } else {
            Vec::new()
        },
        body: String::new(),
        body_bytes: Default::default(),
        status: 0,
        at,
    };
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let resp = error_body::flat(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large", 413);
            return finish(&state, entry, resp);
        }
    };
    if record {
        entry.body = String::from_utf8_lossy(&bytes).into_owned();
        entry.body_bytes = bytes.clone();
    }

    let fault = state.faults.take(&entry.method, &entry.path);
    match fault.clone() {
        None => {}
        // Handled below, after the request went through. (`take` never returns
        // a `random` wrapper, only what it wraps.)
        Some(
            FaultAction::ApplyThenStatus { .. }
            | FaultAction::ApplyThenReset
            | FaultAction::ApplyThenMalformed
            | FaultAction::Random { .. },
        ) => {}
        Some(FaultAction::Latency(d)) => tokio::time::sleep(d).await,
        Some(FaultAction::Status { status, body, retry_after }) => {
            return finish(&state, entry, status_response(status, body, retry_after));
        }
        Some(FaultAction::MalformedBody) => return finish(&state, entry, malformed()),
        Some(FaultAction::Reset) => {
            let kill = parts.extensions.get::<ConnectionKill>().cloned();
            return reset(&state, entry, kill).await;
        }
    }

    let kill = parts.extensions.get::<ConnectionKill>().cloned();
    let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    // The lost-answer faults: the request was handled (a write is applied), and
    // the client gets something else than its real answer.
    match fault {
        Some(FaultAction::ApplyThenStatus { status, body, retry_after }) => {
            tracing::debug!(method = %entry.method, path = %entry.path, real = resp.status().as_u16(), "fault: answer replaced");
            finish(&state, entry, status_response(status, body, retry_after))
        }
        Some(FaultAction::ApplyThenMalformed) => finish(&state, entry, malformed()),
        Some(FaultAction::ApplyThenReset) => reset(&state, entry, kill).await,
        _ => finish(&state, entry, resp),
    }
}

fn status_response(status: u16, body: Option<String>, retry_after: Option<String>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = match body {
        Some(text) => (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], text)
            .into_response(),
        None => error_body::flat(status, "Injected fault", i64::from(status.as_u16())),
    };
    if let Some(v) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

fn malformed() -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], "<html>oops")
        .into_response()
}

/// Logs the request with status 0 and cuts its connection.
async fn reset(state: &AppState, entry: LoggedRequest, kill: Option<ConnectionKill>) -> Response {
    tracing::debug!(method = %entry.method, path = %entry.path, "fault: reset");
    if state.settings.record_requests {
        state.log.push(entry);
    }
    match kill {
        Some(kill) => {
            kill.fire();
            // The connection task drops this future together with the socket.
            std::future::pending::<Response>().await
        }
        // Served without our accept loop (e.g. `tower::oneshot`): nothing to cut.
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn finish(state: &AppState, mut entry: LoggedRequest, resp: Response) -> Response {
    entry.status = resp.status().as_u16();
    tracing::debug!(
        method = %entry.method,
        path = %entry.path,
        status = entry.status,
        elapsed_ms = entry.at.elapsed().as_millis() as u64,
        "request"
    );
    if state.settings.record_requests {
        state.log.push(entry);
    }
    resp
}
