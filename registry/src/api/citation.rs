//! How to cite a record (R10; Hà Nam art. 14): `GET /api/v1/{collection}/{id}/citation` in
//! the Vietnamese style, APA, BibTeX or RIS, with the source catalogue, the agency, the title,
//! the version, the IRI and the time of retrieval. The record page's citation box is built
//! from the same [`citables`], and every record response carries `Link: <IRI>; rel="cite-as"`.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use oxigraph::model::{Term, Triple};
use record::citation::{Citable, STYLES, cite};
use serde::{Deserialize, Serialize};
use store::log::RecordRow;
use vocab::ns::dct;

/// What a record's citation is made of, in Vietnamese (its Vietnamese title and the agency's
/// Vietnamese name) and in English (English where the record and agency have it), as of now.
pub async fn citables(
    state: &AppState,
    rec: &RecordRow,
    triples: &[Triple],
) -> Result<(Citable, Citable), store::StoreError> {
    let tz = chrono::FixedOffset::east_opt(record::dates::VIETNAM_UTC_OFFSET_SECS).expect("+7");
    let me = format!("<{}>", rec.iri);
    let mut titles: Vec<(String, String)> = Vec::new();
    let mut issued_year = None;
    for t in triples {
        if t.subject.to_string() != me {
            continue;
        }
        if let Term::Literal(l) = &t.object {
            if t.predicate == dct::TITLE {
                titles.push((l.language().unwrap_or("").to_owned(), l.value().to_owned()));
            } else if t.predicate == dct::ISSUED {
                issued_year = issued_year.or(l.value().get(..4).and_then(|y| y.parse().ok()));
            }
        }
    }
    let title_in = |lang: &str| {
        titles
            .iter()
            .find(|(l, _)| l == lang)
            .or_else(|| titles.iter().find(|(l, _)| l == "vi"))
            .or_else(|| titles.first())
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| rec.iri.clone())
    };
    let created_year = chrono::DateTime::from_timestamp_micros(rec.created_at)
        .map(|d| chrono::Datelike::year(&d.with_timezone(&tz)))
        .unwrap_or(1970);
    let agency = state.registry.log.agency(&rec.agency).await?;
    let name_vi = agency
        .as_ref()
        .map(|a| a.name_vi.clone())
        .unwrap_or_else(|| rec.agency.clone());
    let name_en = agency
        .as_ref()
        .and_then(|a| a.name_en.clone())
        .unwrap_or_else(|| name_vi.clone());
    let source = |l: Lang| {
        format!(
            "{} {}",
            i18n::msg("rec_cite_source", l),
            state.profile.province
        )
    };
    let vi = Citable {
        title: title_in("vi"),
        agency: name_vi,
        year: issued_year.unwrap_or(created_year),
        version: rec.version,
        iri: rec.iri.clone(),
        source: source(Lang::Vi),
        kind: rec.kind.clone(),
        retrieved: chrono::Utc::now().with_timezone(&tz),
    };
    let en = Citable {
        title: title_in("en"),
        agency: name_en,
        source: source(Lang::En),
        ..vi.clone()
    };
    Ok((vi, en))
}

/// The citation style asked for.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CitationQuery {
    /// `vi`, `apa`, `bibtex` or `ris`; without it, all four as JSON.
    pub style: Option<String>,
}

/// A record's citations in every style.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Citations {
    /// Record IRI (what to cite).
    pub iri: String,
    /// The version cited.
    pub version: i64,
    /// When it was retrieved (RFC 3339, Vietnam's time).
    pub retrieved: String,
    /// Vietnamese style.
    pub vi: String,
    /// APA 7 (data set), in English.
    pub apa: String,
    /// BibTeX (`@misc`).
    pub bibtex: String,
    /// RIS (`TY  - DATA`).
    pub ris: String,
}

/// How to cite a dataset or data service (R10): the source catalogue, the agency, the title,
/// the version, the IRI and the time of retrieval, in the Vietnamese style, APA, BibTeX or
/// RIS (`style`), or all four as JSON. Readable by whoever may read the record.
#[utoipa::path(tag = "datasets", params(
    ("collection" = String, Path, description = "datasets, dataservices or catalogs"),
    ("id" = String, Path, description = "record id"), CitationQuery), responses(
    (status = 200, description = "the citations (JSON), or one style as text/plain, application/x-bibtex or application/x-research-info-systems", body = Citations),
    (status = 400, description = "unknown style", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such record (or not visible)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 410, description = "withdrawn", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/{collection}/{id}/citation")]
pub async fn citation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    q: web::Query<CitationQuery>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    if let Some(s) = q.style.as_deref()
        && !STYLES.contains(&s)
    {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("unknown citation style '{s}': use {}", STYLES.join(", ")),
        ));
    }
    let rec = super::records::readable_in(&state, &caller, &collection, &id).await?;
    let v = state.registry.log.current_version(&rec).await?;
    let (vi, en) = citables(&state, &rec, &record::parse_canonical(&v.canonical)).await?;
    let text = |c: &Citable, style: &str| cite(c, style).unwrap_or_default();
    let link = ("Link", format!("<{}>; rel=\"cite-as\"", rec.iri));
    Ok(match q.style.as_deref() {
        Some(style) => {
            let (media, body) = match style {
                "vi" => ("text/plain", text(&vi, "vi")),
                "apa" => ("text/plain", text(&en, "apa")),
                "bibtex" => ("application/x-bibtex", text(&vi, "bibtex")),
                _ => ("application/x-research-info-systems", text(&vi, "ris")),
            };
            HttpResponse::Ok()
                .content_type(format!("{media}; charset=utf-8"))
                .insert_header(link)
                .body(body)
        }
        None => HttpResponse::Ok().insert_header(link).json(Citations {
            iri: rec.iri.clone(),
            version: rec.version,
            retrieved: vi.retrieved.to_rfc3339(),
            vi: text(&vi, "vi"),
            apa: text(&en, "apa"),
            bibtex: text(&vi, "bibtex"),
            ris: text(&vi, "ris"),
        }),
    })
}

/// Registers the route.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(citation);
}
