//! A loopback HTTP server standing in for an agency's system: it answers whatever the test's
//! handler says (status, headers, body, delay), so harvests can be pointed at real fixture
//! files, generated paged endpoints, a CKAN stand-in and hostile behaviour alike.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// What the origin answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// Wait before answering (slow sources).
    pub delay: Duration,
}

impl Reply {
    /// 200 with a content type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// A status with a short text body.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: format!("status {status}").into_bytes(),
            delay: Duration::ZERO,
        }
    }

    /// A redirect.
    pub fn redirect(to: &str) -> Reply {
        Reply {
            status: 302,
            headers: vec![("Location".into(), to.into())],
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }
}

type Handler = dyn Fn(&str) -> Reply + Send + Sync;

/// A running origin; it stops with the test process.
pub struct Origin {
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl Origin {
    /// Starts serving `handler(path_and_query)` (the raw request target, not decoded).
    pub fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Origin {
        // Ports below the kernel's ephemeral range (32768+), so that an origin never takes the
        // port a test server was just given by `free_port` and is about to bind.
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u16)
            .unwrap_or(0);
        let listener = (0..2000u16)
            .find_map(|i| {
                let port = 20000 + (seed.wrapping_add(i.wrapping_mul(7919)) % 10000);
                TcpListener::bind(("127.0.0.1", port)).ok()
            })
            .expect("bind origin");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let h = handler.clone();
                std::thread::spawn(move || serve(stream, &*h));
            }
        });
        Origin { url }
    }

    /// Serves files under `root`, mapping the raw request path to a file name (percent
    /// escapes kept, as the LDES sample's file names contain them). Content type by extension.
    pub fn files(root: std::path::PathBuf) -> Origin {
        Origin::start(move |target| {
            let path = target
                .split('?')
                .next()
                .unwrap_or("")
                .trim_start_matches('/');
            let p = root.join(path);
            match std::fs::read(&p) {
                Ok(b) => Reply::ok(content_type(&p.to_string_lossy()), b),
                Err(_) => Reply::status(404),
            }
        })
    }
}

/// The content type a file server would send for a name.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("");
    match ext {
        "ttl" => "text/turtle",
        "rdf" | "xml" => "application/rdf+xml",
        "jsonld" => "application/ld+json",
        "json" => "application/json",
        "nt" => "application/n-triples",
        "trig" => "application/trig",
        "csv" => "text/csv",
        _ => "application/octet-stream",
    }
}

fn serve(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len];
    let _ = reader.read_exact(&mut body);
    let reply = handler(&target);
    std::thread::sleep(reply.delay);
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if !line.starts_with("HEAD ") {
        let _ = stream.write_all(&reply.body);
    }
    let _ = stream.flush();
}
