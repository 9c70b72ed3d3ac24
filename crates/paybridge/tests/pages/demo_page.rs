//! `/demo`: the link `serve` prints leads to a working checkout.

use crate::app::spawn_app;

#[tokio::test]
async fn demo_page_creates_an_order_and_opens_its_checkout() {
    let app = spawn_app().await;
    let form = app
        .http
        .get(format!("{}/demo", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(html.contains("Criar pedido de demonstração"), "{html}");

    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let created = no_redirect
        .post(format!("{}/demo", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/pay/"), "{location}");

    let checkout = app
        .http
        .get(format!("{}{location}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(checkout.status(), 200);
    let page = checkout.text().await.unwrap();
    assert!(page.contains("R$ 49,90"), "{page}");
    assert!(
        page.contains("000201"),
        "the copia e cola code is on the page"
    );
}
