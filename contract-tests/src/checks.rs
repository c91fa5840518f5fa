//! The named checks, in one registry, and what a check concludes ([`Finding`]) about what
//! a request meant to provoke ([`Intent`]). Judging a response is [`crate::judge`]'s.

/// A promise of the spec, checked by name; users select or skip them with `--checks`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    StatusDocumented,
    ResponseSchema,
    ContentType,
    ResponseHeaders,
    NoServerError,
    NegativeRejected,
    PositiveAccepted,
    MissingParameter,
    AuthEnforced,
    TenantIsolation,
    MethodNotAllowed,
    ListLimit,
    ListSort,
    ListFilter,
    Pagination,
    LostData,
    StateTransition,
    UseAfterDelete,
    JobResult,
    ErrorCode,
    Timestamps,
    ReplaceSemantics,
    ActionEffect,
    CrossView,
    StateRules,
}

/// Every check with its command-line name and what it promises: the one place a check
/// is described, read by `--list-checks`, `--checks` and the reports.
const REGISTRY: [(Check, &str, &str); 25] = [
    (
        Check::StatusDocumented,
        "status-documented",
        "the status is one the operation documents",
    ),
    (
        Check::ResponseSchema,
        "response-schema",
        "the body matches the schema of its status",
    ),
    (
        Check::ContentType,
        "content-type",
        "a documented body comes with its documented media type",
    ),
    (
        Check::ResponseHeaders,
        "response-headers",
        "required response headers are sent and match their schema",
    ),
    (
        Check::NoServerError,
        "no-server-error",
        "no 5xx and no hang, whatever was sent",
    ),
    (
        Check::NegativeRejected,
        "negative-rejected",
        "input breaking one constraint (body, path, query, header) gets a documented 4xx",
    ),
    (
        Check::PositiveAccepted,
        "positive-accepted",
        "valid input the run controls gets a documented success (a valid write refused with 400/422 while one of the same shape is accepted just before and after, or no valid write of an operation ever accepted: a warning)",
    ),
    (
        Check::MissingParameter,
        "missing-parameter",
        "a request without a required parameter gets a documented 4xx",
    ),
    (
        Check::AuthEnforced,
        "auth-enforced",
        "with no credential or a wrong one, secured operations answer 401/403",
    ),
    (
        Check::TenantIsolation,
        "tenant-isolation",
        "another project's id in the path, or another tenant's resource, is refused",
    ),
    (
        Check::MethodNotAllowed,
        "method-not-allowed",
        "a method the path does not declare gets 405, its Allow naming the declared methods (a warning unless the spec documents a 405 there)",
    ),
    (
        Check::ListLimit,
        "list-limit",
        "a list never holds more items than `limit`",
    ),
    (
        Check::ListSort,
        "list-sort",
        "items come in the order `sort_key`/`sort_dir` ask for",
    ),
    (
        Check::ListFilter,
        "list-filter",
        "a filtered list holds exactly the items matching the filter",
    ),
    (
        Check::Pagination,
        "pagination",
        "pages (next links, markers) walk every item once, without overlap",
    ),
    (
        Check::LostData,
        "lost-data",
        "what was written (create, update, metadata) reads back",
    ),
    (
        Check::StateTransition,
        "state-transition",
        "a resource reaches its promised status through documented transitional ones",
    ),
    (
        Check::UseAfterDelete,
        "use-after-delete",
        "a deleted resource reads as 404 afterwards",
    ),
    (
        Check::JobResult,
        "job-result",
        "an async job ends with its result or its failure reason, and its end is final (status and end time stay)",
    ),
    (
        Check::ErrorCode,
        "error-code",
        "an error body's `code` is one the spec documents (`components.x-error-codes`, `*` standing for a digit)",
    ),
    (
        Check::Timestamps,
        "timestamps",
        "a resource's `created_at` never changes; its `updated_at` is set after a change, never goes back, and is not before `created_at`",
    ),
    (
        Check::ReplaceSemantics,
        "replace-semantics",
        "a PUT of a map (metadata) leaves exactly the keys it sent: it replaces, it does not merge",
    ),
    (
        Check::ActionEffect,
        "action-effect",
        "after an action the spec says reads back (`x-reads-back`), the resource shows the value sent",
    ),
    (
        Check::CrossView,
        "cross-view",
        "a resource the run made shows the same fields in a list as in its own read (where neither moved between them)",
    ),
    (
        Check::StateRules,
        "state-rules",
        "a request the spec refuses in the resource's current state (`x-exceeds`: a size not larger than the current one) gets a 4xx",
    ),
];

