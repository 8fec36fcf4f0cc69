//! Who may act on the connected Space: grants of Hub RBAC access to Upbound
//! identities. A self-hosted Space authorizes Upbound users, robots, teams
//! and org roles with ordinary Kubernetes RBAC (seed `hub-rbac.md`): users
//! and robots arrive as Kubernetes `User`s named `upbound:user:<name>` and
//! `upbound:robot:<name>`, teams and org roles as `Group`s named
//! `upbound:team:<uuid>` and `upbound:org-role:admin|member`; the special
//! verbs `admin`, `edit` and `view` on `controlplanes/k8s` in
//! `spaces.upbound.io` give a control-plane access level.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Field, GrantPart, Problems, dns_label_problem};

/// The forms a subject may take, for error messages.
const SUBJECT_FORMS: &str = "upbound:user:<name>, upbound:robot:<name>, upbound:team:<uuid or name>, upbound:org-role:admin or upbound:org-role:member";

/// The longest user or robot name accepted (as for `robot_name`).
const MAX_NAME_LENGTH: usize = 100;

/// One grant as a face hands it in: strings, checked by
/// [`ConnectionInput::validate`](super::ConnectionInput::validate).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrantInput {
    /// `upbound:user:<name>`, `upbound:robot:<name>`, `upbound:team:<uuid or name>`
    /// or `upbound:org-role:admin|member`.
    pub subject: String,
    /// `admin`, `edit` or `view`.
    pub level: String,
    /// The control-plane group (a namespace) the grant is limited to;
    /// unset for every group in the Space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl GrantInput {
    /// `subject` at `level`, in `group` or (`None`) every group.
    pub fn new(subject: &str, level: &str, group: Option<&str>) -> Self {
        Self {
            subject: subject.to_owned(),
            level: level.to_owned(),
            group: group.map(str::to_owned),
        }
    }
}

/// A validated grant: `subject` gets `level` on the control planes of
/// `group`, or of every group when it is `None`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Grant {
    /// Who is granted access.
    pub subject: Subject,
    /// What they may do.
    pub level: AccessLevel,
    /// The control-plane group (namespace) the grant is limited to.
    pub group: Option<String>,
}

/// An Upbound identity as the Space's authorizer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// An Upbound user, by user name (`upbound:user:<name>`).
    User(String),
    /// An Upbound robot, by name (`upbound:robot:<name>`).
    Robot(String),
    /// An Upbound team, by ID (`upbound:team:<uuid>`): the name Hub RBAC
    /// knows it by.
    Team(Uuid),
    /// An Upbound team, by name (`upbound:team:<name>`): the engine looks
    /// its ID up in the organization's teams before binding it.
    TeamNamed(String),
    /// Everyone holding an organization role (`upbound:org-role:<role>`).
    OrgRole(OrgRole),
}

/// An organization role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrgRole {
    /// The organization's admins.
    Admin,
    /// The organization's members.
    Member,
}

/// A control-plane access level: the special verb granted on
/// `controlplanes/k8s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// Verb `admin`.
    Admin,
    /// Verb `edit`.
    Edit,
    /// Verb `view`.
    View,
}

/// The Kubernetes RBAC subject kind an Upbound identity is bound as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    /// `kind: User` (users and robots).
    User,
    /// `kind: Group` (teams and org roles).
    Group,
}

impl SubjectKind {
    /// The kind as RBAC spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
        }
    }
}

impl Subject {
    /// Parses `upbound:<kind>:<name>`, or says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some(rest) = text.strip_prefix("upbound:") else {
            return Err(format!("{text:?} does not start with \"upbound:\""));
        };
        let Some((kind, name)) = rest.split_once(':') else {
            return Err(format!("{text:?} has no kind and name"));
        };
        match kind {
            "user" => identity_name(text, name).map(Self::User),
            "robot" => identity_name(text, name).map(Self::Robot),
            "team" => match Uuid::try_parse(name) {
                Ok(id) => Ok(Self::Team(id)),
                Err(_) => identity_name(text, name).map(Self::TeamNamed),
            },
            "org-role" => match name {
                "admin" => Ok(Self::OrgRole(OrgRole::Admin)),
                "member" => Ok(Self::OrgRole(OrgRole::Member)),
                _ => Err(format!("{text:?} names an unknown organization role")),
            },
            _ => Err(format!("{text:?} has an unknown kind {kind:?}")),
        }
    }

    /// The RBAC subject kind: `User` for users and robots, `Group` for
    /// teams and org roles.
    pub fn kind(&self) -> SubjectKind {
        match self {
            Self::User(_) | Self::Robot(_) => SubjectKind::User,
            Self::Team(_) | Self::TeamNamed(_) | Self::OrgRole(_) => SubjectKind::Group,
        }
    }
}

