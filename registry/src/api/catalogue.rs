//! The catalogue of databases (R1): requests to add, change or withdraw an entry, their review,
//! and the numbered issues of the catalogue.

use crate::audit::requests::{Action, Issue, Request};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

/// A request as submitted.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RequestInput {
    /// `add`, `change` or `withdraw`.
    pub action: Action,
    /// The requesting agency (admins submitting for an agency; editors' own by default).
    pub agency: Option<String>,
    /// The entry (dataset id) to change or withdraw.
    pub record: Option<String>,
    /// Why: the written justification the regulation asks for.
    pub justification: String,
    /// The proposed description (add, change): RDF text in `format`, or a JSON object in the
    /// REST JSON view.
    #[schema(value_type = Object)]
    pub description: Option<serde_json::Value>,
    /// Media type of a text description (default `text/turtle`).
    pub format: Option<String>,
}

/// A decision.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// The reviewer's reason (required to reject).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The decision a body carries: none (an empty body) is a decision without a reason; a body
/// that is not a decision is refused, never read as none.
async fn decision(
    state: &AppState,
    req: &actix_web::HttpRequest,
    payload: web::Payload,
) -> ApiResult<Decision> {
    Ok(super::json_body(
        req,
        payload,
        state.config.http.body_limit,
        "the decision is a JSON object {\"reason\": \"…\"}",
    )
    .await?
    .unwrap_or_default())
}

/// Filters of the request list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RequestQuery {
    /// Only this agency's requests (admins).
    pub agency: Option<String>,
    /// `pending`, `approved` or `rejected`.
    pub status: Option<String>,
}

/// Requests listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RequestList {
    /// Newest first.
    pub items: Vec<Request>,
}

/// Submits a request to add, change or withdraw an entry of the catalogue of databases. The
/// proposed description must state the six R1 fields (DCAT-AP-VN); nothing changes until the
/// coordinating department approves.
#[utoipa::path(tag = "catalogue", request_body = RequestInput, responses(
    (status = 201, description = "submitted (pending)", body = Request),
    (status = 400, description = "unparseable description", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "not an editor of the agency", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such entry", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "no justification, missing R1 fields, wrong entry", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/database-catalogue/requests")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    input: web::Json<RequestInput>,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let input = input.into_inner();
    let agency = match (&input.agency, &caller.agency) {
        (Some(a), _) if caller.is_admin() => a.clone(),
        (_, Some(own)) => own.clone(),
        _ => {
            return Err(ApiError::new(
                Code::BadRequest,
                "name the requesting agency (agency)",
            ));
        }
    };
    caller.require_editor_of(&agency)?;
    let description = match input.description {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(text)) => Some(crate::api::records::parse_body(
            &state,
            input.format.as_deref().unwrap_or("text/turtle"),
            text.as_bytes(),
        )?),
        Some(obj @ serde_json::Value::Object(_)) => Some(crate::api::records::parse_body(
            &state,
            "application/json",
            obj.to_string().as_bytes(),
        )?),
        Some(_) => {
            return Err(ApiError::new(
                Code::InvalidJson,
                "description is RDF text or a JSON object",
            ));
        }
    };
    let r = crate::audit::requests::submit_request(
        &state.registry,
        &agency,
        input.action,
        input.record.as_deref(),
        &input.justification,
        description,
        &caller.author(),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            LOCATION,
            format!("/api/v1/database-catalogue/requests/{}", r.id),
        ))
        .json(r))
}

fn readable(caller: &Caller, r: &Request) -> bool {
    caller.is_admin() || caller.agency.as_deref() == Some(r.agency.as_str())
}

/// Requests: admins see all, an agency its own.
#[utoipa::path(tag = "catalogue", params(RequestQuery), responses(
    (status = 200, description = "requests", body = RequestList),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/database-catalogue/requests")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<RequestQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let agency = if caller.is_admin() {
        q.agency.clone()
    } else {
        Some(caller.agency.clone().unwrap_or_default())
    };
    if let Some(s) = &q.status
        && !["pending", "approved", "rejected"].contains(&s.as_str())
    {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("unknown status '{s}': use pending, approved or rejected"),
        ));
    }
    let items =
        crate::audit::requests::requests(&state.registry, agency.as_deref(), q.status.as_deref())
            .await?;
    Ok(HttpResponse::Ok().json(RequestList { items }))
}

