//! Data requests and demand (R9; Bắc Giang arts. 13.2–13.3): a citizen, business or agency
//! asks for data that is not published; others add their support (one per account, or per
//! address without one); the coordinating department assigns the request to an agency, which
//! answers that it plans to publish it, that it has (naming the new dataset), or that it
//! cannot (with a reason). The list ranked by support is what the province opens first.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use store::demand::DataRequestRow;
use store::log::now_micros;

const MAX_BODY: usize = 32 * 1024;
const MAX_TITLE: usize = 300;
const MAX_DESCRIPTION: usize = 4_000;

/// What a requester sends.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDataRequest {
    /// What data is wanted (1 to 300 characters).
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    /// Why, and what it should hold (1 to 4000 characters).
    #[schema(min_length = 1, max_length = 4000)]
    pub description: String,
    /// How to reach the requester; never shown publicly.
    #[serde(default)]
    #[schema(max_length = 254)]
    pub contact: Option<String>,
}

/// A data request as answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DataRequest {
    /// Id.
    pub id: String,
    /// What data is wanted.
    pub title: String,
    /// Why, and what it should hold.
    pub description: String,
    /// `open`, `assigned`, `planned`, `published` or `refused`.
    pub state: String,
    /// How many support it (the requester included).
    pub supports: i64,
    /// The agency it is assigned to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// Asked (RFC 3339).
    pub created: String,
    /// The agency's answer: its plan, or why it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// The dataset that answers it, once published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// The requester's contact: for admins and the assigned agency only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

fn shown(d: DataRequestRow, caller: &Caller) -> DataRequest {
    let sees_contact = caller.is_admin()
        || (caller.is_authenticated() && d.agency.is_some() && caller.agency == d.agency);
    DataRequest {
        id: d.id,
        title: d.title,
        description: d.description,
        state: d.state,
        supports: d.supports,
        agency: d.agency,
        created: super::rfc3339(d.created_at),
        answer: d.answer,
        dataset: d.dataset.map(|id| format!("/api/v1/datasets/{id}")),
        contact: if sees_contact { d.contact } else { None },
    }
}

/// Who supports: an account by its id, an address by a hash of it (addresses are not kept).
fn supporter(caller: &Caller, peer: Option<std::net::IpAddr>) -> String {
    match (&caller.token_id, peer) {
        (Some(id), _) if caller.is_authenticated() => format!("account:{id}"),
        (_, Some(ip)) => format!(
            "address:{}",
            hex::encode(sha2::Sha256::digest(ip.to_string().as_bytes()))
        ),
        _ => "address:unknown".into(),
    }
}

fn throttled(state: &AppState, caller: &Caller, peer: Option<std::net::IpAddr>) -> ApiResult<()> {
    if caller.is_authenticated() {
        return Ok(());
    }
    if let Some(addr) = peer {
        state.feedback_throttle.check(addr).map_err(|wait| {
            ApiError::new(
                Code::TooManyRequests,
                "this address sent requests too often; sign in or wait",
            )
            .retry_after(wait)
        })?;
    }
    Ok(())
}

/// Ask for data that is not published (R9 demand). No account needed (then throttled per
/// address, with feedback); the requester is its first supporter.
#[utoipa::path(tag = "feedback", request_body = NewDataRequest, responses(
    (status = 201, description = "recorded", body = DataRequest),
    (status = 400, description = "bad title, description or contact; malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 413, description = "body too large", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "this address sent too much lately (Retry-After)", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/data-requests")]
pub async fn create_data_request(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let shape = "a data request is a JSON object {\"title\", \"description\", \"contact\"?}";
    let input: NewDataRequest = super::json_body(&req, payload, MAX_BODY, shape)
        .await?
        .ok_or_else(|| ApiError::new(Code::InvalidJson, format!("{shape}: the body is empty")))?;
    let title = super::feedback::prose(&input.title, "the title", MAX_TITLE)?;
    let description =
        super::feedback::prose(&input.description, "the description", MAX_DESCRIPTION)?;
    let contact = super::feedback::contact_of(input.contact.as_deref())?;
    let peer = req.peer_addr().map(|a| a.ip());
    throttled(&state, &caller, peer)?;
    let row = DataRequestRow {
        id: uuid::Uuid::now_v7().to_string(),
        title,
        description,
        contact,
        author: caller.author(),
        state: "open".into(),
        agency: None,
        created_at: now_micros(),
        assigned_at: None,
        answered_at: None,
        answer: None,
        dataset: None,
        supports: 1,
    };
    state
        .registry
        .log
        .insert_data_request(&row, &supporter(&caller, peer))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/data-requests/{}", row.id)))
        .json(shown(row, &caller)))
}

