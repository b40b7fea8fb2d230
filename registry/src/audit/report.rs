//! Quarterly reports (R7), computed from the change log as it stood at the quarter's end: a
//! past quarter's report does not change when records change later (time travel by log
//! position and time, not by current state).

use super::deadlines::deadline;
use super::profile::Profile;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use store::StoreError;
use store::log::{Log, RecordRow, VersionRow};

/// A quarter, e.g. `2026-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    /// Year.
    pub year: i32,
    /// 1 to 4.
    pub q: u32,
}

impl Quarter {
    /// Parses `2026-Q3` (case-insensitive).
    pub fn parse(s: &str) -> Result<Quarter, String> {
        let up = s.trim().to_ascii_uppercase();
        let (y, q) = up
            .split_once("-Q")
            .ok_or_else(|| format!("“{s}” is not a quarter like 2026-Q3"))?;
        let year: i32 = y
            .parse()
            .map_err(|_| format!("“{s}” is not a quarter like 2026-Q3"))?;
        let q: u32 = q
            .parse()
            .map_err(|_| format!("“{s}” is not a quarter like 2026-Q3"))?;
        if !(1..=4).contains(&q) {
            return Err(format!("“{s}”: quarters are Q1 to Q4"));
        }
        Ok(Quarter { year, q })
    }

    /// First day.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1)
    }

    /// The day after the last day.
    pub fn end_day(self) -> Option<NaiveDate> {
        self.first_day()?.checked_add_months(chrono::Months::new(3))
    }

    /// The quarter `day` falls in.
    pub fn containing(day: NaiveDate) -> Quarter {
        use chrono::Datelike;
        Quarter {
            year: day.year(),
            q: (day.month() - 1) / 3 + 1,
        }
    }

    /// The quarter before.
    pub fn previous(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

/// One agency's line in the report.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct AgencyLine {
    /// Rank (1 = most active, fewest overdue).
    pub rank: usize,
    /// Agency code.
    pub agency: String,
    /// Its Vietnamese name as it was at the quarter's end.
    pub name: String,
    /// Records first published during the quarter.
    pub published: usize,
    /// Records published before and changed during the quarter.
    pub updated: usize,
    /// Records withdrawn during the quarter.
    pub withdrawn: usize,
    /// Records published at the quarter's end.
    pub total_published: usize,
    /// Datasets overdue at the quarter's end under the profile.
    pub overdue: usize,
    /// Datasets without an update frequency at the quarter's end.
    pub no_frequency: usize,
    /// Open (PUBLIC) datasets published at the quarter's end: the "actual" of the plan.
    pub open_datasets: usize,
    /// The phase whose period holds the quarter's end, if a plan was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_phase: Option<String>,
    /// Its target of open datasets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_target: Option<i64>,
    /// Whether `open_datasets` reached the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_met: Option<bool>,
    /// Mean MQA score (percent of the maximum) of the records published at the quarter's
    /// end, each as it was scored then; absent when none had been assessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality_average: Option<f64>,
    /// Feedback on its records reported during the quarter (R9).
    pub feedback_received: usize,
    /// Feedback still open or only answered at the quarter's end.
    pub feedback_open: usize,
    /// Median days from report to resolution (or rejection) of the feedback closed during
    /// the quarter; absent when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_median_days: Option<f64>,
    #[serde(skip)]
    quality_sum: f64,
    #[serde(skip)]
    quality_n: usize,
}

/// A quarterly report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// The quarter.
    pub quarter: String,
    /// Profile in force.
    pub profile: String,
    /// Province.
    pub province: String,
    /// First day (ISO) and the same as dd/mm/yyyy.
    pub from: String,
    /// Last day (ISO).
    pub to: String,
    /// First day, dd/mm/yyyy.
    pub from_vn: String,
    /// Last day, dd/mm/yyyy.
    pub to_vn: String,
    /// When the report is due under the profile (dd/mm/yyyy), if the profile sets a date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_due_vn: Option<String>,
    /// Log position the report was computed at (the last entry before the quarter's end).
    pub log_position: i64,
    /// One line per agency, ranked.
    pub agencies: Vec<AgencyLine>,
}

#[derive(Default)]
struct Track {
    first_published: Option<i64>,
    last: Option<VersionRow>,
    updated_in: bool,
    withdrawn_in: bool,
}

