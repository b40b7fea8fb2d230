//! The change log in SQL (sqlx, one code path for SQLite and PostgreSQL): every version of
//! every record with who, when, source and content hash; the current state per record;
//! agencies; API tokens. A version row carries everything a projection needs, so the graph
//! stores can be rebuilt from this table alone.

use crate::StoreError;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::path::Path;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which SQL engine holds the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file under the data directory.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The log handle.
#[derive(Clone, Debug)]
pub struct Log {
    /// The pool (Any driver: SQLite or PostgreSQL).
    pub pool: AnyPool,
    /// Which engine.
    pub backend: Backend,
    /// `/feed` windows the log has grown past (they never change), by page size.
    pub(crate) frozen_windows: std::sync::Arc<std::sync::Mutex<FrozenWindows>>,
    /// The SQLite file, when the log is embedded (read directly by bulk exports).
    pub sqlite_file: Option<std::path::PathBuf>,
}

/// Time bounds of `/feed` windows that can no longer change: (page size, windows).
#[derive(Debug, Default)]
pub(crate) struct FrozenWindows {
    pub(crate) size: i64,
    pub(crate) windows: Vec<(i64, i64, i64)>,
}

/// One version in the log.
#[derive(Debug, Clone)]
pub struct VersionRow {
    /// Log position.
    pub seq: i64,
    /// Record id.
    pub record_id: String,
    /// Version number of the record (from 1).
    pub version: i64,
    /// Kind name.
    pub kind: String,
    /// Record IRI.
    pub iri: String,
    /// Owning agency code.
    pub agency: String,
    /// Status name.
    pub status: String,
    /// Visibility name.
    pub visibility: String,
    /// `|`-separated agency codes a NON_PUBLIC record is shared with (`|a|b|`).
    pub shared_with: String,
    /// SHA-256 of `canonical`.
    pub content_hash: String,
    /// Canonical N-Triples.
    pub canonical: String,
    /// Who wrote it (token id, `cli`, `demo`, …).
    pub author: String,
    /// Where it came from (`api`, `import:FILE`, `demo`).
    pub source: String,
    /// When, microseconds since the Unix epoch (UTC).
    pub at: i64,
}

impl VersionRow {
    /// The row without its canonical text (what a consumer that has the triples already
    /// keeps).
    pub fn header(&self) -> VersionRow {
        VersionRow {
            seq: self.seq,
            record_id: self.record_id.clone(),
            version: self.version,
            kind: self.kind.clone(),
            iri: self.iri.clone(),
            agency: self.agency.clone(),
            status: self.status.clone(),
            visibility: self.visibility.clone(),
            shared_with: self.shared_with.clone(),
            content_hash: self.content_hash.clone(),
            canonical: String::new(),
            author: self.author.clone(),
            source: self.source.clone(),
            at: self.at,
        }
    }
}

// The seal of each entry (crate::chain checks it), kept beside the append that writes it.

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an entry, given the previous entry's hash.
pub fn entry_hash(prev: &str, v: &VersionRow) -> String {
    let mut d = Sha256::new();
    for part in [
        prev,
        &v.seq.to_string(),
        &v.record_id,
        &v.version.to_string(),
        &v.kind,
        &v.iri,
        &v.agency,
        &v.status,
        &v.visibility,
        &v.shared_with,
        &v.content_hash,
        &v.author,
        &v.source,
        &v.at.to_string(),
        &v.canonical,
    ] {
        d.update((part.len() as u64).to_be_bytes());
        d.update(part.as_bytes());
    }
    hex::encode(d.finalize())
}

/// The current state of a record.
#[derive(Debug, Clone)]
pub struct RecordRow {
    /// Id (UUID v7, or the code for agencies).
    pub id: String,
    /// Kind name.
    pub kind: String,
    /// IRI.
    pub iri: String,
    /// Owning agency code.
    pub agency: String,
    /// Status name.
    pub status: String,
    /// Visibility name.
    pub visibility: String,
    /// Whether visibility came from the default.
    pub access_defaulted: bool,
    /// `|a|b|` agency codes.
    pub shared_with: String,
    /// Current version number.
    pub version: i64,
    /// Current content hash.
    pub content_hash: String,
    /// Title in Vietnamese.
    pub title_vi: Option<String>,
    /// Title in English.
    pub title_en: Option<String>,
    /// Created, µs since epoch.
    pub created_at: i64,
    /// Last changed, µs since epoch.
    pub modified_at: i64,
    /// Source of the first version.
    pub source: String,
    /// Identifier at the source, when harvested or imported.
    pub source_id: Option<String>,
    /// Log position of the current version.
    pub seq: i64,
}

