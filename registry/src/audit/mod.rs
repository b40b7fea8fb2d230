//! Audit for the coordinating department: province rules as data (profiles) and update
//! deadlines (R6). Reports, quality, catalogue requests and agency succession are not built yet.

pub mod deadlines;
pub mod plans;
pub mod profile;
pub mod report;

pub use profile::Profile;
