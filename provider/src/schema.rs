//! Schemas as the provider writes them: blocks of attributes with types,
//! modes and Markdown descriptions. `toproto6` turns them into the wire
//! form; `Block::ty` gives the cty type values of the block have.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::cty::Type;

/// A versioned schema (the version is the resource's state version).
#[derive(Clone, Debug)]
pub struct Schema {
    /// The state schema version.
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

/// A block: attributes and nested blocks, described in Markdown.
#[derive(Clone, Debug, Default)]
pub struct Block {
    /// What the block is for (Markdown).
    pub description: &'static str,
    /// Its attributes.
    pub attributes: Vec<Attribute>,
    /// Its nested blocks.
    pub blocks: Vec<NestedBlock>,
}

/// Who sets an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The configuration must set it.
    Required,
    /// The configuration may set it; null otherwise.
    Optional,
    /// Only the provider sets it.
    Computed,
    /// The configuration may set it; the provider fills a default otherwise.
    OptionalComputed,
}

/// One attribute.
#[derive(Clone, Debug)]
pub struct Attribute {
    /// Its name.
    pub name: &'static str,
    /// Its cty type.
    pub ty: Type,
    /// Who sets it.
    pub mode: Mode,
    /// Whether Terraform redacts it in output.
    pub sensitive: bool,
    /// What it means (Markdown).
    pub description: Cow<'static, str>,
}

impl Attribute {
    /// A string attribute.
    pub fn string(name: &'static str, mode: Mode, description: &'static str) -> Self {
        Self {
            name,
            ty: Type::String,
            mode,
            sensitive: false,
            description: Cow::Borrowed(description),
        }
    }

    /// A bool attribute.
    pub fn bool(name: &'static str, mode: Mode, description: &'static str) -> Self {
        Self {
            ty: Type::Bool,
            ..Self::string(name, mode, description)
        }
    }

    /// A number attribute.
    pub fn number(name: &'static str, mode: Mode, description: &'static str) -> Self {
        Self {
            ty: Type::Number,
            ..Self::string(name, mode, description)
        }
    }

    /// A list-of-strings attribute.
    pub fn strings(name: &'static str, mode: Mode, description: &'static str) -> Self {
        Self {
            ty: Type::List(Box::new(Type::String)),
            ..Self::string(name, mode, description)
        }
    }

    /// A map-of-strings attribute.
    pub fn string_map(name: &'static str, mode: Mode, description: &'static str) -> Self {
        Self {
            ty: Type::Map(Box::new(Type::String)),
            ..Self::string(name, mode, description)
        }
    }

    /// The same attribute, redacted in Terraform's output.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

/// How often a nested block may appear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most once; its value is an object or null.
    Single,
    /// Any number of times, in order; its value is a list of objects
    /// (empty, never null, when the block is absent).
    List,
}

/// A nested block type.
#[derive(Clone, Debug)]
pub struct NestedBlock {
    /// The block's type name, as written in configuration.
    pub name: &'static str,
    /// How often it may appear.
    pub nesting: Nesting,
    /// Its contents.
    pub block: Block,
}

impl Block {
    /// The cty object type of this block's values.
    pub fn ty(&self) -> Type {
        let mut attributes: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|attribute| (attribute.name.to_owned(), attribute.ty.clone()))
            .collect();
        for nested in &self.blocks {
            let ty = match nested.nesting {
                Nesting::Single => nested.block.ty(),
                Nesting::List => Type::List(Box::new(nested.block.ty())),
            };
            attributes.insert(nested.name.to_owned(), ty);
        }
        Type::Object(attributes)
    }
}
