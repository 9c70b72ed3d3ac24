//! "Meus produtos" on `/meus-pedidos`: what a Wiapy sale granted, with its
//! links, and nothing once the sale is refunded.

use crate::app::{spawn_app_with, TestApp, API_KEY};
use paybridge::config::Config;
use paybridge::secret::Secret;
use serde_json::{json, Value};

const TOKEN: &str = "pages-wiapy-token";
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/providers/wiapy/payment-paid-pix.json"
);

fn wiapy_token(c: &mut Config) {
    c.wiapy.tokens = vec![Secret::new(TOKEN)];
}

async fn deliver(app: &TestApp, status: &str, dt_update: &str) {
    let mut v: Value = serde_json::from_slice(&std::fs::read(FIXTURE).unwrap()).unwrap();
    v["payment"]["status"] = json!(status);
    v["payment"]["dt_update"] = json!(dt_update);
    let res = app
        .http
        .post(format!("{}/webhooks/wiapy", app.base))
        .header("authorization", format!("Bearer {TOKEN}"))
        .json(&v)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{status}");
}

async fn page_for(app: &TestApp, holder: Value) -> String {
    let res = app
        .http
        .post(format!("{}/api/v1/customers/portal-link", app.base))
        .bearer_auth(API_KEY)
        .json(&holder)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let url = res.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// The `<section id="meus-produtos">` of a page.
fn products(html: &str) -> &str {
    let start = html.find("id=\"meus-produtos\"").expect("products section");
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn my_orders_lists_active_products_with_their_links() {
    let app = spawn_app_with(wiapy_token).await;
    deliver(&app, "paid", "2025-04-25T16:13:17.284Z").await;
    let html = page_for(&app, json!({ "email": "thay@example.com" })).await;
    assert!(html.contains("Meus produtos"), "{html}");
    let section = products(&html);
    for name in [
        "Nome do meu produto 1",
        "Nome do meu Produto 2",
        "Nome do meu Produto 3",
        "Nome do meu Produto 4",
    ] {
        assert!(section.contains(name), "{name}: {section}");
    }
    assert_eq!(
        section.matches("href=\"https://wiapy.com/login\"").count(),
        2,
        "course and mentoring link to the members' area: {section}"
    );
    assert!(section.contains("rel=\"noopener noreferrer\""));
    // "URL DO ARQUIVO" is not an address: its title shows, never as a link.
    assert!(
        section.contains("Arquivo 01 (link indisponível)"),
        "{section}"
    );
    assert!(!section.contains("href=\"URL DO ARQUIVO\""));
    assert!(section.contains("acesso liberado"), "the external product");
    // The platform order is listed, with no Pix "pagar agora".
    assert!(html.contains("R$ 17,70"), "{html}");
    assert!(html.contains("Pagamento confirmado"));

    // Someone else sees none of it.
    let other = page_for(&app, json!({ "email": "bia@example.com" })).await;
    assert!(products(&other).contains("Nenhum produto liberado"));
    assert!(!other.contains("Nome do meu produto 1"));

    deliver(&app, "refunded", "2025-04-26T10:00:00.000Z").await;
    let html = page_for(&app, json!({ "email": "thay@example.com" })).await;
    let section = products(&html);
    assert!(section.contains("Nenhum produto liberado"), "{section}");
    assert!(!section.contains("wiapy.com/login"));
    assert!(html.contains("Pagamento estornado"));
}