/// Filters of the list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `open`, `assigned`, `planned`, `published` or `refused`.
    pub state: Option<String>,
    /// Only those assigned to this agency.
    pub agency: Option<String>,
    /// `demand` (default: most supported first) or `newest`.
    pub sort: Option<String>,
}

const STATES: [&str; 5] = ["open", "assigned", "planned", "published", "refused"];

/// Data requests, most supported first: what to open first (public; contacts only for
/// admins and the assigned agency).
#[utoipa::path(tag = "feedback", params(ListQuery), responses(
    (status = 200, description = "the requests", body = [DataRequest]),
    (status = 400, description = "unknown state or sort", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/data-requests")]
pub async fn list_data_requests(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    if let Some(s) = q.state.as_deref()
        && !STATES.contains(&s)
    {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("unknown state '{s}': use {}", STATES.join(", ")),
        ));
    }
    let newest = match q.sort.as_deref() {
        None | Some("demand") => false,
        Some("newest") => true,
        Some(other) => {
            return Err(ApiError::new(
                Code::BadRequest,
                format!("unknown sort '{other}': use demand or newest"),
            ));
        }
    };
    let rows = state
        .registry
        .log
        .data_requests(
            q.state.as_deref().unwrap_or(""),
            q.agency.as_deref().unwrap_or(""),
            newest,
        )
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|d| shown(d, &caller))
            .collect::<Vec<_>>(),
    ))
}

async fn found(state: &AppState, id: &str) -> ApiResult<DataRequestRow> {
    state
        .registry
        .log
        .data_request(id)
        .await?
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no data request with id '{id}'")))
}

/// One data request.
#[utoipa::path(tag = "feedback", params(("id" = String, Path, description = "request id")), responses(
    (status = 200, description = "the request", body = DataRequest),
    (status = 404, description = "no such request", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/data-requests/{id}")]
pub async fn get_data_request(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(shown(found(&state, &id).await?, &caller)))
}

/// Support a data request: once per account, or per address without one (409 the second
/// time). Closed requests (published, refused) take no more support.
#[utoipa::path(tag = "feedback", params(("id" = String, Path, description = "request id")), responses(
    (status = 200, description = "supported; the request with its count", body = DataRequest),
    (status = 404, description = "no such request", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already supported by this account or address, or closed", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "this address sent too much lately (Retry-After)", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/data-requests/{id}/support")]
pub async fn support_data_request(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let d = found(&state, &id).await?;
    if matches!(d.state.as_str(), "published" | "refused") {
        return Err(ApiError::new(
            Code::Conflict,
            format!("data request {id} is {}; it takes no more support", d.state),
        ));
    }
    let peer = req.peer_addr().map(|a| a.ip());
    let who = supporter(&caller, peer);
    if !state
        .registry
        .log
        .support_data_request(&id, &who, now_micros())
        .await?
    {
        return Err(ApiError::new(
            Code::Conflict,
            "this account or address already supports the request",
        ));
    }
    Ok(HttpResponse::Ok().json(shown(found(&state, &id).await?, &caller)))
}

/// What the coordinating department or the agency says.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `assign`: the agency to answer it.
    #[serde(default)]
    pub agency: Option<String>,
    /// `answer`: `planned`, `published` or `refused`.
    #[serde(default)]
    pub state: Option<String>,
    /// `answer`: the plan, or the reason (required to refuse).
    #[serde(default)]
    pub message: Option<String>,
    /// `answer` with `published`: the dataset's id.
    #[serde(default)]
    pub dataset: Option<String>,
}

