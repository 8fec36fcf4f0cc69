//! `.Files`: a chart's non-template files, with Helm's methods (`Get`,
//! `GetBytes`, `Glob`, `Lines`, `AsConfig`, `AsSecrets`; pkg/engine/files.go).
//!
//! The object is a map holding each file's bytes (a Go `[]byte`) under its
//! chart-relative name (so `index .Files "a.txt"` and `range .Files.Glob
//! "x/*"` work), with the methods of Go's `engine.files` type.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;

use crate::helm::chart::File;
use gotemplate::{Call, Dict, FuncError, Function, Methods, Value};

/// The name of the template, added to every render's set, that prints
/// its dot with the set's own `toYaml` (Helm's `AsConfig` and `AsSecrets`
/// use the same `toYAML` as templates do).
pub(super) const TO_YAML_TEMPLATE: &str = "\u{0}helm.files.toYaml";

/// The text of [`TO_YAML_TEMPLATE`].
pub(super) const TO_YAML_TEXT: &str = "{{ toYaml . }}";

type Entries = Arc<Vec<(String, Arc<[u8]>)>>;

/// The `.Files` object of a chart.
pub(super) fn files_value(files: &[File]) -> Value {
    let entries: Vec<(String, Arc<[u8]>)> = files
        .iter()
        .map(|file| (file.name.clone(), Arc::from(file.data.as_slice())))
        .collect();
    object(Arc::new(entries))
}

fn object(entries: Entries) -> Value {
    let map: BTreeMap<String, Value> = entries
        .iter()
        .map(|(name, data)| (name.clone(), Value::bytes(data.clone())))
        .collect();
    let methods: [(&str, Function); 6] = [
        (
            "Get",
            method(&entries, 1, |files, _, args| {
                let name = FuncError::string_arg(args, 0)?;
                Ok(Value::String(
                    find(files, name).map(text).unwrap_or_default(),
                ))
            }),
        ),
        (
            "GetBytes",
            method(&entries, 1, |files, _, args| {
                let name = FuncError::string_arg(args, 0)?;
                Ok(Value::bytes(find(files, name).unwrap_or_default()))
            }),
        ),
        (
            "Glob",
            method(&entries, 1, |files, _, args| {
                let pattern = FuncError::string_arg(args, 0)?;
                let glob = Glob::compile(pattern).unwrap_or(Glob::compile("**").expect("valid"));
                let matched = files
                    .iter()
                    .filter(|(name, _)| glob.matches(name))
                    .cloned()
                    .collect();
                Ok(object(Arc::new(matched)))
            }),
        ),
        (
            "Lines",
            method(&entries, 1, |files, _, args| {
                let name = FuncError::string_arg(args, 0)?;
                let content = find(files, name).map(text).unwrap_or_default();
                if content.is_empty() {
                    return Ok(Value::list(Vec::new()));
                }
                let content = content.strip_suffix('\n').unwrap_or(&content);
                Ok(Value::list(content.split('\n').map(Value::from).collect()))
            }),
        ),
        (
            "AsConfig",
            method(&entries, 0, |files, call, _| as_yaml(call, files, text)),
        ),
        (
            "AsSecrets",
            method(&entries, 0, |files, call, _| {
                as_yaml(call, files, |data| {
                    base64::engine::general_purpose::STANDARD.encode(data)
                })
            }),
        ),
    ];
    let methods = methods
        .into_iter()
        .fold(Methods::new("engine.files"), |methods, (name, function)| {
            methods.method(name, function)
        });
    Value::Map(Dict::with_methods(map, methods))
}

/// A method over `entries` taking exactly `arity` arguments.
fn method(
    entries: &Entries,
    arity: usize,
    body: impl Fn(&[(String, Arc<[u8]>)], &Call<'_>, &[Value]) -> Result<Value, FuncError>
    + Send
    + Sync
    + 'static,
) -> Function {
    let entries = entries.clone();
    Arc::new(move |call, args| {
        FuncError::expect_args(args, arity)?;
        body(&entries, call, args)
    })
}

fn find<'f>(files: &'f [(String, Arc<[u8]>)], name: &str) -> Option<&'f [u8]> {
    files
        .iter()
        .find(|(file, _)| file == name)
        .map(|(_, data)| data.as_ref())
}

