//! The agency-succession tables (migration 0007), the store's side of
//! `audit::succession`: which agency took over from which, and the recorded changes.

use super::StoreError;
use super::log::{Log, NewVersion};
use sqlx::Row;

/// A merge, split or replacement as stored.
#[derive(Debug, Clone)]
pub struct SuccessionRow {
    /// Its id (UUIDv7).
    pub id: String,
    /// `merge`, `split` or `replacement`.
    pub kind: String,
    /// The day it took effect (YYYY-MM-DD).
    pub date: String,
    /// Its legal basis.
    pub basis: String,
    /// Agencies that ceased.
    pub predecessors: Vec<String>,
    /// Agencies that took over.
    pub successors: Vec<String>,
    /// Records moved to the successors.
    pub records_moved: i64,
    /// Who recorded it.
    pub created_by: String,
    /// When (microseconds).
    pub created_at: i64,
}

impl Log {
    /// Ids of an agency's records (not its own agency record), in id order.
    pub async fn record_ids_of(&self, agency: &str) -> Result<Vec<String>, StoreError> {
        self.first_column(
            "SELECT id FROM records WHERE agency = $1 AND kind <> 'agency' ORDER BY id",
            agency,
        )
        .await
    }

    /// The first column of a one-parameter query's rows, as text.
    async fn first_column(&self, sql: &str, arg: &str) -> Result<Vec<String>, StoreError> {
        sqlx::query(sql)
            .bind(arg)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Appends a succession's versions (the agencies' amended records, the moved records) and
    /// its own rows in one transaction: a crash can leave neither the records moved while the
    /// predecessor is still current, nor the predecessor succeeded with its records behind.
    pub async fn append_succession(
        &self,
        items: &mut [NewVersion],
        s: &SuccessionRow,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        self.append_in(&mut tx, items).await?;
        sqlx::query("INSERT INTO agency_successions (id, kind, date, basis, predecessors, successors, records_moved, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&s.id)
            .bind(&s.kind)
            .bind(&s.date)
            .bind(&s.basis)
            .bind(s.predecessors.join(","))
            .bind(s.successors.join(","))
            .bind(s.records_moved)
            .bind(&s.created_by)
            .bind(s.created_at)
            .execute(&mut *tx)
            .await?;
        for p in &s.predecessors {
            for q in &s.successors {
                sqlx::query("INSERT INTO agency_successors (predecessor, successor, succession) VALUES ($1, $2, $3)")
                    .bind(p)
                    .bind(q)
                    .bind(&s.id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The agencies that took over from `code` (empty: it is current).
    pub async fn successors_of(&self, code: &str) -> Result<Vec<String>, StoreError> {
        self.succession_links(code, "predecessor", "successor")
            .await
    }

    /// The agencies `code` took over from.
    pub async fn predecessors_of(&self, code: &str) -> Result<Vec<String>, StoreError> {
        self.succession_links(code, "successor", "predecessor")
            .await
    }

    async fn succession_links(
        &self,
        code: &str,
        from: &'static str,
        to: &'static str,
    ) -> Result<Vec<String>, StoreError> {
        self.first_column(
            &format!("SELECT {to} FROM agency_successors WHERE {from} = $1 ORDER BY {to}"),
            code,
        )
        .await
    }

    /// Every recorded succession, oldest first.
    pub async fn successions(&self) -> Result<Vec<SuccessionRow>, StoreError> {
        let rows = sqlx::query("SELECT id, kind, date, basis, predecessors, successors, records_moved, created_by, created_at FROM agency_successions ORDER BY created_at")
            .fetch_all(&self.pool)
            .await?;
        let split = |s: String| -> Vec<String> {
            s.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        };
        rows.iter()
            .map(|r| {
                Ok(SuccessionRow {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    date: r.try_get(2)?,
                    basis: r.try_get(3)?,
                    predecessors: split(r.try_get(4)?),
                    successors: split(r.try_get(5)?),
                    records_moved: r.try_get(6)?,
                    created_by: r.try_get(7)?,
                    created_at: r.try_get(8)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
