//! Harvesting: turning what agencies publish elsewhere — DCAT documents and paged endpoints,
//! LDES change streams, CKAN Action APIs, spreadsheets — into a stream of record graphs.
//!
//! This crate knows sources, not the registry: a [`Connector`] sends [`Event`]s into a bounded
//! channel (so a slow writer slows the reader and memory stays flat), and the registry decides
//! what each event changes. Dropping the receiving end cancels the run.

pub mod ckan;
pub mod dcat;
pub mod fetch;
pub mod format;
pub mod guard;
pub mod jsonld;
pub mod ldes;
pub mod page;
pub mod sheet;
pub mod split;
pub mod syntax;
pub mod terms;

pub use fetch::{FetchError, Fetcher, Policy};
pub use split::{RecordKind, split};

use futures_util::future::BoxFuture;
use oxrdf::Triple;
use tokio::sync::mpsc::Sender;

/// One record read from a source.
#[derive(Debug, Clone)]
pub struct Harvested {
    /// What it is.
    pub kind: RecordKind,
    /// Its identifier at the source (an IRI, a CKAN package IRI, a sheet's identifier column);
    /// re-harvests find the same record by it.
    pub source_id: String,
    /// Its description.
    pub triples: Vec<Triple>,
    /// The original payload, kept as provenance.
    pub payload: Payload,
}

/// The original bytes a record was made from.
#[derive(Debug, Clone)]
pub struct Payload {
    /// Media type of `body`.
    pub media_type: String,
    /// The bytes.
    pub body: Vec<u8>,
}

/// What a connector reports while it runs.
#[derive(Debug, Clone)]
pub enum Event {
    /// A record to create or update.
    Record(Box<Harvested>),
    /// A record that could not be read; it fails alone.
    Failed {
        /// Its identifier at the source (or where it was found).
        source_id: String,
        /// Why, in one line.
        reason: String,
    },
    /// The source says this record was deleted (LDES `as:Delete`).
    Deleted {
        /// Its identifier at the source.
        source_id: String,
    },
    /// How many records the source announces in total, when it says so.
    Total(u64),
    /// A page was read.
    Page {
        /// Its URL.
        url: String,
    },
}

/// How a run ended, when it did not fail outright.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Whether the whole source was read: only then may records missing from it be withdrawn.
    pub complete: bool,
    /// Whether absence means deletion (listings), or deletions come as events (streams).
    pub listing: bool,
    /// State to hand to the next run (an LDES position), if any.
    pub state: Option<serde_json::Value>,
    /// Problems that did not stop the run (a page that could not be read, a paging loop).
    pub warnings: Vec<String>,
}

/// Why a run failed as a whole. Nothing is withdrawn after a failed run.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    /// Fetching failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The source is not what its kind promises (garbage, wrong format, broken JSON).
    #[error("{0}")]
    Source(String),
    /// The receiver went away: the run was cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// What a run gets: the source, the fetcher, and what the last run left.
#[derive(Debug, Clone)]
pub struct Context {
    /// The source's URL (may be empty for an uploaded sheet).
    pub url: String,
    /// Kind-specific settings (CKAN organisations, page size...).
    pub config: serde_json::Value,
    /// The state the last complete run returned.
    pub state: Option<serde_json::Value>,
    /// An uploaded file (sheets), used instead of fetching `url`.
    pub upload: Option<Payload>,
    /// The HTTP client and its limits.
    pub fetcher: Fetcher,
}

/// A kind of source.
pub trait Connector: Send + Sync {
    /// Reads the source, sending events; returns how the run ended.
    fn run<'a>(
        &'a self,
        ctx: &'a Context,
        out: &'a Sender<Event>,
    ) -> BoxFuture<'a, Result<Summary, HarvestError>>;
}

/// The connector for a kind name (`dcat`, `ckan`, `sheet`); `None` for an unknown kind.
pub fn connector(kind: &str) -> Option<Box<dyn Connector>> {
    match kind {
        "dcat" => Some(Box::new(dcat::Dcat)),
        "ckan" => Some(Box::new(ckan::Ckan)),
        "sheet" => Some(Box::new(sheet::Sheet)),
        _ => None,
    }
}

/// The kinds [`connector`] knows.
pub const KINDS: &[&str] = &["dcat", "ckan", "sheet"];

/// Sends an event; a closed channel means the run was cancelled.
pub(crate) async fn send(out: &Sender<Event>, e: Event) -> Result<(), HarvestError> {
    out.send(e).await.map_err(|_| HarvestError::Cancelled)
}
