//! The coordinating department's dashboard and the officers' harvest pages, through the real
//! binary as a browser uses them, on the demo province and both databases: the numbers the
//! dashboard shows are the audit API's numbers, its charts carry titles and a table of the
//! same figures, the quarterly report downloads, a pending catalogue request is rejected
//! only with a reason and approved with the session's CSRF token, likely duplicates appear;
//! an officer uploads a spreadsheet to the agency's sheet source and follows the job to its
//! end. Errors reach browsers as pages, machines as problem+json.

use danhmuc_e2e::portal::{BROWSER, client, input, page, post_form, signed_in};
use danhmuc_e2e::{BACKENDS, Server};
use serde_json::Value;

fn api(s: &Server, path: &str) -> Value {
    let r = s.get(path, Some(&s.admin));
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().expect("json")
}

/// The numbers in the `<td>` cells of the table row whose header cell contains `label`.
fn row_numbers(html: &str, label: &str) -> Vec<u64> {
    let row = html
        .split("<tr>")
        .find(|r| r.split("</th>").next().is_some_and(|h| h.contains(label)))
        .unwrap_or_else(|| panic!("no row {label}"));
    row.split("<td>")
        .skip(1)
        .filter_map(|c| c.split('<').next())
        .filter_map(|c| c.trim().parse().ok())
        .collect()
}

