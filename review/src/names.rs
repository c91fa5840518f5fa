//! `rust-name-collision`: names that collide once made Rust, as the generator itself
//! settles them. The review runs the generator's lowering and turns its collision notes
//! into findings, so it never names a type otherwise than `generate` does.

use super::Finding;
use specwright_codegen::{Loaded, Settings, lower};

pub(super) fn run(loaded: &Loaded, out: &mut Vec<Finding>) {
    // A spec the generator refuses has no settled names to report; `generate` says why.
    let Ok(service) = lower(loaded, &Settings::default()) else {
        return;
    };
    for note in service.notes {
        if !is_collision(&note.message) {
            continue;
        }
        let mut message = note.message.clone();
        if let Some(hint) = &note.hint {
            message.push_str(&format!(" ({hint})"));
        }
        out.push(Finding::new("rust-name-collision", note.pointer, message));
    }
}

/// The generator's notes of a name settled with a suffix or a place: "`x` is taken",
/// "named `X2`: `X` is ...", "client method `m_2`: `m` is generated for ...".
fn is_collision(message: &str) -> bool {
    message.contains("is taken") || message.starts_with("named `") || message.starts_with("client method `")
}
