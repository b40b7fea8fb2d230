//! Nothing restricted leaks: PUBLIC, RESTRICTED, NON_PUBLIC and draft records, read by
//! anonymous callers, other agencies, named agencies and owners through REST, listings,
//! dereferencing, history, SPARQL (with every dataset trick) and exports. Both databases.

use danhmuc_e2e::{BACKENDS, Server};
use serde_json::Value;

const AR: &str = "http://publications.europa.eu/resource/authority/access-right/";

fn create(
    s: &Server,
    token: &str,
    title: &str,
    access: Option<&str>,
    extra: &str,
    status: &str,
) -> (String, String) {
    let rights = access
        .map(|a| format!("dct:accessRights <{AR}{a}> ;"))
        .unwrap_or_default();
    let ttl = format!(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix dcatvn: <https://w3id.org/dcat-vn#> .\n\
         <http://src/{title}> a dcat:Dataset ; {rights} {extra} dct:title \"{title}\"@vi ; dct:description \"SECRET-{title}\"@vi ."
    );
    let r = s.post(
        &format!("/api/v1/datasets{status}"),
        "text/turtle",
        ttl,
        Some(token),
    );
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().unwrap_or_default());
    let v: Value = r.json().expect("json");
    (
        v["id"].as_str().expect("id").to_owned(),
        v["iri"].as_str().expect("iri").to_owned(),
    )
}

