//! CKAN portals through the Action API: `package_search` paged with `rows`/`start`, optionally
//! filtered by organisation, each package mapped to DCAT-AP the way ckanext-dcat's
//! `euro_dcat_ap` profile does (title, notes, tags, groups as themes, organisation as
//! publisher, licence, resources as distributions, the well-known extras).
//!
//! Real portals are loose: extras come as a list or as top-level fields (ckanext-scheming),
//! people fields hold JSON strings (EnviDat), dates lack time zones, multilingual fields are
//! objects keyed by language (ckanext-fluent), numbers arrive as strings. A package that cannot
//! be mapped fails alone.

use crate::page::source_url;
use crate::terms::{self, Builder};
use crate::{
    Connector, Context, Event, HarvestError, Harvested, Payload, RecordKind, Summary, send,
};
use futures_util::future::BoxFuture;
use oxrdf::{Literal, NamedNode, NamedOrBlankNode};
use serde_json::{Map, Value};
use tokio::sync::mpsc::Sender;
use url::Url;
use vocab::ns::{adms, dcat, dct, foaf, locn, owl, skos, spdx, vcard, xsd};

/// The CKAN connector.
#[derive(Debug, Clone, Copy)]
pub struct Ckan;

impl Connector for Ckan {
    fn run<'a>(
        &'a self,
        ctx: &'a Context,
        out: &'a Sender<Event>,
    ) -> BoxFuture<'a, Result<Summary, HarvestError>> {
        Box::pin(run(ctx, out))
    }
}

/// Where the Action API lives, the portal's root (for IRIs), and a filter given in the URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// `…/api/3/action`
    pub api: String,
    /// The portal root, e.g. `https://data.example.org`.
    pub root: String,
    /// `fq` taken from the URL's query, if any.
    pub fq: Option<String>,
    /// `q` taken from the URL's query, if any.
    pub q: Option<String>,
}

/// Accepts a portal root, an API base (`/api/3/action`, `/api/action`) or a full
/// `package_search` URL with `q`/`fq`.
pub fn endpoint(raw: &str) -> Result<Endpoint, HarvestError> {
    let u = source_url(raw)?;
    let q = u
        .query_pairs()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned());
    let fq = u
        .query_pairs()
        .find(|(k, _)| k == "fq")
        .map(|(_, v)| v.into_owned());
    let mut base = u.clone();
    base.set_query(None);
    base.set_fragment(None);
    let s = base.as_str().trim_end_matches('/').to_owned();
    let (api, root) = if let Some(i) = s.find("/api/") {
        let root = s[..i].to_owned();
        let rest = &s[i..];
        let api = match rest.find("/action") {
            Some(j) => format!("{root}{}", &rest[..j + "/action".len()]),
            None => format!("{root}/api/3/action"),
        };
        (api, root)
    } else {
        (format!("{s}/api/3/action"), s)
    };
    Ok(Endpoint { api, root, fq, q })
}

