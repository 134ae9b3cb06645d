//! Random streams of every value type: written, parsed back, equal, and written again the same.
#![allow(clippy::unwrap_used)]

use docseal_oleps::{
    Array, ArrayDimension, ClipboardData, CodePageString, Decimal, Elements, Property,
    PropertySetStream, Section, UnicodeString, Value, VersionedStream, PID_CODEPAGE,
    PID_DICTIONARY, PID_LOCALE,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

fn cps() -> impl Strategy<Value = CodePageString> {
    vec(any::<u8>(), 0..10).prop_map(CodePageString)
}

fn ucs() -> impl Strategy<Value = UnicodeString> {
    vec(any::<u16>(), 0..6).prop_map(UnicodeString)
}

fn f32s() -> impl Strategy<Value = f32> {
    any::<u32>().prop_map(f32::from_bits)
}

fn f64s() -> impl Strategy<Value = f64> {
    any::<u64>().prop_map(f64::from_bits)
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (
        any::<u16>(),
        any::<u8>(),
        any::<u8>(),
        any::<u32>(),
        any::<u64>(),
    )
        .prop_map(|(reserved, scale, sign, hi32, lo64)| Decimal {
            reserved,
            scale,
            sign,
            hi32,
            lo64,
        })
}

fn cf() -> impl Strategy<Value = ClipboardData> {
    (any::<u32>(), vec(any::<u8>(), 0..9)).prop_map(|(format, data)| ClipboardData { format, data })
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Empty),
        Just(Value::Null),
        any::<i16>().prop_map(Value::I2),
        any::<i32>().prop_map(Value::I4),
        f32s().prop_map(Value::R4),
        f64s().prop_map(Value::R8),
        any::<i64>().prop_map(Value::Cy),
        f64s().prop_map(Value::Date),
        cps().prop_map(Value::Bstr),
        any::<u32>().prop_map(Value::Error),
        any::<bool>().prop_map(Value::Bool),
        decimal().prop_map(Value::Decimal),
        any::<i8>().prop_map(Value::I1),
        any::<u8>().prop_map(Value::Ui1),
        any::<u16>().prop_map(Value::Ui2),
        any::<u32>().prop_map(Value::Ui4),
        any::<i64>().prop_map(Value::I8),
        any::<u64>().prop_map(Value::Ui8),
        any::<i32>().prop_map(Value::Int),
        any::<u32>().prop_map(Value::Uint),
        cps().prop_map(Value::Lpstr),
        ucs().prop_map(Value::Lpwstr),
        any::<u64>().prop_map(Value::Filetime),
        vec(any::<u8>(), 0..9).prop_map(Value::Blob),
        cps().prop_map(Value::Stream),
        cps().prop_map(Value::Storage),
        cps().prop_map(Value::StreamedObject),
        cps().prop_map(Value::StoredObject),
        vec(any::<u8>(), 0..9).prop_map(Value::BlobObject),
        cf().prop_map(Value::Cf),
        any::<[u8; 16]>().prop_map(Value::Clsid),
        (any::<[u8; 16]>(), cps()).prop_map(|(version, name)| Value::VersionedStream(Box::new(
            VersionedStream { version, name }
        ))),
    ]
    .boxed()
}

/// Elements of every type, `n` of them.
fn elements(n: usize, variant: BoxedStrategy<Value>) -> BoxedStrategy<Elements> {
    prop_oneof![
        vec(any::<i16>(), n).prop_map(Elements::I2),
        vec(any::<i32>(), n).prop_map(Elements::I4),
        vec(f32s(), n).prop_map(Elements::R4),
        vec(f64s(), n).prop_map(Elements::R8),
        vec(any::<i64>(), n).prop_map(Elements::Cy),
        vec(f64s(), n).prop_map(Elements::Date),
        vec(cps(), n).prop_map(Elements::Bstr),
        vec(any::<u32>(), n).prop_map(Elements::Error),
        vec(any::<bool>(), n).prop_map(Elements::Bool),
        vec(variant, n).prop_map(Elements::Variant),
        vec(decimal(), n).prop_map(Elements::Decimal),
        vec(any::<i8>(), n).prop_map(Elements::I1),
        vec(any::<u8>(), n).prop_map(Elements::Ui1),
        vec(any::<u16>(), n).prop_map(Elements::Ui2),
        vec(any::<u32>(), n).prop_map(Elements::Ui4),
        vec(any::<i64>(), n).prop_map(Elements::I8),
        vec(any::<u64>(), n).prop_map(Elements::Ui8),
        vec(any::<i32>(), n).prop_map(Elements::Int),
        vec(any::<u32>(), n).prop_map(Elements::Uint),
        vec(cps(), n).prop_map(Elements::Lpstr),
        vec(ucs(), n).prop_map(Elements::Lpwstr),
        vec(any::<u64>(), n).prop_map(Elements::Filetime),
        vec(cf(), n).prop_map(Elements::Cf),
        vec(any::<[u8; 16]>(), n).prop_map(Elements::Clsid),
    ]
    .boxed()
}

