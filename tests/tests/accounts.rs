//! Accounts for people, through the real binary: created on the command line, signed in on
//! the portal's form (login CSRF refused, five failures lock), the session cookie's flags,
//! what a signed-in officer then reads, that a cookie never writes through the REST API, and
//! sign-out. Both databases.

use danhmuc_e2e::portal::{BROWSER, PASSWORD, client, create_user, input};
use danhmuc_e2e::{BACKENDS, Server};

/// The sign-in form's CSRF value and its cookie.
fn signin_form(s: &Server) -> (String, String) {
    let r = client()
        .get(format!("{}/signin", s.url))
        .header("accept", BROWSER)
        .send()
        .expect("GET /signin");
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("pair").to_owned();
    let html = r.text().expect("html");
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("csrf field")
        .to_owned();
    assert_eq!(pair, format!("dm_signin={token}"));
    (token, pair)
}

fn sign_in(s: &Server, email: &str, password: &str) -> reqwest::blocking::Response {
    let (token, cookie) = signin_form(s);
    client()
        .post(format!("{}/signin", s.url))
        .header("cookie", cookie)
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", token.as_str()),
            ("next", "/search?q=thua%20dat"),
        ])
        .send()
        .expect("POST /signin")
}

fn page(s: &Server, path: &str, cookie: Option<&str>) -> String {
    let mut r = client()
        .get(format!("{}{path}", s.url))
        .header("accept", BROWSER);
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    r.send().expect("GET").text().expect("text")
}

