//! The Python of a third-party client test: a virtualenv under `target/client-venvs/NAME`
//! holding exactly `tests/NAME/requirements.txt`, made on first use (it needs `python3`
//! and PyPI). A test never passes without its client: when the environment cannot be
//! made, it fails and says why.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The interpreter for the client in `tests/NAME/`; `NAME_PYTHON` (upper case, `-` as `_`)
/// names one made elsewhere.
pub fn python(name: &str) -> PathBuf {
    let variable = format!("{}_PYTHON", name.to_ascii_uppercase().replace('-', "_"));
    if let Some(p) = std::env::var_os(&variable) {
        return PathBuf::from(p);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let requirements = manifest.join("tests").join(name).join("requirements.txt");
    let pinned =
        std::fs::read_to_string(&requirements).unwrap_or_else(|e| panic!("{}: {e}", requirements.display()));
    let venv = manifest.join("../target/client-venvs").join(name);
    let python = venv.join("bin/python");
    let stamp = venv.join("installed-requirements.txt");
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(pinned.as_str()) {
        return python;
    }
    run(
        Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg("--clear")
            .arg(&venv),
        "python3 -m venv",
    );
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
        "pip install",
    );
    std::fs::write(&stamp, pinned).unwrap_or_else(|e| panic!("{}: {e}", stamp.display()));
    python
}

fn run(command: &mut Command, what: &str) {
    match command.output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "{what} failed; the client test cannot run without it:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("{what}: {e}; the client test needs python3 with venv and pip"),
    }
}
