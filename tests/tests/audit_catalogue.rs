//! The catalogue of databases (R1) and agencies over time, over HTTP against the real binary:
//! requests with justifications, review by the coordinating department, numbered issues that
//! stay fetchable; merges and splits with successor links, records following the successor,
//! and past quarters' reports keeping the agency as it was. Both databases.

use chrono::{Datelike, Duration, FixedOffset, Utc};
use danhmuc_e2e::{Backend, Server};
use serde_json::{Value, json};

const R1: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
    @prefix dcatvn: <https://w3id.org/dcat-vn#> .\n";

fn entry(title: &str, master: bool, extra: &str) -> String {
    format!(
        "{R1}<http://src.example/db> a dcat:Dataset ; dct:title \"{title}\"@vi ;\n\
         dct:description \"Cơ sở dữ liệu dùng chung của tỉnh\"@vi ;\n\
         dcatvn:objective \"Phục vụ quản lý nhà nước\"@vi ; dcatvn:scope \"Toàn tỉnh Tây Ninh\"@vi ;\n\
         {}dcatvn:targetUsers \"Các sở, ngành, UBND cấp xã\"@vi ;\n\
         dcatvn:informationSource \"Hồ sơ đăng ký\"@vi ; dcatvn:updatePlan \"Cập nhật hằng tháng\"@vi ;\n\
         dcatvn:sharingMode dcatvn:DefaultSharing {extra}.",
        if master {
            "dcatvn:masterData \"Thửa đất, chủ sử dụng\"@vi ; "
        } else {
            ""
        }
    )
}

fn post_json(s: &Server, path: &str, body: Value, token: &str) -> (u16, Value) {
    let r = s.post(path, "application/json", body.to_string(), Some(token));
    let st = r.status().as_u16();
    (st, r.json().unwrap_or(Value::Null))
}

