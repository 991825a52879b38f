//! §5.1.1 "Dates": parsing a cookie-date (the value of the Expires attribute, §5.6.1).
//!
//! The algorithm is deliberately forgiving: the input is cut into date-tokens at delimiters, and
//! each token is tried, in order, as a time, a day-of-month, a month and a year; whatever does
//! not fit is ignored (weekday names, "GMT", time-zone offsets, garbage). Every step below is
//! labelled with its step number in draft-ietf-httpbis-rfc6265bis-22 §5.1.1.
//!
//! The parser works on raw bytes: any octet may appear in a header value, and non-ASCII or
//! control bytes are simply non-delimiters. It never allocates and never panics.

use crate::UnixTime;

/// Parses a cookie-date as §5.1.1 specifies and returns it as seconds since
/// 1970-01-01T00:00:00Z, or `None` when the algorithm fails.
///
/// The result always lies between 1601-01-01T00:00:00Z (`-11_644_473_600`, §5.1.1 step 5) and
/// 9999-12-31T23:59:59Z (`253_402_300_799`, the largest date a 4-digit year can name). Any
/// time-zone indication in the input is ignored: the spec reads every cookie-date as UTC
/// (§5.1.1 step 6).
///
/// ```
/// use reference_jar::date::parse_cookie_date;
/// assert_eq!(parse_cookie_date(b"Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
/// assert_eq!(parse_cookie_date(b"Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
/// assert_eq!(parse_cookie_date(b"Sun Nov  6 08:49:37 1994"), Some(784_111_777));
/// assert_eq!(parse_cookie_date(b"Feb 30 2024 00:00:00"), None);
/// ```
#[must_use]
pub fn parse_cookie_date(input: &[u8]) -> Option<UnixTime> {
    let mut fields = Fields::default();

    // §5.1.1 step 1: divide the cookie-date into date-tokens. A date-token is a maximal run of
    // non-delimiters; the empty pieces between adjacent delimiters (and before leading or after
    // trailing delimiters) are the `*delimiter` / `1*delimiter` of the grammar, not tokens.
    let tokens = input.split(|&b| is_delimiter(b)).filter(|token| !token.is_empty());

    // §5.1.1 step 2: process each date-token in order.
    for token in tokens {
        fields.process(token);
    }

    // §5.1.1 step 5 (first bullet): every one of the four flags must be set. Reading the values
    // through `Option` makes "flag set" and "value present" the same thing.
    let (hour, minute, second) = fields.time?;
    let day = fields.day_of_month?;
    let month = fields.month?;
    let mut year = fields.year?;

    // §5.1.1 step 3: a year-value of 70..=99 means 1970..=1999.
    // The spec speaks of the year-*value*, i.e. the number, not the number of digits, so a
    // 3- or 4-digit token with a small value is treated the same way: "099" and "0099" give
    // 1999, "070" gives 1970.
    if (70..=99).contains(&year) {
        year += 1900;
    }
    // §5.1.1 step 4: a year-value of 0..=69 means 2000..=2069 (again by value: "000", "0069"
    // give 2000 and 2069). Step 3 has already lifted 70..=99 out of this range, so the two steps
    // cannot both apply.
    if year <= 69 {
        year += 2000;
    }

    // §5.1.1 step 5 (remaining bullets): range checks. A year above 9999 cannot occur (the year
    // production allows at most 4 digits), nor can a month outside 1..=12 (it comes from a name).
    if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    // §5.1.1 step 6: the date must exist (no Feb 30, no Apr 31, Feb 29 only in leap years).
    if day > days_in_month(year, month) {
        return None;
    }

    // §5.1.1 step 7: return the parsed-cookie-date, here as Unix seconds (UTC).
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + i64::from(hour) * 3_600 + i64::from(minute) * 60 + i64::from(second))
}

/// The values collected by §5.1.1 step 2. `Some` is the found-* flag being set.
#[derive(Debug, Default)]
struct Fields {
    /// found-time, with hour-value, minute-value and second-value.
    time: Option<(u32, u32, u32)>,
    /// found-day-of-month, with day-of-month-value.
    day_of_month: Option<u32>,
    /// found-month, with month-value (1 = January).
    month: Option<u32>,
    /// found-year, with year-value (before the two-digit adjustments of steps 3 and 4).
    year: Option<u32>,
}

