//! Type conversion: `toString`, `atoi`, `int`, `int64`, `float64`,
//! `toDecimal`, `toStrings`, with `spf13/cast`'s rules (strings parsed
//! with Go's base prefixes, floats truncated, failures give 0).

use super::{Table, Value, sprint, str_arg, string_list, strval};
use gotemplate::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["toString"], Exact(1), |a| Ok(strval(&a[0]).into()));
    table.add(&["atoi"], Exact(1), |a| {
        Ok(Value::Int(parse_decimal(str_arg(a, 0)?).unwrap_or(0)))
    });
    table.add(&["int", "int64"], Exact(1), |a| {
        Ok(Value::Int(to_int64(&a[0])))
    });
    table.add(&["float64"], Exact(1), |a| {
        Ok(Value::Float(to_float64(&a[0])))
    });
    table.add(&["toDecimal"], Exact(1), |a| {
        let text = sprint(&a[0]);
        Ok(Value::Int(parse_radix(&text, 8).unwrap_or(0)))
    });
    table.add(&["toStrings"], Exact(1), |a| {
        Ok(string_list(strslice(&a[0])))
    });
}

/// sprig's `strslice`: a list's non-nil items as strings; nil is empty;
/// anything else is a one-item list.
pub(super) fn strslice(value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items
            .iter()
            .filter(|item| !matches!(item, Value::Nil))
            .map(strval)
            .collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// `cast.ToInt64`: ints as they are, floats truncated, strings parsed
/// (Go syntax, base prefixes, a zero fraction allowed), bools 1/0,
/// anything else 0.
pub(super) fn to_int64(value: &Value) -> i64 {
    match value {
        Value::Int(i) => *i,
        Value::Float(f) => go_float_to_int(*f),
        Value::String(s) => parse_go_int(trim_zero_decimal(s)).unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// `cast.ToFloat64`: numbers as float64, strings by `strconv.ParseFloat`,
/// bools 1/0, anything else 0.
pub(super) fn to_float64(value: &Value) -> f64 {
    match value {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::String(s) => parse_go_float(s).unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => 0.0,
    }
}

/// Go's `int64(f)` on amd64: truncation, and the minimum int64 for NaN
/// and values out of range (where Rust would saturate).
fn go_float_to_int(f: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        return i64::MIN;
    }
    f as i64
}

/// cast's `trimZeroDecimal`: `"1.00"` → `"1"`, other strings unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => return s,
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `strconv.Atoi`: an optional sign and decimal digits.
fn parse_decimal(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `strconv.ParseInt(s, radix, 64)` for a radix without prefixes.
fn parse_radix(s: &str, radix: u32) -> Option<i64> {
    let (negative, digits) = split_sign(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    i64::try_from(if negative { -magnitude } else { magnitude }).ok()
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// `strconv.ParseInt(s, 0, 64)`: Go's integer literal syntax (`0x`, `0o`,
/// `0b`, a leading `0` for octal, `_` between digits).
pub(super) fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, body) = split_sign(s);
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = match lower.get(..2) {
        Some("0x") => (16, &lower[2..], true),
        Some("0o") => (8, &lower[2..], true),
        Some("0b") => (2, &lower[2..], true),
        _ if lower.len() > 1 && lower.starts_with('0') => (8, &lower[1..], true),
        _ => (10, lower.as_str(), false),
    };
    if !underscores_ok(digits, prefixed) {
        return None;
    }
    let clean = digits.replace('_', "");
    let sign = if negative { "-" } else { "" };
    parse_radix(&format!("{sign}{clean}"), radix)
}

/// Go's rule for `_` in a literal: only between digits (or right after a
/// base prefix).
fn underscores_ok(digits: &str, prefixed: bool) -> bool {
    if !digits.contains('_') {
        return true;
    }
    let bytes = digits.as_bytes();
    let leading_ok = prefixed || bytes.first() != Some(&b'_');
    leading_ok && bytes.last() != Some(&b'_') && !digits.contains("__")
}

/// `strconv.ParseFloat(s, 64)`: decimal floats (`_` between digits, as
/// in Go literals), `inf`, `nan`.
pub(super) fn parse_go_float(s: &str) -> Option<f64> {
    let (negative, body) = split_sign(s);
    let lower = body.to_ascii_lowercase();
    let magnitude = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        // Go's hex floats need a `p` exponent; charts do not write them.
        _ if lower.starts_with("0x") => return None,
        _ => {
            let valid = !lower.is_empty()
                && lower
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-' | b'_'))
                && lower.bytes().any(|b| b.is_ascii_digit())
                && float_underscores_ok(&lower);
            if !valid {
                return None;
            }
            lower.replace('_', "").parse::<f64>().ok()?
        }
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Go's rule for `_` in a float literal: each one between two digits.
fn float_underscores_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'_'
            || (i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_parses_go_integer_literals() {
        assert_eq!(to_int64(&"0x1F".into()), 31);
        assert_eq!(to_int64(&"010".into()), 8);
        assert_eq!(to_int64(&"1_000".into()), 1000);
        assert_eq!(to_int64(&"3.00".into()), 3);
        assert_eq!(to_int64(&"3.5".into()), 0);
        assert_eq!(to_int64(&Value::Float(-2.9)), -2);
        assert_eq!(to_float64(&"1e3".into()), 1000.0);
    }
}