/// A user or robot name, or why `name` cannot be one.
fn identity_name(text: &str, name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err(format!("{text:?} has an empty name"));
    }
    if name.chars().count() > MAX_NAME_LENGTH || name.chars().any(char::is_control) {
        return Err(format!(
            "{text:?} has a name that is not 1 to {MAX_NAME_LENGTH} printable characters"
        ));
    }
    Ok(name.to_owned())
}

impl fmt::Display for Subject {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(name) => write!(formatter, "upbound:user:{name}"),
            Self::Robot(name) => write!(formatter, "upbound:robot:{name}"),
            Self::Team(id) => write!(formatter, "upbound:team:{}", id.hyphenated()),
            Self::TeamNamed(name) => write!(formatter, "upbound:team:{name}"),
            Self::OrgRole(role) => write!(formatter, "upbound:org-role:{role}"),
        }
    }
}

impl fmt::Display for OrgRole {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Admin => "admin",
            Self::Member => "member",
        })
    }
}

impl AccessLevel {
    /// Every level, most powerful first.
    pub const ALL: [Self; 3] = [Self::Admin, Self::Edit, Self::View];

    /// Parses `admin`, `edit` or `view`.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.verb() == text)
    }

    /// The special verb this level grants on `controlplanes/k8s`.
    pub fn verb(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Edit => "edit",
            Self::View => "view",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.verb())
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}", self.subject, self.level)?;
        match &self.group {
            Some(group) => write!(formatter, " in group {group}"),
            None => formatter.write_str(" in every group"),
        }
    }
}

