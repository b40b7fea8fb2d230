//! Quarterly reports (R7) from history as of the quarter's end: a past quarter's report does
//! not change when records change later. The server's clock is moved back to write a past
//! quarter's history (DANHMUC_CLOCK_OFFSET_DAYS), then forward again to edit it.

use chrono::{Datelike, Duration, FixedOffset, Utc};
use danhmuc_e2e::{Backend, Server};
use serde_json::Value;

fn quarter_of(d: chrono::NaiveDate) -> String {
    format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

fn report(s: &Server, q: &str, token: &str) -> Value {
    let r = s.get(
        &format!("/api/v1/reports/quarterly?quarter={q}"),
        Some(token),
    );
    assert_eq!(r.status().as_u16(), 200);
    r.json().expect("json")
}

fn line<'a>(r: &'a Value, agency: &str) -> &'a Value {
    r["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .find(|a| a["agency"] == agency)
        .unwrap_or_else(|| panic!("{agency} not in {r}"))
}

fn scenario(backend: Backend) {
    let today = Utc::now()
        .with_timezone(&FixedOffset::east_opt(7 * 3600).expect("tz"))
        .date_naive();
    let past = today - Duration::days(200);
    let (qa, qb) = (quarter_of(past), quarter_of(today));
    let mut s = Server::start(backend, &["--profile", "ninh-thuan"]);
    s.env
        .push(("DANHMUC_CLOCK_OFFSET_DAYS".into(), "-200".into()));
    s.restart();
    s.agency("so-ct", "Sở Công Thương");
    s.agency("so-yt", "Sở Y tế");
    let post = |s: &Server, agency: &str, body: String| -> String {
        let r = s.post(
            &format!("/api/v1/datasets?agency={agency}"),
            "text/turtle",
            body,
            Some(&s.admin),
        );
        assert_eq!(r.status().as_u16(), 201);
        r.json::<Value>().expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    let old = (today - Duration::days(400)).to_string();
    let a = post(
        &s,
        "so-ct",
        format!(
            "<http://src.example/a> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Giá hàng hóa hằng tháng\"@vi ; <http://purl.org/dc/terms/description> \"Giá hằng tháng\"@vi ; <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ; <http://purl.org/dc/terms/modified> \"{old}\"^^<http://www.w3.org/2001/XMLSchema#date> ."
        ),
    );
    let b = post(&s, "so-ct", "<http://src.example/b> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Danh sách chợ\"@vi ; <http://purl.org/dc/terms/description> \"Các chợ\"@vi .".into());
    // back to today
    s.env.clear();
    s.restart();
    // plans for the phase holding that quarter: so-ct aims at 1 open dataset, so-yt at 3
    let (y, q) = (past.year(), (past.month() - 1) / 3);
    let starts = chrono::NaiveDate::from_ymd_opt(y, q * 3 + 1, 1).expect("d");
    for (agency, target) in [("so-ct", 1), ("so-yt", 3)] {
        let r = s
            .client()
            .put(format!("{}/api/v1/agencies/{agency}/plans/giai-doan-1", s.url))
            .bearer_auth(&s.admin)
            .json(&serde_json::json!({"starts": starts.to_string(), "ends": format!("{}-12-31", y + 1), "target": target}))
            .send()
            .expect("plan");
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().unwrap_or_default());
    }
    let r = s
        .client()
        .put(format!("{}/api/v1/agencies/so-ct/plans/bad", s.url))
        .bearer_auth(&s.admin)
        .json(&serde_json::json!({"starts": "2026-12-31", "ends": "2026-01-01", "target": 1}))
        .send()
        .expect("plan");
    assert_eq!(r.status().as_u16(), 422);
    let before = report(&s, &qa, &s.admin);
    assert_eq!(line(&before, "so-ct")["plan_met"], true, "{before}");
    assert_eq!(line(&before, "so-yt")["plan_met"], false, "{before}");
    assert_eq!(line(&before, "so-ct")["open_datasets"], 2, "{before}");
    let ct = line(&before, "so-ct");
    assert_eq!(
        (ct["published"].as_i64(), ct["total_published"].as_i64()),
        (Some(2), Some(2)),
        "{before}"
    );
    assert_eq!(
        (ct["overdue"].as_i64(), ct["no_frequency"].as_i64()),
        (Some(1), Some(1)),
        "{before}"
    );
    assert_eq!(ct["rank"], 1);
    assert_eq!(line(&before, "so-yt")["published"], 0);
    // later edits: one dataset changed, one withdrawn
    let r = s.get(&format!("/api/v1/datasets/{a}"), Some(&s.admin));
    let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
    let r = s
        .client()
        .put(format!("{}/api/v1/datasets/{a}", s.url))
        .bearer_auth(&s.admin)
        .header("content-type", "text/turtle")
        .header("if-match", etag)
        .body("<http://src.example/a> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Giá hàng hóa thiết yếu\"@vi ; <http://purl.org/dc/terms/description> \"Giá thiết yếu\"@vi ; <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/MONTHLY> .")
        .send()
        .expect("put");
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().unwrap_or_default());
    let r = s
        .client()
        .delete(format!("{}/api/v1/datasets/{b}", s.url))
        .bearer_auth(&s.admin)
        .send()
        .expect("delete");
    assert!(r.status().is_success(), "{}", r.status());
    // the past quarter's report is unchanged; the current one shows the edits
    let after = report(&s, &qa, &s.admin);
    assert_eq!(before, after, "a past quarter's report does not change");
    let now = report(&s, &qb, &s.admin);
    let ct = line(&now, "so-ct");
    assert_eq!(
        (
            ct["published"].as_i64(),
            ct["updated"].as_i64(),
            ct["withdrawn"].as_i64(),
            ct["total_published"].as_i64()
        ),
        (Some(0), Some(1), Some(1), Some(1)),
        "{now}"
    );
    // CSV for spreadsheets, HTML for printing, the CLI
    let r = s
        .client()
        .get(format!("{}/api/v1/reports/quarterly?quarter={qa}", s.url))
        .bearer_auth(&s.admin)
        .header("accept", "text/csv")
        .send()
        .expect("csv");
    let csv = r.bytes().expect("bytes").to_vec();
    assert!(csv.starts_with(b"\xef\xbb\xbf"));
    let text = String::from_utf8(csv.clone()).expect("utf8");
    assert!(
        text.contains("Hạng") && text.contains("Sở Công Thương"),
        "{text}"
    );
    let html = s
        .get(
            &format!("/api/v1/reports/quarterly?quarter={qa}&format=html"),
            Some(&s.admin),
        )
        .text()
        .expect("html");
    assert!(
        html.contains("<html lang=\"vi\"")
            && html.contains("Báo cáo")
            && html.contains("Sở Công Thương")
            && !html.contains("<script"),
        "{html}"
    );
    let (ok, out, err) = s.cli(&[
        "report",
        "quarterly",
        "--quarter",
        &qa,
        "--format",
        "csv",
        "--profile",
        "ninh-thuan",
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        out.as_bytes(),
        &csv[..],
        "the CLI and the API give the same CSV"
    );
    // an agency sees its own line only; bad input is refused
    let t = s.token("editor", "so-yt");
    let mine = report(&s, &qa, &t);
    assert_eq!(mine["agencies"].as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(
        s.get("/api/v1/reports/quarterly?quarter=2026-Q5", Some(&s.admin))
            .status()
            .as_u16(),
        400
    );
    assert_eq!(
        s.get(&format!("/api/v1/reports/quarterly?quarter={qa}"), None)
            .status()
            .as_u16(),
        401
    );
}

#[test]
fn past_quarters_are_stable_sqlite() {
    scenario(Backend::Sqlite);
}

#[test]
fn past_quarters_are_stable_postgres() {
    scenario(Backend::Postgres);
}
