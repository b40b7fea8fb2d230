//! The DCAT-AP catalogue feed `/catalog` over HTTP against the real binary: Hydra paging by
//! cursor (stable while records change), links from the configured base IRI, content
//! negotiation and suffixes, ETag and conditional GET, `modified_since`, per-agency catalogues,
//! nothing restricted, and the whole output valid against SEMIC's DCAT-AP 3.0.1 shapes with a
//! real SHACL engine. Also the schema.org rendering of a dataset. Both databases.

use danhmuc_e2e::{Backend, Server};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple};
use record::shacl;
use serde_json::Value;

const BASE: &str = "https://dulieu.tayninh.gov.vn";
const P: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
    @prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .\n\
    @prefix lic: <http://publications.europa.eu/resource/authority/licence/> .\n\
    @prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .\n";

fn create(s: &Server, coll: &str, agency: &str, ttl: String) -> String {
    let r = s.post(
        &format!("/api/v1/{coll}?agency={agency}"),
        "text/turtle",
        ttl,
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    r.json::<Value>().expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn dataset(n: usize, title: &str, access: &str) -> String {
    format!(
        "{P}<http://src.example/d{n}> a dcat:Dataset ; dct:title \"{title}\"@vi ;\n\
         dct:description \"Mô tả bộ dữ liệu {n}\"@vi ; dct:accessRights ar:{access} ;\n\
         dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://files.example.vn/{n}.csv> ;\n\
           dct:format ft:CSV ; dct:license lic:CC_BY_4_0 ] ."
    )
}

fn parse(body: &str, format: RdfFormat) -> Vec<Triple> {
    RdfParser::from_format(format)
        .for_slice(body.as_bytes())
        .map(|q| Triple::from(q.expect("valid RDF")))
        .collect()
}

fn object(t: &[Triple], s: &str, p: &str) -> Option<String> {
    t.iter()
        .find(|t| t.subject.to_string() == format!("<{s}>") && t.predicate.as_str() == p)
        .map(|t| match &t.object {
            Term::NamedNode(n) => n.as_str().to_owned(),
            Term::Literal(l) => l.value().to_owned(),
            o => o.to_string(),
        })
}

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";

fn members(t: &[Triple], cat: &str) -> Vec<String> {
    t.iter()
        .filter(|t| {
            t.subject.to_string() == format!("<{cat}>")
                && (t.predicate.as_str() == format!("{DCAT}dataset")
                    || t.predicate.as_str() == format!("{DCAT}service"))
        })
        .map(|t| t.object.to_string())
        .collect()
}

fn get(s: &Server, url: &str) -> (u16, String, String) {
    let local = url.replace(BASE, &s.url);
    let r = s.client().get(local).send().expect("GET");
    let st = r.status().as_u16();
    let etag = r
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (st, etag, r.text().expect("text"))
}

fn walk(s: &Server, first: &str, cat: &str) -> (Vec<String>, Vec<Triple>) {
    let mut url = first.to_owned();
    let mut seen = Vec::new();
    let mut all = Vec::new();
    for _ in 0..50 {
        let (st, _, body) = get(s, &url);
        assert_eq!(st, 200, "{body}");
        let t = parse(&body, RdfFormat::Turtle);
        seen.extend(members(&t, cat));
        let view = object(&t, cat, &format!("{HYDRA}view")).expect("view");
        let next = object(&t, &view, &format!("{HYDRA}next"));
        all.extend(t);
        match next {
            Some(n) => url = n,
            None => return (seen, all),
        }
    }
    panic!("paging did not end");
}

fn scenario(backend: Backend) {
    let s = Server::start_at(backend, Some(BASE), &[]);
    s.agency("so-gd", "Sở Giáo dục và Đào tạo");
    s.agency("so-yt", "Sở Y tế");
    let mut public = Vec::new();
    for n in 0..5 {
        let agency = if n % 2 == 0 { "so-gd" } else { "so-yt" };
        public.push(create(
            &s,
            "datasets",
            agency,
            dataset(n, &format!("Trường học {n}"), "PUBLIC"),
        ));
    }
    let service = create(
        &s,
        "dataservices",
        "so-yt",
        format!(
            "{P}<http://src.example/api> a dcat:DataService ; dct:title \"API tra cứu cơ sở y tế\"@vi ;\n\
             dcat:endpointURL <https://api.example.vn/csyt> ; dct:accessRights ar:PUBLIC ."
        ),
    );
    let secret = create(
        &s,
        "datasets",
        "so-yt",
        dataset(90, "Hồ sơ bệnh án mật", "NON_PUBLIC"),
    );
    let restricted = create(
        &s,
        "datasets",
        "so-yt",
        dataset(91, "Dữ liệu ngành hạn chế", "RESTRICTED"),
    );
    let r = s.post(
        "/api/v1/datasets?agency=so-gd&status=draft",
        "text/turtle",
        dataset(92, "Bản nháp chưa công bố", "PUBLIC"),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201);

    // Page 1 of 3 (limit 2): totalItems counts the 6 public records; links use the base IRI.
    let cat = format!("{BASE}/catalog");
    let (st, etag, body) = get(&s, &format!("{}/catalog?limit=2", s.url));
    assert_eq!(st, 200);
    let t = parse(&body, RdfFormat::Turtle);
    assert_eq!(
        object(&t, &cat, &format!("{HYDRA}totalItems")).as_deref(),
        Some("6")
    );
    let view = object(&t, &cat, &format!("{HYDRA}view")).expect("view");
    assert!(view.starts_with(BASE), "{view}");
    for rel in ["first", "next", "last"] {
        let l = object(&t, &view, &format!("{HYDRA}{rel}")).unwrap_or_else(|| panic!("{rel}"));
        assert!(l.starts_with(&cat), "{rel} {l}");
    }
    assert_eq!(object(&t, &view, &format!("{HYDRA}previous")), None);
    assert_eq!(members(&t, &cat).len(), 2);
    assert!(
        !body.contains("127.0.0.1"),
        "links never follow the request's Host"
    );

    // Conditional GET.
    let r = s
        .client()
        .get(format!("{}/catalog?limit=2", s.url))
        .header("if-none-match", &etag)
        .send()
        .expect("GET");
    assert_eq!(r.status().as_u16(), 304);

    // Walking next from page 1 while records change: a new record (its id sorts last) appears,
    // a withdrawn one on a later page disappears; nothing is seen twice.
    let next = object(&t, &view, &format!("{HYDRA}next")).expect("next");
    let later = create(
        &s,
        "datasets",
        "so-gd",
        dataset(7, "Trường học mới", "PUBLIC"),
    );
    let del = s
        .client()
        .delete(format!("{}/api/v1/datasets/{}", s.url, public[4]))
        .bearer_auth(&s.admin)
        .send()
        .expect("DELETE");
    assert_eq!(
        del.status().as_u16(),
        204,
        "{}",
        del.text().unwrap_or_default()
    );
    let (rest, _) = walk(&s, &next, &cat);
    let mut seen = members(&t, &cat);
    seen.extend(rest);
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), seen.len(), "no record twice: {seen:?}");
    let has = |id: &str| seen.iter().any(|m| m.contains(id));
    assert!(has(&later) && has(&service) && has(&public[0]) && has(&public[3]));
    assert!(!has(&public[4]), "withdrawn");
    assert!(!has(&secret) && !has(&restricted), "only PUBLIC records");
    let (_, etag2, _) = get(&s, &format!("{}/catalog?limit=2", s.url));
    assert_ne!(etag, etag2, "the ETag follows changes");

    // The whole catalogue conforms to DCAT-AP 3.0.1 (registry-created records, enriched with
    // what the registry knows), checked with a real SHACL engine.
    let (ids, all) = walk(&s, &format!("{}/catalog?limit=1000", s.url), &cat);
    assert_eq!(ids.len(), 6);
    let body_all = get(&s, &format!("{}/catalog?limit=1000", s.url)).2;
    assert!(
        !body_all.contains("mật") && !body_all.contains("hạn chế") && !body_all.contains("nháp")
    );
    let findings = shacl::shapes()
        .expect("shapes")
        .validate(&all)
        .expect("validate");
    let violations: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == "violation" && f.profile == shacl::PROFILE_DCAT_AP)
        .collect();
    assert!(violations.is_empty(), "{violations:#?}");

    // Previous and last.
    let (_, _, last) = get(&s, &format!("{}/catalog?limit=2&cursor=last", s.url));
    let lt = parse(&last, RdfFormat::Turtle);
    let lview = object(&lt, &cat, &format!("{HYDRA}view")).expect("view");
    assert_eq!(object(&lt, &lview, &format!("{HYDRA}next")), None);
    let prev = object(&lt, &lview, &format!("{HYDRA}previous")).expect("previous");
    let (st, _, pbody) = get(&s, &prev);
    assert_eq!(st, 200);
    assert_eq!(members(&parse(&pbody, RdfFormat::Turtle), &cat).len(), 2);

    // Syntaxes by suffix and by Accept.
    for (suffix, ct, fmt) in [
        ("ttl", "text/turtle", RdfFormat::Turtle),
        ("nt", "application/n-triples", RdfFormat::NTriples),
        ("rdf", "application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let r = s
            .client()
            .get(format!("{}/catalog.{suffix}?limit=3", s.url))
            .send()
            .expect("GET");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with(ct)
        );
        let t = parse(&r.text().expect("text"), fmt);
        assert_eq!(members(&t, &cat).len(), 3, "{suffix}");
    }
    let r = s
        .client()
        .get(format!("{}/catalog?limit=3", s.url))
        .header("accept", "application/ld+json")
        .send()
        .expect("GET");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("application/ld+json")
    );
    let jsonld = r.text().expect("json-ld");
    assert!(jsonld.contains("PartialCollectionView"));
    // The same page as Turtle and as JSON-LD (put together from prepared per-record
    // fragments) carries the same triples.
    let ttl = s
        .client()
        .get(format!("{}/catalog?limit=3", s.url))
        .header("accept", "text/turtle")
        .send()
        .expect("GET")
        .text()
        .expect("ttl");
    let set = |body: &str, fmt: RdfFormat| -> std::collections::BTreeSet<String> {
        parse(body, fmt).iter().map(|t| t.to_string()).collect()
    };
    let from_jsonld = set(
        &jsonld,
        RdfFormat::JsonLd {
            profile: Default::default(),
        },
    );
    assert!(from_jsonld.len() > 30, "{jsonld}");
    assert_eq!(from_jsonld, set(&ttl, RdfFormat::Turtle));
    // The full public export: JSON-LD (fragments concatenated by the database, in chunks)
    // carries the same triples as N-Triples, on either database.
    let (ok, nt, err) = s.cli(&["export", "--format", "nt", "--audience", "public"]);
    assert!(ok, "{err}");
    let (ok, jl, err) = s.cli(&["export", "--format", "jsonld", "--audience", "public"]);
    assert!(ok, "{err}");
    let exported = set(
        &jl,
        RdfFormat::JsonLd {
            profile: Default::default(),
        },
    );
    assert!(exported.len() > from_jsonld.len() / 2, "{jl}");
    assert_eq!(exported, set(&nt, RdfFormat::NTriples));
    for text in [&jl, &nt] {
        assert!(
            !text.contains("Hồ sơ bệnh án mật")
                && !text.contains("Dữ liệu ngành hạn chế")
                && !text.contains(&secret)
                && !text.contains(&restricted),
            "the public export holds no restricted record"
        );
    }
    assert!(jl.contains("dct:title"), "compact IRIs");

    // One agency's catalogue; unknown agencies and bad parameters are named.
    let (st, _, gd) = get(&s, &format!("{}/catalog/so-gd.ttl", s.url));
    assert_eq!(st, 200);
    let gt = parse(&gd, RdfFormat::Turtle);
    let gcat = format!("{BASE}/catalog/so-gd");
    assert_eq!(members(&gt, &gcat).len(), 3, "{gd}");
    assert_eq!(get(&s, &format!("{}/catalog/so-khong-co", s.url)).0, 404);
    assert_eq!(get(&s, &format!("{}/catalog?limit=0", s.url)).0, 400);
    assert_eq!(
        get(&s, &format!("{}/catalog?cursor=drop%20table", s.url)).0,
        400
    );
    let (st, _, since) = get(&s, &format!("{}/catalog?modified_since=2999-01-01", s.url));
    assert_eq!(st, 200);
    assert_eq!(members(&parse(&since, RdfFormat::Turtle), &cat).len(), 0);

    // schema.org, by suffix and by Accept profile; not for restricted datasets.
    let r = s
        .client()
        .get(format!("{}/datasets/{}.schema.jsonld", s.url, public[0]))
        .send()
        .expect("GET");
    assert_eq!(r.status().as_u16(), 200);
    let so: Value = r.json().expect("json");
    assert_eq!(so["@type"], "Dataset");
    assert_eq!(so["name"], "Trường học 0");
    assert_eq!(
        so["license"],
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    );
    assert!(
        so["publisher"]["name"]
            .to_string()
            .contains("Sở Giáo dục và Đào tạo"),
        "{so}"
    );
    assert_eq!(
        so["distribution"][0]["contentUrl"],
        "https://files.example.vn/0.csv"
    );
    assert_eq!(so["isAccessibleForFree"], true);
    let r = s
        .client()
        .get(format!("{}/datasets/{}", s.url, public[1]))
        .header(
            "accept",
            "application/ld+json;profile=\"https://schema.org\"",
        )
        .send()
        .expect("GET");
    let so: Value = r.json().expect("json");
    assert_eq!(so["@context"], "https://schema.org/");
    let r = s
        .client()
        .get(format!("{}/datasets/{secret}.schema.jsonld", s.url))
        .send()
        .expect("GET");
    assert_eq!(r.status().as_u16(), 404);
    let r = s
        .client()
        .get(format!("{}/datasets/{restricted}.schema.jsonld", s.url))
        .bearer_auth(&s.admin)
        .send()
        .expect("GET");
    assert_eq!(
        r.status().as_u16(),
        404,
        "schema.org is for public datasets only"
    );
}

#[test]
fn catalog_feed_sqlite() {
    scenario(Backend::Sqlite);
}

#[test]
fn catalog_feed_postgres() {
    scenario(Backend::Postgres);
}

/// The demo province, as `serve --demo` loads it, is published as a conforming DCAT-AP 3.0.1
/// catalogue.
#[test]
fn demo_catalogue_conforms_to_dcat_ap() {
    let s = Server::start_at(Backend::Sqlite, Some(BASE), &["--demo"]);
    let cat = format!("{BASE}/catalog");
    let (ids, all) = walk(&s, &format!("{}/catalog?limit=20", s.url), &cat);
    assert!(
        ids.len() >= 40,
        "the demo has its datasets and services: {}",
        ids.len()
    );
    let findings = shacl::shapes()
        .expect("shapes")
        .validate(&all)
        .expect("validate");
    let violations: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == "violation" && f.profile == shacl::PROFILE_DCAT_AP)
        .collect();
    assert!(violations.is_empty(), "{violations:#?}");
}