#[test]
fn officers_sign_in_read_as_their_agency_and_sign_out() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        // Accounts on the command line; the password is never stored as given.
        let (ok, err) = create_user(&s, "Can.Bo@TayNinh.gov.vn", "so-tc", "editor", PASSWORD);
        assert!(ok, "{err}");
        assert!(err.contains("can.bo@tayninh.gov.vn"), "{err}");
        let (ok, err) = create_user(&s, "can.bo@tayninh.gov.vn", "so-tc", "editor", PASSWORD);
        assert!(!ok && err.contains("already exists"), "{err}");
        let (ok, err) = create_user(&s, "ngan@tayninh.gov.vn", "so-tc", "editor", "ngắn");
        assert!(
            !ok && err.contains("12 characters") && err.trim().lines().count() == 1,
            "{err}"
        );
        let (ok, err) = create_user(&s, "x@tayninh.gov.vn", "khong-co", "editor", PASSWORD);
        assert!(!ok && err.contains("khong-co"), "{err}");
        assert_eq!(
            s.sql("UPDATE users SET role = role WHERE email = 'can.bo@tayninh.gov.vn' AND password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'"),
            1
        );
        let (ok, out, _) = s.cli(&[
            "user",
            "create",
            "--email",
            "thu@tayninh.gov.vn",
            "--agency",
            "so-tc",
            "--role",
            "viewer",
        ]);
        assert!(ok);
        assert_eq!(
            out.trim().chars().count(),
            16,
            "a made-up password is printed once: {out}"
        );
        let (ok, list, _) = s.cli(&["user", "list"]);
        assert!(
            ok && list.contains("can.bo@tayninh.gov.vn\teditor\tso-tc"),
            "{list}"
        );

        // Login CSRF: a form posted without the form's cookie is refused.
        let (token, _) = signin_form(&s);
        let r = client()
            .post(format!("{}/signin", s.url))
            .form(&[
                ("email", "can.bo@tayninh.gov.vn"),
                ("password", PASSWORD),
                ("csrf", token.as_str()),
            ])
            .send()
            .expect("POST");
        assert_eq!(r.status().as_u16(), 403);
        assert!(
            r.headers()
                .get("set-cookie")
                .is_none_or(|c| !c.to_str().unwrap_or("").starts_with("dm_session"))
        );

        // A wrong password says the same as an unknown address.
        let wrong = sign_in(&s, "can.bo@tayninh.gov.vn", "sai mật khẩu rồi");
        assert_eq!(wrong.status().as_u16(), 401);
        let wrong_text = wrong.text().expect("text");
        let unknown = sign_in(&s, "khong.ai@tayninh.gov.vn", PASSWORD);
        assert_eq!(unknown.status().as_u16(), 401);
        let unknown_text = unknown.text().expect("text");
        let message = |h: &str| {
            h.split("role=\"alert\"")
                .nth(1)
                .and_then(|m| m.split("</p>").next())
                .map(str::to_owned)
        };
        assert_eq!(message(&wrong_text), message(&unknown_text));
        assert!(
            wrong_text.contains("value=\"can.bo@tayninh.gov.vn\""),
            "the address is kept"
        );

        // The right password, in another case of the address: a session cookie, then the page asked for.
        let ok = sign_in(&s, "CAN.BO@tayninh.gov.vn", PASSWORD);
        assert_eq!(ok.status().as_u16(), 303);
        assert_eq!(ok.headers()["location"], "/search?q=thua%20dat");
        let set: Vec<String> = ok
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|c| c.to_str().expect("cookie").to_owned())
            .collect();
        let session = set
            .iter()
            .find(|c| c.starts_with("dm_session="))
            .expect("session cookie");
        assert!(
            session.contains("HttpOnly")
                && session.contains("SameSite=Lax")
                && session.contains("Path=/"),
            "{session}"
        );
        assert!(!session.contains("Secure"), "plain HTTP on loopback");
        let cookie = session.split(';').next().expect("pair").to_owned();

        // Signed in, the officer reads what a state agency reads; anonymous visitors do not.
        let restricted = "Dịch vụ tra cứu thông tin thửa đất";
        let anon = page(&s, "/search?kind=dataservice", None);
        assert!(!anon.contains(restricted), "{anon}");
        let mine = page(&s, "/search?kind=dataservice", Some(&cookie));
        assert!(mine.contains(restricted), "{mine}");
        assert!(
            mine.contains("<span class=\"who\">can.bo@tayninh.gov.vn</span>"),
            "{mine}"
        );
        let csrf = mine
            .split(
                "action=\"/signout\" method=\"post\"><input type=\"hidden\" name=\"csrf\" value=\"",
            )
            .nth(1)
            .and_then(|t| t.split('"').next())
            .expect("sign-out form")
            .to_owned();
        assert_eq!(csrf.len(), 32);

        // A cookie never writes through the REST API (no CSRF there: bearer tokens only).
        let ttl = "<http://src/x> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"qua cookie\"@vi .";
        let w = client()
            .post(format!("{}/api/v1/datasets", s.url))
            .header("cookie", &cookie)
            .header("content-type", "text/turtle")
            .body(ttl)
            .send()
            .expect("POST");
        assert_eq!(w.status().as_u16(), 401);

        // Sign-out needs the session's CSRF token.
        let r = client()
            .post(format!("{}/signout", s.url))
            .header("cookie", &cookie)
            .form(&[("csrf", "sai")])
            .send()
            .expect("POST");
        assert_eq!(r.status().as_u16(), 403);
        assert!(
            page(&s, "/", Some(&cookie)).contains("can.bo@tayninh.gov.vn"),
            "still signed in"
        );
        let r = client()
            .post(format!("{}/signout", s.url))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .expect("POST");
        assert_eq!(r.status().as_u16(), 303);
        let after = page(&s, "/search?kind=dataservice", Some(&cookie));
        assert!(
            !after.contains(restricted) && after.contains("href=\"/signin\""),
            "{after}"
        );

        // Five failures in a row lock the account: then even the right password is refused.
        for _ in 0..5 {
            assert_eq!(
                sign_in(&s, "can.bo@tayninh.gov.vn", "vẫn sai mật khẩu")
                    .status()
                    .as_u16(),
                401
            );
        }
        assert_eq!(
            sign_in(&s, "can.bo@tayninh.gov.vn", PASSWORD)
                .status()
                .as_u16(),
            401
        );
        assert_eq!(
            s.sql("UPDATE users SET role = role WHERE locked_until IS NOT NULL"),
            1
        );
    }
}

