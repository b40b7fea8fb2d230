//! `/manage`: an agency officer's own records (drafts and restricted ones included), and the
//! form that creates or edits a dataset, or withdraws one (R4, "through their own account").
//! A form's write goes through the same `Registry::write` as `POST /api/v1/datasets`, so the
//! same DCAT-AP rules decide; what they refuse is shown beside the field it concerns, in the
//! page's language. Every POST carries the session's CSRF token; only a signed-in editor of
//! the record's agency (or an admin) gets here.

use super::view::View;
use super::{Localised, Who};
use crate::auth::{Caller, Role, SESSION_COOKIE, session_caller};
use crate::error::{ApiError, ApiResult, Code};
use crate::i18n::{self, Lang};
use crate::records::{Provenance, WriteRecord};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Triple};
use record::{Kind, Status};
use std::collections::HashMap;
use store::StoreError;
use vocab::ns::{dcat, dct, rdf};

/// One row of the officer's list.
pub struct Row {
    /// Record id.
    pub id: String,
    /// Its page.
    pub href: String,
    /// Title.
    pub title: String,
    /// Kind label.
    pub kind: String,
    /// Status label.
    pub status: String,
    /// Access label.
    pub access: String,
    /// Last change.
    pub modified: String,
    /// Its collection (`datasets`, `dataservices`): where its form is.
    pub collection: String,
}

#[derive(Template)]
#[template(path = "manage.html")]
struct ManageHtml {
    lang: Lang,
    who: Who,
    here: String,
    agency_name: String,
    notice: Option<String>,
    records: Vec<Row>,
}

localised!(ManageHtml);

