//! RDF in and out: which syntaxes we read and write, content negotiation, parse errors that say
//! where (line and column), and serialisation with readable prefixes. Parsing and writing are
//! oxigraph's; this module only chooses and reports.

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{Graph, Triple, TripleRef};

/// The syntaxes we serve and accept, with their media type and suffix.
pub const SERVED: &[(RdfFormat, &str, &str)] = &[
    (RdfFormat::Turtle, "text/turtle", "ttl"),
    (RdfFormat::NTriples, "application/n-triples", "nt"),
    (RdfFormat::RdfXml, "application/rdf+xml", "rdf"),
    (
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        "application/ld+json",
        "jsonld",
    ),
];

/// The IRI under which the REST JSON context is published; bodies may reference it.
pub const CONTEXT_PATH: &str = "/api/v1/context.jsonld";

/// A body that failed to parse.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// Human-readable message, including the location.
    pub message: String,
    /// (line, column), both from 1.
    pub position: Option<(u64, u64)>,
    /// Whether the body was JSON (so the error is `invalid_json`).
    pub json: bool,
    /// Whether the body exceeded a limit (nesting, entities) rather than broke the syntax
    /// (so the error is `limit_exceeded`).
    pub limit: bool,
}

impl From<harvest::guard::LimitError> for ParseError {
    fn from(e: harvest::guard::LimitError) -> Self {
        ParseError {
            message: e.message,
            position: e.position,
            json: false,
            limit: e.kind != harvest::guard::LimitKind::Malformed,
        }
    }
}

/// The format for a media type (parameters ignored).
pub fn format_from_media_type(media_type: &str) -> Option<RdfFormat> {
    let base = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match base.as_str() {
        "application/json" => None,
        "application/x-turtle" => Some(RdfFormat::Turtle),
        "text/plain" => None,
        other => RdfFormat::from_media_type(other),
    }
}

/// The format for a file suffix.
pub fn format_from_suffix(suffix: &str) -> Option<RdfFormat> {
    SERVED
        .iter()
        .find(|(_, _, s)| *s == suffix)
        .map(|(f, _, _)| *f)
        .or_else(|| RdfFormat::from_extension(suffix))
}

/// The media type we answer with for a format.
pub fn media_type(format: RdfFormat) -> &'static str {
    SERVED
        .iter()
        .find(|(f, _, _)| same_format(*f, format))
        .map(|(_, m, _)| *m)
        .unwrap_or("application/octet-stream")
}

fn same_format(a: RdfFormat, b: RdfFormat) -> bool {
    matches!((a, b), (RdfFormat::JsonLd { .. }, RdfFormat::JsonLd { .. })) || a == b
}

/// Parses `Accept` into (media range, q) pairs, highest q first, stable for ties.
pub fn accept_ranges(accept: &str) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let range = it.next()?.trim().to_ascii_lowercase();
            if range.is_empty() {
                return None;
            }
            let mut q = 1.0f32;
            for p in it {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            Some((range, q))
        })
        .collect();
    out.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    out
}

/// Picks the best of `offered` media types for an `Accept` header; `None` when nothing fits.
/// A missing header accepts the first offer.
pub fn negotiate<'a>(accept: Option<&str>, offered: &[&'a str]) -> Option<&'a str> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offered.first().copied();
    };
    for (range, q) in accept_ranges(accept) {
        if q <= 0.0 {
            continue;
        }
        if range == "*/*" {
            return offered.first().copied();
        }
        if let Some(prefix) = range.strip_suffix("/*") {
            if let Some(m) = offered.iter().find(|m| m.starts_with(prefix)) {
                return Some(m);
            }
            continue;
        }
        if let Some(m) = offered.iter().find(|m| **m == range) {
            return Some(m);
        }
        // N-Triples was registered as text/plain before application/n-triples existed, and
        // clients (rdflib) still ask for it so.
        if range == "text/plain"
            && let Some(m) = offered.iter().find(|m| **m == "application/n-triples")
        {
            return Some(m);
        }
    }
    None
}

