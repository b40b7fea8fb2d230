//! Update deadlines (R6): for each dataset, from its `dct:accrualPeriodicity` and its last
//! update (its published `dct:modified`, else the time the registry last recorded a change),
//! the date its next update is due under the active profile, and whether it is on time, due
//! soon or overdue. A dataset without a frequency is itself a finding.

use super::profile::{Profile, vn_date};
use chrono::{DateTime, NaiveDate, Utc};
use oxigraph::model::Term;
use record::parse_canonical;
use serde::Serialize;
use store::log::{RecordRow, VersionRow};
use vocab::ns::dct;

/// One dataset's deadline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    /// Record id.
    pub id: String,
    /// Record IRI.
    pub iri: String,
    /// Vietnamese title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Owning agency.
    pub agency: String,
    /// EU frequency code, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// Last update (ISO date, province time).
    pub last_update: String,
    /// The same, written dd/mm/yyyy.
    pub last_update_vn: String,
    /// Where the last update comes from: `dct:modified` or `registry`.
    pub last_update_source: String,
    /// Next update due (ISO date), when the frequency sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The same, written dd/mm/yyyy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_vn: Option<String>,
    /// `on_time`, `due_soon`, `overdue`, `no_frequency` (a finding) or `no_deadline`
    /// (continuous or irregular updates).
    pub status: String,
    /// Days until due (negative: days late).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    /// The rule applied and its legal basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// What the deadline needs from a record's current version.
fn facts(rec: &RecordRow, v: &VersionRow) -> (Option<String>, Option<DateTime<Utc>>) {
    let mut freq = None;
    let mut modified = None;
    for t in parse_canonical(&v.canonical) {
        if t.subject.to_string() != format!("<{}>", rec.iri) {
            continue;
        }
        let p = t.predicate.as_ref();
        if p == dct::ACCRUAL_PERIODICITY {
            if let Term::NamedNode(n) = &t.object {
                freq = n.as_str().rsplit('/').next().map(str::to_owned);
            }
        } else if p == dct::MODIFIED
            && let Term::Literal(l) = &t.object
        {
            let s = l.value();
            let parsed = DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                        .ok()
                        .map(|n| n.and_utc() - chrono::Duration::hours(7))
                })
                .or_else(|| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .ok()
                        .and_then(|d| d.and_hms_opt(12, 0, 0))
                        .map(|n| n.and_utc())
                });
            modified = modified.max(parsed);
        }
    }
    (freq, modified)
}

/// The deadlines, as of `today`, of the published datasets `audience` may read (of one agency
/// when given), in the store's order: what the deadlines API lists and an agency's page sums.
pub async fn deadlines_for(
    reg: &crate::records::Registry,
    profile: &Profile,
    agency: Option<String>,
    audience: &store::log::Audience,
    today: NaiveDate,
) -> Result<Vec<Deadline>, store::StoreError> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = reg
            .log
            .list(
                &store::log::ListFilter {
                    kind: "dataset".into(),
                    agency: agency.clone(),
                    statuses: vec!["published".into()],
                    modified_since: None,
                    after: after.clone(),
                    limit: 1000,
                },
                audience,
            )
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for rec in &page {
            let v = reg.log.current_version(rec).await?;
            items.push(deadline(profile, rec, &v, today));
        }
    }
    Ok(items)
}

/// The deadline of one dataset as of `today` (province date).
pub fn deadline(profile: &Profile, rec: &RecordRow, v: &VersionRow, today: NaiveDate) -> Deadline {
    let (freq, modified) = facts(rec, v);
    let (last, source) = match modified {
        Some(m) => (profile.local_date(m), "dct:modified"),
        None => (
            profile
                .local_date(DateTime::from_timestamp_micros(rec.modified_at).unwrap_or_default()),
            "registry",
        ),
    };
    let due = freq.as_deref().and_then(|f| profile.due(f, last));
    let days_left = due.as_ref().map(|d| (d.date - today).num_days());
    let status = match (&freq, &days_left) {
        (None, _) => "no_frequency",
        (Some(_), None) => "no_deadline",
        (Some(_), Some(n)) if *n < 0 => "overdue",
        (Some(_), Some(n)) if *n <= profile.due_soon_days => "due_soon",
        _ => "on_time",
    };
    Deadline {
        id: rec.id.clone(),
        iri: rec.iri.clone(),
        title: rec.title_vi.clone().or_else(|| rec.title_en.clone()),
        agency: rec.agency.clone(),
        frequency: freq,
        last_update: last.to_string(),
        last_update_vn: vn_date(last),
        last_update_source: source.into(),
        due: due.as_ref().map(|d| d.date.to_string()),
        due_vn: due.as_ref().map(|d| vn_date(d.date)),
        status: status.into(),
        days_left,
        basis: due.map(|d| d.basis),
    }
}
