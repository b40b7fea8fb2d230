//! Harvest sources and jobs over REST. Sources are registered by admins; runs are task
//! resources (`202` and a job to poll). Sources and jobs are not public: they are read by
//! admins and by the owning agency's accounts.

use super::{read_body, rfc3339};
use crate::api::records::readable_in;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::harvesting::sources::{self, SourceInput};
use crate::state::AppState;
use actix_web::http::header::{CONTENT_TYPE, LOCATION};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use serde::Serialize;
use store::StoreError;
use store::harvest::{Failure, JobRow, SourceRow};

/// A harvest source as answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Source {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// `dcat`, `ckan` or `sheet`.
    pub kind: String,
    /// Where it is read.
    pub url: String,
    /// Owning agency.
    pub agency: String,
    /// Schedule.
    pub schedule: String,
    /// Kind-specific settings.
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// Next scheduled run (RFC 3339), if scheduled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_run: Option<String>,
    /// Created (RFC 3339).
    pub created: String,
    /// Last changed (RFC 3339).
    pub updated: String,
    /// Its jobs.
    pub jobs: String,
}

impl Source {
    fn from_row(s: SourceRow) -> Source {
        Source {
            jobs: format!("/api/v1/harvest/sources/{}/jobs", s.id),
            id: s.id,
            name: s.name,
            kind: s.kind,
            url: s.url,
            agency: s.agency,
            schedule: s.schedule,
            config: s.config,
            next_run: s.next_run_at.map(rfc3339),
            created: rfc3339(s.created_at),
            updated: rfc3339(s.updated_at),
        }
    }
}

/// How far a job got.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// Pages (or files) read.
    pub pages: i64,
    /// Records handled.
    pub processed: i64,
    /// Records the source announced, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// What a job did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Counts {
    /// New records.
    pub created: i64,
    /// New versions.
    pub updated: i64,
    /// Read, same content: no version.
    pub unchanged: i64,
    /// Withdrawn (missing from the source, or deleted in its stream).
    pub withdrawn: i64,
    /// Records that could not be read or written.
    pub failed: i64,
}

/// A harvest job (a task resource).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Job {
    /// Identifier.
    pub id: String,
    /// Its source.
    pub source: String,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    /// `manual`, `schedule` or `cli`.
    pub trigger: String,
    /// Queued (RFC 3339).
    pub queued_at: String,
    /// Started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// Finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Progress.
    pub progress: Progress,
    /// The counts, also given one by one below.
    pub counts: Counts,
    /// New records.
    pub created: i64,
    /// New versions.
    pub updated: i64,
    /// Unchanged records.
    pub unchanged: i64,
    /// Withdrawn records.
    pub withdrawn: i64,
    /// Failed records.
    pub failed: i64,
    /// Whether the whole source was read (only then are missing records withdrawn).
    pub complete: bool,
    /// Whether withdrawals are held for review (the mass-deletion guard).
    pub review: bool,
    /// How many withdrawals are held.
    pub held_withdrawals: i64,
    /// Why it failed, or what to do next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Problems that did not stop the run.
    pub warnings: Vec<String>,
    /// Each failed record's identifier and reason (the first thousand).
    pub failures: Vec<Failure>,
}

impl From<JobRow> for Job {
    fn from(j: JobRow) -> Job {
        Job {
            id: j.id,
            source: j.source_id,
            status: j.status,
            trigger: j.trigger,
            queued_at: rfc3339(j.created_at),
            started_at: j.started_at.map(rfc3339),
            finished_at: j.finished_at.map(rfc3339),
            progress: Progress {
                pages: j.pages,
                processed: j.processed,
                total: j.total,
            },
            counts: Counts {
                created: j.created,
                updated: j.updated,
                unchanged: j.unchanged,
                withdrawn: j.withdrawn,
                failed: j.failed,
            },
            created: j.created,
            updated: j.updated,
            unchanged: j.unchanged,
            withdrawn: j.withdrawn,
            failed: j.failed,
            complete: j.complete,
            review: j.review,
            held_withdrawals: j.held_withdrawals,
            message: j.message,
            warnings: j.warnings,
            failures: j.failures,
        }
    }
}

fn source_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Invalid(m) => ApiError::new(Code::InvalidSource, m),
        other => other.into(),
    }
}

/// The source, if the caller may see it (admins; the owning agency's accounts).
pub(crate) async fn visible_source(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<SourceRow> {
    caller.require_auth()?;
    let s = state.registry.log.source(id).await?.ok_or_else(|| {
        ApiError::new(Code::NotFound, format!("no harvest source with id '{id}'"))
    })?;
    if !caller.is_admin() && caller.agency.as_deref() != Some(s.agency.as_str()) {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no harvest source with id '{id}'"),
        ));
    }
    Ok(s)
}

