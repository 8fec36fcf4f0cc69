//! `terraform providers schema -json`, run by real Terraform on the basic
//! example, shows the whole schema as the issue lists it, described: every
//! attribute and block (walked generically, so a new one without a
//! description fails here) has a description and its kind, the provider's
//! credentials are sensitive and nothing else is, and the key attributes
//! are required, optional or computed as documented.
//!
//! `provider/tests/it/docs_match_schema.rs` checks that `docs/` renders the
//! schema the provider builds in process; this test checks what Terraform
//! receives over the plugin protocol.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use testkit::terraform::{BASIC_EXAMPLE, TerraformDir};

/// The provider's address, as `terraform providers schema -json` keys it.
const PROVIDER: &str = "registry.terraform.io/upbound-connect/upbound";

/// The resource type.
const RESOURCE: &str = "upbound_space_connection";

/// The provider block's attributes the issue lists, by `block.attribute`.
const PROVIDER_ATTRIBUTES: [&str; 19] = [
    "upbound.endpoint",
    "upbound.token",
    "upbound.organization",
    "kubernetes.config_path",
    "kubernetes.config_paths",
    "kubernetes.config_context",
    "kubernetes.host",
    "kubernetes.token",
    "kubernetes.cluster_ca_certificate",
    "kubernetes.client_certificate",
    "kubernetes.client_key",
    "kubernetes.insecure",
    "kubernetes.exec.api_version",
    "kubernetes.exec.command",
    "kubernetes.exec.args",
    "kubernetes.exec.env",
    "registry.license_file",
    "registry.access_id",
    "registry.token",
];

/// The resource's arguments and computed attributes the issue lists.
const RESOURCE_ATTRIBUTES: [&str; 32] = [
    "space",
    "organization",
    "namespace",
    "token_secret_name",
    "robot_name",
    "robot_description",
    "agent.chart",
    "agent.version",
    "agent.values",
    "agent.image_repository",
    "agent.registration_image_repository",
    "agent.image_pull_secrets",
    "agent.registration_enabled",
    "agent.timeout",
    "agent.wait",
    "access.subject",
    "access.level",
    "access.group",
    "cluster.config_path",
    "cluster.host",
    "cluster.token",
    "cluster.exec.command",
    "space_record",
    "token_rotation",
    "skip_space_check",
    "cloud_only_destroy",
    "id",
    "robot_id",
    "token_id",
    "release_revision",
    "chart_digest",
    "agent_version",
];

/// Exactly these are sensitive: the credentials of the provider and of a
/// connection's own cluster. The robot token never enters state.
const SENSITIVE: [&str; 6] = [
    "provider.upbound.token",
    "provider.kubernetes.token",
    "provider.kubernetes.client_key",
    "provider.registry.token",
    "upbound_space_connection.cluster.token",
    "upbound_space_connection.cluster.client_key",
];

/// Key attributes' flags: `(path, required, optional, computed)`.
const MODES: [(&str, bool, bool, bool); 9] = [
    ("upbound_space_connection.space", true, false, false),
    ("upbound_space_connection.organization", false, true, true),
    ("upbound_space_connection.namespace", false, true, true),
    (
        "upbound_space_connection.token_rotation",
        false,
        true,
        false,
    ),
    ("upbound_space_connection.id", false, false, true),
    ("upbound_space_connection.robot_id", false, false, true),
    ("upbound_space_connection.token_id", false, false, true),
    ("upbound_space_connection.agent.version", false, true, false),
    ("provider.upbound.token", false, true, false),
];

/// What walking a schema found, every attribute and block by dotted path.
#[derive(Default)]
struct Walk {
    /// Attributes and blocks without a description or its kind.
    undescribed: Vec<String>,
    /// Attributes that are neither required, optional nor computed.
    modeless: Vec<String>,
    /// Nested blocks by path, with their nesting mode.
    blocks: BTreeMap<String, String>,
    /// Attributes by path.
    attributes: BTreeMap<String, Value>,
}

