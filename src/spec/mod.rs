//! What a connection should be, and every rule its inputs must follow —
//! checked here, once, before anything is changed. Each problem names the
//! field and the fix; all problems are reported together.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Url;
use serde::Deserialize;

use crate::secret::Secret;

mod access;
mod agent;
mod chart_reference;
mod duration;
mod field;

pub use access::{AccessLevel, Grant, GrantInput, OrgRole, Subject, SubjectKind};

pub use agent::{
    AGENT_CHART_PATH, AGENT_IMAGE_PATH, AGENT_RELEASE, AgentInput, AgentSpec, ChartSource,
    DEFAULT_AGENT_TIMEOUT, DEFAULT_AGENT_VERSION, REGISTRATION_IMAGE_PATH,
};
pub use chart_reference::{ChartReference, InvalidChartReference};
pub use duration::parse_duration;
pub use field::{AgentField, Field, GrantPart};

/// The Upbound API used when no endpoint is given.
pub const DEFAULT_ENDPOINT: &str = "https://api.upbound.io";
/// The namespace Spaces and the agent live in.
pub const DEFAULT_NAMESPACE: &str = "upbound-system";
/// The registry the agent chart and images come from.
pub const DEFAULT_REGISTRY: &str = "xpkg.upbound.io";
/// The Secret the agent reads its robot token from.
pub const DEFAULT_TOKEN_SECRET: &str = "connect-token";

/// A validated connection: what the engine makes true (connect) or undoes
/// (disconnect). Built only by [`ConnectionInput::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionSpec {
    /// The Space's name in Upbound (a DNS-1123 label).
    pub space: String,
    /// The Upbound organization's account name.
    pub organization: String,
    /// Namespace of the token Secret, the lease and the agent.
    pub namespace: String,
    /// Name of the Secret holding the robot token (key `token`).
    pub token_secret_name: String,
    /// Name of the Upbound robot the agent authenticates as.
    pub robot_name: String,
    /// Description given to the robot when it is created.
    pub robot_description: String,
    /// Registry credentials from a licence `token.json`, if given; the
    /// engine then keeps the pull secret `upbound-pull-secret` for them.
    pub license: Option<License>,
    /// The registry host (`host[:port]`) the licence is for.
    pub registry: String,
    /// Changing this value mints a new token and revokes the old one.
    pub token_rotation: Option<String>,
    /// Who creates the Space record in Upbound.
    pub space_record: SpaceRecordMode,
    /// Skip the check that Spaces is installed for this organization.
    pub skip_space_check: bool,
    /// Adopt an existing robot of the same name that this tool did not create.
    pub adopt_robot: bool,
    /// The Connect agent to install, or `None` to leave the agent alone.
    pub agent: Option<AgentSpec>,
    /// Hub RBAC grants on the Space's control planes, or `None` to leave
    /// Hub RBAC alone; `Some` of an empty list removes every grant this
    /// tool made.
    pub access: Option<Vec<Grant>>,
}

/// Who creates the Space record (`upbound.io/v1alpha1` `Space`) in Upbound.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpaceRecordMode {
    /// The agent registers the Space itself (`registration.enabled=true`),
    /// as the manual Helm instructions do.
    #[default]
    Agent,
    /// The engine creates the record, as `up space connect` does, and
    /// deletes it on disconnect.
    Engine,
}

/// Registry credentials from a licence `token.json`
/// (`{"accessId": …, "token": …}`), used for the chart and image pulls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct License {
    /// The access ID: the registry user name.
    pub access_id: String,
    /// The token: the registry password.
    pub token: Secret,
}

/// How to reach the Upbound API, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpboundAccess {
    /// The API's base URL, e.g. `https://api.upbound.io`.
    pub endpoint: Url,
    /// A personal access token or robot token (a JWT with a `jti` claim).
    pub token: Secret,
    /// The token's `jti` claim: the login ID.
    pub token_id: String,
    /// Timeout of each HTTP request.
    pub request_timeout: Duration,
}

