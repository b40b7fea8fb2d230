//! SPARQL 1.1 Protocol at `/sparql`: GET, URL-encoded POST and direct POST; JSON, XML, CSV and
//! TSV results, graph results in the RDF syntaxes; read-only; a timeout that cancels the
//! evaluation. What a caller can reach is decided by *which store* answers: the public store
//! never received a non-public triple (see `store::graph`).

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Code};
use crate::query_gate::CallerClass;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use std::collections::HashSet;
use store::graph::{Tier, VOCAB_GRAPH_PREFIX};

const RESULT_TYPES: &[&str] = &[
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
];
const GRAPH_TYPES: &[&str] = &[
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/n-quads",
    "application/trig",
];

/// A parsed protocol request.
#[derive(Debug, Default)]
pub struct ProtocolRequest {
    query: Option<String>,
    update: bool,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    /// `format=`: a result syntax chosen by a link (downloads), which a browser cannot put in
    /// `Accept`; it overrides `Accept`.
    format: Option<&'static str>,
}

impl ProtocolRequest {
    /// A query over the default dataset.
    pub fn query(text: &str) -> ProtocolRequest {
        ProtocolRequest {
            query: Some(text.to_owned()),
            ..ProtocolRequest::default()
        }
    }
}

/// The `format` parameter's values and the media types each stands for (a results syntax
/// for SELECT/ASK, a graph syntax for CONSTRUCT/DESCRIBE).
pub const FORMATS: &[(&str, &str)] = &[
    (
        "json",
        "application/sparql-results+json, application/ld+json",
    ),
    ("xml", "application/sparql-results+xml, application/rdf+xml"),
    ("csv", "text/csv, text/turtle"),
    ("tsv", "text/tab-separated-values, text/turtle"),
    ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
    ("rdf", "application/rdf+xml"),
    ("jsonld", "application/ld+json"),
];

fn parse_pairs(pairs: &[(String, String)], req: &mut ProtocolRequest) -> ApiResult<()> {
    for (k, v) in pairs {
        match k.as_str() {
            "query" => {
                if req.query.is_some() {
                    return Err(ApiError::new(
                        Code::BadRequest,
                        "more than one 'query' parameter",
                    ));
                }
                req.query = Some(v.clone());
            }
            "update" => req.update = true,
            "format" => {
                req.format = Some(
                    FORMATS
                        .iter()
                        .find(|(name, _)| name == v)
                        .map(|(_, media)| *media)
                        .ok_or_else(|| {
                            ApiError::new(
                                Code::BadRequest,
                                format!(
                                    "unknown format '{v}' (one of {})",
                                    FORMATS
                                        .iter()
                                        .map(|(n, _)| *n)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            )
                        })?,
                )
            }
            "default-graph-uri" => req.default_graphs.push(v.clone()),
            "named-graph-uri" => req.named_graphs.push(v.clone()),
            _ => {}
        }
    }
    Ok(())
}

fn decode_form(bytes: &[u8]) -> ApiResult<Vec<(String, String)>> {
    let s = std::str::from_utf8(bytes)
        .map_err(|_| ApiError::new(Code::BadRequest, "the request is not valid UTF-8"))?;
    let mut out = Vec::new();
    for part in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let dec = |x: &str| {
            urlencoding::decode(&x.replace('+', " "))
                .map(|c| c.into_owned())
                .map_err(|_| {
                    ApiError::new(
                        Code::BadRequest,
                        "the request is not valid UTF-8 after percent-decoding",
                    )
                })
        };
        out.push((dec(k)?, dec(v)?));
    }
    Ok(out)
}

/// SPARQL query by GET.
/// The form a SPARQL query is POSTed in (SPARQL 1.1 Protocol 2.1.2).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct SparqlForm {
    /// SPARQL 1.1 query.
    #[schema(min_length = 1)]
    query: String,
    /// Default graph(s).
    #[schema(rename = "default-graph-uri")]
    default_graph_uri: Option<Vec<String>>,
    /// Named graph(s).
    #[schema(rename = "named-graph-uri")]
    named_graph_uri: Option<Vec<String>>,
}

