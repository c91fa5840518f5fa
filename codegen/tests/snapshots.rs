//! What the generator writes for each fixture spec (one per mapping rule), pinned with
//! insta. The same fixtures are compiled with warnings denied by `codegen/fixtures`.

use std::path::Path;

fn generate(name: &str) -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/specs")
        .join(format!("{name}.yaml"));
    specwright_codegen::generate_file(&spec).unwrap_or_else(|e| panic!("{e}"))
}

macro_rules! snapshot {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), generate(stringify!($name)));
        }
    };
}

snapshot!(all_of);
snapshot!(bodies);
snapshot!(collisions);
snapshot!(discriminator);
snapshot!(formats);
snapshot!(maps);
snapshot!(object_query);
snapshot!(open_enum);
snapshot!(optional_nullable);
snapshot!(petstore);
snapshot!(security);
snapshot!(tagged_oneof);
snapshot!(untagged_oneof);
snapshot!(wire_names);
