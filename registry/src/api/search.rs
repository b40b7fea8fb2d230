//! `GET /api/v1/search`: full-text search over every published record the caller may read,
//! with exact facet counts over the whole filtered result set (store::search).

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use std::collections::HashMap;
use store::search::{DATABASE_ENTRY, FACETS, SearchQuery, Sort};

/// Query parameters of a search. Facet parameters may be repeated (`theme=A&theme=B`):
/// values of one facet are alternatives (OR), different facets all apply (AND).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// What to look for, in Vietnamese (with or without diacritics) or any other language.
    /// Empty: every record, by `sort`.
    #[param(max_length = 500)]
    pub q: Option<String>,
    /// `dataset`, `dataservice`, `catalog`, `agency`, or `database-entry` (entries of the
    /// catalogue of databases).
    pub kind: Option<Vec<String>>,
    /// Owning agency code.
    pub agency: Option<Vec<String>>,
    /// Theme IRI (as in the `theme` facet).
    pub theme: Option<Vec<String>>,
    /// Format or media type (as in the `format` facet).
    pub format: Option<Vec<String>>,
    /// Licence IRI.
    pub license: Option<Vec<String>>,
    /// Update frequency IRI.
    pub frequency: Option<Vec<String>>,
    /// Spatial coverage IRI (a province of the code list, or any place).
    pub spatial: Option<Vec<String>>,
    /// Only records changed at or after this time: RFC 3339, or a day (`YYYY-MM-DD` or
    /// `dd/mm/yyyy`) from its start in Vietnam's time zone (UTC+7), as everywhere else.
    pub modified_since: Option<String>,
    /// Only records the description says were issued (`dct:issued`) at or after this time,
    /// read as `modified_since` is.
    pub issued_since: Option<String>,
    /// `relevance` (default; `modified` when `q` is empty), `modified` (newest first) or
    /// `title` (A to Z, diacritics ignored).
    #[param(pattern = "^(relevance|modified|title)?$")]
    pub sort: Option<String>,
    /// Page size, 1-1000 (default 20).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    #[param(pattern = "^[0-9]{0,6}$")]
    pub cursor: Option<String>,
    /// Language of `title`, `description` and the order of labels: `vi` (default) or `en`.
    #[param(pattern = "^(vi|en)?$")]
    pub lang: Option<String>,
}

/// A page of search results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    /// How many records match (every page).
    pub total: usize,
    /// This page, best first (or by `sort`).
    pub items: Vec<SearchItem>,
    /// Per facet (`kind`, `agency`, `theme`, `format`, `license`, `frequency`, `spatial`),
    /// every value among the matching records with its exact count, most frequent first.
    pub facets: HashMap<String, Vec<FacetValue>>,
    /// Cursor of the next page; absent on the last.
    pub next: Option<String>,
}

/// One result.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchItem {
    /// Record id.
    pub id: String,
    /// Record IRI.
    pub iri: String,
    /// `dataset`, `dataservice`, `catalog` or `agency`.
    pub kind: String,
    /// Title in the requested language (else Vietnamese, else any).
    pub title: Option<String>,
    /// Description (the first 400 characters) in the requested language.
    pub description: Option<String>,
    /// The title and description with the words the query found marked `<em>…</em>`
    /// (HTML-escaped text), present for fields with a match.
    pub highlights: HashMap<String, String>,
    /// Owning agency code.
    pub agency: String,
    /// Last change in the registry (RFC 3339).
    pub modified: String,
    /// When the description says it was issued (`dct:issued`, RFC 3339), when it says so.
    pub issued: Option<String>,
    /// Relevance (0 when sorted by `modified` or `title`).
    pub score: f32,
}

/// One value of a facet.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    /// The value, as a filter parameter takes it.
    pub value: String,
    /// Its label, `{"vi": …, "en": …}`.
    pub label: Label,
    /// Matching records with this value.
    pub count: u64,
}

/// A label in both languages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Label {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

const KINDS: [&str; 5] = [
    "dataset",
    "dataservice",
    "catalog",
    "agency",
    DATABASE_ENTRY,
];

/// Deepest result a cursor may reach: past it, narrow the search.
const MAX_OFFSET: usize = 100_000;

