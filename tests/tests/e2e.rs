//! The end-to-end tests, one binary: each module runs the real `danhmuc` binary (started by
//! `danhmuc_e2e::Server`) and talks to it over HTTP, or runs its commands. Select a group by
//! module path: `cargo test -p danhmuc --test e2e harvest::`.

mod accounts;
mod audit_catalogue;
mod audit_chain;
mod audit_deadlines;
mod audit_quality;
mod audit_reports;
mod browser;
mod cli;
mod clients;
mod dashboard;
mod demand;
mod deref;
mod durability;
mod feedback;
mod feeds_catalog;
mod feeds_ckan;
mod feeds_ldes;
mod harvest;
mod harvest_sources;
mod hostile;
mod openapi;
mod pages;
mod readme;
mod rest;
mod search;
mod sparql;
mod structure;
mod visibility;
