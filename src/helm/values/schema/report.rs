//! The layout of one chart's schema failures as Helm's validator
//! (santhosh-tekuri/jsonschema v6) prints them: a tree with a node per
//! schema applied to a value. A node that fails in one way reads as that
//! failure; one that fails in several reads `at 'PATH': validation failed`
//! with the failures indented below it, in v6's keyword order (`required`
//! before the properties, `additionalProperties` after them, …). The
//! top node's failures are listed without that line.
//!
//! Where v6 follows Go's random map order (sibling properties of one
//! value) the order here is the properties' names, sorted.

use std::cmp::Ordering;

/// One failed keyword.
pub(super) struct Leaf<'a> {
    /// JSON pointer into the values.
    pub instance: &'a str,
    /// JSON pointer into the schema, ending with the keyword.
    pub keyword_path: &'a str,
    /// The failure in v6's words.
    pub message: &'a str,
}

/// The lines helm prints for `leaves`, each `- at 'PATH': MESSAGE`,
/// indented two spaces a level.
pub(super) fn lines(leaves: &[Leaf<'_>], quote: fn(&str) -> String) -> Vec<String> {
    let mut root = Node::default();
    for leaf in leaves {
        root.insert(leaf);
    }
    root.sort();
    let mut out = Vec::new();
    root.write("", 1, true, quote, &mut out);
    out
}

/// A schema applied to a value: what failed in it, in v6's order.
#[derive(Default)]
struct Node {
    entries: Vec<Entry>,
}

enum Entry {
    Failure {
        rank: u8,
        instance: String,
        message: String,
    },
    Child {
        rank: u8,
        /// The child's value when it is a part of its parent's: a
        /// property name or an item index.
        name: Option<String>,
        /// The child's value, as a JSON pointer.
        instance: String,
        /// The child's schema step (`properties/name`, `items`, …).
        step: String,
        node: Node,
    },
}

impl Entry {
    fn order(&self, other: &Entry) -> Ordering {
        let key = |entry: &Entry| match entry {
            Entry::Failure { rank, .. } => (*rank, None),
            Entry::Child { rank, name, .. } => (*rank, name.clone()),
        };
        let ((rank_a, name_a), (rank_b, name_b)) = (key(self), key(other));
        rank_a.cmp(&rank_b).then_with(|| match (name_a, name_b) {
            (Some(a), Some(b)) => match (a.parse::<u64>(), b.parse::<u64>()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => a.cmp(&b),
            },
            _ => Ordering::Equal,
        })
    }
}

impl Node {
    fn insert(&mut self, leaf: &Leaf<'_>) {
        let tokens: Vec<&str> = leaf.keyword_path.split('/').skip(1).collect();
        let instance: Vec<&str> = leaf.instance.split('/').skip(1).collect();
        let Some((keyword, schema)) = tokens.split_last() else {
            return;
        };
        let mut node = self;
        let mut consumed = 0;
        let mut rest = schema;
        while let Some(step) = Step::parse(rest) {
            rest = &rest[step.tokens..];
            let name = if step.enters_value {
                consumed += 1;
                instance.get(consumed - 1).map(|name| (*name).to_owned())
            } else {
                None
            };
            let path: String = instance[..consumed.min(instance.len())]
                .iter()
                .map(|token| format!("/{token}"))
                .collect();
            let position = node.entries.iter().position(|entry| {
                matches!(entry, Entry::Child { step: known, instance, .. }
                    if *known == step.text && *instance == path)
            });
            let position = position.unwrap_or_else(|| {
                node.entries.push(Entry::Child {
                    rank: step.rank,
                    name,
                    instance: path,
                    step: step.text,
                    node: Node::default(),
                });
                node.entries.len() - 1
            });
            let Entry::Child { node: child, .. } = &mut node.entries[position] else {
                unreachable!("a child entry was found or pushed");
            };
            node = child;
        }
        node.entries.push(Entry::Failure {
            rank: rank(keyword, false),
            instance: leaf.instance.to_owned(),
            message: leaf.message.to_owned(),
        });
    }

    fn sort(&mut self) {
        self.entries.sort_by(Entry::order);
        for entry in &mut self.entries {
            if let Entry::Child { node, .. } = entry {
                node.sort();
            }
        }
    }

    /// v6's `display`: a node with one entry is that entry; the top node
    /// lists its entries; any other node is `validation failed` above them.
    fn write(
        &self,
        instance: &str,
        indent: usize,
        top: bool,
        quote: fn(&str) -> String,
        out: &mut Vec<String>,
    ) {
        if let [only] = self.entries.as_slice() {
            return only.write(indent, top, quote, out);
        }
        let mut indent = indent;
        if !top {
            out.push(line(indent, quote(instance), "validation failed"));
            indent += 1;
        }
        for entry in &self.entries {
            entry.write(indent, false, quote, out);
        }
    }
}

impl Entry {
    fn write(&self, indent: usize, top: bool, quote: fn(&str) -> String, out: &mut Vec<String>) {
        match self {
            Entry::Failure {
                instance, message, ..
            } => out.push(line(indent, quote(instance), message)),
            Entry::Child { instance, node, .. } => node.write(instance, indent, top, quote, out),
        }
    }
}

fn line(indent: usize, quoted_instance: String, message: &str) -> String {
    format!(
        "{}- at {quoted_instance}: {message}",
        "  ".repeat(indent - 1)
    )
}

/// One step down the schema: a keyword, its name or index when it takes
/// one, and whether it moves to a part of the value.
struct Step {
    text: String,
    tokens: usize,
    rank: u8,
    enters_value: bool,
}

impl Step {
    fn parse(tokens: &[&str]) -> Option<Step> {
        let (keyword, rest) = tokens.split_first()?;
        let named = matches!(
            *keyword,
            "properties"
                | "patternProperties"
                | "prefixItems"
                | "dependentSchemas"
                | "allOf"
                | "anyOf"
                | "oneOf"
                | "$defs"
                | "definitions"
                | "dependencies"
        ) || (*keyword == "items"
            && rest.first().is_some_and(|t| t.parse::<u64>().is_ok()));
        let tokens = if named { 2 } else { 1 };
        let enters_value = matches!(
            *keyword,
            "properties"
                | "patternProperties"
                | "prefixItems"
                | "items"
                | "additionalItems"
                | "additionalProperties"
                | "unevaluatedProperties"
                | "unevaluatedItems"
                | "contains"
        );
        Some(Step {
            text: std::iter::once(*keyword)
                .chain(rest.iter().copied())
                .take(tokens)
                .collect::<Vec<_>>()
                .join("/"),
            tokens,
            rank: rank(keyword, true),
            enters_value,
        })
    }
}

/// Where v6 checks `keyword` among a node's keywords; `step` for a
/// subschema (an `additionalProperties` schema is checked with each
/// property, `additionalProperties: false` after them all).
fn rank(keyword: &str, step: bool) -> u8 {
    match keyword {
        "type" => 0,
        "const" => 1,
        "enum" => 2,
        "format" => 3,
        "$ref" => 4,
        "minProperties" => 10,
        "maxProperties" => 11,
        "required" => 12,
        "dependencies" => 13,
        "properties" | "patternProperties" => 14,
        "additionalProperties" if step => 14,
        "additionalProperties" => 15,
        "propertyNames" => 16,
        "dependentSchemas" => 17,
        "dependentRequired" => 18,
        "minItems" => 20,
        "maxItems" => 21,
        "uniqueItems" => 22,
        "items" | "additionalItems" | "prefixItems" => 23,
        "contains" | "minContains" => 24,
        "maxContains" => 25,
        "minLength" => 30,
        "maxLength" => 31,
        "pattern" => 32,
        "contentEncoding" => 33,
        "contentMediaType" => 34,
        "contentSchema" => 35,
        "minimum" => 40,
        "maximum" => 41,
        "exclusiveMinimum" => 42,
        "exclusiveMaximum" => 43,
        "multipleOf" => 44,
        "$dynamicRef" => 50,
        "not" => 51,
        "allOf" => 52,
        "anyOf" => 53,
        "oneOf" => 54,
        "if" | "then" | "else" => 55,
        "unevaluatedProperties" => 60,
        "unevaluatedItems" => 61,
        _ => 70,
    }
}
