//! `.helmignore` rules, as Helm's `pkg/ignore` applies them when loading a
//! chart directory: one glob per line (Go `filepath.Match`), `#` comments,
//! `!` negation, a trailing `/` for directories only, a leading `/` anchors
//! at the chart root, a pattern without `/` matches the base name; `**` is
//! refused. The default rule `templates/.?*` hides dot-files in templates.

use super::ChartError;

/// A parsed `.helmignore`.
#[derive(Clone, Debug, Default)]
pub(super) struct IgnoreRules {
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
struct Pattern {
    glob: String,
    negate: bool,
    dir_only: bool,
    scope: Scope,
}

#[derive(Clone, Copy, Debug)]
enum Scope {
    /// Matched against the base name.
    BaseName,
    /// Matched against the whole chart-relative path.
    Path,
}

impl IgnoreRules {
    /// Parses `.helmignore` text and adds Helm's default rule.
    pub(super) fn parse(text: &str) -> Result<Self, ChartError> {
        let mut rules = Self::default();
        for line in text.lines().chain(std::iter::once("templates/.?*")) {
            rules.add(line)?;
        }
        Ok(rules)
    }

    fn add(&mut self, line: &str) -> Result<(), ChartError> {
        let rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        let invalid = |problem: &str| ChartError::Ignore {
            rule: rule.to_owned(),
            problem: problem.to_owned(),
        };
        if rule.contains("**") {
            return Err(invalid("uses **, which .helmignore does not support"));
        }
        if glob_match(rule, "abc").is_none() {
            return Err(invalid("is not a valid glob"));
        }
        let (negate, rest) = match rule.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let (dir_only, rest) = match rest.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let (scope, glob) = if let Some(anchored) = rest.strip_prefix('/') {
            (Scope::Path, anchored)
        } else if rest.contains('/') {
            (Scope::Path, rest)
        } else {
            (Scope::BaseName, rest)
        };
        self.patterns.push(Pattern {
            glob: glob.to_owned(),
            negate,
            dir_only,
            scope,
        });
        Ok(())
    }

    /// Whether `path` (chart-relative, `/`-separated) is ignored.
    pub(super) fn ignores(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." {
            return false;
        }
        for pattern in &self.patterns {
            let name = match pattern.scope {
                Scope::BaseName => path.rsplit('/').next().unwrap_or(path),
                Scope::Path => path,
            };
            let matched = glob_match(&pattern.glob, name) == Some(true);
            if pattern.negate {
                if (pattern.dir_only && !is_dir) || !matched {
                    return true;
                }
            } else if (is_dir || !pattern.dir_only) && matched {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.Match` on `/`-separated names: `*` and `?` do not cross
/// `/`, `[...]` classes (`^` negates, ranges, `\` escapes). `None` when the
/// pattern is malformed.
fn glob_match(pattern: &str, name: &str) -> Option<bool> {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    match_from(&pattern, &name)
}

fn match_from(pattern: &[char], name: &[char]) -> Option<bool> {
    match pattern.split_first() {
        None => Some(name.is_empty()),
        Some(('*', rest)) => {
            for split in 0..=name.len() {
                if match_from(rest, &name[split..])? {
                    return Some(true);
                }
                if name.get(split) == Some(&'/') {
                    break;
                }
            }
            Some(false)
        }
        Some(('?', rest)) => match name.split_first() {
            Some((c, name_rest)) if *c != '/' => match_from(rest, name_rest),
            _ => {
                match_from(rest, &[])?;
                Some(false)
            }
        },
        Some(('[', rest)) => {
            let (matched, after) = match_class(rest, name.first().copied())?;
            match name.split_first() {
                Some((c, name_rest)) if *c != '/' && matched => match_from(after, name_rest),
                _ => {
                    match_from(after, &[])?;
                    Some(false)
                }
            }
        }
        Some(('\\', rest)) => {
            let (literal, rest) = rest.split_first()?;
            literal_then(*literal, rest, name)
        }
        Some((literal, rest)) => literal_then(*literal, rest, name),
    }
}

fn literal_then(literal: char, rest: &[char], name: &[char]) -> Option<bool> {
    match name.split_first() {
        Some((c, name_rest)) if *c == literal => match_from(rest, name_rest),
        _ => {
            match_from(rest, &[])?;
            Some(false)
        }
    }
}

/// Matches one character against a class body (after `[`); returns whether
/// it matched and the pattern after the closing `]`.
fn match_class(body: &[char], c: Option<char>) -> Option<(bool, &[char])> {
    let (negated, mut body) = match body.split_first() {
        Some(('^', rest)) => (true, rest),
        _ => (false, body),
    };
    let mut matched = false;
    let mut first = true;
    loop {
        if let (Some(']'), false) = (body.first(), first) {
            return Some((matched != negated, &body[1..]));
        }
        first = false;
        let (low, rest) = class_char(body)?;
        let (high, rest) = match rest.split_first() {
            Some(('-', range_rest)) if range_rest.first() != Some(&']') => class_char(range_rest)?,
            _ => (low, rest),
        };
        if c.is_some_and(|c| low <= c && c <= high) {
            matched = true;
        }
        body = rest;
    }
}

fn class_char(body: &[char]) -> Option<(char, &[char])> {
    match body.split_first()? {
        ('\\', rest) => rest.split_first().map(|(c, rest)| (*c, rest)),
        ('-' | ']', _) => None,
        (c, rest) => Some((*c, rest)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_follow_go_filepath_match() {
        for (pattern, name, expected) in [
            ("*.txt", "a.txt", true),
            ("*.txt", "dir/a.txt", false),
            ("a?c", "abc", true),
            ("[a-c]x", "bx", true),
            ("[^a-c]x", "bx", false),
            ("\\*", "*", true),
            ("templates/.?*", "templates/.hidden", true),
            ("templates/.?*", "templates/.", false),
        ] {
            assert_eq!(
                glob_match(pattern, name),
                Some(expected),
                "{pattern} {name}"
            );
        }
        assert_eq!(glob_match("[", "a"), None);
    }

    #[test]
    fn rules_as_helmignore_applies_them() {
        let rules = IgnoreRules::parse("# comment\n*.tmp\n/secret.yaml\nci/\n").unwrap();
        assert!(rules.ignores("x.tmp", false));
        assert!(rules.ignores("templates/x.tmp", false));
        assert!(rules.ignores("secret.yaml", false));
        assert!(!rules.ignores("templates/secret.yaml", false));
        assert!(rules.ignores("ci", true));
        assert!(!rules.ignores("ci", false));
        assert!(rules.ignores("templates/.swp", false));
        assert!(!rules.ignores("templates/a.yaml", false));
        assert!(IgnoreRules::parse("a/**/b").is_err());
    }
}
