//! The suite must be able to fail: against the emulator with each fault switched on, one
//! at a time, it reports that fault under the right check; against the clean emulator it
//! reports nothing at all.

use std::time::Duration;

use evs_ims_contract::{Check, Report, Settings, Suite, Target};
use evs_ims_emulator::{Config, Emulator, Fault};
use specwright_runtime::Auth;

/// The check that must catch each fault.
fn catcher(fault: Fault) -> Check {
    match fault {
        Fault::WrongSuccessStatus | Fault::UndocumentedStatus => Check::StatusDocumented,
        Fault::MissingRequiredField | Fault::WrongFieldType => Check::ResponseSchema,
        Fault::ServerErrorOnBoundary => Check::NoServerError,
        Fault::AcceptsInvalidInput => Check::NegativeRejected,
        Fault::LostMetadataWrite => Check::LostData,
        Fault::ReadableAfterDelete => Check::UseAfterDelete,
        Fault::WrongContentType => Check::ContentType,
        Fault::BrokenPaginationLink => Check::Pagination,
        Fault::JobWithoutImage => Check::JobResult,
        Fault::AuthNotEnforced => Check::AuthEnforced,
        Fault::TenantLeak => Check::TenantIsolation,
        Fault::MissingParameterAccepted => Check::MissingParameter,
        Fault::NoAllowHeader | Fault::WrongAllowHeader => Check::MethodNotAllowed,
        Fault::LimitIgnored => Check::ListLimit,
        Fault::SortIgnored => Check::ListSort,
        Fault::SortKeyRefused => Check::PositiveAccepted,
        Fault::FilterIgnored => Check::ListFilter,
        Fault::LostUpdate => Check::LostData,
        Fault::UnlistedStatus => Check::StateTransition,
        Fault::DeletedStillAvailable => Check::UseAfterDelete,
        Fault::UndocumentedErrorCode => Check::ErrorCode,
        Fault::CreatedAtMoves => Check::Timestamps,
        Fault::MetadataPutMerges => Check::ReplaceSemantics,
        Fault::BootableIgnored => Check::ActionEffect,
        Fault::JobEndTimeMoves => Check::JobResult,
        Fault::DetailListDiffers => Check::CrossView,
        Fault::ExtendToSameSizeAccepted => Check::StateRules,
        Fault::MetadataKeysNarrow => Check::PositiveAccepted,
        Fault::EmptyBodyLabelledJson => Check::ContentType,
    }
}

fn run(faults: &[Fault]) -> Report {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut config = Config {
        transition: Duration::from_millis(5),
        ..Config::default()
    };
    config.faults.extend(faults.iter().copied());
    let tenant = config.tenants[0].clone();
    let emulator: Emulator = runtime
        .block_on(Emulator::start(config))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut target = Target::new(emulator.base_url(), tenant.project_id, Auth::token(tenant.token));
    target.timeout = Duration::from_secs(10);
    // The emulator settles in 5 ms; two seconds is ample, and bounds runs where a fault
    // keeps a resource from ever settling.
    let settings = Settings {
        seed: 42,
        max_cases: 12,
        allow_mutations: true,
        settle: Duration::from_secs(2),
        ..Settings::default()
    };
    let suite = Suite::new(target, settings).unwrap_or_else(|e| panic!("{e}"));
    let report = suite.run(&|_, _, _| {});
    runtime.block_on(emulator.stop());
    report
}

#[test]
fn clean_emulator_passes_with_no_failures() {
    let report = run(&[]);
    assert!(
        report.passed(),
        "false alarms against the clean emulator:\n{}",
        report.summary()
    );
    assert!(
        report.requests > 100,
        "too few requests to mean anything: {}",
        report.requests
    );
}

#[test]
fn every_fault_is_caught_by_its_check() {
    let mut missed = Vec::new();
    for fault in Fault::ALL {
        let report = run(&[fault]);
        let failed = report.failed_checks();
        if !failed.contains(&catcher(fault)) {
            missed.push(format!(
                "{fault}: expected {}, got {:?}\n{}",
                catcher(fault).name(),
                failed,
                report.summary()
            ));
        }
    }
    assert!(missed.is_empty(), "faults not caught:\n{}", missed.join("\n\n"));
}
