//! One declaration per attribute of `upbound_space_connection`, as
//! terraform-plugin-framework hangs defaults and plan modifiers on the
//! attribute: its name, type, who sets it, what it means, what a change to
//! it does, the default a plan fills in, and the engine field it sets. The
//! schema (and the registry docs generated from it), the plan's defaults
//! and replacements, the state apply records and where each engine field's
//! errors point ([`location`]) all derive from [`ATTRIBUTES`] and the
//! nested blocks' declarations in [`blocks`].
//!
//! A new attribute is a row here, its reading in `model` (or `agent`,
//! `access`) and its field in the engine's `spec`; the compiler then asks
//! for its arm in [`location::location`].

pub mod blocks;
pub mod location;

use std::borrow::Cow;

use upbound_connect::spec::{ConnectionSpec, Field};

use super::model::mode_name;
use crate::cty::Value;
use crate::schema::{Attribute, Mode};

/// An attribute's value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    String,
    /// A bool.
    Bool,
    /// A number.
    Number,
    /// A list of strings.
    Strings,
}

/// What a change of the attribute in configuration does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnChange {
    /// Replaces the connection (a new robot, Secret or place).
    Replaces,
    /// Updates the connection in place.
    Updates,
    /// Only the provider sets it: the plan shows what the rule says.
    Computed(Planned),
}

/// What a plan shows for a computed attribute: its state value while apply
/// will keep it (as the framework's UseStateForUnknown), unknown when apply
/// will make it anew. A null state value is Read's mark for drift: apply
/// repairs it, so it is unknown too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planned {
    /// `<organization>/<space>`, from the planned values.
    Id,
    /// Kept unless the connection is replaced: the robot.
    UnlessReplaced,
    /// Kept unless the robot is new or `token_rotation` changed: the token.
    UnlessNewToken,
    /// Kept unless apply installs or upgrades the agent (`same_release`).
    UnlessNewRelease,
    /// Null: apply makes every repair Read listed.
    Null,
}

/// The default a plan fills in when the configuration leaves the attribute
/// unset: a value of the validated spec, which may depend on the Space's
/// name or the organization (unknown until they are known).
#[derive(Clone, Copy, Debug)]
pub struct Default {
    /// The value, from the spec with every default filled in.
    pub value: fn(&ConnectionSpec) -> Value,
    /// What it depends on that may not be known at plan time.
    pub depends_on: DependsOn,
}

/// What a default derives from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependsOn {
    /// Nothing the configuration may leave unknown.
    Nothing,
    /// The Space's name.
    Space,
    /// The organization.
    Organization,
}

/// One attribute, declared once.
#[derive(Clone, Copy, Debug)]
pub struct Declared {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Who sets it.
    pub mode: Mode,
    /// What it means (Markdown); what a change does and the default are
    /// said by the fields below, not here.
    pub description: &'static str,
    /// What a change does.
    pub on_change: OnChange,
    /// The default a plan fills in, when it has one.
    pub default: Option<Default>,
    /// The engine field it sets (none: only the provider sets it). In a
    /// block that repeats, the field of its first instance.
    pub field: Option<Field>,
}

impl Declared {
    /// The same attribute, setting the engine's `field`.
    pub const fn sets(self, field: Field) -> Self {
        Self {
            field: Some(field),
            ..self
        }
    }

    /// The schema's attribute: the description, then what a change does.
    pub fn schema(&self) -> Attribute {
        let description = match self.on_change {
            OnChange::Replaces => Cow::Owned(format!(
                "{} Changing it replaces the connection.",
                self.description
            )),
            OnChange::Updates | OnChange::Computed(_) => Cow::Borrowed(self.description),
        };
        let attribute = match self.kind {
            Kind::String => Attribute::string(self.name, self.mode, ""),
            Kind::Bool => Attribute::bool(self.name, self.mode, ""),
            Kind::Number => Attribute::number(self.name, self.mode, ""),
            Kind::Strings => Attribute::strings(self.name, self.mode, ""),
        };
        Attribute {
            description,
            ..attribute
        }
    }
}

