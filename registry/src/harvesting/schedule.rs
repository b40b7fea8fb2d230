//! When a source runs by itself: `manual`, an interval (`30m`, `6h`, `1d`, `every 6h`, ISO 8601
//! `PT6H`/`P1D`) or a cron expression (5 fields, or 6 with seconds), evaluated in Vietnam's time
//! zone (UTC+7, no daylight saving) so that `0 2 * * *` means 02:00 in the province.

use chrono::{DateTime, FixedOffset, Utc};
use std::str::FromStr;
use std::time::Duration;

/// A parsed schedule.
#[derive(Debug, Clone)]
pub enum Schedule {
    /// Only when someone asks.
    Manual,
    /// Every so often, counted from the last scheduled time.
    Every(Duration),
    /// At the times a cron expression names.
    Cron(Box<croner::Cron>),
}

fn iso_duration(s: &str) -> Option<Duration> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut secs = 0u64;
    let mut take = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
            } else {
                let mult = units.iter().find(|(u, _)| *u == c)?.1;
                secs += num.parse::<u64>().ok()? * mult;
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    take(date, &[('W', 604_800), ('D', 86_400)])?;
    take(time, &[('H', 3600), ('M', 60), ('S', 1)])?;
    (secs > 0).then(|| Duration::from_secs(secs))
}

impl Schedule {
    /// Parses a schedule; the error says which forms are accepted.
    pub fn parse(s: &str) -> Result<Schedule, String> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        if lower.is_empty() || lower == "manual" {
            return Ok(Schedule::Manual);
        }
        let named = match lower.as_str() {
            "@hourly" | "hourly" => Some("0 * * * *"),
            "@daily" | "@midnight" | "daily" => Some("0 0 * * *"),
            "@weekly" | "weekly" => Some("0 0 * * 0"),
            "@monthly" | "monthly" => Some("0 0 1 * *"),
            "@yearly" | "@annually" | "yearly" | "annually" => Some("0 0 1 1 *"),
            _ => None,
        };
        let interval = lower.strip_prefix("every ").unwrap_or(&lower).trim();
        if named.is_none() {
            if let Some(d) = iso_duration(&t.to_ascii_uppercase()) {
                return Self::checked(d);
            }
            if (!interval.contains(' ')
                || interval.split(' ').count() == 2 && !interval.contains('*'))
                && let Ok(d) = humantime::parse_duration(interval)
            {
                return Self::checked(d);
            }
        }
        let expr = named.unwrap_or(t);
        let fields = expr.split_whitespace().count();
        if fields == 5 || fields == 6 {
            let c = croner::Cron::from_str(expr)
                .map_err(|e| format!("invalid cron expression “{expr}”: {e}"))?;
            return Ok(Schedule::Cron(Box::new(c)));
        }
        Err(format!(
            "invalid schedule “{t}”: use manual, an interval (30m, 6h, 1d, every 6h, PT6H) or a cron expression (0 2 * * *)"
        ))
    }

    fn checked(d: Duration) -> Result<Schedule, String> {
        if d < Duration::from_secs(1) {
            return Err("a schedule interval must be at least one second".into());
        }
        Ok(Schedule::Every(d))
    }

    /// The next run after `now`; `None` for manual sources.
    pub fn next_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Schedule::Manual => None,
            Schedule::Every(d) => chrono::Duration::from_std(*d).ok().map(|d| now + d),
            Schedule::Cron(c) => {
                let tz = FixedOffset::east_opt(record::dates::VIETNAM_UTC_OFFSET_SECS)?;
                c.find_next_occurrence(&now.with_timezone(&tz), false)
                    .ok()
                    .map(|t| t.with_timezone(&Utc))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn schedules_parse_and_compute_next_runs() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
            .single()
            .expect("time");
        assert!(matches!(Schedule::parse("manual"), Ok(Schedule::Manual)));
        for (s, secs) in [
            ("6h", 21_600),
            ("every 30m", 1_800),
            ("PT6H", 21_600),
            ("P1D", 86_400),
            ("1day", 86_400),
        ] {
            let next = Schedule::parse(s).expect(s).next_after(now).expect("next");
            assert_eq!((next - now).num_seconds(), secs, "{s}");
        }
        // 02:00 in Vietnam is 19:00 UTC the day before.
        let next = Schedule::parse("0 2 * * *")
            .expect("cron")
            .next_after(now)
            .expect("next");
        assert_eq!(
            next,
            Utc.with_ymd_and_hms(2026, 11, 23, 19, 0, 0)
                .single()
                .expect("t")
        );
        assert!(Schedule::parse("@daily").is_ok() && Schedule::parse("weekly").is_ok());
        let err = Schedule::parse("sometimes").expect_err("bad");
        assert!(err.contains("sometimes"), "{err}");
        assert!(Schedule::parse("61 * * * *").is_err());
    }
}