/// One field of the dataset form.
pub struct Field {
    /// Form name (and element id).
    pub name: &'static str,
    /// Label.
    pub label: String,
    /// Help under the label.
    pub hint: String,
    /// `text`, `url`, `textarea` or `select`.
    pub kind: &'static str,
    /// Current value.
    pub value: String,
    /// Choices of a select: (value, label).
    pub options: Vec<(String, String)>,
    /// Whether it must be filled.
    pub required: bool,
    /// What is wrong with it.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "dataset-form.html")]
struct FormHtml {
    lang: Lang,
    who: Who,
    here: String,
    heading: String,
    action: String,
    etag: String,
    fields: Vec<Field>,
    general: Vec<String>,
}

localised!(FormHtml);

/// The form's values, as posted (all text; empty means not given).
pub type Values = HashMap<String, String>;

const FORM_FIELDS: &[&str] = &[
    "title_vi",
    "title_en",
    "description_vi",
    "keywords",
    "theme",
    "access",
    "frequency",
    "license",
    "download_url",
    "format",
    "endpoint_url",
    "endpoint_description",
    "status",
];

/// The kind a `/manage/{collection}/…` address edits: datasets and data services.
fn kind_of(collection: &str) -> ApiResult<Kind> {
    match collection {
        "datasets" => Ok(Kind::Dataset),
        "dataservices" => Ok(Kind::DataService),
        other => Err(ApiError::new(
            Code::NotFound,
            format!("the portal's forms edit datasets and dataservices, not {other}"),
        )),
    }
}

/// The form's heading for a new record of `kind`.
fn new_heading(kind: Kind, lang: Lang) -> String {
    i18n::msg(
        if kind == Kind::DataService {
            "manage_new_service"
        } else {
            "manage_new"
        },
        lang,
    )
    .to_owned()
}

const FREQUENCIES: &[&str] = &[
    "DAILY",
    "WEEKLY",
    "MONTHLY",
    "QUARTERLY",
    "ANNUAL_2",
    "ANNUAL",
    "IRREG",
    "UPDATE_CONT",
];
const FORMATS: &[&str] = &["CSV", "JSON", "XLSX", "PDF"];
const FREQ: &str = "http://publications.europa.eu/resource/authority/frequency/";
const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
const ACCESS: &str = "http://publications.europa.eu/resource/authority/access-right/";

/// The signed-in person who may write, or the page that says why not.
fn writer(caller: &Caller) -> ApiResult<()> {
    match (caller.person.as_ref(), caller.role) {
        (None, _) => Err(ApiError::new(Code::Unauthorized, "sign in first: /signin")),
        (Some(_), Some(Role::Editor | Role::Admin)) => Ok(()),
        _ => Err(ApiError::new(
            Code::Forbidden,
            "viewer accounts cannot change records",
        )),
    }
}

/// The session behind a form's POST, with its CSRF token checked.
pub(super) async fn posting(state: &AppState, req: &HttpRequest, csrf: &str) -> ApiResult<Caller> {
    let secret = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .ok_or_else(|| ApiError::new(Code::Unauthorized, "sign in first: /signin"))?;
    let caller = session_caller(&state.registry.log, &secret)
        .await?
        .ok_or_else(|| ApiError::new(Code::Unauthorized, "the session has ended: sign in again"))?;
    if caller.csrf.as_deref() != Some(csrf) || csrf.is_empty() {
        return Err(ApiError::new(
            Code::Forbidden,
            "the form's CSRF token does not match this session; reload the page and try again",
        ));
    }
    writer(&caller)?;
    Ok(caller)
}

/// The officer's records.
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    writer(&caller)?;
    let (lang, remember) = super::page_lang(&req);
    let t = |k: &str| i18n::msg(k, lang).to_owned();
    let agency = caller.agency.clone();
    let mut records = Vec::new();
    for kind in ["dataset", "dataservice"] {
        let mut after = None;
        loop {
            let page = state
                .registry
                .log
                .list(
                    &store::log::ListFilter {
                        kind: kind.into(),
                        agency: agency.clone(),
                        statuses: vec!["draft".into(), "published".into()],
                        modified_since: None,
                        after: after.clone(),
                        limit: 500,
                    },
                    &caller.audience(),
                )
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            for r in page {
                let collection = Kind::parse(&r.kind)
                    .map(|k| k.collection())
                    .unwrap_or("datasets");
                records.push(Row {
                    href: format!("/{collection}/{}", r.id),
                    collection: collection.to_owned(),
                    title: match lang {
                        Lang::En => r.title_en.clone().or(r.title_vi.clone()),
                        Lang::Vi => r.title_vi.clone().or(r.title_en.clone()),
                    }
                    .unwrap_or_else(|| r.iri.clone()),
                    kind: t(&format!("kind_{}", r.kind)),
                    status: t(&format!("status_{}", r.status)),
                    access: t(&format!("access_{}", r.visibility)),
                    modified: record::dates::vn_day(r.modified_at),
                    id: r.id,
                });
            }
        }
    }
    let agency_name = match &agency {
        Some(code) => state
            .registry
            .log
            .agency(code)
            .await?
            .map(|a| match lang {
                Lang::En => a.name_en.unwrap_or(a.name_vi),
                Lang::Vi => a.name_vi,
            })
            .unwrap_or_else(|| code.clone()),
        None => t("manage_all_agencies"),
    };
    let notice = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "done")
        .and_then(|(_, v)| i18n::lookup(&format!("manage_done_{v}"), lang))
        .map(str::to_owned);
    let page = ManageHtml {
        lang,
        who: Who::of(&caller),
        here: super::here(&req),
        agency_name,
        notice,
        records,
    };
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    super::no_store(&mut resp);
    Ok(resp)
}

