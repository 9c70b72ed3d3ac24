//! The login form's pre-login CSRF check and the `Secure` cookie flag.

use crate::admin_client::{client, login_form, login_set_cookie};
use crate::app::{spawn_app, spawn_app_at, TestApp, API_KEY};

async fn post_login(app: &TestApp, cookie: Option<&str>, token: Option<&str>) -> reqwest::Response {
    let mut form = vec![("api_key", API_KEY)];
    if let Some(t) = token {
        form.push(("csrf", t));
    }
    let mut req = client()
        .post(format!("{}/admin/login", app.base))
        .form(&form);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn login_without_the_matching_csrf_pair_is_forbidden_and_sets_nothing() {
    let app = spawn_app().await;
    let first = login_form(&app).await;
    let second = login_form(&app).await;
    assert_ne!(first.token, second.token, "each form gets its own pair");
    let forged_token = "0".repeat(64);
    // All with the right API key: only the CSRF pair is wrong.
    let cases: [(Option<&str>, Option<&str>, &str); 6] = [
        (None, None, "neither cookie nor token"),
        (Some(&first.cookie), None, "cookie without token"),
        (None, Some(&first.token), "token without cookie"),
        (Some(&first.cookie), Some(&forged_token), "made-up token"),
        (
            Some(&first.cookie),
            Some(&second.token),
            "token of another form",
        ),
        (Some("pb_login_csrf="), Some(&first.token), "empty cookie"),
    ];
    for (cookie, token, what) in cases {
        let res = post_login(&app, cookie, token).await;
        assert_eq!(res.status(), 403, "{what}");
        assert!(
            res.headers().get("set-cookie").is_none(),
            "{what}: no cookie set"
        );
        let html = res.text().await.unwrap();
        assert!(html.contains("Requisição recusada"), "{what}: {html}");
        assert!(html.contains("lang=\"pt-BR\""), "{what}: pt-BR page");
    }
    // No login came out of it: the dashboard still asks for a login.
    let res = client()
        .get(format!("{}/admin", app.base))
        .header("cookie", &first.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin/login");
    // The genuine pair still logs in.
    let res = post_login(&app, Some(&first.cookie), Some(&first.token)).await;
    assert_eq!(res.status(), 303);
    let mut set: Vec<&str> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    set.sort_unstable();
    assert_eq!(set.len(), 2, "{set:?}");
    assert!(set[0].starts_with("pb_admin="), "{set:?}");
    // The spent pre-login cookie is removed on its own path.
    assert!(
        set[1].starts_with("pb_login_csrf=;")
            && set[1].contains("Path=/admin/login; ")
            && set[1].contains("Max-Age=0"),
        "{set:?}"
    );
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_url_is_https() {
    for (public_url, secure) in [(Some("https://loja.example.com"), true), (None, false)] {
        let app = spawn_app_at(public_url).await;
        let form = login_form(&app).await;
        let login_cookie = login_set_cookie(&app).await;
        let cookie = login_cookie.split(';').next().unwrap().to_owned();
        let html = client()
            .get(format!("{}/admin", app.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = html.find(r#"name="csrf" value=""#).expect("csrf field") + 19;
        let res = client()
            .post(format!("{}/admin/logout", app.base))
            .header("cookie", &cookie)
            .form(&[("csrf", &html[at..at + 64])])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let cleared = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        for set in [&form.set_cookie, &login_cookie, &cleared] {
            assert!(set.contains("HttpOnly; SameSite=Strict"), "{set}");
            assert_eq!(
                set.split("; ").any(|a| a == "Secure"),
                secure,
                "{public_url:?}: {set}"
            );
        }
    }
}
