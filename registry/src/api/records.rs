//! Datasets, data services and catalogues: create, read (JSON or RDF), replace with
//! `If-Match`, withdraw, list with cursor paging, and history with per-version diffs. The
//! three collections share one implementation; a macro stamps out the typed, documented
//! handlers for each.

use super::{header, read_body, rfc3339};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Code};
use crate::records::{Outcome, Provenance, WriteRecord};
use crate::state::AppState;
use actix_web::http::header::{ETAG, LOCATION};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use oxigraph::io::RdfFormat;
use oxigraph::model::Triple;
use record::{self, Kind, Status};
use serde::{Deserialize, Serialize};
use store::log::{ListFilter, RecordRow};

/// Query parameters of a write.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WriteQuery {
    /// `draft` to keep a new record unpublished; `published` to publish a draft. Omitted:
    /// new records are published at once, existing ones keep their status.
    pub status: Option<String>,
    /// Owning agency code (admins writing for an agency; editors may omit it).
    pub agency: Option<String>,
}

/// A record as JSON: an object whose keys are the terms of `/api/v1/context.jsonld` (`title`,
/// `description`, `publisher`, `distribution`…); see the README's examples.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct RecordJson(std::collections::HashMap<String, serde_json::Value>);

/// Query parameters of a listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only records of this agency (code).
    pub agency: Option<String>,
    /// Comma-separated statuses (`draft`, `published`, `withdrawn`); default `published,draft`.
    #[param(pattern = "^((draft|published|withdrawn)(,(draft|published|withdrawn))*)?$")]
    pub status: Option<String>,
    /// Only records changed at or after this time: RFC 3339, or a day (`YYYY-MM-DD` or
    /// `dd/mm/yyyy`) from its start in Vietnam's time zone (UTC+7), as on `/catalog`.
    #[param(
        pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?|[0-9]{2}/[0-9]{2}/[0-9]{4})?$"
    )]
    pub modified_since: Option<String>,
    /// Page size, 1-1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub cursor: Option<String>,
}

/// Registry metadata about a record (not part of its RDF graph).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordMeta {
    /// Record id.
    pub id: String,
    /// Record IRI (dereferenceable).
    pub iri: String,
    /// Kind.
    pub kind: String,
    /// Owning agency code.
    pub agency: String,
    /// draft, published or withdrawn.
    pub status: String,
    /// PUBLIC, RESTRICTED or NON_PUBLIC.
    pub visibility: String,
    /// True when the record carried no dct:accessRights and got the configured default.
    pub access_rights_defaulted: bool,
    /// Agencies a NON_PUBLIC record is shared with.
    pub shared_with: Vec<String>,
    /// Version number.
    pub version: i64,
    /// ETag of this version (send it back in If-Match).
    pub etag: String,
    /// SHA-256 of the canonical N-Triples.
    pub content_hash: String,
    /// Created (RFC 3339).
    pub created: String,
    /// Last changed (RFC 3339).
    pub modified: String,
    /// Where the first version came from.
    pub source: String,
    /// Identifier at the source, when imported or harvested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Title in Vietnamese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_vi: Option<String>,
    /// Title in English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Notes for people, Vietnamese then English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl RecordMeta {
    /// From the stored row.
    pub fn from_row(r: &RecordRow, default_note: bool) -> Self {
        let mut notes = Vec::new();
        if r.access_defaulted && default_note {
            notes.push(format!(
                "Bản ghi không khai báo dct:accessRights; áp dụng mặc định {v}. / The record carried no dct:accessRights; the registry applied its default {v}.",
                v = r.visibility
            ));
        }
        RecordMeta {
            id: r.id.clone(),
            iri: r.iri.clone(),
            kind: r.kind.clone(),
            agency: r.agency.clone(),
            status: r.status.clone(),
            visibility: r.visibility.clone(),
            access_rights_defaulted: r.access_defaulted,
            shared_with: r.shared_codes().into_iter().map(str::to_owned).collect(),
            version: r.version,
            etag: r.etag(),
            content_hash: r.content_hash.clone(),
            created: rfc3339(r.created_at),
            modified: rfc3339(r.modified_at),
            source: r.source.clone(),
            source_id: r.source_id.clone(),
            title_vi: r.title_vi.clone(),
            title_en: r.title_en.clone(),
            notes,
        }
    }
}

/// The answer to a write.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WriteResult {
    /// created, updated or unchanged.
    pub outcome: Outcome,
    /// Record id.
    pub id: String,
    /// Record IRI.
    pub iri: String,
    /// The record after the write.
    pub registry: RecordMeta,
}