/// A connection as a person or a face wrote it: optional fields take their
/// defaults in [`validate`](Self::validate).
#[derive(Clone, Debug, Default)]
pub struct ConnectionInput {
    /// See [`ConnectionSpec::space`].
    pub space: String,
    /// See [`ConnectionSpec::organization`].
    pub organization: String,
    /// Default [`DEFAULT_NAMESPACE`].
    pub namespace: Option<String>,
    /// Default [`DEFAULT_TOKEN_SECRET`].
    pub token_secret_name: Option<String>,
    /// Default: the space name.
    pub robot_name: Option<String>,
    /// Default: `Robot used for authenticating Space "<space>" with Upbound Connect`.
    pub robot_description: Option<String>,
    /// The content of a licence `token.json`.
    pub license_json: Option<Secret>,
    /// Default [`DEFAULT_REGISTRY`].
    pub registry: Option<String>,
    /// See [`ConnectionSpec::token_rotation`].
    pub token_rotation: Option<String>,
    /// See [`ConnectionSpec::space_record`].
    pub space_record: SpaceRecordMode,
    /// See [`ConnectionSpec::skip_space_check`].
    pub skip_space_check: bool,
    /// See [`ConnectionSpec::adopt_robot`].
    pub adopt_robot: bool,
    /// See [`ConnectionSpec::agent`].
    pub agent: Option<AgentInput>,
    /// See [`ConnectionSpec::access`].
    pub access: Option<Vec<GrantInput>>,
}

/// How to reach Upbound as written: both optional until validated.
#[derive(Clone, Debug, Default)]
pub struct UpboundInput {
    /// Default [`DEFAULT_ENDPOINT`].
    pub endpoint: Option<String>,
    /// Required.
    pub token: Option<Secret>,
    /// Default 30 s.
    pub request_timeout: Option<Duration>,
}

/// One input problem: which field, what is wrong, how to fix it. The
/// problem and the fix name no input: a face puts the field's name, in its
/// own words, in front of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError<F = Field> {
    /// The field at fault (a face's own inputs use their own type).
    pub field: F,
    /// What is wrong; never contains a secret nor quotes input content
    /// that can hold one.
    pub problem: String,
    /// What to do instead.
    pub fix: String,
}

impl<F> FieldError<F> {
    /// A problem with `field`.
    pub fn new(field: F, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            field,
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl<F: fmt::Display> fmt::Display for FieldError<F> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}; {}", self.field, self.problem, self.fix)
    }
}

impl<F: fmt::Display + fmt::Debug> std::error::Error for FieldError<F> {}

/// Every problem found in one set of inputs (never empty).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct InvalidInput(pub Vec<FieldError>);

impl InvalidInput {
    /// The problem with `field`, if there is one.
    pub fn field(&self, field: Field) -> Option<&FieldError> {
        self.0.iter().find(|error| error.field == field)
    }
}

/// Collects field problems while inputs are checked.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: Field, problem: impl Into<String>, fix: impl Into<String>) {
        self.0.push(FieldError::new(field, problem, fix));
    }

    /// Checks that `value` is a DNS-1123 label (what Kubernetes names and
    /// label values need); `example` is a good value for this field.
    fn dns_label(&mut self, field: Field, value: &str, example: &str) {
        if let Some(problem) = dns_label_problem(value) {
            self.add(
                field,
                format!("{value:?} {problem}"),
                format!("use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. {example:?})"),
            );
        }
    }

    /// The value as written, refused when blank space pads it (what a
    /// person meant cannot be guessed: the engine never trims silently).
    fn unpadded(&mut self, field: Field, value: String) -> String {
        if value.trim() != value && !value.trim().is_empty() {
            self.add(
                field,
                format!("{value:?} has leading or trailing blank space"),
                format!("write {:?}", value.trim()),
            );
        }
        value
    }

    /// An optional value: blank means unset; padding is refused.
    fn optional(&mut self, field: Field, value: Option<String>) -> Option<String> {
        match value {
            Some(value) if !value.trim().is_empty() => Some(self.unpadded(field, value)),
            _ => None,
        }
    }

    /// An optional value, or `default` when unset.
    fn or_default(&mut self, field: Field, value: Option<String>, default: &str) -> String {
        self.optional(field, value)
            .unwrap_or_else(|| default.to_owned())
    }

    fn finish<T>(self, value: T) -> Result<T, InvalidInput> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(InvalidInput(self.0))
        }
    }
}

