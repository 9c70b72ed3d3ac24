//! `/metrics` after real traffic: every family issue 5 lists is there, with
//! the numbers the traffic implies.

use crate::helpers::{completed_body, order_body, sign, spawn_app};
use std::collections::BTreeMap;

/// `name{labels}` → value, for every sample line.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').expect("sample line");
            (k.to_owned(), v.parse().expect("numeric value"))
        })
        .collect()
}

fn sum_of(s: &BTreeMap<String, f64>, prefix: &str) -> f64 {
    s.iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(_, v)| v)
        .sum()
}

#[tokio::test]
async fn every_family_is_present_after_traffic() {
    let app = spawn_app().await;
    let paid = app.create_order(&order_body()).await;
    let pending = app.create_order(&order_body()).await;
    let paid_id = paid["id"].as_str().unwrap();
    app.pay_in_sandbox(paid["correlation_id"].as_str().unwrap())
        .await;
    app.wait_for_status(paid_id, "paid").await;

    // One rejection of each kind.
    let forged = completed_body(
        pending["correlation_id"].as_str().unwrap(),
        "E00000000202601010000metrics001",
        1500,
    );
    let attacker = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
    let res = app
        .deliver_webhook(&forged, Some(&sign(&attacker, &forged)))
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(app.deliver_webhook(&forged, None).await.status(), 401);
    let res = app
        .http
        .post(format!("{}/webhooks/woovi", app.base))
        .header("content-type", "text/plain")
        .body(forged.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let res = app
        .deliver_webhook(&vec![b' '; 2 * 1024 * 1024], Some("x"))
        .await;
    assert_eq!(res.status(), 413);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "body_too_large");
    let malformed = b"{\"event\": ".to_vec();
    let res = app
        .deliver_webhook(
            &malformed,
            Some(&sign(&app.sandbox_signing_key(), &malformed)),
        )
        .await;
    assert_eq!(res.status(), 400);

    let text = app.metrics().await;
    for family in [
        "paybridge_webhooks_received_total counter",
        "paybridge_webhooks_accepted_total counter",
        "paybridge_webhooks_rejected_total counter",
        "paybridge_orders gauge",
        "paybridge_http_request_duration_seconds histogram",
    ] {
        assert!(
            text.contains(&format!("# TYPE {family}")),
            "{family}: {text}"
        );
        let name = family.split(' ').next().unwrap();
        assert!(text.contains(&format!("# HELP {name} ")), "{name}: {text}");
    }
    let s = samples(&text);
    let get = |k: &str| *s.get(k).unwrap_or_else(|| panic!("{k} missing: {text}"));

    for reason in [
        "invalid_signature",
        "missing_signature",
        "unsupported_media_type",
        "body_too_large",
        "malformed",
    ] {
        assert_eq!(
            get(&format!(
                "paybridge_webhooks_rejected_total{{provider=\"woovi\",reason=\"{reason}\"}}"
            )),
            1.0,
            "{reason}"
        );
    }
    assert!(
        get("paybridge_webhooks_accepted_total{provider=\"woovi\",outcome=\"applied\"}") >= 1.0
    );
    let accepted = sum_of(&s, "paybridge_webhooks_accepted_total{");
    let rejected = sum_of(&s, "paybridge_webhooks_rejected_total{");
    assert_eq!(rejected, 5.0);
    assert!(
        get("paybridge_webhooks_received_total{provider=\"woovi\"}") >= accepted + rejected,
        "{text}"
    );

    assert_eq!(get("paybridge_orders{status=\"paid\"}"), 1.0);
    assert_eq!(get("paybridge_orders{status=\"pending\"}"), 1.0);
    for status in [
        "partially_refunded",
        "refunded",
        "expired",
        "cancelled",
        "declined",
        "chargeback",
    ] {
        assert_eq!(
            get(&format!("paybridge_orders{{status=\"{status}\"}}")),
            0.0
        );
    }

    // Two order creations, each in one bucket set; buckets never decrease.
    let route = "method=\"POST\",route=\"/api/v1/orders\",status=\"201\"";
    assert_eq!(
        get(&format!(
            "paybridge_http_request_duration_seconds_count{{{route}}}"
        )),
        2.0
    );
    assert_eq!(
        get(&format!(
            "paybridge_http_request_duration_seconds_bucket{{{route},le=\"+Inf\"}}"
        )),
        2.0
    );
    assert!(
        get(&format!(
            "paybridge_http_request_duration_seconds_sum{{{route}}}"
        )) > 0.0
    );
    let buckets: Vec<f64> = text
        .lines()
        .filter(|l| {
            l.starts_with(&format!(
                "paybridge_http_request_duration_seconds_bucket{{{route},"
            ))
        })
        .map(|l| l.rsplit_once(' ').unwrap().1.parse().unwrap())
        .collect();
    assert_eq!(buckets.len(), 11, "10 bounds and +Inf");
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{buckets:?}");
    // Webhooks by outcome: the refusals above each under their own status.
    let webhooks = |status: &str| {
        get(&format!(
            "paybridge_http_request_duration_seconds_count{{method=\"POST\",route=\"/webhooks/{{provider}}\",status=\"{status}\"}}"
        ))
    };
    assert_eq!(webhooks("401"), 2.0);
    assert_eq!(webhooks("415"), 1.0);
    assert_eq!(webhooks("413"), 1.0);
    assert_eq!(webhooks("400"), 1.0);
    assert!(webhooks("200") >= 1.0);
}
