//! The HTTP server: the App (REST, SPARQL, dereferencing, docs), error routing
//! for extractor failures, and the background tail of the log.

use crate::error::{ApiError, Code};
use crate::state::AppState;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

/// Builds the routes and the OpenAPI document from one declaration.
pub fn configure<T>(app: utoipa_actix_web::UtoipaApp<T>) -> (App<T>, utoipa::openapi::OpenApi)
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    app.openapi(crate::api::base_openapi())
        .service(
            utoipa_actix_web::scope("/api/v1")
                .configure(crate::api::routes)
                .default_service(web::to(not_found)),
        )
        .configure(crate::api::meta::routes)
        .configure(crate::sparql::routes)
        .split_for_parts()
}

/// The OpenAPI document, as served and as committed in `api-spec/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = configure(App::new().into_utoipa_app()).1;
    crate::api::complete_responses(&mut doc);
    doc
}

fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new(Code::BadRequest, format!("invalid query string: {err}")).into()
}

fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new(Code::BadRequest, format!("invalid path: {err}")).into()
}

fn json_error(err: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::Overflow { limit } | E::OverflowKnownLength { limit, .. } => ApiError::new(
            Code::PayloadTooLarge,
            format!("the body exceeds the limit of {limit} bytes"),
        )
        .into(),
        E::ContentType => ApiError::new(
            Code::UnsupportedMediaType,
            "send Content-Type: application/json",
        )
        .into(),
        E::Deserialize(e) => ApiError::new(
            Code::InvalidJson,
            format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
        .at(Some((e.line() as u64, e.column() as u64)))
        .into(),
        other => ApiError::new(Code::InvalidJson, other.to_string()).into(),
    }
}

fn form_error(err: actix_web::error::UrlencodedError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new(Code::BadRequest, format!("invalid form body: {err}")).into()
}

/// Routes outside the OpenAPI document (IRIs, feeds, CKAN API, pages), as (template, methods).
const OTHER_ROUTES: &[(&str, &[&str])] = &[
    ("/", &["GET"]),
    ("/assets/site.css", &["GET"]),
    ("/search", &["GET"]),
    ("/agencies", &["GET"]),
    ("/signin", &["GET", "POST"]),
    ("/signout", &["POST"]),
    ("/manage", &["GET"]),
    ("/manage/datasets/new", &["GET", "POST"]),
    ("/manage/datasets/{id}/edit", &["GET", "POST"]),
    ("/manage/datasets/{id}/withdraw", &["POST"]),
    ("/database-catalogue", &["GET"]),
    ("/agencies/{code}", &["GET"]),
    ("/errors", &["GET"]),
    ("/errors/{code}", &["GET"]),
    ("/demo/openapi/{file}", &["GET"]),
    ("/catalog", &["GET"]),
    ("/feed", &["GET"]),
    ("/feed/{page}", &["GET"]),
    ("/api/3/action/{action}", &["GET", "POST"]),
    ("/api/action/{action}", &["GET", "POST"]),
    ("/api/v1/docs", &["GET"]),
    ("/api/v1/openapi.json", &["GET"]),
    ("/datasets/{id}", &["GET"]),
    ("/dataservices/{id}", &["GET"]),
    ("/catalogs/{id}", &["GET"]),
];

/// Every route's path template and methods: the OpenAPI document's operations and the routes
/// outside it, so that 405 and `Allow` always agree with what the server serves.
fn route_table() -> &'static [(Vec<String>, Vec<&'static str>)] {
    static TABLE: std::sync::OnceLock<Vec<(Vec<String>, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let segs = |t: &str| -> Vec<String> {
            t.trim_end_matches('/')
                .split('/')
                .skip(1)
                .map(str::to_owned)
                .collect()
        };
        let mut out: Vec<(Vec<String>, Vec<&'static str>)> = Vec::new();
        for (path, item) in openapi().paths.paths {
            let mut methods = Vec::new();
            for (m, present) in [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ] {
                if present {
                    methods.push(m);
                }
            }
            out.push((segs(&path), methods));
        }
        for (path, methods) in OTHER_ROUTES {
            out.push((segs(path), methods.to_vec()));
        }
        out
    })
}

