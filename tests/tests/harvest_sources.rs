//! The other source kinds, each against a loopback stand-in: a CKAN portal answering with the
//! recorded envidat.ch responses and ckanext-dcat's package dicts, the data.gov.be LDES sample
//! (and a small stream with a deletion), and spreadsheets from the project's own template,
//! uploaded over REST and run from the CLI.

use danhmuc_e2e::origin::{Origin, Reply};
use danhmuc_e2e::{Backend, Server, fixtures};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const PRIVATE: &[&str] = &["--allow-private-harvest", "--harvest-timeout", "10"];

fn n(j: &Value, k: &str) -> i64 {
    j[k].as_i64().unwrap_or(-1)
}

/// Packages a CKAN portal would hold: EnviDat's recorded ones and ckanext-dcat's examples.
fn packages(fx: &std::path::Path) -> Vec<Value> {
    let read = |p: &str| -> Value {
        serde_json::from_slice(&std::fs::read(fx.join(p)).expect("fixture")).expect("json")
    };
    let mut out: Vec<Value> = read("ckan-api-envidat/tests/fixtures/package_search.json")["result"]
        ["results"]
        .as_array()
        .expect("results")
        .clone();
    out.push(read("ckan-api-envidat/tests/fixtures/package_show.json")["result"].clone());
    for f in [
        "ckan_dataset.json",
        "ckan_full_dataset_dcat_ap.json",
        "ckan_dataset_multilingual.json",
        "full_ckan_dataset_legacy.json",
    ] {
        out.push(read(&format!("ckanext-dcat/examples/ckan/{f}")));
    }
    out
}

/// Answers `package_search` like CKAN 2.10: `rows`/`start` paging, `fq=organization:…`.
fn ckan_standin(pkgs: Vec<Value>) -> Origin {
    Origin::start(move |target| {
        let url = reqwest::Url::parse(&format!("http://x{target}")).expect("url");
        if url.path() != "/api/3/action/package_search" {
            return Reply::ok(
                "application/json",
                json!({"success": false, "error": {"message": "Not found", "__type": "Not Found Error"}}).to_string(),
            );
        }
        let q = |k: &str| {
            url.query_pairs()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.into_owned())
        };
        let rows: usize = q("rows").and_then(|r| r.parse().ok()).unwrap_or(10);
        let start: usize = q("start").and_then(|r| r.parse().ok()).unwrap_or(0);
        let org = q("fq").and_then(|f| {
            f.split("organization:(")
                .nth(1)
                .map(|r| r.trim_end_matches(')').to_owned())
        });
        let matching: Vec<&Value> = pkgs
            .iter()
            .filter(|p| match &org {
                Some(o) => p["organization"]["name"].as_str() == Some(o.as_str()),
                None => true,
            })
            .collect();
        let page: Vec<&Value> = matching.iter().skip(start).take(rows).copied().collect();
        Reply::ok(
            "application/json",
            json!({"help": "http://x/api/3/action/help_show?name=package_search", "success": true,
                   "result": {"count": matching.len(), "results": page, "facets": {}, "search_facets": {}, "sort": "metadata_created asc"}})
            .to_string(),
        )
    })
}

