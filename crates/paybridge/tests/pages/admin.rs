//! `/admin`: login, login cookie, CSRF, list and detail.

use crate::admin_client::{client, logged_in, login};
use crate::app::spawn_app;
use crate::support::{checkout_path, create_order, wait_status};

#[tokio::test]
async fn wrong_key_is_refused() {
    let app = spawn_app().await;
    let res = login(&app, "not-the-key").await;
    assert_eq!(res.status(), 401);
    assert!(res.headers().get("set-cookie").is_none());
    assert!(res.text().await.unwrap().contains("Chave de API inválida"));
}

#[tokio::test]
async fn pages_without_login_redirect_to_login() {
    let app = spawn_app().await;
    for (path, cookie) in [
        ("/admin", None),
        ("/admin/orders/x", None),
        ("/admin", Some("pb_admin=forged.9999999999.00")),
    ] {
        let mut req = client().get(format!("{}{path}", app.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(res.headers()["location"], "/admin/login");
    }
}

#[tokio::test]
async fn post_without_csrf_is_forbidden() {
    let app = spawn_app().await;
    let cookie = logged_in(&app).await;
    for form in [vec![], vec![("csrf", "0000")]] {
        let res = client()
            .post(format!("{}/admin/logout", app.base))
            .header("cookie", &cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
    // With the token from the page it works.
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
    let token = &html[at..at + 64];
    let res = client()
        .post(format!("{}/admin/logout", app.base))
        .header("cookie", &cookie)
        .form(&[("csrf", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
}

#[tokio::test]
async fn list_filters_search_and_detail_show_the_order() {
    let app = spawn_app().await;
    let order = create_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let correlation = order["correlation_id"].as_str().unwrap();
    let pay = client()
        .post(format!("{}{}/simulate", app.base, checkout_path(&order)))
        .send()
        .await
        .unwrap();
    assert_eq!(pay.status(), 303);
    wait_status(&app, id, "paid").await;
    let cookie = logged_in(&app).await;
    let get = |q: String| {
        let cookie = cookie.clone();
        let base = app.base.clone();
        async move {
            let res = client()
                .get(format!("{base}{q}"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{q}");
            res.text().await.unwrap()
        }
    };
    let link = format!("/admin/orders/{id}");
    assert!(get("/admin?status=paid".into()).await.contains(&link));
    assert!(!get("/admin?status=pending".into()).await.contains(&link));
    assert!(get(format!("/admin?q={correlation}")).await.contains(&link));
    assert!(get("/admin?q=ana%40example.com".into())
        .await
        .contains(&link));
    assert!(!get("/admin?q=bia%40example.com".into())
        .await
        .contains(&link));
    assert!(get("/admin?q=PED-1".into()).await.contains(&link));
    assert!(!get("/admin?to=2000-01-01".into()).await.contains(&link));
    let detail = get(link).await;
    assert!(detail.contains("Pagamento confirmado"), "{detail}");
    assert!(detail.contains("Linha do tempo"));
    assert!(detail.contains("R$ 15,00"));
    let hooks = &detail[detail.find("Webhooks recebidos").unwrap()..];
    assert!(hooks.contains("<td>woovi</td>"), "webhook listed: {hooks}");
}
