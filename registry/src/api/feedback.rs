//! Feedback on records (R9; Tây Ninh arts. 11.5 and 12.2đ, Hà Nam art. 16.2c): anyone who can
//! read a dataset or data service may report a problem with it, without an account (then
//! throttled per address); the owning agency answers, then resolves or rejects (a reason
//! required). What is said is public on the record; the reporter's contact is for the agency
//! and the coordinating department only.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use store::feedback::FeedbackRow;
use store::log::now_micros;

/// The kinds of problem one can report.
pub const KINDS: [&str; 4] = ["error", "outdated", "broken_link", "other"];
/// The longest message, in characters.
pub const MAX_MESSAGE: usize = 4_000;
/// The longest contact, in characters.
pub const MAX_CONTACT: usize = 254;
/// The largest body read, in bytes.
const MAX_BODY: usize = 32 * 1024;

/// What a reporter sends.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeedback {
    /// `error`, `outdated`, `broken_link` or `other`.
    pub kind: String,
    /// What is wrong (1 to 4000 characters).
    #[schema(min_length = 1, max_length = 4000)]
    pub message: String,
    /// How the agency may reach the reporter (e-mail or telephone); never shown publicly.
    #[serde(default)]
    #[schema(max_length = 254)]
    pub contact: Option<String>,
}

/// Feedback as answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Feedback {
    /// Id.
    pub id: String,
    /// The record's id.
    pub record: String,
    /// The agency that answers.
    pub agency: String,
    /// `error`, `outdated`, `broken_link` or `other`.
    pub kind: String,
    /// What the reporter said.
    pub message: String,
    /// `open`, `answered`, `resolved` or `rejected`.
    pub state: String,
    /// Reported (RFC 3339).
    pub created: String,
    /// The agency's answer, or the reason it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Answered last (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered: Option<String>,
    /// Resolved or rejected (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
    /// The reporter's contact: only for the agency and admins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// Whether `caller` answers feedback of `agency` (and reads the reporters' contacts).
fn answers_for(caller: &Caller, agency: &str) -> bool {
    caller.is_admin() || (caller.is_authenticated() && caller.agency.as_deref() == Some(agency))
}

fn shown(f: FeedbackRow, caller: &Caller) -> Feedback {
    let contact = if answers_for(caller, &f.agency) {
        f.contact
    } else {
        None
    };
    Feedback {
        id: f.id,
        record: f.record_id,
        agency: f.agency,
        kind: f.kind,
        message: f.message,
        state: f.state,
        created: super::rfc3339(f.created_at),
        answer: f.answer,
        answered: f.answered_at.map(super::rfc3339),
        closed: f.closed_at.map(super::rfc3339),
        contact,
    }
}

/// Text a person wrote (a message, a title): not blank, at most `max` characters as sent
/// (the schema's bound), no control characters but line breaks and tabs (PostgreSQL keeps
/// no NUL); blanks around it dropped.
pub(crate) fn prose(v: &str, name: &str, max: usize) -> ApiResult<String> {
    let t = v.trim();
    if t.is_empty() || v.chars().count() > max {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("{name} has 1 to {max} characters"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("{name} holds a control character"),
        ));
    }
    Ok(t.to_owned())
}

/// An optional message under the rules of [`prose`]; none when absent or blank.
pub(crate) fn optional_prose(v: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    match v {
        Some(m) if !m.trim().is_empty() => prose(m, "the message", max).map(Some),
        _ => Ok(None),
    }
}

/// A reporter's or requester's contact: one line of at most [`MAX_CONTACT`] characters as
/// sent (the schema's bound), blanks around it dropped; none when blank.
pub(crate) fn contact_of(raw: Option<&str>) -> ApiResult<Option<String>> {
    if raw.is_some_and(|c| c.chars().count() > MAX_CONTACT || c.chars().any(char::is_control)) {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("the contact is one line of at most {MAX_CONTACT} characters"),
        ));
    }
    Ok(raw
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned))
}