/// `assign` (admins: the coordinating department names the agency) or `answer` (that
/// agency's editors or admins: `planned`, `published` with the dataset, `refused` with a
/// reason).
#[utoipa::path(tag = "feedback", request_body = Decision, params(
    ("id" = String, Path, description = "request id"),
    ("action" = String, Path, description = "assign or answer")), responses(
    (status = 200, description = "the request after it", body = DataRequest),
    (status = 400, description = "what the action needs is missing", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "not the coordinating department, or not the assigned agency", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such request", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "not in a state that allows it", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "unknown agency, or a dataset that is not the agency's published one", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/data-requests/{id}/{action}")]
pub async fn decide_data_request(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (id, action) = path.into_inner();
    caller.require_auth()?;
    let d = found(&state, &id).await?;
    let input: Decision = super::json_body(
        &req,
        payload,
        MAX_BODY,
        "a decision is a JSON object {\"agency\"?, \"state\"?, \"message\"?, \"dataset\"?}",
    )
    .await?
    .unwrap_or_default();
    let message = super::feedback::optional_prose(input.message.as_deref(), MAX_DESCRIPTION)?;
    let message = message.as_deref();
    let moved = match action.as_str() {
        "assign" => {
            caller.require_admin()?;
            let agency = input.agency.as_deref().ok_or_else(|| {
                ApiError::new(Code::BadRequest, "name the agency to answer it: \"agency\"")
            })?;
            // (A code with a control character names no agency; PostgreSQL keeps no NUL.)
            if agency.chars().any(char::is_control)
                || state.registry.log.agency(agency).await?.is_none()
            {
                return Err(store::StoreError::UnknownAgency(agency.to_owned()).into());
            }
            state
                .registry
                .log
                .move_data_request(
                    &id,
                    &["open", "assigned"],
                    "assigned",
                    Some(agency),
                    None,
                    None,
                    now_micros(),
                )
                .await?
        }
        "answer" => {
            let agency = d.agency.clone().ok_or_else(|| {
                ApiError::new(
                    Code::Conflict,
                    "the request is not assigned to an agency yet",
                )
            })?;
            caller.require_editor_of(&agency)?;
            let to = input.state.as_deref().unwrap_or("");
            let dataset = match to {
                "planned" => None,
                "refused" if message.is_some() => None,
                "refused" => {
                    return Err(ApiError::new(
                        Code::BadRequest,
                        "say why the data cannot be published: \"message\"",
                    ));
                }
                "published" => {
                    let ds = input.dataset.as_deref().ok_or_else(|| {
                        ApiError::new(Code::BadRequest, "name the published dataset: \"dataset\"")
                    })?;
                    let known = if ds.chars().any(char::is_control) {
                        None
                    } else {
                        state.registry.log.record(ds).await?
                    };
                    let rec = known
                        .filter(|r| {
                            r.kind == "dataset" && r.status == "published" && r.agency == agency
                        })
                        .ok_or_else(|| {
                            ApiError::new(
                                Code::InvalidRecord,
                                format!("'{ds}' is not a published dataset of {agency}"),
                            )
                        })?;
                    Some(rec.id)
                }
                other => {
                    return Err(ApiError::new(
                        Code::BadRequest,
                        format!("answer with state planned, published or refused, not '{other}'"),
                    ));
                }
            };
            state
                .registry
                .log
                .move_data_request(
                    &id,
                    &["assigned", "planned"],
                    to,
                    None,
                    message,
                    dataset.as_deref(),
                    now_micros(),
                )
                .await?
        }
        other => {
            return Err(ApiError::new(
                Code::NotFound,
                format!("no action '{other}': assign or answer"),
            ));
        }
    };
    if !moved {
        return Err(ApiError::new(
            Code::Conflict,
            format!("data request {id} is {}; that is not possible now", d.state),
        ));
    }
    Ok(HttpResponse::Ok().json(shown(found(&state, &id).await?, &caller)))
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_data_request)
        .service(list_data_requests)
        .service(get_data_request)
        .service(support_data_request)
        .service(decide_data_request);
}
