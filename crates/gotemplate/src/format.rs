//! Go's `fmt` for template values: `Sprint`, `Sprintln`, `Sprintf` with the
//! verbs charts use (`%v %s %d %q %t %f %e %g %x %X %o %b %c %U`), flags,
//! width and precision, and Go's `%!verb(type=value)` complaints.

use super::value::{Dict, Field, Value};

/// Go's `fmt.Sprint`: operands joined, with a space between two operands
/// when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        let prev_string = i > 0 && matches!(args[i - 1], Value::String(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        Spec::default().value(&mut out, arg, 'v', 0);
    }
    out
}

/// How an action (`{{ x }}`) prints its value: Go's `printableValue`
/// takes a pointer's target (so no `&`) and uses a `String` method with
/// a pointer receiver (the value is addressable there), then `fmt.Fprint`.
pub(super) fn print_action(value: &Value) -> String {
    if let Some(text) = value.methods().and_then(|m| m.pointer_string_form()) {
        return text.to_owned();
    }
    let mut out = String::new();
    let spec = Spec {
        indirect: true,
        ..Spec::default()
    };
    spec.value(&mut out, value, 'v', 0);
    out
}

/// Go's `fmt.Sprintln`: operands joined by spaces, then a newline.
pub(super) fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        Spec::default().value(&mut out, arg, 'v', 0);
    }
    out.push('\n');
    out
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next_arg = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&flag) = chars.peek() {
            match flag {
                '#' => spec.sharp = true,
                '0' => spec.zero = true,
                '+' => spec.plus = true,
                '-' => spec.minus = true,
                ' ' => spec.space = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = spec.number(&mut chars, args, &mut next_arg, &mut out);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(
                spec.number(&mut chars, args, &mut next_arg, &mut out)
                    .unwrap_or(0),
            );
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        // `%+v` asks for field names, not signs.
        if verb == 'v' && spec.plus {
            spec.plus = false;
            spec.plus_v = true;
        }
        match args.get(next_arg) {
            Some(arg) => spec.value(&mut out, arg, verb, 0),
            None => out.push_str(&format!("%!{verb}(MISSING)")),
        }
        next_arg += 1;
    }
    if next_arg < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, arg) in args[next_arg..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(arg.type_name());
            out.push('=');
            Spec::default().value(&mut out, arg, 'v', 0);
        }
        out.push(')');
    }
    out
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", u32::from(c)));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A parsed `%` directive: flags, width, precision.
#[derive(Default, Clone, Copy)]
struct Spec {
    sharp: bool,
    zero: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    precision: Option<usize>,
    /// `%+v`: struct fields with their names.
    plus_v: bool,
    /// A pointer prints as its target (an action's value), not `&{…}`.
    indirect: bool,
}

impl Spec {
    /// A width or precision: digits, or `*` taking an int argument.
    fn number(
        &self,
        chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
        args: &[Value],
        next_arg: &mut usize,
        out: &mut String,
    ) -> Option<usize> {
        if chars.peek() == Some(&'*') {
            chars.next();
            let arg = args.get(*next_arg);
            *next_arg += 1;
            return match arg {
                Some(Value::Int(n)) => usize::try_from(*n).ok(),
                _ => {
                    out.push_str("%!(BADWIDTH)");
                    None
                }
            };
        }
        let mut digits = String::new();
        while let Some(c) = chars.peek().filter(|c| c.is_ascii_digit()) {
            digits.push(*c);
            chars.next();
        }
        digits.parse().ok()
    }

