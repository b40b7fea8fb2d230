//! The README's tour runs as written: its shell block, against a fresh demo server, with every
//! request required to succeed (`curl --fail-with-body`), so the README cannot drift from what
//! the registry does.

use danhmuc_e2e::origin::{Origin, Reply};
use danhmuc_e2e::{Backend, Server, binary};
use serde_json::Value;
use std::process::Command;

/// The first ```sh block after `heading` in `doc`.
fn block(doc: &str, heading: &str) -> String {
    let after = doc
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no heading {heading}"));
    after
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .unwrap_or_else(|| panic!("no sh block after {heading}"))
        .to_owned()
}

/// Runs shell examples against a server as a reader would (`$T` its admin token, `danhmuc` the
/// binary under test, `--data` its data directory), in `cwd`, within five minutes; fails with
/// what the script printed unless every command succeeded. Returns its standard output.
fn run_examples(what: &str, s: &Server, script: &str, cwd: &std::path::Path) -> String {
    let host = s.url.trim_start_matches("http://");
    let script = script
        .replace("localhost:8080", host)
        .replace("127.0.0.1:8080", host)
        .replace("--data ./data", "--data \"$DANHMUC_TOUR_DATA\"");
    let out = Command::new("timeout")
        .args(["300", "bash", "-c"])
        .arg(format!("{PRELUDE}{script}\n"))
        .current_dir(cwd)
        .env("T", &s.admin)
        .env("DANHMUC_TOUR_BIN", binary())
        .env("DANHMUC_TOUR_DATA", &s.data)
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed:\n{stderr}\n--- output ---\n{stdout}"
    );
    stdout
}

/// The README's tour.
fn tour() -> String {
    block(include_str!("../../README.md"), "## A short tour")
}

/// Every request must succeed; `danhmuc` is the binary under test.
const PRELUDE: &str = "set -euo pipefail\n\
    curl() { command curl --fail-with-body --show-error \"$@\"; echo; }\n\
    danhmuc() { \"$DANHMUC_TOUR_BIN\" \"$@\"; }\n";

#[test]
fn the_readme_tour_runs_as_written() {
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    let script = tour();
    assert!(
        script.contains("curl") && script.contains("$DS"),
        "{script}"
    );
    let work = tempfile::tempdir().expect("dir");
    let stdout = run_examples(
        "the README tour",
        &s,
        &format!("{script}\necho \"TOUR-DATASET=$DS\""),
        work.path(),
    );
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("TOUR-DATASET="))
        .expect("the tour's dataset id")
        .trim()
        .to_owned();
    assert!(!id.is_empty());
    // What the tour did is there: the dataset was replaced, then withdrawn; the source exists.
    let history: Value = s
        .get(&format!("/api/v1/datasets/{id}/history"), Some(&s.admin))
        .json()
        .expect("history");
    let versions = history["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 3, "created, replaced, withdrawn: {history}");
    let gone = s.get(&format!("/api/v1/datasets/{id}"), None);
    assert_eq!(gone.status().as_u16(), 410);
    let sources: Value = s
        .get("/api/v1/harvest/sources", Some(&s.admin))
        .json()
        .expect("sources");
    assert!(
        sources.to_string().contains("Cổng dữ liệu Sở Y tế"),
        "{sources}"
    );
    assert!(stdout.contains("Cơ sở khám bệnh, chữa bệnh năm 2026"));
}

/// A DCAT catalogue of three datasets in Turtle, as an agency's portal would publish it; the
/// first request waits three seconds, so that the docs' cancel finds the run still going.
fn agency_portal() -> Origin {
    let first = std::sync::atomic::AtomicBool::new(true);
    Origin::start(move |target| {
        if !target.starts_with("/catalog.ttl") {
            return Reply::status(404);
        }
        if first.swap(false, std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_secs(3));
        }
        let mut ttl = String::from(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
             <https://snnmt.example.vn/catalog> a dcat:Catalog ; dct:title \"Danh mục dữ liệu Sở NN&MT\"@vi ;\n\
               dct:description \"Dữ liệu mở của Sở Nông nghiệp và Môi trường\"@vi",
        );
        for i in 1..=3 {
            ttl.push_str(&format!(
                " ; dcat:dataset <https://snnmt.example.vn/dataset/{i}>"
            ));
        }
        ttl.push_str(" .\n");
        for i in 1..=3 {
            ttl.push_str(&format!(
                "<https://snnmt.example.vn/dataset/{i}> a dcat:Dataset ; dct:title \"Quan trắc môi trường đợt {i}\"@vi ;\n\
                   dct:description \"Kết quả quan trắc chất lượng nước mặt, đợt {i}\"@vi .\n"
            ));
        }
        Reply::ok("text/turtle", ttl)
    })
}

