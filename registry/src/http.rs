//! Small HTTP helpers every edge shares (REST, feeds, pages, SPARQL), below all of them.

use actix_web::HttpRequest;

/// A header's value as text.
pub fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}
