// Hostile specs: cycles through every combinator, hostile text wherever a spec puts text.
// Shared by `codegen/tests/hostile_specs.rs` (a property test: each spec generates and parses
// with syn) and `codegen/fixtures/build.rs` (a handful, compiled with warnings denied). No
// dependency: the build script has none to spare.

/// How schema `i` holds the next one: each combinator a cycle can pass through.
pub const LINKS: [&str; 13] = [
    "allOf",
    "allOfWithProperties",
    "oneOf",
    "anyOf",
    "items",
    "additionalProperties",
    "property",
    "required",
    "nullableRef",
    "nullableItems",
    "ref",
    "oneOfAlone",
    "discriminated",
];

/// Text that breaks doc comments, Markdown or string literals if passed through as is.
pub const TEXTS: [&str; 24] = [
    "*/",
    "/*",
    "\r",
    "\r\n",
    "`",
    "```",
    "#[doc = \"x\"]",
    "#![deny(warnings)]",
    "\u{0}",
    "\u{202e}",
    "\\",
    "\"",
    "<b>",
    "[x]",
    "    indented",
    "\t",
    "'",
    "{",
    "}",
    "////",
    "/",
    "\u{2028}",
    "\u{7f}",
    "plain words",
];

/// Property names as hostile as the text.
pub const KEYS: [&str; 8] = ["p", "self", "a\rb", "*/", "type", "x y", "\u{fc}", "new"];

/// JSON string literal of `s`.
pub fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A spec (JSON text) from `picks`: how many schemas, how each holds which, their
/// descriptions and property names. Any `picks` gives a valid spec.
pub fn spec(picks: &[u8]) -> String {
    let mut at = 0usize;
    let mut next = |n: usize| {
        let v = picks.get(at).copied().unwrap_or(at as u8) as usize;
        at += 1;
        v % n
    };
    let count = 1 + next(4);
    let text = |next: &mut dyn FnMut(usize) -> usize| {
        let a = TEXTS[next(TEXTS.len())];
        let b = TEXTS[next(TEXTS.len())];
        json_str(&format!("{a} then {b}{a}"))
    };
    let mut schemas = Vec::new();
    for i in 0..count {
        // Mostly the next schema round the ring, sometimes any, itself included.
        let target = if next(3) == 0 {
            next(count)
        } else {
            (i + 1) % count
        };
        let t = format!("{{\"$ref\": \"#/components/schemas/S{target}\"}}");
        let key = json_str(KEYS[next(KEYS.len())]);
        let d = text(&mut next);
        let d2 = text(&mut next);
        let body = match LINKS[next(LINKS.len())] {
            "allOf" => format!("{{\"allOf\": [{t}], \"description\": {d}}}"),
            "allOfWithProperties" => format!(
                "{{\"allOf\": [{t}], \"description\": {d}, \"required\": [{key}], \"properties\": {{{key}: {{\"type\": \"string\", \"description\": {d2}}}}}}}"
            ),
            "oneOf" => format!("{{\"oneOf\": [{t}, {{\"type\": \"string\"}}], \"description\": {d}}}"),
            "oneOfAlone" => format!("{{\"oneOf\": [{t}], \"description\": {d}}}"),
            // Tagged by a hostile property name, mapped from hostile text.
            "discriminated" => format!(
                "{{\"oneOf\": [{t}], \"discriminator\": {{\"propertyName\": {key}, \"mapping\": {{{d2}: \"S{target}\"}}}}, \"description\": {d}}}"
            ),
            "anyOf" => format!(
                "{{\"anyOf\": [{t}, {{\"type\": \"object\", \"required\": [{key}], \"properties\": {{{key}: {t}}}}}], \"description\": {d}}}"
            ),
            "items" => format!("{{\"type\": \"array\", \"items\": {t}, \"description\": {d}}}"),
            "additionalProperties" => {
                format!("{{\"type\": \"object\", \"additionalProperties\": {t}, \"description\": {d}}}")
            }
            "property" => {
                format!("{{\"type\": \"object\", \"properties\": {{{key}: {t}}}, \"description\": {d}}}")
            }
            "required" => format!(
                "{{\"type\": \"object\", \"required\": [{key}], \"properties\": {{{key}: {t}}}, \"description\": {d}}}"
            ),
            "nullableRef" => format!(
                "{{\"type\": \"object\", \"required\": [{key}], \"properties\": {{{key}: {{\"allOf\": [{t}], \"nullable\": true, \"description\": {d2}}}}}, \"description\": {d}}}"
            ),
            "nullableItems" => format!(
                "{{\"type\": \"array\", \"items\": {{\"allOf\": [{t}], \"nullable\": true}}, \"nullable\": true, \"description\": {d}}}"
            ),
            _ => t.clone(),
        };
        schemas.push(format!("\"S{i}\": {body}"));
    }
    let title = text(&mut next);
    let summary = text(&mut next);
    let description = text(&mut next);
    format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": {title}, \"version\": \"1\", \"description\": {description}}},
 \"paths\": {{\"/s\": {{\"post\": {{\"operationId\": \"postS\", \"summary\": {summary}, \"description\": {description},
   \"requestBody\": {{\"content\": {{\"application/json\": {{\"schema\": {{\"$ref\": \"#/components/schemas/S0\"}}}}}}}},
   \"responses\": {{\"200\": {{\"description\": {description}, \"content\": {{\"application/json\": {{\"schema\": {{\"$ref\": \"#/components/schemas/S{last}\"}}}}}}}}}}}}}}}},
 \"components\": {{\"schemas\": {{{schemas}}}}}}}",
        last = count - 1,
        schemas = schemas.join(",\n "),
    )
}

/// The picks of the `n`th spec of a fixed handful (a linear congruential sequence).
pub fn handful(n: u64) -> Vec<u8> {
    let mut x = n
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..64)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}
