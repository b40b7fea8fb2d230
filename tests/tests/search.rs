//! `GET /api/v1/search` through the real binary: the committed relevance set over the demo
//! province (each expected record in the top three, nDCG@10 reported), facet counts equal to
//! SPARQL counts over the same records on both databases, writes reaching the index, and bad
//! parameters refused with problem+json. What anonymous callers and other agencies may not
//! read is tried in `visibility::`.

use danhmuc_e2e::{BACKENDS, Backend, Server};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

fn search(s: &Server, query: &str, token: Option<&str>) -> Value {
    let r = s.get(&format!("/api/v1/search?{query}"), token);
    assert_eq!(r.status().as_u16(), 200, "search {query}");
    r.json().expect("search json")
}

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn the_relevance_set_finds_every_expected_record_in_the_top_three() {
    let set: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/relevance/demo-queries.json"),
        )
        .expect("relevance set"),
    )
    .expect("json");
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    // The demo's services describe their APIs in documents the registry serves itself; the
    // refresher reads them after start. Wait until one of their operations is found.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while search(&s, "q=traCuuTheoMaSoThue", None)["total"] == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the demo's endpoint descriptions were never indexed"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // A RESTRICTED service's operations are never found anonymously (its document is read).
    let hidden = search(&s, "q=traCuuThuaDatTheoToBanDo", None);
    assert_eq!(hidden["total"], 0, "{hidden}");
    let seen = search(&s, "q=traCuuThuaDatTheoToBanDo", Some(&s.admin));
    assert_eq!(
        titles(&seen).first().map(String::as_str),
        Some("Dịch vụ tra cứu thông tin thửa đất"),
        "{seen}"
    );
    // The documents themselves are served where the records say.
    let doc = s.get("/demo/openapi/doanh-nghiep.yaml", None);
    assert_eq!(doc.status().as_u16(), 200);
    assert!(doc.text().expect("text").contains("traCuuTheoMaSoThue"));
    assert_eq!(
        s.get("/demo/openapi/khong-co.yaml", None).status().as_u16(),
        404
    );
    let queries = set["queries"].as_array().expect("queries");
    assert!(queries.len() >= 40);
    let mut misses = Vec::new();
    let mut ndcg_sum = 0.0;
    for case in queries {
        let raw = case["q"].as_str().expect("q");
        let q: String = match raw.strip_prefix("NFD:") {
            Some(t) => t.nfd().collect(),
            None => raw.to_owned(),
        };
        let expected: Vec<&str> = case["top3"]
            .as_array()
            .expect("top3")
            .iter()
            .map(|t| t.as_str().expect("title"))
            .collect();
        let v = search(&s, &format!("q={}&limit=10", urlencoding::encode(&q)), None);
        let got = titles(&v);
        for e in &expected {
            if !got.iter().take(3).any(|g| g == e) {
                misses.push(format!("{raw:?}: expected {e:?} in the top 3, got {got:?}"));
            }
        }
        // nDCG@10 with the expected records as the relevant ones (gain 1).
        let dcg: f64 = got
            .iter()
            .take(10)
            .enumerate()
            .filter(|(_, g)| expected.contains(&g.as_str()))
            .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
            .sum();
        let ideal: f64 = (0..expected.len().min(10))
            .map(|i| 1.0 / ((i + 2) as f64).log2())
            .sum();
        ndcg_sum += dcg / ideal;
    }
    let ndcg = ndcg_sum / queries.len() as f64;
    println!(
        "relevance set: {} queries, nDCG@10 = {ndcg:.3}",
        queries.len()
    );
    assert!(misses.is_empty(), "{}", misses.join("\n"));
    // Highlights mark the words found, folded or not.
    let v = search(&s, "q=truong%20hoc", None);
    let first = &v["items"][0];
    assert_eq!(first["title"], "Danh sách trường học");
    assert_eq!(
        first["highlights"]["title"],
        "Danh sách <em>trường</em> <em>học</em>"
    );
    // English titles on request.
    let v = search(&s, "q=xe%20buyt&lang=en", None);
    assert_eq!(v["items"][0]["title"], "Bus routes");
}

