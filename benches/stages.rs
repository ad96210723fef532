//! One criterion group per stage: normalize, segment, dictionary match, patterns, resolve, link,
//! export. Each measures the stage alone on the same text (the seed articles, repeated to about
//! 200 KB, with curly quotes and dashes as written) and asserts, inside the loop, the count it
//! must produce, so that a fast wrong answer fails instead of looking good.
//!
//! ```sh
//! cargo bench --bench stages                 # all stages
//! cargo bench --bench stages -- dictionary   # one
//! ```
//! `cargo test --all-targets` runs each once, as a test.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use entgraph::export::mentions;
use entgraph::graph::Window;
use entgraph::link::GraphBuilder;
use entgraph::model::Document;
use entgraph::normalize::normalize;
use entgraph::pipeline::Chunk;
use entgraph::recognize::{DictionaryBuilder, Input, PatternRecognizer, Recognizer, Rules};
use entgraph::resolve::{ResolveOptions, Resolver};
use entgraph::segment::segment;

/// The seed articles, concatenated and repeated to about 200 KB.
fn corpus() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<_> = std::fs::read_dir(root.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut one = String::new();
    for n in names {
        one.push_str(&std::fs::read_to_string(n).unwrap());
        one.push_str("\n\n");
    }
    one.repeat(200_000 / one.len() + 1)
}

struct Fixture {
    doc: Document,
    norm: entgraph::normalize::Normalized,
    dictionary: Arc<entgraph::recognize::Dictionary>,
    rules: Arc<Rules>,
}

fn fixture() -> Fixture {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut b = DictionaryBuilder::new();
    b.add_path(&root.join("dictionaries")).unwrap();
    let dictionary = Arc::new(b.build().unwrap());
    let rules = Arc::new(Rules::from_file(&root.join("dictionaries/patterns.toml")).unwrap());
    let text = corpus();
    let norm = normalize(&text);
    Fixture {
        doc: Document::new("bench.txt", text),
        norm,
        dictionary,
        rules,
    }
}

fn stages(c: &mut Criterion) {
    let f = fixture();
    let text = &f.doc.text;
    let bytes = text.len() as u64;
    // The counts every stage must reproduce, computed once.
    let sentences = segment(&f.norm.text);
    let dict_matches = f.dictionary.find(&f.norm.text).len();
    let dictionary = entgraph::recognize::DictionaryRecognizer::new(f.dictionary.clone());
    let patterns = PatternRecognizer::new(f.rules.clone());
    let mut candidates = Vec::new();
    dictionary.recognize(Input::new(&f.norm.text, &sentences), &mut candidates);
    let pattern_start = candidates.len();
    patterns.recognize(Input::new(&f.norm.text, &sentences), &mut candidates);
    let pattern_count = candidates.len() - pattern_start;
    let resolver = Resolver::new(f.dictionary.clone(), ResolveOptions::default());
    let resolved = resolver.resolve(candidates.clone(), &f.norm, text);
    let original_sentences = entgraph::PipelineBuilder::new()
        .build()
        .unwrap()
        .analyze(&f.doc)
        .sentences;
    let graph = {
        let mut g = GraphBuilder::new(Window::Sentence);
        g.add_document(&f.doc, &original_sentences, &resolved);
        g.finish(1)
    };
    assert!(dict_matches > 1000 && pattern_count > 100 && graph.edge_count() > 50);

    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(20);
    g.bench_function("normalize", |b| {
        b.iter(|| assert_eq!(normalize(black_box(text)).text.len(), f.norm.text.len()))
    });
    g.bench_function("segment", |b| {
        b.iter(|| assert_eq!(segment(black_box(&f.norm.text)).len(), sentences.len()))
    });
    g.bench_function("dictionary", |b| {
        b.iter(|| {
            assert_eq!(
                f.dictionary.find(black_box(&f.norm.text)).len(),
                dict_matches
            )
        })
    });
    g.bench_function("patterns", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            patterns.recognize(Input::new(black_box(&f.norm.text), &[]), &mut out);
            assert_eq!(out.len(), pattern_count);
        })
    });
    g.bench_function("resolve", |b| {
        b.iter(|| {
            let m = resolver.resolve(candidates.clone(), &f.norm, text);
            assert_eq!(m.len(), resolved.len());
        })
    });
    g.bench_function("link", |b| {
        b.iter(|| {
            let mut gb = GraphBuilder::new(Window::Sentence);
            gb.add_document(&f.doc, &original_sentences, black_box(&resolved));
            assert_eq!(gb.finish(1).edge_count(), graph.edge_count());
        })
    });
    let chunk = Chunk {
        doc: "bench.txt".into(),
        index: 0,
        last: true,
        offset: 0,
        char_offset: 0,
        text: text.clone(),
        sentences: original_sentences.clone(),
        char_spans: {
            let ix = entgraph::model::CharIndex::new(text);
            resolved
                .iter()
                .map(|m| (ix.char_offset(m.span.start), ix.char_offset(m.span.end)))
                .collect()
        },
        mentions: resolved.clone(),
        truncated: false,
        sha256: None,
    };
    let lines = resolved.len();
    g.bench_function("export-jsonl", |b| {
        let mut out = Vec::with_capacity(1 << 20);
        b.iter(|| {
            out.clear();
            mentions::write_chunk_jsonl(black_box(&chunk), &mut out).unwrap();
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), lines);
        })
    });
    for exporter in entgraph::export::exporters() {
        if matches!(exporter.name(), "svg" | "png") {
            // Rendered by Graphviz: a separate program, not entgraph's speed.
            continue;
        }
        let name = format!("export-{}", exporter.name());
        g.bench_function(name, |b| {
            let mut out = Vec::with_capacity(1 << 20);
            b.iter(|| {
                out.clear();
                exporter.write(black_box(&graph), &mut out).unwrap();
                // Every node id appears in every format.
                let s = std::str::from_utf8(&out).unwrap();
                assert!(graph.nodes().all(|n| s.contains(n.id.as_str())));
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
