//! The benchmark harness (see BENCHMARKS.md): a corpus generator of realistic Vietnamese DCAT,
//! and side-by-side runs against bare Oxigraph on the same data.
//!
//! ```text
//! danhmuc-bench corpus --datasets 10000 --out corpus/            # N-Triples files of 10k datasets
//! danhmuc-bench import --datasets 10000                          # danhmuc import vs Oxigraph bulk load
//! danhmuc-bench sparql --datasets 10000 --oxigraph oxigraph      # /sparql vs `oxigraph serve`
//! danhmuc-bench national --datasets 18000                        # a national-shaped catalogue harvested by a server
//! danhmuc-bench search --datasets 100000                         # /api/v1/search vs SPARQL CONTAINS vs bare tantivy
//! danhmuc-bench pages --datasets 100000                          # a dataset's page and the search page vs their JSON
//! ```

use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const AGENCIES: &[&str] = &[
    "so-tc",
    "so-nnmt",
    "so-yt",
    "so-gddt",
    "so-xd",
    "so-ct",
    "so-tp",
    "so-nv",
    "so-vhttdl",
    "so-khcn",
];
const SUBJECTS: &[&str] = &[
    "Danh sách trường học",
    "Cơ sở khám bệnh",
    "Doanh nghiệp đăng ký mới",
    "Quan trắc không khí",
    "Giá đất",
    "Giấy phép xây dựng",
    "Chợ và siêu thị",
    "Văn phòng công chứng",
    "Di tích lịch sử",
    "Trạm phát sóng",
    "Tuyến xe buýt",
    "Diện tích gieo trồng",
];
const PLACES: &[&str] = &[
    "phường Tân Ninh",
    "xã Hòa Thành",
    "phường Long An",
    "xã Bến Cầu",
    "phường Trảng Bàng",
    "xã Dương Minh Châu",
    "xã Châu Thành",
    "phường Gò Dầu",
];
const THEMES: &[&str] = &[
    "EDUC", "HEAL", "ECON", "ENVI", "REGI", "GOVE", "TRAN", "AGRI", "JUST", "TECH",
];
const FREQ: &[&str] = &["DAILY", "MONTHLY", "QUARTERLY", "ANNUAL", "IRREG"];
const FORMATS: &[(&str, &str)] = &[
    ("CSV", "text/csv"),
    ("JSON", "application/json"),
    (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("GEOJSON", "application/geo+json"),
];

/// Writes dataset `i` as N-Triples lines (about 30 triples, 2 distributions, a contact point).
fn dataset(i: usize, out: &mut impl Write) -> std::io::Result<()> {
    let s = format!("<https://opendata.tayninh.example/ds/{i}>");
    let subj = SUBJECTS[i % SUBJECTS.len()];
    let place = PLACES[(i / 7) % PLACES.len()];
    let agency = AGENCIES[i % AGENCIES.len()];
    let year = 2015 + (i % 11);
    let t = |p: &str| format!("<{p}>");
    let dct = |l: &str| t(&format!("http://purl.org/dc/terms/{l}"));
    let dcat = |l: &str| t(&format!("http://www.w3.org/ns/dcat#{l}"));
    let rdf_type = t("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    writeln!(out, "{s} {rdf_type} {} .", dcat("Dataset"))?;
    writeln!(
        out,
        "{s} {} \"{subj} {place} năm {year} (số {i})\"@vi .",
        dct("title")
    )?;
    writeln!(
        out,
        "{s} {} \"{subj} – {place}, {year}\"@en .",
        dct("title")
    )?;
    writeln!(
        out,
        "{s} {} \"Dữ liệu {} trên địa bàn {place}, cập nhật theo quy chế quản lý dữ liệu của tỉnh Tây Ninh.\"@vi .",
        dct("description"),
        subj.to_lowercase()
    )?;
    for kw in [
        subj.split(' ').next().unwrap_or("dữ liệu"),
        place,
        "dữ liệu mở",
    ] {
        writeln!(out, "{s} {} \"{kw}\"@vi .", dcat("keyword"))?;
    }
    writeln!(
        out,
        "{s} {} <http://publications.europa.eu/resource/authority/data-theme/{}> .",
        dcat("theme"),
        THEMES[i % THEMES.len()]
    )?;
    writeln!(
        out,
        "{s} {} <http://publications.europa.eu/resource/authority/frequency/{}> .",
        dct("accrualPeriodicity"),
        FREQ[i % FREQ.len()]
    )?;
    writeln!(
        out,
        "{s} {} <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .",
        dct("accessRights")
    )?;
    writeln!(
        out,
        "{s} {} <http://creativecommons.org/licenses/by/4.0/> .",
        dct("license")
    )?;
    writeln!(
        out,
        "{s} {} <https://opendata.tayninh.example/agency/{agency}> .",
        dct("publisher")
    )?;
    writeln!(
        out,
        "{s} {} <https://w3id.org/dcat-vn/codelist/province/72> .",
        dct("spatial")
    )?;
    writeln!(
        out,
        "{s} {} \"{year}-{:02}-{:02}\"^^<http://www.w3.org/2001/XMLSchema#date> .",
        dct("issued"),
        1 + i % 12,
        1 + i % 28
    )?;
    writeln!(
        out,
        "{s} {} \"2026-{:02}-{:02}\"^^<http://www.w3.org/2001/XMLSchema#date> .",
        dct("modified"),
        1 + i % 11,
        1 + i % 28
    )?;
    writeln!(out, "{s} {} \"ds-{i}\" .", dct("identifier"))?;
    writeln!(out, "{s} {} _:c{i} .", dcat("contactPoint"))?;
    writeln!(
        out,
        "_:c{i} {rdf_type} <http://www.w3.org/2006/vcard/ns#Kind> ."
    )?;
    writeln!(
        out,
        "_:c{i} <http://www.w3.org/2006/vcard/ns#fn> \"Cán bộ đầu mối {agency}\"@vi ."
    )?;
    writeln!(
        out,
        "_:c{i} <http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:{agency}@tayninh.example> ."
    )?;
    for k in 0..2 {
        let (f, m) = FORMATS[(i + k) % FORMATS.len()];
        let d = format!("_:d{i}x{k}");
        writeln!(out, "{s} {} {d} .", dcat("distribution"))?;
        writeln!(out, "{d} {rdf_type} {} .", dcat("Distribution"))?;
        writeln!(
            out,
            "{d} {} <https://opendata.tayninh.example/files/{i}.{}> .",
            dcat("accessURL"),
            f.to_lowercase()
        )?;
        writeln!(
            out,
            "{d} {} <http://publications.europa.eu/resource/authority/file-type/{f}> .",
            dct("format")
        )?;
        writeln!(
            out,
            "{d} {} <https://www.iana.org/assignments/media-types/{m}> .",
            dcat("mediaType")
        )?;
        writeln!(
            out,
            "{d} {} \"{}\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .",
            dcat("byteSize"),
            1000 + (i * 37 + k) % 900_000
        )?;
    }
    Ok(())
}

/// Writes the corpus as N-Triples files of at most `per_file` datasets.
fn corpus(n: usize, dir: &Path, per_file: usize) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    let mut i = 0;
    while i < n {
        let path = dir.join(format!("corpus-{i:08}.nt"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for j in i..(i + per_file).min(n) {
            dataset(j, &mut w)?;
        }
        w.flush()?;
        files.push(path);
        i += per_file;
    }
    Ok(files)
}

fn danhmuc_bin() -> Result<PathBuf> {
    // Another build of danhmuc (an earlier commit's) to measure side by side with this one.
    if let Some(b) = std::env::var_os("DANHMUC_BENCH_BIN") {
        return Ok(PathBuf::from(b));
    }
    let me = std::env::current_exe()?;
    let bin = me.with_file_name("danhmuc");
    if bin.exists() {
        Ok(bin)
    } else {
        bail!(
            "{} not found: build it with `cargo build --release -p danhmuc`",
            bin.display()
        )
    }
}

fn run(cmd: &mut Command) -> Result<()> {
    let st = cmd
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("{cmd:?}"))?;
    if !st.success() {
        bail!("{cmd:?} failed: {st}");
    }
    Ok(())
}

fn bench_import(n: usize, work: &Path) -> Result<(f64, f64)> {
    let files = corpus(n, &work.join("corpus"), 10_000)?;
    // danhmuc import through the real CLI (log + three projections)
    let data = work.join("danhmuc-data");
    let bin = danhmuc_bin()?;
    let store_args = |c: &mut Command| {
        c.arg("--data")
            .arg(&data)
            .arg("--base-iri")
            .arg("https://registry.tayninh.example");
    };
    let mut c = Command::new(&bin);
    c.args(["agency", "create", "so-tc", "--name-vi", "Sở Tài chính"]);
    store_args(&mut c);
    run(&mut c)?;
    let start = Instant::now();
    let mut c = Command::new(&bin);
    c.args(["import", "--agency", "so-tc", "--quiet", "--batch", "1000"])
        .args(&files);
    store_args(&mut c);
    c.env("DANHMUC_LOG", "warn");
    run(&mut c)?;
    let ours = start.elapsed().as_secs_f64();
    // bare Oxigraph bulk load of the same files
    let bare = work.join("bare-oxigraph");
    let start = Instant::now();
    let store = oxigraph::store::Store::open(&bare)?;
    for f in &files {
        let bytes = std::fs::read(f)?;
        store
            .bulk_loader()
            .load_from_slice(oxigraph::io::RdfFormat::NTriples, &bytes)?;
    }
    store.flush()?;
    let theirs = start.elapsed().as_secs_f64();
    Ok((n as f64 / ours, n as f64 / theirs))
}

const QUERIES: &[&str] = &[
    // keyword search in Vietnamese
    "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t FILTER(LANG(?t) = 'vi' && CONTAINS(?t, 'trường học')) } LIMIT 20",
    // datasets of a theme with their CSV distributions
    "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d ?u WHERE { ?d dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL> ; dcat:distribution ?x . ?x dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ; dcat:accessURL ?u } LIMIT 50",
    // count by publisher
    "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?p (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dct:publisher ?p } GROUP BY ?p ORDER BY DESC(?n)",
    // recently modified
    "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d ?m WHERE { ?d a dcat:Dataset ; dct:modified ?m } ORDER BY DESC(?m) LIMIT 20",
    // one dataset described
    "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?p ?o WHERE { ?d dct:identifier 'ds-77' ; ?p ?o }",
    // monthly datasets with a keyword
    "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d WHERE { ?d dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ; dcat:keyword 'dữ liệu mở'@vi } LIMIT 100",
];

fn wait_http(url: &str) -> Result<()> {
    let client = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if client
            .get(url)
            .send()
            .map(|r| r.status().as_u16() < 500)
            .unwrap_or(false)
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("{url} did not come up")
}

struct Killer(Child);
impl Drop for Killer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn latencies(url: &str, rounds: usize) -> Result<Vec<f64>> {
    let client = reqwest::blocking::Client::new();
    let mut out = Vec::new();
    for _ in 0..rounds {
        for q in QUERIES {
            let start = Instant::now();
            let r = client
                .post(url)
                .header("content-type", "application/sparql-query")
                .header("accept", "application/sparql-results+json")
                .body(*q)
                .send()?;
            if !r.status().is_success() {
                bail!("{url}: {} for {q}", r.status());
            }
            let _ = r.bytes()?;
            out.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

fn bench_sparql(n: usize, work: &Path, oxigraph_bin: &str, rounds: usize) -> Result<(f64, f64)> {
    let data = work.join("danhmuc-data");
    if !data.exists() {
        bench_import(n, work)?;
    }
    let bin = danhmuc_bin()?;
    // the same triples, as danhmuc publishes them, loaded into a raw Oxigraph
    let export = work.join("export.nt");
    let mut c = Command::new(&bin);
    c.args(["export", "--format", "nt", "--output"])
        .arg(&export)
        .arg("--data")
        .arg(&data);
    run(&mut c)?;
    let raw = work.join("raw-oxigraph");
    if !raw.exists() {
        run(Command::new(oxigraph_bin)
            .arg("load")
            .arg("--location")
            .arg(&raw)
            .arg("--file")
            .arg(&export))?;
    }
    let ours = Killer(
        Command::new(&bin)
            .args([
                "serve",
                "--bind",
                "127.0.0.1:18080",
                "--query-timeout",
                "600",
            ])
            .arg("--data")
            .arg(&data)
            .env("DANHMUC_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?,
    );
    let theirs = Killer(
        Command::new(oxigraph_bin)
            .arg("serve-read-only")
            .arg("--location")
            .arg(&raw)
            .args(["--bind", "127.0.0.1:18081"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    wait_http("http://127.0.0.1:18080/readyz")?;
    wait_http("http://127.0.0.1:18081/query?query=ASK%7B%7D")?;
    // warm up both, then interleave rounds so that both see the same machine state
    latencies("http://127.0.0.1:18080/sparql", 1)?;
    latencies("http://127.0.0.1:18081/query", 1)?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        a.extend(latencies("http://127.0.0.1:18080/sparql", 1)?);
        b.extend(latencies("http://127.0.0.1:18081/query", 1)?);
    }
    drop(ours);
    drop(theirs);
    Ok((median(a), median(b)))
}

/// Serves `n` generated datasets as a Hydra-paged N-Triples endpoint (`/page/{k}`, 100 per
/// page) on a free loopback port, from a background thread; pages are generated per request so
/// the endpoint itself holds nothing.
fn paged_endpoint(n: usize) -> Result<String> {
    paged_endpoint_shaped(n, 100, false)
}

/// What a page of a real national catalogue adds to its datasets: the catalogue node (on the
/// first page it links every dataset of the catalogue, as the real one does), the shared
/// publisher and licence nodes described again on every page, a data service for every 24
/// datasets serving them, and records the source describes badly (one without a title per
/// page, one with a raw space in its IRI every fifth page).
/// `national --well-described`: leave out the badly described records (a binary that fails a
/// whole page for one of them can then be timed too).
static WELL_DESCRIBED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn national_page_extras(n: usize, per: usize, k: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
    let cat = "<https://opendata.tayninh.example/catalog>";
    let dcat = "http://www.w3.org/ns/dcat#";
    let dct = "http://purl.org/dc/terms/";
    let a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
    writeln!(out, "{cat} {a} <{dcat}Catalog> .")?;
    writeln!(out, "{cat} <{dct}title> \"Cổng dữ liệu mở quốc gia\"@vi .")?;
    writeln!(
        out,
        "{cat} <{dct}publisher> <https://opendata.tayninh.example/agency/so-tc> ."
    )?;
    let linked = if k == 0 {
        0..n
    } else {
        (k * per)..((k + 1) * per).min(n)
    };
    for i in linked {
        writeln!(
            out,
            "{cat} <{dcat}dataset> <https://opendata.tayninh.example/ds/{i}> ."
        )?;
    }
    for ag in AGENCIES {
        let o = format!("<https://opendata.tayninh.example/agency/{ag}>");
        writeln!(out, "{o} {a} <http://xmlns.com/foaf/0.1/Organization> .")?;
        writeln!(
            out,
            "{o} <http://xmlns.com/foaf/0.1/name> \"Cơ quan {ag}\"@vi ."
        )?;
    }
    let lic = "<http://creativecommons.org/licenses/by/4.0/>";
    writeln!(out, "{lic} {a} <{dct}LicenseDocument> .")?;
    writeln!(
        out,
        "{lic} <http://www.w3.org/2000/01/rdf-schema#label> \"CC BY 4.0\" ."
    )?;
    for first in ((k * per)..((k + 1) * per).min(n)).step_by(24) {
        let svc = format!("<https://opendata.tayninh.example/service/{first}>");
        writeln!(out, "{svc} {a} <{dcat}DataService> .")?;
        writeln!(out, "{svc} <{dct}title> \"API dữ liệu nhóm {first}\"@vi .")?;
        writeln!(
            out,
            "{svc} <{dcat}endpointURL> <https://api.tayninh.example/v1/{first}> ."
        )?;
        for i in first..(first + 24).min(n) {
            writeln!(
                out,
                "{svc} <{dcat}servesDataset> <https://opendata.tayninh.example/ds/{i}> ."
            )?;
        }
    }
    if WELL_DESCRIBED.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    let untitled = format!("<https://opendata.tayninh.example/untitled/{k}>");
    writeln!(out, "{untitled} {a} <{dcat}Dataset> .")?;
    writeln!(
        out,
        "{untitled} <{dct}description> \"Bản ghi thiếu tên\"@vi ."
    )?;
    if k.is_multiple_of(5) {
        let spaced = format!("<https://opendata.tayninh.example/ds/bao cao {k}>");
        writeln!(out, "{spaced} {a} <{dcat}Dataset> .")?;
        writeln!(
            out,
            "{spaced} <{dct}title> \"Báo cáo có khoảng trắng trong IRI\"@vi ."
        )?;
    }
    Ok(())
}

/// [`paged_endpoint`] with `per` datasets a page; `national` adds [`national_page_extras`] and
/// serves the pages as Turtle.
fn paged_endpoint_shaped(n: usize, per: usize, national: bool) -> Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    let base = url.clone();
    std::thread::spawn(move || {
        let sys = actix_web::rt::System::new();
        sys.block_on(async move {
            let server = actix_web::HttpServer::new(move || {
                let base = base.clone();
                actix_web::App::new().route(
                    "/page/{k}",
                    actix_web::web::get().to(move |k: actix_web::web::Path<usize>| {
                        let base = base.clone();
                        async move {
                            let k = k.into_inner();
                            let mut body: Vec<u8> = Vec::new();
                            for i in (k * per)..((k + 1) * per).min(n) {
                                let _ = dataset(i, &mut body);
                            }
                            if national {
                                let _ = national_page_extras(n, per, k, &mut body);
                            }
                            if (k + 1) * per < n {
                                let _ = writeln!(
                                    body,
                                    "<{base}/page/{k}> <http://www.w3.org/ns/hydra/core#next> <{base}/page/{}> .",
                                    k + 1
                                );
                            }
                            actix_web::HttpResponse::Ok()
                                .content_type(if national {
                                    "text/turtle"
                                } else {
                                    "application/n-triples"
                                })
                                .body(body)
                        }
                    }),
                )
            })
            .workers(1)
            .listen(listener);
            if let Ok(s) = server {
                let _ = s.run().await;
            }
        });
    });
    wait_http(&format!("{url}/page/0"))?;
    Ok(url)
}

/// Runs a command and returns (seconds, peak RSS in MB read from /proc while it ran).
fn timed(cmd: &mut Command) -> Result<(f64, f64)> {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("{cmd:?}"))?;
    let mut peak_mb = 0f64;
    loop {
        peak_mb = peak_mb.max(rss_mb(child.id()).0);
        if let Some(st) = child.try_wait()? {
            if !st.success() {
                bail!("{cmd:?} failed: {st}");
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((start.elapsed().as_secs_f64(), peak_mb))
}

const RDFLIB: &str = r#"
import json, sys, time, rdflib
src, fmt, out = sys.argv[1], sys.argv[2], sys.argv[3]
g = rdflib.Graph()
t0 = time.time(); g.parse(src, format="nt"); t1 = time.time()
g.serialize(destination=out, format=fmt)
t2 = time.time()
print(json.dumps({"parse": t1 - t0, "serialize": t2 - t1, "triples": len(g)}))
"#;

/// Full-catalogue export (Turtle, JSON-LD) by danhmuc's streaming export, side by side with
/// rdflib serialising the same graph; then the rate at which `/feed` pages are served.
fn bench_export(
    n: usize,
    work: &Path,
    python: &str,
    with_rdflib: bool,
    formats: &str,
) -> Result<()> {
    let data = work.join("danhmuc-data");
    let bin = danhmuc_bin()?;
    let with_store = |c: &mut Command| {
        c.arg("--data")
            .arg(&data)
            .arg("--base-iri")
            .arg("https://registry.tayninh.example")
            .env("DANHMUC_LOG", "warn");
    };
    if !data.exists() {
        let files = corpus(n, &work.join("corpus"), 10_000)?;
        let mut c = Command::new(&bin);
        c.args(["agency", "create", "so-tc", "--name-vi", "Sở Tài chính"]);
        with_store(&mut c);
        run(&mut c)?;
        let mut c = Command::new(&bin);
        c.args(["import", "--agency", "so-tc", "--quiet", "--batch", "1000"])
            .args(&files);
        with_store(&mut c);
        let (s, _) = timed(&mut c)?;
        println!("  (import of {n} datasets for the benchmark: {s:.1} s)");
    }
    let nt = work.join("catalogue.nt");
    let mut c = Command::new(&bin);
    c.args([
        "export",
        "--format",
        "nt",
        "--audience",
        "public",
        "--output",
    ])
    .arg(&nt);
    with_store(&mut c);
    run(&mut c)?;
    println!(
        "export {n} datasets ({} MB of N-Triples):",
        std::fs::metadata(&nt)?.len() / 1_000_000
    );
    for (ours, theirs, ext) in [("ttl", "turtle", "ttl"), ("jsonld", "json-ld", "jsonld")]
        .into_iter()
        .filter(|(ours, ..)| formats.split(',').any(|f| f.trim() == *ours))
    {
        // The median of five runs (a single sub-second run on a shared 2-core VM varies by
        // ±25%); the peak memory is the highest of them.
        let mut runs = Vec::new();
        for _ in 0..5 {
            let mut c = Command::new(&bin);
            c.args([
                "export",
                "--format",
                ours,
                "--audience",
                "public",
                "--output",
            ])
            .arg(work.join(format!("danhmuc.{ext}")));
            with_store(&mut c);
            runs.push(timed(&mut c)?);
        }
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let secs = runs[runs.len() / 2].0;
        let mb = runs.iter().map(|r| r.1).fold(0.0, f64::max);
        print!(
            "  {ours}: danhmuc {secs:.2} s, median of 5 ({:.0} datasets/s), peak {mb:.0} MB",
            n as f64 / secs
        );
        if with_rdflib {
            let out = work.join(format!("rdflib.{ext}"));
            let mut c = Command::new(python);
            c.args(["-c", RDFLIB])
                .arg(&nt)
                .arg(theirs)
                .arg(&out)
                .stdout(Stdio::piped());
            let start = Instant::now();
            let child = c.spawn()?;
            let pid = child.id();
            let watcher = std::thread::spawn(move || {
                let mut peak = 0u64;
                let path = format!("/proc/{pid}/status");
                while let Ok(st) = std::fs::read_to_string(&path) {
                    if let Some(kb) = st
                        .lines()
                        .find(|l| l.starts_with("VmHWM:"))
                        .and_then(|l| l.split_whitespace().nth(1))
                        .and_then(|v| v.parse::<u64>().ok())
                    {
                        peak = peak.max(kb);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                peak
            });
            let output = child.wait_with_output()?;
            let peak = watcher.join().unwrap_or(0) as f64 / 1024.0;
            if !output.status.success() {
                bail!("rdflib failed (pip install rdflib)");
            }
            let v: serde_json::Value = serde_json::from_slice(&output.stdout)?;
            let ser = v["serialize"].as_f64().unwrap_or(f64::NAN);
            println!(
                "; rdflib serialise {ser:.1} s (parse {:.1} s, total {:.1} s), peak {peak:.0} MB; speed ratio {:.1}x",
                v["parse"].as_f64().unwrap_or(f64::NAN),
                start.elapsed().as_secs_f64(),
                ser / secs
            );
        } else {
            println!();
        }
    }
    // /feed page serving rate.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut c = Command::new(&bin);
    c.args([
        "serve",
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--link-check-every",
        "off",
    ]);
    with_store(&mut c);
    let mut server = c.stdout(Stdio::null()).spawn()?;
    let url = format!("http://127.0.0.1:{port}");
    let served = (|| -> Result<(usize, usize, f64)> {
        wait_http(&format!("{url}/feed"))?;
        let client = reqwest::blocking::Client::new();
        let start = Instant::now();
        let (mut pages, mut bytes) = (0usize, 0usize);
        for p in 0.. {
            let r = client.get(format!("{url}/feed/{p}")).send()?;
            if r.status().as_u16() == 404 {
                break;
            }
            bytes += r.bytes()?.len();
            pages += 1;
        }
        Ok((pages, bytes, start.elapsed().as_secs_f64()))
    })();
    let _ = server.kill();
    let _ = server.wait();
    let (pages, bytes, secs) = served?;
    println!(
        "  /feed: {pages} pages of 500 log entries in {secs:.1} s = {:.1} pages/s, {:.0} activities/s, {:.1} MB/s (TriG, sequential, loopback)",
        pages as f64 / secs,
        (n as f64) / secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}

/// The bare peer: fetch every page over HTTP, parse, bulk-load into a RocksDB Oxigraph store.
fn bare_load(url: &str, store_dir: &Path) -> Result<()> {
    let store = oxigraph::store::Store::open(store_dir)?;
    let client = reqwest::blocking::Client::new();
    let mut next = Some(format!("{url}/page/0"));
    while let Some(u) = next.take() {
        let body = client.get(&u).send()?.bytes()?;
        // Turtle reads N-Triples too; lenient, as a bulk load of a real catalogue must be.
        let quads: Vec<oxigraph::model::Quad> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                .lenient()
                .for_slice(&body)
                .collect::<Result<_, _>>()?;
        for q in &quads {
            if q.predicate.as_str() == "http://www.w3.org/ns/hydra/core#next"
                && let oxigraph::model::Term::NamedNode(n) = &q.object
            {
                next = Some(n.as_str().to_owned());
            }
        }
        let mut loader = store.bulk_loader();
        loader.load_quads(quads)?;
        loader.commit()?;
    }
    store.flush()?;
    Ok(())
}

/// The bare peer of a harvest, as its own process: fetch, parse and bulk-load every page of
/// the endpoint at `url` into a fresh Oxigraph store. (seconds, peak MB)
fn bare_peer(url: &str, work: &Path) -> Result<(f64, f64)> {
    timed(
        Command::new(std::env::current_exe()?)
            .args(["harvest-bare", "--url", url, "--store"])
            .arg(work.join("bare-oxigraph")),
    )
}

fn bench_harvest(n: usize, work: &Path) -> Result<()> {
    let url = paged_endpoint(n)?;
    let (bare_s, bare_mb) = bare_peer(&url, work)?;
    let data = work.join("danhmuc-data");
    let bin = danhmuc_bin()?;
    let with_store = |c: &mut Command| {
        c.arg("--data")
            .arg(&data)
            .arg("--base-iri")
            .arg("https://registry.tayninh.example")
            .env("DANHMUC_LOG", "warn");
    };
    let mut c = Command::new(&bin);
    c.args(["agency", "create", "so-tc", "--name-vi", "Sở Tài chính"]);
    with_store(&mut c);
    run(&mut c)?;
    let mut c = Command::new(&bin);
    c.args([
        "harvest", "source", "add", "--name", "bench", "--kind", "dcat", "--agency", "so-tc",
        "--url",
    ])
    .arg(format!("{url}/page/0"));
    with_store(&mut c);
    run(&mut c)?;
    let harvest = |c: &mut Command| {
        c.args([
            "harvest",
            "run",
            "bench",
            "--quiet",
            "--allow-private-harvest",
        ]);
        with_store(c);
    };
    let mut c = Command::new(&bin);
    harvest(&mut c);
    let (first_s, first_mb) = timed(&mut c)?;
    let mut c = Command::new(&bin);
    c.arg("rebuild");
    with_store(&mut c);
    let (proj_s, proj_mb) = timed(&mut c)?;
    let mut c = Command::new(&bin);
    harvest(&mut c);
    let (again_s, again_mb) = timed(&mut c)?;
    let rate = |s: f64| n as f64 / s;
    println!("harvest {n} datasets (paged N-Triples endpoint, 100 per page, loopback):");
    println!(
        "  bare Oxigraph fetch+parse+bulk load: {bare_s:.1} s, {:.0} datasets/s, peak {bare_mb:.0} MB",
        rate(bare_s)
    );
    println!(
        "  danhmuc first run: harvest {first_s:.1} s (peak {first_mb:.0} MB) + projections {proj_s:.1} s (peak {proj_mb:.0} MB) = {:.0} datasets/s, ratio to bare {:.2}",
        rate(first_s + proj_s),
        bare_s / (first_s + proj_s)
    );
    println!(
        "  danhmuc unchanged re-run: {again_s:.1} s, {:.0} datasets/s, peak {again_mb:.0} MB, {:.1}x faster than the first run",
        rate(again_s),
        (first_s + proj_s) / again_s
    );
    Ok(())
}

/// Peak and current resident memory of a process, in MB, from /proc.
fn rss_mb(pid: u32) -> (f64, f64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Milliseconds one GET takes, and its status.
fn timed_get(c: &reqwest::blocking::Client, url: &str, token: &str) -> (f64, u16) {
    let t = Instant::now();
    let st = c
        .get(url)
        .bearer_auth(token)
        .send()
        .map(|r| {
            let st = r.status().as_u16();
            let _ = r.bytes();
            st
        })
        .unwrap_or(0);
    (t.elapsed().as_secs_f64() * 1000.0, st)
}

fn pct(mut v: Vec<f64>, p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// A catalogue shaped like a real national one (one catalogue node linking every dataset,
/// shared publisher and licence nodes on every page, data services, badly described records;
/// 500 datasets a Turtle page), harvested by a running server through its REST API, while the
/// API is read every 250 ms; beside it, the bare Oxigraph fetch+parse+bulk load of the same
/// pages. Reports the run's time and counts, the server's peak memory, latencies idle and
/// during the run, and the database's bytes per record.
fn bench_national(n: usize, work: &Path) -> Result<()> {
    let url = paged_endpoint_shaped(n, 500, true)?;
    let (bare_s, bare_mb) = bare_peer(&url, work)?;
    let data = work.join("danhmuc-data");
    let bin = danhmuc_bin()?;
    let cli = |args: &[&str]| -> Result<String> {
        let out = Command::new(&bin)
            .args(args)
            .arg("--data")
            .arg(&data)
            .env("DANHMUC_LOG", "warn")
            .output()?;
        if !out.status.success() {
            bail!("{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    cli(&["agency", "create", "so-tc", "--name-vi", "Sở Tài chính"])?;
    let token = cli(&["token", "create", "--role", "admin"])?
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let api = format!("http://127.0.0.1:{port}");
    let server = Killer(
        Command::new(&bin)
            .args(["serve", "--allow-private-harvest", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(&data)
            .env("DANHMUC_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?,
    );
    let pid = server.0.id();
    wait_http(&format!("{api}/readyz"))?;
    let c = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let sparql = format!(
        "{api}/sparql?query={}",
        urlencoding::encode(
            "SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }"
        )
    );
    let reads = |job: &str| {
        vec![
            format!("{api}/api/v1/harvest/jobs/{job}"),
            format!("{api}/api/v1/datasets?limit=20"),
            sparql.clone(),
        ]
    };
    let mut idle: Vec<Vec<f64>> = vec![Vec::new(); 3];
    for _ in 0..20 {
        for (k, u) in reads("none").iter().enumerate() {
            idle[k].push(timed_get(&c, u, &token).0);
        }
    }
    let src: serde_json::Value = c
        .post(format!("{api}/api/v1/harvest/sources"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"name": "national", "kind": "dcat", "agency": "so-tc",
            "url": format!("{url}/page/0")}),
        )
        .send()?
        .json()?;
    let sid = src["id"]
        .as_str()
        .ok_or_else(|| anyhow!("source: {src}"))?
        .to_owned();
    let start = Instant::now();
    let job: serde_json::Value = c
        .post(format!("{api}/api/v1/harvest/sources/{sid}/run"))
        .bearer_auth(&token)
        .send()?
        .json()?;
    let jid = job["id"]
        .as_str()
        .ok_or_else(|| anyhow!("job: {job}"))?
        .to_owned();
    let mut busy: Vec<Vec<f64>> = vec![Vec::new(); 3];
    let mut failed_reads = 0usize;
    let mut peak_rss = 0f64;
    let last: serde_json::Value = loop {
        for (k, u) in reads(&jid).iter().enumerate() {
            let (ms, st) = timed_get(&c, u, &token);
            busy[k].push(ms);
            if st != 200 {
                failed_reads += 1;
            }
        }
        peak_rss = peak_rss.max(rss_mb(pid).1);
        let j: serde_json::Value = c
            .get(format!("{api}/api/v1/harvest/jobs/{jid}"))
            .bearer_auth(&token)
            .send()?
            .json()?;
        if !matches!(j["status"].as_str(), Some("queued" | "running")) {
            break j;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    let harvest_s = start.elapsed().as_secs_f64();
    wait_http(&format!("{api}/readyz"))?;
    while c.get(format!("{api}/readyz")).send()?.status().as_u16() != 200 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let total_s = start.elapsed().as_secs_f64();
    // The quality summary catches the quality follower up before it answers.
    let q = c
        .get(format!("{api}/api/v1/audit/quality"))
        .bearer_auth(&token)
        .send()?;
    if !q.status().is_success() {
        bail!("quality summary: {}", q.status());
    }
    let quality_s = start.elapsed().as_secs_f64();
    let (hwm, _) = rss_mb(pid);
    drop(server);
    let db = data.join("danhmuc.sqlite");
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let db_bytes = bytes(&db) + bytes(&data.join("danhmuc.sqlite-wal"));
    let conn = rusqlite::Connection::open(&db)?;
    let (payloads, payload_bytes, payload_max): (i64, i64, i64) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0), COALESCE(MAX(LENGTH(body)), 0) FROM harvest_payloads",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (records, canonical_bytes): (i64, i64) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(v.canonical)), 0) FROM records r JOIN versions v ON v.seq = r.seq",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let counts = |k: &str| last[k].as_i64().unwrap_or(-1);
    println!(
        "national-shaped catalogue: {n} datasets, 500 per Turtle page, catalogue node linking all on page 0, loopback"
    );
    println!("  bare Oxigraph fetch+parse+bulk load: {bare_s:.1} s, peak {bare_mb:.0} MB");
    println!(
        "  danhmuc serve, harvest via REST: job {} in {harvest_s:.1} s, queryable (readyz) at {total_s:.1} s, every quality report in at {quality_s:.1} s; ratio to bare {:.2} (to queryable), {:.2} (to quality)",
        last["status"].as_str().unwrap_or("?"),
        bare_s / total_s,
        bare_s / quality_s
    );
    println!(
        "    created {} updated {} unchanged {} failed {}; server peak RSS {hwm:.0} MB (sampled max {peak_rss:.0} MB)",
        counts("created"),
        counts("updated"),
        counts("unchanged"),
        counts("failed")
    );
    let names = ["job status", "dataset list", "SPARQL count"];
    for k in 0..3 {
        println!(
            "    {}: idle median {:.1} ms / p95 {:.1} ms; during the run median {:.1} ms / p95 {:.1} ms / max {:.1} ms ({} reads)",
            names[k],
            pct(idle[k].clone(), 0.5),
            pct(idle[k].clone(), 0.95),
            pct(busy[k].clone(), 0.5),
            pct(busy[k].clone(), 0.95),
            pct(busy[k].clone(), 1.0),
            busy[k].len()
        );
    }
    println!("    reads that did not answer 200 during the run: {failed_reads}");
    println!(
        "  database: {:.1} MB for {records} records ({:.0} bytes/record); payloads {payloads}, {:.0} bytes/record on average, largest {payload_max}; canonical forms {:.0} bytes/record",
        db_bytes as f64 / 1e6,
        db_bytes as f64 / records.max(1) as f64,
        payload_bytes as f64 / payloads.max(1) as f64,
        canonical_bytes as f64 / records.max(1) as f64
    );
    Ok(())
}

/// What people type: twenty queries over the generated corpus (diacritics and none, a
/// prefix while typing, places, keywords, English).
const SEARCH_QUERIES: [&str; 20] = [
    "trường học",
    "truong hoc",
    "cơ sở khám bệnh",
    "co so kham benh",
    "doanh nghiệp đăng ký",
    "quan trắc không khí",
    "giá đất",
    "gia dat tan ninh",
    "giấy phép xây dựng",
    "chợ siêu thị",
    "văn phòng công chứng",
    "di tich lich su",
    "trạm phát sóng",
    "tuyến xe buýt",
    "gieo trồng",
    "phường Tân Ninh",
    "xa hoa thanh",
    "dữ liệu mở",
    "benh vi",
    "air quality",
];

/// Texts of one record for the bare tantivy peer: what it indexes, extracted beforehand.
struct BareDoc {
    title: String,
    keywords: String,
    description: String,
}

/// The search projection beside tantivy alone: indexing throughput (our projection from the
/// log vs bare tantivy on the same texts), index size, and query latency p50/p99 of a
/// 20-query mix through `GET /api/v1/search`, against the same words through `/sparql`
/// (`CONTAINS` on titles, as a user must do without search) and bare tantivy in-process.
fn bench_search(n: usize, work: &Path, rounds: usize, sparql_rounds: usize) -> Result<()> {
    let data = work.join("danhmuc-data");
    let bin = danhmuc_bin()?;
    let (import_s, import_mb) = if data.exists() {
        (0.0, 0.0)
    } else {
        let files = corpus(n, &work.join("corpus"), 10_000)?;
        let store_args = |c: &mut Command| {
            c.arg("--data")
                .arg(&data)
                .arg("--base-iri")
                .arg("https://registry.tayninh.example");
        };
        let mut c = Command::new(&bin);
        c.args(["agency", "create", "so-tc", "--name-vi", "Sở Tài chính"]);
        store_args(&mut c);
        run(&mut c)?;
        let mut c = Command::new(&bin);
        c.args(["import", "--agency", "so-tc", "--quiet", "--batch", "1000"])
            .args(&files)
            .env("DANHMUC_LOG", "warn");
        store_args(&mut c);
        timed(&mut c)?
    };
    let index_bytes = dir_bytes(&data.join("search"));
    // Indexing: our projection's own work (parse each canonical version, extract, index,
    // commit per 10,000) into a fresh index, and bare tantivy on the texts extracted first.
    let rt = tokio::runtime::Runtime::new()?;
    let versions: Vec<store::log::VersionRow> = rt.block_on(async {
        let log = store::log::Log::open(&data, None).await?;
        let mut all = Vec::new();
        let mut from = 0;
        loop {
            let batch = log.versions_after(from, 10_000).await?;
            let Some(last) = batch.last() else { break };
            from = last.seq;
            all.extend(batch);
        }
        Ok::<_, anyhow::Error>(all)
    })?;
    let ours_dir = work.join("search-ours");
    let _ = std::fs::remove_dir_all(&ours_dir);
    let t = Instant::now();
    {
        let idx = store::search::SearchIndex::open(&ours_dir)?;
        for chunk in versions.chunks(10_000) {
            let batch: Vec<_> = chunk
                .iter()
                .map(|v| (v.clone(), record::parse_canonical(&v.canonical)))
                .collect();
            idx.apply(&batch, &std::collections::HashMap::new())?;
        }
    }
    let ours_index_s = t.elapsed().as_secs_f64();
    let docs: Vec<BareDoc> = versions
        .iter()
        .filter(|v| v.kind == "dataset")
        .map(|v| {
            let d = record::search::search_doc(&v.iri, &record::parse_canonical(&v.canonical));
            let texts = |x: &[(String, String)]| {
                x.iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            BareDoc {
                title: texts(&d.titles),
                keywords: d.keywords.join(" "),
                description: texts(&d.descriptions),
            }
        })
        .collect();
    let bare_dir = work.join("search-bare");
    let _ = std::fs::remove_dir_all(&bare_dir);
    std::fs::create_dir_all(&bare_dir)?;
    let t = Instant::now();
    let bare = bare_index(&bare_dir, &docs)?;
    let bare_index_s = t.elapsed().as_secs_f64();
    let bare_bytes = dir_bytes(&bare_dir);
    // Queries: the server on the imported data, interleaved round by round with SPARQL and
    // bare tantivy so that all three see the same machine state.
    let server = Killer(
        Command::new(&bin)
            .args([
                "serve",
                "--bind",
                "127.0.0.1:18090",
                "--query-timeout",
                "600",
            ])
            .arg("--data")
            .arg(&data)
            .env("DANHMUC_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?,
    );
    let pid = server.0.id();
    wait_http("http://127.0.0.1:18090/readyz")?;
    // SPARQL CONTAINS scans every title: at a million datasets one query takes tens of
    // seconds, past reqwest's default timeout.
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(900))
        .build()?;
    let get = |url: &str| -> Result<f64> {
        let t = Instant::now();
        let r = client.get(url).send()?;
        if !r.status().is_success() {
            bail!("{url}: {}", r.status());
        }
        let _ = r.bytes()?;
        Ok(t.elapsed().as_secs_f64() * 1000.0)
    };
    let sparql = |q: &str| -> Result<f64> {
        let query = format!(
            "PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d ?t WHERE {{ ?d a dcat:Dataset ; dct:title ?t FILTER(CONTAINS(LCASE(STR(?t)), \"{}\")) }} LIMIT 20",
            q.to_lowercase()
        );
        let t = Instant::now();
        let r = client
            .post("http://127.0.0.1:18090/sparql")
            .header("content-type", "application/sparql-query")
            .header("accept", "application/sparql-results+json")
            .body(query)
            .send()?;
        if !r.status().is_success() {
            bail!("sparql {q}: {}", r.status());
        }
        let _ = r.bytes()?;
        Ok(t.elapsed().as_secs_f64() * 1000.0)
    };
    let search_url = |q: &str| {
        format!(
            "http://127.0.0.1:18090/api/v1/search?q={}",
            urlencoding::encode(q)
        )
    };
    // warm up (SPARQL too, unless it is measured in one round only: at a million datasets
    // each CONTAINS query is a full scan of tens of seconds)
    for q in SEARCH_QUERIES {
        get(&search_url(q))?;
        if sparql_rounds > 1 {
            sparql(q)?;
        }
        bare_query(&bare, q)?;
    }
    let (mut a, mut b, mut c, mut floor) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        for q in SEARCH_QUERIES {
            a.push(get(&search_url(q))?);
            if round < sparql_rounds {
                b.push(sparql(q)?);
            }
            let t = Instant::now();
            bare_query(&bare, q)?;
            c.push(t.elapsed().as_secs_f64() * 1000.0);
            floor.push(get("http://127.0.0.1:18090/healthz")?);
        }
    }
    let (server_peak_mb, _) = rss_mb(pid);
    drop(server);
    println!(
        "search {n} datasets ({} versions, {} rounds of {} queries, SPARQL in {} of them)",
        versions.len(),
        rounds,
        SEARCH_QUERIES.len(),
        sparql_rounds.min(rounds)
    );
    if import_s > 0.0 {
        println!(
            "  import (log, graph stores and search index): {import_s:.1} s, peak RSS {import_mb:.0} MB"
        );
    }
    println!(
        "  indexing: our projection {:.0} records/s ({ours_index_s:.2} s), bare tantivy {:.0} records/s ({bare_index_s:.2} s), ratio {:.2}",
        versions.len() as f64 / ours_index_s,
        docs.len() as f64 / bare_index_s,
        (versions.len() as f64 / ours_index_s) / (docs.len() as f64 / bare_index_s)
    );
    println!(
        "  index size: ours {:.1} MB ({:.1} MB per 100k records), bare {:.1} MB",
        index_bytes as f64 / 1e6,
        index_bytes as f64 / 1e6 * 100_000.0 / versions.len().max(1) as f64,
        bare_bytes as f64 / 1e6
    );
    println!(
        "  latency p50/p99: /api/v1/search {:.2}/{:.2} ms, /sparql CONTAINS {:.2}/{:.2} ms, bare tantivy in-process {:.2}/{:.2} ms, HTTP floor (/healthz) {:.2}/{:.2} ms",
        pct(a.clone(), 0.5),
        pct(a, 0.99),
        pct(b.clone(), 0.5),
        pct(b, 0.99),
        pct(c.clone(), 0.5),
        pct(c, 0.99),
        pct(floor.clone(), 0.5),
        pct(floor, 0.99)
    );
    println!("  server peak RSS {server_peak_mb:.0} MB");
    Ok(())
}

/// Pages against the JSON they show, by the same server on the same data: a dataset's page
/// (`Accept: text/html`) vs `GET /api/v1/datasets/{id}`, and the search page vs
/// `GET /api/v1/search`, each pair sent back to back, round by round.
fn bench_pages(n: usize, work: &Path, rounds: usize) -> Result<()> {
    let data = work.join("danhmuc-data");
    let bin = danhmuc_bin()?;
    if !data.exists() {
        let files = corpus(n, &work.join("corpus"), 10_000)?;
        let store_args = |c: &mut Command| {
            c.arg("--data")
                .arg(&data)
                .arg("--base-iri")
                .arg("https://registry.tayninh.example");
        };
        let mut c = Command::new(&bin);
        c.args(["agency", "create", "so-tc", "--name-vi", "Sở Tài chính"]);
        store_args(&mut c);
        run(&mut c)?;
        let mut c = Command::new(&bin);
        c.args(["import", "--agency", "so-tc", "--quiet", "--batch", "1000"])
            .args(&files)
            .env("DANHMUC_LOG", "warn");
        store_args(&mut c);
        run(&mut c)?;
    }
    let server = Killer(
        Command::new(&bin)
            .args([
                "serve",
                "--bind",
                "127.0.0.1:18092",
                "--link-check-every",
                "off",
            ])
            .arg("--data")
            .arg(&data)
            .env("DANHMUC_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?,
    );
    let base = "http://127.0.0.1:18092";
    wait_http(&format!("{base}/readyz"))?;
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let timed = |url: &str, accept: &str| -> Result<f64> {
        let t = Instant::now();
        let r = client.get(url).header("accept", accept).send()?;
        if !r.status().is_success() {
            bail!("{url}: {}", r.status());
        }
        let _ = r.bytes()?;
        Ok(t.elapsed().as_secs_f64() * 1000.0)
    };
    // 20 datasets spread over the catalogue, found the way a visitor finds them.
    let list: serde_json::Value = client
        .get(format!(
            "{base}/api/v1/search?kind=dataset&sort=title&limit=1000"
        ))
        .send()?
        .json()?;
    let ids: Vec<String> = list["items"]
        .as_array()
        .ok_or_else(|| anyhow!("no items"))?
        .iter()
        .step_by(50)
        .take(20)
        .filter_map(|i| i["id"].as_str().map(str::to_owned))
        .collect();
    let html = "text/html,application/xhtml+xml,*/*;q=0.8";
    let (mut page, mut json, mut spage, mut sjson) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..=rounds {
        for (i, id) in ids.iter().enumerate() {
            let p = timed(&format!("{base}/datasets/{id}"), html)?;
            let j = timed(&format!("{base}/api/v1/datasets/{id}"), "application/json")?;
            let q = urlencoding::encode(SEARCH_QUERIES[i % SEARCH_QUERIES.len()]).into_owned();
            let sp = timed(&format!("{base}/search?q={q}"), html)?;
            let sj = timed(&format!("{base}/api/v1/search?q={q}"), "application/json")?;
            // round 0 warms up
            if round > 0 {
                page.push(p);
                json.push(j);
                spage.push(sp);
                sjson.push(sj);
            }
        }
    }
    drop(server);
    println!(
        "pages {n} datasets ({rounds} rounds of {} records and queries)",
        ids.len()
    );
    println!(
        "  dataset page p50/p99 {:.2}/{:.2} ms vs its REST JSON {:.2}/{:.2} ms (ratio of medians {:.1})",
        pct(page.clone(), 0.5),
        pct(page.clone(), 0.99),
        pct(json.clone(), 0.5),
        pct(json.clone(), 0.99),
        pct(page, 0.5) / pct(json, 0.5)
    );
    println!(
        "  search page p50/p99 {:.2}/{:.2} ms vs /api/v1/search {:.2}/{:.2} ms (ratio of medians {:.1})",
        pct(spage.clone(), 0.5),
        pct(spage.clone(), 0.99),
        pct(sjson.clone(), 0.5),
        pct(sjson.clone(), 0.99),
        pct(spage, 0.5) / pct(sjson, 0.5)
    );
    Ok(())
}

/// Bytes of the files under a directory.
fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// Bare tantivy: the same texts as exact and folded fields (what finds words without
/// diacritics), default tokenizer, one commit.
struct Bare {
    reader: tantivy::IndexReader,
    exact: tantivy::query::QueryParser,
    folded: tantivy::query::QueryParser,
    title: tantivy::schema::Field,
}

fn bare_index(dir: &Path, docs: &[BareDoc]) -> Result<Bare> {
    use tantivy::schema::{STORED, Schema, TEXT};
    let mut b = Schema::builder();
    let title = b.add_text_field("title", TEXT | STORED);
    let keywords = b.add_text_field("keywords", TEXT);
    let description = b.add_text_field("description", TEXT);
    let title_f = b.add_text_field("title_f", TEXT);
    let keywords_f = b.add_text_field("keywords_f", TEXT);
    let description_f = b.add_text_field("description_f", TEXT);
    let index = tantivy::Index::create_in_dir(dir, b.build())?;
    let mut w: tantivy::IndexWriter = index.writer(100_000_000)?;
    for d in docs {
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(title, &d.title);
        doc.add_text(keywords, &d.keywords);
        doc.add_text(description, &d.description);
        doc.add_text(title_f, vocab::text::fold(&d.title));
        doc.add_text(keywords_f, vocab::text::fold(&d.keywords));
        doc.add_text(description_f, vocab::text::fold(&d.description));
        w.add_document(doc)?;
    }
    w.commit()?;
    let reader = index.reader()?;
    let mut exact =
        tantivy::query::QueryParser::for_index(&index, vec![title, keywords, description]);
    exact.set_conjunction_by_default();
    let mut folded =
        tantivy::query::QueryParser::for_index(&index, vec![title_f, keywords_f, description_f]);
    folded.set_conjunction_by_default();
    Ok(Bare {
        reader,
        exact,
        folded,
        title,
    })
}

/// One query on the bare index: exact or folded words, top 20 with their titles, and the count.
fn bare_query(b: &Bare, q: &str) -> Result<usize> {
    use tantivy::query::{BooleanQuery, Occur};
    let searcher = b.reader.searcher();
    let query = BooleanQuery::new(vec![
        (Occur::Should, b.exact.parse_query_lenient(q).0),
        (
            Occur::Should,
            b.folded.parse_query_lenient(&vocab::text::fold(q)).0,
        ),
    ]);
    let (top, count) = searcher.search(
        &query,
        &(
            tantivy::collector::TopDocs::with_limit(20).order_by_score(),
            tantivy::collector::Count,
        ),
    )?;
    for (_, addr) in top {
        let d: tantivy::TantivyDocument = searcher.doc(addr)?;
        let _ = d.get_first(b.title);
    }
    Ok(count)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = get("--datasets")
        .unwrap_or_else(|| "10000".into())
        .parse()?;
    let work = get("--work")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("danhmuc-bench-{n}")));
    match args.get(1).map(String::as_str) {
        Some("corpus") => {
            let out = get("--out")
                .map(PathBuf::from)
                .ok_or_else(|| anyhow!("--out DIR"))?;
            let files = corpus(n, &out, 10_000)?;
            println!(
                "wrote {n} datasets in {} files under {}",
                files.len(),
                out.display()
            );
        }
        Some("import") => {
            let _ = std::fs::remove_dir_all(&work);
            let (ours, bare) = bench_import(n, &work)?;
            println!(
                "import {n} datasets: danhmuc {ours:.0} datasets/s, bare Oxigraph bulk load {bare:.0} datasets/s, ratio {:.2}",
                ours / bare
            );
        }
        Some("sparql") => {
            let ox = get("--oxigraph").unwrap_or_else(|| "oxigraph".into());
            let rounds: usize = get("--rounds").unwrap_or_else(|| "20".into()).parse()?;
            let (ours, theirs) = bench_sparql(n, &work, &ox, rounds)?;
            println!(
                "sparql {n} datasets: danhmuc /sparql median {ours:.2} ms, oxigraph serve median {theirs:.2} ms, ratio {:.2}",
                ours / theirs
            );
        }
        Some("harvest") => {
            let _ = std::fs::remove_dir_all(&work);
            std::fs::create_dir_all(&work)?;
            bench_harvest(n, &work)?;
        }
        Some("national") => {
            WELL_DESCRIBED.store(
                args.iter().any(|a| a == "--well-described"),
                std::sync::atomic::Ordering::Relaxed,
            );
            let _ = std::fs::remove_dir_all(&work);
            std::fs::create_dir_all(&work)?;
            bench_national(n, &work)?;
        }
        Some("export") => {
            std::fs::create_dir_all(&work)?;
            let python = get("--python").unwrap_or_else(|| "python3".into());
            let formats = get("--formats").unwrap_or_else(|| "ttl,jsonld".into());
            bench_export(
                n,
                &work,
                &python,
                !args.iter().any(|a| a == "--no-rdflib"),
                &formats,
            )?;
        }
        Some("search") => {
            std::fs::create_dir_all(&work)?;
            let rounds: usize = get("--rounds").unwrap_or_else(|| "10".into()).parse()?;
            let sparql_rounds: usize = match get("--sparql-rounds") {
                Some(r) => r.parse()?,
                None => rounds,
            };
            bench_search(n, &work, rounds, sparql_rounds)?;
        }
        Some("pages") => {
            std::fs::create_dir_all(&work)?;
            let rounds: usize = get("--rounds").unwrap_or_else(|| "5".into()).parse()?;
            bench_pages(n, &work, rounds)?;
        }
        Some("harvest-bare") => {
            let url = get("--url").ok_or_else(|| anyhow!("--url URL"))?;
            let store = get("--store")
                .map(PathBuf::from)
                .ok_or_else(|| anyhow!("--store DIR"))?;
            bare_load(&url, &store)?;
        }
        _ => bail!(
            "usage: danhmuc-bench corpus|import|sparql|harvest|national|export|search|pages --datasets N [--no-rdflib] [--formats ttl,jsonld] [--python BIN] [--work DIR] [--out DIR] [--oxigraph BIN] [--rounds R] [--sparql-rounds R]"
        ),
    }
    Ok(())
}
