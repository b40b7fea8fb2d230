//! A record's page: `/datasets/{id}`, `/dataservices/{id}`, `/catalogs/{id}` for a browser
//! (content negotiation sends RDF clients their syntax; `Accept: text/html` preferred gets
//! this). What the caller may read is decided by the same `readable` as every other channel;
//! the history shows only the versions they could read, diffed against each other.

use super::Localised;
use super::view::{View, size};
use crate::api::records::{readable, visible_history};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::{NamedNode, NamedOrBlankNode};
use record::Kind;
use vocab::ns::{dcat, dct, vcard};

/// A value in the facts list, linked when it has somewhere to go.
pub struct Fact {
    /// What a person reads.
    pub label: String,
    /// Where it leads (a search, the IRI).
    pub href: Option<String>,
}

/// A distribution row.
pub struct Dist {
    /// Its title (or the record's format when it has none).
    pub title: String,
    /// Format or media type label.
    pub format: String,
    /// Size for people.
    pub size: String,
    /// Direct download.
    pub download: Option<String>,
    /// Access page or service.
    pub access: Option<String>,
}

/// The quality box.
pub struct Quality {
    /// MQA score.
    pub score: i64,
    /// Highest possible.
    pub max: i64,
    /// No SHACL violation.
    pub conforms: bool,
    /// (severity, message in the page's language).
    pub findings: Vec<(String, String)>,
}

/// One version in the timeline.
pub struct Version {
    /// Number.
    pub version: i64,
    /// dd/mm/yyyy hh:mm (Vietnam).
    pub at: String,
    /// RFC 3339.
    pub at_iso: String,
    /// Where it came from.
    pub source: String,
    /// Status after it.
    pub status: String,
    /// Triples added.
    pub added: Vec<String>,
    /// Triples removed.
    pub removed: Vec<String>,
}

