//! Audit endpoints for the coordinating department (and each agency, for its own records).

use crate::audit::deadlines::Deadline;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Filters for the deadline list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DeadlineQuery {
    /// Only this agency's datasets.
    pub agency: Option<String>,
    /// Comma-separated: `on_time`, `due_soon`, `overdue`, `no_frequency`, `no_deadline`.
    pub status: Option<String>,
}

/// Deadlines under the active profile.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Deadlines {
    /// The active profile (`serve --profile`).
    pub profile: String,
    /// Its province.
    pub province: String,
    /// Its regulation.
    pub regulation: String,
    /// Today in the province (ISO date).
    pub today: String,
    /// The same, written dd/mm/yyyy.
    pub today_vn: String,
    /// How many datasets have each status (before the status filter).
    pub counts: BTreeMap<String, usize>,
    /// The datasets, most urgent first.
    pub items: Vec<Deadline>,
}

const STATUSES: &[&str] = &[
    "on_time",
    "due_soon",
    "overdue",
    "no_frequency",
    "no_deadline",
];

/// When each published dataset's next update is due, and whether it is late (R6). Admins see
/// every agency; agency accounts see what they may read.
#[utoipa::path(tag = "audit", params(DeadlineQuery), responses(
    (status = 200, description = "deadlines", body = Deadlines),
    (status = 400, description = "unknown status", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/audit/deadlines")]
pub async fn deadlines(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<DeadlineQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let wanted: Vec<String> = q
        .status
        .as_deref()
        .map(|s| {
            s.split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if let Some(bad) = wanted.iter().find(|w| !STATUSES.contains(&w.as_str())) {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("unknown status '{bad}': use {}", STATUSES.join(", ")),
        ));
    }
    let profile = &state.profile;
    let today = profile.local_date(chrono::Utc::now());
    let mut items = crate::audit::deadlines::deadlines_for(
        &state.registry,
        profile,
        q.agency.clone(),
        &caller.audience(),
        today,
    )
    .await?;
    let mut counts: BTreeMap<String, usize> = STATUSES.iter().map(|s| (s.to_string(), 0)).collect();
    for d in &items {
        *counts.entry(d.status.clone()).or_default() += 1;
    }
    if !wanted.is_empty() {
        items.retain(|d| wanted.contains(&d.status));
    }
    items.sort_by_key(|d| (d.days_left.unwrap_or(i64::MAX), d.id.clone()));
    Ok(HttpResponse::Ok().json(Deadlines {
        profile: profile.name.clone(),
        province: profile.province.clone(),
        regulation: profile.regulation.clone(),
        today: today.to_string(),
        today_vn: crate::audit::profile::vn_date(today),
        counts,
        items,
    }))
}

/// Parameters of the quarterly report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// The quarter, e.g. `2026-Q3`.
    pub quarter: String,
    /// Only this agency (agency accounts always get their own).
    pub agency: Option<String>,
    /// `json`, `csv` or `html`; otherwise chosen by `Accept`.
    pub format: Option<String>,
}

/// The quarterly report (R7), computed from the change log as of the quarter's end: per
/// agency, records published, updated, withdrawn, published in total and overdue, ranked.
/// JSON, CSV (UTF-8 with BOM) or a printable HTML page in Vietnamese.
#[utoipa::path(tag = "audit", params(ReportQuery), responses(
    (status = 200, description = "the report (JSON; text/csv or text/html by Accept or format)", body = crate::audit::report::Report, content_type = "application/json"),
    (status = 400, description = "bad quarter or format", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/reports/quarterly")]
pub async fn quarterly(
    state: web::Data<AppState>,
    caller: Caller,
    req: actix_web::HttpRequest,
    q: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    use crate::audit::report::{Quarter, quarterly, to_csv, to_html};
    caller.require_auth()?;
    let quarter = Quarter::parse(&q.quarter).map_err(|e| ApiError::new(Code::BadRequest, e))?;
    // Scores are the follower's: catch it up so the report counts every record's current one.
    crate::quality::assess_missing(&state.registry).await?;
    let agency = if caller.is_admin() {
        q.agency.clone()
    } else {
        Some(caller.agency.clone().unwrap_or_default())
    };
    let format = match q.format.as_deref() {
        Some(f @ ("json" | "csv" | "html")) => f,
        Some(other) => {
            return Err(ApiError::new(
                Code::BadRequest,
                format!("unknown format '{other}': use json, csv or html"),
            ));
        }
        None => match record::rdf::negotiate(
            super::header(&req, "accept"),
            &["application/json", "text/csv", "text/html"],
        ) {
            Some("text/csv") => "csv",
            Some("text/html") => "html",
            _ => "json",
        },
    };
    let r = quarterly(
        &state.registry.log,
        &state.profile,
        quarter,
        agency.as_deref(),
    )
    .await?;
    Ok(match format {
        "csv" => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"bao-cao-{}.csv\"", r.quarter),
            ))
            .body(to_csv(&r)),
        "html" => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(to_html(&r)),
        _ => HttpResponse::Ok().json(r),
    })
}

