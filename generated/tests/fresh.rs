//! The checked-in clients are exactly what the generator writes from `spec/` today.

use std::path::Path;

fn assert_fresh(name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("../spec").join(format!("{name}.yaml"));
    let expected = specwright_codegen::Builder::new(&spec)
        .client_params(["project_id"])
        .render()
        .unwrap_or_else(|e| panic!("{e}"))
        .source;
    let path = root.join("src").join(format!("{name}.rs"));
    let on_disk = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        on_disk == expected,
        "{} is stale: it differs from what spec/{name}.yaml generates. Run `cargo run -p specwright -- generate`.",
        path.display()
    );
}

#[test]
fn evs_client_is_fresh() {
    assert_fresh("evs");
}

#[test]
fn ims_client_is_fresh() {
    assert_fresh("ims");
}
