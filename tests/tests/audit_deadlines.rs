//! Update deadlines under each province's rules (R6): scenario tests per profile, with dates
//! relative to today so that they hold whenever they run.

use chrono::{Datelike, Duration, FixedOffset, Utc};
use danhmuc_e2e::{Backend, Server, cli};
use serde_json::Value;

fn today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&FixedOffset::east_opt(7 * 3600).expect("tz"))
        .date_naive()
}

fn dataset(
    s: &Server,
    agency: &str,
    title: &str,
    freq: Option<&str>,
    modified: Option<chrono::NaiveDate>,
) -> String {
    let mut ttl = format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
         <http://src.example/{}> a dcat:Dataset ; dct:title \"{title}\"@vi ; dct:description \"Mô tả {title}\"@vi",
        title.len()
    );
    if let Some(f) = freq {
        ttl.push_str(&format!(" ; dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/{f}>"));
    }
    if let Some(m) = modified {
        ttl.push_str(&format!(
            " ; dct:modified \"{m}\"^^<http://www.w3.org/2001/XMLSchema#date>"
        ));
    }
    ttl.push_str(" .");
    let r = s.post(
        &format!("/api/v1/datasets?agency={agency}"),
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

fn deadlines(s: &Server, query: &str) -> Value {
    let r = s.get(&format!("/api/v1/audit/deadlines{query}"), Some(&s.admin));
    assert_eq!(r.status().as_u16(), 200);
    r.json().expect("json")
}

fn item<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {v}"))
}

