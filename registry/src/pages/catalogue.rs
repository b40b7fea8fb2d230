//! `/database-catalogue`: the catalogue of databases (R1) as the coordinating department
//! issues it — the current issue by default, any earlier one by `?issue=N` — each entry with
//! the R1 fields of the version the issue pins. Entries the visitor may not read are left
//! out, as in `GET /api/v1/database-catalogue/issues/{n}`.

use super::Localised;
use super::view::{R1_FIELDS, View};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::{NamedNode, NamedOrBlankNode};

/// One entry as shown.
pub struct Shown {
    /// Its record page.
    pub href: String,
    /// Its title.
    pub title: String,
    /// Its agency's name.
    pub agency: String,
    /// The pinned version.
    pub version: i64,
    /// (field label, text) of the R1 fields it states.
    pub fields: Vec<(String, String)>,
}

/// An issue as shown.
pub struct IssueShown {
    /// Number.
    pub number: i64,
    /// dd/mm/yyyy.
    pub issued_vn: String,
    /// Entries the visitor may read.
    pub count: usize,
    /// Them.
    pub entries: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "database-catalogue.html")]
struct CatalogueHtml {
    lang: Lang,
    who: super::Who,
    here: String,
    issue: Option<IssueShown>,
    is_latest: bool,
    issues: Vec<(i64, String, usize)>,
}

localised!(CatalogueHtml);

fn readable(caller: &Caller, e: &store::catalogue::Entry) -> bool {
    let shared: Vec<&str> = e.shared_with.split('|').filter(|s| !s.is_empty()).collect();
    caller.can_read("published", &e.visibility, &e.agency, &shared)
}

/// The catalogue of databases page.
pub async fn page(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let wanted = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "issue")
        .map(|(_, v)| v.into_owned());
    let all = crate::audit::requests::issues(&state.registry).await?;
    let latest = all.last().map(|i| i.number);
    let chosen = match &wanted {
        None => all.last().cloned(),
        Some(n) => {
            let n: i64 = n.parse().map_err(|_| {
                ApiError::new(Code::BadRequest, format!("'{n}' is not an issue number"))
            })?;
            Some(
                all.iter()
                    .find(|i| i.number == n)
                    .cloned()
                    .ok_or_else(|| ApiError::new(Code::NotFound, format!("no issue {n}")))?,
            )
        }
    };
    let agencies = super::agency_names(&state, lang).await?;
    let issue = match chosen {
        None => None,
        Some(i) => {
            let mut entries = Vec::new();
            for e in i.entries.iter().filter(|e| readable(&caller, e)) {
                let versions = state.registry.log.history(&e.record).await?;
                let Some(v) = versions.iter().find(|v| v.version == e.version) else {
                    continue;
                };
                let triples = record::parse_canonical(&v.canonical);
                let view = View::new(&triples, lang);
                let me = NamedOrBlankNode::NamedNode(
                    NamedNode::new(&e.iri).map_err(ApiError::internal)?,
                );
                let fields = R1_FIELDS
                    .iter()
                    .filter_map(|(p, key)| {
                        view.text(&me, *p)
                            .map(|t| (i18n::msg(key, lang).to_owned(), t))
                    })
                    .collect();
                let title = match lang {
                    Lang::En => e.title_en.clone().or_else(|| e.title_vi.clone()),
                    Lang::Vi => e.title_vi.clone().or_else(|| e.title_en.clone()),
                }
                .unwrap_or_else(|| e.iri.clone());
                entries.push(Shown {
                    href: format!("/datasets/{}", e.record),
                    title,
                    agency: agencies.get(&e.agency).cloned().unwrap_or(e.agency.clone()),
                    version: e.version,
                    fields,
                });
            }
            Some(IssueShown {
                number: i.number,
                issued_vn: i.issued_vn.clone(),
                count: entries.len(),
                entries,
            })
        }
    };
    let page = CatalogueHtml {
        lang,
        who: super::Who::of(&caller),
        here: super::here(&req),
        is_latest: issue.as_ref().map(|i| i.number) == latest,
        issue,
        issues: all
            .iter()
            .rev()
            .map(|i| {
                (
                    i.number,
                    i.issued_vn.clone(),
                    i.entries.iter().filter(|e| readable(&caller, e)).count(),
                )
            })
            .collect(),
    };
    let body = page.render().map_err(ApiError::internal)?;
    Ok(super::html(body, lang, remember))
}