impl Fields {
    /// §5.1.1 step 2, sub-steps 1-4, for one date-token. Each production is tried only while its
    /// flag is not set, and the first production that matches consumes the token ("skip the
    /// remaining sub-steps"): so a token is never used twice, a second time-like token may be
    /// taken as a day-of-month or year, and a token of the form `NN` is a day-of-month before it
    /// can be a year.
    fn process(&mut self, token: &[u8]) {
        // §5.1.1 step 2.1: time.
        if self.time.is_none() {
            if let Some(hms) = match_time(token) {
                self.time = Some(hms);
                return;
            }
        }
        // §5.1.1 step 2.2: day-of-month.
        if self.day_of_month.is_none() {
            if let Some(day) = match_day_of_month(token) {
                self.day_of_month = Some(day);
                return;
            }
        }
        // §5.1.1 step 2.3: month.
        if self.month.is_none() {
            if let Some(month) = match_month(token) {
                self.month = Some(month);
                return;
            }
        }
        // §5.1.1 step 2.4: year.
        if self.year.is_none() {
            if let Some(year) = match_year(token) {
                self.year = Some(year);
            }
        }
    }
}

/// §5.1.1 step 1: `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
///
/// Every other octet is a `non-delimiter` (`%x00-08 / %x0A-1F / DIGIT / ":" / ALPHA / %x7F-FF`):
/// the two sets partition the 256 octets, so NUL, CR, LF, DEL and all bytes >= 0x80 are part of
/// date-tokens.
fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// Matches `min*maxDIGIT [ non-digit *OCTET ]` at the start of `s` and returns the number the
/// digits denote together with the rest of `s` after them.
///
/// Because `non-digit = %x00-2F / %x3A-FF` is exactly "not a DIGIT", the only way the grammar can
/// match is when the digit part is the *whole* leading run of digits (a shorter prefix would be
/// followed by a DIGIT, which is neither the end nor a non-digit). So the rule is: the leading
/// digit run must have between `min` and `max` digits; what follows is empty or starts with a
/// non-digit, and is the `[ non-digit *OCTET ]` tail, which is otherwise unconstrained.
///
/// At most `max + 1` digits are examined, so long digit runs cannot overflow.
fn leading_digits(s: &[u8], min: usize, max: usize) -> Option<(u32, &[u8])> {
    let run = s.iter().take(max + 1).take_while(|b| b.is_ascii_digit()).count();
    if run < min || run > max {
        return None;
    }
    let value = s[..run].iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    Some((value, &s[run..]))
}

/// §5.1.1 step 2.1, the `time` production:
/// `time = hms-time [ non-digit *OCTET ]`, `hms-time = time-field ":" time-field ":" time-field`,
/// `time-field = 1*2DIGIT`.
///
/// Returns the hour, minute and second values "denoted by the digits in the date-token"; digits
/// in the tail (as in `12:00:00x99`) are not part of hms-time and are ignored.
fn match_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let (hour, rest) = leading_digits(token, 1, 2)?;
    let rest = rest.strip_prefix(b":")?;
    let (minute, rest) = leading_digits(rest, 1, 2)?;
    let rest = rest.strip_prefix(b":")?;
    // The third time-field is followed by the optional `[ non-digit *OCTET ]` tail, which
    // `leading_digits` has already checked.
    let (second, _tail) = leading_digits(rest, 1, 2)?;
    Some((hour, minute, second))
}

/// §5.1.1 step 2.2, the `day-of-month` production: `1*2DIGIT [ non-digit *OCTET ]`.
///
/// So `1`, `01`, `01jan` and `7:` are days of month (the value being the leading digits);
/// `001` is not.
fn match_day_of_month(token: &[u8]) -> Option<u32> {
    leading_digits(token, 1, 2).map(|(day, _tail)| day)
}

/// §5.1.1 step 2.3, the `month` production:
/// `( "jan" / "feb" / ... / "dec" ) *OCTET`.
///
/// ABNF string literals are case-insensitive (RFC 5234 §2.3), so the first three octets are
/// compared ASCII-case-insensitively; the rest of the token is unconstrained ("January",
/// "janxyz", "JAN\xff" all mean January).
fn match_month(token: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] =
        [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    let prefix = token.get(..3)?;
    // `position` is at most 11, so the conversion to a 1-based month cannot fail.
    MONTHS
        .iter()
        .position(|name| prefix.eq_ignore_ascii_case(&name[..]))
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// §5.1.1 step 2.4, the `year` production: `2*4DIGIT [ non-digit *OCTET ]`.
///
/// So `94`, `1994`, `1994x` are years; `1` and `12345` are not.
fn match_year(token: &[u8]) -> Option<u32> {
    leading_digits(token, 2, 4).map(|(year, _tail)| year)
}

/// Gregorian leap-year rule: every 4th year, except centuries, except every 4th century.
fn is_leap_year(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Number of days in `month` (1..=12) of `year`, for §5.1.1 step 6 ("if no such date exists").
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        // Unreachable for months produced by `match_month`; 0 makes any day fail step 6.
        _ => 0,
    }
}

