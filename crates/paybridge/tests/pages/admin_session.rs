//! Logging in to `/admin` the way a browser does.

use crate::app::{TestApp, API_KEY};
use reqwest::redirect::Policy;

/// A client that shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// Submits the login form with `key`.
pub async fn login(app: &TestApp, key: &str) -> reqwest::Response {
    client()
        .post(format!("{}/admin/login", app.base))
        .form(&[("api_key", key)])
        .send()
        .await
        .unwrap()
}

/// Logs in; returns the `name=value` of the login cookie.
pub async fn logged_in(app: &TestApp) -> String {
    let res = login(app, API_KEY).await;
    assert_eq!(res.status(), 303);
    let set = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
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