async fn run(ctx: &Context, out: &Sender<Event>) -> Result<Summary, HarvestError> {
    let ep = endpoint(&ctx.url)?;
    let rows = ctx
        .config
        .get("page_size")
        .and_then(Value::as_u64)
        .unwrap_or(100)
        .clamp(1, 1000);
    let mut fqs: Vec<String> = ep.fq.iter().cloned().collect();
    if let Some(extra) = ctx.config.get("fq").and_then(Value::as_str) {
        fqs.push(extra.to_owned());
    }
    let orgs: Vec<String> = ctx
        .config
        .get("organizations")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if !orgs.is_empty() {
        fqs.push(format!("organization:({})", orgs.join(" OR ")));
    }
    let fq = fqs.join(" AND ");
    let mut summary = Summary {
        complete: true,
        listing: true,
        ..Summary::default()
    };
    let mut start = 0u64;
    let mut pages = 0usize;
    let mut previous: Vec<String> = Vec::new();
    loop {
        pages += 1;
        if pages > ctx.fetcher.policy.max_pages {
            summary.warnings.push(format!(
                "stopped after {} pages (the page limit)",
                pages - 1
            ));
            summary.complete = false;
            break;
        }
        let mut url = Url::parse(&format!("{}/package_search", ep.api))
            .map_err(|e| HarvestError::Source(format!("bad CKAN API URL {}: {e}", ep.api)))?;
        {
            let mut qp = url.query_pairs_mut();
            qp.append_pair("q", ep.q.as_deref().unwrap_or("*:*"));
            if !fq.is_empty() {
                qp.append_pair("fq", &fq);
            }
            qp.append_pair("rows", &rows.to_string());
            qp.append_pair("start", &start.to_string());
            qp.append_pair("sort", "metadata_created asc");
        }
        let page = match fetch_page(ctx, &url).await {
            Ok(p) => p,
            Err(e) if start == 0 => return Err(e),
            Err(HarvestError::Cancelled) => return Err(HarvestError::Cancelled),
            Err(e) => {
                summary
                    .warnings
                    .push(format!("page not read, run incomplete: {e}"));
                summary.complete = false;
                break;
            }
        };
        send(
            out,
            Event::Page {
                url: url.to_string(),
            },
        )
        .await?;
        let count = page.get("count").and_then(as_u64);
        if start == 0
            && let Some(c) = count
        {
            send(out, Event::Total(c)).await?;
        }
        let results = page
            .get("results")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if results.is_empty() {
            break;
        }
        let ids: Vec<String> = results
            .iter()
            .map(|p| {
                p.get("id")
                    .or_else(|| p.get("name"))
                    .and_then(text_of)
                    .unwrap_or_default()
            })
            .collect();
        if start > 0 && ids == previous {
            summary.warnings.push(format!(
                "the portal answered start={start} with the same packages as the page before (it ignores paging); stopped, run incomplete"
            ));
            summary.complete = false;
            break;
        }
        previous = ids;
        start += results.len() as u64;
        for pkg in &results {
            match map_package(pkg, &ep.root) {
                Ok(h) => send(out, Event::Record(Box::new(h))).await?,
                Err(reason) => {
                    let id = pkg
                        .get("name")
                        .or_else(|| pkg.get("id"))
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_owned();
                    send(
                        out,
                        Event::Failed {
                            source_id: id,
                            reason,
                        },
                    )
                    .await?;
                }
            }
        }
        if count.is_some_and(|c| start >= c) {
            break;
        }
    }
    Ok(summary)
}

