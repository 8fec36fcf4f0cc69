//! A failed run as both faces report it: each problem in the face's own
//! words, the exit status by the one table below, and the JSON object
//! scripts read on stdout.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success (`plan`: connect would change nothing) |
//! | 1 | failure at runtime (Upbound, the cluster, the agent) |
//! | 2 | input rejected before any change: the input is at fault, wherever it was found |
//! | 3 | `plan` only: connect would change something |

use serde::Serialize;
use upbound_connect::cluster::ClusterError;
use upbound_connect::engine::EngineError;
use upbound_connect::spec::{Field, FieldError, InvalidInput};

use crate::request::{Command, Face};

/// A run that failed at runtime.
pub const EXIT_FAILURE: u8 = 1;
/// A run whose input was rejected before anything changed.
pub const EXIT_BAD_INPUT: u8 = 2;
/// `plan`: connect would change something.
pub const EXIT_CHANGES_PENDING: u8 = 3;

/// One problem: what is wrong with which input, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The input at fault, in the face's words (none: no one input is).
    pub field: Option<String>,
    /// What went wrong, naming the input first when there is one.
    pub error: String,
    /// What to do, when it is said apart from the error.
    pub fix: Option<String>,
}

/// Why a run failed, in one face's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The first problem's message.
    pub error: String,
    /// The first problem's input, in the face's words.
    pub field: Option<String>,
    /// The first problem's fix.
    pub fix: Option<String>,
    /// Whether anything was changed before the failure.
    pub changed: bool,
    /// Every problem, the first included.
    pub problems: Vec<Problem>,
    /// The exit status.
    #[serde(skip)]
    pub status: u8,
}

impl Problem {
    /// A field problem in `face`'s words.
    pub fn from_field(face: Face, error: &FieldError) -> Self {
        Self {
            field: Some(face.name(error.field)),
            error: format!("`{}` {}", face.name(error.field), error.problem),
            fix: Some(error.fix.clone()),
        }
    }
}

impl Failure {
    /// Flags the command line itself refused (unknown, missing, malformed).
    pub fn usage(error: &clap::Error) -> Self {
        use clap::error::{ContextKind, ContextValue};
        let field = match error.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => arg.split([' ', '=']).next().map(str::to_owned),
            _ => None,
        };
        let rendered = error.render().to_string();
        let message = rendered
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_owned();
        Self::bad_input(vec![Problem {
            field,
            error: message,
            fix: Some("see --help for the command's flags".to_owned()),
        }])
    }

    /// Inputs rejected before anything was contacted.
    pub fn invalid(face: Face, invalid: &InvalidInput) -> Self {
        Self::bad_input(
            invalid
                .0
                .iter()
                .map(|error| Problem::from_field(face, error))
                .collect(),
        )
    }

    /// Problems with inputs, found before anything was contacted.
    pub fn bad_input(problems: Vec<Problem>) -> Self {
        Self::from_problems(problems, false, EXIT_BAD_INPUT)
    }

    /// A run of `command` that failed with `error`, having changed
    /// something or not.
    pub fn engine(face: Face, command: Command, error: &EngineError, changed: bool) -> Self {
        let status = if error.is_input_fault() && !changed {
            EXIT_BAD_INPUT
        } else {
            EXIT_FAILURE
        };
        let problems = match error {
            EngineError::Input(invalid) => invalid
                .0
                .iter()
                .map(|error| Problem::from_field(face, error))
                .collect(),
            EngineError::Cluster(ClusterError::Config(error)) => {
                vec![Problem::from_field(face, error)]
            }
            error => {
                let field = error.field().map(|field| face.name(field));
                let cloud_only = (command == Command::Disconnect && error.is_cluster_out_of_reach())
                    .then(|| {
                        let opt_in = match face {
                            Face::Cli => face.name(Field::CloudOnly),
                            Face::Action => format!("{}: true", face.name(Field::CloudOnly)),
                        };
                        format!(
                            "if the cluster is gone for good, `{opt_in}` removes the robot and its tokens from Upbound alone"
                        )
                    });
                let check = field.as_ref().map(|field| format!("check `{field}`"));
                let fix = match (check, cloud_only) {
                    (Some(check), Some(cloud_only)) => Some(format!("{check}; {cloud_only}")),
                    (check, cloud_only) => check.or(cloud_only),
                };
                vec![Problem {
                    field,
                    error: error.to_string(),
                    fix,
                }]
            }
        };
        Self::from_problems(problems, changed, status)
    }

    fn from_problems(problems: Vec<Problem>, changed: bool, status: u8) -> Self {
        let first = problems.first().cloned().unwrap_or(Problem {
            field: None,
            error: "failed".to_owned(),
            fix: None,
        });
        Self {
            error: first.error,
            field: first.field,
            fix: first.fix,
            changed,
            problems,
            status,
        }
    }

    /// One line per problem, for people.
    pub fn lines(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|problem| match &problem.fix {
                Some(fix) => format!("{}; {fix}", problem.error),
                None => problem.error.clone(),
            })
            .collect()
    }
}