/// Checks and records feedback on a record `caller` may read; the throttle applies to
/// callers without a token or session.
pub async fn report(
    state: &AppState,
    caller: &Caller,
    peer: Option<std::net::IpAddr>,
    collection: &str,
    id: &str,
    input: NewFeedback,
) -> ApiResult<FeedbackRow> {
    let rec = super::records::readable_in(state, caller, collection, id).await?;
    if !matches!(rec.kind.as_str(), "dataset" | "dataservice") {
        return Err(ApiError::new(
            Code::NotFound,
            "feedback is taken on datasets and data services",
        ));
    }
    if !KINDS.contains(&input.kind.as_str()) {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("unknown kind '{}': use {}", input.kind, KINDS.join(", ")),
        ));
    }
    let message = prose(&input.message, "the message", MAX_MESSAGE)?;
    let contact = contact_of(input.contact.as_deref())?;
    if !caller.is_authenticated()
        && let Some(addr) = peer
    {
        state.feedback_throttle.check(addr).map_err(|wait| {
            ApiError::new(
                Code::TooManyRequests,
                "this address sent feedback too often; sign in or wait",
            )
            .retry_after(wait)
        })?;
    }
    let row = FeedbackRow {
        id: uuid::Uuid::now_v7().to_string(),
        record_id: rec.id.clone(),
        agency: rec.agency.clone(),
        kind: input.kind,
        message,
        contact,
        state: "open".into(),
        author: caller.author(),
        created_at: now_micros(),
        answer: None,
        answered_by: None,
        answered_at: None,
        closed_at: None,
    };
    state.registry.log.insert_feedback(&row).await?;
    Ok(row)
}

/// Report a problem with a dataset or data service (R9). No account needed (then at most a
/// burst of 5 per address, one per 6 minutes after); the record must be one the caller may
/// read. The contact, if given, is shown only to the owning agency.
#[utoipa::path(tag = "feedback", request_body = NewFeedback, params(
    ("collection" = String, Path, description = "datasets or dataservices"),
    ("id" = String, Path, description = "record id")), responses(
    (status = 201, description = "recorded", body = Feedback),
    (status = 400, description = "bad kind, message or contact; malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such record (or not visible)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 410, description = "withdrawn", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 413, description = "body too large", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "this address sent too much feedback lately (Retry-After)", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/{collection}/{id}/feedback")]
pub async fn report_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let shape = "feedback is a JSON object {\"kind\", \"message\", \"contact\"?}";
    let input: NewFeedback = super::json_body(
        &req,
        payload,
        MAX_BODY.min(state.config.http.body_limit),
        shape,
    )
    .await?
    .ok_or_else(|| ApiError::new(Code::InvalidJson, format!("{shape}: the body is empty")))?;
    let peer = req.peer_addr().map(|a| a.ip());
    let row = report(&state, &caller, peer, &collection, &id, input).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/feedback/{}", row.id)))
        .json(shown(row, &caller)))
}

/// The feedback on a record, oldest first: what was said and answered, never the reporters'
/// contacts (except to the owning agency). Readable by whoever may read the record.
#[utoipa::path(tag = "feedback", params(
    ("collection" = String, Path, description = "datasets or dataservices"),
    ("id" = String, Path, description = "record id")), responses(
    (status = 200, description = "the feedback", body = [Feedback]),
    (status = 404, description = "no such record (or not visible)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 410, description = "withdrawn", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/{collection}/{id}/feedback")]
pub async fn record_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let rec = super::records::readable_in(&state, &caller, &collection, &id).await?;
    let rows = state.registry.log.feedback_on(&rec.id).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|f| shown(f, &caller))
            .collect::<Vec<_>>(),
    ))
}

/// Filters of the feedback list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only this agency's (admins; an agency account always gets its own).
    pub agency: Option<String>,
    /// `open`, `answered`, `resolved` or `rejected`.
    pub state: Option<String>,
}

const STATES: [&str; 4] = ["open", "answered", "resolved", "rejected"];

