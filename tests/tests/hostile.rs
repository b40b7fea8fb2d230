//! Hostile input against the real binary: every request here once crashed, exhausted or
//! misled the server (issue 13). Each must get a clear problem+json answer, leave the data as
//! it was, and leave the server answering `/healthz`.

use danhmuc_e2e::origin::{Origin, Reply};
use danhmuc_e2e::{BACKENDS, Backend, Server};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const XML_NS: &str = "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:dct=\"http://purl.org/dc/terms/\" xmlns:dcat=\"http://www.w3.org/ns/dcat#\"";

fn problem(r: reqwest::blocking::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = r.text().unwrap_or_default();
    assert!(
        ct.starts_with("application/problem+json"),
        "status {status}: not problem+json ({ct}): {text}"
    );
    (status, serde_json::from_str(&text).expect("problem JSON"))
}

fn alive(s: &Server) {
    let r = s.get("/healthz", None);
    assert_eq!(r.status().as_u16(), 200, "the server no longer answers");
}

fn sparql_get(s: &Server, q: &str) -> reqwest::blocking::Response {
    s.client()
        .post(format!("{}/sparql", s.url))
        .header("content-type", "application/sparql-query")
        .header("accept", "application/sparql-results+json")
        .body(q.to_owned())
        .send()
        .expect("sparql")
}

/// Turtle with `depth` nested collections.
fn deep_turtle(depth: usize) -> String {
    format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n<http://ex.vn/d> a dcat:Dataset ; dct:title \"Sâu\"@vi ;\n  dct:description \"x\"@vi ; dct:relation {}1{} .\n",
        "( ".repeat(depth),
        " )".repeat(depth)
    )
}

/// A 9-level "billion laughs" in RDF/XML (about 1 KB).
fn entity_bomb() -> String {
    let mut doctype = String::from("<!DOCTYPE rdf:RDF [\n<!ENTITY l0 \"cuoi cuoi \">\n");
    for n in 1..=9 {
        doctype.push_str(&format!(
            "<!ENTITY l{n} \"{}\">\n",
            format!("&l{};", n - 1).repeat(10)
        ));
    }
    doctype.push_str("]>\n");
    format!(
        "<?xml version=\"1.0\"?>\n{doctype}<rdf:RDF {XML_NS}><dcat:Dataset rdf:about=\"http://ex.vn/bomb\"><dct:title xml:lang=\"vi\">&l9;</dct:title></dcat:Dataset></rdf:RDF>"
    )
}

fn deep_xml(depth: usize) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<rdf:RDF {XML_NS}><dcat:Dataset rdf:about=\"http://ex.vn/deep\">{}{}</dcat:Dataset></rdf:RDF>",
        "<dct:relation><rdf:Description>".repeat(depth / 2),
        "</rdf:Description></dct:relation>".repeat(depth / 2)
    )
}

fn dataset_count(s: &Server) -> usize {
    let r = s.get("/api/v1/datasets?limit=1000", Some(&s.admin));
    assert_eq!(r.status().as_u16(), 200);
    r.json::<Value>().expect("json")["items"]
        .as_array()
        .expect("items")
        .len()
}

fn post_record(s: &Server, ct: &str, body: String) -> (u16, Value) {
    problem(s.post("/api/v1/datasets?agency=so-tt", ct, body, Some(&s.admin)))
}