fn ckan_scenario(backend: Backend) {
    let Some(fx) = fixtures() else { return };
    let s = Server::start(backend, PRIVATE);
    s.agency("so-khcn", "Sở Khoa học và Công nghệ");
    let pkgs = packages(&fx);
    let total = pkgs.len() as i64;
    let origin = ckan_standin(pkgs);
    let src = s.source("ckan", &origin.url, "so-khcn", json!({"page_size": 2}));
    let j = s.harvest(&src);
    assert_eq!(j["status"], "succeeded", "{j}");
    assert_eq!(n(&j, "created") + n(&j, "failed"), total, "{j}");
    assert!(n(&j, "created") >= total - 1, "{j}");
    assert_eq!(
        j["progress"]["pages"].as_i64(),
        Some((total + 1) / 2),
        "{j}"
    );
    // the EnviDat package became a DCAT-AP dataset with its publisher and distribution
    let v = s.sparql(
        "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
         SELECT ?name ?fmt WHERE { GRAPH ?g { ?d dct:title \"The importance of hot summers and individual heatwaves for permafrost in the Swiss Alps\" ;
           dct:publisher ?p ; dcat:distribution ?x . ?p foaf:name ?name . ?x dct:format ?fmt } }",
        None,
    );
    let b = &v["results"]["bindings"][0];
    assert_eq!(b["name"]["value"], "CRYOS", "{v}");
    assert!(
        b["fmt"]["value"]
            .as_str()
            .unwrap_or("")
            .ends_with("file-type/ZIP"),
        "{v}"
    );
    // the original package is kept
    let v = s.sparql("SELECT ?g WHERE { GRAPH ?g { ?d <http://purl.org/dc/terms/title> \"The importance of hot summers and individual heatwaves for permafrost in the Swiss Alps\" } }", None);
    let g = v["results"]["bindings"][0]["g"]["value"]
        .as_str()
        .expect("g")
        .to_owned();
    // the record kept the package's IRI; its registry id is in the listing
    let list: Value = s
        .get("/api/v1/datasets?limit=1000", None)
        .json()
        .expect("list");
    let id = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["iri"] == g.as_str())
        .and_then(|i| i["id"].as_str())
        .expect("the record named by the graph")
        .to_owned();
    assert!(!g.starts_with(&s.url), "the source IRI is kept: {g}");
    let r = s.get(&format!("/api/v1/datasets/{id}/source"), None);
    assert_eq!(r.status().as_u16(), 200);
    let pkg: Value = r.json().expect("package json");
    assert_eq!(pkg["organization"]["name"], "cryos");
    // unchanged re-harvest
    let j = s.harvest(&src);
    assert_eq!(
        (n(&j, "created"), n(&j, "updated"), n(&j, "withdrawn")),
        (0, 0, 0),
        "{j}"
    );
    // an organisation filter
    let only = s.source(
        "ckan",
        &format!("{}/api/3/action", origin.url),
        "so-khcn",
        json!({"organizations": ["cryos"]}),
    );
    let j = s.harvest(&only);
    assert_eq!(n(&j, "created"), 1, "{j}");
    // a portal that ignores paging (always the recorded first page, count 858): stops
    let recorded = std::fs::read(fx.join("ckan-api-envidat/tests/fixtures/package_search.json"))
        .expect("fixture");
    let stuck = Origin::start(move |_| Reply::ok("application/json", recorded.clone()));
    let st = s.source("ckan", &stuck.url, "so-khcn", json!({}));
    let j = s.harvest(&st);
    assert_eq!(j["status"], "succeeded", "{j}");
    assert_eq!(
        (
            j["complete"].as_bool(),
            n(&j, "withdrawn"),
            j["progress"]["pages"].as_i64()
        ),
        (Some(false), 0, Some(2)),
        "{j}"
    );
    assert!(j["warnings"].to_string().contains("ignores paging"), "{j}");
    // a portal that answers garbage fails cleanly
    let bad = Origin::start(|_| Reply::ok("application/json", "{\"success\": tru"));
    let b = s.source("ckan", &bad.url, "so-khcn", json!({}));
    let j = s.harvest(&b);
    assert_eq!(j["status"], "failed");
    assert!(
        j["message"]
            .as_str()
            .unwrap_or("")
            .contains("not a CKAN Action API response"),
        "{j}"
    );
}

#[test]
fn ckan_standin_sqlite() {
    ckan_scenario(Backend::Sqlite);
}

#[test]
fn ckan_standin_postgres() {
    ckan_scenario(Backend::Postgres);
}

#[test]
fn ldes_sample_is_read_incrementally() {
    let Some(fx) = fixtures() else { return };
    let s = Server::start(Backend::Sqlite, PRIVATE);
    s.agency("bosa", "BOSA");
    let origin = Origin::files(fx.join("datagovbe-ldes-sample/docs"));
    let src = s.source(
        "dcat",
        &format!("{}/index.trig", origin.url),
        "bosa",
        json!({}),
    );
    let j = s.harvest(&src);
    assert_eq!(j["status"], "succeeded", "{j}");
    // 300 members: the catalogue and 299 datasets; the sample stops before page _3
    assert_eq!(n(&j, "created") + n(&j, "failed"), 300, "{j}");
    assert!(n(&j, "created") >= 295, "{j}");
    assert_eq!(j["complete"], false, "a missing page is reported: {j}");
    assert!(j["warnings"].to_string().contains("404"), "{j}");
    // the next run starts where this one stopped: nothing re-read
    let j = s.harvest(&src);
    assert_eq!(
        (n(&j, "created"), n(&j, "updated"), n(&j, "unchanged")),
        (0, 0, 0),
        "{j}"
    );

    // a stream with a deletion: the record is withdrawn and leaves the public graph
    let events = Arc::new(Mutex::new(vec![(
        "Create",
        "2025-03-01T10:00:00Z",
        "Dữ liệu chất lượng không khí",
    )]));
    let ev = events.clone();
    let me: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let m = me.clone();
    let stream = Origin::start(move |_| {
        let base = m.get().cloned().unwrap_or_default();
        let mut trig = format!(
            "<{base}/feed> a <https://w3id.org/ldes#EventStream> ; <https://w3id.org/tree#view> <{base}/feed> .\n"
        );
        for (i, (kind, at, title)) in ev.lock().expect("lock").iter().enumerate() {
            trig.push_str(&format!(
                "<{base}/feed> <https://w3id.org/tree#member> <{base}/feed#e{i}> .
                 <{base}/feed#e{i}> a <https://www.w3.org/ns/activitystreams#{kind}> ; <https://www.w3.org/ns/activitystreams#object> <http://air.example/ds/1> ;
                   <https://www.w3.org/ns/activitystreams#published> \"{at}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
                 <{base}/feed#e{i}> {{ <http://air.example/ds/1> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{title}\"@vi . }}\n"
            ));
        }
        Reply::ok("application/trig", trig)
    });
    let _ = me.set(stream.url.clone());
    let src = s.source("dcat", &format!("{}/feed", stream.url), "bosa", json!({}));
    let j = s.harvest(&src);
    assert_eq!(n(&j, "created"), 1, "{j}");
    events.lock().expect("lock").push((
        "Update",
        "2025-03-02T10:00:00Z",
        "Dữ liệu chất lượng không khí (cập nhật)",
    ));
    let j = s.harvest(&src);
    assert_eq!((n(&j, "created"), n(&j, "updated")), (0, 1), "{j}");
    events
        .lock()
        .expect("lock")
        .push(("Delete", "2025-03-03T10:00:00Z", ""));
    let j = s.harvest(&src);
    assert_eq!(n(&j, "withdrawn"), 1, "{j}");
    let v = s.sparql(
        "ASK { GRAPH ?g { ?d <http://purl.org/dc/terms/identifier> \"http://air.example/ds/1\" } }",
        None,
    );
    assert_eq!(v["boolean"], false, "{v}");
}

