fn main() {
    evs_ims_codegen::Builder::new("../../spec/ims.yaml")
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
}
