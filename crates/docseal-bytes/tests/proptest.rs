//! Round trips through `PutLe` and `Reader`, and truncation at every offset.
#![allow(clippy::unwrap_used)]

use docseal_bytes::{PutLe, Reader};
use proptest::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum Field {
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    Bytes(Vec<u8>),
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        any::<u8>().prop_map(Field::U8),
        any::<u16>().prop_map(Field::U16),
        any::<u32>().prop_map(Field::U32),
        any::<u64>().prop_map(Field::U64),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(Field::Bytes),
    ]
}

fn write(fields: &[Field]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in fields {
        match f {
            Field::U8(v) => out.put_u8(*v),
            Field::U16(v) => out.put_u16(*v),
            Field::U32(v) => out.put_u32(*v),
            Field::U64(v) => out.put_u64(*v),
            Field::Bytes(b) => out.extend_from_slice(b),
        }
    }
    out
}

/// Reads the fields `shape` describes (values ignored, lengths used).
fn read(bytes: &[u8], shape: &[Field]) -> Result<Vec<Field>, docseal_bytes::Malformed> {
    let mut r = Reader::new(bytes, "test record");
    let mut got = Vec::new();
    for f in shape {
        got.push(match f {
            Field::U8(_) => Field::U8(r.u8()?),
            Field::U16(_) => Field::U16(r.u16()?),
            Field::U32(_) => Field::U32(r.u32()?),
            Field::U64(_) => Field::U64(r.u64()?),
            Field::Bytes(b) => Field::Bytes(r.take(b.len())?.to_vec()),
        });
    }
    r.finish()?;
    Ok(got)
}

proptest! {
    #[test]
    fn write_then_read_gives_the_fields_back(fields in proptest::collection::vec(field(), 0..24)) {
        let bytes = write(&fields);
        prop_assert_eq!(read(&bytes, &fields).unwrap(), fields.clone());
        // Random access agrees with the cursor.
        let mut at = 0;
        for f in &fields {
            match f {
                Field::U16(v) => prop_assert_eq!(docseal_bytes::u16_at(&bytes, at, "t").unwrap(), *v),
                Field::U32(v) => prop_assert_eq!(docseal_bytes::u32_at(&bytes, at, "t").unwrap(), *v),
                Field::U64(v) => prop_assert_eq!(docseal_bytes::u64_at(&bytes, at, "t").unwrap(), *v),
                _ => {}
            }
            at += match f {
                Field::U8(_) => 1,
                Field::U16(_) => 2,
                Field::U32(_) => 4,
                Field::U64(_) => 8,
                Field::Bytes(b) => b.len(),
            };
        }
    }

    #[test]
    fn every_truncation_is_malformed_never_a_panic(fields in proptest::collection::vec(field(), 1..16)) {
        let bytes = write(&fields);
        for cut in 0..bytes.len() {
            let e = read(&bytes[..cut], &fields).unwrap_err();
            prop_assert_eq!(e.structure, "test record");
            prop_assert!(e.detail.starts_with("truncated"), "{}", e.detail);
        }
        // One byte too many is named too.
        let mut long = bytes.clone();
        long.push(0);
        let e = read(&long, &fields).unwrap_err();
        prop_assert!(e.detail.contains("unexpected bytes"), "{}", e.detail);
    }

    #[test]
    fn arbitrary_reads_on_arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..32),
        ops in proptest::collection::vec((0u8..6, 0usize..40), 0..20),
    ) {
        let mut r = Reader::new(&bytes, "t");
        for (op, n) in ops {
            let before = r.position();
            let ok = match op {
                0 => r.u8().is_ok(),
                1 => r.u16().is_ok(),
                2 => r.u32().is_ok(),
                3 => r.u64().is_ok(),
                4 => r.take(n).is_ok(),
                _ => r.seek(n).is_ok(),
            };
            if !ok {
                prop_assert_eq!(r.position(), before);
            }
            prop_assert!(r.position() <= bytes.len());
        }
    }
}
