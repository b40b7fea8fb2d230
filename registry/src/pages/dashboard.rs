//! `/dashboard`: the coordinating department's view of the province (R6–R8, R1). Overdue and
//! due-soon datasets by agency; the distribution of quality scores and each agency's mean, as
//! SVG charts with a title, a description and the same numbers as a table; the quarterly
//! report of any quarter with its CSV and HTML downloads; the pending requests to change the
//! catalogue of databases, each approved or rejected here with a reason; and likely
//! duplicates across agencies. An admin sees the whole province; an agency's officer sees
//! the same for the agency alone (no requests to decide, no cross-agency duplicates). Every
//! number counts only what the signed-in person may read.

use super::{Localised, Who};
use crate::api::quality::{QualitySummary, summarise};
use crate::audit::report::{Quarter, quarterly};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use std::collections::{BTreeMap, HashMap};

/// How many overdue or due-soon datasets an agency's list shows before "and N more".
const LISTED: usize = 50;
/// How many duplicate pairs are shown.
const PAIRS: usize = 50;

/// One dataset whose update is overdue or due soon.
pub struct Due {
    /// Its page.
    pub href: String,
    /// Its title.
    pub title: String,
    /// `overdue` or `due_soon` (a CSS class).
    pub status: String,
    /// The status in the page's language.
    pub status_label: String,
    /// When it is (was) due, dd/mm/yyyy.
    pub due_vn: String,
    /// Whether the due date has passed.
    pub late: bool,
    /// Days left, or days late.
    pub days: i64,
}

/// One agency's deadlines.
pub struct AgencyDue {
    /// Agency code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Counts by status: overdue, due soon, on time, without frequency, without deadline.
    pub counts: [usize; 5],
    /// Overdue and due-soon datasets, most urgent first.
    pub items: Vec<Due>,
    /// How many more are not listed.
    pub more: usize,
}

