//! Regular expressions (Go's RE2 syntax, which the `regex` crate shares):
//! `regexMatch`, `regexFind`, `regexFindAll`, `regexReplaceAll`,
//! `regexReplaceAllLiteral`, `regexSplit`, `regexQuoteMeta`, with their
//! `must` forms. Only `regexMatch` swallows a bad pattern (false); the
//! others fail either way, as sprig's `regexp.MustCompile` panics.

use regex::{NoExpand, Regex};

use super::{Table, Value, fail, int_arg, str_arg, string_list};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["regexMatch"], Exact(2), |a| {
        let text = str_arg(a, 1)?;
        Ok(compile(str_arg(a, 0)?)
            .is_ok_and(|r| r.is_match(text))
            .into())
    });
    table.add(&["mustRegexMatch"], Exact(2), |a| {
        Ok(compile(str_arg(a, 0)?)?.is_match(str_arg(a, 1)?).into())
    });
    table.add(&["regexFind", "mustRegexFind"], Exact(2), |a| {
        let found = compile(str_arg(a, 0)?)?
            .find(str_arg(a, 1)?)
            .map(|m| m.as_str().to_owned());
        Ok(found.unwrap_or_default().into())
    });
    table.add(&["regexFindAll", "mustRegexFindAll"], Exact(3), |a| {
        let regex = compile(str_arg(a, 0)?)?;
        let (text, n) = (str_arg(a, 1)?, int_arg(a, 2)?);
        Ok(string_list(
            limited(&regex, text, n)
                .into_iter()
                .map(|(s, e)| text[s..e].to_owned()),
        ))
    });
    table.add(&["regexReplaceAll", "mustRegexReplaceAll"], Exact(3), |a| {
        let regex = compile(str_arg(a, 0)?)?;
        Ok(regex
            .replace_all(str_arg(a, 1)?, str_arg(a, 2)?)
            .into_owned()
            .into())
    });
    table.add(
        &["regexReplaceAllLiteral", "mustRegexReplaceAllLiteral"],
        Exact(3),
        |a| {
            let regex = compile(str_arg(a, 0)?)?;
            Ok(regex
                .replace_all(str_arg(a, 1)?, NoExpand(str_arg(a, 2)?))
                .into_owned()
                .into())
        },
    );
    table.add(&["regexSplit", "mustRegexSplit"], Exact(3), |a| {
        let regex = compile(str_arg(a, 0)?)?;
        Ok(split(
            &regex,
            str_arg(a, 0)?,
            str_arg(a, 1)?,
            int_arg(a, 2)?,
        ))
    });
    table.add(&["regexQuoteMeta"], Exact(1), |a| {
        let quoted: String = str_arg(a, 0)?
            .chars()
            .flat_map(|c| {
                let special = r"\.+*?()|[]{}^$".contains(c);
                special.then_some('\\').into_iter().chain([c])
            })
            .collect();
        Ok(quoted.into())
    });
}

fn compile(pattern: &str) -> Result<Regex, FuncError> {
    Regex::new(pattern).map_err(|e| fail(format!("error parsing regexp: {e}")))
}

/// Go's `FindAllStringIndex(s, n)`: at most `n` matches (all when `n` < 0).
fn limited(regex: &Regex, text: &str, n: i64) -> Vec<(usize, usize)> {
    let all = regex.find_iter(text).map(|m| (m.start(), m.end()));
    match usize::try_from(n) {
        Ok(n) => all.take(n).collect(),
        Err(_) => all.collect(),
    }
}

/// Go's `Regexp.Split`.
fn split(regex: &Regex, pattern: &str, text: &str, n: i64) -> Value {
    if n == 0 {
        return Value::list(Vec::new());
    }
    if !pattern.is_empty() && text.is_empty() {
        return string_list([String::new()]);
    }
    let mut parts = Vec::new();
    let (mut begin, mut end) = (0, 0);
    for (start, stop) in limited(regex, text, n) {
        if n > 0 && parts.len() as i64 == n - 1 {
            break;
        }
        end = start;
        if stop != 0 {
            parts.push(text[begin..end].to_owned());
        }
        begin = stop;
    }
    if end != text.len() {
        parts.push(text[begin..].to_owned());
    }
    string_list(parts)
}