impl WriteResult {
    fn new(outcome: Outcome, row: &RecordRow) -> Self {
        WriteResult {
            outcome,
            id: row.id.clone(),
            iri: row.iri.clone(),
            registry: RecordMeta::from_row(row, true),
        }
    }
}

/// One page of a listing.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page {
    /// Records on this page.
    pub items: Vec<RecordMeta>,
    /// Cursor for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// One version in a history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    /// Version number.
    pub version: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who (token id, `cli`, `demo`…).
    pub author: String,
    /// From where (`api`, `import:FILE`, `demo`…).
    pub source: String,
    /// Status after this version.
    pub status: String,
    /// Visibility after this version.
    pub visibility: String,
    /// Content hash.
    pub content_hash: String,
    /// Triples added since the previous version shown (N-Triples).
    pub added: Vec<String>,
    /// Triples removed since the previous version shown (N-Triples).
    pub removed: Vec<String>,
}

/// A record's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct History {
    /// Record id.
    pub id: String,
    /// Record IRI.
    pub iri: String,
    /// Versions, oldest first (only those the caller may see).
    pub versions: Vec<VersionInfo>,
}

fn parse_status(s: Option<&str>) -> ApiResult<Option<Status>> {
    match s {
        None | Some("") => Ok(None),
        Some(v) => match Status::parse(v) {
            Some(Status::Withdrawn) | None => Err(ApiError::new(
                Code::BadRequest,
                format!("status must be draft or published, not '{v}'; use DELETE to withdraw"),
            )),
            s => Ok(s),
        },
    }
}

/// Parses a body in whichever syntax its Content-Type names.
pub fn body_to_triples(state: &AppState, req: &HttpRequest, body: &[u8]) -> ApiResult<Vec<Triple>> {
    parse_body(
        state,
        header(req, "content-type").unwrap_or("application/json"),
        body,
    )
}

/// Parses a description in the syntax a media type names (`application/json`: the REST JSON
/// view with danhmuc's context).
pub fn parse_body(state: &AppState, ct: &str, body: &[u8]) -> ApiResult<Vec<Triple>> {
    let base = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let ctx_url = state.context_url();
    if base == "application/json" {
        let prepared = crate::jsonview::prepare_input(body, &ctx_url)?;
        return Ok(record::rdf::parse_triples(
            &prepared,
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
            &state.registry.base,
        )?);
    }
    let format = record::rdf::format_from_media_type(&base)
        .filter(|f| matches!(f, RdfFormat::Turtle | RdfFormat::NTriples | RdfFormat::RdfXml | RdfFormat::JsonLd { .. } | RdfFormat::N3))
        .ok_or_else(|| {
            ApiError::new(
                Code::UnsupportedMediaType,
                format!("Content-Type '{base}' is not accepted; use application/json, text/turtle, application/ld+json, application/rdf+xml or application/n-triples"),
            )
        })?;
    if std::str::from_utf8(body).is_err() && !matches!(format, RdfFormat::RdfXml) {
        return Err(ApiError::new(
            Code::InvalidRdf,
            "the body is not valid UTF-8",
        ));
    }
    Ok(record::rdf::parse_triples(
        body,
        format,
        &state.registry.base,
    )?)
}

/// Like [`readable`], for a `/{collection}/{id}/…` path (datasets, dataservices, catalogs).
pub async fn readable_in(
    state: &AppState,
    caller: &Caller,
    collection: &str,
    id: &str,
) -> ApiResult<RecordRow> {
    let kind = Kind::from_collection(collection)
        .filter(|k| *k != Kind::Agency)
        .ok_or_else(|| ApiError::new(Code::NotFound, format!("no collection '{collection}'")))?;
    readable(state, caller, kind, id).await
}

/// Loads a record the caller may read, or the error they should see (404 hides what they
/// may not know exists; 410 for records they could read before withdrawal).
pub async fn readable(
    state: &AppState,
    caller: &Caller,
    kind: Kind,
    id: &str,
) -> ApiResult<RecordRow> {
    let not_found = || {
        ApiError::new(
            Code::NotFound,
            format!("no {} with id '{id}'", kind.as_str()),
        )
    };
    let rec = state
        .registry
        .log
        .record(id)
        .await?
        .filter(|r| r.kind == kind.as_str())
        .ok_or_else(not_found)?;
    let shared = rec.shared_codes();
    if rec.status == "withdrawn" {
        if caller.can_read("published", &rec.visibility, &rec.agency, &shared) {
            return Err(ApiError::new(
                Code::RecordWithdrawn,
                format!(
                    "{} '{id}' was withdrawn on {}; its history remains",
                    kind.as_str(),
                    rfc3339(rec.modified_at)
                ),
            ));
        }
        return Err(not_found());
    }
    if !caller.can_read(&rec.status, &rec.visibility, &rec.agency, &shared) {
        return Err(not_found());
    }
    Ok(rec)
}

