//! Deliberate breaks of documented promises, one at a time, so the contract suite can
//! prove it notices each.

/// One documented promise the emulator can be told to break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// Successful creates answer 200 instead of the documented 202.
    WrongSuccessStatus,
    /// A required field (`id`) is left out of resources in responses.
    MissingRequiredField,
    /// `size` is sent as a string instead of an integer.
    WrongFieldType,
    /// Shows of a missing resource answer 410 Gone, a status no operation documents.
    UndocumentedStatus,
    /// A create at the largest allowed size answers 500.
    ServerErrorOnBoundary,
    /// Request bodies are not checked against the schema: invalid input is accepted.
    AcceptsInvalidInput,
    /// Metadata updates answer success but are not stored.
    LostMetadataWrite,
    /// Deleted volumes can still be read.
    ReadableAfterDelete,
    /// JSON responses are labelled `text/plain`.
    WrongContentType,
    /// List pages link to a `next` page that repeats the first page.
    BrokenPaginationLink,
    /// IMS jobs report `SUCCESS` without the produced image id.
    JobWithoutImage,
    /// Requests with no or a wrong token are served as the first tenant.
    AuthNotEnforced,
    /// Another project's id in the path is served as the token's own project.
    TenantLeak,
    /// A required query parameter may be left out.
    MissingParameterAccepted,
    /// 405 answers carry no `Allow` header.
    NoAllowHeader,
    /// 405 answers' `Allow` names the refused method, not the declared ones.
    WrongAllowHeader,
    /// Lists ignore `limit`.
    LimitIgnored,
    /// Volume lists ignore `sort_key` and `sort_dir`.
    SortIgnored,
    /// Volume lists refuse a `sort_key` they do not sort by, though the spec allows any.
    SortKeyRefused,
    /// Volume lists ignore the `name` and `status` filters.
    FilterIgnored,
    /// A volume update answers with the new name and description but stores neither.
    LostUpdate,
    /// New volumes settle in `ready`, a status the spec does not list.
    UnlistedStatus,
    /// A deleted volume keeps reading back 200 with status `available`.
    DeletedStillAvailable,
    /// 404 answers carry the code `EVS.9999`, which appendix A.1 does not list.
    UndocumentedErrorCode,
    /// A volume's `created_at` is stamped anew by every update.
    CreatedAtMoves,
    /// Replacing a volume's metadata (PUT) keeps the keys the request did not send.
    MetadataPutMerges,
    /// `os-set_bootable` answers 200 and changes nothing.
    BootableIgnored,
    /// A finished IMS job's `end_time` changes on every read.
    JobEndTimeMoves,
    /// The detailed volume list shows a volume under another description than its show.
    DetailListDiffers,
    /// `os-extend` to the volume's current size is accepted (and changes nothing).
    ExtendToSameSizeAccepted,
    /// Metadata writes refuse keys outside `[A-Za-z0-9-_:. /]` with 400, though the spec
    /// allows any key (as upstream Cinder does).
    MetadataKeysNarrow,
    /// Answers without a body are labelled `application/json`.
    EmptyBodyLabelledJson,
}

impl Fault {
    pub const ALL: [Fault; 32] = [
        Fault::WrongSuccessStatus,
        Fault::MissingRequiredField,
        Fault::WrongFieldType,
        Fault::UndocumentedStatus,
        Fault::ServerErrorOnBoundary,
        Fault::AcceptsInvalidInput,
        Fault::LostMetadataWrite,
        Fault::ReadableAfterDelete,
        Fault::WrongContentType,
        Fault::BrokenPaginationLink,
        Fault::JobWithoutImage,
        Fault::AuthNotEnforced,
        Fault::TenantLeak,
        Fault::MissingParameterAccepted,
        Fault::NoAllowHeader,
        Fault::WrongAllowHeader,
        Fault::LimitIgnored,
        Fault::SortIgnored,
        Fault::SortKeyRefused,
        Fault::FilterIgnored,
        Fault::LostUpdate,
        Fault::UnlistedStatus,
        Fault::DeletedStillAvailable,
        Fault::UndocumentedErrorCode,
        Fault::CreatedAtMoves,
        Fault::MetadataPutMerges,
        Fault::BootableIgnored,
        Fault::JobEndTimeMoves,
        Fault::DetailListDiffers,
        Fault::ExtendToSameSizeAccepted,
        Fault::MetadataKeysNarrow,
        Fault::EmptyBodyLabelledJson,
    ];

