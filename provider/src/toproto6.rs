//! Our types → tfplugin6 messages. The resource and provider logic never
//! build protocol types themselves.

use crate::cty::path::Step;
use crate::cty::{AttributePath, Type, Value, json, msgpack};
use crate::diagnostics::{Diagnostics, Severity};
use crate::fromproto6::resource_type;
use crate::proto::tfplugin6 as proto;
use crate::resource::space_connection::{self as resource, ApplyResponse, import, plan, read};
use crate::schema::{Attribute, Block, Mode, NestedBlock, Nesting, Schema};

/// A schema.
pub fn schema(schema: &Schema) -> proto::Schema {
    proto::Schema {
        version: schema.version,
        block: Some(block(&schema.block)),
    }
}

fn block(block: &Block) -> proto::schema::Block {
    proto::schema::Block {
        version: 0,
        attributes: block.attributes.iter().map(attribute).collect(),
        block_types: block.blocks.iter().map(nested_block).collect(),
        description: block.description.to_owned(),
        description_kind: proto::StringKind::Markdown as i32,
        deprecated: false,
    }
}

fn attribute(attribute: &Attribute) -> proto::schema::Attribute {
    proto::schema::Attribute {
        name: attribute.name.to_owned(),
        r#type: json::type_json(&attribute.ty).to_string().into_bytes(),
        description: attribute.description.to_string(),
        required: attribute.mode == Mode::Required,
        optional: matches!(attribute.mode, Mode::Optional | Mode::OptionalComputed),
        computed: matches!(attribute.mode, Mode::Computed | Mode::OptionalComputed),
        sensitive: attribute.sensitive,
        description_kind: proto::StringKind::Markdown as i32,
        deprecated: false,
        write_only: false,
    }
}

fn nested_block(nested: &NestedBlock) -> proto::schema::NestedBlock {
    let nesting = match nested.nesting {
        Nesting::Single => proto::schema::nested_block::NestingMode::Single,
        Nesting::List => proto::schema::nested_block::NestingMode::List,
    };
    proto::schema::NestedBlock {
        type_name: nested.name.to_owned(),
        block: Some(block(&nested.block)),
        nesting: nesting as i32,
        min_items: 0,
        max_items: 0,
    }
}

/// Diagnostics.
pub fn diagnostics(diagnostics: Diagnostics) -> Vec<proto::Diagnostic> {
    diagnostics
        .0
        .into_iter()
        .map(|diagnostic| proto::Diagnostic {
            severity: match diagnostic.severity {
                Severity::Error => proto::diagnostic::Severity::Error,
                Severity::Warning => proto::diagnostic::Severity::Warning,
            } as i32,
            summary: diagnostic.summary,
            detail: diagnostic.detail,
            attribute: diagnostic.attribute.as_ref().map(attribute_path),
        })
        .collect()
}

/// An attribute path.
pub fn attribute_path(path: &AttributePath) -> proto::AttributePath {
    use proto::attribute_path::step::Selector;
    proto::AttributePath {
        steps: path
            .0
            .iter()
            .map(|step| proto::attribute_path::Step {
                selector: Some(match step {
                    Step::Attribute(name) => Selector::AttributeName(name.clone()),
                    Step::Key(key) => Selector::ElementKeyString(key.clone()),
                    Step::Index(index) => Selector::ElementKeyInt(*index),
                }),
            })
            .collect(),
    }
}

/// A value of type `ty`, msgpack-encoded; an encoding failure (a bug in
/// the provider) becomes an error diagnostic.
pub fn dynamic_value(
    value: &Value,
    ty: &Type,
    diagnostics: &mut Diagnostics,
) -> Option<proto::DynamicValue> {
    match msgpack::encode(value, ty) {
        Ok(bytes) => Some(proto::DynamicValue {
            msgpack: bytes,
            json: Vec::new(),
        }),
        Err(error) => {
            diagnostics.error(
                "Provider produced a value it cannot encode",
                format!("This is a bug in the provider: {error}."),
                None,
            );
            None
        }
    }
}