/// The form's fields with `values` and `errors`.
fn fields(
    kind: Kind,
    lang: Lang,
    values: &Values,
    errors: &HashMap<&'static str, String>,
) -> Vec<Field> {
    let t = |k: &str| i18n::msg(k, lang).to_owned();
    let v = |n: &str| values.get(n).cloned().unwrap_or_default();
    let labelled = |iri: &str| {
        record::search::label(iri, super::lang_tag(lang))
            .map(str::to_owned)
            .unwrap_or_else(|| record::search::short_label(iri))
    };
    let mut themes: Vec<(String, String)> = record::enrich::DATA_THEMES
        .iter()
        .map(|(code, _, _)| {
            let iri = format!("{}{code}", record::enrich::DATA_THEME);
            (iri.clone(), labelled(&iri))
        })
        .collect();
    themes.insert(0, (String::new(), t("form_choose")));
    let licences: Vec<(String, String)> = record::search::labels()
        .keys()
        .filter(|k| k.contains("creativecommons.org") || k.contains("opendatacommons.org"))
        .map(|k| (k.clone(), labelled(k)))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let field = |name: &'static str,
                 kind: &'static str,
                 required: bool,
                 options: Vec<(String, String)>| Field {
        name,
        label: t(&format!("form_{name}")),
        hint: i18n::lookup(&format!("form_{name}_hint"), lang)
            .unwrap_or("")
            .to_owned(),
        kind,
        value: v(name),
        options,
        required,
        error: errors.get(name).cloned(),
    };
    let access = field(
        "access",
        "select",
        true,
        ["PUBLIC", "RESTRICTED", "NON_PUBLIC"]
            .iter()
            .map(|a| (a.to_string(), t(&format!("access_{a}"))))
            .collect(),
    );
    let status = field(
        "status",
        "select",
        true,
        ["published", "draft"]
            .iter()
            .map(|s| (s.to_string(), t(&format!("status_{s}"))))
            .collect(),
    );
    let mut out = vec![
        field("title_vi", "text", true, vec![]),
        field("title_en", "text", false, vec![]),
        field("description_vi", "textarea", true, vec![]),
        field("keywords", "text", false, vec![]),
        field("theme", "select", true, themes),
        access,
    ];
    if kind == Kind::DataService {
        out.extend([
            field("license", "select", true, licences),
            field("endpoint_url", "url", true, vec![]),
            field("endpoint_description", "url", false, vec![]),
        ]);
    } else {
        out.extend([
            field(
                "frequency",
                "select",
                true,
                FREQUENCIES
                    .iter()
                    .map(|f| (f.to_string(), labelled(&format!("{FREQ}{f}"))))
                    .collect(),
            ),
            field("license", "select", true, licences),
            field("download_url", "url", false, vec![]),
            field(
                "format",
                "select",
                false,
                FORMATS
                    .iter()
                    .map(|f| (f.to_string(), f.to_string()))
                    .collect(),
            ),
        ]);
    }
    out.push(status);
    out
}

/// Checks what the form itself can (required fields, URLs, choices); the write path checks
/// the rest (DCAT-AP).
fn check(kind: Kind, values: &Values, lang: Lang) -> HashMap<&'static str, String> {
    let t = |k: &str| i18n::msg(k, lang).to_owned();
    let mut errors = HashMap::new();
    let v = |n: &str| values.get(n).map(|s| s.trim()).unwrap_or("");
    for (name, key) in [
        ("title_vi", "form_err_title"),
        ("description_vi", "form_err_description"),
    ] {
        if v(name).is_empty() {
            errors.insert(name, t(key));
        }
    }
    if v("theme").is_empty() {
        errors.insert("theme", t("form_err_theme"));
    }
    let web =
        |url: &str| url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    let urls: &[&'static str] = if kind == Kind::DataService {
        &["endpoint_url", "endpoint_description"]
    } else {
        &["download_url"]
    };
    for name in urls {
        let url = v(name);
        if !url.is_empty() && !web(url) {
            errors.insert(*name, t("form_err_url"));
        }
    }
    if kind == Kind::DataService && v("endpoint_url").is_empty() {
        errors.insert("endpoint_url", t("form_err_endpoint"));
    }
    let choices: &[(&'static str, &[&str])] = if kind == Kind::DataService {
        &[
            ("access", &["PUBLIC", "RESTRICTED", "NON_PUBLIC"]),
            ("status", &["published", "draft"]),
        ]
    } else {
        &[
            ("access", &["PUBLIC", "RESTRICTED", "NON_PUBLIC"]),
            ("frequency", FREQUENCIES),
            ("format", FORMATS),
            ("status", &["published", "draft"]),
        ]
    };
    for &(name, allowed) in choices {
        if !(allowed.contains(&v(name)) || (name == "format" && v(name).is_empty())) {
            errors.insert(name, t("form_err_choice"));
        }
    }
    for (name, value) in values {
        if value.chars().count() > 20_000
            && let Some(f) = FORM_FIELDS.iter().find(|f| *f == name)
        {
            errors.insert(f, t("form_err_long"));
        }
    }
    errors
}

