//! A second emitter on the same IR: a test file that round-trips every example in the
//! spec through the generated model it documents (JSON → Rust → JSON, equal again).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::Ctx;
use crate::ir::{Service, TypeRef};

/// Source of the round-trip test file; `module` is the path of the generated module as
/// the test crate sees it (e.g. `evs_ims::evs`).
pub fn tests(service: &Service, origin: &str, module: &str, runtime: &str) -> Result<String, crate::Error> {
    let parse = |p: &str| {
        syn::parse_str::<syn::Path>(p)
            .map_err(|e| crate::Error::Usage(format!("{p:?} is not a Rust path: {e}")))
    };
    let module = parse(module)?;
    let rt = parse(runtime)?;
    let ctx = Ctx {
        rt: quote!(#rt),
        rt_str: runtime.to_string(),
        std: super::Std::full(&quote!(#rt)),
    };
    let types_prefix = quote!(#module::types::);
    let mut cases = Vec::new();
    let mut used = std::collections::HashSet::new();
    // A response shared through `components/responses` is tested once per model it maps to,
    // not once for every operation that refers to it.
    let mut shared_seen = std::collections::HashSet::new();
    for op in &service.operations {
        if let Some(body) = &op.body {
            for example in &body.examples {
                cases.push(case(
                    &mut used,
                    &op.name,
                    "request",
                    &example.name,
                    &body.ty,
                    &example.value,
                    &ctx,
                    &types_prefix,
                ));
            }
        }
        for r in &op.responses {
            let Some(ty) = &r.ty else { continue };
            let (owner, role) = match &r.shared {
                Some(component) if !shared_seen.insert((component.clone(), ty.clone())) => continue,
                Some(component) => (component.clone(), "response".to_string()),
                None => (op.name.clone(), format!("response_{}", r.status.label())),
            };
            for example in &r.examples {
                cases.push(case(
                    &mut used,
                    &owner,
                    &role,
                    &example.name,
                    ty,
                    &example.value,
                    &ctx,
                    &types_prefix,
                ));
            }
        }
    }
    if cases.is_empty() {
        return Ok(format!(
            "{}// {} has no examples to round-trip.\n",
            super::header(service),
            origin.rsplit('/').next().unwrap_or_default()
        ));
    }
    let tokens = quote! {
        fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
            let original: serde_json::Value = serde_json::from_str(json).expect("example is JSON");
            let typed: T = serde_json::from_value(original.clone())
                .unwrap_or_else(|e| panic!("example does not deserialize: {e}\n{json}"));
            let back = serde_json::to_value(&typed).expect("model serializes");
            assert!(same(&original, &back), "round trip changed the example:\n before: {original}\n after:  {back}");
        }

        /// JSON equality where `1` and `1.0` are the same number.
        fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
            use serde_json::Value::*;
            match (a, b) {
                (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
                (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
                (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
                _ => a == b,
            }
        }

        #(#cases)*
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| crate::Error::Format {
        origin: origin.to_string(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "{}// Round-trips every example of {} through its generated model.\n{}",
        super::header(service),
        origin.rsplit('/').next().unwrap_or_default(),
        prettyplease::unparse(&file)
    ))
}

#[allow(clippy::too_many_arguments)]
fn case(
    used: &mut std::collections::HashSet<String>,
    op: &str,
    role: &str,
    name: &str,
    ty: &TypeRef,
    example: &Value,
    ctx: &Ctx,
    prefix: &TokenStream,
) -> TokenStream {
    let base = crate::names::field(&format!("{}_{role}_{name}", crate::names::unraw(op)));
    let fn_name = crate::names::unique(&base, |n| used.contains(n));
    used.insert(fn_name.clone());
    let fn_ident = crate::names::ident(&fn_name);
    let ty = match ty {
        TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Nullable(_) => {
            ty.tokens(ctx, prefix)
        }
        TypeRef::Bytes => return quote!(),
        _ => ty.tokens(ctx, prefix),
    };
    let json = serde_json::to_string_pretty(example).unwrap_or_default();
    quote! {
        #[test]
        fn #fn_ident() {
            roundtrip::<#ty>(#json);
        }
    }
}
