//! Dates and times as the registry reads and writes them: one rule for every day-valued
//! parameter (`modified_since`, report periods, audit exports), and one output format. Below
//! every other module: the store, quality, audit, feeds and the API all use it.

/// Vietnam's offset from UTC (no daylight saving): a day given as a date is that day here.
pub const VIETNAM_UTC_OFFSET_SECS: i32 = 7 * 3600;

/// RFC 3339 (UTC, milliseconds) from microseconds since the epoch.
pub fn rfc3339(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// A date (`YYYY-MM-DD`, the whole day in Vietnam's time zone, UTC+7) or an RFC 3339 time, as
/// microseconds; `end` gives the end of a day (exclusive) instead of its start.
pub fn parse_time(s: &str, end: bool) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_micros());
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| {
            format!("“{s}” is not a date (YYYY-MM-DD or dd/mm/yyyy) or an RFC 3339 time")
        })?;
    let d = if end { d.succ_opt().unwrap_or(d) } else { d };
    let tz = chrono::FixedOffset::east_opt(VIETNAM_UTC_OFFSET_SECS).ok_or("time zone")?;
    d.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(tz).single())
        .map(|t| t.timestamp_micros())
        .ok_or_else(|| format!("“{s}” is not a valid day"))
}

/// `dd/mm/yyyy`, the way dates are written in Vietnam.
pub fn vn_date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_in_vietnam_time() {
        // 1 July 2026 00:00 in Vietnam is 30 June 17:00 UTC.
        let start = parse_time("2026-07-01", false).expect("day");
        assert_eq!(start, parse_time("2026-06-30T17:00:00Z", false).expect("t"));
        let end = parse_time("01/07/2026", true).expect("day");
        assert_eq!(end - start, 86_400_000_000);
        assert!(parse_time("hôm qua", false).is_err());
    }

    #[test]
    fn times_are_written_in_utc_with_milliseconds() {
        assert_eq!(rfc3339(1_782_864_000_123_456), "2026-07-01T00:00:00.123Z");
    }
}
