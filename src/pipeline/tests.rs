//! Tests of [`super::Pipeline::run`]: order, bounds, errors and panics, for any thread count.

use super::*;

fn pipeline(dir: &std::path::Path) -> Pipeline {
    std::fs::write(
        dir.join("person.tsv"),
        "Tom Cruise\tCruise\nChristopher McQuarrie\tMcQuarrie\n",
    )
    .unwrap();
    PipelineBuilder::new().dictionary(dir).build().unwrap()
}

/// Pattern rules get the larger chunk; no rules, or a rules file without rules, the default.
#[test]
fn pipeline_chunk_size_follows_rules() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(pipeline(dir.path()).chunk_size(), DEFAULT_CHUNK_SIZE);
    let rules = |toml: &str| {
        let path = dir.path().join("rules.toml");
        std::fs::write(&path, toml).unwrap();
        PipelineBuilder::new()
            .dictionary(dir.path())
            .rules(Some(path))
            .build()
            .unwrap()
            .chunk_size()
    };
    let one = "[[rule]]\nname = \"x\"\ntype = \"person\"\npattern = 'Dr\\. \\w+'\n";
    assert_eq!(rules(one), RULES_CHUNK_SIZE);
    assert_eq!(rules(""), DEFAULT_CHUNK_SIZE);
}

/// A paragraph with three mentions.
const PARA: &str = "Tom Cruise met Christopher McQuarrie. McQuarrie laughed.\n";

/// A document of 2000 [`PARA`]s (many chunks of [`MIN_CHUNK_SIZE`]).
fn big_doc(dir: &std::path::Path) -> PathBuf {
    let doc = dir.join("big.txt");
    std::fs::write(&doc, PARA.repeat(2000)).unwrap();
    doc
}

/// A large document comes out as many chunks, in order, none larger than the chunk size:
/// what is held at once is bounded by the chunk size, not by the document.
#[test]
fn pipeline_streams_bounded_chunks_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = pipeline(dir.path());
    let doc = big_doc(dir.path());
    for threads in [1, 2] {
        let (mut chunks, mut offset, mut mentions) = (0, 0, 0);
        let opts = RunOptions {
            threads,
            chunk_size: MIN_CHUNK_SIZE,
            ..Default::default()
        };
        p.run(&[Source::File(doc.clone())], &opts, |e| {
            if let Event::Chunk(c) = e {
                assert_eq!(
                    (c.index, c.offset),
                    (chunks, offset),
                    "in order, contiguous"
                );
                assert!(c.text.len() <= MIN_CHUNK_SIZE);
                assert!(c.text.ends_with('\n'), "cut after a line break");
                assert!(
                    c.mentions
                        .iter()
                        .all(|m| c.text_of(m.span).len() == m.span.len())
                );
                chunks += 1;
                offset += c.text.len();
                mentions += c.mentions.len();
            }
            Ok::<(), Error>(())
        })
        .unwrap();
        assert_eq!(offset, PARA.len() * 2000);
        assert!(chunks > 20, "{chunks} chunks");
        assert_eq!(mentions, 2000 * 3);
    }
}

/// The events of a run, as text: warnings and chunks (document, index, mentions), in order.
fn events(p: &Pipeline, sources: &[Source], threads: usize) -> Vec<String> {
    let mut seen = Vec::new();
    let opts = RunOptions {
        threads,
        chunk_size: MIN_CHUNK_SIZE,
        ..Default::default()
    };
    let docs = p
        .run(sources, &opts, |e| {
            seen.push(match e {
                Event::Warning(w) => format!("warning {w}"),
                Event::Chunk(c) => format!("{} {} {}", c.doc, c.index, c.mentions.len()),
            });
            Ok::<(), Error>(())
        })
        .unwrap();
    seen.push(format!("{docs} documents"));
    seen
}

/// Warnings come in input order among the chunks, whatever the thread count: a skipped binary
/// before the first document, a missing file between two, bad UTF-8 inside a document of
/// several chunks and a skipped binary after the last document.
#[test]
fn pipeline_events_in_input_order_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let p = pipeline(dir.path());
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        Source::File(path)
    };
    let para = PARA.repeat(300);
    let mut bad = para.clone().into_bytes();
    bad.extend_from_slice(b"Cruise \xff ran.\n");
    bad.extend_from_slice(para.as_bytes());
    let sources = [
        file("a.bin", b"\0\0binary"),
        file("b.txt", para.as_bytes()),
        Source::File(dir.path().join("missing.txt")),
        file("c.txt", &bad),
        file("d.bin", b"\0binary"),
    ];
    let one = events(&p, &sources, 1);
    let at = |what: &str| one.iter().position(|e| e.contains(what)).unwrap();
    // A warning comes just before the chunk whose reading met it (the reader reads ahead:
    // the bad byte of c.txt is met when its first chunk is read).
    let order = [
        "a.bin",
        "b.txt 0 ",
        "b.txt 4 ",
        "missing.txt",
        "UTF-8",
        "c.txt 0 ",
        "d.bin",
    ];
    let places: Vec<usize> = order.iter().map(|w| at(w)).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{one:#?}");
    assert_eq!(places[3] + 2, places[5], "{one:#?}");
    assert_eq!(at("d.bin"), one.len() - 2);
    assert_eq!(one.last().unwrap(), "2 documents");
    assert!(one.len() > 15, "{} events", one.len());
    for threads in [2, 3, 4] {
        assert_eq!(events(&p, &sources, threads), one, "{threads} threads");
    }
}