impl RecordRow {
    /// The ETag of the current version.
    pub fn etag(&self) -> String {
        format!(
            "\"v{}-{}\"",
            self.version,
            &self.content_hash[..16.min(self.content_hash.len())]
        )
    }
    /// Agency codes a NON_PUBLIC record names.
    pub fn shared_codes(&self) -> Vec<&str> {
        self.shared_with
            .split('|')
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// An agency row.
#[derive(Debug, Clone)]
pub struct AgencyRow {
    /// Short code (e.g. `so-tnmt`).
    pub code: String,
    /// IRI.
    pub iri: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Parent agency code.
    pub parent: Option<String>,
    /// Created, µs since epoch.
    pub created_at: i64,
}

/// A stored token (the secret itself is never stored).
#[derive(Debug, Clone)]
pub struct TokenRow {
    /// Public id.
    pub id: String,
    /// First characters of the secret, to recognise it.
    pub prefix: String,
    /// Role name.
    pub role: String,
    /// Agency code.
    pub agency: Option<String>,
    /// Free label.
    pub label: Option<String>,
    /// Created, µs since epoch.
    pub created_at: i64,
    /// Revoked, µs since epoch.
    pub revoked_at: Option<i64>,
}

/// Filters for listing records.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Kind name.
    pub kind: String,
    /// Only this agency.
    pub agency: Option<String>,
    /// Only these statuses.
    pub statuses: Vec<String>,
    /// Changed at or after (µs).
    pub modified_since: Option<i64>,
    /// Ids greater than this (cursor).
    pub after: Option<String>,
    /// Page size.
    pub limit: i64,
}

/// Who is asking, as far as SQL filtering is concerned.
#[derive(Debug, Clone)]
pub enum Audience {
    /// Anonymous: PUBLIC published only.
    Public,
    /// A state agency: PUBLIC and RESTRICTED published, NON_PUBLIC it owns or is named in,
    /// its own drafts.
    Agency(String),
    /// Everything.
    Admin,
}

/// Current time in µs since the Unix epoch.
/// The registry's clock. `DANHMUC_CLOCK_OFFSET_DAYS` shifts it (scenario tests that need a
/// history spanning quarters set it on the server they start; never set in production).
pub fn now_micros() -> i64 {
    let offset = std::env::var("DANHMUC_CLOCK_OFFSET_DAYS")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    chrono::Utc::now().timestamp_micros() + offset * 86_400_000_000
}

pub(crate) const VERSION_COLS: &str = "seq, record_id, version, kind, iri, agency, status, visibility, shared_with, content_hash, canonical, author, source, at";
/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 bound
/// values at 17 columns.
const ROWS_PER_STATEMENT: usize = 500;

/// The `n`th (from 1) bound value of a statement. SQLite gets anonymous `?`s (bound in
/// order): it looks each named parameter up in a list, which made a statement of thousands
/// of `$N`s spend most of its time naming them.
fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_owned(),
        Backend::Postgres => format!("${n}"),
    }
}

/// `n` bound values from the `first`th, comma-separated (an `IN (…)` list).
fn placeholders(backend: Backend, first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| placeholder(backend, i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `HEAD VALUES ($1, …, $width), (…) TAIL` for `rows` rows.
fn values_sql(backend: Backend, head: &str, width: usize, rows: usize, tail: &str) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * width * 6 + 8);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "{}", placeholder(backend, r * width + c + 1));
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

const RECORD_COLS: &str = "id, kind, iri, agency, status, visibility, access_defaulted, shared_with, version, content_hash, title_vi, title_en, created_at, modified_at, source, source_id, seq";

/// Reads a version row from the first columns of a result (see `VERSION_COLS`).
pub(crate) fn version_row_at(r: &AnyRow) -> Result<VersionRow, sqlx::Error> {
    version_row(r)
}

fn version_row(r: &AnyRow) -> Result<VersionRow, sqlx::Error> {
    Ok(VersionRow {
        seq: r.try_get(0)?,
        record_id: r.try_get(1)?,
        version: r.try_get(2)?,
        kind: r.try_get(3)?,
        iri: r.try_get(4)?,
        agency: r.try_get(5)?,
        status: r.try_get(6)?,
        visibility: r.try_get(7)?,
        shared_with: r.try_get(8)?,
        content_hash: r.try_get(9)?,
        canonical: r.try_get(10)?,
        author: r.try_get(11)?,
        source: r.try_get(12)?,
        at: r.try_get(13)?,
    })
}

fn record_row(r: &AnyRow) -> Result<RecordRow, sqlx::Error> {
    Ok(RecordRow {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        iri: r.try_get(2)?,
        agency: r.try_get(3)?,
        status: r.try_get(4)?,
        visibility: r.try_get(5)?,
        access_defaulted: r.try_get::<i64, _>(6)? != 0,
        shared_with: r.try_get(7)?,
        version: r.try_get(8)?,
        content_hash: r.try_get(9)?,
        title_vi: r.try_get(10)?,
        title_en: r.try_get(11)?,
        created_at: r.try_get(12)?,
        modified_at: r.try_get(13)?,
        source: r.try_get(14)?,
        source_id: r.try_get(15)?,
        seq: r.try_get(16)?,
    })
}

