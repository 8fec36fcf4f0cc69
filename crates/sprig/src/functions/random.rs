//! Random values: `randAlphaNum`, `randAlpha`, `randAscii`, `randNumeric`,
//! `randBytes`, `randInt`, `shuffle`, `uuidv4` (from the OS-seeded
//! thread generator, as Go's crypto/rand-backed goutils functions).

use base64::Engine as _;
use rand::RngExt;

use super::{Table, Value, fail, int_arg, str_arg};
use gotemplate::{Arity, FuncError};

const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const NUMERIC: &[u8] = b"0123456789";

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["randAlphaNum"], Exact(1), |a| {
        random_from(int_arg(a, 0)?, ALPHANUMERIC)
    });
    table.add(&["randAlpha"], Exact(1), |a| {
        random_from(int_arg(a, 0)?, ALPHA)
    });
    table.add(&["randNumeric"], Exact(1), |a| {
        random_from(int_arg(a, 0)?, NUMERIC)
    });
    table.add(&["randAscii"], Exact(1), |a| {
        let printable: Vec<u8> = (32..=126).collect();
        random_from(int_arg(a, 0)?, &printable)
    });
    table.add(&["randBytes"], Exact(1), |a| {
        let count =
            usize::try_from(int_arg(a, 0)?).map_err(|_| fail("makeslice: len out of range"))?;
        let mut bytes = vec![0u8; count];
        rand::rng().fill(&mut bytes[..]);
        Ok(base64::engine::general_purpose::STANDARD
            .encode(bytes)
            .into())
    });
    table.add(&["randInt"], Exact(2), |a| {
        let (min, max) = (int_arg(a, 0)?, int_arg(a, 1)?);
        if max <= min {
            return Err(fail("invalid argument to Intn"));
        }
        Ok(Value::Int(rand::rng().random_range(min..max)))
    });
    table.add(&["shuffle"], Exact(1), |a| {
        let mut chars: Vec<char> = str_arg(a, 0)?.chars().collect();
        let mut rng = rand::rng();
        for i in (1..chars.len()).rev() {
            chars.swap(i, rng.random_range(0..=i));
        }
        Ok(chars.into_iter().collect::<String>().into())
    });
    table.add(&["uuidv4"], Exact(0), |_| {
        Ok(uuid::Uuid::new_v4().to_string().into())
    });
}

/// `count` characters drawn from `alphabet`; goutils refuses a negative
/// count.
fn random_from(count: i64, alphabet: &[u8]) -> Result<Value, FuncError> {
    let count = usize::try_from(count).map_err(|_| {
        fail(format!(
            "Requested random string length {count} is less than 0."
        ))
    })?;
    let mut rng = rand::rng();
    let text: String = (0..count)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect();
    Ok(text.into())
}