#[utoipa::path(get, path = "/sparql", tag = "sparql", params(
    ("query" = Option<String>, Query, description = "SPARQL 1.1 query; without one (and without dataset parameters) the answer is the endpoint's SPARQL 1.1 Service Description", min_length = 1),
    ("default-graph-uri" = Option<Vec<String>>, Query, description = "default graph(s)"),
    ("named-graph-uri" = Option<Vec<String>>, Query, description = "named graph(s)")),
    responses(
        (status = 200, description = "results (JSON, XML, CSV, TSV) or a graph (Turtle, N-Triples, RDF/XML, JSON-LD)"),
        (status = 400, description = "invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "updates are refused: read-only", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 406, description = "no result syntax matches Accept", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "the query is over --max-query-bytes", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "nesting, operator chain or result size over its limit (docs/LIMITS.md)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "timed out and cancelled, or every query slot busy (Retry-After)", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/sparql")]
pub async fn get_sparql(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let mut p = ProtocolRequest::default();
    parse_pairs(&decode_form(req.query_string().as_bytes())?, &mut p)?;
    if p.update {
        return Err(ApiError::new(
            Code::UpdateForbidden,
            "SPARQL Update is not accepted: this endpoint is read-only (and updates are never sent by GET)",
        ));
    }
    if p.query.is_none() && p.default_graphs.is_empty() && p.named_graphs.is_empty() {
        return service_description(&state, &req);
    }
    execute(&state, &caller, &req, p).await
}

/// `GET /sparql` without a query: the SPARQL 1.1 Service Description of the endpoint
/// (languages, result syntaxes, the dataset's layout), in the RDF syntax `Accept` asks for.
fn service_description(state: &AppState, req: &HttpRequest) -> ApiResult<HttpResponse> {
    use oxigraph::model::{Literal, NamedNode, Triple};
    use vocab::ns::{dct, rdf, sd};
    let accept = crate::api::header(req, "accept");
    let media = record::rdf::negotiate(accept, &GRAPH_TYPES[..4]).ok_or_else(|| {
        ApiError::new(
            Code::NotAcceptable,
            format!(
                "the service description is available as {}",
                GRAPH_TYPES[..4].join(", ")
            ),
        )
    })?;
    let base = &state.registry.base;
    let service = NamedNode::new_unchecked(format!("{base}/sparql"));
    let dataset = NamedNode::new_unchecked(format!("{base}/sparql#dataset"));
    let graph = NamedNode::new_unchecked(format!("{base}/sparql#default-graph"));
    let formats = "http://www.w3.org/ns/formats/";
    let mut t = vec![
        Triple::new(service.clone(), rdf::TYPE, sd::SERVICE),
        Triple::new(service.clone(), sd::ENDPOINT, service.clone()),
        Triple::new(service.clone(), sd::SUPPORTED_LANGUAGE, sd::SPARQL11_QUERY),
        Triple::new(service.clone(), sd::FEATURE, sd::UNION_DEFAULT_GRAPH),
        Triple::new(service.clone(), sd::DEFAULT_DATASET, dataset.clone()),
        Triple::new(dataset.clone(), rdf::TYPE, sd::DATASET),
        Triple::new(dataset.clone(), sd::DEFAULT_GRAPH, graph.clone()),
        Triple::new(graph.clone(), rdf::TYPE, sd::GRAPH),
        Triple::new(
            dataset.clone(),
            dct::DESCRIPTION,
            Literal::new_language_tagged_literal_unchecked(
                "Mỗi bản ghi (tập dữ liệu, dịch vụ dữ liệu, danh mục, cơ quan) là một đồ thị có tên \
                 trùng với IRI của bản ghi; đồ thị mặc định là hợp của các đồ thị đó. Người gọi \
                 không có mã truy cập chỉ thấy bản ghi công khai (PUBLIC); cơ quan thấy thêm bản ghi \
                 RESTRICTED và bản ghi NON_PUBLIC được chia sẻ với mình.",
                "vi",
            ),
        ),
        Triple::new(
            dataset,
            dct::DESCRIPTION,
            Literal::new_language_tagged_literal_unchecked(
                "Each record (dataset, data service, catalogue, agency) is a named graph named by \
                 the record's IRI; the default graph is their union. Anonymous callers see PUBLIC \
                 records only; agencies also see RESTRICTED records and the NON_PUBLIC ones shared \
                 with them.",
                "en",
            ),
        ),
    ];
    for f in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
        "N-Quads",
        "TriG",
    ] {
        t.push(Triple::new(
            service.clone(),
            sd::RESULT_FORMAT,
            NamedNode::new_unchecked(format!("{formats}{f}")),
        ));
    }
    let format =
        RdfFormat::from_media_type(media).ok_or_else(|| ApiError::internal("graph format"))?;
    let body = record::rdf::serialize_triples(t.iter().map(Triple::as_ref), format)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Vary", "Accept"))
        .content_type(format!("{media}; charset=utf-8"))
        .body(body))
}

