//! The portal in a real headless Chromium (Debian's package, driven by playwright-core;
//! scripts/setup installs both): every page kind in Vietnamese and English at desktop and
//! 360 px phone width with axe-core's WCAG 2.1 A/AA rules, a search followed by a facet link,
//! and a keyboard-only walk. `DANHMUC_SCREENSHOTS=DIR` also saves a screenshot of each
//! (docs/screenshots/ holds the committed ones).

use danhmuc_e2e::{Backend, Server};
use serde_json::Value;
use std::process::Command;

#[test]
fn the_portal_works_in_a_real_browser_and_passes_axe() {
    let s = Server::start(Backend::Sqlite, &["--demo"]);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/browser/walk.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(&script).arg(&s.url);
    if let Ok(dir) = std::env::var("DANHMUC_SCREENSHOTS") {
        cmd.arg(dir);
    }
    let out = cmd
        .output()
        .expect("node runs (scripts/setup --tests installs Node's packages and Chromium)");
    assert!(
        out.status.success(),
        "the browser walk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("the walk's JSON report");
    let pages = report["pages"].as_array().expect("pages");
    // 9 page kinds × 2 languages × 2 widths.
    assert_eq!(pages.len(), 36, "{report}");
    let mut problems = Vec::new();
    for p in pages {
        let what = format!("{} {} {}", p["name"], p["lang"], p["device"]);
        if p["status"] != 200 {
            problems.push(format!("{what}: HTTP {}", p["status"]));
        }
        if p["htmlLang"] != p["lang"] {
            problems.push(format!("{what}: <html lang={}>", p["htmlLang"]));
        }
        for v in p["axe"].as_array().expect("axe") {
            if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
                problems.push(format!(
                    "{what}: axe {} ({}): {}",
                    v["id"], v["impact"], v["help"]
                ));
            }
        }
        if p["overflow"].as_i64().unwrap_or(1) > 0 {
            problems.push(format!(
                "{what}: {} px wider than the screen",
                p["overflow"]
            ));
        }
        if p["h1"] != 1 {
            problems.push(format!("{what}: {} h1 headings", p["h1"]));
        }
        if !p["scripts"].as_array().expect("scripts").is_empty() {
            problems.push(format!("{what}: loads scripts {}", p["scripts"]));
        }
    }
    let langs: Vec<&str> = pages.iter().filter_map(|p| p["lang"].as_str()).collect();
    assert!(langs.contains(&"vi") && langs.contains(&"en"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The search found the exact title first, and the facet link's count is the narrowed total.
    let facet = &report["flows"]["facet"];
    assert_eq!(facet["first"], "Danh sách trường học", "{facet}");
    let count = facet["count"].as_str().expect("count");
    assert_eq!(facet["total"], format!("{count} kết quả"), "{facet}");
    // Keyboard: the skip link first, focus to the main content, the search box and a result
    // reachable by Tab, with a visible focus outline.
    let k = &report["flows"]["keyboard"];
    assert_eq!(k["firstFocus"], "skip", "{k}");
    assert_eq!(k["afterSkip"], "main", "{k}");
    assert_eq!(k["reachedSearch"], true, "{k}");
    assert_eq!(k["resultFocused"], true, "{k}");
    assert_ne!(k["outline"], "none", "{k}");
}