#[test]
fn the_dashboard_shows_the_audit_numbers_and_decides_requests() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        // Two agencies publish the same data under alike titles: a duplicate to review.
        for (agency, title) in [
            ("so-yt", "Danh sách nhà thuốc đạt chuẩn GPP"),
            ("so-ct", "Danh sach nha thuoc dat chuan GPP"),
        ] {
            let ttl = format!(
                "<http://src.example/{agency}/gpp> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{title}\"@vi ; <http://purl.org/dc/terms/description> \"Nhà thuốc đạt chuẩn thực hành tốt.\"@vi ."
            );
            let r = s.post(
                &format!("/api/v1/datasets?agency={agency}"),
                "text/turtle",
                ttl,
                Some(&s.admin),
            );
            assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
        }

        // Someone asks for data that is not published: the dashboard ranks it.
        let r = s.post(
            "/api/v1/data-requests",
            "application/json",
            serde_json::json!({"title": "Lịch cắt điện theo xã MARKERDEMAND", "description": "Lịch cắt điện hằng tuần."}).to_string(),
            None,
        );
        assert_eq!(r.status().as_u16(), 201);

        // Anonymous visitors are asked to sign in, as a page.
        let (status, html) = page(&s, "/dashboard", None);
        assert_eq!(status, 401);
        assert!(html.contains("<html lang=\"vi\""), "{html}");
        assert!(
            html.contains("href=\"/signin?next=%2Fdashboard\""),
            "{html}"
        );

        let admin = signed_in(&s, "dieu.phoi@tayninh.gov.vn", "so-khcn", "admin");
        let (status, html) = page(&s, "/dashboard", Some(&admin));
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("<h1>Bảng điều khiển điều phối dữ liệu</h1>"));

        // Deadlines: the table's total row is the deadlines API's counts.
        let d = api(&s, "/api/v1/audit/deadlines");
        let c = &d["counts"];
        let want: Vec<u64> = [
            "overdue",
            "due_soon",
            "on_time",
            "no_frequency",
            "no_deadline",
        ]
        .iter()
        .map(|k| c[k].as_u64().expect("count"))
        .collect();
        assert_eq!(row_numbers(&html, "Tổng"), want);
        assert!(want[0] > 0, "the demo has overdue datasets: {c}");
        let overdue = d["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["status"] == "overdue")
            .expect("an overdue dataset");
        assert!(
            html.contains(&format!(
                "href=\"/datasets/{}\"",
                overdue["id"].as_str().expect("id")
            )),
            "the overdue dataset is listed"
        );

        // Quality: two charts, each named and described, and tables of the same numbers.
        let q = api(&s, "/api/v1/audit/quality");
        assert_eq!(
            html.matches("role=\"img\" aria-labelledby=\"chart-")
                .count(),
            2
        );
        assert!(html.contains("<title id=\"chart-distribution-title\">"));
        assert!(html.contains("<desc id=\"chart-agencies-desc\">"));
        for band in q["distribution"].as_array().expect("bands") {
            let label = format!("{}–{}%", band["from_percent"], band["to_percent"]);
            assert_eq!(
                row_numbers(&html, &label),
                vec![band["records"].as_u64().expect("n")],
                "{label}"
            );
        }
        let scored: u64 = q["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .map(|a| a["records"].as_u64().expect("records"))
            .sum();
        let banded: u64 = q["distribution"]
            .as_array()
            .expect("bands")
            .iter()
            .map(|b| b["records"].as_u64().expect("records"))
            .sum();
        assert_eq!(scored, banded);
        assert!(banded > 0);
        assert_eq!(
            html.matches("class=\"bar\"").count(),
            10 + q["agencies"].as_array().expect("agencies").len()
        );

        // The quarterly report of a chosen quarter, and its downloads with the session.
        let (status, report) = page(&s, "/dashboard?quarter=2026-q4", Some(&admin));
        assert_eq!(status, 200);
        assert!(report.contains("Báo cáo quý 2026-Q4"), "{report}");
        let csv = client()
            .get(format!(
                "{}/api/v1/reports/quarterly?quarter=2026-Q4&format=csv",
                s.url
            ))
            .header("cookie", &admin)
            .send()
            .expect("csv");
        assert_eq!(csv.status().as_u16(), 200);
        let body = csv.bytes().expect("bytes");
        assert!(body.starts_with(&[0xEF, 0xBB, 0xBF]), "CSV with BOM");
        assert!(
            report.contains("quarter=2026-Q4&amp;format=csv")
                || report.contains("quarter=2026-Q4&#38;format=csv")
        );
        let (status, bad) = page(&s, "/dashboard?quarter=2026-Q5", Some(&admin));
        assert_eq!(status, 400);
        assert!(bad.contains("Q1 to Q4"), "{bad}");

        // The most requested data, with its supporters.
        assert!(
            html.contains("<th scope=\"row\">Lịch cắt điện theo xã MARKERDEMAND</th><td>1</td><td>chưa giao</td>"),
            "{html}"
        );

        // Duplicates across agencies.
        assert!(
            html.contains("Danh sách nhà thuốc đạt chuẩn GPP"),
            "the duplicate pair"
        );
        assert!(html.contains("Danh sach nha thuoc dat chuan GPP"));

        // The pending request: rejecting needs a reason; approving issues the catalogue anew.
        assert!(
            html.contains("Cơ sở dữ liệu hộ kinh doanh của tỉnh"),
            "{html}"
        );
        let pending = api(&s, "/api/v1/database-catalogue/requests?status=pending");
        let id = pending["items"][0]["id"]
            .as_str()
            .expect("a pending request")
            .to_owned();
        let issues_before = api(&s, "/api/v1/database-catalogue/issues");
        let before = issues_before
            .as_array()
            .map(Vec::len)
            .unwrap_or_else(|| issues_before["items"].as_array().expect("issues").len());
        let csrf = input(&html, "csrf");
        let r = post_form(
            &s,
            &format!("/dashboard/requests/{id}/reject"),
            &admin,
            &[("csrf", csrf.as_str()), ("reason", "  ")],
        );
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().expect("text").contains("<html lang=\"vi\""));
        let r = post_form(
            &s,
            &format!("/dashboard/requests/{id}/approve"),
            &admin,
            &[("csrf", "gia-mao"), ("reason", "")],
        );
        assert_eq!(r.status().as_u16(), 403, "a forged token changes nothing");
        assert_eq!(
            api(&s, &format!("/api/v1/database-catalogue/requests/{id}"))["status"],
            "pending"
        );
        let r = post_form(
            &s,
            &format!("/dashboard/requests/{id}/approve"),
            &admin,
            &[("csrf", csrf.as_str()), ("reason", "Đồng ý bổ sung.")],
        );
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], "/dashboard?done=approved#requests");
        let after = api(&s, &format!("/api/v1/database-catalogue/requests/{id}"));
        assert_eq!(after["status"], "approved");
        assert_eq!(after["reason"], "Đồng ý bổ sung.");
        let issues_after = api(&s, "/api/v1/database-catalogue/issues");
        let now = issues_after
            .as_array()
            .map(Vec::len)
            .unwrap_or_else(|| issues_after["items"].as_array().expect("issues").len());
        assert_eq!(now, before + 1);
        let (_, html) = page(&s, "/dashboard?done=approved", Some(&admin));
        assert!(html.contains("Đã phê duyệt đề nghị"));
        assert!(html.contains("Không có đề nghị nào đang chờ duyệt."));
        let (_, catalogue) = page(&s, "/database-catalogue", None);
        assert!(catalogue.contains("Cơ sở dữ liệu hộ kinh doanh của tỉnh"));

        // An agency's officer sees the agency alone: no decisions, no other agency.
        let officer = signed_in(&s, "can.bo.yte@tayninh.gov.vn", "so-yt", "editor");
        let (status, mine) = page(&s, "/dashboard?lang=en", Some(&officer));
        assert_eq!(status, 200);
        assert!(mine.contains("<html lang=\"en\""));
        assert!(mine.contains("Department of Health"), "{mine}");
        assert!(!mine.contains("id=\"requests\""));
        assert!(!mine.contains("Department of Finance"), "{mine}");
        let own = api(&s, "/api/v1/audit/deadlines?agency=so-yt");
        let c = &own["counts"];
        assert_eq!(
            row_numbers(&mine, "Total"),
            [
                "overdue",
                "due_soon",
                "on_time",
                "no_frequency",
                "no_deadline"
            ]
            .iter()
            .map(|k| c[k].as_u64().expect("count"))
            .collect::<Vec<_>>()
        );
        let r = post_form(
            &s,
            &format!("/dashboard/requests/{id}/approve"),
            &officer,
            &[("csrf", input(&mine, "csrf").as_str())],
        );
        assert_eq!(
            r.status().as_u16(),
            403,
            "only the coordinating department decides"
        );
    }
}

