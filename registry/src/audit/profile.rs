//! Province rules as data: one TOML file per regulation under `profiles/`, built into the
//! binary, each rule citing its legal basis. Days, months and quarters are counted in the
//! province's time zone.

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;

/// The built-in profiles, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("tay-ninh", include_str!("../../../profiles/tay-ninh.toml")),
    (
        "bac-giang",
        include_str!("../../../profiles/bac-giang.toml"),
    ),
    (
        "ninh-thuan",
        include_str!("../../../profiles/ninh-thuan.toml"),
    ),
    ("hue", include_str!("../../../profiles/hue.toml")),
    ("ha-nam", include_str!("../../../profiles/ha-nam.toml")),
];

/// A province's rules.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name (`ninh-thuan`).
    pub name: String,
    /// Province.
    pub province: String,
    /// The regulation the rules come from.
    pub regulation: String,
    /// The province's offset from UTC (Vietnam: 7, no daylight saving).
    pub utc_offset_hours: i32,
    /// How many days before its due date a dataset is "due soon".
    pub due_soon_days: i64,
    /// Update deadlines by frequency.
    #[serde(default)]
    pub deadlines: Vec<DeadlineRule>,
    /// No dataset waits longer than this many months, whatever its frequency.
    #[serde(default)]
    pub max_interval_months: Option<u32>,
    /// Legal basis of `max_interval_months`.
    #[serde(default)]
    pub max_interval_basis: Option<String>,
    /// Report dates.
    #[serde(default)]
    pub reports: Vec<ReportRule>,
}

/// How the next update's due date follows from the last update, for some frequencies.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    /// EU frequency codes the rule applies to (`MONTHLY`, `QUARTERLY`…).
    pub frequencies: Vec<String>,
    /// `after_period`: the end of the period (month, quarter, year) holding the last update,
    /// plus `grace_days`; `interval`: the last update plus one period of the frequency.
    pub rule: String,
    /// `month`, `quarter` or `year` (for `after_period`).
    #[serde(default)]
    pub period: Option<String>,
    /// Days allowed after the period's end.
    #[serde(default)]
    pub grace_days: i64,
    /// The article it comes from.
    pub basis: String,
}

/// A report date.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRule {
    /// `quarterly` or `yearly`.
    pub name: String,
    /// Quarterly reports: due before this day of the quarter's last month.
    #[serde(default)]
    pub day_of_last_month_of_quarter: Option<u32>,
    /// Yearly reports: month and day.
    #[serde(default)]
    pub month: Option<u32>,
    /// Yearly reports: day.
    #[serde(default)]
    pub day: Option<u32>,
    /// The article it comes from.
    pub basis: String,
}

impl ReportRule {
    /// The first due date of this report on or after `today` (report "before day D" is due on
    /// day D: it must be sent by then).
    pub fn next_due(&self, today: NaiveDate) -> Option<NaiveDate> {
        use chrono::Datelike;
        if let Some(d) = self.day_of_last_month_of_quarter {
            let q = (today.month() - 1) / 3;
            let (mut y, mut q) = (today.year(), q);
            for _ in 0..2 {
                let due = NaiveDate::from_ymd_opt(y, q * 3 + 3, d)?;
                if due >= today {
                    return Some(due);
                }
                q += 1;
                if q == 4 {
                    q = 0;
                    y += 1;
                }
            }
            return None;
        }
        let (m, d) = (self.month?, self.day?);
        let this = NaiveDate::from_ymd_opt(today.year(), m, d)?;
        if this >= today {
            Some(this)
        } else {
            NaiveDate::from_ymd_opt(today.year() + 1, m, d)
        }
    }
}

/// A due date and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The last day an update is on time.
    pub date: NaiveDate,
    /// The rule's legal basis, or how the default was derived.
    pub basis: String,
}

/// Months in one period of an EU frequency; days for the sub-monthly ones.
fn period_of(freq: &str) -> Option<(u32, i64)> {
    Some(match freq {
        "DAILY" => (0, 1),
        "WEEKLY" => (0, 7),
        "BIWEEKLY" => (0, 14),
        "MONTHLY" => (1, 0),
        "BIMONTHLY" => (2, 0),
        "QUARTERLY" => (3, 0),
        "ANNUAL_2" => (6, 0),
        "ANNUAL" => (12, 0),
        "BIENNIAL" => (24, 0),
        "TRIENNIAL" => (36, 0),
        _ => return None, // continuous, irregular, never, unknown: no deadline
    })
}

