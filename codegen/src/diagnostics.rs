use std::path::PathBuf;

/// One thing about a spec: where (a JSON pointer into it), what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pointer: String,
    pub message: String,
    pub hint: Option<String>,
}

/// Whether a diagnostic stops generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on, deciding something the spec left open (a name settled with a
    /// suffix, say): worth reading, never fatal.
    Note,
    /// The spec cannot be generated as it stands.
    Error,
}

impl Diagnostic {
    /// An error: generation fails.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A note: what generation decided on its own.
    pub fn note(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::new(pointer, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        if self.severity == Severity::Note {
            write!(f, "note: ")?;
        }
        write!(f, "{at}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}: {} problem(s):\n{}", .diagnostics.iter().filter(|d| d.is_error()).count(), list(.diagnostics))]
    Spec {
        origin: String,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("internal error while formatting generated code for {origin}: {message}")]
    Format { origin: String, message: String },
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The diagnostics, if the spec was at fault.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec { diagnostics, .. } => diagnostics,
            _ => &[],
        }
    }
}

/// Errors first, then the notes of the same run.
fn list(diagnostics: &[Diagnostic]) -> String {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.severity));
    sorted
        .iter()
        .map(|d| format!("  - {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}