/// One request.
#[utoipa::path(tag = "catalogue", params(("id" = String, Path, description = "request id")), responses(
    (status = 200, description = "the request", body = Request),
    (status = 404, description = "no such request (or not yours)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/database-catalogue/requests/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let r = crate::audit::requests::request(&state.registry, &id)
        .await?
        .filter(|r| readable(&caller, r))
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no request '{id}'")))?;
    Ok(HttpResponse::Ok().json(r))
}

/// Approves a pending request (admins: the coordinating department). The change is applied
/// and the next numbered issue of the catalogue is made.
#[utoipa::path(tag = "catalogue", request_body = Option<Decision>, params(("id" = String, Path, description = "request id")), responses(
    (status = 200, description = "approved; `issue` names the new issue", body = Request),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such request", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already decided", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/database-catalogue/requests/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let d = decision(&state, &req, payload).await?;
    let r = crate::audit::requests::approve_request(
        &state.registry,
        &id,
        &caller.author(),
        d.reason.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Rejects a pending request with a reason (admins).
#[utoipa::path(tag = "catalogue", request_body = Decision, params(("id" = String, Path, description = "request id")), responses(
    (status = 200, description = "rejected", body = Request),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such request", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already decided", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "no reason", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/database-catalogue/requests/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let d = decision(&state, &req, payload).await?;
    let r = crate::audit::requests::reject_request(
        &state.registry,
        &id,
        &caller.author(),
        d.reason.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// An issue summarised.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssueSummary {
    /// Number.
    pub number: i64,
    /// When (RFC 3339).
    pub issued_at: String,
    /// dd/mm/yyyy.
    pub issued_vn: String,
    /// The approved request.
    pub request: String,
    /// Entries the caller may see.
    pub entries: usize,
}

/// Issues listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssueList {
    /// Oldest first.
    pub items: Vec<IssueSummary>,
}

fn visible(caller: &Caller, mut i: Issue) -> Issue {
    i.entries.retain(|e| {
        let shared: Vec<&str> = e.shared_with.split('|').filter(|s| !s.is_empty()).collect();
        caller.can_read("published", &e.visibility, &e.agency, &shared)
    });
    i
}

/// Every issue of the catalogue of databases, oldest first.
#[utoipa::path(tag = "catalogue", responses((status = 200, description = "issues", body = IssueList)))]
#[get("/database-catalogue/issues")]
pub async fn issues(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let items = crate::audit::requests::issues(&state.registry)
        .await?
        .into_iter()
        .map(|i| visible(&caller, i))
        .map(|i| IssueSummary {
            number: i.number,
            issued_at: i.issued_at,
            issued_vn: i.issued_vn,
            request: i.request,
            entries: i.entries.len(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(IssueList { items }))
}

/// One issue (`latest` for the current catalogue): its entries and the version each pins.
/// Entries the caller may not read are left out.
#[utoipa::path(tag = "catalogue", params(("number" = String, Path, description = "issue number, or latest", pattern = "^([0-9]{1,18}|latest)$")), responses(
    (status = 200, description = "the issue", body = Issue),
    (status = 404, description = "no such issue", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/database-catalogue/issues/{number}")]
pub async fn issue(
    state: web::Data<AppState>,
    caller: Caller,
    number: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let found = if number.as_str() == "latest" {
        crate::audit::requests::latest_issue(&state.registry).await?
    } else {
        let n: i64 = number.parse().map_err(|_| {
            ApiError::new(
                Code::BadRequest,
                format!("'{number}' is not an issue number (or latest)"),
            )
        })?;
        crate::audit::requests::issue(&state.registry, n).await?
    };
    let i = found.ok_or_else(|| ApiError::new(Code::NotFound, format!("no issue '{number}'")))?;
    Ok(HttpResponse::Ok().json(visible(&caller, i)))
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit)
        .service(list)
        .service(show)
        .service(approve)
        .service(reject)
        .service(issues)
        .service(issue);
}