/// Search records.
#[utoipa::path(tag = "search", operation_id = "search", params(SearchParams), responses(
    (status = 200, description = "matching records with facet counts", body = SearchPage),
    (status = 400, description = "a parameter is invalid", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 503, description = "the search index is not open in this process", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let asked = parse_request(req.query_string())?;
    Ok(HttpResponse::Ok().json(run(&state, &caller, asked).await?))
}

/// A search as asked, checked: what [`run`] needs besides the caller. The API and the search
/// page both read their query strings with [`parse_request`], so both accept the same
/// parameters and refuse the same mistakes.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The query text as typed (trimmed).
    pub q: String,
    /// Facet filters, by facet name, in the order given.
    pub filters: HashMap<String, Vec<String>>,
    /// `modified_since`, µs since the epoch.
    pub modified_since: Option<i64>,
    /// `issued_since`, µs since the epoch.
    pub issued_since: Option<i64>,
    /// Order.
    pub sort: Sort,
    /// Page size.
    pub limit: usize,
    /// Results skipped (the cursor).
    pub offset: usize,
    /// Language of titles and descriptions.
    pub lang: Lang,
}

/// Reads and checks a search's query string (`q`, the facets, dates, `sort`, `limit`,
/// `cursor`, `lang`); a wrong or unknown parameter is a 400 naming it.
pub fn parse_request(query: &str) -> ApiResult<Asked> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let mut one: HashMap<&str, String> = HashMap::new();
    let mut filters: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in &pairs {
        let v = v.trim();
        match k.as_str() {
            "q" | "modified_since" | "issued_since" | "sort" | "limit" | "cursor" | "lang" => {
                if one.insert(k.as_str(), v.to_owned()).is_some() {
                    return Err(ApiError::new(
                        Code::BadRequest,
                        format!("parameter '{k}' is given more than once"),
                    ));
                }
            }
            f if FACETS.contains(&f) => {
                // Blank values (as HTML forms send them) mean no filter.
                // Codes may also be listed with commas; IRIs are taken whole.
                let parts: Vec<&str> = if f == "kind" || f == "agency" {
                    v.split(',').collect()
                } else {
                    vec![v]
                };
                for x in parts {
                    let x = x.trim();
                    if x.is_empty() {
                        continue;
                    }
                    if f == "kind" && !KINDS.contains(&x) {
                        return Err(ApiError::new(
                            Code::BadRequest,
                            format!("unknown kind '{x}' (one of {})", KINDS.join(", ")),
                        ));
                    }
                    if x.len() > 2000 {
                        return Err(ApiError::new(
                            Code::BadRequest,
                            format!("the value of '{f}' is too long"),
                        ));
                    }
                    filters.entry(f.to_owned()).or_default().push(x.to_owned());
                }
            }
            other => {
                return Err(ApiError::new(
                    Code::BadRequest,
                    format!(
                        "unknown parameter '{other}' (known: q, {}, modified_since, issued_since, sort, limit, cursor, lang)",
                        FACETS.join(", ")
                    ),
                ));
            }
        }
    }
    let q = one.remove("q").unwrap_or_default();
    if q.chars().count() > 500 {
        return Err(ApiError::new(
            Code::BadRequest,
            "q is longer than 500 characters",
        ));
    }
    let sort = match one.get("sort").map(String::as_str).unwrap_or("") {
        "" | "relevance" => Sort::Relevance,
        "modified" => Sort::Modified,
        "title" => Sort::Title,
        s => {
            return Err(ApiError::new(
                Code::BadRequest,
                format!("unknown sort '{s}' (relevance, modified or title)"),
            ));
        }
    };
    let limit = match one.get("limit").filter(|s| !s.is_empty()) {
        None => 20,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ApiError::new(Code::BadRequest, "limit must be between 1 and 1000"))?,
    };
    let offset = match one.get("cursor").filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_OFFSET && s.len() <= 6)
            .ok_or_else(|| {
                ApiError::new(
                    Code::BadRequest,
                    format!("invalid cursor '{s}': use the `next` value of a previous page"),
                )
            })?,
    };
    let lang = match one.get("lang").map(String::as_str).unwrap_or("") {
        "" | "vi" => Lang::Vi,
        "en" => Lang::En,
        l => {
            return Err(ApiError::new(
                Code::BadRequest,
                format!("unknown lang '{l}' (vi or en)"),
            ));
        }
    };
    let since = |name: &str| -> ApiResult<Option<i64>> {
        match one.get(name).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => record::dates::parse_time(s, false)
                .map(Some)
                .map_err(|e| ApiError::new(Code::BadRequest, format!("{name}: {e}"))),
        }
    };
    let modified_since = since("modified_since")?;
    let issued_since = since("issued_since")?;
    Ok(Asked {
        q,
        filters,
        modified_since,
        issued_since,
        sort,
        limit,
        offset,
        lang,
    })
}

