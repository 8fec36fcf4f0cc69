//! SemVer versions and constraints as Helm checks them with
//! Masterminds/semver v3 (`IsCompatibleRange`): a chart's `kubeVersion`
//! against the cluster, a dependency's `version` against the subchart.
//! Constraints: `=` `!=` `>` `<` `>=` `<=` `~` `~>` `^`, `x`/`*` wildcards and
//! missing parts, `A - B` ranges, AND by space or comma, OR by `||`; a
//! prerelease version satisfies a group only if the group names a prerelease.

use std::cmp::Ordering;

/// A parsed version (`v` prefix, one to three numeric parts, prerelease,
/// build metadata ignored in comparisons).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
}

impl Version {
    /// Masterminds' `NewVersion` (leading zeros coerced, as Helm's build
    /// sets `CoerceNewVersion`).
    fn parse(text: &str) -> Option<Version> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let (text, metadata) = match text.split_once('+') {
            Some((text, metadata)) => (text, Some(metadata)),
            None => (text, None),
        };
        if metadata.is_some_and(|m| !identifiers(m)) {
            return None;
        }
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) if identifiers(pre) => (core, pre),
            Some(_) => return None,
            None => (text, ""),
        };
        let mut parts = core.split('.');
        let mut number = |required: bool| match parts.next() {
            None if !required => Some(0),
            Some(part) if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) => {
                part.parse().ok()
            }
            _ => None,
        };
        let version = Version {
            major: number(true)?,
            minor: number(false)?,
            patch: number(false)?,
            pre: pre.to_owned(),
        };
        parts.next().is_none().then_some(version)
    }

    fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            })
    }
}

