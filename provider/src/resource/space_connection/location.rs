//! Where each engine field is set in a Terraform configuration: an
//! attribute of this resource, an attribute of the provider block, or a
//! setting the provider keeps at its default. One exhaustive `match`: a
//! field the engine adds does not compile until it has a place here.

use upbound_connect::spec::{AgentField, Field};

use super::access::BLOCK as ACCESS;
use super::model::CLUSTER;
use crate::cty::AttributePath;

/// Where a field is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// An attribute of `upbound_space_connection`.
    Resource(AttributePath),
    /// An attribute of the provider block.
    Provider(AttributePath),
    /// A setting the provider keeps at its default, in words.
    Fixed(&'static str),
}

/// Where `field` is set.
pub fn location(field: Field) -> Location {
    let resource = |name: &str| Location::Resource(AttributePath::root(name));
    let provider =
        |block: &str, name: &str| Location::Provider(AttributePath::root(block).attribute(name));
    match field {
        Field::Space => resource("space"),
        Field::Organization => resource("organization"),
        Field::Namespace => resource("namespace"),
        Field::TokenSecretName => resource("token_secret_name"),
        Field::RobotName => resource("robot_name"),
        Field::RobotDescription => resource("robot_description"),
        Field::TokenRotation => resource("token_rotation"),
        Field::SpaceRecord => resource("space_record"),
        Field::SkipSpaceCheck => resource("skip_space_check"),
        Field::CloudOnly => resource("cloud_only_destroy"),
        Field::Agent(field) => {
            Location::Resource(AttributePath::root("agent").attribute(match field {
                AgentField::Chart => "chart",
                AgentField::Version => "version",
                AgentField::Values => "values",
                AgentField::ImageRepository => "image_repository",
                AgentField::RegistrationImageRepository => "registration_image_repository",
                AgentField::ImagePullSecrets => "image_pull_secrets",
                AgentField::RegistrationEnabled => "registration_enabled",
                AgentField::Wait => "wait",
                AgentField::Timeout => "timeout",
                AgentField::TakeOwnership => "take_ownership",
                AgentField::Atomic => "atomic",
            }))
        }
        Field::Access => resource(ACCESS),
        Field::Grant(index, part) => Location::Resource(
            AttributePath::root(ACCESS)
                .index(i64::try_from(index).unwrap_or(i64::MAX))
                .attribute(part.name()),
        ),
        Field::Endpoint => provider("upbound", "endpoint"),
        Field::Token => provider("upbound", "token"),
        Field::License => provider("registry", "license_file"),
        Field::Registry => provider("registry", "host"),
        Field::Kubeconfig => provider("kubernetes", "config_path"),
        Field::KubeContext => provider("kubernetes", "config_context"),
        Field::ClusterHost => provider("kubernetes", "host"),
        Field::AdoptRobot => Location::Fixed("adopting a robot another tool made"),
        Field::RequestTimeout => Location::Fixed("the Upbound request timeout"),
        Field::InCluster => Location::Fixed("the in-cluster service account"),
    }
}

/// Where `field` is set for a connection with its own `cluster` block: the
/// cluster's settings are that block's, the rest as [`location`] says.
pub fn location_with_cluster_block(field: Field) -> Location {
    let cluster = |name: &str| Location::Resource(AttributePath::root(CLUSTER).attribute(name));
    match field {
        Field::Kubeconfig => cluster("config_path"),
        Field::KubeContext => cluster("config_context"),
        Field::ClusterHost => cluster("host"),
        field => location(field),
    }
}

impl Location {
    /// The field as a person reads it in a diagnostic: `space`,
    /// `agent.version`, `registry.host` (provider block).
    pub fn name(&self) -> String {
        match self {
            Self::Resource(path) => format!("`{path}`"),
            Self::Provider(path) => format!("`{path}` in the provider block"),
            Self::Fixed(words) => (*words).to_owned(),
        }
    }

    /// The attribute a diagnostic can point at: the resource's only (a
    /// resource's call cannot point into the provider block).
    pub fn resource_path(&self) -> Option<AttributePath> {
        match self {
            Self::Resource(path) => Some(path.clone()),
            Self::Provider(_) | Self::Fixed(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use upbound_connect::spec::GrantPart;

    use super::*;

    #[test]
    fn fields_land_on_the_block_that_sets_them() {
        assert_eq!(
            location(Field::Grant(2, GrantPart::Group)).name(),
            "`access[2].group`"
        );
        assert_eq!(
            location(Field::Agent(AgentField::Version)).name(),
            "`agent.version`"
        );
        assert_eq!(
            location(Field::KubeContext).name(),
            "`kubernetes.config_context` in the provider block"
        );
        assert_eq!(location(Field::Token).resource_path(), None);
    }
}