impl Walk {
    /// Walks `block` (a JSON schema block) and everything under it.
    fn block(&mut self, path: &str, block: &Value) {
        self.described(path, block);
        for (name, attribute) in entries(&block["attributes"]) {
            let path = format!("{path}.{name}");
            self.described(&path, attribute);
            if !["required", "optional", "computed"]
                .iter()
                .any(|flag| attribute[flag] == true)
            {
                self.modeless.push(path.clone());
            }
            self.attributes.insert(path, attribute.clone());
        }
        for (name, nested) in entries(&block["block_types"]) {
            let path = format!("{path}.{name}");
            self.blocks.insert(
                path.clone(),
                nested["nesting_mode"].as_str().unwrap_or("").to_owned(),
            );
            self.block(&path, &nested["block"]);
        }
    }

    fn described(&mut self, path: &str, item: &Value) {
        let present = |key: &str| {
            item[key]
                .as_str()
                .is_some_and(|text| !text.trim().is_empty())
        };
        if !present("description") || !present("description_kind") {
            self.undescribed.push(path.to_owned());
        }
    }

    fn sensitive(&self) -> BTreeSet<&str> {
        self.attributes
            .iter()
            .filter(|(_, attribute)| attribute["sensitive"] == true)
            .map(|(path, _)| path.as_str())
            .collect()
    }
}

fn entries(map: &Value) -> impl Iterator<Item = (&String, &Value)> {
    map.as_object().into_iter().flatten()
}

#[tokio::test]
async fn terraform_sees_the_whole_schema_described() {
    let terraform = TerraformDir::new(BASIC_EXAMPLE);
    terraform.init().await;
    let run = terraform
        .run(&["providers", "schema", "-json"])
        .await
        .success();
    let schemas: Value = serde_json::from_str(&run.stdout).expect("schema -json prints JSON");
    let providers: Vec<&String> = entries(&schemas["provider_schemas"])
        .map(|(name, _)| name)
        .collect();
    assert_eq!(providers, [PROVIDER], "one provider");
    let schema = &schemas["provider_schemas"][PROVIDER];
    let resources: Vec<&String> = entries(&schema["resource_schemas"])
        .map(|(name, _)| name)
        .collect();
    assert_eq!(resources, [RESOURCE], "one resource type");

    let mut walk = Walk::default();
    walk.block("provider", &schema["provider"]["block"]);
    walk.block(RESOURCE, &schema["resource_schemas"][RESOURCE]["block"]);

    assert_eq!(walk.undescribed, Vec::<String>::new(), "undescribed");
    assert_eq!(walk.modeless, Vec::<String>::new(), "no mode");
    let expected = PROVIDER_ATTRIBUTES
        .iter()
        .map(|path| format!("provider.{path}"))
        .chain(
            RESOURCE_ATTRIBUTES
                .iter()
                .map(|path| format!("{RESOURCE}.{path}")),
        );
    let missing: Vec<String> = expected
        .filter(|path| !walk.attributes.contains_key(path))
        .collect();
    assert_eq!(missing, Vec::<String>::new(), "missing attributes");
    let blocks: Vec<(&str, &str)> = walk
        .blocks
        .iter()
        .map(|(path, nesting)| (path.as_str(), nesting.as_str()))
        .collect();
    assert_eq!(
        blocks,
        [
            ("provider.kubernetes", "single"),
            ("provider.kubernetes.exec", "single"),
            ("provider.registry", "single"),
            ("provider.upbound", "single"),
            ("upbound_space_connection.access", "list"),
            ("upbound_space_connection.agent", "single"),
            ("upbound_space_connection.cluster", "single"),
            ("upbound_space_connection.cluster.exec", "single"),
        ],
        "the blocks and their nesting: one of each, grants repeated"
    );
    assert_eq!(
        walk.sensitive(),
        BTreeSet::from(SENSITIVE),
        "the sensitive attributes"
    );
    for (path, required, optional, computed) in MODES {
        let attribute = &walk.attributes[path];
        let flags = ["required", "optional", "computed"].map(|flag| attribute[flag] == true);
        assert_eq!(
            flags,
            [required, optional, computed],
            "{path}: required, optional, computed"
        );
    }
    let description = schema["resource_schemas"][RESOURCE]["block"]["description"]
        .as_str()
        .unwrap_or_default();
    for import_id in [
        "`<organization>/<space>`",
        "`<organization>/<space>/<namespace>`",
    ] {
        assert!(
            description.contains(import_id),
            "the resource's description names the import ID {import_id}: {description}"
        );
    }
}
