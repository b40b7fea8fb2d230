//! The REST API under `/api/v1`: one module per resource, handlers named `<verb>_<resource>`,
//! routes and OpenAPI from one declaration (utoipa-actix-web).

pub mod agencies;
pub mod audit;
pub mod catalogue;
pub mod citation;
pub mod demand;
pub mod deref;
pub mod feedback;
pub mod harvest;
pub mod meta;
pub mod quality;
pub mod records;
pub mod search;
pub mod tokens;

use crate::error::{ApiError, ApiResult, Code};
use actix_web::HttpRequest;
use actix_web::web::{self, Bytes, BytesMut};
use futures_util::StreamExt;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The document-level parts of the OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "danhmuc",
        description = "Sổ đăng ký siêu dữ liệu DCAT cho dữ liệu mở cấp tỉnh. A DCAT metadata registry for Vietnam's provincial open data: datasets, data services, catalogues and agencies, with their full change history. Errors are RFC 9457 problem+json with a stable `code`.",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "datasets", description = "Bộ dữ liệu / Datasets (dcat:Dataset)"),
        (name = "dataservices", description = "Dịch vụ dữ liệu / Data services (dcat:DataService)"),
        (name = "catalogs", description = "Danh mục / Catalogues (dcat:Catalog)"),
        (name = "agencies", description = "Cơ quan / Agencies"),
        (name = "tokens", description = "Mã truy cập / API tokens"),
        (name = "harvest", description = "Thu thập / Harvesting: sources (DCAT, LDES, CKAN, spreadsheets) and jobs"),
        (name = "audit", description = "Kiểm tra, đôn đốc / Audit: update deadlines under the province's rules"),
        (name = "quality", description = "Chất lượng / Quality: SHACL (DCAT-AP 3.0.1, DCAT-AP-VN), MQA scores, link checks, duplicates"),
        (name = "catalogue", description = "Danh mục cơ sở dữ liệu / Catalogue of databases: requests, review, numbered issues"),
        (name = "feedback", description = "Phản ánh, đề nghị dữ liệu / Feedback on records and requests for data: from anyone, answered by the agency"),
        (name = "search", description = "Tìm kiếm / Search: full text in Vietnamese with or without diacritics, with facets"),
        (name = "sparql", description = "SPARQL 1.1 Protocol (read-only)"),
        (name = "meta", description = "Health, readiness, JSON-LD context"),
    ),
    modifiers(&Security),
    components(schemas(crate::error::Problem))
)]
struct BaseDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Whether a common status applies to an operation.
type AppliesTo = fn(&utoipa::openapi::path::Operation) -> bool;

/// Statuses any operation can answer whatever its own handler does, added where an operation
/// does not document them itself: a caller relying on the document (a generated client,
/// schemathesis) must find every status it can meet. (status, when, applies to the operation)
const COMMON_STATUSES: &[(&str, &str, AppliesTo)] = &[
    (
        "400",
        "a malformed query string, path or header (problem+json names it)",
        |_| true,
    ),
    (
        "401",
        "a bearer token that is unknown, revoked or malformed; or none where one is needed",
        |_| true,
    ),
    ("403", "the token's role or agency may not do this", |op| {
        op.security.as_ref().is_some_and(|s| !s.is_empty())
    }),
    ("413", "the body exceeds --body-limit", |op| {
        op.request_body.is_some()
    }),
    ("415", "a Content-Type this operation does not read", |op| {
        op.request_body.is_some()
    }),
    (
        "422",
        "the body is well-formed but not acceptable (the problem names the field or rule)",
        |op| op.request_body.is_some(),
    ),
    (
        "500",
        "a failure on the server's side; the body says nothing internal",
        |_| true,
    ),
    (
        "503",
        "the database stayed busy past the wait (database_busy, with Retry-After), or the \
         projections have not caught up yet (not_ready)",
        |_| true,
    ),
];

/// Adds [`COMMON_STATUSES`] to every operation that does not document them.
pub fn complete_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            for (status, when, applies) in COMMON_STATUSES {
                if op.responses.responses.contains_key(*status) || !applies(op) {
                    continue;
                }
                let response = ResponseBuilder::new()
                    .description(*when)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build();
                op.responses
                    .responses
                    .insert((*status).to_owned(), RefOr::T(response));
            }
        }
    }
}

/// The OpenAPI skeleton the routes are added to.
pub fn base_openapi() -> utoipa::openapi::OpenApi {
    BaseDoc::openapi()
}

/// Mounts every `/api/v1` route.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    records::routes(cfg);
    agencies::routes(cfg);
    tokens::routes(cfg);
    harvest::routes(cfg);
    audit::routes(cfg);
    quality::routes(cfg);
    citation::routes(cfg);
    feedback::routes(cfg);
    demand::routes(cfg);
    catalogue::routes(cfg);
    search::routes(cfg);
    meta::api_routes(cfg);
}

/// A JSON body of `shape` (named in the error), read up to `limit` bytes: `None` when the
/// body is empty, an `invalid_json` problem (with the position) when it is not that shape;
/// never a malformed body read as none.
pub async fn json_body<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    shape: &str,
) -> ApiResult<Option<T>> {
    let body = read_body(req, payload, limit).await?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&body).map(Some).map_err(|e| {
        ApiError::new(Code::InvalidJson, format!("{shape}: {e}"))
            .at(Some((e.line() as u64, e.column() as u64)))
    })
}

/// Reads a request body up to `limit` bytes; larger bodies fail with `payload_too_large`
/// before they are read whole.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> ApiResult<Bytes> {
    if let Some(len) = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        && len > limit
    {
        return Err(too_large(limit));
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::new(Code::BadRequest, format!("cannot read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        Code::PayloadTooLarge,
        format!("the body exceeds the limit of {limit} bytes (set --body-limit to change it)"),
    )
}

pub use record::dates::rfc3339;

pub use crate::http::header;
