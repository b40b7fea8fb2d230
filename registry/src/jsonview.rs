//! The REST JSON: a record graph written as compact JSON-LD whose keys are the terms of
//! `vocab/context.jsonld` (so the same JSON is valid JSON-LD), and read back by oxigraph's
//! JSON-LD parser with that context. Properties the context does not name keep their full IRI
//! as key, so nothing is lost.

use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use vocab::context::{Context, TermKind};
use vocab::ns::{dct, rdf, xsd};

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// Writes `triples` as the REST JSON object for the resource `main`. Dates of `dct:issued` and
/// `dct:modified` are plain strings there (the REST reader re-types them); everything else is
/// as [`to_jsonld`] writes it.
pub fn to_json(ctx: &Context, triples: &[Triple], main: &str, context_url: &str) -> Value {
    write(ctx, triples, main, context_url, false)
}

/// Writes `triples` as JSON-LD that any JSON-LD 1.1 processor reads back to the same graph,
/// datatypes included (`application/ld+json`).
pub fn to_jsonld(ctx: &Context, triples: &[Triple], main: &str, context_url: &str) -> Value {
    write(ctx, triples, main, context_url, true)
}

fn write(
    ctx: &Context,
    triples: &[Triple],
    main: &str,
    context_url: &str,
    lossless: bool,
) -> Value {
    let mut by_subject: HashMap<String, Vec<&Triple>> = HashMap::new();
    let mut refcount: HashMap<String, usize> = HashMap::new();
    for t in triples {
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            by_subject.entry(s.as_str().to_owned()).or_default().push(t);
        }
        if let Term::NamedNode(o) = &t.object {
            *refcount.entry(o.as_str().to_owned()).or_default() += 1;
        }
    }
    let mut seen = HashSet::new();
    seen.insert(main.to_owned());
    let mut obj = node(ctx, main, &by_subject, &refcount, &mut seen, lossless);
    let mut out = Map::new();
    out.insert("@context".into(), Value::String(context_url.to_owned()));
    out.append(&mut obj);
    // Nodes not reachable from the main resource still belong to the record: keep them.
    let rest: Vec<String> = {
        let mut v: Vec<String> = by_subject
            .keys()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        v.sort();
        v
    };
    if !rest.is_empty() {
        let mut others = Vec::new();
        for s in rest {
            if seen.contains(&s) {
                continue;
            }
            seen.insert(s.clone());
            others.push(Value::Object(node(
                ctx,
                &s,
                &by_subject,
                &refcount,
                &mut seen,
                lossless,
            )));
        }
        out.insert("@included".into(), Value::Array(others));
    }
    Value::Object(out)
}