#[test]
fn an_officer_creates_edits_and_withdraws_a_dataset_through_the_form() {
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let (ok, err) = create_user(&s, "bien.tap@tayninh.gov.vn", "so-tc", "editor", PASSWORD);
        assert!(ok, "{err}");
        let r = sign_in(&s, "bien.tap@tayninh.gov.vn", PASSWORD);
        assert_eq!(r.status().as_u16(), 303);
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|c| c.to_str().expect("cookie").to_owned())
            .find(|c| c.starts_with("dm_session="))
            .and_then(|c| c.split(';').next().map(str::to_owned))
            .expect("session");
        let form = page(&s, "/manage/datasets/new", Some(&cookie));
        let csrf = input(&form, "csrf");
        assert_eq!(csrf.len(), 32, "{form}");
        let post = |path: &str, fields: &[(&str, &str)]| {
            client()
                .post(format!("{}{path}", s.url))
                .header("cookie", &cookie)
                .form(fields)
                .send()
                .expect("POST")
        };
        let theme = "http://publications.europa.eu/resource/authority/data-theme/ECON";
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("title_vi", ""),
            ("title_en", "Traditional markets"),
            (
                "description_vi",
                "Danh sách chợ truyền thống trên địa bàn tỉnh.",
            ),
            ("keywords", "chợ, thương mại"),
            ("theme", theme),
            ("access", "PUBLIC"),
            ("frequency", "ANNUAL"),
            ("license", "http://creativecommons.org/licenses/by/4.0/"),
            (
                "download_url",
                "https://opendata.tayninh.gov.vn/files/cho.csv",
            ),
            ("format", "CSV"),
            ("status", "published"),
        ];
        // A missing title: the form comes back with the error beside the field, values kept.
        let r = post("/manage/datasets/new", &fields);
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().expect("html");
        assert!(
            html.contains("<p class=\"field-error\" id=\"title_vi-error\">Cần nhập tên bộ dữ liệu bằng tiếng Việt.</p>"),
            "{html}"
        );
        assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"title_vi-error\""));
        assert!(
            html.contains("value=\"Traditional markets\""),
            "values are kept"
        );
        // A value DCAT-AP refuses (a theme outside the EU vocabulary) is refused by the same
        // write path as the REST API, and shown beside its field in Vietnamese.
        fields[1] = ("title_vi", "Chợ truyền thống MARKERCHO");
        fields[5] = ("theme", "http://example.org/khong-phai-linh-vuc");
        let r = post("/manage/datasets/new", &fields);
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().expect("html");
        assert!(html.contains("id=\"theme-error\""), "{html}");
        assert!(html.contains("DCAT-AP"), "{html}");
        assert!(
            page(&s, "/search?q=MARKERCHO", None).contains(">0 kết quả<"),
            "nothing was written"
        );
        // Without the session's CSRF token nothing is written.
        fields[5] = ("theme", theme);
        let mut forged = fields.clone();
        forged[0] = ("csrf", "gia-mao");
        assert_eq!(post("/manage/datasets/new", &forged).status().as_u16(), 403);
        // Created: on the officer's list, on the public page and in search.
        let r = post("/manage/datasets/new", &fields);
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().unwrap_or_default());
        let list = page(&s, "/manage", Some(&cookie));
        assert!(
            list.contains("Đã thêm bộ dữ liệu.") || list.contains("Chợ truyền thống MARKERCHO"),
            "{list}"
        );
        assert!(list.contains("Chợ truyền thống MARKERCHO"), "{list}");
        let found = page(&s, "/search?q=MARKERCHO", None);
        assert!(found.contains(">1 kết quả<"), "{found}");
        let id = found
            .split("href=\"/datasets/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the new dataset")
            .to_owned();
        let public = page(&s, &format!("/datasets/{id}"), None);
        assert!(
            public.contains("Chợ truyền thống MARKERCHO") && public.contains("Tải về"),
            "{public}"
        );
        // Edited: the title changes, the distribution (not in the edit form) stays.
        let edit = page(&s, &format!("/manage/datasets/{id}/edit"), Some(&cookie));
        assert_eq!(input(&edit, "title_vi"), "Chợ truyền thống MARKERCHO");
        let etag = input(&edit, "etag");
        assert!(!etag.is_empty(), "{edit}");
        let mut changed = fields.clone();
        changed[1] = ("title_vi", "Chợ truyền thống MARKERCHO đã sửa");
        changed.push(("etag", etag.as_str()));
        let r = post(&format!("/manage/datasets/{id}/edit"), &changed);
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().unwrap_or_default());
        let public = page(&s, &format!("/datasets/{id}"), None);
        assert!(
            public.contains("MARKERCHO đã sửa") && public.contains("Tải về"),
            "{public}"
        );
        assert!(public.contains("Phiên bản 2"), "{public}");
        // The same stale ETag again: refused, the form says why.
        let r = post(&format!("/manage/datasets/{id}/edit"), &changed);
        assert_eq!(r.status().as_u16(), 422);
        assert!(
            r.text()
                .expect("html")
                .contains("vừa được người khác thay đổi")
        );
        // Another agency's dataset cannot be edited or withdrawn by this officer.
        let other: serde_json::Value = s
            .get("/api/v1/search?kind=dataset&agency=so-gddt&limit=1", None)
            .json()
            .expect("json");
        let other_id = other["items"][0]["id"].as_str().expect("id");
        let r = post(
            &format!("/manage/datasets/{other_id}/withdraw"),
            &[("csrf", csrf.as_str())],
        );
        assert_eq!(r.status().as_u16(), 403);
        // Withdrawn: gone from search, its page says so (410), history kept.
        let r = post(
            &format!("/manage/datasets/{id}/withdraw"),
            &[("csrf", csrf.as_str())],
        );
        assert_eq!(r.status().as_u16(), 303);
        assert!(page(&s, "/search?q=MARKERCHO", None).contains(">0 kết quả<"));
        let gone = client()
            .get(format!("{}/datasets/{id}", s.url))
            .header("accept", BROWSER)
            .send()
            .expect("GET");
        assert_eq!(gone.status().as_u16(), 410);
        // Anonymous visitors and viewers do not reach the forms.
        let r = client()
            .get(format!("{}/manage", s.url))
            .header("accept", BROWSER)
            .send()
            .expect("GET");
        assert_eq!(r.status().as_u16(), 401);
    }
}

