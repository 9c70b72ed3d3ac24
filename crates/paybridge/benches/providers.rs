//! What one platform webhook costs before it reaches the store: the
//! provider's `verify` plus `parse` (pure, no IO), on the shared fixtures.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use http::HeaderMap;
use paybridge::config::{EduzzConfig, WiapyConfig};
use paybridge::providers::eduzz::EduzzProvider;
use paybridge::providers::eduzz_hub::EduzzHubProvider;
use paybridge::providers::field_tree::{self, Encoding};
use paybridge::providers::shared_secret::hmac_sha256_hex;
use paybridge::providers::wiapy::WiapyProvider;
use paybridge::providers::Provider;
use paybridge::secret::Secret;
use serde_json::{json, Value};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/providers");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{SHARED}/{path}")).expect("shared fixture")
}

fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, v.parse().unwrap());
    }
    h
}

fn run(c: &mut Criterion, name: &str, p: &dyn Provider, h: &HeaderMap, body: &[u8]) {
    assert!(
        p.verify(h, body).is_ok() && p.parse(h, body).is_ok(),
        "{name}"
    );
    let mut g = c.benchmark_group("verify+parse");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            p.verify(h, black_box(body)).unwrap();
            p.parse(h, black_box(body)).unwrap()
        })
    });
    g.finish();
}

fn providers(c: &mut Criterion) {
    let wiapy = WiapyProvider::from_config(&WiapyConfig {
        tokens: vec![Secret::new("old-token"), Secret::new("bench-token")],
    });
    let body = read("wiapy/payment-paid-pix.json");
    let h = headers(&[
        ("content-type", "application/json".into()),
        ("authorization", "Bearer bench-token".into()),
    ]);
    run(c, "wiapy paid (JSON)", &wiapy, &h, &body);

    let eduzz_cfg = EduzzConfig {
        origins: vec![Secret::new("bench-origin")],
        hub_secrets: vec![Secret::new("bench-hub-secret")],
    };
    let eduzz = EduzzProvider::from_config(&eduzz_cfg);
    let mut invoice: Value = serde_json::from_slice(&read(
        "eduzz/legacy-examples/invoice-registration-test.json",
    ))
    .unwrap();
    invoice["type"] = json!("invoice");
    invoice["origin"] = json!("bench-origin");
    let json_body = serde_json::to_vec(&invoice).unwrap();
    let h = headers(&[("content-type", "application/json".into())]);
    run(c, "eduzz legacy invoice (JSON)", &eduzz, &h, &json_body);
    let tree = field_tree::decode(Encoding::Json, &json_body).unwrap();
    let form_body = field_tree::to_form(&tree).into_bytes();
    let h = headers(&[("content-type", "application/x-www-form-urlencoded".into())]);
    run(c, "eduzz legacy invoice (form)", &eduzz, &h, &form_body);

    let hub = EduzzHubProvider::from_config(&eduzz_cfg);
    let body = read("eduzz/hub-examples/invoice_paid.json");
    let h = headers(&[
        ("content-type", "application/json".into()),
        ("x-signature", hmac_sha256_hex("bench-hub-secret", &body)),
    ]);
    run(c, "eduzz hub invoice_paid", &hub, &h, &body);
}

criterion_group!(benches, providers);
criterion_main!(benches);
