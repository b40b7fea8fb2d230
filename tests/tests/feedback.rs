//! Feedback on records (R9; Tây Ninh arts. 11.5 and 12.2đ, Hà Nam art. 16.2c) through the
//! real binary, on both databases: anyone reports a problem with a record they can read (an
//! address without an account is throttled), what is said is public on the record but the
//! reporter's contact is the owning agency's alone, the agency answers and resolves or
//! rejects, and the quarterly report counts what was received and what is still open.

use danhmuc_e2e::{BACKENDS, Server};
use serde_json::{Value, json};

fn post(s: &Server, path: &str, body: &str, token: Option<&str>) -> reqwest::blocking::Response {
    s.post(path, "application/json", body.to_owned(), token)
}

fn code(r: reqwest::blocking::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let v: Value = r.json().unwrap_or_default();
    (status, v["code"].as_str().unwrap_or_default().to_owned())
}

#[test]
fn anyone_reports_and_the_owning_agency_answers() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (id, _, agency) = s.demo_school_dataset();
        let path = format!("/api/v1/datasets/{id}/feedback");
        let contact = "nguoi.dan.BIMAT@example.vn";
        // NFD Vietnamese, as some keyboards send it.
        let message =
            "Số liệu năm 2025 chưa được cập nhật (Tie\u{302}\u{301}ng Vie\u{323}\u{302}t).";
        let r = post(
            &s,
            &path,
            &json!({"kind": "outdated", "message": message, "contact": contact}).to_string(),
            None,
        );
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
        assert!(
            r.headers()["location"]
                .to_str()
                .expect("loc")
                .starts_with("/api/v1/feedback/")
        );
        let created: Value = r.json().expect("json");
        assert!(created.get("contact").is_none(), "{created}");
        assert_eq!(created["state"], "open");
        let fid = created["id"].as_str().expect("id").to_owned();

        // Public on the record, without the contact.
        let listed = s.get(&path, None).text().expect("list");
        assert!(listed.contains("chưa được cập nhật"), "{listed}");
        assert!(!listed.contains("BIMAT"), "{listed}");

        // Refused, with a code that names the problem, and nothing recorded.
        for (body, status, want) in [
            (
                json!({"kind": "spam", "message": "x"}).to_string(),
                400,
                "bad_request",
            ),
            (
                json!({"kind": "error", "message": "   "}).to_string(),
                400,
                "bad_request",
            ),
            (
                json!({"kind": "error", "message": "a".repeat(4001)}).to_string(),
                400,
                "bad_request",
            ),
            (
                json!({"kind": "error", "message": "x", "contact": "a\nb"}).to_string(),
                400,
                "bad_request",
            ),
            (
                json!({"kind": "error", "message": "x", "extra": 1}).to_string(),
                400,
                "invalid_json",
            ),
            ("{\"kind\": ".to_owned(), 400, "invalid_json"),
            (
                json!({"kind": "error", "message": "NUL \u{0} không lưu được"}).to_string(),
                400,
                "bad_request",
            ),
            (
                json!({"kind": "error", "message": "b".repeat(40_000)}).to_string(),
                413,
                "payload_too_large",
            ),
        ] {
            assert_eq!(
                code(post(&s, &path, &body, None)),
                (status, want.to_owned()),
                "{}",
                &body[..body.len().min(60)]
            );
        }
        assert_eq!(
            code(post(
                &s,
                "/api/v1/datasets/khong-co/feedback",
                &json!({"kind": "error", "message": "x"}).to_string(),
                None
            )),
            (404, "not_found".to_owned())
        );
        let all: Value = s.get(&path, None).json().expect("list");
        assert_eq!(all.as_array().expect("list").len(), 1, "{all}");

        // A restricted service is not there for anonymous reporters.
        let rid = s.demo_restricted_service();
        let rpath = format!("/api/v1/dataservices/{rid}/feedback");
        assert_eq!(
            code(post(
                &s,
                &rpath,
                &json!({"kind": "error", "message": "x"}).to_string(),
                None
            ))
            .0,
            404
        );
        assert_eq!(s.get(&rpath, None).status().as_u16(), 404);

        // An address without an account: a burst of five, then 429 with Retry-After.
        for i in 0..4 {
            let r = post(
                &s,
                &path,
                &json!({"kind": "broken_link", "message": format!("Liên kết hỏng {i}")})
                    .to_string(),
                None,
            );
            assert_eq!(r.status().as_u16(), 201);
        }
        let r = post(
            &s,
            &path,
            &json!({"kind": "other", "message": "lần thứ sáu"}).to_string(),
            None,
        );
        assert_eq!(r.status().as_u16(), 429);
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .expect("ra")
            .parse()
            .expect("secs");
        assert!(wait > 0 && wait <= 360, "{wait}");
        assert_eq!(code(r).1, "too_many_requests");
        // An account is not throttled.
        let viewer = s.token("viewer", &agency);
        let r = post(
            &s,
            &path,
            &json!({"kind": "error", "message": "Cán bộ phản ánh"}).to_string(),
            Some(&viewer),
        );
        assert_eq!(r.status().as_u16(), 201);

        // The owning agency reads the contact; another agency does not see it at all.
        let editor = s.token("editor", &agency);
        let mine: Value = s
            .get("/api/v1/feedback?state=open", Some(&editor))
            .json()
            .expect("list");
        assert!(mine.to_string().contains(contact), "{mine}");
        assert_eq!(mine.as_array().expect("list").len(), 6);
        let other_agency = if agency == "so-tc" { "so-yt" } else { "so-tc" };
        let stranger = s.token("editor", other_agency);
        let theirs: Value = s
            .get("/api/v1/feedback", Some(&stranger))
            .json()
            .expect("list");
        assert!(!theirs.to_string().contains(&fid), "{theirs}");
        assert_eq!(
            s.get(&format!("/api/v1/feedback/{fid}"), Some(&stranger))
                .status()
                .as_u16(),
            404
        );
        assert_eq!(
            s.get(&format!("/api/v1/feedback/{fid}"), None)
                .status()
                .as_u16(),
            401
        );
        let on_record = s.get(&path, Some(&stranger)).text().expect("list");
        assert!(!on_record.contains("BIMAT"), "{on_record}");
        assert_eq!(
            code(post(
                &s,
                &format!("/api/v1/feedback/{fid}/resolve"),
                "{}",
                Some(&stranger)
            ))
            .0,
            404
        );
        assert_eq!(
            code(post(
                &s,
                &format!("/api/v1/feedback/{fid}/resolve"),
                "{}",
                Some(&viewer)
            ))
            .0,
            403,
            "viewers read, editors answer"
        );

        // Answer (a message needed), then resolve; a second resolve is a conflict.
        assert_eq!(
            code(post(
                &s,
                &format!("/api/v1/feedback/{fid}/answer"),
                "{}",
                Some(&editor)
            )),
            (400, "bad_request".to_owned())
        );
        let r = post(
            &s,
            &format!("/api/v1/feedback/{fid}/answer"),
            &json!({"message": "Cảm ơn, Sở sẽ cập nhật trong tuần."}).to_string(),
            Some(&editor),
        );
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.json::<Value>().expect("json")["state"], "answered");
        let r = post(
            &s,
            &format!("/api/v1/feedback/{fid}/resolve"),
            "",
            Some(&editor),
        );
        assert_eq!(r.status().as_u16(), 200);
        let done: Value = r.json().expect("json");
        assert_eq!(done["state"], "resolved");
        assert_eq!(done["answer"], "Cảm ơn, Sở sẽ cập nhật trong tuần.");
        assert!(done["closed"].is_string());
        assert_eq!(
            code(post(
                &s,
                &format!("/api/v1/feedback/{fid}/resolve"),
                "",
                Some(&editor)
            )),
            (409, "conflict".to_owned())
        );
        // Reject another one, with a reason.
        let another = mine
            .as_array()
            .expect("list")
            .iter()
            .find(|f| f["id"] != fid.as_str())
            .expect("another")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        assert_eq!(
            code(post(
                &s,
                &format!("/api/v1/feedback/{another}/reject"),
                "{}",
                Some(&editor)
            ))
            .0,
            400
        );
        let r = post(
            &s,
            &format!("/api/v1/feedback/{another}/reject"),
            &json!({"message": "Liên kết vẫn hoạt động."}).to_string(),
            Some(&editor),
        );
        assert_eq!(r.json::<Value>().expect("json")["state"], "rejected");
        let public = s.get(&path, None).text().expect("list");
        assert!(
            public.contains("Cảm ơn, Sở sẽ cập nhật trong tuần.") && public.contains("resolved")
        );

        // The quarterly report counts it: six received, four still open, two closed.
        let today = chrono::Utc::now() + chrono::Duration::hours(7);
        let quarter = format!(
            "{}-Q{}",
            chrono::Datelike::year(&today),
            (chrono::Datelike::month(&today) - 1) / 3 + 1
        );
        let report: Value = s
            .get(
                &format!("/api/v1/reports/quarterly?quarter={quarter}"),
                Some(&s.admin),
            )
            .json()
            .expect("report");
        let line = report["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .find(|l| l["agency"] == agency.as_str())
            .expect("the agency's line");
        assert_eq!(line["feedback_received"], 6, "{line}");
        assert_eq!(line["feedback_open"], 4, "{line}");
        assert!(
            line["feedback_median_days"]
                .as_f64()
                .is_some_and(|d| d < 1.0),
            "{line}"
        );
        let csv = s
            .get(
                &format!("/api/v1/reports/quarterly?quarter={quarter}&format=csv"),
                Some(&s.admin),
            )
            .text()
            .expect("csv");
        assert!(
            csv.lines()
                .next()
                .is_some_and(|h| h.contains("Phản ánh nhận trong quý")),
            "{csv}"
        );
    }
}

