//! What the portal's tests do as a person in a browser would: accounts made on the command
//! line, signing in through the form, pages fetched with the session's cookie, and the
//! values of a page's form fields.

use crate::{Server, binary};
use std::io::Write;
use std::process::{Command, Stdio};

/// What a browser sends as `Accept` for a page.
pub const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// The password the tests' accounts get.
pub const PASSWORD: &str = "Mật khẩu đủ dài 2026";

/// A client that shows redirects instead of following them.
pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

/// `danhmuc user create …` with the password on standard input: (success, stderr).
pub fn create_user(
    s: &Server,
    email: &str,
    agency: &str,
    role: &str,
    password: &str,
) -> (bool, String) {
    let args = s.store_args(&[
        "user",
        "create",
        "--email",
        email,
        "--agency",
        agency,
        "--role",
        role,
        "--password-stdin",
    ]);
    let mut child = Command::new(binary())
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("danhmuc user create");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password");
    let out = child.wait_with_output().expect("exit");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The value of a named input in a page (the first one), entities of `&` and `"` undone.
pub fn input(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|r| r.split("value=\"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap_or_default()
        .replace("&#38;", "&")
        .replace("&#34;", "\"")
}

/// Creates an account and signs it in through the form: the session's `name=value` cookie.
pub fn signed_in(s: &Server, email: &str, agency: &str, role: &str) -> String {
    let (ok, err) = create_user(s, email, agency, role, PASSWORD);
    assert!(ok, "{err}");
    sign_in(s, email, PASSWORD)
}

/// Signs an existing account in through the form: the session's `name=value` cookie.
pub fn sign_in(s: &Server, email: &str, password: &str) -> String {
    let r = client()
        .get(format!("{}/signin", s.url))
        .header("accept", BROWSER)
        .send()
        .expect("GET /signin");
    let form_cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let csrf = input(&r.text().expect("html"), "csrf");
    let r = client()
        .post(format!("{}/signin", s.url))
        .header("cookie", form_cookie)
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .expect("POST /signin");
    assert_eq!(r.status().as_u16(), 303, "sign-in of {email}");
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with("dm_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned()
}

/// GETs a page as a browser, with a session cookie or none: (status, body).
pub fn page(s: &Server, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut r = client()
        .get(format!("{}{path}", s.url))
        .header("accept", BROWSER);
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    let r = r.send().expect("GET");
    (r.status().as_u16(), r.text().expect("text"))
}

/// POSTs a form as a browser with a session cookie: the answer.
pub fn post_form(
    s: &Server,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> reqwest::blocking::Response {
    client()
        .post(format!("{}{path}", s.url))
        .header("accept", BROWSER)
        .header("cookie", cookie)
        .form(fields)
        .send()
        .expect("POST")
}