#[test]
fn an_officer_describes_a_data_service_through_the_form() {
    use danhmuc_e2e::portal::{page as get, post_form, signed_in};
    for backend in BACKENDS {
        let s = Server::start(backend, &["--demo"]);
        let cookie = signed_in(&s, "dich.vu@tayninh.gov.vn", "so-tc", "editor");
        let (status, form) = get(&s, "/manage/dataservices/new", Some(&cookie));
        assert_eq!(status, 200);
        assert!(form.contains("id=\"endpoint_url\"") && !form.contains("id=\"frequency\""));
        let csrf = input(&form, "csrf");
        let theme = "http://publications.europa.eu/resource/authority/data-theme/ECON";
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("title_vi", "Dịch vụ tra cứu giá đất MARKERAPI"),
            ("description_vi", "API tra cứu bảng giá đất theo thửa."),
            ("keywords", "giá đất; API"),
            ("theme", theme),
            ("access", "PUBLIC"),
            ("license", "http://creativecommons.org/licenses/by/4.0/"),
            ("endpoint_url", ""),
            ("endpoint_description", ""),
            ("status", "published"),
        ];
        // No endpoint: refused beside the field, in Vietnamese; nothing written.
        let r = post_form(&s, "/manage/dataservices/new", &cookie, &fields);
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().expect("html");
        assert!(
            html.contains("<p class=\"field-error\" id=\"endpoint_url-error\">Cần nhập địa chỉ truy cập của dịch vụ.</p>"),
            "{html}"
        );
        fields[7] = ("endpoint_url", "https://api.tayninh.gov.vn/gia-dat");
        fields[8] = (
            "endpoint_description",
            "https://api.tayninh.gov.vn/gia-dat/openapi.json",
        );
        let r = post_form(&s, "/manage/dataservices/new", &cookie, &fields);
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().unwrap_or_default());
        let (_, found) = get(&s, "/search?q=MARKERAPI&kind=dataservice", None);
        assert!(found.contains(">1 kết quả<"), "{found}");
        let id = found
            .split("href=\"/dataservices/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the new service")
            .to_owned();
        let (status, public) = get(&s, &format!("/dataservices/{id}"), None);
        assert_eq!(status, 200);
        assert!(
            public.contains("https://api.tayninh.gov.vn/gia-dat"),
            "{public}"
        );
        // Edited: the endpoint moves; the form was filled from the record.
        let (_, edit) = get(
            &s,
            &format!("/manage/dataservices/{id}/edit"),
            Some(&cookie),
        );
        assert_eq!(
            input(&edit, "endpoint_url"),
            "https://api.tayninh.gov.vn/gia-dat"
        );
        let etag = input(&edit, "etag");
        fields[7] = ("endpoint_url", "https://api.tayninh.gov.vn/v2/gia-dat");
        fields.push(("etag", etag.as_str()));
        let r = post_form(
            &s,
            &format!("/manage/dataservices/{id}/edit"),
            &cookie,
            &fields,
        );
        assert_eq!(r.status().as_u16(), 303, "{}", r.text().unwrap_or_default());
        let rdf = String::from_utf8(s.get_accepting(
            &format!("{}/api/v1/dataservices/{id}", s.url),
            "text/turtle",
        ))
        .expect("utf-8");
        assert!(
            rdf.contains("https://api.tayninh.gov.vn/v2/gia-dat"),
            "{rdf}"
        );
        assert!(
            !rdf.contains("<https://api.tayninh.gov.vn/gia-dat>"),
            "{rdf}"
        );
        // Withdrawn.
        let r = post_form(
            &s,
            &format!("/manage/dataservices/{id}/withdraw"),
            &cookie,
            &[("csrf", csrf.as_str())],
        );
        assert_eq!(r.status().as_u16(), 303);
        let (status, gone) = get(&s, &format!("/dataservices/{id}"), None);
        assert_eq!(status, 410);
        assert!(
            gone.contains("<html lang=\"vi\""),
            "the browser gets a page"
        );
    }
}
