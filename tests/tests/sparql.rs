//! The SPARQL 1.1 Protocol: the W3C protocol test suite (read from the shared fixtures), result
//! formats, read-only refusal of updates, and the timeout that cancels a runaway query.

use danhmuc_e2e::{Backend, Server, fixtures};
use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use serde_json::Value;

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const HT: &str = "http://www.w3.org/2011/http#";

fn select(store: &Store, q: &str) -> Vec<Vec<Option<Term>>> {
    let Ok(QueryResults::Solutions(sol)) = SparqlEvaluator::new()
        .parse_query(q)
        .expect("query")
        .on_store(store)
        .execute()
    else {
        panic!("select")
    };
    let vars: Vec<_> = sol.variables().to_vec();
    sol.map(|s| {
        let s = s.expect("solution");
        vars.iter().map(|v| s.get(v).cloned()).collect()
    })
    .collect()
}

fn lit(t: &Option<Term>) -> String {
    match t {
        Some(Term::Literal(l)) => l.value().to_owned(),
        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
        _ => String::new(),
    }
}

#[test]
fn w3c_protocol_suite() {
    let Some(fx) = fixtures() else { return };
    let dir = fx.join("w3c-rdf-tests/sparql/sparql11/protocol");
    let manifest = std::fs::read_to_string(dir.join("manifest.ttl")).expect("manifest");
    let store = Store::new().expect("store");
    store
        .load_from_slice(
            oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
                .with_base_iri(
                    "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest",
                )
                .expect("base"),
            manifest.as_bytes(),
        )
        .expect("parse manifest");

    // The data: each data file becomes a dataset record; graph IRIs in requests are mapped to
    // the records' IRIs (the registry names graphs after records).
    let s = Server::start(Backend::Sqlite, &[]);
    s.agency("w3c", "W3C test data");
    let mut mapping: Vec<(String, String)> = Vec::new();
    for n in 1..=3 {
        let nt = std::fs::read_to_string(dir.join(format!("data{n}.nt"))).expect("data");
        let subject = format!("http://kasei.us/2009/09/sparql/data/data{n}.rdf");
        let ttl = format!(
            "{nt}\n<{subject}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"data{n}\" ; <http://purl.org/dc/terms/description> \"W3C test data {n}\" ."
        );
        let r = s.post(
            "/api/v1/datasets?agency=w3c",
            "text/turtle",
            ttl,
            Some(&s.admin),
        );
        assert_eq!(r.status().as_u16(), 201);
        let v: Value = r.json().expect("json");
        mapping.push((subject, v["iri"].as_str().expect("iri").to_owned()));
    }
    let map = |text: &str, encoded: bool| -> String {
        let mut t = text.to_owned();
        for (from, to) in &mapping {
            if encoded {
                t = t.replace(
                    &urlencoding::encode(from).into_owned(),
                    &urlencoding::encode(to),
                );
            } else {
                t = t.replace(from, to);
            }
        }
        t
    };

    let tests = select(
        &store,
        &format!(
            "PREFIX mf: <{MF}> PREFIX ht: <{HT}> PREFIX cnt: <http://www.w3.org/2011/content#>
             SELECT ?test ?name ?method ?path ?body ?ct ?status ?format ?bool WHERE {{
               ?test a mf:ProtocolTest ; mf:name ?name ; mf:action/ht:requests/<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?req .
               ?req ht:methodName ?method ; ht:absolutePath ?path ; ht:resp ?resp .
               OPTIONAL {{ ?req ht:body/cnt:chars ?body }}
               OPTIONAL {{ ?req ht:headers/<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?h . ?h ht:fieldName ?hn ; ht:fieldValue ?ct FILTER(LCASE(?hn) = 'content-type') }}
               OPTIONAL {{ ?resp mf:expectedStatus ?status }}
               OPTIONAL {{ ?resp mf:expectedFormat ?format }}
               OPTIONAL {{ ?resp mf:expectedBoolean ?bool }}
             }} ORDER BY ?test"
        ),
    );
    let mut ran = 0;
    let mut skipped = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in &tests {
        let test = lit(&row[0]);
        if !seen.insert(test.clone()) {
            continue; // one row per test is enough (several expected statuses)
        }
        let name = lit(&row[1]);
        let method = lit(&row[2]);
        let path = map(&lit(&row[3]), true).replacen("/sparql/", "/sparql", 1);
        let body = row[4].as_ref().map(|_| lit(&row[4]));
        let ct = row[5].as_ref().map(|_| lit(&row[5]));
        let statuses: Vec<String> = tests
            .iter()
            .filter(|r| lit(&r[0]) == test)
            .map(|r| lit(&r[6]))
            .collect();
        let is_update = test.contains("#update_");
        if is_update {
            // Not an error case: a valid update. The endpoint is read-only; we check it refuses.
            skipped.push(format!(
                "{name}: read-only endpoint (update refused with 403, checked)"
            ));
        }
        let mut req = s
            .client()
            .request(method.parse().expect("method"), format!("{}{path}", s.url));
        if let Some(ct) = &ct {
            req = req.header("content-type", ct.as_str());
        }
        if let Some(b) = &body {
            let b = if ct.as_deref() == Some("application/x-www-form-urlencoded") {
                map(b, true)
            } else {
                map(b, false)
            };
            if test.contains("non_utf8") {
                req = req.body(
                    b.as_bytes()
                        .iter()
                        .map(|c| if *c == b'A' { 0xff } else { *c })
                        .collect::<Vec<u8>>(),
                );
            } else {
                req = req.body(b);
            }
        }
        let r = req
            .header(
                "accept",
                "application/sparql-results+json, text/turtle;q=0.9",
            )
            .send()
            .expect("request");
        let code = r.status().as_u16();
        if is_update {
            assert!(
                (400..500).contains(&code),
                "{name}: updates must be refused, got {code}"
            );
            continue;
        }
        let class_ok = statuses.iter().any(|st| {
            let st = st.rsplit('#').next().unwrap_or("");
            match st {
                "StatusCode2xx" => (200..300).contains(&code),
                "StatusCode3xx" => (300..400).contains(&code),
                "StatusCode4xx" => (400..500).contains(&code),
                "StatusCode5xx" => (500..600).contains(&code),
                "" => true,
                other => other
                    .trim_start_matches("StatusCode")
                    .parse::<u16>()
                    .map(|c| c == code)
                    .unwrap_or(false),
            }
        });
        let text = r.text().unwrap_or_default();
        assert!(
            class_ok,
            "{name} ({test}): status {code} not in {statuses:?}: {text}"
        );
        if (200..300).contains(&code) {
            match lit(&row[7]).as_str() {
                "boolean" => {
                    let v: Value = serde_json::from_str(&text).expect("boolean JSON");
                    if row[8].is_some() {
                        assert_eq!(
                            v["boolean"].as_bool().map(|b| b.to_string()),
                            Some(lit(&row[8])),
                            "{name}"
                        );
                    }
                }
                "tabular" => {
                    let v: Value = serde_json::from_str(&text).expect("results JSON");
                    assert!(v["results"]["bindings"].is_array(), "{name}");
                }
                "RDF" => assert!(
                    oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
                        .for_slice(text.as_bytes())
                        .all(|t| t.is_ok()),
                    "{name}: not Turtle"
                ),
                _ => {}
            }
        }
        ran += 1;
    }
    assert!(ran >= 20, "ran {ran} protocol tests");
    eprintln!("W3C protocol: {ran} query tests passed; skipped as read-only: {skipped:#?}");
}

