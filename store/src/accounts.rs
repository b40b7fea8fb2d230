//! Accounts for people and their sessions (the portal's sign-in): rows only — hashing,
//! lock-out rules and cookies are the registry's. A password is stored only as its hash; a
//! session only as the hash of its cookie's secret.

use crate::StoreError;
use crate::log::Log;
use sqlx::Row;

/// A person's account.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// `usr_…`.
    pub id: String,
    /// E-mail, lower case: how they sign in.
    pub email: String,
    /// Their agency (none for a department-wide admin).
    pub agency: Option<String>,
    /// `admin`, `editor` or `viewer`.
    pub role: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Created, µs since the epoch.
    pub created_at: i64,
    /// Failed sign-ins since the last success.
    pub failed_logins: i64,
    /// Refused until then (µs), after repeated failures.
    pub locked_until: Option<i64>,
    /// Last successful sign-in (µs).
    pub last_login_at: Option<i64>,
}

/// A live session with its person.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The person.
    pub user: UserRow,
    /// The token every form of this session must carry.
    pub csrf: String,
    /// Ends then (µs).
    pub expires_at: i64,
}

const USER_COLUMNS: &str = "id, email, agency, role, password_hash, created_at, failed_logins, locked_until, last_login_at";

fn user_of(r: &sqlx::any::AnyRow, at: usize) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: r.try_get(at)?,
        email: r.try_get(at + 1)?,
        agency: r.try_get(at + 2)?,
        role: r.try_get(at + 3)?,
        password_hash: r.try_get(at + 4)?,
        created_at: r.try_get(at + 5)?,
        failed_logins: r.try_get(at + 6)?,
        locked_until: r.try_get(at + 7)?,
        last_login_at: r.try_get(at + 8)?,
    })
}

impl Log {
    /// Adds an account; a second account with the same e-mail is refused.
    pub async fn insert_user(&self, u: &UserRow) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("SELECT 1 FROM users WHERE email = $1")
            .bind(&u.email)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "an account with e-mail {} already exists",
                u.email
            )));
        }
        sqlx::query(&format!(
            "INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(&u.id)
        .bind(&u.email)
        .bind(&u.agency)
        .bind(&u.role)
        .bind(&u.password_hash)
        .bind(u.created_at)
        .bind(u.failed_logins)
        .bind(u.locked_until)
        .bind(u.last_login_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account with this (lower-case) e-mail.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| user_of(&r, 0)).transpose()?)
    }

    /// Every account, by e-mail.
    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| user_of(r, 0))
            .collect::<Result<_, _>>()?)
    }

    /// Notes a failed sign-in; `lock_until` locks the account (the caller decides when).
    pub async fn note_failed_login(
        &self,
        user_id: &str,
        lock_until: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE($2, locked_until) WHERE id = $1")
            .bind(user_id)
            .bind(lock_until)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Opens a session after a successful sign-in: failures are forgotten.
    pub async fn open_session(
        &self,
        user_id: &str,
        id_hash: &str,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live session with this secret's hash (not ended, not expired at `now`).
    pub async fn session(&self, id_hash: &str, now: i64) -> Result<Option<SessionRow>, StoreError> {
        let cols = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "SELECT s.csrf, s.expires_at, {cols} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2"
        ))
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(SessionRow {
            csrf: r.try_get(0)?,
            expires_at: r.try_get(1)?,
            user: user_of(&r, 2)?,
        }))
    }

    /// Ends a session (sign-out).
    pub async fn end_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET ended_at = $2 WHERE id_hash = $1 AND ended_at IS NULL")
            .bind(id_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
