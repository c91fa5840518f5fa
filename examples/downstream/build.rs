fn main() {
    // A spec the generator refuses fails the build listing each problem with its JSON
    // pointer; notes show as `cargo:warning` lines.
    if let Err(e) = specwright_codegen::Builder::new("openapi.yaml")
        .client_params(["project_id"])
        .generate()
    {
        panic!("{e}");
    }
}