/// One bar of a chart, laid out in its SVG's user units.
pub struct Bar {
    /// What it stands for (band or agency).
    pub label: String,
    /// Its value as shown.
    pub value: String,
    /// Geometry.
    pub x: u32,
    /// Top.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

/// A bar chart.
pub struct Chart {
    /// Element id prefix.
    pub id: &'static str,
    /// Its title (also the table's caption).
    pub title: String,
    /// What it shows, in words, for screen readers.
    pub desc: String,
    /// viewBox width.
    pub width: u32,
    /// viewBox height.
    pub height: u32,
    /// The bars.
    pub bars: Vec<Bar>,
}

/// One agency's line of the quarterly report as shown.
pub struct ReportLine {
    /// Rank.
    pub rank: usize,
    /// Agency name.
    pub name: String,
    /// The numbers, in the order of the table's columns.
    pub cells: Vec<String>,
}

/// A pending request to change the catalogue of databases.
pub struct Pending {
    /// Id.
    pub id: String,
    /// Agency name.
    pub agency: String,
    /// Action in the page's language.
    pub action: String,
    /// What it concerns: the entry's title (or the proposed title of an addition).
    pub title: String,
    /// The entry's page, for change and withdraw.
    pub href: Option<String>,
    /// The justification.
    pub justification: String,
    /// dd/mm/yyyy.
    pub submitted_vn: String,
    /// DCAT-AP findings on the proposed description.
    pub findings: usize,
}

/// One likely duplicate pair.
pub struct Duplicate {
    /// Percent similarity.
    pub percent: u32,
    /// (page, title, agency name) of each side.
    pub a: (String, String, String),
    /// The other side.
    pub b: (String, String, String),
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardHtml {
    lang: Lang,
    who: Who,
    here: String,
    scope: String,
    admin: bool,
    today_vn: String,
    regulation: String,
    notice: Option<String>,
    totals: [usize; 5],
    deadline_labels: Vec<String>,
    agencies: Vec<AgencyDue>,
    distribution: Chart,
    per_agency: Chart,
    quality_rows: Vec<(String, usize, String, String, usize, i64)>,
    quarter: String,
    quarters: Vec<String>,
    report_from_vn: String,
    report_to_vn: String,
    report_due_vn: Option<String>,
    report_columns: Vec<String>,
    report: Vec<ReportLine>,
    csv_href: String,
    html_href: String,
    pending: Vec<Pending>,
    duplicates: Vec<Duplicate>,
    duplicates_total: usize,
    /// The most supported data requests still to publish: (title, supports, state, agency).
    demand: Vec<(String, i64, String, String)>,
}

localised!(DashboardHtml);

const STATUSES: [&str; 5] = [
    "overdue",
    "due_soon",
    "on_time",
    "no_frequency",
    "no_deadline",
];

/// The record page of a record id.
fn href(kind: &str, id: &str) -> String {
    let collection = record::Kind::parse(kind)
        .map(|k| k.collection())
        .unwrap_or("datasets");
    format!("/{collection}/{id}")
}

/// The distribution of scores, one bar per band of ten percentage points.
fn distribution_chart(q: &QualitySummary, lang: Lang) -> Chart {
    let t = |k: &'static str| i18n::msg(k, lang);
    let (width, height, top, base) = (600u32, 240u32, 20u32, 200u32);
    let most = q
        .distribution
        .iter()
        .map(|b| b.records)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = width / q.distribution.len().max(1) as u32;
    let bars = q
        .distribution
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let h = ((base - top) as usize * b.records / most) as u32;
            Bar {
                label: format!("{}–{}%", b.from_percent, b.to_percent),
                value: b.records.to_string(),
                x: i as u32 * slot + 6,
                y: base - h,
                w: slot - 12,
                h,
            }
        })
        .collect();
    let total: usize = q.distribution.iter().map(|b| b.records).sum();
    let desc = q
        .distribution
        .iter()
        .filter(|b| b.records > 0)
        .map(|b| format!("{}–{}%: {}", b.from_percent, b.to_percent, b.records))
        .collect::<Vec<_>>()
        .join("; ");
    Chart {
        id: "chart-distribution",
        title: format!("{} ({total} {})", t("dash_distribution"), t("dash_records")),
        desc: if desc.is_empty() {
            t("dash_no_scores").to_owned()
        } else {
            desc
        },
        width,
        height,
        bars,
    }
}

/// Each agency's mean score as a percentage of the maximum, one bar per agency under its
/// name (names are long; they get their own line).
fn agency_chart(q: &QualitySummary, names: &HashMap<String, String>, lang: Lang) -> Chart {
    let t = |k: &'static str| i18n::msg(k, lang);
    let width = 600u32;
    let row = 40u32;
    let full = width - 70;
    let mut sorted: Vec<_> = q.agencies.iter().collect();
    sorted.sort_by(|a, b| b.average_percent.total_cmp(&a.average_percent));
    let bars: Vec<Bar> = sorted
        .iter()
        .enumerate()
        .map(|(i, a)| Bar {
            label: names.get(&a.id).cloned().unwrap_or(a.id.clone()),
            value: format!("{:.1}%", a.average_percent),
            x: 0,
            y: i as u32 * row + 18,
            w: ((a.average_percent.clamp(0.0, 100.0) / 100.0) * full as f64).round() as u32,
            h: 14,
        })
        .collect();
    let desc = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.value))
        .collect::<Vec<_>>()
        .join("; ");
    Chart {
        id: "chart-agencies",
        title: t("dash_per_agency").to_owned(),
        desc: if desc.is_empty() {
            t("dash_no_scores").to_owned()
        } else {
            desc
        },
        width,
        height: (bars.len() as u32 * row).max(row) + 8,
        bars,
    }
}

