//! Cinder microversions on the v3 root: the `OpenStack-API-Version: volume X.Y` a request
//! asks for, and the headers that say what the answer was served at.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use crate::error::ApiError;

pub(crate) const HEADER: &str = "OpenStack-API-Version";

/// The microversions this service offers, as its version documents state (004 §3.19).
pub(crate) const MIN: Version = Version(3, 0);
pub(crate) const MAX: Version = Version(3, 0);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version(pub u32, pub u32);

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// The version a v3 request asks for, as Cinder 29 reads the header (measured against it,
/// `interop/cinder`): entries are separated by commas, and the first that contains
/// `volume` (`volume`, `volumev3`; case counts) is read as `<service> <version>`. No header
/// is 3.0; `latest` is the highest; no such entry, an entry that is not two words, or a
/// version that is not `<major>.<minor>` is 400 (Cinder answers 500 for a bare `volume`);
/// a version outside the range is 406.
pub(crate) fn requested(headers: &HeaderMap, code: &'static str) -> Result<Version, ApiError> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(MIN);
    };
    let text = value.to_str().unwrap_or_default();
    let bad = |message: String| ApiError::bad_request(code, message);
    let Some(entry) = volume_entry(text) else {
        return Err(bad(format!("{HEADER} names no volume version: {text:?}")));
    };
    let mut words = entry.split_whitespace().skip(1);
    let (Some(asked), None) = (words.next(), words.next()) else {
        return Err(bad(format!("{HEADER} is not `volume <version>`: {text:?}")));
    };
    if asked == "latest" {
        return Ok(MAX);
    }
    let version = parse(asked).ok_or_else(|| bad(format!("API version {asked:?} is not <major>.<minor>")))?;
    if !(MIN..=MAX).contains(&version) {
        return Err(ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            code,
            format!("Version {version} is not supported by the API. Minimum is {MIN} and maximum is {MAX}."),
        ));
    }
    Ok(version)
}

/// The entry Cinder reads: the first comma-separated one whose service contains `volume`.
fn volume_entry(text: &str) -> Option<&str> {
    text.split(',').find(|e| e.contains("volume"))
}

/// `<major>.<minor>`, each a decimal without leading zeros (Cinder's form).
fn parse(text: &str) -> Option<Version> {
    let (major, minor) = text.split_once('.')?;
    let number = |s: &str| {
        let plain =
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
        plain.then(|| s.parse::<u32>().ok()).flatten()
    };
    Some(Version(number(major)?, number(minor)?))
}

/// What an answer on the v3 root says of its version, as Cinder's do: the version served
/// on a success, the one asked for on a 406; a header Cinder cannot read (400) gets neither
/// `OpenStack-API-Version` nor `Vary`.
pub(crate) fn answered(asked: &Result<Version, ApiError>, headers: &HeaderMap) -> Option<String> {
    match asked {
        Ok(v) => Some(format!("volume {v}")),
        Err(e) if e.status == StatusCode::NOT_ACCEPTABLE => {
            let entry = volume_entry(headers.get(HEADER)?.to_str().ok()?)?;
            let version = entry.split_whitespace().nth(1)?;
            Some(format!("volume {version}"))
        }
        Err(_) => None,
    }
}

/// Stamps an answer with its version (see [`answered`]) and says that answers vary by it.
pub(crate) fn stamp(response: &mut Response, version: &str) {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(version) {
        headers.insert(HEADER, v);
    }
    headers.insert(axum::http::header::VARY, HeaderValue::from_static(HEADER));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(value: Option<&str>) -> Result<Version, u16> {
        let mut headers = HeaderMap::new();
        if let Some(v) = value {
            headers.insert(HEADER, HeaderValue::from_str(v).unwrap_or_else(|e| panic!("{e}")));
        }
        requested(&headers, "EVS.5400").map_err(|e| e.status.as_u16())
    }

    #[test]
    fn reads_the_header_as_cinder_does() {
        assert_eq!(ask(None), Ok(Version(3, 0)));
        assert_eq!(ask(Some("volume 3.0")), Ok(Version(3, 0)));
        assert_eq!(ask(Some("volumev3 3.0")), Ok(Version(3, 0)), "gophercloud's form");
        assert_eq!(ask(Some("volume latest")), Ok(MAX));
        assert_eq!(ask(Some("compute 2.1, volume 3.0")), Ok(Version(3, 0)));
        assert_eq!(ask(Some("volume 3.0,compute 2.1")), Ok(Version(3, 0)));
        assert_eq!(ask(Some("volume  3.0")), Ok(Version(3, 0)));
        assert_eq!(ask(Some("volume 3.1")), Err(406));
        assert_eq!(ask(Some("volume 2.0")), Err(406));
        assert_eq!(ask(Some("volume 3.01")), Err(400));
        assert_eq!(ask(Some("volume 3")), Err(400));
        assert_eq!(ask(Some("volume 3.0-3.5")), Err(400));
        assert_eq!(ask(Some("volume 99999999999.0")), Err(400));
        assert_eq!(ask(Some("volume")), Err(400));
        assert_eq!(ask(Some("volume 3.0 x")), Err(400));
        assert_eq!(ask(Some("Volume 3.0")), Err(400), "case counts");
        assert_eq!(ask(Some("block-storage 3.0")), Err(400));
        assert_eq!(ask(Some("compute 2.1")), Err(400));
        assert_eq!(ask(Some("")), Err(400));
    }
}
