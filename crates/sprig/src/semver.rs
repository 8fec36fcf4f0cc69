//! Semantic versions and constraints as Masterminds/semver v3.5.0 (the one
//! Helm v3.21.4 builds with) parses and checks them, for both of Helm's
//! uses: a chart's `kubeVersion` and a dependency's `version`
//! (`IsCompatibleRange`), and the template functions `semver` and
//! `semverCompare`.
//!
//! Versions are read as `NewVersion` with `CoerceNewVersion` (leading
//! zeros and missing minor/patch allowed). Constraints: `||` alternatives
//! of space- or comma-separated `OP VERSION`s, operators `= != > < >= => <=
//! =< ~ ~> ^`, wildcards (`x`, `X`, `*`) and missing parts, hyphen ranges
//! (`1.2 - 1.4.5`); a prerelease version satisfies an alternative only if
//! one of its constraints names a prerelease. The regular expressions are
//! Masterminds' own, with Go's ASCII `\s`.

use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use gotemplate::quote;

/// Why a version or constraint does not parse; worded as Masterminds'.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SemverError {
    /// Not a version at all.
    #[error("invalid semantic version")]
    InvalidVersion,
    /// A version longer than Masterminds allows.
    #[error("version string is too long (max {MAX_VERSION_LEN} bytes)")]
    VersionTooLong,
    /// A numeric prerelease identifier with a leading zero.
    #[error("version segment starts with 0")]
    SegmentStartsZero,
    /// A prerelease with an empty or invalid identifier.
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    /// Build metadata with an empty or invalid identifier.
    #[error("invalid metadata string")]
    InvalidMetadata,
    /// A version part too large for 64 bits.
    #[error("error parsing version segment: strconv.ParseUint: parsing {}: value out of range", quote(.0))]
    SegmentOutOfRange(String),
    /// An alternative of a constraint that is not `OP VERSION`s.
    #[error("improper constraint: {}", quote(.0))]
    ImproperConstraint(String),
    /// A constraint whose version the constraint grammar admits but no
    /// version is (`1|2`, `1.x-pre!`).
    #[error("constraint parser error")]
    ParserError,
    /// A constraint longer than Masterminds allows.
    #[error("constraint string is too long (max {MAX_CONSTRAINT_LEN} bytes)")]
    ConstraintTooLong,
    /// More `||` alternatives than Masterminds allows.
    #[error("too many constraint groups (max {MAX_CONSTRAINT_GROUPS})")]
    TooManyGroups,
}

const MAX_VERSION_LEN: usize = 256;
const MAX_CONSTRAINT_LEN: usize = 512;
const MAX_CONSTRAINT_GROUPS: usize = 32;

/// Go's `\s`.
const SPACE: &str = r"[\t\n\f\r ]";
/// The operators, in Masterminds' order (which decides what matches first).
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
/// A constraint's version (its classes admit `|`, as Masterminds' do).
const CV: &str = concat!(
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?",
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
);

fn regex(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\s", SPACE)).expect("valid regex")
}

static VERSION_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?",
        r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
        r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
    ))
});
static CONSTRAINT_RE: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^\s*({OPS})\s*({CV})\s*$")));
static RANGE_RE: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"\s*({CV})\s+-\s+({CV})\s*")));
static FIND_RE: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"({OPS})\s*({CV})")));
static VALID_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
    ))
});

/// A parsed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The major part.
    pub major: u64,
    /// The minor part (0 if missing).
    pub minor: u64,
    /// The patch part (0 if missing).
    pub patch: u64,
    /// The prerelease, without its `-` (empty if none).
    pub prerelease: String,
    /// The build metadata, without its `+` (empty if none).
    pub metadata: String,
}