/// The dashboard.
pub async fn page(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    if caller.person.is_none() {
        return Err(ApiError::new(Code::Unauthorized, "sign in first: /signin"));
    }
    let (lang, remember) = super::page_lang(&req);
    let t = |k: &str| i18n::msg(k, lang).to_owned();
    let admin = caller.is_admin();
    let only = if admin {
        None
    } else {
        Some(caller.agency.clone().ok_or_else(|| {
            ApiError::new(
                Code::Forbidden,
                "an account without an agency has no dashboard",
            )
        })?)
    };
    let query: HashMap<String, String> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    let names = super::agency_names(&state, lang).await?;
    let name = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let today = state.profile.local_date(chrono::Utc::now());

    // Deadlines by agency.
    let items = crate::audit::deadlines::deadlines_for(
        &state.registry,
        &state.profile,
        only.clone(),
        &caller.audience(),
        today,
    )
    .await?;
    let mut by_agency: BTreeMap<String, AgencyDue> = BTreeMap::new();
    let mut totals = [0usize; 5];
    let mut urgent: Vec<&crate::audit::deadlines::Deadline> = Vec::new();
    for d in &items {
        let i = STATUSES.iter().position(|s| *s == d.status).unwrap_or(4);
        totals[i] += 1;
        by_agency
            .entry(d.agency.clone())
            .or_insert_with(|| AgencyDue {
                code: d.agency.clone(),
                name: name(&d.agency),
                counts: [0; 5],
                items: Vec::new(),
                more: 0,
            })
            .counts[i] += 1;
        if i < 2 {
            urgent.push(d);
        }
    }
    urgent.sort_by_key(|d| (d.days_left.unwrap_or(i64::MAX), d.id.clone()));
    for d in urgent {
        let a = by_agency.get_mut(&d.agency).expect("counted above");
        if a.items.len() >= LISTED {
            a.more += 1;
            continue;
        }
        a.items.push(Due {
            href: href("dataset", &d.id),
            title: d.title.clone().unwrap_or_else(|| d.iri.clone()),
            status: d.status.clone(),
            status_label: t(&format!("deadline_{}", d.status)),
            due_vn: d.due_vn.clone().unwrap_or_default(),
            late: d.days_left.unwrap_or_default() < 0,
            days: d.days_left.unwrap_or_default().abs(),
        });
    }
    let mut agencies: Vec<AgencyDue> = by_agency.into_values().collect();
    agencies.sort_by(|a, b| {
        (b.counts[0], b.counts[1])
            .cmp(&(a.counts[0], a.counts[1]))
            .then_with(|| a.name.cmp(&b.name))
    });

    // Quality.
    let summary = summarise(&state, &caller, only.as_deref()).await?;
    let quality_rows = summary
        .agencies
        .iter()
        .map(|a| {
            (
                name(&a.id),
                a.records,
                format!("{:.1}", a.average_score),
                format!("{:.1}%", a.average_percent),
                a.conforming,
                a.violations,
            )
        })
        .collect();

    // The quarterly report of the quarter asked for (the current one by default).
    let quarter = match query.get("quarter").filter(|q| !q.trim().is_empty()) {
        Some(q) => Quarter::parse(q).map_err(|e| ApiError::new(Code::BadRequest, e))?,
        None => Quarter::containing(today),
    };
    let report = quarterly(
        &state.registry.log,
        &state.profile,
        quarter,
        only.as_deref(),
    )
    .await?;
    let mut quarters = vec![Quarter::containing(today)];
    for _ in 0..11 {
        let before = quarters.last().expect("one").previous();
        quarters.push(before);
    }
    let report_lines = report
        .agencies
        .iter()
        .map(|l| ReportLine {
            rank: l.rank,
            name: names.get(&l.agency).cloned().unwrap_or(l.name.clone()),
            cells: vec![
                l.published.to_string(),
                l.updated.to_string(),
                l.withdrawn.to_string(),
                l.total_published.to_string(),
                l.overdue.to_string(),
                match l.plan_target {
                    Some(target) => format!("{} / {target}", l.open_datasets),
                    None => l.open_datasets.to_string(),
                },
                l.quality_average
                    .map(|q| format!("{q:.1}%"))
                    .unwrap_or_else(|| "—".into()),
                format!("{} / {}", l.feedback_received, l.feedback_open),
            ],
        })
        .collect();
    let download = |format: &str| {
        format!(
            "/api/v1/reports/quarterly?quarter={}&format={format}",
            report.quarter
        )
    };

    // What only the coordinating department decides or sees across agencies.
    let (pending, duplicates, duplicates_total) = if admin {
        let mut pending = Vec::new();
        for r in crate::audit::requests::requests(&state.registry, None, Some("pending")).await? {
            let (title, href) = match &r.record {
                Some(id) => match state.registry.log.record(id).await? {
                    Some(rec) => (
                        match lang {
                            Lang::En => rec.title_en.clone().or(rec.title_vi.clone()),
                            Lang::Vi => rec.title_vi.clone().or(rec.title_en.clone()),
                        }
                        .unwrap_or(rec.iri.clone()),
                        Some(href(&rec.kind, &rec.id)),
                    ),
                    None => (id.clone(), None),
                },
                None => (proposed_title(r.description.as_deref(), lang), None),
            };
            pending.push(Pending {
                agency: name(&r.agency),
                action: t(&format!("dash_action_{}", r.action.as_str())),
                title,
                href,
                justification: r.justification.clone(),
                submitted_vn: record::dates::vn_day_of(&r.submitted_at).unwrap_or_default(),
                findings: r.findings.len(),
                id: r.id,
            });
        }
        let pairs = crate::quality::duplicates::find(&state.registry.log, "dataset", 0.8).await?;
        let total = pairs.len();
        let side = |c: &crate::quality::duplicates::Candidate| {
            (href("dataset", &c.id), c.title.clone(), name(&c.agency))
        };
        let shown = pairs
            .iter()
            .take(PAIRS)
            .map(|p| Duplicate {
                percent: (p.similarity * 100.0).round() as u32,
                a: side(&p.a),
                b: side(&p.b),
            })
            .collect();
        (pending, shown, total)
    } else {
        (Vec::new(), Vec::new(), 0)
    };

    // What people ask for most (R9 demand), still to be published: what to open first.
    let demand = state
        .registry
        .log
        .data_requests("", only.as_deref().unwrap_or(""), false)
        .await?
        .into_iter()
        .filter(|d| matches!(d.state.as_str(), "open" | "assigned" | "planned"))
        .take(10)
        .map(|d| {
            (
                d.title,
                d.supports,
                t(&format!("dash_demand_{}", d.state)),
                d.agency.as_deref().map(name).unwrap_or_default(),
            )
        })
        .collect();
    let notice = query
        .get("done")
        .and_then(|v| i18n::lookup(&format!("dash_done_{v}"), lang))
        .map(str::to_owned);
    let page = DashboardHtml {
        lang,
        who: Who::of(&caller),
        here: super::here(&req),
        scope: match &only {
            None => state.profile.province.clone(),
            Some(code) => name(code),
        },
        admin,
        today_vn: record::dates::vn_date(today),
        regulation: state.profile.regulation.clone(),
        notice,
        totals,
        deadline_labels: STATUSES
            .iter()
            .map(|s| t(&format!("deadline_{s}")))
            .collect(),
        agencies,
        distribution: distribution_chart(&summary, lang),
        per_agency: agency_chart(&summary, &names, lang),
        quality_rows,
        quarter: report.quarter.clone(),
        quarters: quarters.iter().map(Quarter::to_string).collect(),
        report_from_vn: report.from_vn.clone(),
        report_to_vn: report.to_vn.clone(),
        report_due_vn: report.report_due_vn.clone(),
        report_columns: [
            "dash_r_published",
            "dash_r_updated",
            "dash_r_withdrawn",
            "dash_r_total",
            "dash_r_overdue",
            "dash_r_open",
            "dash_r_quality",
            "dash_r_feedback",
        ]
        .iter()
        .map(|k| t(k))
        .collect(),
        report: report_lines,
        csv_href: download("csv"),
        html_href: download("html"),
        pending,
        duplicates,
        duplicates_total,
        demand,
    };
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    super::no_store(&mut resp);
    Ok(resp)
}

