//! The change log as a hash chain: each entry's hash covers every column of the entry and the
//! previous entry's hash, so a row changed, removed or inserted afterwards breaks the chain
//! from that point. Sealing happens inside the append transaction (after the insert has taken
//! the database's write lock, or under PostgreSQL's advisory lock), so the chain follows log
//! order even with several writing processes.

use super::StoreError;
use super::log::{Log, VersionRow, version_row_at};
use sha2::{Digest, Sha256};
use sqlx::Row;

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
            super::log::VERSION_COLS
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
        let sealed: i64 = sqlx::query("SELECT COUNT(*) FROM versions WHERE entry_hash IS NOT NULL")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        if sealed > 0 {
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
            let mut tx = self.pool.begin().await?;
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
        Ok(Verification {
            entries,
            head: (entries > 0).then_some(prev),
            broken: None,
        })
    }
}
