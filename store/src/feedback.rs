//! Feedback on records (R9): rows only. Who may report, answer or read a contact, and the
//! limits on what is said, are the registry's.

use crate::StoreError;
use crate::log::Log;
use sqlx::Row;

/// One piece of feedback.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FeedbackRow {
    /// Id (UUID v7).
    pub id: String,
    /// The record it is about.
    pub record_id: String,
    /// The record's agency when reported: who answers.
    pub agency: String,
    /// `error`, `outdated`, `broken_link` or `other`.
    pub kind: String,
    /// What the reporter says.
    pub message: String,
    /// How to reach the reporter (for the agency only).
    pub contact: Option<String>,
    /// `open`, `answered`, `resolved` or `rejected`.
    pub state: String,
    /// Who reported it (token or account id, or `anonymous`).
    pub author: String,
    /// Reported, µs.
    pub created_at: i64,
    /// The agency's answer (or, once rejected, its reason).
    pub answer: Option<String>,
    /// Who answered last.
    pub answered_by: Option<String>,
    /// When it was answered last, µs.
    pub answered_at: Option<i64>,
    /// When it was resolved or rejected, µs.
    pub closed_at: Option<i64>,
}

const COLUMNS: &str = "id, record_id, agency, kind, message, contact, state, author, created_at, answer, answered_by, answered_at, closed_at";

fn row_of(r: &sqlx::any::AnyRow) -> Result<FeedbackRow, sqlx::Error> {
    Ok(FeedbackRow {
        id: r.try_get(0)?,
        record_id: r.try_get(1)?,
        agency: r.try_get(2)?,
        kind: r.try_get(3)?,
        message: r.try_get(4)?,
        contact: r.try_get(5)?,
        state: r.try_get(6)?,
        author: r.try_get(7)?,
        created_at: r.try_get(8)?,
        answer: r.try_get(9)?,
        answered_by: r.try_get(10)?,
        answered_at: r.try_get(11)?,
        closed_at: r.try_get(12)?,
    })
}

impl Log {
    /// Records new feedback.
    pub async fn insert_feedback(&self, f: &FeedbackRow) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!(
            "INSERT INTO feedback ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&f.id)
        .bind(&f.record_id)
        .bind(&f.agency)
        .bind(&f.kind)
        .bind(&f.message)
        .bind(&f.contact)
        .bind(&f.state)
        .bind(&f.author)
        .bind(f.created_at)
        .bind(&f.answer)
        .bind(&f.answered_by)
        .bind(f.answered_at)
        .bind(f.closed_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One piece of feedback.
    pub async fn feedback(&self, id: &str) -> Result<Option<FeedbackRow>, StoreError> {
        let r = sqlx::query(&format!("SELECT {COLUMNS} FROM feedback WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.map(|r| row_of(&r)).transpose()?)
    }

    /// A record's feedback, oldest first.
    pub async fn feedback_on(&self, record_id: &str) -> Result<Vec<FeedbackRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM feedback WHERE record_id = $1 ORDER BY created_at, id"
        ))
        .bind(record_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(row_of).collect::<Result<_, _>>()?)
    }

    /// Feedback of one agency (all when empty) in one state (any when empty), newest first.
    pub async fn feedback_list(
        &self,
        agency: &str,
        state: &str,
    ) -> Result<Vec<FeedbackRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM feedback WHERE ($1 = '' OR agency = $1) AND ($2 = '' OR state = $2) ORDER BY created_at DESC, id DESC"
        ))
        .bind(agency)
        .bind(state)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(row_of).collect::<Result<_, _>>()?)
    }

    /// Moves feedback from one of the states `from` to `state` with the agency's text; false
    /// when it was no longer in one of them (someone else acted first).
    pub async fn update_feedback(
        &self,
        id: &str,
        from: &[&str],
        state: &str,
        answer: &str,
        by: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let closes = matches!(state, "resolved" | "rejected");
        let Some(mut tx) = self.begin_move("feedback", id, from).await? else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE feedback SET state = $2, answer = $3, answered_by = $4, answered_at = $5, closed_at = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(answer)
        .bind(by)
        .bind(at)
        .bind(closes.then_some(at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
