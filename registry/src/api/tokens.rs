//! API tokens over REST (admins): list, create (the secret is shown once), revoke.

use super::rfc3339;
use crate::auth::{Caller, Role, create_token};
use crate::error::ApiResult;
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use store::log::TokenRow;

/// A token as listed (never its secret).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    /// Id (for revoking).
    pub id: String,
    /// First characters of the secret.
    pub prefix: String,
    /// Role.
    pub role: String,
    /// Agency code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// Label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Created (RFC 3339).
    pub created: String,
    /// Revoked (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<String>,
}

impl From<TokenRow> for TokenInfo {
    fn from(t: TokenRow) -> Self {
        TokenInfo {
            id: t.id,
            prefix: t.prefix,
            role: t.role,
            agency: t.agency,
            label: t.label,
            created: rfc3339(t.created_at),
            revoked: t.revoked_at.map(rfc3339),
        }
    }
}

/// A token to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// Role.
    pub role: Role,
    /// Agency code (required for editor and viewer).
    #[serde(default)]
    pub agency: Option<String>,
    /// Free label.
    #[serde(default)]
    pub label: Option<String>,
}

/// A created token, with its secret (shown only here).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The token's listing entry.
    #[serde(flatten)]
    pub info: TokenInfo,
    /// The secret: send as `Authorization: Bearer <token>`. Not retrievable later.
    pub token: String,
}

/// List tokens (admins).
#[utoipa::path(tag = "tokens", responses((status = 200, description = "tokens", body = Vec<TokenInfo>)), security(("bearer" = [])))]
#[get("/tokens")]
pub async fn list_tokens(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let rows = state.registry.log.tokens().await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(TokenInfo::from).collect::<Vec<_>>()))
}

/// Create a token (admins).
#[utoipa::path(tag = "tokens", request_body = NewToken, responses((status = 201, description = "created", body = CreatedToken)), security(("bearer" = [])))]
#[post("/tokens")]
pub async fn create_tokens(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewToken>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let b = body.into_inner();
    let (row, secret) = create_token(
        &state.registry.log,
        b.role,
        b.agency.as_deref(),
        b.label.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Created().json(CreatedToken {
        info: row.into(),
        token: secret.0,
    }))
}

/// Revoke a token (admins).
#[utoipa::path(tag = "tokens", params(("id" = String, Path, description = "token id")), responses(
    (status = 204, description = "revoked"),
    (status = 404, description = "no live token with this id", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[delete("/tokens/{id}")]
pub async fn delete_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    state.registry.log.revoke_token(&id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mounts the token routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_tokens)
        .service(create_tokens)
        .service(delete_token);
}