/// What the JSON view shows: what the record says, without what the registry adds to every
/// record it keeps (classes of known terms, theme labels, its agencies' names): the publisher
/// stays an IRI, as it was written. RDF representations (JSON-LD included) carry the whole
/// canonical form.
fn json_view_triples(state: &AppState, rec: &RecordRow, triples: Vec<Triple>) -> Vec<Triple> {
    if rec.kind == Kind::Agency.as_str() {
        return triples;
    }
    state.registry.enricher.as_said(triples)
}

/// Writes the record representation the client asked for.
pub async fn represent(
    state: &AppState,
    req: &HttpRequest,
    rec: &RecordRow,
    json_default: bool,
    forced: Option<&'static str>,
) -> ApiResult<HttpResponse> {
    let v = state.registry.log.current_version(rec).await?;
    let triples = record::parse_canonical(&v.canonical);
    let mut offered: Vec<&str> = record::rdf::SERVED.iter().map(|(_, m, _)| *m).collect();
    if json_default {
        offered.insert(0, "application/json");
    } else {
        offered.push("application/json");
    }
    // A suffix (`.ttl`…) decides the syntax; otherwise `Accept` does.
    let accept = forced.or_else(|| header(req, "accept"));
    let chosen = record::rdf::negotiate(accept, &offered).ok_or_else(|| {
        ApiError::new(
            Code::NotAcceptable,
            format!("available: {}", offered.join(", ")),
        )
    })?;
    let etag = rec.etag();
    if header(req, "if-none-match").is_some_and(|h| h.split(',').any(|t| t.trim() == etag)) {
        return Ok(HttpResponse::NotModified()
            .insert_header((ETAG, etag))
            .finish());
    }
    let mut resp = HttpResponse::Ok();
    resp.insert_header((ETAG, etag))
        .insert_header(("Vary", "Accept"))
        // R10: what to cite is the record's IRI (its citation: `…/citation`).
        .insert_header(("Link", format!("<{}>; rel=\"cite-as\"", rec.iri)));
    if chosen == "application/json" || chosen == "application/ld+json" {
        let shown = if chosen == "application/json" {
            json_view_triples(state, rec, triples)
        } else {
            triples
        };
        let write = if chosen == "application/json" {
            crate::jsonview::to_json
        } else {
            crate::jsonview::to_jsonld
        };
        let mut json = write(&state.context, &shown, &rec.iri, &state.context_url());
        if chosen == "application/json"
            && let Some(o) = json.as_object_mut()
        {
            o.insert(
                "registry".into(),
                serde_json::to_value(RecordMeta::from_row(rec, true))
                    .map_err(ApiError::internal)?,
            );
        }
        return Ok(resp.content_type(chosen).json(json));
    }
    let format = record::rdf::format_from_media_type(chosen)
        .ok_or_else(|| ApiError::internal("negotiated format unknown"))?;
    let bytes = record::rdf::serialize_triples(triples.iter().map(Into::into), format)
        .map_err(ApiError::internal)?;
    Ok(resp
        .content_type(format!("{chosen}; charset=utf-8"))
        .body(bytes))
}

async fn create(
    kind: Kind,
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
    q: WriteQuery,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let agency = q
        .agency
        .clone()
        .or_else(|| caller.agency.clone())
        .ok_or_else(|| {
            ApiError::new(
                Code::InvalidRecord,
                "say which agency owns the record: ?agency=CODE",
            )
        })?;
    caller.require_editor_of(&agency)?;
    let status = parse_status(q.status.as_deref())?;
    let body = read_body(&req, payload, state.config.http.body_limit).await?;
    let triples = body_to_triples(&state, &req, &body)?;
    let prov = Provenance {
        author: caller.author(),
        source: "api".into(),
    };
    let mut res = state
        .registry
        .write(
            vec![WriteRecord {
                kind,
                id: None,
                triples,
                agency,
                status: status.or(Some(Status::Published)),
                if_match: None,
                source_id: None,
            }],
            &prov,
        )
        .await?;
    let (outcome, row, _) = res.remove(0);
    let location = format!("/api/v1/{}/{}", kind.collection(), row.id);
    Ok(HttpResponse::Created()
        .insert_header((LOCATION, location))
        .insert_header((ETAG, row.etag()))
        .json(WriteResult::new(outcome, &row)))
}