    fn value(&self, out: &mut String, value: &Value, verb: char, depth: usize) {
        // Go's `handleMethods`: a Stringer prints as its String() for the
        // string verbs (`%#v` would want a GoStringer instead).
        if !self.sharp
            && matches!(verb, 'v' | 's' | 'x' | 'X' | 'q')
            && let Some(text) = value.methods().and_then(|m| m.string_form())
        {
            return self.string(out, value, text, verb);
        }
        match value {
            _ if verb == 'T' => self.pad(out, value.type_name()),
            Value::Nil if verb == 'v' || depth > 0 => self.pad(out, "<nil>"),
            Value::Nil => out.push_str(&format!("%!{verb}(<nil>)")),
            Value::Bool(b) if matches!(verb, 't' | 'v') => self.pad(out, &b.to_string()),
            Value::Int(i) => self.integer(out, value, *i, verb),
            Value::Float(f) => self.float(out, value, *f, verb),
            Value::String(s) => self.string(out, value, s, verb),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    self.value(out, item, verb, depth + 1);
                }
                out.push(']');
            }
            Value::Map(entries)
                if let Some(fields) = entries.methods().and_then(|m| m.field_layout()) =>
            {
                // Go prints a pointer to a struct as `&{…}` at the top.
                if depth == 0 && !self.indirect && value.type_name().starts_with('*') {
                    out.push('&');
                }
                self.struct_fields(out, entries, fields, verb, depth);
            }
            Value::Map(entries) => {
                out.push_str("map[");
                for (i, (key, item)) in entries.entries().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    self.string(out, &Value::String(key.clone()), key, verb);
                    out.push(':');
                    self.value(out, item, verb, depth + 1);
                }
                out.push(']');
            }
            Value::Func(f) if verb == 'v' => {
                self.pad(out, &format!("{:p}", std::sync::Arc::as_ptr(f)));
            }
            _ => self.bad_verb(out, value, verb),
        }
    }

    /// A struct's fields in order, in braces (`{a b}`; `%+v`: `{A:a B:b}`),
    /// an embedded struct in braces of its own.
    fn struct_fields(
        &self,
        out: &mut String,
        entries: &Dict,
        fields: &[Field],
        verb: char,
        depth: usize,
    ) {
        out.push('{');
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            match field {
                Field::Named { name, .. } => {
                    if self.plus_v {
                        out.push_str(name);
                        out.push(':');
                    }
                    let item = entries.get(name).unwrap_or_default();
                    self.value(out, &item, verb, depth + 1);
                }
                Field::Embedded { name, fields } => {
                    if self.plus_v {
                        out.push_str(name);
                        out.push(':');
                    }
                    self.struct_fields(out, entries, fields, verb, depth + 1);
                }
            }
        }
        out.push('}');
    }

    fn bad_verb(&self, out: &mut String, value: &Value, verb: char) {
        out.push_str(&format!("%!{verb}({}=", value.type_name()));
        self.value(out, value, 'v', 0);
        out.push(')');
    }

    /// Pads to the width with spaces (or zeros), as Go's `fmt.pad`.
    fn pad(&self, out: &mut String, text: &str) {
        let len = text.chars().count();
        let fill = self.width.unwrap_or(0).saturating_sub(len);
        if self.minus {
            out.push_str(text);
            out.extend(std::iter::repeat_n(' ', fill));
        } else {
            let c = if self.zero { '0' } else { ' ' };
            out.extend(std::iter::repeat_n(c, fill));
            out.push_str(text);
        }
    }

    /// Pads a number whose sign is `sign` and digits `body`: zeros go
    /// between the sign and the digits.
    fn pad_number(&self, out: &mut String, sign: &str, body: &str) {
        if self.zero && !self.minus {
            let fill = self
                .width
                .unwrap_or(0)
                .saturating_sub(sign.len() + body.chars().count());
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', fill));
            out.push_str(body);
        } else {
            self.pad(out, &format!("{sign}{body}"));
        }
    }

    fn sign(&self, negative: bool) -> &'static str {
        if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        }
    }

    fn integer(&self, out: &mut String, value: &Value, i: i64, verb: char) {
        let magnitude = i.unsigned_abs();
        let (digits, prefix) = match verb {
            'v' | 'd' => (magnitude.to_string(), ""),
            'b' => (format!("{magnitude:b}"), if self.sharp { "0b" } else { "" }),
            'o' => (format!("{magnitude:o}"), if self.sharp { "0" } else { "" }),
            'O' => (format!("{magnitude:o}"), "0o"),
            'x' => (format!("{magnitude:x}"), if self.sharp { "0x" } else { "" }),
            'X' => (format!("{magnitude:X}"), if self.sharp { "0X" } else { "" }),
            'c' => {
                let c = u32::try_from(i)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                return self.pad(out, &c.to_string());
            }
            'q' => {
                let c = u32::try_from(i)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                let quoted = quote(&c.to_string());
                let inner = &quoted[1..quoted.len() - 1];
                let inner = if c == '\'' {
                    "\\'"
                } else if c == '"' {
                    "\""
                } else {
                    inner
                };
                return self.pad(out, &format!("'{inner}'"));
            }
            'U' => return self.pad(out, &format!("U+{magnitude:04X}")),
            _ => return self.bad_verb(out, value, verb),
        };
        let digits = match self.precision {
            Some(0) if magnitude == 0 => String::new(),
            Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
            _ => digits,
        };
        let sign = self.sign(i < 0);
        let body = format!("{prefix}{digits}");
        if self.precision.is_some() {
            self.pad(out, &format!("{sign}{body}"));
        } else {
            self.pad_number(out, sign, &body);
        }
    }

    fn float(&self, out: &mut String, value: &Value, f: f64, verb: char) {
        let body = match verb {
            // Digits of NaN and infinities are not computed: named below.
            'v' | 'g' | 'G' | 'e' | 'E' | 'f' | 'F' | 'x' | 'X' if !f.is_finite() => String::new(),
            'v' | 'g' | 'G' => format_g(f.abs(), self.precision),
            'e' | 'E' => format_e(f.abs(), Some(self.precision.unwrap_or(6))),
            'f' | 'F' => format!("{:.*}", self.precision.unwrap_or(6), f.abs()),
            'x' | 'X' if self.precision.is_none() => format_hex(f.abs()),
            _ => return self.bad_verb(out, value, verb),
        };
        let body = if f.is_nan() {
            "NaN".to_owned()
        } else if f.is_infinite() {
            "Inf".to_owned()
        } else if verb.is_ascii_uppercase() {
            body.to_uppercase()
        } else {
            body
        };
        let negative = f.is_sign_negative() && !f.is_nan();
        let sign = if f.is_infinite() && !negative && !self.plus && !self.space {
            if verb == 'v' { "+" } else { "" }
        } else {
            self.sign(negative)
        };
        if f.is_finite() {
            self.pad_number(out, sign, &body);
        } else {
            Spec {
                zero: false,
                ..*self
            }
            .pad(out, &format!("{sign}{body}"));
        }
    }

    fn string(&self, out: &mut String, value: &Value, s: &str, verb: char) {
        let s: String = match self.precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_owned(),
        };
        match verb {
            'v' | 's' => self.pad(out, &s),
            'q' => self.pad(out, &quote(&s)),
            'x' => self.pad(
                out,
                &s.bytes().map(|b| format!("{b:02x}")).collect::<String>(),
            ),
            'X' => self.pad(
                out,
                &s.bytes().map(|b| format!("{b:02X}")).collect::<String>(),
            ),
            _ => self.bad_verb(out, value, verb),
        }
    }
}

