//! Quality (R8) over HTTP against the real binary: reports per record (SHACL findings against
//! DCAT-AP 3.0.1 and DCAT-AP-VN, MQA points), the link checker against a loopback origin,
//! aggregates, duplicates across agencies with diacritics folded, and nothing restricted
//! leaking through any of it. Both databases.

use danhmuc_e2e::origin::{Origin, Reply};
use danhmuc_e2e::{Backend, Server};
use serde_json::Value;

fn create(s: &Server, agency: &str, ttl: &str) -> String {
    let r = s.post(
        &format!("/api/v1/datasets?agency={agency}"),
        "text/turtle",
        ttl.to_owned(),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    r.json::<Value>().expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn quality(s: &Server, id: &str, token: Option<&str>) -> (u16, Value) {
    let r = s.get(&format!("/api/v1/datasets/{id}/quality"), token);
    let status = r.status().as_u16();
    (status, r.json().unwrap_or(Value::Null))
}

fn check<'a>(report: &'a Value, dimension: &str, check: &str) -> &'a Value {
    report["dimensions"]
        .as_array()
        .expect("dimensions")
        .iter()
        .find(|d| d["dimension"] == dimension)
        .and_then(|d| d["checks"].as_array())
        .and_then(|c| c.iter().find(|c| c["check"] == check))
        .unwrap_or_else(|| panic!("{dimension}/{check} missing in {report}"))
}

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
    @prefix dcatvn: <https://w3id.org/dcat-vn#> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n\
    @prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .\n\
    @prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .\n\
    @prefix freq: <http://publications.europa.eu/resource/authority/frequency/> .\n\
    @prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .\n\
    @prefix lic: <http://publications.europa.eu/resource/authority/licence/> .\n";

