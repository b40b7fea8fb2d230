//! Harvesting against loopback stand-ins for agencies' systems: real fixture files (W3C DCAT
//! examples in three syntaxes, ckanext-dcat and opendata.swiss records including the broken
//! ones), a generated Hydra-paged endpoint (paging, loop guard, unchanged re-harvest,
//! deletions, the mass-deletion guard, incomplete listings), hostile sources (oversized, slow,
//! redirect loop, private address), a crash during a run, and the payload kept as provenance.

use danhmuc_e2e::origin::{Origin, Reply, content_type};
use danhmuc_e2e::{Backend, Server, fixtures};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PRIVATE: &[&str] = &[
    "--allow-private-harvest",
    "--harvest-timeout",
    "2",
    "--harvest-max-bytes",
    "300000",
    "--harvest-retries",
    "1",
];

fn n(j: &Value, k: &str) -> i64 {
    j[k].as_i64().unwrap_or(-1)
}

/// A paged endpoint: `count` datasets over pages of `per` with a catalogue on each page.
struct Paged {
    ids: Vec<usize>,
    per: usize,
    broken_page: Option<usize>,
    loop_back: bool,
    delay: Duration,
}

fn page(base: &str, st: &Paged, p: usize) -> Reply {
    if st.broken_page == Some(p) {
        return Reply::status(500);
    }
    let pages = st.ids.len().div_ceil(st.per).max(1);
    let mut ttl = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n",
    );
    ttl.push_str(&format!(
        "<{base}/paged/{p}> a hydra:PartialCollectionView ; hydra:totalItems {} .\n",
        st.ids.len()
    ));
    if p + 1 < pages {
        ttl.push_str(&format!(
            "<{base}/paged/{p}> hydra:next <{base}/paged/{}> .\n",
            p + 1
        ));
    } else if st.loop_back {
        ttl.push_str(&format!(
            "<{base}/paged/{p}> hydra:next <{base}/paged/0> .\n"
        ));
    }
    ttl.push_str(&format!(
        "<{base}/catalog> a dcat:Catalog ; dct:title \"Danh mục dữ liệu mở Sở Tài chính\"@vi ; dct:publisher [ a <http://xmlns.com/foaf/0.1/Organization> ; <http://xmlns.com/foaf/0.1/name> \"Sở Tài chính\"@vi ] "
    ));
    for i in st.ids.iter().skip(p * st.per).take(st.per) {
        ttl.push_str(&format!("; dcat:dataset <{base}/ds/{i}> "));
    }
    ttl.push_str(".\n");
    for i in st.ids.iter().skip(p * st.per).take(st.per) {
        ttl.push_str(&format!(
            "<{base}/ds/{i}> a dcat:Dataset ; dct:title \"Ngân sách tỉnh số {i}\"@vi, \"Provincial budget {i}\"@en ; dct:description \"Dữ liệu chi tiêu công của tỉnh Tây Ninh\"@vi ; \
             dcat:contactPoint [ a <http://www.w3.org/2006/vcard/ns#Kind> ; <http://www.w3.org/2006/vcard/ns#fn> \"Phòng Ngân sách\" ] ; \
             dcat:distribution [ a dcat:Distribution ; dcat:accessURL <{base}/files/{i}.csv> ; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .\n"
        ));
    }
    Reply {
        delay: st.delay,
        ..Reply::ok("text/turtle", ttl)
    }
}