fn ninh_thuan(backend: Backend) {
    let s = Server::start(backend, &["--profile", "ninh-thuan"]);
    s.agency("so-ct", "Sở Công Thương");
    s.agency("so-yt", "Sở Y tế");
    let t = today();
    // a monthly dataset last updated 20 days after the end of a month long past: overdue
    let month_end = chrono::NaiveDate::from_ymd_opt(t.year() - 1, 3, 31).expect("d");
    let late = dataset(
        &s,
        "so-ct",
        "Giá hàng hóa thiết yếu hằng tháng",
        Some("MONTHLY"),
        Some(month_end + Duration::days(20)),
    );
    // a monthly dataset updated today: on time (due 15 days after this month's end)
    let fresh = dataset(
        &s,
        "so-ct",
        "Chỉ số giá tiêu dùng",
        Some("MONTHLY"),
        Some(t),
    );
    // a quarterly dataset updated today: on time (30 days after the quarter's end)
    let quarterly = dataset(
        &s,
        "so-yt",
        "Số ca bệnh truyền nhiễm theo quý",
        Some("QUARTERLY"),
        Some(t),
    );
    // no frequency: a finding
    let nofreq = dataset(&s, "so-yt", "Danh sách cơ sở y tế", None, None);
    let v = deadlines(&s, "");
    assert_eq!(v["profile"], "ninh-thuan");
    let l = item(&v, &late);
    assert_eq!(l["status"], "overdue", "{l}");
    // last update 20 April: the update for April is due 15 May
    let due = chrono::NaiveDate::from_ymd_opt(t.year() - 1, 5, 15).expect("d");
    assert_eq!(l["due"], due.to_string(), "{l}");
    assert_eq!(l["due_vn"], format!("15/05/{}", t.year() - 1), "{l}");
    assert!(l["basis"].as_str().unwrap_or("").contains("Điều 4"), "{l}");
    assert_eq!(item(&v, &fresh)["status"], "on_time");
    assert_eq!(item(&v, &quarterly)["status"], "on_time");
    assert_eq!(item(&v, &nofreq)["status"], "no_frequency");
    assert_eq!(item(&v, &nofreq)["last_update_source"], "registry");
    assert_eq!(v["counts"]["overdue"], 1);
    // filters
    let v = deadlines(&s, "?status=overdue,no_frequency");
    assert_eq!(v["items"].as_array().map(Vec::len), Some(2));
    let v = deadlines(&s, "?agency=so-yt");
    assert_eq!(v["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        s.get("/api/v1/audit/deadlines?status=late", Some(&s.admin))
            .status()
            .as_u16(),
        400
    );
    assert_eq!(
        s.get("/api/v1/audit/deadlines", None).status().as_u16(),
        401
    );
    // an agency sees its own deadlines, not a restricted dataset of another agency
    let token = s.token("editor", "so-yt");
    let r = s.get("/api/v1/audit/deadlines?agency=so-yt", Some(&token));
    assert_eq!(r.status().as_u16(), 200);
}

#[test]
fn ninh_thuan_monthly_deadlines_sqlite() {
    ninh_thuan(Backend::Sqlite);
}

#[test]
fn ninh_thuan_monthly_deadlines_postgres() {
    ninh_thuan(Backend::Postgres);
}

#[test]
fn hue_and_bac_giang_rules() {
    let t = today();
    let s = Server::start(Backend::Sqlite, &["--profile", "hue"]);
    s.agency("so-vh", "Sở Văn hóa và Thể thao");
    // Huế: every quarter, within 15 days of the next quarter's start
    let q = dataset(
        &s,
        "so-vh",
        "Lượt khách tham quan di tích",
        Some("MONTHLY"),
        Some(t - Duration::days(200)),
    );
    let v = deadlines(&s, "");
    let d = item(&v, &q);
    assert_eq!(d["status"], "overdue", "{d}");
    assert!(
        d["basis"]
            .as_str()
            .unwrap_or("")
            .contains("15 ngày kể từ ngày đầu tiên của quý sau"),
        "{d}"
    );
    drop(s);
    // Bắc Giang: the open-data catalogue is refreshed at least every 3 months
    let s = Server::start(Backend::Sqlite, &["--profile", "bac-giang"]);
    s.agency("so-tc", "Sở Tài chính");
    let y = dataset(
        &s,
        "so-tc",
        "Quyết toán ngân sách năm",
        Some("ANNUAL"),
        Some(t - Duration::days(100)),
    );
    let v = deadlines(&s, "");
    let d = item(&v, &y);
    assert_eq!(
        d["status"], "overdue",
        "an annual dataset still waits at most 3 months: {d}"
    );
    assert!(
        d["basis"].as_str().unwrap_or("").contains("03 tháng"),
        "{d}"
    );
    // an unknown profile is refused at start with a one-line message
    let dir = tempfile::tempdir().expect("dir");
    let (ok, _, err) = cli(&[
        "serve",
        "--profile",
        "sai-gon",
        "--data",
        dir.path().to_str().expect("p"),
        "--bind",
        "127.0.0.1:0",
    ]);
    assert!(!ok && err.contains("unknown profile 'sai-gon'"), "{err}");
}

fn profile(s: &Server) -> Value {
    let r = s.get("/api/v1/audit/profile", None);
    assert_eq!(r.status().as_u16(), 200);
    r.json().expect("json")
}

fn next_on_or_after(t: chrono::NaiveDate, month: u32, day: u32) -> chrono::NaiveDate {
    let this = chrono::NaiveDate::from_ymd_opt(t.year(), month, day).expect("d");
    if this >= t {
        this
    } else {
        chrono::NaiveDate::from_ymd_opt(t.year() + 1, month, day).expect("d")
    }
}

/// Tây Ninh (Art. 22.5: yearly evaluation report before 15 November) and Hà Nam (Art. 17.6:
/// yearly report before 15 December); Ninh Thuận (Art. 15.2: quarterly report before the 25th of
/// the quarter's last month).
#[test]
fn report_dates_per_profile() {
    let t = today();
    for (name, month, day, article) in [
        ("tay-ninh", 11, 15, "Điều 22"),
        ("ha-nam", 12, 15, "Điều 17"),
    ] {
        let s = Server::start(Backend::Sqlite, &["--profile", name]);
        let p = profile(&s);
        assert_eq!(p["profile"]["name"], name);
        let due = next_on_or_after(t, month, day);
        let r = &p["reports_due"][0];
        assert_eq!(r["name"], "yearly", "{p}");
        assert_eq!(r["next_due"], due.to_string(), "{p}");
        assert_eq!(r["next_due_vn"], due.format("%d/%m/%Y").to_string());
        assert_eq!(r["days_left"], (due - t).num_days());
        assert!(r["basis"].as_str().expect("basis").contains(article), "{p}");
    }
    let s = Server::start(Backend::Sqlite, &["--profile", "ninh-thuan"]);
    let p = profile(&s);
    let r = p["reports_due"]
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| r["name"] == "quarterly")
        .expect("quarterly");
    let q_last_month = ((t.month() - 1) / 3) * 3 + 3;
    let this = chrono::NaiveDate::from_ymd_opt(t.year(), q_last_month, 25).expect("d");
    let due = if this >= t {
        this
    } else if q_last_month == 12 {
        chrono::NaiveDate::from_ymd_opt(t.year() + 1, 3, 25).expect("d")
    } else {
        chrono::NaiveDate::from_ymd_opt(t.year(), q_last_month + 3, 25).expect("d")
    };
    assert_eq!(r["next_due_vn"], due.format("%d/%m/%Y").to_string(), "{p}");
    assert_eq!(p["today_vn"], t.format("%d/%m/%Y").to_string());
}