/// Drops repeated triples, keeping the first of each (linear: large pages of feeds use it).
pub fn dedup_triples(triples: &mut Vec<oxigraph::model::Triple>) {
    let mut seen = std::collections::HashSet::with_capacity(triples.len());
    triples.retain(|t| seen.insert(t.clone()));
}

/// Parses an RDF document into triples (quads in named graphs are refused: a record is one
/// graph). `base` resolves relative IRIs. JSON-LD is read by the full JSON-LD 1.1 processor
/// ([`harvest::jsonld`]), whose document loader serves danhmuc's context ([`CONTEXT_PATH`]) and
/// the operator's registered ones, and fetches nothing remote.
pub fn parse_triples(
    body: &[u8],
    format: RdfFormat,
    base: &str,
) -> Result<Vec<Triple>, ParseError> {
    let json = matches!(format, RdfFormat::JsonLd { .. });
    if json {
        // Report JSON syntax errors with serde_json's precise position first.
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(body) {
            return Err(ParseError {
                message: format!(
                    "JSON syntax error at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
                position: Some((e.line() as u64, e.column() as u64)),
                json: true,
                limit: false,
            });
        }
    }
    harvest::guard::check_rdf(body, format, &harvest::guard::limits())?;
    let one_graph = || ParseError {
        message: "a record is one graph; named graphs are not accepted here".into(),
        position: None,
        json,
        limit: false,
    };
    if json {
        let text = std::str::from_utf8(body).map_err(|e| ParseError {
            message: format!("the body is not valid UTF-8: {e}"),
            position: None,
            json,
            limit: false,
        })?;
        let quads = harvest::jsonld::parse(text, Some(&format!("{base}/"))).map_err(|message| {
            ParseError {
                message,
                position: None,
                json,
                limit: false,
            }
        })?;
        let mut out = Vec::with_capacity(quads.len());
        for q in quads {
            if !q.graph_name.is_default_graph() {
                return Err(one_graph());
            }
            out.push(Triple::new(q.subject, q.predicate, q.object));
        }
        return Ok(out);
    }
    let mut parser = RdfParser::from_format(format);
    if let Ok(p) = parser.clone().with_base_iri(format!("{base}/")) {
        parser = p;
    }
    let mut out = Vec::new();
    for q in parser.for_slice(body) {
        match q {
            Ok(q) => {
                if !q.graph_name.is_default_graph() {
                    return Err(one_graph());
                }
                out.push(Triple::new(q.subject, q.predicate, q.object));
            }
            Err(e) => return Err(parse_error(e, json)),
        }
    }
    Ok(out)
}

fn parse_error(s: oxigraph::io::RdfSyntaxError, json: bool) -> ParseError {
    let position = s.location().map(|r| (r.start.line + 1, r.start.column + 1));
    let message = match position {
        Some((l, c)) => format!("syntax error at line {l}, column {c}: {s}"),
        None => format!("syntax error: {s}"),
    };
    ParseError {
        message,
        position,
        json,
        limit: false,
    }
}

/// Serialises triples with the registry's prefixes (for Turtle and RDF/XML).
pub fn serialize_triples<'a>(
    triples: impl IntoIterator<Item = TripleRef<'a>>,
    format: RdfFormat,
) -> std::io::Result<Vec<u8>> {
    let mut ser = RdfSerializer::from_format(format);
    if !matches!(format, RdfFormat::NTriples | RdfFormat::NQuads) {
        for (p, ns) in vocab::PREFIXES {
            ser = ser.with_prefix(*p, *ns).map_err(std::io::Error::other)?;
        }
    }
    let mut w = ser.for_writer(Vec::new());
    for t in triples {
        w.serialize_triple(t)?;
    }
    w.finish()
}

