//! The registry as real third-party clients use it, all from PyPI (scripts/setup installs
//! them): the OpenAPI document passes `openapi-spec-validator`; `openapi-python-client`
//! generates a client from it that creates, reads and lists records; schemathesis runs every
//! operation with `--checks all`, anonymous and as admin, and finds nothing. And HEAD answers
//! as GET wherever GET answers.

use danhmuc_e2e::{Backend, Server};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A PyPI tool, or a failure that says how to get it.
fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "{name} is not installed: run scripts/setup --tests (it installs it from PyPI)"
    );
    Command::new(name)
}

fn run(mut cmd: Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

fn save_document(s: &Server, dir: &Path) -> std::path::PathBuf {
    let doc: Value = s.get("/api/v1/openapi.json", None).json().expect("openapi");
    let path = dir.join("openapi.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).expect("json")).expect("write");
    path
}

#[test]
fn the_openapi_document_validates_and_a_generated_client_works() {
    let s = Server::start(Backend::Sqlite, &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let doc_path = save_document(&s, dir.path());

    let doc: Value = serde_json::from_slice(&std::fs::read(&doc_path).expect("read")).expect("j");
    let mut ids = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            if let Some(id) = op["operationId"].as_str() {
                let previous = ids.insert(id.to_owned(), format!("{method} {path}"));
                assert!(previous.is_none(), "operationId {id} used twice");
            }
        }
    }
    assert!(ids.contains_key("list_datasets") && ids.contains_key("get_catalog"));

    let mut v = tool("openapi-spec-validator");
    v.arg(&doc_path);
    let said = run(v, "openapi-spec-validator");
    assert!(said.contains("OK"), "{said}");

    let package = dir.path().join("danhmuc_client");
    let mut g = tool("openapi-python-client");
    g.args(["generate", "--meta", "none", "--path"])
        .arg(&doc_path)
        .arg("--output-path")
        .arg(&package);
    run(g, "openapi-python-client generate");
    for module in ["list_datasets.py", "create_dataset.py", "get_dataset.py"] {
        assert!(
            package.join("api/datasets").join(module).exists(),
            "generated {module}"
        );
    }

    s.agency("so-clients", "Sở Khách hàng");
    // Three operations through the generated client: create (admin), read, list (anonymous).
    let script = r#"
import json, sys
from danhmuc_client import AuthenticatedClient, Client
from danhmuc_client.api.datasets import create_dataset, get_dataset, list_datasets
from danhmuc_client.models import RecordJson

base, token = sys.argv[1], sys.argv[2]
admin = AuthenticatedClient(base_url=base, token=token)
anonymous = Client(base_url=base)
body = {
    "title": {"vi": "Dữ liệu khách hàng thử nghiệm", "en": "Client test data"},
    "description": {"vi": "Tạo qua mã khách sinh tự động"},
}
created = create_dataset.sync_detailed(client=admin, body=RecordJson.from_dict(body), agency="so-clients")
assert created.status_code == 201, (created.status_code, created.content)
made = json.loads(created.content)
got = get_dataset.sync_detailed(client=anonymous, id=made["id"])
assert got.status_code == 200, got.status_code
record = json.loads(got.content)
listed = list_datasets.sync_detailed(client=anonymous)
assert listed.status_code == 200, listed.status_code
page = json.loads(listed.content)
print(json.dumps({"id": made["id"], "title": record["title"], "ids": [i["id"] for i in page["items"]]}))
"#;
    let mut py = Command::new("python3");
    py.env("PYTHONPATH", dir.path())
        .args(["-c", script, &s.url, &s.admin]);
    let out: Value = serde_json::from_str(
        run(py, "the generated client")
            .lines()
            .last()
            .expect("a line"),
    )
    .expect("json");
    assert_eq!(out["title"]["vi"], "Dữ liệu khách hàng thử nghiệm");
    assert!(
        out["ids"]
            .as_array()
            .expect("ids")
            .iter()
            .any(|i| i == &out["id"]),
        "the new dataset is listed: {out}"
    );
}

/// schemathesis over every operation; `extra` adds headers.
fn schemathesis(s: &Server, dir: &Path, extra: &[&str]) {
    let doc_path = save_document(s, dir);
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/schemathesis.toml");
    let mut st = tool("st");
    st.args(["--config-file", config, "run"])
        .arg(&doc_path)
        .args(["--url", &s.url, "--checks", "all", "--max-examples", "25"])
        .args(["--seed", "1", "--no-color"])
        // Hypothesis gives up generating ids for some paths ("too many examples filtered"):
        // a limit of the generator, not an answer of the registry.
        .arg("--suppress-health-check=filter_too_much")
        .args(extra)
        .current_dir(dir);
    let out = st.output().expect("st");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let health = s.get("/healthz", None);
    assert_eq!(health.status().as_u16(), 200, "the server still answers");
}

#[test]
fn schemathesis_finds_nothing_anonymous() {
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let before = s.dataset_titles();
    schemathesis(&s, dir.path(), &[]);
    assert_eq!(
        s.dataset_titles(),
        before,
        "anonymous calls changed nothing"
    );
}

fn schemathesis_as_admin(backend: Backend) {
    let s = Server::start(backend, &["--demo"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let auth = format!("Authorization: Bearer {}", s.admin);
    schemathesis(&s, dir.path(), &["--header", &auth]);
}

#[test]
fn schemathesis_finds_nothing_as_admin() {
    schemathesis_as_admin(Backend::Sqlite);
}

/// The same writes on PostgreSQL, which refuses what SQLite takes (NUL characters, say).
#[test]
fn schemathesis_finds_nothing_as_admin_postgres() {
    schemathesis_as_admin(Backend::Postgres);
}

#[test]
fn head_answers_as_get_everywhere() {
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    let page: Value = s
        .get("/api/v1/datasets?limit=1", None)
        .json()
        .expect("list");
    let item = &page["items"][0];
    let id = item["id"].as_str().expect("id");
    let iri = item["iri"].as_str().expect("iri");
    let iri_path = iri.strip_prefix(&s.base).expect("iri under base");
    let paths = [
        "/".to_owned(),
        "/healthz".to_owned(),
        "/readyz".to_owned(),
        "/catalog".to_owned(),
        "/feed".to_owned(),
        "/api/3/action/package_list".to_owned(),
        "/api/3/action/package_search?q=d".to_owned(),
        "/api/v1/openapi.json".to_owned(),
        "/api/v1/agencies".to_owned(),
        format!("/api/v1/datasets/{id}"),
        format!("/api/v1/datasets/{id}/history"),
        iri_path.to_owned(),
        "/sparql?query=ASK%7B%7D".to_owned(),
        "/assets/site.css".to_owned(),
    ];
    let client = s.client();
    for path in &paths {
        let url = format!("{}{path}", s.url);
        let get = client.get(&url).send().expect("GET");
        let head = client.head(&url).send().expect("HEAD");
        assert_eq!(
            head.status(),
            get.status(),
            "HEAD {path} answers as GET does"
        );
        assert!(get.status().is_success(), "GET {path}: {}", get.status());
        for h in ["content-type", "etag", "last-modified"] {
            assert_eq!(
                head.headers().get(h),
                get.headers().get(h),
                "HEAD {path}: {h}"
            );
        }
        assert!(
            head.bytes().expect("body").is_empty(),
            "HEAD {path}: no body"
        );
    }
    // A path that does not exist is 404 for both; a method the path lacks is 405 with Allow.
    let head = client
        .head(format!("{}/no/such/thing", s.url))
        .send()
        .expect("HEAD");
    assert_eq!(head.status().as_u16(), 404);
    for (path, allow) in [
        ("/catalog", "GET, HEAD, OPTIONS"),
        ("/feed", "GET, HEAD, OPTIONS"),
        ("/api/3/action/package_list", "GET, HEAD, POST, OPTIONS"),
    ] {
        let r = client
            .delete(format!("{}{path}", s.url))
            .send()
            .expect("DELETE");
        assert_eq!(r.status().as_u16(), 405, "DELETE {path}");
        assert_eq!(r.headers()["allow"], allow, "Allow on {path}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
}

/// rdflib (an independent RDF library) reads every demo record in each syntax the registry
/// serves, and a `/catalog` page, and finds the same graph each time (datatypes included:
/// JSON-LD once dropped `xsd:date` from `dct:issued`); `Accept: text/plain` is N-Triples.
#[test]
fn every_representation_is_the_same_graph_for_rdflib() {
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    let mut iris = Vec::new();
    for collection in ["datasets", "dataservices", "catalogs"] {
        let mut cursor = String::new();
        loop {
            let page: Value = s
                .get(&format!("/api/v1/{collection}?limit=100{cursor}"), None)
                .json()
                .expect("page");
            for item in page["items"].as_array().expect("items") {
                assert_eq!(
                    item["visibility"], "PUBLIC",
                    "anonymous lists show public records"
                );
                iris.push(item["iri"].as_str().expect("iri").to_owned());
            }
            match page["next"].as_str() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => break,
            }
        }
    }
    assert!(iris.len() > 50, "the demo's public records: {}", iris.len());
    let script = r##"
import json, sys, urllib.request
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

def fetch(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req) as r:
        return r.headers.get("Content-Type", ""), r.read()

def graphs(url):
    out = {}
    for ext, fmt in [("nt", "nt"), ("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")]:
        _, body = fetch(f"{url}.{ext}")
        g = Graph().parse(data=body, format=fmt, publicID=url)
        # A page's paging links keep the syntax it was asked in (/catalog.ttl?cursor=…).
        suffixed = f"{url}.{ext}?"
        norm = lambda t: URIRef(f"{url}?" + str(t)[len(suffixed):]) \
            if isinstance(t, URIRef) and str(t).startswith(suffixed) else t
        out[ext] = Graph()
        for s_, p_, o_ in g:
            out[ext].add((norm(s_), p_, norm(o_)))
    return out

urls = json.loads(sys.argv[1])
catalog = sys.argv[2]
checked, typed_dates = 0, 0
for url in urls + [catalog]:
    g = graphs(url)
    assert len(g["nt"]) > 0, url
    for ext in ("ttl", "rdf", "jsonld"):
        assert isomorphic(g["nt"], g[ext]), f"{url}.{ext} is not the N-Triples graph"
    typed_dates += sum(1 for o in g["jsonld"].objects() if getattr(o, "datatype", None) is not None
                       and str(o.datatype).endswith("#date"))
    checked += 1
ctype, body = fetch(urls[0], "text/plain")
assert ctype.startswith("application/n-triples"), ctype
assert isomorphic(Graph().parse(data=body, format="nt"), graphs(urls[0])["nt"])
print(json.dumps({"checked": checked, "typed_dates": typed_dates}))
"##;
    let mut py = Command::new("python3");
    py.args([
        "-c",
        script,
        &serde_json::to_string(&iris).expect("json"),
        &format!("{}/catalog", s.url),
    ]);
    let out: Value =
        serde_json::from_str(run(py, "rdflib").lines().last().expect("a line")).expect("json");
    assert_eq!(out["checked"].as_u64(), Some(iris.len() as u64 + 1));
    assert!(
        out["typed_dates"].as_u64().unwrap_or(0) > 40,
        "JSON-LD keeps xsd:date: {out}"
    );
}

/// The LDES client of the TREE community (`ldes-client` on npm, installed by scripts/setup)
/// follows `/feed` with `--last-version-only` and emits exactly one member per record, each with
/// its payload: the stream declares `ldes:versionOfPath as:object` (DCAT-AP Feeds). Without it
/// the client emitted 60 members for the demo's 58 records.
#[test]
fn the_ldes_client_emits_the_last_version_of_each_record() {
    let dir = std::env::var("DANHMUC_NPM_DIR").unwrap_or_else(|_| {
        format!(
            "{}/.cache/danhmuc-npm",
            std::env::var("HOME").expect("HOME")
        )
    });
    let client = Path::new(&dir).join("node_modules/.bin/ldes-client");
    assert!(
        client.exists(),
        "{} is missing: run scripts/setup --tests (it installs ldes-client from npm)",
        client.display()
    );
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    // One record gets a second version, so that the stream holds more activities than records.
    let page: Value = s
        .get("/api/v1/datasets?limit=1", None)
        .json()
        .expect("list");
    let id = page["items"][0]["id"].as_str().expect("id").to_owned();
    let current = s.get(&format!("/api/v1/datasets/{id}"), None);
    let etag = current.headers()["etag"].to_str().expect("etag").to_owned();
    let mut record: Value = current.json().expect("record");
    record["title"]["vi"] = Value::String("Tiêu đề đã sửa cho luồng LDES".into());
    record.as_object_mut().expect("object").remove("registry");
    let put = s
        .client()
        .put(format!("{}/api/v1/datasets/{id}", s.url))
        .bearer_auth(&s.admin)
        .header("If-Match", etag)
        .header("Content-Type", "application/json")
        .body(record.to_string())
        .send()
        .expect("PUT");
    assert_eq!(
        put.status().as_u16(),
        200,
        "{}",
        put.text().unwrap_or_default()
    );

    let mut records = std::collections::BTreeSet::new();
    for collection in ["datasets", "dataservices"] {
        let page: Value = s
            .get(&format!("/api/v1/{collection}?limit=1000"), None)
            .json()
            .expect("list");
        for item in page["items"].as_array().expect("items") {
            records.insert(item["iri"].as_str().expect("iri").to_owned());
        }
    }
    let out = Command::new("node")
        .arg(&client)
        .arg(format!("{}/feed", s.url))
        .arg("--last-version-only")
        .output()
        .expect("ldes-client");
    assert!(
        out.status.success(),
        "ldes-client: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let quads = String::from_utf8_lossy(&out.stdout);
    let object = "<https://www.w3.org/ns/activitystreams#object>";
    let mut members = std::collections::BTreeMap::new();
    for line in quads.lines() {
        let parts: Vec<&str> = line.splitn(4, ' ').collect();
        if parts.len() == 4 && parts[1] == object && parts[3] == "." {
            let iri = parts[2].trim_matches(['<', '>']).to_owned();
            let previous = members.insert(iri.clone(), parts[0].to_owned());
            assert!(previous.is_none(), "{iri} emitted twice");
        }
    }
    let emitted: std::collections::BTreeSet<String> = members.keys().cloned().collect();
    assert_eq!(emitted, records, "one member per public record");
    let feed = s.get("/feed/0", None).text().expect("feed");
    assert!(
        feed.matches("activitystreams#object").count() > records.len(),
        "the stream holds more activities than records"
    );
    for (iri, activity) in &members {
        assert!(
            quads
                .lines()
                .any(|l| l.starts_with(&format!("<{iri}> "))
                    && l.ends_with(&format!("{activity} ."))),
            "the member for {iri} carries its payload"
        );
    }
    let edited = members
        .iter()
        .find(|(iri, _)| iri.ends_with(&id))
        .map(|(_, a)| a.clone())
        .expect("the edited record");
    assert!(
        quads
            .lines()
            .any(|l| l.contains("Tiêu đề đã sửa cho luồng LDES")
                && l.ends_with(&format!("{edited} ."))),
        "the edited record's member is its last version"
    );
}
