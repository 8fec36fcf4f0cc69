//! Go's `time.ParseDuration` (go/src/time/format.go), ported line by line:
//! a possibly signed sequence of decimal numbers, each with an optional
//! fraction and a unit (`ns`, `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`), such as
//! `300ms`, `-1.5h` or `2h45m`. Helm's `--timeout` and sprig's `duration`
//! functions read durations this way.

use std::fmt;

/// Why a text is not a Go duration, worded as Go words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError {
    message: String,
    text: String,
}

impl fmt::Display for DurationError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "time: {} {}", self.message, go_quote(&self.text))
    }
}

impl std::error::Error for DurationError {}

/// The nanoseconds `text` stands for, as Go's `time.ParseDuration`.
pub fn parse(text: &str) -> Result<i64, DurationError> {
    let error = |message: &str| DurationError {
        message: message.to_owned(),
        text: text.to_owned(),
    };
    let invalid = || error("invalid duration");
    let mut rest = text;
    let mut negative = false;
    if let Some(sign @ (b'-' | b'+')) = rest.bytes().next() {
        negative = sign == b'-';
        rest = &rest[1..];
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let first = rest.as_bytes()[0];
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let before = rest.len();
        let (mut value, after_int) = leading_int(rest).ok_or_else(invalid)?;
        rest = after_int;
        let whole_digits = before != rest.len();

        let mut fraction = 0;
        let mut scale = 1.0;
        let mut fraction_digits = false;
        if let Some(after_point) = rest.strip_prefix('.') {
            let (digits, digits_scale, after_fraction) = leading_fraction(after_point);
            fraction_digits = after_point.len() != after_fraction.len();
            (fraction, scale, rest) = (digits, digits_scale, after_fraction);
        }
        if !whole_digits && !fraction_digits {
            return Err(invalid());
        }

        let unit_len = rest
            .bytes()
            .take_while(|byte| !(*byte == b'.' || byte.is_ascii_digit()))
            .count();
        if unit_len == 0 {
            return Err(error("missing unit in duration"));
        }
        let (name, after_unit) = rest.split_at(unit_len);
        rest = after_unit;
        let unit = unit_nanos(name)
            .ok_or_else(|| error(&format!("unknown unit {} in duration", go_quote(name))))?;
        if value > (1 << 63) / unit {
            return Err(invalid());
        }
        value *= unit;
        if fraction > 0 {
            // As Go: float64 keeps fractions of hours nanosecond-accurate.
            value += (fraction as f64 * (unit as f64 / scale)) as u64;
            if value > 1 << 63 {
                return Err(invalid());
            }
        }
        total += value;
        if total > 1 << 63 {
            return Err(invalid());
        }
    }
    if negative {
        return Ok((total as i64).wrapping_neg());
    }
    if total > (1 << 63) - 1 {
        return Err(invalid());
    }
    Ok(total as i64)
}

/// Nanoseconds per unit.
fn unit_nanos(name: &str) -> Option<u64> {
    Some(match name {
        "ns" => 1,
        "us" | "µs" | "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go's `leadingInt`: the leading `[0-9]*` and the rest; `None` on overflow.
fn leading_int(text: &str) -> Option<(u64, &str)> {
    let mut value: u64 = 0;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for byte in text[..digits].bytes() {
        if value > (1 << 63) / 10 {
            return None;
        }
        value = value * 10 + u64::from(byte - b'0');
        if value > 1 << 63 {
            return None;
        }
    }
    Some((value, &text[digits..]))
}

/// Go's `leadingFraction`: the leading `[0-9]*` as a value and its scale,
/// precision dropped (not refused) past what fits.
fn leading_fraction(text: &str) -> (u64, f64, &str) {
    let mut value: u64 = 0;
    let mut scale = 1.0;
    let mut overflow = false;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for byte in text[..digits].bytes() {
        if overflow {
            continue;
        }
        if value > ((1 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let next = value * 10 + u64::from(byte - b'0');
        if next > 1 << 63 {
            overflow = true;
            continue;
        }
        value = next;
        scale *= 10.0;
    }
    (value, scale, &text[digits..])
}

/// Go's `time.quote`: double quotes around, `"` and `\\` escaped, and
/// each byte of a control or non-ASCII character as `\xNN`.
fn go_quote(text: &str) -> String {
    let mut quoted = String::from('"');
    for character in text.chars() {
        match character {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(character);
            }
            ' '..='\u{7f}' => quoted.push(character),
            _ => {
                let mut buffer = [0; 4];
                for byte in character.encode_utf8(&mut buffer).bytes() {
                    quoted.push_str(&format!("\\x{byte:02x}"));
                }
            }
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i64 = 1_000_000_000;

    #[test]
    fn reads_what_go_reads() {
        for (text, nanos) in [
            ("0", 0),
            ("+0", 0),
            ("-0", 0),
            ("5s", 5 * SECOND),
            ("1.5m", 90 * SECOND),
            (".5s", SECOND / 2),
            ("5.s", 5 * SECOND),
            ("1h30m", 5400 * SECOND),
            ("-1.5h", -5400 * SECOND),
            ("300ms", 300_000_000),
            ("1µs", 1_000),
            ("1μs", 1_000),
            ("1.0000000000000000000001s", SECOND),
            ("9223372036854775807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
        ] {
            assert_eq!(parse(text), Ok(nanos), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_go_refuses_with_gos_words() {
        for (text, message) in [
            ("", "time: invalid duration \"\""),
            ("300", "time: missing unit in duration \"300\""),
            ("5x", "time: unknown unit \"x\" in duration \"5x\""),
            (".s", "time: invalid duration \".s\""),
            ("-", "time: invalid duration \"-\""),
            ("5m3", "time: missing unit in duration \"5m3\""),
            ("1 m", "time: unknown unit \" m\" in duration \"1 m\""),
            (
                "1é",
                "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"",
            ),
            (
                "9223372036854775808ns",
                "time: invalid duration \"9223372036854775808ns\"",
            ),
        ] {
            assert_eq!(parse(text).unwrap_err().to_string(), message, "{text:?}");
        }
    }
}