/// Go's shortest `%x` for floats: `0x1.8p+01`.
fn format_hex(f: f64) -> String {
    if f == 0.0 {
        return "0x0p+00".to_owned();
    }
    let bits = f.to_bits();
    let (mut exponent, mut mantissa) = ((bits >> 52) as i32 & 0x7ff, bits & ((1 << 52) - 1));
    if exponent == 0 {
        // Subnormal: shift the leading 1 up to the implicit position.
        let shift = mantissa.leading_zeros() as i32 - 11;
        mantissa = (mantissa << shift) & ((1 << 52) - 1);
        exponent = 1 - shift;
    }
    let exponent = exponent - 1023;
    let fraction = format!("{mantissa:013x}");
    let fraction = fraction.trim_end_matches('0');
    let point = if fraction.is_empty() { "" } else { "." };
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("0x1{point}{fraction}p{sign}{:02}", exponent.abs())
}

/// Decimal digits (no trailing zeros) and the decimal point position, as
/// Go's `strconv` `decimalSlice`: `0.0123` is digits `123`, point `-1`.
fn decimal(f: f64, significant: Option<usize>) -> (Vec<u8>, i32) {
    let sci = match significant {
        Some(n) => format!("{:.*e}", n.saturating_sub(1), f),
        None => format!("{f:e}"),
    };
    let (mantissa, exponent) = sci.split_once('e').expect("{:e} has an exponent");
    let exponent: i32 = exponent.parse().expect("{:e} exponent is a number");
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.is_empty() {
        return (digits, 0);
    }
    (digits, exponent + 1)
}