/// The predicates the form manages on the record's own node; on edit, the rest of the
/// description (contact points, spatial coverage, dates, distributions, the datasets a
/// service serves…) is kept as it was.
fn managed(kind: Kind) -> Vec<oxigraph::model::NamedNodeRef<'static>> {
    let mut m = vec![
        dct::TITLE,
        dct::DESCRIPTION,
        dcat::KEYWORD,
        dcat::THEME,
        dct::ACCESS_RIGHTS,
        dct::LICENSE,
    ];
    if kind == Kind::DataService {
        m.extend([dcat::ENDPOINT_URL, dcat::ENDPOINT_DESCRIPTION]);
    } else {
        m.push(dct::ACCRUAL_PERIODICITY);
    }
    m
}

/// The form's triples about `me`.
fn triples_of(kind: Kind, me: &NamedOrBlankNode, values: &Values, new: bool) -> Vec<Triple> {
    let v = |n: &str| {
        values
            .get(n)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let text = |s: &str, lang: &str| Literal::new_language_tagged_literal_unchecked(s, lang);
    let iri = |s: &str| NamedNode::new_unchecked(s);
    if new {
        let class = if kind == Kind::DataService {
            dcat::DATA_SERVICE
        } else {
            dcat::DATASET
        };
        out.push(Triple::new(me.clone(), rdf::TYPE, class));
    }
    out.push(Triple::new(
        me.clone(),
        dct::TITLE,
        text(&v("title_vi"), "vi"),
    ));
    if !v("title_en").is_empty() {
        out.push(Triple::new(
            me.clone(),
            dct::TITLE,
            text(&v("title_en"), "en"),
        ));
    }
    out.push(Triple::new(
        me.clone(),
        dct::DESCRIPTION,
        text(&v("description_vi"), "vi"),
    ));
    for k in v("keywords")
        .split([',', ';'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        out.push(Triple::new(me.clone(), dcat::KEYWORD, text(k, "vi")));
    }
    if let Ok(theme) = NamedNode::new(v("theme")) {
        out.push(Triple::new(me.clone(), dcat::THEME, theme));
    }
    out.push(Triple::new(
        me.clone(),
        dct::ACCESS_RIGHTS,
        iri(&format!("{ACCESS}{}", v("access"))),
    ));
    if let Ok(l) = NamedNode::new(v("license")) {
        out.push(Triple::new(me.clone(), dct::LICENSE, l));
    }
    if kind == Kind::DataService {
        for (name, p) in [
            ("endpoint_url", dcat::ENDPOINT_URL),
            ("endpoint_description", dcat::ENDPOINT_DESCRIPTION),
        ] {
            if let Ok(u) = NamedNode::new(v(name)) {
                out.push(Triple::new(me.clone(), p, u));
            }
        }
        return out;
    }
    out.push(Triple::new(
        me.clone(),
        dct::ACCRUAL_PERIODICITY,
        iri(&format!("{FREQ}{}", v("frequency"))),
    ));
    if new && !v("download_url").is_empty() {
        let d = NamedOrBlankNode::BlankNode(oxigraph::model::BlankNode::default());
        let url = iri(&v("download_url"));
        out.push(Triple::new(me.clone(), dcat::DISTRIBUTION_PROP, d.clone()));
        out.push(Triple::new(d.clone(), rdf::TYPE, dcat::DISTRIBUTION));
        out.push(Triple::new(d.clone(), dcat::ACCESS_URL, url.clone()));
        out.push(Triple::new(d.clone(), dcat::DOWNLOAD_URL, url));
        if !v("format").is_empty() {
            out.push(Triple::new(
                d.clone(),
                dct::FORMAT,
                iri(&format!("{FILE_TYPE}{}", v("format"))),
            ));
            if let Ok(license) = NamedNode::new(v("license")) {
                out.push(Triple::new(d, dct::LICENSE, license));
            }
        }
    }
    out
}

/// The field a DCAT-AP finding is about, by its property path.
fn field_of(path: Option<&str>) -> Option<&'static str> {
    let p = path?;
    let local = p.trim_end_matches('>').rsplit(['/', '#', ':']).next()?;
    Some(match local {
        "title" => "title_vi",
        "description" => "description_vi",
        "keyword" => "keywords",
        "theme" => "theme",
        "accessRights" => "access",
        "accrualPeriodicity" => "frequency",
        "license" => "license",
        "distribution" | "accessURL" | "downloadURL" => "download_url",
        "format" | "mediaType" => "format",
        "endpointURL" => "endpoint_url",
        "endpointDescription" => "endpoint_description",
        _ => return None,
    })
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    kind: Kind,
    lang: Lang,
    caller: &Caller,
    here: String,
    heading: String,
    action: String,
    etag: String,
    values: &Values,
    errors: HashMap<&'static str, String>,
    general: Vec<String>,
    status: actix_web::http::StatusCode,
) -> ApiResult<HttpResponse> {
    let page = FormHtml {
        lang,
        who: Who::of(caller),
        here,
        heading,
        action,
        etag,
        fields: fields(kind, lang, values, &errors),
        general,
    };
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, false);
    *resp.status_mut() = status;
    super::no_store(&mut resp);
    Ok(resp)
}