impl Version {
    /// Masterminds' `NewVersion` (with `CoerceNewVersion`).
    pub fn parse(text: &str) -> Result<Version, SemverError> {
        if text.len() > MAX_VERSION_LEN {
            return Err(SemverError::VersionTooLong);
        }
        let caps = VERSION_RE
            .captures(text)
            .ok_or(SemverError::InvalidVersion)?;
        let number = |i: usize| -> Result<u64, SemverError> {
            let Some(part) = caps.get(i) else {
                return Ok(0);
            };
            let digits = part.as_str().trim_start_matches('.');
            digits
                .parse()
                .map_err(|_| SemverError::SegmentOutOfRange(digits.to_owned()))
        };
        let version = Version {
            major: number(1)?,
            minor: number(2)?,
            patch: number(3)?,
            prerelease: caps.get(5).map_or("", |m| m.as_str()).to_owned(),
            metadata: caps.get(8).map_or("", |m| m.as_str()).to_owned(),
        };
        if !version.prerelease.is_empty() {
            validate_prerelease(&version.prerelease)?;
        }
        if !version.metadata.is_empty() && !identifiers(&version.metadata) {
            return Err(SemverError::InvalidMetadata);
        }
        Ok(version)
    }

    /// SemVer precedence (build metadata takes no part).
    pub fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(
                || match (self.prerelease.is_empty(), other.prerelease.is_empty()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => compare_prerelease(&self.prerelease, &other.prerelease),
                },
            )
    }
}

/// Masterminds' `String`: `MAJOR.MINOR.PATCH[-PRE][+META]`.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.prerelease.is_empty() {
            write!(f, "-{}", self.prerelease)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