/// What this server supports beyond the base protocol (as
/// terraform-plugin-framework advertises it).
pub fn server_capabilities() -> proto::ServerCapabilities {
    proto::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

/// ReadResource's answer; `private` is passed back as Terraform sent it.
pub fn read_response(
    mut response: read::ReadResponse,
    private: Vec<u8>,
) -> proto::read_resource::Response {
    let new_state = dynamic_value(
        &response.new_state,
        &resource_type(),
        &mut response.diagnostics,
    );
    proto::read_resource::Response {
        new_state,
        diagnostics: diagnostics(response.diagnostics),
        private,
        deferred: None,
        new_identity: None,
    }
}

/// PlanResourceChange's answer.
pub fn plan_response(
    mut response: plan::PlanResponse,
    private: Vec<u8>,
) -> proto::plan_resource_change::Response {
    let planned_state = dynamic_value(
        &response.planned_state,
        &resource_type(),
        &mut response.diagnostics,
    );
    proto::plan_resource_change::Response {
        planned_state,
        requires_replace: response
            .requires_replace
            .iter()
            .map(attribute_path)
            .collect(),
        planned_private: private,
        diagnostics: diagnostics(response.diagnostics),
        legacy_type_system: false,
        deferred: None,
        planned_identity: None,
    }
}

/// ApplyResourceChange's answer.
pub fn apply_response(
    mut response: ApplyResponse,
    private: Vec<u8>,
) -> proto::apply_resource_change::Response {
    proto::apply_resource_change::Response {
        new_state: dynamic_value(
            &response.new_state,
            &resource_type(),
            &mut response.diagnostics,
        ),
        private,
        diagnostics: diagnostics(response.diagnostics),
        legacy_type_system: false,
        new_identity: None,
    }
}

/// ImportResourceState's answer: the imported state, if there is one.
pub fn import_response(
    mut response: import::ImportResponse,
) -> proto::import_resource_state::Response {
    let state = (!response.state.is_null())
        .then(|| dynamic_value(&response.state, &resource_type(), &mut response.diagnostics))
        .flatten();
    proto::import_resource_state::Response {
        imported_resources: state
            .map(|state| proto::import_resource_state::ImportedResource {
                type_name: resource::schema::TYPE_NAME.to_owned(),
                state: Some(state),
                private: Vec::new(),
                identity: None,
            })
            .into_iter()
            .collect(),
        diagnostics: diagnostics(response.diagnostics),
        deferred: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::AttributePath;
    use crate::proto::tfplugin6::attribute_path::step::Selector;

    #[test]
    fn attribute_modes_map_to_protocol_flags() {
        let converted = attribute(&Attribute::string("a", Mode::OptionalComputed, "d").sensitive());
        assert!(converted.optional && converted.computed && !converted.required);
        assert!(converted.sensitive);
        assert_eq!(converted.r#type, br#""string""#);
        assert_eq!(
            converted.description_kind,
            proto::StringKind::Markdown as i32
        );
        let required = attribute(&Attribute::bool("b", Mode::Required, "d"));
        assert!(required.required && !required.optional && !required.computed);
    }

    #[test]
    fn diagnostics_keep_their_path() {
        let mut diagnostics = Diagnostics::default();
        diagnostics.error(
            "s",
            "d",
            Some(
                AttributePath::root("kubernetes")
                    .attribute("config_paths")
                    .index(1),
            ),
        );
        diagnostics.warning("w", "d", None);
        let converted = super::diagnostics(diagnostics);
        assert_eq!(
            converted[0].severity,
            proto::diagnostic::Severity::Error as i32
        );
        assert_eq!(
            converted[1].severity,
            proto::diagnostic::Severity::Warning as i32
        );
        let steps: Vec<_> = converted[0]
            .attribute
            .as_ref()
            .expect("a path")
            .steps
            .iter()
            .map(|step| step.selector.clone().expect("a selector"))
            .collect();
        assert_eq!(
            steps,
            [
                Selector::AttributeName("kubernetes".to_owned()),
                Selector::AttributeName("config_paths".to_owned()),
                Selector::ElementKeyInt(1),
            ]
        );
    }

    #[test]
    fn nested_blocks_become_single_blocks() {
        let converted = schema(&crate::provider::schema::schema());
        let block = converted.block.expect("a block");
        assert!(block.block_types.iter().all(
            |nested| nested.nesting == proto::schema::nested_block::NestingMode::Single as i32
        ));
    }
}
