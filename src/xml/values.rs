//! Numbers and timestamps read from XML text byte by byte: the shapes GPS
//! files write (`37.2417`, `-121.97`, `2017-07-29T14:46:35.000Z`) without
//! the general parsers (`str::parse::<f64>`, chrono's RFC 3339 and format
//! parsers), which were a quarter of parsing a GPX file. Anything outside
//! those shapes goes to the general parsers, so every input gives the same
//! result as before, and the fast paths are exact (tested against them).

use chrono::{DateTime, NaiveDateTime};

/// Whitespace both `str::trim` and this module skip. Others (vertical tab,
/// no-break space) send the text to the general parser, which trims them.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

fn trim_blank(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| !is_blank(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|&b| !is_blank(b)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// Every power of ten an `f64` holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];
/// Integers up to this are exact in an `f64`.
const MAX_EXACT_MANTISSA: u64 = 1 << 53;

/// The text as a finite number, or `None` if empty or not a number.
pub fn parse_number(s: &str) -> Option<f64> {
    number_in(s.as_bytes())
}

/// [`parse_number`] of text as bytes (not UTF-8: `None`), for a scanner
/// that has them checked already and would only pay to convert them.
pub fn number_in(bytes: &[u8]) -> Option<f64> {
    fast_decimal(trim_blank(bytes))
        .or_else(|| std::str::from_utf8(bytes).ok()?.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// `[+-]digits[.digits]` whose value an `f64` holds exactly or reaches in
/// one correctly rounded step, computed as the general parser would:
/// - up to 2^53 once the point is dropped, with at most 22 digits after it:
///   the integer and the power of ten are exact, and one IEEE division
///   rounds correctly (Clinger's fast path);
/// - an exact binary fraction written out in full, as Garmin writes
///   positions (`37.24173816852271556854248046875` is an integer over
///   2^29): the digits over 5^f leave an integer below 2^53 and no
///   remainder, so the value is that integer over 2^f, exactly.
///
/// `None` for everything else, which then goes to the general parser.
fn fast_decimal(s: &[u8]) -> Option<f64> {
    let (negative, body) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    let (whole, fraction) = match body.iter().position(|&b| b == b'.') {
        Some(point) => (&body[..point], &body[point + 1..]),
        None => (body, &[][..]),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let leading_zeros = whole.iter().chain(fraction).take_while(|&&b| b == b'0').count();
    if whole.len() + fraction.len() - leading_zeros > MAX_DIGITS as usize {
        return None;
    }
    let mantissa = append_digits(append_digits(0, whole)?, fraction)?;
    let value = exact_quotient(mantissa, u32::try_from(fraction.len()).ok()?)?;
    Some(if negative { -value } else { value })
}

/// `mantissa` with the decimal `digits` appended; `None` if one is not a
/// digit. The caller keeps the total within `MAX_DIGITS`.
fn append_digits(mut mantissa: u128, digits: &[u8]) -> Option<u128> {
    let mut eights = digits.chunks_exact(8);
    for chunk in &mut eights {
        let chunk: &[u8; 8] = chunk.try_into().ok()?;
        mantissa = mantissa * 100_000_000 + u128::from(eight_digits(u64::from_le_bytes(*chunk))?);
    }
    for &b in eights.remainder() {
        if !b.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa * 10 + u128::from(b - b'0');
    }
    Some(mantissa)
}

/// Eight ASCII digits (read little-endian) as their value, all at once
/// (the SWAR method of simdjson and `fast_float`); `None` unless all are digits.
fn eight_digits(ascii: u64) -> Option<u32> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    let all_digits =
        (ascii.wrapping_add(0x4646_4646_4646_4646) | ascii.wrapping_sub(ZEROS)) & 0x8080_8080_8080_8080 == 0;
    if !all_digits {
        return None;
    }
    let v = ascii - ZEROS;
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let pairs = 0x0000_00FF_0000_00FF;
    let v = ((v & pairs).wrapping_mul(100 + (1_000_000 << 32)))
        .wrapping_add(((v >> 16) & pairs).wrapping_mul(1 + (10_000 << 32)))
        >> 32;
    u32::try_from(v & 0xFFFF_FFFF).ok()
}

/// Significant digits a `u128` always holds.
const MAX_DIGITS: u32 = 38;

/// `mantissa / 10^fraction_digits` when it is computed exactly or with a
/// single correct rounding (see [`fast_decimal`]).
fn exact_quotient(mantissa: u128, fraction_digits: u32) -> Option<f64> {
    let max_exact = u128::from(MAX_EXACT_MANTISSA);
    if mantissa <= max_exact && (fraction_digits as usize) < POW10.len() {
        // Exact: below 2^53.
        return Some(u64::try_from(mantissa).ok()? as f64 / POW10[fraction_digits as usize]);
    }
    let units = exact_units(mantissa, fraction_digits)?;
    // Both exact: an integer below 2^53 over a power of two up to 2^38.
    Some(u64::try_from(units).ok()? as f64 / (1u64 << fraction_digits) as f64)
}

/// `mantissa / 5^f` when it divides exactly and stays within 2^53, without
/// a 128-bit division (a library call of a few hundred instructions, the
/// largest cost of reading a Garmin position): multiplying by the inverse
/// of 5^f modulo 2^128 gives the quotient of an exact division, and only
/// then does multiplying back give the mantissa again.
/// `None` beyond `MAX_DIGITS` fraction digits.
fn exact_units(mantissa: u128, f: u32) -> Option<u128> {
    let (five_power, inverse) = *FIVE_POWERS.get(f as usize)?;
    let units = mantissa.wrapping_mul(inverse);
    (units <= u128::from(MAX_EXACT_MANTISSA) && units.checked_mul(five_power) == Some(mantissa)).then_some(units)
}

/// 5^f and its inverse modulo 2^128, for every f up to `MAX_DIGITS`
/// (5^38 < 2^89).
const FIVE_POWERS: [(u128, u128); MAX_DIGITS as usize + 1] = five_powers();

const fn five_powers() -> [(u128, u128); MAX_DIGITS as usize + 1] {
    let mut out = [(0u128, 0u128); MAX_DIGITS as usize + 1];
    let mut f = 0;
    let mut power = 1u128;
    while f <= MAX_DIGITS as usize {
        // Newton's iteration for an odd number's inverse: the correct low
        // bits double each step (3 bits to start, 128 after six steps).
        let mut inverse = power;
        let mut step = 0;
        while step < 6 {
            inverse = inverse.wrapping_mul(2u128.wrapping_sub(power.wrapping_mul(inverse)));
            step += 1;
        }
        out[f] = (power, inverse);
        power = power.wrapping_mul(5);
        f += 1;
    }
    out
}

/// ISO 8601 / RFC 3339 time as epoch milliseconds. Times without an offset
/// are taken as UTC, which is what GPX and TCX prescribe.
pub fn parse_time_ms(s: &str) -> Option<i64> {
    time_ms_in(s.as_bytes())
}

/// [`parse_time_ms`] of text as bytes (not UTF-8: `None`).
pub fn time_ms_in(bytes: &[u8]) -> Option<i64> {
    if let Ok(ms) = fast_time_ms(trim_blank(bytes)) {
        return ms;
    }
    let s = std::str::from_utf8(bytes).ok()?.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

/// Text the fast time path leaves to the general parsers.
struct OtherLayout;

/// `YYYY-MM-DDTHH:MM:SS[.fraction]` then `Z`, `+HH:MM`, `-HH:MM` or
/// nothing (UTC), the layout every GPS file uses. `Ok(None)` when that
/// layout holds an impossible date or time (chrono refuses it too);
/// `Err` when the text has another layout, a leap second or more than
/// nine fraction digits, for the general parsers to decide.
fn fast_time_ms(s: &[u8]) -> Result<Option<i64>, OtherLayout> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', n0, n1, b':', s0, s1, rest @ ..] = s else {
        return Err(OtherLayout);
    };
    let number = |ascii: &[u8]| digits(ascii).ok_or(OtherLayout);
    let year = number(&[*y0, *y1, *y2, *y3])?;
    let (month, day) = (number(&[*m0, *m1])?, number(&[*d0, *d1])?);
    let (hour, minute, second) = (number(&[*h0, *h1])?, number(&[*n0, *n1])?, number(&[*s0, *s1])?);
    if second == 60 {
        return Err(OtherLayout);
    }
    let (fraction_ms, zone) = fraction(rest).ok_or(OtherLayout)?;
    let offset_s = offset_s(zone).ok_or(OtherLayout)?;
    let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && hour < 24 && minute < 60;
    if !valid || second > 60 {
        return Ok(None);
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset_s;
    Ok(Some(seconds * 1000 + fraction_ms))
}

/// The milliseconds of an optional `.fraction` (1 to 9 digits, truncated as
/// chrono truncates) and what follows it.
fn fraction(rest: &[u8]) -> Option<(i64, &[u8])> {
    let Some(after_point) = rest.strip_prefix(b".") else { return Some((0, rest)) };
    let n = after_point.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 9 {
        return None;
    }
    let mut ms = 0;
    for i in 0..3 {
        ms = ms * 10 + after_point.get(i).filter(|_| i < n).map_or(0, |&b| i64::from(b - b'0'));
    }
    Some((ms, &after_point[n..]))
}

/// Seconds east of UTC for `Z`, `+HH:MM`, `-HH:MM` or nothing; `None` for
/// anything else (the general parsers judge it).
fn offset_s(zone: &[u8]) -> Option<i64> {
    match zone {
        [] | [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
            let (hours, minutes) = (digits(&[*h0, *h1])?, digits(&[*m0, *m1])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let east = hours * 3600 + minutes * 60;
            Some(if *sign == b'-' { -east } else { east })
        }
        _ => None,
    }
}

fn digits(ascii: &[u8]) -> Option<i64> {
    ascii.iter().try_fold(0i64, |n, &b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general_number(s: &str) -> Option<f64> {
        s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
    }

    fn general_time_ms(s: &str) -> Option<i64> {
        let s = s.trim();
        DateTime::parse_from_rfc3339(s).map(|t| t.timestamp_millis()).ok().or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
                .ok()
                .map(|t| t.and_utc().timestamp_millis())
        })
    }

    /// A small deterministic generator (xorshift), so the sweep is the same on every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick(&mut self, from: &[u8]) -> u8 {
            from[usize::try_from(self.next() % from.len() as u64).unwrap()]
        }
    }

    #[test]
    fn division_by_the_inverse_is_exact_division() {
        let mut rng = Rng(99);
        for f in 0..=MAX_DIGITS {
            let five_power = 5u128.pow(f);
            for _ in 0..2000 {
                // Multiples of 5^f (some within 2^53) and their neighbours.
                let units = u128::from(rng.next() >> (rng.next() % 64));
                let Some(mantissa) = units.checked_mul(five_power) else { continue };
                for m in [mantissa, mantissa + 1, mantissa.saturating_sub(1)] {
                    let q = m / five_power;
                    let by_division = (m % five_power == 0 && q <= u128::from(MAX_EXACT_MANTISSA)).then_some(q);
                    assert_eq!(exact_units(m, f), by_division, "{m} / 5^{f}");
                }
            }
        }
    }

    #[test]
    fn fast_numbers_equal_the_general_parser_bit_for_bit() {
        let fixed = [
            "0",
            "-0",
            "+0",
            "1.",
            ".5",
            ".",
            "-",
            "",
            " 12.5 ",
            "\u{a0}3",
            "\x0B4",
            "1e3",
            "nan",
            "inf",
            "007",
            "37.24173816852271556854248046875",
            "-121.9723242335021495819091796875",
            "9007199254740993",
            "9007199254740992",
            "0.1",
            "0.30000000000000004",
            "123456789012345678.9",
            "1.0000000000000000000001",
            "0.0000000000000000000001",
            "00000000000000000000000000001.5",
            "1..2",
            "1.2.3",
            "--1",
            "12a",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let generated = (0..200_000).map(|_| {
            let len = 1 + rng.next() % 24;
            (0..len).map(|_| char::from(rng.pick(b"0123456789012345678901234567890123456789.-+ e"))).collect::<String>()
        });
        // Exact binary fractions written out in full, as Garmin writes
        // positions and float32 altitudes, and their near misses.
        let mut rng2 = Rng(0xD1B5_4A32_D192_ED03);
        let dyadic = (0..100_000u32).map(|i| {
            let (units, shift) = (rng2.next() >> (11 + rng2.next() % 40), 1 + rng2.next() % 37);
            let exact = format!("{:.*}", usize::try_from(shift).unwrap(), units as f64 / (1u64 << shift) as f64);
            let sign = if i.is_multiple_of(5) { "-" } else { "" };
            if i.is_multiple_of(3) { format!("{sign}{exact}1") } else { format!("{sign}{exact}") }
        });
        for s in fixed.iter().map(|s| (*s).to_owned()).chain(generated).chain(dyadic) {
            let (fast, general) = (parse_number(&s), general_number(&s));
            assert_eq!(fast.map(f64::to_bits), general.map(f64::to_bits), "{s:?}");
        }
    }

    #[test]
    fn fast_times_equal_chrono_on_every_layout() {
        let fixed = [
            "2017-07-29T14:46:35.000Z",
            "2017-07-29T14:46:35Z",
            "2015-01-19T21:24:20Z",
            "1970-01-01T01:00:01.5+01:00",
            "1970-01-01T00:00:02",
            "1969-12-31T23:59:59.999Z",
            "0000-01-01T00:00:00Z",
            "2000-02-29T12:00:00Z",
            "2001-02-29T12:00:00Z",
            "2020-13-01T00:00:00Z",
            "2020-12-32T00:00:00Z",
            "2020-06-31T00:00:00Z",
            "2020-01-01T24:00:00Z",
            "2020-01-01T00:60:00Z",
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:61Z",
            "2020-01-01T00:00:00.1234567891Z",
            "2020-01-01T00:00:00.Z",
            "2020-01-01T00:00:00+24:00",
            "2020-01-01T00:00:00-05:30",
            "2020-01-01T00:00:00+0530",
            "2020-01-01t00:00:00z",
            "2020-01-01 00:00:00",
            " 2020-01-01T00:00:00Z\n",
            "\u{a0}2020-01-01T00:00:00Z",
            "2020-1-01T00:00:00Z",
            "yesterday",
            "",
            "1900-02-29T00:00:00Z",
            "2400-02-29T00:00:00Z",
            "9999-12-31T23:59:59.999999999+23:59",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let generated = (0..200_000).map(|_| {
            let mut s = b"2019-04-18T14:12:21.009Z".to_vec();
            for _ in 0..=rng.next() % 3 {
                let i = usize::try_from(rng.next() % s.len() as u64).unwrap();
                s[i] = rng.pick(b"0123456789012345678901234567890123456789.-+:TZ ");
            }
            if rng.next().is_multiple_of(4) {
                let cut = usize::try_from(rng.next() % s.len() as u64).unwrap();
                s.truncate(cut);
                s.extend_from_slice(
                    ["+02:00", "-11:45", "", ".5Z", "Z"][usize::try_from(rng.next() % 5).unwrap()].as_bytes(),
                );
            }
            String::from_utf8(s).unwrap()
        });
        for s in fixed.iter().map(|s| (*s).to_owned()).chain(generated) {
            assert_eq!(parse_time_ms(&s), general_time_ms(&s), "{s:?}");
        }
    }
}
