//! One RDF page of a source: its URL checked, fetched through the guarded client, its syntax
//! detected and parsed. The DCAT and LDES readers both page through sources with it, and the
//! CKAN and sheet connectors check their URL with it.

use crate::format::{self, ACCEPT};
use crate::{Context, HarvestError};
use oxrdf::Quad;
use url::Url;

/// Parses the source URL.
pub(crate) fn source_url(raw: &str) -> Result<Url, HarvestError> {
    Url::parse(raw.trim())
        .map_err(|e| HarvestError::Source(format!("harvest URL “{raw}” is not a valid URL: {e}")))
}

/// Fetches and parses one page. Errors name the page.
pub(crate) async fn fetch_rdf(
    ctx: &Context,
    url: &Url,
) -> Result<(Url, Vec<Quad>, Option<String>), HarvestError> {
    let f = ctx.fetcher.get(url, ACCEPT).await?;
    let fmt = format::detect(f.content_type.as_deref(), &f.url, &f.body)
        .ok_or_else(|| HarvestError::Source(format!("{url}: the response is empty, not RDF")))?;
    let quads = format::parse(&f.body, fmt, f.url.as_str())
        .map_err(|m| HarvestError::Source(format!("{url}: {m}")))?;
    Ok((f.url, quads, f.cache_control))
}
