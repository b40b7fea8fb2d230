//! Fetching what sources publish, defensively: only http(s), never to private, loopback,
//! link-local or metadata-service addresses unless the operator allows it, with bounded time,
//! size and redirects, and retries with backoff for transient failures. Every harvest request
//! goes through here, so these guards cannot be forgotten by a connector.

use bytes::Bytes;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Limits applied to every request of a harvest.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Whether private, loopback and link-local addresses may be fetched (tests and
    /// on-premises portals); metadata services stay refused only by this switch.
    pub allow_private: bool,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Time allowed for one whole request (connect, headers and body).
    pub timeout: Duration,
    /// Redirects followed per request.
    pub max_redirects: usize,
    /// Attempts after the first for transient failures (connection errors, 429, 5xx).
    pub retries: u32,
    /// First backoff delay; doubled per attempt.
    pub backoff: Duration,
    /// Pages followed in one run (a guard beside the loop detection).
    pub max_pages: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allow_private: false,
            max_bytes: 64 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            max_redirects: 5,
            retries: 2,
            backoff: Duration::from_millis(500),
            max_pages: 100_000,
        }
    }
}

/// Why a fetch failed. Messages name the URL and the guard that refused it.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not http or https, or not a URL at all.
    #[error("harvest URL {0} is not an http(s) URL")]
    Scheme(String),
    /// The address is private, loopback, link-local or a metadata service.
    #[error(
        "harvest URL {url} resolves to a non-public address ({addr}); such addresses are refused unless the server runs with --allow-private-harvest"
    )]
    Private {
        /// The URL.
        url: String,
        /// The refused address.
        addr: String,
    },
    /// The body is larger than allowed.
    #[error("response from {url} is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// The server answered with an error status.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// Timed out.
    #[error("{url} did not answer within {secs} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The limit.
        secs: u64,
    },
    /// Too many redirects or a redirect loop.
    #[error("{url}: {reason}")]
    Redirect {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// Any other transport failure.
    #[error("could not fetch {url}: {reason}")]
    Transport {
        /// The URL.
        url: String,
        /// The cause chain.
        reason: String,
    },
}

/// A fetched response.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The final URL, after redirects (relative links resolve against it).
    pub url: Url,
    /// `Content-Type`, if any.
    pub content_type: Option<String>,
    /// `Cache-Control`, if any.
    pub cache_control: Option<String>,
    /// The body.
    pub body: Bytes,
}

/// Whether an address may not be harvested without `--allow-private-harvest`.
pub fn is_non_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return non_public_v4(v4);
            }
            let seg = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local
                || (seg[0] & 0xffc0) == 0xfe80 // link-local
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) // AWS metadata
        }
    }
}

fn non_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // includes the 169.254.169.254 metadata service
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // carrier-grade NAT
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking
}

/// Checks a URL before any request: scheme, and the host when it is an IP literal (names are
/// checked when resolved, so that DNS answers cannot sneak past).
pub fn check_url(url: &Url, allow_private: bool) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::Scheme(url.to_string()));
    }
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(FetchError::Scheme(url.to_string())),
    };
    if let Some(ip) = ip
        && !allow_private
        && is_non_public(ip)
    {
        return Err(FetchError::Private {
            url: url.to_string(),
            addr: ip.to_string(),
        });
    }
    Ok(())
}

/// Resolves names with the system resolver and drops non-public answers.
struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| !is_non_public(a.ip()))
                .collect();
            if public.is_empty() {
                let first = addrs
                    .first()
                    .map(|a| a.ip().to_string())
                    .unwrap_or_else(|| "no address".into());
                return Err(Box::new(PrivateName(host, first)) as _);
            }
            let it: Addrs = Box::new(public.into_iter());
            Ok(it)
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0} resolves to a non-public address ({1})")]
struct PrivateName(String, String);

/// An HTTP client bound to a [`Policy`].
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    /// The limits.
    pub policy: Policy,
}