fn bodies_and_queries(backend: Backend) {
    let s = Server::start(backend, &[]);
    s.agency("so-tt", "Sở Thông tin và Truyền thông");
    let ok = s.post(
        "/api/v1/datasets?agency=so-tt",
        "text/turtle",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n<http://ex.vn/a> a dcat:Dataset ; dct:title \"Dữ liệu thật\"@vi ; dct:description \"Mô tả\"@vi .",
        Some(&s.admin),
    );
    assert_eq!(
        ok.status().as_u16(),
        201,
        "{}",
        ok.text().unwrap_or_default()
    );
    let before = dataset_count(&s);
    let titles = s.dataset_titles();

    // --- SPARQL: nesting that used to overflow the stack, anonymously ---
    let nested = [
        (
            "5,000 parentheses in a FILTER",
            format!(
                "SELECT * WHERE {{ ?s ?p ?o FILTER({}?o{}) }}",
                "(".repeat(5_000),
                ")".repeat(5_000)
            ),
        ),
        (
            "5,000 nested groups",
            format!(
                "SELECT * WHERE {}?s ?p ?o{}",
                "{ ".repeat(5_000),
                " }".repeat(5_000)
            ),
        ),
        (
            "3,000 nested sub-selects",
            format!(
                "SELECT * WHERE {}?s ?p ?o{}",
                "{SELECT * {".repeat(3_000),
                "}}".repeat(3_000)
            ),
        ),
        (
            "20,000 nested path parentheses",
            format!(
                "SELECT * WHERE {{ ?s {}<http://purl.org/dc/terms/title>{} ?o }}",
                "(".repeat(20_000),
                ")".repeat(20_000)
            ),
        ),
    ];
    for (what, q) in &nested {
        let (status, p) = problem(sparql_get(&s, q));
        assert_eq!(status, 422, "{what}: {p}");
        assert_eq!(p["code"], "limit_exceeded", "{what}: {p}");
        assert!(
            p["detail"].as_str().unwrap_or("").contains("64 levels"),
            "{what}: {p}"
        );
        assert!(p["line"].as_u64().is_some(), "{what}: position given: {p}");
        alive(&s);
    }
    // Long chains are deep syntax trees without brackets (8,000 `+` once overflowed even a
    // 256 MiB stack): over the operator limit they are refused, just under it answered.
    let chains = |n: usize| {
        [
            format!("SELECT ((1{}) AS ?n) WHERE {{}}", "+1".repeat(n)),
            format!(
                "SELECT * WHERE {{ {{ ?s ?p ?o }}{} }} LIMIT 5",
                " UNION { ?s ?p ?o }".repeat(n / 2)
            ),
            format!(
                "PREFIX dct: <http://purl.org/dc/terms/> SELECT * WHERE {{ ?s dct:title{} ?o }}",
                "/dct:title".repeat(n)
            ),
            format!(
                "SELECT * WHERE {{ ?s ?p ?o{} }} LIMIT 5",
                " OPTIONAL { ?x <http://ex.vn/none> ?o }".repeat(n / 2)
            ),
        ]
    };
    for q in chains(20_000) {
        let (status, p) = problem(sparql_get(&s, &q));
        assert!(status == 422 || status == 413, "{status} {p}");
        alive(&s);
    }
    for q in chains(1_990) {
        let r = sparql_get(&s, &q);
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().unwrap_or_default());
        alive(&s);
    }
    // A query over the size limit.
    let (status, p) = problem(sparql_get(
        &s,
        &format!("SELECT * WHERE {{ ?s ?p ?o }} # {}", "x".repeat(70_000)),
    ));
    assert_eq!(
        (status, p["code"].as_str()),
        (413, Some("payload_too_large")),
        "{p}"
    );

    // --- RDF bodies ---
    let (status, p) = post_record(&s, "text/turtle", deep_turtle(10_000));
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("limit_exceeded")),
        "{p}"
    );
    assert_eq!(p["line"], 3, "{p}");
    alive(&s);
    let (status, p) = post_record(&s, "application/rdf+xml", entity_bomb());
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("limit_exceeded")),
        "{p}"
    );
    assert!(p["detail"].as_str().unwrap_or("").contains("entity"), "{p}");
    alive(&s);
    let (status, p) = post_record(&s, "application/rdf+xml", deep_xml(100_000));
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("limit_exceeded")),
        "{p}"
    );
    alive(&s);
    let unclosed = format!(
        "<?xml version=\"1.0\"?>\n<rdf:RDF {XML_NS}>\n  <dcat:Dataset rdf:about=\"http://ex.vn/u\">\n    <dct:title>Chưa đóng</dct:title>\n"
    );
    let (status, p) = post_record(&s, "application/rdf+xml", unclosed);
    assert_eq!(
        (status, p["code"].as_str()),
        (400, Some("invalid_rdf")),
        "{p}"
    );
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(3), Some(3)),
        "{p}"
    );
    let deep_json = format!(
        "{{\"@context\": {{\"dct\": \"http://purl.org/dc/terms/\"}}, \"@id\": \"http://ex.vn/j\", \"dct:relation\": {}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (status, p) = post_record(&s, "application/ld+json", deep_json);
    assert!(status == 400 || status == 422, "{status} {p}");
    alive(&s);

    // --- parameters ---
    let (status, p) = problem(s.get("/api/v1/datasets?cursor=garbage", None));
    assert_eq!(
        (status, p["code"].as_str()),
        (400, Some("bad_request")),
        "{p}"
    );
    assert!(p["detail"].as_str().unwrap_or("").contains("cursor"), "{p}");
    let r = s.post(
        "/api/3/action/package_search",
        "application/json",
        "{\"q\": \"dữ liệu\", ",
        None,
    );
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().expect("CKAN error envelope");
    assert_eq!(v["success"], false, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("JSON"),
        "{v}"
    );
    let (status, p) = problem(s.post(
        "/api/v1/harvest/sources",
        "application/json",
        json!({"name": "x", "kind": "dcat", "url": "http:///x", "agency": "so-tt"}).to_string(),
        Some(&s.admin),
    ));
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("invalid_source")),
        "{p}"
    );
    assert!(
        p["detail"].as_str().unwrap_or("").contains("no host"),
        "{p}"
    );

    // Nothing changed.
    assert_eq!(dataset_count(&s), before);
    assert_eq!(s.dataset_titles(), titles);
    alive(&s);
}

