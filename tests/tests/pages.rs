//! The portal's pages through the real binary, as a browser asks for them: the home page,
//! the search page with its facet links, each record's page (and RDF for RDF clients at the
//! same address), Vietnamese first with English by a switch that is remembered. Both
//! databases, on the demo province.

use danhmuc_e2e::{BACKENDS, Server};
use serde_json::Value;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn page(
    s: &Server,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, reqwest::header::HeaderMap) {
    let mut r = s
        .client()
        .get(format!("{}{path}", s.url))
        .header("accept", BROWSER);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().expect("GET");
    let status = r.status().as_u16();
    let h = r.headers().clone();
    (status, r.text().expect("text"), h)
}

/// Every `href="…"` of a page, HTML entities of `&` undone.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .map(|h| h.replace("&#38;", "&").replace("&amp;", "&"))
        .collect()
}

fn first_dataset(s: &Server, q: &str) -> Value {
    let r = s.get(&format!("/api/v1/search?kind=dataset&q={q}"), None);
    let v: Value = r.json().expect("json");
    v["items"][0].clone()
}

#[test]
fn a_visitor_finds_the_portal_in_vietnamese_and_can_switch_to_english() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (status, html, h) = page(&s, "/", &[]);
        assert_eq!(status, 200);
        assert!(
            h["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/html")
        );
        assert!(html.contains("<html lang=\"vi\">"), "{html}");
        assert!(html.contains("Danh mục dữ liệu mở") && html.contains("Tây Ninh"));
        assert!(
            html.contains("<a class=\"skip\" href=\"#main\">"),
            "a skip link"
        );
        assert!(html.contains("action=\"/search\""), "a search box");
        // The counts are what an anonymous search counts.
        let all: Value = s.get("/api/v1/search?limit=1", None).json().expect("json");
        let datasets = all["facets"]["kind"]
            .as_array()
            .expect("kind")
            .iter()
            .find(|k| k["value"] == "dataset")
            .expect("datasets")["count"]
            .as_u64()
            .expect("count");
        assert!(
            html.contains(&format!("<span class=\"n\">{datasets}</span> tập dữ liệu")),
            "{html}"
        );
        // Newest datasets and entries by theme and agency lead to pages that exist.
        let record_links: Vec<String> = links(&html)
            .into_iter()
            .filter(|l| l.starts_with("/datasets/"))
            .collect();
        assert!(record_links.len() >= 5, "{html}");
        let (st, _, _) = page(&s, &record_links[0], &[]);
        assert_eq!(st, 200, "{}", record_links[0]);
        let theme = links(&html)
            .into_iter()
            .find(|l| l.starts_with("/search?kind=dataset&theme="))
            .expect("an entry by theme");
        let (st, themed, _) = page(&s, &theme, &[]);
        assert_eq!(st, 200);
        assert!(
            themed.contains("class=\"on\""),
            "the theme is a filter in force"
        );
        // English by the switch, remembered by a cookie; Accept-Language honoured.
        let (_, en, h) = page(&s, "/?lang=en", &[]);
        assert!(en.contains("<html lang=\"en\">") && en.contains("Open data catalogue"));
        let cookie = h["set-cookie"].to_str().expect("cookie").to_owned();
        assert!(
            cookie.starts_with("lang=en") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let (_, again, _) = page(&s, "/search", &[("cookie", "lang=en")]);
        assert!(again.contains("<html lang=\"en\">") && again.contains("Search the data"));
        let (_, by_header, _) = page(&s, "/", &[("accept-language", "en-GB,en;q=0.9")]);
        assert!(by_header.contains("<html lang=\"en\">"));
        let (_, vi_first, _) = page(&s, "/", &[("accept-language", "vi,en;q=0.5")]);
        assert!(vi_first.contains("<html lang=\"vi\">"));
        // The switch keeps the page and its query.
        let (_, searched, _) = page(&s, "/search?q=tr%C6%B0%E1%BB%9Dng&sort=title", &[]);
        assert!(
            links(&searched)
                .contains(&"/search?q=tr%C6%B0%E1%BB%9Dng&sort=title&lang=en".to_owned()),
            "{searched}"
        );
        // The stylesheet is local and cached.
        let css = s.get("/assets/site.css", None);
        assert_eq!(css.status().as_u16(), 200);
        assert!(
            css.headers()["cache-control"]
                .to_str()
                .expect("cc")
                .contains("max-age")
        );
        assert!(!html.contains("https://cdn") && !html.contains("<script src"));
    }
}