fn defaults(kind: Kind) -> Values {
    let mut d: Values = [
        ("access", "PUBLIC"),
        ("license", "http://creativecommons.org/licenses/by/4.0/"),
        ("status", "published"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if kind == Kind::Dataset {
        d.insert("frequency".into(), "ANNUAL".into());
        d.insert("format".into(), "CSV".into());
    }
    d
}

/// The empty form.
pub async fn new_form(
    caller: Caller,
    req: HttpRequest,
    collection: web::Path<String>,
) -> ApiResult<HttpResponse> {
    writer(&caller)?;
    let kind = kind_of(&collection)?;
    let (lang, _) = super::page_lang(&req);
    form_page(
        kind,
        lang,
        &caller,
        super::here(&req),
        new_heading(kind, lang),
        format!("/manage/{collection}/new"),
        String::new(),
        &defaults(kind),
        HashMap::new(),
        Vec::new(),
        actix_web::http::StatusCode::OK,
    )
}

/// The form filled from a record's current version.
pub async fn edit_form(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    writer(&caller)?;
    let (collection, id) = path.into_inner();
    let kind = kind_of(&collection)?;
    let (lang, _) = super::page_lang(&req);
    let rec = crate::api::records::readable(&state, &caller, kind, &id).await?;
    caller.require_editor_of(&rec.agency)?;
    let v = state.registry.log.current_version(&rec).await?;
    let triples = record::parse_canonical(&v.canonical);
    let view = View::new(&triples, Lang::Vi);
    let me = NamedOrBlankNode::NamedNode(NamedNode::new(&rec.iri).map_err(ApiError::internal)?);
    let text_in = |p, l: &str| {
        view.texts(&me, p)
            .into_iter()
            .find(|(tag, _)| tag == l)
            .map(|(_, t)| t)
            .unwrap_or_default()
    };
    let code = |p, prefix: &str| {
        view.iris(&me, p)
            .into_iter()
            .find_map(|i| i.strip_prefix(prefix).map(str::to_owned))
            .unwrap_or_default()
    };
    let mut values = defaults(kind);
    values.insert("title_vi".into(), text_in(dct::TITLE, "vi"));
    values.insert("title_en".into(), text_in(dct::TITLE, "en"));
    values.insert("description_vi".into(), text_in(dct::DESCRIPTION, "vi"));
    values.insert(
        "keywords".into(),
        view.texts(&me, dcat::KEYWORD)
            .into_iter()
            .filter(|(l, _)| l == "vi")
            .map(|(_, k)| k)
            .collect::<Vec<_>>()
            .join(", "),
    );
    values.insert(
        "theme".into(),
        view.iris(&me, dcat::THEME)
            .into_iter()
            .next()
            .unwrap_or_default(),
    );
    values.insert("access".into(), rec.visibility.clone());
    let freq = code(dct::ACCRUAL_PERIODICITY, FREQ);
    if !freq.is_empty() {
        values.insert("frequency".into(), freq);
    }
    if let Some(l) = view.iris(&me, dct::LICENSE).into_iter().next() {
        values.insert("license".into(), l);
    }
    for (name, p) in [
        ("endpoint_url", dcat::ENDPOINT_URL),
        ("endpoint_description", dcat::ENDPOINT_DESCRIPTION),
    ] {
        if let Some(u) = view.iris(&me, p).into_iter().next() {
            values.insert(name.into(), u);
        }
    }
    values.insert("status".into(), rec.status.clone());
    form_page(
        kind,
        lang,
        &caller,
        super::here(&req),
        format!("{}: {}", i18n::msg("manage_edit", lang), values["title_vi"]),
        format!("/manage/{collection}/{}/edit", rec.id),
        rec.etag(),
        &values,
        HashMap::new(),
        Vec::new(),
        actix_web::http::StatusCode::OK,
    )
}

/// Creates (no `id`) or replaces a dataset or data service from the posted form.
async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    kind: Kind,
    id: Option<String>,
    form: web::Form<Values>,
) -> ApiResult<HttpResponse> {
    let values = form.into_inner();
    let caller = posting(
        &state,
        &req,
        values.get("csrf").map(String::as_str).unwrap_or(""),
    )
    .await?;
    let (lang, _) = super::page_lang(&req);
    let collection = kind.collection();
    let heading = match &id {
        None => new_heading(kind, lang),
        Some(_) => format!(
            "{}: {}",
            i18n::msg("manage_edit", lang),
            values.get("title_vi").cloned().unwrap_or_default()
        ),
    };
    let action = match &id {
        None => format!("/manage/{collection}/new"),
        Some(i) => format!("/manage/{collection}/{i}/edit"),
    };
    let etag = values.get("etag").cloned().unwrap_or_default();
    let again = |errors: HashMap<&'static str, String>, general: Vec<String>| {
        form_page(
            kind,
            lang,
            &caller,
            action.clone(),
            heading.clone(),
            action.clone(),
            etag.clone(),
            &values,
            errors,
            general,
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let errors = check(kind, &values, lang);
    if !errors.is_empty() {
        return again(errors, Vec::new());
    }
    let (triples, agency) = match &id {
        None => {
            let me = NamedOrBlankNode::NamedNode(NamedNode::new_unchecked("urn:danhmuc:form:new"));
            let agency = caller.agency.clone().ok_or_else(|| {
                ApiError::new(
                    Code::Forbidden,
                    "an account without an agency cannot create records",
                )
            })?;
            (triples_of(kind, &me, &values, true), agency)
        }
        Some(i) => {
            let rec = crate::api::records::readable(&state, &caller, kind, i).await?;
            caller.require_editor_of(&rec.agency)?;
            let v = state.registry.log.current_version(&rec).await?;
            let managed = managed(kind);
            let me =
                NamedOrBlankNode::NamedNode(NamedNode::new(&rec.iri).map_err(ApiError::internal)?);
            let mut kept: Vec<Triple> = state
                .registry
                .enricher
                .as_said(record::parse_canonical(&v.canonical))
                .into_iter()
                .filter(|t| {
                    !(t.subject == me && managed.iter().any(|p| t.predicate.as_ref() == *p))
                })
                .collect();
            kept.extend(triples_of(kind, &me, &values, false));
            (kept, rec.agency)
        }
    };
    let status = if values.get("status").map(String::as_str) == Some("draft") {
        Status::Draft
    } else {
        Status::Published
    };
    let prov = Provenance {
        author: caller.author(),
        source: "portal".into(),
    };
    let written = state
        .registry
        .write(
            vec![WriteRecord {
                kind,
                id: id.clone(),
                triples,
                agency,
                status: Some(status),
                if_match: id.as_ref().map(|_| etag.clone()),
                source_id: None,
            }],
            &prov,
        )
        .await;
    match written {
        Ok(_) => {
            let done = if id.is_some() { "saved" } else { "created" };
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", format!("/manage?done={done}")))
                .finish())
        }
        Err(StoreError::Shapes { findings, .. }) => {
            let mut by_field: HashMap<&'static str, String> = HashMap::new();
            let mut general = Vec::new();
            for f in findings {
                let message = match lang {
                    Lang::Vi => f.message_vi.clone(),
                    Lang::En => f.message_en.clone(),
                };
                match field_of(f.path.as_deref()) {
                    Some(field) => {
                        by_field
                            .entry(field)
                            .and_modify(|m| {
                                m.push_str("; ");
                                m.push_str(&message);
                            })
                            .or_insert(message);
                    }
                    None => general.push(message),
                }
            }
            general.insert(0, i18n::msg("form_err_shapes", lang).to_owned());
            again(by_field, general)
        }
        Err(StoreError::Stale { .. }) => again(
            HashMap::new(),
            vec![i18n::msg("form_err_stale", lang).to_owned()],
        ),
        Err(e) => {
            let e = ApiError::from(e);
            if e.code == Code::Internal {
                return Err(e);
            }
            again(HashMap::new(), vec![e.detail])
        }
    }
}

/// Saves a new record.
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    collection: web::Path<String>,
    form: web::Form<Values>,
) -> ApiResult<HttpResponse> {
    let kind = kind_of(&collection)?;
    save(state, req, kind, None, form).await
}

