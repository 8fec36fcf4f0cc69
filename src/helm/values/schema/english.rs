//! Numbers as Helm's schema validator prints them: its messages go through
//! `golang.org/x/text/message` in English, which groups digits
//! (`70,001`) and writes exponents as powers of ten (`1.2345675×10⁰⁶`).

/// A float64 as the English printer formats `%v`: Go's `%g` choice between
/// decimal and scientific (shortest digits, scientific below 1e-4 and from
/// 1e6), digits grouped by three, exponents in superscript.
pub(super) fn float(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..6).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        return format!("{sign}{first}{fraction}×10{}", superscript(exponent));
    }
    let point = exponent + 1;
    let (whole, fraction) = if point <= 0 {
        let zeros = "0".repeat(point.unsigned_abs() as usize);
        ("0".to_owned(), format!("{zeros}{digits}"))
    } else if point as usize >= digits.len() {
        let zeros = "0".repeat(point as usize - digits.len());
        (format!("{digits}{zeros}"), String::new())
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        (whole.to_owned(), fraction.to_owned())
    };
    let fraction = if fraction.is_empty() {
        fraction
    } else {
        format!(".{fraction}")
    };
    format!("{sign}{}{fraction}", grouped(&whole))
}

/// An integer as the English printer formats `%d`.
pub(super) fn integer(value: u64) -> String {
    grouped(&value.to_string())
}

/// Digits with a comma between each group of three.
fn grouped(digits: &str) -> String {
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// An exponent in superscript digits, at least two of them.
fn superscript(exponent: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let sign = if exponent < 0 { "⁻" } else { "" };
    let digits: String = format!("{:02}", exponent.unsigned_abs())
        .chars()
        .map(|digit| DIGITS[digit.to_digit(10).unwrap_or(0) as usize])
        .collect();
    format!("{sign}{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_the_english_printer_writes_them() {
        for (value, text) in [
            (0.0, "0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (70001.0, "70,001"),
            (999999.5, "999,999.5"),
            (-1234.25, "-1,234.25"),
            (0.0001, "0.0001"),
            (1234567.5, "1.2345675×10⁰⁶"),
            (1e6, "1×10⁰⁶"),
            (0.00001, "1×10⁻⁰⁵"),
            (1e300, "1×10³⁰⁰"),
        ] {
            assert_eq!(float(value), text, "{value}");
        }
    }

    #[test]
    fn integers_are_grouped_by_three() {
        assert_eq!(integer(7), "7");
        assert_eq!(integer(1000), "1,000");
        assert_eq!(integer(1234567), "1,234,567");
    }
}
