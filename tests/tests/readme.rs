//! The README's tour runs as written: its shell block, against a fresh demo server, with every
//! request required to succeed (`curl --fail-with-body`), so the README cannot drift from what
//! the registry does.

use danhmuc_e2e::{Backend, Server, binary};
use serde_json::Value;
use std::process::Command;

/// The first ```sh block after the heading `## A short tour`.
fn tour() -> String {
    let readme = include_str!("../../README.md");
    let after = readme
        .split("## A short tour")
        .nth(1)
        .expect("the README has a tour");
    after
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("a sh block")
        .to_owned()
}

#[test]
fn the_readme_tour_runs_as_written() {
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    let host = s.url.trim_start_matches("http://").to_owned();
    let script = tour()
        .replace("localhost:8080", &host)
        .replace("127.0.0.1:8080", &host)
        .replace("--data ./data", "--data \"$DANHMUC_TOUR_DATA\"");
    assert!(
        script.contains("curl") && script.contains("$DS"),
        "{script}"
    );
    let prelude = "set -euo pipefail\n\
        curl() { command curl --fail-with-body --show-error \"$@\"; echo; }\n\
        danhmuc() { \"$DANHMUC_TOUR_BIN\" \"$@\"; }\n";
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("{prelude}{script}\necho \"TOUR-DATASET=$DS\"\n"))
        .env("T", &s.admin)
        .env("DANHMUC_TOUR_BIN", binary())
        .env("DANHMUC_TOUR_DATA", &s.data)
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the README tour failed:\n{stderr}\n--- output ---\n{stdout}"
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
