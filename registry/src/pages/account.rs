//! Signing in and out on the portal (crate::accounts keeps the rules). The sign-in form is
//! protected against login CSRF by a double-submit token (a cookie scoped to `/signin` and the
//! same value in the form); sign-out is a POST carrying the session's own CSRF token. The
//! session cookie is HttpOnly, SameSite=Lax, Secure when the registry is served over HTTPS.

use super::{Localised, Who};
use crate::accounts::{self, Refused, SESSION_COOKIE};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use rand::Rng;

/// The sign-in form's double-submit cookie.
const FORM_COOKIE: &str = "dm_signin";

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInHtml {
    lang: Lang,
    who: Who,
    here: String,
    error: Option<String>,
    form_csrf: String,
    next: String,
    email: String,
}

localised!(SignInHtml);

/// What the sign-in form posts.
#[derive(Debug, serde::Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: String,
}

/// What the sign-out form posts.
#[derive(Debug, serde::Deserialize)]
pub struct SignOutForm {
    csrf: String,
}

/// Where to go after signing in: a path of this site only (never `//host` or a URL).
fn local_next(next: &str) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.contains(['\r', '\n'])
    {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

fn secure(state: &AppState) -> bool {
    state.registry.base.starts_with("https://")
}

fn form_token() -> String {
    hex::encode(rand::rng().random::<[u8; 16]>())
}

fn render(
    page: SignInHtml,
    status: StatusCode,
    cookie: Option<Cookie<'static>>,
    remember: bool,
) -> ApiResult<HttpResponse> {
    let lang = page.lang;
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    *resp.status_mut() = status;
    super::no_store(&mut resp);
    if let Some(c) = cookie {
        resp.add_cookie(&c).map_err(ApiError::internal)?;
    }
    Ok(resp)
}

fn form_cookie(state: &AppState, value: &str) -> Cookie<'static> {
    Cookie::build(FORM_COOKIE, value.to_owned())
        .path("/signin")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure(state))
        .max_age(Duration::hours(1))
        .finish()
}

/// The sign-in form.
pub async fn form(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let next = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| local_next(&v))
        .unwrap_or_else(|| "/".to_owned());
    let token = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 32)
        .unwrap_or_else(form_token);
    let cookie = form_cookie(&state, &token);
    render(
        SignInHtml {
            lang,
            who: Who::of(&caller),
            here: "/signin".into(),
            error: None,
            form_csrf: token,
            next,
            email: String::new(),
        },
        StatusCode::OK,
        Some(cookie),
        remember,
    )
}

/// Checks the form and signs in.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignInForm>,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let form = form.into_inner();
    let expected = req.cookie(FORM_COOKIE).map(|c| c.value().to_owned());
    let retry = |error: String, status: StatusCode| {
        let token = form_token();
        render(
            SignInHtml {
                lang,
                who: Who::default(),
                here: "/signin".into(),
                error: Some(error),
                form_csrf: token.clone(),
                next: local_next(&form.next),
                email: form.email.clone(),
            },
            status,
            Some(form_cookie(&state, &token)),
            remember,
        )
    };
    if expected.as_deref() != Some(form.csrf.as_str()) || form.csrf.is_empty() {
        return retry(
            i18n::msg("signin_expired", lang).to_owned(),
            StatusCode::FORBIDDEN,
        );
    }
    if form.email.len() > 254 || form.password.len() > 1024 {
        return retry(
            i18n::msg("signin_wrong", lang).to_owned(),
            StatusCode::UNAUTHORIZED,
        );
    }
    match accounts::sign_in(&state.registry.log, &form.email, &form.password).await? {
        Ok(session) => {
            let cookie = Cookie::build(SESSION_COOKIE, session.secret)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure(&state))
                .max_age(Duration::hours(accounts::SESSION_HOURS))
                .finish();
            let mut gone = Cookie::build(FORM_COOKIE, "").path("/signin").finish();
            gone.make_removal();
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", local_next(&form.next)))
                .insert_header(("Cache-Control", "no-store"))
                .cookie(cookie)
                .cookie(gone)
                .finish())
        }
        Err(Refused::Wrong) => retry(
            i18n::msg("signin_wrong", lang).to_owned(),
            StatusCode::UNAUTHORIZED,
        ),
        Err(Refused::Locked(_)) => retry(
            i18n::msg("signin_locked", lang).to_owned(),
            StatusCode::UNAUTHORIZED,
        ),
    }
}

/// Signs out: ends the session when the form carries its CSRF token.
pub async fn sign_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignOutForm>,
) -> ApiResult<HttpResponse> {
    let secret = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
    let Some(secret) = secret else {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", "/"))
            .finish());
    };
    let caller = crate::auth::session_caller(&state.registry.log, &secret).await?;
    match caller {
        Some(c) if c.csrf.as_deref() == Some(form.csrf.as_str()) => {
            accounts::sign_out(&state.registry.log, &secret).await?;
            let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
            gone.make_removal();
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", "/"))
                .cookie(gone)
                .finish())
        }
        Some(_) => Err(ApiError::new(
            crate::error::Code::Forbidden,
            "the form's CSRF token does not match this session; reload the page and try again",
        )),
        None => Ok(HttpResponse::SeeOther()
            .insert_header(("Location", "/"))
            .finish()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_signing_in_only_paths_of_this_site_are_followed() {
        assert_eq!(local_next("/search?q=x"), "/search?q=x");
        assert_eq!(local_next("//evil.example/"), "/");
        assert_eq!(local_next("https://evil.example/"), "/");
        assert_eq!(local_next("/\\evil.example"), "/");
        assert_eq!(local_next("/a\r\nSet-Cookie: x=1"), "/");
        assert_eq!(local_next(""), "/");
    }
}