fn allow_private(state: &AppState) -> bool {
    state.harvester.policy.allow_private
}

/// Register a harvest source (admins).
#[utoipa::path(tag = "harvest", request_body = SourceInput, responses(
    (status = 201, description = "registered", body = Source),
    (status = 400, description = "malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "unknown kind or agency, bad URL, schedule or config", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/harvest/sources")]
pub async fn create_source(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<SourceInput>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let row = sources::create(&state.registry, body.into_inner(), allow_private(&state))
        .await
        .map_err(source_error)?;
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, format!("/api/v1/harvest/sources/{}", row.id)))
        .json(Source::from_row(row)))
}

/// List harvest sources (admins: all; agency accounts: their agency's).
#[utoipa::path(tag = "harvest", responses(
    (status = 200, description = "sources", body = [Source]),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/harvest/sources")]
pub async fn list_sources(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let agency = if caller.is_admin() {
        None
    } else {
        Some(caller.agency.clone().unwrap_or_default())
    };
    let rows = state.registry.log.sources(agency.as_deref()).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(Source::from_row).collect::<Vec<_>>()))
}

/// Show a harvest source.
#[utoipa::path(tag = "harvest", params(("id" = String, Path, description = "source id")), responses(
    (status = 200, description = "the source", body = Source),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such source", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/harvest/sources/{id}")]
pub async fn get_source(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let s = visible_source(&state, &caller, &id).await?;
    Ok(HttpResponse::Ok().json(Source::from_row(s)))
}

/// Replace a harvest source's settings (admins).
#[utoipa::path(tag = "harvest", request_body = SourceInput, params(("id" = String, Path, description = "source id")), responses(
    (status = 200, description = "updated", body = Source),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such source", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid settings", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[put("/harvest/sources/{id}")]
pub async fn update_source(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<SourceInput>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let row = sources::update(
        &state.registry,
        &id,
        body.into_inner(),
        allow_private(&state),
    )
    .await
    .map_err(source_error)?;
    Ok(HttpResponse::Ok().json(Source::from_row(row)))
}

/// Delete a harvest source and its job history (admins). Its records stay with the agency.
#[utoipa::path(tag = "harvest", params(("id" = String, Path, description = "source id")), responses(
    (status = 204, description = "deleted"),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such source", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "a run is in progress", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/harvest/sources/{id}")]
pub async fn delete_source(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    if let Some(j) = state.registry.log.active_job(&id).await? {
        return Err(ApiError::new(
            Code::Conflict,
            format!("job {j} of this source is queued or running; cancel it first"),
        ));
    }
    if !state.registry.log.delete_source(&id).await? {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no harvest source with id '{id}'"),
        ));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// A file uploaded to run `source` with: only sheet sources take one, and it must read as a
/// spreadsheet that follows the template (checked now, so the uploader hears it at once).
pub(crate) fn sheet_upload(
    source: &SourceRow,
    media_type: &str,
    body: Vec<u8>,
) -> ApiResult<harvest::Payload> {
    if source.kind != "sheet" {
        return Err(ApiError::new(
            Code::BadRequest,
            format!(
                "only sheet sources take an uploaded file; this is a {} source",
                source.kind
            ),
        ));
    }
    harvest::sheet::check_upload(&body, media_type)
        .map_err(|e| ApiError::new(Code::InvalidSource, format!("the uploaded file: {e}")))?;
    Ok(harvest::Payload {
        media_type: media_type.to_owned(),
        body,
    })
}

/// Run a source now (admins and the owning agency's editors). A sheet source may be given the
/// file as the body (CSV or XLSX). Answers `202` with the job to poll.
#[utoipa::path(tag = "harvest", params(("id" = String, Path, description = "source id")),
    request_body(content = String, description = "optional: the spreadsheet (text/csv or XLSX) for a sheet source", content_type = "text/csv"),
    responses(
    (status = 202, description = "queued", body = Job),
    (status = 403, description = "not allowed", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such source", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "a run of this source is already queued or running", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 413, description = "upload too large", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "the uploaded file is not a spreadsheet that follows the template", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/harvest/sources/{id}/run")]
