//! The record page's feedback form (R9): anyone may report a problem with a dataset or data
//! service from its page, signed in or not. The form carries a token against cross-site
//! posting: the session's CSRF token for a signed-in person, else a double-submit token (a
//! `SameSite=Strict` cookie and the same value in the form). What is reported goes through
//! the same checks and throttle as `POST /api/v1/{collection}/{id}/feedback`.

use crate::auth::{Caller, SESSION_COOKIE, session_caller};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, web};

/// The double-submit cookie of anonymous forms.
const FORM_COOKIE: &str = "dm_form";

/// The token a record page's feedback form carries, and whether it is new (then the page
/// sets [`form_cookie`]).
pub fn form_token(req: &HttpRequest, caller: &Caller) -> (String, bool) {
    if let Some(csrf) = &caller.csrf {
        return (csrf.clone(), false);
    }
    match req.cookie(FORM_COOKIE).map(|c| c.value().to_owned()) {
        Some(v) if v.len() == 32 && v.chars().all(|c| c.is_ascii_alphanumeric()) => (v, false),
        _ => (crate::accounts::random_text(32), true),
    }
}

/// The cookie that holds an anonymous form's token.
pub fn form_cookie(token: &str) -> Cookie<'static> {
    Cookie::build(FORM_COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish()
}

/// The form as posted.
#[derive(serde::Deserialize)]
pub struct Posted {
    token: String,
    kind: String,
    message: String,
    #[serde(default)]
    contact: String,
}

/// Records feedback from the record page's form, then returns to the page.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Posted>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let form = form.into_inner();
    // A signed-in person's session (its CSRF token must match), else an anonymous visitor
    // whose form token matches its cookie.
    let session = match req.cookie(SESSION_COOKIE) {
        Some(c) => session_caller(&state.registry.log, c.value()).await?,
        None => None,
    };
    let caller = match session {
        Some(c) if c.csrf.as_deref() == Some(form.token.as_str()) => c,
        Some(_) => {
            return Err(ApiError::new(
                Code::Forbidden,
                "the form's token does not match this session; reload the page and try again",
            ));
        }
        None => {
            let cookie = req.cookie(FORM_COOKIE).map(|c| c.value().to_owned());
            if form.token.is_empty() || cookie.as_deref() != Some(form.token.as_str()) {
                return Err(ApiError::new(
                    Code::Forbidden,
                    "the form's token does not match its cookie; reload the page and try again",
                ));
            }
            Caller::default()
        }
    };
    let input = crate::api::feedback::NewFeedback {
        kind: form.kind,
        message: form.message,
        contact: Some(form.contact).filter(|c| !c.trim().is_empty()),
    };
    let peer = req.peer_addr().map(|a| a.ip());
    crate::api::feedback::report(&state, &caller, peer, &collection, &id, input).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            "Location",
            format!("/{collection}/{id}?feedback=sent#feedback"),
        ))
        .finish())
}