impl Fetcher {
    /// Builds the client. The redirect policy re-checks every hop and stops loops.
    pub fn new(policy: Policy) -> Result<Fetcher, FetchError> {
        let max = policy.max_redirects;
        let allow = policy.allow_private;
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max {
                return attempt.error(format!("more than {max} redirects"));
            }
            if attempt.previous().contains(attempt.url()) {
                return attempt.error("redirect loop");
            }
            if let Err(e) = check_url(attempt.url(), allow) {
                return attempt.error(e.to_string());
            }
            attempt.follow()
        });
        let mut b = reqwest::Client::builder()
            .redirect(redirect)
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!(
                "danhmuc-harvest/",
                env!("CARGO_PKG_VERSION"),
                " (+https://w3id.org/dcat-vn)"
            ));
        if !policy.allow_private {
            b = b.dns_resolver(Arc::new(GuardedResolver));
        }
        let client = b.build().map_err(|e| FetchError::Transport {
            url: String::new(),
            reason: chain(&e),
        })?;
        Ok(Fetcher { client, policy })
    }

    /// GETs a URL with retries; the body is read up to the size limit.
    pub async fn get(&self, url: &Url, accept: &str) -> Result<Fetched, FetchError> {
        check_url(url, self.policy.allow_private)?;
        let mut attempt = 0u32;
        loop {
            match self.get_once(url, accept).await {
                Ok(f) => return Ok(f),
                Err((e, transient)) => {
                    if !transient || attempt >= self.policy.retries {
                        return Err(e);
                    }
                    let delay = self.policy.backoff * 2u32.saturating_pow(attempt);
                    tracing::debug!(%url, error = %e, ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    /// Whether a URL answers, without reading its body: the status of a HEAD request, or of a
    /// GET when the server refuses HEAD (405, 501). Same guards as [`Fetcher::get`]; any HTTP
    /// answer is `Ok`, only transport failures and refusals are errors.
    pub async fn probe(&self, url: &Url) -> Result<u16, FetchError> {
        check_url(url, self.policy.allow_private)?;
        let head = self
            .client
            .head(url.clone())
            .send()
            .await
            .map_err(|e| self.classify(url, &e))?;
        let status = head.status().as_u16();
        if status != 405 && status != 501 {
            return Ok(status);
        }
        let get = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| self.classify(url, &e))?;
        Ok(get.status().as_u16())
    }

    async fn get_once(&self, url: &Url, accept: &str) -> Result<Fetched, (FetchError, bool)> {
        let secs = self.policy.timeout.as_secs().max(1);
        let resp = self
            .client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, accept)
            .send()
            .await
            .map_err(|e| (self.classify(url, &e), e.is_connect()))?;
        let status = resp.status();
        if !status.is_success() {
            let transient = status.is_server_error() || status.as_u16() == 429;
            return Err((
                FetchError::Status {
                    url: url.to_string(),
                    status: status.as_u16(),
                },
                transient,
            ));
        }
        let limit = self.policy.max_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err((
                FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                },
                false,
            ));
        }
        let final_url = resp.url().clone();
        let header = |name: reqwest::header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let cache_control = header(reqwest::header::CACHE_CONTROL);
        let mut resp = resp;
        let mut body: Vec<u8> = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(c)) => {
                    if body.len() as u64 + c.len() as u64 > limit {
                        return Err((
                            FetchError::TooLarge {
                                url: url.to_string(),
                                limit,
                            },
                            false,
                        ));
                    }
                    body.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) if e.is_timeout() => {
                    return Err((
                        FetchError::Timeout {
                            url: url.to_string(),
                            secs,
                        },
                        false,
                    ));
                }
                Err(e) => return Err((self.classify(url, &e), false)),
            }
        }
        Ok(Fetched {
            url: final_url,
            content_type,
            cache_control,
            body: Bytes::from(body),
        })
    }

    fn classify(&self, url: &Url, e: &reqwest::Error) -> FetchError {
        let reason = chain(e);
        if e.is_timeout() {
            return FetchError::Timeout {
                url: url.to_string(),
                secs: self.policy.timeout.as_secs().max(1),
            };
        }
        if e.is_redirect() {
            return FetchError::Redirect {
                url: url.to_string(),
                reason,
            };
        }
        if reason.contains("non-public address") {
            let addr = reason
                .rsplit('(')
                .next()
                .unwrap_or("")
                .trim_end_matches(')')
                .to_owned();
            return FetchError::Private {
                url: url.to_string(),
                addr,
            };
        }
        FetchError::Transport {
            url: url.to_string(),
            reason,
        }
    }
}

/// The error and its causes on one line.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// A guard against paging loops and runaway page counts.
#[derive(Debug, Default)]
pub struct Visited {
    seen: HashSet<String>,
}

impl Visited {
    /// Records a page; `false` when it was seen before in this run.
    pub fn first_visit(&mut self, url: &Url) -> bool {
        self.seen.insert(url.as_str().to_owned())
    }

    /// Pages visited.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no page was visited.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_metadata_addresses_are_refused() {
        for bad in [
            "http://127.0.0.1/x",
            "http://10.1.2.3/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[::ffff:192.168.1.1]/",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
        ] {
            let u = Url::parse(bad).expect("url");
            assert!(
                matches!(check_url(&u, false), Err(FetchError::Private { .. })),
                "{bad}"
            );
            assert!(check_url(&u, true).is_ok(), "{bad} allowed when permitted");
        }
        assert!(check_url(&Url::parse("http://8.8.8.8/").expect("url"), false).is_ok());
        assert!(matches!(
            check_url(&Url::parse("file:///etc/passwd").expect("url"), true),
            Err(FetchError::Scheme(_))
        ));
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused() {
        let f = Fetcher::new(Policy::default()).expect("client");
        let err = f
            .get(&Url::parse("http://localhost:9/").expect("url"), "*/*")
            .await
            .expect_err("refused");
        assert!(matches!(err, FetchError::Private { .. }), "{err}");
    }
}
