//! End-to-end test support: builds and starts the real `danhmuc` binary on a free loopback
//! port with a fresh data directory (and, for the PostgreSQL half, a fresh database), and
//! gives tests a blocking HTTP client and an admin token.

pub mod origin;
pub mod portal;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Which change-log database a server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file in the data directory.
    Sqlite,
    /// A fresh database on the PostgreSQL at 127.0.0.1:5432.
    Postgres,
}

/// Both backends, for tests that must pass on each.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// The path of the `danhmuc` binary. The e2e tests build as integration tests of the
/// `danhmuc` package, so cargo has built the current binary beside the test executable.
pub fn binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test exe path");
        let bin = exe
            .parent()
            .and_then(Path::parent)
            .expect("target dir")
            .join("danhmuc");
        assert!(
            bin.exists(),
            "{} missing: run the tests with `cargo test --workspace`",
            bin.display()
        );
        bin
    })
    .clone()
}

/// Runs the CLI and returns (status, stdout, stderr).
pub fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(binary())
        .args(args)
        .env("DANHMUC_LOG", "warn")
        .output()
        .expect("run danhmuc");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh PostgreSQL database, dropped when the value is dropped.
pub struct PgDatabase {
    /// Its URL.
    pub url: String,
    name: String,
}

fn pg_admin(sql: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect("postgres://postgres@127.0.0.1:5432/test")
            .await
            .expect(
                "PostgreSQL at 127.0.0.1:5432 (database test) must be reachable; .ci/run starts it",
            );
        sqlx::query(sql).execute(&mut c).await.expect("admin SQL");
    });
}