/// Dot-separated identifiers of `[0-9A-Za-z-]`, none empty.
fn identifiers(text: &str) -> bool {
    text.split('.').all(|part| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

fn validate_prerelease(text: &str) -> Result<(), SemverError> {
    for part in text.split('.') {
        if part.bytes().all(|b| b.is_ascii_digit()) && part.len() > 1 && part.starts_with('0') {
            return Err(SemverError::SegmentStartsZero);
        }
    }
    if identifiers(text) {
        Ok(())
    } else {
        Err(SemverError::InvalidPrerelease)
    }
}

/// Masterminds' `comparePrerelease`: identifier by identifier, a missing
/// one lowest, numbers below words.
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

/// A parsed constraint string: alternatives of constraints that must all
/// hold.
pub struct Constraints {
    groups: Vec<Group>,
}

struct Group {
    constraints: Vec<Constraint>,
    /// One of them names a prerelease, so prereleases may match.
    has_prerelease: bool,
}

/// One `OP VERSION`; a wildcard or missing part makes it `dirty`.
struct Constraint {
    op: String,
    version: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

impl Constraints {
    /// Masterminds' `NewConstraint`.
    pub fn parse(text: &str) -> Result<Constraints, SemverError> {
        if text.len() > MAX_CONSTRAINT_LEN {
            return Err(SemverError::ConstraintTooLong);
        }
        let text = rewrite_ranges(text);
        let alternatives: Vec<&str> = text.split("||").collect();
        if alternatives.len() > MAX_CONSTRAINT_GROUPS {
            return Err(SemverError::TooManyGroups);
        }
        let groups = alternatives
            .into_iter()
            .map(|alternative| {
                if !VALID_RE.is_match(alternative) {
                    return Err(SemverError::ImproperConstraint(alternative.to_owned()));
                }
                // A valid alternative holds at least one constraint.
                let constraints = FIND_RE
                    .find_iter(alternative)
                    .map(|m| Constraint::parse(m.as_str()))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Group {
                    has_prerelease: constraints.iter().any(|c| !c.version.prerelease.is_empty()),
                    constraints,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Constraints { groups })
    }

    /// Masterminds' `Check`: whether some alternative holds for `version`.
    pub fn check(&self, version: &Version) -> bool {
        self.groups.iter().any(|group| {
            group
                .constraints
                .iter()
                .all(|c| c.check(version, group.has_prerelease))
        })
    }
}

/// Helm's `IsCompatibleRange`: whether `version` satisfies `constraint`;
/// false if either does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraints::parse(constraint)) {
        (Ok(version), Ok(constraints)) => constraints.check(&version),
        _ => false,
    }
}

/// `A - B` becomes `>= A, <= B`, each match replacing its first
/// occurrence, as Masterminds' `rewriteRange` does.
fn rewrite_ranges(text: &str) -> String {
    let mut out = text.to_owned();
    for caps in RANGE_RE.captures_iter(text) {
        let (whole, from, to) = (&caps[0], &caps[1], &caps[11]);
        out = out.replacen(whole, &format!(">= {from}, <= {to} "), 1);
    }
    out
}

impl Constraint {
    fn parse(text: &str) -> Result<Constraint, SemverError> {
        let caps = CONSTRAINT_RE
            .captures(text)
            .ok_or_else(|| SemverError::ImproperConstraint(text.to_owned()))?;
        let part = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        let is_x = |s: &str| matches!(s, "x" | "X" | "*");
        let (major, minor, patch, pre) = (part(3), part(4), part(5), part(6));
        // (version, dirty, minor dirty, patch dirty); a wildcard major
        // leaves both others clean, as in Masterminds.
        let (rewritten, dirty, minor_dirty, patch_dirty) = if is_x(major) {
            (format!("0.0.0{pre}"), true, false, false)
        } else if minor.is_empty() || is_x(minor.trim_start_matches('.')) {
            (format!("{major}.0.0{pre}"), true, true, false)
        } else if patch.is_empty() || is_x(patch.trim_start_matches('.')) {
            (format!("{major}{minor}.0{pre}"), true, false, true)
        } else {
            (part(2).to_owned(), false, false, false)
        };
        Ok(Constraint {
            op: part(1).to_owned(),
            // The regex admits what no version is (`1|2`).
            version: Version::parse(&rewritten).map_err(|_| SemverError::ParserError)?,
            dirty,
            minor_dirty,
            patch_dirty,
        })
    }

    fn check(&self, v: &Version, include_prerelease: bool) -> bool {
        if !v.prerelease.is_empty() && !include_prerelease {
            return false;
        }
        let c = &self.version;
        match self.op.as_str() {
            "" | "=" if self.dirty => self.tilde(v),
            "" | "=" => v.compare(c) == Ordering::Equal,
            "!=" => self.not_equal(v),
            ">" => self.greater(v),
            "<" => v.compare(c) == Ordering::Less,
            ">=" | "=>" => v.compare(c) != Ordering::Less,
            "<=" | "=<" => self.less_equal(v),
            "~" | "~>" => self.tilde(v),
            "^" => self.caret(v),
            _ => unreachable!("the regex admits only these operators"),
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
                return (!v.prerelease.is_empty() || !c.prerelease.is_empty())
                    && compare_prerelease(&v.prerelease, &c.prerelease) != Ordering::Equal;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_match_masterminds() {
        let cases = [
            (">=1.20.0-0", "v1.20.0", true),
            (">= 1.19", "v1.20.0", true),
            ("<1.19", "v1.20.0", false),
            (">=1.28", "v1.30.2-eks-1", false),
            (">=1.28-0", "v1.30.2-eks-1", true),
            // A prerelease anywhere in the alternative lets prereleases in.
            (">=1.0.0-0 <2.0.0", "1.5.0-beta", true),
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
            (">= 1.2", "01.3.0", true),
        ];
        for (constraint, version, want) in cases {
            assert_eq!(
                is_compatible_range(constraint, version),
                want,
                "{constraint} vs {version}"
            );
        }
    }

    #[test]
    fn errors_are_worded_as_masterminds() {
        let error = |text| Constraints::parse(text).err().map(|e| e.to_string());
        assert_eq!(
            error("not a constraint!").as_deref(),
            Some(r#"improper constraint: "not a constraint!""#)
        );
        assert_eq!(
            Version::parse("x.y").unwrap_err().to_string(),
            "invalid semantic version"
        );
        assert_eq!(
            Version::parse("1.2.3-01").unwrap_err(),
            SemverError::SegmentStartsZero
        );
        assert_eq!(Version::parse("v1.2").unwrap().to_string(), "1.2.0");
    }
}
