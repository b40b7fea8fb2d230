//! Pages for people: server-rendered HTML from compile-checked templates (askama), Vietnamese
//! first with English on request, no script or asset from elsewhere. The portal proper grows
//! here (search, record pages, the officers' forms); today it is the home page that tells a
//! visitor what the registry holds and where every channel is, and the error-code pages every
//! problem+json `type` points to.

/// `Localised` for a page struct with the usual `lang`, `who` and `here` fields.
macro_rules! localised {
    ($page:ty) => {
        impl super::Localised for $page {
            fn lang(&self) -> crate::i18n::Lang {
                self.lang
            }
            fn who(&self) -> &super::Who {
                &self.who
            }
            fn here(&self) -> &str {
                &self.here
            }
        }
    };
}

mod account;
mod agency;
mod catalogue;
mod dashboard;
mod errors;
mod feedback;
mod harvest;
mod home;
mod manage;
pub mod record;
mod search;
mod sparql;
mod view;

pub use errors::html_errors;

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

/// Who a page is for, as its header shows it: the person signed in (and the CSRF token the
/// sign-out form carries), or nobody.
#[derive(Debug, Clone, Default)]
pub struct Who {
    /// The signed-in person's e-mail.
    pub person: Option<String>,
    /// Their session's CSRF token.
    pub csrf: String,
}

impl Who {
    /// The person behind a caller (none for tokens and anonymous visitors).
    pub fn of(caller: &crate::auth::Caller) -> Who {
        Who {
            person: caller.person.clone(),
            csrf: caller.csrf.clone().unwrap_or_default(),
        }
    }
}

/// This request's path and query: what a page's language switch and forms point back to.
pub fn here(req: &HttpRequest) -> String {
    req.uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| req.path().to_owned())
}

/// Every agency's name in `lang` (English falls back to Vietnamese), by code: what result
/// lists, facets and tables show beside a record.
pub async fn agency_names(
    state: &crate::state::AppState,
    lang: Lang,
) -> Result<std::collections::HashMap<String, String>, store::StoreError> {
    Ok(state
        .registry
        .log
        .agencies()
        .await?
        .into_iter()
        .map(|a| {
            let name = match lang {
                Lang::En => a.name_en.unwrap_or(a.name_vi),
                Lang::Vi => a.name_vi,
            };
            (a.code, name)
        })
        .collect())
}

/// What every page template asks of its data: the page's language, and texts from the one
/// message catalogue in it.
pub trait Localised {
    /// The page's language.
    fn lang(&self) -> Lang;
    /// Who the page is for.
    fn who(&self) -> &Who;
    /// The signed-in person's e-mail, for the header.
    fn person(&self) -> Option<&str> {
        self.who().person.as_deref()
    }
    /// The CSRF token of the signed-in person's forms.
    fn csrf(&self) -> &str {
        &self.who().csrf
    }
    /// This page's path and query, for the language switch.
    fn here(&self) -> &str {
        "/"
    }
    /// This page in the other language (`lang` replaced in the query).
    fn switch_href(&self) -> String {
        let here = self.here();
        let (path, query) = here.split_once('?').unwrap_or((here, ""));
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            if k != "lang" {
                s.append_pair(&k, &v);
            }
        }
        s.append_pair("lang", self.other_lang());
        format!("{path}?{}", s.finish())
    }
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

/// Marks a page that must not be kept by browsers or proxies: a signed-in person's pages,
/// forms with tokens, error pages.
pub fn no_store(resp: &mut HttpResponse) {
    resp.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
}

async fn site_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(SITE_CSS)
}

/// A demo service's endpoint description (crate::demo_openapi::DESCRIPTIONS), for people and
/// clients reading the demo's services; unknown names are 404 problem+json.
async fn demo_description(file: web::Path<String>) -> Result<HttpResponse, crate::error::ApiError> {
    let (media, body) = crate::demo_openapi::description_file(&file).ok_or_else(|| {
        crate::error::ApiError::new(
            crate::error::Code::NotFound,
            format!("no demo endpoint description named {file}"),
        )
    })?;
    Ok(HttpResponse::Ok()
        .content_type(format!("{media}; charset=utf-8"))
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(body))
}