fn agency_row(r: &AnyRow) -> Result<AgencyRow, sqlx::Error> {
    Ok(AgencyRow {
        code: r.try_get(0)?,
        iri: r.try_get(1)?,
        name_vi: r.try_get(2)?,
        name_en: r.try_get(3)?,
        parent: r.try_get(4)?,
        created_at: r.try_get(5)?,
    })
}

fn token_row(r: &AnyRow) -> Result<TokenRow, sqlx::Error> {
    Ok(TokenRow {
        id: r.try_get(0)?,
        prefix: r.try_get(1)?,
        role: r.try_get(2)?,
        agency: r.try_get(3)?,
        label: r.try_get(4)?,
        created_at: r.try_get(5)?,
        revoked_at: r.try_get(6)?,
    })
}

/// A new version to append, with the record state it produces.
#[derive(Debug, Clone)]
pub struct NewVersion {
    /// The version row (its `seq` is ignored; the database assigns it).
    pub version: VersionRow,
    /// The record state after it (its `seq` is filled in).
    pub record: RecordRow,
    /// Agency to create in the same transaction.
    pub agency: Option<AgencyRow>,
}

impl Log {
    /// Opens (creating if needed) the log: `database_url` when given, else
    /// `DATA/danhmuc.sqlite`. Runs the embedded migrations.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Log, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) = match database_url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                (u.to_owned(), Backend::Postgres)
            }
            Some(u) if u.starts_with("sqlite:") => (u.to_owned(), Backend::Sqlite),
            Some(u) => {
                return Err(StoreError::Config(format!(
                    "unsupported database URL '{u}': use postgres://… or sqlite:…"
                )));
            }
            None => {
                std::fs::create_dir_all(data_dir).map_err(|e| {
                    StoreError::Config(format!("cannot create {}: {e}", data_dir.display()))
                })?;
                (
                    format!(
                        "sqlite://{}?mode=rwc",
                        data_dir.join("danhmuc.sqlite").display()
                    ),
                    Backend::Sqlite,
                )
            }
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA busy_timeout = 30000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| StoreError::Config(format!("cannot open the change log database: {e}")))?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
        } else {
            POSTGRES_MIGRATIONS.run(&pool).await?;
        }
        let sqlite_file = match backend {
            Backend::Sqlite => Some(
                url.parse::<sqlx::sqlite::SqliteConnectOptions>()
                    .map_err(|e| StoreError::Config(format!("{url}: {e}")))?
                    .get_filename()
                    .to_owned(),
            ),
            Backend::Postgres => None,
        };
        let log = Log {
            pool,
            backend,
            frozen_windows: Default::default(),
            sqlite_file,
        };
        let sealed = log.seal_legacy().await?;
        if sealed > 0 {
            tracing::info!(
                entries = sealed,
                "sealed the existing change log into a hash chain"
            );
        }
        Ok(log)
    }

    /// The last log position.
    pub async fn max_seq(&self) -> Result<i64, StoreError> {
        let r = sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM versions")
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get::<i64, _>(0)?)
    }

    /// Versions after `seq`, in order.
    pub async fn versions_after(
        &self,
        seq: i64,
        limit: i64,
    ) -> Result<Vec<VersionRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLS} FROM versions WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(version_row).collect::<Result<_, _>>()?)
    }

    /// All versions of a record, oldest first.
    pub async fn history(&self, record_id: &str) -> Result<Vec<VersionRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLS} FROM versions WHERE record_id = $1 ORDER BY version"
        ))
        .bind(record_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(version_row).collect::<Result<_, _>>()?)
    }

    /// The current version row of a record.
    pub async fn current_version(&self, record: &RecordRow) -> Result<VersionRow, StoreError> {
        let r = sqlx::query(&format!(
            "SELECT {VERSION_COLS} FROM versions WHERE seq = $1"
        ))
        .bind(record.seq)
        .fetch_one(&self.pool)
        .await?;
        Ok(version_row(&r)?)
    }

    /// A record by id.
    pub async fn record(&self, id: &str) -> Result<Option<RecordRow>, StoreError> {
        let r = sqlx::query(&format!("SELECT {RECORD_COLS} FROM records WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().map(record_row).transpose()?)
    }

    /// A record by IRI.
    pub async fn record_by_iri(&self, iri: &str) -> Result<Option<RecordRow>, StoreError> {
        let r = sqlx::query(&format!("SELECT {RECORD_COLS} FROM records WHERE iri = $1"))
            .bind(iri)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().map(record_row).transpose()?)
    }

    /// Current, not withdrawn records (agencies aside) whose description names `iri`, with
    /// their canonical form: those that carry an agency's description when it is renamed.
    pub async fn records_naming(&self, iri: &str) -> Result<Vec<(RecordRow, String)>, StoreError> {
        let needle = format!("<{iri}>");
        let pattern = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let cols = RECORD_COLS
            .split(", ")
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols}, v.canonical FROM records r JOIN versions v ON v.seq = r.seq WHERE r.kind <> 'agency' AND r.status <> 'withdrawn' AND v.canonical LIKE $1 ESCAPE '\\' ORDER BY r.id"
        ))
        .bind(pattern)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let canonical: String = r.try_get(17)?;
            if canonical.contains(&needle) {
                out.push((record_row(r)?, canonical));
            }
        }
        Ok(out)
    }

    /// [`Log::record_by_source`] for many source ids at once (a batch of a harvest or an
    /// import), by source id.
    pub async fn records_by_source(
        &self,
        source: &str,
        source_ids: &[&str],
    ) -> Result<std::collections::HashMap<String, RecordRow>, StoreError> {
        let mut out = std::collections::HashMap::new();
        for chunk in source_ids.chunks(ROWS_PER_STATEMENT) {
            let list = placeholders(self.backend, 2, chunk.len());
            let sql = format!(
                "SELECT {RECORD_COLS} FROM records WHERE source = {} AND source_id IN ({})",
                placeholder(self.backend, 1),
                list
            );
            let mut q = sqlx::query(&sql).bind(source);
            for sid in chunk {
                q = q.bind(*sid);
            }
            for r in q.fetch_all(&self.pool).await? {
                let row = record_row(&r)?;
                if let Some(sid) = row.source_id.clone() {
                    out.insert(sid, row);
                }
            }
        }
        Ok(out)
    }

    /// Which of these IRIs a record already holds.
    pub async fn iris_taken(
        &self,
        iris: &[&str],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut out = std::collections::HashSet::new();
        for chunk in iris.chunks(ROWS_PER_STATEMENT) {
            let list = placeholders(self.backend, 1, chunk.len());
            let sql = format!("SELECT iri FROM records WHERE iri IN ({})", list);
            let mut q = sqlx::query(&sql);
            for iri in chunk {
                q = q.bind(*iri);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.insert(r.try_get::<String, _>(0)?);
            }
        }
        Ok(out)
    }

    /// A record by its source and the identifier it has there.
    pub async fn record_by_source(
        &self,
        source: &str,
        source_id: &str,
    ) -> Result<Option<RecordRow>, StoreError> {
        let r = sqlx::query(&format!(
            "SELECT {RECORD_COLS} FROM records WHERE source = $1 AND source_id = $2"
        ))
        .bind(source)
        .bind(source_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.as_ref().map(record_row).transpose()?)
    }

    /// Lists records visible to `audience`, ordered by id (ids are time-ordered UUIDs).
    pub async fn list(
        &self,
        f: &ListFilter,
        audience: &Audience,
    ) -> Result<Vec<RecordRow>, StoreError> {
        let mut sql = format!("SELECT {RECORD_COLS} FROM records WHERE kind = $1");
        let mut args: Vec<String> = vec![f.kind.clone()];
        match audience {
            Audience::Public => sql.push_str(" AND status = 'published' AND visibility = 'PUBLIC'"),
            Audience::Agency(code) => {
                args.push(code.clone());
                let a = args.len();
                args.push(format!("%|{code}|%"));
                let b = args.len();
                sql.push_str(&format!(
                    " AND ((status = 'published' AND (visibility IN ('PUBLIC','RESTRICTED') OR agency = ${a} OR shared_with LIKE ${b})) \
                     OR (status <> 'published' AND agency = ${a}))"
                ));
            }
            Audience::Admin => {}
        }
        if let Some(a) = &f.agency {
            args.push(a.clone());
            sql.push_str(&format!(" AND agency = ${}", args.len()));
        }
        if !f.statuses.is_empty() {
            sql.push_str(" AND status IN (");
            for (i, s) in f.statuses.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                args.push(s.clone());
                sql.push_str(&format!("${}", args.len()));
            }
            sql.push(')');
        }
        if let Some(after) = &f.after {
            args.push(after.clone());
            sql.push_str(&format!(" AND id > ${}", args.len()));
        }
        let mut q_since = None;
        if let Some(since) = f.modified_since {
            q_since = Some(since);
            sql.push_str(&format!(" AND modified_at >= ${}", args.len() + 1));
        }
        sql.push_str(&format!(" ORDER BY id LIMIT {}", f.limit.clamp(1, 1000)));
        let mut q = sqlx::query(&sql);
        for a in &args {
            q = q.bind(a.clone());
        }
        if let Some(s) = q_since {
            q = q.bind(s);
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows.iter().map(record_row).collect::<Result<_, _>>()?)
    }

    /// IRIs of published records an agency may see in SPARQL, when it is named in or owns
    /// NON_PUBLIC records (otherwise the government store is used as is).
    pub async fn non_public_grants(&self, code: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT iri FROM records WHERE status = 'published' AND visibility = 'NON_PUBLIC' AND (agency = $1 OR shared_with LIKE $2)")
            .bind(code)
            .bind(format!("%|{code}|%"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?)
    }

    /// IRIs of all published PUBLIC and RESTRICTED records.
    pub async fn government_iris(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT iri FROM records WHERE status = 'published' AND visibility IN ('PUBLIC','RESTRICTED')")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?)
    }

    /// Begins a write that moves the row `id` of `table` (a workflow: feedback, data
    /// requests) only if its `state` is one of `from`: the open transaction, or `None` when
    /// it is not (someone acted first, or there is no such row).
    pub(crate) async fn begin_move(
        &self,
        table: &str,
        id: &str,
        from: &[&str],
    ) -> Result<Option<sqlx::Transaction<'static, sqlx::Any>>, StoreError> {
        let mut tx = self.begin_write().await?;
        let current: Option<String> =
            sqlx::query(&format!("SELECT state FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| sqlx::Row::try_get(&r, 0))
                .transpose()?;
        Ok(current
            .is_some_and(|c| from.contains(&c.as_str()))
            .then_some(tx))
    }

    /// A write transaction. On SQLite it takes the write lock at its start (`BEGIN
    /// IMMEDIATE`), so it waits on busy_timeout for a concurrent writer (the quality follower,
    /// a harvest); a deferred one that read first could not upgrade its stale snapshot and would
    /// fail at once as busy. PostgreSQL needs nothing of the kind. Every write transaction of
    /// the store begins here.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Appends versions atomically: each version row, its record state and, for a new
    /// agency, the agency row, in one transaction. Returns the assigned log positions.
    pub async fn append(&self, items: &mut [NewVersion]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        self.append_in(&mut tx, items).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Log::append`] inside the caller's transaction, for changes whose other rows must
    /// commit with the versions or not at all (an agency succession and the records it moves).
    /// Nothing is visible until the caller commits; dropping the transaction undoes it all.
    pub(crate) async fn append_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        items: &mut [NewVersion],
    ) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        if self.backend == Backend::Postgres {
            // Keep log positions in commit order across processes sharing the database.
            sqlx::query("SELECT pg_advisory_xact_lock(4242001)")
                .execute(&mut **tx)
                .await?;
        }
        // Positions and the chain's head are read once, under the write lock (SQLite's
        // BEGIN IMMEDIATE, PostgreSQL's advisory lock above), so no other entry can come
        // between: every entry is sealed here, and the rows go in in few statements.
        let seqs = self.next_positions(tx, items.len()).await?;
        let mut prev: String =
            sqlx::query("SELECT entry_hash FROM versions ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| r.try_get::<Option<String>, _>(0))
                .transpose()?
                .flatten()
                .unwrap_or_else(|| GENESIS.to_owned());
        let mut seals = Vec::with_capacity(items.len());
        for (item, seq) in items.iter_mut().zip(seqs) {
            item.version.seq = seq;
            item.record.seq = seq;
            let hash = entry_hash(&prev, &item.version);
            seals.push((std::mem::replace(&mut prev, hash.clone()), hash));
        }
        let rows: Vec<(&VersionRow, &(String, String))> =
            items.iter().map(|i| &i.version).zip(seals.iter()).collect();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(
                self.backend,
                "INSERT INTO versions (seq, record_id, version, kind, iri, agency, status, visibility, shared_with, content_hash, canonical, author, source, at, prev_hash, entry_hash)",
                16,
                chunk.len(),
                "",
            );
            let mut q = sqlx::query(&sql);
            for (v, (prev, hash)) in chunk {
                q = q
                    .bind(v.seq)
                    .bind(v.record_id.as_str())
                    .bind(v.version)
                    .bind(v.kind.as_str())
                    .bind(v.iri.as_str())
                    .bind(v.agency.as_str())
                    .bind(v.status.as_str())
                    .bind(v.visibility.as_str())
                    .bind(v.shared_with.as_str())
                    .bind(v.content_hash.as_str())
                    .bind(v.canonical.as_str())
                    .bind(v.author.as_str())
                    .bind(v.source.as_str())
                    .bind(v.at)
                    .bind(prev.as_str())
                    .bind(hash.as_str());
            }
            let mut sp = sqlx::Connection::begin(&mut **tx).await?;
            if let Err(e) = q.execute(&mut *sp).await {
                sp.rollback().await?;
                return Err(match e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => {
                        // Name the record: the first one of the statement already at its version.
                        let mut culprit = chunk[0].0.record_id.clone();
                        for (v, _) in chunk {
                            let taken = sqlx::query(
                                "SELECT 1 FROM versions WHERE record_id = $1 AND version = $2",
                            )
                            .bind(v.record_id.as_str())
                            .bind(v.version)
                            .fetch_optional(&mut **tx)
                            .await?;
                            if taken.is_some() {
                                culprit = v.record_id.clone();
                                break;
                            }
                        }
                        StoreError::Conflict(format!("record {culprit} changed concurrently"))
                    }
                    e => e.into(),
                });
            }
            sp.commit().await?;
        }
        let fresh: Vec<&RecordRow> = items
            .iter()
            .map(|i| &i.record)
            .filter(|r| r.version == 1)
            .collect();
        for chunk in fresh.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(
                self.backend,
                &format!("INSERT INTO records ({RECORD_COLS})"),
                17,
                chunk.len(),
                "",
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(r.id.as_str())
                    .bind(r.kind.as_str())
                    .bind(r.iri.as_str())
                    .bind(r.agency.as_str())
                    .bind(r.status.as_str())
                    .bind(r.visibility.as_str())
                    .bind(r.access_defaulted as i64)
                    .bind(r.shared_with.as_str())
                    .bind(r.version)
                    .bind(r.content_hash.as_str())
                    .bind(r.title_vi.as_deref())
                    .bind(r.title_en.as_deref())
                    .bind(r.created_at)
                    .bind(r.modified_at)
                    .bind(r.source.as_str())
                    .bind(r.source_id.as_deref())
                    .bind(r.seq);
            }
            let mut sp = sqlx::Connection::begin(&mut **tx).await?;
            if let Err(e) = q.execute(&mut *sp).await {
                sp.rollback().await?;
                return Err(match e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => {
                        let mut culprit = chunk[0].iri.clone();
                        for r in chunk {
                            let taken =
                                sqlx::query("SELECT 1 FROM records WHERE iri = $1 OR id = $2")
                                    .bind(r.iri.as_str())
                                    .bind(r.id.as_str())
                                    .fetch_optional(&mut **tx)
                                    .await?;
                            if taken.is_some() {
                                culprit = r.iri.clone();
                                break;
                            }
                        }
                        StoreError::Conflict(format!("a record with IRI {culprit} already exists"))
                    }
                    e => e.into(),
                });
            }
            sp.commit().await?;
        }
        for item in items.iter() {
            let r = &item.record;
            if r.version > 1 {
                // The owner is written too: it changes only when an agency's successor takes
                // its records over (every other write carries the current owner).
                let affected = sqlx::query(
                    "UPDATE records SET status = $1, visibility = $2, access_defaulted = $3, shared_with = $4, version = $5, content_hash = $6, \
                     title_vi = $7, title_en = $8, modified_at = $9, seq = $10, agency = $13 WHERE id = $11 AND version = $12",
                )
                .bind(&r.status)
                .bind(&r.visibility)
                .bind(r.access_defaulted as i64)
                .bind(&r.shared_with)
                .bind(r.version)
                .bind(&r.content_hash)
                .bind(&r.title_vi)
                .bind(&r.title_en)
                .bind(r.modified_at)
                .bind(r.seq)
                .bind(&r.id)
                .bind(r.version - 1)
                .bind(&r.agency)
                .execute(&mut **tx)
                .await?
                .rows_affected();
                if affected != 1 {
                    return Err(StoreError::Conflict(format!(
                        "record {} changed concurrently",
                        r.id
                    )));
                }
            }
            if let Some(a) = &item.agency {
                // A new agency, or a new name for an existing one (its record's version
                // above already failed if the code was taken by a concurrent create).
                sqlx::query("INSERT INTO agencies (code, iri, name_vi, name_en, parent, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                             ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en")
                    .bind(&a.code)
                    .bind(&a.iri)
                    .bind(&a.name_vi)
                    .bind(&a.name_en)
                    .bind(&a.parent)
                    .bind(a.created_at)
                    .execute(&mut **tx)
                    .await
                    .map_err(|e| match e {
                        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(format!("agency '{}' already exists", a.code)),
                        e => e.into(),
                    })?;
            }
        }
        Ok(())
    }

    /// Which of these content hashes have a prepared JSON-LD fragment.
    pub async fn fragments_known(
        &self,
        hashes: &[&str],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut out = std::collections::HashSet::new();
        for chunk in hashes.chunks(ROWS_PER_STATEMENT) {
            let list = placeholders(self.backend, 1, chunk.len());
            let sql = format!(
                "SELECT content_hash FROM fragments WHERE content_hash IN ({})",
                list
            );
            let mut q = sqlx::query(&sql);
            for h in chunk {
                q = q.bind(*h);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.insert(r.try_get::<String, _>(0)?);
            }
        }
        Ok(out)
    }

    /// Keeps prepared JSON-LD fragments `(content hash, fragment)`: derived data, written by
    /// the projections as they catch up (an export serialises a version without one on the
    /// spot).
    pub async fn put_fragments(&self, fragments: &[(String, String)]) -> Result<(), StoreError> {
        if fragments.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for chunk in fragments.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(
                self.backend,
                "INSERT INTO fragments (content_hash, jsonld)",
                2,
                chunk.len(),
                " ON CONFLICT (content_hash) DO NOTHING",
            );
            let mut q = sqlx::query(&sql);
            for (hash, jsonld) in chunk {
                q = q.bind(hash.as_str()).bind(jsonld.as_str());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The next `n` log positions, in order. Called under the write lock. SQLite's
    /// AUTOINCREMENT counter and PostgreSQL's sequence both remember positions that were
    /// used once, so a deleted entry's position is never reused (the chain check sees the
    /// gap).
    async fn next_positions(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        n: usize,
    ) -> Result<Vec<i64>, StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let last: i64 = sqlx::query(
                    "SELECT MAX(s) FROM (SELECT seq AS s FROM sqlite_sequence WHERE name = 'versions' \
                     UNION ALL SELECT MAX(seq) FROM versions UNION ALL SELECT 0)",
                )
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
                Ok((1..=n as i64).map(|i| last + i).collect())
            }
            Backend::Postgres => {
                let rows = sqlx::query(
                    "SELECT nextval(pg_get_serial_sequence('versions', 'seq')) FROM generate_series(1, $1)",
                )
                .bind(n as i64)
                .fetch_all(&mut **tx)
                .await?;
                let mut seqs = rows
                    .iter()
                    .map(|r| r.try_get::<i64, _>(0))
                    .collect::<Result<Vec<_>, _>>()?;
                seqs.sort_unstable();
                Ok(seqs)
            }
        }
    }

    /// An agency by code.
    pub async fn agency(&self, code: &str) -> Result<Option<AgencyRow>, StoreError> {
        let r = sqlx::query(
            "SELECT code, iri, name_vi, name_en, parent, created_at FROM agencies WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.as_ref().map(agency_row).transpose()?)
    }

    /// An agency by IRI.
    pub async fn agency_by_iri(&self, iri: &str) -> Result<Option<AgencyRow>, StoreError> {
        let r = sqlx::query(
            "SELECT code, iri, name_vi, name_en, parent, created_at FROM agencies WHERE iri = $1",
        )
        .bind(iri)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.as_ref().map(agency_row).transpose()?)
    }

    /// All agencies by code.
    pub async fn agencies(&self) -> Result<Vec<AgencyRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, iri, name_vi, name_en, parent, created_at FROM agencies ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(agency_row).collect::<Result<_, _>>()?)
    }

    /// Stores a token hash.
    pub async fn insert_token(&self, t: &TokenRow, hash: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO tokens (id, prefix, hash, role, agency, label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&t.id)
            .bind(&t.prefix)
            .bind(hash)
            .bind(&t.role)
            .bind(&t.agency)
            .bind(&t.label)
            .bind(t.created_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live token with this hash.
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>, StoreError> {
        let r = sqlx::query("SELECT id, prefix, role, agency, label, created_at, revoked_at FROM tokens WHERE hash = $1 AND revoked_at IS NULL")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().map(token_row).transpose()?)
    }

    /// All tokens, newest first.
    pub async fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let rows = sqlx::query("SELECT id, prefix, role, agency, label, created_at, revoked_at FROM tokens ORDER BY created_at DESC")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(token_row).collect::<Result<_, _>>()?)
    }

    /// Revokes a token; `NotFound` when no live token has this id.
    pub async fn revoke_token(&self, id: &str) -> Result<(), StoreError> {
        let n =
            sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now_micros())
                .bind(id)
                .execute(&self.pool)
                .await?
                .rows_affected();
        if n == 0 {
            Err(StoreError::NotFound(format!("token {id}")))
        } else {
            Ok(())
        }
    }

    /// The next up to `limit` records (by id, after `after`) of an export for `audience` as
    /// JSON-LD: the last id, their prepared fragments joined by commas by the database (a
    /// chunk crosses from the database in one row instead of one per record; node order in
    /// `@graph` carries no meaning), and the canonical forms of those without a fragment.
    pub async fn export_chunk_jsonld(
        &self,
        audience: &Audience,
        after: &str,
        limit: i64,
    ) -> Result<Option<(String, String, Vec<String>)>, StoreError> {
        let concat = match self.backend {
            Backend::Postgres => "string_agg(jsonld, ',')",
            Backend::Sqlite => "group_concat(jsonld, ',')",
        };
        let filter = export_filter(audience);
        let row = sqlx::query(&format!(
            "SELECT MAX(id), {concat}, COUNT(*) - COUNT(jsonld) FROM (SELECT r.id AS id, NULLIF(f.jsonld, '') AS jsonld FROM records r LEFT JOIN fragments f ON f.content_hash = r.content_hash WHERE {filter} AND r.id > $1 ORDER BY r.id LIMIT $2) page"
        ))
        .bind(after)
        .bind(limit)
        .fetch_one(&self.pool)
        .await?;
        let Some(last): Option<String> = row.try_get(0)? else {
            return Ok(None);
        };
        let joined: Option<String> = row.try_get(1)?;
        let missing: i64 = row.try_get(2)?;
        let canonicals = if missing > 0 {
            sqlx::query(&format!(
                "SELECT v.canonical FROM records r JOIN versions v ON v.seq = r.seq LEFT JOIN fragments f ON f.content_hash = r.content_hash WHERE {filter} AND r.id > $1 AND r.id <= $2 AND (f.jsonld IS NULL OR f.jsonld = '')"
            ))
            .bind(after)
            .bind(&last)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, sqlx::Error>>()?
        } else {
            Vec::new()
        };
        Ok(Some((last, joined.unwrap_or_default(), canonicals)))
    }

    /// The JSON-LD export of an embedded log: every record visible to `audience`, in id
    /// order, handed to `each` as its prepared fragment or, lacking one, its canonical
    /// N-Triples. One statement on a read-only connection of its own: one consistent
    /// snapshot, rows stepped straight out of SQLite's pages without crossing threads or being
    /// copied (the pool's driver copies each value at least twice), memory flat. Blocking: for
    /// the CLI. `None` for a PostgreSQL log (use [`Log::export_chunk_jsonld`]).
    pub fn export_jsonld_sqlite(
        &self,
        audience: &Audience,
        mut each: impl FnMut(ExportItem<'_>) -> std::io::Result<()>,
    ) -> Option<Result<(), StoreError>> {
        let file = self.sqlite_file.as_ref()?;
        let mut run = || -> Result<(), StoreError> {
            let db = |e: rusqlite::Error| {
                StoreError::Config(format!("database error ({}): {e}", file.display()))
            };
            let conn = rusqlite::Connection::open_with_flags(
                file,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(db)?;
            conn.busy_timeout(std::time::Duration::from_secs(30))
                .map_err(db)?;
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT NULLIF(f.jsonld, ''), CASE WHEN f.jsonld IS NULL OR f.jsonld = '' THEN (SELECT v.canonical FROM versions v WHERE v.seq = r.seq) END FROM records r LEFT JOIN fragments f ON f.content_hash = r.content_hash WHERE {} ORDER BY r.id",
                    export_filter(audience)
                ))
                .map_err(db)?;
            let mut rows = stmt.query([]).map_err(db)?;
            while let Some(row) = rows.next().map_err(db)? {
                let text = |i: usize| -> Result<Option<&str>, StoreError> {
                    match row.get_ref(i).map_err(db)? {
                        rusqlite::types::ValueRef::Text(b) => std::str::from_utf8(b)
                            .map(Some)
                            .map_err(|e| StoreError::Graph(e.to_string())),
                        _ => Ok(None),
                    }
                };
                let item = match (text(0)?, text(1)?) {
                    (Some(f), _) => ExportItem::Fragment(f),
                    (None, Some(c)) => ExportItem::Canonical(c),
                    (None, None) => continue,
                };
                each(item)
                    .map_err(|e| StoreError::Config(format!("cannot write the export: {e}")))?;
            }
            Ok(())
        };
        Some(run())
    }

    /// Current published records visible to an audience, in id order, for exports.
    pub async fn export_page(
        &self,
        audience: &Audience,
        after: &str,
        limit: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT r.id, v.canonical FROM records r JOIN versions v ON v.seq = r.seq WHERE {} AND r.id > $1 ORDER BY r.id LIMIT $2",
            export_filter(audience)
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }
}

/// One record of a bulk export, as stored.
pub enum ExportItem<'a> {
    /// Its prepared JSON-LD node object(s).
    Fragment(&'a str),
    /// Its canonical N-Triples (a version written before fragments existed).
    Canonical(&'a str),
}

/// Which records an export for `audience` holds.
fn export_filter(audience: &Audience) -> &'static str {
    match audience {
        Audience::Public => "r.status = 'published' AND r.visibility = 'PUBLIC'",
        Audience::Agency(_) => "r.status = 'published' AND r.visibility IN ('PUBLIC','RESTRICTED')",
        Audience::Admin => "r.status = 'published'",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgresql_and_anonymous_for_sqlite() {
        assert_eq!(placeholders(Backend::Postgres, 2, 3), "$2, $3, $4");
        assert_eq!(placeholders(Backend::Sqlite, 2, 3), "?, ?, ?");
        assert_eq!(
            values_sql(Backend::Postgres, "INSERT INTO t (a, b)", 2, 2, " X"),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) X"
        );
        assert_eq!(
            values_sql(Backend::Sqlite, "INSERT INTO t (a, b)", 2, 2, ""),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