/// Dot-separated identifiers of `[0-9A-Za-z-]`, none empty.
fn identifiers(text: &str) -> bool {
    text.split('.').all(|part| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(i).copied().unwrap_or(""),
            b.get(i).copied().unwrap_or(""),
        );
        let order = match (x, y) {
            _ if x == y => Ordering::Equal,
            ("", _) => Ordering::Less,
            (_, "") => Ordering::Greater,
            _ => match (x.parse::<u64>(), y.parse::<u64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                (Ok(_), Err(_)) => Ordering::Less,
                (Err(_), Ok(_)) => Ordering::Greater,
                (Err(_), Err(_)) => x.cmp(y),
            },
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

/// One `OP VERSION` of a constraint.
struct Constraint {
    op: String,
    version: Version,
    /// The major part was a wildcard or missing.
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

impl Constraint {
    fn parse(op: &str, text: &str) -> Option<Constraint> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let (core, suffix) = match text.find(['-', '+']) {
            Some(at) => text.split_at(at),
            None => (text, ""),
        };
        let pre = match suffix.strip_prefix('-') {
            Some(rest) => format!("-{}", rest.split('+').next().unwrap_or("")),
            None => String::new(),
        };
        let parts: Vec<&str> = core.split('.').collect();
        let wild = |i: usize| parts.get(i).is_none_or(|p| matches!(*p, "x" | "X" | "*"));
        let (rewritten, minor_dirty, patch_dirty) = if wild(0) {
            (format!("0.0.0{pre}"), false, false)
        } else if wild(1) {
            (format!("{}.0.0{pre}", parts[0]), true, false)
        } else if wild(2) {
            (format!("{}.{}.0{pre}", parts[0], parts[1]), false, true)
        } else {
            (text.to_owned(), false, false)
        };
        Some(Constraint {
            op: op.to_owned(),
            version: Version::parse(&rewritten)?,
            dirty: wild(0) || wild(1) || wild(2),
            minor_dirty,
            patch_dirty,
        })
    }

    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.version;
        match self.op.as_str() {
            "" | "=" if !self.dirty => v.compare(c) == Ordering::Equal,
            "" | "=" | "~" | "~>" => self.tilde(v),
            "!=" => self.not_equal(v),
            ">" => self.greater(v),
            "<" => v.compare(c) == Ordering::Less,
            ">=" | "=>" => v.compare(c) != Ordering::Less,
            "<=" | "=<" => self.less_equal(v),
            "^" => self.caret(v),
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.version;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if (c.major, c.minor, c.patch) == (0, 0, 0) && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        v.major == c.major && (v.minor == c.minor || self.minor_dirty)
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.version;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if c.minor != v.minor && !self.minor_dirty {
                return true;
            }
            if self.minor_dirty {
                return false;
            }
            if c.patch != v.patch && !self.patch_dirty {
                return true;
            }
            if self.patch_dirty {
                return (!v.pre.is_empty() || !c.pre.is_empty())
                    && compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
            }
        }
        v.compare(c) != Ordering::Equal
    }

    fn greater(&self, v: &Version) -> bool {
        let c = &self.version;
        if !self.dirty {
            return v.compare(c) == Ordering::Greater;
        }
        if v.major != c.major {
            return v.major > c.major;
        }
        if self.minor_dirty {
            return false;
        }
        if self.patch_dirty {
            return v.minor > c.minor;
        }
        v.compare(c) == Ordering::Greater
    }

    fn less_equal(&self, v: &Version) -> bool {
        let c = &self.version;
        if !self.dirty {
            return v.compare(c) != Ordering::Greater;
        }
        !(v.major > c.major || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.version;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        v.minor == 0 && v.patch == c.patch
    }
}

const OPERATOR_CHARS: &[char] = &['=', '!', '<', '>', '~', '^'];
const OPERATORS: &[&str] = &[
    "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
];

/// The AND groups of a constraint string, or `None` if it does not parse.
fn parse_constraints(text: &str) -> Option<Vec<Vec<Constraint>>> {
    text.split("||").map(parse_group).collect()
}

fn parse_group(group: &str) -> Option<Vec<Constraint>> {
    let tokens: Vec<&str> = group
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let mut constraints = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        // `A - B` is `>= A, <= B`.
        if tokens.get(i + 1) == Some(&"-") && !token.starts_with(OPERATOR_CHARS) {
            constraints.push(Constraint::parse(">=", token)?);
            constraints.push(Constraint::parse("<=", tokens.get(i + 2)?)?);
            i += 3;
            continue;
        }
        let version_at = token
            .find(|c| !OPERATOR_CHARS.contains(&c))
            .unwrap_or(token.len());
        let (op, mut version) = token.split_at(version_at);
        if version.is_empty() {
            // An operator written apart from its version (`>= 1.2`).
            i += 1;
            version = tokens.get(i)?;
        }
        if !OPERATORS.contains(&op) {
            return None;
        }
        constraints.push(Constraint::parse(op, version)?);
        i += 1;
    }
    (!constraints.is_empty()).then_some(constraints)
}

/// Helm's `IsCompatibleRange`: whether `version` satisfies `constraint`;
/// false if either does not parse.
pub(crate) fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let (Some(groups), Some(version)) = (parse_constraints(constraint), Version::parse(version))
    else {
        return false;
    };
    groups.iter().any(|group| {
        let include_pre = group.iter().any(|c| !c.version.pre.is_empty());
        group.iter().all(|c| c.check(&version, include_pre))
    })
}

#[cfg(test)]
mod tests {
    use super::is_compatible_range as ok;

    #[test]
    fn constraints_match_masterminds() {
        let cases = [
            (">=1.20.0-0", "v1.20.0", true),
            (">= 1.19", "v1.20.0", true),
            ("<1.19", "v1.20.0", false),
            (">=1.28", "v1.30.2-eks-1", false),
            (">=1.28-0", "v1.30.2-eks-1", true),
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("^1.2", "1.9.0", true),
            ("^0.2.3", "0.3.0", false),
            ("1.2.x", "1.2.7", true),
            ("1.x", "2.0.0", false),
            ("*", "3.1.4", true),
            ("1.0.0 - 2.0.0", "1.5.0", true),
            ("1.0.0 - 2.0.0", "2.1.0", false),
            (">1.0, <2 || =3.0.0", "3.0.0", true),
            ("!=1.2.3", "1.2.3", false),
            ("", "1.0.0", false),
            ("0.1.0", "0.1.0", true),
            (">x", "1.0.0", true),
        ];
        for (constraint, version, want) in cases {
            assert_eq!(ok(constraint, version), want, "{constraint} vs {version}");
        }
    }
}