#[test]
fn sheets_from_the_template_by_upload_and_cli() {
    let s = Server::start(Backend::Sqlite, PRIVATE);
    s.agency("so-nnmt", "Sở Nông nghiệp và Môi trường");
    // the template, from the CLI
    let dir = tempfile::tempdir().expect("dir");
    let tpl = dir.path().join("mau.csv");
    let (ok, _, err) =
        danhmuc_e2e::cli(&["harvest", "template", "--output", tpl.to_str().expect("p")]);
    assert!(ok, "{err}");
    let mut csv = String::from_utf8(std::fs::read(&tpl).expect("template")).expect("utf8");
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("Tên tiếng Việt") && csv.contains("Mục tiêu")
    );
    let header_cols = csv.lines().next().expect("header").split(',').count();
    let row = |cells: &[(usize, &str)]| -> String {
        let mut v = vec![String::new(); header_cols];
        for (i, c) in cells {
            v[*i] = c.to_string();
        }
        v.join(",")
    };
    csv.push('\n');
    csv.push_str(&row(&[
        (0, "NNMT-01"),
        (1, "Cơ sở dữ liệu"),
        (2, "Cơ sở dữ liệu đất đai"),
        (8, "Hằng quý"),
        (10, "05/03/2026"),
        (14, "https://dat.example/api"),
        (16, "JSON"),
        (23, "Quản lý đất đai thống nhất"),
        (24, "Toàn tỉnh"),
    ]));
    csv.push('\n');
    csv.push_str(&row(&[
        (0, "NNMT-02"),
        (2, "Quan trắc môi trường"),
        (8, "hằng tháng"),
        (14, "https://qt.example/data.csv"),
        (16, "CSV"),
        (17, "cc-by"),
    ]));
    csv.push('\n');
    csv.push_str(&row(&[(0, "NNMT-03"), (8, "hằng tháng")])); // no title: fails alone
    csv.push('\n');
    let src = s.source("sheet", "", "so-nnmt", json!({}));
    // a sheet source without URL needs the file
    let r = s.post(
        &format!("/api/v1/harvest/sources/{src}/run"),
        "text/csv",
        "",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 400);
    let r = s.post(
        &format!("/api/v1/harvest/sources/{src}/run"),
        "text/csv",
        csv.clone(),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 202);
    let job: Value = r.json().expect("job");
    let j = s.wait_job(job["id"].as_str().expect("id"));
    assert_eq!((n(&j, "created"), n(&j, "failed")), (2, 1), "{j}");
    assert_eq!(j["failures"][0]["identifier"], "NNMT-03");
    assert!(
        j["failures"][0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("Tên tiếng Việt"),
        "{j}"
    );
    let v = s.sparql(
        "ASK { GRAPH ?g { ?d a <https://w3id.org/dcat-vn#DatabaseEntry> ; <https://w3id.org/dcat-vn#objective> \"Quản lý đất đai thống nhất\"@vi ;
           <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/QUARTERLY> ;
           <http://purl.org/dc/terms/modified> \"2026-03-05\"^^<http://www.w3.org/2001/XMLSchema#date> } }",
        None,
    );
    assert_eq!(v["boolean"], true, "{v}");
    // the same file from the CLI, with a row removed: unchanged and one withdrawal (1 of 2 is
    // over the 20% guard, so allow it for this source)
    let file = dir.path().join("dulieu.csv");
    let kept: Vec<&str> = csv.lines().filter(|l| !l.starts_with("NNMT-02")).collect();
    std::fs::write(&file, kept.join("\n")).expect("write");
    let r = s
        .client()
        .put(format!("{}/api/v1/harvest/sources/{src}", s.url))
        .bearer_auth(&s.admin)
        .json(&json!({"name": "bảng tính", "kind": "sheet", "url": "", "agency": "so-nnmt", "config": {"max_withdraw_share": 0.5}}))
        .send()
        .expect("put");
    assert_eq!(r.status().as_u16(), 200);
    let (ok, out, err) = s.cli(&[
        "harvest",
        "run",
        &src,
        "--file",
        file.to_str().expect("p"),
        "--quiet",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("unchanged 1") && out.contains("withdrawn 1"),
        "{out}"
    );
}
