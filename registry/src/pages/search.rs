//! `/search`: the search page. It reads its query string exactly as `GET /api/v1/search` does
//! (crate::api::search::parse_request) and runs the same search for the same caller, so a
//! page never shows a record, a highlight or a facet count the API would not give that
//! person. Facet values are links that add or remove one filter; every state of the page is a
//! shareable URL.

use super::Localised;
use crate::api::search::{Asked, SearchPage, parse_request, run};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use store::search::{FACETS, Sort};

/// One result as the page lists it.
pub struct Hit {
    /// The record's page here.
    pub href: String,
    /// Title (escaped by the template).
    pub title: String,
    /// Title with the found words marked (already escaped), when the query matched it.
    pub title_marked: Option<String>,
    /// Description (escaped by the template).
    pub description: String,
    /// Description with the found words marked (already escaped).
    pub description_marked: Option<String>,
    /// "Dataset", "Data service"… in the page's language.
    pub kind_label: String,
    /// The owning agency's name.
    pub agency: String,
    /// dd/mm/yyyy of the last change.
    pub modified: String,
    /// RFC 3339 of the last change, for `<time datetime>`.
    pub modified_iso: String,
}

/// One facet value as a link.
pub struct FacetLink {
    /// Label in the page's language.
    pub label: String,
    /// Matching records with it.
    pub count: u64,
    /// This page with the value added (or removed, when on).
    pub href: String,
    /// Whether the value is a filter now.
    pub on: bool,
}

/// A facet's values.
pub struct FacetGroup {
    /// The facet's name in the page's language.
    pub label: String,
    /// Its values, most frequent first.
    pub values: Vec<FacetLink>,
}

/// A filter in force, with the link that removes it.
pub struct ActiveFilter {
    /// Its value's label.
    pub label: String,
    /// This page without it.
    pub href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchHtml {
    lang: Lang,
    who: super::Who,
    here: String,
    q: String,
    sorts: Vec<(&'static str, &'static str, bool)>,
    kept: Vec<(String, String)>,
    error: Option<String>,
    total_text: String,
    items: Vec<Hit>,
    first: usize,
    active: Vec<ActiveFilter>,
    facets: Vec<FacetGroup>,
    suggestion: Option<(String, String)>,
    prev: Option<String>,
    next: Option<String>,
}

localised!(SearchHtml);

/// The query string of a search page for `asked` (without the language: the cookie keeps it).
fn href(asked: &Asked) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    if !asked.q.is_empty() {
        s.append_pair("q", &asked.q);
    }
    for f in FACETS {
        for v in asked.filters.get(f).into_iter().flatten() {
            s.append_pair(f, v);
        }
    }
    match asked.sort {
        Sort::Relevance => {}
        Sort::Modified => {
            s.append_pair("sort", "modified");
        }
        Sort::Title => {
            s.append_pair("sort", "title");
        }
    }
    if asked.offset > 0 {
        s.append_pair("cursor", &asked.offset.to_string());
    }
    let qs = s.finish();
    if qs.is_empty() {
        "/search".to_owned()
    } else {
        format!("/search?{qs}")
    }
}

/// `asked` with one facet value toggled, from the first page.
fn toggled(asked: &Asked, facet: &str, value: &str) -> String {
    let mut a = asked.clone();
    a.offset = 0;
    let values = a.filters.entry(facet.to_owned()).or_default();
    if let Some(i) = values.iter().position(|v| v == value) {
        values.remove(i);
    } else {
        values.push(value.to_owned());
    }
    href(&a)
}

fn page_of(asked: &Asked, offset: usize) -> String {
    let mut a = asked.clone();
    a.offset = offset;
    href(&a)
}

/// The facet's label in the page's language.
fn facet_name(facet: &str, lang: Lang) -> &'static str {
    i18n::lookup(&format!("facet_{facet}"), lang).unwrap_or("")
}

fn render(
    page: SearchHtml,
    status: actix_web::http::StatusCode,
    remember: bool,
) -> ApiResult<HttpResponse> {
    let lang = page.lang;
    let body = page.render().map_err(ApiError::internal)?;
    let mut r = super::html(body, lang, remember);
    *r.status_mut() = status;
    Ok(r)
}

