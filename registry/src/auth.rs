//! Bearer tokens and the caller they identify. Tokens are printed once and stored only as a
//! SHA-256 hash with a recognisable prefix (the crates.io habit); `Debug` never shows one.
//! Handlers take a [`Caller`] extractor, so the check cannot be forgotten.

use crate::error::{ApiError, Code};
use crate::state::AppState;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use store::StoreError;
use store::log::{Audience, Log, TokenRow, now_micros};

/// What a token may do.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything: agencies, tokens, every record.
    Admin,
    /// Creates and changes its own agency's records.
    Editor,
    /// Reads what a state agency may read.
    Viewer,
}

impl Role {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Admin, Role::Editor, Role::Viewer]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// The secret part of a new token; `Debug` redacts it.
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({}…)", &self.0[..7.min(self.0.len())])
    }
}

/// The hash under which a token is stored.
pub fn hash_token(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Creates a token; returns its row and the secret (shown once).
pub async fn create_token(
    log: &Log,
    role: Role,
    agency: Option<&str>,
    label: Option<&str>,
) -> Result<(TokenRow, Secret), StoreError> {
    if role != Role::Admin && agency.is_none() {
        return Err(StoreError::Invalid(format!(
            "a {} token belongs to an agency: give --agency CODE",
            role.as_str()
        )));
    }
    if let Some(a) = agency
        && log.agency(a).await?.is_none()
    {
        return Err(StoreError::UnknownAgency(a.to_owned()));
    }
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let body: String = (0..40)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    let secret = format!("dm_{body}");
    let id = format!("tok_{}", hex::encode(rng.random::<[u8; 6]>()));
    let row = TokenRow {
        id,
        prefix: secret[..7].to_owned(),
        role: role.as_str().into(),
        agency: agency.map(str::to_owned),
        label: label.map(str::to_owned),
        created_at: now_micros(),
        revoked_at: None,
    };
    log.insert_token(&row, &hash_token(&secret)).await?;
    Ok((row, Secret(secret)))
}

/// Who is calling.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The token's id, when authenticated.
    pub token_id: Option<String>,
    /// The token's role.
    pub role: Option<Role>,
    /// The token's agency.
    pub agency: Option<String>,
    /// The person signed in on the portal (their e-mail), when the caller is a session.
    pub person: Option<String>,
    /// The CSRF token every form of that session carries.
    pub csrf: Option<String>,
}

/// The portal session cookie's name (crate::accounts opens the sessions).
pub const SESSION_COOKIE: &str = "dm_session";

/// The caller a portal session's cookie secret stands for, if the session is live. Sessions
/// authenticate what a browser reads (GET and HEAD) and the portal's own forms, which check
/// the CSRF token; the REST API's writes take bearer tokens only, so a cookie never writes
/// through the API.
pub async fn session_caller(log: &Log, secret: &str) -> Result<Option<Caller>, StoreError> {
    Ok(log
        .session(&hash_token(secret.trim()), now_micros())
        .await?
        .map(|s| Caller {
            token_id: Some(s.user.id),
            role: Role::parse(&s.user.role),
            agency: s.user.agency,
            person: Some(s.user.email),
            csrf: Some(s.csrf),
        }))
}

impl Caller {
    /// Whether the caller presented a valid token.
    pub fn is_authenticated(&self) -> bool {
        self.role.is_some()
    }

