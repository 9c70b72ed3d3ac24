//! Throughput of the hot paths: strict parse, build, CRC and QR rendering.
// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use brcode::{Builder, PixKey};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// 150 bytes: random key, amount, name, city, txid (a typical checkout code).
fn payload() -> String {
    Builder::new_static(PixKey::parse("123e4567-e12b-12d1-a456-426655440000").unwrap())
        .amount_cents(12_990)
        .merchant_name("LOJA EXEMPLO LTDA")
        .merchant_city("SAO PAULO")
        .txid("PEDIDO20260001")
        .build()
        .unwrap()
}

fn parse(c: &mut Criterion) {
    let p = payload();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(1));
    g.bench_function(format!("lenient_{}b", p.len()), |b| {
        b.iter(|| brcode::parse(black_box(&p)).unwrap().amount_cents())
    });
    g.bench_function(format!("strict_{}b", p.len()), |b| {
        b.iter(|| brcode::parse_strict(black_box(&p)).unwrap().amount_cents())
    });
    g.finish();

    let mut g = c.benchmark_group("crc16");
    g.throughput(Throughput::Bytes(p.len() as u64));
    g.bench_function(format!("{}b", p.len()), |b| {
        b.iter(|| brcode::crc::crc16(black_box(p.as_bytes())))
    });
    g.finish();
}

fn build(c: &mut Criterion) {
    let key = PixKey::parse("123e4567-e12b-12d1-a456-426655440000").unwrap();
    let mut g = c.benchmark_group("build");
    g.throughput(Throughput::Elements(1));
    g.bench_function("static_with_setters", |b| {
        b.iter(|| {
            Builder::new_static(black_box(key.clone()))
                .amount_cents(black_box(12_990))
                .merchant_name(black_box("Loja Exemplo Ltda"))
                .merchant_city(black_box("São Paulo"))
                .txid(black_box("PEDIDO20260001"))
                .build()
                .unwrap()
        })
    });
    g.finish();
}

fn qr(c: &mut Criterion) {
    let p = payload();
    let mut g = c.benchmark_group("qr");
    g.throughput(Throughput::Elements(1));
    g.bench_function("modules", |b| {
        b.iter(|| brcode::qr::modules(black_box(&p)).unwrap())
    });
    g.bench_function("png_512", |b| {
        b.iter(|| brcode::qr::png(black_box(&p), 512, true).unwrap())
    });
    g.bench_function("svg_512", |b| {
        b.iter(|| brcode::qr::svg(black_box(&p), 512).unwrap())
    });
    g.finish();
}

criterion_group!(benches, parse, build, qr);
criterion_main!(benches);
