//! schema.org `Dataset` JSON-LD for search engines (Google Dataset Search reads it from a
//! page's `<script type="application/ld+json">`): built from a public dataset's DCAT
//! description — names and descriptions with their languages, keywords, licence, publisher,
//! dates, coverage, and each distribution as a `DataDownload`.

use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use vocab::ns::{dcat, dct, foaf};

/// The schema.org media type profile that selects this rendering by `Accept`.
pub const PROFILE: &str = "https://schema.org";

fn key(s: &NamedOrBlankNode) -> String {
    match s {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn term_key(t: &Term) -> Option<String> {
    match t {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::BlankNode(b) => Some(format!("_:{}", b.as_str())),
        _ => None,
    }
}

/// Literal values of a property: one string, or language-tagged values as schema.org's
/// `{"@value", "@language"}` list when there are several.
fn text(values: &[&Term]) -> Option<Value> {
    let lits: Vec<Value> = values
        .iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some(match l.language() {
                Some(lang) => json!({"@value": l.value(), "@language": lang}),
                None => json!(l.value()),
            }),
            _ => None,
        })
        .collect();
    match lits.len() {
        0 => None,
        1 => Some(match &lits[0] {
            Value::Object(o) => o.get("@value").cloned().unwrap_or(Value::Null),
            v => v.clone(),
        }),
        _ => Some(Value::Array(lits)),
    }
}

fn first_value(values: &[&Term]) -> Option<String> {
    values.iter().find_map(|t| match t {
        Term::Literal(l) => Some(l.value().to_owned()),
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    })
}

