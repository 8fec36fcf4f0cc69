//! String functions: Go's `strings` package, `goutils` (`abbrev`, `wrap`,
//! `initials`, `swapcase`, …), `xstrings` (`snakecase`, `camelcase`,
//! `kebabcase`) and sprig's own (`quote`, `indent`, `trunc`, `split`, …).
//! Go slices strings by bytes; so do these (`trunc`, `substr`).

use std::collections::BTreeMap;

use super::conversion::strslice;
use super::{Table, Value, int_arg, sprint, str_arg, string_list, strval};
use gotemplate::{Arity, FuncError, quote};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::{AtLeast, Exact};
    table.add(&["hello"], Exact(0), |_| Ok("Hello!".into()));
    table.add(&["trim"], Exact(1), |a| Ok(str_arg(a, 0)?.trim().into()));
    table.add(&["upper"], Exact(1), |a| {
        Ok(map_chars(str_arg(a, 0)?, upper).into())
    });
    table.add(&["lower"], Exact(1), |a| {
        Ok(map_chars(str_arg(a, 0)?, lower).into())
    });
    table.add(&["title"], Exact(1), |a| Ok(title(str_arg(a, 0)?).into()));
    table.add(&["untitle"], Exact(1), |a| {
        Ok(untitle(str_arg(a, 0)?).into())
    });
    table.add(&["substr"], Exact(3), substr);
    table.add(&["repeat"], Exact(2), |a| {
        let count = int_arg(a, 0)?;
        let count = usize::try_from(count)
            .map_err(|_| FuncError::message("strings: negative Repeat count"))?;
        Ok(str_arg(a, 1)?.repeat(count).into())
    });
    table.add(&["trimall", "trimAll"], Exact(2), |a| {
        let cutset = str_arg(a, 0)?;
        Ok(str_arg(a, 1)?.trim_matches(|c| cutset.contains(c)).into())
    });
    table.add(&["trimSuffix"], Exact(2), |a| {
        let s = str_arg(a, 1)?;
        Ok(s.strip_suffix(str_arg(a, 0)?).unwrap_or(s).into())
    });
    table.add(&["trimPrefix"], Exact(2), |a| {
        let s = str_arg(a, 1)?;
        Ok(s.strip_prefix(str_arg(a, 0)?).unwrap_or(s).into())
    });
    table.add(&["nospace"], Exact(1), |a| {
        Ok(str_arg(a, 0)?
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into())
    });
    table.add(&["initials"], Exact(1), |a| {
        Ok(initials(str_arg(a, 0)?).into())
    });
    table.add(&["swapcase"], Exact(1), |a| {
        Ok(map_chars(str_arg(a, 0)?, swap).into())
    });
    table.add(&["snakecase"], Exact(1), |a| {
        Ok(to_lower_case(str_arg(a, 0)?, '_').into())
    });
    table.add(&["kebabcase"], Exact(1), |a| {
        Ok(to_lower_case(str_arg(a, 0)?, '-').into())
    });
    table.add(&["camelcase"], Exact(1), |a| {
        Ok(camelcase(str_arg(a, 0)?).into())
    });
    table.add(&["wrap"], Exact(2), |a| {
        Ok(wrap(str_arg(a, 1)?, int_arg(a, 0)?, "\n", false).into())
    });
    table.add(&["wrapWith"], Exact(3), |a| {
        Ok(wrap(str_arg(a, 2)?, int_arg(a, 0)?, str_arg(a, 1)?, true).into())
    });
    table.add(&["contains"], Exact(2), |a| {
        Ok(str_arg(a, 1)?.contains(str_arg(a, 0)?).into())
    });
    table.add(&["hasPrefix"], Exact(2), |a| {
        Ok(str_arg(a, 1)?.starts_with(str_arg(a, 0)?).into())
    });
    table.add(&["hasSuffix"], Exact(2), |a| {
        Ok(str_arg(a, 1)?.ends_with(str_arg(a, 0)?).into())
    });
    table.add(&["quote"], AtLeast(0), |a| {
        Ok(join_non_nil(a, |v| quote(&strval(v))).into())
    });
    table.add(&["squote"], AtLeast(0), |a| {
        Ok(join_non_nil(a, |v| format!("'{}'", sprint(v))).into())
    });
    table.add(&["cat"], AtLeast(0), |a| Ok(join_non_nil(a, sprint).into()));
    table.add(&["indent"], Exact(2), |a| {
        Ok(indent(int_arg(a, 0)?, str_arg(a, 1)?).into())
    });
    table.add(&["nindent"], Exact(2), |a| {
        Ok(format!("\n{}", indent(int_arg(a, 0)?, str_arg(a, 1)?)).into())
    });
    table.add(&["replace"], Exact(3), |a| {
        Ok(str_arg(a, 2)?
            .replace(str_arg(a, 0)?, str_arg(a, 1)?)
            .into())
    });
    table.add(&["plural"], Exact(3), |a| {
        let (one, many) = (str_arg(a, 0)?, str_arg(a, 1)?);
        Ok(if int_arg(a, 2)? == 1 { one } else { many }.into())
    });
    table.add(&["trunc"], Exact(2), |a| {
        Ok(trunc(int_arg(a, 0)?, str_arg(a, 1)?).into())
    });
    table.add(&["abbrev"], Exact(2), |a| {
        let (width, s) = (int_arg(a, 0)?, str_arg(a, 1)?);
        Ok(if width < 4 {
            s.to_owned()
        } else {
            abbreviate(s, 0, width)
        }
        .into())
    });
    table.add(&["abbrevboth"], Exact(3), |a| {
        let (left, right, s) = (int_arg(a, 0)?, int_arg(a, 1)?, str_arg(a, 2)?);
        if right < 4 || left > 0 && right < 7 {
            return Ok(s.into());
        }
        Ok(abbreviate(s, left, right).into())
    });
    table.add(&["split"], Exact(2), |a| {
        let parts = split(str_arg(a, 1)?, str_arg(a, 0)?, None);
        Ok(numbered(parts))
    });
    table.add(&["splitn"], Exact(3), |a| {
        let n = int_arg(a, 1)?;
        Ok(numbered(split(str_arg(a, 2)?, str_arg(a, 0)?, Some(n))))
    });
    table.add(&["splitList"], Exact(2), |a| {
        Ok(string_list(split(str_arg(a, 1)?, str_arg(a, 0)?, None)))
    });
    table.add(&["join"], Exact(2), |a| {
        Ok(strslice(&a[1]).join(str_arg(a, 0)?).into())
    });
}