/// A multipart/form-data body with the CSRF field and one file.
fn multipart(csrf: &str, name: &str, media: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----danhmucBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {media}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn an_officer_uploads_a_spreadsheet_and_follows_the_job() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let officer = signed_in(&s, "thu.thap@tayninh.gov.vn", "so-tc", "editor");
        let (status, html) = page(&s, "/manage/harvest", Some(&officer));
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Bảng tính dữ liệu mở Sở Tài chính"), "{html}");
        assert!(html.contains("enctype=\"multipart/form-data\""));
        let action = html
            .split("action=\"/manage/harvest/")
            .nth(1)
            .and_then(|a| a.split('"').next())
            .expect("the upload form")
            .to_owned();
        let csrf = input(&html, "csrf");
        let sheet = "identifier,title_vi,description,frequency,access_rights,download_url,format\n\
TC-01,Giá đất nông nghiệp MARKERSHEET,Bảng giá đất nông nghiệp theo xã,hằng năm,công khai,https://stc.example.vn/gia-dat.csv,CSV\n\
TC-02,Thu ngân sách theo quý MARKERSHEET,Số thu ngân sách nhà nước theo quý,hằng quý,công khai,https://stc.example.vn/thu.xlsx,XLSX\n";
        let upload = |token: &str, cookie: &str| {
            let (ct, body) = multipart(token, "Dữ liệu Sở TC.csv", "text/csv", sheet.as_bytes());
            client()
                .post(format!("{}/manage/harvest/{action}", s.url))
                .header("accept", BROWSER)
                .header("cookie", cookie)
                .header("content-type", ct)
                .body(body)
                .send()
                .expect("upload")
        };
        // Without the session's token, or from another agency, nothing runs.
        assert_eq!(upload("gia-mao", &officer).status().as_u16(), 403);
        let other = signed_in(&s, "khac@tayninh.gov.vn", "so-yt", "editor");
        let (_, other_page) = page(&s, "/manage/harvest", Some(&other));
        assert!(!other_page.contains("Bảng tính dữ liệu mở Sở Tài chính"));
        let r = upload(&input(&other_page, "csrf"), &other);
        assert_eq!(r.status().as_u16(), 404);
        assert!(r.text().expect("page").contains("<html lang=\"vi\""));
        // A file that is not the template is refused at once, as a page, and runs nothing.
        let (ct, body) = multipart(&csrf, "ghi-chu.csv", "text/csv", b"{}\n");
        let r = client()
            .post(format!("{}/manage/harvest/{action}", s.url))
            .header("accept", BROWSER)
            .header("cookie", &officer)
            .header("content-type", ct)
            .body(body)
            .send()
            .expect("upload");
        assert_eq!(r.status().as_u16(), 422);
        let refused = r.text().expect("page");
        assert!(
            refused.contains("Tên tiếng Việt") && refused.contains("<html lang=\"vi\""),
            "{refused}"
        );
        let (_, listed) = page(&s, "/manage/harvest", Some(&officer));
        assert!(listed.contains("chưa chạy"), "no job was queued: {listed}");
        // The upload runs the source; the job's page refreshes itself until the job ends.
        let r = upload(&csrf, &officer);
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().unwrap_or_default());
        let job = r.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(job.starts_with("/manage/harvest/jobs/"), "{job}");
        let mut last = String::new();
        for _ in 0..120 {
            let (status, html) = page(&s, &job, Some(&officer));
            assert_eq!(status, 200);
            last = html;
            if !last.contains("http-equiv=\"refresh\"") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        assert!(last.contains("Hoàn thành"), "{last}");
        let counts = last
            .split("<tbody><tr>")
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .expect("counts row");
        assert!(counts.starts_with("<td>2</td>"), "two created: {counts}");
        let (_, found) = page(&s, "/search?q=MARKERSHEET", None);
        assert!(found.contains(">2 kết quả<"), "{found}");
        let (_, listed) = page(&s, "/manage/harvest", Some(&officer));
        assert!(listed.contains("Hoàn thành"), "the latest job on the list");
        // A job of another agency's source is not shown.
        let (status, _) = page(&s, &job, Some(&other));
        assert_eq!(status, 404);
    }
}

