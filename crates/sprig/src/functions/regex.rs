//! Regular expressions in Go's syntax and semantics ([`crate::goregexp`]):
//! `regexMatch`, `regexFind`, `regexFindAll`, `regexReplaceAll`,
//! `regexReplaceAllLiteral`, `regexSplit`, `regexQuoteMeta`, with their
//! `must` forms. Only `regexMatch` swallows a bad pattern (false); the
//! others fail either way: the `must` forms with `regexp.Compile`'s error,
//! the plain ones with the panic of sprig's `regexp.MustCompile`.

use super::{Table, fail, int_arg, str_arg, string_list};
use crate::goregexp::{Regexp, quote_meta};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["regexMatch"], Exact(2), |a| {
        let text = str_arg(a, 1)?;
        Ok(Regexp::compile(str_arg(a, 0)?)
            .is_ok_and(|r| r.is_match(text))
            .into())
    });
    table.add(&["mustRegexMatch"], Exact(2), |a| {
        Ok(compile(a)?.is_match(str_arg(a, 1)?).into())
    });
    table.add(&["regexFind"], Exact(2), |a| {
        Ok(must_compile(a)?.find(str_arg(a, 1)?).into())
    });
    table.add(&["mustRegexFind"], Exact(2), |a| {
        Ok(compile(a)?.find(str_arg(a, 1)?).into())
    });
    table.add(&["regexFindAll"], Exact(3), |a| {
        find_all(must_compile(a)?, a)
    });
    table.add(&["mustRegexFindAll"], Exact(3), |a| {
        find_all(compile(a)?, a)
    });
    table.add(&["regexReplaceAll"], Exact(3), |a| {
        let regex = must_compile(a)?;
        Ok(regex.replace_all(str_arg(a, 1)?, str_arg(a, 2)?).into())
    });
    table.add(&["mustRegexReplaceAll"], Exact(3), |a| {
        let regex = compile(a)?;
        Ok(regex.replace_all(str_arg(a, 1)?, str_arg(a, 2)?).into())
    });
    table.add(&["regexReplaceAllLiteral"], Exact(3), |a| {
        let regex = must_compile(a)?;
        Ok(regex
            .replace_all_literal(str_arg(a, 1)?, str_arg(a, 2)?)
            .into())
    });
    table.add(&["mustRegexReplaceAllLiteral"], Exact(3), |a| {
        let regex = compile(a)?;
        Ok(regex
            .replace_all_literal(str_arg(a, 1)?, str_arg(a, 2)?)
            .into())
    });
    table.add(&["regexSplit"], Exact(3), |a| {
        let regex = must_compile(a)?;
        Ok(string_list(regex.split(str_arg(a, 1)?, int_arg(a, 2)?)))
    });
    table.add(&["mustRegexSplit"], Exact(3), |a| {
        let regex = compile(a)?;
        Ok(string_list(regex.split(str_arg(a, 1)?, int_arg(a, 2)?)))
    });
    table.add(&["regexQuoteMeta"], Exact(1), |a| {
        Ok(quote_meta(str_arg(a, 0)?).into())
    });
}

/// The pattern (argument 0) as `regexp.Compile` takes it.
fn compile(args: &[gotemplate::Value]) -> Result<Regexp, FuncError> {
    Regexp::compile(str_arg(args, 0)?).map_err(|e| fail(e.to_string()))
}

/// The pattern (argument 0) as `regexp.MustCompile` takes it: its panic,
/// which the template engine reports, names the pattern.
fn must_compile(args: &[gotemplate::Value]) -> Result<Regexp, FuncError> {
    let pattern = str_arg(args, 0)?;
    Regexp::compile(pattern).map_err(|e| {
        fail(format!(
            "regexp: Compile({}): {e}",
            go_regexp_quote(pattern)
        ))
    })
}

/// `regexp`'s `quote`: backquoted when `strconv.CanBackquote`, else
/// `strconv.Quote`d.
fn go_regexp_quote(s: &str) -> String {
    let can_backquote = s
        .chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control()));
    if can_backquote {
        format!("`{s}`")
    } else {
        gotemplate::quote(s)
    }
}

/// `FindAllString(text, n)` of arguments 1 and 2.
fn find_all(regex: Regexp, args: &[gotemplate::Value]) -> Result<gotemplate::Value, FuncError> {
    let (text, n) = (str_arg(args, 1)?, int_arg(args, 2)?);
    Ok(string_list(
        regex
            .find_all(text, n)
            .into_iter()
            .map(|(s, e)| text[s..e].to_owned()),
    ))
}
