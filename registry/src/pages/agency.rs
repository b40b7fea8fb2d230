//! `/agencies` and `/agencies/{code}`: who publishes what. Counts, records, the deadline
//! summary and the quality average cover only what the visitor may read (the same search
//! and the same audience as every other channel); the 2025 reorganisation's predecessors and
//! successors link to each other.

use super::Localised;
use crate::api::search::{Asked, SearchPage, parse_request, run};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use std::collections::HashMap;

/// One agency in the list.
pub struct Row {
    /// Code.
    pub code: String,
    /// Name in the page's language.
    pub name: String,
    /// Published datasets the visitor may read.
    pub datasets: u64,
    /// Published data services the visitor may read.
    pub services: u64,
    /// Names of the agencies it was merged into, when it was.
    pub successors: String,
}

#[derive(Template)]
#[template(path = "agencies.html")]
struct AgenciesHtml {
    lang: Lang,
    who: super::Who,
    here: String,
    agencies: Vec<Row>,
}

localised!(AgenciesHtml);

#[derive(Template)]
#[template(path = "agency.html")]
struct AgencyHtml {
    lang: Lang,
    who: super::Who,
    here: String,
    code: String,
    name: String,
    other_name: Option<String>,
    datasets: u64,
    services: u64,
    quality: Option<String>,
    changes: Vec<String>,
    related: Vec<(String, Vec<(String, String)>)>,
    regulation: String,
    deadlines: Vec<(String, usize)>,
    records: Vec<(String, String, String)>,
}

localised!(AgencyHtml);

fn name_in(a: &store::log::AgencyRow, lang: Lang) -> String {
    match lang {
        Lang::En => a.name_en.clone().unwrap_or_else(|| a.name_vi.clone()),
        Lang::Vi => a.name_vi.clone(),
    }
}

async fn search(state: &AppState, caller: &Caller, q: &str, lang: Lang) -> ApiResult<SearchPage> {
    let mut a: Asked = parse_request(q)?;
    a.lang = lang;
    run(state, caller, a).await
}

/// Counts by agency of one kind, from the search facet.
fn counts(page: &SearchPage) -> HashMap<String, u64> {
    page.facets
        .get("agency")
        .map(|v| v.iter().map(|f| (f.value.clone(), f.count)).collect())
        .unwrap_or_default()
}

