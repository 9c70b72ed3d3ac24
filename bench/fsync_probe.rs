//! Disk probe: how long does one durable write take on this machine, and how
//! often does the disk stall? Every acknowledged webhook waits for one fsync
//! (shared by its batch), so the disk's worst flushes bound the service's p99
//! no matter what paybridge does. Run it with nothing else writing, next to
//! where the data directory lives:
//!
//! ```text
//! cargo run --release -p paybridge --example fsync_probe -- --dir DATA_DIR --seconds 30
//! ```
//!
//! It overwrites a 4 MiB file in 16 KiB steps (like SQLite reusing its WAL),
//! fsyncs after every write, and prints the latency distribution plus every
//! fsync slower than `--slow-ms`, with the time it started.

use anyhow::Context;
use clap::Parser;
use std::io::{Seek, SeekFrom, Write};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Directory to write the probe file in (it is removed afterwards).
    #[arg(long, default_value = ".")]
    dir: std::path::PathBuf,
    /// Duration of the probe (at least 1 s).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Pause between fsyncs (about the gap between two group commits).
    #[arg(long, default_value_t = 2)]
    pause_ms: u64,
    /// fsyncs slower than this are listed one by one.
    #[arg(long, default_value_t = 12)]
    slow_ms: u64,
}

const STEP: usize = 16 * 1024;
const WRAP: u64 = 4 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let path = args
        .dir
        .join(format!("fsync-probe-{}.bin", std::process::id()));
    let mut file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create the probe file {}", path.display()))?;
    let block = vec![0x5au8; STEP];
    let (run, pause) = (
        Duration::from_secs(args.seconds),
        Duration::from_millis(args.pause_ms),
    );
    let mut lat = Vec::new();
    let mut slow = Vec::new();
    let started = Instant::now();
    let mut offset = 0u64;
    while started.elapsed() < run {
        if offset >= WRAP {
            offset = 0;
        }
        file.seek(SeekFrom::Start(offset))?;
        file.write_all(&block)?;
        offset += STEP as u64;
        let at = started.elapsed();
        let t = Instant::now();
        file.sync_all()?;
        let took = t.elapsed();
        lat.push(took);
        if took >= Duration::from_millis(args.slow_ms) {
            slow.push((at, took));
        }
        std::thread::sleep(pause);
    }
    drop(file);
    std::fs::remove_file(&path)?;

    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{} fsyncs in {} s: p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.1} ms",
        lat.len(),
        args.seconds,
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(pct(0.999)),
        ms(lat[lat.len() - 1]),
    );
    println!("{} fsyncs took {} ms or more:", slow.len(), args.slow_ms);
    for (at, took) in &slow {
        println!("  at {:7.2} s: {:6.1} ms", at.as_secs_f64(), ms(*took));
    }
    Ok(())
}