/// Feedback to answer, newest first: an agency's accounts see their agency's, admins all.
#[utoipa::path(tag = "feedback", params(ListQuery), responses(
    (status = 200, description = "the feedback, with contacts", body = [Feedback]),
    (status = 400, description = "unknown state", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/feedback")]
pub async fn list_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    if let Some(s) = q.state.as_deref()
        && !STATES.contains(&s)
    {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("unknown state '{s}': use {}", STATES.join(", ")),
        ));
    }
    let agency = if caller.is_admin() {
        q.agency.clone().unwrap_or_default()
    } else {
        caller.agency.clone().unwrap_or_else(|| "\u{0}".into())
    };
    let rows = state
        .registry
        .log
        .feedback_list(&agency, q.state.as_deref().unwrap_or(""))
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|f| shown(f, &caller))
            .collect::<Vec<_>>(),
    ))
}

/// What an agency says when it acts on feedback.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// The answer, or the reason (required to answer and to reject).
    #[serde(default)]
    pub message: Option<String>,
}

/// One feedback, with the contact for the agency.
#[utoipa::path(tag = "feedback", params(("id" = String, Path, description = "feedback id")), responses(
    (status = 200, description = "the feedback", body = Feedback),
    (status = 404, description = "no such feedback (or not yours)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/feedback/{id}")]
pub async fn get_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let f = mine(&state, &caller, &id).await?;
    Ok(HttpResponse::Ok().json(shown(f, &caller)))
}

async fn mine(state: &AppState, caller: &Caller, id: &str) -> ApiResult<FeedbackRow> {
    caller.require_auth()?;
    state
        .registry
        .log
        .feedback(id)
        .await?
        .filter(|f| answers_for(caller, &f.agency))
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no feedback with id '{id}'")))
}

/// The agency acts on feedback: `answer` (open or answered → answered; a message required),
/// `resolve` (→ resolved; a message optional) or `reject` (→ rejected; a reason required).
/// The owning agency's editors and admins.
#[utoipa::path(tag = "feedback", request_body = Reply, params(
    ("id" = String, Path, description = "feedback id"),
    ("action" = String, Path, description = "answer, resolve or reject")), responses(
    (status = 200, description = "the feedback after it", body = Feedback),
    (status = 400, description = "no message where one is needed; unknown action", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "a viewer account", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such feedback (or not yours)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already resolved or rejected", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/feedback/{id}/{action}")]
pub async fn act_on_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (id, action) = path.into_inner();
    let f = mine(&state, &caller, &id).await?;
    caller.require_editor_of(&f.agency)?;
    let reply: Reply = super::json_body(
        &req,
        payload,
        MAX_BODY,
        "the reply is a JSON object {\"message\"}",
    )
    .await?
    .unwrap_or_default();
    let message = optional_prose(reply.message.as_deref(), MAX_MESSAGE)?.unwrap_or_default();
    let message = message.as_str();
    let (to, needs) = match action.as_str() {
        "answer" => ("answered", true),
        "resolve" => ("resolved", false),
        "reject" => ("rejected", true),
        other => {
            return Err(ApiError::new(
                Code::NotFound,
                format!("no action '{other}': answer, resolve or reject"),
            ));
        }
    };
    if needs && message.is_empty() {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("to {action} feedback, say why in \"message\""),
        ));
    }
    let text = if message.is_empty() {
        f.answer.clone().unwrap_or_default()
    } else {
        message.to_owned()
    };
    let moved = state
        .registry
        .log
        .update_feedback(
            &id,
            &["open", "answered"],
            to,
            &text,
            &caller.author(),
            now_micros(),
        )
        .await?;
    if !moved {
        return Err(ApiError::new(
            Code::Conflict,
            format!("feedback {id} is already {}", f.state),
        ));
    }
    let f = mine(&state, &caller, &id).await?;
    Ok(HttpResponse::Ok().json(shown(f, &caller)))
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(report_feedback)
        .service(record_feedback)
        .service(list_feedback)
        .service(get_feedback)
        .service(act_on_feedback);
}