#[test]
fn the_search_page_ranks_highlights_and_narrows_by_facet_links() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (status, html, _) = page(&s, "/search?q=truong+hoc", &[]);
        assert_eq!(status, 200);
        assert!(
            html.contains("Danh sách <em>trường</em> <em>học</em>"),
            "a title without accents is found and marked: {html}"
        );
        assert!(html.contains("<meta name=\"robots\" content=\"noindex, follow\">"));
        // The same order as the API.
        let api: Value = s
            .get("/api/v1/search?q=truong+hoc", None)
            .json()
            .expect("json");
        let api_ids: Vec<String> = api["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| format!("/datasets/{}", i["id"].as_str().expect("id")))
            .collect();
        let page_ids: Vec<String> = links(&html)
            .into_iter()
            .filter(|l| l.starts_with("/datasets/"))
            .collect();
        assert_eq!(page_ids, api_ids);
        // A facet link narrows; its count is the count of the narrowed page; the filter shows
        // and removes itself.
        let facet = links(&html)
            .into_iter()
            .find(|l| l.contains("&format="))
            .expect("a format facet link");
        let count_shown: u64 = html
            .split(&format!("href=\"{}\"", facet.replace('&', "&#38;")))
            .nth(1)
            .and_then(|rest| rest.split("<span class=\"count\">").nth(1))
            .and_then(|c| c.split('<').next())
            .and_then(|c| c.parse().ok())
            .expect("a count beside the link");
        let (st, narrowed, _) = page(&s, &facet, &[]);
        assert_eq!(st, 200);
        assert!(
            narrowed.contains(&format!(">{count_shown} kết quả<")),
            "{count_shown}: {narrowed}"
        );
        assert!(narrowed.contains("class=\"active-filters\""));
        let back = links(&narrowed)
            .into_iter()
            .find(|l| l == "/search?q=truong+hoc")
            .is_some();
        assert!(
            back,
            "the active filter links back to the search without it"
        );
        // Paging keeps the filters.
        let (_, all, _) = page(&s, "/search?kind=dataset", &[]);
        let next = links(&all)
            .into_iter()
            .find(|l| l.contains("cursor="))
            .expect("a next page");
        assert!(
            next.starts_with("/search?kind=dataset&sort=modified&cursor=20"),
            "{next}"
        );
        let (st, second, _) = page(&s, &next, &[]);
        assert_eq!(st, 200);
        assert!(
            second.contains("<ol class=\"hits\" start=\"21\">"),
            "{second}"
        );
        // Nothing found within the filters: the page offers the search without them.
        let (_, none, _) = page(&s, "/search?q=truong+hoc&kind=agency", &[]);
        assert!(none.contains("Không có kết quả nào."), "{none}");
        assert!(
            links(&none).contains(&"/search?q=truong+hoc".to_owned()),
            "{none}"
        );
        // A bad parameter is a 400 page that names it.
        let (st, bad, _) = page(&s, "/search?sort=popularity", &[]);
        assert_eq!(st, 400);
        assert!(
            bad.contains("role=\"alert\"") && bad.contains("popularity"),
            "{bad}"
        );
        // Highlights are escaped text with marks, never markup from a record.
        let tricky = "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n\
        <http://src/x> a dcat:Dataset ; dct:title \"Bẫy <script>alert('trường')</script>\"@vi ; dct:description \"mô tả <img src=x onerror=alert(1)>\"@vi .";
        s.agency("so-thu", "Sở Thử nghiệm");
        let tok = s.token("editor", "so-thu");
        let r = s.post("/api/v1/datasets", "text/turtle", tricky, Some(&tok));
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
        let id = r.json::<Value>().expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let (_, html, _) = page(&s, "/search?q=bay+truong", &[]);
        assert!(html.contains("Bẫy"), "{html}");
        assert!(
            !html.contains("<script>alert") && !html.contains("<img src=x"),
            "{html}"
        );
        let (_, rec, _) = page(&s, &format!("/datasets/{id}"), &[]);
        assert!(
            !rec.contains("<script>alert") && !rec.contains("<img src=x"),
            "{rec}"
        );
        let json_ld = rec
            .split("<script type=\"application/ld+json\">")
            .nth(1)
            .and_then(|r| r.split("</script>").next())
            .expect("schema.org JSON-LD");
        let doc: Value = serde_json::from_str(json_ld).expect("the embedded JSON-LD is JSON");
        assert_eq!(doc["name"], "Bẫy <script>alert('trường')</script>");
    }
}