#[test]
fn result_formats_and_refusals() {
    let s = Server::start(Backend::Sqlite, &["--query-timeout", "1"]);
    s.agency("a", "Cơ quan A");
    let r = s.post(
        "/api/v1/datasets?agency=a",
        "application/json",
        r#"{"type":"Dataset","title":{"vi":"Bản đồ hành chính"},"description":{"vi":"Bản đồ các đơn vị hành chính"}}"#,
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201);
    let q = urlencoding::encode("SELECT ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t }").into_owned();
    for (accept, marker) in [
        ("application/sparql-results+json", "\"bindings\""),
        ("application/sparql-results+xml", "<sparql"),
        ("text/csv", "t\r\n"),
        ("text/tab-separated-values", "?t\n"),
    ] {
        let r = s
            .client()
            .get(format!("{}/sparql?query={q}", s.url))
            .header("accept", accept)
            .send()
            .expect("get");
        assert_eq!(r.status().as_u16(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with(accept)
        );
        let body = r.text().expect("text");
        assert!(body.contains(marker), "{accept}: {body}");
        assert!(body.contains("Bản đồ hành chính"), "{accept}: {body}");
    }
    let cq = urlencoding::encode(
        "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; ?p ?o }",
    )
    .into_owned();
    for accept in [
        "text/turtle",
        "application/n-triples",
        "application/rdf+xml",
        "application/ld+json",
    ] {
        let body = s.get_accepting(&format!("{}/sparql?query={cq}", s.url), accept);
        let format = RdfFormat::from_media_type(accept).expect("format");
        let n = oxigraph::io::RdfParser::from_format(format)
            .for_slice(&body)
            .collect::<Result<Vec<_>, _>>()
            .expect("valid RDF")
            .len();
        assert!(n >= 3, "{accept}: {n} triples");
    }
    // form POST
    let r = s.post(
        "/sparql",
        "application/x-www-form-urlencoded",
        format!("query={q}"),
        None,
    );
    assert_eq!(r.status().as_u16(), 200);
    // updates are refused, whichever way they come
    for (ct, body) in [
        (
            "application/sparql-update",
            "INSERT DATA { <http://a> <http://b> <http://c> }".to_owned(),
        ),
        (
            "application/x-www-form-urlencoded",
            format!(
                "update={}",
                urlencoding::encode("DELETE WHERE { ?s ?p ?o }")
            ),
        ),
    ] {
        let r = s.post("/sparql", ct, body, Some(&s.admin));
        assert_eq!(r.status().as_u16(), 403);
        let v: Value = r.json().expect("problem");
        assert_eq!(v["code"], "update_forbidden");
    }
    let r = s.get("/sparql?query=SELEKT%20*", None);
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.json::<Value>().expect("problem")["code"], "invalid_query");
    // a query that would run for minutes is cancelled at the timeout, and the server goes on
    let slow = urlencoding::encode(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
    )
    .into_owned();
    let r = s.get(&format!("/sparql?query={slow}"), None);
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.json::<Value>().expect("problem")["code"], "query_timeout");
    let ok = s.get(&format!("/sparql?query={q}"), None);
    assert_eq!(
        ok.status().as_u16(),
        200,
        "the server still answers after a cancelled query"
    );
}

