//! Attribute paths: which part of a configuration a diagnostic is about
//! (Terraform underlines the matching source range).

/// One step into a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object attribute or block.
    Attribute(String),
    /// A map element.
    Key(String),
    /// A list element.
    Index(i64),
}

/// A path from the top of a configuration to one value in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributePath(pub Vec<Step>);

impl AttributePath {
    /// The top-level attribute (or block) `name`.
    pub fn root(name: &str) -> Self {
        Self(vec![Step::Attribute(name.to_owned())])
    }

    /// This path, then attribute `name`.
    pub fn attribute(mut self, name: &str) -> Self {
        self.0.push(Step::Attribute(name.to_owned()));
        self
    }

    /// This path, then element `index` of a list.
    pub fn index(mut self, index: i64) -> Self {
        self.0.push(Step::Index(index));
        self
    }
}

impl std::fmt::Display for AttributePath {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (position, step) in self.0.iter().enumerate() {
            match step {
                Step::Attribute(name) if position == 0 => write!(formatter, "{name}")?,
                Step::Attribute(name) => write!(formatter, ".{name}")?,
                Step::Key(key) => write!(formatter, "[{key:?}]")?,
                Step::Index(index) => write!(formatter, "[{index}]")?,
            }
        }
        Ok(())
    }
}