/// The schema.org `Dataset` for the dataset `iri` described by `triples` (its record plus the
/// registry's enrichment, e.g. the publisher's name). `catalog` names the catalogue it is in.
pub fn dataset(iri: &str, triples: &[Triple], catalog: (&str, &str)) -> Value {
    let mut by: HashMap<String, Vec<(&str, &Term)>> = HashMap::new();
    for t in triples {
        by.entry(key(&t.subject))
            .or_default()
            .push((t.predicate.as_str(), &t.object));
    }
    let get = |s: &str, p: &str| -> Vec<&Term> {
        by.get(s)
            .map(|v| {
                v.iter()
                    .filter(|(pp, _)| *pp == p)
                    .map(|(_, o)| *o)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org/"));
    o.insert("@type".into(), json!("Dataset"));
    o.insert("@id".into(), json!(iri));
    o.insert(
        "url".into(),
        json!(
            first_value(&get(iri, dcat::LANDING_PAGE.as_str())).unwrap_or_else(|| iri.to_owned())
        ),
    );
    if let Some(v) = text(&get(iri, dct::TITLE.as_str())) {
        o.insert("name".into(), v);
    }
    if let Some(v) = text(&get(iri, dct::DESCRIPTION.as_str())) {
        o.insert("description".into(), v);
    }
    let kw: Vec<Value> = get(iri, dcat::KEYWORD.as_str())
        .iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some(json!(l.value())),
            _ => None,
        })
        .collect();
    if !kw.is_empty() {
        o.insert("keywords".into(), Value::Array(kw));
    }
    if let Some(v) = first_value(&get(iri, dct::IDENTIFIER.as_str())) {
        o.insert("identifier".into(), json!(v));
    }
    for (p, name) in [
        (dct::ISSUED, "datePublished"),
        (dct::MODIFIED, "dateModified"),
    ] {
        if let Some(v) = first_value(&get(iri, p.as_str())) {
            o.insert(name.into(), json!(v));
        }
    }
    let licence = get(iri, dct::LICENSE.as_str())
        .first()
        .and_then(|t| term_key(t))
        .or_else(|| {
            get(iri, dcat::DISTRIBUTION_PROP.as_str())
                .iter()
                .filter_map(|d| term_key(d))
                .find_map(|d| {
                    get(&d, dct::LICENSE.as_str())
                        .first()
                        .and_then(|t| term_key(t))
                })
        });
    if let Some(l) = licence.filter(|l| !l.starts_with("_:")) {
        o.insert("license".into(), json!(l));
    }
    if let Some(p) = get(iri, dct::PUBLISHER.as_str())
        .first()
        .and_then(|t| term_key(t))
    {
        let mut org = Map::new();
        org.insert("@type".into(), json!("Organization"));
        if !p.starts_with("_:") {
            org.insert("@id".into(), json!(p));
        }
        if let Some(n) = text(&get(&p, foaf::NAME.as_str())) {
            org.insert("name".into(), n);
        }
        let org = Value::Object(org);
        o.insert("publisher".into(), org.clone());
        o.insert("creator".into(), org);
    }
    let langs: Vec<Value> = get(iri, dct::LANGUAGE.as_str())
        .iter()
        .filter_map(|t| term_key(t))
        .map(|l| {
            let code = l.rsplit('/').next().unwrap_or(&l).to_ascii_lowercase();
            json!(match code.as_str() {
                "vie" => "vi".to_owned(),
                "eng" => "en".to_owned(),
                c => c.to_owned(),
            })
        })
        .collect();
    if !langs.is_empty() {
        o.insert("inLanguage".into(), Value::Array(langs));
    }
    for s in get(iri, dct::SPATIAL.as_str()) {
        if let Some(k) = term_key(s).filter(|k| !k.starts_with("_:")) {
            o.insert(
                "spatialCoverage".into(),
                json!({"@type": "Place", "@id": k}),
            );
        }
    }
    if let Some(period) = get(iri, dct::TEMPORAL.as_str())
        .first()
        .and_then(|t| term_key(t))
    {
        let start = first_value(&get(&period, dcat::START_DATE.as_str()));
        let end = first_value(&get(&period, dcat::END_DATE.as_str()));
        if start.is_some() || end.is_some() {
            o.insert(
                "temporalCoverage".into(),
                json!(format!(
                    "{}/{}",
                    start.unwrap_or_else(|| "..".into()),
                    end.unwrap_or_else(|| "..".into())
                )),
            );
        }
    }
    let downloads: Vec<Value> = get(iri, dcat::DISTRIBUTION_PROP.as_str())
        .iter()
        .filter_map(|d| term_key(d))
        .filter_map(|d| {
            let url = first_value(&get(&d, dcat::DOWNLOAD_URL.as_str()))
                .or_else(|| first_value(&get(&d, dcat::ACCESS_URL.as_str())))?;
            let mut dd = Map::new();
            dd.insert("@type".into(), json!("DataDownload"));
            dd.insert("contentUrl".into(), json!(url));
            let format = first_value(&get(&d, dcat::MEDIA_TYPE.as_str()))
                .map(|m| {
                    m.strip_prefix("http://www.iana.org/assignments/media-types/")
                        .map(str::to_owned)
                        .unwrap_or(m)
                })
                .or_else(|| {
                    first_value(&get(&d, dct::FORMAT.as_str()))
                        .map(|f| f.rsplit('/').next().unwrap_or(&f).to_owned())
                });
            if let Some(f) = format {
                dd.insert("encodingFormat".into(), json!(f));
            }
            if let Some(n) = text(&get(&d, dct::TITLE.as_str())) {
                dd.insert("name".into(), n);
            }
            Some(Value::Object(dd))
        })
        .collect();
    if !downloads.is_empty() {
        o.insert("distribution".into(), Value::Array(downloads));
    }
    let public = get(iri, dct::ACCESS_RIGHTS.as_str())
        .iter()
        .any(|t| term_key(t).is_some_and(|k| k.ends_with("/PUBLIC")));
    o.insert("isAccessibleForFree".into(), json!(public));
    o.insert(
        "includedInDataCatalog".into(),
        json!({"@type": "DataCatalog", "name": catalog.1, "url": catalog.0}),
    );
    Value::Object(o)
}