const fn declared(
    name: &'static str,
    kind: Kind,
    mode: Mode,
    on_change: OnChange,
    description: &'static str,
) -> Declared {
    Declared {
        name,
        kind,
        mode,
        description,
        on_change,
        default: None,
        field: None,
    }
}

const fn defaulted(
    declared: Declared,
    value: fn(&ConnectionSpec) -> Value,
    depends_on: DependsOn,
) -> Declared {
    Declared {
        default: Some(Default { value, depends_on }),
        ..declared
    }
}

use DependsOn::{Nothing, Organization, Space};
use Kind::{Bool, Number, String as Text, Strings};
use Mode::{Computed, Optional, OptionalComputed, Required};
use OnChange::{Replaces, Updates};

/// A computed attribute's change rule.
const fn planned(rule: Planned) -> OnChange {
    OnChange::Computed(rule)
}

/// Every top-level attribute, in the schema's order.
pub const ATTRIBUTES: [Declared; 17] = [
    declared(
        "id",
        Text,
        Computed,
        planned(Planned::Id),
        "`<organization>/<space>`: the connection's ID. Import takes it, or \
`<organization>/<space>/<namespace>` for a namespace other than `upbound-system`.",
    ),
    declared(
        "space",
        Text,
        Required,
        Replaces,
        "The Space's name in Upbound: a DNS label (lowercase letters, digits and `-`).",
    )
        .sets(Field::Space),
    defaulted(
        declared(
            "organization",
            Text,
            OptionalComputed,
            Replaces,
            "The Upbound organization's account name. Defaults to the provider's `upbound.organization` \
(or `UPBOUND_ORGANIZATION`).",
        )
        .sets(Field::Organization),
        |spec| Value::String(spec.organization.clone()),
        Organization,
    ),
    defaulted(
        declared(
            "namespace",
            Text,
            OptionalComputed,
            Replaces,
            "The namespace of the token Secret and the agent. Defaults to `upbound-system`.",
        )
        .sets(Field::Namespace),
        |spec| Value::String(spec.namespace.clone()),
        Nothing,
    ),
    defaulted(
        declared(
            "token_secret_name",
            Text,
            OptionalComputed,
            Replaces,
            "The Secret the agent reads its robot token from (key `token`). Defaults to `connect-token`.",
        )
        .sets(Field::TokenSecretName),
        |spec| Value::String(spec.token_secret_name.clone()),
        Nothing,
    ),
    defaulted(
        declared(
            "robot_name",
            Text,
            OptionalComputed,
            Replaces,
            "The name of the Upbound robot the agent authenticates as (a new name is a new robot). \
Defaults to `space`.",
        )
        .sets(Field::RobotName),
        |spec| Value::String(spec.robot_name.clone()),
        Space,
    ),
    defaulted(
        declared(
            "robot_description",
            Text,
            OptionalComputed,
            Replaces,
            "The robot's description (robots cannot be changed: a new description is a new robot). \
Defaults to `Robot used for authenticating Space \"<space>\" with Upbound Connect`.",
        )
        .sets(Field::RobotDescription),
        |spec| Value::String(spec.robot_description.clone()),
        Space,
    ),
    defaulted(
        declared(
            "space_record",
            Text,
            OptionalComputed,
            Updates,
            "Who creates the Space's record in Upbound: `agent` (default; the agent registers the Space, \
as the manual Helm instructions do) or `engine` (this resource creates the record, as `up space connect` does, \
and deletes it on destroy).",
        )
        .sets(Field::SpaceRecord),
        |spec| Value::String(mode_name(spec.space_record).to_owned()),
        Nothing,
    ),
    declared(
        "token_rotation",
        Text,
        Optional,
        Updates,
        "A rotation trigger: any change mints a new robot token, stores it in the Secret and revokes \
the old one (for example `time_rotating.token.id`).",
    )
        .sets(Field::TokenRotation),
    defaulted(
        declared(
            "skip_space_check",
            Bool,
            OptionalComputed,
            Updates,
            "Skip the check that Upbound Spaces is installed in the cluster for this organization. \
Defaults to `false`.",
        )
        .sets(Field::SkipSpaceCheck),
        |spec| Value::Bool(spec.skip_space_check),
        Nothing,
    ),
    defaulted(
        declared(
            "cloud_only_destroy",
            Bool,
            OptionalComputed,
            Updates,
            "When the cluster cannot be reached, let destroy (and refresh) go on: the robot and its tokens \
are still removed from Upbound, the Secret stays behind. Destroy reads it from state: to opt in once the cluster \
is gone, set it and run `terraform apply -refresh=false` (a change of state only, the cluster is not needed), then \
`terraform destroy`. Defaults to `false`.",
        )
        .sets(Field::CloudOnly),
        |_| Value::Bool(false),
        Nothing,
    ),
    declared(
        "robot_id",
        Text,
        Computed,
        planned(Planned::UnlessReplaced),
        "The ID of the Upbound robot the agent authenticates as.",
    ),
    declared(
        "token_id",
        Text,
        Computed,
        planned(Planned::UnlessNewToken),
        "The ID of the robot token in the Secret (the token itself is never stored). \
Unknown exactly when apply will mint a new token: a new robot, the Secret missing or changed, the token revoked, or `token_rotation` changed.",
    ),
    declared(
        "release_revision",
        Number,
        Computed,
        planned(Planned::UnlessNewRelease),
        "The revision of the Helm release `agent`. Unknown in a plan that installs or upgrades \
the agent: an `agent` block that asks for another chart, version, values or image settings (a new `timeout`, \
`wait`, `take_ownership` or `atomic`, or the same `values` written otherwise, upgrades nothing), or drift found by refresh (the release missing, failed or changed, one of its \
objects deleted or edited out of band — refresh then records it as null so that the plan repairs it).",
    ),
    declared(
        "agent_version",
        Text,
        Computed,
        planned(Planned::UnlessNewRelease),
        "The installed agent chart's version. Unknown in a plan that installs or upgrades the agent.",
    ),
    declared(
        "chart_digest",
        Text,
        Computed,
        planned(Planned::UnlessNewRelease),
        "The digest (`sha256:…`) of the installed agent chart's OCI manifest; null for a local chart. \
Unknown in a plan that installs or upgrades the agent.",
    ),
    declared(
        "repairs",
        Strings,
        Computed,
        planned(Planned::Null),
        "The repairs the last refresh found due that no other attribute shows, one per line as apply will \
make them: unused tokens to revoke, the pull secret to write, Hub RBAC objects no `access` block asks for \
to delete, the Space record to create. Null when there are none, so a plan that repairs them shows them going away.",
    ),
];