#[test]
fn errors_reach_browsers_as_pages_and_machines_as_problems() {
    let s = Server::start(danhmuc_e2e::Backend::Sqlite, &["--demo"]);
    // The demo prints its portal accounts once; the coordinating department's opens the
    // dashboard, the agency officer's the harvest page.
    let printed = |email: &str| {
        s.stdout
            .iter()
            .find_map(|l| l.trim().strip_prefix(email))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("{email} printed: {:?}", s.stdout))
            .to_owned()
    };
    for (email, path) in [
        ("dieu.phoi@demo.tayninh.gov.vn", "/dashboard"),
        ("can.bo.stc@demo.tayninh.gov.vn", "/manage/harvest"),
    ] {
        let cookie = danhmuc_e2e::portal::sign_in(&s, email, &printed(email));
        let (status, html) = page(&s, path, Some(&cookie));
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(email), "{html}");
    }
    for path in ["/datasets/khong-co-ban-ghi-nay", "/khong-co-trang-nay"] {
        let r = client()
            .get(format!("{}{path}", s.url))
            .header("accept", BROWSER)
            .send()
            .expect("GET");
        assert_eq!(r.status().as_u16(), 404, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/html"),
            "{path}"
        );
        let html = r.text().expect("html");
        assert!(html.contains("<html lang=\"vi\""), "{html}");
        assert!(html.contains("<h1>"), "{html}");
        assert!(html.contains("href=\"/errors/not_found\""), "{html}");
        let r = client()
            .get(format!("{}{path}?lang=en", s.url))
            .header("accept", BROWSER)
            .send()
            .expect("GET");
        assert!(r.text().expect("html").contains("<html lang=\"en\""));
        // Machines keep problem+json at the same address.
        let r = client()
            .get(format!("{}{path}", s.url))
            .header("accept", "application/json")
            .send()
            .expect("GET");
        assert_eq!(r.status().as_u16(), 404);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("application/problem+json")
        );
    }
    // The API answers problem+json even to a browser.
    let r = client()
        .get(format!("{}/api/v1/datasets/khong-co", s.url))
        .header("accept", BROWSER)
        .send()
        .expect("GET");
    assert_eq!(r.status().as_u16(), 404);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("application/problem+json")
    );
}
