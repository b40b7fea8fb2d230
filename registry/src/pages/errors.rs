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
