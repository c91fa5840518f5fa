fn main() {
    evs_ims_codegen::Builder::new("../../spec/ims.yaml")
        .client_params(["project_id"])
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
}