/// Computes the report for `quarter`, optionally for one agency.
pub async fn quarterly(
    log: &Log,
    profile: &Profile,
    quarter: Quarter,
    agency: Option<&str>,
) -> Result<Report, StoreError> {
    let bad = || StoreError::Invalid(format!("quarter {quarter} is out of range"));
    let first = quarter.first_day().ok_or_else(bad)?;
    let end = quarter.end_day().ok_or_else(bad)?;
    let to_micros = |d: NaiveDate| -> Result<i64, StoreError> {
        record::dates::parse_time(&d.to_string(), false).map_err(StoreError::Invalid)
    };
    let (start_us, end_us) = (to_micros(first)?, to_micros(end)?);
    let mut tracks: HashMap<String, Track> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut after = 0i64;
    let mut position = 0i64;
    loop {
        let batch = log.versions_after(after, 5_000).await?;
        if batch.is_empty() {
            break;
        }
        for v in batch {
            after = v.seq;
            if v.at >= end_us {
                // Written after the quarter: not part of its story (the whole log is read, so
                // a small clock skew between writers cannot cut it short).
                continue;
            }
            position = v.seq;
            if v.kind == "agency" {
                // The agency's name as it was at the quarter's end.
                if let Some(name) = agency_name(&v) {
                    names.insert(v.agency.clone(), name);
                }
                continue;
            }
            if agency.is_some_and(|a| a != v.agency) {
                continue;
            }
            let t = tracks.entry(v.record_id.clone()).or_default();
            let in_quarter = v.at >= start_us;
            if v.status == "published" {
                if t.first_published.is_none() {
                    t.first_published = Some(v.at);
                } else if in_quarter {
                    t.updated_in = true;
                }
            } else if v.status == "withdrawn" && in_quarter {
                t.withdrawn_in = true;
            }
            t.last = Some(v);
        }
    }
    let last_day = end.pred_opt().unwrap_or(end);
    let scores = log.scores_before(end_us).await?;
    let mut lines: BTreeMap<String, AgencyLine> = BTreeMap::new();
    for t in tracks.values() {
        let Some(v) = &t.last else { continue };
        let line = lines.entry(v.agency.clone()).or_insert_with(|| AgencyLine {
            agency: v.agency.clone(),
            ..AgencyLine::default()
        });
        if t.first_published.is_some_and(|at| at >= start_us) {
            line.published += 1;
        } else if t.updated_in {
            line.updated += 1;
        }
        if t.withdrawn_in {
            line.withdrawn += 1;
        }
        if v.status == "published" {
            line.total_published += 1;
            if let Some((score, max)) = scores.get(&v.record_id) {
                line.quality_sum += 100.0 * *score as f64 / (*max).max(1) as f64;
                line.quality_n += 1;
            }
            if v.kind == "dataset" && v.visibility == "PUBLIC" {
                line.open_datasets += 1;
            }
            if v.kind == "dataset" {
                let rec = RecordRow {
                    id: v.record_id.clone(),
                    kind: v.kind.clone(),
                    iri: v.iri.clone(),
                    agency: v.agency.clone(),
                    status: v.status.clone(),
                    visibility: v.visibility.clone(),
                    access_defaulted: false,
                    shared_with: v.shared_with.clone(),
                    version: v.version,
                    content_hash: v.content_hash.clone(),
                    title_vi: None,
                    title_en: None,
                    created_at: t.first_published.unwrap_or(v.at),
                    modified_at: v.at,
                    source: v.source.clone(),
                    source_id: None,
                    seq: v.seq,
                };
                match deadline(profile, &rec, v, last_day).status.as_str() {
                    "overdue" => line.overdue += 1,
                    "no_frequency" => line.no_frequency += 1,
                    _ => {}
                }
            }
        }
    }
    for a in log.agencies().await? {
        let name = names.get(&a.code).cloned().unwrap_or(a.name_vi.clone());
        if let Some(l) = lines.get_mut(&a.code) {
            l.name = name;
        } else if agency.is_none_or(|x| x == a.code) && a.created_at < end_us {
            lines.insert(
                a.code.clone(),
                AgencyLine {
                    agency: a.code.clone(),
                    name,
                    ..AgencyLine::default()
                },
            );
        }
    }
    let last_iso = last_day.to_string();
    for p in log.plans(agency).await? {
        if p.starts.as_str() <= last_iso.as_str()
            && last_iso.as_str() <= p.ends.as_str()
            && let Some(l) = lines.get_mut(&p.agency)
        {
            l.plan_met = Some(l.open_datasets as i64 >= p.target);
            l.plan_phase = Some(p.phase);
            l.plan_target = Some(p.target);
        }
    }
    // Feedback (R9), as it stood at the quarter's end.
    let mut closing: HashMap<String, Vec<f64>> = HashMap::new();
    for f in log.feedback_list(agency.unwrap_or(""), "").await? {
        let Some(l) = lines.get_mut(&f.agency) else {
            continue;
        };
        if f.created_at >= end_us {
            continue;
        }
        if f.created_at >= start_us {
            l.feedback_received += 1;
        }
        match f.closed_at {
            Some(c) if c < end_us => {
                if c >= start_us {
                    closing
                        .entry(f.agency.clone())
                        .or_default()
                        .push((c - f.created_at) as f64 / 86_400e6);
                }
            }
            _ => l.feedback_open += 1,
        }
    }
    for (code, mut days) in closing {
        if let Some(l) = lines.get_mut(&code) {
            l.feedback_median_days = median(&mut days).map(|d| (d * 10.0).round() / 10.0);
        }
    }
    let mut agencies: Vec<AgencyLine> = lines.into_values().collect();
    for a in &mut agencies {
        if a.quality_n > 0 {
            a.quality_average = Some((a.quality_sum / a.quality_n as f64 * 10.0).round() / 10.0);
        }
    }
    agencies.sort_by(|a, b| {
        (b.published + b.updated)
            .cmp(&(a.published + a.updated))
            .then(a.overdue.cmp(&b.overdue))
            .then(b.total_published.cmp(&a.total_published))
            .then(a.agency.cmp(&b.agency))
    });
    for (i, a) in agencies.iter_mut().enumerate() {
        a.rank = i + 1;
    }
    let report_due_vn = profile.reports.iter().find_map(|r| {
        if r.name == "quarterly" {
            let d = r.day_of_last_month_of_quarter?;
            NaiveDate::from_ymd_opt(quarter.year, quarter.q * 3, d).map(super::profile::vn_date)
        } else {
            None
        }
    });
    Ok(Report {
        quarter: quarter.to_string(),
        profile: profile.name.clone(),
        province: profile.province.clone(),
        from: first.to_string(),
        to: last_day.to_string(),
        from_vn: super::profile::vn_date(first),
        to_vn: super::profile::vn_date(last_day),
        report_due_vn,
        log_position: position,
        agencies,
    })
}

