//! Pages for people: server-rendered HTML from compile-checked templates (askama), Vietnamese
//! first with English on request, no script or asset from elsewhere. The portal proper grows
//! here (search, record pages, the officers' forms); today it is the home page that tells a
//! visitor what the registry holds and where every channel is, and the error-code pages every
//! problem+json `type` points to.

mod errors;
mod home;

use crate::i18n::Lang;
use actix_web::{HttpRequest, HttpResponse, web};

/// The stylesheet, vendored in the binary.
const SITE_CSS: &str = include_str!("../../assets/site.css");

/// The language of a page: `?lang=` first (and remembered in a cookie), then the cookie, then
/// `Accept-Language`, else Vietnamese.
pub fn page_lang(req: &HttpRequest) -> (Lang, bool) {
    let asked = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    let from = |v: &str| match v {
        "en" => Some(Lang::En),
        "vi" => Some(Lang::Vi),
        _ => None,
    };
    if let Some(l) = asked.as_deref().and_then(from) {
        return (l, true);
    }
    if let Some(l) = req.cookie("lang").and_then(|c| from(c.value())) {
        return (l, false);
    }
    (
        Lang::from_accept_language(crate::api::header(req, "accept-language")),
        false,
    )
}

/// What every page template asks of its data: the page's language, and texts from the one
/// message catalogue in it.
pub trait Localised {
    /// The page's language.
    fn lang(&self) -> Lang;
    /// The catalogue's text for `key`.
    fn t(&self, key: &'static str) -> &'static str {
        crate::i18n::msg(key, self.lang())
    }
    /// The `lang` attribute of the page.
    fn lang_tag(&self) -> &'static str {
        lang_tag(self.lang())
    }
    /// The other language, for the switch.
    fn other_lang(&self) -> &'static str {
        match self.lang() {
            Lang::Vi => "en",
            Lang::En => "vi",
        }
    }
}

/// `lang` attribute value.
pub fn lang_tag(l: Lang) -> &'static str {
    match l {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// An HTML answer in `lang`, remembering an explicit choice.
pub fn html(body: String, lang: Lang, remember: bool) -> HttpResponse {
    let mut r = HttpResponse::Ok();
    r.content_type("text/html; charset=utf-8")
        .insert_header(("Content-Language", lang_tag(lang)))
        .insert_header(("Vary", "Accept-Language, Cookie"));
    if remember {
        r.cookie(
            actix_web::cookie::Cookie::build("lang", lang_tag(lang))
                .path("/")
                .same_site(actix_web::cookie::SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::days(365))
                .finish(),
        );
    }
    r.body(body)
}

async fn site_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(SITE_CSS)
}

/// Mounts the pages (not part of the OpenAPI document: they are for browsers).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home))
        .route("/assets/site.css", web::get().to(site_css))
        .route("/errors", web::get().to(errors::index))
        .route("/errors/{code}", web::get().to(errors::page));
}
