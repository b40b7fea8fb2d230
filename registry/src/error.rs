//! One error table for the whole HTTP surface (the meilisearch habit): each failure has a
//! stable snake_case `code`, an HTTP status and a documentation anchor, and is answered as
//! RFC 9457 `application/problem+json`. 5xx bodies say nothing internal; the cause is logged.

use crate::i18n::{self, Lang};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use std::fmt;

/// The stable error codes; the table below gives each its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A parameter or header is wrong.
    BadRequest,
    /// The JSON body does not parse.
    InvalidJson,
    /// The RDF body does not parse.
    InvalidRdf,
    /// The body parses but does not describe one acceptable record.
    InvalidRecord,
    /// A harvest source that cannot be registered (kind, URL, schedule, config).
    InvalidSource,
    /// The `Content-Type` is not one we read.
    UnsupportedMediaType,
    /// No representation matches `Accept`.
    NotAcceptable,
    /// The body exceeds the configured limit.
    PayloadTooLarge,
    /// No credentials were given where they are needed.
    Unauthorized,
    /// The bearer token is unknown or revoked.
    InvalidToken,
    /// The caller may not do this.
    Forbidden,
    /// Nothing with that id (or the caller may not know it exists).
    NotFound,
    /// The record existed and was withdrawn.
    RecordWithdrawn,
    /// A `PUT` came without `If-Match`.
    PreconditionRequired,
    /// `If-Match` names an older version.
    PreconditionFailed,
    /// The write conflicts with existing data (e.g. duplicate agency code).
    Conflict,
    /// The agency named does not exist.
    UnknownAgency,
    /// An entry of the catalogue of databases changes only through an approved request.
    RequestRequired,
    /// The SPARQL query does not parse.
    InvalidQuery,
    /// A SPARQL update was sent to the read-only endpoint.
    UpdateForbidden,
    /// The SPARQL query ran past the configured timeout and was cancelled.
    QueryTimeout,
    /// The HTTP method is not allowed here.
    MethodNotAllowed,
    /// The projections have not caught up with the log yet.
    NotReady,
    /// Input or a result exceeds one of the limits in `docs/LIMITS.md` (nesting depth,
    /// entity expansion, triples per record, result size).
    LimitExceeded,
    /// Every query slot this caller may use is taken and the wait for one ran out; retry
    /// after `Retry-After` seconds.
    Overloaded,
    /// This address sent more of one kind of request (anonymous feedback, data requests)
    /// than it may in a while; retry after `Retry-After` seconds.
    TooManyRequests,
    /// The database stayed busy with other writes past the wait; retry after `Retry-After`.
    DatabaseBusy,
    /// The request line and headers together exceed what the server reads (a very long
    /// query string or cookie).
    HeadersTooLarge,
    /// The request head did not arrive in time.
    RequestTimeout,
    /// Something failed on our side.
    Internal,
}

impl Code {
    /// Every code, in the order the error pages list them.
    pub const ALL: &[Code] = &[
        Code::BadRequest,
        Code::InvalidJson,
        Code::InvalidRdf,
        Code::InvalidRecord,
        Code::InvalidSource,
        Code::UnsupportedMediaType,
        Code::NotAcceptable,
        Code::PayloadTooLarge,
        Code::Unauthorized,
        Code::InvalidToken,
        Code::Forbidden,
        Code::NotFound,
        Code::RecordWithdrawn,
        Code::PreconditionRequired,
        Code::PreconditionFailed,
        Code::Conflict,
        Code::UnknownAgency,
        Code::RequestRequired,
        Code::InvalidQuery,
        Code::UpdateForbidden,
        Code::QueryTimeout,
        Code::MethodNotAllowed,
        Code::NotReady,
        Code::LimitExceeded,
        Code::Overloaded,
        Code::TooManyRequests,
        Code::DatabaseBusy,
        Code::HeadersTooLarge,
        Code::RequestTimeout,
        Code::Internal,
    ];

    /// The code named `name` (snake_case), if any.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// The HTTP status for this code.
    pub fn status(self) -> StatusCode {
        use Code::*;
        match self {
            BadRequest | InvalidJson | InvalidRdf | InvalidQuery => StatusCode::BAD_REQUEST,
            InvalidRecord | InvalidSource | UnknownAgency => StatusCode::UNPROCESSABLE_ENTITY,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Unauthorized | InvalidToken => StatusCode::UNAUTHORIZED,
            Forbidden | UpdateForbidden => StatusCode::FORBIDDEN,
            NotFound => StatusCode::NOT_FOUND,
            RecordWithdrawn => StatusCode::GONE,
            PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Conflict | RequestRequired => StatusCode::CONFLICT,
            QueryTimeout => StatusCode::SERVICE_UNAVAILABLE,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            NotReady | Overloaded | DatabaseBusy => StatusCode::SERVICE_UNAVAILABLE,
            LimitExceeded => StatusCode::UNPROCESSABLE_ENTITY,
            TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The snake_case name, as in the `code` member and `docs/errors.md`.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// An error answered to an HTTP client.
#[derive(Debug)]
pub struct ApiError {
    /// Which error.
    pub code: Code,
    /// What exactly went wrong, for the caller (never internal details for 5xx).
    pub detail: String,
    /// Where in the body, when known: (line, column), both from 1.
    pub position: Option<(u64, u64)>,
    /// Seconds for a `Retry-After` header (503 answers that a retry may fix).
    pub retry_after: Option<u64>,
}

/// The RFC 9457 body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Link to the documentation of this error code.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short summary, in Vietnamese.
    pub title: String,
    /// Short summary, in English.
    pub title_en: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong.
    pub detail: String,
    /// Stable machine-readable code.
    pub code: Code,
    /// Line of the error in the request body (from 1), when it is a parse error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Column of the error in the request body (from 1), when it is a parse error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl ApiError {
    /// An error with a detail message.
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        ApiError {
            code,
            detail: detail.into(),
            position: None,
            retry_after: None,
        }
    }

    /// The same error, answered with `Retry-After: secs`.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs.max(1));
        self
    }

