//! Audit for the coordinating department: province rules as data (profiles) and update
//! deadlines (R6), quarterly reports (R7), plans, the catalogue of databases and its requests (R1).

pub mod deadlines;

pub mod profile;
pub mod report;
pub mod requests;
pub mod succession;

pub use profile::Profile;
