//! The current time and the calendar, in the forms the file formats store them: FILETIMEs
//! (100 ns ticks since 1601-01-01 UTC) and proleptic Gregorian dates.

/// Seconds from 1601-01-01 (the FILETIME epoch) to 1970-01-01 (the Unix epoch).
pub(crate) const FILETIME_UNIX_OFFSET_SECONDS: i64 = 11_644_473_600;

/// Current time as a FILETIME (100 ns since 1601).
pub(crate) fn now_filetime() -> u64 {
    let since_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    FILETIME_UNIX_OFFSET_SECONDS as u64 * 10_000_000 + since_unix.as_nanos() as u64 / 100
}

/// Year, month, day of a count of days since 1970-01-01 (H. Hinnant's algorithm).
pub(crate) fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a year, month and day: the inverse of [`civil_date`].
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(19_782), (2024, 2, 29));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
    }

    #[test]
    fn days_from_civil_inverts_civil_date() {
        for days in (-200_000..200_000).step_by(97) {
            let (y, m, d) = civil_date(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(
            days_from_civil(1601, 1, 1) * 86_400,
            -FILETIME_UNIX_OFFSET_SECONDS
        );
    }
}