fn end_of_period(d: NaiveDate, period: &str) -> Option<NaiveDate> {
    let months = match period {
        "month" => 1,
        "quarter" => 3,
        "year" => 12,
        _ => return None,
    };
    let first_month = match period {
        "month" => d.month(),
        "quarter" => (d.month() - 1) / 3 * 3 + 1,
        _ => 1,
    };
    let start = NaiveDate::from_ymd_opt(d.year(), first_month, 1)?;
    start.checked_add_months(Months::new(months))?.pred_opt()
}

impl Profile {
    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Result<Profile, String> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            format!(
                "unknown profile '{name}': use one of {}",
                BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        toml::from_str(text).map_err(|e| format!("profile {name}: {e}"))
    }

    /// The province's local date of a UTC time.
    pub fn local_date(&self, t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
        match chrono::FixedOffset::east_opt(self.utc_offset_hours * 3600) {
            Some(off) => t.with_timezone(&off).date_naive(),
            None => t.date_naive(),
        }
    }

    /// When a dataset of frequency `freq` (EU code) last updated on `last` must next be
    /// updated; `None` when its frequency sets no deadline.
    pub fn due(&self, freq: &str, last: NaiveDate) -> Option<Due> {
        let rule = self
            .deadlines
            .iter()
            .find(|r| r.frequencies.iter().any(|f| f == freq));
        let mut due = match rule {
            Some(r) if r.rule == "after_period" => Due {
                date: end_of_period(last, r.period.as_deref().unwrap_or("month"))?
                    + chrono::Duration::days(r.grace_days),
                basis: r.basis.clone(),
            },
            _ => {
                let (months, days) = period_of(freq)?;
                Due {
                    date: last.checked_add_months(Months::new(months))?
                        + chrono::Duration::days(days + rule.map(|r| r.grace_days).unwrap_or(0)),
                    basis: rule.map(|r| r.basis.clone()).unwrap_or_else(|| {
                        format!("{}: không quy định thời hạn — một chu kỳ cập nhật sau lần cập nhật gần nhất / no deadline in the regulation: one period after the last update", self.regulation)
                    }),
                }
            }
        };
        if let Some(m) = self.max_interval_months {
            let cap = last.checked_add_months(Months::new(m))?;
            if cap < due.date {
                due = Due {
                    date: cap,
                    basis: self.max_interval_basis.clone().unwrap_or_default(),
                };
            }
        }
        Some(due)
    }
}

pub use record::dates::vn_date;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn every_builtin_profile_parses_and_cites_its_basis() {
        for (name, _) in BUILTIN {
            let p = Profile::builtin(name).expect(name);
            assert_eq!(&p.name, name);
            assert!(p.deadlines.iter().all(|r| r.basis.contains("Điều")));
            assert!(p.reports.iter().all(|r| r.basis.contains("Điều")));
        }
        assert!(Profile::builtin("sai-gon").is_err());
    }

    #[test]
    fn province_rules_give_due_dates() {
        let nt = Profile::builtin("ninh-thuan").expect("nt");
        // monthly: 15 days after the month's end
        assert_eq!(
            nt.due("MONTHLY", d("2026-09-05")).expect("due").date,
            d("2026-10-15")
        );
        // quarterly: 30 days after the quarter's end
        assert_eq!(
            nt.due("QUARTERLY", d("2026-08-20")).expect("due").date,
            d("2026-10-30")
        );
        // yearly: 90 days after the year's end
        assert_eq!(
            nt.due("ANNUAL", d("2026-03-01")).expect("due").date,
            d("2027-03-31")
        );
        // other frequencies: one period
        assert_eq!(
            nt.due("WEEKLY", d("2026-11-01")).expect("due").date,
            d("2026-11-08")
        );
        assert!(nt.due("IRREG", d("2026-11-01")).is_none());
        let hue = Profile::builtin("hue").expect("hue");
        assert_eq!(
            hue.due("MONTHLY", d("2026-07-03")).expect("due").date,
            d("2026-10-15")
        );
        let bg = Profile::builtin("bac-giang").expect("bg");
        let due = bg.due("ANNUAL", d("2026-01-10")).expect("due");
        assert_eq!(due.date, d("2026-04-10"));
        assert!(due.basis.contains("03 tháng"));
        assert_eq!(vn_date(d("2026-04-10")), "10/04/2026");
    }
}
