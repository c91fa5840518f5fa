//! Waiting for a resource to settle: poll until its status leaves the transitional ones
//! (the spec's `x-transitional`), within a deadline.
//!
//! The `evs_ims` crate's documentation shows it with the generated clients.

use std::future::Future;
use std::time::{Duration, Instant};

/// A status with transitional values: generated for each enum the spec marks with
/// `x-transitional`. An unknown value counts as settled.
pub trait Status {
    /// Whether the resource leaves this status by itself (`creating`, `RUNNING`, ...).
    fn is_transitional(&self) -> bool;
}

/// How long to wait, and how often to look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    pub deadline: Duration,
    pub interval: Duration,
}

impl Default for Wait {
    /// Up to 10 minutes, looking every 2 seconds.
    fn default() -> Wait {
        Wait {
            deadline: Duration::from_secs(600),
            interval: Duration::from_secs(2),
        }
    }
}

/// Why a wait ended without the status wanted; each case carries the last resource read.
#[derive(Debug, thiserror::Error)]
pub enum WaitError<T: std::fmt::Debug, E> {
    /// The resource settled in another status, which it will not leave by itself (an
    /// `error` status, a failed job): the resource as read, reasons included.
    #[error("the resource settled in another status: {0:?}")]
    Settled(T),
    /// Still transitional when the deadline passed.
    #[error("still transitional after {waited:?}: {last:?}")]
    TimedOut { last: T, waited: Duration },
    /// A look failed.
    #[error("polling failed: {0}")]
    Poll(#[source] E),
}

impl Wait {
    /// Reads the resource with `poll` until its status (`status` picks it out) is no longer
    /// transitional, and returns the resource.
    pub async fn settle<T, S, E, F, Fut>(
        &self,
        mut poll: F,
        status: impl Fn(&T) -> &S,
    ) -> Result<T, WaitError<T, E>>
    where
        T: std::fmt::Debug,
        S: Status,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let started = Instant::now();
        loop {
            let resource = poll().await.map_err(WaitError::Poll)?;
            if !status(&resource).is_transitional() {
                return Ok(resource);
            }
            let waited = started.elapsed();
            if waited >= self.deadline {
                return Err(WaitError::TimedOut {
                    last: resource,
                    waited,
                });
            }
            tokio::time::sleep(self.interval.min(self.deadline - waited)).await;
        }
    }

    /// Reads the resource until it settles, which must be in `target`: a settled status
    /// other than it fails at once (the resource will not leave it by itself).
    pub async fn for_status<T, S, E, F, Fut>(
        &self,
        target: &S,
        poll: F,
        status: impl Fn(&T) -> &S,
    ) -> Result<T, WaitError<T, E>>
    where
        T: std::fmt::Debug,
        S: Status + PartialEq,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let resource = self.settle(poll, &status).await?;
        if status(&resource) == target {
            Ok(resource)
        } else {
            Err(WaitError::Settled(resource))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    enum S {
        Creating,
        Available,
        Error,
    }

    impl Status for S {
        fn is_transitional(&self) -> bool {
            *self == S::Creating
        }
    }

    fn quick() -> Wait {
        Wait {
            deadline: Duration::from_millis(200),
            interval: Duration::from_millis(1),
        }
    }

    fn sequence(statuses: Vec<S>) -> impl FnMut() -> std::future::Ready<Result<S, ()>> {
        let mut it = statuses.into_iter();
        let mut last = S::Creating;
        move || {
            if let Some(s) = it.next() {
                last = s;
            }
            std::future::ready(Ok(last.clone()))
        }
    }

    fn itself(s: &S) -> &S {
        s
    }

    #[tokio::test]
    async fn reaches_the_target_through_transitional_statuses() {
        let got = quick()
            .for_status(
                &S::Available,
                sequence(vec![S::Creating, S::Creating, S::Available]),
                itself,
            )
            .await;
        assert_eq!(got.ok(), Some(S::Available));
    }

    #[tokio::test]
    async fn fails_at_once_on_a_status_that_cannot_lead_there() {
        let got = quick()
            .for_status(&S::Available, sequence(vec![S::Creating, S::Error]), itself)
            .await;
        assert!(matches!(got, Err(WaitError::Settled(S::Error))), "{got:?}");
    }

    #[tokio::test]
    async fn gives_up_at_the_deadline_with_the_last_status() {
        let got = quick().for_status(&S::Available, sequence(vec![]), itself).await;
        assert!(
            matches!(
                got,
                Err(WaitError::TimedOut {
                    last: S::Creating,
                    ..
                })
            ),
            "{got:?}"
        );
    }
}
