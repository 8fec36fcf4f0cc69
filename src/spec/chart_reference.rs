//! Chart references: `oci://HOST/PATH/NAME` plus a version, as `helm pull
//! oci://… --version V` takes them. Parsed here, with the rest of the
//! inputs; the Helm installer's `oci` pulls them.

use std::fmt;
use std::net::IpAddr;

/// A chart reference or version that cannot be pulled as given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("chart reference {reference:?} {problem}")]
pub struct InvalidChartReference {
    /// The reference and version as given.
    pub reference: String,
    /// What is wrong with it.
    pub problem: String,
}

/// Where a chart lives in an OCI registry, and which version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartReference {
    /// `host[:port]`, e.g. `xpkg.upbound.io`.
    pub registry: String,
    /// The repository path, e.g. `spaces-artifacts/agent`.
    pub repository: String,
    /// The chart version (SemVer, `+` allowed), e.g. `0.0.0-441.g68777b9`.
    pub version: String,
}

impl ChartReference {
    /// Parses `oci://HOST/PATH/NAME` and a version. A tag in the URL
    /// (`…/agent:1.2.3`) must equal the version, as Helm requires; digests
    /// (`@sha256:…`) and version ranges are not accepted.
    pub fn parse(url: &str, version: &str) -> Result<Self, InvalidChartReference> {
        let invalid = |problem: &str| InvalidChartReference {
            reference: format!("{url} {version}"),
            problem: problem.to_owned(),
        };
        let rest = url
            .strip_prefix("oci://")
            .ok_or_else(|| invalid("must start with oci://"))?;
        let (registry, path) = rest
            .split_once('/')
            .filter(|(host, path)| !host.is_empty() && !path.is_empty())
            .ok_or_else(|| invalid("must be oci://HOST/PATH/NAME"))?;
        if path.contains('@') {
            return Err(invalid(
                "pins a digest; give the chart version instead (the pulled digest is recorded)",
            ));
        }
        let version = version.trim();
        if version.is_empty() || version.contains(char::is_whitespace) {
            return Err(invalid(
                "needs an exact chart version, e.g. 0.0.0-441.g68777b9",
            ));
        }
        let repository = match path.rsplit_once(':') {
            Some((repository, tag)) if !tag.contains('/') => {
                if tag != version && tag != tag_for(version) {
                    return Err(invalid(&format!(
                        "has tag {tag:?} in the URL but version {version:?}; give one or make them equal"
                    )));
                }
                repository
            }
            _ => path,
        };
        Ok(Self {
            registry: registry.to_owned(),
            repository: repository.to_owned(),
            version: version.to_owned(),
        })
    }

    /// The OCI tag: the version with `+` (illegal in tags) written `_`, as
    /// Helm pushes it.
    pub fn tag(&self) -> String {
        tag_for(&self.version)
    }

    /// Whether the registry is on this machine, the only place plain HTTP is
    /// used (as for `helm --plain-http` against a local registry).
    pub fn is_loopback(&self) -> bool {
        let host = match self.registry.strip_prefix('[') {
            Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
            None => self.registry.split(':').next().unwrap_or_default(),
        };
        host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

impl fmt::Display for ChartReference {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "oci://{}/{} version {}",
            self.registry, self.repository, self.version
        )
    }
}

fn tag_for(version: &str) -> String {
    version.replace('+', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_host_repository_and_maps_plus_to_underscore() {
        let reference = ChartReference::parse(
            "oci://xpkg.upbound.io/spaces-artifacts/agent",
            "1.2.3+build",
        )
        .unwrap();
        assert_eq!(reference.registry, "xpkg.upbound.io");
        assert_eq!(reference.repository, "spaces-artifacts/agent");
        assert_eq!(reference.tag(), "1.2.3_build");
        assert!(!reference.is_loopback());
    }

    #[test]
    fn a_tag_in_the_url_must_match_the_version() {
        assert!(ChartReference::parse("oci://127.0.0.1:5000/a/agent:1.0.0", "1.0.0").is_ok());
        assert!(ChartReference::parse("oci://127.0.0.1:5000/a/agent:1.0.0", "2.0.0").is_err());
    }

    #[test]
    fn only_loopback_hosts_are_loopback() {
        for (registry, loopback) in [
            ("127.0.0.1:5000", true),
            ("localhost:5000", true),
            ("[::1]:5000", true),
            ("registry.example:5000", false),
            ("10.0.0.1", false),
        ] {
            let reference = ChartReference::parse(&format!("oci://{registry}/x"), "1.0.0").unwrap();
            assert_eq!(reference.is_loopback(), loopback, "{registry}");
        }
    }

    #[test]
    fn rejects_what_helm_would_not_pull() {
        for (url, version) in [
            ("https://x/y", "1.0.0"),
            ("oci://x", "1.0.0"),
            ("oci://x/y", ""),
            ("oci://x/y@sha256:00", "1.0.0"),
        ] {
            assert!(
                ChartReference::parse(url, version).is_err(),
                "{url} {version}"
            );
        }
    }
}
