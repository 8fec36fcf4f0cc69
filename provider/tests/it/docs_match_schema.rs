//! The registry docs (`docs/`) describe the schema the provider serves:
//! the "Schema" section of each page is rendered from the schema, as
//! tfplugindocs renders it, and must match. `UPDATE_DOCS=1` rewrites it.

use std::path::PathBuf;

use terraform_provider_upbound::cty::Type;
use terraform_provider_upbound::schema::{Attribute, Block, Mode, Nesting};

const MARKER: &str = "<!-- schema generated from the provider's schema -->";

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Bool => "Boolean".to_owned(),
        Type::Number => "Number".to_owned(),
        Type::String => "String".to_owned(),
        Type::Dynamic => "Dynamic".to_owned(),
        Type::List(element) => format!("List of {}", type_name(element)),
        Type::Set(element) => format!("Set of {}", type_name(element)),
        Type::Map(element) => format!("Map of {}", type_name(element)),
        Type::Object(_) => "Object".to_owned(),
        Type::Tuple(_) => "Tuple".to_owned(),
    }
}

fn attribute_line(attribute: &Attribute) -> String {
    let sensitive = if attribute.sensitive {
        ", Sensitive"
    } else {
        ""
    };
    format!(
        "- `{}` ({}{sensitive}) {}\n",
        attribute.name,
        type_name(&attribute.ty),
        attribute.description
    )
}

/// The sections of a block, tfplugindocs style; `nested` adds the nested
/// blocks' own sections after.
fn render(block: &Block, heading: &str) -> String {
    let mut sections = String::new();
    let mut nested = String::new();
    let groups = [
        ("Required", vec![Mode::Required]),
        ("Optional", vec![Mode::Optional, Mode::OptionalComputed]),
        ("Read-Only", vec![Mode::Computed]),
    ];
    for (title, modes) in groups {
        let mut lines: Vec<(String, String)> = block
            .attributes
            .iter()
            .filter(|attribute| modes.contains(&attribute.mode))
            .map(|attribute| (attribute.name.to_owned(), attribute_line(attribute)))
            .collect();
        if title == "Optional" {
            for block in &block.blocks {
                let anchor = format!("nestedblock--{}", block.name);
                lines.push((
                    block.name.to_owned(),
                    format!(
                        "- `{}` ({}) {} (see [below for nested schema](#{anchor}))\n",
                        block.name,
                        match block.nesting {
                            Nesting::Single => "Block, Optional",
                            Nesting::List => "Block List",
                        },
                        block.block.description
                    ),
                ));
                nested.push_str(&format!(
                    "<a id=\"{anchor}\"></a>\n### Nested Schema for `{}`\n\n{}",
                    block.name,
                    render(&block.block, "")
                ));
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.sort();
        if heading.is_empty() {
            sections.push_str(&format!("{title}:\n\n"));
        } else {
            sections.push_str(&format!("{heading} {title}\n\n"));
        }
        for (_, line) in lines {
            sections.push_str(&line);
        }
        sections.push('\n');
    }
    sections + &nested
}

fn check(page: &str, block: &Block) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../docs")
        .join(page);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let (head, tail) = text
        .split_once(MARKER)
        .unwrap_or_else(|| panic!("{} lacks the marker {MARKER}", path.display()));
    // What follows the generated section: the next heading of the page.
    let tail = tail.strip_prefix("\n## Schema\n").unwrap_or(tail);
    let tail_after_schema = tail
        .split_once("\n## ")
        .map(|(_, rest)| format!("\n## {rest}"));
    let expected = format!(
        "{head}{MARKER}\n## Schema\n\n{}{}",
        render(block, "###").trim_end().to_owned() + "\n",
        tail_after_schema.unwrap_or_default()
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).expect("docs written");
    } else {
        assert!(
            text == expected,
            "{} is out of date with the schema; run with UPDATE_DOCS=1 and review",
            path.display()
        );
    }
}

#[test]
fn provider_page_matches_the_schema() {
    check(
        "index.md",
        &terraform_provider_upbound::provider::schema::schema().block,
    );
}

#[test]
fn resource_page_matches_the_schema() {
    check(
        "resources/space_connection.md",
        &terraform_provider_upbound::resource::space_connection::schema::schema().block,
    );
}