/// Days since 1970-01-01 of the (proleptic Gregorian) date `year`-`month`-`day`, for a date that
/// already passed §5.1.1 steps 5 and 6 (year 1601..=9999, valid month and day).
///
/// Counts whole days from 0001-01-01: 365 per completed year, plus one per completed leap year,
/// plus the days of the completed months of this year, plus the completed days of this month;
/// then subtracts the same count for 1970-01-01 (719 162 days).
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    /// Days before the first of each month in a common year.
    const DAYS_BEFORE_MONTH: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    /// `days_since_0001(1970, 1, 1)`.
    const UNIX_EPOCH_DAYS: i64 = 719_162;

    let completed_years = i64::from(year) - 1;
    let leap_days = completed_years / 4 - completed_years / 100 + completed_years / 400;
    let month_index = usize::try_from(month.saturating_sub(1)).unwrap_or(0).min(11);
    let mut day_of_year = DAYS_BEFORE_MONTH[month_index] + i64::from(day) - 1;
    if month > 2 && is_leap_year(year) {
        day_of_year += 1;
    }
    completed_years * 365 + leap_days + day_of_year - UNIX_EPOCH_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Option<UnixTime> {
        parse_cookie_date(s.as_bytes())
    }

    /// Independent oracle for tests: Unix seconds of a UTC date by counting days year by year
    /// and month by month (slow, but obviously right).
    fn naive_unix(y: u32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        let year_len = |y: u32| if is_leap_year(y) { 366i64 } else { 365 };
        let month_len = |y: u32, m: u32| -> i64 {
            match m {
                2 => {
                    if is_leap_year(y) {
                        29
                    } else {
                        28
                    }
                }
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            }
        };
        let mut days = 0i64;
        if y >= 1970 {
            for year in 1970..y {
                days += year_len(year);
            }
        } else {
            for year in y..1970 {
                days -= year_len(year);
            }
        }
        for month in 1..m {
            days += month_len(y, month);
        }
        days += i64::from(d) - 1;
        days * 86_400 + i64::from(h) * 3_600 + i64::from(mi) * 60 + i64::from(s)
    }

    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTH_NAMES: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// Formats a date as RFC 1123 / IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    fn rfc1123(y: u32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> String {
        let days = naive_unix(y, m, d, 0, 0, 0).div_euclid(86_400);
        let weekday = WEEKDAYS[usize::try_from(days.rem_euclid(7)).unwrap()];
        let month = MONTH_NAMES[usize::try_from(m - 1).unwrap()];
        format!("{weekday}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT")
    }

    // ---- reference values -------------------------------------------------------------------

    #[test]
    fn epoch_and_known_instants() {
        assert_eq!(parse("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse("Wed, 31 Dec 1969 23:59:59 GMT"), Some(-1));
        assert_eq!(parse("Sat, 01 Jan 2000 00:00:00 GMT"), Some(946_684_800));
        assert_eq!(parse("Tue, 19 Jan 2038 03:14:08 GMT"), Some(2_147_483_648));
        assert_eq!(parse("Mon, 01 Jan 1601 00:00:00 GMT"), Some(-11_644_473_600));
        assert_eq!(parse("Fri, 31 Dec 9999 23:59:59 GMT"), Some(253_402_300_799));
    }

    #[test]
    fn days_from_civil_matches_oracle_on_month_starts() {
        for y in [1601, 1699, 1700, 1900, 1969, 1970, 1999, 2000, 2024, 2100, 2400, 9999] {
            for m in 1..=12 {
                assert_eq!(days_from_civil(y, m, 1) * 86_400, naive_unix(y, m, 1, 0, 0, 0), "{y}-{m}");
            }
        }
    }

    // ---- the three classic formats and odd layouts -----------------------------------------

    #[test]
    fn rfc1123_rfc850_asctime() {
        let expected = Some(784_111_777);
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), expected);
    }

    #[test]
    fn odd_layouts() {
        assert_eq!(parse("Thu, 01-Jan-1970 00:00:01 GMT"), Some(1));
        assert_eq!(parse("1 jan 2020 0:0:0"), Some(1_577_836_800));
        assert_eq!(parse("2020 jan 1 0:0:0"), Some(1_577_836_800));
        assert_eq!(parse("0:0:0 2020 1 JANUARY"), Some(1_577_836_800));
        assert_eq!(parse("2020/01/01 00:00:00"), None, "a numeric month is not a month");
        assert_eq!(parse("jan/1/2020@0:0:0"), Some(1_577_836_800));
        // Time zones are not part of the grammar: the date is UTC whatever follows.
        assert_eq!(parse("01 Jan 2020 00:00:00 +0500"), Some(1_577_836_800));
        assert_eq!(parse("01 Jan 2020 00:00:00 PST"), Some(1_577_836_800));
    }

    #[test]
    fn leading_and_trailing_delimiters() {
        assert_eq!(parse("  ,;01 Jan 2020 00:00:00;; "), Some(1_577_836_800));
        assert_eq!(parse("\t01\tJan\t2020\t00:00:00\t"), Some(1_577_836_800));
    }

    #[test]
    fn empty_and_delimiter_only_inputs() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("   "), None);
        assert_eq!(parse(",;/-"), None);
    }

    // ---- §5.1.1 step 1: delimiters ----------------------------------------------------------

    /// The delimiter set exactly as the ABNF writes it, for comparison.
    fn abnf_delimiter(b: u8) -> bool {
        b == 0x09 || (0x20..=0x2F).contains(&b) || (0x3B..=0x40).contains(&b)
            || (0x5B..=0x60).contains(&b) || (0x7B..=0x7E).contains(&b)
    }

    fn abnf_non_delimiter(b: u8) -> bool {
        (0x00..=0x08).contains(&b) || (0x0A..=0x1F).contains(&b) || b.is_ascii_digit() || b == b':'
            || b.is_ascii_alphabetic() || b >= 0x7F
    }

    #[test]
    fn delimiter_and_non_delimiter_partition_all_octets() {
        for b in 0..=255u8 {
            assert_eq!(is_delimiter(b), abnf_delimiter(b), "byte {b:#04x}");
            assert_ne!(abnf_delimiter(b), abnf_non_delimiter(b), "byte {b:#04x}");
        }
    }

    #[test]
    fn every_octet_as_the_only_separator() {
        // Only a delimiter splits "01?Jan?2020?00:00:00" into four tokens; any other octet
        // leaves a single token, which can supply at most one of the four components.
        for b in 0..=255u8 {
            let mut input = Vec::new();
            for (i, part) in [&b"01"[..], b"Jan", b"2020", b"00:00:00"].iter().enumerate() {
                if i > 0 {
                    input.push(b);
                }
                input.extend_from_slice(part);
            }
            let expected = if abnf_delimiter(b) { Some(1_577_836_800) } else { None };
            assert_eq!(parse_cookie_date(&input), expected, "separator {b:#04x}");
        }
    }

    #[test]
    fn each_delimiter_class() {
        let expected = Some(1_577_836_800);
        assert_eq!(parse("01\tJan\t2020\t00:00:00"), expected, "%x09");
        assert_eq!(parse("01 Jan!2020/00:00:00"), expected, "%x20-2F");
        assert_eq!(parse("01;Jan@2020=00:00:00"), expected, "%x3B-40");
        assert_eq!(parse("01[Jan`2020\\00:00:00"), expected, "%x5B-60");
        assert_eq!(parse("01{Jan~2020|00:00:00"), expected, "%x7B-7E");
    }

    #[test]
    fn nul_and_controls_are_not_delimiters() {
        // NUL glues "01" and "Jan" into one token: a day-of-month with a tail, and no month.
        assert_eq!(parse_cookie_date(b"01\x00Jan 2020 00:00:00"), None);
        // As a tail it is harmless.
        assert_eq!(parse_cookie_date(b"01\x00 Jan 2020\x00 00:00:00\x00"), Some(1_577_836_800));
        // A token that starts with NUL is none of the productions.
        assert_eq!(parse_cookie_date(b"\x0001 Jan 2020 00:00:00"), None);
        // CR, LF and DEL are non-delimiters too.
        assert_eq!(parse_cookie_date(b"01\rJan 2020 00:00:00"), None);
        assert_eq!(parse_cookie_date(b"01\nJan 2020 00:00:00"), None);
        assert_eq!(parse_cookie_date(b"01\x7fJan 2020 00:00:00"), None);
    }

    #[test]
    fn non_utf8_bytes_in_tokens() {
        assert_eq!(parse_cookie_date(b"01\xff Jan\xfe 2020\xc3 00:00:00\x80"), Some(1_577_836_800));
        // A high byte before the month name hides it.
        assert_eq!(parse_cookie_date(b"01 \xffJan 2020 00:00:00"), None);
        // High bytes are not folded by case-insensitive matching.
        assert_eq!(parse_cookie_date(b"01 J\xc3\xa1n 2020 00:00:00"), None);
        // Unrelated non-UTF-8 tokens are ignored.
        assert_eq!(parse_cookie_date(b"\xff\xfe 01 Jan 2020 00:00:00 \x80"), Some(1_577_836_800));
    }

    // ---- §5.1.1 step 2.1: time ---------------------------------------------------------------

    #[test]
    fn time_production() {
        let base = 1_577_836_800;
        assert_eq!(parse("01 Jan 2020 1:2:3"), Some(base + 3_723));
        assert_eq!(parse("01 Jan 2020 01:02:03"), Some(base + 3_723));
        assert_eq!(parse("01 Jan 2020 12:00:00xyz"), Some(base + 43_200), "non-digit tail");
        assert_eq!(parse("01 Jan 2020 12:00:00x99"), Some(base + 43_200), "tail digits ignored");
        assert_eq!(parse("01 Jan 2020 12:00:00:59"), Some(base + 43_200), "':' starts a tail");
        assert_eq!(parse("01 Jan 2020 12:00:00Z"), Some(base + 43_200));
    }

    #[test]
    fn not_a_time() {
        // Three digits in any field: not a time. "123:00:00" is not a day-of-month either (three
        // digits) but is a year ("123" -> 123, which step 5 later rejects if it is the year).
        assert_eq!(parse("01 Jan 2020 123:00:00"), None);
        assert_eq!(parse("01 Jan 2020 12:000:00"), None);
        assert_eq!(parse("01 Jan 2020 12:00:000"), None);
        // Missing fields.
        assert_eq!(parse("01 Jan 2020 12:00"), None);
        assert_eq!(parse("01 Jan 2020 12::00"), None);
        assert_eq!(parse("01 Jan 2020 12:00:"), None);
        assert_eq!(parse("01 Jan 2020 :12:00:00"), None);
        assert_eq!(parse("01 Jan 2020 12:0a:00"), None);
    }

    #[test]
    fn time_tokens_failing_time_become_day_of_month() {
        // "12:00:000" is not a time but is a day-of-month ("12" + non-digit tail); with the day
        // already taken by it, "05" then becomes the year 2005 and "2020" is left over.
        assert_eq!(parse("Jan 12:00:000 05 2020"), None, "no time");
        assert_eq!(parse("Jan 12:30 2020 00:00:00"), Some(naive_unix(2020, 1, 12, 0, 0, 0)));
    }

    #[test]
    fn second_time_token_is_not_a_time() {
        // found-time is set by the first one; the second one is then tried as a day-of-month
        // ("13" followed by the non-digit ":").
        assert_eq!(parse("Jan 2020 12:00:00 13:00:00"), Some(naive_unix(2020, 1, 13, 12, 0, 0)));
        // ... or, with the day known, as a year: "13:00:00" is "13" + tail -> 2013.
        assert_eq!(parse("01 Jan 12:00:00 13:00:00"), Some(naive_unix(2013, 1, 1, 12, 0, 0)));
        // ... or ignored once all four are set.
        assert_eq!(parse("01 Jan 2020 12:00:00 13:00:00"), Some(naive_unix(2020, 1, 1, 12, 0, 0)));
    }

    // ---- §5.1.1 step 2.2: day-of-month ------------------------------------------------------

    #[test]
    fn day_of_month_production() {
        assert_eq!(parse("Jan 7 2020 00:00:00"), Some(naive_unix(2020, 1, 7, 0, 0, 0)));
        assert_eq!(parse("Jan 07 2020 00:00:00"), Some(naive_unix(2020, 1, 7, 0, 0, 0)));
        assert_eq!(parse("Jan 07th 2020 00:00:00"), Some(naive_unix(2020, 1, 7, 0, 0, 0)));
        assert_eq!(parse("Jan 07\u{7f} 2020 00:00:00"), Some(naive_unix(2020, 1, 7, 0, 0, 0)));
    }

    #[test]
    fn three_digit_token_is_not_a_day_of_month() {
        // "007" is a year (7 -> 2007), not a day; "2020" is then neither; so no day.
        assert_eq!(parse("Jan 007 2020 00:00:00"), None);
        // With a real day elsewhere, "007" is the year.
        assert_eq!(parse("Jan 007 15 00:00:00"), Some(naive_unix(2007, 1, 15, 0, 0, 0)));
    }

    #[test]
    fn day_of_month_with_glued_month_is_only_a_day() {
        // "01jan" matches day-of-month (tail "jan"), so it cannot also supply the month.
        assert_eq!(parse("01jan 2020 00:00:00"), None);
        assert_eq!(parse("01jan feb 2020 00:00:00"), Some(naive_unix(2020, 2, 1, 0, 0, 0)));
    }

    #[test]
    fn day_of_month_before_year() {
        // Sub-step 2.2 comes before 2.4: the first 1-2 digit token is the day, even if it was
        // meant as a year.
        assert_eq!(parse("Jan 15 20 00:00:00"), Some(naive_unix(2020, 1, 15, 0, 0, 0)));
        assert_eq!(parse("Jan 20 15 00:00:00"), Some(naive_unix(2015, 1, 20, 0, 0, 0)));
        // "94" is taken as the day (out of range: step 5 fails), "06" then as the year.
        assert_eq!(parse("94 Nov 06 08:49:37"), None);
        // A 4-digit year first does not take the day slot.
        assert_eq!(parse("2020 Jan 15 00:00:00"), Some(naive_unix(2020, 1, 15, 0, 0, 0)));
    }

    // ---- §5.1.1 step 2.3: month ------------------------------------------------------------

    #[test]
    fn all_twelve_months() {
        for (i, name) in MONTH_NAMES.iter().enumerate() {
            let m = u32::try_from(i + 1).unwrap();
            let expected = Some(naive_unix(2020, m, 1, 0, 0, 0));
            assert_eq!(parse(&format!("01 {name} 2020 00:00:00")), expected, "{name}");
            assert_eq!(parse(&format!("01 {} 2020 00:00:00", name.to_uppercase())), expected);
            assert_eq!(parse(&format!("01 {} 2020 00:00:00", name.to_lowercase())), expected);
        }
    }

    #[test]
    fn month_prefix_with_any_tail() {
        let expected = Some(naive_unix(2020, 1, 1, 0, 0, 0));
        assert_eq!(parse("01 janxyz 2020 00:00:00"), expected);
        assert_eq!(parse("01 January 2020 00:00:00"), expected);
        assert_eq!(parse("01 jAn1 2020 00:00:00"), expected);
        assert_eq!(parse_cookie_date(b"01 jan\xff\x00 2020 00:00:00"), expected);
    }

    #[test]
    fn not_a_month() {
        assert_eq!(parse("01 ja 2020 00:00:00"), None);
        assert_eq!(parse("01 xjan 2020 00:00:00"), None);
        assert_eq!(parse("01 j4n 2020 00:00:00"), None);
        assert_eq!(parse("01 1 2020 00:00:00"), None);
    }

    #[test]
    fn first_month_wins() {
        assert_eq!(parse("01 Feb Mar 2020 00:00:00"), Some(naive_unix(2020, 2, 1, 0, 0, 0)));
    }

    // ---- §5.1.1 step 2.4: year -------------------------------------------------------------

    #[test]
    fn year_production() {
        assert_eq!(parse("01 Jan 2020x 00:00:00"), Some(1_577_836_800), "non-digit tail");
        assert_eq!(parse("01 Jan 2020:5 00:00:00"), Some(1_577_836_800));
        // 5+ digits: not a year.
        assert_eq!(parse("01 Jan 1234567 00:00:00"), None);
        assert_eq!(parse("01 Jan 02020 00:00:00"), None);
        // 1 digit: not a year (and the day is already taken).
        assert_eq!(parse("01 Jan 7 00:00:00"), None);
    }

    #[test]
    fn first_year_wins() {
        assert_eq!(parse("01 Jan 2020 2021 00:00:00"), Some(1_577_836_800));
    }

    // ---- §5.1.1 steps 3 and 4: two-digit years ------------------------------------------

    #[test]
    fn two_digit_year_boundaries() {
        assert_eq!(parse("01 Jan 69 00:00:00"), Some(naive_unix(2069, 1, 1, 0, 0, 0)));
        assert_eq!(parse("01 Jan 70 00:00:00"), Some(naive_unix(1970, 1, 1, 0, 0, 0)));
        assert_eq!(parse("01 Jan 00 00:00:00"), Some(naive_unix(2000, 1, 1, 0, 0, 0)));
        assert_eq!(parse("01 Jan 99 00:00:00"), Some(naive_unix(1999, 1, 1, 0, 0, 0)));
    }

    #[test]
    fn short_year_values_written_with_more_digits() {
        // Steps 3 and 4 look at the value, not the digit count.
        assert_eq!(parse("01 Jan 099 00:00:00"), Some(naive_unix(1999, 1, 1, 0, 0, 0)));
        assert_eq!(parse("01 Jan 0099 00:00:00"), Some(naive_unix(1999, 1, 1, 0, 0, 0)));
        assert_eq!(parse("01 Jan 070 00:00:00"), Some(naive_unix(1970, 1, 1, 0, 0, 0)));
        assert_eq!(parse("01 Jan 069 00:00:00"), Some(naive_unix(2069, 1, 1, 0, 0, 0)));
        assert_eq!(parse("01 Jan 0000 00:00:00"), Some(naive_unix(2000, 1, 1, 0, 0, 0)));
        // 100..=1600 are left alone and then fail step 5.
        assert_eq!(parse("01 Jan 100 00:00:00"), None);
        assert_eq!(parse("01 Jan 0100 00:00:00"), None);
    }

    // ---- §5.1.1 step 5: flags and ranges -------------------------------------------------

    #[test]
    fn missing_each_component() {
        assert_eq!(parse("01 Jan 2020"), None, "no time");
        assert_eq!(parse("Jan 2020 00:00:00"), None, "no day-of-month");
        assert_eq!(parse("01 2020 00:00:00"), None, "no month");
        assert_eq!(parse("01 Jan 00:00:00"), None, "no year");
        assert_eq!(parse("01 Jan 2020 00:00:00"), Some(1_577_836_800), "control");
    }

    #[test]
    fn day_range() {
        assert_eq!(parse("00 Jan 2020 00:00:00"), None);
        assert_eq!(parse("01 Jan 2020 00:00:00"), Some(naive_unix(2020, 1, 1, 0, 0, 0)));
        assert_eq!(parse("31 Jan 2020 00:00:00"), Some(naive_unix(2020, 1, 31, 0, 0, 0)));
        assert_eq!(parse("32 Jan 2020 00:00:00"), None);
        assert_eq!(parse("99 Jan 2020 00:00:00"), None);
    }

    #[test]
    fn year_range() {
        assert_eq!(parse("01 Jan 1600 00:00:00"), None);
        assert_eq!(parse("31 Dec 1600 23:59:59"), None);
        assert_eq!(parse("01 Jan 1601 00:00:00"), Some(-11_644_473_600));
        assert_eq!(parse("31 Dec 9999 23:59:59"), Some(253_402_300_799));
    }

    #[test]
    fn hour_minute_second_ranges() {
        let base = 1_577_836_800;
        assert_eq!(parse("01 Jan 2020 23:00:00"), Some(base + 23 * 3600));
        assert_eq!(parse("01 Jan 2020 24:00:00"), None);
        assert_eq!(parse("01 Jan 2020 00:59:00"), Some(base + 59 * 60));
        assert_eq!(parse("01 Jan 2020 00:60:00"), None);
        assert_eq!(parse("01 Jan 2020 00:00:59"), Some(base + 59));
        assert_eq!(parse("01 Jan 2020 00:00:60"), None, "no leap seconds");
        assert_eq!(parse("01 Jan 2020 99:99:99"), None);
    }

    // ---- §5.1.1 step 6: the date must exist ----------------------------------------------

    #[test]
    fn leap_years() {
        assert_eq!(parse("29 Feb 2000 00:00:00"), Some(naive_unix(2000, 2, 29, 0, 0, 0)));
        assert_eq!(parse("29 Feb 1900 00:00:00"), None);
        assert_eq!(parse("29 Feb 2024 00:00:00"), Some(naive_unix(2024, 2, 29, 0, 0, 0)));
        assert_eq!(parse("29 Feb 2100 00:00:00"), None);
        assert_eq!(parse("29 Feb 2023 00:00:00"), None);
        assert_eq!(parse("29 Feb 1604 00:00:00"), Some(naive_unix(1604, 2, 29, 0, 0, 0)));
        assert_eq!(parse("01 Mar 2024 00:00:00"), Some(naive_unix(2024, 2, 29, 0, 0, 0) + 86_400));
    }

    #[test]
    fn nonexistent_dates() {
        assert_eq!(parse("30 Feb 2024 00:00:00"), None);
        assert_eq!(parse("31 Feb 2024 00:00:00"), None);
        assert_eq!(parse("31 Apr 2024 00:00:00"), None);
        assert_eq!(parse("30 Apr 2024 00:00:00"), Some(naive_unix(2024, 4, 30, 0, 0, 0)));
    }

    #[test]
    fn last_day_of_every_month() {
        for year in [2023u32, 2024] {
            for m in 1..=12u32 {
                let last = days_in_month(year, m);
                let name = MONTH_NAMES[usize::try_from(m - 1).unwrap()];
                assert_eq!(
                    parse(&format!("{last} {name} {year} 00:00:00")),
                    Some(naive_unix(year, m, last, 0, 0, 0)),
                    "{year}-{m}-{last}"
                );
                if last < 31 {
                    assert_eq!(parse(&format!("{} {name} {year} 00:00:00", last + 1)), None);
                }
            }
        }
    }

    // ---- robustness ---------------------------------------------------------------------

    #[test]
    fn long_digit_runs_do_not_overflow() {
        let long = "9".repeat(10_000);
        assert_eq!(parse(&format!("{long} Jan 2020 00:00:00")), None);
        assert_eq!(parse(&format!("01 Jan 2020 00:00:00 {long}")), Some(1_577_836_800));
        assert_eq!(parse(&format!("{long}:{long}:{long}")), None);
    }

    fn date_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
        // Biased towards the interesting octets so that all productions are reached.
        let byte = prop_oneof![
            4 => prop::sample::select(b"0123456789".to_vec()),
            2 => prop::sample::select(b": ,-\t".to_vec()),
            2 => prop::sample::select(b"janfebmrpyulgsoctvdJANDECxZ".to_vec()),
            1 => any::<u8>(),
        ];
        prop::collection::vec(byte, 0..40)
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_cookie_date(&input);
        }

        #[test]
        fn never_panics_and_is_deterministic_on_date_ish_bytes(input in date_ish_bytes()) {
            let first = parse_cookie_date(&input);
            prop_assert_eq!(first, parse_cookie_date(&input));
            if let Some(t) = first {
                prop_assert!((-11_644_473_600..=253_402_300_799).contains(&t));
            }
        }

        #[test]
        fn deterministic(input in prop::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(parse_cookie_date(&input), parse_cookie_date(&input));
        }

        #[test]
        fn rfc1123_round_trip(
            y in 1601u32..=9999,
            m in 1u32..=12,
            d in 1u32..=31,
            h in 0u32..=23,
            mi in 0u32..=59,
            s in 0u32..=59,
        ) {
            let d = d.min(days_in_month(y, m));
            let text = rfc1123(y, m, d, h, mi, s);
            prop_assert_eq!(parse(&text), Some(naive_unix(y, m, d, h, mi, s)), "{}", text);
        }

        #[test]
        fn component_order_and_case_do_not_matter(
            y in 1601u32..=9999,
            m in 1u32..=12,
            d in 1u32..=31,
            h in 0u32..=23,
            mi in 0u32..=59,
            s in 0u32..=59,
            order in Just([0usize, 1, 2, 3]).prop_shuffle(),
            upper in any::<bool>(),
        ) {
            // With a 4-digit year and the day written with 1-2 digits, every permutation means
            // the same date: the time is recognised by its colons, the month by its name, the
            // day is the only 1-2 digit token and the year the only 4-digit one.
            let d = d.min(days_in_month(y, m));
            let name = MONTH_NAMES[usize::try_from(m - 1).unwrap()];
            let name = if upper { name.to_uppercase() } else { name.to_lowercase() };
            let parts = [format!("{h}:{mi}:{s}"), format!("{d}"), name, format!("{y:04}")];
            let text = order.iter().map(|&i| parts[i].as_str()).collect::<Vec<_>>().join(" ");
            prop_assert_eq!(parse(&text), Some(naive_unix(y, m, d, h, mi, s)), "{}", text);
        }
    }
}
