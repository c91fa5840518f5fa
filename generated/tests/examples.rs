//! Every example in `spec/` deserializes into its generated model and serializes back to
//! equal JSON. The cases are written by the generator (`cargo run -p specwright -- generate`)
//! from the same IR as the clients.

#[rustfmt::skip]
#[path = "examples/evs.rs"]
mod evs;

#[rustfmt::skip]
#[path = "examples/ims.rs"]
mod ims;