/// `GET /sparql` without a query describes the service (SPARQL 1.1 Service Description) in the
/// RDF syntax asked for: its endpoint, language, result formats and dataset layout.
#[test]
fn the_endpoint_describes_itself() {
    let s = Server::start(Backend::Sqlite, &[]);
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let body = s.get_accepting(&format!("{}/sparql", s.url), accept);
        let store = Store::new().expect("store");
        store
            .load_from_slice(format, &body[..])
            .expect("an RDF description");
        let sd = "http://www.w3.org/ns/sparql-service-description#";
        let rows = select(
            &store,
            &format!(
                "SELECT ?endpoint ?dataset (COUNT(DISTINCT ?f) AS ?formats) {{ \
                 ?s a <{sd}Service> ; <{sd}endpoint> ?endpoint ; \
                 <{sd}supportedLanguage> <{sd}SPARQL11Query> ; <{sd}feature> <{sd}UnionDefaultGraph> ; \
                 <{sd}defaultDataset> ?dataset ; <{sd}resultFormat> ?f }} GROUP BY ?endpoint ?dataset"
            ),
        );
        assert_eq!(rows.len(), 1, "{accept}");
        assert_eq!(
            rows[0][0],
            Some(Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(
                format!("{}/sparql", s.base)
            )))
        );
        assert!(matches!(&rows[0][2], Some(Term::Literal(l)) if l.value() == "10"));
    }
    // A query still runs.
    let ask: Value = s.sparql("ASK {}", None);
    assert_eq!(ask["boolean"], true);
}