#[test]
fn hostile_bodies_and_queries_sqlite() {
    bodies_and_queries(Backend::Sqlite);
}

#[test]
fn hostile_bodies_and_queries_postgres() {
    bodies_and_queries(Backend::Postgres);
}

/// A scheduled source serving a hostile file once crashed the server on every run.
#[test]
fn hostile_harvested_documents_fail_the_run_not_the_server() {
    let origin = Origin::start(|target| match target {
        "/deep.ttl" => Reply::ok("text/turtle", deep_turtle(10_000)),
        "/bomb.rdf" => Reply::ok("application/rdf+xml", entity_bomb()),
        "/deep.rdf" => Reply::ok("application/rdf+xml", deep_xml(100_000)),
        _ => Reply::status(404),
    });
    let s = Server::start(
        Backend::Sqlite,
        &["--allow-private-harvest", "--harvest-retries", "0"],
    );
    s.agency("so-tt", "Sở Thông tin và Truyền thông");
    for (path, needle) in [
        ("/deep.ttl", "64 levels"),
        ("/bomb.rdf", "entit"),
        ("/deep.rdf", "64 levels"),
    ] {
        let id = s.source("dcat", &format!("{}{path}", origin.url), "so-tt", json!({}));
        let j = s.harvest(&id);
        assert_eq!(j["status"], "failed", "{path}: {j}");
        assert!(
            j["message"].as_str().unwrap_or("").contains(needle),
            "{path}: {j}"
        );
        alive(&s);
    }
    assert_eq!(dataset_count(&s), 0);
}