fn dcat_scenario(backend: Backend) {
    let Some(fx) = fixtures() else { return };
    let s = Server::start(backend, PRIVATE);
    s.agency("so-tc", "Sở Tài chính");
    let fxr = fx.clone();
    let origin = Origin::start(move |target| {
        let path = target.split('?').next().unwrap_or("");
        if let Some(rest) = path.strip_prefix("/fx/") {
            return match std::fs::read(fxr.join(rest)) {
                Ok(b) => Reply::ok(content_type(rest), b),
                Err(_) => Reply::status(404),
            };
        }
        match path {
            "/huge" => Reply::ok("text/turtle", vec![b'#'; 400_000]),
            "/slow" => Reply {
                delay: Duration::from_secs(5),
                ..Reply::ok("text/turtle", "")
            },
            "/loop-a" => Reply::redirect("/loop-b"),
            "/loop-b" => Reply::redirect("/loop-a"),
            "/garbage" => Reply::ok(
                "text/turtle",
                "<html><body>Bảo trì hệ thống</body></html> @@@",
            ),
            _ => Reply::status(404),
        }
    });
    let base = origin.url.clone();

    // --- the same W3C example in three syntaxes gives the same record (same hash) ---
    let src = s.source(
        "dcat",
        &format!("{base}/fx/w3c-dxwg/dcat/examples/vocab-dcat-3/csiro-dap-examples.ttl"),
        "so-tc",
        json!({}),
    );
    let j = s.harvest(&src);
    assert_eq!(j["status"], "succeeded", "{j}");
    let created = n(&j, "created");
    assert!(created >= 5, "{j}");
    for ext in ["rdf", "jsonld"] {
        let r = s
            .client()
            .put(format!("{}/api/v1/harvest/sources/{src}", s.url))
            .bearer_auth(&s.admin)
            .json(&json!({"name": "csiro", "kind": "dcat", "url": format!("{base}/fx/w3c-dxwg/dcat/examples/vocab-dcat-3/csiro-dap-examples.{ext}"), "agency": "so-tc"}))
            .send()
            .expect("put");
        assert_eq!(r.status().as_u16(), 200);
        let j = s.harvest(&src);
        assert_eq!(j["status"], "succeeded", "{ext}: {j}");
        assert_eq!(
            (n(&j, "created"), n(&j, "updated"), n(&j, "unchanged")),
            (0, 0, created),
            "{ext}: {j}"
        );
    }

    // --- real records from ckanext-dcat and opendata.swiss; broken ones fail cleanly ---
    for (file, ok) in [
        ("ckanext-dcat/examples/dcat/dataset_gob_es.ttl", true),
        ("ckanext-dcat/examples/dcat/dataset_gov_de.rdf", true),
        (
            "ckanext-dcat/examples/dcat/catalog_with_at_graph.jsonld",
            true,
        ),
        (
            "opendata-swiss/ckanext/dcatapchharvest/tests/fixtures/catalog.xml",
            true,
        ),
        (
            "opendata-swiss/ckanext/dcatapchharvest/tests/fixtures/dataset-datetimes-bad.xml",
            true,
        ),
        ("ckanext-dcat/examples/dcat/dataset.ttl", false),
        (
            "ckanext-dcat/examples/croissant/full_croissant_dataset.jsonld",
            false,
        ),
    ] {
        let before = s.sparql(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            Some(&s.admin),
        );
        let id = s.source("dcat", &format!("{base}/fx/{file}"), "so-tc", json!({}));
        let j = s.harvest(&id);
        if ok {
            assert_eq!(j["status"], "succeeded", "{file}: {j}");
            assert!(n(&j, "created") + n(&j, "failed") >= 1, "{file}: {j}");
        } else {
            assert_eq!(j["status"], "failed", "{file}: {j}");
            let m = j["message"].as_str().unwrap_or("");
            assert!(
                m.contains("syntax error") && m.contains("line"),
                "{file}: {m}"
            );
            assert_eq!(n(&j, "created"), 0);
            let after = s.sparql(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                Some(&s.admin),
            );
            assert_eq!(before, after, "a broken source changes nothing");
        }
    }
    // A record's original payload is kept and can be fetched.
    let list: Value = s
        .get("/api/v1/datasets?limit=100", Some(&s.admin))
        .json()
        .expect("list");
    let id = list["items"][0]["id"]
        .as_str()
        .expect("a harvested dataset");
    let r = s.get(&format!("/api/v1/datasets/{id}/source"), Some(&s.admin));
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/n-triples")
    );
    assert!(r.text().expect("body").contains(" ."));

    // --- hostile sources ---
    for (path, needle) in [
        ("/huge", "larger than the limit"),
        ("/slow", "did not answer within"),
        ("/loop-a", "redirect"),
        ("/garbage", "syntax error"),
        ("/missing", "404"),
    ] {
        let id = s.source("dcat", &format!("{base}{path}"), "so-tc", json!({}));
        let j = s.harvest(&id);
        assert_eq!(j["status"], "failed", "{path}: {j}");
        assert!(
            j["message"].as_str().unwrap_or("").contains(needle),
            "{path}: {j}"
        );
    }
}

