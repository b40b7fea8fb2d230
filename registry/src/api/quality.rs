//! Quality endpoints (R8): a record's report, aggregates per agency and catalogue, likely
//! duplicates, and an on-demand link check.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::quality::QualityReport;
use crate::quality::duplicates::{self, Pair};
use crate::quality::links::{self, LinkRun};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use oxigraph::model::Term;
use record::{Kind, parse_canonical};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use vocab::ns::dcat;

/// A record's quality: SHACL findings against DCAT-AP 3.0.1 and DCAT-AP-VN, MQA points per
/// dimension, `score` and `max_score`. Readable by whoever may read the record.
#[utoipa::path(tag = "quality", params(
    ("collection" = String, Path, description = "datasets, dataservices or catalogs"),
    ("id" = String, Path, description = "record id")), responses(
    (status = 200, description = "the report", body = QualityReport),
    (status = 404, description = "no such record (or not visible)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 410, description = "withdrawn", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/{collection}/{id}/quality")]
pub async fn record_quality(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let rec = crate::api::records::readable_in(&state, &caller, &collection, &id).await?;
    let report = crate::quality::quality_report(&state.registry, &rec)
        .await?
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no report for '{id}'")))?;
    Ok(HttpResponse::Ok().json(report))
}

/// Quality of one group of records.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Aggregate {
    /// Agency code or catalogue id.
    pub id: String,
    /// Records assessed.
    pub records: usize,
    /// Mean MQA score.
    pub average_score: f64,
    /// Mean score as a percentage of the maximum.
    pub average_percent: f64,
    /// Records without SHACL violations.
    pub conforming: usize,
    /// SHACL violations in all.
    pub violations: i64,
}

/// How many records score within one band of ten percentage points.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Band {
    /// Lower bound, percent of the maximum (inclusive).
    pub from_percent: u32,
    /// Upper bound (exclusive, except 100 in the last band).
    pub to_percent: u32,
    /// Records in it.
    pub records: usize,
}

impl Band {
    /// The bands of `counts`, the records per band from 0–10 % upwards.
    pub fn from_counts(counts: &[usize]) -> Vec<Band> {
        counts
            .iter()
            .enumerate()
            .map(|(i, n)| Band {
                from_percent: 10 * i as u32,
                to_percent: 10 * (i as u32 + 1),
                records: *n,
            })
            .collect()
    }
}

/// Aggregates per agency and per catalogue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QualitySummary {
    /// The highest possible score of one record.
    pub max_score: i64,
    /// Records per band of ten percentage points of the maximum (0–10 … 90–100), over the
    /// agencies summarised.
    pub distribution: Vec<Band>,
    /// Per agency.
    pub agencies: Vec<Aggregate>,
    /// Per catalogue (over the datasets and services it lists).
    pub catalogs: Vec<Aggregate>,
}

/// Filter of the summary.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SummaryQuery {
    /// Only this agency.
    pub agency: Option<String>,
}

fn aggregate(id: &str, scores: &[(i64, i64, i64)]) -> Aggregate {
    let n = scores.len();
    let mean = |f: &dyn Fn(&(i64, i64, i64)) -> f64| {
        if n == 0 {
            0.0
        } else {
            (scores.iter().map(f).sum::<f64>() / n as f64 * 10.0).round() / 10.0
        }
    };
    Aggregate {
        id: id.to_owned(),
        records: n,
        average_score: mean(&|s| s.0 as f64),
        average_percent: mean(&|s| 100.0 * s.0 as f64 / s.1.max(1) as f64),
        conforming: scores.iter().filter(|s| s.2 == 0).count(),
        violations: scores.iter().map(|s| s.2).sum(),
    }
}

/// The current scores of the published records `caller` may read, once the follower has
/// caught up: what every aggregate (the quality summary, an agency's page, the dashboard)
/// counts, so none of them counts a record its reader may not see.
pub async fn readable_scores(
    reg: &crate::records::Registry,
    caller: &Caller,
) -> Result<Vec<store::quality::ScoreRow>, store::StoreError> {
    crate::quality::assess_missing(reg).await?;
    Ok(reg
        .log
        .quality_scores()
        .await?
        .into_iter()
        .filter(|r| {
            let shared: Vec<&str> = r.shared_with.split('|').filter(|s| !s.is_empty()).collect();
            caller.can_read("published", &r.visibility, &r.agency, &shared)
        })
        .collect())
}

/// The band of ten percentage points a score falls in (100 % in the last).
fn band_of(score: i64, max: i64) -> usize {
    let percent = 100 * score.max(0) / max.max(1);
    (percent / 10).clamp(0, 9) as usize
}

