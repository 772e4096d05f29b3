//! Criterion benches: the line parser and the chunk → stats path.
//! `cargo bench --bench parse`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use logstat::format::presets::preset;
use logstat::parse::parse_line;
use logstat::synth::Generator;
use logstat::zone::Zone;

fn sample(bytes: usize) -> String {
    Generator::new(3, 1_709_251_200, 18_000_000).fill(bytes)
}

fn bench_parse_line(c: &mut Criterion) {
    let fmt = preset("combined").unwrap();
    let text = sample(1 << 20);
    let lines: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
    let mut g = c.benchmark_group("parse_line");
    g.throughput(Throughput::Bytes(text.len() as u64));
    let real = sample_real(1 << 20);
    let real_lines: Vec<&[u8]> = real.lines().map(str::as_bytes).collect();
    g.bench_function("real_shaped_1MiB", |b| {
        b.iter(|| real_lines.iter().filter(|l| parse_line(&fmt, black_box(l)).is_ok()).count())
    });
    g.bench_function("combined_1MiB", |b| {
        b.iter(|| {
            let mut ok = 0u64;
            for l in &lines {
                ok += parse_line(&fmt, black_box(l)).is_ok() as u64;
            }
            ok
        })
    });
    g.finish();
}

/// The real-shaped mix (long browser agents, referrers, crawlers, scanners,
/// tens of thousands of routes), as `genlog --real` writes it.
fn sample_real(bytes: usize) -> String {
    Generator::real_shaped(3, 1_709_251_200, 35_000).fill(bytes)
}

fn bench_chunk_to_stats(c: &mut Criterion) {
    let fmt = preset("combined").unwrap();
    let zone = Zone::Fixed(3600);
    let text = sample(8 << 20);
    let real = sample_real(8 << 20);
    let filter = logstat::filter::Filter::default();
    let opts = logstat::engine::Options::default();
    let ctx = opts.scan_ctx(&fmt, &zone, 0, &filter);
    let mut g = c.benchmark_group("chunk_to_stats");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("combined_8MiB", |b| {
        b.iter(|| {
            let mut s = logstat::engine::Scanner::new(None);
            s.chunk(&ctx, 0, black_box(text.as_bytes()), |_| {});
            s.stats.parsed
        })
    });
    g.bench_function("real_shaped_8MiB", |b| {
        b.iter(|| {
            let mut s = logstat::engine::Scanner::new(None);
            s.chunk(&ctx, 0, black_box(real.as_bytes()), |_| {});
            s.stats.parsed
        })
    });
    // nginx_timed lines (` $request_time $upstream_response_time`): the
    // timed tail and the latency histograms.
    let timed_fmt = preset("nginx_timed").unwrap();
    let timed_ctx = opts.scan_ctx(&timed_fmt, &zone, 0, &filter);
    let mut timed_gen = Generator::new(3, 1_709_251_200, 18_000_000);
    timed_gen.timings = true;
    let timed = timed_gen.fill(8 << 20);
    g.bench_function("timed_8MiB", |b| {
        b.iter(|| {
            let mut s = logstat::engine::Scanner::new(None);
            s.chunk(&timed_ctx, 0, black_box(timed.as_bytes()), |_| {});
            assert_eq!(s.stats.malformed_total(), 0);
            s.stats.parsed
        })
    });
    g.finish();
}

criterion_group!(benches, bench_parse_line, bench_chunk_to_stats);
criterion_main!(benches);
