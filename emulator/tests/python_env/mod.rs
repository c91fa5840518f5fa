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
    // Tests of one binary run at once; one of them makes the environment.
    static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _making = MAKING.lock().unwrap_or_else(|p| p.into_inner());
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

/// Runs `tests/NAME/SCRIPT ARGS...` with the client's Python, off the async runtime's
/// threads, and returns its output; a script that fails fails the test with what it printed.
pub async fn script(name: &'static str, script: &str, args: Vec<String>) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
        .join(script);
    let output =
        tokio::task::spawn_blocking(move || Command::new(python(name)).arg(path).args(args).output())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("cannot run python: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{name}/{}: the client failed:\n{stdout}\n{}",
        script,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
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