async fn replace(
    kind: Kind,
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
    id: String,
    q: WriteQuery,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let rec = readable(&state, &caller, kind, &id).await?;
    caller.require_editor_of(&rec.agency)?;
    let if_match = header(&req, "if-match").map(str::to_owned).ok_or_else(|| {
        ApiError::new(
            Code::PreconditionRequired,
            format!("send If-Match with the current ETag ({})", rec.etag()),
        )
    })?;
    let status = parse_status(q.status.as_deref())?;
    let body = read_body(&req, payload, state.config.http.body_limit).await?;
    let triples = body_to_triples(&state, &req, &body)?;
    let prov = Provenance {
        author: caller.author(),
        source: "api".into(),
    };
    let mut res = state
        .registry
        .write(
            vec![WriteRecord {
                kind,
                id: Some(id),
                triples,
                agency: rec.agency.clone(),
                status,
                if_match: Some(if_match),
                source_id: None,
            }],
            &prov,
        )
        .await?;
    let (outcome, row, _) = res.remove(0);
    Ok(HttpResponse::Ok()
        .insert_header((ETAG, row.etag()))
        .json(WriteResult::new(outcome, &row)))
}

async fn withdraw(
    kind: Kind,
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: String,
) -> ApiResult<HttpResponse> {
    caller.require_auth()?;
    let rec = readable(&state, &caller, kind, &id).await?;
    caller.require_editor_of(&rec.agency)?;
    let prov = Provenance {
        author: caller.author(),
        source: "api".into(),
    };
    state
        .registry
        .withdraw(kind, &id, header(&req, "if-match"), &prov)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The same meaning as everywhere else in the registry (`/catalog`, audit exports): a day is
/// the whole day in Vietnam's time zone (UTC+7).
fn parse_since(s: &str) -> ApiResult<i64> {
    record::dates::parse_time(s, false)
        .map_err(|e| ApiError::new(Code::BadRequest, format!("modified_since: {e}")))
}

async fn list(
    kind: Kind,
    state: web::Data<AppState>,
    caller: Caller,
    q: ListQuery,
) -> ApiResult<HttpResponse> {
    // `?agency=&cursor=` (as HTML forms and generated clients send them) means no filter.
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let q = ListQuery {
        agency: blank(q.agency),
        status: blank(q.status),
        modified_since: blank(q.modified_since),
        limit: q.limit,
        cursor: blank(q.cursor),
    };
    let statuses: Vec<String> = match &q.status {
        None => vec!["published".into(), "draft".into()],
        Some(s) => s
            .split(',')
            .map(|x| {
                Status::parse(x.trim())
                    .map(|s| s.as_str().to_owned())
                    .ok_or_else(|| ApiError::new(Code::BadRequest, format!("unknown status '{x}'")))
            })
            .collect::<ApiResult<_>>()?,
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::new(
            Code::BadRequest,
            "limit must be between 1 and 1000",
        ));
    }
    if let Some(c) = &q.cursor
        && (c.len() > 64
            || !c
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
    {
        return Err(ApiError::new(Code::BadRequest, "invalid cursor"));
    }
    // A cursor is the id of the last record of a page this API gave out; anything else would
    // silently answer an empty or arbitrary page.
    if let Some(c) = &q.cursor
        && state
            .registry
            .log
            .record(c)
            .await?
            .is_none_or(|r| r.kind != kind.as_str())
    {
        return Err(ApiError::new(
            Code::BadRequest,
            format!("invalid cursor '{c}': use the `next` value of a previous page"),
        ));
    }
    let filter = ListFilter {
        kind: kind.as_str().into(),
        agency: q.agency.clone(),
        statuses,
        modified_since: q.modified_since.as_deref().map(parse_since).transpose()?,
        after: q.cursor.clone(),
        limit,
    };
    let rows = state.registry.log.list(&filter, &caller.audience()).await?;
    let next = if rows.len() as i64 == limit {
        rows.last().map(|r| r.id.clone())
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(Page {
        items: rows
            .iter()
            .map(|r| RecordMeta::from_row(r, false))
            .collect(),
        next,
    }))
}

async fn history(
    kind: Kind,
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(visible_history(&state, &caller, kind, &id).await?))
}

