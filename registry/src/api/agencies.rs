//! Agencies: the state bodies that own records. Created by admins; read by everyone.

use super::rfc3339;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::records::Provenance;
use crate::state::AppState;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use record::Kind;
use serde::{Deserialize, Serialize};
use store::log::AgencyRow;

/// A name in Vietnamese and, optionally, English.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Name {
    /// Tên tiếng Việt (required).
    pub vi: String,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// A new agency.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgency {
    /// Short code: ASCII letters, digits, `-`, `_` (e.g. `so-tnmt`).
    pub code: String,
    /// Name.
    pub name: Name,
    /// Code of the parent agency, if any.
    #[serde(default)]
    pub parent: Option<String>,
}

/// An agency as answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Agency {
    /// Code.
    pub code: String,
    /// IRI (dereferenceable).
    pub iri: String,
    /// Name.
    pub name: Name,
    /// Parent agency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Created (RFC 3339).
    pub created: String,
    /// Agencies that took over from this one (merge, split); empty while it is current.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub successors: Vec<String>,
    /// Agencies this one took over from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predecessors: Vec<String>,
}

impl From<AgencyRow> for Agency {
    fn from(a: AgencyRow) -> Self {
        Agency {
            code: a.code,
            iri: a.iri,
            name: Name {
                vi: a.name_vi,
                en: a.name_en,
            },
            parent: a.parent,
            created: rfc3339(a.created_at),
            successors: Vec::new(),
            predecessors: Vec::new(),
        }
    }
}

/// Create an agency (admins).
#[utoipa::path(tag = "agencies", request_body = NewAgency, responses(
    (status = 201, description = "created", body = Agency),
    (status = 400, description = "malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "code already used", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid code or name, unknown parent", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/agencies")]
pub async fn create_agency(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewAgency>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let b = body.into_inner();
    let prov = Provenance {
        author: caller.author(),
        source: "api".into(),
    };
    state
        .registry
        .create_agency(
            &b.code,
            &b.name.vi,
            b.name.en.as_deref(),
            b.parent.as_deref(),
            &prov,
        )
        .await?;
    let row = state
        .registry
        .log
        .agency(&b.code)
        .await?
        .ok_or_else(|| ApiError::internal("agency vanished after creation"))?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/agencies/{}", row.code)))
        .json(Agency::from(row)))
}

/// List agencies.
#[utoipa::path(tag = "agencies", responses((status = 200, description = "all agencies", body = Vec<Agency>)))]
#[get("/agencies")]
pub async fn list_agencies(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = state.registry.log.agencies().await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(Agency::from).collect::<Vec<_>>()))
}

/// Read an agency: JSON by default, or its RDF description by `Accept`.
#[utoipa::path(tag = "agencies", params(("code" = String, Path, description = "agency code")), responses(
    (status = 200, description = "the agency", body = Agency),
    (status = 404, description = "unknown code", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/agencies/{code}")]
pub async fn get_agency(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let row =
        state.registry.log.agency(&code).await?.ok_or_else(|| {
            ApiError::new(Code::NotFound, format!("no agency with code '{code}'"))
        })?;
    let wants_rdf = super::header(&req, "accept")
        .is_some_and(|a| record::rdf::SERVED.iter().any(|(_, m, _)| a.contains(m)));
    if wants_rdf {
        let rec = super::records::readable(&state, &caller, Kind::Agency, &row.code).await?;
        return super::records::represent(&state, &req, &rec, false, None).await;
    }
    let mut a = Agency::from(row);
    a.successors = crate::audit::succession::successors_of(&state.registry, &code).await?;
    a.predecessors = crate::audit::succession::predecessors_of(&state.registry, &code).await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Records a merge or split (admins; the 2025 reorganisation): an `org:ChangeEvent` in the
/// agencies' records, and every record of the predecessors moved to a successor as a new
/// version (history kept; reports for past quarters keep the agency they had then).
#[utoipa::path(tag = "agencies", request_body = crate::audit::succession::SuccessionInput, responses(
    (status = 201, description = "recorded", body = crate::audit::succession::Succession),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "a predecessor was already succeeded", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "unknown agency, bad date, no basis, not a merge or split", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/agencies/successions")]
pub async fn create_succession(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<crate::audit::succession::SuccessionInput>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let prov = Provenance {
        author: caller.author(),
        source: "succession".into(),
    };
    let s = crate::audit::succession::succeed(&state.registry, &body, &prov).await?;
    Ok(HttpResponse::Created().json(s))
}

/// The merges and splits an agency took part in.
#[utoipa::path(tag = "agencies", params(("code" = String, Path, description = "agency code")), responses(
    (status = 200, description = "changes, oldest first", body = Vec<crate::audit::succession::Succession>),
    (status = 404, description = "unknown code", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/agencies/{code}/successions")]
pub async fn list_successions(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    if state.registry.log.agency(&code).await?.is_none() {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no agency with code '{code}'"),
        ));
    }
    Ok(HttpResponse::Ok()
        .json(crate::audit::succession::successions(&state.registry, &code).await?))
}

/// Mounts the agency routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_agency)
        .service(create_succession)
        .service(list_successions)
        .service(list_agencies)
        .service(get_agency)
        .service(rename_agency);
}

/// A new name for an agency.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// The new name.
    pub name: Name,
}

/// Rename an agency (admins): a new version of its record; the old name stays in its
/// history, and reports for past periods show the name it had then. Records naming the agency
/// as publisher or creator carry its name, so each gets a new version with the new name in
/// the same transaction (feeds announce them as updates).
#[utoipa::path(tag = "agencies", request_body = Rename, params(("code" = String, Path, description = "agency code")), responses(
    (status = 200, description = "renamed", body = Agency),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "unknown code", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "empty Vietnamese name", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[put("/agencies/{code}")]
pub async fn rename_agency(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    body: web::Json<Rename>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let b = body.into_inner();
    let prov = Provenance {
        author: caller.author(),
        source: "api".into(),
    };
    state
        .registry
        .rename_agency(&code, &b.name.vi, b.name.en.as_deref(), &prov)
        .await?;
    let row = state
        .registry
        .log
        .agency(&code)
        .await?
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no agency '{code}'")))?;
    Ok(HttpResponse::Ok().json(Agency::from(row)))
}
