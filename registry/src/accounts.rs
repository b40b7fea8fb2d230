//! Accounts for people (R4: agency officers keep their records "through their own account"):
//! created by an admin on the command line, signed in on the portal with e-mail and password.
//! Passwords are hashed with Argon2id (memory-hard, OWASP's parameters: 19 MiB, 2 passes);
//! five failures in a row lock an account for fifteen minutes; a session lasts eight hours and
//! is kept only as the hash of its cookie's secret, with the CSRF token its forms must carry.

use crate::auth::{Role, hash_token};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use store::StoreError;
use store::accounts::UserRow;
use store::log::{Log, now_micros};

/// Failures in a row that lock an account.
pub const MAX_FAILURES: i64 = 5;
/// How long a locked account stays locked.
pub const LOCK_MINUTES: i64 = 15;
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 8;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub use crate::auth::SESSION_COOKIE;

/// `n` random letters and digits without look-alikes (no 0/O, 1/l/I): passwords and form tokens.
pub fn random_text(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A password a person can type, for accounts created without one (printed once).
pub fn new_password() -> String {
    random_text(16)
}

fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("password: {e}")))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password matches, verified for unknown e-mails so that a wrong address takes as
/// long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_text(24)).unwrap_or_default())
}

/// Creates an account. Editors and viewers belong to an agency; e-mails are unique (case
/// ignored); passwords have at least [`MIN_PASSWORD_CHARS`] characters.
pub async fn create_user(
    log: &Log,
    email: &str,
    agency: Option<&str>,
    role: Role,
    password: &str,
) -> Result<UserRow, StoreError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid {
        return Err(StoreError::Invalid(format!(
            "'{email}' is not an e-mail address"
        )));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::Invalid(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if role != Role::Admin && agency.is_none() {
        return Err(StoreError::Invalid(format!(
            "an {} account belongs to an agency: give --agency CODE",
            role.as_str()
        )));
    }
    if let Some(a) = agency
        && log.agency(a).await?.is_none()
    {
        return Err(StoreError::UnknownAgency(a.to_owned()));
    }
    let row = UserRow {
        id: format!("usr_{}", hex::encode(rand::rng().random::<[u8; 6]>())),
        email,
        agency: agency.map(str::to_owned),
        role: role.as_str().to_owned(),
        password_hash: hash_password(password)?,
        created_at: now_micros(),
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
    };
    log.insert_user(&row).await?;
    Ok(row)
}

/// Why a sign-in failed. The page says the same to both, so that it does not tell who has
/// an account.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Wrong e-mail or password.
    Wrong,
    /// Locked after repeated failures, until this time (µs).
    Locked(i64),
}

/// A new session: the cookie's secret and the CSRF token of its forms.
pub struct NewSession {
    /// Goes in the cookie only.
    pub secret: String,
    /// Goes in every form.
    pub csrf: String,
    /// When it ends (µs).
    pub expires_at: i64,
}

/// Checks an e-mail and password; opens a session when they match and the account is not
/// locked. A locked account is refused without looking at the password.
pub async fn sign_in(
    log: &Log,
    email: &str,
    password: &str,
) -> Result<Result<NewSession, Refused>, StoreError> {
    let now = now_micros();
    let Some(user) = log.user_by_email(&email.trim().to_lowercase()).await? else {
        let _ = verify(password, decoy_hash());
        return Ok(Err(Refused::Wrong));
    };
    if let Some(until) = user.locked_until
        && until > now
    {
        return Ok(Err(Refused::Locked(until)));
    }
    let hash = user.password_hash.clone();
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify(&pw, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        // A lock that has run out starts a new count.
        let failures = if user.locked_until.is_some() {
            1
        } else {
            user.failed_logins + 1
        };
        let lock = (failures >= MAX_FAILURES).then(|| now + LOCK_MINUTES * 60_000_000);
        log.note_failed_login(&user.id, lock).await?;
        return Ok(Err(match lock {
            Some(until) => Refused::Locked(until),
            None => Refused::Wrong,
        }));
    }
    let session = NewSession {
        secret: format!("dms_{}", random_text(40)),
        csrf: random_text(32),
        expires_at: now + SESSION_HOURS * 3_600_000_000,
    };
    log.open_session(
        &user.id,
        &hash_token(&session.secret),
        &session.csrf,
        now,
        session.expires_at,
    )
    .await?;
    Ok(Ok(session))
}

/// Ends the session whose cookie holds `secret`.
pub async fn sign_out(log: &Log, secret: &str) -> Result<(), StoreError> {
    log.end_session(&hash_token(secret), now_micros()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_kept_as_argon2id_and_only_the_right_one_matches() {
        let h = hash_password("mật khẩu dài đủ 12").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(!h.contains("mật khẩu"));
        assert!(verify("mật khẩu dài đủ 12", &h));
        assert!(!verify("mật khẩu dài đủ 13", &h));
        assert!(!verify("anything", "not a hash"));
        assert_ne!(
            h,
            hash_password("mật khẩu dài đủ 12").expect("hash"),
            "salted"
        );
    }
}
