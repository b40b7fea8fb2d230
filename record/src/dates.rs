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

/// `dd/mm/yyyy` of an instant (µs since the epoch), on Vietnam's calendar (UTC+7): what a
/// page shows for "changed on".
pub fn vn_day(micros: i64) -> String {
    let tz = chrono::FixedOffset::east_opt(VIETNAM_UTC_OFFSET_SECS).expect("UTC+7");
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|d| vn_date(d.with_timezone(&tz).date_naive()))
        .unwrap_or_default()
}

/// `dd/mm/yyyy` of an `xsd:date` or `xsd:dateTime` lexical value as descriptions write them
/// (`2024-05-01`, `2024-05-01T23:30:00Z`, a time with an offset: its day in Vietnam); `None`
/// for text that is not a date.
pub fn vn_day_of(lexical: &str) -> Option<String> {
    let s = lexical.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(vn_day(t.timestamp_micros()));
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(vn_date(t.date()));
    }
    let day = s.get(..10).unwrap_or(s);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .map(vn_date)
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

    #[test]
    fn days_on_pages_are_vietnamese_calendar_days() {
        // 23:30 UTC on 31 May is already 1 June in Vietnam.
        let late = parse_time("2024-05-31T23:30:00Z", false).expect("time");
        assert_eq!(vn_day(late), "01/06/2024");
        assert_eq!(
            vn_day_of("2024-05-31T23:30:00Z").as_deref(),
            Some("01/06/2024")
        );
        assert_eq!(
            vn_day_of("2024-05-31T23:30:00+07:00").as_deref(),
            Some("31/05/2024")
        );
        assert_eq!(vn_day_of("2024-05-31").as_deref(), Some("31/05/2024"));
        assert_eq!(
            vn_day_of("2024-05-31T10:00:00").as_deref(),
            Some("31/05/2024")
        );
        assert_eq!(vn_day_of("hằng năm"), None);
    }
}