/// Runaway queries: the timeout answers 503 and frees the slot; anonymous callers cannot take
/// every slot; a full gate answers 503 with Retry-After; results have a size limit.
#[test]
fn query_slots_timeouts_and_result_limits() {
    let s = Server::start(
        Backend::Sqlite,
        &[
            "--demo",
            "--query-timeout",
            "1",
            "--query-slots",
            "2",
            "--anonymous-query-slots",
            "1",
            "--query-queue-wait",
            "0.3",
            "--max-result-bytes",
            "20000",
        ],
    );
    let runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let url = s.url.clone();
    let first = std::thread::spawn(move || {
        reqwest::blocking::Client::new()
            .post(format!("{url}/sparql"))
            .header("content-type", "application/sparql-query")
            .body(runaway)
            .send()
            .expect("runaway")
    });
    // While the runaway holds the one anonymous slot, another anonymous query is turned away
    // with Retry-After, and an authenticated one still runs.
    let mut turned_away = None;
    let deadline = Instant::now() + Duration::from_secs(20);
    while turned_away.is_none() && Instant::now() < deadline {
        let r = sparql_get(&s, "ASK { ?s ?p ?o }");
        if r.status().as_u16() == 503 {
            let retry = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let (_, p) = problem(r);
            turned_away = Some((retry, p));
            let r = s
                .client()
                .post(format!("{}/sparql", s.url))
                .bearer_auth(&s.admin)
                .header("content-type", "application/sparql-query")
                .header("accept", "application/sparql-results+json")
                .body("ASK { ?s ?p ?o }")
                .send()
                .expect("admin query");
            assert_eq!(
                r.status().as_u16(),
                200,
                "authenticated callers have their own share"
            );
        }
    }
    let (retry, p) =
        turned_away.expect("an anonymous query was turned away while the slot was held");
    assert_eq!(p["code"], "overloaded", "{p}");
    assert!(retry.is_some_and(|v| v.parse::<u64>().is_ok_and(|n| n >= 1)));
    let r = first.join().expect("runaway thread");
    let (status, p) = problem(r);
    assert_eq!(
        (status, p["code"].as_str()),
        (503, Some("query_timeout")),
        "{p}"
    );
    // The cancelled evaluation frees its slot: anonymous queries run again.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = sparql_get(&s, "ASK { ?s ?p ?o }");
        if r.status().as_u16() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the slot was never freed");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Results over the size limit are refused, not truncated silently.
    let (status, p) = problem(sparql_get(&s, "SELECT * WHERE { ?s ?p ?o }"));
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("limit_exceeded")),
        "{p}"
    );
    assert!(
        p["detail"].as_str().unwrap_or("").contains("20000 bytes"),
        "{p}"
    );
    alive(&s);
}

/// The current-state table is covered by `audit verify`: widening a record's visibility by
/// hand in the database is named.
fn state_edits_are_named(backend: Backend) {
    let s = Server::start(backend, &[]);
    s.agency("so-tt", "Sở Thông tin và Truyền thông");
    let r = s.post(
        "/api/v1/datasets?agency=so-tt",
        "text/turtle",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n<http://ex.vn/mat> a dcat:Dataset ; dct:title \"Hồ sơ mật\"@vi ; dct:description \"Không công khai\"@vi ;\n dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> .",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    let (ok, out, err) = s.cli(&["audit", "verify"]);
    assert!(ok, "a clean log verifies: {out} {err}");
    let changed = s.sql("UPDATE records SET visibility = 'PUBLIC' WHERE visibility = 'NON_PUBLIC'");
    assert_eq!(changed, 1);
    let (ok, out, err) = s.cli(&["audit", "verify"]);
    assert!(!ok, "the edit must be found: {out}");
    let said = format!("{out}{err}");
    assert!(said.contains("visibility"), "{said}");
    assert!(said.contains("NON_PUBLIC"), "{said}");
}

#[test]
fn current_state_edits_are_named_by_verify() {
    for b in BACKENDS {
        state_edits_are_named(b);
    }
}

/// Sends raw bytes and returns (status, headers and body text) of the answer.
fn raw(s: &Server, request: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = s.url.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    // The server may answer and close before it has read everything; that is its right.
    let _ = conn.write_all(request);
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// The HTTP layer's own answers (a head too large, an unparsable header) are problem+json
/// like every other answer, not empty bodies.
#[test]
fn the_http_layers_own_errors_are_problem_json() {
    let s = Server::start(Backend::Sqlite, &[]);
    let mut long = b"GET /api/v1/datasets?q=".to_vec();
    long.extend(std::iter::repeat_n(b'a', 200_000));
    long.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\n\r\n");
    let bad_header = b"GET / HTTP/1.1\r\nHost: x\r\nContent-Type: a\x01b\r\n\r\n".to_vec();
    for (request, status, code) in [
        (long, 431, "headers_too_large"),
        (bad_header, 400, "bad_request"),
    ] {
        let (got, text) = raw(&s, &request);
        assert_eq!(got, status, "{text}");
        let lower = text.to_ascii_lowercase();
        assert!(
            lower.contains("content-type: application/problem+json"),
            "{text}"
        );
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
        let p: Value = serde_json::from_str(body).expect("a problem+json body");
        assert_eq!(p["code"], code);
        assert_eq!(p["status"], status);
        assert!(!p["detail"].as_str().unwrap_or("").is_empty());
    }
    alive(&s);
}
