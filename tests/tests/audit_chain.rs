//! The change log is tamper-evident: `danhmuc audit verify` accepts an untouched log and names
//! the first broken entry, exiting non-zero, when a row was changed or removed behind the
//! registry's back — on SQLite and PostgreSQL.

use danhmuc_e2e::{Backend, Server};
use serde_json::json;

fn exec(s: &Server, sql: &str) {
    let url = s
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", s.data.join("danhmuc.sqlite").display()));
    let sql = sql.to_owned();
    tokio::runtime::Runtime::new()
        .expect("rt")
        .block_on(async move {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
            sqlx::query(&sql).execute(&pool).await.expect("tamper");
        });
}

fn chain(backend: Backend) {
    let s = Server::start(backend, &[]);
    s.agency("so-tc", "Sở Tài chính");
    for i in 0..3 {
        let r = s.post(
            "/api/v1/datasets?agency=so-tc",
            "application/json",
            json!({"type": "Dataset", "title": {"vi": format!("Dự toán ngân sách {i}")}, "description": {"vi": "Dự toán ngân sách nhà nước"}})
                .to_string(),
            Some(&s.admin),
        );
        assert_eq!(r.status().as_u16(), 201);
    }
    // agency = entry 1, datasets = entries 2..4
    let (ok, out, err) = s.cli(&["audit", "verify"]);
    assert!(ok, "{err}");
    assert!(out.contains("intact") && out.contains(" 4 "), "{out}");
    // the audit trail as JSON lines, chained, for an agency and a period
    let (ok, out, err) = s.cli(&["audit", "export", "--agency", "so-tc"]);
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    for w in lines.windows(2) {
        assert_eq!(w[1]["prev_hash"], w[0]["entry_hash"]);
    }
    assert!(
        lines
            .iter()
            .all(|l| l["author"].is_string() && l["canonical"].is_null())
    );
    let (ok, out, _) = s.cli(&["audit", "export", "--from", "2999-01-01"]);
    assert!(ok && out.trim().is_empty(), "{out}");
    let (ok, _, err) = s.cli(&["audit", "export", "--from", "hôm qua"]);
    assert!(!ok && err.contains("--from"), "{err}");
    // a quiet edit of one entry's content
    exec(
        &s,
        "UPDATE versions SET canonical = REPLACE(canonical, 'Dự toán', 'Quyết toán') WHERE seq = 3",
    );
    let (ok, _, err) = s.cli(&["audit", "verify"]);
    assert!(!ok, "a tampered log must fail verification");
    assert!(err.contains("entry 3") && err.contains("changed"), "{err}");
    exec(
        &s,
        "UPDATE versions SET canonical = REPLACE(canonical, 'Quyết toán', 'Dự toán') WHERE seq = 3",
    );
    let (ok, _, err) = s.cli(&["audit", "verify"]);
    assert!(ok, "restored: {err}");
    // a removed entry breaks the link of the next one
    exec(&s, "DELETE FROM versions WHERE seq = 2");
    let (ok, _, err) = s.cli(&["audit", "verify"]);
    assert!(!ok);
    assert!(
        err.contains("entry 3") && err.contains("does not link"),
        "{err}"
    );
}

#[test]
fn tampering_is_detected_sqlite() {
    chain(Backend::Sqlite);
}

#[test]
fn tampering_is_detected_postgres() {
    chain(Backend::Postgres);
}