/// One piece of public feedback as the record page shows it.
pub struct FeedbackShown {
    /// Kind, in the page's language.
    pub kind: String,
    /// What the reporter said.
    pub message: String,
    /// State, in the page's language.
    pub state: String,
    /// Reported, dd/mm/yyyy.
    pub day: String,
    /// The agency's answer.
    pub answer: Option<String>,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordHtml {
    lang: Lang,
    who: super::Who,
    here: String,
    iri: String,
    kind_label: String,
    access_label: String,
    access_class: &'static str,
    status_label: String,
    title: String,
    description: Vec<String>,
    agency_code: String,
    agency_name: String,
    facts: Vec<(String, Vec<Fact>)>,
    dates: Vec<(String, String, String)>,
    distributions: Vec<Dist>,
    endpoints: Vec<(String, String)>,
    quality: Option<Quality>,
    cite_vi: String,
    cite_apa: String,
    syntaxes: Vec<(&'static str, String, &'static str)>,
    describe: String,
    history_api: String,
    history: Vec<Version>,
    schema_org: Option<String>,
    feedback: Vec<FeedbackShown>,
    feedback_action: Option<String>,
    feedback_kinds: Vec<(&'static str, String)>,
    form_token: String,
    feedback_sent: bool,
}

localised!(RecordHtml);

/// Whether a request prefers a page to any RDF syntax or JSON: browsers send `text/html`
/// first, RDF clients and `curl` (`*/*`) do not.
pub fn wants_html(accept: Option<&str>) -> bool {
    let mut offered: Vec<&str> = record::rdf::SERVED.iter().map(|(_, m, _)| *m).collect();
    offered.push("application/json");
    offered.push("text/html");
    record::rdf::negotiate(accept, &offered) == Some("text/html")
        && accept.is_some_and(|a| a.contains("text/html"))
}

/// dd/mm/yyyy hh:mm in Vietnam's time.
pub(super) fn vn_time(micros: i64) -> String {
    let tz = chrono::FixedOffset::east_opt(record::dates::VIETNAM_UTC_OFFSET_SECS).expect("+7");
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|d| d.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// `</script>` and friends cannot end the JSON-LD block: `<`, `>` and `&` are written as
/// JSON escapes, which every JSON-LD reader decodes.
pub fn script_safe_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn search_link(facet: &str, value: &str) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair(facet, value);
    format!("/search?{}", s.finish())
}

/// The record page (mounted before the RDF dereferencing route, for requests that prefer
/// HTML).
pub async fn page(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (collection, id) = path.into_inner();
    let (lang, remember) = super::page_lang(&req);
    let kind = Kind::from_collection(&collection).ok_or_else(|| {
        ApiError::new(
            crate::error::Code::NotFound,
            format!("no resource at {}", req.path()),
        )
    })?;
    let rec = readable(&state, &caller, kind, &id).await?;
    let v = state.registry.log.current_version(&rec).await?;
    let (form_token, new_token) = super::feedback::form_token(&req, &caller);
    let mut triples = record::parse_canonical(&v.canonical);
    triples.extend(state.registry.enrichment(&triples).await?);
    let view = View::new(&triples, lang);
    let me = NamedOrBlankNode::NamedNode(NamedNode::new(&rec.iri).map_err(ApiError::internal)?);
    let t = |k: &str| i18n::msg(k, lang).to_owned();
    let title = view
        .text(&me, dct::TITLE)
        .or_else(|| view.text(&me, vocab::ns::foaf::NAME))
        .unwrap_or_else(|| rec.iri.clone());
    let description: Vec<String> = view
        .text(&me, dct::DESCRIPTION)
        .map(|d| {
            d.split("\n\n")
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let agency = state.registry.log.agency(&rec.agency).await?;
    let agency_name = agency
        .as_ref()
        .map(|a| match lang {
            Lang::En => a.name_en.clone().unwrap_or_else(|| a.name_vi.clone()),
            Lang::Vi => a.name_vi.clone(),
        })
        .unwrap_or_else(|| rec.agency.clone());

    // What the record is about.
    let mut facts: Vec<(String, Vec<Fact>)> = Vec::new();
    let mut push = |label: &str, values: Vec<Fact>| {
        if !values.is_empty() {
            facts.push((t(label), values));
        }
    };
    let linked = |p, facet: Option<&str>| -> Vec<Fact> {
        view.linked(&me, p)
            .into_iter()
            .map(|l| Fact {
                href: match (facet, &l.iri) {
                    (Some(f), Some(iri)) => Some(search_link(f, iri)),
                    (None, Some(iri)) if iri.starts_with("http") => Some(iri.clone()),
                    _ => None,
                },
                label: l.label,
            })
            .collect()
    };
    push("rec_publisher", linked(dct::PUBLISHER, None));
    push("facet_theme", linked(dcat::THEME, Some("theme")));
    push(
        "rec_keywords",
        view.texts_in_lang(&me, dcat::KEYWORD)
            .into_iter()
            .map(|k| Fact {
                href: Some(search_link("q", &k)),
                label: k,
            })
            .collect(),
    );
    push("facet_license", linked(dct::LICENSE, Some("license")));
    push(
        "facet_frequency",
        linked(dct::ACCRUAL_PERIODICITY, Some("frequency")),
    );
    push("facet_spatial", linked(dct::SPATIAL, Some("spatial")));
    push("rec_language", linked(dct::LANGUAGE, None));
    push("rec_conforms_to", linked(dct::CONFORMS_TO, None));
    push("rec_landing", linked(dcat::LANDING_PAGE, None));
    let contacts: Vec<Fact> = view
        .nodes(&me, dcat::CONTACT_POINT)
        .iter()
        .filter_map(|c| {
            let name = view.text(c, vcard::FN)?;
            let mail = view
                .iris(c, vcard::HAS_EMAIL)
                .into_iter()
                .next()
                .filter(|m| m.starts_with("mailto:"));
            Some(Fact {
                label: match &mail {
                    Some(m) => format!("{name} <{}>", m.trim_start_matches("mailto:")),
                    None => name,
                },
                href: mail,
            })
        })
        .collect();
    push("rec_contact", contacts);
    // A catalogue-of-databases entry states the R1 fields.
    for (p, key) in super::view::R1_FIELDS {
        if let Some(text) = view.text(&me, *p) {
            push(
                key,
                vec![Fact {
                    label: text,
                    href: None,
                }],
            );
        }
    }
    push(
        "rec_identifier",
        vec![Fact {
            label: rec.iri.clone(),
            href: Some(rec.iri.clone()),
        }],
    );

    // Dates that mean what they say.
    let mut dates: Vec<(String, String, String)> = Vec::new();
    if let Some(m) = view
        .value(&me, dct::MODIFIED)
        .and_then(|m| record::dates::vn_day_of(&m))
    {
        dates.push((t("rec_data_updated"), m, t("rec_data_updated_note")));
    }
    if let Some(m) = view
        .value(&me, dct::ISSUED)
        .and_then(|m| record::dates::vn_day_of(&m))
    {
        dates.push((t("rec_issued"), m, String::new()));
    }
    dates.push((
        t("rec_described"),
        vn_time(rec.modified_at),
        t("rec_described_note"),
    ));
    dates.push((t("rec_registered"), vn_time(rec.created_at), String::new()));
    if kind == Kind::Dataset {
        let today = state.profile.local_date(chrono::Utc::now());
        let d = crate::audit::deadlines::deadline(&state.profile, &rec, &v, today);
        let status = t(&format!("deadline_{}", d.status));
        match d.due_vn {
            Some(due) => dates.push((
                t("rec_next_due"),
                due,
                format!("{status} ({})", state.profile.regulation),
            )),
            None => dates.push((t("rec_next_due"), status, String::new())),
        }
    }

    // Distributions.
    let distributions: Vec<Dist> = view
        .nodes(&me, dcat::DISTRIBUTION_PROP)
        .iter()
        .map(|d| {
            let format = view
                .linked(d, dct::FORMAT)
                .into_iter()
                .chain(view.linked(d, dcat::MEDIA_TYPE))
                .map(|l| l.label)
                .collect::<Vec<_>>();
            let mut seen = std::collections::BTreeSet::new();
            let format = format
                .into_iter()
                .filter(|f| seen.insert(f.to_lowercase()))
                .collect::<Vec<_>>()
                .join(", ");
            Dist {
                title: view.text(d, dct::TITLE).unwrap_or_else(|| title.clone()),
                format,
                size: view
                    .value(d, dcat::BYTE_SIZE)
                    .map(|b| size(&b, lang))
                    .unwrap_or_default(),
                download: view.iris(d, dcat::DOWNLOAD_URL).into_iter().next(),
                access: view.iris(d, dcat::ACCESS_URL).into_iter().next(),
            }
        })
        .collect();
    let mut endpoints = Vec::new();
    for u in view.iris(&me, dcat::ENDPOINT_URL) {
        endpoints.push((t("rec_endpoint"), u));
    }
    for u in view.iris(&me, dcat::ENDPOINT_DESCRIPTION) {
        endpoints.push((t("rec_endpoint_description"), u));
    }

    // Quality, in the page's language.
    let quality = crate::quality::quality_report(&state.registry, &rec)
        .await?
        .map(|q| Quality {
            score: q.score,
            max: q.max_score,
            conforms: q.conforms,
            findings: q
                .findings
                .iter()
                .filter(|f| f.severity != "info")
                .map(|f| {
                    (
                        t(&format!("severity_{}", f.severity)),
                        match lang {
                            Lang::Vi => f.message_vi.clone(),
                            Lang::En => f.message_en.clone(),
                        },
                    )
                })
                .collect(),
        });

    // The citation, as of now (the citation API's).
    let (cite_vi, cite_apa) = {
        let (vi, en) = crate::api::citation::citables(&state, &rec, &triples).await?;
        (
            record::citation::cite(&vi, "vi").unwrap_or_default(),
            record::citation::cite(&en, "apa").unwrap_or_default(),
        )
    };

    // Every machine representation.
    let local = format!("/{collection}/{id}");
    let mut syntaxes: Vec<(&'static str, String, &'static str)> = record::rdf::SERVED
        .iter()
        .map(|(format, media, suffix)| (format.name(), format!("{local}.{suffix}"), *media))
        .collect();
    let schema_org = if kind == Kind::Dataset {
        syntaxes.push((
            "schema.org JSON-LD",
            format!("{local}.schema.jsonld"),
            "application/ld+json",
        ));
        let doc = crate::feeds::schema_org::dataset(
            &rec.iri,
            &triples,
            (
                &format!("{}/catalog", state.registry.base),
                &format!(
                    "{} {}",
                    i18n::msg("rec_cite_source", Lang::Vi),
                    state.profile.province
                ),
            ),
        );
        Some(script_safe_json(&doc))
    } else {
        None
    };
    let describe = {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.append_pair("query", &format!("DESCRIBE <{}>", rec.iri));
        format!("/sparql?{}", s.finish())
    };
    let history = visible_history(&state, &caller, kind, &id)
        .await?
        .versions
        .into_iter()
        .rev()
        .map(|h| {
            let micros = chrono::DateTime::parse_from_rfc3339(&h.at)
                .map(|d| d.timestamp_micros())
                .unwrap_or(0);
            Version {
                version: h.version,
                at: vn_time(micros),
                at_iso: h.at,
                source: h.source,
                status: t(&format!("status_{}", h.status)),
                added: h.added,
                removed: h.removed,
            }
        })
        .collect();
    let (access_class, access_key) = match rec.visibility.as_str() {
        "PUBLIC" => ("public", "access_PUBLIC"),
        "RESTRICTED" => ("restricted", "access_RESTRICTED"),
        _ => ("non-public", "access_NON_PUBLIC"),
    };
    let page = RecordHtml {
        lang,
        who: super::Who::of(&caller),
        here: super::here(&req),
        iri: rec.iri.clone(),
        kind_label: t(&format!("kind_{}", rec.kind)),
        access_label: t(access_key),
        access_class,
        status_label: if rec.status == "published" {
            String::new()
        } else {
            t(&format!("status_{}", rec.status))
        },
        title,
        description,
        agency_code: rec.agency.clone(),
        agency_name,
        facts,
        dates,
        distributions,
        endpoints,
        quality,
        cite_vi,
        cite_apa,
        syntaxes,
        describe,
        history_api: format!("/api/v1/{collection}/{id}/history"),
        history,
        schema_org,
        feedback: state
            .registry
            .log
            .feedback_on(&rec.id)
            .await?
            .into_iter()
            .map(|f| FeedbackShown {
                kind: t(&format!("fb_kind_{}", f.kind)),
                message: f.message,
                state: t(&format!("fb_state_{}", f.state)),
                day: record::dates::vn_day(f.created_at),
                answer: f.answer,
            })
            .collect(),
        feedback_action: matches!(kind, Kind::Dataset | Kind::DataService)
            .then(|| format!("/{collection}/{id}/feedback")),
        feedback_kinds: crate::api::feedback::KINDS
            .iter()
            .map(|k| (*k, t(&format!("fb_kind_{k}"))))
            .collect(),
        form_token: form_token.clone(),
        feedback_sent: url::form_urlencoded::parse(req.query_string().as_bytes())
            .any(|(k, v)| k == "feedback" && v == "sent"),
    };
    let body = page.render().map_err(ApiError::internal)?;
    let mut resp = super::html(body, lang, remember);
    if new_token {
        let _ = resp.add_cookie(&super::feedback::form_cookie(&form_token));
    }
    resp.headers_mut().insert(
        actix_web::http::header::VARY,
        actix_web::http::header::HeaderValue::from_static("Accept, Accept-Language, Cookie"),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_get_pages_and_rdf_clients_keep_their_syntax() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(wants_html(Some(firefox)));
        assert!(!wants_html(Some("text/turtle")));
        assert!(!wants_html(Some("*/*")));
        assert!(!wants_html(None));
        assert!(!wants_html(Some("application/ld+json, text/html;q=0.5")));
        assert!(!wants_html(Some("application/json")));
    }

    #[test]
    fn a_title_cannot_close_the_json_ld_script() {
        let v = serde_json::json!({"name": "</script><script>alert(1)</script> & <b>"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back, v);
    }
}
