//! `/`: what the registry holds (counts of what this visitor may read), the datasets changed
//! last, entries by theme and by agency, and the door to every channel (API, SPARQL, feeds,
//! CKAN API).

use super::Localised;
use crate::api::search::{Asked, Label, parse_request, run};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

/// A dataset in the "newest" list.
pub struct Newest {
    /// Its page here.
    pub href: String,
    /// Its title in the page's language, else any.
    pub title: String,
    /// dd/mm/yyyy of its last change.
    pub date: String,
}

/// An entry point: a theme or an agency, with how many datasets it has.
pub struct Entry {
    /// Label in the page's language.
    pub label: String,
    /// Where it leads.
    pub href: String,
    /// Datasets.
    pub count: u64,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    lang: Lang,
    who: super::Who,
    here: String,
    province: String,
    datasets: u64,
    services: u64,
    agencies: u64,
    newest: Vec<Newest>,
    themes: Vec<Entry>,
    by_agency: Vec<Entry>,
}

localised!(HomePage);

/// The home page: counts, newest datasets and the entries by theme and agency, all from the
/// search projection for this caller, so they agree with what `/search` then lists.
pub async fn home(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let ask = |q: &str| -> ApiResult<Asked> {
        let mut a = parse_request(q)?;
        a.lang = lang;
        Ok(a)
    };
    let all = run(&state, &caller, ask("limit=1&sort=modified")?).await?;
    let datasets = run(&state, &caller, ask("kind=dataset&sort=modified&limit=8")?).await?;
    let count = |kind: &str| {
        all.facets
            .get("kind")
            .and_then(|v| v.iter().find(|f| f.value == kind))
            .map(|f| f.count)
            .unwrap_or(0)
    };
    let label = |l: &Label| match lang {
        Lang::Vi => l.vi.clone(),
        Lang::En => l.en.clone(),
    };
    let entries = |facet: &str, href: &dyn Fn(&str) -> String| -> Vec<Entry> {
        datasets
            .facets
            .get(facet)
            .map(|v| {
                v.iter()
                    .take(12)
                    .map(|f| Entry {
                        label: label(&f.label),
                        href: href(&f.value),
                        count: f.count,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let themes = entries("theme", &|v| {
        format!("/search?kind=dataset&theme={}", enc(v))
    });
    let by_agency = entries("agency", &|v| format!("/agencies/{}", enc(v)));
    let newest = datasets
        .items
        .iter()
        .map(|i| Newest {
            href: format!("/datasets/{}", i.id),
            title: i.title.clone().unwrap_or_else(|| i.iri.clone()),
            date: chrono::DateTime::parse_from_rfc3339(&i.modified)
                .map(|d| record::dates::vn_day(d.timestamp_micros()))
                .unwrap_or_default(),
        })
        .collect();
    let page = HomePage {
        lang,
        who: super::Who::of(&caller),
        here: "/".to_owned(),
        province: state.profile.province.clone(),
        datasets: count("dataset"),
        services: count("dataservice"),
        agencies: count("agency"),
        newest,
        themes,
        by_agency,
    };
    let body = page.render().map_err(crate::error::ApiError::internal)?;
    Ok(super::html(body, lang, remember))
}