/// Go's `string([]byte)`, with invalid UTF-8 replaced (a Rust string
/// cannot hold it).
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// `AsConfig`/`AsSecrets`: base names to encoded contents, as YAML (a later
/// file of the same base name wins, as in Go's map).
fn as_yaml(
    call: &Call<'_>,
    files: &[(String, Arc<[u8]>)],
    encode: impl Fn(&[u8]) -> String,
) -> Result<Value, FuncError> {
    let map: BTreeMap<String, Value> = files
        .iter()
        .map(|(name, data)| {
            let base = name.rsplit('/').next().unwrap_or(name);
            (base.to_owned(), Value::String(encode(data)))
        })
        .collect();
    Ok(Value::String(
        call.execute(TO_YAML_TEMPLATE, &Value::map(map))?,
    ))
}

/// A `gobwas/glob` pattern with `/` as separator: `*` (within a path
/// segment), `**` (across segments), `?`, `[abc]`, `[!a-z]`, `{a,b}`, `\`.
struct Glob(Vec<char>);

impl Glob {
    /// `None` when the pattern does not compile (Helm then matches all).
    fn compile(pattern: &str) -> Option<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let (mut brackets, mut braces, mut escaped) = (false, 0_usize, false);
        for &c in &chars {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '[' if !brackets => brackets = true,
                ']' if brackets => brackets = false,
                '{' if !brackets => braces += 1,
                '}' if !brackets => braces = braces.checked_sub(1)?,
                _ => {}
            }
        }
        (!brackets && braces == 0 && !escaped).then_some(Glob(chars))
    }

    fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        match_here(&self.0, &name)
    }
}

fn match_here(pattern: &[char], name: &[char]) -> bool {
    let Some((&first, rest)) = pattern.split_first() else {
        return name.is_empty();
    };
    match first {
        '*' if rest.first() == Some(&'*') => {
            let rest = &rest[1..];
            (0..=name.len()).any(|i| match_here(rest, &name[i..]))
        }
        '*' => {
            let segment = name.iter().position(|&c| c == '/').unwrap_or(name.len());
            (0..=segment).any(|i| match_here(rest, &name[i..]))
        }
        '?' => name.first().is_some_and(|&c| c != '/') && match_here(rest, &name[1..]),
        '[' => {
            let Some(end) = rest.iter().position(|&c| c == ']') else {
                return false;
            };
            let (class, after) = (&rest[..end], &rest[end + 1..]);
            name.first().is_some_and(|&c| in_class(class, c)) && match_here(after, &name[1..])
        }
        '{' => {
            let Some((alternatives, after)) = split_braces(rest) else {
                return false;
            };
            alternatives.iter().any(|alternative| {
                let mut candidate = alternative.clone();
                candidate.extend_from_slice(after);
                match_here(&candidate, name)
            })
        }
        '\\' => match rest.split_first() {
            Some((&literal, rest)) => {
                name.first() == Some(&literal) && match_here(rest, &name[1..])
            }
            None => false,
        },
        literal => name.first() == Some(&literal) && match_here(rest, &name[1..]),
    }
}

fn in_class(class: &[char], c: char) -> bool {
    let (negated, class) = match class.split_first() {
        Some(('!', rest)) => (true, rest),
        _ => (false, class),
    };
    let mut found = false;
    let mut i = 0;
    while i < class.len() {
        if i + 2 < class.len() && class[i + 1] == '-' {
            found |= (class[i]..=class[i + 2]).contains(&c);
            i += 3;
        } else {
            found |= class[i] == c;
            i += 1;
        }
    }
    found != negated
}

/// The top-level alternatives of `{a,b}` (after the `{`) and what follows
/// the closing `}`.
fn split_braces(pattern: &[char]) -> Option<(Vec<Vec<char>>, &[char])> {
    let mut alternatives = vec![Vec::new()];
    let mut depth = 0;
    for (i, &c) in pattern.iter().enumerate() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some((alternatives, &pattern[i + 1..])),
            '}' => depth -= 1,
            ',' if depth == 0 => {
                alternatives.push(Vec::new());
                continue;
            }
            _ => {}
        }
        alternatives.last_mut()?.push(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_gobwas_does_with_slash_separators() {
        let cases = [
            ("files/*", "files/a.txt", true),
            ("files/*", "files/sub/a.txt", false),
            ("files/**", "files/sub/a.txt", true),
            ("**.yaml", "a/b/c.yaml", true),
            ("files/?.txt", "files/a.txt", true),
            ("files/[ab].txt", "files/c.txt", false),
            ("files/[!ab].txt", "files/c.txt", true),
            ("files/{a,b*}.txt", "files/bee.txt", true),
            ("conf/*.{json,yaml}", "conf/x.toml", false),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(
                Glob::compile(pattern).unwrap().matches(name),
                want,
                "{pattern} {name}"
            );
        }
        assert!(Glob::compile("files/[ab").is_none());
    }
}