/// Checks every grant, adding problems under [`Field::Grant`].
/// `None` when any grant is wrong.
pub(super) fn validate(inputs: Vec<GrantInput>, problems: &mut Problems) -> Option<Vec<Grant>> {
    let mut grants = Vec::with_capacity(inputs.len());
    let mut first_index: HashMap<(Subject, Option<String>), usize> = HashMap::new();
    let mut all_valid = true;
    for (index, input) in inputs.into_iter().enumerate() {
        let field = |part| Field::Grant(index, part);

        let subject_text = problems.unpadded(field(GrantPart::Subject), input.subject);
        let subject = match Subject::parse(subject_text.trim()) {
            Ok(subject) => Some(subject),
            Err(problem) => {
                problems.add(
                    field(GrantPart::Subject),
                    problem,
                    format!("use {SUBJECT_FORMS}"),
                );
                None
            }
        };

        let level_text = problems.unpadded(field(GrantPart::Level), input.level);
        let level = AccessLevel::parse(level_text.trim());
        if level.is_none() {
            problems.add(
                field(GrantPart::Level),
                format!("{level_text:?} is not an access level"),
                "use admin, edit or view",
            );
        }

        let group = input
            .group
            .map(|group| problems.unpadded(field(GrantPart::Group), group));
        let group_valid = match &group {
            Some(name) => match dns_label_problem(name.trim()) {
                Some(problem) => {
                    problems.add(
                        field(GrantPart::Group),
                        format!("{name:?} {problem}"),
                        "give the namespace of a control-plane group (lowercase letters, digits and '-'), or leave it unset for every group",
                    );
                    false
                }
                None => true,
            },
            None => true,
        };

        let (Some(subject), Some(level), true) = (subject, level, group_valid) else {
            all_valid = false;
            continue;
        };
        let key = (subject.clone(), group.clone());
        if let Some(first) = first_index.get(&key) {
            problems.add(
                field(GrantPart::Subject),
                format!(
                    "{subject} is granted again in the same group as grant #{}",
                    first + 1
                ),
                "give each subject one level per group: remove one of the two grants",
            );
            all_valid = false;
            continue;
        }
        first_index.insert(key, index);
        grants.push(Grant {
            subject,
            level,
            group,
        });
    }
    all_valid.then_some(grants)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{ConnectionInput, InvalidInput};

    const TEAM: &str = "8f2b1c3e-4d5a-4b6c-9d7e-0f1a2b3c4d5e";

    fn validate(grants: Vec<GrantInput>) -> Result<Option<Vec<Grant>>, InvalidInput> {
        ConnectionInput {
            space: "my-space".to_owned(),
            organization: "acme".to_owned(),
            access: Some(grants),
            ..ConnectionInput::default()
        }
        .validate()
        .map(|spec| spec.access)
    }

    /// The single problem `grants` have, as (field, message).
    fn refused(grants: Vec<GrantInput>) -> (String, String) {
        let invalid = validate(grants).unwrap_err();
        assert_eq!(invalid.0.len(), 1, "{invalid}");
        let error = &invalid.0[0];
        (error.field.to_string(), error.to_string())
    }

    #[test]
    fn every_subject_form_parses_and_prints_back() {
        let team = Uuid::parse_str(TEAM).unwrap();
        for (text, subject, kind) in [
            (
                "upbound:user:alice",
                Subject::User("alice".to_owned()),
                SubjectKind::User,
            ),
            (
                "upbound:robot:ci-bot",
                Subject::Robot("ci-bot".to_owned()),
                SubjectKind::User,
            ),
            (
                &format!("upbound:team:{TEAM}"),
                Subject::Team(team),
                SubjectKind::Group,
            ),
            (
                "upbound:org-role:admin",
                Subject::OrgRole(OrgRole::Admin),
                SubjectKind::Group,
            ),
            (
                "upbound:org-role:member",
                Subject::OrgRole(OrgRole::Member),
                SubjectKind::Group,
            ),
        ] {
            let parsed = Subject::parse(text).unwrap();
            assert_eq!(parsed, subject);
            assert_eq!(parsed.to_string(), text);
            assert_eq!(parsed.kind(), kind);
        }
    }

    #[test]
    fn robot_names_may_hold_spaces_as_robot_names_do() {
        assert_eq!(
            Subject::parse("upbound:robot:ci bot"),
            Ok(Subject::Robot("ci bot".to_owned()))
        );
    }

    #[test]
    fn a_team_uuid_prints_in_its_canonical_form() {
        let upper = format!("upbound:team:{}", TEAM.to_uppercase());
        assert_eq!(
            Subject::parse(&upper).unwrap().to_string(),
            format!("upbound:team:{TEAM}")
        );
    }

    #[test]
    fn levels_parse_and_print_as_their_verbs() {
        for level in AccessLevel::ALL {
            assert_eq!(AccessLevel::parse(level.verb()), Some(level));
            assert_eq!(level.to_string(), level.verb());
        }
        assert_eq!(AccessLevel::parse("Admin"), None);
    }

    #[test]
    fn valid_grants_are_kept_in_order() {
        let grants = validate(vec![
            GrantInput::new("upbound:user:alice", "view", None),
            GrantInput::new("upbound:user:alice", "edit", Some("team-a")),
            GrantInput::new(&format!("upbound:team:{TEAM}"), "admin", Some("team-a")),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            grants,
            vec![
                Grant {
                    subject: Subject::User("alice".to_owned()),
                    level: AccessLevel::View,
                    group: None,
                },
                Grant {
                    subject: Subject::User("alice".to_owned()),
                    level: AccessLevel::Edit,
                    group: Some("team-a".to_owned()),
                },
                Grant {
                    subject: Subject::Team(Uuid::parse_str(TEAM).unwrap()),
                    level: AccessLevel::Admin,
                    group: Some("team-a".to_owned()),
                },
            ]
        );
    }

    #[test]
    fn no_access_and_empty_access_differ() {
        let none = ConnectionInput {
            space: "my-space".to_owned(),
            organization: "acme".to_owned(),
            ..ConnectionInput::default()
        }
        .validate()
        .unwrap();
        assert_eq!(none.access, None);
        assert_eq!(validate(Vec::new()).unwrap(), Some(Vec::new()));
    }

    #[test]
    fn malformed_subjects_are_refused_with_the_accepted_forms() {
        for subject in [
            "alice",
            "user:alice",
            "upbound:alice",
            "upbound:group:devs",
            "upbound:user:",
            "upbound:robot:",
            "upbound:user:al\tice",
            "",
        ] {
            let (field, message) = refused(vec![GrantInput::new(subject, "view", None)]);
            assert_eq!(field, "access[0].subject", "{subject:?}");
            assert!(message.contains("upbound:org-role:member"), "{message}");
        }
    }

    #[test]
    fn a_team_is_named_by_uuid_or_by_name() {
        let grants = validate(vec![GrantInput::new("upbound:team:platform", "view", None)])
            .unwrap()
            .unwrap();
        assert_eq!(grants[0].subject, Subject::TeamNamed("platform".to_owned()));
        assert_eq!(grants[0].subject.kind(), SubjectKind::Group);
        assert_eq!(grants[0].subject.to_string(), "upbound:team:platform");
        let (field, _) = refused(vec![GrantInput::new("upbound:team:", "view", None)]);
        assert_eq!(field, "access[0].subject");
    }

    #[test]
    fn an_unknown_org_role_is_refused() {
        let (field, message) = refused(vec![GrantInput::new(
            "upbound:org-role:owner",
            "view",
            None,
        )]);
        assert_eq!(field, "access[0].subject");
        assert!(message.contains("unknown organization role"), "{message}");
    }

    #[test]
    fn an_unknown_level_is_refused() {
        for level in ["owner", "", "VIEW"] {
            let (field, message) =
                refused(vec![GrantInput::new("upbound:user:alice", level, None)]);
            assert_eq!(field, "access[0].level");
            assert!(message.contains("admin, edit or view"), "{message}");
        }
    }

    #[test]
    fn a_group_that_is_not_a_namespace_name_is_refused() {
        for group in ["", "Team_A", "-team", &"a".repeat(64)] {
            let (field, message) = refused(vec![GrantInput::new(
                "upbound:user:alice",
                "view",
                Some(group),
            )]);
            assert_eq!(field, "access[0].group", "{group:?}");
            assert!(message.contains("leave it unset"), "{message}");
        }
    }

    #[test]
    fn padded_parts_are_refused_not_trimmed() {
        let invalid = validate(vec![GrantInput::new(
            " upbound:user:alice ",
            "view ",
            Some(" team-a"),
        )])
        .unwrap_err();
        let fields: Vec<String> = invalid
            .0
            .iter()
            .map(|error| error.field.to_string())
            .collect();
        assert_eq!(
            fields,
            ["access[0].subject", "access[0].level", "access[0].group"]
        );
        assert!(
            invalid.0[0].fix.contains("\"upbound:user:alice\""),
            "{invalid}"
        );
    }

    #[test]
    fn a_repeated_subject_and_group_is_refused() {
        let (field, message) = refused(vec![
            GrantInput::new("upbound:user:alice", "view", Some("team-a")),
            GrantInput::new("upbound:user:bob", "view", Some("team-a")),
            GrantInput::new("upbound:user:alice", "edit", Some("team-a")),
        ]);
        assert_eq!(field, "access[2].subject");
        assert!(message.contains("grant #1"), "{message}");

        let team = format!("upbound:team:{TEAM}");
        let (field, _) = refused(vec![
            GrantInput::new(&team, "view", None),
            GrantInput::new(
                &team.to_uppercase().replace("UPBOUND:TEAM", "upbound:team"),
                "admin",
                None,
            ),
        ]);
        assert_eq!(field, "access[1].subject");
    }

    #[test]
    fn every_problem_of_every_grant_is_reported() {
        let invalid = validate(vec![
            GrantInput::new("upbound:user:alice", "view", None),
            GrantInput::new("upbound:team:", "owner", Some("Bad")),
        ])
        .unwrap_err();
        let fields: Vec<String> = invalid
            .0
            .iter()
            .map(|error| error.field.to_string())
            .collect();
        assert_eq!(
            fields,
            ["access[1].subject", "access[1].level", "access[1].group"]
        );
    }

    #[test]
    fn grants_deserialize_from_yaml_and_json() {
        let yaml = "- subject: upbound:user:alice\n  level: view\n- subject: upbound:org-role:member\n  level: edit\n  group: team-a\n";
        let grants: Vec<GrantInput> = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(
            grants,
            vec![
                GrantInput::new("upbound:user:alice", "view", None),
                GrantInput::new("upbound:org-role:member", "edit", Some("team-a")),
            ]
        );
        let json = serde_json::to_string(&grants[0]).unwrap();
        assert_eq!(json, r#"{"subject":"upbound:user:alice","level":"view"}"#);
        assert!(
            serde_json::from_str::<GrantInput>(r#"{"subject":"a","level":"b","role":"c"}"#)
                .is_err()
        );
    }
}
