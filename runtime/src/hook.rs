//! A caller's hook on every outgoing request: it sees the request as it will be sent
//! (credentials applied) on each attempt, retries included, and may change it, within the
//! call's deadline and timeouts.
//!
//! As progenitor's `ClientHooks::pre` (a hook gets the request and the operation), not as a
//! reqwest-middleware chain: the transport keeps sending, retrying and reading bounded
//! answers itself, so a hook cannot lose the deadline or the retries by forgetting to call
//! on.

use futures_util::future::BoxFuture;

/// What a hook may fail with; the call then fails with
/// [`Error::InvalidRequest`](crate::Error::InvalidRequest) carrying its message.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which request a hook sees.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct RequestInfo<'a> {
    /// The operation's `operationId`.
    pub operation: &'a str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
}

/// A hook on every outgoing request ([`TransportBuilder::request_hook`]).
///
/// A closure `Fn(&mut reqwest::Request, &RequestInfo) -> Result<(), BoxError>` is one; a
/// hook that must wait (a token from a vault) implements the trait and returns a boxed
/// future. A change after AK/SK signing is not signed: add headers the signature need not
/// cover, or sign in the hook.
///
/// [`TransportBuilder::request_hook`]: crate::TransportBuilder::request_hook
pub trait RequestHook: Send + Sync + 'static {
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        info: RequestInfo<'a>,
    ) -> BoxFuture<'a, Result<(), BoxError>>;
}

impl<F> RequestHook for F
where
    F: Fn(&mut reqwest::Request, RequestInfo<'_>) -> Result<(), BoxError> + Send + Sync + 'static,
{
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        info: RequestInfo<'a>,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(std::future::ready(self(request, info)))
    }
}

/// The hook a transport holds; its `Debug` says only that there is one.
#[derive(Clone)]
pub(crate) struct Hook(pub std::sync::Arc<dyn RequestHook>);

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestHook")
    }
}