/// Starts a paged endpoint whose pages link to each other under its own URL.
fn paged_origin(state: Arc<Mutex<Paged>>) -> Origin {
    let me: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let m = me.clone();
    let origin = Origin::start(move |target| {
        let path = target.split('?').next().unwrap_or("");
        match path.strip_prefix("/paged/") {
            Some(p) => page(
                m.get().map(String::as_str).unwrap_or(""),
                &state.lock().expect("lock"),
                p.parse().unwrap_or(0),
            ),
            None => Reply::status(404),
        }
    });
    let _ = me.set(origin.url.clone());
    origin
}

fn paged_scenario(backend: Backend) {
    let s = Server::start(backend, PRIVATE);
    s.agency("so-tc", "Sở Tài chính");
    let state = Arc::new(Mutex::new(Paged {
        ids: (0..20).collect(),
        per: 7,
        broken_page: None,
        loop_back: false,
        delay: Duration::ZERO,
    }));
    let origin = paged_origin(state.clone());
    let src = s.source(
        "dcat",
        &format!("{}/paged/0", origin.url),
        "so-tc",
        json!({}),
    );
    // first run: 20 datasets and the catalogue, over 3 pages
    let j = s.harvest(&src);
    assert_eq!(j["status"], "succeeded", "{j}");
    assert_eq!((n(&j, "created"), n(&j, "failed")), (21, 0), "{j}");
    assert_eq!(j["progress"]["pages"], 3, "{j}");
    assert_eq!(j["progress"]["total"], 20, "{j}");
    assert_eq!(j["complete"], true);
    // unchanged re-harvest: no version, nothing else
    let j = s.harvest(&src);
    assert_eq!(
        (
            n(&j, "created"),
            n(&j, "updated"),
            n(&j, "unchanged"),
            n(&j, "withdrawn")
        ),
        (0, 0, 21, 0),
        "{j}"
    );
    let v = s.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> } }", None);
    assert_eq!(v["results"]["bindings"][0]["n"]["value"], "20");
    // one changed upstream: one update
    // two deleted upstream (10% of 21): withdrawn
    state
        .lock()
        .expect("lock")
        .ids
        .retain(|i| *i != 3 && *i != 17);
    let j = s.harvest(&src);
    assert_eq!(
        (
            n(&j, "withdrawn"),
            n(&j, "unchanged"),
            j["review"].as_bool()
        ),
        (2, 19, Some(false)),
        "{j}"
    );
    let v = s.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> } }", None);
    assert_eq!(
        v["results"]["bindings"][0]["n"]["value"], "18",
        "withdrawn records leave the public graph"
    );
    // a truncated listing (page 2 fails): nothing withdrawn
    state.lock().expect("lock").broken_page = Some(2);
    let j = s.harvest(&src);
    assert_eq!(j["status"], "succeeded", "{j}");
    assert_eq!(
        (j["complete"].as_bool(), n(&j, "withdrawn")),
        (Some(false), 0),
        "{j}"
    );
    assert!(
        j["warnings"][0].as_str().unwrap_or("").contains("500"),
        "{j}"
    );
    // a paging loop: stops, incomplete, nothing withdrawn
    {
        let mut st = state.lock().expect("lock");
        st.broken_page = None;
        st.loop_back = true;
    }
    let j = s.harvest(&src);
    assert_eq!(
        (j["complete"].as_bool(), n(&j, "withdrawn")),
        (Some(false), 0),
        "{j}"
    );
    assert!(j["warnings"].to_string().contains("loop"), "{j}");
    // the mass-deletion guard: 12 of 19 gone is more than 20%: held for review
    {
        let mut st = state.lock().expect("lock");
        st.loop_back = false;
        st.ids.truncate(6);
    }
    let j = s.harvest(&src);
    assert_eq!(
        (
            n(&j, "withdrawn"),
            j["review"].as_bool(),
            n(&j, "held_withdrawals")
        ),
        (0, Some(true), 12),
        "{j}"
    );
    let v = s.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> } }", None);
    assert_eq!(
        v["results"]["bindings"][0]["n"]["value"], "18",
        "nothing withdrawn while held"
    );
    let job_id = j["id"].as_str().expect("id").to_owned();
    let r = s.post(
        &format!("/api/v1/harvest/jobs/{job_id}/withdrawals"),
        "application/json",
        "",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 200);
    let j: Value = r.json().expect("job");
    assert_eq!(
        (n(&j, "withdrawn"), j["review"].as_bool()),
        (12, Some(false)),
        "{j}"
    );
    // history per source; jobs are not public
    let jobs: Value = s
        .get(
            &format!("/api/v1/harvest/sources/{src}/jobs"),
            Some(&s.admin),
        )
        .json()
        .expect("jobs");
    assert_eq!(jobs.as_array().map(Vec::len), Some(6));
    assert_eq!(
        s.get(&format!("/api/v1/harvest/jobs/{job_id}"), None)
            .status()
            .as_u16(),
        401
    );
    // a withdrawn record that comes back is published again
    {
        let mut st = state.lock().expect("lock");
        st.ids.push(3);
        st.per = 4;
    }
    let j = s.harvest(&src);
    assert_eq!((n(&j, "updated"), n(&j, "created")), (1, 0), "{j}");
    // (a harvested record keeps its source IRI: it names the record's graph too)
    let v = s.sparql(
        &format!(
            "ASK {{ GRAPH <{0}/ds/3> {{ <{0}/ds/3> a <http://www.w3.org/ns/dcat#Dataset> }} }}",
            origin.url
        ),
        None,
    );
    assert_eq!(v["boolean"], true, "{v}");
}