#[test]
fn a_visitor_reports_from_the_record_page() {
    use danhmuc_e2e::portal::{BROWSER, client, input};
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (id, _, agency) = s.demo_school_dataset();
        let r = client()
            .get(format!("{}/datasets/{id}", s.url))
            .header("accept", BROWSER)
            .send()
            .expect("page");
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|c| c.to_str().ok())
            .find(|c| c.starts_with("dm_form="))
            .expect("the form's cookie")
            .to_owned();
        assert!(
            cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
        let pair = cookie.split(';').next().expect("pair").to_owned();
        let html = r.text().expect("html");
        assert!(
            html.contains("Chưa có phản ánh nào về bản ghi này."),
            "{html}"
        );
        let token = input(&html, "token");
        assert_eq!(format!("dm_form={token}"), pair);
        let send = |cookie: Option<&str>, token: &str| {
            let mut r = client()
                .post(format!("{}/datasets/{id}/feedback", s.url))
                .header("accept", BROWSER);
            if let Some(c) = cookie {
                r = r.header("cookie", c);
            }
            r.form(&[
                ("token", token),
                ("kind", "broken_link"),
                ("message", "Liên kết tải về trả lỗi 404 MARKERFB"),
                ("contact", "0912 345 678 BIMAT"),
            ])
            .send()
            .expect("POST")
        };
        // Without the cookie (another site posting the form), refused as a page.
        let r = send(None, &token);
        assert_eq!(r.status().as_u16(), 403);
        assert!(r.text().expect("page").contains("<html lang=\"vi\""));
        let r = send(Some(&pair), &token);
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(
            r.headers()["location"],
            format!("/datasets/{id}?feedback=sent#feedback").as_str()
        );
        let (_, page) =
            danhmuc_e2e::portal::page(&s, &format!("/datasets/{id}?feedback=sent"), None);
        assert!(page.contains("Đã gửi phản ánh"), "{page}");
        assert!(
            page.contains("MARKERFB") && page.contains("Liên kết hỏng"),
            "{page}"
        );
        assert!(!page.contains("BIMAT"), "the contact is never on the page");
        // The owning agency has it, with the contact.
        let editor = s.token("editor", &agency);
        let mine = s
            .get("/api/v1/feedback", Some(&editor))
            .text()
            .expect("list");
        assert!(
            mine.contains("MARKERFB") && mine.contains("BIMAT"),
            "{mine}"
        );
    }
}