/// The first error from the callback stops a parallel run: it is what `run` returns, and the
/// callback is not called again.
#[test]
fn pipeline_parallel_run_stops_at_the_first_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = pipeline(dir.path());
    let doc = big_doc(dir.path());
    for threads in [1, 2, 3] {
        let opts = RunOptions {
            threads,
            chunk_size: MIN_CHUNK_SIZE,
            ..Default::default()
        };
        let mut calls = 0;
        let r = p.run(&[Source::File(doc.clone())], &opts, |e| {
            calls += 1;
            match e {
                Event::Chunk(c) if c.index == 4 => Err(Error::Invalid("stop here".into())),
                _ => Ok(()),
            }
        });
        assert_eq!(r.unwrap_err().to_string(), "stop here");
        assert_eq!(calls, 5, "{threads} threads");
    }
}

/// A panic in the callback of a parallel run reaches the caller: no thread is left waiting.
#[test]
fn pipeline_parallel_panic_reaches_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let p = pipeline(dir.path());
    let doc = dir.path().join("big.txt");
    std::fs::write(&doc, "Tom Cruise ran.\n".repeat(5000)).unwrap();
    let opts = RunOptions {
        threads: 2,
        chunk_size: MIN_CHUNK_SIZE,
        ..Default::default()
    };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        p.run(&[Source::File(doc.clone())], &opts, |e| {
            if let Event::Chunk(c) = e {
                assert!(c.index < 3, "the callback fails");
            }
            Ok::<(), Error>(())
        })
    }));
    assert!(r.is_err());
}

/// The cap on mentions, for any thread count: the chunk that reaches it keeps the first mentions
/// and says so; the document's later chunks come empty; the next document is whole. A second run
/// of the same pipeline starts afresh: the document capped in the first run (its number in the
/// run) is not capped in the second.
#[test]
fn pipeline_cap_on_mentions_holds_per_document_and_per_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("person.tsv"),
        "Tom Cruise\tCruise\nChristopher McQuarrie\tMcQuarrie\n",
    )
    .unwrap();
    let capped = PipelineBuilder::new()
        .dictionary(dir.path())
        .max_mentions(100)
        .build()
        .unwrap();
    let big = big_doc(dir.path());
    let small = dir.path().join("small.txt");
    std::fs::write(&small, PARA.repeat(30)).unwrap();
    /// What a run handed over for one document.
    #[derive(Debug, Default, Clone, Copy, PartialEq)]
    struct Seen {
        chunks: usize,
        with_text: usize,
        mentions: usize,
        truncated: usize,
    }
    let seen = |sources: &[Source], threads: usize| {
        let opts = RunOptions {
            threads,
            chunk_size: MIN_CHUNK_SIZE,
            ..Default::default()
        };
        let mut docs: Vec<Seen> = Vec::new();
        capped
            .run(sources, &opts, |e| {
                if let Event::Chunk(c) = e {
                    if c.index == 0 {
                        docs.push(Seen::default());
                    }
                    let d = docs.last_mut().unwrap();
                    d.chunks += 1;
                    d.with_text += usize::from(!c.text.is_empty());
                    d.mentions += c.mentions.len();
                    d.truncated += usize::from(c.truncated);
                }
                Ok::<(), Error>(())
            })
            .unwrap();
        docs
    };
    let small_whole = Seen {
        chunks: 1,
        with_text: 1,
        mentions: 30 * 3,
        truncated: 0,
    };
    for threads in [1, 2, 3] {
        let first = seen(
            &[Source::File(big.clone()), Source::File(small.clone())],
            threads,
        );
        assert_eq!(first.len(), 2);
        let big_seen = &first[0];
        assert!(
            big_seen.chunks > 20 && big_seen.with_text < 5,
            "{big_seen:?}"
        );
        assert_eq!((big_seen.mentions, big_seen.truncated), (100, 1));
        assert_eq!(first[1], small_whole, "{threads} threads");
        // Document 0 of this run is not the one capped in the run before.
        let second = seen(&[Source::File(small.clone())], threads);
        assert_eq!(second, [small_whole], "{threads} threads");
    }
}
