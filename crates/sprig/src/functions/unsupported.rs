//! `getHostByName`, Helm's own stub: without `--enable-dns` Helm answers
//! `""` instead of resolving the name, and so does this.

use super::Table;
use gotemplate::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    table.add(&["getHostByName"], Arity::Exact(1), |_| Ok("".into()));
}