/// Set an agency's target of open datasets for a phase (admins: the coordinating department).
#[utoipa::path(tag = "audit", request_body = store::plans::Plan, params(
    ("code" = String, Path, description = "agency code"),
    ("phase" = String, Path, description = "phase name, e.g. 2026 or 2026-2030")), responses(
    (status = 200, description = "the plan", body = store::plans::Plan),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "unknown agency, bad dates or target", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[put("/agencies/{code}/plans/{phase}")]
pub async fn put_plan(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<store::plans::Plan>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let (code, phase) = path.into_inner();
    if state.registry.log.agency(&code).await?.is_none() {
        return Err(store::StoreError::UnknownAgency(code).into());
    }
    let mut plan = body.into_inner();
    plan.agency = code;
    plan.phase = phase;
    plan.set_by = caller.author();
    state.registry.log.put_plan(&plan).await?;
    Ok(HttpResponse::Ok().json(plan))
}

/// An agency's plans.
#[utoipa::path(tag = "audit", params(("code" = String, Path, description = "agency code")), responses(
    (status = 200, description = "its plans", body = [store::plans::Plan]),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/agencies/{code}/plans")]
pub async fn list_plans(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    Ok(HttpResponse::Ok().json(state.registry.log.plans(Some(&code)).await?))
}

/// A report's next due date under the active profile.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportDue {
    /// `quarterly` or `yearly`.
    pub name: String,
    /// Next due date (ISO).
    pub next_due: Option<String>,
    /// The same, dd/mm/yyyy.
    pub next_due_vn: Option<String>,
    /// Days from today (province time).
    pub days_left: Option<i64>,
    /// The article it comes from.
    pub basis: String,
}

/// The active profile: the province's rules and when its next reports are due.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActiveProfile {
    /// The rules as configured (`profiles/*.toml`).
    pub profile: crate::audit::Profile,
    /// Today in the province (ISO).
    pub today: String,
    /// Today, dd/mm/yyyy.
    pub today_vn: String,
    /// Next due date of each report.
    pub reports_due: Vec<ReportDue>,
}

/// The rules in force (`serve --profile`): update deadlines with their legal basis, and the
/// next due date of each report the regulation asks for (dates also as dd/mm/yyyy).
#[utoipa::path(tag = "audit", responses((status = 200, description = "the active profile", body = ActiveProfile)))]
#[get("/audit/profile")]
pub async fn active_profile(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let p = &state.profile;
    let today = p.local_date(chrono::Utc::now());
    let reports_due = p
        .reports
        .iter()
        .map(|r| {
            let due = r.next_due(today);
            ReportDue {
                name: r.name.clone(),
                next_due: due.map(|d| d.to_string()),
                next_due_vn: due.map(crate::audit::profile::vn_date),
                days_left: due.map(|d| (d - today).num_days()),
                basis: r.basis.clone(),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(ActiveProfile {
        profile: p.clone(),
        today: today.to_string(),
        today_vn: crate::audit::profile::vn_date(today),
        reports_due,
    }))
}

/// Filters of the audit trail.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TrailQuery {
    /// Only this agency's entries.
    pub agency: Option<String>,
    /// From (inclusive): `YYYY-MM-DD` (a day in Vietnam's time zone), `dd/mm/yyyy` or RFC 3339.
    pub from: Option<String>,
    /// To (inclusive for a day, exclusive for a time).
    pub to: Option<String>,
}

/// The audit trail as JSON lines (one change-log entry per line, with its chain hashes), for
/// an agency or a period; what `danhmuc audit export` writes. Admins only.
#[utoipa::path(tag = "audit", params(TrailQuery), responses(
    (status = 200, description = "JSON lines", content_type = "application/x-ndjson"),
    (status = 400, description = "bad date", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/audit/trail")]
pub async fn trail(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<TrailQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let time = |v: &Option<String>, end: bool, name: &str| {
        v.as_deref()
            .map(|s| record::dates::parse_time(s, end))
            .transpose()
            .map_err(|e| ApiError::new(Code::BadRequest, format!("{name}: {e}")))
    };
    let (from, to) = (time(&q.from, false, "from")?, time(&q.to, true, "to")?);
    let mut body = Vec::new();
    let mut after = 0;
    loop {
        let page = state
            .registry
            .log
            .trail_page(after, q.agency.as_deref(), from, to, 5_000)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            serde_json::to_writer(&mut body, e).map_err(ApiError::internal)?;
            body.push(b'\n');
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson; charset=utf-8")
        .body(body))
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(deadlines)
        .service(quarterly)
        .service(put_plan)
        .service(list_plans)
        .service(trail)
        .service(active_profile);
}