/// A string from bytes Go sliced (possibly mid-character).
fn from_bytes(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn map_chars(s: &str, f: fn(char) -> char) -> String {
    s.chars().map(f).collect()
}

/// Go's `unicode.ToUpper`: the simple (one-character) mapping.
fn upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower`: the simple mapping (only `İ` lower-cases to
/// more than one character in full; its simple mapping is `i`).
fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn swap(c: char) -> char {
    if c.is_uppercase() {
        lower(c)
    } else if c.is_lowercase() {
        upper(c)
    } else {
        c
    }
}

/// Go's `strings.Title`: upper-cases each letter that follows a separator.
fn title(s: &str) -> String {
    let is_separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else if c.is_alphanumeric() {
            false
        } else {
            c.is_whitespace()
        }
    };
    let mut previous = ' ';
    s.chars()
        .map(|c| {
            let out = if is_separator(previous) { upper(c) } else { c };
            previous = c;
            out
        })
        .collect()
}

/// goutils `Uncapitalize`: lower-cases the first letter of each
/// whitespace-separated word.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if c.is_whitespace() {
                next = true;
                c
            } else if next {
                next = false;
                lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `Initials`: the first byte of each whitespace-separated word.
fn initials(s: &str) -> String {
    let mut gap = true;
    let mut out = String::new();
    for b in s.bytes() {
        if char::from(b).is_whitespace() {
            gap = true;
        } else if gap {
            out.push(char::from(b));
            gap = false;
        }
    }
    out
}

/// A piece of a string as xstrings' case conversions see it.
enum Token {
    /// Letters and digits of one word, as written.
    Word(String),
    /// `_`, `-` or a space.
    Connector(char),
}

fn is_connector(c: char) -> bool {
    c == '_' || c == '-' || c.is_whitespace()
}

/// Words and connectors. A word starts after a connector, at an
/// upper-case letter after a lower-case one or a digit, at the last of a
/// run of capitals before a lower-case letter (`HTTPServer`), and at
/// digits followed by a lower-case letter (`HTTP2xx`).
fn tokens(s: &str) -> Vec<Token> {
    let chars: Vec<char> = s.chars().collect();
    let mut tokens = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if is_connector(c) {
            tokens.push(Token::Connector(c));
            continue;
        }
        let next = chars.get(i + 1).copied();
        let boundary = match i.checked_sub(1).map(|p| chars[p]) {
            Some(p) if c.is_uppercase() => {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            }
            Some(p) if c.is_ascii_digit() && p.is_alphabetic() => chars[i..]
                .iter()
                .find(|d| !d.is_ascii_digit())
                .is_some_and(|d| d.is_lowercase()),
            _ => false,
        };
        match tokens.last_mut() {
            Some(Token::Word(word)) if !boundary => word.push(c),
            _ => tokens.push(Token::Word(c.to_string())),
        }
    }
    tokens
}

/// xstrings `ToSnakeCase`/`ToKebabCase`: words lower-cased and joined by
/// `connector`, which also replaces every `_`, `-` and space.
fn to_lower_case(s: &str, connector: char) -> String {
    let mut out = String::new();
    let mut previous_word = false;
    for token in tokens(s) {
        match token {
            Token::Connector(_) => {
                out.push(connector);
                previous_word = false;
            }
            Token::Word(word) => {
                if previous_word {
                    out.push(connector);
                }
                out.extend(word.chars().map(lower));
                previous_word = true;
            }
        }
    }
    out
}

/// xstrings `ToCamelCase`: each word with its first letter upper-cased
/// and the rest lower-cased; of a run of connectors between words all but
/// one are kept, and connectors at either end stay as they are.
fn camelcase(s: &str) -> String {
    let tokens = tokens(s);
    let mut out = String::new();
    let mut run: Vec<char> = Vec::new();
    let mut seen_word = false;
    for token in tokens {
        match token {
            Token::Connector(c) => run.push(c),
            Token::Word(word) => {
                let kept = if seen_word {
                    run.len().saturating_sub(1)
                } else {
                    run.len()
                };
                out.extend(&run[..kept]);
                run.clear();
                let mut chars = word.chars();
                out.extend(chars.next().map(upper));
                out.extend(chars.map(lower));
                seen_word = true;
            }
        }
    }
    out.extend(run);
    out
}

/// goutils `WrapCustom` (byte-based, as the Go is).
fn wrap(s: &str, length: i64, newline: &str, wrap_long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let length = usize::try_from(length.max(1)).unwrap_or(1);
    let bytes = s.as_bytes();
    let mut offset = 0;
    let mut out: Vec<u8> = Vec::new();
    while bytes.len() - offset > length {
        if bytes[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = length + offset + 1;
        let space = bytes[offset..end].iter().rposition(|&b| b == b' ');
        if let Some(space) = space {
            out.extend_from_slice(&bytes[offset..offset + space]);
            out.extend_from_slice(newline.as_bytes());
            offset += space + 1;
        } else if wrap_long_words {
            out.extend_from_slice(&bytes[offset..offset + length]);
            out.extend_from_slice(newline.as_bytes());
            offset += length;
        } else {
            let end = length + offset;
            match bytes[end..].iter().position(|&b| b == b' ') {
                None => {
                    out.extend_from_slice(&bytes[offset..]);
                    offset = bytes.len();
                }
                Some(index) => {
                    out.extend_from_slice(&bytes[offset..end + index]);
                    out.extend_from_slice(newline.as_bytes());
                    offset = end + index + 1;
                }
            }
        }
    }
    out.extend_from_slice(&bytes[offset..]);
    from_bytes(&out)
}

/// Non-nil arguments, each formatted, joined by spaces.
fn join_non_nil(args: &[Value], format: impl Fn(&Value) -> String) -> String {
    args.iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(format)
        .collect::<Vec<_>>()
        .join(" ")
}

fn indent(spaces: i64, s: &str) -> String {
    let pad = " ".repeat(usize::try_from(spaces).unwrap_or(0));
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return from_bytes(&s.as_bytes()[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return from_bytes(&s.as_bytes()[..c as usize]);
    }
    s.to_owned()
}

fn substr(args: &[Value]) -> Result<Value, FuncError> {
    let (start, end, s) = (int_arg(args, 0)?, int_arg(args, 1)?, str_arg(args, 2)?);
    let len = s.len() as i64;
    let out_of_range =
        |from: i64, to: i64| FuncError::message(format!("slice bounds out of range [{from}:{to}]"));
    let (from, to) = if start < 0 {
        (0, end)
    } else if end < 0 || end > len {
        (start, len)
    } else {
        (start, end)
    };
    if to < 0 || to > len || from > to {
        return Err(out_of_range(from, to));
    }
    Ok(from_bytes(&s.as_bytes()[from as usize..to as usize]).into())
}

/// goutils `AbbreviateFull`, byte-based.
fn abbreviate(s: &str, offset: i64, width: i64) -> String {
    let len = s.len() as i64;
    if s.is_empty() || len <= width {
        return s.to_owned();
    }
    let mut offset = offset.min(len);
    if len - offset < width - 3 {
        offset = len - (width - 3);
    }
    let bytes = s.as_bytes();
    if offset <= 4 {
        return format!("{}...", from_bytes(&bytes[..(width - 3) as usize]));
    }
    if width < 7 {
        return String::new();
    }
    if offset + width - 3 < len {
        let rest = from_bytes(&bytes[offset as usize..]);
        return format!("...{}", abbreviate(&rest, 0, width - 3));
    }
    format!("...{}", from_bytes(&bytes[(len - (width - 3)) as usize..]))
}

/// Go's `strings.Split`/`SplitN` (an empty separator splits into
/// characters; `n` < 0 is all, 0 is none).
fn split(s: &str, sep: &str, n: Option<i64>) -> Vec<String> {
    let limit = match n {
        Some(0) => return Vec::new(),
        Some(n) if n > 0 => Some(n as usize),
        _ => None,
    };
    if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        return match limit {
            Some(n) if chars.len() > n => {
                let head = chars[..n - 1].to_vec();
                let tail: String = s.chars().skip(n - 1).collect();
                head.into_iter().chain([tail]).collect()
            }
            _ => chars,
        };
    }
    match limit {
        Some(n) => s.splitn(n, sep).map(str::to_owned).collect(),
        None => s.split(sep).map(str::to_owned).collect(),
    }
}

/// sprig's `split` result: a map from `_0`, `_1`, … to the parts.
fn numbered(parts: Vec<String>) -> Value {
    let entries: BTreeMap<String, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (format!("_{i}"), Value::String(part)))
        .collect();
    Value::map(entries)
}