/// Every agency, with what each has published that the visitor may read.
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let datasets =
        counts(&search(&state, &caller, "kind=dataset&limit=1&sort=modified", lang).await?);
    let services = counts(
        &search(
            &state,
            &caller,
            "kind=dataservice&limit=1&sort=modified",
            lang,
        )
        .await?,
    );
    let all = state.registry.log.agencies().await?;
    let names = super::agency_names(&state, lang).await?;
    let mut agencies = Vec::new();
    for a in &all {
        let successors = state.registry.log.successors_of(&a.code).await?;
        agencies.push(Row {
            code: a.code.clone(),
            name: name_in(a, lang),
            datasets: datasets.get(&a.code).copied().unwrap_or(0),
            services: services.get(&a.code).copied().unwrap_or(0),
            successors: successors
                .iter()
                .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    agencies.sort_by_key(|a| vocab::text::fold(&a.name));
    let page = AgenciesHtml {
        lang,
        who: super::Who::of(&caller),
        here: super::here(&req),
        agencies,
    };
    let body = page.render().map_err(ApiError::internal)?;
    Ok(super::html(body, lang, remember))
}

/// One agency's page.
pub async fn page(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let code = code.into_inner();
    let row =
        state.registry.log.agency(&code).await?.ok_or_else(|| {
            ApiError::new(Code::NotFound, format!("no agency with code '{code}'"))
        })?;
    let t = |k: &str| i18n::msg(k, lang).to_owned();
    let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let kinds = search(
        &state,
        &caller,
        &format!("agency={}&limit=1&sort=modified", enc(&code)),
        lang,
    )
    .await?;
    let count = |kind: &str| {
        kinds
            .facets
            .get("kind")
            .and_then(|v| v.iter().find(|f| f.value == kind))
            .map(|f| f.count)
            .unwrap_or(0)
    };
    let listed = search(
        &state,
        &caller,
        &format!(
            "agency={}&kind=dataset&kind=dataservice&kind=catalog&sort=title&limit=100",
            enc(&code)
        ),
        lang,
    )
    .await?;
    let records = listed
        .items
        .iter()
        .map(|i| {
            let collection = record::Kind::parse(&i.kind)
                .map(|k| k.collection())
                .unwrap_or("datasets");
            (
                format!("/{collection}/{}", i.id),
                i.title.clone().unwrap_or_else(|| i.iri.clone()),
                t(&format!("kind_{}", i.kind)),
            )
        })
        .collect();
    // Deadlines of the datasets the visitor may read.
    let today = state.profile.local_date(chrono::Utc::now());
    let items = crate::audit::deadlines::deadlines_for(
        &state.registry,
        &state.profile,
        Some(code.clone()),
        &caller.audience(),
        today,
    )
    .await?;
    let deadlines = [
        "on_time",
        "due_soon",
        "overdue",
        "no_frequency",
        "no_deadline",
    ]
    .iter()
    .map(|s| {
        (
            t(&format!("deadline_{s}")),
            items.iter().filter(|d| d.status == *s).count(),
        )
    })
    .collect();
    // Mean MQA score of its published records the visitor may read.
    let scores: Vec<(i64, i64)> = crate::api::quality::readable_scores(&state.registry, &caller)
        .await?
        .into_iter()
        .filter(|r| r.agency == code)
        .map(|r| (r.score, r.max_score))
        .collect();
    let quality = (!scores.is_empty()).then(|| {
        let mean = scores.iter().map(|s| s.0 as f64).sum::<f64>() / scores.len() as f64;
        format!("{mean:.0} / {}", record::mqa::MAX_SCORE)
    });
    // The reorganisation.
    let all = super::agency_names(&state, lang).await?;
    let named = |codes: Vec<String>| -> Vec<(String, String)> {
        codes
            .into_iter()
            .map(|c| (c.clone(), all.get(&c).cloned().unwrap_or(c)))
            .collect()
    };
    let mut related = Vec::new();
    let preds = named(state.registry.log.predecessors_of(&code).await?);
    if !preds.is_empty() {
        related.push((t("agency_predecessors"), preds));
    }
    let succs = named(state.registry.log.successors_of(&code).await?);
    if !succs.is_empty() {
        related.push((t("agency_successors"), succs));
    }
    if let Some(p) = &row.parent {
        related.push((t("agency_parent"), named(vec![p.clone()])));
    }
    let changes = crate::audit::succession::successions(&state.registry, &code)
        .await?
        .into_iter()
        .map(|s| {
            let day = chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d")
                .map(record::dates::vn_date)
                .unwrap_or(s.date.clone());
            format!(
                "{day}: {} — {}",
                t(&format!("succession_{}", s.kind)),
                s.basis
            )
        })
        .collect();
    let other_name = match lang {
        Lang::Vi => row.name_en.clone(),
        Lang::En => Some(row.name_vi.clone()),
    }
    .filter(|n| *n != name_in(&row, lang));
    let page = AgencyHtml {
        lang,
        who: super::Who::of(&caller),
        here: super::here(&req),
        name: name_in(&row, lang),
        other_name,
        datasets: count("dataset"),
        services: count("dataservice"),
        quality,
        changes,
        related,
        regulation: state.profile.regulation.clone(),
        deadlines,
        records,
        code,
    };
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    resp.headers_mut().insert(
        actix_web::http::header::VARY,
        actix_web::http::header::HeaderValue::from_static("Accept, Accept-Language, Cookie"),
    );
    Ok(resp)
}
