//! `semver VERSION` (a version whose `.Major`, `.Minor`, `.Patch`,
//! `.Prerelease`, `.Metadata`, `.Original` and `.String` work as the Go
//! methods do) and `semverCompare CONSTRAINT VERSION` with Masterminds/semver v3's
//! grammar: `||` alternatives of comma- or space-separated constraints,
//! operators `= != > < >= <= ~ ~> ^`, wildcards (`1.2.x`, `*`), partial
//! versions, hyphen ranges (`1.2 - 1.4.5`), and its prerelease rule (a
//! prerelease only matches constraints that name a prerelease).

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Table, Value, fail, str_arg};
use crate::helm::template::{Arity, Dict, FuncError, Function, Methods};

pub(super) fn register(table: &mut Table<'_>) {
    table.add(&["semver"], Arity::Exact(1), |a| {
        let text = str_arg(a, 0)?;
        let version = Version::parse(text).ok_or_else(|| fail("Invalid Semantic Version"))?;
        Ok(version_object(text, &version))
    });
    table.add(&["semverCompare"], Arity::Exact(2), |a| {
        let constraints = parse_constraints(str_arg(a, 0)?)?;
        let version =
            Version::parse(str_arg(a, 1)?).ok_or_else(|| fail("Invalid Semantic Version"))?;
        let matched = constraints
            .iter()
            .any(|group| group.iter().all(|c| c.check(&version)));
        Ok(matched.into())
    });
}

const VERSION: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(?:-([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?(?:\+([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?";

static VERSION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{VERSION}$")).expect("valid regex"));
static CONSTRAINT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*",
        r"(v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?",
        r"(?:-([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?(?:\+[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*)?)\s*$"
    ))
    .expect("valid regex")
});
static HYPHEN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(v?[0-9xX*][0-9A-Za-z.+\-*]*)\s+-\s+(v?[0-9xX*][0-9A-Za-z.+\-*]*)\s*")
        .expect("valid regex")
});

/// `semver`'s result: a `*semver.Version`, no entries and the methods it
/// offers a template (printed by its `String`).
fn version_object(original: &str, v: &Version) -> Value {
    let method = |value: Value| -> Function {
        Arc::new(move |_, args| {
            FuncError::expect_args(args, 0)?;
            Ok(value.clone())
        })
    };
    let int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let mut text = format!("{}.{}.{}", v.major, v.minor, v.patch);
    if !v.prerelease.is_empty() {
        text = format!("{text}-{}", v.prerelease);
    }
    if !v.metadata.is_empty() {
        text = format!("{text}+{}", v.metadata);
    }
    let methods = Methods::new("*semver.Version")
        .method("Major", method(int(v.major)))
        .method("Minor", method(int(v.minor)))
        .method("Patch", method(int(v.patch)))
        .method("Prerelease", method(v.prerelease.clone().into()))
        .method("Metadata", method(v.metadata.clone().into()))
        .method("Original", method(original.into()))
        .string(text);
    Value::Map(Dict::with_methods(BTreeMap::new(), methods))
}

/// A semantic version; build metadata takes no part in comparisons.
#[derive(Debug, Clone)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    prerelease: String,
    metadata: String,
}

impl Version {
    fn parse(text: &str) -> Option<Version> {
        let caps = VERSION_RE.captures(text.trim())?;
        let part = |i: usize| -> Option<u64> {
            caps.get(i)
                .map_or(Some(0), |m| m.as_str().trim_start_matches('.').parse().ok())
        };
        Some(Version {
            major: part(1)?,
            minor: part(2)?,
            patch: part(3)?,
            prerelease: caps.get(4).map_or("", |m| m.as_str()).to_owned(),
            metadata: caps.get(5).map_or("", |m| m.as_str()).to_owned(),
        })
    }

    fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_prerelease(&self.prerelease, &other.prerelease))
    }
}

/// SemVer precedence of prereleases: none is highest; numeric
/// identifiers compare as numbers and below alphanumeric ones.
fn compare_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut x, mut y) = (a.split('.'), b.split('.'));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let order = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => p.cmp(q),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// One constraint: an operator and a version, with which parts were
/// wildcards or missing (`dirty`).
struct Constraint {
    op: String,
    version: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    /// A wildcard major (`*`, `x`): any release matches.
    any: bool,
}

fn parse_constraints(text: &str) -> Result<Vec<Vec<Constraint>>, FuncError> {
    let rewritten = HYPHEN_RE.replace_all(text, " >= $1, <= $2 ");
    rewritten
        .split("||")
        .map(|group| {
            group
                .split([',', ' '])
                .filter(|s| !s.trim().is_empty())
                .fold(Vec::<String>::new(), |mut parts, piece| {
                    // An operator written apart from its version (`>= 1.2`).
                    match parts.last_mut() {
                        Some(last) if CONSTRAINT_RE.captures(last).is_none() => {
                            last.push_str(piece)
                        }
                        _ => parts.push(piece.to_owned()),
                    }
                    parts
                })
                .iter()
                .map(|c| {
                    parse_constraint(c).ok_or_else(|| fail(format!("improper constraint: {text}")))
                })
                .collect()
        })
        .collect()
}

fn parse_constraint(text: &str) -> Option<Constraint> {
    let caps = CONSTRAINT_RE.captures(text)?;
    let is_x = |s: &str| matches!(s, "x" | "X" | "*");
    let part = |i: usize| {
        caps.get(i)
            .map(|m| m.as_str().trim_start_matches('.').to_owned())
    };
    let (major, minor, patch) = (part(3)?, part(4), part(5));
    let prerelease = part(6).unwrap_or_default();
    let number = |s: &Option<String>| {
        s.as_deref()
            .filter(|s| !is_x(s))
            .map_or(Some(0), |s| s.parse().ok())
    };
    let (minor_dirty, patch_dirty) = if is_x(&major) || minor.as_deref().is_none_or(is_x) {
        (true, true)
    } else {
        (false, patch.as_deref().is_none_or(is_x))
    };
    let major_number = if is_x(&major) { 0 } else { major.parse().ok()? };
    Some(Constraint {
        op: caps.get(1).map_or("", |m| m.as_str()).to_owned(),
        version: Version {
            major: major_number,
            minor: if minor_dirty { 0 } else { number(&minor)? },
            patch: if patch_dirty { 0 } else { number(&patch)? },
            prerelease,
            metadata: String::new(),
        },
        minor_dirty,
        patch_dirty,
        any: is_x(&major),
    })
}

impl Constraint {
    fn check(&self, v: &Version) -> bool {
        let c = &self.version;
        if !v.prerelease.is_empty() && c.prerelease.is_empty() {
            return false;
        }
        if self.any {
            return true;
        }
        let dirty = self.minor_dirty || self.patch_dirty;
        match self.op.as_str() {
            "" | "=" if dirty => self.tilde(v),
            "" | "=" => v.compare(c) == Ordering::Equal,
            "!=" => {
                if dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if self.minor_dirty {
                        return false;
                    }
                    if c.minor != v.minor {
                        return true;
                    }
                    return !self.patch_dirty && c.patch != v.patch;
                }
                v.compare(c) != Ordering::Equal
            }
            ">" => {
                if !dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                v.minor > c.minor
            }
            "<" => v.compare(c) == Ordering::Less,
            ">=" | "=>" => v.compare(c) != Ordering::Less,
            "<=" | "=<" => {
                if !dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            "~" | "~>" => self.tilde(v),
            "^" => self.caret(v),
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.version;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
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
        if v.minor > 0 {
            return false;
        }
        v.patch == c.patch
    }
}
