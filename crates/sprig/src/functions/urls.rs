//! URLs: `urlParse` (a URL → dict of `scheme`, `host`, `hostname`, `path`,
//! `query`, `opaque`, `fragment`, `userinfo`) and `urlJoin` (back), as
//! Go's `net/url` splits and joins them.

use std::collections::BTreeMap;

use super::{Table, Value, fail, map_arg, str_arg};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["urlParse"], Exact(1), |a| parse(str_arg(a, 0)?));
    table.add(&["urlJoin"], Exact(1), |a| {
        let parts = map_arg(a, 0)?;
        let get = |key: &str| -> Result<String, FuncError> {
            match parts.get(key) {
                None => Ok(String::new()),
                Some(Value::String(s)) => Ok(s),
                Some(other) => Err(fail(format!(
                    "unable to parse {key} key, must be of type string, but {} found",
                    super::kind_name(&other)
                ))),
            }
        };
        let (scheme, host, path) = (get("scheme")?, get("host")?, get("path")?);
        let (query, opaque, fragment, userinfo) = (
            get("query")?,
            get("opaque")?,
            get("fragment")?,
            get("userinfo")?,
        );
        let mut out = String::new();
        if !scheme.is_empty() {
            out.push_str(&scheme);
            out.push(':');
        }
        if !opaque.is_empty() {
            out.push_str(&opaque);
        } else {
            if !scheme.is_empty() || !host.is_empty() || !userinfo.is_empty() {
                if !host.is_empty() || !path.is_empty() || !userinfo.is_empty() {
                    out.push_str("//");
                }
                if !userinfo.is_empty() {
                    out.push_str(&userinfo);
                    out.push('@');
                }
                out.push_str(&host);
            }
            if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
                out.push('/');
            }
            out.push_str(&path);
        }
        if !query.is_empty() {
            out.push('?');
            out.push_str(&query);
        }
        if !fragment.is_empty() {
            out.push('#');
            out.push_str(&fragment);
        }
        Ok(out.into())
    });
}

fn parse(url: &str) -> Result<Value, FuncError> {
    let (rest, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (scheme, rest) = match rest.split_once(':') {
        Some((scheme, rest))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (scheme.to_ascii_lowercase(), rest)
        }
        Some(("", _)) => {
            return Err(fail(format!(
                "unable to parse url: parse {}: missing protocol scheme",
                gotemplate::quote(url)
            )));
        }
        _ => (String::new(), rest),
    };
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut entries = BTreeMap::new();
    let (mut host, mut userinfo, mut opaque, mut path) = ("", "", "", rest);
    if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest;
        path = "";
    } else if let Some(after) = rest.strip_prefix("//") {
        let (authority, tail) = after.split_at(after.find('/').unwrap_or(after.len()));
        match authority.rsplit_once('@') {
            Some((user, h)) => {
                userinfo = user;
                host = h;
            }
            None => host = authority,
        }
        path = tail;
    }
    let hostname = if let Some(inner) = host.strip_prefix('[') {
        inner.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    let (path, fragment) = (unescape(path), unescape(fragment));
    for (key, value) in [
        ("scheme", scheme.as_str()),
        ("host", host),
        ("hostname", hostname),
        ("path", path.as_str()),
        ("query", query),
        ("opaque", opaque),
        ("fragment", fragment.as_str()),
        ("userinfo", userinfo),
    ] {
        entries.insert(key.to_owned(), Value::from(value));
    }
    Ok(Value::map(entries))
}

/// Percent-decoding, as Go's URL parser gives `Path` and `Fragment`
/// (a `%` not followed by two hex digits is kept as written).
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
