//! A CKAN-compatible read API under `/api/3/action/` (and `/api/action/`), so that CKAN's own
//! harvester, ckanext-dcat and the `ckanapi` client read the registry unchanged: `status_show`,
//! `package_list`, `package_search` (`q`, `fq` on organization/tags/res_format/groups, `rows`,
//! `start`, `sort`), `package_show`, `organization_list` (`all_fields`), `organization_show`,
//! `group_list` and `license_list`, with CKAN 2.10's envelopes (`help`, `success`, `result`;
//! errors as `{"__type": "Not Found Error", "message": …}`) and package fields. Parameters come
//! from the query string or a JSON/form body (ckanapi POSTs JSON). Only PUBLIC published
//! datasets are packages; agencies are organisations; themes are groups.

use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use record::parse_canonical;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use vocab::ns::{dcat, dct, vcard};

/// CKAN's version this API answers as.
pub const CKAN_VERSION: &str = "2.10.4";

/// (id, title, url, EU licence code) of the licences the registry names.
const LICENCES: &[(&str, &str, &str, &str)] = &[
    (
        "cc-by-4.0",
        "Creative Commons Attribution 4.0",
        "http://creativecommons.org/licenses/by/4.0/",
        "CC_BY_4_0",
    ),
    (
        "cc-by-sa-4.0",
        "Creative Commons Attribution Share-Alike 4.0",
        "http://creativecommons.org/licenses/by-sa/4.0/",
        "CC_BYSA_4_0",
    ),
    (
        "cc-zero",
        "Creative Commons CCZero",
        "http://creativecommons.org/publicdomain/zero/1.0/",
        "CC0",
    ),
    (
        "cc-nc",
        "Creative Commons Non-Commercial 4.0",
        "http://creativecommons.org/licenses/by-nc/4.0/",
        "CC_BYNC_4_0",
    ),
    (
        "odc-by",
        "Open Data Commons Attribution License",
        "http://opendatacommons.org/licenses/by/1.0/",
        "ODC_BY",
    ),
    (
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        "http://opendatacommons.org/licenses/odbl/1.0/",
        "ODC_ODBL",
    ),
    (
        "odc-pddl",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
        "http://opendatacommons.org/licenses/pddl/1.0/",
        "ODC_PDDL",
    ),
    ("notspecified", "License not specified", "", ""),
];

fn licence_of(iri: &str) -> (String, String, String) {
    let trimmed = iri.trim_end_matches('/');
    for (id, title, url, eu) in LICENCES {
        let eu_iri = format!("http://publications.europa.eu/resource/authority/licence/{eu}");
        if (!url.is_empty() && trimmed.eq_ignore_ascii_case(url.trim_end_matches('/')))
            || (!eu.is_empty() && iri == eu_iri)
        {
            return ((*id).into(), (*title).into(), iri.into());
        }
    }
    (iri.into(), iri.into(), iri.into())
}

fn envelope(action: &str, result: Value) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "help": format!("/api/3/action/help_show?name={action}"),
        "success": true,
        "result": result,
    }))
}

fn error(action: &str, status: u16, kind: &str, message: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default()).json(
        json!({
            "help": format!("/api/3/action/help_show?name={action}"),
            "success": false,
            "error": {"__type": kind, "message": message},
        }),
    )
}

fn internal(action: &str, e: impl std::fmt::Display) -> HttpResponse {
    tracing::error!(error = %e, action, "CKAN API");
    error(
        action,
        500,
        "Internal Error",
        "an internal error occurred; it has been logged",
    )
}

/// A public dataset with what a package needs.
struct Pkg {
    id: String,
    iri: String,
    agency: String,
    created: i64,
    modified: i64,
    triples: Vec<Triple>,
}

/// Public datasets matching `q` in the search index, by id, with their rank (0 = best).
/// `None` when another process holds the index.
async fn ranked_datasets(
    state: &AppState,
    q: String,
) -> Result<Option<HashMap<String, usize>>, store::StoreError> {
    let Some(graphs) = state.registry.graphs.clone() else {
        return Ok(None);
    };
    let sq = store::search::SearchQuery {
        q,
        filters: HashMap::from([("kind".to_owned(), vec!["dataset".to_owned()])]),
        modified_since: None,
        issued_since: None,
        sort: store::search::Sort::Relevance,
        limit: MAX_SEARCH_HITS,
        offset: 0,
        audience: store::log::Audience::Public,
    };
    let res = tokio::task::spawn_blocking(move || graphs.search.search(&sq))
        .await
        .map_err(|e| store::StoreError::Search(e.to_string()))??;
    Ok(Some(
        res.hits
            .into_iter()
            .enumerate()
            .map(|(i, h)| (h.id, i))
            .collect(),
    ))
}