#[test]
fn paged_endpoint_sqlite() {
    paged_scenario(Backend::Sqlite);
}

#[test]
fn paged_endpoint_postgres() {
    paged_scenario(Backend::Postgres);
}

#[test]
fn private_addresses_are_refused_without_the_flag() {
    let s = Server::start(Backend::Sqlite, &["--harvest-retries", "0"]);
    s.agency("so-tc", "Sở Tài chính");
    let origin = Origin::start(|_| Reply::ok("text/turtle", ""));
    // an IP literal is refused when the source is registered
    let r = s.post(
        "/api/v1/harvest/sources",
        "application/json",
        json!({"name": "x", "kind": "dcat", "url": format!("{}/x", origin.url), "agency": "so-tc"})
            .to_string(),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 422);
    let p: Value = r.json().expect("problem");
    assert_eq!(p["code"], "invalid_source");
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ] {
        let r = s.post(
            "/api/v1/harvest/sources",
            "application/json",
            json!({"name": "x", "kind": "dcat", "url": url, "agency": "so-tc"}).to_string(),
            Some(&s.admin),
        );
        assert_eq!(r.status().as_u16(), 422, "{url}");
    }
    // a name that resolves to loopback fails its job with a message that says why
    let port = origin.url.rsplit(':').next().expect("port");
    let id = s.source(
        "dcat",
        &format!("http://localhost:{port}/x"),
        "so-tc",
        json!({}),
    );
    let j = s.harvest(&id);
    assert_eq!(j["status"], "failed", "{j}");
    assert!(
        j["message"]
            .as_str()
            .unwrap_or("")
            .contains("non-public address"),
        "{j}"
    );
}

