//! The agency-succession tables (migration 0007), the store's side of
//! `audit::succession`: which agency took over from which, and the recorded changes.

use crate::StoreError;
use crate::log::{Log, NewVersion};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{RecordRow, VersionRow};

    /// A version of a dataset `id` owned by `agency` (content `title`).
    fn version(id: &str, v: i64, agency: &str, title: &str) -> NewVersion {
        let iri = format!("http://reg.example.vn/datasets/{id}");
        let canonical = format!("<{iri}> <http://purl.org/dc/terms/title> \"{title}\"@vi .\n");
        let hash = format!("{:064x}", v);
        NewVersion {
            version: VersionRow {
                seq: 0,
                record_id: id.into(),
                version: v,
                kind: "dataset".into(),
                iri: iri.clone(),
                agency: agency.into(),
                status: "published".into(),
                visibility: "PUBLIC".into(),
                shared_with: String::new(),
                content_hash: hash.clone(),
                canonical,
                author: "test".into(),
                source: "succession".into(),
                at: v,
            },
            record: RecordRow {
                id: id.into(),
                kind: "dataset".into(),
                iri,
                agency: agency.into(),
                status: "published".into(),
                visibility: "PUBLIC".into(),
                access_defaulted: false,
                shared_with: String::new(),
                version: v,
                content_hash: hash,
                title_vi: Some(title.into()),
                title_en: None,
                created_at: 1,
                modified_at: v,
                source: "succession".into(),
                source_id: None,
                seq: 0,
            },
            agency: None,
        }
    }

    fn row(id: &str, from: &str, to: &str) -> SuccessionRow {
        SuccessionRow {
            id: id.into(),
            kind: "replacement".into(),
            date: "2026-07-01".into(),
            basis: "Nghị quyết số 1/NQ-HĐND".into(),
            predecessors: vec![from.into()],
            successors: vec![to.into()],
            records_moved: 1,
            created_by: "test".into(),
            created_at: 2,
        }
    }

    /// A succession whose own rows cannot be written (here: its id is taken) leaves no moved
    /// record behind, and one that commits has both.
    async fn scenario(log: Log) {
        let mut first = vec![version("d1", 1, "so-a", "Dự án đầu tư công")];
        log.append(&mut first).await.expect("dataset");
        let before = log.max_seq().await.expect("seq");

        let mut moved = vec![version("d1", 2, "so-b", "Dự án đầu tư công")];
        log.append_succession(&mut moved, &row("s1", "so-a", "so-b"))
            .await
            .expect("succession");
        assert_eq!(log.max_seq().await.expect("seq"), before + 1);
        assert_eq!(log.successors_of("so-a").await.expect("links"), ["so-b"]);
        let r = log.record("d1").await.expect("read").expect("record");
        assert_eq!((r.agency.as_str(), r.version), ("so-b", 2));

        // Same succession id again: the rows fail, so the version must not land either.
        let mut again = vec![version("d1", 3, "so-c", "Dự án đầu tư công")];
        let err = log
            .append_succession(&mut again, &row("s1", "so-b", "so-c"))
            .await;
        assert!(err.is_err(), "a duplicate succession id must fail");
        assert_eq!(log.max_seq().await.expect("seq"), before + 1);
        let r = log.record("d1").await.expect("read").expect("record");
        assert_eq!((r.agency.as_str(), r.version), ("so-b", 2));
        assert!(log.successors_of("so-b").await.expect("links").is_empty());
    }

    #[tokio::test]
    async fn a_succession_commits_with_its_versions_or_not_at_all_sqlite() {
        let dir = tempfile::tempdir().expect("tmp");
        scenario(Log::open(dir.path(), None).await.expect("open")).await;
    }

    #[test]
    fn a_succession_commits_with_its_versions_or_not_at_all_postgres() {
        let db = danhmuc_e2e::PgDatabase::create();
        let dir = tempfile::tempdir().expect("tmp");
        tokio::runtime::Runtime::new().expect("rt").block_on(async {
            scenario(Log::open(dir.path(), Some(&db.url)).await.expect("open")).await;
        });
    }
}
