//! The one-line API for a downstream crate's `build.rs`: a spec, [`Settings`] and where to
//! write.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Error};
use crate::settings::Settings;
use crate::{emit, load, lower};

/// Generates a client from a spec, for `build.rs` or any program.
///
/// In `build.rs` (it writes `$OUT_DIR/evs.rs`; a refused spec fails the build listing each
/// problem with its JSON pointer, and what the generator settled on its own shows as
/// `cargo:warning` lines):
///
/// ```no_run
/// // build.rs, in fn main:
/// if let Err(e) = specwright_codegen::Builder::new("spec/evs.yaml").generate() {
///     panic!("{e}");
/// }
/// ```
///
/// and in the crate: `include!(concat!(env!("OUT_DIR"), "/evs.rs"));`
///
/// [`Builder::render`] is the same run without printing or writing anything: the source,
/// the notes and the files read, for a program that decides itself what to do with them.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    out_file: Option<PathBuf>,
    settings: Settings,
    cargo: bool,
    warnings: bool,
}

/// What a generation run made, before anything is written ([`Builder::render`]).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The generated Rust source, formatted.
    pub source: String,
    /// What loading and lowering settled on their own (a 3.1 document converted, a name
    /// given a suffix, ...), each with its JSON pointer.
    pub notes: Vec<Diagnostic>,
    /// Every file read (the spec and what its `$ref`s reached), for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
}

/// What a generation run wrote ([`Builder::generate`]).
#[derive(Debug, Clone)]
pub struct Generated {
    /// The file written (left untouched when it already held this source).
    pub path: PathBuf,
    /// Every file read, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// What the generator settled on its own (names given a suffix, say).
    pub notes: Vec<Diagnostic>,
}

impl Builder {
    /// A builder for the spec at `spec` (YAML or JSON; OpenAPI 3.0, 3.1 or Swagger 2.0), with
    /// the defaults: [`Settings::default`], `cargo:` directives and warnings printed, output
    /// to `$OUT_DIR/<spec file stem>.rs`.
    pub fn new(spec: impl AsRef<Path>) -> Builder {
        Builder {
            spec: spec.as_ref().to_path_buf(),
            out_file: None,
            settings: Settings::default(),
            cargo: true,
            warnings: true,
        }
    }

