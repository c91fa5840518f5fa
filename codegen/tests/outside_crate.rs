//! The generator as a crate outside this repository uses it: `examples/downstream` copied to
//! a directory of its own, its `Cargo.toml` naming `specwright-codegen = "0.1"` and
//! `specwright-runtime = "0.1"` as a user's does, with only a `[patch.crates-io]` pointing
//! those names at this checkout (they are not on crates.io yet). Its tests must pass and
//! `cargo package` must package and verify it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ sits in the workspace")
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("a directory entry");
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let name = entry.file_name();
        // The checkout's own stand-in config and any build output stay behind.
        if name == "target" || name == ".cargo" {
            continue;
        }
        if source.is_dir() {
            copy_dir(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        }
    }
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // Packaging and tests are checked here, not debugged: without debug info its two
        // builds (the tests', the package's verification) take a third of the disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {} failed in the outside crate:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_outside_crate_generates_in_build_rs_tests_and_packages() {
    let root = workspace();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("outside-crate");
    let _ = std::fs::remove_dir_all(&scratch);
    let krate = scratch.join("render-farm");
    copy_dir(&root.join("examples/downstream"), &krate);
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("specwright-codegen = \"0.1\"")
            && manifest.contains("specwright-runtime = \"0.1\""),
        "the example names the crates as a user's Cargo.toml does:\n{manifest}"
    );
    assert!(!manifest.contains("path ="), "no path dependencies:\n{manifest}");
    let patch = format!(
        "[patch.crates-io]\n{}",
        ["codegen", "runtime", "oas"]
            .iter()
            .map(|dir| format!(
                "specwright-{dir} = {{ path = {:?} }}\n",
                root.join(dir).display().to_string()
            ))
            .collect::<String>()
    );
    std::fs::create_dir_all(krate.join(".cargo")).expect("mkdir .cargo");
    std::fs::write(krate.join(".cargo/config.toml"), patch).expect("write config");
    // Kept between runs, beside this workspace's own build.
    let target = root.join("target/outside-crate");
    cargo(&krate, &target, &["test", "--locked", "-q"]);
    cargo(&krate, &target, &["package", "--locked", "--allow-dirty", "-q"]);
    let packaged = target.join("package/downstream-example-0.1.0.crate");
    assert!(packaged.is_file(), "{} not written", packaged.display());
}