/// Why `value` is not a DNS-1123 label, or `None` if it is one.
fn dns_label_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return Some("is empty");
    }
    if value.len() > 63 {
        return Some("is longer than 63 characters");
    }
    if !value
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
    {
        return Some("may only contain lowercase letters, digits and '-'");
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Some("must start and end with a letter or digit");
    }
    None
}

/// Why `value` is not a DNS-1123 subdomain (a Secret name), or `None`.
fn dns_subdomain_problem(value: &str) -> Option<&'static str> {
    if value.len() > 253 {
        return Some("is longer than 253 characters");
    }
    value.split('.').find_map(dns_label_problem)
}

impl ConnectionInput {
    /// Checks every field and fills in defaults. Nothing is contacted.
    pub fn validate(self) -> Result<ConnectionSpec, InvalidInput> {
        let mut problems = Problems::default();
        let space = problems.unpadded(Field::Space, self.space);
        problems.dns_label(Field::Space, space.trim(), "my-space");
        let organization = validate_organization(&self.organization)
            .map_err(|error| problems.0.push(error))
            .unwrap_or_default();

        let namespace = problems.or_default(Field::Namespace, self.namespace, DEFAULT_NAMESPACE);
        problems.dns_label(Field::Namespace, namespace.trim(), DEFAULT_NAMESPACE);

        let token_secret_name = problems.or_default(
            Field::TokenSecretName,
            self.token_secret_name,
            DEFAULT_TOKEN_SECRET,
        );
        if let Some(problem) = dns_subdomain_problem(token_secret_name.trim()) {
            problems.add(
                Field::TokenSecretName,
                format!("{token_secret_name:?} {problem}"),
                format!("use a Kubernetes object name: lowercase letters, digits, '-' and '.' (e.g. {DEFAULT_TOKEN_SECRET:?})"),
            );
        }

        // The robot is named after the space unless named otherwise: a bad
        // space is the space's problem alone.
        let robot_name = match problems.optional(Field::RobotName, self.robot_name) {
            Some(name) => {
                if name.chars().count() > 100 || name.chars().any(char::is_control) {
                    problems.add(
                        Field::RobotName,
                        format!("{name:?} is not a usable robot name"),
                        "use 1 to 100 printable characters, or leave it unset to name the robot after the space",
                    );
                }
                name
            }
            _ => space.clone(),
        };
        let robot_description = self.robot_description.unwrap_or_else(|| {
            format!("Robot used for authenticating Space \"{space}\" with Upbound Connect")
        });
        if robot_description.chars().count() > 1000 {
            problems.add(
                Field::RobotDescription,
                "is longer than 1000 characters",
                "shorten the description",
            );
        }

        let license = self.license_json.and_then(|json| {
            validate_license(&json)
                .map_err(|error| problems.0.push(error))
                .ok()
        });

        let registry = problems.or_default(Field::Registry, self.registry, DEFAULT_REGISTRY);
        if let Err(error) = validate_registry(&registry) {
            problems.0.push(error);
        }

        let token_rotation = problems.optional(Field::TokenRotation, self.token_rotation);

        let agent = self.agent.and_then(|agent| {
            let context = agent::AgentContext {
                registry: &registry,
                has_license: license.is_some(),
                agent_registers: self.space_record == SpaceRecordMode::Agent,
            };
            agent.validate(&context, &mut problems)
        });

        let access = self
            .access
            .and_then(|grants| access::validate(grants, &mut problems));

        problems.finish(ConnectionSpec {
            space,
            organization,
            namespace,
            token_secret_name,
            robot_name,
            robot_description,
            license,
            registry,
            token_rotation,
            space_record: self.space_record,
            skip_space_check: self.skip_space_check,
            adopt_robot: self.adopt_robot,
            agent,
            access,
        })
    }
}

