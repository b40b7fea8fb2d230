//! `/errors` and `/errors/{code}`: what each problem+json code means and what to do about it,
//! in Vietnamese and English from the message catalogue. Every problem's `type` is the IRI of
//! one of these pages, so a client or a person following it gets the explanation.

use super::Localised;
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

/// One code as the pages show it.
pub struct Entry {
    /// snake_case code.
    pub code: String,
    /// HTTP status.
    pub status: u16,
    /// Title in the page's language.
    pub title: &'static str,
    /// What it means and what to do, in the page's language.
    pub help: &'static str,
}

fn entry(code: Code, lang: Lang) -> Entry {
    let name = code.as_str();
    // Both are in the catalogue for every code (a unit test below says so).
    let title = i18n::lookup(&name, lang).unwrap_or_default();
    let help = i18n::lookup(&format!("{name}_help"), lang).unwrap_or_default();
    Entry {
        code: name,
        status: code.status().as_u16(),
        title,
        help,
    }
}

#[derive(Template)]
#[template(path = "errors.html")]
struct ErrorsPage {
    lang: Lang,
    who: super::Who,
    /// The one code shown, or none for the index.
    one: Option<Entry>,
    all: Vec<Entry>,
    /// This page's path, for the language switch.
    path: String,
}

impl Localised for ErrorsPage {
    fn lang(&self) -> Lang {
        self.lang
    }
    fn who(&self) -> &super::Who {
        &self.who
    }
    fn here(&self) -> &str {
        &self.path
    }
}

fn render(page: ErrorsPage, remember: bool) -> ApiResult<HttpResponse> {
    let lang = page.lang;
    let body = page.render().map_err(ApiError::internal)?;
    Ok(super::html(body, lang, remember))
}

/// `GET /errors`: every code with its status and title.
pub async fn index(caller: crate::auth::Caller, req: HttpRequest) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let all = Code::ALL.iter().map(|c| entry(*c, lang)).collect();
    render(
        ErrorsPage {
            lang,
            who: super::Who::of(&caller),
            one: None,
            all,
            path: "/errors".into(),
        },
        remember,
    )
}

/// `GET /errors/{code}`: one code, what it means and what to do.
pub async fn page(
    caller: crate::auth::Caller,
    req: HttpRequest,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (lang, remember) = super::page_lang(&req);
    let found = Code::from_name(&code).ok_or_else(|| {
        ApiError::new(
            Code::NotFound,
            format!("no error code '{code}'; /errors lists them"),
        )
    })?;
    render(
        ErrorsPage {
            lang,
            who: super::Who::of(&caller),
            one: Some(entry(found, lang)),
            all: Vec::new(),
            path: format!("/errors/{}", found.as_str()),
        },
        remember,
    )
}

/// An error as a page, for a browser: the code's title and what to do, in the page's
/// language, the server's own detail beside it, and the way on.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorHtml {
    lang: Lang,
    who: super::Who,
    here: String,
    status: u16,
    code: String,
    title: String,
    help: String,
    detail: String,
    signin: Option<String>,
}

localised!(ErrorHtml);

/// Whether an answer to this request is read by a person: a browser's request (HTML
/// preferred) anywhere but the machine interfaces under `/api/`, whose clients get
/// problem+json whatever they accept.
fn for_a_person(req: &actix_web::dev::ServiceRequest) -> bool {
    !req.path().starts_with("/api/")
        && super::record::wants_html(req.headers().get("accept").and_then(|v| v.to_str().ok()))
}

/// Middleware: a problem+json answer to a browser becomes the same error as a page (same
/// status and headers), so a person who follows a dead link, opens a withdrawn record or
/// sends a form without a session reads what happened in Vietnamese or English, with the
/// site's header and a way on. Machines keep problem+json.
pub async fn html_errors(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let person = for_a_person(&req);
    let (lang, _) = super::page_lang(req.request());
    let here = super::here(req.request());
    let session = req
        .cookie(crate::auth::SESSION_COOKIE)
        .map(|c| c.value().to_owned());
    let state = req.app_data::<web::Data<crate::state::AppState>>().cloned();
    let res = next.call(req).await?;
    let problem = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !person || !problem || res.status().as_u16() < 400 {
        return Ok(res.map_into_boxed_body());
    }
    let (http_req, res) = res.into_parts();
    let status = res.status();
    let mut headers = res.headers().clone();
    let body = match actix_web::body::to_bytes_limited(res.into_body(), 256 * 1024).await {
        Ok(Ok(b)) => b,
        _ => bytes::Bytes::new(),
    };
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let code = problem["type"]
        .as_str()
        .and_then(|t| t.rsplit('/').next())
        .and_then(Code::from_name)
        .unwrap_or(if status.is_server_error() {
            Code::Internal
        } else {
            Code::BadRequest
        });
    let shown = entry(code, lang);
    let who = match (session, state) {
        (Some(secret), Some(state)) => crate::auth::session_caller(&state.registry.log, &secret)
            .await
            .ok()
            .flatten()
            .map(|c| super::Who::of(&c))
            .unwrap_or_default(),
        _ => super::Who::default(),
    };
    let signin = (status.as_u16() == 401).then(|| {
        format!(
            "/signin?{}",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("next", &here)
                .finish()
        )
    });
    let page = ErrorHtml {
        lang,
        who,
        here,
        status: status.as_u16(),
        code: shown.code,
        title: shown.title.to_owned(),
        help: shown.help.to_owned(),
        detail: problem["detail"].as_str().unwrap_or_default().to_owned(),
        signin,
    };
    let html = page.render().map_err(ApiError::internal)?;
    headers.remove(actix_web::http::header::CONTENT_LENGTH);
    let mut resp = super::html(html, lang, false);
    *resp.status_mut() = status;
    for (name, value) in headers.iter() {
        if name != actix_web::http::header::CONTENT_TYPE {
            resp.headers_mut().insert(name.clone(), value.clone());
        }
    }
    super::no_store(&mut resp);
    Ok(actix_web::dev::ServiceResponse::new(http_req, resp).map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_title_and_an_explanation_in_both_languages() {
        for code in Code::ALL {
            for lang in [Lang::Vi, Lang::En] {
                let e = entry(*code, lang);
                assert!(!e.title.is_empty(), "{} title", e.code);
                assert!(e.help.len() > 20, "{} help", e.code);
            }
            assert_eq!(Code::from_name(&code.as_str()), Some(*code));
        }
        assert_ne!(
            entry(Code::NotFound, Lang::Vi).help,
            entry(Code::NotFound, Lang::En).help
        );
    }

    #[test]
    fn the_documented_codes_are_the_codes() {
        let doc = include_str!("../../../docs/errors.md");
        let documented: std::collections::BTreeSet<String> = doc
            .split("<a id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_owned)
            .collect();
        let codes: std::collections::BTreeSet<String> =
            Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(documented, codes);
    }
}
