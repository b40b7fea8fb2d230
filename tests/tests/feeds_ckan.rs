//! The CKAN-compatible read API under `/api/3/action/` over HTTP against the real binary:
//! CKAN 2.10 envelopes and package fields, search with `q` (diacritics folded), `fq`, paging and
//! sorting, organisations, groups, licences, errors as CKAN gives them, nothing restricted;
//! the real `ckanapi` client (PyPI) reading it; and a round trip through danhmuc's own CKAN
//! harvester into a second registry, deletions included. Both databases.

use danhmuc_e2e::{Backend, Server};
use serde_json::{Value, json};

const P: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
    @prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .\n\
    @prefix lic: <http://publications.europa.eu/resource/authority/licence/> .\n\
    @prefix th: <http://publications.europa.eu/resource/authority/data-theme/> .\n\
    @prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .\n";

fn create(
    s: &Server,
    agency: &str,
    n: usize,
    title: &str,
    kw: &str,
    fmt: &str,
    access: &str,
) -> String {
    let ttl = format!(
        "{P}<http://src.example/{n}> a dcat:Dataset ; dct:title \"{title}\"@vi ; dct:description \"Mô tả {title}\"@vi ;\n\
         dcat:keyword \"{kw}\"@vi ; dcat:theme th:EDUC ; dct:accessRights ar:{access} ;\n\
         dcat:distribution [ a dcat:Distribution ; dct:title \"Tệp {n}\"@vi ; dcat:downloadURL <https://files.example.vn/{n}.{fmt}> ;\n\
           dcat:accessURL <https://files.example.vn/{n}.{fmt}> ; dct:format ft:{} ; dct:license lic:CC_BY_4_0 ] .",
        fmt.to_uppercase()
    );
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

fn act(s: &Server, action: &str, query: &str) -> (u16, Value) {
    let r = s.get(&format!("/api/3/action/{action}{query}"), None);
    let st = r.status().as_u16();
    (st, r.json().expect("json"))
}

fn ok(s: &Server, action: &str, query: &str) -> Value {
    let (st, v) = act(s, action, query);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["success"], true);
    assert!(v["help"].as_str().expect("help").contains(action));
    v["result"].clone()
}