fn node(
    ctx: &Context,
    subject: &str,
    by_subject: &HashMap<String, Vec<&Triple>>,
    refcount: &HashMap<String, usize>,
    seen: &mut HashSet<String>,
    lossless: bool,
) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("id".into(), Value::String(subject.to_owned()));
    let Some(ts) = by_subject.get(subject) else {
        return out;
    };
    let mut groups: BTreeMap<&str, Vec<&Term>> = BTreeMap::new();
    for t in ts {
        groups
            .entry(t.predicate.as_str())
            .or_default()
            .push(&t.object);
    }
    for (p, mut objects) in groups {
        objects.sort_by_key(|o| o.to_string());
        if p == rdf::TYPE.as_str() {
            let types: Vec<Value> = objects
                .iter()
                .map(|o| match o {
                    Term::NamedNode(n) => {
                        Value::String(ctx.shorten(n.as_str()).unwrap_or(n.as_str()).to_owned())
                    }
                    other => Value::String(other.to_string()),
                })
                .collect();
            out.insert("type".into(), one_or_many(types, false));
            continue;
        }
        let term = ctx.term_for_iri(p);
        if let Some(term) = term.filter(|t| {
            objects
                .iter()
                .all(|o| fits(ctx, t.kind, t.datatype.as_deref(), p, o))
        }) {
            let value = match term.kind {
                TermKind::LanguageMap => {
                    let mut map: BTreeMap<String, Vec<Value>> = BTreeMap::new();
                    for o in &objects {
                        if let Term::Literal(l) = o {
                            map.entry(l.language().unwrap_or("@none").to_owned())
                                .or_default()
                                .push(Value::String(l.value().to_owned()));
                        }
                    }
                    Value::Object(
                        map.into_iter()
                            .map(|(k, v)| (k, one_or_many(v, false)))
                            .collect(),
                    )
                }
                TermKind::Id | TermKind::Vocab => {
                    let vals = objects
                        .iter()
                        .map(|o| {
                            let Term::NamedNode(n) = o else {
                                return Value::Null;
                            };
                            let iri = n.as_str();
                            let embeddable = by_subject.contains_key(iri)
                                && refcount.get(iri) == Some(&1)
                                && !seen.contains(iri);
                            if embeddable {
                                seen.insert(iri.to_owned());
                                Value::Object(node(ctx, iri, by_subject, refcount, seen, lossless))
                            } else if term.kind == TermKind::Vocab {
                                Value::String(ctx.shorten(iri).unwrap_or(iri).to_owned())
                            } else {
                                Value::String(iri.to_owned())
                            }
                        })
                        .collect();
                    one_or_many(vals, term.set)
                }
                TermKind::Typed => {
                    let vals = objects
                        .iter()
                        .map(|o| match o {
                            Term::Literal(l) if l.datatype() == xsd::BOOLEAN => {
                                Value::Bool(l.value() == "true" || l.value() == "1")
                            }
                            Term::Literal(l) => Value::String(l.value().to_owned()),
                            _ => Value::Null,
                        })
                        .collect();
                    one_or_many(vals, term.set)
                }
                TermKind::Plain => {
                    let vals = objects
                        .iter()
                        .map(|o| match o {
                            // A language-tagged value under an untyped term stays a value object.
                            Term::Literal(l) if l.language().is_some() => expanded(o),
                            // So is a typed one where any JSON-LD reader must see its type.
                            Term::Literal(l) if lossless && l.datatype().as_str() != XSD_STRING => {
                                expanded(o)
                            }
                            Term::Literal(l) => Value::String(l.value().to_owned()),
                            _ => Value::Null,
                        })
                        .collect();
                    one_or_many(vals, term.set)
                }
            };
            out.insert(term.name.clone(), value);
        } else {
            let vals = objects.iter().map(|o| expanded(o)).collect();
            out.insert(p.to_owned(), one_or_many(vals, true));
        }
    }
    out
}

/// Whether a value can be written with a term without changing its meaning on re-reading.
fn fits(ctx: &Context, kind: TermKind, datatype: Option<&str>, predicate: &str, o: &Term) -> bool {
    match (kind, o) {
        (TermKind::LanguageMap, Term::Literal(l)) => {
            l.language().is_some()
                || l.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string"
        }
        (TermKind::Id, Term::NamedNode(_)) => true,
        (TermKind::Vocab, Term::NamedNode(n)) => {
            ctx.shorten(n.as_str()).is_some() || n.as_str().contains(':')
        }
        (TermKind::Typed, Term::Literal(l)) => Some(l.datatype().as_str()) == datatype,
        (TermKind::Plain, Term::Literal(l)) => {
            l.language().is_some()
                || (l.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string"
                    // dates of dct:issued/modified keep the short term: a plain string in the
                    // REST JSON (its reader re-types them), a typed value object in JSON-LD
                    || ((predicate == dct::ISSUED.as_str() || predicate == dct::MODIFIED.as_str())
                        && (l.datatype() == xsd::DATE || l.datatype() == xsd::DATE_TIME)))
        }
        _ => false,
    }
}

fn expanded(o: &Term) -> Value {
    match o {
        Term::NamedNode(n) => json!({"@id": n.as_str()}),
        Term::BlankNode(b) => json!({"@id": format!("_:{}", b.as_str())}),
        Term::Literal(l) => {
            if let Some(lang) = l.language() {
                json!({"@value": l.value(), "@language": lang})
            } else if l.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string" {
                json!({"@value": l.value()})
            } else {
                json!({"@value": l.value(), "@type": l.datatype().as_str()})
            }
        }
        #[allow(unreachable_patterns)]
        _ => Value::Null,
    }
}

