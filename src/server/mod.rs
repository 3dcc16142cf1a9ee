//! The web API, beside the command line and the terminal app (issue 15
//! builds it): for now, how it will answer each class of error.

pub mod status;
