use secrecy::{ExposeSecret, SecretString};

/// How requests prove who sends them.
///
/// Secrets are held as [`SecretString`]: `Debug` prints `[REDACTED]`, never the token.
#[derive(Clone, Debug, Default)]
pub enum Auth {
    /// No credentials (a local emulator, or public endpoints such as version discovery).
    #[default]
    None,
    /// An IAM token sent as `X-Auth-Token`.
    Token(SecretString),
}

impl Auth {
    /// Token authentication from a token string.
    pub fn token(token: impl Into<String>) -> Auth {
        Auth::Token(SecretString::from(token.into()))
    }

    pub(crate) fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        match self {
            Auth::None => Ok(()),
            Auth::Token(token) => {
                let mut value = reqwest::header::HeaderValue::from_str(token.expose_secret())
                    .map_err(|_| "the token contains characters not allowed in an HTTP header".to_string())?;
                value.set_sensitive(true);
                request.headers_mut().insert("X-Auth-Token", value);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let shown = format!("{:?}", Auth::token("s3cr3t-token"));
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}