#[test]
fn the_harvest_and_audit_docs_run_as_written() {
    let harvest_md = include_str!("../../docs/HARVEST.md");
    let audit_md = include_str!("../../docs/AUDIT.md");
    let portal = agency_portal();
    let s = Server::start(Backend::Sqlite, &["--allow-private-harvest"]);
    s.agency("so-nnmt", "Sở Nông nghiệp và Môi trường");
    let script = [
        block(harvest_md, "## Spreadsheet template"),
        block(harvest_md, "## REST"),
        block(harvest_md, "## Command line"),
        "echo \"DOCS-DATASET=$DS\"".to_owned(),
        block(audit_md, "## Tamper-evident history"),
    ]
    .join("\n")
    .replace("https://data.example.vn", &portal.url);
    let work = tempfile::tempdir().expect("dir");
    let stdout = run_examples("the docs' examples", &s, &script, work.path());
    // What the blocks did is there. The DCAT source: one cancelled run, then a whole one.
    let sources: Value = s
        .get("/api/v1/harvest/sources", Some(&s.admin))
        .json()
        .expect("sources");
    let all = sources.as_array().expect("a list").clone();
    let named = |name: &str| {
        all.iter()
            .find(|x| x["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {sources}"))["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    let jobs = |id: &str| -> Vec<Value> {
        let v: Value = s
            .get(
                &format!("/api/v1/harvest/sources/{id}/jobs"),
                Some(&s.admin),
            )
            .json()
            .expect("jobs");
        v.as_array().expect("a list").clone()
    };
    let dcat = jobs(&named("Cổng dữ liệu Sở NN&MT"));
    let statuses: Vec<&str> = dcat
        .iter()
        .map(|j| j["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, ["succeeded", "cancelled"], "{dcat:?}");
    let sheet = jobs(&named("Bảng kê Sở NN&MT"));
    assert_eq!(sheet[0]["status"], "succeeded", "{sheet:?}");
    assert_eq!(sheet[0]["created"], 2, "{sheet:?}");
    let titles = s.dataset_titles();
    for t in [
        "Quan trắc môi trường đợt 3",
        "Danh sách hợp tác xã nông nghiệp",
        "Diện tích đất trồng lúa",
    ] {
        assert!(titles.iter().any(|x| x == t), "{t} in {titles:?}");
    }
    // The provenance request answered the payload the record was made from.
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("DOCS-DATASET="))
        .expect("a dataset id")
        .trim()
        .to_owned();
    let payload = s.get(&format!("/api/v1/datasets/{id}/source"), None);
    assert_eq!(payload.status().as_u16(), 200);
    // The command line: the template, two sources of so-tc, the sheet's run.
    let template = std::fs::read(work.path().join("mau.csv")).expect("mau.csv");
    assert!(template.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    assert!(String::from_utf8_lossy(&template).contains("Tên tiếng Việt"));
    let tc = jobs(&named("Bảng kê Sở TC"));
    assert_eq!(tc[0]["status"], "succeeded", "{tc:?}");
    assert_eq!(tc[0]["created"], 2, "{tc:?}");
    assert!(
        all.iter()
            .any(|x| x["name"] == "Cổng dữ liệu Sở TC" && x["agency"] == "so-tc")
    );
    // The audit block: the chain verified; the trail is JSON lines.
    assert!(stdout.contains("nguyên vẹn"), "{stdout}");
    let trail = std::fs::read_to_string(work.path().join("trail.jsonl")).expect("trail");
    for l in trail.lines() {
        serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l}"));
    }
}
