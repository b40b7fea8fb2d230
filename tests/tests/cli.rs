//! The command line: import real third-party DCAT files, export in every syntax, rebuild the
//! projections from the log, manage tokens, refuse bad input with a one-line message, and the
//! demo province.

use danhmuc_e2e::{Backend, Server, cli, fixtures};
use oxigraph::io::{RdfFormat, RdfParser};
use serde_json::Value;

#[test]
fn import_export_rebuild_and_tokens() {
    let Some(fx) = fixtures() else { return };
    let mut s = Server::start(Backend::Sqlite, &[]);
    s.agency("so-khcn", "Sở Khoa học và Công nghệ");
    let files = [
        fx.join("ckanext-dcat/examples/dcat/dataset_gob_es.ttl"),
        fx.join("ckanext-dcat/examples/dcat/dataset_gov_de.rdf"),
        fx.join("ckanext-dcat/examples/dcat/catalog.rdf"),
        fx.join("w3c-dxwg/dcat/examples/vocab-dcat-3/csiro-stratchart_dcat3.ttl"),
    ];
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["import", "--agency", "so-khcn", "--quiet"];
    args.extend(paths.iter().map(String::as_str));
    // the server is running: import writes the log, the server catches up from it
    let (ok, out, err) = s.cli(&args);
    assert!(ok, "{err}");
    assert!(out.contains("created"), "{out}");
    let created: usize = out
        .split("created ")
        .nth(1)
        .and_then(|x| x.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .expect("count");
    assert!(created >= 4, "{out}");
    // re-import is idempotent
    let (ok, out2, _) = s.cli(&args);
    assert!(ok);
    assert!(
        out2.contains("created 0") && out2.contains(&format!("unchanged {created}")),
        "{out2}"
    );
    let n = |s: &Server| -> usize {
        let v = s.sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a ?t FILTER(?t IN (<http://www.w3.org/ns/dcat#Dataset>, <http://www.w3.org/ns/dcat#Catalog>, <http://www.w3.org/ns/dcat#DataService>)) } }", None);
        v["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .expect("n")
            .parse()
            .expect("num")
    };
    // The server tails the log every 500 ms; allow a loaded machine up to 30 s.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while n(&s) != created && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(
        n(&s),
        created,
        "the running server caught up with the CLI import"
    );

    // exports parse in their syntax and carry the same triples (JSON-LD is put together from
    // per-record prepared fragments; the others are serialised on the spot)
    let (ok, nt, err) = s.cli(&["export", "--format", "nt"]);
    assert!(ok, "{err}");
    let set = |format: RdfFormat, body: &str| -> std::collections::BTreeSet<String> {
        RdfParser::from_format(format)
            .for_slice(body.as_bytes())
            .map(|q| q.expect("valid RDF").to_string())
            .collect()
    };
    let reference = set(RdfFormat::NTriples, &nt);
    // JSON-LD copies prepared per-record fragments; a record without one (written before they
    // existed) is serialised on the spot: take half of them away.
    let gone = s.sql("DELETE FROM fragments WHERE rowid % 2 = 0");
    assert!(gone > 2, "{gone}");
    for (fmt, format) in [
        ("ttl", RdfFormat::Turtle),
        ("nt", RdfFormat::NTriples),
        ("rdf", RdfFormat::RdfXml),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let (ok, out, err) = s.cli(&["export", "--format", fmt]);
        assert!(ok, "{fmt}: {err}");
        let count = RdfParser::from_format(format)
            .for_slice(out.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("valid RDF")
            .len();
        assert!(count > 50, "{fmt}: {count} triples");
        assert!(
            set(format, &out) == reference,
            "{fmt}: the same triples as N-Triples"
        );
    }

    // rebuild refuses while the server holds the stores, then recreates them from the log
    let (ok, _, err) = s.cli(&["rebuild"]);
    assert!(!ok);
    assert!(err.contains("in use by another danhmuc process"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one-line message: {err}");
    s.kill();
    let (ok, out, err) = s.cli(&["rebuild"]);
    assert!(ok, "{err}");
    assert!(out.contains("Rebuilt"), "{out}");
    s.restart();
    assert_eq!(n(&s), created, "rebuilt projections answer like before");

    // tokens: list never shows secrets; revoked tokens stop working
    let t = s.token("editor", "so-khcn");
    let (ok, list, _) = s.cli(&["token", "list"]);
    assert!(ok);
    assert!(!list.contains(&t), "token list never shows a secret");
    let id = list
        .lines()
        .find(|l| l.contains("editor"))
        .and_then(|l| l.split('\t').next())
        .expect("editor token")
        .to_owned();
    assert_eq!(s.get("/api/v1/tokens", Some(&t)).status().as_u16(), 403);
    assert_eq!(
        s.get("/api/v1/tokens", Some(&s.admin)).status().as_u16(),
        200
    );
    let (ok, _, _) = s.cli(&["token", "revoke", &id]);
    assert!(ok);
    let r = s.post(
        "/api/v1/datasets",
        "application/json",
        r#"{"title":{"vi":"x"}}"#,
        Some(&t),
    );
    assert_eq!(r.status().as_u16(), 401, "revoked while the server runs");
    // REST token creation for admins
    let r = s.post(
        "/api/v1/tokens",
        "application/json",
        r#"{"role":"viewer","agency":"so-khcn"}"#,
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201);
    let v: Value = r.json().expect("json");
    assert!(v["token"].as_str().expect("secret").starts_with("dm_"));

    // bad input on the CLI: one clear line, nothing changed
    let broken = fx.join("ckanext-dcat/examples/dcat/dataset.ttl");
    let (ok, _, err) = s.cli(&[
        "import",
        "--agency",
        "so-khcn",
        "--quiet",
        &broken.display().to_string(),
    ]);
    assert!(!ok);
    assert!(err.contains("dataset.ttl") && err.contains("line"), "{err}");
    let (ok, _, err) = s.cli(&["import", "--agency", "nobody", &paths[0]]);
    assert!(!ok && err.contains("nobody"), "{err}");
    let (ok, _, err) = s.cli(&["token", "create", "--role", "editor"]);
    assert!(!ok && err.contains("--agency"), "{err}");
    assert_eq!(n(&s), created);
}

#[test]
fn help_explains_every_flag() {
    let (ok, out, _) = cli(&["serve", "--help"]);
    assert!(ok);
    for flag in [
        "--data",
        "--bind",
        "--demo",
        "--base-iri",
        "--database-url",
        "--body-limit",
        "--query-timeout",
        "DANHMUC_DATA",
    ] {
        assert!(out.contains(flag), "serve --help lacks {flag}");
    }
    let (ok, out, _) = cli(&["token", "create", "--help"]);
    assert!(ok && out.contains("--role") && out.contains("--agency"));
    let (ok, out, _) = cli(&["export", "--help"]);
    assert!(ok && out.contains("ttl") && out.contains("jsonld"));
}

#[test]
fn demo_province_loads_on_first_start() {
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    assert!(
        s.stdout.iter().any(|l| l.contains("http://127.0.0.1")),
        "prints where to open it: {:?}",
        s.stdout
    );
    let agencies: Vec<Value> = s.get("/api/v1/agencies", None).json().expect("agencies");
    assert!(agencies.len() >= 11);
    assert!(
        agencies
            .iter()
            .any(|a| a["name"]["vi"] == "Sở Khoa học và Công nghệ tỉnh Tây Ninh")
    );
    let ds: Value = s
        .get("/api/v1/datasets?limit=1000", Some(&s.admin))
        .json()
        .expect("datasets");
    assert!(ds["items"].as_array().expect("items").len() >= 50);
    let sv: Value = s
        .get("/api/v1/dataservices", None)
        .json()
        .expect("services");
    assert!(sv["items"].as_array().expect("items").len() >= 5);
    let r1 = s.sparql("SELECT ?d ?o WHERE { ?d a <https://w3id.org/dcat-vn#DatabaseEntry> ; <https://w3id.org/dcat-vn#objective> ?o ; <https://w3id.org/dcat-vn#scope> ?s ; <https://w3id.org/dcat-vn#masterData> ?m ; <https://w3id.org/dcat-vn#targetUsers> ?u ; <https://w3id.org/dcat-vn#informationSource> ?i ; <https://w3id.org/dcat-vn#sharingMethod> ?h }", Some(&s.admin));
    assert!(
        r1["results"]["bindings"].as_array().expect("b").len() >= 5,
        "catalogue-of-databases entries carry the six R1 fields"
    );
    let dist = s.sparql(
        "SELECT (COUNT(?x) AS ?n) WHERE { ?d <http://www.w3.org/ns/dcat#distribution> ?x }",
        None,
    );
    let n: usize = dist["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .expect("n")
        .parse()
        .expect("num");
    assert!(n >= 50, "datasets have distributions: {n}");
    let provinces = s.sparql(
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/dcat-vn#Province> }",
        None,
    );
    assert_eq!(
        provinces["results"]["bindings"][0]["n"]["value"], "34",
        "the province code list is queryable"
    );
}