    /// Write here instead of `$OUT_DIR/<spec file stem>.rs`.
    pub fn out_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.out_file = Some(path.as_ref().to_path_buf());
        self
    }

    /// Sets [`Settings::client_params`]: path parameters the client holds once.
    pub fn client_params<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Builder {
        self.settings.client_params = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets [`Settings::runtime_crate`]: the runtime crate's path in generated code.
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Builder {
        self.settings.runtime_crate = path.into();
        self
    }

    /// Sets [`Settings::typed_formats`]: whether formatted strings in models are the
    /// runtime's `formats` types, or `String`.
    ///
    /// ```no_run
    /// specwright_codegen::Builder::new("spec/evs.yaml").typed_formats(false).generate().unwrap();
    /// ```
    pub fn typed_formats(mut self, on: bool) -> Builder {
        self.settings.typed_formats = on;
        self
    }

    /// Whether the notes (what the generator settled on its own) are printed as
    /// `cargo:warning` lines when `cargo:` directives are (default true).
    pub fn cargo_warnings(mut self, on: bool) -> Builder {
        self.warnings = on;
        self
    }

    /// Whether to print `cargo:` directives (default true; off outside build scripts).
    pub fn cargo_directives(mut self, on: bool) -> Builder {
        self.cargo = on;
        self
    }

    /// Generates the source without printing or writing anything: the source, the notes
    /// and the files read. A refused spec is an [`Error::Spec`] listing every problem (and
    /// the notes of loading) with its JSON pointer.
    pub fn render(&self) -> Result<Rendered, Error> {
        let loaded = load::load_file(&self.spec)?;
        // What loading converted comes first, with the notes of a failed run too.
        let with_load_notes = |e: Error| match e {
            Error::Spec { origin, diagnostics } => Error::Spec {
                origin,
                diagnostics: loaded.notes.iter().cloned().chain(diagnostics).collect(),
            },
            other => other,
        };
        let mut service = lower::lower(&loaded, &self.settings).map_err(with_load_notes)?;
        let source = emit::file(&service, &self.settings)?;
        let mut notes = loaded.notes.clone();
        notes.append(&mut service.notes);
        Ok(Rendered {
            source,
            notes,
            inputs: loaded.files,
        })
    }

    /// A test file that round-trips every example of the spec through the generated
    /// models; `module` and `runtime` are their paths as the test crate sees them.
    pub fn example_tests_source(&self, module: &str, runtime: &str) -> Result<String, Error> {
        let loaded = load::load_file(&self.spec)?;
        let service = lower::lower(&loaded, &self.settings)?;
        emit::examples::tests(&service, &loaded.origin, module, runtime)
    }

    /// Generates and writes the file; in a build script, also tells cargo to rerun when
    /// the spec changes.
    pub fn generate(&self) -> Result<Generated, Error> {
        if self.cargo {
            // Printed first, so that a failing spec is still watched for its fix.
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        let Rendered {
            source,
            notes,
            inputs,
        } = self.render()?;
        if self.cargo {
            for input in inputs.iter().filter(|i| **i != self.spec) {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            // What the generator settled on its own, where a build shows it: one line each
            // (cargo reads a directive to the end of its line).
            for note in notes.iter().filter(|_| self.warnings) {
                let line = note.to_string().replace(['\n', '\r'], " ");
                println!("cargo:warning={}: {line}", self.spec.display());
            }
        }
        let path = match &self.out_file {
            Some(p) => p.clone(),
            None => {
                let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
                    Error::Usage(
                        "OUT_DIR is not set: call this from build.rs, or set an output with `out_file`"
                            .into(),
                    )
                })?;
                let stem = self.spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
                PathBuf::from(out_dir).join(format!("{stem}.rs"))
            }
        };
        write_if_changed(&path, &source)?;
        Ok(Generated { path, inputs, notes })
    }
}

/// Whether the file at `path` holds exactly `content`: its length first, then its bytes a
/// block at a time (a docs page can be most of a gigabyte; it is not read whole).
fn holds(path: &Path, content: &[u8]) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    file.metadata().map(|m| m.len()).ok() == u64::try_from(content.len()).ok() && same_bytes(file, content)
}

/// Whether two readers give the same bytes, read a block at a time.
fn same_bytes(a: impl std::io::Read, mut b: impl std::io::Read) -> bool {
    use std::io::Read;
    let mut a = std::io::BufReader::new(a);
    let (mut block, mut other) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match a.read(&mut block) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return matches!(b.read(&mut other[..1]), Ok(0));
        }
        if b.read_exact(&mut other[..n]).is_err() || block[..n] != other[..n] {
            return false;
        }
    }
}

/// Puts the file `fresh` (written beside `path`, on the same file system) in `path`'s place
/// unless `path` already holds the same bytes: then `fresh` is removed and `path` keeps its
/// mtime. For output written as it is made, which [`write_if_changed`] would need whole.
pub fn replace_if_changed(fresh: &Path, path: &Path) -> Result<(), Error> {
    let unchanged = match (std::fs::File::open(fresh), std::fs::File::open(path)) {
        (Ok(a), Ok(b)) => {
            a.metadata().map(|m| m.len()).ok() == b.metadata().map(|m| m.len()).ok() && same_bytes(a, b)
        }
        _ => false,
    };
    let done = if unchanged {
        std::fs::remove_file(fresh)
    } else {
        std::fs::rename(fresh, path)
    };
    done.map_err(|source| {
        // Nothing half-made is left beside the output (a no-op where it is gone).
        let _ = std::fs::remove_file(fresh);
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Leaves the file untouched when its content is already right, so its mtime does not
/// trigger rebuilds.
pub fn write_if_changed(path: &Path, content: &str) -> Result<(), Error> {
    if holds(path, content.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, content).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}