/// The quality of the published records `caller` may read, per agency (`only`: one) and per
/// catalogue, with the distribution of scores: what `GET /audit/quality` answers and the
/// coordinating department's dashboard draws.
pub async fn summarise(
    state: &AppState,
    caller: &Caller,
    only: Option<&str>,
) -> Result<QualitySummary, store::StoreError> {
    let rows = readable_scores(&state.registry, caller).await?;
    let mut by_agency: BTreeMap<String, Vec<(i64, i64, i64)>> = BTreeMap::new();
    let mut by_id: HashMap<String, (i64, i64, i64)> = HashMap::new();
    let mut bands = [0usize; 10];
    for r in &rows {
        let s = (r.score, r.max_score, r.violations);
        by_id.insert(r.id.clone(), s);
        if only.is_none_or(|a| a == r.agency) {
            by_agency.entry(r.agency.clone()).or_default().push(s);
            bands[band_of(r.score, r.max_score)] += 1;
        }
    }
    let agencies = by_agency.iter().map(|(a, s)| aggregate(a, s)).collect();
    let mut catalogs = Vec::new();
    for r in &rows {
        if r.kind != "catalog" || only.is_some_and(|a| a != r.agency) {
            continue;
        }
        let Some(rec) = state.registry.log.record(&r.id).await? else {
            continue;
        };
        let v = state.registry.log.current_version(&rec).await?;
        let mut members = Vec::new();
        for t in parse_canonical(&v.canonical) {
            if (t.predicate == dcat::DATASET_PROP || t.predicate == dcat::SERVICE)
                && let Term::NamedNode(n) = &t.object
                && let Some(m) = state.registry.log.record_by_iri(n.as_str()).await?
                && let Some(s) = by_id.get(&m.id)
            {
                members.push(*s);
            }
        }
        catalogs.push(aggregate(&r.id, &members));
    }
    Ok(QualitySummary {
        max_score: record::mqa::MAX_SCORE,
        distribution: Band::from_counts(&bands),
        agencies,
        catalogs,
    })
}

/// Mean quality of published records per agency and per catalogue, and how scores are
/// distributed. Admins see every agency; an agency account sees its own.
#[utoipa::path(tag = "quality", params(SummaryQuery), responses(
    (status = 200, description = "aggregates", body = QualitySummary),
    (status = 401, description = "no token", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/audit/quality")]
pub async fn summary(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<SummaryQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let only = if caller.is_admin() {
        q.agency.clone()
    } else {
        Some(caller.agency.clone().unwrap_or_default())
    };
    Ok(HttpResponse::Ok().json(summarise(&state, &caller, only.as_deref()).await?))
}

/// Parameters of the duplicate search.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DuplicateQuery {
    /// `datasets` (default), `dataservices` or `catalogs`.
    pub collection: Option<String>,
    /// Least similarity of folded titles, 0–1 (default 0.8).
    pub threshold: Option<f64>,
}

/// The duplicate list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Duplicates {
    /// The threshold used.
    pub threshold: f64,
    /// The pairs, most similar first.
    pub pairs: Vec<Pair>,
}

/// Likely duplicates across agencies (R8 "no overlap"): published records of different
/// agencies whose titles are alike once case, punctuation and diacritics are folded. Admins
/// only.
#[utoipa::path(tag = "quality", params(DuplicateQuery), responses(
    (status = 200, description = "pairs", body = Duplicates),
    (status = 400, description = "bad threshold or collection", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/audit/duplicates")]
pub async fn duplicate_list(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<DuplicateQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let threshold = q.threshold.unwrap_or(0.8);
    if !(0.0..=1.0).contains(&threshold) || threshold.is_nan() {
        return Err(ApiError::new(
            Code::BadRequest,
            "threshold must be between 0 and 1",
        ));
    }
    let collection = q.collection.as_deref().unwrap_or("datasets");
    let kind = Kind::from_collection(collection)
        .filter(|k| *k != Kind::Agency)
        .ok_or_else(|| {
            ApiError::new(
                Code::BadRequest,
                format!(
                    "unknown collection '{collection}': use datasets, dataservices or catalogs"
                ),
            )
        })?;
    let pairs = duplicates::find(&state.registry.log, kind.as_str(), threshold).await?;
    Ok(HttpResponse::Ok().json(Duplicates { threshold, pairs }))
}

/// Options of an on-demand link check.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LinkCheckQuery {
    /// Check every URL, not only those due.
    #[serde(default)]
    pub force: bool,
}

/// Runs the link checker now (it also runs periodically, `serve --link-check-every`) and
/// re-scores records whose URLs changed verdict. Admins only.
#[utoipa::path(tag = "quality", params(LinkCheckQuery), responses(
    (status = 200, description = "what was checked", body = LinkRun),
    (status = 403, description = "not an admin", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/audit/links/check")]
pub async fn check_links(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<LinkCheckQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let run = links::check(&state.registry, &state.link_fetcher, &state.links, q.force).await?;
    Ok(HttpResponse::Ok().json(run))
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(summary)
        .service(duplicate_list)
        .service(check_links)
        .service(record_quality);
}

#[cfg(test)]
mod tests {
    use super::band_of;

    #[test]
    fn scores_fall_in_bands_of_ten_points_with_the_maximum_in_the_last() {
        assert_eq!(band_of(0, 405), 0);
        assert_eq!(band_of(40, 405), 0);
        assert_eq!(band_of(41, 405), 1);
        assert_eq!(band_of(404, 405), 9);
        assert_eq!(band_of(405, 405), 9);
        assert_eq!(band_of(-3, 405), 0);
        assert_eq!(band_of(5, 0), 9, "a zero maximum does not divide by zero");
    }
}