#[test]
fn a_crash_during_a_run_marks_the_job_failed_and_withdraws_nothing() {
    let mut s = Server::start(Backend::Sqlite, PRIVATE);
    s.agency("so-tc", "Sở Tài chính");
    let state = Arc::new(Mutex::new(Paged {
        ids: (0..10).collect(),
        per: 2,
        broken_page: None,
        loop_back: false,
        delay: Duration::ZERO,
    }));
    let origin = paged_origin(state.clone());
    let src = s.source(
        "dcat",
        &format!("{}/paged/0", origin.url),
        "so-tc",
        json!({}),
    );
    let j = s.harvest(&src);
    assert_eq!(n(&j, "created"), 11, "{j}");
    // now every page is slow and most records are gone upstream
    {
        let mut st = state.lock().expect("lock");
        st.ids.truncate(2);
        st.ids.extend(100..110);
        st.delay = Duration::from_millis(700);
    }
    let r = s.post(
        &format!("/api/v1/harvest/sources/{src}/run"),
        "application/json",
        "",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 202);
    let job: Value = r.json().expect("job");
    let id = job["id"].as_str().expect("id").to_owned();
    // kill it mid-run, once it has written something
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let j: Value = s
            .get(&format!("/api/v1/harvest/jobs/{id}"), Some(&s.admin))
            .json()
            .expect("job");
        if j["progress"]["processed"].as_i64().unwrap_or(0) > 0
            || std::time::Instant::now() > deadline
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    s.kill();
    s.restart();
    let j: Value = s
        .get(&format!("/api/v1/harvest/jobs/{id}"), Some(&s.admin))
        .json()
        .expect("job");
    assert_eq!(j["status"], "failed", "{j}");
    assert!(
        j["message"].as_str().unwrap_or("").contains("interrupted"),
        "{j}"
    );
    let v = s.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> } }", None);
    let count: usize = v["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .expect("n")
        .parse()
        .expect("num");
    assert!(
        count >= 10,
        "nothing withdrawn by the interrupted run ({count})"
    );
    // every record written before the crash is whole: it has its title and distribution
    let v = s.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> FILTER NOT EXISTS { ?d <http://purl.org/dc/terms/title> ?t ; <http://www.w3.org/ns/dcat#distribution> ?x } } }", None);
    assert_eq!(v["results"]["bindings"][0]["n"]["value"], "0");
}

#[test]
fn dcat_fixtures_hostile_sources_sqlite() {
    dcat_scenario(Backend::Sqlite);
}

#[test]
fn dcat_fixtures_hostile_sources_postgres() {
    dcat_scenario(Backend::Postgres);
}

#[test]
fn scheduled_sources_run_by_themselves_and_runs_can_be_cancelled() {
    let s = Server::start(
        Backend::Sqlite,
        &["--allow-private-harvest", "--harvest-tick", "0.3"],
    );
    s.agency("so-tc", "Sở Tài chính");
    let state = Arc::new(Mutex::new(Paged {
        ids: (0..6).collect(),
        per: 2,
        broken_page: None,
        loop_back: false,
        delay: Duration::ZERO,
    }));
    let origin = paged_origin(state.clone());
    // an interval schedule: the scheduler starts runs without anyone asking
    let r = s.post(
        "/api/v1/harvest/sources",
        "application/json",
        json!({"name": "tự động", "kind": "dcat", "url": format!("{}/paged/0", origin.url), "agency": "so-tc", "schedule": "2s"}).to_string(),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201);
    let src: Value = r.json().expect("source");
    assert!(src["next_run"].is_string(), "{src}");
    let id = src["id"].as_str().expect("id").to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let jobs = loop {
        let jobs: Value = s
            .get(
                &format!("/api/v1/harvest/sources/{id}/jobs"),
                Some(&s.admin),
            )
            .json()
            .expect("jobs");
        let done = jobs
            .as_array()
            .map(|a| a.iter().filter(|j| j["status"] == "succeeded").count())
            .unwrap_or(0);
        if done >= 2 || std::time::Instant::now() > deadline {
            break jobs;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let arr = jobs.as_array().expect("array");
    assert!(arr.len() >= 2, "{jobs}");
    assert!(arr.iter().all(|j| j["trigger"] == "schedule"), "{jobs}");
    let last = &arr[0];
    assert!(
        last["status"] != "succeeded" || n(last, "created") == 0,
        "later runs change nothing: {jobs}"
    );
    // back to manual: no more runs
    let r = s
        .client()
        .put(format!("{}/api/v1/harvest/sources/{id}", s.url))
        .bearer_auth(&s.admin)
        .json(&json!({"name": "tay", "kind": "dcat", "url": format!("{}/paged/0", origin.url), "agency": "so-tc", "schedule": "manual"}))
        .send()
        .expect("put");
    assert_eq!(r.status().as_u16(), 200);
    // a bad schedule is refused with a clear problem
    let r = s.post(
        "/api/v1/harvest/sources",
        "application/json",
        json!({"name": "x", "kind": "dcat", "url": "https://example.org/", "agency": "so-tc", "schedule": "thỉnh thoảng"}).to_string(),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().expect("t").contains("thỉnh thoảng"));

    // cancel a slow run: it stops, keeps what it wrote, withdraws nothing
    std::thread::sleep(Duration::from_millis(500));
    {
        let mut st = state.lock().expect("lock");
        st.delay = Duration::from_millis(800);
        st.ids.extend(100..116);
    }
    let r = s.post(
        &format!("/api/v1/harvest/sources/{id}/run"),
        "application/json",
        "",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 202, "{}", r.text().unwrap_or_default());
    let job: Value = r.json().expect("job");
    let jid = job["id"].as_str().expect("id").to_owned();
    // a second run of the same source is refused while this one runs
    let r = s.post(
        &format!("/api/v1/harvest/sources/{id}/run"),
        "application/json",
        "",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 409);
    let r = s.post(
        &format!("/api/v1/harvest/jobs/{jid}/cancel"),
        "application/json",
        "",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 202);
    let j = s.wait_job(&jid);
    assert_eq!(
        (j["status"].as_str(), n(&j, "withdrawn")),
        (Some("cancelled"), 0),
        "{j}"
    );
    let r = s.post(
        &format!("/api/v1/harvest/jobs/{jid}/cancel"),
        "application/json",
        "",
        Some(&s.admin),
    );
    assert_eq!(
        r.status().as_u16(),
        409,
        "finished jobs cannot be cancelled"
    );
}

#[test]
fn remote_jsonld_contexts_come_from_the_local_cache_only() {
    let Some(fx) = fixtures() else { return };
    let ex = fx.join("dcat-ap/releases/3.0.1/html/examples");
    let ctx_iri = "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld";
    let origin = Origin::files(ex.clone());
    let url = format!("{}/example-bee-population-2022-2023.jsonld", origin.url);
    // not configured: refused with a message naming the context, nothing fetched
    let s = Server::start(Backend::Sqlite, &["--allow-private-harvest"]);
    s.agency("so-nnmt", "Sở Nông nghiệp và Môi trường");
    let id = s.source("dcat", &url, "so-nnmt", json!({}));
    let j = s.harvest(&id);
    assert_eq!(j["status"], "failed", "{j}");
    assert!(j["message"].as_str().unwrap_or("").contains(ctx_iri), "{j}");
    drop(s);
    // configured from a local file: read
    let mapping = format!("{ctx_iri}={}", ex.join("context.jsonld").display());
    let s = Server::start(
        Backend::Sqlite,
        &["--allow-private-harvest", "--jsonld-context", &mapping],
    );
    s.agency("so-nnmt", "Sở Nông nghiệp và Môi trường");
    let id = s.source("dcat", &url, "so-nnmt", json!({}));
    let j = s.harvest(&id);
    assert_eq!(j["status"], "succeeded", "{j}");
    // The local context expanded the document, and the full JSON-LD 1.1 processor applied
    // both type-scoped contexts of `["Dataset", "DatasetMemberOfADatasetSeries"]`: both
    // datasets arrive with their titles.
    assert_eq!(n(&j, "created"), 2, "{j}");
    assert_eq!(n(&j, "failed"), 0, "{j}");
    let titles = s.dataset_titles();
    for t in ["Bee population 2022", "Bee population 2023"] {
        assert!(titles.iter().any(|x| x == t), "{t} in {titles:?}");
    }
    // The same context serves REST bodies: a multi-typed dataset in Vietnamese.
    let body = json!({
        "@context": ctx_iri,
        "@id": "https://data.example.vn/dataset/dan-ong-mat-2026",
        "@type": ["Dataset", "DatasetMemberOfADatasetSeries"],
        "title": {"vi": "Đàn ong mật năm 2026"},
        "description": {"vi": "Số đàn ong mật theo xã, phường năm 2026"}
    });
    let r = s.post(
        "/api/v1/datasets?agency=so-nnmt",
        "application/ld+json",
        body.to_string(),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    assert!(
        s.dataset_titles()
            .iter()
            .any(|x| x == "Đàn ong mật năm 2026"),
        "{:?}",
        s.dataset_titles()
    );
    drop(s);
    // …and `danhmuc import`, which takes the same flag.
    let s = Server::start(Backend::Sqlite, &[]);
    s.agency("so-nnmt", "Sở Nông nghiệp và Môi trường");
    let file = ex.join("example-bee-population-2022-2023.jsonld");
    let file = file.display().to_string();
    let (ok, _, err) = s.cli(&["import", "--agency", "so-nnmt", "--quiet", &file]);
    assert!(!ok && err.contains(ctx_iri), "{err}");
    let (ok, out, err) = s.cli(&[
        "import",
        "--agency",
        "so-nnmt",
        "--quiet",
        "--jsonld-context",
        &mapping,
        &file,
    ]);
    assert!(ok, "{out}\n{err}");
    // The running server applies what the command wrote to the log.
    let mut titles = Vec::new();
    for _ in 0..100 {
        titles = s.dataset_titles();
        if titles.iter().any(|x| x == "Bee population 2023") {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        titles.iter().any(|x| x == "Bee population 2023"),
        "{titles:?}"
    );
}

/// A harvested record keeps its source IRI when that IRI is free and outside the registry's
/// base; an IRI under our base (forged), one another source's record already holds, or a
/// blank node gets a registry IRI with the source identifier kept as `dct:identifier`.
fn source_iris(backend: Backend) {
    let s = Server::start(backend, &["--allow-private-harvest"]);
    s.agency("so-tc", "Sở Tài chính");
    let base = s.base.clone();
    let origin = Origin::start(move |target| {
        const P: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n";
        let body = match target {
            "/a.ttl" => format!(
                "{P}<http://src.example/ds/1> a dcat:Dataset ; dct:title \"Ngân sách tỉnh\"@vi .\n\
                 <{base}/datasets/forged> a dcat:Dataset ; dct:title \"Giả mạo\"@vi .\n\
                 <http://src.example/cat#ds2> a dcat:Dataset ; dct:title \"Thu chi\"@vi ;\n\
                   dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://src.example/f.csv> ] .\n\
                 [] a dcat:Dataset ; dct:identifier \"BN-1\" ; dct:title \"Không IRI\"@vi .\n"
            ),
            "/b.ttl" => format!(
                "{P}<http://src.example/ds/1> a dcat:Dataset ; dct:title \"Ngân sách tỉnh (bản khác)\"@vi .\n"
            ),
            _ => return Reply::status(404),
        };
        Reply::ok("text/turtle", body)
    });
    let a = s.source("dcat", &format!("{}/a.ttl", origin.url), "so-tc", json!({}));
    let job = s.harvest(&a);
    assert_eq!(
        (job["status"].as_str(), n(&job, "created")),
        (Some("succeeded"), 4),
        "{job}"
    );
    let b = s.source("dcat", &format!("{}/b.ttl", origin.url), "so-tc", json!({}));
    let job = s.harvest(&b);
    assert_eq!(
        (job["status"].as_str(), n(&job, "created")),
        (Some("succeeded"), 1),
        "{job}"
    );

    let list: Value = s
        .get("/api/v1/datasets?limit=1000", Some(&s.admin))
        .json()
        .expect("list");
    let by_title = |t: &str| -> Value {
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["titleVi"] == t)
            .cloned()
            .unwrap_or_else(|| panic!("{t} in {list}"))
    };
    let minted =
        |i: &Value| format!("{}/datasets/{}", s.base, i["id"].as_str().expect("id")) == i["iri"];
    assert_eq!(by_title("Ngân sách tỉnh")["iri"], "http://src.example/ds/1");
    assert_eq!(by_title("Thu chi")["iri"], "http://src.example/cat#ds2");
    for t in ["Giả mạo", "Không IRI", "Ngân sách tỉnh (bản khác)"] {
        assert!(minted(&by_title(t)), "{t} gets a registry IRI: {list}");
    }
    // the source identifiers stay as dct:identifier
    let ask = |q: &str| s.sparql(q, None)["boolean"] == true;
    assert!(ask(&format!(
        "ASK {{ <{}> <http://purl.org/dc/terms/identifier> \"{}/datasets/forged\" }}",
        by_title("Giả mạo")["iri"].as_str().expect("iri"),
        s.base
    )));
    assert!(ask(&format!(
        "ASK {{ <{}> <http://purl.org/dc/terms/identifier> \"http://src.example/ds/1\" }}",
        by_title("Ngân sách tỉnh (bản khác)")["iri"]
            .as_str()
            .expect("iri")
    )));
    // a record IRI with a fragment names its distribution without a second '#'
    let v = s.sparql(
        "SELECT ?d WHERE { <http://src.example/cat#ds2> <http://www.w3.org/ns/dcat#distribution> ?d }",
        None,
    );
    let d = v["results"]["bindings"][0]["d"]["value"]
        .as_str()
        .expect("d");
    assert!(d.starts_with("http://src.example/cat#ds2-genid-"), "{d}");
    // the forged IRI answers nothing under our base, and the kept IRI is served by id
    assert_eq!(s.get("/datasets/forged", None).status().as_u16(), 404);
    let id = by_title("Ngân sách tỉnh")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let r = s.get(&format!("/api/v1/datasets/{id}"), None);
    assert_eq!(r.status().as_u16(), 200);
    // a re-harvest finds the same records: nothing created
    let job = s.harvest(&a);
    assert_eq!((n(&job, "created"), n(&job, "unchanged")), (0, 4), "{job}");
}

#[test]
fn source_iris_sqlite() {
    source_iris(Backend::Sqlite);
}

#[test]
fn source_iris_postgres() {
    source_iris(Backend::Postgres);
}

/// A page of a national catalogue with two records it describes badly — one without a title,
/// one whose IRI has a raw space (as real catalogues have) — and one whose download URL has
/// one: each fails alone with its reason; the rest of the page goes in.
fn badly_described_records(backend: Backend) {
    let origin = Origin::start(|target| {
        if target != "/catalog.ttl" {
            return Reply::status(404);
        }
        Reply::ok(
            "text/turtle",
            r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://data.example.vn/catalog> a dcat:Catalog ; dct:title "Cổng dữ liệu quốc gia"@vi ;
  dcat:dataset <https://data.example.vn/ds/1>, <https://data.example.vn/ds/2>,
               <https://data.example.vn/ds/khong tieu de>, <https://data.example.vn/ds/4> .
<https://data.example.vn/ds/1> a dcat:Dataset ; dct:title "Dân số trung bình"@vi .
<https://data.example.vn/ds/2> a dcat:Dataset ; dct:description "Không có tiêu đề"@vi .
<https://data.example.vn/ds/khong tieu de> a dcat:Dataset ; dct:title "Tên có khoảng trắng"@vi .
<https://data.example.vn/ds/4> a dcat:Dataset ; dct:title "Tệp có khoảng trắng"@vi ;
  dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <https://data.example.vn/files/bao cao.xlsx> ] .
"#,
        )
    });
    let s = Server::start(backend, &["--allow-private-harvest"]);
    s.agency("so-tc", "Sở Tài chính");
    let id = s.source(
        "dcat",
        &format!("{}/catalog.ttl", origin.url),
        "so-tc",
        json!({}),
    );
    let j = s.harvest(&id);
    assert_eq!(j["status"], "succeeded", "{j}");
    // the catalogue and ds/1 in; three fail, each with its identifier and reason
    assert_eq!((n(&j, "created"), n(&j, "failed")), (2, 3), "{j}");
    let failures = j["failures"].as_array().expect("failures").clone();
    let reason = |id: &str| -> String {
        failures
            .iter()
            .find(|f| f["identifier"] == id)
            .unwrap_or_else(|| panic!("{id} in {j}"))["reason"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert!(
        reason("https://data.example.vn/ds/2").contains("dct:title"),
        "{j}"
    );
    assert!(
        reason("https://data.example.vn/ds/khong tieu de").contains("is not an IRI"),
        "{j}"
    );
    assert!(
        reason("https://data.example.vn/ds/4").contains("bao cao.xlsx"),
        "{j}"
    );
    assert_eq!(s.dataset_titles(), ["Dân số trung bình"]);
}

#[test]
fn badly_described_records_fail_alone_sqlite() {
    badly_described_records(Backend::Sqlite);
}

#[test]
fn badly_described_records_fail_alone_postgres() {
    badly_described_records(Backend::Postgres);
}