/// Any typed value, vectors and arrays (of variants, nested) included.
fn value() -> BoxedStrategy<Value> {
    scalar()
        .prop_recursive(3, 24, 4, |inner| {
            let for_vector = inner.clone();
            let for_array = inner;
            prop_oneof![
                (0usize..5).prop_flat_map(move |n| elements(n, for_vector.clone()).prop_map(Value::Vector)),
                vec((0u32..3, any::<i32>()), 1..3).prop_flat_map(move |dims| {
                    let n = dims.iter().map(|d| d.0 as usize).product();
                    let dimensions: Vec<ArrayDimension> = dims
                        .iter()
                        .map(|&(size, index_offset)| ArrayDimension { size, index_offset })
                        .collect();
                    elements(n, for_array.clone()).prop_map(move |elements| {
                        Value::Array(Box::new(Array { dimensions: dimensions.clone(), elements }))
                    })
                }),
            ]
        })
        .boxed()
}

/// A top-level value this crate cannot read, padded so it reads back as itself.
fn unknown() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec![0x0009u16, 0x000D, 0x0019, 0x0024, 0x0FFF]),
        vec(any::<[u8; 4]>(), 0..4),
    )
        .prop_map(|(vt, raw)| Value::Unknown {
            vt,
            raw: raw.concat(),
        })
}

fn section() -> impl Strategy<Value = Section> {
    let codepage = prop::sample::select(vec![
        None,
        Some(1252u16),
        Some(1200),
        Some(65001),
        Some(10000),
    ]);
    (
        any::<[u8; 16]>(),
        codepage,
        btree_map(2u32..50, prop_oneof![4 => value(), 1 => unknown()], 0..7),
        any::<bool>(),
        vec((2u32..60, vec(any::<u8>(), 0..7)), 0..4),
        proptest::option::of(any::<u32>()),
    )
        .prop_flat_map(|(fmtid, codepage, values, with_dict, names, locale)| {
            let mut props = Vec::new();
            if let Some(cp) = codepage {
                props.push(Property::new(PID_CODEPAGE, Value::I2(cp as i16)));
            }
            if with_dict {
                let wide = codepage == Some(1200);
                let entries = names
                    .into_iter()
                    .map(|(id, mut name)| {
                        if wide && name.len() % 2 == 1 {
                            name.push(0);
                        }
                        (id, CodePageString(name))
                    })
                    .collect();
                props.push(Property::new(PID_DICTIONARY, Value::Dictionary(entries)));
            }
            if let Some(lcid) = locale {
                props.push(Property::new(PID_LOCALE, Value::Ui4(lcid)));
            }
            props.extend(values.into_iter().map(|(id, v)| Property::new(id, v)));
            Just(props).prop_shuffle().prop_map(move |properties| {
                let mut s = Section::new(fmtid);
                s.properties = properties;
                s
            })
        })
}

fn stream() -> impl Strategy<Value = PropertySetStream> {
    (
        0u16..2,
        any::<u32>(),
        any::<[u8; 16]>(),
        vec(section(), 1..4),
    )
        .prop_map(|(version, system_identifier, clsid, sections)| {
            let mut s = PropertySetStream::new();
            s.version = version;
            s.system_identifier = system_identifier;
            s.clsid = clsid;
            s.sections = sections;
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn written_streams_parse_back_equal(s in stream()) {
        let bytes = s.to_bytes();
        let parsed = PropertySetStream::parse(&bytes).unwrap();
        prop_assert_eq!(&parsed, &s);
        prop_assert_eq!(parsed.to_bytes(), bytes);
    }

    #[test]
    fn one_change_rewrites_only_that_property(s in stream(), v in value()) {
        let bytes = s.to_bytes();
        let mut parsed = PropertySetStream::parse(&bytes).unwrap();
        parsed.sections[0].set(60, v.clone());
        let out = parsed.to_bytes();
        let again = PropertySetStream::parse(&out).unwrap();
        prop_assert_eq!(again.sections[0].get(60), Some(&v));
        prop_assert_eq!(&again, &parsed);
        // Sections after the first are unchanged, byte for byte.
        let tail = |b: &[u8]| {
            let first_size = u32::from_le_bytes(b[28 + 20 * s.sections.len()..][..4].try_into().unwrap()) as usize;
            b[28 + 20 * s.sections.len() + first_size..].to_vec()
        };
        prop_assert_eq!(tail(&out), tail(&bytes));
    }
}