fn one_or_many(mut v: Vec<Value>, always_array: bool) -> Value {
    if v.len() == 1 && !always_array {
        v.remove(0)
    } else {
        Value::Array(v)
    }
}

/// Prepares a REST JSON body for the JSON-LD parser: adds the registry context when the body
/// has none, and drops the `registry` member (server-side metadata, not part of the graph).
pub fn prepare_input(body: &[u8], context_url: &str) -> Result<Vec<u8>, record::rdf::ParseError> {
    let mut v: Value = serde_json::from_slice(body).map_err(|e| record::rdf::ParseError {
        message: format!(
            "JSON syntax error at line {}, column {}: {e}",
            e.line(),
            e.column()
        ),
        position: Some((e.line() as u64, e.column() as u64)),
        json: true,
        limit: false,
    })?;
    let Some(obj) = v.as_object_mut() else {
        return Err(record::rdf::ParseError {
            message: "the JSON body must be an object describing one resource".into(),
            position: None,
            json: true,
            limit: false,
        });
    };
    obj.remove("registry");
    if !obj.contains_key("@context") {
        obj.insert("@context".into(), Value::String(context_url.to_owned()));
    }
    serde_json::to_vec(&v).map_err(|e| record::rdf::ParseError {
        message: e.to_string(),
        position: None,
        json: true,
        limit: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{JsonLdProfileSet, RdfFormat};
    use record::{Kind, NormaliseContext, Visibility, normalise};

    const BODY: &str = r#"{
        "type": "Dataset",
        "title": {"vi": "Danh mục trường học", "en": "List of schools"},
        "description": {"vi": "Trường học trên địa bàn tỉnh"},
        "keyword": {"vi": ["giáo dục", "trường học"]},
        "accessRights": "RESTRICTED",
        "accrualPeriodicity": "QUARTERLY",
        "issued": "2024-05-01",
        "objective": {"vi": "Quản lý mạng lưới trường"},
        "contactPoint": [{"type": "Kind", "fn": {"@value": "Cán bộ đầu mối", "@language": "vi"}, "hasEmail": "mailto:a@b.vn"}],
        "distribution": [{"type": "Distribution", "accessURL": "https://data.example.vn/truong.csv", "format": "CSV"}]
    }"#;

    fn parse_json(body: &str) -> Vec<Triple> {
        let prepared =
            prepare_input(body.as_bytes(), "http://reg/api/v1/context.jsonld").expect("json");
        record::rdf::parse_triples(
            &prepared,
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            "http://reg",
        )
        .expect("json-ld")
    }

    #[test]
    fn json_input_becomes_dcat_and_round_trips() {
        let triples = parse_json(BODY);
        let ctx = NormaliseContext {
            record_iri: "http://reg/datasets/1",
            agency_iri: "http://reg/agencies/a",
            default_access: Visibility::Public,
            lenient_access: false,
        };
        let n = normalise(triples, Kind::Dataset, &ctx).expect("record");
        assert_eq!(n.visibility, Visibility::Restricted);
        assert!(
            n.canonical
                .contains("<http://publications.europa.eu/resource/authority/frequency/QUARTERLY>"),
            "{}",
            n.canonical
        );
        assert!(n.canonical.contains("\"Danh mục trường học\"@vi"));
        assert!(
            n.canonical
                .contains("\"2024-05-01\"^^<http://www.w3.org/2001/XMLSchema#date>")
        );
        assert!(n.canonical.contains("<https://w3id.org/dcat-vn#objective>"));
        let c = Context::builtin();
        let json = to_json(
            &c,
            &n.triples,
            "http://reg/datasets/1",
            "http://reg/api/v1/context.jsonld",
        );
        assert_eq!(json["title"]["en"], "List of schools");
        assert_eq!(json["accessRights"], "RESTRICTED");
        assert_eq!(json["distribution"][0]["format"], "CSV");
        assert_eq!(json["publisher"], "http://reg/agencies/a");
        assert_eq!(json["contactPoint"][0]["fn"]["@language"], "vi");
        // the JSON we write reads back to the same graph
        let again = parse_json(&json.to_string());
        let n2 = normalise(again, Kind::Dataset, &ctx).expect("record");
        assert_eq!(n.canonical, n2.canonical);
    }
}