async fn fetch_page(ctx: &Context, url: &Url) -> Result<Value, HarvestError> {
    let f = ctx.fetcher.get(url, "application/json").await?;
    let v: Value = serde_json::from_slice(&f.body).map_err(|e| {
        HarvestError::Source(format!(
            "{url} is not a CKAN Action API response: JSON syntax error at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    if v.get("success").and_then(Value::as_bool) != Some(true) {
        let msg = v
            .pointer("/error/message")
            .and_then(Value::as_str)
            .unwrap_or("the response has no \"success\": true");
        return Err(HarvestError::Source(format!("{url}: CKAN error: {msg}")));
    }
    v.get("result")
        .filter(|r| r.is_object())
        .cloned()
        .ok_or_else(|| {
            HarvestError::Source(format!("{url}: the CKAN response has no result object"))
        })
}

fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// A scalar as text; JSON strings that hold JSON are left to the caller.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A field that may be a list, a JSON-encoded list, a comma-separated string or one value.
fn many(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(text_of).collect(),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.starts_with('[')
                && let Ok(Value::Array(a)) = serde_json::from_str::<Value>(s)
            {
                return a.iter().filter_map(text_of).collect();
            }
            if s.is_empty() {
                vec![]
            } else if s.contains(',') && !s.starts_with("http") {
                s.split(',')
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect()
            } else {
                vec![s.to_owned()]
            }
        }
        Some(other) => text_of(other).into_iter().collect(),
        None => vec![],
    }
}

/// Extras as one map: the `extras` list (`[{key, value}]`) over top-level fields.
fn extras(pkg: &Map<String, Value>) -> Map<String, Value> {
    let mut m = pkg.clone();
    if let Some(Value::Array(list)) = pkg.get("extras") {
        for e in list {
            if let (Some(k), Some(v)) = (e.get("key").and_then(Value::as_str), e.get("value")) {
                m.insert(k.to_owned(), v.clone());
            }
        }
    }
    m
}

/// Adds a text field that may be multilingual (`{"en": "...", "de": "..."}`).
fn add_text(b: &mut Builder, s: &NamedOrBlankNode, p: oxrdf::NamedNodeRef<'_>, v: Option<&Value>) {
    match v {
        Some(Value::Object(langs)) => {
            for (lang, t) in langs {
                if let Some(t) = text_of(t) {
                    b.text(s, p, &t, Some(lang));
                }
            }
        }
        Some(v) => {
            if let Some(t) = text_of(v) {
                b.text(s, p, &t, None);
            }
        }
        None => {}
    }
}

/// A person or organisation field: plain text, or JSON (object or list of objects) as
/// EnviDat writes it. Gives (name, email).
fn person(v: Option<&Value>, email: Option<&Value>) -> Option<(Option<String>, Option<String>)> {
    let email = email.and_then(text_of);
    let parsed = match v {
        Some(Value::String(s)) if s.trim_start().starts_with(['{', '[']) => {
            serde_json::from_str::<Value>(s).ok()
        }
        Some(Value::Object(_)) | Some(Value::Array(_)) => v.cloned(),
        _ => None,
    };
    if let Some(p) = parsed {
        let obj = match &p {
            Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        let given = obj.get("given_name").and_then(text_of);
        let family = obj.get("name").and_then(text_of);
        let name = match (given, family) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (g, f) => g.or(f),
        };
        let mail = obj.get("email").and_then(text_of).or(email);
        return (name.is_some() || mail.is_some()).then_some((name, mail));
    }
    let name = v.and_then(text_of);
    (name.is_some() || email.is_some()).then_some((name, email))
}

/// Maps one CKAN package dict to a DCAT-AP dataset record.
pub fn map_package(pkg: &Value, root: &str) -> Result<Harvested, String> {
    let obj = pkg.as_object().ok_or("a package is not a JSON object")?;
    let id = obj
        .get("id")
        .and_then(text_of)
        .or_else(|| obj.get("name").and_then(text_of))
        .ok_or("the package has neither id nor name")?;
    let ex = extras(obj);
    let title = ex.get("title");
    if title
        .and_then(|t| text_of(t).or_else(|| t.as_object().map(|_| "x".into())))
        .is_none()
    {
        return Err(format!("package {id} has no title"));
    }
    let iri = ex
        .get("uri")
        .and_then(text_of)
        .and_then(|u| terms::http_iri(&u))
        .unwrap_or_else(|| {
            NamedNode::new_unchecked(format!("{root}/dataset/{}", urlencoding(&id)))
        });
    let ds: NamedOrBlankNode = iri.clone().into();
    let mut b = Builder::default();
    b.a(&ds, dcat::DATASET);
    add_text(&mut b, &ds, dct::TITLE, title);
    add_text(
        &mut b,
        &ds,
        dct::DESCRIPTION,
        ex.get("notes").or_else(|| ex.get("description")),
    );
    let identifier = ex
        .get("identifier")
        .and_then(text_of)
        .or_else(|| ex.get("guid").and_then(text_of))
        .unwrap_or(id.clone());
    b.text(&ds, dct::IDENTIFIER, &identifier, None);
    // Dates: explicit issued/modified extras win over CKAN's own timestamps.
    let issued = ex
        .get("issued")
        .and_then(text_of)
        .or_else(|| ex.get("metadata_created").and_then(text_of));
    let modified = ex
        .get("modified")
        .and_then(text_of)
        .or_else(|| ex.get("metadata_modified").and_then(text_of));
    if let Some(d) = &issued {
        b.date(&ds, dct::ISSUED, d);
    }
    if let Some(d) = &modified {
        b.date(&ds, dct::MODIFIED, d);
    }
    if let Some(v) = ex.get("version").and_then(text_of) {
        b.text(&ds, owl::VERSION_INFO, &v, None);
    }
    if let Some(v) = ex.get("version_notes").and_then(text_of) {
        b.text(&ds, adms::VERSION_NOTES, &v, None);
    }
    if let Some(u) = ex.get("url").and_then(text_of) {
        b.iri(&ds, dcat::LANDING_PAGE, &u);
    }
    // Tags (objects or strings; possibly multilingual as in ckanext-fluent's keywords).
    if let Some(Value::Array(tags)) = ex.get("tags") {
        for t in tags {
            let name = t
                .get("display_name")
                .or_else(|| t.get("name"))
                .and_then(text_of)
                .or_else(|| text_of(t));
            if let Some(n) = name {
                b.text(&ds, dcat::KEYWORD, &n, None);
            }
        }
    }
    if let Some(Value::Object(kw)) = ex.get("keywords") {
        for (lang, words) in kw {
            for w in many(Some(words)) {
                b.text(&ds, dcat::KEYWORD, &w, Some(lang));
            }
        }
    }
    // Groups become themes; explicit theme extras too.
    if let Some(Value::Array(groups)) = ex.get("groups") {
        for g in groups {
            let Some(name) = g.get("name").and_then(text_of) else {
                continue;
            };
            let theme: NamedOrBlankNode =
                NamedNode::new_unchecked(format!("{root}/group/{}", urlencoding(&name))).into();
            b.add(&ds, dcat::THEME, theme.clone());
            b.a(&theme, skos::CONCEPT);
            add_text(
                &mut b,
                &theme,
                skos::PREF_LABEL,
                g.get("title").or_else(|| g.get("display_name")),
            );
        }
    }
    for t in many(ex.get("theme")) {
        b.iri(&ds, dcat::THEME, &t);
    }
    // Organisation as publisher.
    if let Some(Value::Object(org)) = ex.get("organization")
        && let Some(name) = org.get("name").and_then(text_of)
    {
        let publisher = ex
            .get("publisher_uri")
            .and_then(text_of)
            .and_then(|u| terms::http_iri(&u))
            .unwrap_or_else(|| {
                NamedNode::new_unchecked(format!("{root}/organization/{}", urlencoding(&name)))
            });
        let p: NamedOrBlankNode = publisher.into();
        b.add(&ds, dct::PUBLISHER, p.clone());
        b.a(&p, foaf::ORGANIZATION);
        add_text(
            &mut b,
            &p,
            foaf::NAME,
            org.get("title")
                .filter(|t| text_of(t).is_some())
                .or(org.get("name")),
        );
    }
    // Contact point: maintainer, else author.
    let contact = person(ex.get("maintainer"), ex.get("maintainer_email"))
        .or_else(|| person(ex.get("author"), ex.get("author_email")))
        .or_else(|| person(ex.get("contact_name"), ex.get("contact_email")));
    if let Some((name, email)) = contact {
        let c = Builder::blank();
        b.add(&ds, dcat::CONTACT_POINT, c.clone());
        b.a(&c, vcard::KIND);
        if let Some(n) = name {
            b.text(&c, vcard::FN, &n, None);
        }
        if let Some(e) = email {
            let e = e.trim_start_matches("mailto:");
            if !e.contains(' ') && e.contains('@') {
                b.iri(&c, vcard::HAS_EMAIL, &format!("mailto:{e}"));
            }
        }
    }
    for l in many(ex.get("language")) {
        if let Some(n) = terms::language(&l) {
            b.add(&ds, dct::LANGUAGE, n);
        }
    }
    if let Some(f) = ex
        .get("frequency")
        .or_else(|| ex.get("accrual_periodicity"))
        .and_then(text_of)
        && let Some(n) = terms::frequency(&f)
    {
        b.add(&ds, dct::ACCRUAL_PERIODICITY, n);
    }
    if obj.get("private").and_then(Value::as_bool) == Some(true) {
        b.iri(
            &ds,
            dct::ACCESS_RIGHTS,
            "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC",
        );
    } else if let Some(a) = ex.get("access_rights").and_then(text_of)
        && let Some(n) = terms::access_right(&a)
    {
        b.add(&ds, dct::ACCESS_RIGHTS, n);
    }
    for c in many(ex.get("conforms_to")) {
        b.iri(&ds, dct::CONFORMS_TO, &c);
    }
    if let Some(s) = ex.get("spatial_uri").and_then(text_of) {
        b.iri(&ds, dct::SPATIAL, &s);
    }
    if let Some(geo) = ex
        .get("spatial")
        .and_then(text_of)
        .filter(|g| g.trim_start().starts_with('{'))
    {
        let loc = Builder::blank();
        b.add(&ds, dct::SPATIAL, loc.clone());
        b.a(&loc, dct::LOCATION);
        b.add(
            &loc,
            locn::GEOMETRY,
            Literal::new_typed_literal(
                geo,
                NamedNode::new_unchecked("http://www.opengis.net/ont/geosparql#geoJSONLiteral"),
            ),
        );
    }
    let (ts, te) = (
        ex.get("temporal_start").and_then(text_of),
        ex.get("temporal_end").and_then(text_of),
    );
    if ts.is_some() || te.is_some() {
        let per = Builder::blank();
        b.add(&ds, dct::TEMPORAL, per.clone());
        b.a(&per, dct::PERIOD_OF_TIME);
        if let Some(s) = ts {
            b.date(&per, dcat::START_DATE, &s);
        }
        if let Some(e) = te {
            b.date(&per, dcat::END_DATE, &e);
        }
    }
    // Resources as distributions, with the package licence.
    let licence = ex
        .get("license_url")
        .and_then(text_of)
        .and_then(|u| terms::license(&u))
        .or_else(|| {
            ex.get("license_id")
                .and_then(text_of)
                .and_then(|l| terms::license(&l))
        });
    if let Some(Value::Array(resources)) = ex.get("resources") {
        for r in resources {
            let Some(r) = r.as_object() else { continue };
            let rid = r
                .get("id")
                .and_then(text_of)
                .unwrap_or_else(|| format!("{}", b.triples.len()));
            let page = format!(
                "{root}/dataset/{}/resource/{}",
                urlencoding(&id),
                urlencoding(&rid)
            );
            let dist: NamedOrBlankNode = r
                .get("uri")
                .and_then(text_of)
                .and_then(|u| terms::http_iri(&u))
                .unwrap_or_else(|| NamedNode::new_unchecked(page.clone()))
                .into();
            b.add(&ds, dcat::DISTRIBUTION_PROP, dist.clone());
            b.a(&dist, dcat::DISTRIBUTION);
            add_text(&mut b, &dist, dct::TITLE, r.get("name"));
            add_text(&mut b, &dist, dct::DESCRIPTION, r.get("description"));
            let url = r.get("url").and_then(text_of);
            let access = r.get("access_url").and_then(text_of).or(url.clone());
            if !access
                .as_deref()
                .is_some_and(|a| b.iri(&dist, dcat::ACCESS_URL, a))
            {
                b.iri(&dist, dcat::ACCESS_URL, &page);
            }
            let download = r.get("download_url").and_then(text_of).or_else(|| {
                (r.get("url_type").and_then(Value::as_str) == Some("upload"))
                    .then(|| url.clone())
                    .flatten()
            });
            if let Some(d) = download {
                b.iri(&dist, dcat::DOWNLOAD_URL, &d);
            }
            if let Some(f) = r.get("format").and_then(text_of) {
                match terms::file_type(&f) {
                    Some(n) => b.add(&dist, dct::FORMAT, n),
                    None => b.text(&dist, dct::FORMAT, &f, None),
                }
            }
            if let Some(m) = r
                .get("mimetype")
                .and_then(text_of)
                .filter(|m| m.contains('/') && !m.contains(' '))
            {
                b.iri(
                    &dist,
                    dcat::MEDIA_TYPE,
                    &format!("https://www.iana.org/assignments/media-types/{m}"),
                );
            }
            if let Some(size) = r.get("size").and_then(as_u64) {
                b.add(
                    &dist,
                    dcat::BYTE_SIZE,
                    Literal::new_typed_literal(size.to_string(), xsd::NON_NEGATIVE_INTEGER),
                );
            }
            if let Some(d) = r
                .get("issued")
                .or_else(|| r.get("created"))
                .and_then(text_of)
            {
                b.date(&dist, dct::ISSUED, &d);
            }
            if let Some(d) = r
                .get("modified")
                .or_else(|| r.get("last_modified"))
                .and_then(text_of)
            {
                b.date(&dist, dct::MODIFIED, &d);
            }
            let rlic = r
                .get("license")
                .and_then(text_of)
                .and_then(|l| terms::license(&l));
            if let Some(l) = rlic.or_else(|| licence.clone()) {
                b.add(&dist, dct::LICENSE, l);
            }
            if let Some(h) = r.get("hash").and_then(text_of) {
                let c = Builder::blank();
                b.add(&dist, spdx::CHECKSUM, c.clone());
                b.a(&c, spdx::CHECKSUM_CLASS);
                b.text(&c, spdx::CHECKSUM_VALUE, &h, None);
                let alg = r
                    .get("hash_algorithm")
                    .and_then(text_of)
                    .unwrap_or_else(|| {
                        match h.len() {
                            32 => "md5",
                            40 => "sha1",
                            _ => "sha256",
                        }
                        .into()
                    });
                b.iri(
                    &c,
                    spdx::ALGORITHM,
                    &format!(
                        "http://spdx.org/rdf/terms#checksumAlgorithm_{}",
                        alg.to_lowercase()
                    ),
                );
            }
        }
    }
    Ok(Harvested {
        kind: RecordKind::Dataset,
        source_id: iri.as_str().to_owned(),
        triples: b.triples,
        payload: Payload {
            media_type: "application/json".into(),
            body: serde_json::to_vec(pkg).unwrap_or_default(),
        },
    })
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_from_any_url_form() {
        let e = endpoint("https://ckan.example.org/").expect("root");
        assert_eq!(e.api, "https://ckan.example.org/api/3/action");
        assert_eq!(e.root, "https://ckan.example.org");
        let e = endpoint("https://x.org/portal/api/action/package_search?fq=organization:a")
            .expect("full");
        assert_eq!(e.api, "https://x.org/portal/api/action");
        assert_eq!(e.root, "https://x.org/portal");
        assert_eq!(e.fq.as_deref(), Some("organization:a"));
    }

    #[test]
    fn envidat_quirks_map_to_dcat() {
        let pkg: Value = serde_json::json!({
            "id": "abc", "name": "n", "title": "Hồ chứa nước",
            "author": "[{\"given_name\": \"Dominik\", \"name\": \"Büeler\", \"email\": \"d@x.ch\"}]",
            "maintainer": "{\"given_name\": \"E\", \"name\": \"S\", \"email\": \"e@x.ch\"}",
            "metadata_created": "2026-07-27T14:09:10.207246", "language": "en",
            "license_id": "cc-by", "tags": [{"name": "SNOW"}],
            "organization": {"name": "cryos", "title": "CRYOS"},
            "resources": [{"id": "r1", "url": "https://x/f.zip", "format": "ZIP", "size": "42"}],
            "extras": [{"key": "frequency", "value": "monthly"}]
        });
        let h = map_package(&pkg, "https://ckan.x").expect("mapped");
        let nt = String::from_utf8(crate::split::ntriples(&h.triples)).expect("utf8");
        assert_eq!(h.source_id, "https://ckan.x/dataset/abc");
        assert!(nt.contains("\"Hồ chứa nước\""), "{nt}");
        assert!(nt.contains("mailto:e@x.ch"), "maintainer wins: {nt}");
        assert!(nt.contains("file-type/ZIP"));
        assert!(nt.contains("frequency/MONTHLY"));
        assert!(nt.contains("creativecommons.org/licenses/by/4.0/"));
        assert!(nt.contains("\"42\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"));
        assert!(
            nt.contains(
                "2026-07-27T14:09:10.207246\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"
            )
        );
        assert!(map_package(&serde_json::json!({"id": "x"}), "https://ckan.x").is_err());
    }
}
