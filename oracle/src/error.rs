use std::path::PathBuf;

/// Why a spec could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin} is not valid YAML or JSON: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin} is not an OpenAPI 3.0 document: {message}")]
    NotOpenApi { origin: String, message: String },
    #[error("{origin}: {pointer}: {message}")]
    Schema {
        origin: String,
        pointer: String,
        message: String,
    },
}

/// One way a JSON value breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the value that was judged.
    pub instance_path: String,
    /// JSON pointer into the schema (after `$ref`s) of the keyword that failed.
    pub schema_path: String,
    /// What is wrong, in the validator's words.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "(root)"
        } else {
            &self.instance_path
        };
        write!(f, "at {at}: {} (schema {})", self.message, self.schema_path)
    }
}