/// A record's JSON-LD node objects (compact IRIs under [`jsonld_context`]), comma-separated, ready to be
/// placed in a document's `@graph` array beside other records' fragments. Prepared once when a
/// version is written, so that full JSON-LD exports copy bytes instead of re-serialising
/// (`fragments` table). Made by Oxigraph's JSON-LD serialiser; serde_json cuts out the nodes.
pub fn jsonld_fragment(canonical: &str) -> std::io::Result<String> {
    let triples = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(canonical.as_bytes())
        .map(|q| q.map(Triple::from).map_err(std::io::Error::other))
        .collect::<std::io::Result<Vec<Triple>>>()?;
    jsonld_fragment_of(&triples)
}

/// [`jsonld_fragment`] of a version already parsed.
pub fn jsonld_fragment_of(triples: &[Triple]) -> std::io::Result<String> {
    let mut w = RdfSerializer::from_format(RdfFormat::JsonLd {
        profile: Default::default(),
    })
    .for_writer(Vec::new());
    for t in triples {
        w.serialize_triple(t)?;
    }
    let doc: serde_json::Value = serde_json::from_slice(&w.finish()?)?;
    // Without a context the serialiser writes the node objects as a top-level array.
    let nodes = match &doc {
        serde_json::Value::Array(nodes) => nodes,
        _ => match doc.get("@graph") {
            Some(serde_json::Value::Array(nodes)) => nodes,
            _ => return Err(std::io::Error::other("no node objects in the JSON-LD")),
        },
    };
    let nodes: Vec<String> = nodes
        .iter()
        .map(|n| serde_json::to_string(&compact(n)))
        .collect::<Result<_, _>>()?;
    Ok(nodes.join(","))
}

/// The prefixes fragments are written with (declared by [`jsonld_context`]).
fn fragment_prefixes() -> impl Iterator<Item = (&'static str, &'static str)> {
    vocab::PREFIXES
        .iter()
        .copied()
        .chain([("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")])
}

/// `dct:title` for `http://purl.org/dc/terms/title`, when the rest is a plain local name.
fn compact_iri(iri: &str) -> Option<String> {
    fragment_prefixes().find_map(|(p, ns)| {
        iri.strip_prefix(ns)
            .filter(|local| {
                !local.is_empty()
                    && local
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
            })
            .map(|local| format!("{p}:{local}"))
    })
}

/// A node object with its property keys, `@id`s and datatypes written as compact IRIs
/// (JSON-LD expands them with the context): fragments are about 40% smaller, so exports
/// copy less.
fn compact(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, val)| {
                    let key = if k.starts_with('@') {
                        k.clone()
                    } else {
                        compact_iri(k).unwrap_or_else(|| k.clone())
                    };
                    let val = match (k.as_str(), val) {
                        ("@id" | "@type", Value::String(s)) => {
                            Value::String(compact_iri(s).unwrap_or_else(|| s.clone()))
                        }
                        (_, other) => compact(other),
                    };
                    (key, val)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(compact).collect()),
        other => other.clone(),
    }
}

/// Triples as N-Triples lines (the input [`jsonld_fragment`] takes).
pub fn ntriples(triples: &[Triple]) -> String {
    triples.iter().map(|t| format!("{t} .\n")).collect()
}

