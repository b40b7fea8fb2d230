//! The harvester's settings as flags (`serve` and `harvest run` share them): limits,
//! permissions, contexts, the scheduler's and link checker's pace. Defined beside the service
//! that reads them; the command line (`crate::cli`) flattens them in.

use clap::Args;

/// Limits and permissions of harvest runs (server and CLI alike).
#[derive(Debug, Clone, Args)]
pub struct HarvestSettings {
    /// Allow harvesting from private, loopback and link-local addresses (tests, portals on the
    /// same network). Metadata services and other non-public addresses are refused without it.
    #[arg(long, env = "DANHMUC_ALLOW_PRIVATE_HARVEST")]
    pub allow_private_harvest: bool,
    /// Seconds allowed for one harvest request (connect, headers and body).
    #[arg(long, env = "DANHMUC_HARVEST_TIMEOUT", default_value_t = 60.0)]
    pub harvest_timeout: f64,
    /// Largest harvest response, in bytes.
    #[arg(long, env = "DANHMUC_HARVEST_MAX_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub harvest_max_bytes: u64,
    /// Retries after a transient failure (connection error, 429, 5xx), with doubling backoff.
    #[arg(long, env = "DANHMUC_HARVEST_RETRIES", default_value_t = 2)]
    pub harvest_retries: u32,
    /// Largest share (0–1) of a source's records one run may withdraw without review.
    #[arg(
        long,
        env = "DANHMUC_HARVEST_MAX_WITHDRAW_SHARE",
        default_value_t = 0.2
    )]
    pub harvest_max_withdraw_share: f64,
    /// A JSON-LD context served from a local file instead of fetched: IRI=FILE (repeatable,
    /// or comma-separated in the environment variable).
    #[arg(
        long = "jsonld-context",
        env = "DANHMUC_JSONLD_CONTEXTS",
        value_delimiter = ','
    )]
    pub jsonld_context: Vec<String>,
    /// Seconds between scheduler checks for due sources.
    #[arg(long, env = "DANHMUC_HARVEST_TICK", default_value_t = 5.0)]
    pub harvest_tick: f64,
    /// How often the link checker looks for URLs due a check (`1h`, `30m`; `off` disables
    /// the periodic run; `POST /api/v1/audit/links/check` still runs it on demand).
    #[arg(long, env = "DANHMUC_LINK_CHECK_EVERY", default_value = "1h")]
    pub link_check_every: String,
    /// A URL is checked again when its last check is older than this.
    #[arg(long, env = "DANHMUC_LINK_CHECK_MAX_AGE", default_value = "24h")]
    pub link_check_max_age: String,
    /// Link checks in flight at once.
    #[arg(long, env = "DANHMUC_LINK_CHECK_CONCURRENCY", default_value_t = 8)]
    pub link_check_concurrency: usize,
    /// Change-log entries per page of the `/feed` event stream (a page is frozen, and served
    /// as immutable, once the log has grown past it).
    #[arg(long, env = "DANHMUC_FEED_PAGE_SIZE", default_value_t = 500)]
    pub feed_page_size: i64,
}

impl HarvestSettings {
    /// The link checker's settings, from the flags.
    pub fn link_settings(&self) -> Result<crate::quality::links::LinkSettings, String> {
        let dur = |flag: &str, v: &str| {
            humantime::parse_duration(v.trim())
                .map_err(|e| format!("--{flag} '{v}': {e} (e.g. 30m, 6h)"))
        };
        let every = match self.link_check_every.trim() {
            "off" | "never" | "0" => None,
            v => Some(dur("link-check-every", v)?),
        };
        Ok(crate::quality::links::LinkSettings {
            concurrency: self.link_check_concurrency.clamp(1, 256),
            max_age: dur("link-check-max-age", &self.link_check_max_age)?,
            every,
        })
    }
}