fn catalogue(backend: Backend) {
    let s = Server::start(backend, &[]);
    s.agency("so-tnmt", "Sở Tài nguyên và Môi trường");
    s.agency("so-xd", "Sở Xây dựng");
    let tnmt = s.token("editor", "so-tnmt");
    let xd = s.token("editor", "so-xd");
    let req = "/api/v1/database-catalogue/requests";

    // A request needs a justification and every R1 field.
    let (st, p) = post_json(
        &s,
        req,
        json!({"action": "add", "justification": "cần", "description": entry("CSDL đất đai", true, "")}),
        &tnmt,
    );
    assert_eq!(st, 422, "{p}");
    assert!(
        p["detail"]
            .as_str()
            .expect("detail")
            .contains("justification")
    );
    let (st, p) = post_json(
        &s,
        req,
        json!({"action": "add", "justification": "Dữ liệu đất đai dùng chung cho các sở", "description": entry("CSDL đất đai", false, "")}),
        &tnmt,
    );
    assert_eq!(st, 422, "{p}");
    assert!(
        p["detail"].as_str().expect("detail").contains("masterData"),
        "{p}"
    );
    let (st, p) = post_json(
        &s,
        req,
        json!({"action": "add", "justification": "Dữ liệu đất đai dùng chung cho các sở", "description": "<x> <y"}),
        &tnmt,
    );
    assert_eq!(st, 400, "{p}");
    assert_eq!(p["code"], "invalid_rdf");

    let (st, add) = post_json(
        &s,
        req,
        json!({"action": "add", "justification": "Dữ liệu đất đai dùng chung cho các sở", "description": entry("CSDL đất đai", true, "")}),
        &tnmt,
    );
    assert_eq!(st, 201, "{add}");
    assert_eq!(add["status"], "pending");
    let add_id = add["id"].as_str().expect("id").to_owned();
    // Nothing changed yet: no issue, no dataset.
    assert_eq!(
        s.get("/api/v1/database-catalogue/issues/latest", None)
            .status()
            .as_u16(),
        404
    );
    let listed: Value = s
        .get("/api/v1/datasets?agency=so-tnmt", Some(&s.admin))
        .json()
        .expect("json");
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );
    // Another agency neither sees nor decides it; the requester cannot approve itself.
    assert_eq!(
        s.get(&format!("{req}/{add_id}"), Some(&xd))
            .status()
            .as_u16(),
        404
    );
    let theirs: Value = s.get(req, Some(&xd)).json().expect("json");
    assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        post_json(&s, &format!("{req}/{add_id}/approve"), json!({}), &tnmt).0,
        403
    );

    // A second request is rejected, with a reason (required).
    let (_, other) = post_json(
        &s,
        req,
        json!({"action": "add", "justification": "Thêm CSDL quy hoạch xây dựng", "description": entry("CSDL quy hoạch", true, "")}),
        &xd,
    );
    let other_id = other["id"].as_str().expect("id").to_owned();
    assert_eq!(
        post_json(&s, &format!("{req}/{other_id}/reject"), json!({}), &s.admin).0,
        422
    );
    let (st, rej) = post_json(
        &s,
        &format!("{req}/{other_id}/reject"),
        json!({"reason": "Trùng với CSDL quốc gia về xây dựng"}),
        &s.admin,
    );
    assert_eq!(st, 200);
    assert_eq!(rej["status"], "rejected");
    assert_eq!(rej["reason"], "Trùng với CSDL quốc gia về xây dựng");
    assert_eq!(
        post_json(
            &s,
            &format!("{req}/{other_id}/approve"),
            json!({}),
            &s.admin
        )
        .0,
        409
    );

    // Approval applies it and issues number 1.
    let (st, ok) = post_json(&s, &format!("{req}/{add_id}/approve"), json!({}), &s.admin);
    assert_eq!(st, 200, "{ok}");
    assert_eq!(ok["status"], "approved");
    assert_eq!(ok["issue"], 1);
    let record = ok["record"].as_str().expect("record").to_owned();
    let i1: Value = s
        .get("/api/v1/database-catalogue/issues/1", None)
        .json()
        .expect("json");
    assert_eq!(i1["entries"].as_array().map(Vec::len), Some(1), "{i1}");
    assert_eq!(i1["entries"][0]["record"], record.as_str());
    assert_eq!(i1["entries"][0]["version"], 1);
    assert!(i1["issued_vn"].as_str().expect("vn").contains('/'));

    // The entry changes only through a request.
    let direct = s
        .client()
        .put(format!("{}/api/v1/datasets/{record}", s.url))
        .header("content-type", "text/turtle")
        .header("if-match", "*")
        .bearer_auth(&tnmt)
        .body(entry("Sửa trực tiếp", true, ""))
        .send()
        .expect("PUT");
    assert_eq!(direct.status().as_u16(), 409);
    let p: Value = direct.json().expect("json");
    assert_eq!(p["code"], "request_required");
    let del = s
        .client()
        .delete(format!("{}/api/v1/datasets/{record}", s.url))
        .bearer_auth(&s.admin)
        .send()
        .expect("DELETE");
    assert_eq!(del.status().as_u16(), 409);

    let (st, ch) = post_json(
        &s,
        req,
        json!({"action": "change", "record": record, "justification": "Bổ sung tên đầy đủ theo Quyết định 123",
               "description": entry("Cơ sở dữ liệu đất đai tỉnh Tây Ninh", true, "")}),
        &tnmt,
    );
    assert_eq!(st, 201, "{ch}");
    let (_, ok) = post_json(
        &s,
        &format!("{req}/{}/approve", ch["id"].as_str().expect("id")),
        json!({"reason": "Đồng ý"}),
        &s.admin,
    );
    assert_eq!(ok["issue"], 2, "{ok}");
    let i2: Value = s
        .get("/api/v1/database-catalogue/issues/latest", None)
        .json()
        .expect("json");
    assert_eq!(i2["number"], 2);
    assert_eq!(i2["entries"][0]["version"], 2);
    assert_eq!(
        i2["entries"][0]["title_vi"],
        "Cơ sở dữ liệu đất đai tỉnh Tây Ninh"
    );
    // Issue 1 is unchanged.
    let again: Value = s
        .get("/api/v1/database-catalogue/issues/1", None)
        .json()
        .expect("json");
    assert_eq!(again, i1);

    // A restricted entry is not listed to those who may not read it.
    let (_, secret) = post_json(
        &s,
        req,
        json!({"action": "add", "justification": "CSDL hồ sơ cán bộ, chỉ chia sẻ nội bộ",
               "description": entry("CSDL cán bộ", true, "; dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ")}),
        &tnmt,
    );
    let (_, ok) = post_json(
        &s,
        &format!("{req}/{}/approve", secret["id"].as_str().expect("id")),
        json!({}),
        &s.admin,
    );
    assert_eq!(ok["issue"], 3, "{ok}");
    let anon: Value = s
        .get("/api/v1/database-catalogue/issues/3", None)
        .json()
        .expect("json");
    assert_eq!(anon["entries"].as_array().map(Vec::len), Some(1), "{anon}");
    let owner: Value = s
        .get("/api/v1/database-catalogue/issues/3", Some(&tnmt))
        .json()
        .expect("json");
    assert_eq!(owner["entries"].as_array().map(Vec::len), Some(2));
    let list: Value = s
        .get("/api/v1/database-catalogue/issues", None)
        .json()
        .expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(list["items"][2]["entries"], 1);

    // Withdrawal by request.
    let (st, w) = post_json(
        &s,
        req,
        json!({"action": "withdraw", "record": record, "justification": "Đã chuyển lên CSDL quốc gia về đất đai"}),
        &tnmt,
    );
    assert_eq!(st, 201, "{w}");
    let (_, ok) = post_json(
        &s,
        &format!("{req}/{}/approve", w["id"].as_str().expect("id")),
        json!({}),
        &s.admin,
    );
    assert_eq!(ok["issue"], 4);
    assert_eq!(
        s.get(&format!("/api/v1/datasets/{record}"), None)
            .status()
            .as_u16(),
        410
    );
    let i4: Value = s
        .get("/api/v1/database-catalogue/issues/4", Some(&s.admin))
        .json()
        .expect("json");
    assert!(
        i4["entries"]
            .as_array()
            .expect("e")
            .iter()
            .all(|e| e["record"] != record.as_str())
    );
    assert_eq!(
        s.get("/api/v1/database-catalogue/issues/x", None)
            .status()
            .as_u16(),
        400
    );

    // The audit trail over REST: admins only; every approved change is there with its request.
    assert_eq!(
        s.get("/api/v1/audit/trail", Some(&tnmt)).status().as_u16(),
        403
    );
    assert_eq!(
        s.get("/api/v1/audit/trail?from=yesterday", Some(&s.admin))
            .status()
            .as_u16(),
        400
    );
    let trail = s
        .get("/api/v1/audit/trail?agency=so-tnmt", Some(&s.admin))
        .text()
        .expect("text");
    let lines: Vec<Value> = trail
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert!(lines.iter().all(|l| l["agency"] == "so-tnmt"));
    let by_request = lines
        .iter()
        .filter(|l| l["record"] == record.as_str())
        .filter(|l| {
            l["source"]
                .as_str()
                .is_some_and(|s| s.starts_with("request:"))
        })
        .count();
    assert_eq!(by_request, 3, "add, change and withdraw: {trail}");
}

