//! danhmuc patch: the bodies of the responses the HTTP/1 dispatcher writes on its own.
//!
//! Upstream answers an unparsable request (400), a request head over the buffer (431), a slow
//! head (408) and an internal dispatch error (500) with an empty body that the application
//! never sees. An application that promises one error format on every answer (RFC 9457
//! problem+json, say) registers a renderer here once at start-up; without one, the answers stay
//! as upstream writes them.

use std::sync::OnceLock;

use bytes::Bytes;

use crate::{
    body::BoxBody,
    header::{HeaderValue, CONTENT_TYPE},
    Response, StatusCode,
};

/// Renders the body of a dispatcher-written error: its content type and bytes, or `None` to
/// keep the empty body.
pub type ErrorRenderer = fn(StatusCode) -> Option<(HeaderValue, Bytes)>;

static RENDERER: OnceLock<ErrorRenderer> = OnceLock::new();

/// Registers the renderer for every dispatcher in the process; the first call wins.
pub fn set_error_renderer(renderer: ErrorRenderer) {
    let _ = RENDERER.set(renderer);
}

/// The response and body to send for a dispatcher-written error.
pub(crate) fn render(mut res: Response<()>) -> (Response<()>, BoxBody) {
    match RENDERER.get().and_then(|render| render(res.status())) {
        Some((content_type, body)) => {
            res.headers_mut().insert(CONTENT_TYPE, content_type);
            (res, BoxBody::new(body))
        }
        None => (res, BoxBody::new(())),
    }
}