impl Check {
    pub const ALL: [Check; 25] = {
        let mut all = [Check::StatusDocumented; 25];
        let mut i = 0;
        while i < REGISTRY.len() {
            all[i] = REGISTRY[i].0;
            i += 1;
        }
        all
    };

    fn entry(self) -> &'static (Check, &'static str, &'static str) {
        // The registry lists every variant in declaration order.
        &REGISTRY[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.entry().1
    }

    pub fn describe(self) -> &'static str {
        self.entry().2
    }
}

impl std::str::FromStr for Check {
    type Err = String;
    fn from_str(s: &str) -> Result<Check, String> {
        Check::ALL.iter().copied().find(|c| c.name() == s).ok_or_else(|| {
            format!(
                "unknown check {s:?}; known: {}",
                Check::ALL.map(Check::name).join(", ")
            )
        })
    }
}

/// What one check concluded about one exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub check: Check,
    pub passed: bool,
    /// A warning, not an error: an undocumented extra field (passed), or a recommendation
    /// broken (failed); either fails the run only under `--strict`.
    pub warning: bool,
    pub expected: String,
    pub actual: String,
}

impl Finding {
    pub fn pass(check: Check) -> Finding {
        Finding {
            check,
            passed: true,
            warning: false,
            expected: String::new(),
            actual: String::new(),
        }
    }

    pub fn fail(check: Check, expected: impl Into<String>, actual: impl Into<String>) -> Finding {
        Finding {
            check,
            passed: false,
            warning: false,
            expected: expected.into(),
            actual: actual.into(),
        }
    }

    /// A pass or a failure, as `ok` says.
    pub fn check(check: Check, ok: bool, expected: impl Into<String>, actual: impl Into<String>) -> Finding {
        if ok {
            Finding::pass(check)
        } else {
            Finding::fail(check, expected, actual)
        }
    }

    /// A warning unless `promised`: the failure of a recommendation rather than of the
    /// spec's promise (an RFC's SHOULD, a heuristic) is reported with its reproduction,
    /// and fails the run only under `--strict`.
    pub fn warning_unless(mut self, promised: bool) -> Finding {
        self.warning |= !promised && !self.passed;
        self
    }

    /// A remark that is not a failure at all (an undocumented extra field): counted and
    /// listed, failing the run only under `--strict`.
    pub fn warn(check: Check, expected: impl Into<String>, actual: impl Into<String>) -> Finding {
        Finding {
            check,
            passed: true,
            warning: true,
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

/// What the request was meant to provoke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Valid input: success expected (or a documented 4xx the input could not avoid).
    Positive { must_succeed: bool },
    /// Invalid input: a documented 4xx expected, judged under this check
    /// (`negative-rejected`, `missing-parameter`).
    Negative(Check),
    /// A request that must be refused whatever the spec documents for it: no or a wrong
    /// credential (`auth-enforced`: 401/403), another tenant (`tenant-isolation`: any 4xx),
    /// an undeclared method (`method-not-allowed`: 405 with `Allow`).
    Refused(Check),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_lists_every_check_once_in_order() {
        for (i, (check, name, _)) in REGISTRY.iter().enumerate() {
            assert_eq!(*check as usize, i, "{name} out of place");
            assert_eq!(name.parse::<Check>(), Ok(*check));
        }
    }
}