#[test]
fn a_record_page_for_browsers_and_rdf_at_the_same_address() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let d = first_dataset(&s, "danh%20sach%20truong%20hoc");
        let id = d["id"].as_str().expect("id");
        let iri = d["iri"].as_str().expect("iri");
        let (status, html, h) = page(&s, &format!("/datasets/{id}"), &[]);
        assert_eq!(status, 200);
        assert!(h["vary"].to_str().expect("vary").contains("Accept"));
        assert!(html.contains("<h1>Danh sách trường học</h1>"), "{html}");
        for expected in [
            "Sở Giáo dục và Đào tạo",
            "Giáo dục, văn hóa và thể thao",
            "Creative Commons Ghi công 4.0 (CC BY 4.0)",
            "Hằng năm",
            "Tây Ninh",
            "Tiếng Việt",
            "Dữ liệu cập nhật lần cuối",
            "Mô tả thay đổi lần cuối",
            "Hạn cập nhật tiếp theo",
            "Tải về",
            "text/csv",
            "Điểm MQA",
            "Phiên bản 1",
            "truy cập ngày",
            "Retrieved",
            "SPARQL DESCRIBE",
        ] {
            assert!(html.contains(expected), "{expected} missing: {html}");
        }
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{iri}\">")));
        // The citation names the IRI and version.
        let cite = html
            .split("<output id=\"cite-vi\">")
            .nth(1)
            .and_then(|c| c.split("</output>").next())
            .expect("citation");
        assert!(
            cite.contains(iri) && cite.contains("(phiên bản 1)"),
            "{cite}"
        );
        // The dates are dd/mm/yyyy.
        assert!(
            html.contains("15/04/2026"),
            "dct:modified as a Vietnamese date: {html}"
        );
        // RDF clients at the same address, and suffixes, still get RDF.
        let ttl = s
            .client()
            .get(iri)
            .header("accept", "text/turtle")
            .send()
            .expect("GET");
        assert!(
            ttl.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/turtle")
        );
        let any = s
            .client()
            .get(iri)
            .header("accept", "*/*")
            .send()
            .expect("GET");
        assert!(
            any.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/turtle")
        );
        let (st, body, h) = page(&s, &format!("/datasets/{id}.jsonld"), &[]);
        assert_eq!(st, 200);
        assert!(
            h["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("application/ld+json")
        );
        assert!(body.trim_start().starts_with('{') || body.trim_start().starts_with('['));
        // Every machine link on the page answers.
        for l in links(&html).into_iter().filter(|l| {
            l.starts_with(&format!("/datasets/{id}.")) || l.starts_with("/api/v1/datasets/")
        }) {
            let r = s.get(&l, None);
            assert_eq!(r.status().as_u16(), 200, "{l}");
        }
        // A data service shows its endpoint and the description it offers.
        let svc: Value = s
            .get(
                "/api/v1/search?kind=dataservice&q=tra%20cuu%20doanh%20nghiep",
                None,
            )
            .json()
            .expect("json");
        let sid = svc["items"][0]["id"].as_str().expect("service id");
        let (st, shtml, _) = page(&s, &format!("/dataservices/{sid}"), &[]);
        assert_eq!(st, 200);
        assert!(
            shtml.contains("Địa chỉ dịch vụ") && shtml.contains("/demo/openapi/doanh-nghiep.yaml"),
            "{shtml}"
        );
        // Unknown ids are 404 for browsers too; English on request.
        let (st, _, _) = page(&s, "/datasets/khong-co", &[]);
        assert_eq!(st, 404);
        let (_, en, _) = page(&s, &format!("/datasets/{id}?lang=en"), &[]);
        assert!(
            en.contains("<h1>Schools</h1>") && en.contains("Next update due"),
            "{en}"
        );
    }
}