impl PgDatabase {
    /// Creates an empty database.
    pub fn create() -> PgDatabase {
        let name = format!("danhmuc_t_{}", uuid::Uuid::new_v4().simple());
        pg_admin(&format!("CREATE DATABASE {name}"));
        PgDatabase {
            url: format!("postgres://postgres@127.0.0.1:5432/{name}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        pg_admin(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// The data directory.
    pub data: PathBuf,
    /// The base IRI records are minted under (`url` unless started with [`Server::start_at`]).
    pub base: String,
    /// The backend.
    pub backend: Backend,
    /// An admin token.
    pub admin: String,
    /// `--database-url` when PostgreSQL.
    pub database_url: Option<String>,
    child: Option<Child>,
    extra: Vec<String>,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<PgDatabase>,
    port: u16,
    /// Lines the server printed on stdout.
    pub stdout: Vec<String>,
    /// Extra environment for the server process (applies from the next start).
    pub env: Vec<(String, String)>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl Server {
    /// Starts a server with a fresh data directory and extra `serve` flags.
    pub fn start(backend: Backend, extra: &[&str]) -> Server {
        Server::start_at(backend, None, extra)
    }

    /// Like [`Server::start`], with a public base IRI other than the server's own address
    /// (as behind a reverse proxy).
    pub fn start_at(backend: Backend, base: Option<&str>, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let pg = (backend == Backend::Postgres).then(PgDatabase::create);
        let port = free_port();
        let mut s = Server {
            url: format!("http://127.0.0.1:{port}"),
            data: dir.path().to_owned(),
            base: base
                .map(str::to_owned)
                .unwrap_or_else(|| format!("http://127.0.0.1:{port}")),
            backend,
            admin: String::new(),
            database_url: pg.as_ref().map(|p| p.url.clone()),
            child: None,
            extra: extra.iter().map(|s| s.to_string()).collect(),
            _dir: Some(dir),
            _pg: pg,
            port,
            stdout: Vec::new(),
            env: Vec::new(),
        };
        let (ok, out, err) = s.cli(&["token", "create", "--role", "admin", "--label", "e2e"]);
        assert!(ok, "token create failed: {err}");
        s.admin = out.trim().to_owned();
        // The port was free when chosen; another test may have taken it since. Then this server
        // exits or another one answers: pick a new port (nothing has been minted under the old
        // base yet) and try again.
        let own_base = base.is_none();
        for _ in 0..10 {
            match s.try_spawn() {
                Ok(()) => return s,
                Err(why) => {
                    eprintln!("port {} unusable ({why}); retrying on another", s.port);
                    s.kill();
                    s.port = free_port();
                    s.url = format!("http://127.0.0.1:{}", s.port);
                    if own_base {
                        s.base = s.url.clone();
                    }
                }
            }
        }
        panic!("no usable port for danhmuc serve");
    }

    /// `--data`, `--database-url` and `--base-iri` for CLI commands on this server's data.
    pub fn store_args<'a>(&'a self, head: &[&'a str]) -> Vec<String> {
        let mut v: Vec<String> = head.iter().map(|s| s.to_string()).collect();
        v.push("--data".into());
        v.push(self.data.display().to_string());
        v.push("--base-iri".into());
        v.push(self.base.clone());
        if let Some(u) = &self.database_url {
            v.push("--database-url".into());
            v.push(u.clone());
        }
        v
    }

    /// Runs a CLI command against this server's data.
    pub fn cli(&self, head: &[&str]) -> (bool, String, String) {
        let args = self.store_args(head);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        cli(&refs)
    }

    fn spawn(&mut self) {
        if let Err(why) = self.try_spawn() {
            panic!("danhmuc serve: {why}");
        }
    }

    /// Starts the server; fails when it exits early or when what answers on its port is not
    /// this server (the admin token is unknown there).
    fn try_spawn(&mut self) -> Result<(), String> {
        let mut args = self.store_args(&["serve"]);
        args.push("--bind".into());
        args.push(format!("127.0.0.1:{}", self.port));
        args.extend(self.extra.iter().cloned());
        let mut child = Command::new(binary())
            .args(&args)
            .env("DANHMUC_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn danhmuc serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = reqwest::blocking::Client::new();
        loop {
            while let Ok(l) = rx.try_recv() {
                self.stdout.push(l);
            }
            // Only danhmuc's own readiness answer counts (not whatever else might hold the port).
            if let Ok(r) = client.get(format!("{}/readyz", self.url)).send()
                && r.status().is_success()
                && r.text().is_ok_and(|t| t.contains("log_position"))
            {
                let ours = client
                    .get(format!("{}/api/v1/tokens", self.url))
                    .bearer_auth(&self.admin)
                    .send()
                    .is_ok_and(|r| r.status().is_success());
                if !ours {
                    return Err("another server answers on the port".into());
                }
                break;
            }
            if let Some(c) = self.child.as_mut()
                && let Ok(Some(status)) = c.try_wait()
            {
                return Err(format!("exited early: {status}"));
            }
            if Instant::now() >= deadline {
                return Err("did not become ready".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(100));
        while let Ok(l) = rx.try_recv() {
            self.stdout.push(l);
        }
        Ok(())
    }

    /// SIGKILLs the server (no chance to flush anything).
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts the server again on the same data and port.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// A blocking client.
    pub fn client(&self) -> reqwest::blocking::Client {
        reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client")
    }

    /// GET with an optional token.
    pub fn get(&self, path: &str, token: Option<&str>) -> reqwest::blocking::Response {
        let mut r = self.client().get(format!("{}{path}", self.url));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().expect("GET")
    }

    /// GETs an absolute URL with `Accept: accept`, asserts a 200 in that media type, and
    /// returns the body.
    pub fn get_accepting(&self, url: &str, accept: &str) -> Vec<u8> {
        let r = self
            .client()
            .get(url)
            .header("accept", accept)
            .send()
            .expect("GET");
        assert_eq!(r.status().as_u16(), 200, "{url} as {accept}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("content-type")
                .starts_with(accept),
            "{url} as {accept}"
        );
        r.bytes().expect("body").to_vec()
    }

    /// POST a body with a content type and token.
    pub fn post(
        &self,
        path: &str,
        ct: &str,
        body: impl Into<reqwest::blocking::Body>,
        token: Option<&str>,
    ) -> reqwest::blocking::Response {
        let mut r = self
            .client()
            .post(format!("{}{path}", self.url))
            .header("content-type", ct)
            .body(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().expect("POST")
    }

    /// Creates an agency (as admin).
    pub fn agency(&self, code: &str, vi: &str) {
        let r = self.post(
            "/api/v1/agencies",
            "application/json",
            serde_json::json!({"code": code, "name": {"vi": vi, "en": code}}).to_string(),
            Some(&self.admin),
        );
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    }

    /// The demo's first dataset about schools, as search finds it: (id, IRI, agency).
    pub fn demo_school_dataset(&self) -> (String, String, String) {
        let found: serde_json::Value = self
            .get("/api/v1/search?kind=dataset&q=truong+hoc", None)
            .json()
            .expect("search");
        let item = &found["items"][0];
        let field = |k: &str| item[k].as_str().expect(k).to_owned();
        (field("id"), field("iri"), field("agency"))
    }

    /// The id of the demo's RESTRICTED data service (land parcels), found as an admin.
    pub fn demo_restricted_service(&self) -> String {
        let hidden: serde_json::Value = self
            .get(
                "/api/v1/search?kind=dataservice&q=thua+dat",
                Some(&self.admin),
            )
            .json()
            .expect("search");
        hidden["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["title"].as_str().is_some_and(|t| t.contains("thửa đất")))
            .and_then(|i| i["id"].as_str())
            .expect("the restricted service")
            .to_owned()
    }

    /// Creates a token for an agency.
    pub fn token(&self, role: &str, agency: &str) -> String {
        let (ok, out, err) = self.cli(&["token", "create", "--role", role, "--agency", agency]);
        assert!(ok, "{err}");
        out.trim().to_owned()
    }

    /// Runs a SPARQL SELECT/ASK with JSON results.
    pub fn sparql(&self, query: &str, token: Option<&str>) -> serde_json::Value {
        let mut r = self
            .client()
            .post(format!("{}/sparql", self.url))
            .header("content-type", "application/sparql-query")
            .header("accept", "application/sparql-results+json")
            .body(query.to_owned());
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let r = r.send().expect("sparql");
        assert!(
            r.status().is_success(),
            "sparql failed: {}",
            r.text().unwrap_or_default()
        );
        r.json().expect("json results")
    }
}

impl Server {
    /// Runs one SQL statement on the server's database (SQLite file or PostgreSQL), as an
    /// operator would by hand; returns the rows affected.
    pub fn sql(&self, sql: &str) -> u64 {
        let url = match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}", self.data.join("danhmuc.sqlite").display()),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            sqlx::any::install_default_drivers();
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&url).await.expect("connect");
            sqlx::query(sql)
                .execute(&mut c)
                .await
                .expect("SQL")
                .rows_affected()
        })
    }

    /// Titles of the datasets anonymous SPARQL sees, sorted.
    pub fn dataset_titles(&self) -> Vec<String> {
        let v = self.sparql(
            "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?t WHERE { ?d a dcat:Dataset ; dct:title ?t } ORDER BY ?t",
            None,
        );
        v["results"]["bindings"]
            .as_array()
            .expect("bindings")
            .iter()
            .map(|b| b["t"]["value"].as_str().expect("t").to_owned())
            .collect()
    }

    /// (IRI, canonical hash) of the published records of a collection anonymous readers see,
    /// sorted by IRI: what two registries holding the same records share exactly.
    pub fn public_hashes(&self, collection: &str) -> Vec<(String, String)> {
        let r = self.get(
            &format!("/api/v1/{collection}?status=published&limit=1000"),
            None,
        );
        assert_eq!(r.status().as_u16(), 200);
        let v: serde_json::Value = r.json().expect("json");
        let mut out: Vec<(String, String)> = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                (
                    i["iri"].as_str().expect("iri").to_owned(),
                    i["contentHash"].as_str().expect("contentHash").to_owned(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Registers a harvest source (as admin) and returns its id.
    pub fn source(&self, kind: &str, url: &str, agency: &str, config: serde_json::Value) -> String {
        let r = self.post(
            "/api/v1/harvest/sources",
            "application/json",
            serde_json::json!({"name": format!("{kind} {url}"), "kind": kind, "url": url, "agency": agency, "config": config}).to_string(),
            Some(&self.admin),
        );
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
        r.json::<serde_json::Value>().expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// Starts a run (as admin) and waits for it to finish; returns the job.
    pub fn harvest(&self, source: &str) -> serde_json::Value {
        let r = self.post(
            &format!("/api/v1/harvest/sources/{source}/run"),
            "application/json",
            "",
            Some(&self.admin),
        );
        assert_eq!(r.status().as_u16(), 202, "{}", r.text().unwrap_or_default());
        let job: serde_json::Value = r.json().expect("job");
        self.wait_job(job["id"].as_str().expect("id"))
    }

    /// Polls a job until it is no longer queued or running (at most two minutes).
    pub fn wait_job(&self, id: &str) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let j: serde_json::Value = self
                .get(&format!("/api/v1/harvest/jobs/{id}"), Some(&self.admin))
                .json()
                .expect("job json");
            let st = j["status"].as_str().unwrap_or("").to_owned();
            if st != "queued" && st != "running" {
                return j;
            }
            assert!(Instant::now() < deadline, "job {id} did not finish: {j}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The shared fixtures folder, or `None` outside CI when it is missing.
pub fn fixtures() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures");
    if p.exists() {
        Some(p)
    } else {
        assert!(
            std::env::var("CI").is_err(),
            "fixtures missing under CI: {}",
            p.display()
        );
        None
    }
}
