//! The change log as a hash chain: each entry's hash covers every column of the entry and the
//! previous entry's hash, so a row changed, removed or inserted afterwards breaks the chain
//! from that point. Sealing happens inside the append transaction (after the insert has taken
//! the database's write lock, or under PostgreSQL's advisory lock), so the chain follows log
//! order even with several writing processes.

use crate::StoreError;
use crate::log::{Log, VersionRow, version_row_at};
use sqlx::Row;

pub use crate::log::{GENESIS, entry_hash};

/// The first problem found in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The log position of the first broken entry.
    pub seq: i64,
    /// The record it belongs to.
    pub record_id: String,
    /// What is wrong, in English.
    pub reason: String,
}

/// The outcome of a verification.
#[derive(Debug, Clone)]
pub struct Verification {
    /// Entries checked.
    pub entries: u64,
    /// The last entry's hash (the chain head), if any.
    pub head: Option<String>,
    /// The first break, if any.
    pub broken: Option<Break>,
}

impl Log {
    /// Entries after `seq` with their stored hashes, in log order.
    async fn chain_after(
        &self,
        seq: i64,
        limit: i64,
    ) -> Result<Vec<(VersionRow, Option<String>, Option<String>)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {}, prev_hash, entry_hash FROM versions WHERE seq > $1 ORDER BY seq LIMIT $2",
            crate::log::VERSION_COLS
        ))
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    version_row_at(r)?,
                    r.try_get::<Option<String>, _>(14)?,
                    r.try_get::<Option<String>, _>(15)?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Seals a log written before the chain existed (every entry unsealed). A log where only
    /// some entries lack hashes is left alone: that is for `verify` to report, not to repair.
    pub async fn seal_legacy(&self) -> Result<u64, StoreError> {
        // One sealed entry is enough to know (a COUNT would read every version, canonical
        // forms included, at every start).
        let sealed = sqlx::query("SELECT seq FROM versions WHERE entry_hash IS NOT NULL LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        if sealed.is_some() {
            return Ok(0);
        }
        let mut prev = GENESIS.to_owned();
        let mut after = 0i64;
        let mut n = 0u64;
        loop {
            let batch = self.chain_after(after, 5_000).await?;
            if batch.is_empty() {
                return Ok(n);
            }
            let mut tx = self.begin_write().await?;
            for (v, _, _) in &batch {
                let h = entry_hash(&prev, v);
                sqlx::query("UPDATE versions SET prev_hash = $1, entry_hash = $2 WHERE seq = $3")
                    .bind(&prev)
                    .bind(&h)
                    .bind(v.seq)
                    .execute(&mut *tx)
                    .await?;
                prev = h;
                after = v.seq;
                n += 1;
            }
            tx.commit().await?;
        }
    }

    /// Checks the whole chain, streaming it in log order; stops at the first break.
    pub async fn verify_chain(&self) -> Result<Verification, StoreError> {
        let mut prev = GENESIS.to_owned();
        let mut after = 0i64;
        let mut entries = 0u64;
        let broken = |v: &VersionRow, reason: String| Break {
            seq: v.seq,
            record_id: v.record_id.clone(),
            reason,
        };
        loop {
            let batch = self.chain_after(after, 5_000).await?;
            if batch.is_empty() {
                break;
            }
            for (v, p, h) in &batch {
                entries += 1;
                let (Some(p), Some(h)) = (p, h) else {
                    return Ok(Verification {
                        entries,
                        head: Some(prev),
                        broken: Some(broken(v, "the entry carries no hash".into())),
                    });
                };
                if *p != prev {
                    return Ok(Verification {
                        entries,
                        head: Some(prev),
                        broken: Some(broken(
                            v,
                            "it does not link to the entry before it (an entry was removed, inserted or changed before it)".into(),
                        )),
                    });
                }
                if entry_hash(&prev, v) != *h {
                    return Ok(Verification {
                        entries,
                        head: Some(prev),
                        broken: Some(broken(
                            v,
                            "its content does not match its hash (the entry was changed)".into(),
                        )),
                    });
                }
                prev = h.clone();
                after = v.seq;
            }
        }
        // Removing the newest entries leaves a shorter, consistent chain; the current state
        // still points at them.
        let dangling = sqlx::query(
            "SELECT r.id, r.seq FROM records r LEFT JOIN versions v ON v.seq = r.seq WHERE v.seq IS NULL ORDER BY r.seq LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        if let Some(r) = dangling {
            let seq: i64 = r.try_get(1)?;
            return Ok(Verification {
                entries,
                head: Some(prev),
                broken: Some(Break {
                    seq,
                    record_id: r.try_get(0)?,
                    reason: "the record's current state points at this entry, which is missing from the log".into(),
                }),
            });
        }
        // The current-state table is what every read path serves: each row must be exactly
        // its record's newest entry, or a hand edit (a visibility widened in the database, say)
        // would go unnoticed by the chain.
        if let Some(b) = self.current_state_break().await? {
            return Ok(Verification {
                entries,
                head: Some(prev),
                broken: Some(b),
            });
        }
        Ok(Verification {
            entries,
            head: (entries > 0).then_some(prev),
            broken: None,
        })
    }

    /// The first record whose current state differs from its newest log entry, or whose
    /// entries have no current state.
    async fn current_state_break(&self) -> Result<Option<Break>, StoreError> {
        const FIELDS: [&str; 8] = [
            "kind",
            "iri",
            "agency",
            "status",
            "visibility",
            "shared_with",
            "version",
            "content_hash",
        ];
        let differs = FIELDS
            .iter()
            .map(|f| format!("r.{f} <> v.{f}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let select = FIELDS
            .iter()
            .map(|f| format!("CAST(r.{f} AS TEXT), CAST(v.{f} AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT r.id, r.seq, (SELECT MAX(v2.seq) FROM versions v2 WHERE v2.record_id = r.id), {select} \
             FROM records r JOIN versions v ON v.seq = r.seq \
             WHERE v.record_id <> r.id OR {differs} \
                OR r.seq <> (SELECT MAX(v2.seq) FROM versions v2 WHERE v2.record_id = r.id) \
             ORDER BY r.seq LIMIT 1"
        );
        if let Some(row) = sqlx::query(&sql).fetch_optional(&self.pool).await? {
            let id: String = row.try_get(0)?;
            let seq: i64 = row.try_get(1)?;
            let newest: Option<i64> = row.try_get(2)?;
            let mut changed = Vec::new();
            for (i, f) in FIELDS.iter().enumerate() {
                let a: String = row.try_get(3 + 2 * i)?;
                let b: String = row.try_get(4 + 2 * i)?;
                if a != b {
                    changed.push(format!("{f} is '{a}' but the log says '{b}'"));
                }
            }
            let reason = if newest.is_some_and(|n| n != seq) {
                format!(
                    "the record's current state points at entry {seq}, not at its newest entry {}",
                    newest.unwrap_or_default()
                )
            } else if changed.is_empty() {
                "the record's current state points at another record's entry".to_owned()
            } else {
                format!(
                    "the record's current state was changed outside the log: {}",
                    changed.join("; ")
                )
            };
            return Ok(Some(Break {
                seq,
                record_id: id,
                reason,
            }));
        }
        let orphan = sqlx::query(
            "SELECT v.record_id, MIN(v.seq) FROM versions v LEFT JOIN records r ON r.id = v.record_id \
             WHERE r.id IS NULL GROUP BY v.record_id ORDER BY MIN(v.seq) LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = orphan {
            return Ok(Some(Break {
                seq: row.try_get(1)?,
                record_id: row.try_get(0)?,
                reason: "the log holds this record but its current state was deleted".into(),
            }));
        }
        Ok(None)
    }
}

/// One line of the exported audit trail: who changed what, when, from where, and the entry's
/// place in the chain (the record content itself stays out: the trail goes to auditors, and
/// the chain hashes let them check it against the log).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrailEntry {
    /// Log position.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Record id.
    pub record: String,
    /// Record IRI.
    pub iri: String,
    /// Kind.
    pub kind: String,
    /// Version number.
    pub version: i64,
    /// Owning agency.
    pub agency: String,
    /// Status after this entry.
    pub status: String,
    /// Visibility after this entry.
    pub visibility: String,
    /// Who (token id, `cli`, `demo`, `scheduler`…).
    pub author: String,
    /// From where (`api`, `import`, `harvest:SOURCE`…).
    pub source: String,
    /// SHA-256 of the record's canonical content.
    pub content_hash: String,
    /// The previous entry's hash.
    pub prev_hash: Option<String>,
    /// This entry's hash.
    pub entry_hash: Option<String>,
}

impl Log {
    /// A page of the audit trail after `seq`, optionally for one agency and a period
    /// (`from` inclusive, `to` exclusive, microseconds).
    pub async fn trail_page(
        &self,
        after: i64,
        agency: Option<&str>,
        from: Option<i64>,
        to: Option<i64>,
        limit: i64,
    ) -> Result<Vec<TrailEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, record_id, iri, kind, version, agency, status, visibility, author, source, content_hash, prev_hash, entry_hash \
             FROM versions WHERE seq > $1 AND ($2 = '' OR agency = $2) AND at >= $3 AND at < $4 ORDER BY seq LIMIT $5",
        )
        .bind(after)
        .bind(agency.unwrap_or(""))
        .bind(from.unwrap_or(i64::MIN))
        .bind(to.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TrailEntry {
                    seq: r.try_get(0)?,
                    at: record::dates::rfc3339(r.try_get(1)?),
                    record: r.try_get(2)?,
                    iri: r.try_get(3)?,
                    kind: r.try_get(4)?,
                    version: r.try_get(5)?,
                    agency: r.try_get(6)?,
                    status: r.try_get(7)?,
                    visibility: r.try_get(8)?,
                    author: r.try_get(9)?,
                    source: r.try_get(10)?,
                    content_hash: r.try_get(11)?,
                    prev_hash: r.try_get(12)?,
                    entry_hash: r.try_get(13)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_column() {
        let v = VersionRow {
            seq: 1,
            record_id: "r".into(),
            version: 1,
            kind: "dataset".into(),
            iri: "http://x/d".into(),
            agency: "a".into(),
            status: "published".into(),
            visibility: "PUBLIC".into(),
            shared_with: String::new(),
            content_hash: "h".into(),
            canonical: "<http://x/d> <http://purl.org/dc/terms/title> \"Dữ liệu\"@vi .".into(),
            author: "cli".into(),
            source: "api".into(),
            at: 5,
        };
        let h = entry_hash(GENESIS, &v);
        assert_ne!(
            h,
            entry_hash(
                GENESIS,
                &VersionRow {
                    status: "withdrawn".into(),
                    ..v.clone()
                }
            )
        );
        assert_ne!(
            h,
            entry_hash(
                GENESIS,
                &VersionRow {
                    canonical: String::new(),
                    ..v.clone()
                }
            )
        );
        assert_ne!(h, entry_hash(&h, &v));
    }
}