#[test]
fn agency_pages_list_what_each_agency_published() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (status, html, _) = page(&s, "/agencies", &[]);
        assert_eq!(status, 200);
        assert!(html.contains("Sở Giáo dục và Đào tạo"), "{html}");
        // The counts beside an agency are what the search counts for it.
        let api: Value = s
            .get("/api/v1/search?kind=dataset&agency=so-gddt&limit=1", None)
            .json()
            .expect("json");
        let n = api["total"].as_u64().expect("total");
        let row = html
            .split("<a href=\"/agencies/so-gddt\">")
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .expect("the agency's row");
        assert!(row.contains(&format!("<td>{n}</td>")), "{n}: {row}");
        let (status, one, _) = page(&s, "/agencies/so-gddt", &[]);
        assert_eq!(status, 200);
        assert!(one.contains("<h1>Sở Giáo dục và Đào tạo</h1>"), "{one}");
        assert!(
            one.contains("Department of Education and Training"),
            "the other name"
        );
        assert!(
            one.contains("Thời hạn cập nhật") && one.contains("đúng hạn"),
            "{one}"
        );
        assert!(one.contains("Danh sách trường học"), "its records: {one}");
        assert!(
            one.contains(&format!("<span class=\"n\">{n}</span> tập dữ liệu")),
            "{one}"
        );
        // RDF clients keep the agency's description at the same address.
        let ttl = s
            .client()
            .get(format!("{}/agencies/so-gddt", s.url))
            .header("accept", "text/turtle")
            .send()
            .expect("GET");
        assert!(
            ttl.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/turtle")
        );
        let (status, _, _) = page(&s, "/agencies/khong-co", &[]);
        assert_eq!(status, 404);
    }
}