#[test]
fn restricted_records_never_leak() {
    for backend in BACKENDS {
        let s = Server::start(backend, &[]);
        for (c, n) in [
            ("owner", "Sở Y tế"),
            ("friend", "Sở Khoa học và Công nghệ"),
            ("stranger", "Sở Tư pháp"),
        ] {
            s.agency(c, n);
        }
        let owner = s.token("editor", "owner");
        let friend = s.token("viewer", "friend");
        let stranger = s.token("viewer", "stranger");
        let (pub_id, _) = create(&s, &owner, "congkhai", Some("PUBLIC"), "", "");
        let (res_id, res_iri) = create(&s, &owner, "hanche", Some("RESTRICTED"), "", "");
        let shared = format!("dcatvn:sharedWith <{}/agencies/friend> ;", s.base);
        let (np_id, np_iri) = create(&s, &owner, "khongcongkhai", Some("NON_PUBLIC"), &shared, "");
        let (draft_id, draft_iri) = create(&s, &owner, "banthao", None, "", "?status=draft");

        let sees = |token: Option<&str>, id: &str| {
            s.get(&format!("/api/v1/datasets/{id}"), token)
                .status()
                .as_u16()
                == 200
        };
        // REST single reads
        assert!(sees(None, &pub_id));
        for id in [&res_id, &np_id, &draft_id] {
            assert!(!sees(None, id), "anonymous reads {id}");
            assert_eq!(
                s.get(&format!("/api/v1/datasets/{id}"), None)
                    .status()
                    .as_u16(),
                404,
                "hidden records are 404, not 403"
            );
            assert_eq!(
                s.get(&format!("/api/v1/datasets/{id}/history"), None)
                    .status()
                    .as_u16(),
                404
            );
            assert_eq!(
                s.get(&format!("/datasets/{id}.ttl"), None)
                    .status()
                    .as_u16(),
                404,
                "dereferencing hides it too"
            );
        }
        assert!(sees(Some(&stranger), &res_id));
        assert!(!sees(Some(&stranger), &np_id));
        assert!(!sees(Some(&stranger), &draft_id));
        assert!(sees(Some(&friend), &np_id), "named agency reads NON_PUBLIC");
        assert!(!sees(Some(&friend), &draft_id));
        assert!(sees(Some(&owner), &np_id) && sees(Some(&owner), &draft_id));
        assert!(sees(Some(&s.admin), &np_id) && sees(Some(&s.admin), &draft_id));

        // listings
        let titles = |token: Option<&str>| -> Vec<String> {
            let v: Value = s
                .get("/api/v1/datasets?limit=100", token)
                .json()
                .expect("list");
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["titleVi"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        assert_eq!(titles(None), vec!["congkhai"]);
        let mut st = titles(Some(&stranger));
        st.sort();
        assert_eq!(st, vec!["congkhai", "hanche"]);
        let mut fr = titles(Some(&friend));
        fr.sort();
        assert_eq!(fr, vec!["congkhai", "hanche", "khongcongkhai"]);

        // SPARQL: plain, GRAPH ?g, FROM, FROM NAMED, protocol dataset parameters
        let leak_queries = [
            "SELECT ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'SECRET-hanche') || CONTAINS(STR(?o), 'SECRET-khongcongkhai') || CONTAINS(STR(?o), 'SECRET-banthao')) }".to_owned(),
            "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?o), 'SECRET-h') || CONTAINS(STR(?o), 'SECRET-k') || CONTAINS(STR(?o), 'SECRET-b')) }".to_owned(),
            format!("SELECT ?o FROM <{res_iri}> FROM <{np_iri}> FROM <{draft_iri}> WHERE {{ ?s ?p ?o }}"),
            format!("SELECT ?o FROM NAMED <{res_iri}> FROM NAMED <{np_iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        ];
        let count = |q: &str, token: Option<&str>| {
            s.sparql(q, token)["results"]["bindings"]
                .as_array()
                .expect("bindings")
                .len()
        };
        for q in &leak_queries {
            assert_eq!(count(q, None), 0, "anonymous SPARQL leaked with {q}");
        }
        let r = s.get(
            &format!(
                "/sparql?query={}&default-graph-uri={}",
                urlencoding::encode("SELECT * WHERE { ?s ?p ?o }"),
                urlencoding::encode(&res_iri)
            ),
            None,
        );
        let v: Value = r.json().expect("json");
        assert!(
            v["results"]["bindings"].as_array().expect("b").is_empty(),
            "default-graph-uri cannot reach a restricted graph"
        );
        let ask = |q: &str, token: Option<&str>| {
            s.sparql(q, token)["boolean"].as_bool().expect("boolean")
        };
        let has = |what: &str| format!("ASK {{ GRAPH ?g {{ ?s ?p \"SECRET-{what}\"@vi }} }}");
        assert!(ask(&has("congkhai"), None));
        assert!(ask(&has("hanche"), Some(&stranger)));
        assert!(!ask(&has("khongcongkhai"), Some(&stranger)));
        assert!(!ask(
            "ASK { ?s ?p \"SECRET-khongcongkhai\"@vi }",
            Some(&stranger)
        ));
        assert!(
            ask(&has("khongcongkhai"), Some(&friend)),
            "named agency queries its NON_PUBLIC record"
        );
        assert!(ask(
            "ASK { ?s ?p \"SECRET-khongcongkhai\"@vi }",
            Some(&friend)
        ));
        assert!(
            !ask(&has("banthao"), Some(&friend)),
            "drafts are never in SPARQL for others"
        );
        assert!(ask(&has("khongcongkhai"), Some(&s.admin)));
        assert_eq!(
            count(
                &format!("SELECT ?o FROM NAMED <{np_iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
                Some(&stranger)
            ),
            0
        );

        // search: results, totals, highlights and facet counts hold only what the caller
        // may read, whatever the query or filter tries
        let search = |query: &str, token: Option<&str>| -> Value {
            let r = s.get(&format!("/api/v1/search?{query}"), token);
            assert_eq!(r.status().as_u16(), 200, "search {query}");
            r.json().expect("search json")
        };
        let found = |v: &Value| -> Vec<String> {
            let mut t: Vec<String> = v["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["title"].as_str().unwrap_or("").to_owned())
                .collect();
            t.sort();
            t
        };
        for query in [
            "q=",
            "q=SECRET",
            "q=hanche",
            "q=khongcongkhai",
            "q=banthao",
            "kind=dataset",
            "agency=owner",
            "q=secret&sort=title",
        ] {
            // Agencies are records too (each is its own agency's): count datasets only.
            let v = search(&format!("{query}&kind=dataset"), None);
            let body = v.to_string();
            assert!(
                !body.contains("hanche")
                    && !body.contains("khongcongkhai")
                    && !body.contains("banthao"),
                "anonymous search leaked with {query}: {body}"
            );
            let owner_count: u64 = v["facets"]["agency"]
                .as_array()
                .expect("agency facet")
                .iter()
                .filter(|x| x["value"] == "owner")
                .map(|x| x["count"].as_u64().unwrap_or(0))
                .sum();
            assert!(
                owner_count <= 1,
                "facet counts hidden records ({query}): {body}"
            );
            assert!(v["total"].as_u64().unwrap_or(99) <= 1, "{query}: {body}");
        }
        assert_eq!(found(&search("q=SECRET", None)), vec!["congkhai"]);
        assert_eq!(
            found(&search("q=SECRET", Some(&stranger))),
            vec!["congkhai", "hanche"]
        );
        let fr = search("q=SECRET", Some(&friend));
        assert_eq!(found(&fr), vec!["congkhai", "hanche", "khongcongkhai"]);
        assert_eq!(fr["facets"]["agency"][0]["count"], 3, "{fr}");
        assert!(
            !fr.to_string().contains("banthao"),
            "drafts are never searchable"
        );
        assert_eq!(
            found(&search("q=SECRET", Some(&owner))),
            vec!["congkhai", "hanche", "khongcongkhai"]
        );
        assert_eq!(
            search("q=SECRET&kind=dataset", Some(&s.admin))["total"],
            3,
            "published only, every audience"
        );

        // pages: the home page, the search page (results, facets, counts) and each record's
        // page show a browser only what the API shows the same caller
        let page = |path: &str, token: Option<&str>| -> (u16, String) {
            let mut r = s
                .client()
                .get(format!("{}{path}", s.url))
                .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8");
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            let r = r.send().expect("GET page");
            (r.status().as_u16(), r.text().expect("page"))
        };
        let hidden = ["hanche", "khongcongkhai", "banthao"];
        for path in [
            "/",
            "/search?q=SECRET",
            "/search?q=hanche",
            "/search?q=khongcongkhai",
            "/search?q=banthao",
            "/search?agency=owner&kind=dataset",
            "/search?kind=dataset&sort=title",
        ] {
            let (status, html) = page(path, None);
            assert_eq!(status, 200, "{path}");
            for h in hidden {
                // The description is the marker: the query itself is echoed in the page.
                assert!(
                    !html.contains(&format!("SECRET-{h}")),
                    "anonymous page {path} shows {h}: {html}"
                );
                if path == format!("/search?q={h}") {
                    assert!(html.contains(">0 kết quả<"), "{path}: {html}");
                }
            }
            // Agencies are records too (each its own agency's): count datasets only.
            assert!(
                !path.contains("kind=dataset")
                    || !html.contains("<span class=\"count\">3</span>")
                        && !html.contains("<span class=\"count\">2</span>"),
                "a facet counts hidden records on {path}: {html}"
            );
        }
        let (_, html) = page("/search?q=SECRET&kind=dataset", None);
        assert!(html.contains("1 kết quả"), "{html}");
        let (_, html) = page("/search?q=SECRET&kind=dataset", Some(&friend));
        assert!(
            html.contains("3 kết quả")
                && html.contains("khongcongkhai")
                && !html.contains("banthao"),
            "{html}"
        );
        let (_, html) = page("/search?q=SECRET&kind=dataset", Some(&stranger));
        assert!(
            html.contains("2 kết quả") && !html.contains("khongcongkhai"),
            "{html}"
        );
        for (id, readers) in [
            (
                &res_id,
                vec![
                    Some(stranger.as_str()),
                    Some(friend.as_str()),
                    Some(owner.as_str()),
                ],
            ),
            (&np_id, vec![Some(friend.as_str()), Some(owner.as_str())]),
            (&draft_id, vec![Some(owner.as_str())]),
        ] {
            let (status, html) = page(&format!("/datasets/{id}"), None);
            assert_eq!(status, 404, "an anonymous page of {id}");
            for h in hidden {
                assert!(!html.contains(&format!("SECRET-{h}")), "{html}");
            }
            for reader in readers {
                let (status, html) = page(&format!("/datasets/{id}"), reader);
                assert_eq!(status, 200, "{id} for its reader");
                assert!(html.contains("SECRET-"), "{html}");
            }
        }
        let (status, html) = page(&format!("/datasets/{np_id}"), Some(&stranger));
        assert_eq!(status, 404);
        assert!(!html.contains("SECRET-khongcongkhai"));
        // The dashboard and the harvest pages of another agency's officer, and of the named
        // agency's: the owner's hidden records appear in neither.
        for agency in ["stranger", "friend"] {
            let person = danhmuc_e2e::portal::signed_in(
                &s,
                &format!("can.bo@{agency}.gov.vn"),
                agency,
                "editor",
            );
            for path in ["/dashboard", "/manage/harvest", "/manage"] {
                let (status, html) = danhmuc_e2e::portal::page(&s, path, Some(&person));
                assert_eq!(status, 200, "{path} for {agency}");
                for h in hidden {
                    assert!(
                        !html.contains(h) && !html.contains(&format!("SECRET-{h}")),
                        "{path} shows {h} to {agency}: {html}"
                    );
                }
            }
        }
        let (status, html) = page(&format!("/datasets/{pub_id}"), None);
        assert_eq!(status, 200);
        assert!(
            html.contains("SECRET-congkhai") && html.contains("<html"),
            "{html}"
        );

        // exports: the public export holds only the public record
        let (ok, out, err) = s.cli(&["export", "--format", "nt"]);
        assert!(ok, "{err}");
        assert!(out.contains("SECRET-congkhai"));
        assert!(
            !out.contains("SECRET-hanche")
                && !out.contains("SECRET-khongcongkhai")
                && !out.contains("SECRET-banthao")
        );
        let (_, gov, _) = s.cli(&["export", "--format", "nt", "--audience", "government"]);
        assert!(gov.contains("SECRET-hanche") && !gov.contains("SECRET-khongcongkhai"));

        // a record made RESTRICTED later disappears from the public store and listings
        let r = s.get(&format!("/api/v1/datasets/{pub_id}"), Some(&owner));
        let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
        let ttl = format!(
            "<http://src/x> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/accessRights> <{AR}RESTRICTED> ; <http://purl.org/dc/terms/title> \"congkhai\"@vi ; <http://purl.org/dc/terms/description> \"SECRET-congkhai\"@vi ."
        );
        let r = s
            .client()
            .put(format!("{}/api/v1/datasets/{pub_id}", s.url))
            .header("content-type", "text/turtle")
            .header("if-match", etag)
            .bearer_auth(&owner)
            .body(ttl)
            .send()
            .expect("put");
        assert_eq!(r.status().as_u16(), 200);
        assert!(
            !ask(&has("congkhai"), None),
            "PUBLIC → RESTRICTED leaves the public store ({backend:?})"
        );
        assert!(titles(None).is_empty());
        assert_eq!(
            search("q=congkhai", None)["total"],
            0,
            "and leaves public search"
        );
        // and its history, read anonymously, shows only the public version without later content
        let h: Value = s
            .get(&format!("/api/v1/datasets/{pub_id}/history"), None)
            .json()
            .expect("history");
        assert_eq!(h["versions"].as_array().expect("versions").len(), 1);
    }
}