/// The versions of a record `caller` could read when each was written, each diffed against
/// the previous one they could read (so a diff never shows what was hidden from them); 404
/// when they could read none. The history API and the record page both show this.
pub async fn visible_history(
    state: &AppState,
    caller: &Caller,
    kind: Kind,
    id: &str,
) -> ApiResult<History> {
    let rec = state
        .registry
        .log
        .record(id)
        .await?
        .filter(|r| r.kind == kind.as_str());
    let rec = rec.ok_or_else(|| {
        ApiError::new(
            Code::NotFound,
            format!("no {} with id '{id}'", kind.as_str()),
        )
    })?;
    let versions = state.registry.log.history(id).await?;
    // A caller sees the versions they could have read at the time, diffed against the last
    // version they could see, so a diff never shows content that was hidden from them.
    let mut out = Vec::new();
    let mut prev = String::new();
    for v in &versions {
        let shared: Vec<&str> = v.shared_with.split('|').filter(|s| !s.is_empty()).collect();
        let status = if v.status == "withdrawn" {
            "published"
        } else {
            v.status.as_str()
        };
        if !caller.can_read(status, &v.visibility, &v.agency, &shared) {
            continue;
        }
        let (added, removed) = record::diff(&prev, &v.canonical);
        prev = v.canonical.clone();
        out.push(VersionInfo {
            version: v.version,
            at: rfc3339(v.at),
            author: v.author.clone(),
            source: v.source.clone(),
            status: v.status.clone(),
            visibility: v.visibility.clone(),
            content_hash: v.content_hash.clone(),
            added,
            removed,
        });
    }
    if out.is_empty() {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no {} with id '{id}'", kind.as_str()),
        ));
    }
    Ok(History {
        id: rec.id,
        iri: rec.iri,
        versions: out,
    })
}