/// Checks an organization's account name, wherever a face takes it (a
/// connection, or a provider-wide default).
pub fn validate_organization(organization: &str) -> Result<String, FieldError> {
    let mut problems = Problems::default();
    let organization = problems.unpadded(Field::Organization, organization.to_owned());
    if organization.contains('@') {
        problems.add(
            Field::Organization,
            format!("{organization:?} looks like an e-mail address"),
            "give the organization's account name as shown in the Upbound Console URL (e.g. \"acme\")",
        );
    } else {
        problems.dns_label(Field::Organization, organization.trim(), "acme");
    }
    match problems.0.into_iter().next() {
        Some(error) => Err(error),
        None => Ok(organization),
    }
}

/// Checks a registry host, wherever a face takes it.
pub fn validate_registry(registry: &str) -> Result<(), FieldError> {
    match registry_problem(registry) {
        None => Ok(()),
        Some(problem) => Err(FieldError::new(
            Field::Registry,
            format!("{registry:?} {problem}"),
            format!(
                "give a registry host such as {DEFAULT_REGISTRY} (optionally with :port, no scheme or path)"
            ),
        )),
    }
}

/// Why `registry` is not a `host[:port]`, or `None`.
fn registry_problem(registry: &str) -> Option<&'static str> {
    match Url::parse(&format!("https://{registry}")) {
        Ok(url)
            if url.host_str().is_some()
                && url.path() == "/"
                && url.username().is_empty()
                && url.query().is_none()
                && !registry.contains('/') =>
        {
            None
        }
        _ => Some("is not a registry host"),
    }
}

/// Checks a licence `token.json`, wherever a face takes it; the error
/// never quotes the content.
pub fn validate_license(json: &Secret) -> Result<License, FieldError> {
    const FIX: &str = "give the content of the licence token.json from Upbound: {\"accessId\": \"…\", \"token\": \"…\"}";
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct TokenJson {
        access_id: String,
        token: String,
    }
    let parsed: TokenJson = serde_json::from_str(json.expose()).map_err(|error| {
        FieldError::new(
            Field::License,
            format!(
                "is not a token.json (JSON object with \"accessId\" and \"token\"): error at line {} column {}",
                error.line(),
                error.column()
            ),
            FIX,
        )
    })?;
    if parsed.access_id.trim().is_empty() || parsed.token.trim().is_empty() {
        return Err(FieldError::new(
            Field::License,
            "has an empty \"accessId\" or \"token\"",
            FIX,
        ));
    }
    Ok(License {
        access_id: parsed.access_id.trim().to_owned(),
        token: Secret::new(parsed.token.trim()),
    })
}

impl UpboundInput {
    /// Checks the endpoint and the token. Nothing is contacted.
    pub fn validate(self) -> Result<UpboundAccess, InvalidInput> {
        let mut problems = Problems::default();
        let endpoint_text = problems.or_default(Field::Endpoint, self.endpoint, DEFAULT_ENDPOINT);
        let endpoint = match endpoint_problem(endpoint_text.trim()) {
            Ok(url) => Some(url),
            Err(problem) => {
                problems.add(
                    Field::Endpoint,
                    format!("{endpoint_text:?} {problem}"),
                    format!("use an https:// URL such as {DEFAULT_ENDPOINT} (plain http only on loopback)"),
                );
                None
            }
        };

        let token = self
            .token
            .map(|token| Secret::new(token.expose().trim()))
            .filter(|token| !token.expose().is_empty());
        let token_id = match &token {
            None => {
                problems.add(
                    Field::Token,
                    "is missing",
                    "give an Upbound personal access token or robot token",
                );
                None
            }
            Some(token) => match token_jti(token) {
                Some(id) => Some(id),
                None => {
                    problems.add(
                        Field::Token,
                        "is not an Upbound token (a JWT with a `jti` claim)",
                        "create a personal access token in the Upbound Console (My Account → API tokens) and pass it whole",
                    );
                    None
                }
            },
        };

        let request_timeout = self.request_timeout.unwrap_or(Duration::from_secs(30));
        if request_timeout.is_zero() {
            problems.add(
                Field::RequestTimeout,
                "is zero",
                "use a positive duration such as 30s",
            );
        }

        let (Some(endpoint), Some(token), Some(token_id)) = (endpoint, token, token_id) else {
            return Err(InvalidInput(problems.0));
        };
        problems.finish(UpboundAccess {
            endpoint,
            token,
            token_id,
            request_timeout,
        })
    }
}

