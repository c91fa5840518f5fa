//! Whatever cycles a spec's schemas make and whatever text it holds, the generator writes
//! Rust that parses (and, for the handful `codegen/fixtures` builds, compiles), or refuses
//! with a diagnostic: never output rustc rejects.

use proptest::prelude::*;
use specwright_codegen::{Settings, emit, load_str, lower};

#[path = "support/hostile.rs"]
#[allow(dead_code)]
mod hostile;

fn generate(text: &str) -> String {
    let settings = Settings::default();
    let loaded = load_str(text, "hostile").unwrap_or_else(|e| panic!("{e}\n{text}"));
    let service = lower(&loaded, &settings).unwrap_or_else(|e| panic!("{e}\n{text}"));
    emit::file(&service, &settings).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn check(picks: &[u8]) {
    let text = hostile::spec(picks);
    let source = generate(&text);
    if let Err(e) = syn::parse_file(&source) {
        panic!("{e}\n{text}\n{source}");
    }
    // What rustc refuses in a comment, though syn takes it.
    for bad in ['\r', '\t', '\u{0}', '\u{202e}'] {
        assert!(!source.contains(bad), "{bad:?} in the output of\n{text}");
    }
}

#[test]
fn the_compiled_handful_generates() {
    for n in 0..8 {
        check(&hostile::handful(n));
    }
}

#[test]
fn every_link_kind_on_a_ring_of_each_size_generates() {
    // Each combinator alone, on rings of one to four schemas.
    for link in 0..hostile::LINKS.len() as u8 {
        for size in 0..4u8 {
            let mut picks = vec![size];
            for _ in 0..=size {
                // target: next round the ring; key; two texts of two parts; the link.
                picks.extend([1, 0, 0, 2, 3, 4, link]);
            }
            check(&picks);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn hostile_specs_generate_rust_that_parses(picks in prop::collection::vec(any::<u8>(), 0..64)) {
        check(&picks);
    }
}