macro_rules! record_handlers {
    ($module:ident, $kind:expr, $tag:literal, $one:literal, $collection:literal, $item:literal, $hist:literal) => {
        /// Handlers for one collection.
        pub mod $module {
            use super::*;

            /// Create a record from JSON (per the context) or RDF; published at once unless `?status=draft`.
            #[utoipa::path(post, path = $collection,
                tag = $tag, operation_id = concat!("create_", $one),
                params(WriteQuery),
                request_body(description = "JSON per /api/v1/context.jsonld, or RDF describing one resource", content(
                    (RecordJson = "application/json"), (String = "text/turtle"), (String = "application/ld+json"),
                    (String = "application/rdf+xml"), (String = "application/n-triples"))),
                responses(
                    (status = 201, description = "created; Location and ETag headers", body = WriteResult),
                    (status = 400, description = "malformed JSON or RDF (with line and column)", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 401, description = "no or invalid token", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 403, description = "not an editor of this agency", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 413, description = "body too large", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 415, description = "unsupported Content-Type", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 422, description = "not one acceptable record", body = crate::error::Problem, content_type = "application/problem+json")),
                security(("bearer" = []))
            )]
            #[post($collection)]
            pub async fn create(state: web::Data<AppState>, caller: Caller, req: HttpRequest, payload: web::Payload, q: web::Query<WriteQuery>) -> ApiResult<HttpResponse> {
                super::create($kind, state, caller, req, payload, q.into_inner()).await
            }

            /// List records the caller may see, with cursor paging and filters.
            #[utoipa::path(get, path = $collection, tag = $tag, operation_id = concat!("list_", $tag), params(ListQuery), responses(
                (status = 200, description = "one page", body = Page),
                (status = 400, description = "bad filter", body = crate::error::Problem, content_type = "application/problem+json")))]
            #[get($collection)]
            pub async fn list(state: web::Data<AppState>, caller: Caller, q: web::Query<ListQuery>) -> ApiResult<HttpResponse> {
                super::list($kind, state, caller, q.into_inner()).await
            }

            /// Read a record: JSON (default), JSON-LD, Turtle, N-Triples or RDF/XML by `Accept`.
            #[utoipa::path(get, path = $item, tag = $tag, operation_id = concat!("get_", $one), params(("id" = String, Path, description = "record id")), responses(
                (status = 200, description = "the record; ETag header", content(
                    (serde_json::Value = "application/json"), (String = "text/turtle"), (String = "application/ld+json"),
                    (String = "application/rdf+xml"), (String = "application/n-triples"))),
                (status = 304, description = "not modified (If-None-Match)"),
                (status = 404, description = "unknown id, or not visible to the caller", body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 406, description = "no acceptable format", body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 410, description = "withdrawn", body = crate::error::Problem, content_type = "application/problem+json")))]
            #[get($item)]
            pub async fn get(state: web::Data<AppState>, caller: Caller, req: HttpRequest, id: web::Path<String>) -> ApiResult<HttpResponse> {
                let rec = readable(&state, &caller, $kind, &id).await?;
                represent(&state, &req, &rec, true, None).await
            }

            /// Replace a record's description; needs `If-Match` with the current ETag.
            #[utoipa::path(put, path = $item, tag = $tag, operation_id = concat!("replace_", $one),
                params(("id" = String, Path, description = "record id"), ("If-Match" = String, Header, description = "ETag of the version being replaced"), WriteQuery),
                request_body(description = "JSON or RDF describing the resource", content(
                    (RecordJson = "application/json"), (String = "text/turtle"), (String = "application/ld+json"),
                    (String = "application/rdf+xml"), (String = "application/n-triples"))),
                responses(
                    (status = 200, description = "updated or unchanged", body = WriteResult),
                    (status = 404, description = "unknown id", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 409, description = "an entry of the catalogue of databases changes only by an approved request (request_required)", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 412, description = "stale ETag", body = crate::error::Problem, content_type = "application/problem+json"),
                    (status = 428, description = "If-Match missing", body = crate::error::Problem, content_type = "application/problem+json")),
                security(("bearer" = [])))]
            #[put($item)]
            pub async fn put(state: web::Data<AppState>, caller: Caller, req: HttpRequest, payload: web::Payload, id: web::Path<String>, q: web::Query<WriteQuery>) -> ApiResult<HttpResponse> {
                super::replace($kind, state, caller, req, payload, id.into_inner(), q.into_inner()).await
            }

            /// Withdraw a record: kept in history, gone from reads.
            #[utoipa::path(delete, path = $item, tag = $tag, operation_id = concat!("withdraw_", $one), params(("id" = String, Path, description = "record id")), responses(
                (status = 204, description = "withdrawn"),
                (status = 404, description = "unknown id", body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 409, description = "an entry of the catalogue of databases is withdrawn only by an approved request (request_required)", body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 410, description = "already withdrawn", body = crate::error::Problem, content_type = "application/problem+json")),
                security(("bearer" = [])))]
            #[delete($item)]
            pub async fn delete(state: web::Data<AppState>, caller: Caller, req: HttpRequest, id: web::Path<String>) -> ApiResult<HttpResponse> {
                super::withdraw($kind, state, caller, req, id.into_inner()).await
            }

            /// A record's versions with who, when, source, and the triples added and removed.
            #[utoipa::path(get, path = $hist, tag = $tag, operation_id = concat!($one, "_history"), params(("id" = String, Path, description = "record id")), responses(
                (status = 200, description = "history", body = History),
                (status = 404, description = "unknown id", body = crate::error::Problem, content_type = "application/problem+json")))]
            #[get($hist)]
            pub async fn history(state: web::Data<AppState>, caller: Caller, id: web::Path<String>) -> ApiResult<HttpResponse> {
                super::history($kind, state, caller, id.into_inner()).await
            }
        }
    };
}

record_handlers!(
    datasets,
    Kind::Dataset,
    "datasets",
    "dataset",
    "/datasets",
    "/datasets/{id}",
    "/datasets/{id}/history"
);
record_handlers!(
    dataservices,
    Kind::DataService,
    "dataservices",
    "dataservice",
    "/dataservices",
    "/dataservices/{id}",
    "/dataservices/{id}/history"
);
record_handlers!(
    catalogs,
    Kind::Catalog,
    "catalogs",
    "catalog",
    "/catalogs",
    "/catalogs/{id}",
    "/catalogs/{id}/history"
);

/// Mounts the three collections.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(datasets::create)
        .service(datasets::list)
        .service(datasets::history)
        .service(datasets::get)
        .service(datasets::put)
        .service(datasets::delete)
        .service(dataservices::create)
        .service(dataservices::list)
        .service(dataservices::history)
        .service(dataservices::get)
        .service(dataservices::put)
        .service(dataservices::delete)
        .service(catalogs::create)
        .service(catalogs::list)
        .service(catalogs::history)
        .service(catalogs::get)
        .service(catalogs::put)
        .service(catalogs::delete);
}
