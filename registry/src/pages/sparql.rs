//! `/sparql` for a browser: a query form with example queries, the answer as a table, and
//! download links in each syntax (`format=`). The query runs through the endpoint itself
//! (crate::sparql::answer) for the same caller, under the same limits; the page only reads the
//! JSON results or N-Triples it gets back.

use super::Localised;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{self, Lang};
use crate::sparql::{ProtocolRequest, answer};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

/// Rows shown on the page at most; downloads carry the whole answer.
const MAX_ROWS: usize = 500;

/// One cell.
pub struct Cell {
    /// What it shows.
    pub text: String,
    /// A link, for IRIs.
    pub href: Option<String>,
}

/// An answer as a table.
pub struct Table {
    /// "12 rows", "true"…
    pub summary: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Template)]
#[template(path = "sparql.html")]
struct SparqlHtml {
    lang: Lang,
    who: super::Who,
    here: String,
    query: String,
    examples: Vec<(String, String)>,
    error: Option<String>,
    result: Option<Table>,
    downloads: Vec<(&'static str, String)>,
}

localised!(SparqlHtml);

/// (message key, query): what people ask a catalogue first.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "sparql_ex_services",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?service ?title ?endpoint WHERE {\n  ?service a dcat:DataService ;\n           dct:title ?title ;\n           dcat:endpointURL ?endpoint .\n  FILTER(LANG(?title) = \"vi\")\n}\nORDER BY ?title",
    ),
    (
        "sparql_ex_theme",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?dataset ?title WHERE {\n  ?dataset a dcat:Dataset ;\n           dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC> ;\n           dct:title ?title .\n  FILTER(LANG(?title) = \"vi\")\n}\nORDER BY ?title",
    ),
    (
        "sparql_ex_agencies",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT ?agency (SAMPLE(?name) AS ?ten) (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {\n  ?dataset a dcat:Dataset ; dct:publisher ?agency .\n  OPTIONAL { ?agency foaf:name ?name FILTER(LANG(?name) = \"vi\") }\n}\nGROUP BY ?agency\nORDER BY DESC(?datasets)",
    ),
    (
        "sparql_ex_formats",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?format (COUNT(?distribution) AS ?n) WHERE {\n  ?dataset dcat:distribution ?distribution .\n  ?distribution dct:format ?format .\n}\nGROUP BY ?format\nORDER BY DESC(?n)",
    ),
];

fn link(query: &str, extra: Option<&str>) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("query", query);
    if let Some(f) = extra {
        s.append_pair("format", f);
    }
    format!("/sparql?{}", s.finish())
}

fn cell_of(term: &serde_json::Value) -> Cell {
    let value = term["value"].as_str().unwrap_or("").to_owned();
    match term["type"].as_str() {
        Some("uri") => Cell {
            href: value.starts_with("http").then(|| value.clone()),
            text: value,
        },
        Some("bnode") => Cell {
            text: format!("_:{value}"),
            href: None,
        },
        _ => {
            let tag = term["xml:lang"]
                .as_str()
                .map(|l| format!(" @{l}"))
                .unwrap_or_default();
            Cell {
                text: format!("{value}{tag}"),
                href: None,
            }
        }
    }
}

/// The endpoint's answer (JSON results or N-Triples) as a table.
fn table(media: &str, body: &[u8], lang: Lang) -> Result<Table, String> {
    let rows_text = |n: usize| i18n::msg("sparql_rows", lang).replace("{n}", &n.to_string());
    if media.starts_with("application/sparql-results+json") {
        let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if let Some(b) = v["boolean"].as_bool() {
            return Ok(Table {
                summary: format!("ASK: {b}"),
                columns: Vec::new(),
                rows: Vec::new(),
            });
        }
        let columns: Vec<String> = v["head"]["vars"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let bindings = v["results"]["bindings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let rows = bindings
            .iter()
            .take(MAX_ROWS)
            .map(|b| {
                columns
                    .iter()
                    .map(|c| {
                        if b[c].is_null() {
                            Cell {
                                text: String::new(),
                                href: None,
                            }
                        } else {
                            cell_of(&b[c])
                        }
                    })
                    .collect()
            })
            .collect();
        return Ok(Table {
            summary: shown(rows_text(bindings.len()), bindings.len(), lang),
            columns,
            rows,
        });
    }
    let triples = record::rdf::parse_triples(body, oxigraph::io::RdfFormat::NTriples, "http://x/")
        .map_err(|e| e.message)?;
    let term = |t: String, iri: Option<&str>| Cell {
        href: iri.filter(|i| i.starts_with("http")).map(str::to_owned),
        text: t,
    };
    let rows = triples
        .iter()
        .take(MAX_ROWS)
        .map(|t| {
            let s = match &t.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(n) => {
                    term(n.as_str().into(), Some(n.as_str()))
                }
                other => term(other.to_string(), None),
            };
            let o = match &t.object {
                oxigraph::model::Term::NamedNode(n) => term(n.as_str().into(), Some(n.as_str())),
                oxigraph::model::Term::Literal(l) => term(
                    match l.language() {
                        Some(tag) => format!("{} @{tag}", l.value()),
                        None => l.value().to_owned(),
                    },
                    None,
                ),
                other => term(other.to_string(), None),
            };
            vec![
                s,
                term(t.predicate.as_str().into(), Some(t.predicate.as_str())),
                o,
            ]
        })
        .collect();
    Ok(Table {
        summary: shown(
            i18n::msg("sparql_triples", lang).replace("{n}", &triples.len().to_string()),
            triples.len(),
            lang,
        ),
        columns: vec!["subject".into(), "predicate".into(), "object".into()],
        rows,
    })
}

fn shown(summary: String, n: usize, lang: Lang) -> String {
    if n > MAX_ROWS {
        format!(
            "{summary} — {}",
            i18n::msg("sparql_first", lang).replace("{n}", &MAX_ROWS.to_string())
        )
    } else {
        summary
    }
}

/// The SPARQL page (for browsers asking `/sparql` for HTML).
pub async fn page(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let query = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "query")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let mut html = SparqlHtml {
        lang,
        who: super::Who::of(&caller),
        here: super::here(&req),
        query: if query.is_empty() {
            EXAMPLES[0].1.to_owned()
        } else {
            query.clone()
        },
        examples: EXAMPLES
            .iter()
            .map(|(key, q)| (i18n::msg(key, lang).to_owned(), link(q, None)))
            .collect(),
        error: None,
        result: None,
        downloads: Vec::new(),
    };
    let mut status = actix_web::http::StatusCode::OK;
    if !query.trim().is_empty() {
        let accept = "application/sparql-results+json, application/n-triples".to_owned();
        match answer(
            &state,
            &caller,
            ProtocolRequest::query(&query),
            Some(accept),
        )
        .await
        {
            Ok((media, body)) => match table(&media, &body, lang) {
                Ok(t) => {
                    let graph = !media.starts_with("application/sparql-results");
                    let names: &[(&'static str, &'static str)] = if graph {
                        &[
                            ("Turtle", "ttl"),
                            ("N-Triples", "nt"),
                            ("RDF/XML", "rdf"),
                            ("JSON-LD", "jsonld"),
                        ]
                    } else {
                        &[
                            ("JSON", "json"),
                            ("XML", "xml"),
                            ("CSV", "csv"),
                            ("TSV", "tsv"),
                        ]
                    };
                    html.downloads = names
                        .iter()
                        .map(|(label, f)| (*label, link(&query, Some(f))))
                        .collect();
                    html.result = Some(t);
                }
                Err(e) => return Err(ApiError::internal(e)),
            },
            Err(e) => {
                status = actix_web::ResponseError::status_code(&e);
                html.error = Some(format!(
                    "{} — {}",
                    i18n::lookup(&e.code.as_str(), lang).unwrap_or_default(),
                    e.detail
                ));
            }
        }
    }
    let body = html.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    *resp.status_mut() = status;
    Ok(resp)
}