/// The median of `v` (the mean of the middle two for an even count).
fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    })
}

/// The Vietnamese `foaf:name` in an agency version.
fn agency_name(v: &VersionRow) -> Option<String> {
    record::parse_canonical(&v.canonical)
        .into_iter()
        .find_map(
            |t| match (&t.object, t.predicate.as_ref() == vocab::ns::foaf::NAME) {
                (oxigraph::model::Term::Literal(l), true) if l.language() == Some("vi") => {
                    Some(l.value().to_owned())
                }
                _ => None,
            },
        )
}

/// The report as CSV: UTF-8 with a byte-order mark and Vietnamese headers, so spreadsheet
/// software shows the diacritics.
pub fn to_csv(r: &Report) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xef\xbb\xbf".to_vec());
    let _ = w.write_record([
        "Hạng",
        "Mã cơ quan",
        "Tên cơ quan",
        "Công bố mới",
        "Cập nhật",
        "Thu hồi",
        "Tổng số đang công bố",
        "Quá hạn cập nhật",
        "Chưa khai báo tần suất",
        "Dữ liệu mở đang công bố",
        "Kế hoạch (giai đoạn)",
        "Chỉ tiêu",
        "Đạt chỉ tiêu",
        "Chất lượng trung bình (%)",
        "Phản ánh nhận trong quý",
        "Phản ánh chưa xử lý xong",
        "Thời gian xử lý phản ánh (ngày, trung vị)",
    ]);
    for a in &r.agencies {
        let _ = w.write_record([
            a.rank.to_string(),
            a.agency.clone(),
            a.name.clone(),
            a.published.to_string(),
            a.updated.to_string(),
            a.withdrawn.to_string(),
            a.total_published.to_string(),
            a.overdue.to_string(),
            a.no_frequency.to_string(),
            a.open_datasets.to_string(),
            a.plan_phase.clone().unwrap_or_default(),
            a.plan_target.map(|t| t.to_string()).unwrap_or_default(),
            match a.plan_met {
                Some(true) => "Đạt".into(),
                Some(false) => "Chưa đạt".into(),
                None => String::new(),
            },
            a.quality_average.map(|q| q.to_string()).unwrap_or_default(),
            a.feedback_received.to_string(),
            a.feedback_open.to_string(),
            a.feedback_median_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The report as a printable HTML page in Vietnamese (no scripts, no external resources).
pub fn to_html(r: &Report) -> String {
    let mut rows = String::new();
    for a in &r.agencies {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            a.rank,
            esc(&a.name),
            a.published,
            a.updated,
            a.withdrawn,
            a.total_published,
            a.overdue,
            a.no_frequency,
            a.open_datasets,
            match (a.plan_target, a.plan_met) {
                (Some(t), Some(true)) => format!("{t} — đạt"),
                (Some(t), _) => format!("{t} — chưa đạt"),
                _ => "—".into(),
            },
            a.quality_average
                .map(|q| format!("{q}%"))
                .unwrap_or_else(|| "—".into()),
            a.feedback_received,
            a.feedback_open,
            a.feedback_median_days
                .map(|d| format!("{d} ngày"))
                .unwrap_or_else(|| "—".into()),
        ));
    }
    let due = r
        .report_due_vn
        .as_deref()
        .map(|d| format!("<p>Hạn gửi báo cáo: trước ngày {d}</p>"))
        .unwrap_or_default();
    format!(
        r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo quý {q} — {prov}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #444;padding:4px 8px}}td:nth-child(n+3){{text-align:right}}@media print{{body{{margin:0}}}}</style></head>
<body><h1>Báo cáo tình hình cập nhật dữ liệu quý {qn}/{y}</h1>
<p>{prov} — từ ngày {from} đến ngày {to}. Theo quy chế: {reg}.</p>{due}
<table><thead><tr><th>Hạng</th><th>Cơ quan</th><th>Công bố mới</th><th>Cập nhật</th><th>Thu hồi</th><th>Tổng số đang công bố</th><th>Quá hạn cập nhật</th><th>Chưa khai báo tần suất</th><th>Dữ liệu mở</th><th>Chỉ tiêu kế hoạch</th><th>Chất lượng trung bình</th><th>Phản ánh nhận</th><th>Phản ánh chưa xong</th><th>Thời gian xử lý phản ánh</th></tr></thead>
<tbody>
{rows}</tbody></table>
<p><small>Số liệu tính từ nhật ký thay đổi đến vị trí {pos} (cuối quý); không thay đổi khi hồ sơ được sửa sau đó.</small></p>
</body></html>
"#,
        q = r.quarter,
        qn = r.quarter.rsplit('Q').next().unwrap_or(""),
        y = r.quarter.split('-').next().unwrap_or(""),
        prov = esc(&r.province),
        from = r.from_vn,
        to = r.to_vn,
        reg = esc(&r.profile),
        pos = r.log_position,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_falls_in_its_quarter_and_quarters_step_back_across_years() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(Quarter::containing(d(2026, 12, 4)).to_string(), "2026-Q4");
        assert_eq!(Quarter::containing(d(2026, 4, 1)).to_string(), "2026-Q2");
        assert_eq!(Quarter::containing(d(2026, 3, 31)).to_string(), "2026-Q1");
        let q1 = Quarter::parse("2026-Q1").expect("quarter");
        assert_eq!(q1.previous().to_string(), "2025-Q4");
        assert_eq!(q1.previous().previous().to_string(), "2025-Q3");
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn quarters_parse() {
        let q = Quarter::parse("2026-q3").expect("q");
        assert_eq!(q.first_day(), NaiveDate::from_ymd_opt(2026, 7, 1));
        assert_eq!(q.end_day(), NaiveDate::from_ymd_opt(2026, 10, 1));
        assert!(Quarter::parse("2026-Q5").is_err() && Quarter::parse("Q3").is_err());
        assert_eq!(q.to_string(), "2026-Q3");
    }
}
