//! What every HTTP handler can reach, in a module of its own below the handlers and the
//! server that wires them (the handlers import it; it imports no edge).

use crate::config::Config;
use crate::records::Registry;
use std::sync::Arc;

/// What every handler can reach.
pub struct AppState {
    /// Storage.
    pub registry: Arc<Registry>,
    /// Settings.
    pub config: Config,
    /// The REST JSON context.
    pub context: vocab::context::Context,
    /// Harvest runs and the scheduler.
    pub harvester: Arc<crate::harvesting::Harvester>,
    /// The province rules in force (`serve --profile`).
    pub profile: crate::audit::Profile,
    /// Link checker settings.
    pub links: crate::quality::links::LinkSettings,
    /// The link checker's HTTP client (the harvest guards, no retries).
    pub link_fetcher: harvest::fetch::Fetcher,
    /// Log entries per `/feed` page.
    pub feed_page_size: i64,
    /// Slots for SPARQL evaluation.
    pub queries: crate::query_gate::QueryGate,
    /// How much feedback one address may send.
    pub feedback_throttle: crate::throttle::Throttle,
}

impl AppState {
    /// Where the context is published.
    pub fn context_url(&self) -> String {
        format!("{}{}", self.registry.base, record::rdf::CONTEXT_PATH)
    }
}