pub async fn run_source(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let s = visible_source(&state, &caller, &id).await?;
    caller.require_editor_of(&s.agency)?;
    let body = read_body(&req, payload, state.config.http.body_limit).await?;
    let upload = if body.is_empty() {
        None
    } else {
        Some(sheet_upload(
            &s,
            super::header(&req, CONTENT_TYPE.as_str()).unwrap_or("text/csv"),
            body.to_vec(),
        )?)
    };
    if s.kind == "sheet" && s.url.is_empty() && upload.is_none() {
        return Err(ApiError::new(
            Code::BadRequest,
            "this sheet source has no URL: send the CSV or XLSX file as the request body",
        ));
    }
    let job = state
        .harvester
        .start(s, "manual", &caller.author(), upload)
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header((LOCATION, format!("/api/v1/harvest/jobs/{}", job.id)))
        .json(Job::from(job)))
}

/// A source's jobs, newest first.
#[utoipa::path(tag = "harvest", params(("id" = String, Path, description = "source id")), responses(
    (status = 200, description = "jobs", body = [Job]),
    (status = 404, description = "no such source", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/harvest/sources/{id}/jobs")]
pub async fn source_jobs(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let s = visible_source(&state, &caller, &id).await?;
    let jobs = state.registry.log.jobs(&s.id, 200).await?;
    Ok(HttpResponse::Ok().json(jobs.into_iter().map(Job::from).collect::<Vec<_>>()))
}

pub(crate) async fn visible_job(state: &AppState, caller: &Caller, id: &str) -> ApiResult<JobRow> {
    caller.require_auth()?;
    let not_found = || ApiError::new(Code::NotFound, format!("no harvest job with id '{id}'"));
    let j = state.registry.log.job(id).await?.ok_or_else(not_found)?;
    visible_source(state, caller, &j.source_id)
        .await
        .map_err(|_| not_found())?;
    Ok(j)
}

/// A job's status, progress and counts.
#[utoipa::path(tag = "harvest", params(("id" = String, Path, description = "job id")), responses(
    (status = 200, description = "the job", body = Job),
    (status = 404, description = "no such job", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/harvest/jobs/{id}")]
pub async fn get_job(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let j = visible_job(&state, &caller, &id).await?;
    Ok(HttpResponse::Ok().json(Job::from(j)))
}

/// Cancel a queued or running job: it stops at the next check, keeps the records already
/// written, and withdraws nothing.
#[utoipa::path(tag = "harvest", params(("id" = String, Path, description = "job id")), responses(
    (status = 202, description = "cancellation requested", body = Job),
    (status = 404, description = "no such job", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "already finished", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/harvest/jobs/{id}/cancel")]
pub async fn cancel_job(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let j = visible_job(&state, &caller, &id).await?;
    let s = visible_source(&state, &caller, &j.source_id).await?;
    caller.require_editor_of(&s.agency)?;
    if !state.registry.log.request_cancel(&id).await? {
        return Err(ApiError::new(
            Code::Conflict,
            format!("job {id} has already finished ({})", j.status),
        ));
    }
    let j = state.registry.log.job(&id).await?.unwrap_or(j);
    Ok(HttpResponse::Accepted().json(Job::from(j)))
}

/// Confirm the withdrawals a job held for review (admins).
#[utoipa::path(tag = "harvest", params(("id" = String, Path, description = "job id")), responses(
    (status = 200, description = "withdrawn", body = Job),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such job", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "nothing held, or not the latest run", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/harvest/jobs/{id}/withdrawals")]
pub async fn confirm_withdrawals(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let j = state
        .harvester
        .confirm_withdrawals(&id, &caller.author())
        .await?;
    Ok(HttpResponse::Ok().json(Job::from(j)))
}

/// The original payload a harvested record was made from (provenance), in its own media type.
#[utoipa::path(tag = "harvest", params(
    ("collection" = String, Path, description = "datasets, dataservices or catalogs"),
    ("id" = String, Path, description = "record id")), responses(
    (status = 200, description = "the payload as fetched", content_type = "application/octet-stream"),
    (status = 404, description = "no such record, or not harvested", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/{collection}/{id}/source")]
pub async fn record_source(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let rec = readable_in(&state, &caller, &collection, &id).await?;
    let p = state.registry.log.payload(&rec.id).await?.ok_or_else(|| {
        ApiError::new(
            Code::NotFound,
            format!(
                "{} '{id}' was not harvested: it has no source payload",
                rec.kind
            ),
        )
    })?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, format!("{}; charset=utf-8", p.media_type)))
        .insert_header(("X-Harvest-Source", p.source_id))
        .insert_header(("X-Harvest-Job", p.job_id))
        .insert_header(("Last-Modified", httpdate(p.fetched_at)))
        .body(p.body))
}

fn httpdate(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|d| d.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or_default()
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_source)
        .service(list_sources)
        .service(get_source)
        .service(update_source)
        .service(delete_source)
        .service(run_source)
        .service(source_jobs)
        .service(get_job)
        .service(cancel_job)
        .service(confirm_withdrawals)
        .service(record_source);
}
