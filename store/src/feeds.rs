//! SQL behind the feeds: the pages of `/catalog` (published PUBLIC datasets and data services,
//! by agency and modification time) and the activities of `/feed` (a window of the log).

use crate::StoreError;
use crate::log::Log;
use sqlx::Row;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// The first page.
    First,
    /// Records after this id.
    After(String),
    /// Records before this id.
    Before(String),
    /// The last page.
    Last,
}

impl Cursor {
    /// From the `cursor` parameter the feed gave out (`a:ID`, `b:ID`, `last`; none: first).
    pub fn parse(s: Option<&str>) -> Result<Cursor, String> {
        match s.map(str::trim) {
            None | Some("") => Ok(Cursor::First),
            Some("last") => Ok(Cursor::Last),
            Some(c) => match c.split_once(':') {
                Some(("a", id)) if valid_id(id) => Ok(Cursor::After(id.to_owned())),
                Some(("b", id)) if valid_id(id) => Ok(Cursor::Before(id.to_owned())),
                _ => Err(format!(
                    "cursor '{c}' is not one this feed gave out (a:ID, b:ID or last)"
                )),
            },
        }
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// One record on a page.
#[derive(Debug, Clone)]
pub struct FeedRow {
    /// Record id.
    pub id: String,
    /// `dataset` or `dataservice`.
    pub kind: String,
    /// Record IRI.
    pub iri: String,
    /// Canonical N-Triples.
    pub canonical: String,
    /// Prepared JSON-LD node objects, when stored (see `record::rdf::jsonld_fragment`).
    pub fragment: Option<String>,
}

const FEED_FILTER: &str = "r.status = 'published' AND r.visibility = 'PUBLIC' AND r.kind IN ('dataset', 'dataservice') AND ($1 = '' OR r.agency = $1) AND r.modified_at >= $2";

impl Log {
    /// How many records the feed holds.
    pub async fn feed_count(&self, agency: &str, since: i64) -> Result<i64, StoreError> {
        let n: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) FROM records r WHERE {FEED_FILTER}"
        ))
        .bind(agency)
        .bind(since)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(n)
    }

    /// A page: its rows (by id), whether a page before and after it exist.
    pub async fn feed_page(
        &self,
        agency: &str,
        since: i64,
        cursor: &Cursor,
        limit: i64,
    ) -> Result<(Vec<FeedRow>, bool, bool), StoreError> {
        let (cond, desc, key) = match cursor {
            Cursor::First => ("", false, None),
            Cursor::After(id) => (" AND r.id > $3", false, Some(id.as_str())),
            Cursor::Before(id) => (" AND r.id < $3", true, Some(id.as_str())),
            Cursor::Last => ("", true, None),
        };
        let sql = format!(
            "SELECT r.id, r.kind, r.iri, v.canonical, f.jsonld FROM records r JOIN versions v ON v.seq = r.seq LEFT JOIN fragments f ON f.content_hash = r.content_hash WHERE {FEED_FILTER}{cond} ORDER BY r.id {} LIMIT {}",
            if desc { "DESC" } else { "ASC" },
            limit + 1
        );
        let mut q = sqlx::query(&sql).bind(agency).bind(since);
        if let Some(k) = key {
            q = q.bind(k);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out: Vec<FeedRow> = rows
            .iter()
            .map(|r| {
                Ok(FeedRow {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    iri: r.try_get(2)?,
                    canonical: r.try_get(3)?,
                    fragment: r.try_get(4)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        let more = out.len() as i64 > limit;
        out.truncate(limit as usize);
        if desc {
            out.reverse();
        }
        let (prev, next) = match cursor {
            Cursor::First => (false, more),
            Cursor::After(_) => (true, more),
            Cursor::Before(_) => (more, true),
            Cursor::Last => (more, false),
        };
        Ok((out, prev, next))
    }
}

/// One page member.
pub struct Member {
    /// Log sequence number.
    pub seq: i64,
    /// The activity: `Create`, `Update` or `Delete`.
    pub kind: &'static str,
    /// Record IRI.
    pub iri: String,
    /// When, microseconds.
    pub at: i64,
    /// The version's canonical form when the record is public then, else nothing.
    pub canonical: Option<String>,
}

impl Log {
    /// The activities of the log window `(from, to]`.
    pub async fn feed_members(&self, from: i64, to: i64) -> Result<Vec<Member>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.seq, v.iri, v.status, v.visibility, v.canonical, v.at, p.status, p.visibility \
             FROM versions v LEFT JOIN versions p ON p.record_id = v.record_id AND p.version = v.version - 1 \
             WHERE v.seq > $1 AND v.seq <= $2 AND v.kind IN ('dataset', 'dataservice') ORDER BY v.seq",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let now = visible(&r.try_get::<String, _>(2)?, &r.try_get::<String, _>(3)?);
            let before = match (
                r.try_get::<Option<String>, _>(6)?,
                r.try_get::<Option<String>, _>(7)?,
            ) {
                (Some(s), Some(v)) => visible(&s, &v),
                _ => false,
            };
            let kind = match (before, now) {
                (false, true) => "Create",
                (true, true) => "Update",
                (true, false) => "Delete",
                (false, false) => continue,
            };
            out.push(Member {
                seq: r.try_get(0)?,
                kind,
                iri: r.try_get(1)?,
                at: r.try_get(5)?,
                canonical: if now { Some(r.try_get(4)?) } else { None },
            });
        }
        Ok(out)
    }

    /// Per window of `size` log entries: its number, earliest and latest time. Windows the
    /// log has grown past never change: they are remembered, and only the rest of the log is
    /// read (a scan of every version took 2 s per request at 100k entries).
    pub async fn feed_windows(&self, size: i64) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let mut known = {
            let cache = self
                .frozen_windows
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if cache.size == size {
                cache.windows.clone()
            } else {
                Vec::new()
            }
        };
        let from = known.last().map(|(w, ..)| (w + 1) * size).unwrap_or(0);
        let rows = sqlx::query(&format!(
            "SELECT (seq - 1) / {size} AS w, MIN(at), MAX(at) FROM versions WHERE seq > $1 GROUP BY (seq - 1) / {size} ORDER BY w"
        ))
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        let fresh: Vec<(i64, i64, i64)> = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        // All but the latest window are frozen.
        if fresh.len() > 1 {
            let mut cache = self
                .frozen_windows
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if cache.size != size {
                cache.size = size;
                cache.windows.clear();
            }
            if cache.windows.len() == known.len() {
                cache.windows.extend_from_slice(&fresh[..fresh.len() - 1]);
            }
        }
        known.extend(fresh);
        Ok(known)
    }
}

/// Whether a record in this state is in the public feeds.
fn visible(status: &str, visibility: &str) -> bool {
    status == "published" && visibility == "PUBLIC"
}

/// A published PUBLIC dataset as the CKAN-compatible API lists it.
#[derive(Debug, Clone)]
pub struct PackageRow {
    /// Record id.
    pub id: String,
    /// Record IRI.
    pub iri: String,
    /// Owning agency.
    pub agency: String,
    /// Created, microseconds.
    pub created: i64,
    /// Last modified, microseconds.
    pub modified: i64,
    /// Canonical N-Triples of the current version.
    pub canonical: String,
}

impl Log {
    /// Every published PUBLIC dataset (of `agency`, when not empty), by id.
    pub async fn public_datasets(&self, agency: &str) -> Result<Vec<PackageRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.iri, r.agency, r.created_at, r.modified_at, v.canonical FROM records r JOIN versions v ON v.seq = r.seq \
             WHERE r.kind = 'dataset' AND r.status = 'published' AND r.visibility = 'PUBLIC' AND ($1 = '' OR r.agency = $1) ORDER BY r.id",
        )
        .bind(agency)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PackageRow {
                    id: r.try_get(0)?,
                    iri: r.try_get(1)?,
                    agency: r.try_get(2)?,
                    created: r.try_get(3)?,
                    modified: r.try_get(4)?,
                    canonical: r.try_get(5)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