#[test]
fn catalogue_requests_sqlite() {
    catalogue(Backend::Sqlite);
}

#[test]
fn catalogue_requests_postgres() {
    catalogue(Backend::Postgres);
}

fn dataset(s: &Server, agency: &str, n: &str) -> String {
    let r = s.post(
        &format!("/api/v1/datasets?agency={agency}"),
        "text/turtle",
        format!("<http://src.example/{n}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Bộ dữ liệu {n}\"@vi ; <http://purl.org/dc/terms/description> \"Mô tả {n}\"@vi ."),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    r.json::<Value>().expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn succession(backend: Backend) {
    let today = Utc::now()
        .with_timezone(&FixedOffset::east_opt(7 * 3600).expect("tz"))
        .date_naive();
    let past = today - Duration::days(200);
    let quarter = format!("{}-Q{}", past.year(), (past.month() - 1) / 3 + 1);
    let mut s = Server::start(backend, &[]);
    s.env
        .push(("DANHMUC_CLOCK_OFFSET_DAYS".into(), "-200".into()));
    s.restart();
    s.agency("so-tttt", "Sở Thông tin và Truyền thông");
    s.agency("so-khcn", "Sở Khoa học và Công nghệ");
    s.agency("so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn");
    let a = dataset(&s, "so-tttt", "a");
    let b = dataset(&s, "so-khcn", "b");
    let c1 = dataset(&s, "so-nnptnt", "c1");
    let c2 = dataset(&s, "so-nnptnt", "c2");
    s.env.clear();
    s.restart();
    let report = |s: &Server| -> Value {
        s.get(
            &format!("/api/v1/reports/quarterly?quarter={quarter}"),
            Some(&s.admin),
        )
        .json()
        .expect("json")
    };
    let before = report(&s);

    s.agency("so-khcn-moi", "Sở Khoa học và Công nghệ (mới)");
    s.agency("so-nnmt", "Sở Nông nghiệp và Môi trường");
    s.agency("so-tnmt", "Sở Tài nguyên và Môi trường");
    let path = "/api/v1/agencies/successions";
    // Checks: legal basis, real agencies, a merge or a split.
    let bad = |body: Value| post_json(&s, path, body, &s.admin).0;
    assert_eq!(
        bad(
            json!({"predecessors": ["so-tttt"], "successors": ["so-khcn-moi"], "date": "2025-03-01", "basis": ""})
        ),
        422
    );
    assert_eq!(
        bad(
            json!({"predecessors": ["so-x"], "successors": ["so-khcn-moi"], "date": "2025-03-01", "basis": "QĐ"})
        ),
        422
    );
    assert_eq!(
        bad(
            json!({"predecessors": ["so-tttt"], "successors": ["so-khcn-moi"], "date": "01/03/2025", "basis": "QĐ"})
        ),
        422
    );
    let editor = s.token("editor", "so-tttt");
    assert_eq!(
        post_json(&s, path, json!({"predecessors": ["so-tttt"], "successors": ["so-khcn-moi"], "date": "2025-03-01", "basis": "QĐ"}), &editor).0,
        403
    );

    // Merge: two departments into one.
    let (st, m) = post_json(
        &s,
        path,
        json!({"predecessors": ["so-tttt", "so-khcn"], "successors": ["so-khcn-moi"], "date": "2025-03-01",
               "basis": "Nghị quyết 1234/NQ-HĐND về sắp xếp các sở"}),
        &s.admin,
    );
    assert_eq!(st, 201, "{m}");
    assert_eq!(m["kind"], "merge");
    assert_eq!(m["records_moved"], 2);
    // Split: one department's records divided between two.
    let (st, sp) = post_json(
        &s,
        path,
        json!({"predecessors": ["so-nnptnt"], "successors": ["so-nnmt", "so-tnmt"], "date": "2025-03-01",
               "basis": "Quyết định 55/QĐ-UBND", "records": {c2.clone(): "so-tnmt"}}),
        &s.admin,
    );
    assert_eq!(st, 201, "{sp}");
    assert_eq!(sp["kind"], "split");
    // Again: refused.
    assert_eq!(
        post_json(&s, path, json!({"predecessors": ["so-tttt"], "successors": ["so-tnmt"], "date": "2025-04-01", "basis": "QĐ"}), &s.admin).0,
        409
    );

    // Records follow the successor, with their history.
    let owner = |id: &str| -> String {
        let v: Value = s
            .get(&format!("/api/v1/datasets/{id}"), None)
            .json()
            .expect("json");
        v.to_string()
    };
    assert!(owner(&a).contains("/agencies/so-khcn-moi"), "{}", owner(&a));
    assert!(owner(&b).contains("/agencies/so-khcn-moi"));
    assert!(owner(&c1).contains("/agencies/so-nnmt"));
    assert!(owner(&c2).contains("/agencies/so-tnmt"));
    let hist: Value = s
        .get(&format!("/api/v1/datasets/{a}/history"), None)
        .json()
        .expect("json");
    assert_eq!(
        hist["versions"]
            .as_array()
            .or(hist.as_array())
            .map(Vec::len),
        Some(2),
        "{hist}"
    );
    // Successor links, both ways, and the change event in RDF.
    let old: Value = s
        .get("/api/v1/agencies/so-tttt", None)
        .json()
        .expect("json");
    assert_eq!(old["successors"], json!(["so-khcn-moi"]));
    let new: Value = s
        .get("/api/v1/agencies/so-khcn-moi", None)
        .json()
        .expect("json");
    assert_eq!(new["predecessors"], json!(["so-khcn", "so-tttt"]));
    let ttl = s
        .client()
        .get(format!("{}/api/v1/agencies/so-tttt", s.url))
        .header("accept", "text/turtle")
        .send()
        .expect("GET")
        .text()
        .expect("text");
    assert!(
        ttl.contains("ChangeEvent") && ttl.contains("changedBy"),
        "{ttl}"
    );
    let changes: Value = s
        .get("/api/v1/agencies/so-khcn-moi/successions", None)
        .json()
        .expect("json");
    assert_eq!(changes.as_array().map(Vec::len), Some(1));
    // A predecessor takes no new records.
    let r = s.post(
        "/api/v1/datasets?agency=so-tttt",
        "text/turtle",
        "<http://src.example/z> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Mới\"@vi .",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 409);
    // The past quarter still shows the agencies as they were.
    let after = report(&s);
    assert_eq!(before, after, "a past quarter's report does not change");
    let line = |r: &Value, code: &str| -> Value {
        r["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .find(|l| l["agency"] == code)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(line(&after, "so-tttt")["total_published"], 1, "{after}");
    assert_eq!(line(&after, "so-nnptnt")["total_published"], 2);
    assert_eq!(line(&after, "so-khcn-moi"), Value::Null);
}

#[test]
fn succession_sqlite() {
    succession(Backend::Sqlite);
}

#[test]
fn succession_postgres() {
    succession(Backend::Postgres);
}