/// Requests for a record's address that a page answers: a browser's (`text/html` preferred),
/// without a syntax suffix (`/datasets/{id}.ttl` is never a page).
fn page_guard() -> impl actix_web::guard::Guard {
    actix_web::guard::fn_guard(|ctx| {
        !ctx.head()
            .uri
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .contains('.')
            && record::wants_html(
                ctx.head()
                    .headers()
                    .get("accept")
                    .and_then(|v| v.to_str().ok()),
            )
    })
}

/// `GET /sparql` as a page, for browsers (a request that prefers HTML and names no download
/// `format=`); SPARQL clients keep the protocol endpoint. Registered before the endpoint.
pub fn sparql_page_route() -> actix_web::Route {
    web::get()
        .guard(actix_web::guard::fn_guard(|ctx| {
            let q = ctx.head().uri.query().unwrap_or("");
            !url::form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "format")
                && record::wants_html(
                    ctx.head()
                        .headers()
                        .get("accept")
                        .and_then(|v| v.to_str().ok()),
                )
        }))
        .to(sparql::page)
}

/// Mounts the pages (not part of the OpenAPI document: they are for browsers).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home))
        .route("/search", web::get().to(search::page))
        .route("/agencies", web::get().to(agency::list))
        .route("/signin", web::get().to(account::form))
        .route("/signin", web::post().to(account::submit))
        .route("/signout", web::post().to(account::sign_out))
        .route("/manage", web::get().to(manage::list))
        .route(
            "/manage/{collection:datasets|dataservices}/new",
            web::get().to(manage::new_form),
        )
        .route(
            "/manage/{collection:datasets|dataservices}/new",
            web::post().to(manage::create),
        )
        .route(
            "/manage/{collection:datasets|dataservices}/{id}/edit",
            web::get().to(manage::edit_form),
        )
        .route(
            "/manage/{collection:datasets|dataservices}/{id}/edit",
            web::post().to(manage::update),
        )
        .route(
            "/manage/{collection:datasets|dataservices}/{id}/withdraw",
            web::post().to(manage::withdraw),
        )
        .route("/manage/harvest", web::get().to(harvest::list))
        .route("/manage/harvest/{id}/run", web::post().to(harvest::run))
        .route("/manage/harvest/jobs/{id}", web::get().to(harvest::job))
        .route("/database-catalogue", web::get().to(catalogue::page))
        .route("/dashboard", web::get().to(dashboard::page))
        .route(
            "/dashboard/requests/{id}/{verdict}",
            web::post().to(dashboard::decide),
        )
        .route(
            "/agencies/{code}",
            web::get().guard(page_guard()).to(agency::page),
        )
        .route(
            "/{collection:datasets|dataservices|catalogs}/{id}",
            web::get().guard(page_guard()).to(record::page),
        )
        .route(
            "/{collection:datasets|dataservices}/{id}/feedback",
            web::post().to(feedback::submit),
        )
        .route("/assets/site.css", web::get().to(site_css))
        .route("/errors", web::get().to(errors::index))
        .route("/errors/{code}", web::get().to(errors::page))
        .route("/demo/openapi/{file}", web::get().to(demo_description));
}

#[cfg(test)]
mod tests {
    /// Every `t("key")` in a template is in the message catalogue in both languages, so no
    /// page shows a bare key.
    #[test]
    fn every_text_a_template_asks_for_is_in_the_catalogue() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut asked = 0;
        for entry in std::fs::read_dir(&dir).expect("templates") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("template");
            for part in text.split("t(\"").skip(1) {
                let key = part.split('"').next().expect("key");
                asked += 1;
                for lang in [crate::i18n::Lang::Vi, crate::i18n::Lang::En] {
                    assert!(
                        crate::i18n::lookup(key, lang).is_some(),
                        "{}: no {lang:?} text for {key}",
                        path.display()
                    );
                }
            }
        }
        assert!(
            asked > 20,
            "only {asked} texts found: is the pattern right?"
        );
    }
}
