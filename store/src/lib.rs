//! danhmuc's store: the change log in SQL (the one source of truth, sealed by a hash chain),
//! its graph projections (one Oxigraph store per audience), and every SQL statement the
//! registry runs — records, versions, agencies, successions, harvest sources and jobs, quality
//! reports, plans and the feeds' pages. The migrations of both engines live here.
//!
//! Below the services: it knows rows and transactions, not publication policy, and the
//! compiler keeps it from naming the services or the HTTP layer above it.

pub mod accounts;
pub mod catalogue;
pub mod chain;
pub mod demand;
pub mod feedback;
pub mod feeds;
pub mod graph;
pub mod harvest;
pub mod log;
pub mod plans;
pub mod quality;
pub mod search;
pub mod services;
pub mod successions;

/// Store failures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The SQL database failed.
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The graph store failed.
    #[error("graph store error: {0}")]
    Graph(String),
    /// The search index failed.
    #[error("search index error: {0}")]
    Search(String),
    /// The graph store is held by another process.
    #[error("{0}")]
    Locked(String),
    /// Configuration problem (paths, URLs).
    #[error("{0}")]
    Config(String),
    /// No such thing.
    #[error("{0} not found")]
    NotFound(String),
    /// The record was withdrawn.
    #[error("{0} has been withdrawn")]
    Withdrawn(String),
    /// A concurrent or duplicate write.
    #[error("{0}")]
    Conflict(String),
    /// An agency code that does not exist.
    #[error("unknown agency '{0}'")]
    UnknownAgency(String),
    /// `If-Match` did not match.
    #[error("stale ETag; current is {current}")]
    Stale {
        /// The current ETag.
        current: String,
    },
    /// The description cannot become a record.
    #[error("{0}")]
    Invalid(String),
    /// The description misses DCAT-AP shapes: the message, and each violation (with its
    /// property path and messages in both languages) for forms to show beside their fields.
    #[error("{message}")]
    Shapes {
        /// What a client reads.
        message: String,
        /// The violations.
        findings: Vec<record::shacl::Finding>,
    },
    /// The record is an entry of the catalogue of databases: only an approved request may
    /// change it.
    #[error("{0}")]
    RequestRequired(String),
}

/// Whether a database error means "busy with another writer" (SQLite `SQLITE_BUSY` /
/// "database is locked", PostgreSQL lock and serialization timeouts): a retry may succeed,
/// so callers answer 503 with `Retry-After`, never 500.
pub fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            // SQLite: 5 SQLITE_BUSY, 6 SQLITE_LOCKED and their extended codes (517 BUSY_SNAPSHOT, …).
            let sqlite_busy = code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
            // PostgreSQL: 55P03 lock_not_available, 40001 serialization_failure, 40P01 deadlock.
            sqlite_busy
                || matches!(code.as_ref(), "55P03" | "40001" | "40P01")
                || d.message().contains("database is locked")
        }
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

impl From<record::RecordError> for StoreError {
    fn from(e: record::RecordError) -> Self {
        StoreError::Invalid(e.to_string())
    }
}