/// The `@context` of JSON-LD documents put together from [`jsonld_fragment`]s: the registry's
/// prefixes, which the fragments' compact IRIs need.
pub fn jsonld_context() -> String {
    let map: serde_json::Map<String, serde_json::Value> = fragment_prefixes()
        .map(|(p, ns)| (p.to_owned(), serde_json::Value::String(ns.to_owned())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Serialises a graph, sorted so that output is stable.
pub fn serialize_graph(graph: &Graph, format: RdfFormat) -> std::io::Result<Vec<u8>> {
    let mut triples: Vec<TripleRef<'_>> = graph.iter().collect();
    triples.sort_by_cached_key(|t| {
        (
            t.subject.to_string(),
            t.predicate.as_str().to_owned(),
            t.object.to_string(),
        )
    });
    serialize_triples(triples, format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonld_fragments_put_together_give_back_every_records_triples() {
        let a = "<http://x/d/1> <http://purl.org/dc/terms/title> \"Dân số tỉnh Tây Ninh\"@vi .\n\
                 <http://x/d/1> <http://purl.org/dc/terms/publisher> <http://x/agencies/so-ct> .\n\
                 <http://x/agencies/so-ct> <http://xmlns.com/foaf/0.1/name> \"Sở Công Thương\"@vi .\n\
                 <http://x/d/1> <http://www.w3.org/ns/dcat#byteSize> \"12\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .\n";
        let b = "<http://x/d/2> <http://purl.org/dc/terms/title> \"Giá \\\"cả\\\"\\nthị trường\" .\n\
                 <http://x/d/2> <http://purl.org/dc/terms/publisher> <http://x/agencies/so-ct> .\n\
                 <http://x/agencies/so-ct> <http://xmlns.com/foaf/0.1/name> \"Sở Công Thương\"@vi .\n";
        let doc = format!(
            "{{\"@context\":{},\"@graph\":[{},{}]}}",
            jsonld_context(),
            jsonld_fragment(a).unwrap(),
            jsonld_fragment(b).unwrap()
        );
        let set = |format: RdfFormat, body: &str| -> std::collections::BTreeSet<String> {
            RdfParser::from_format(format)
                .for_slice(body.as_bytes())
                .map(|q| q.unwrap().to_string())
                .collect()
        };
        let got = set(
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
            &doc,
        );
        let want = set(RdfFormat::NTriples, &format!("{a}{b}"));
        assert_eq!(want.len(), 6);
        assert_eq!(got, want);
        assert_eq!(jsonld_fragment("").unwrap(), "");
        let f = jsonld_fragment(a).unwrap();
        assert!(
            f.contains("\"dct:title\"") && f.contains("\"xsd:nonNegativeInteger\""),
            "compact IRIs: {f}"
        );
    }

    #[test]
    fn negotiation_respects_q_and_wildcards() {
        let offered = ["text/turtle", "application/ld+json"];
        assert_eq!(
            negotiate(Some("application/ld+json"), &offered),
            Some("application/ld+json")
        );
        assert_eq!(
            negotiate(Some("text/*;q=0.5, application/ld+json;q=0.9"), &offered),
            Some("application/ld+json")
        );
        assert_eq!(negotiate(Some("image/png"), &offered), None);
        assert_eq!(negotiate(Some("text/plain"), &offered), None);
        assert_eq!(
            negotiate(
                Some("text/plain"),
                &["text/turtle", "application/n-triples"]
            ),
            Some("application/n-triples"),
            "text/plain is N-Triples"
        );
        assert_eq!(negotiate(None, &offered), Some("text/turtle"));
        assert_eq!(negotiate(Some("*/*"), &offered), Some("text/turtle"));
    }

    #[test]
    fn turtle_errors_name_line_and_column() {
        let body = "@prefix dct: <http://purl.org/dc/terms/> .\n<http://a> dct:title \"x\" ;\n   dct:nope: .\n";
        let e = parse_triples(body.as_bytes(), RdfFormat::Turtle, "http://x").unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(3), "{}", e.message);
        assert!(e.message.contains("line 3"));
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let e = parse_triples(
            b"{\n \"title\": }",
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            "http://x",
        )
        .unwrap_err();
        assert!(e.json);
        assert_eq!(e.position.map(|p| p.0), Some(2));
    }

    #[test]
    fn remote_contexts_are_refused_not_fetched() {
        let body =
            br#"{"@context": "http://example.org/ctx.jsonld", "@id": "http://a", "title": "x"}"#;
        let e = parse_triples(
            body,
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            "http://x",
        )
        .unwrap_err();
        assert!(e.message.contains("never fetched"), "{}", e.message);
    }
}
