//! Reflection: `typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs`,
//! `deepEqual`, with Go's type and kind names for template values.

use super::{Table, kind_name, str_arg};
use gotemplate::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["typeOf"], Exact(1), |a| Ok(a[0].type_name().into()));
    table.add(&["typeIs"], Exact(2), |a| {
        Ok((str_arg(a, 0)? == a[1].type_name()).into())
    });
    table.add(&["typeIsLike"], Exact(2), |a| {
        let want = str_arg(a, 0)?;
        let got = a[1].type_name();
        Ok((want == got || want == format!("*{got}")).into())
    });
    table.add(&["kindOf"], Exact(1), |a| Ok(kind_name(&a[0]).into()));
    table.add(&["kindIs"], Exact(2), |a| {
        Ok((str_arg(a, 0)? == kind_name(&a[1])).into())
    });
    table.add(&["deepEqual"], Exact(2), |a| Ok((a[0] == a[1]).into()));
}
