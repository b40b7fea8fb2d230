//! Runtime configuration: one `Config` with a sub-struct per concern, filled from clap flags
//! (each with a `DANHMUC_*` environment variable) and an optional TOML file.

use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// Which visibility a record gets when it carries no `dct:accessRights`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[clap(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DefaultAccess {
    /// Everyone may read it (the open-data default).
    Public,
    /// Any authenticated state agency may read it.
    Restricted,
    /// Only the owner, admins and named agencies may read it.
    NonPublic,
}

impl DefaultAccess {
    /// The visibility a record without `dct:accessRights` is given.
    pub fn visibility(self) -> record::Visibility {
        match self {
            DefaultAccess::Public => record::Visibility::Public,
            DefaultAccess::Restricted => record::Visibility::Restricted,
            DefaultAccess::NonPublic => record::Visibility::NonPublic,
        }
    }
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// Data directory: SQLite log, Oxigraph stores.
    pub data_dir: PathBuf,
    /// `postgres://…` to keep the change log in PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
}

/// How the HTTP server behaves.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Address to listen on.
    pub bind: String,
    /// Public base IRI under which record IRIs are minted and served.
    pub base_iri: String,
    /// Largest accepted request body in bytes.
    pub body_limit: usize,
    /// SPARQL query timeout.
    pub query_timeout: Duration,
    /// What SPARQL may take of the machine.
    pub queries: QueryLimits,
}

/// How much of the machine SPARQL evaluation may take (`docs/LIMITS.md`).
#[derive(Debug, Clone)]
pub struct QueryLimits {
    /// Queries evaluated at once, all callers.
    pub slots: usize,
    /// Of which anonymous callers may hold at most this many.
    pub anonymous_slots: usize,
    /// Queries that may wait for a slot.
    pub queue: usize,
    /// How long a query waits for a slot.
    pub queue_wait: Duration,
    /// Largest query text in bytes.
    pub max_query_bytes: usize,
    /// Largest serialised result in bytes.
    pub max_result_bytes: usize,
}

/// Record policy.
#[derive(Debug, Clone)]
pub struct RecordConfig {
    /// Visibility given to records without `dct:accessRights`.
    pub default_access: DefaultAccess,
}

/// Everything the server needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Storage.
    pub storage: StorageConfig,
    /// HTTP.
    pub http: HttpConfig,
    /// Records.
    pub records: RecordConfig,
}

/// The optional TOML file: every key may be omitted; flags and env variables win over it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// `data_dir = "…"`
    pub data_dir: Option<PathBuf>,
    /// `database_url = "postgres://…"`
    pub database_url: Option<String>,
    /// `bind = "127.0.0.1:8080"`
    pub bind: Option<String>,
    /// `base_iri = "https://…"`
    pub base_iri: Option<String>,
    /// `body_limit = 10485760`
    pub body_limit: Option<usize>,
    /// `query_timeout_secs = 30`
    pub query_timeout_secs: Option<u64>,
    /// `default_access = "PUBLIC"`
    pub default_access: Option<DefaultAccess>,
}

impl FileConfig {
    /// Reads a TOML configuration file.
    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read config {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("config {}: {e}", path.display()))
    }
}

/// Normalises a base IRI: no trailing slash.
pub fn normalise_base(iri: &str) -> String {
    iri.trim_end_matches('/').to_owned()
}