/// Runs a checked search for `caller`: the hits they may read, labelled in the asked language,
/// with exact facet counts and the next page's cursor.
pub async fn run(state: &AppState, caller: &Caller, asked: Asked) -> ApiResult<SearchPage> {
    let Asked {
        q,
        filters,
        modified_since,
        issued_since,
        sort,
        limit,
        offset,
        lang,
    } = asked;
    let Some(graphs) = state.registry.graphs.clone() else {
        return Err(ApiError::new(
            Code::NotReady,
            "the search index is held by another process",
        ));
    };
    let sq = SearchQuery {
        q: q.clone(),
        filters,
        modified_since,
        issued_since,
        sort,
        limit,
        offset,
        audience: caller.audience(),
    };
    let res = web::block(move || graphs.search.search(&sq))
        .await
        .map_err(ApiError::internal)??;
    let lang_tag = if lang == Lang::En { "en" } else { "vi" };
    let agencies: HashMap<String, (String, Option<String>)> = state
        .registry
        .log
        .agencies()
        .await?
        .into_iter()
        .map(|a| (a.code, (a.name_vi, a.name_en)))
        .collect();
    let label = |facet: &str, value: &str| -> Label {
        let fallback = || record::search::short_label(value);
        match facet {
            "kind" => {
                let key = format!("kind_{value}");
                Label {
                    vi: i18n::msg(&key, Lang::Vi).to_owned(),
                    en: i18n::msg(&key, Lang::En).to_owned(),
                }
            }
            "agency" => match agencies.get(value) {
                Some((vi, en)) => Label {
                    vi: vi.clone(),
                    en: en.clone().unwrap_or_else(|| vi.clone()),
                },
                None => Label {
                    vi: value.to_owned(),
                    en: value.to_owned(),
                },
            },
            _ => Label {
                vi: record::search::label(value, "vi")
                    .map(str::to_owned)
                    .unwrap_or_else(fallback),
                en: record::search::label(value, "en")
                    .map(str::to_owned)
                    .unwrap_or_else(fallback),
            },
        }
    };
    let pick =
        |texts: &[(String, String)]| record::search::pick(texts, lang_tag).map(str::to_owned);
    let items: Vec<SearchItem> = res
        .hits
        .into_iter()
        .map(|h| {
            let title = pick(&h.titles);
            let description = pick(&h.descriptions);
            let mut highlights = HashMap::new();
            if !q.trim().is_empty() {
                if let Some(t) = title
                    .as_deref()
                    .and_then(|t| record::search::highlight(t, &q, 300))
                {
                    highlights.insert("title".to_owned(), t);
                }
                if let Some(d) = description
                    .as_deref()
                    .and_then(|d| record::search::highlight(d, &q, 200))
                {
                    highlights.insert("description".to_owned(), d);
                }
            }
            SearchItem {
                id: h.id,
                iri: h.iri,
                kind: h.kind,
                title,
                description,
                highlights,
                agency: h.agency,
                modified: record::dates::rfc3339(h.modified),
                issued: h.issued.map(record::dates::rfc3339),
                score: h.score,
            }
        })
        .collect();
    let next =
        (offset + items.len() < res.total && items.len() == limit && offset + limit <= MAX_OFFSET)
            .then(|| (offset + limit).to_string());
    let facets = res
        .facets
        .into_iter()
        .map(|(name, values)| {
            let v = values
                .into_iter()
                .map(|(value, count)| FacetValue {
                    label: label(name, &value),
                    value,
                    count,
                })
                .collect();
            (name.to_owned(), v)
        })
        .collect();
    Ok(SearchPage {
        total: res.total,
        items,
        facets,
        next,
    })
}

/// Routes of this module.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(search);
}
