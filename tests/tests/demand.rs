//! Data requests and demand (R9; Bắc Giang arts. 13.2–13.3) through the real binary, on both
//! databases: anyone asks for data, others support it once each, the coordinating department
//! assigns it, the agency answers (planned, then published with its dataset), and the list
//! ranked by support says what to open first; the requester's contact stays with the
//! department and the agency.

use danhmuc_e2e::{BACKENDS, Server};
use serde_json::{Value, json};

fn post(s: &Server, path: &str, body: Value, token: Option<&str>) -> (u16, Value) {
    let r = s.post(path, "application/json", body.to_string(), token);
    let status = r.status().as_u16();
    (status, r.json().unwrap_or_default())
}

#[test]
fn requests_for_data_are_supported_assigned_and_answered() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (status, first) = post(
            &s,
            "/api/v1/data-requests",
            json!({"title": "Danh sách điểm thu gom rác thải sinh hoạt", "description": "Vị trí, giờ thu gom theo phường, xã.", "contact": "nguoi.dan.BIMAT@example.vn"}),
            None,
        );
        assert_eq!(status, 201, "{first}");
        assert_eq!(
            (first["state"].as_str(), first["supports"].as_i64()),
            (Some("open"), Some(1))
        );
        assert!(first.get("contact").is_none(), "{first}");
        let id = first["id"].as_str().expect("id").to_owned();
        let viewer = s.token("viewer", "so-tc");
        let (status, _) = post(
            &s,
            "/api/v1/data-requests",
            json!({"title": "Giá vé xe buýt", "description": "Bảng giá vé các tuyến xe buýt."}),
            Some(&viewer),
        );
        assert_eq!(status, 201);
        // Refusals that name the problem.
        for (body, code) in [
            (json!({"title": " ", "description": "x"}), "bad_request"),
            (
                json!({"title": "x", "description": "x", "extra": true}),
                "invalid_json",
            ),
            (
                json!({"title": "x".repeat(301), "description": "x"}),
                "bad_request",
            ),
            (
                json!({"title": "NUL \u{0}", "description": "x"}),
                "bad_request",
            ),
        ] {
            let (status, p) = post(&s, "/api/v1/data-requests", body, None);
            assert_eq!((status, p["code"].as_str()), (400, Some(code)), "{p}");
        }
        for q in ["state=closed", "sort=popular"] {
            assert_eq!(
                s.get(&format!("/api/v1/data-requests?{q}"), None)
                    .status()
                    .as_u16(),
                400
            );
        }

        // Support: once per address or account; the requester's address already counts.
        let support = format!("/api/v1/data-requests/{id}/support");
        assert_eq!(post(&s, &support, json!({}), None).0, 409);
        assert_eq!(
            post(&s, &support, json!({}), Some(&viewer)).1["supports"],
            2
        );
        assert_eq!(post(&s, &support, json!({}), Some(&viewer)).0, 409);
        let other = s.token("viewer", "so-yt");
        assert_eq!(post(&s, &support, json!({}), Some(&other)).1["supports"], 3);
        let ranked: Value = s.get("/api/v1/data-requests", None).json().expect("list");
        assert_eq!(
            ranked[0]["id"],
            id.as_str(),
            "most supported first: {ranked}"
        );
        assert_eq!(ranked.as_array().map(Vec::len), Some(2));
        assert!(!ranked.to_string().contains("BIMAT"), "{ranked}");

        // The department assigns it; only the department may.
        let assign = format!("/api/v1/data-requests/{id}/assign");
        assert_eq!(
            post(&s, &assign, json!({"agency": "so-nnmt"}), Some(&viewer)).0,
            403
        );
        let (status, p) = post(&s, &assign, json!({"agency": "khong-co"}), Some(&s.admin));
        assert_eq!((status, p["code"].as_str()), (422, Some("unknown_agency")));
        let (status, assigned) = post(&s, &assign, json!({"agency": "so-nnmt"}), Some(&s.admin));
        assert_eq!(status, 200);
        assert_eq!(assigned["state"], "assigned");
        assert_eq!(
            assigned["contact"], "nguoi.dan.BIMAT@example.vn",
            "admins read it"
        );

        // The agency answers: planned, then published with its own dataset.
        let answer = format!("/api/v1/data-requests/{id}/answer");
        let stranger = s.token("editor", "so-yt");
        assert_eq!(
            post(&s, &answer, json!({"state": "planned"}), Some(&stranger)).0,
            403
        );
        let editor = s.token("editor", "so-nnmt");
        let seen: Value = s
            .get(&format!("/api/v1/data-requests/{id}"), Some(&editor))
            .json()
            .expect("one");
        assert_eq!(
            seen["contact"], "nguoi.dan.BIMAT@example.vn",
            "the agency reads it"
        );
        let hidden: Value = s
            .get(&format!("/api/v1/data-requests/{id}"), Some(&stranger))
            .json()
            .expect("one");
        assert!(hidden.get("contact").is_none(), "{hidden}");
        assert_eq!(
            post(&s, &answer, json!({"state": "refused"}), Some(&editor)).0,
            400
        );
        let (status, planned) = post(
            &s,
            &answer,
            json!({"state": "planned", "message": "Sẽ công bố trong quý tới."}),
            Some(&editor),
        );
        assert_eq!((status, planned["state"].as_str()), (200, Some("planned")));
        let theirs: Value = s
            .get("/api/v1/search?kind=dataset&agency=so-yt&limit=1", None)
            .json()
            .expect("search");
        let wrong = theirs["items"][0]["id"].as_str().expect("id");
        let (status, p) = post(
            &s,
            &answer,
            json!({"state": "published", "dataset": wrong}),
            Some(&editor),
        );
        assert_eq!(
            (status, p["code"].as_str()),
            (422, Some("invalid_record")),
            "{p}"
        );
        let ours: Value = s
            .get("/api/v1/search?kind=dataset&agency=so-nnmt&limit=1", None)
            .json()
            .expect("search");
        let dataset = ours["items"][0]["id"].as_str().expect("id");
        let (status, done) = post(
            &s,
            &answer,
            json!({"state": "published", "dataset": dataset}),
            Some(&editor),
        );
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["state"], "published");
        assert_eq!(
            done["dataset"],
            format!("/api/v1/datasets/{dataset}").as_str()
        );
        assert_eq!(
            done["answer"], "Sẽ công bố trong quý tới.",
            "the plan is kept"
        );
        assert_eq!(
            post(&s, &support, json!({}), Some(&stranger)).0,
            409,
            "closed"
        );
        let published: Value = s
            .get("/api/v1/data-requests?state=published", None)
            .json()
            .expect("list");
        assert_eq!(published.as_array().map(Vec::len), Some(1));
    }
}