fn scenario(backend: Backend) {
    let origin = Origin::start(|path| {
        if path.starts_with("/ok") {
            Reply::ok("text/csv", "a,b\n1,2\n")
        } else {
            Reply::status(404)
        }
    });
    let s = Server::start(
        backend,
        &["--allow-private-harvest", "--link-check-every", "off"],
    );
    s.agency("so-gtvt", "Sở Giao thông Vận tải");
    s.agency("so-tc", "Sở Tài chính");
    let o = &origin.url;
    let rich = create(
        &s,
        "so-gtvt",
        &format!(
            "{PREFIXES}<http://src.example/roads> a dcat:Dataset ;\n\
             dct:title \"Danh sách trạm thu phí đường bộ\"@vi, \"Road toll stations\"@en ;\n\
             dct:description \"Các trạm thu phí trên địa bàn tỉnh\"@vi ;\n\
             dcat:keyword \"giao thông\"@vi ; dcat:theme theme:TRAN ;\n\
             dct:spatial <https://w3id.org/dcat-vn/province/72> ;\n\
             dct:temporal [ a dct:PeriodOfTime ; dcat:startDate \"2026-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> ] ;\n\
             dct:accessRights ar:PUBLIC ;\n\
             dct:accrualPeriodicity freq:MONTHLY ;\n\
             dcat:contactPoint [ a vcard:Kind ; vcard:fn \"Phòng Dữ liệu\" ; vcard:hasEmail <mailto:dulieu@example.vn> ] ;\n\
             dct:issued \"2026-01-05\"^^<http://www.w3.org/2001/XMLSchema#date> ;\n\
             dct:modified \"2026-02-05\"^^<http://www.w3.org/2001/XMLSchema#date> ;\n\
             dcat:distribution [ a dcat:Distribution ; dcat:accessURL <{o}/ok.csv> ; dcat:downloadURL <{o}/ok.csv> ;\n\
                dct:format ft:CSV ; dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;\n\
                dct:license lic:CC_BY_4_0 ; dct:rights [ a dct:RightsStatement ] ; dcat:byteSize 12 ] ."
        ),
    );
    // Same title once diacritics are folded (and written in NFD), another agency, thin record.
    let nfd = "Danh sa\u{301}ch tra\u{323}m thu phi\u{301} đươ\u{300}ng bô\u{323}";
    // Imported (not created here), so kept as it came: without the description DCAT-AP wants.
    let file = s.data.join("thin.ttl");
    std::fs::write(
        &file,
        format!(
            "{PREFIXES}<http://src.example/toll> a dcat:Dataset ; dct:title \"{nfd}\"@vi ;\n\
             dcat:distribution [ a dcat:Distribution ; dcat:accessURL <{o}/gone> ] ."
        ),
    )
    .expect("write");
    let (ok, _, err) = s.cli(&[
        "import",
        file.to_str().expect("path"),
        "--agency",
        "so-tc",
        "--quiet",
    ]);
    assert!(ok, "{err}");
    let listed: Value = s
        .get("/api/v1/datasets?agency=so-tc", Some(&s.admin))
        .json()
        .expect("json");
    let thin = listed["items"][0]["id"].as_str().expect("id").to_owned();
    // A description created here must meet DCAT-AP: refused, naming what is missing.
    let r = s.post(
        "/api/v1/datasets?agency=so-tc",
        "text/turtle",
        format!("{PREFIXES}<http://src.example/x> a dcat:Dataset ; dct:title \"Thiếu mô tả\"@vi ."),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 422);
    let p: Value = r.json().expect("json");
    assert!(
        p["detail"]
            .as_str()
            .expect("detail")
            .contains("description"),
        "{p}"
    );
    // A distribution with an IRI of its own (not a blank node) is the record's too: one
    // without any URL is refused as well.
    let r = s.post(
        "/api/v1/datasets?agency=so-tc",
        "text/turtle",
        format!(
            "{PREFIXES}<http://src.example/y> a dcat:Dataset ; dct:title \"Phân phối thiếu URL\"@vi ;\n\
             dct:description \"Mô tả\"@vi ; dcat:distribution <http://src.example/y/csv> .\n\
             <http://src.example/y/csv> a dcat:Distribution ; dct:title \"CSV\"@vi ."
        ),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 422);
    let p: Value = r.json().expect("json");
    assert!(
        p["detail"].as_str().expect("detail").contains("accessURL"),
        "{p}"
    );

    // Reports exist from the write on; URLs are not checked yet.
    let (st, r) = quality(&s, &rich, None);
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["max_score"], 405);
    let maxes: Vec<i64> = r["dimensions"]
        .as_array()
        .expect("dims")
        .iter()
        .map(|d| d["max_points"].as_i64().expect("max"))
        .collect();
    assert_eq!(maxes, vec![100, 100, 110, 75, 20]);
    assert_eq!(check(&r, "findability", "keyword")["points"], 30);
    assert_eq!(check(&r, "accessibility", "access_url_status")["points"], 0);
    assert!(
        r["unchecked_urls"]
            .as_array()
            .expect("unchecked")
            .iter()
            .any(|u| u.as_str().is_some_and(|u| u.ends_with("/ok.csv"))),
        "{r}"
    );
    assert!(r["findings"].is_array());
    assert_eq!(
        r["profiles"],
        serde_json::json!(["dcat-ap-3.0.1", "dcat-ap-vn"])
    );
    let rich_before = r["score"].as_i64().expect("score");
    let (_, t) = quality(&s, &thin, None);
    let thin_score = t["score"].as_i64().expect("score");
    assert!(
        rich_before > thin_score + 100,
        "{rich_before} vs {thin_score}"
    );
    // The thin record misses DCAT-AP's mandatory description: a violation, named.
    assert_eq!(t["conforms"], false, "{t}");
    assert!(
        t["findings"]
            .as_array()
            .expect("f")
            .iter()
            .any(|f| f["severity"] == "violation"
                && f["path"] == "http://purl.org/dc/terms/description"
                && f["profile"] == "dcat-ap-3.0.1"),
        "{t}"
    );

    // The link checker: only admins; one URL answers, one is gone.
    let r = s.post("/api/v1/audit/links/check", "application/json", "", None);
    assert_eq!(r.status().as_u16(), 401);
    let r = s.post(
        "/api/v1/audit/links/check",
        "application/json",
        "",
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 200);
    let run: Value = r.json().expect("json");
    assert_eq!(run["checked"], 2, "{run}");
    assert_eq!(run["ok"], 1, "{run}");
    assert_eq!(run["failed"], 1, "{run}");
    let (_, r) = quality(&s, &rich, None);
    assert_eq!(
        check(&r, "accessibility", "access_url_status")["points"],
        50
    );
    assert_eq!(
        check(&r, "accessibility", "download_url_status")["points"],
        30
    );
    assert_eq!(r["score"].as_i64().expect("score"), rich_before + 80);
    let (_, t) = quality(&s, &thin, None);
    let gone = &t["links"].as_array().expect("links")[0];
    assert_eq!(gone["ok"], false);
    assert_eq!(gone["status"], 404);
    // A second run finds nothing due.
    let again: Value = s
        .post(
            "/api/v1/audit/links/check",
            "application/json",
            "",
            Some(&s.admin),
        )
        .json()
        .expect("json");
    assert_eq!(again["checked"], 0);

    // A catalogue-of-databases entry missing its master data: DCAT-AP-VN names the field.
    let entry = create(
        &s,
        "so-gtvt",
        &format!(
            "{PREFIXES}<http://src.example/db> a dcat:Dataset, dcatvn:DatabaseEntry ;\n\
             dct:title \"Cơ sở dữ liệu đăng kiểm\"@vi ; dct:description \"Phương tiện đã đăng kiểm\"@vi ;\n\
             dcatvn:objective \"Quản lý phương tiện\"@vi ; dcatvn:scope \"Toàn tỉnh\"@vi ;\n\
             dcatvn:targetUsers \"Cơ quan nhà nước\"@vi ; dcatvn:informationSource \"Trung tâm đăng kiểm\"@vi ;\n\
             dct:accrualPeriodicity freq:MONTHLY ; dcatvn:sharingMode dcatvn:DefaultSharing ."
        ),
    );
    let (_, e) = quality(&s, &entry, None);
    let vn: Vec<&Value> = e["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter(|f| f["profile"] == "dcat-ap-vn" && f["severity"] == "violation")
        .collect();
    assert_eq!(vn.len(), 1, "{e}");
    assert_eq!(vn[0]["path"], "https://w3id.org/dcat-vn#masterData");
    assert!(
        vn[0]["message_vi"]
            .as_str()
            .expect("msg")
            .contains("dữ liệu chủ")
    );

    // A restricted record's report is as invisible as the record.
    let secret = create(
        &s,
        "so-tc",
        &format!(
            "{PREFIXES}<http://src.example/secret> a dcat:Dataset ; dct:title \"Lương cán bộ\"@vi ; dct:description \"Bảng lương\"@vi ;\n\
             dct:accessRights ar:NON_PUBLIC ."
        ),
    );
    assert_eq!(quality(&s, &secret, None).0, 404);
    let other = s.token("editor", "so-gtvt");
    assert_eq!(quality(&s, &secret, Some(&other)).0, 404);
    let owner = s.token("editor", "so-tc");
    assert_eq!(quality(&s, &secret, Some(&owner)).0, 200);

    // A catalogue of so-gtvt listing its own dataset and so-tc's NON_PUBLIC one: so-gtvt's
    // aggregate counts only what it may read.
    let secret_iri = format!("{}/datasets/{secret}", s.base);
    let rich_iri = format!("{}/datasets/{rich}", s.base);
    let r = s.post(
        "/api/v1/catalogs?agency=so-gtvt",
        "text/turtle",
        format!(
            "{PREFIXES}<http://src.example/cat> a dcat:Catalog ; dct:title \"Danh mục giao thông\"@vi ;\n\
             dct:description \"Dữ liệu giao thông\"@vi ; dcat:dataset <{rich_iri}>, <{secret_iri}> ."
        ),
        Some(&s.admin),
    );
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    let cat_members = |token: &str| -> i64 {
        let v: Value = s
            .get("/api/v1/audit/quality?agency=so-gtvt", Some(token))
            .json()
            .expect("json");
        v["catalogs"][0]["records"].as_i64().expect("records")
    };
    assert_eq!(cat_members(&s.admin), 2);
    assert_eq!(
        cat_members(&other),
        1,
        "a restricted record of another agency is not counted"
    );

    // Aggregates: anonymous refused, an agency sees itself, the admin sees all.
    assert_eq!(s.get("/api/v1/audit/quality", None).status().as_u16(), 401);
    let mine: Value = s
        .get("/api/v1/audit/quality", Some(&owner))
        .json()
        .expect("json");
    let agencies: Vec<&str> = mine["agencies"]
        .as_array()
        .expect("a")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    assert_eq!(agencies, vec!["so-tc"], "{mine}");
    let all: Value = s
        .get("/api/v1/audit/quality", Some(&s.admin))
        .json()
        .expect("json");
    let gtvt = all["agencies"]
        .as_array()
        .expect("a")
        .iter()
        .find(|a| a["id"] == "so-gtvt")
        .expect("so-gtvt");
    assert_eq!(gtvt["records"], 3, "two datasets and the catalogue: {all}");
    assert!(gtvt["average_score"].as_f64().expect("avg") > 0.0);

    // Duplicates across agencies, diacritics and NFC/NFD folded; admins only.
    assert_eq!(
        s.get("/api/v1/audit/duplicates", Some(&owner))
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        s.get("/api/v1/audit/duplicates?threshold=2", Some(&s.admin))
            .status()
            .as_u16(),
        400
    );
    let d: Value = s
        .get("/api/v1/audit/duplicates", Some(&s.admin))
        .json()
        .expect("json");
    let pairs = d["pairs"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 1, "{d}");
    let ids = [pairs[0]["a"]["id"].clone(), pairs[0]["b"]["id"].clone()];
    assert!(ids.contains(&Value::from(rich.clone())) && ids.contains(&Value::from(thin.clone())));
    assert_eq!(pairs[0]["similarity"], 1.0);

    // A report follows the content: an update is re-assessed at once.
    let r = s
        .client()
        .put(format!("{}/api/v1/datasets/{thin}", s.url))
        .header("content-type", "text/turtle")
        .header("if-match", "*")
        .bearer_auth(&s.admin)
        .body(format!(
            "{PREFIXES}<http://src.example/toll> a dcat:Dataset ; dct:title \"{nfd}\"@vi ;\n\
             dct:description \"Trạm thu phí\"@vi ; dcat:keyword \"phí\"@vi ."
        ))
        .send()
        .expect("PUT");
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().unwrap_or_default());
    let (_, t2) = quality(&s, &thin, None);
    assert_ne!(t2["content_hash"], t["content_hash"]);
    assert_eq!(check(&t2, "findability", "keyword")["points"], 30);
}

#[test]
fn quality_on_sqlite() {
    scenario(Backend::Sqlite);
}

#[test]
fn quality_on_postgres() {
    scenario(Backend::Postgres);
}