/// The endpoint as a URL, or why it cannot be one.
fn endpoint_problem(text: &str) -> Result<Url, &'static str> {
    let url = Url::parse(text).map_err(|_| "is not a URL")?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err("has no host"),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err("uses plain http to a remote host"),
        _ => return Err("is not an http(s) URL"),
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err("has a query, fragment or credentials");
    }
    Ok(url)
}

/// The `jti` claim of a JWT, read without verifying the signature (the
/// login ID of a token, as `up` reads it).
pub(crate) fn token_jti(token: &Secret) -> Option<String> {
    #[derive(Deserialize)]
    struct Claims {
        jti: String,
    }
    let mut parts = token.expose().split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let payload = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Claims = serde_json::from_slice(&payload).ok()?;
    Some(claims.jti).filter(|jti| !jti.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(space: &str, organization: &str) -> ConnectionInput {
        ConnectionInput {
            space: space.to_owned(),
            organization: organization.to_owned(),
            ..ConnectionInput::default()
        }
    }

    fn fields(invalid: &InvalidInput) -> Vec<Field> {
        invalid.0.iter().map(|error| error.field).collect()
    }

    #[test]
    fn padded_names_are_refused_with_the_unpadded_spelling() {
        let invalid = input(" dev ", "acme ").validate().unwrap_err();
        assert_eq!(fields(&invalid), [Field::Space, Field::Organization]);
        assert_eq!(invalid.0[0].fix, "write \"dev\"");
        let namespace = ConnectionInput {
            namespace: Some("ns ".to_owned()),
            ..input("dev", "acme")
        };
        assert_eq!(
            fields(&namespace.validate().unwrap_err()),
            [Field::Namespace]
        );
    }

    #[test]
    fn an_empty_space_is_the_space_alone_at_fault() {
        let invalid = input("", "acme").validate().unwrap_err();
        assert_eq!(fields(&invalid), [Field::Space]);
    }

    #[test]
    fn each_example_fits_its_field() {
        let invalid = input("Dev", "Acme").validate().unwrap_err();
        assert!(invalid.0[0].fix.contains("\"my-space\""), "{invalid}");
        assert!(invalid.0[1].fix.contains("\"acme\""), "{invalid}");
        assert!(!invalid.0[1].fix.contains("space"), "{invalid}");
    }

    #[test]
    fn no_problem_names_an_input_in_any_faces_spelling() {
        let invalid = ConnectionInput {
            namespace: Some("Bad".to_owned()),
            token_secret_name: Some("a/b".to_owned()),
            robot_name: Some("x\n".to_owned()),
            license_json: Some(Secret::new("{")),
            registry: Some("https://x/y".to_owned()),
            ..input("", "a@b.c")
        }
        .validate()
        .unwrap_err();
        let upbound = UpboundInput::default().validate().unwrap_err();
        for error in invalid.0.iter().chain(&upbound.0) {
            let text = format!("{} {}", error.problem, error.fix);
            for spelling in ["`", "--", "_name", "api-token", "kube_context"] {
                assert!(!text.contains(spelling), "{spelling:?} in {text}");
            }
        }
    }
}