/// Saves an edited record.
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Values>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let kind = kind_of(&collection)?;
    save(state, req, kind, Some(id), form).await
}

/// Withdraws a dataset or data service (its history remains).
pub async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Values>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let kind = kind_of(&collection)?;
    let caller = posting(
        &state,
        &req,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )
    .await?;
    let rec = crate::api::records::readable(&state, &caller, kind, &id).await?;
    caller.require_editor_of(&rec.agency)?;
    let prov = Provenance {
        author: caller.author(),
        source: "portal".into(),
    };
    state.registry.withdraw(kind, &rec.id, None, &prov).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/manage?done=withdrawn"))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_land_beside_their_fields() {
        assert_eq!(
            field_of(Some("<http://purl.org/dc/terms/title>")),
            Some("title_vi")
        );
        assert_eq!(field_of(Some("dct:description")), Some("description_vi"));
        assert_eq!(
            field_of(Some("http://www.w3.org/ns/dcat#accessURL")),
            Some("download_url")
        );
        assert_eq!(field_of(Some("http://example/other")), None);
        assert_eq!(field_of(None), None);
    }

    #[test]
    fn the_form_refuses_what_it_can_see_is_wrong_in_vietnamese() {
        let mut v = defaults(Kind::Dataset);
        v.insert("download_url".into(), "javascript:alert(1)".into());
        v.insert("access".into(), "SECRET".into());
        let e = check(Kind::Dataset, &v, Lang::Vi);
        assert!(e["title_vi"].contains("tên"), "{e:?}");
        assert!(e.contains_key("description_vi") && e.contains_key("theme"));
        assert!(e.contains_key("download_url") && e.contains_key("access"));
        v.insert("title_vi".into(), "Danh sách chợ".into());
        v.insert("description_vi".into(), "Chợ truyền thống".into());
        v.insert(
            "theme".into(),
            format!("{}ECON", record::enrich::DATA_THEME),
        );
        v.insert("download_url".into(), "https://example.vn/cho.csv".into());
        v.insert("access".into(), "PUBLIC".into());
        assert!(check(Kind::Dataset, &v, Lang::Vi).is_empty());
    }

    #[test]
    fn a_service_needs_a_web_endpoint_and_no_frequency() {
        let mut v = defaults(Kind::DataService);
        assert!(!v.contains_key("frequency"));
        v.insert("title_vi".into(), "Dịch vụ tra cứu giá đất".into());
        v.insert("description_vi".into(), "API tra cứu bảng giá đất.".into());
        v.insert(
            "theme".into(),
            format!("{}ECON", record::enrich::DATA_THEME),
        );
        let e = check(Kind::DataService, &v, Lang::Vi);
        assert_eq!(e.keys().collect::<Vec<_>>(), vec![&"endpoint_url"], "{e:?}");
        v.insert("endpoint_url".into(), "ftp://example.vn/api".into());
        assert!(check(Kind::DataService, &v, Lang::Vi).contains_key("endpoint_url"));
        v.insert(
            "endpoint_url".into(),
            "https://api.tayninh.gov.vn/gia-dat".into(),
        );
        assert!(check(Kind::DataService, &v, Lang::Vi).is_empty());
        let me = NamedOrBlankNode::NamedNode(NamedNode::new_unchecked("urn:x"));
        let t = triples_of(Kind::DataService, &me, &v, true);
        assert!(t.iter().any(|t| t.object == dcat::DATA_SERVICE.into()));
        assert!(t.iter().any(|t| t.predicate == dcat::ENDPOINT_URL));
        assert!(!t.iter().any(|t| t.predicate == dct::ACCRUAL_PERIODICITY));
        let names: Vec<&str> = fields(Kind::DataService, Lang::Vi, &v, &HashMap::new())
            .iter()
            .map(|f| f.name)
            .collect();
        assert!(names.contains(&"endpoint_url") && !names.contains(&"frequency"));
    }
}
