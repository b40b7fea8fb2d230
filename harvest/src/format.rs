//! Which RDF syntax a response is in — from its `Content-Type`, then the URL's extension, then
//! the first bytes — and parsing it with JSON-LD contexts served from a local cache only.

use oxrdf::Quad;
use oxrdfio::{RdfFormat, RdfParser};

pub use crate::syntax::JSONLD;
use crate::syntax::collect;

/// The media types a DCAT harvest asks for, best first.
pub const ACCEPT: &str = "text/turtle, application/trig;q=0.95, application/ld+json;q=0.9, application/rdf+xml;q=0.9, application/n-triples;q=0.8, application/n-quads;q=0.8, application/json;q=0.5, */*;q=0.1";

/// The syntax for a `Content-Type` (parameters ignored); generic types give `None`.
pub fn from_content_type(ct: &str) -> Option<RdfFormat> {
    let base = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match base.as_str() {
        ""
        | "text/plain"
        | "application/octet-stream"
        | "application/json"
        | "text/xml"
        | "application/xml"
        | "text/html" => None,
        "application/x-turtle" => Some(RdfFormat::Turtle),
        other => RdfFormat::from_media_type(other),
    }
}

/// The syntax for the last path segment's extension.
pub fn from_url(url: &url::Url) -> Option<RdfFormat> {
    let seg = url.path_segments()?.next_back()?.to_ascii_lowercase();
    let ext = seg.rsplit_once('.')?.1.to_owned();
    match ext.as_str() {
        "json" => Some(JSONLD),
        "xml" | "owl" => Some(RdfFormat::RdfXml),
        e => RdfFormat::from_extension(e),
    }
}

/// The syntax the first bytes suggest. TriG reads Turtle and N-Triples too, so text that is
/// neither XML nor JSON is read as TriG.
pub fn sniff(body: &[u8]) -> Option<RdfFormat> {
    let text = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &text[start..text.len().min(start + 512)];
    match head[0] {
        b'<' if head.starts_with(b"<?xml")
            || head.starts_with(b"<rdf:")
            || head.starts_with(b"<!--") =>
        {
            Some(RdfFormat::RdfXml)
        }
        b'{' | b'[' => Some(JSONLD),
        _ => Some(RdfFormat::TriG),
    }
}

/// Content type, then extension, then sniffing. A generic XML or JSON type still counts.
pub fn detect(content_type: Option<&str>, url: &url::Url, body: &[u8]) -> Option<RdfFormat> {
    if let Some(f) = content_type.and_then(from_content_type) {
        return Some(f);
    }
    if let Some(f) = from_url(url) {
        return Some(f);
    }
    let generic = content_type
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match generic.as_str() {
        "application/json" => Some(JSONLD),
        "application/xml" | "text/xml" => Some(RdfFormat::RdfXml),
        _ => sniff(body),
    }
}

/// Parses a whole document into quads. A syntax error fails the document with its line and
/// column (terms RDF does not allow are let through, for their record to refuse); JSON-LD goes to the full JSON-LD 1.1 processor ([`crate::jsonld`]), where a remote
/// `@context` this process does not know is refused, never fetched.
pub fn parse(body: &[u8], format: RdfFormat, base: &str) -> Result<Vec<Quad>, String> {
    let json = matches!(format, RdfFormat::JsonLd { .. });
    if json && let Err(e) = serde_json::from_slice::<serde_json::Value>(body) {
        return Err(format!(
            "JSON syntax error at line {}, column {}: {e}",
            e.line(),
            e.column()
        ));
    }
    crate::guard::check_rdf(body, format, &crate::guard::limits())
        .map_err(|e| format!("{}: {e}", name(format)))?;
    if json {
        // serde_json accepted it above, so it is UTF-8.
        let text = std::str::from_utf8(body).map_err(|e| format!("JSON-LD: {e}"))?;
        return crate::jsonld::parse(text, Some(base));
    }
    // Lenient: an IRI or language tag RDF does not allow (a raw space in a URL, as real
    // catalogues have) is kept as written instead of failing the whole document; the record it
    // belongs to then fails alone, naming it (the registry's `record::bad_term`). Syntax
    // errors still fail the document.
    let mut parser = RdfParser::from_format(format).lenient();
    if let Ok(p) = parser.clone().with_base_iri(base) {
        parser = p;
    }
    collect(parser.for_slice(body), name(format))
}

/// The syntax's usual name, for messages.
pub fn name(format: RdfFormat) -> &'static str {
    match format {
        RdfFormat::Turtle => "Turtle",
        RdfFormat::TriG => "TriG",
        RdfFormat::NTriples => "N-Triples",
        RdfFormat::NQuads => "N-Quads",
        RdfFormat::RdfXml => "RDF/XML",
        RdfFormat::JsonLd { .. } => "JSON-LD",
        _ => "RDF",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_wins_then_extension_then_bytes() {
        let u = url::Url::parse("http://x/a/catalog.rdf").expect("url");
        assert_eq!(
            detect(Some("text/turtle; charset=utf-8"), &u, b"<?xml"),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(
            detect(Some("text/plain"), &u, b"@prefix"),
            Some(RdfFormat::RdfXml)
        );
        let u = url::Url::parse("http://x/feed").expect("url");
        assert!(matches!(
            detect(None, &u, b"  {\"@context\":{}}"),
            Some(RdfFormat::JsonLd { .. })
        ));
        assert_eq!(
            detect(None, &u, b"\xef\xbb\xbf<?xml version"),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            detect(Some("application/octet-stream"), &u, b"@prefix x: <y> ."),
            Some(RdfFormat::TriG)
        );
    }

    #[test]
    fn unknown_remote_contexts_are_refused_not_fetched() {
        let doc = br#"{"@context": "https://example.org/format-ctx.jsonld", "@id": "http://x/d", "title": "t"}"#;
        let err = parse(doc, JSONLD, "http://x/").expect_err("refused");
        assert!(
            err.contains("https://example.org/format-ctx.jsonld") && err.contains("never fetched"),
            "{err}"
        );
        crate::jsonld::register(
            "https://example.org/format-ctx.jsonld",
            br#"{"@context": {"title": "http://purl.org/dc/terms/title"}}"#,
        )
        .expect("registered");
        let quads = parse(doc, JSONLD, "http://x/").expect("parsed");
        assert_eq!(quads.len(), 1);
    }
}