/// SPARQL query by POST (URL-encoded form or `application/sparql-query`).
#[utoipa::path(post, path = "/sparql", tag = "sparql",
    request_body(content((String = "application/sparql-query"), (SparqlForm = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "results or a graph"),
        (status = 400, description = "invalid query", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "updates are refused: read-only", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 406, description = "no result syntax matches Accept", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "the body or query is over its size limit", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "unsupported Content-Type", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "nesting, operator chain or result size over its limit (docs/LIMITS.md)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "timed out and cancelled, or every query slot busy (Retry-After)", body = crate::error::Problem, content_type = "application/problem+json")))]
#[post("/sparql")]
pub async fn post_sparql(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let body = crate::api::read_body(&req, payload, state.config.http.body_limit).await?;
    let ct = crate::api::header(&req, "content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mut p = ProtocolRequest::default();
    parse_pairs(&decode_form(req.query_string().as_bytes())?, &mut p)?;
    match ct.as_str() {
        "application/x-www-form-urlencoded" => parse_pairs(&decode_form(&body)?, &mut p)?,
        "application/sparql-query" => {
            if p.query.is_some() {
                return Err(ApiError::new(
                    Code::BadRequest,
                    "a direct POST carries the query in the body, not also in the URL",
                ));
            }
            p.query =
                Some(String::from_utf8(body.to_vec()).map_err(|_| {
                    ApiError::new(Code::BadRequest, "the query is not valid UTF-8")
                })?);
        }
        "application/sparql-update" => p.update = true,
        "" => {
            return Err(ApiError::new(
                Code::UnsupportedMediaType,
                "POST to /sparql needs Content-Type application/sparql-query or application/x-www-form-urlencoded",
            ));
        }
        other => {
            return Err(ApiError::new(
                Code::UnsupportedMediaType,
                format!(
                    "Content-Type '{other}' is not a SPARQL request; use application/sparql-query or application/x-www-form-urlencoded"
                ),
            ));
        }
    }
    if p.update {
        return Err(ApiError::new(
            Code::UpdateForbidden,
            "SPARQL Update is not accepted: this endpoint is read-only; change records through /api/v1",
        ));
    }
    execute(&state, &caller, &req, p).await
}

/// Which store answers a caller, and, for agencies with NON_PUBLIC grants, which graphs of
/// the complete store they may use.
async fn scope(state: &AppState, caller: &Caller) -> ApiResult<(Tier, Option<Vec<String>>)> {
    match (caller.role, &caller.agency) {
        (Some(Role::Admin), _) => Ok((Tier::All, None)),
        (Some(_), Some(code)) => {
            let grants = state.registry.log.non_public_grants(code).await?;
            if grants.is_empty() {
                Ok((Tier::Government, None))
            } else {
                let mut allowed = state.registry.log.government_iris().await?;
                allowed.extend(grants);
                for (name, _) in vocab::CODELISTS {
                    allowed.push(format!(
                        "{VOCAB_GRAPH_PREFIX}codelist/{}",
                        name.trim_end_matches(".ttl")
                    ));
                }
                allowed.push(format!("{VOCAB_GRAPH_PREFIX}dcatvn"));
                Ok((Tier::All, Some(allowed)))
            }
        }
        _ => Ok((Tier::Public, None)),
    }
}

fn iri(s: &str) -> ApiResult<NamedNode> {
    NamedNode::new(s)
        .map_err(|e| ApiError::new(Code::BadRequest, format!("'{s}' is not an IRI: {e}")))
}

/// Stack for query threads: the parser and evaluator recurse over the query's syntax tree, and
/// long operator chains (`1+1+…`, `UNION` after `UNION`, `:p/:p/…`) are deep trees even where
/// brackets are not. Only touched pages are committed, so this costs address space, not memory.
const QUERY_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Queries chaining more operators than this are evaluated without Oxigraph's optimiser:
/// its planning time grows with the cube of a property-path or OPTIONAL chain (400 steps:
/// 3 s in a release build; 2,000: minutes) and cannot be cancelled, while the unoptimised plan
/// is prepared in linear time and its evaluation stops on cancellation. Hand-written queries
/// stay far below.
const OPTIMISE_UP_TO_OPERATORS: usize = 128;

async fn execute(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    p: ProtocolRequest,
) -> ApiResult<HttpResponse> {
    let accept = p
        .format
        .map(str::to_owned)
        .or_else(|| crate::api::header(req, "accept").map(str::to_owned));
    let (media, body) = answer(state, caller, p, accept).await?;
    Ok(HttpResponse::Ok()
        .content_type(media)
        .insert_header(("Vary", "Accept"))
        .body(body))
}

/// Answers a query for `caller` in the syntax `accept` chooses, under every limit of the
/// endpoint (size, nesting, operators, query slots, timeout with cancellation, result bytes):
/// the media type and the bytes. The SPARQL page shows its results through this too.
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    p: ProtocolRequest,
    accept: Option<String>,
) -> ApiResult<(String, Vec<u8>)> {
    let query_text = p
        .query
        .clone()
        .ok_or_else(|| ApiError::new(Code::BadRequest, "no 'query' parameter"))?;
    let limits = state.config.http.queries.clone();
    if query_text.len() > limits.max_query_bytes {
        return Err(ApiError::new(
            Code::PayloadTooLarge,
            format!(
                "the query is {} bytes, over the limit of {} bytes (--max-query-bytes)",
                query_text.len(),
                limits.max_query_bytes
            ),
        ));
    }
    harvest::guard::check_sparql(&query_text, &harvest::guard::limits()).map_err(|e| {
        let flag = if e.position.is_some() {
            "--max-depth"
        } else {
            "--max-query-operators"
        };
        ApiError::new(Code::LimitExceeded, format!("{e} ({flag})")).at(e.position)
    })?;
    let graphs = state
        .registry
        .graphs
        .clone()
        .ok_or_else(|| ApiError::new(Code::NotReady, "the graph store is not open"))?;
    let base = format!("{}/sparql", state.registry.base);
    let optimise = harvest::guard::sparql_operators(&query_text) <= OPTIMISE_UP_TO_OPERATORS;
    let (tier, allowed) = scope(state, caller).await?;
    let class = if caller.role.is_some() {
        CallerClass::Authenticated
    } else {
        CallerClass::Anonymous
    };
    let slot = state.queries.enter(class).await?;
    let token = CancellationToken::new();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let thread_token = token.clone();
    let max_bytes = limits.max_result_bytes;
    std::thread::Builder::new()
        .name("sparql".into())
        .stack_size(QUERY_STACK_BYTES)
        .spawn(move || {
            // Held until the evaluation has stopped, whatever the caller was answered.
            let _slot = slot;
            let result = evaluate(
                &graphs,
                tier,
                allowed,
                &query_text,
                &base,
                optimise,
                p,
                thread_token,
                accept.as_deref(),
                max_bytes,
            );
            let _ = tx.send(result);
        })
        .map_err(ApiError::internal)?;
    let timeout = state.config.http.query_timeout;
    match tokio::time::timeout(timeout, rx).await {
        Ok(joined) => joined.map_err(ApiError::internal)?,
        Err(_) => {
            // Stop the evaluation itself, not just our wait for it.
            token.cancel();
            Err(ApiError::new(
                Code::QueryTimeout,
                format!(
                    "the query ran longer than {} s and was cancelled",
                    timeout.as_secs_f32()
                ),
            ))
        }
    }
}

/// Parses, scopes and evaluates a query on the calling (large-stack) thread.
#[allow(clippy::too_many_arguments)]
fn evaluate(
    graphs: &store::graph::Projections,
    tier: Tier,
    allowed: Option<Vec<String>>,
    query_text: &str,
    base: &str,
    optimise: bool,
    p: ProtocolRequest,
    token: CancellationToken,
    accept: Option<&str>,
    max_bytes: usize,
) -> ApiResult<(String, Vec<u8>)> {
    // Relative IRIs in a query resolve against the endpoint's own IRI.
    let mut evaluator = SparqlEvaluator::new()
        .with_base_iri(base)
        .map_err(|e| ApiError::internal(format!("base IRI: {e}")))?;
    if !optimise {
        evaluator = evaluator.without_optimizations();
    }
    let mut prepared = evaluator
        .with_cancellation_token(token.clone())
        .parse_query(query_text)
        .map_err(|e| ApiError::new(Code::InvalidQuery, e.to_string()))?;
    // Protocol parameters override the query's own FROM / FROM NAMED.
    if !p.default_graphs.is_empty() || !p.named_graphs.is_empty() {
        let d: Vec<GraphName> = p
            .default_graphs
            .iter()
            .map(|g| iri(g).map(GraphName::NamedNode))
            .collect::<ApiResult<_>>()?;
        let n: Vec<NamedOrBlankNode> = p
            .named_graphs
            .iter()
            .map(|g| iri(g).map(NamedOrBlankNode::NamedNode))
            .collect::<ApiResult<_>>()?;
        let ds = prepared.dataset_mut();
        ds.set_default_graph(d);
        ds.set_available_named_graphs(n);
    } else if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    if let Some(allowed) = allowed {
        let allowed_set: HashSet<&str> = allowed.iter().map(String::as_str).collect();
        let ds = prepared.dataset_mut();
        let default: Vec<GraphName> = match ds.default_graph_graphs() {
            None => allowed
                .iter()
                .map(|g| GraphName::NamedNode(NamedNode::new_unchecked(g)))
                .collect(),
            Some(gs) => gs
                .iter()
                .filter(
                    |g| matches!(g, GraphName::NamedNode(n) if allowed_set.contains(n.as_str())),
                )
                .cloned()
                .collect(),
        };
        let named: Vec<NamedOrBlankNode> = match ds.available_named_graphs() {
            None => allowed.iter().map(|g| NamedOrBlankNode::NamedNode(NamedNode::new_unchecked(g))).collect(),
            Some(gs) => gs.iter().filter(|g| matches!(g, NamedOrBlankNode::NamedNode(n) if allowed_set.contains(n.as_str()))).cloned().collect(),
        };
        ds.set_default_graph(default);
        ds.set_available_named_graphs(named);
    }
    let store = graphs.store(tier);
    let results = prepared.on_store(store).execute().map_err(eval_error)?;
    let out = Budget {
        buf: Vec::new(),
        max: max_bytes,
        token,
    };
    serialize(results, accept, out)
}

/// The result buffer: refuses to grow past the result limit, and stops writing once the
/// query is cancelled (so a timed-out query stops at its next row even where the evaluator
/// does not look at its token).
struct Budget {
    buf: Vec<u8>,
    max: usize,
    token: CancellationToken,
}

const OVER_BUDGET: &str = "result over the size limit";

impl std::io::Write for Budget {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.token.is_cancelled() {
            return Err(std::io::Error::other("cancelled"));
        }
        if self.buf.len() + data.len() > self.max {
            return Err(std::io::Error::other(OVER_BUDGET));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a failed write of the results means for the caller.
fn write_error(e: std::io::Error, max: usize) -> ApiError {
    match e.to_string().as_str() {
        OVER_BUDGET => ApiError::new(
            Code::LimitExceeded,
            format!(
                "the results exceed {max} bytes (--max-result-bytes) and were not sent; add LIMIT, or page with ORDER BY, LIMIT and OFFSET"
            ),
        ),
        "cancelled" => ApiError::new(
            Code::QueryTimeout,
            "the query ran past the timeout and was cancelled",
        ),
        _ => ApiError::internal(e),
    }
}

fn eval_error(e: QueryEvaluationError) -> ApiError {
    match e {
        QueryEvaluationError::Cancelled => ApiError::new(
            Code::QueryTimeout,
            "the query ran past the timeout and was cancelled",
        ),
        QueryEvaluationError::Dataset(e) | QueryEvaluationError::Unexpected(e) => {
            ApiError::internal(e)
        }
        QueryEvaluationError::Service(_)
        | QueryEvaluationError::UnsupportedService(_)
        | QueryEvaluationError::UnboundService
        | QueryEvaluationError::InvalidServiceName(_) => ApiError::new(
            Code::InvalidQuery,
            "SERVICE (federated query) is not available on this endpoint",
        ),
        other => ApiError::new(Code::InvalidQuery, other.to_string()),
    }
}

fn serialize(
    results: QueryResults<'_>,
    accept: Option<&str>,
    out: Budget,
) -> ApiResult<(String, Vec<u8>)> {
    let max = out.max;
    let werr = |e: std::io::Error| write_error(e, max);
    match results {
        QueryResults::Graph(triples) => {
            let media = record::rdf::negotiate(accept, GRAPH_TYPES).ok_or_else(|| {
                ApiError::new(
                    Code::NotAcceptable,
                    format!("graph results are available as {}", GRAPH_TYPES.join(", ")),
                )
            })?;
            let format = RdfFormat::from_media_type(media)
                .ok_or_else(|| ApiError::internal("graph format"))?;
            let mut ser = RdfSerializer::from_format(format);
            if matches!(
                format,
                RdfFormat::Turtle | RdfFormat::RdfXml | RdfFormat::TriG
            ) {
                for (p, ns) in vocab::PREFIXES {
                    ser = ser.with_prefix(*p, *ns).map_err(ApiError::internal)?;
                }
            }
            let mut w = ser.for_writer(out);
            for t in triples {
                let t = t.map_err(eval_error)?;
                w.serialize_triple(&t).map_err(werr)?;
            }
            Ok((
                format!("{media}; charset=utf-8"),
                w.finish().map_err(werr)?.buf,
            ))
        }
        QueryResults::Boolean(b) => {
            let (media, format) = results_format(accept)?;
            let out = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(out, b)
                .map_err(werr)?;
            Ok((media, out.buf))
        }
        QueryResults::Solutions(solutions) => {
            let (media, format) = results_format(accept)?;
            let mut w = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())
                .map_err(werr)?;
            for s in solutions {
                let s = s.map_err(eval_error)?;
                w.serialize(s.iter()).map_err(werr)?;
            }
            Ok((media, w.finish().map_err(werr)?.buf))
        }
    }
}

fn results_format(accept: Option<&str>) -> ApiResult<(String, QueryResultsFormat)> {
    let media = record::rdf::negotiate(accept, RESULT_TYPES).ok_or_else(|| {
        ApiError::new(
            Code::NotAcceptable,
            format!("results are available as {}", RESULT_TYPES[..4].join(", ")),
        )
    })?;
    let format = match media {
        "application/sparql-results+xml" => QueryResultsFormat::Xml,
        "text/csv" => QueryResultsFormat::Csv,
        "text/tab-separated-values" => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    };
    let media = if media == "application/json" {
        "application/sparql-results+json"
    } else {
        media
    };
    Ok((format!("{media}; charset=utf-8"), format))
}

/// Mounts `/sparql`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_sparql).service(post_sparql);
}