/// The title an addition proposes (its `dct:title` in `lang`, else any), from its N-Triples.
fn proposed_title(description: Option<&str>, lang: Lang) -> String {
    let triples = description.map(record::parse_canonical).unwrap_or_default();
    let mut any = None;
    for t in &triples {
        if t.predicate == vocab::ns::dct::TITLE
            && let oxigraph::model::Term::Literal(l) = &t.object
        {
            if l.language() == Some(super::lang_tag(lang)) {
                return l.value().to_owned();
            }
            any.get_or_insert_with(|| l.value().to_owned());
        }
    }
    any.unwrap_or_default()
}

/// What a reviewer posts: the form's CSRF token and the reason.
#[derive(serde::Deserialize)]
pub struct Decision {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// Approves (`approve`) or rejects (`reject`, a reason required) a pending request, then
/// returns to the dashboard's list.
pub async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Decision>,
) -> ApiResult<HttpResponse> {
    let caller = super::manage::posting(&state, &req, &form.csrf).await?;
    caller.require_admin()?;
    let (id, verdict) = path.into_inner();
    let reason = form.reason.trim();
    let done = match verdict.as_str() {
        "approve" => {
            crate::audit::requests::approve_request(
                &state.registry,
                &id,
                &caller.author(),
                (!reason.is_empty()).then_some(reason),
            )
            .await?;
            "approved"
        }
        "reject" => {
            crate::audit::requests::reject_request(&state.registry, &id, &caller.author(), reason)
                .await?;
            "rejected"
        }
        other => {
            return Err(ApiError::new(
                Code::NotFound,
                format!("no decision '{other}': approve or reject"),
            ));
        }
    };
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", format!("/dashboard?done={done}#requests")))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::quality::{Aggregate, Band};

    fn summary(bands: &[usize], agencies: &[(&str, f64)]) -> QualitySummary {
        QualitySummary {
            max_score: 405,
            distribution: Band::from_counts(bands),
            agencies: agencies
                .iter()
                .map(|(id, p)| Aggregate {
                    id: id.to_string(),
                    records: 1,
                    average_percent: *p,
                    ..Default::default()
                })
                .collect(),
            catalogs: Vec::new(),
        }
    }

    #[test]
    fn the_tallest_band_fills_the_chart_and_others_are_in_proportion() {
        let c = distribution_chart(&summary(&[0, 0, 0, 0, 0, 2, 4, 8, 0, 0], &[]), Lang::Vi);
        assert_eq!(c.bars.len(), 10);
        assert_eq!(c.bars[7].h, 180);
        assert_eq!(c.bars[6].h, 90);
        assert_eq!(c.bars[0].h, 0);
        assert_eq!(c.bars[7].y + c.bars[7].h, 200, "bars stand on one baseline");
        assert!(c.title.contains("14"), "{}", c.title);
        assert!(c.desc.contains("70–80%: 8"), "{}", c.desc);
        let empty = distribution_chart(&summary(&[0; 10], &[]), Lang::En);
        assert!(empty.bars.iter().all(|b| b.h == 0));
    }

    #[test]
    fn agencies_are_ranked_by_mean_score_with_their_names() {
        let names: HashMap<String, String> = [("so-tc".to_string(), "Sở Tài chính".to_string())]
            .into_iter()
            .collect();
        let c = agency_chart(
            &summary(&[0; 10], &[("so-tc", 50.0), ("so-yt", 100.0)]),
            &names,
            Lang::Vi,
        );
        assert_eq!(c.bars[0].label, "so-yt");
        assert_eq!(c.bars[1].label, "Sở Tài chính");
        assert_eq!(c.bars[0].w, 2 * c.bars[1].w);
        assert!(c.height >= 2 * 40);
        assert!(c.desc.contains("Sở Tài chính: 50.0%"), "{}", c.desc);
    }
}
