//! Property tests: random and mutated input through load + validate must never panic, and every
//! finding must point inside its source. A longer campaign with cargo-fuzz is described in
//! docs/development.md.

use meshctl::check::run::validate_source;
use meshctl::load::decode;
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    include_str!("../testdata/valid/shop-gateway.yaml"),
    include_str!("../testdata/valid/mesh-security.yaml"),
    include_str!("../testdata/valid/list.json"),
    include_str!("../testdata/invalid/multi-document.yaml"),
    include_str!("../testdata/invalid/yaml11-boolean.yaml"),
];

fn check(bytes: Vec<u8>) {
    let (source, problem) = decode("fuzz.yaml".to_string(), bytes);
    let report = validate_source(&source, problem);
    for d in &report.diagnostics {
        if let Some(loc) = &d.location {
            assert!(loc.span.end as usize <= source.text.len());
            assert!(loc.span.start <= loc.span.end);
            let (line, col) = loc.start();
            assert!(line >= 1 && col >= 1);
        }
    }
}

/// Byte-level edits of a seed document: flips, insertions of YAML-significant characters,
/// deletions and truncation.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| (0u8, i, b)),
        (
            any::<usize>(),
            prop::sample::select(b":-[]{}&*!|>'\"#%@`,? \n\t".to_vec())
        )
            .prop_map(|(i, b)| (1u8, i, b)),
        any::<usize>().prop_map(|i| (2u8, i, 0)),
        any::<usize>().prop_map(|i| (3u8, i, 0)),
    ];
    (
        prop::sample::select(SEEDS.to_vec()),
        prop::collection::vec(edit, 1..8),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = seed.as_bytes().to_vec();
            for (op, i, b) in edits {
                if bytes.is_empty() {
                    break;
                }
                let at = i % bytes.len();
                match op {
                    0 => bytes[at] = b,
                    1 => bytes.insert(at, b),
                    2 => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at),
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(bytes);
    }

    #[test]
    fn random_yaml_like_text_never_panics(text in "[a-z:\\-\\[\\]{}&*!|>'\" \n#,0-9.]{0,400}") {
        check(text.into_bytes());
    }

    #[test]
    fn mutated_manifests_never_panic(bytes in mutated()) {
        check(bytes);
    }
}