/// The most matches a `package_search` `q` considers (CKAN's Solr has the same kind of
/// bound on a result window).
const MAX_SEARCH_HITS: usize = 100_000;

async fn packages(state: &AppState, agency: Option<&str>) -> Result<Vec<Pkg>, store::StoreError> {
    let rows = state
        .registry
        .log
        .public_datasets(agency.unwrap_or(""))
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Pkg {
            id: r.id,
            iri: r.iri,
            agency: r.agency,
            created: r.created,
            modified: r.modified,
            triples: parse_canonical(&r.canonical),
        })
        .collect())
}

fn ckan_time(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
        .unwrap_or_default()
}

struct View<'a> {
    by: HashMap<String, Vec<(&'a str, &'a Term)>>,
}

fn key(s: &NamedOrBlankNode) -> String {
    match s {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

impl<'a> View<'a> {
    fn new(triples: &'a [Triple]) -> View<'a> {
        let mut by: HashMap<String, Vec<(&str, &Term)>> = HashMap::new();
        for t in triples {
            by.entry(key(&t.subject))
                .or_default()
                .push((t.predicate.as_str(), &t.object));
        }
        View { by }
    }
    fn all(&self, s: &str, p: oxigraph::model::NamedNodeRef<'_>) -> Vec<&'a Term> {
        self.by
            .get(s)
            .map(|v| {
                v.iter()
                    .filter(|(q, _)| *q == p.as_str())
                    .map(|(_, o)| *o)
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The Vietnamese (else untagged, else any) literal.
    fn text(&self, s: &str, p: oxigraph::model::NamedNodeRef<'_>) -> Option<String> {
        let vals = self.all(s, p);
        let pick = |lang: Option<&str>| {
            vals.iter().find_map(|t| match t {
                Term::Literal(l) if l.language() == lang => Some(l.value().to_owned()),
                _ => None,
            })
        };
        pick(Some("vi")).or_else(|| pick(None)).or_else(|| {
            vals.iter().find_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
        })
    }
    fn iri(&self, s: &str, p: oxigraph::model::NamedNodeRef<'_>) -> Option<String> {
        self.all(s, p).iter().find_map(|t| match t {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
    }
    fn nodes(&self, s: &str, p: oxigraph::model::NamedNodeRef<'_>) -> Vec<String> {
        self.all(s, p)
            .iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.as_str().to_owned()),
                Term::BlankNode(b) => Some(format!("_:{}", b.as_str())),
                _ => None,
            })
            .collect()
    }
}

fn last_segment(iri: &str) -> String {
    iri.trim_end_matches('/')
        .rsplit(['/', '#'])
        .next()
        .unwrap_or(iri)
        .to_owned()
}

fn format_of(v: &View<'_>, d: &str) -> String {
    if let Some(f) = v.iri(d, dct::FORMAT) {
        return last_segment(&f);
    }
    if let Some(f) = v.text(d, dct::FORMAT) {
        return f;
    }
    v.iri(d, dcat::MEDIA_TYPE)
        .map(|m| last_segment(&m).to_ascii_uppercase())
        .unwrap_or_default()
}

struct Org {
    code: String,
    iri: String,
    name_vi: String,
    name_en: Option<String>,
    created: i64,
}

fn org_dict(o: &Org, count: Option<usize>) -> Value {
    let mut m = json!({
        "id": o.code, "name": o.code, "title": o.name_vi, "display_name": o.name_vi,
        "description": o.name_en.clone().unwrap_or_default(), "type": "organization",
        "is_organization": true, "state": "active", "approval_status": "approved",
        "image_url": "", "image_display_url": "", "created": ckan_time(o.created),
        "uri": o.iri,
    });
    if let Some(n) = count {
        m["package_count"] = json!(n);
    }
    m
}

fn package_dict(p: &Pkg, org: Option<&Org>) -> Value {
    let v = View::new(&p.triples);
    let s = p.iri.as_str();
    let tags: Vec<Value> = v
        .all(s, dcat::KEYWORD)
        .iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .map(|k| json!({"name": k, "display_name": k, "id": k, "state": "active", "vocabulary_id": null}))
        .collect();
    let groups: Vec<Value> = v
        .nodes(s, dcat::THEME)
        .iter()
        .filter(|t| !t.starts_with("_:"))
        .map(|t| {
            let name = last_segment(t).to_ascii_lowercase();
            json!({"id": name, "name": name, "title": last_segment(t), "display_name": last_segment(t),
                   "description": "", "image_display_url": "", "uri": t})
        })
        .collect();
    let mut licence = v.iri(s, dct::LICENSE);
    let dists = v.nodes(s, dcat::DISTRIBUTION_PROP);
    let resources: Vec<Value> = dists
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if licence.is_none() {
                licence = v.iri(d, dct::LICENSE);
            }
            let url = v
                .iri(d, dcat::DOWNLOAD_URL)
                .or_else(|| v.iri(d, dcat::ACCESS_URL))
                .unwrap_or_default();
            let id = last_segment(d);
            json!({
                "id": id, "package_id": p.id, "position": i, "state": "active",
                "name": v.text(d, dct::TITLE).unwrap_or_else(|| format!("Tài nguyên {}", i + 1)),
                "description": v.text(d, dct::DESCRIPTION).unwrap_or_default(),
                "url": url,
                "access_url": v.iri(d, dcat::ACCESS_URL),
                "download_url": v.iri(d, dcat::DOWNLOAD_URL),
                "format": format_of(&v, d),
                "mimetype": v.iri(d, dcat::MEDIA_TYPE).map(|m| m.trim_start_matches("http://www.iana.org/assignments/media-types/").to_owned()),
                "size": v.text(d, dcat::BYTE_SIZE).and_then(|b| b.parse::<i64>().ok()),
                "created": ckan_time(p.created),
                "last_modified": ckan_time(p.modified),
                "url_type": null, "hash": "",
                "uri": if d.starts_with("_:") { Value::Null } else { json!(d) },
            })
        })
        .collect();
    let (license_id, license_title, license_url) = licence.as_deref().map(licence_of).unwrap_or((
        "notspecified".into(),
        "License not specified".into(),
        String::new(),
    ));
    let isopen = LICENCES
        .iter()
        .any(|(id, ..)| *id == license_id && *id != "notspecified");
    let contact = v.nodes(s, dcat::CONTACT_POINT).into_iter().next();
    let (maintainer, maintainer_email) = match &contact {
        Some(c) => (
            v.text(c, vcard::FN),
            v.iri(c, vcard::HAS_EMAIL)
                .map(|e| e.trim_start_matches("mailto:").to_owned()),
        ),
        None => (None, None),
    };
    let mut extras: Vec<Value> = vec![json!({"key": "uri", "value": p.iri})];
    let mut extra = |k: &str, val: Option<String>| {
        if let Some(val) = val.filter(|x| !x.is_empty()) {
            extras.push(json!({"key": k, "value": val}));
        }
    };
    extra("identifier", v.text(s, dct::IDENTIFIER));
    extra("issued", v.text(s, dct::ISSUED));
    extra("modified", v.text(s, dct::MODIFIED));
    extra("frequency", v.iri(s, dct::ACCRUAL_PERIODICITY));
    extra("access_rights", v.iri(s, dct::ACCESS_RIGHTS));
    extra("spatial_uri", v.iri(s, dct::SPATIAL));
    extra("publisher_uri", v.iri(s, dct::PUBLISHER));
    extra("publisher_name", org.map(|o| o.name_vi.clone()));
    let themes: Vec<String> = v
        .nodes(s, dcat::THEME)
        .into_iter()
        .filter(|t| !t.starts_with("_:"))
        .collect();
    if !themes.is_empty() {
        extra("theme", serde_json::to_string(&themes).ok());
    }
    let langs: Vec<String> = v.nodes(s, dct::LANGUAGE);
    if !langs.is_empty() {
        extra("language", serde_json::to_string(&langs).ok());
    }
    let title = v.text(s, dct::TITLE).unwrap_or_default();
    let mut m = Map::new();
    let mut put = |k: &str, val: Value| {
        m.insert(k.into(), val);
    };
    put("id", json!(p.id));
    put("name", json!(p.id));
    put("title", json!(title));
    put(
        "notes",
        json!(v.text(s, dct::DESCRIPTION).unwrap_or_default()),
    );
    put(
        "url",
        json!(v.iri(s, dcat::LANDING_PAGE).unwrap_or_default()),
    );
    put("version", json!(v.text(s, vocab::ns::owl::VERSION_INFO)));
    put("state", json!("active"));
    put("private", json!(false));
    put("type", json!("dataset"));
    put("license_id", json!(license_id));
    put("license_title", json!(license_title));
    put("license_url", json!(license_url));
    put("isopen", json!(isopen));
    put("author", json!(org.map(|o| o.name_vi.clone())));
    put("author_email", Value::Null);
    put("maintainer", json!(maintainer));
    put("maintainer_email", json!(maintainer_email));
    put("metadata_created", json!(ckan_time(p.created)));
    put("metadata_modified", json!(ckan_time(p.modified)));
    put("owner_org", json!(p.agency));
    put(
        "organization",
        org.map(|o| org_dict(o, None)).unwrap_or(Value::Null),
    );
    put("num_tags", json!(tags.len()));
    put("tags", Value::Array(tags));
    put("groups", Value::Array(groups));
    put("num_resources", json!(resources.len()));
    put("resources", Value::Array(resources));
    put("extras", Value::Array(extras));
    put("relationships_as_object", json!([]));
    put("relationships_as_subject", json!([]));
    Value::Object(m)
}

async fn orgs(state: &AppState) -> Result<BTreeMap<String, Org>, store::StoreError> {
    Ok(state
        .registry
        .log
        .agencies()
        .await?
        .into_iter()
        .map(|a| {
            (
                a.code.clone(),
                Org {
                    code: a.code,
                    iri: a.iri,
                    name_vi: a.name_vi,
                    name_en: a.name_en,
                    created: a.created_at,
                },
            )
        })
        .collect())
}

/// Merges query-string and body parameters (JSON object or form). A body that is meant as
/// JSON (by its Content-Type or its first byte) and does not parse is refused as CKAN refuses
/// it (400, "JSON Error"), rather than read as an empty form.
fn params(req: &HttpRequest, body: &[u8]) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    for (k, v) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        m.insert(k.into_owned(), json!(v.into_owned()));
    }
    if !body.is_empty() {
        let json_type = crate::http::header(req, "content-type")
            .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
        let looks_json = body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'{' | b'['));
        if json_type || looks_json {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(o)) => m.extend(o),
                Ok(_) => {
                    return Err("JSON Error: the request body must be a JSON object".into());
                }
                Err(e) => {
                    return Err(format!(
                        "JSON Error: could not parse the request body as JSON at line {}, column {}: {e}",
                        e.line(),
                        e.column()
                    ));
                }
            }
        } else {
            for (k, v) in url::form_urlencoded::parse(body) {
                m.insert(k.into_owned(), json!(v.into_owned()));
            }
        }
    }
    Ok(m)
}