fn scenario(backend: Backend) {
    let a = Server::start(backend, &[]);
    a.agency("so-gd", "Sở Giáo dục và Đào tạo");
    a.agency("so-yt", "Sở Y tế");
    let t1 = create(
        &a,
        "so-gd",
        1,
        "Danh sách trường học",
        "giáo dục",
        "csv",
        "PUBLIC",
    );
    let t2 = create(
        &a,
        "so-gd",
        2,
        "Điểm thi tốt nghiệp",
        "giáo dục",
        "json",
        "PUBLIC",
    );
    let h1 = create(
        &a,
        "so-yt",
        3,
        "Cơ sở khám chữa bệnh",
        "y tế",
        "csv",
        "PUBLIC",
    );
    let secret = create(
        &a,
        "so-yt",
        4,
        "Hồ sơ bệnh nhân",
        "y tế",
        "csv",
        "NON_PUBLIC",
    );

    let st = ok(&a, "status_show", "");
    assert_eq!(st["ckan_version"], "2.10.4");
    let mut list: Vec<String> = serde_json::from_value(ok(&a, "package_list", "")).expect("list");
    list.sort();
    let mut want = vec![t1.clone(), t2.clone(), h1.clone()];
    want.sort();
    assert_eq!(list, want, "only public datasets");

    // package_show: CKAN's fields.
    let p = ok(&a, "package_show", &format!("?id={t1}"));
    assert_eq!(p["title"], "Danh sách trường học");
    assert_eq!(p["name"], t1.as_str());
    assert_eq!(p["state"], "active");
    assert_eq!(p["type"], "dataset");
    assert_eq!(p["private"], false);
    assert_eq!(p["license_id"], "cc-by-4.0");
    assert_eq!(p["isopen"], true);
    assert_eq!(p["organization"]["name"], "so-gd");
    assert_eq!(p["organization"]["title"], "Sở Giáo dục và Đào tạo");
    assert_eq!(p["owner_org"], "so-gd");
    assert_eq!(p["tags"][0]["name"], "giáo dục");
    assert_eq!(p["groups"][0]["name"], "educ");
    assert_eq!(p["num_resources"], 1);
    assert_eq!(p["resources"][0]["url"], "https://files.example.vn/1.csv");
    assert_eq!(p["resources"][0]["format"], "CSV");
    assert_eq!(p["resources"][0]["package_id"], t1.as_str());
    assert!(p["metadata_modified"].as_str().expect("mm").contains('T'));
    assert!(
        p["extras"]
            .as_array()
            .expect("extras")
            .iter()
            .any(|e| e["key"] == "uri")
    );
    // Not found, the CKAN way; restricted records do not exist here.
    for id in [secret.as_str(), "khong-co"] {
        let (st, v) = act(&a, "package_show", &format!("?id={id}"));
        assert_eq!(st, 404);
        assert_eq!(v["success"], false);
        assert_eq!(v["error"]["__type"], "Not Found Error");
    }
    let (st, v) = act(&a, "package_show", "");
    assert_eq!(st, 409);
    assert_eq!(v["error"]["__type"], "Validation Error");
    let (st, v) = act(&a, "no_such_action", "");
    assert_eq!(st, 400);
    assert_eq!(v["success"], false);

    // package_search: q with and without diacritics, fq, paging, sorting.
    let r = ok(&a, "package_search", "?q=truong%20hoc");
    assert_eq!(r["count"], 1, "{r}");
    assert_eq!(r["results"][0]["id"], t1.as_str());
    let r = ok(&a, "package_search", "?q=tr%C6%B0%E1%BB%9Dng");
    assert_eq!(r["count"], 1);
    let r = ok(
        &a,
        "package_search",
        "?fq=organization:so-gd&rows=1&sort=name%20asc",
    );
    assert_eq!(r["count"], 2);
    assert_eq!(r["results"].as_array().map(Vec::len), Some(1));
    let first = r["results"][0]["name"].as_str().expect("n").to_owned();
    let r2 = ok(
        &a,
        "package_search",
        "?fq=organization:so-gd&rows=1&start=1&sort=name%20asc",
    );
    assert!(r2["results"][0]["name"].as_str().expect("n") > first.as_str());
    let r = ok(&a, "package_search", "?fq=tags:%22y%20t%E1%BA%BF%22");
    assert_eq!(r["count"], 1, "{r}");
    assert_eq!(r["results"][0]["id"], h1.as_str());
    let r = ok(&a, "package_search", "?fq=res_format:JSON");
    assert_eq!(r["count"], 1);
    assert_eq!(r["results"][0]["id"], t2.as_str());
    let r = ok(&a, "package_search", "?q=b%E1%BB%87nh%20nh%C3%A2n");
    assert_eq!(r["count"], 0, "restricted records are never found");
    // `q` goes through the search index: the same records in the same order as
    // GET /api/v1/search ranks the datasets, prefix matching while typing included.
    for q in [
        "truong",
        "d%E1%BB%AF%20li%E1%BB%87u",
        "y%20t",
        "gi%C3%A1o%20d",
    ] {
        let ckan: Vec<String> = ok(&a, "package_search", &format!("?q={q}&rows=1000"))["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect();
        let ours: Value = a
            .get(
                &format!("/api/v1/search?kind=dataset&limit=1000&q={q}"),
                None,
            )
            .json()
            .expect("search");
        let ours: Vec<String> = ours["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_owned())
            .collect();
        assert_eq!(ckan, ours, "package_search q={q} ranks as the search API");
    }
    assert!(ok(&a, "package_search", "?q=y%20t")["count"].as_u64() >= Some(1));
    // Incremental harvesting as CKAN's harvester asks for it.
    let r = ok(
        &a,
        "package_search",
        "?fq=metadata_modified:%5B2000-01-01T00:00:00Z%20TO%20*%5D",
    );
    assert_eq!(r["count"], 3, "{r}");
    let r = ok(
        &a,
        "package_search",
        "?fq=metadata_modified:%5B2999-01-01T00:00:00Z%20TO%20*%5D",
    );
    assert_eq!(r["count"], 0, "{r}");
    let (st, _) = act(&a, "package_search", "?rows=abc");
    assert_eq!(st, 409);
    // POSTed JSON, as ckanapi sends it.
    let r = a.post(
        "/api/3/action/package_search",
        "application/json",
        json!({"fq": "organization:so-yt", "rows": 10}).to_string(),
        None,
    );
    let v: Value = r.json().expect("json");
    assert_eq!(v["result"]["count"], 1);

    // Organisations, groups, licences.
    let orgs = ok(&a, "organization_list", "");
    assert_eq!(orgs, json!(["so-gd", "so-yt"]));
    let orgs = ok(&a, "organization_list", "?all_fields=true");
    assert_eq!(orgs[0]["package_count"], 2);
    assert_eq!(
        orgs[1]["package_count"], 1,
        "the restricted dataset is not counted"
    );
    assert_eq!(orgs[0]["is_organization"], true);
    let o = ok(&a, "organization_show", "?id=so-yt");
    assert_eq!(o["title"], "Sở Y tế");
    assert_eq!(act(&a, "organization_show", "?id=so-x").0, 404);
    assert_eq!(ok(&a, "group_list", ""), json!(["educ"]));
    let lic = ok(&a, "license_list", "");
    assert!(
        lic.as_array()
            .expect("l")
            .iter()
            .any(|l| l["id"] == "cc-by-4.0")
    );

    // The real ckanapi client, when Python has it (.ci/run installs it).
    let script = format!(
        "import json, ckanapi\nr = ckanapi.RemoteCKAN('{}')\nres = r.action.package_search(fq='organization:so-gd', rows=10)\nshow = r.action.package_show(id='{t2}')\norgs = r.action.organization_list(all_fields=True)\nprint(json.dumps({{'count': res['count'], 'title': show['title'], 'orgs': [o['name'] for o in orgs]}}))\n",
        a.url
    );
    match std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
    {
        Ok(out) if out.status.success() => {
            let v: Value = serde_json::from_slice(&out.stdout).expect("ckanapi output");
            assert_eq!(v["count"], 2);
            assert_eq!(v["title"], "Điểm thi tốt nghiệp");
            assert_eq!(v["orgs"], json!(["so-gd", "so-yt"]));
        }
        other => assert!(
            std::env::var("CI").is_err(),
            "ckanapi must run under CI: {other:?}"
        ),
    }

    // Round trip through danhmuc's own CKAN harvester.
    let b = Server::start(backend, &["--allow-private-harvest"]);
    b.agency("so-gd-b", "Sở Giáo dục và Đào tạo (bản sao)");
    let src = b.source(
        "ckan",
        &a.url,
        "so-gd-b",
        json!({"organizations": ["so-gd"]}),
    );
    let job = b.harvest(&src);
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["created"], 2, "{job}");
    assert_eq!(
        b.dataset_titles(),
        vec![
            "Danh sách trường học".to_owned(),
            "Điểm thi tốt nghiệp".to_owned()
        ]
    );
    let del = a
        .client()
        .delete(format!("{}/api/v1/datasets/{t2}", a.url))
        .bearer_auth(&a.admin)
        .send()
        .expect("DELETE");
    assert_eq!(del.status().as_u16(), 204);
    let job = b.harvest(&src);
    assert_eq!(job["status"], "succeeded", "{job}");
    // One of two records withdrawn is more than the default review share (20%): held.
    assert_eq!(job["review"], true, "{job}");
    let confirm = b.post(
        &format!(
            "/api/v1/harvest/jobs/{}/withdrawals",
            job["id"].as_str().expect("id")
        ),
        "application/json",
        "",
        Some(&b.admin),
    );
    assert_eq!(
        confirm.status().as_u16(),
        200,
        "{}",
        confirm.text().unwrap_or_default()
    );
    assert_eq!(b.dataset_titles(), vec!["Danh sách trường học".to_owned()]);
}

#[test]
fn ckan_api_sqlite() {
    scenario(Backend::Sqlite);
}

#[test]
fn ckan_api_postgres() {
    scenario(Backend::Postgres);
}