    /// An error located in the request body.
    pub fn at(mut self, position: Option<(u64, u64)>) -> Self {
        self.position = position;
        self
    }

    /// An internal failure: logged in full, answered without details.
    pub fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            Code::Internal,
            "An internal error occurred; it has been logged.",
        )
    }

    /// The problem document.
    pub fn problem(&self) -> Problem {
        let key = self.code.as_str();
        Problem {
            type_: format!("{}/errors/{key}", problem_base()),
            title: i18n::msg(&key, Lang::Vi).to_owned(),
            title_en: i18n::msg(&key, Lang::En).to_owned(),
            status: self.code.status().as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            line: self.position.map(|p| p.0),
            column: self.position.map(|p| p.1),
        }
    }
}

static PROBLEM_BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Sets the base IRI that problem `type`s are minted under (the registry's own `/errors/{code}`
/// pages, so that a client following one gets the explanation); the first call wins.
pub fn set_problem_base(base: &str) {
    let _ = PROBLEM_BASE.set(base.trim_end_matches('/').to_owned());
}

fn problem_base() -> &'static str {
    PROBLEM_BASE.get().map(String::as_str).unwrap_or("")
}

/// The body of an answer the HTTP/1 layer writes before any handler sees the request (an
/// unparsable request, a head too large, a slow head): the same problem+json as every other
/// answer. Registered with the patched actix-http in `serve` (vendor/README.md).
pub fn render_dispatcher_error(
    status: StatusCode,
) -> Option<(actix_web::http::header::HeaderValue, actix_web::web::Bytes)> {
    let err = match status.as_u16() {
        400 => ApiError::new(
            Code::BadRequest,
            "the request is not valid HTTP/1.1: a malformed request line, or a header with a \
             character headers may not hold",
        ),
        431 => ApiError::new(
            Code::HeadersTooLarge,
            "the request line and headers exceed the server's limit; send long queries in a \
             POST body",
        ),
        408 => ApiError::new(
            Code::RequestTimeout,
            "the request head did not arrive in time",
        ),
        500 => ApiError::new(Code::Internal, "the request could not be processed"),
        _ => return None,
    };
    let body = serde_json::to_vec(&err.problem()).ok()?;
    Some((
        actix_web::http::header::HeaderValue::from_static("application/problem+json"),
        body.into(),
    ))
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut resp = HttpResponse::build(self.status_code());
        resp.content_type("application/problem+json");
        if let Some(secs) = self.retry_after {
            resp.insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()));
        }
        resp.json(self.problem())
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        use store::StoreError as E;
        match e {
            E::NotFound(what) => ApiError::new(Code::NotFound, format!("{what} not found")),
            E::Withdrawn(what) => {
                ApiError::new(Code::RecordWithdrawn, format!("{what} has been withdrawn"))
            }
            E::Conflict(what) => ApiError::new(Code::Conflict, what),
            E::UnknownAgency(code) => ApiError::new(
                Code::UnknownAgency,
                format!("agency '{code}' does not exist"),
            ),
            E::Stale { current } => ApiError::new(
                Code::PreconditionFailed,
                format!("If-Match does not match the current version; current ETag is {current}"),
            ),
            E::Invalid(msg) => ApiError::new(Code::InvalidRecord, msg),
            E::Shapes { message, .. } => ApiError::new(Code::InvalidRecord, message),
            E::RequestRequired(msg) => ApiError::new(Code::RequestRequired, msg),
            E::Sql(e) if store::is_busy(&e) => ApiError::new(
                Code::DatabaseBusy,
                "the database is busy with other writes; retry shortly",
            )
            .retry_after(2),
            other => ApiError::internal(other),
        }
    }
}

impl From<record::RecordError> for ApiError {
    fn from(e: record::RecordError) -> Self {
        if let record::RecordError::TooLarge(why) = e {
            return ApiError::new(Code::LimitExceeded, why);
        }
        ApiError::new(Code::InvalidRecord, e.to_string())
    }
}

impl From<record::rdf::ParseError> for ApiError {
    fn from(e: record::rdf::ParseError) -> Self {
        let code = if e.limit {
            Code::LimitExceeded
        } else if e.json {
            Code::InvalidJson
        } else {
            Code::InvalidRdf
        };
        ApiError::new(code, e.message).at(e.position)
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