#[test]
fn facet_counts_equal_sparql_counts_and_filters_combine() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let all = search(&s, "kind=dataset&limit=1", None);
        let themes = all["facets"]["theme"].as_array().expect("theme facet");
        assert!(themes.len() >= 5, "{all}");
        let sparql = s.sparql(
            "SELECT ?theme (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://www.w3.org/ns/dcat#theme> ?theme } } GROUP BY ?theme",
            None,
        );
        let mut by_sparql: Vec<(String, u64)> = sparql["results"]["bindings"]
            .as_array()
            .expect("bindings")
            .iter()
            .map(|b| {
                (
                    b["theme"]["value"].as_str().expect("theme").to_owned(),
                    b["n"]["value"].as_str().expect("n").parse().expect("count"),
                )
            })
            .collect();
        by_sparql.sort();
        let mut by_search: Vec<(String, u64)> = themes
            .iter()
            .map(|t| {
                (
                    t["value"].as_str().expect("value").to_owned(),
                    t["count"].as_u64().expect("count"),
                )
            })
            .collect();
        by_search.sort();
        assert_eq!(by_search, by_sparql, "{backend:?}");
        // Labels in both languages.
        let educ = themes
            .iter()
            .find(|t| t["value"].as_str().is_some_and(|v| v.ends_with("/EDUC")))
            .expect("EDUC");
        assert_eq!(educ["label"]["vi"], "Giáo dục, văn hóa và thể thao");
        assert_eq!(educ["label"]["en"], "Education, culture and sport");
        // Two values of one facet: OR; two facets: AND — each total equals SPARQL's.
        let theme =
            |c: &str| format!("http://publications.europa.eu/resource/authority/data-theme/{c}");
        let csv = "http://publications.europa.eu/resource/authority/file-type/CSV";
        let or = search(
            &s,
            &format!(
                "kind=dataset&theme={}&theme={}",
                urlencoding::encode(&theme("EDUC")),
                urlencoding::encode(&theme("HEAL"))
            ),
            None,
        );
        let count = |q: &str| -> u64 {
            s.sparql(q, None)["results"]["bindings"][0]["n"]["value"]
                .as_str()
                .expect("n")
                .parse()
                .expect("n")
        };
        let want_or = count(&format!(
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH ?g {{ ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://www.w3.org/ns/dcat#theme> ?t }} FILTER(?t IN (<{}>, <{}>)) }}",
            theme("EDUC"),
            theme("HEAL")
        ));
        assert_eq!(or["total"].as_u64(), Some(want_or));
        let and = search(
            &s,
            &format!(
                "kind=dataset&theme={}&format={}",
                urlencoding::encode(&theme("EDUC")),
                urlencoding::encode(csv)
            ),
            None,
        );
        let want_and = count(&format!(
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH ?g {{ ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://www.w3.org/ns/dcat#theme> <{}> ; <http://www.w3.org/ns/dcat#distribution> ?x . ?x <http://purl.org/dc/terms/format> <{csv}> }} }}",
            theme("EDUC")
        ));
        assert_eq!(and["total"].as_u64(), Some(want_and), "{and}");
        assert!(want_and > 0 && want_and < want_or);
        // The facet counts of a filtered search are over the filtered set.
        let kinds = and["facets"]["kind"].as_array().expect("kind facet");
        assert_eq!(kinds[0]["value"], "dataset");
        assert_eq!(kinds[0]["count"].as_u64(), Some(want_and));
        // Paging: every record once, in order, with `next` until the last page.
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = search(
                &s,
                &format!("kind=dataset&sort=title&limit=7{cursor}"),
                None,
            );
            seen.extend(titles(&page));
            match page["next"].as_str() {
                Some(n) => cursor = format!("&cursor={n}"),
                None => break,
            }
        }
        assert_eq!(seen.len() as u64, all["total"].as_u64().expect("total"));
        let mut sorted = seen.clone();
        sorted.sort_by_key(|t| vocab::text::fold(t));
        assert_eq!(seen, sorted, "sort=title is by folded title");
    }
}

#[test]
fn writes_reach_the_index_and_bad_parameters_are_refused() {
    for backend in BACKENDS {
        let s = Server::start(backend, &[]);
        s.agency("so-gtvt", "Sở Giao thông Vận tải");
        let editor = s.token("editor", "so-gtvt");
        let ttl = "<http://src/1> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Tai nạn giao thông đường bộ\"@vi, \"Road accidents\"@en ; <http://purl.org/dc/terms/description> \"Số vụ tai nạn theo tháng.\"@vi .";
        let r = s.post(
            "/api/v1/datasets",
            "text/turtle",
            ttl.to_owned(),
            Some(&editor),
        );
        assert_eq!(r.status().as_u16(), 201);
        let id = r.json::<Value>().expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let v = search(&s, "q=tai%20nan%20duong%20bo", None);
        assert_eq!(v["total"], 1, "{v}");
        assert_eq!(v["items"][0]["id"], id.as_str());
        assert_eq!(v["items"][0]["agency"], "so-gtvt");
        assert_eq!(v["items"][0]["kind"], "dataset");
        assert!(v["items"][0]["score"].as_f64().expect("score") > 0.0);
        // The agency's name finds its records.
        assert_eq!(
            search(&s, "q=giao%20thong%20van%20tai&kind=dataset", None)["total"],
            1
        );
        // Withdrawn: gone.
        let r = s
            .client()
            .delete(format!("{}/api/v1/datasets/{id}", s.url))
            .bearer_auth(&editor)
            .send()
            .expect("delete");
        assert_eq!(r.status().as_u16(), 204);
        assert_eq!(search(&s, "q=tai%20nan", None)["total"], 0);
        for bad in [
            "sort=best",
            "limit=0",
            "limit=5000",
            "cursor=abc",
            "kind=person",
            "modified_since=yesterday",
            "lang=fr",
            "colour=red",
            "q=a&q=b",
        ] {
            let r = s.get(&format!("/api/v1/search?{bad}"), None);
            assert_eq!(r.status().as_u16(), 400, "{bad}");
            assert_eq!(
                r.headers()["content-type"].to_str().expect("ct"),
                "application/problem+json",
                "{bad}"
            );
            let p: Value = r.json().expect("problem");
            assert!(
                p["detail"].as_str().is_some_and(|d| !d.is_empty()),
                "{bad}: {p}"
            );
        }
        let long = "a".repeat(501);
        assert_eq!(
            s.get(&format!("/api/v1/search?q={long}"), None)
                .status()
                .as_u16(),
            400
        );
        // Blank filters (as forms send them) mean none.
        assert_eq!(
            search(&s, "q=&kind=&agency=&theme=", None)["total"],
            1,
            "the agency"
        );
    }
}

#[test]
fn rebuild_recreates_the_index_from_the_log() {
    let mut s = Server::start(Backend::Sqlite, &["--demo"]);
    let before = search(&s, "q=", None)["total"].as_u64().expect("total");
    assert!(before > 50);
    s.kill();
    let index = s.data.join("search");
    assert!(index.exists());
    let (ok, _, err) = s.cli(&["rebuild"]);
    assert!(ok, "{err}");
    s.restart();
    assert_eq!(search(&s, "q=", None)["total"].as_u64(), Some(before));
    assert_eq!(
        titles(&search(&s, "q=danh%20sach%20truong%20hoc", None))[0],
        "Danh sách trường học"
    );
}

/// F18: a data service is found by what its API offers. Its endpoint description (OpenAPI
/// JSON, then YAML) is fetched from a loopback origin through the guarded client, kept, and
/// refreshed by the link checker; a description that goes away keeps the last good one; a
/// server that may not fetch private addresses refuses, naming why.
#[test]
fn data_services_are_found_by_the_operations_of_their_openapi() {
    use danhmuc_e2e::origin::{Origin, Reply};
    use std::sync::{Arc, Mutex};
    const TAX: &str = r#"{"openapi": "3.0.3", "info": {"title": "API doanh nghiệp"},
      "paths": {"/doanh-nghiep/{mst}": {"get": {"summary": "Tra cứu mã số thuế", "operationId": "traCuuMst",
        "parameters": [{"name": "mst", "in": "path"}]}}}}"#;
    const CIVIL: &str = "openapi: 3.1.0\ninfo:\n  title: API hộ tịch\npaths:\n  /khai-sinh:\n    post:\n      summary: Đăng ký khai sinh trực tuyến\n";
    let body: Arc<Mutex<Option<(&'static str, &'static str)>>> =
        Arc::new(Mutex::new(Some(("application/json", TAX))));
    let served = body.clone();
    let origin = Origin::start(move |_path| match *served.lock().expect("lock") {
        Some((ct, b)) => Reply::ok(ct, b),
        None => Reply::status(404),
    });
    let described = format!("{}/openapi", origin.url);
    let service = format!(
        "<http://src/svc> a <http://www.w3.org/ns/dcat#DataService> ; \
         <http://purl.org/dc/terms/title> \"Dịch vụ dữ liệu doanh nghiệp\"@vi ; \
         <http://www.w3.org/ns/dcat#endpointURL> <{0}/api> ; \
         <http://www.w3.org/ns/dcat#endpointDescription> <{described}> .",
        origin.url
    );
    let run = |s: &Server| -> Value {
        let r = s.post(
            "/api/v1/audit/links/check?force=true",
            "application/json",
            "",
            Some(&s.admin),
        );
        assert_eq!(r.status().as_u16(), 200);
        r.json().expect("run")
    };
    let found = |s: &Server, q: &str| -> usize {
        search(
            s,
            &format!("kind=dataservice&q={}", urlencoding::encode(q)),
            None,
        )["total"]
            .as_u64()
            .expect("total") as usize
    };
    for backend in BACKENDS {
        *body.lock().expect("lock") = Some(("application/json", TAX));
        let s = Server::start(
            backend,
            &["--allow-private-harvest", "--link-check-every", "off"],
        );
        s.agency("so-khdt", "Sở Kế hoạch và Đầu tư");
        let editor = s.token("editor", "so-khdt");
        let r = s.post(
            "/api/v1/dataservices",
            "text/turtle",
            service.clone(),
            Some(&editor),
        );
        assert_eq!(r.status().as_u16(), 201, "{:?}", r.text());
        // Written: the refresher wakes, fetches and the index re-reads the service.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while found(&s, "tra cứu mã số thuế") == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the service was never found by its operation ({backend:?})"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        // Without diacritics, and by a parameter name, too.
        assert_eq!(found(&s, "tra cuu ma so thue"), 1);
        assert_eq!(found(&s, "traCuuMst"), 1);
        assert_eq!(found(&s, "khai sinh"), 0);
        // The description changes (now YAML): a refresh re-reads it.
        *body.lock().expect("lock") = Some(("application/yaml", CIVIL));
        let r = run(&s);
        assert_eq!(r["services"]["described"], 1, "{r}");
        assert_eq!(r["services"]["reindexed"], 1, "{r}");
        assert_eq!(found(&s, "dang ky khai sinh"), 1);
        assert_eq!(found(&s, "tra cứu mã số thuế"), 0);
        // Gone: the failure is kept beside the last good description, still searchable.
        *body.lock().expect("lock") = None;
        let r = run(&s);
        assert_eq!(r["services"]["failed"], 1, "{r}");
        assert_eq!(found(&s, "dang ky khai sinh"), 1);
        assert_eq!(
            s.sql("UPDATE service_descriptions SET error = error WHERE status = 404 AND error LIKE '%HTTP 404%' AND body LIKE '%khai-sinh%'"),
            1
        );
    }
    // What a RESTRICTED service offers is found by agencies only, never anonymously.
    {
        *body.lock().expect("lock") = Some(("application/json", TAX));
        let s = Server::start(
            Backend::Sqlite,
            &["--allow-private-harvest", "--link-check-every", "off"],
        );
        s.agency("so-khdt", "Sở Kế hoạch và Đầu tư");
        s.agency("so-tc", "Sở Tài chính");
        let editor = s.token("editor", "so-khdt");
        let other = s.token("editor", "so-tc");
        let restricted = service.replace(
            " .",
            " ; <http://purl.org/dc/terms/accessRights> <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> .",
        );
        let r = s.post(
            "/api/v1/dataservices",
            "text/turtle",
            restricted,
            Some(&editor),
        );
        assert_eq!(r.status().as_u16(), 201, "{:?}", r.text());
        let r = run(&s);
        assert_eq!(r["services"]["described"], 1, "{r}");
        let q = "kind=dataservice&q=tra%20cuu%20ma%20so%20thue";
        assert_eq!(search(&s, q, None)["total"], 0, "anonymous");
        assert_eq!(search(&s, "q=traCuuMst", None)["total"], 0, "anonymous");
        assert_eq!(search(&s, q, Some(&other))["total"], 1, "another agency");
    }
    // A server that may not reach private addresses does not fetch it, and says why.
    *body.lock().expect("lock") = Some(("application/json", TAX));
    let s = Server::start(Backend::Sqlite, &["--link-check-every", "off"]);
    s.agency("so-khdt", "Sở Kế hoạch và Đầu tư");
    let editor = s.token("editor", "so-khdt");
    let r = s.post(
        "/api/v1/dataservices",
        "text/turtle",
        service,
        Some(&editor),
    );
    assert_eq!(r.status().as_u16(), 201);
    let r = run(&s);
    assert_eq!(r["services"]["failed"], 1, "{r}");
    assert_eq!(found(&s, "tra cuu ma so thue"), 0);
    assert_eq!(
        s.sql("UPDATE service_descriptions SET error = error WHERE error LIKE '%non-public address%' AND body IS NULL"),
        1
    );
}