#[test]
fn the_sparql_page_runs_the_examples_and_offers_downloads() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (status, html, _) = page(&s, "/sparql", &[]);
        assert_eq!(status, 200);
        assert!(
            html.contains("<textarea id=\"query\" name=\"query\""),
            "{html}"
        );
        let examples: Vec<String> = links(&html)
            .into_iter()
            .filter(|l| l.starts_with("/sparql?query="))
            .collect();
        assert!(examples.len() >= 3, "{html}");
        for ex in &examples {
            let (status, answered, _) = page(&s, ex, &[]);
            assert_eq!(status, 200, "{ex}");
            assert!(answered.contains("dòng kết quả"), "{ex}: {answered}");
        }
        // The services example lists the demo's public services, never the restricted ones.
        let (_, services, _) = page(&s, &examples[0], &[]);
        assert!(
            services.contains("Dịch vụ tra cứu thông tin doanh nghiệp"),
            "{services}"
        );
        assert!(
            !services.contains("Dịch vụ tra cứu thông tin thửa đất"),
            "a RESTRICTED service leaked"
        );
        // Downloads answer in their syntax, whatever the browser accepts.
        let csv = links(&services)
            .into_iter()
            .find(|l| l.ends_with("&format=csv"))
            .expect("a CSV download");
        let (status, body, h) = page(&s, &csv, &[]);
        assert_eq!(status, 200);
        assert!(
            h["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/csv"),
            "{h:?}"
        );
        assert!(body.starts_with("service,title,endpoint"), "{body}");
        // A graph answer is a table of triples with graph downloads.
        let describe = "/sparql?query=DESCRIBE%20%3Chttp%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Ffrequency%2FANNUAL%3E";
        let (status, graph, _) = page(&s, describe, &[]);
        assert_eq!(status, 200);
        assert!(
            graph.contains("bộ ba") && graph.contains("format=ttl"),
            "{graph}"
        );
        // A broken query is a 400 page that says why; SPARQL clients still get the protocol.
        let (status, bad, _) = page(&s, "/sparql?query=SELEC%20*", &[]);
        assert_eq!(status, 400);
        assert!(bad.contains("role=\"alert\""), "{bad}");
        let proto = s
            .client()
            .get(format!("{}/sparql?query=ASK%20%7B%7D", s.url))
            .header("accept", "application/sparql-results+json")
            .send()
            .expect("GET");
        assert_eq!(proto.json::<Value>().expect("json")["boolean"], true);
        let (_, bogus, _) = page(&s, "/sparql?query=ASK%20%7B%7D&format=yaml", &[]);
        assert!(bogus.contains("unknown format"), "{bogus}");
    }
}

#[test]
fn the_catalogue_of_databases_page_shows_each_issue_with_its_r1_fields() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (status, html, _) = page(&s, "/database-catalogue", &[]);
        assert_eq!(status, 200);
        for field in [
            "Mục tiêu",
            "Phạm vi",
            "Dữ liệu chủ",
            "Đối tượng sử dụng",
            "Nguồn thông tin",
            "Phương thức chia sẻ",
        ] {
            assert!(
                html.contains(&format!("<dt>{field}</dt>")),
                "{field}: {html}"
            );
        }
        assert!(
            html.contains("Cơ sở dữ liệu đăng ký doanh nghiệp của tỉnh"),
            "{html}"
        );
        // The demo's entries were each requested and approved: one issue per approval, the
        // latest holding them all; earlier issues stay readable.
        let api: Value = s
            .get("/api/v1/database-catalogue/issues", None)
            .json()
            .expect("json");
        let issues = api["items"].as_array().expect("items");
        assert!(issues.len() >= 2, "{api}");
        let latest = issues.last().expect("latest");
        assert!(
            html.contains(&format!("Lần ban hành {}", latest["number"])),
            "{html}"
        );
        let shown = html.matches("<section class=\"entry\">").count();
        assert_eq!(
            shown as u64,
            latest["entries"].as_u64().expect("entries"),
            "{html}"
        );
        let (status, first, _) = page(&s, "/database-catalogue?issue=1", &[]);
        assert_eq!(status, 200);
        assert!(first.contains("bản trước"), "{first}");
        // RESTRICTED entries only for agencies.
        let restricted = "Cơ sở dữ liệu ngành giáo dục";
        let tok = s.token("viewer", "so-tc");
        let (_, anon, _) = page(&s, "/database-catalogue", &[]);
        let (_, agency, _) = page(
            &s,
            "/database-catalogue",
            &[("authorization", &format!("Bearer {tok}"))],
        );
        if agency.contains(restricted) {
            assert!(
                !anon.contains(restricted),
                "a RESTRICTED entry leaked: {anon}"
            );
        }
        assert!(
            agency.matches("<section class=\"entry\">").count()
                > anon.matches("<section class=\"entry\">").count(),
            "an agency sees the RESTRICTED entries too"
        );
        let (status, _, _) = page(&s, "/database-catalogue?issue=999", &[]);
        assert_eq!(status, 404);
        let (status, _, _) = page(&s, "/database-catalogue?issue=abc", &[]);
        assert_eq!(status, 400);
    }
}
