use crate::helpers::{closed_port_url, order_body, spawn_app, spawn_app_with, Options};
use serde_json::{json, Value};

#[tokio::test]
async fn validation_names_every_bad_field() {
    let app = spawn_app().await;
    let res = app
        .post_order(
            &json!({
                "amount": -5,
                "items": [{ "name": "x", "quantity": 0, "unit_amount": 100 }],
                "customer": { "name": "", "email": "not-an-email", "tax_id": "111.111.111-12", "phone": "abc" }
            }),
            None,
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in [
        "amount",
        "items[0].quantity",
        "customer.name",
        "customer.email",
        "customer.tax_id",
        "customer.phone",
    ] {
        assert!(fields.contains(&f), "{f} not in {fields:?}");
    }
    let list: Value = app
        .http
        .get(format!("{}/api/v1/orders", app.base))
        .bearer_auth(crate::helpers::API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 0, "nothing stored");
}

#[tokio::test]
async fn woovi_down_gives_502_and_keeps_the_order_pending() {
    let app = spawn_app_with(Options {
        woovi_base_url: Some(closed_port_url()),
        ..Options::default()
    })
    .await;
    let res = app.post_order(&order_body(), Some("key-1")).await;
    assert_eq!(res.status(), 502);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "provider_unavailable");
    let id = body["error"]["order_id"].as_str().unwrap().to_owned();
    let order = app.get_order(&id).await;
    assert_eq!(order["status"], "pending");
    assert!(order["pix"].is_null());
    assert!(order["charge_error"].is_string());

    // Same Idempotency-Key: the same order, not a second one.
    let again: Value = app
        .post_order(&order_body(), Some("key-1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["error"]["order_id"], id.as_str());
    // Same key, different body: refused.
    let mut other = order_body();
    other["amount"] = json!(1);
    other["items"] = Value::Null;
    assert_eq!(app.post_order(&other, Some("key-1")).await.status(), 409);

    let list: Value = app
        .http
        .get(format!(
            "{}/api/v1/orders?status=pending&email=ana@example.com",
            app.base
        ))
        .bearer_auth(crate::helpers::API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);

    let retry = app
        .http
        .post(format!("{}/api/v1/orders/{id}/charge", app.base))
        .bearer_auth(crate::helpers::API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(retry.status(), 502, "still down");
}

#[tokio::test]
async fn list_paginates_with_a_cursor() {
    let app = spawn_app_with(Options {
        woovi_base_url: Some(closed_port_url()),
        ..Options::default()
    })
    .await;
    for _ in 0..5 {
        assert_eq!(app.post_order(&order_body(), None).await.status(), 502);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{}/api/v1/orders?limit=2", app.base);
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = app
            .http
            .get(url)
            .bearer_auth(crate::helpers::API_KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for o in page["data"].as_array().unwrap() {
            seen.push(o["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!((seen.len(), dedup.len()), (5, 5));
}

#[tokio::test]
async fn a_burst_of_creates_shares_commits_yet_one_idempotency_key_makes_one_order() {
    let app = spawn_app().await;
    let body = order_body();
    // Concurrent creations share transactions; within one, the second insert
    // with a key must fail alone and replay the first order.
    let same_key = futures::future::join_all((0..24).map(|_| app.post_order(&body, Some("burst"))));
    let mut distinct_body = order_body();
    distinct_body["reference"] = json!("PED-2");
    let no_key = futures::future::join_all((0..24).map(|_| app.post_order(&distinct_body, None)));
    let (same_key, no_key) = tokio::join!(same_key, no_key);

    let mut ids = std::collections::HashSet::new();
    let mut created = 0;
    for res in same_key {
        assert_eq!(res.status(), 201);
        created += usize::from(res.headers().get("idempotent-replayed").is_none());
        let order: Value = res.json().await.unwrap();
        assert!(order["pix"]["br_code"].is_string(), "{order}");
        ids.insert(order["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "one order for one key");
    assert_eq!(created, 1, "every answer but the first is a replay");

    let mut others = std::collections::HashSet::new();
    for res in no_key {
        assert_eq!(res.status(), 201);
        let order: Value = res.json().await.unwrap();
        assert!(order["pix"]["br_code"].is_string(), "{order}");
        others.insert(order["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(others.len(), 24, "every keyless create is its own order");

    let (status, list) = app.api_get_json("/api/v1/orders?limit=200").await;
    assert_eq!(status, 200);
    assert_eq!(list["data"].as_array().unwrap().len(), 25);
}
