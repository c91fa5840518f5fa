//! What a run is asked for, beside the spec: the settings lowering, emission and the
//! [`Builder`](crate::Builder) all read, each documented once, here.

/// Generation settings. [`Builder`](crate::Builder) sets each through the setter of the
/// same name; a program calling [`lower`](crate::lower) and [`emit::file`](crate::emit::file)
/// itself passes them to both.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Path parameters the client holds once (set at construction) instead of taking them
    /// on every call, such as the OpenStack `project_id`. Default: none.
    /// Read by lowering. Set with [`Builder::client_params`](crate::Builder::client_params).
    pub client_params: Vec<String>,
    /// Path under which generated code finds the runtime crate. Default:
    /// `::specwright_runtime`, the crate of that name a downstream crate depends on.
    /// Read by emission. Set with [`Builder::runtime_crate`](crate::Builder::runtime_crate).
    pub runtime_crate: String,
    /// Whether strings of `format: uuid`, `date-time`, `date` and `byte` in models are the
    /// runtime's `formats` types (which keep the text and read the value) rather than
    /// `String`. Default: true; they need the runtime's default features `uuid`, `base64`:
    /// turn it off for a runtime built without them. Read by lowering. Set with
    /// [`Builder::typed_formats`](crate::Builder::typed_formats).
    pub typed_formats: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            client_params: Vec::new(),
            runtime_crate: "::specwright_runtime".into(),
            typed_formats: true,
        }
    }
}
