//! Data requests and their support (R9, demand): rows only. Who may ask, support, assign or
//! answer is the registry's.

use crate::StoreError;
use crate::log::Log;
use sqlx::Row;

/// A request for data that is not published.
#[derive(Debug, Clone)]
pub struct DataRequestRow {
    /// Id (UUID v7).
    pub id: String,
    /// What data is wanted.
    pub title: String,
    /// Why, and what it should hold.
    pub description: String,
    /// How to reach the requester (the coordinating department and the agency only).
    pub contact: Option<String>,
    /// Who asked (account or token id, or `anonymous`).
    pub author: String,
    /// `open`, `assigned`, `planned`, `published` or `refused`.
    pub state: String,
    /// The agency it was assigned to.
    pub agency: Option<String>,
    /// Asked, µs.
    pub created_at: i64,
    /// Assigned, µs.
    pub assigned_at: Option<i64>,
    /// Answered last, µs.
    pub answered_at: Option<i64>,
    /// The agency's answer (a plan, or the reason it refused).
    pub answer: Option<String>,
    /// The dataset that answers it, once published (record id).
    pub dataset: Option<String>,
    /// How many support it (the requester included).
    pub supports: i64,
}

const COLUMNS: &str = "id, title, description, contact, author, state, agency, created_at, assigned_at, answered_at, answer, dataset, supports";

fn row_of(r: &sqlx::any::AnyRow) -> Result<DataRequestRow, sqlx::Error> {
    Ok(DataRequestRow {
        id: r.try_get(0)?,
        title: r.try_get(1)?,
        description: r.try_get(2)?,
        contact: r.try_get(3)?,
        author: r.try_get(4)?,
        state: r.try_get(5)?,
        agency: r.try_get(6)?,
        created_at: r.try_get(7)?,
        assigned_at: r.try_get(8)?,
        answered_at: r.try_get(9)?,
        answer: r.try_get(10)?,
        dataset: r.try_get(11)?,
        supports: r.try_get(12)?,
    })
}

impl Log {
    /// Records a request, supported by its requester (`supporter`).
    pub async fn insert_data_request(
        &self,
        d: &DataRequestRow,
        supporter: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!(
            "INSERT INTO data_requests ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&d.id)
        .bind(&d.title)
        .bind(&d.description)
        .bind(&d.contact)
        .bind(&d.author)
        .bind(&d.state)
        .bind(&d.agency)
        .bind(d.created_at)
        .bind(d.assigned_at)
        .bind(d.answered_at)
        .bind(&d.answer)
        .bind(&d.dataset)
        .bind(1i64)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO data_request_supports (request_id, supporter, created_at) VALUES ($1, $2, $3)",
        )
        .bind(&d.id)
        .bind(supporter)
        .bind(d.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One request.
    pub async fn data_request(&self, id: &str) -> Result<Option<DataRequestRow>, StoreError> {
        let r = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM data_requests WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| row_of(&r)).transpose()?)
    }

    /// Requests in one state (any when empty) of one agency (any when empty), most supported
    /// first (then oldest first), or newest first.
    pub async fn data_requests(
        &self,
        state: &str,
        agency: &str,
        newest: bool,
    ) -> Result<Vec<DataRequestRow>, StoreError> {
        let order = if newest {
            "created_at DESC, id DESC"
        } else {
            "supports DESC, created_at, id"
        };
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM data_requests WHERE ($1 = '' OR state = $1) AND ($2 = '' OR agency = $2) ORDER BY {order}"
        ))
        .bind(state)
        .bind(agency)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(row_of).collect::<Result<_, _>>()?)
    }

    /// Adds `supporter`'s support; false when they already support it.
    pub async fn support_data_request(
        &self,
        id: &str,
        supporter: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let known = sqlx::query(
            "SELECT 1 FROM data_request_supports WHERE request_id = $1 AND supporter = $2",
        )
        .bind(id)
        .bind(supporter)
        .fetch_optional(&mut *tx)
        .await?;
        if known.is_some() {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO data_request_supports (request_id, supporter, created_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(supporter)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE data_requests SET supports = supports + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Moves a request from one of `from` to `state`, setting what the move sets; false when
    /// it was no longer in one of them.
    #[allow(clippy::too_many_arguments)]
    pub async fn move_data_request(
        &self,
        id: &str,
        from: &[&str],
        state: &str,
        agency: Option<&str>,
        answer: Option<&str>,
        dataset: Option<&str>,
        at: i64,
    ) -> Result<bool, StoreError> {
        let Some(mut tx) = self.begin_move("data_requests", id, from).await? else {
            return Ok(false);
        };
        let assigning = state == "assigned";
        sqlx::query(
            "UPDATE data_requests SET state = $2, agency = COALESCE($3, agency), answer = COALESCE($4, answer), dataset = COALESCE($5, dataset), assigned_at = CASE WHEN $6 = 1 THEN $7 ELSE assigned_at END, answered_at = CASE WHEN $6 = 1 THEN answered_at ELSE $7 END WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(agency)
        .bind(answer)
        .bind(dataset)
        .bind(i64::from(assigning))
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