/// The methods a known path accepts (with HEAD beside GET, and OPTIONS), so that a wrong
/// method answers 405 with the right `Allow`, not 404. Literal segments win over parameters,
/// as in the router.
fn allowed_methods(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    // `/catalog.ttl`, `/feed.jsonld`: suffixes select a syntax.
    let first = segs.first().map(|s| s.split('.').next().unwrap_or(s));
    let mut best: Option<(usize, &Vec<&'static str>)> = None;
    for (template, methods) in route_table() {
        if template.len() != segs.len() {
            continue;
        }
        let mut literal = 0;
        let matches = template.iter().zip(&segs).enumerate().all(|(i, (t, s))| {
            if t.starts_with('{') {
                !s.is_empty()
            } else if t == s || (i == 0 && segs.len() == 1 && Some(t.as_str()) == first) {
                literal += 1;
                true
            } else {
                false
            }
        });
        if matches && best.is_none_or(|(l, _)| literal > l) {
            best = Some((literal, methods));
        }
    }
    let (_, methods) = best?;
    let mut allow: Vec<&str> = methods.clone();
    if allow.contains(&"GET") {
        allow.insert(1, "HEAD");
    }
    allow.push("OPTIONS");
    Some(allow.join(", "))
}

/// Answers paths no route took: `OPTIONS` with 204 and `Allow`, another method on a known
/// path with 405 and `Allow`, else 404.
pub(crate) async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(allow) = allowed_methods(req.path()) {
        let value =
            actix_web::http::header::HeaderValue::from_str(&allow).map_err(ApiError::internal)?;
        if req.method() == actix_web::http::Method::OPTIONS {
            return Ok(HttpResponse::NoContent()
                .insert_header((actix_web::http::header::ALLOW, value))
                .finish());
        }
        let e = ApiError::new(
            Code::MethodNotAllowed,
            format!(
                "{} is not allowed on {}; use {allow}",
                req.method(),
                req.path()
            ),
        );
        let mut resp = actix_web::ResponseError::error_response(&e);
        resp.headers_mut()
            .insert(actix_web::http::header::ALLOW, value);
        return Ok(resp);
    }
    Err(ApiError::new(
        Code::NotFound,
        format!("no resource at {}", req.path()),
    ))
}

/// Runs the server until it is stopped.
pub async fn run(
    state: web::Data<AppState>,
    on_bound: impl FnOnce(&[std::net::SocketAddr]),
) -> anyhow::Result<()> {
    // The HTTP layer's own answers (400 unparsable, 431, 408) as problem+json too.
    actix_http::h1::set_error_renderer(crate::error::render_dispatcher_error);
    crate::error::set_problem_base(&state.registry.base);
    let limit = state.config.http.body_limit;
    let st = state.clone();
    let api = openapi();
    let server = HttpServer::new(move || {
        let (app, _) = configure(
            App::new()
                // Registered before the /api/v1 scope, which would otherwise answer 404 for them.
                .service(
                    SwaggerUi::new("/api/v1/docs/{_:.*}").url("/api/v1/openapi.json", api.clone()),
                )
                .service(web::redirect("/api/v1/docs", "/api/v1/docs/"))
                // Browsers asking /sparql for HTML get the query page; clients the endpoint.
                .route("/sparql", crate::pages::sparql_page_route())
                .app_data(st.clone())
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .app_data(
                    web::JsonConfig::default()
                        .limit(limit)
                        .error_handler(json_error),
                )
                .app_data(
                    web::FormConfig::default()
                        .limit(limit)
                        .error_handler(form_error),
                )
                .app_data(web::PayloadConfig::new(limit))
                // Inside compression, so it reads the problem before it is compressed.
                .wrap(actix_web::middleware::from_fn(crate::pages::html_errors))
                .wrap(actix_web::middleware::Compress::default())
                .wrap_fn(|mut req, srv| {
                    use actix_web::dev::Service as _;
                    head_as_get(&mut req);
                    srv.call(req)
                })
                .wrap(tracing_actix())
                .into_utoipa_app(),
        );
        app.configure(crate::feeds::catalog::routes)
            .configure(crate::feeds::ldes::routes)
            .configure(crate::feeds::ckan::routes)
            .configure(crate::pages::routes)
            .configure(crate::api::deref::routes)
            .default_service(web::to(not_found))
    })
    .bind(&state.config.http.bind)
    .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", state.config.http.bind))?;
    on_bound(&server.addrs());
    // Tail the log: picks up writes from other processes (CLI import, other servers on the
    // same PostgreSQL) and anything a crash left unapplied.
    let reg = state.registry.clone();
    let tail = tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if let Err(e) = reg.catch_up().await {
                tracing::warn!(error = %e, "catching up with the change log failed");
            }
        }
    });
    let r = server.run().await;
    tail.abort();
    if let Some(g) = &state.registry.graphs {
        let _ = g.flush();
    }
    r.map_err(Into::into)
}

/// HEAD answers as GET would, headers included: the request is routed as GET, and the HTTP
/// layer, which saw HEAD, sends the head of the answer without its body.
fn head_as_get(req: &mut actix_web::dev::ServiceRequest) {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
}

fn tracing_actix() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%a \"%r\" %s %b %Dms")
}

#[cfg(test)]
mod tests {
    /// `api-spec/openapi.json` is generated from the code; this fails when they differ.
    /// `DANHMUC_WRITE_OPENAPI=1 cargo test -p danhmuc openapi` rewrites the file.
    #[test]
    fn committed_openapi_matches_the_code() {
        let generated = super::openapi().to_pretty_json().expect("serialise");
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec/openapi.json");
        if std::env::var("DANHMUC_WRITE_OPENAPI").is_ok() {
            std::fs::write(&path, format!("{generated}\n")).expect("write api-spec/openapi.json");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed.trim_end(),
            generated.trim_end(),
            "api-spec/openapi.json is stale; rerun with DANHMUC_WRITE_OPENAPI=1"
        );
    }
}
