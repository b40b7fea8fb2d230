//! `/manage/harvest`: an agency officer's harvest sources, the form that uploads a
//! spreadsheet (CSV or XLSX) to a sheet source and runs it, and the job's page, which
//! refreshes itself while the job runs (no script: a `refresh` meta element). A run started
//! here is the same job as `POST /api/v1/harvest/sources/{id}/run`, under the same limits;
//! only a signed-in editor of the source's agency (or an admin) starts one, with the
//! session's CSRF token.

use super::{Localised, Who};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::StreamExt as _;

/// One source as listed.
pub struct SourceShown {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `dcat`, `ckan` or `sheet`.
    pub kind: String,
    /// Where it reads (empty: a sheet uploaded on each run).
    pub url: String,
    /// Schedule as set.
    pub schedule: String,
    /// Owning agency's name.
    pub agency: String,
    /// The latest job: (id, status label, when).
    pub last: Option<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "harvest.html")]
struct SourcesHtml {
    lang: Lang,
    who: Who,
    here: String,
    sources: Vec<SourceShown>,
}

localised!(SourcesHtml);

#[derive(Template)]
#[template(path = "harvest-job.html")]
struct JobHtml {
    lang: Lang,
    who: Who,
    here: String,
    source: String,
    running: bool,
    status: String,
    status_label: String,
    queued: String,
    finished: String,
    progress: String,
    counts: Vec<(String, i64)>,
    message: String,
    warnings: Vec<String>,
    failures: Vec<(String, String)>,
    more_failures: usize,
    held: i64,
    job_json: String,
}

localised!(JobHtml);

/// How many failures the job page lists.
const FAILURES: usize = 100;

fn signed_in(caller: &Caller) -> ApiResult<()> {
    if caller.person.is_none() {
        return Err(ApiError::new(Code::Unauthorized, "sign in first: /signin"));
    }
    Ok(())
}

/// The officer's sources (an admin's: all), each with its latest job and, for a sheet, the
/// upload form.
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    signed_in(&caller)?;
    let (lang, remember) = super::page_lang(&req);
    let names = super::agency_names(&state, lang).await?;
    let agency = if caller.is_admin() {
        None
    } else {
        Some(caller.agency.clone().unwrap_or_default())
    };
    let mut sources = Vec::new();
    for s in state.registry.log.sources(agency.as_deref()).await? {
        let last = state
            .registry
            .log
            .jobs(&s.id, 1)
            .await?
            .into_iter()
            .next()
            .map(|j| {
                (
                    j.id,
                    i18n::msg(&format!("job_{}", j.status), lang).to_owned(),
                    record::dates::vn_day(j.created_at),
                )
            });
        sources.push(SourceShown {
            agency: names.get(&s.agency).cloned().unwrap_or(s.agency.clone()),
            id: s.id,
            name: s.name,
            kind: s.kind,
            url: s.url,
            schedule: s.schedule,
            last,
        });
    }
    let page = SourcesHtml {
        lang,
        who: Who::of(&caller),
        here: super::here(&req),
        sources,
    };
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    super::no_store(&mut resp);
    Ok(resp)
}

/// The media type of an uploaded file: what the browser said, else by its name's ending.
fn media_type(declared: Option<&str>, filename: &str) -> String {
    let lower = filename.to_ascii_lowercase();
    match declared {
        Some(m) if m != "application/octet-stream" && !m.is_empty() => m.to_owned(),
        _ if lower.ends_with(".xlsx") => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()
        }
        _ => "text/csv".to_owned(),
    }
}

/// Runs a source from the form: for a sheet source the uploaded file (or its URL when no
/// file is chosen), then shows the job.
pub async fn run(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    mut form: actix_multipart::Multipart,
) -> ApiResult<HttpResponse> {
    let limit = state.config.http.body_limit;
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| {
            ApiError::new(Code::BadRequest, format!("the form does not parse: {e}"))
        })?;
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or_default()
            .to_owned();
        let declared = field.content_type().map(|m| m.essence_str().to_owned());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| {
                ApiError::new(Code::BadRequest, format!("the form does not parse: {e}"))
            })?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::new(
                    Code::PayloadTooLarge,
                    format!("the uploaded file is larger than the limit of {limit} bytes"),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if !bytes.is_empty() => {
                file = Some((media_type(declared.as_deref(), &filename), bytes));
            }
            _ => {}
        }
    }
    let caller = super::manage::posting(&state, &req, &csrf).await?;
    let s = crate::api::harvest::visible_source(&state, &caller, &id).await?;
    caller.require_editor_of(&s.agency)?;
    let upload = match file {
        Some((media_type, body)) => Some(crate::api::harvest::sheet_upload(&s, &media_type, body)?),
        None => None,
    };
    if s.kind == "sheet" && s.url.is_empty() && upload.is_none() {
        return Err(ApiError::new(
            Code::BadRequest,
            "this sheet source has no URL: choose the CSV or XLSX file to upload",
        ));
    }
    let job = state
        .harvester
        .start(s, "manual", &caller.author(), upload)
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", format!("/manage/harvest/jobs/{}", job.id)))
        .finish())
}

/// A job: status, progress, counts, warnings and failures; refreshes every 2 s while it runs.
pub async fn job(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    signed_in(&caller)?;
    let (lang, remember) = super::page_lang(&req);
    let t = |k: &str| i18n::msg(k, lang).to_owned();
    let j = crate::api::harvest::visible_job(&state, &caller, &id).await?;
    let source = state
        .registry
        .log
        .source(&j.source_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let running = matches!(j.status.as_str(), "queued" | "running");
    let progress = match j.total {
        Some(total) => format!("{} / {total}", j.processed),
        None => j.processed.to_string(),
    };
    let page = JobHtml {
        lang,
        who: Who::of(&caller),
        here: super::here(&req),
        source,
        running,
        status_label: t(&format!("job_{}", j.status)),
        status: j.status.clone(),
        queued: super::record::vn_time(j.created_at),
        finished: j
            .finished_at
            .map(super::record::vn_time)
            .unwrap_or_default(),
        progress,
        counts: [
            ("job_created", j.created),
            ("job_updated", j.updated),
            ("job_unchanged", j.unchanged),
            ("job_withdrawn", j.withdrawn),
            ("job_failed_records", j.failed),
        ]
        .iter()
        .map(|(k, n)| (t(k), *n))
        .collect(),
        message: j.message.clone().unwrap_or_default(),
        warnings: j.warnings.clone(),
        more_failures: j.failures.len().saturating_sub(FAILURES),
        failures: j
            .failures
            .iter()
            .take(FAILURES)
            .map(|f| (f.identifier.clone(), f.reason.clone()))
            .collect(),
        held: j.held_withdrawals,
        job_json: format!("/api/v1/harvest/jobs/{}", j.id),
    };
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    super::no_store(&mut resp);
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::media_type;

    #[test]
    fn an_upload_is_read_as_what_the_browser_says_else_by_its_name() {
        assert_eq!(media_type(Some("text/csv"), "a.xlsx"), "text/csv");
        assert!(
            media_type(Some("application/octet-stream"), "Dữ liệu.XLSX").contains("spreadsheetml")
        );
        assert!(media_type(None, "bang.xlsx").contains("spreadsheetml"));
        assert_eq!(media_type(None, "bang.csv"), "text/csv");
        assert_eq!(media_type(Some(""), ""), "text/csv");
    }
}