/// Go's `%e` body (no sign): `d.ddde±XX`, with `precision` decimals or
/// the shortest exact ones.
fn format_e(f: f64, precision: Option<usize>) -> String {
    let (digits, point) = decimal(f, precision.map(|p| p + 1));
    let decimals = precision.unwrap_or(digits.len().saturating_sub(1));
    e_from_digits(&digits, point, decimals)
}

fn e_from_digits(digits: &[u8], point: i32, decimals: usize) -> String {
    let digit = |i: usize| char::from(*digits.get(i).unwrap_or(&b'0'));
    let mut out = String::from(digit(0));
    if decimals > 0 {
        out.push('.');
        out.extend((1..=decimals).map(digit));
    }
    let exponent = if digits.is_empty() { 0 } else { point - 1 };
    let sign = if exponent < 0 { '-' } else { '+' };
    out.push_str(&format!("e{sign}{:02}", exponent.abs()));
    out
}

fn f_from_digits(digits: &[u8], point: i32, decimals: usize) -> String {
    let digit = |i: i32| {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i))
            .map_or('0', |d| char::from(*d))
    };
    let mut out: String = if point > 0 {
        (0..point).map(digit).collect()
    } else {
        "0".to_owned()
    };
    if decimals > 0 {
        out.push('.');
        out.extend((0..decimals as i32).map(|i| digit(point + i)));
    }
    out
}

/// Go's `%g` body (no sign); `%v` for floats is `%g` with the shortest
/// digits, switching to an exponent below 1e-4 and from 1e21.
fn format_g(f: f64, precision: Option<usize>) -> String {
    let significant = precision.map(|p| p.max(1));
    let (digits, point) = decimal(f, significant);
    let nd = digits.len();
    let mut precision = significant.unwrap_or(nd);
    let mut eprec = precision;
    if eprec > nd && nd as i32 >= point {
        eprec = nd;
    }
    if significant.is_none() {
        eprec = 6;
    }
    let exponent = point - 1;
    if exponent < -4 || exponent >= eprec as i32 {
        precision = precision.min(nd);
        return e_from_digits(&digits, point, precision.saturating_sub(1));
    }
    if precision as i32 > point {
        precision = nd;
    }
    f_from_digits(&digits, point, (precision as i32 - point).max(0) as usize)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn floats_print_like_go() {
        let v = |f: f64| sprint(&[Value::Float(f)]);
        assert_eq!(v(12345678.0), "1.2345678e+07");
        assert_eq!(v(100000.0), "100000");
        assert_eq!(v(1000000.0), "1e+06");
        assert_eq!(v(0.0001), "0.0001");
        assert_eq!(v(0.00001), "1e-05");
        assert_eq!(v(1.5), "1.5");
        assert_eq!(v(0.0), "0");
        assert_eq!(v(-2.0), "-2");
        assert_eq!(
            sprintf(
                "%.2f|%e|%.3g|%g",
                &[1.005.into(), 1234.5.into(), 1.0.into(), 1e21.into()]
            ),
            "1.00|1.234500e+03|1|1e+21"
        );
    }

    #[test]
    fn composites_print_like_go() {
        let map = Value::map(BTreeMap::from([
            (
                "b".to_owned(),
                Value::list(vec![Value::Float(1.0), "x".into(), Value::Nil]),
            ),
            (
                "a".to_owned(),
                Value::map(BTreeMap::from([("c".to_owned(), true.into())])),
            ),
        ]));
        assert_eq!(sprint(&[map]), "map[a:map[c:true] b:[1 x <nil>]]");
        assert_eq!(
            sprint(&[Value::Int(1), Value::Int(2), "a".into(), Value::Nil]),
            "1 2a<nil>"
        );
    }

    #[test]
    fn printf_verbs_and_complaints() {
        assert_eq!(
            sprintf(
                "%5d|%-4s|%05.1f|%x|%q",
                &[
                    Value::Int(42),
                    "ab".into(),
                    Value::Float(1.23456),
                    Value::Int(255),
                    "a\"b".into()
                ]
            ),
            "   42|ab  |001.2|ff|\"a\\\"b\""
        );
        assert_eq!(
            sprintf("%d %s", &[Value::Float(1.5)]),
            "%!d(float64=1.5) %!s(MISSING)"
        );
        assert_eq!(
            sprintf("%d", &[Value::Int(1), "x".into()]),
            "1%!(EXTRA string=x)"
        );
    }
}
