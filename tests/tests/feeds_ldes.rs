//! The change stream `/feed` (LDES, DCAT-AP Feeds) over HTTP against the real binary: Create,
//! Update and Delete activities with `as:published`, payloads in named graphs, TREE relations,
//! frozen pages `immutable`, the latest with an ETag, TriG and JSON-LD; a record withdrawn or
//! made restricted appears as a Delete without its restricted content. Round trips: a second
//! registry harvests this one's `/feed` and `/catalog` with danhmuc's own harvesters and finds
//! the same records, deletions included. Both databases.

use danhmuc_e2e::{Backend, Server};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Term};
use serde_json::Value;

const P: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
    @prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .\n";
const AS: &str = "https://www.w3.org/ns/activitystreams#";

fn ds(n: usize, title: &str, access: &str) -> String {
    format!(
        "{P}<http://src.example/d{n}> a dcat:Dataset ; dct:title \"{title}\"@vi ; dct:description \"Mô tả {n}\"@vi ;\n\
         dct:accessRights ar:{access} ; dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://files.example.vn/{n}.csv> ] ."
    )
}

fn create(s: &Server, ttl: String) -> String {
    let r = s.post(
        "/api/v1/datasets?agency=so-ct",
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

fn put(s: &Server, id: &str, ttl: String) {
    let r = s
        .client()
        .put(format!("{}/api/v1/datasets/{id}", s.url))
        .header("content-type", "text/turtle")
        .header("if-match", "*")
        .bearer_auth(&s.admin)
        .body(ttl)
        .send()
        .expect("PUT");
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().unwrap_or_default());
}

fn quads(body: &str) -> Vec<Quad> {
    RdfParser::from_format(RdfFormat::TriG)
        .for_slice(body.as_bytes())
        .map(|q| q.expect("valid TriG"))
        .collect()
}

/// (activity, type, object) of a page.
fn activities(q: &[Quad]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for m in q
        .iter()
        .filter(|q| q.predicate.as_str().ends_with("tree#member"))
    {
        let act = m.object.clone();
        let get = |p: &str| {
            q.iter()
                .find(|x| Term::from(x.subject.clone()) == act && x.predicate.as_str() == p)
                .map(|x| x.object.to_string())
                .unwrap_or_default()
        };
        let kind = get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
        let kind = kind
            .trim_matches(|c| c == '<' || c == '>')
            .trim_start_matches(AS)
            .to_owned();
        assert!(!get(&format!("{AS}published")).is_empty(), "as:published");
        out.push((act.to_string(), kind, get(&format!("{AS}object"))));
    }
    out
}

fn scenario(backend: Backend) {
    let a = Server::start(backend, &["--feed-page-size", "3"]);
    a.agency("so-ct", "Sở Công Thương");
    let d: Vec<String> = (0..4)
        .map(|n| create(&a, ds(n, &format!("Giá cả thị trường {n}"), "PUBLIC")))
        .collect();
    let secret = create(
        &a,
        ds(9, "Danh sách doanh nghiệp bị thanh tra", "NON_PUBLIC"),
    );
    put(&a, &d[0], ds(0, "Giá cả thị trường 0 (cập nhật)", "PUBLIC"));
    put(
        &a,
        &d[1],
        ds(1, "Giá cả thị trường 1 (hạn chế)", "NON_PUBLIC"),
    );
    let del = a
        .client()
        .delete(format!("{}/api/v1/datasets/{}", a.url, d[2]))
        .bearer_auth(&a.admin)
        .send()
        .expect("DELETE");
    assert_eq!(del.status().as_u16(), 204);
    let secret2 = create(&a, ds(8, "Hồ sơ thuế nội bộ", "RESTRICTED"));
    let api = a.post(
        "/api/v1/dataservices?agency=so-ct",
        "text/turtle",
        format!(
            "{P}<http://src.example/api> a dcat:DataService ; dct:title \"API giá cả thị trường\"@vi, \"Market price API\"@en ;\n\
             dcat:endpointURL <https://api.example.vn/gia-ca> ; dct:accessRights ar:PUBLIC ;\n\
             dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ."
        ),
        Some(&a.admin),
    );
    assert_eq!(
        api.status().as_u16(),
        201,
        "{}",
        api.text().unwrap_or_default()
    );

    // The entry: stream, view, two relations per page.
    let r = a.get("/feed", None);
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("application/trig")
    );
    let entry = quads(&r.text().expect("text"));
    assert!(
        entry
            .iter()
            .any(|q| q.object.to_string().contains("ldes#EventStream"))
    );
    let pages: Vec<String> = entry
        .iter()
        .filter(|q| q.predicate.as_str().ends_with("tree#node"))
        .map(|q| {
            q.object
                .to_string()
                .trim_matches(|c| c == '<' || c == '>')
                .to_owned()
        })
        .collect();
    // 1 agency + 6 creates + 2 updates + 1 withdrawal = 10 log entries: 4 pages of 3.
    let mut distinct = pages.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{pages:?}");
    assert_eq!(pages.len(), 8, "a lower and an upper bound per page");

    let mut all = Vec::new();
    let mut bodies = String::new();
    for (i, p) in distinct.iter().enumerate() {
        let r = a.client().get(p).send().expect("GET page");
        assert_eq!(r.status().as_u16(), 200);
        let cache = r.headers()["cache-control"]
            .to_str()
            .expect("cc")
            .to_owned();
        let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
        let body = r.text().expect("text");
        if i < 3 {
            assert!(cache.contains("immutable"), "page {i} is frozen: {cache}");
        } else {
            assert!(
                !cache.contains("immutable"),
                "the latest page can still grow"
            );
            let again = a
                .client()
                .get(p)
                .header("if-none-match", &etag)
                .send()
                .expect("GET");
            assert_eq!(again.status().as_u16(), 304);
        }
        let q = quads(&body);
        // Every payload is in the graph named after its activity.
        for (act, kind, _) in activities(&q) {
            let in_graph = q
                .iter()
                .filter(|x| matches!(&x.graph_name, GraphName::NamedNode(g) if format!("<{}>", g.as_str()) == act))
                .count();
            if kind == "Delete" {
                assert_eq!(in_graph, 0, "a Delete carries no content");
            } else {
                assert!(in_graph > 0, "{kind} {act} has its payload");
            }
        }
        all.extend(activities(&q));
        bodies.push_str(&body);
    }
    let of = |id: &str| -> Vec<String> {
        all.iter()
            .filter(|(_, _, o)| o.contains(id))
            .map(|(_, k, _)| k.clone())
            .collect()
    };
    assert_eq!(of(&d[0]), vec!["Create", "Update"]);
    assert_eq!(of(&d[1]), vec!["Create", "Delete"]);
    assert_eq!(of(&d[2]), vec!["Create", "Delete"]);
    assert_eq!(of(&d[3]), vec!["Create"]);
    assert!(
        of(&secret).is_empty(),
        "a restricted record is never in the feed"
    );
    assert!(of(&secret2).is_empty());
    assert!(
        !bodies.contains("thanh tra") && !bodies.contains("hạn chế") && !bodies.contains("thuế"),
        "no restricted content"
    );

    // JSON-LD and N-Quads by Accept or suffix.
    let r = a
        .client()
        .get(&distinct[0])
        .header("accept", "application/ld+json")
        .send()
        .expect("GET");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("application/ld+json")
    );
    let j: Value = r.json().expect("json");
    assert!(j.to_string().contains("activitystreams"));
    assert_eq!(a.get("/feed.nq", None).status().as_u16(), 200);
    assert_eq!(a.get("/feed/99", None).status().as_u16(), 404);
    assert_eq!(a.get("/feed/x", None).status().as_u16(), 404);

    // Round trip through danhmuc's own LDES harvester.
    let b = Server::start(backend, &["--allow-private-harvest"]);
    b.agency("so-ct-b", "Sở Công Thương (bản sao)");
    // A dcat source that turns out to be an event stream is read as one.
    let src = b.source(
        "dcat",
        &format!("{}/feed", a.url),
        "so-ct-b",
        serde_json::json!({}),
    );
    let job = b.harvest(&src);
    assert_eq!(job["status"], "succeeded", "{job}");
    let want = vec![
        "Giá cả thị trường 0 (cập nhật)".to_owned(),
        "Giá cả thị trường 3".to_owned(),
    ];
    assert_eq!(a.dataset_titles(), want);
    assert_eq!(
        b.dataset_titles(),
        want,
        "the stream's deletions were applied: {job}"
    );
    // The same records: same IRIs, same canonical hashes.
    for collection in ["datasets", "dataservices"] {
        let mine = a.public_hashes(collection);
        assert_eq!(mine.len(), if collection == "datasets" { 2 } else { 1 });
        assert_eq!(b.public_hashes(collection), mine, "{collection}: {job}");
    }
    // An incremental re-run reads nothing new; a later change arrives.
    put(&a, &d[3], ds(3, "Giá cả thị trường 3 (tháng 12)", "PUBLIC"));
    let job = b.harvest(&src);
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["updated"], 1, "{job}");
    assert!(
        b.dataset_titles()
            .contains(&"Giá cả thị trường 3 (tháng 12)".to_owned())
    );
    assert_eq!(b.public_hashes("datasets"), a.public_hashes("datasets"));

    // Records carry their publisher's name: a rename gives each a new version (an Update in
    // the stream), and the harvester follows.
    let before = a.public_hashes("datasets");
    let r = a
        .client()
        .put(format!("{}/api/v1/agencies/so-ct", a.url))
        .bearer_auth(&a.admin)
        .json(&serde_json::json!({"name": {"vi": "Sở Công Thương tỉnh Tây Ninh", "en": "Department of Industry and Trade"}}))
        .send()
        .expect("PUT agency");
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().unwrap_or_default());
    let after = a.public_hashes("datasets");
    assert_eq!(after.len(), before.len());
    assert!(
        after
            .iter()
            .zip(&before)
            .all(|(x, y)| x.0 == y.0 && x.1 != y.1),
        "every record of the agency has a new version"
    );
    let job = b.harvest(&src);
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["updated"], 3, "two datasets and the service: {job}");
    assert_eq!(b.public_hashes("datasets"), after);
    assert_eq!(
        b.public_hashes("dataservices"),
        a.public_hashes("dataservices")
    );
    let names = b.sparql(
        "PREFIX dct: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> SELECT DISTINCT ?n WHERE { ?d dct:publisher ?p . ?p foaf:name ?n FILTER(lang(?n) = 'vi') }",
        None,
    );
    let names: Vec<&str> = names["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| b["n"]["value"].as_str().expect("n"))
        .collect();
    assert_eq!(names, vec!["Sở Công Thương tỉnh Tây Ninh"]);
    // The source's SPARQL holds the agency's name once (its own graph), not a copy per record.
    let v = a.sparql(
        &format!(
            "SELECT ?n WHERE {{ <{}/agencies/so-ct> <http://xmlns.com/foaf/0.1/name> ?n FILTER(lang(?n) = 'vi') }}",
            a.base
        ),
        None,
    );
    assert_eq!(
        v["results"]["bindings"].as_array().map(Vec::len),
        Some(1),
        "{v}"
    );

    // And through the DCAT harvester reading /catalog (Hydra paging).
    let c = Server::start(backend, &["--allow-private-harvest"]);
    c.agency("so-ct-c", "Sở Công Thương (bản sao 2)");
    let src = c.source(
        "dcat",
        &format!("{}/catalog?limit=1", a.url),
        "so-ct-c",
        serde_json::json!({}),
    );
    let job = c.harvest(&src);
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(c.dataset_titles(), a.dataset_titles(), "{job}");
    for collection in ["datasets", "dataservices"] {
        assert_eq!(
            c.public_hashes(collection),
            a.public_hashes(collection),
            "{collection}: {job}"
        );
    }
}

#[test]
fn ldes_feed_sqlite() {
    scenario(Backend::Sqlite);
}

#[test]
fn ldes_feed_postgres() {
    scenario(Backend::Postgres);
}
