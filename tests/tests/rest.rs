//! REST API end to end, on SQLite and on PostgreSQL: create, read, replace with If-Match,
//! withdraw, history, listing, and the problem+json answers to bad input.

use danhmuc_e2e::{BACKENDS, Backend, Server};
use serde_json::{Value, json};

const DATASET_JSON: &str = r#"{
  "type": "Dataset",
  "title": {"vi": "Danh sách trường học", "en": "Schools"},
  "description": {"vi": "Trường học trên địa bàn tỉnh Tây Ninh"},
  "keyword": {"vi": ["giáo dục", "trường học"]},
  "accrualPeriodicity": "ANNUAL",
  "distribution": [{"type": "Distribution", "accessURL": "https://data.example.vn/truong.csv", "format": "CSV"}]
}"#;

fn problem(r: reqwest::blocking::Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status().as_u16(), status);
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        ct.starts_with("application/problem+json"),
        "content-type {ct}"
    );
    let v: Value = r.json().expect("problem json");
    assert_eq!(v["code"], code, "{v}");
    assert_eq!(v["status"], status);
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(
        v["type"]
            .as_str()
            .is_some_and(|t| t.ends_with(&format!("/errors/{code}"))),
        "{v}"
    );
    v
}

/// Every problem's `type` resolves: the registry serves a page per code, Vietnamese first and
/// English on request, and an index of them all.
#[test]
fn problem_types_resolve_to_the_registrys_own_pages() {
    let s = Server::start(Backend::Sqlite, &[]);
    let v = problem(s.get("/api/v1/datasets/nope", None), 404, "not_found");
    let ty = v["type"].as_str().expect("type");
    assert_eq!(ty, format!("{}/errors/not_found", s.base));
    let page = s.client().get(ty).send().expect("type page");
    assert_eq!(page.status().as_u16(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/html")
    );
    let html = page.text().expect("html");
    assert!(
        html.contains("lang=\"vi\"") && html.contains("Không tìm thấy"),
        "{html}"
    );
    assert!(html.contains("404"));
    let en = s
        .get("/errors/not_found?lang=en", None)
        .text()
        .expect("english");
    assert!(
        en.contains("lang=\"en\"") && en.contains("Nothing with that id"),
        "{en}"
    );
    let index = s.get("/errors", None).text().expect("index");
    for code in [
        "invalid_rdf",
        "limit_exceeded",
        "overloaded",
        "headers_too_large",
    ] {
        assert!(index.contains(&format!("/errors/{code}")), "{code} listed");
    }
    problem(s.get("/errors/no_such_code", None), 404, "not_found");
}

fn lifecycle(backend: Backend) {
    let s = Server::start(backend, &["--body-limit", "20000"]);
    s.agency("so-gddt", "Sở Giáo dục và Đào tạo");
    s.agency("so-yt", "Sở Y tế");
    let editor = s.token("editor", "so-gddt");
    let other = s.token("editor", "so-yt");

    // create
    let r = s.post(
        "/api/v1/datasets",
        "application/json",
        DATASET_JSON,
        Some(&editor),
    );
    assert_eq!(r.status().as_u16(), 201);
    let location = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let created: Value = r.json().expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/api/v1/datasets/{id}"));
    assert_eq!(created["iri"], format!("{}/datasets/{id}", s.base));
    assert_eq!(created["registry"]["status"], "published");
    assert_eq!(
        created["registry"]["accessRightsDefaulted"], true,
        "no dct:accessRights given: the default applies and is said"
    );
    assert!(
        created["registry"]["notes"][0]
            .as_str()
            .expect("note")
            .contains("PUBLIC")
    );

    // read as JSON and as Turtle
    let r = s.get(&location, None);
    assert_eq!(r.status().as_u16(), 200);
    let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
    let doc: Value = r.json().expect("json");
    assert_eq!(doc["title"]["vi"], "Danh sách trường học");
    assert_eq!(doc["accessRights"], "PUBLIC");
    assert_eq!(doc["publisher"], format!("{}/agencies/so-gddt", s.base));
    assert_eq!(doc["distribution"][0]["format"], "CSV");
    let ttl = s
        .client()
        .get(format!("{}{location}", s.url))
        .header("accept", "text/turtle")
        .send()
        .expect("ttl");
    assert!(
        ttl.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/turtle")
    );
    assert!(ttl.text().expect("body").contains("Danh sách trường học"));

    // PUT needs If-Match; a stale one is refused; another agency's editor is refused
    let put = |etag: Option<&str>, token: &str, body: &str| {
        let mut r = s
            .client()
            .put(format!("{}{location}", s.url))
            .header("content-type", "application/json")
            .bearer_auth(token)
            .body(body.to_owned());
        if let Some(e) = etag {
            r = r.header("if-match", e);
        }
        r.send().expect("PUT")
    };
    let changed = DATASET_JSON.replace("Schools", "Schools of Tay Ninh");
    problem(put(None, &editor, &changed), 428, "precondition_required");
    problem(
        put(Some("\"v0-stale\""), &editor, &changed),
        412,
        "precondition_failed",
    );
    problem(put(Some(&etag), &other, &changed), 403, "forbidden");
    let r = put(Some(&etag), &editor, &changed);
    assert_eq!(r.status().as_u16(), 200);
    let etag2 = r.headers()["etag"].to_str().expect("etag").to_owned();
    assert_ne!(etag, etag2);
    let v: Value = r.json().expect("json");
    assert_eq!(v["outcome"], "updated");
    assert_eq!(v["registry"]["version"], 2);
    // the same content again (even in NFD form) makes no version
    let nfd = changed.replace(
        "Danh sách trường học",
        "Danh sa\u{301}ch trươ\u{300}ng ho\u{323}c",
    );
    let r = put(Some(&etag2), &editor, &nfd);
    let v: Value = r.json().expect("json");
    assert_eq!(v["outcome"], "unchanged", "{v}");
    assert_eq!(v["registry"]["version"], 2);

    // withdraw: gone from reads, kept in history
    let r = s
        .client()
        .delete(format!("{}{location}", s.url))
        .bearer_auth(&editor)
        .send()
        .expect("DELETE");
    assert_eq!(r.status().as_u16(), 204);
    problem(s.get(&location, None), 410, "record_withdrawn");
    let h: Value = s
        .get(&format!("{location}/history"), Some(&editor))
        .json()
        .expect("history");
    let versions = h["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[2]["status"], "withdrawn");
    assert!(
        versions[1]["added"]
            .as_array()
            .expect("added")
            .iter()
            .any(|t| t.as_str().expect("s").contains("Schools of Tay Ninh"))
    );
    assert!(
        versions[1]["removed"]
            .as_array()
            .expect("removed")
            .iter()
            .any(|t| t.as_str().expect("s").contains("\"Schools\"@en"))
    );
    assert_eq!(versions[0]["source"], "api");
    assert!(
        versions[0]["author"]
            .as_str()
            .expect("author")
            .starts_with("tok_")
    );
    let listed: Value = s.get("/api/v1/datasets", None).json().expect("list");
    assert!(
        listed["items"].as_array().expect("items").is_empty(),
        "withdrawn records leave listings"
    );

    // bad input, each with its own code and nothing changed
    let v = problem(
        s.post(
            "/api/v1/datasets",
            "application/json",
            "{\n  \"title\": {\"vi\": \"x\"},\n  oops\n}",
            Some(&editor),
        ),
        400,
        "invalid_json",
    );
    assert_eq!(v["line"], 3);
    let v = problem(
        s.post("/api/v1/datasets", "text/turtle", "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://a> a dcat:Dataset ;\n  dct:title \"x\" .\n", Some(&editor)),
        400,
        "invalid_rdf",
    );
    assert_eq!(v["line"], 3, "{v}");
    problem(s.post("/api/v1/datasets", "text/turtle", "<http://a> <http://purl.org/dc/terms/title> \"x\" . <http://b> <http://purl.org/dc/terms/title> \"y\" .", Some(&editor)), 422, "invalid_record");
    problem(
        s.post("/api/v1/datasets", "application/pdf", "%PDF", Some(&editor)),
        415,
        "unsupported_media_type",
    );
    problem(
        s.post("/api/v1/datasets", "application/json", DATASET_JSON, None),
        401,
        "unauthorized",
    );
    problem(
        s.post(
            "/api/v1/datasets",
            "application/json",
            DATASET_JSON,
            Some("dm_not-a-token"),
        ),
        401,
        "invalid_token",
    );
    problem(
        s.post(
            "/api/v1/datasets",
            "application/json",
            "x".repeat(30000),
            Some(&editor),
        ),
        413,
        "payload_too_large",
    );
    problem(
        s.get("/api/v1/datasets/does-not-exist", None),
        404,
        "not_found",
    );
    problem(s.get("/api/v1/datasets?limit=0", None), 400, "bad_request");
    problem(
        s.get("/api/v1/datasets?modified_since=yesterday", None),
        400,
        "bad_request",
    );
    problem(
        s.post(
            "/api/v1/agencies",
            "application/json",
            r#"{"code":"x","name":{"vi":"X"}}"#,
            Some(&editor),
        ),
        403,
        "forbidden",
    );
    problem(
        s.post(
            "/api/v1/agencies",
            "application/json",
            r#"{"code":"so-yt","name":{"vi":"X"}}"#,
            Some(&s.admin),
        ),
        409,
        "conflict",
    );
    problem(
        s.post(
            "/api/v1/agencies",
            "application/json",
            r#"{"code": 5}"#,
            Some(&s.admin),
        ),
        400,
        "invalid_json",
    );
    problem(s.get("/no/such/path", None), 404, "not_found");
    problem(
        s.post(
            "/api/v1/datasets",
            "application/json",
            r#"{"title": 5}"#,
            Some(&editor),
        ),
        422,
        "invalid_record",
    );
    problem(
        s.post("/api/v1/datasets", "application/json", "[]", Some(&editor)),
        400,
        "invalid_json",
    );
    let r = s
        .client()
        .patch(format!("{}/api/v1/datasets", s.url))
        .send()
        .expect("PATCH");
    assert_eq!(r.headers()["allow"], "GET, HEAD, POST, OPTIONS");
    problem(r, 405, "method_not_allowed");
    // Allow names every method the path has (it once said only GET here).
    let r = s
        .client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/agencies/so-x", s.url),
        )
        .send()
        .expect("OPTIONS");
    assert_eq!(r.status().as_u16(), 204);
    let allow = r.headers()["allow"].to_str().expect("allow").to_owned();
    for m in ["GET", "HEAD", "PUT", "OPTIONS"] {
        assert!(allow.contains(m), "{allow}");
    }
    // HEAD answers as GET, without the body.
    let get = s.get("/api/v1/datasets?limit=1", None);
    let head = s
        .client()
        .head(format!("{}/api/v1/datasets?limit=1", s.url))
        .send()
        .expect("HEAD");
    assert_eq!(head.status().as_u16(), 200);
    assert_eq!(
        head.headers().get("content-type"),
        get.headers().get("content-type")
    );
    assert!(head.text().expect("empty").is_empty());
    problem(
        s.client()
            .delete(format!("{}/sparql", s.url))
            .send()
            .expect("DELETE"),
        405,
        "method_not_allowed",
    );
    let listed: Value = s
        .get(
            "/api/v1/datasets?status=published,draft,withdrawn",
            Some(&s.admin),
        )
        .json()
        .expect("list");
    assert_eq!(
        listed["items"].as_array().expect("items").len(),
        1,
        "bad requests created nothing"
    );
}

#[test]
fn record_lifecycle_sqlite() {
    lifecycle(Backend::Sqlite);
}

#[test]
fn record_lifecycle_postgres() {
    lifecycle(Backend::Postgres);
}

#[test]
fn listing_pages_with_a_cursor_and_filters() {
    for backend in BACKENDS {
        let s = Server::start(backend, &[]);
        s.agency("a", "Cơ quan A");
        s.agency("b", "Cơ quan B");
        for i in 0..7 {
            let agency = if i % 2 == 0 { "a" } else { "b" };
            let body = json!({"type": "Dataset", "title": {"vi": format!("Bộ dữ liệu số {i}")}, "description": {"vi": "Bộ dữ liệu thử"}})
                .to_string();
            let status = if i == 6 {
                "?status=draft&agency=a"
            } else if agency == "a" {
                "?agency=a"
            } else {
                "?agency=b"
            };
            let r = s.post(
                &format!("/api/v1/datasets{status}"),
                "application/json",
                body,
                Some(&s.admin),
            );
            assert_eq!(r.status().as_u16(), 201);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let q = cursor
                .as_ref()
                .map(|c| format!("&cursor={c}"))
                .unwrap_or_default();
            let page: Value = s
                .get(&format!("/api/v1/datasets?limit=2{q}"), None)
                .json()
                .expect("page");
            for it in page["items"].as_array().expect("items") {
                seen.push(it["id"].as_str().expect("id").to_owned());
            }
            match page["next"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(
            seen.len(),
            6,
            "anonymous readers do not see the draft ({backend:?})"
        );
        let mut dedup = seen.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), 6, "no record twice across pages");
        let only_b: Value = s
            .get("/api/v1/datasets?agency=b", None)
            .json()
            .expect("page");
        assert_eq!(only_b["items"].as_array().expect("items").len(), 3);
        let drafts: Value = s
            .get("/api/v1/datasets?status=draft", Some(&s.admin))
            .json()
            .expect("page");
        assert_eq!(drafts["items"].as_array().expect("items").len(), 1);
        let future: Value = s
            .get("/api/v1/datasets?modified_since=2999-01-01", None)
            .json()
            .expect("page");
        assert!(future["items"].as_array().expect("items").is_empty());
        let past: Value = s
            .get("/api/v1/datasets?modified_since=2020-01-01T00:00:00Z", None)
            .json()
            .expect("page");
        assert_eq!(past["items"].as_array().expect("items").len(), 6);
        // A day means the same here as on /catalog: from its start in Vietnam (UTC+7), written
        // YYYY-MM-DD or dd/mm/yyyy.
        let vn = chrono::Utc::now() + chrono::Duration::hours(7);
        for day in [
            vn.format("%Y-%m-%d").to_string(),
            vn.format("%d/%m/%Y").to_string(),
        ] {
            let q = format!("modified_since={}", urlencoding::encode(&day));
            let today: Value = s
                .get(&format!("/api/v1/datasets?{q}"), None)
                .json()
                .expect("page");
            assert_eq!(today["items"].as_array().expect("items").len(), 6, "{day}");
            let catalog = s
                .client()
                .get(format!("{}/catalog.nt?{q}", s.url))
                .send()
                .expect("catalog")
                .text()
                .expect("nt");
            let in_catalog = catalog
                .lines()
                .filter(|l| l.contains("<http://www.w3.org/ns/dcat#dataset>"))
                .count();
            assert_eq!(in_catalog, 6, "/catalog agrees for {day}");
        }
        let tomorrow = (vn + chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        let none: Value = s
            .get(&format!("/api/v1/datasets?modified_since={tomorrow}"), None)
            .json()
            .expect("page");
        assert!(none["items"].as_array().expect("items").is_empty());
    }
}

#[test]
fn rdf_bodies_in_every_syntax_create_the_same_record() {
    let s = Server::start(Backend::Sqlite, &[]);
    s.agency("a", "Cơ quan A");
    let ttl = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n<http://src.example/ds> a dcat:Dataset ; dct:title \"Dữ liệu đất đai\"@vi ; dct:description \"Đất đai\"@vi ; dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://src.example/f.csv> ] .";
    let nt = "<http://src.example/ds> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n<http://src.example/ds> <http://purl.org/dc/terms/title> \"Dữ liệu đất đai\"@vi .\n<http://src.example/ds> <http://purl.org/dc/terms/description> \"Đất đai\"@vi .\n<http://src.example/ds> <http://www.w3.org/ns/dcat#distribution> _:d .\n_:d <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Distribution> .\n_:d <http://www.w3.org/ns/dcat#accessURL> <http://src.example/f.csv> .\n";
    let rdfxml = r#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
      <dcat:Dataset rdf:about="http://src.example/ds"><dct:title xml:lang="vi">Dữ liệu đất đai</dct:title><dct:description xml:lang="vi">Đất đai</dct:description>
      <dcat:distribution><dcat:Distribution><dcat:accessURL rdf:resource="http://src.example/f.csv"/></dcat:Distribution></dcat:distribution></dcat:Dataset></rdf:RDF>"#;
    let jsonld = r#"{"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"}, "@id": "http://src.example/ds", "@type": "dcat:Dataset",
      "dct:title": {"@value": "Dữ liệu đất đai", "@language": "vi"}, "dct:description": {"@value": "Đất đai", "@language": "vi"}, "dcat:distribution": {"@type": "dcat:Distribution", "dcat:accessURL": {"@id": "http://src.example/f.csv"}}}"#;
    let mut hashes = Vec::new();
    for (ct, body) in [
        ("text/turtle", ttl),
        ("application/n-triples", nt),
        ("application/rdf+xml", rdfxml),
        ("application/ld+json", jsonld),
    ] {
        let r = s.post(
            "/api/v1/datasets?agency=a",
            ct,
            body.to_owned(),
            Some(&s.admin),
        );
        assert_eq!(r.status().as_u16(), 201, "{ct}");
        let v: Value = r.json().expect("json");
        let h: Value = s
            .get(
                &format!("/api/v1/datasets/{}/history", v["id"].as_str().expect("id")),
                None,
            )
            .json()
            .expect("history");
        // Same content modulo the record's own IRI: compare the added triples with the IRI blanked out.
        let iri = v["iri"].as_str().expect("iri");
        let mut lines: Vec<String> = h["versions"][0]["added"]
            .as_array()
            .expect("added")
            .iter()
            .map(|l| l.as_str().expect("s").replace(iri, "<SELF>"))
            .collect();
        lines.sort();
        hashes.push(lines);
    }
    assert!(hashes.windows(2).all(|w| w[0] == w[1]), "{hashes:#?}");
}

/// R10 (Hà Nam art. 14): how to cite a record, in four styles, for whoever may read it; every
/// record response names the IRI to cite in `Link: rel="cite-as"`.
#[test]
fn records_say_how_to_cite_them() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (id, iri, _) = s.demo_school_dataset();
        let (id, iri) = (id.as_str(), iri.as_str());
        let r = s.get(&format!("/api/v1/datasets/{id}/citation"), None);
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(
            r.headers()["link"],
            format!("<{iri}>; rel=\"cite-as\"").as_str()
        );
        let c: Value = r.json().expect("json");
        assert_eq!(c["iri"], iri);
        let vi = c["vi"].as_str().expect("vi");
        assert!(
            vi.contains("Danh sách trường học")
                && vi.contains("Sở Giáo dục và Đào tạo")
                && vi.contains("phiên bản 1")
                && vi.contains("truy cập ngày")
                && vi.contains("Danh mục dữ liệu mở tỉnh Tây Ninh")
                && vi.contains(iri),
            "{vi}"
        );
        let apa = c["apa"].as_str().expect("apa");
        assert!(
            apa.contains("Retrieved") && apa.contains("(Version 1)"),
            "{apa}"
        );
        for (style, media, starts) in [
            ("bibtex", "application/x-bibtex", "@misc{"),
            ("ris", "application/x-research-info-systems", "TY  - DATA"),
            ("vi", "text/plain", "Sở Giáo dục và Đào tạo"),
        ] {
            let r = s.get(
                &format!("/api/v1/datasets/{id}/citation?style={style}"),
                None,
            );
            assert_eq!(r.status().as_u16(), 200, "{style}");
            assert!(
                r.headers()["content-type"]
                    .to_str()
                    .expect("ct")
                    .starts_with(media),
                "{style}"
            );
            let text = r.text().expect("text");
            assert!(text.starts_with(starts), "{style}: {text}");
        }
        problem(
            s.get(&format!("/api/v1/datasets/{id}/citation?style=mla"), None),
            400,
            "bad_request",
        );
        problem(
            s.get("/api/v1/datasets/khong-co/citation", None),
            404,
            "not_found",
        );
        // The record itself names what to cite, in every representation.
        for path in [
            format!("/api/v1/datasets/{id}"),
            format!("/datasets/{id}.ttl"),
        ] {
            let r = s.get(&path, None);
            assert_eq!(r.status().as_u16(), 200, "{path}");
            assert_eq!(
                r.headers()["link"],
                format!("<{iri}>; rel=\"cite-as\"").as_str(),
                "{path}"
            );
        }
        // A restricted service's citation is not there for anonymous callers.
        let rid = s.demo_restricted_service();
        let path = format!("/api/v1/dataservices/{rid}/citation");
        let r = s.get(&path, None);
        assert_eq!(r.status().as_u16(), 404);
        let body = r.text().expect("text");
        assert!(!body.contains("thửa đất"), "{body}");
        assert_eq!(s.get(&path, Some(&s.admin)).status().as_u16(), 200);
    }
}