    /// Whether the caller is an admin.
    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }

    /// What SQL listings may show.
    pub fn audience(&self) -> Audience {
        match (&self.role, &self.agency) {
            (Some(Role::Admin), _) => Audience::Admin,
            (Some(_), Some(a)) => Audience::Agency(a.clone()),
            _ => Audience::Public,
        }
    }

    /// Fails with 401 when anonymous.
    pub fn require_auth(&self) -> Result<(), ApiError> {
        if self.is_authenticated() {
            Ok(())
        } else {
            Err(ApiError::new(
                Code::Unauthorized,
                "this operation needs Authorization: Bearer <token>",
            ))
        }
    }

    /// Fails unless an admin.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        self.require_auth()?;
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::new(
                Code::Forbidden,
                "this operation is for admins",
            ))
        }
    }

    /// Fails unless the caller may change records of `agency`.
    pub fn require_editor_of(&self, agency: &str) -> Result<(), ApiError> {
        self.require_auth()?;
        match self.role {
            Some(Role::Admin) => Ok(()),
            Some(Role::Editor) if self.agency.as_deref() == Some(agency) => Ok(()),
            Some(Role::Editor) => Err(ApiError::new(
                Code::Forbidden,
                format!(
                    "editors change only their own agency's records; this one belongs to '{agency}'"
                ),
            )),
            _ => Err(ApiError::new(
                Code::Forbidden,
                "viewer tokens cannot change records",
            )),
        }
    }

    /// Who to record as author.
    pub fn author(&self) -> String {
        self.token_id.clone().unwrap_or_else(|| "anonymous".into())
    }

    /// Whether the caller may read a record in this state.
    pub fn can_read(&self, status: &str, visibility: &str, agency: &str, shared: &[&str]) -> bool {
        if self.is_admin() {
            return true;
        }
        let own = self.agency.as_deref() == Some(agency);
        match status {
            "published" => match visibility {
                "PUBLIC" => true,
                "RESTRICTED" => self.is_authenticated(),
                _ => {
                    self.is_authenticated()
                        && (own || self.agency.as_deref().is_some_and(|a| shared.contains(&a)))
                }
            },
            _ => self.is_authenticated() && own,
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = req
            .headers()
            .get("authorization")
            .map(|h| h.to_str().map(str::to_owned));
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let safe = matches!(
            *req.method(),
            actix_web::http::Method::GET | actix_web::http::Method::HEAD
        );
        let cookie = req
            .cookie(SESSION_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|_| safe);
        Box::pin(async move {
            let Some(header) = header else {
                if let (Some(secret), Some(state)) = (cookie, state) {
                    // An ended or expired session reads as anonymous: the page then offers
                    // to sign in again.
                    return Ok(session_caller(&state.registry.log, &secret)
                        .await?
                        .unwrap_or_default());
                }
                return Ok(Caller::default());
            };
            let header = header.map_err(|_| {
                ApiError::new(
                    Code::InvalidToken,
                    "the Authorization header is not valid text",
                )
            })?;
            let Some(secret) = header
                .strip_prefix("Bearer ")
                .or_else(|| header.strip_prefix("bearer "))
            else {
                return Err(ApiError::new(
                    Code::InvalidToken,
                    "use Authorization: Bearer <token>",
                ));
            };
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            let row = state
                .registry
                .log
                .token_by_hash(&hash_token(secret.trim()))
                .await?;
            let row = row.ok_or_else(|| {
                ApiError::new(
                    Code::InvalidToken,
                    "the token is unknown or has been revoked",
                )
            })?;
            Ok(Caller {
                token_id: Some(row.id),
                role: Role::parse(&row.role),
                agency: row.agency,
                person: None,
                csrf: None,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_rules_follow_access_rights() {
        let anon = Caller::default();
        let a = Caller {
            token_id: Some("t".into()),
            role: Some(Role::Viewer),
            agency: Some("a".into()),
            ..Caller::default()
        };
        let b = Caller {
            token_id: Some("t".into()),
            role: Some(Role::Editor),
            agency: Some("b".into()),
            ..Caller::default()
        };
        assert!(anon.can_read("published", "PUBLIC", "a", &[]));
        assert!(!anon.can_read("published", "RESTRICTED", "a", &[]));
        assert!(!anon.can_read("draft", "PUBLIC", "a", &[]));
        assert!(b.can_read("published", "RESTRICTED", "a", &[]));
        assert!(!b.can_read("published", "NON_PUBLIC", "a", &[]));
        assert!(b.can_read("published", "NON_PUBLIC", "a", &["b"]));
        assert!(a.can_read("published", "NON_PUBLIC", "a", &[]));
        assert!(!b.can_read("draft", "PUBLIC", "a", &[]));
        assert!(a.can_read("draft", "PUBLIC", "a", &[]));
    }

    #[test]
    fn secrets_do_not_leak_through_debug() {
        let s = Secret("dm_abcdefghijklmnop".into());
        assert!(!format!("{s:?}").contains("ijklmnop"));
    }
}
