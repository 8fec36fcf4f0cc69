//! Arithmetic: sprig's int64 functions (`add`, `sub`, `mul`, `div`, `mod`,
//! `max`, `min`, …, arguments coerced by `cast.ToInt64`) and its float
//! ones (`addf`, `subf`, `mulf`, `divf` computed in decimal as
//! `shopspring/decimal` does, so `addf 0.1 0.2` is `0.3`).

use super::conversion::{to_float64, to_int64};
use super::{Table, Value, fail, int_arg};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::{AtLeast, Exact};
    table.add(&["add1"], Exact(1), |a| {
        Ok(Value::Int(to_int64(&a[0]).wrapping_add(1)))
    });
    table.add(&["add"], AtLeast(0), |a| {
        Ok(Value::Int(
            a.iter().map(to_int64).fold(0, i64::wrapping_add),
        ))
    });
    table.add(&["sub"], Exact(2), |a| {
        Ok(Value::Int(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    table.add(&["mul"], AtLeast(1), |a| {
        Ok(Value::Int(
            a.iter().map(to_int64).fold(1, i64::wrapping_mul),
        ))
    });
    table.add(&["div"], Exact(2), |a| {
        let divisor = nonzero(to_int64(&a[1]))?;
        Ok(Value::Int(to_int64(&a[0]).wrapping_div(divisor)))
    });
    table.add(&["mod"], Exact(2), |a| {
        let divisor = nonzero(to_int64(&a[1]))?;
        Ok(Value::Int(to_int64(&a[0]).wrapping_rem(divisor)))
    });
    table.add(&["max", "biggest"], AtLeast(1), |a| {
        Ok(Value::Int(a.iter().map(to_int64).max().unwrap_or(0)))
    });
    table.add(&["min"], AtLeast(1), |a| {
        Ok(Value::Int(a.iter().map(to_int64).min().unwrap_or(0)))
    });
    table.add(&["maxf"], AtLeast(1), |a| {
        Ok(Value::Float(
            a.iter().map(to_float64).fold(f64::NEG_INFINITY, f64::max),
        ))
    });
    table.add(&["minf"], AtLeast(1), |a| {
        Ok(Value::Float(
            a.iter().map(to_float64).fold(f64::INFINITY, f64::min),
        ))
    });
    table.add(&["ceil"], Exact(1), |a| {
        Ok(Value::Float(to_float64(&a[0]).ceil()))
    });
    table.add(&["floor"], Exact(1), |a| {
        Ok(Value::Float(to_float64(&a[0]).floor()))
    });
    table.add(&["round"], AtLeast(2), round);
    table.add(&["add1f"], Exact(1), |a| {
        decimal_op(&a[0], &[Value::Int(1)], Decimal::add)
    });
    table.add(&["addf"], AtLeast(0), |a| {
        decimal_op(&Value::Float(0.0), a, Decimal::add)
    });
    table.add(&["subf"], AtLeast(1), |a| {
        decimal_op(&a[0], &a[1..], Decimal::sub)
    });
    table.add(&["mulf"], AtLeast(1), |a| {
        decimal_op(&a[0], &a[1..], Decimal::mul)
    });
    table.add(&["divf"], AtLeast(1), |a| {
        decimal_op(&a[0], &a[1..], Decimal::div)
    });
}

fn nonzero(divisor: i64) -> Result<i64, FuncError> {
    if divisor == 0 {
        return Err(fail("runtime error: integer divide by zero"));
    }
    Ok(divisor)
}

/// A float64 argument: Go accepts number literals of either kind.
fn float_arg(args: &[Value], index: usize) -> Result<f64, FuncError> {
    match &args[index] {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        other => Err(super::wrong_type(index, "float64", other)),
    }
}

/// sprig's `round VALUE PLACES [ROUND_ON]`.
fn round(args: &[Value]) -> Result<Value, FuncError> {
    if args.len() > 3 {
        return Err(FuncError::ArgCount {
            want: 3,
            got: args.len(),
        });
    }
    let value = to_float64(&args[0]);
    let places = int_arg(args, 1)? as f64;
    let round_on = if args.len() == 3 {
        float_arg(args, 2)?
    } else {
        0.5
    };
    let pow = 10f64.powf(places);
    let digit = pow * value;
    let fraction = digit.fract();
    let rounded = if fraction >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(rounded / pow))
}

/// An exact decimal `mantissa × 10^exponent`, enough of
/// `shopspring/decimal` for sprig's float functions.
#[derive(Clone, Copy)]
struct Decimal {
    mantissa: i128,
    exponent: i32,
}

/// `decimal.DivisionPrecision`: quotients keep 16 decimal places.
const DIVISION_PRECISION: i32 = 16;

impl Decimal {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    fn from_f64(f: f64) -> Decimal {
        let text = format!("{f:e}");
        let (digits, exponent) = text.split_once('e').expect("{:e} has an exponent");
        let exponent: i32 = exponent.parse().expect("{:e} exponent is a number");
        let fraction = digits.split_once('.').map_or(0, |(_, f)| f.len() as i32);
        let mantissa: i128 = digits.replace('.', "").parse().unwrap_or(0);
        Decimal {
            mantissa,
            exponent: exponent - fraction,
        }
    }

    fn to_f64(self) -> f64 {
        format!("{}e{}", self.mantissa, self.exponent)
            .parse()
            .unwrap_or(0.0)
    }

    /// Both at the smaller exponent.
    fn aligned(self, other: Decimal) -> (i128, i128, i32) {
        let exponent = self.exponent.min(other.exponent);
        let scale = |d: Decimal| {
            d.mantissa
                .saturating_mul(10i128.saturating_pow((d.exponent - exponent) as u32))
        };
        (scale(self), scale(other), exponent)
    }

    fn add(self, other: Decimal) -> Result<Decimal, FuncError> {
        let (a, b, exponent) = self.aligned(other);
        Ok(Decimal {
            mantissa: a.saturating_add(b),
            exponent,
        })
    }

    fn sub(self, other: Decimal) -> Result<Decimal, FuncError> {
        let (a, b, exponent) = self.aligned(other);
        Ok(Decimal {
            mantissa: a.saturating_sub(b),
            exponent,
        })
    }

    fn mul(self, other: Decimal) -> Result<Decimal, FuncError> {
        Ok(Decimal {
            mantissa: self.mantissa.saturating_mul(other.mantissa),
            exponent: self.exponent + other.exponent,
        })
    }

    /// `DivRound` to 16 places, halves away from zero.
    fn div(self, other: Decimal) -> Result<Decimal, FuncError> {
        if other.mantissa == 0 {
            return Err(fail("decimal division by 0"));
        }
        // self/other × 10^16 = m1 × 10^(e1 − e2 + 16) / m2, with one more
        // digit kept for rounding.
        let shift = self.exponent - other.exponent + DIVISION_PRECISION + 1;
        let (numerator, denominator) = if shift >= 0 {
            (
                self.mantissa
                    .saturating_mul(10i128.saturating_pow(shift as u32)),
                other.mantissa,
            )
        } else {
            (
                self.mantissa,
                other
                    .mantissa
                    .saturating_mul(10i128.saturating_pow((-shift) as u32)),
            )
        };
        let scaled = numerator / denominator;
        let rounded = (scaled + scaled.signum() * 5) / 10;
        Ok(Decimal {
            mantissa: rounded,
            exponent: -DIVISION_PRECISION,
        })
    }
}

fn decimal_op(
    first: &Value,
    rest: &[Value],
    op: fn(Decimal, Decimal) -> Result<Decimal, FuncError>,
) -> Result<Value, FuncError> {
    let mut acc = Decimal::from_f64(to_float64(first));
    for value in rest {
        acc = op(acc, Decimal::from_f64(to_float64(value)))?;
    }
    Ok(Value::Float(acc.to_f64()))
}