fn int(p: &Map<String, Value>, k: &str) -> Result<Option<i64>, String> {
    match p.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or(format!("{k}: must be an integer")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("{k}: Invalid integer")),
        _ => Err(format!("{k}: must be an integer")),
    }
}

fn boolean(p: &Map<String, Value>, k: &str) -> bool {
    match p.get(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => {
            matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
        }
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

fn string(p: &Map<String, Value>, k: &str) -> Option<String> {
    match p.get(k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// `fq` terms: `field:value` or `field:"value"`, joined by spaces or AND; `+` prefixes ignored.
fn parse_fq(fq: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = fq.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '+');
        if let Some(r) = rest.strip_prefix("AND ") {
            rest = r;
            continue;
        }
        if rest.is_empty() {
            break;
        }
        let (field, after) = rest
            .split_once(':')
            .ok_or_else(|| format!("fq: cannot read '{rest}' (expected field:value)"))?;
        let after = after.trim_start();
        let (value, tail) = if after.starts_with('[') || after.starts_with('{') {
            let end = after
                .find([']', '}'])
                .ok_or("fq: unclosed range (expected [A TO B])")?;
            (after[..=end].to_owned(), &after[end + 1..])
        } else if let Some(q) = after.strip_prefix('(') {
            let end = q.find(')').ok_or("fq: unclosed parenthesis")?;
            (format!("({})", &q[..end]), &q[end + 1..])
        } else if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').ok_or("fq: unclosed quote")?;
            (q[..end].to_owned(), &q[end + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..end].to_owned(), &after[end..])
        };
        out.push((field.trim().to_owned(), value));
        rest = tail;
    }
    Ok(out)
}

/// Whether a CKAN timestamp falls in a Solr range `[A TO B]` (`{…}` exclusive, `*` open, `NOW`
/// the present), as CKAN's harvester asks with `metadata_modified:[2026-01-01T00:00:00Z TO *]`.
fn in_range(value: &str, range: &str) -> Option<bool> {
    let inclusive_lo = range.starts_with('[');
    let inclusive_hi = range.ends_with(']');
    let inner = range.get(1..range.len().checked_sub(1)?)?;
    let (lo, hi) = inner.split_once(" TO ")?;
    let parse = |s: &str| -> Option<chrono::NaiveDateTime> {
        let s = s.trim().trim_end_matches('Z');
        if s == "NOW" {
            return Some(chrono::Utc::now().naive_utc());
        }
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .or_else(|| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
    };
    let v = parse(value)?;
    let ok_lo = match lo.trim() {
        "*" => true,
        l => {
            let l = parse(l)?;
            if inclusive_lo { v >= l } else { v > l }
        }
    };
    let ok_hi = match hi.trim() {
        "*" => true,
        h => {
            let h = parse(h)?;
            if inclusive_hi { v <= h } else { v < h }
        }
    };
    Some(ok_lo && ok_hi)
}

/// The values a filter accepts: `a`, `"a b"` or `(a OR "b c")`.
fn alternatives(v: &str) -> Vec<String> {
    match v.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(inner) => inner
            .split(" OR ")
            .map(|x| x.trim().trim_matches('"').to_owned())
            .filter(|x| !x.is_empty())
            .collect(),
        None => vec![v.to_owned()],
    }
}

/// Handles `/api/3/action/{action}` and `/api/action/{action}`.
pub async fn action(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let action = path.into_inner();
    let p = match params(&req, &body) {
        Ok(p) => p,
        Err(why) => return error(&action, 400, "Bad request", &format!("Bad request - {why}")),
    };
    match run(&state, &action, &p).await {
        Ok(r) => r,
        Err(e) => internal(&action, e),
    }
}

async fn run(
    state: &AppState,
    action: &str,
    p: &Map<String, Value>,
) -> Result<HttpResponse, store::StoreError> {
    let bad = |m: &str| error(action, 409, "Validation Error", m);
    Ok(match action {
        "status_show" => envelope(
            action,
            json!({
                "ckan_version": CKAN_VERSION,
                "site_title": format!("Danh mục dữ liệu mở tỉnh {}", state.profile.province),
                "site_description": "danhmuc — sổ đăng ký siêu dữ liệu DCAT",
                "site_url": state.registry.base,
                "locale_default": "vi",
                "error_emails_to": null,
                "extensions": ["danhmuc", "dcat"],
            }),
        ),
        "package_list" => {
            let (limit, offset) = match (int(p, "limit"), int(p, "offset")) {
                (Ok(l), Ok(o)) => (l, o.unwrap_or(0).max(0)),
                (Err(e), _) | (_, Err(e)) => return Ok(bad(&e)),
            };
            let mut names: Vec<String> = packages(state, None).await?.into_iter().map(|p| p.id).collect();
            names.sort();
            let names: Vec<String> = names
                .into_iter()
                .skip(offset as usize)
                .take(limit.map(|l| l.max(0) as usize).unwrap_or(usize::MAX))
                .collect();
            envelope(action, json!(names))
        }
        "package_show" => {
            let Some(id) = string(p, "id").or_else(|| string(p, "name")) else {
                return Ok(bad("id: Missing value"));
            };
            let orgs = orgs(state).await?;
            let found = state
                .registry
                .log
                .record(&id)
                .await?
                .filter(|r| r.kind == "dataset" && r.status == "published" && r.visibility == "PUBLIC");
            match found {
                None => error(action, 404, "Not Found Error", "Not found"),
                Some(r) => {
                    let v = state.registry.log.current_version(&r).await?;
                    let pkg = Pkg {
                        id: r.id.clone(),
                        iri: r.iri.clone(),
                        agency: r.agency.clone(),
                        created: r.created_at,
                        modified: r.modified_at,
                        triples: parse_canonical(&v.canonical),
                    };
                    envelope(action, package_dict(&pkg, orgs.get(&pkg.agency)))
                }
            }
        }
        "package_search" => {
            let rows = match int(p, "rows") {
                Ok(r) => r.unwrap_or(10),
                Err(e) => return Ok(bad(&e)),
            };
            let start = match int(p, "start") {
                Ok(s) => s.unwrap_or(0),
                Err(e) => return Ok(bad(&e)),
            };
            if !(0..=1000).contains(&rows) || start < 0 {
                return Ok(bad("rows must be 0-1000 and start at least 0"));
            }
            let fq = match parse_fq(&string(p, "fq").unwrap_or_default()) {
                Ok(f) => f,
                Err(e) => return Ok(error(action, 400, "Search Query Error", &e)),
            };
            let sort = string(p, "sort").unwrap_or_else(|| "score desc, metadata_modified desc".into());
            let org_filter = fq
                .iter()
                .find(|(f, _)| f == "organization" || f == "owner_org")
                .map(|(_, v)| alternatives(v))
                .filter(|a| a.len() == 1)
                .map(|mut a| a.remove(0));
            let orgs = orgs(state).await?;
            // `q` goes through the search index (GET /api/v1/search ranks the same way): its
            // order is the score order, and only what it finds is filtered by `fq` below.
            let q = string(p, "q").filter(|q| !q.trim().is_empty() && q.trim() != "*:*");
            let ranked: Option<HashMap<String, usize>> = match q {
                None => None,
                Some(q) => match ranked_datasets(state, q).await? {
                    Some(r) => Some(r),
                    None => return Ok(error(action, 503, "Search Index Error", "the search index is held by another process")),
                },
            };
            let mut hits: Vec<(Pkg, Value)> = Vec::new();
            for pkg in packages(state, org_filter.as_deref()).await? {
                if ranked.as_ref().is_some_and(|r| !r.contains_key(&pkg.id)) {
                    continue;
                }
                let d = package_dict(&pkg, orgs.get(&pkg.agency));
                let ok = fq.iter().all(|(f, v)| {
                    alternatives(v).iter().any(|v| match f.as_str() {
                        "organization" | "owner_org" => d["owner_org"] == v.as_str(),
                        "tags" => d["tags"].as_array().is_some_and(|t| t.iter().any(|x| x["name"] == v.as_str())),
                        "res_format" => d["resources"].as_array().is_some_and(|t| {
                            t.iter().any(|x| x["format"].as_str().is_some_and(|f| f.eq_ignore_ascii_case(v)))
                        }),
                        "groups" => d["groups"].as_array().is_some_and(|t| t.iter().any(|x| x["name"] == v.as_str())),
                        "license_id" => d["license_id"] == v.as_str(),
                        "name" | "id" => d["id"] == v.as_str(),
                        "metadata_modified" | "metadata_created" => d[f.as_str()]
                            .as_str()
                            .and_then(|m| in_range(m, v))
                            .unwrap_or(false),
                        _ => false,
                    })
                });
                if ok {
                    hits.push((pkg, d));
                }
            }
            let first = sort.split(',').next().unwrap_or("").trim().to_owned();
            let mut words = first.split_whitespace();
            let (field, dir) = (words.next().unwrap_or("score"), words.next().unwrap_or("asc"));
            let text_of = |v: &Value, k: &str| v[k].as_str().unwrap_or("").to_lowercase();
            match field {
                "name" => hits.sort_by(|a, b| a.1["name"].as_str().cmp(&b.1["name"].as_str())),
                "title_string" | "title" => hits.sort_by_key(|a| text_of(&a.1, "title")),
                "metadata_created" => hits.sort_by_key(|a| a.0.created),
                "score" => match &ranked {
                    // Best first, as the index ranks them.
                    Some(r) => hits.sort_by_key(|a| r[&a.0.id]),
                    None => hits.sort_by_key(|a| std::cmp::Reverse(a.0.modified)),
                },
                "metadata_modified" => hits.sort_by_key(|a| a.0.modified),
                other => return Ok(error(action, 400, "Search Query Error", &format!("cannot sort by '{other}'"))),
            }
            if dir == "desc" && field != "score" {
                hits.reverse();
            }
            let count = hits.len();
            let results: Vec<Value> = hits
                .into_iter()
                .skip(start as usize)
                .take(rows as usize)
                .map(|(_, d)| d)
                .collect();
            envelope(
                action,
                json!({"count": count, "sort": sort, "facets": {}, "search_facets": {}, "results": results}),
            )
        }
        "organization_list" => {
            let all = boolean(p, "all_fields");
            let counts = packages(state, None).await?.into_iter().fold(HashMap::new(), |mut m: HashMap<String, usize>, p| {
                *m.entry(p.agency).or_default() += 1;
                m
            });
            let list: Vec<Value> = orgs(state)
                .await?
                .values()
                .map(|o| if all { org_dict(o, Some(counts.get(&o.code).copied().unwrap_or(0))) } else { json!(o.code) })
                .collect();
            envelope(action, Value::Array(list))
        }
        "organization_show" => {
            let Some(id) = string(p, "id") else {
                return Ok(bad("id: Missing value"));
            };
            let orgs = orgs(state).await?;
            match orgs.get(&id) {
                None => error(action, 404, "Not Found Error", "Not found: Organization was not found"),
                Some(o) => {
                    let pkgs = packages(state, Some(&o.code)).await?;
                    let mut d = org_dict(o, Some(pkgs.len()));
                    if boolean(p, "include_datasets") {
                        d["packages"] = Value::Array(pkgs.iter().map(|k| package_dict(k, Some(o))).collect());
                    }
                    envelope(action, d)
                }
            }
        }
        "group_list" => {
            let all = boolean(p, "all_fields");
            let mut groups: BTreeMap<String, (Value, usize)> = BTreeMap::new();
            for pkg in packages(state, None).await? {
                for g in package_dict(&pkg, None)["groups"].as_array().cloned().unwrap_or_default() {
                    let name = g["name"].as_str().unwrap_or("").to_owned();
                    groups.entry(name).or_insert((g, 0)).1 += 1;
                }
            }
            let list: Vec<Value> = groups
                .into_iter()
                .map(|(name, (mut g, n))| {
                    if all {
                        g["package_count"] = json!(n);
                        g["type"] = json!("group");
                        g["is_organization"] = json!(false);
                        g["state"] = json!("active");
                        g
                    } else {
                        json!(name)
                    }
                })
                .collect();
            envelope(action, Value::Array(list))
        }
        "license_list" => envelope(
            action,
            Value::Array(
                LICENCES
                    .iter()
                    .map(|(id, title, url, _)| json!({"id": id, "title": title, "url": url, "status": "active", "od_conformance": if *id == "notspecified" || *id == "cc-nc" { "not reviewed" } else { "approved" }}))
                    .collect(),
            ),
        ),
        other => error(
            other,
            400,
            "Bad request",
            &format!("Bad request - Action name not known: {other}"),
        ),
    })
}

/// Mounts the CKAN routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/3/action/{action}", web::get().to(action))
        .route("/api/3/action/{action}", web::post().to(action))
        .route("/api/action/{action}", web::get().to(action))
        .route("/api/action/{action}", web::post().to(action));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fq_reads_solr_style_filters() {
        assert_eq!(
            parse_fq("organization:so-gd AND tags:\"giáo dục\" +res_format:CSV").unwrap(),
            vec![
                ("organization".into(), "so-gd".into()),
                ("tags".into(), "giáo dục".into()),
                ("res_format".into(), "CSV".into())
            ]
        );
        assert!(parse_fq("tags:\"open").is_err());
        let r = parse_fq("metadata_modified:[2026-01-01T00:00:00Z TO *] organization:x").unwrap();
        assert_eq!(r[0].1, "[2026-01-01T00:00:00Z TO *]");
        assert_eq!(r[1].1, "x");
        assert_eq!(in_range("2026-03-01T10:00:00.123456", &r[0].1), Some(true));
        assert_eq!(in_range("2025-12-31T23:59:59", &r[0].1), Some(false));
        assert_eq!(
            in_range("2026-01-01T00:00:00", "{2026-01-01T00:00:00Z TO NOW]"),
            Some(false)
        );
        let f = parse_fq("organization:(so-a OR \"so-b\")").unwrap();
        assert_eq!(alternatives(&f[0].1), vec!["so-a", "so-b"]);
        assert!(parse_fq("nonsense").is_err());
    }

    #[test]
    fn licences_map_urls_and_eu_codes_to_ckan_ids() {
        assert_eq!(
            licence_of("http://creativecommons.org/licenses/by/4.0").0,
            "cc-by-4.0"
        );
        assert_eq!(
            licence_of("http://publications.europa.eu/resource/authority/licence/CC0").0,
            "cc-zero"
        );
        assert_eq!(
            licence_of("https://example.vn/giay-phep").0,
            "https://example.vn/giay-phep"
        );
    }
}
