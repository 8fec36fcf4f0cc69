//! TOML: Helm's `toToml` and `fromToml` are registered so charts parse;
//! this renderer does not run them (see the module list in the report of
//! unsupported functions).

use super::Table;
use super::unsupported::not_supported;
use crate::helm::template::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    for name in ["toToml", "fromToml"] {
        table
            .0
            .func(name, Arity::Exact(1), move |_, _| Err(not_supported(name)));
    }
}
