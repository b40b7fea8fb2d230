//! danhmuc: a federated DCAT metadata registry for Vietnam's provincial open data.
//!
//! The change log in SQL is the one source of truth; the Oxigraph stores are projections of
//! it, one per audience, so that what the public can query is a store that never received
//! anything else. See `docs/ARCHITECTURE.md`.

pub mod accounts;
pub mod api;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod cli_harvest;
pub mod config;
pub mod demo;
pub mod demo_openapi;
pub mod error;
pub mod feeds;
pub mod harvesting;
pub mod http;
pub mod i18n;
pub mod import;
pub mod jsonview;
pub mod pages;
pub mod quality;
pub mod query_gate;
pub mod records;
pub mod server;
pub mod sparql;
pub mod state;
pub mod throttle;