    /// The name used on the command line (`--fault NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Fault::WrongSuccessStatus => "wrong-success-status",
            Fault::MissingRequiredField => "missing-required-field",
            Fault::WrongFieldType => "wrong-field-type",
            Fault::UndocumentedStatus => "undocumented-status",
            Fault::ServerErrorOnBoundary => "server-error-on-boundary",
            Fault::AcceptsInvalidInput => "accepts-invalid-input",
            Fault::LostMetadataWrite => "lost-metadata-write",
            Fault::ReadableAfterDelete => "readable-after-delete",
            Fault::WrongContentType => "wrong-content-type",
            Fault::BrokenPaginationLink => "broken-pagination-link",
            Fault::JobWithoutImage => "job-without-image",
            Fault::AuthNotEnforced => "auth-not-enforced",
            Fault::TenantLeak => "tenant-leak",
            Fault::MissingParameterAccepted => "missing-parameter-accepted",
            Fault::NoAllowHeader => "no-allow-header",
            Fault::WrongAllowHeader => "wrong-allow-header",
            Fault::LimitIgnored => "limit-ignored",
            Fault::SortIgnored => "sort-ignored",
            Fault::SortKeyRefused => "sort-key-refused",
            Fault::FilterIgnored => "filter-ignored",
            Fault::LostUpdate => "lost-update",
            Fault::UnlistedStatus => "unlisted-status",
            Fault::DeletedStillAvailable => "deleted-still-available",
            Fault::UndocumentedErrorCode => "undocumented-error-code",
            Fault::CreatedAtMoves => "created-at-moves",
            Fault::MetadataPutMerges => "metadata-put-merges",
            Fault::BootableIgnored => "bootable-ignored",
            Fault::JobEndTimeMoves => "job-end-time-moves",
            Fault::DetailListDiffers => "detail-list-differs",
            Fault::ExtendToSameSizeAccepted => "extend-to-same-size-accepted",
            Fault::MetadataKeysNarrow => "metadata-keys-narrow",
            Fault::EmptyBodyLabelledJson => "empty-body-labelled-json",
        }
    }

    /// One line saying what breaks.
    pub fn describe(self) -> &'static str {
        match self {
            Fault::WrongSuccessStatus => "successful creates answer 200 instead of the documented 202",
            Fault::MissingRequiredField => "the required `id` is left out of resources in responses",
            Fault::WrongFieldType => "`size` is sent as a string instead of an integer",
            Fault::UndocumentedStatus => {
                "shows of a missing resource answer 410, which no operation documents"
            }
            Fault::ServerErrorOnBoundary => "a create at the largest allowed size answers 500",
            Fault::AcceptsInvalidInput => "request bodies are not checked: invalid input is accepted",
            Fault::LostMetadataWrite => "metadata updates answer success but are not stored",
            Fault::ReadableAfterDelete => "deleted volumes can still be read",
            Fault::WrongContentType => "JSON responses are labelled text/plain",
            Fault::BrokenPaginationLink => "the `next` link of a list page repeats the first page",
            Fault::JobWithoutImage => "IMS jobs report SUCCESS without the produced image id",
            Fault::AuthNotEnforced => {
                "requests with no or a wrong X-Auth-Token are served as the first tenant"
            }
            Fault::TenantLeak => "another project's id in the path is served as the token's own",
            Fault::MissingParameterAccepted => "a required query parameter may be left out (quota `usage`)",
            Fault::NoAllowHeader => "405 answers carry no Allow header",
            Fault::WrongAllowHeader => "405 answers' Allow names the refused method, not the declared ones",
            Fault::LimitIgnored => "lists ignore `limit`",
            Fault::SortIgnored => "volume lists ignore `sort_key` and `sort_dir`",
            Fault::SortKeyRefused => {
                "volume lists refuse a `sort_key` they do not sort by (the spec allows any)"
            }
            Fault::FilterIgnored => "volume lists ignore the `name` and `status` filters",
            Fault::LostUpdate => {
                "a volume update answers with the new name and description but keeps the old"
            }
            Fault::UnlistedStatus => "new volumes settle in status `ready`, which the spec does not list",
            Fault::DeletedStillAvailable => "a deleted volume reads back 200 `available` forever",
            Fault::UndocumentedErrorCode => {
                "404 answers carry the code EVS.9999, which appendix A.1 does not list"
            }
            Fault::CreatedAtMoves => "a volume's created_at is stamped anew by every update",
            Fault::MetadataPutMerges => "replacing a volume's metadata (PUT) keeps the keys it did not send",
            Fault::BootableIgnored => "os-set_bootable answers 200 and changes nothing",
            Fault::JobEndTimeMoves => "a finished IMS job's end_time changes on every read",
            Fault::DetailListDiffers => {
                "the detailed volume list gives a volume another description than its show"
            }
            Fault::ExtendToSameSizeAccepted => "os-extend to the volume's current size is accepted",
            Fault::MetadataKeysNarrow => {
                "metadata writes refuse keys with `:`, `.`, `/` or a space with 400 (the spec's key pattern allows them)"
            }
            Fault::EmptyBodyLabelledJson => "answers without a body are labelled application/json",
        }
    }
}

impl std::str::FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Fault, String> {
        Fault::ALL.iter().copied().find(|f| f.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
            format!("unknown fault {s:?}; known: {}", names.join(", "))
        })
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
