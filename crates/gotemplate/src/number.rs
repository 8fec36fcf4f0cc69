//! Number literals: Go's syntax (bases, `_`, exponents, hex floats,
//! character constants) and its typing (`int` or `float64`).

use super::ast::Number;

/// A number literal's value with Go's typing: integers are `int`, literals
/// with `.`, `e` or `p` (not hex integers) are `float64`, characters are
/// their code point. The error is Go's complaint.
pub(super) fn parse_number(text: &str) -> std::result::Result<Number, &'static str> {
    const ILLEGAL: &str = "illegal number syntax";
    if let Some(body) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        const MALFORMED: &str = "malformed character constant";
        let value = super::lexer::unescape(body, '\'').ok_or(MALFORMED)?;
        let mut chars = value.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(Number::Int(i64::from(u32::from(c)))),
            _ => Err(MALFORMED),
        };
    }
    let clean = text.replace('_', "");
    let (negative, digits) = match clean.as_bytes().first() {
        Some(b'-') => (true, &clean[1..]),
        Some(b'+') => (false, &clean[1..]),
        _ => (false, clean.as_str()),
    };
    let signed = |value: f64| Ok(Number::Float(if negative { -value } else { value }));
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = match lower.get(..2) {
        Some("0x") => (16, &lower[2..]),
        Some("0o") => (8, &lower[2..]),
        Some("0b") => (2, &lower[2..]),
        _ if lower.len() > 1
            && lower.starts_with('0')
            && lower.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (8, &lower[1..])
        }
        _ => (10, lower.as_str()),
    };
    if radix == 16 && body.contains('p') {
        return signed(hex_float(body).ok_or(ILLEGAL)?);
    }
    if !body.is_empty() && body.chars().all(|c| c.is_digit(radix)) {
        let magnitude = i64::from_str_radix(body, radix).map_err(|_| "integer overflow")?;
        return Ok(Number::Int(if negative { -magnitude } else { magnitude }));
    }
    if radix != 10 {
        return Err(ILLEGAL);
    }
    signed(digits.parse().map_err(|_| ILLEGAL)?)
}

/// A hex float body such as `1.8p4` (after `0x`).
fn hex_float(body: &str) -> Option<f64> {
    let (mantissa, exponent) = body.split_once('p')?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let value = u64::from_str_radix(&digits, 16).ok()? as f64;
    let exponent: i32 = exponent.parse().ok()?;
    Some(value * 2f64.powi(exponent - 4 * fraction.len() as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_typed_like_go() {
        assert!(matches!(parse_number("0x1F"), Ok(Number::Int(31))));
        assert!(matches!(parse_number("1e3"), Ok(Number::Float(f)) if f == 1000.0));
        assert!(matches!(parse_number("0x1.8p1"), Ok(Number::Float(f)) if f == 3.0));
        assert!(matches!(parse_number("'a'"), Ok(Number::Int(97))));
        assert!(matches!(parse_number("-1_000"), Ok(Number::Int(-1000))));
        assert_eq!(
            parse_number("99999999999999999999").unwrap_err(),
            "integer overflow"
        );
        assert_eq!(parse_number("-").unwrap_err(), "illegal number syntax");
    }
}
