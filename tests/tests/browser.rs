//! The portal in a real headless Chromium (Debian's package, driven by playwright-core;
//! scripts/setup installs both): every page kind in Vietnamese and English at desktop and
//! 360 px phone width with axe-core's WCAG 2.1 A/AA rules (the officer's and the
//! coordinating department's pages signed in), a search followed by a facet link, a
//! keyboard-only walk, and an officer creating a dataset through the form and withdrawing it.
//! `DANHMUC_SCREENSHOTS=DIR` also saves a screenshot of each (docs/screenshots/ holds the
//! committed ones).

use danhmuc_e2e::portal::{PASSWORD, create_user};
use danhmuc_e2e::{Backend, Server};
use serde_json::Value;
use std::process::Command;

/// Runs the walk against the demo on `backend`: its JSON report.
fn walk(backend: Backend, screenshots: bool) -> Value {
    let s = Server::start(backend, &["--demo"]);
    let (editor, admin) = ("bien.tap@tayninh.gov.vn", "dieu.phoi@tayninh.gov.vn");
    for (email, agency, role) in [(editor, "so-gddt", "editor"), (admin, "so-khcn", "admin")] {
        let (ok, err) = create_user(&s, email, agency, role, PASSWORD);
        assert!(ok, "{err}");
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/browser/walk.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .arg(&s.url)
        .env("DANHMUC_EDITOR", editor)
        .env("DANHMUC_ADMIN", admin)
        .env("DANHMUC_PASSWORD", PASSWORD);
    if let (true, Ok(dir)) = (screenshots, std::env::var("DANHMUC_SCREENSHOTS")) {
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
    serde_json::from_slice(&out.stdout).expect("the walk's JSON report")
}

#[test]
fn the_portal_works_in_a_real_browser_and_passes_axe() {
    judge(&walk(Backend::Sqlite, true));
}

#[test]
fn the_portal_works_in_a_real_browser_on_postgresql() {
    judge(&walk(Backend::Postgres, false));
}

/// What a walk must have found.
fn judge(report: &Value) {
    let pages = report["pages"].as_array().expect("pages");
    // 14 page kinds × 2 languages × 2 widths.
    assert_eq!(pages.len(), 56, "{report}");
    let mut problems = Vec::new();
    for p in pages {
        let what = format!("{} {} {}", p["name"], p["lang"], p["device"]);
        let expected = if p["name"] == "not-found" { 404 } else { 200 };
        if p["status"] != expected {
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
    // The officer: the server's Vietnamese error beside the field first (the browser's own
    // check passes a title of spaces), then created, found, withdrawn, and gone.
    let o = &report["flows"]["officer"];
    assert_eq!(
        o["error"], "Cần nhập tên bộ dữ liệu bằng tiếng Việt.",
        "{o}"
    );
    assert_eq!(o["invalid"], "true", "{o}");
    assert_eq!(o["afterCreate"], "/manage?done=created", "{o}");
    assert_eq!(o["notice"], "Đã thêm bộ dữ liệu.", "{o}");
    assert_eq!(o["found"], "1 kết quả", "{o}");
    assert_eq!(o["title"], "Chợ truyền thống BROWSERMARK", "{o}");
    assert!(
        o["recordPath"]
            .as_str()
            .is_some_and(|p| p.starts_with("/datasets/")),
        "{o}"
    );
    assert_eq!(
        o["afterWithdraw"], "Đã rút bộ dữ liệu; lịch sử vẫn được giữ.",
        "{o}"
    );
    assert_eq!(o["foundAfter"], "0 kết quả", "{o}");
    assert_eq!(o["goneStatus"], 410, "{o}");
    assert_eq!(o["goneTitle"], "Bản ghi đã bị rút", "{o}");
}