/// The attributes whose change replaces the connection.
pub fn replacing() -> impl Iterator<Item = &'static Declared> {
    ATTRIBUTES
        .iter()
        .filter(|declared| declared.on_change == OnChange::Replaces)
}

/// The computed attributes, with what a plan shows for each.
pub fn computed() -> impl Iterator<Item = (&'static str, Planned)> {
    ATTRIBUTES
        .iter()
        .filter_map(|declared| match declared.on_change {
            OnChange::Computed(rule) => Some((declared.name, rule)),
            OnChange::Replaces | OnChange::Updates => None,
        })
}

/// The attributes a plan fills in when the configuration leaves them unset.
pub fn defaulted_attributes() -> impl Iterator<Item = (&'static str, Default)> {
    ATTRIBUTES
        .iter()
        .filter_map(|declared| declared.default.map(|default| (declared.name, default)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_settable_attributes_change_anything_and_only_defaulted_ones_are_computed_too() {
        for declared in ATTRIBUTES {
            let settable = declared.mode != Mode::Computed;
            assert_eq!(
                !matches!(declared.on_change, OnChange::Computed(_)),
                settable,
                "{}",
                declared.name
            );
            assert_eq!(
                declared.default.is_some(),
                declared.mode == Mode::OptionalComputed,
                "{}",
                declared.name
            );
            assert!(
                !declared.description.contains("replaces the connection"),
                "{}: what a change does is `on_change`'s to say",
                declared.name
            );
        }
    }
}
