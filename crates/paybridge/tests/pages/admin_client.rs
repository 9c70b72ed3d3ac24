//! Logging in to `/admin` the way a browser does: open the form (pre-login
//! CSRF cookie and hidden token), then post it.

use crate::app::{TestApp, API_KEY};
use reqwest::redirect::Policy;

/// A client that shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// What `GET /admin/login` hands a browser.
pub struct LoginForm {
    /// The full `Set-Cookie` header of the pre-login CSRF cookie.
    pub set_cookie: String,
    /// Its `name=value`, as a browser sends it back.
    pub cookie: String,
    /// The hidden `csrf` field of the form.
    pub token: String,
}

/// Opens the login form.
pub async fn login_form(app: &TestApp) -> LoginForm {
    let res = client()
        .get(format!("{}/admin/login", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let html = res.text().await.unwrap();
    let at = html.find(r#"name="csrf" value=""#).expect("csrf field") + 19;
    let token = html[at..at + 64].to_owned();
    LoginForm {
        set_cookie,
        cookie,
        token,
    }
}

/// Posts the login form with `key`, the way a browser that opened it does.
pub async fn login(app: &TestApp, key: &str) -> reqwest::Response {
    let form = login_form(app).await;
    client()
        .post(format!("{}/admin/login", app.base))
        .header("cookie", &form.cookie)
        .form(&[("api_key", key), ("csrf", &form.token)])
        .send()
        .await
        .unwrap()
}

/// Logs in; returns the full `Set-Cookie` header of the login cookie.
pub async fn login_set_cookie(app: &TestApp) -> String {
    let res = login(app, API_KEY).await;
    assert_eq!(res.status(), 303);
    let set = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("pb_admin="))
        .expect("a pb_admin cookie");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    set
}

/// Logs in; returns the `name=value` of the login cookie.
pub async fn logged_in(app: &TestApp) -> String {
    let set = login_set_cookie(app).await;
    set.split(';').next().unwrap().to_owned()
}

/// GETs an admin page with the login cookie; asserts 200, returns the HTML.
pub async fn admin_page(app: &TestApp, cookie: &str, path: &str) -> String {
    let res = client()
        .get(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}
