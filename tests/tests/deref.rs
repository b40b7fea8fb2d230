//! Dereferencing record IRIs: content negotiation and suffixes give the same graph in every
//! syntax; Vietnamese text survives every syntax.

use danhmuc_e2e::{Backend, Server};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use serde_json::Value;

fn triples(bytes: &[u8], format: RdfFormat) -> Vec<Triple> {
    let mut v: Vec<Triple> = RdfParser::from_format(format)
        .for_slice(bytes)
        .map(|q| q.expect("valid RDF"))
        .map(|q| Triple::new(q.subject, q.predicate, q.object))
        .collect();
    v.sort_by_key(|t| t.to_string());
    v
}

#[test]
fn record_iris_answer_in_every_syntax() {
    let s = Server::start(Backend::Sqlite, &[]);
    s.agency("so-nnmt", "Sở Nông nghiệp và Môi trường");
    let body = r#"{"type": "Dataset", "title": {"vi": "Quan trắc chất lượng nước mặt", "en": "Surface water quality"},
        "description": {"vi": "Kết quả quan trắc định kỳ"}, "keyword": {"vi": ["môi trường", "nước"]}, "accrualPeriodicity": "MONTHLY",
        "distribution": [{"type": "Distribution", "downloadURL": "https://data.example.vn/nuoc.csv", "format": "CSV"}]}"#;
    let r = s.post(
        "/api/v1/datasets?agency=so-nnmt",
        "application/json",
        body,
        Some(&s.admin),
    );
    let v: Value = r.json().expect("json");
    let iri = v["iri"].as_str().expect("iri").to_owned();
    assert!(iri.starts_with(&s.url), "IRIs are served by the registry");
    let path = iri.trim_start_matches(&s.url).to_owned();
    let mut graphs = Vec::new();
    for (accept, suffix, format) in [
        ("text/turtle", "ttl", RdfFormat::Turtle),
        ("application/n-triples", "nt", RdfFormat::NTriples),
        ("application/rdf+xml", "rdf", RdfFormat::RdfXml),
        (
            "application/ld+json",
            "jsonld",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let by_accept = s.get_accepting(&iri, accept);
        let r = s.get(&format!("{path}.{suffix}"), None);
        assert_eq!(r.status().as_u16(), 200, ".{suffix}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with(accept)
        );
        let by_suffix = r.bytes().expect("bytes");
        let a = if suffix == "jsonld" {
            // JSON-LD references the registry's context: give the parser the published one.
            let ctx = s.get("/api/v1/context.jsonld", None).text().expect("ctx");
            let expand = |b: &[u8]| {
                let mut v: Value = serde_json::from_slice(b).expect("json");
                v["@context"] =
                    serde_json::from_str::<Value>(&ctx).expect("ctx")["@context"].clone();
                serde_json::to_vec(&v).expect("json")
            };
            assert_eq!(
                triples(&expand(&by_accept), format),
                triples(&expand(&by_suffix), format)
            );
            triples(&expand(&by_accept), format)
        } else {
            assert_eq!(
                triples(&by_accept, format),
                triples(&by_suffix, format),
                "{suffix}"
            );
            triples(&by_accept, format)
        };
        assert!(
            a.iter()
                .any(|t| t.to_string().contains("Quan trắc chất lượng nước mặt")),
            "{suffix}"
        );
        graphs.push(a);
    }
    assert!(
        graphs.windows(2).all(|w| w[0] == w[1]),
        "every syntax carries the same graph"
    );
    let r = s
        .client()
        .get(&iri)
        .header("accept", "image/png")
        .send()
        .expect("get");
    assert_eq!(r.status().as_u16(), 406);
    assert_eq!(s.get("/datasets/nope.ttl", None).status().as_u16(), 404);
    // agencies dereference too
    let r = s
        .client()
        .get(format!("{}/agencies/so-nnmt", s.url))
        .header("accept", "text/turtle")
        .send()
        .expect("get");
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.text()
            .expect("ttl")
            .contains("Sở Nông nghiệp và Môi trường")
    );
}