/// The search page.
pub async fn page(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let here = super::here(&req);
    let mut html = SearchHtml {
        lang,
        who: super::Who::of(&caller),
        here,
        q: String::new(),
        sorts: Vec::new(),
        kept: Vec::new(),
        error: None,
        total_text: String::new(),
        items: Vec::new(),
        first: 1,
        active: Vec::new(),
        facets: Vec::new(),
        suggestion: None,
        prev: None,
        next: None,
    };
    let sorts = |sort: Sort| {
        vec![
            (
                "relevance",
                i18n::msg("search_sort_relevance", lang),
                sort == Sort::Relevance,
            ),
            (
                "modified",
                i18n::msg("search_sort_modified", lang),
                sort == Sort::Modified,
            ),
            (
                "title",
                i18n::msg("search_sort_title", lang),
                sort == Sort::Title,
            ),
        ]
    };
    // The page takes `lang` for the switch; the search itself is asked in the page's language.
    let query: String = url::form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| k != "lang")
        .fold(
            url::form_urlencoded::Serializer::new(String::new()),
            |mut s, (k, v)| {
                s.append_pair(&k, &v);
                s
            },
        )
        .finish();
    let mut asked = match parse_request(&query) {
        Ok(a) => a,
        Err(e) => {
            html.sorts = sorts(Sort::Relevance);
            html.error = Some(format!("{}: {}", i18n::msg("search_bad", lang), e.detail));
            return render(html, actix_web::http::StatusCode::BAD_REQUEST, remember);
        }
    };
    asked.lang = lang;
    if asked.sort == Sort::Relevance && asked.q.is_empty() {
        // Nothing to rank by: newest first, as the API does.
        asked.sort = Sort::Modified;
    }
    html.q = asked.q.clone();
    html.sorts = sorts(asked.sort);
    for f in FACETS {
        for v in asked.filters.get(f).into_iter().flatten() {
            html.kept.push((f.to_owned(), v.clone()));
        }
    }
    let result: SearchPage = run(&state, &caller, asked.clone()).await?;
    let agencies = super::agency_names(&state, lang).await?;
    html.total_text = i18n::msg("search_total", lang).replace("{n}", &result.total.to_string());
    html.first = asked.offset + 1;
    html.items = result
        .items
        .into_iter()
        .map(|i| {
            let collection = record::Kind::parse(&i.kind)
                .map(|k| k.collection())
                .unwrap_or("datasets");
            let modified = chrono::DateTime::parse_from_rfc3339(&i.modified)
                .map(|d| record::dates::vn_day(d.timestamp_micros()))
                .unwrap_or_default();
            Hit {
                href: format!("/{collection}/{}", i.id),
                title: i.title.clone().unwrap_or_else(|| i.iri.clone()),
                title_marked: i.highlights.get("title").cloned(),
                description: i.description.clone().unwrap_or_default(),
                description_marked: i.highlights.get("description").cloned(),
                kind_label: i18n::msg(&format!("kind_{}", i.kind), lang).to_owned(),
                agency: agencies.get(&i.agency).cloned().unwrap_or(i.agency),
                modified,
                modified_iso: i.modified,
            }
        })
        .collect();
    let label_of = |l: &crate::api::search::Label| match lang {
        Lang::Vi => l.vi.clone(),
        Lang::En => l.en.clone(),
    };
    for f in FACETS {
        let on: &[String] = asked.filters.get(f).map(Vec::as_slice).unwrap_or(&[]);
        let values = result.facets.get(f).map(Vec::as_slice).unwrap_or(&[]);
        for v in on {
            let label = values
                .iter()
                .find(|x| &x.value == v)
                .map(|x| label_of(&x.label))
                .unwrap_or_else(|| v.clone());
            html.active.push(ActiveFilter {
                label: format!("{}: {label}", facet_name(f, lang)),
                href: toggled(&asked, f, v),
            });
        }
        if values.is_empty() {
            continue;
        }
        html.facets.push(FacetGroup {
            label: facet_name(f, lang).to_owned(),
            values: values
                .iter()
                .take(15)
                .map(|v| FacetLink {
                    label: label_of(&v.label),
                    count: v.count,
                    href: toggled(&asked, f, &v.value),
                    on: on.contains(&v.value),
                })
                .collect(),
        });
    }
    if result.total == 0 {
        // Words typed with a wrong accent find nothing exact: offer the folded words, else
        // the same words without the filters.
        let folded = vocab::text::fold(&asked.q);
        let mut a = asked.clone();
        a.offset = 0;
        if !asked.q.is_empty() && folded != asked.q.to_lowercase() {
            a.q = folded.clone();
            html.suggestion = Some((folded, href(&a)));
        } else if !asked.filters.values().all(Vec::is_empty) {
            a.filters.clear();
            html.suggestion = Some((
                format!(
                    "{} ({})",
                    asked.q,
                    i18n::msg("search_all_filters_off", lang)
                ),
                href(&a),
            ));
        }
    }
    if asked.offset > 0 {
        html.prev = Some(page_of(&asked, asked.offset.saturating_sub(asked.limit)));
    }
    if let Some(n) = result.next.as_deref().and_then(|n| n.parse::<usize>().ok()) {
        html.next = Some(page_of(&asked, n));
    }
    render(html, actix_web::http::StatusCode::OK, remember)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn asked(q: &str, filters: &[(&str, &str)]) -> Asked {
        let mut f: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in filters {
            f.entry((*k).to_owned()).or_default().push((*v).to_owned());
        }
        Asked {
            q: q.to_owned(),
            filters: f,
            modified_since: None,
            issued_since: None,
            sort: Sort::Relevance,
            limit: 20,
            offset: 40,
            lang: Lang::Vi,
        }
    }

    #[test]
    fn a_facet_link_adds_or_removes_one_value_and_starts_from_the_first_page() {
        let a = asked("trường học", &[("agency", "so-gddt")]);
        assert_eq!(
            toggled(&a, "format", "CSV"),
            "/search?q=tr%C6%B0%E1%BB%9Dng+h%E1%BB%8Dc&agency=so-gddt&format=CSV"
        );
        assert_eq!(
            toggled(&a, "agency", "so-gddt"),
            "/search?q=tr%C6%B0%E1%BB%9Dng+h%E1%BB%8Dc"
        );
        // The URL reads back as the same search.
        let back = parse_request(toggled(&a, "format", "CSV").trim_start_matches("/search?"))
            .expect("parses");
        assert_eq!(back.q, "trường học");
        assert_eq!(back.filters["format"], vec!["CSV".to_owned()]);
        assert_eq!(back.offset, 0);
    }

    #[test]
    fn paging_keeps_the_filters() {
        let a = asked("", &[("kind", "dataset")]);
        assert_eq!(page_of(&a, 60), "/search?kind=dataset&cursor=60");
        assert_eq!(page_of(&a, 0), "/search?kind=dataset");
    }
}
