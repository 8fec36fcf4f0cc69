//! Where each engine field is set in a Terraform configuration: an
//! attribute of this resource (the one whose declaration sets it), an
//! attribute of the provider block, or a setting the provider keeps at its
//! default. One exhaustive `match`: a field the engine adds does not
//! compile until it has a place here.

use upbound_connect::spec::Field;

use super::ATTRIBUTES;
use super::blocks::{ACCESS, AGENT, CLUSTER};
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
    let provider =
        |block: &str, name: &str| Location::Provider(AttributePath::root(block).attribute(name));
    match field {
        Field::Space
        | Field::Organization
        | Field::Namespace
        | Field::TokenSecretName
        | Field::RobotName
        | Field::RobotDescription
        | Field::TokenRotation
        | Field::SpaceRecord
        | Field::SkipSpaceCheck
        | Field::CloudOnly
        | Field::Agent(_)
        | Field::Grant(..) => Location::Resource(resource_path(field)),
        Field::Access => Location::Resource(AttributePath::root(ACCESS.name)),
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

/// The path of the resource attribute whose declaration sets `field` (a
/// grant's part at the grant's index).
fn resource_path(field: Field) -> AttributePath {
    let (path, declared) = match field {
        Field::Grant(index, part) => (
            AttributePath::root(ACCESS.name).index(i64::try_from(index).unwrap_or(i64::MAX)),
            ACCESS.setting(Field::Grant(0, part)),
        ),
        Field::Agent(_) => (AttributePath::root(AGENT.name), AGENT.setting(field)),
        field => {
            let declared = ATTRIBUTES
                .iter()
                .find(|declared| declared.field == Some(field));
            return AttributePath::root(declared.map_or(UNDECLARED, |declared| declared.name));
        }
    };
    path.attribute(declared.map_or(UNDECLARED, |declared| declared.name))
}

/// What a field no attribute declares would be named: never, as the
/// tests below check for every field `location` places on the resource.
const UNDECLARED: &str = "(undeclared)";

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
    use upbound_connect::spec::{AgentField, GrantPart};

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

    #[test]
    fn every_declared_field_is_located_on_its_declaration() {
        let top = ATTRIBUTES.iter().filter_map(|declared| {
            declared
                .field
                .map(|field| (field, declared.name.to_owned()))
        });
        let nested = [AGENT, ACCESS].into_iter().flat_map(|block| {
            block.attributes.iter().filter_map(move |declared| {
                let path = match block.nesting {
                    crate::schema::Nesting::List => format!("{}[0].{}", block.name, declared.name),
                    _ => format!("{}.{}", block.name, declared.name),
                };
                declared.field.map(|field| (field, path))
            })
        });
        for (field, path) in top.chain(nested) {
            assert_eq!(location(field).name(), format!("`{path}`"));
        }
    }

    #[test]
    fn every_field_placed_on_the_resource_is_declared() {
        let agent = [
            AgentField::Chart,
            AgentField::Version,
            AgentField::Values,
            AgentField::ImageRepository,
            AgentField::RegistrationImageRepository,
            AgentField::ImagePullSecrets,
            AgentField::RegistrationEnabled,
            AgentField::Wait,
            AgentField::Timeout,
            AgentField::TakeOwnership,
            AgentField::Atomic,
        ]
        .map(Field::Agent);
        let grant = [GrantPart::Subject, GrantPart::Level, GrantPart::Group]
            .map(|part| Field::Grant(1, part));
        let top = [
            Field::Space,
            Field::Organization,
            Field::Namespace,
            Field::TokenSecretName,
            Field::RobotName,
            Field::RobotDescription,
            Field::TokenRotation,
            Field::SpaceRecord,
            Field::SkipSpaceCheck,
            Field::CloudOnly,
        ];
        for field in top.into_iter().chain(agent).chain(grant) {
            let name = location(field).name();
            assert!(!name.contains(UNDECLARED), "{field}: {name}");
        }
    }
}
