//! Plans: each agency's target of open datasets for a phase (Ninh Thuận 13.2), set by the
//! coordinating department and compared with what was actually published.

use crate::StoreError;
use crate::log::Log;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// A phase's target.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Plan {
    /// Agency code.
    #[serde(default)]
    pub agency: String,
    /// Phase name, e.g. `2026` or `2026-2030`.
    #[serde(default)]
    pub phase: String,
    /// First day of the phase (YYYY-MM-DD).
    pub starts: String,
    /// Last day of the phase (YYYY-MM-DD).
    pub ends: String,
    /// Open datasets the agency plans to have published by the phase's end.
    pub target: i64,
    /// Who set it.
    #[serde(default)]
    pub set_by: String,
}

impl Plan {
    /// Checks the dates and the target.
    pub fn validate(&self) -> Result<(NaiveDate, NaiveDate), StoreError> {
        let day = |s: &str, what: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                StoreError::Invalid(format!("{what} '{s}' is not a date (YYYY-MM-DD)"))
            })
        };
        let (a, b) = (day(&self.starts, "starts")?, day(&self.ends, "ends")?);
        if b < a {
            return Err(StoreError::Invalid(
                "a phase cannot end before it starts".into(),
            ));
        }
        if self.target < 0 {
            return Err(StoreError::Invalid("a target cannot be negative".into()));
        }
        let ok = !self.phase.is_empty()
            && self.phase.len() <= 64
            && self
                .phase
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(StoreError::Invalid(format!(
                "phase '{}' must be 1-64 letters, digits, '-' or '_'",
                self.phase
            )));
        }
        Ok((a, b))
    }
}

impl Log {
    /// Sets (or replaces) a plan.
    pub async fn put_plan(&self, p: &Plan) -> Result<(), StoreError> {
        p.validate()?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM plans WHERE agency = $1 AND phase = $2")
            .bind(&p.agency)
            .bind(&p.phase)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO plans (agency, phase, starts, ends, target, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&p.agency)
            .bind(&p.phase)
            .bind(p.starts.trim())
            .bind(p.ends.trim())
            .bind(p.target)
            .bind(&p.set_by)
            .bind(crate::log::now_micros())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Plans, of one agency or all, by agency then start.
    pub async fn plans(&self, agency: Option<&str>) -> Result<Vec<Plan>, StoreError> {
        let rows = sqlx::query(
            "SELECT agency, phase, starts, ends, target, set_by FROM plans WHERE ($1 = '' OR agency = $1) ORDER BY agency, starts, phase",
        )
        .bind(agency.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Plan {
                    agency: r.try_get(0)?,
                    phase: r.try_get(1)?,
                    starts: r.try_get(2)?,
                    ends: r.try_get(3)?,
                    target: r.try_get(4)?,
                    set_by: r.try_get(5)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
