//! The served OpenAPI document equals the committed `api-spec/openapi.json`, and the docs page
//! works offline (no script from anywhere but the registry itself).

use danhmuc_e2e::{Backend, Server};
use serde_json::Value;

#[test]
fn served_openapi_matches_the_committed_file_and_docs_are_offline() {
    let s = Server::start(Backend::Sqlite, &[]);
    let served: Value = s.get("/api/v1/openapi.json", None).json().expect("openapi");
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../api-spec/openapi.json"
        ))
        .expect("api-spec/openapi.json"),
    )
    .expect("json");
    assert_eq!(
        served, committed,
        "api-spec/openapi.json is stale: run `DANHMUC_WRITE_OPENAPI=1 cargo test -p danhmuc openapi`"
    );
    assert!(
        served["openapi"]
            .as_str()
            .expect("version")
            .starts_with("3.1")
    );
    for p in [
        "/api/v1/datasets",
        "/api/v1/datasets/{id}",
        "/api/v1/datasets/{id}/history",
        "/api/v1/agencies",
        "/sparql",
    ] {
        assert!(served["paths"][p].is_object(), "{p} documented");
    }
    let page = s.get("/api/v1/docs/", None);
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().expect("html");
    assert!(html.contains("swagger"), "a docs page");
    for src in html.split("src=\"").skip(1) {
        let url = src.split('"').next().unwrap_or("");
        assert!(
            !url.starts_with("http"),
            "docs page loads {url} from elsewhere"
        );
    }
    let init = s.get("/api/v1/docs/swagger-initializer.js", None);
    assert_eq!(init.status().as_u16(), 200);
    assert!(init.text().expect("js").contains("/api/v1/openapi.json"));
    let bundle = s.get("/api/v1/docs/swagger-ui-bundle.js", None);
    assert_eq!(
        bundle.status().as_u16(),
        200,
        "the UI's script is served by the registry itself"
    );
}
