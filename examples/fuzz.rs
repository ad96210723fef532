//! A fuzz driver on the stable toolchain: mutated bytes, seeded from the seeds and the test
//! fixtures, go through read → normalize → segment → recognize → resolve → link (every window) →
//! every exporter, and the outputs are parsed back (the checks of `tests/cli/outputs.rs`: no
//! panic; spans on char boundaries, sorted, non-overlapping; character offsets that slice the
//! text; analysis deterministic; DOT, JSON, GraphML, GEXF, Cytoscape.js, CSV and JSONL parse and
//! give the names back). Now and then it also feeds mutated dictionaries and rules files to the
//! loaders, which must fail with an error, never a panic.
//!
//! ```sh
//! nice -n 19 cargo run --release --example fuzz -- --seconds 600            # ten minutes
//! cargo run --release --example fuzz -- --seconds 60 --seed 7 --save /tmp/found
//! ```
//!
//! A failing input is saved as `<save>/<panic|check>-<hash>.bin` (default `--save
//! tests/fixtures/fuzz-regressions`), where `cargo test` replays it (`fuzz_regressions_replay`).
//! The run is deterministic for a seed, up to where the time limit stops it.

#[path = "../tests/cli/outputs.rs"]
mod outputs;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use entgraph::PipelineBuilder;
use entgraph::recognize::{DictionaryBuilder, Rules};

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Byte strings that tend to matter to entgraph.
const TOKENS: &[&[u8]] = &[
    b"\r\n",
    b"\r",
    b"\n\n",
    b"\xef\xbb\xbf",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xe2\x80\x99s",
    b"'s",
    b"\xe2\x80\x94",
    b"\xc2\xa0",
    b"\t",
    b"  ",
    b"@",
    b"#",
    b". ",
    b"? ",
    b"Mr. ",
    b"L.A. ",
    b"Tom Cruise",
    b"Cruise",
    b"Christopher McQuarrie",
    b"McQuarrie",
    b"Paris",
    b"Stade de France",
    b"Mission: Impossible",
    b"Top Gun: Maverick",
    b"Paramount",
    b"\"",
    b"\\",
    b"<",
    b">",
    b"&",
    b"{",
    b"}",
    b"\xe2\x80\x8f",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x8e\xac",
    b"\xe2\x80\x8d",
    b"e\xcc\x81",
    b"Z\xc3\xbcrich",
    b"TOM CRUISE",
    b"director ",
    b"told ",
    b" Jr.",
    b"(1990)",
    b"SAINT-DENIS, France \xe2\x80\x94 ",
    b"By Jordan Mercer | Aug. 11\n",
    b"University of ",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let len = input.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let i = rng.below(len + 1);
                input.splice(i..i, t.iter().copied());
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                input.drain(a..b);
            }
            4 if len > 0 => {
                // Duplicate a range (repetition blows up naive code).
                let a = rng.below(len);
                let b = (a + 1 + rng.below(256)).min(len);
                let piece = input[a..b].to_vec();
                let most = if rng.chance(20) { 2000 } else { 8 };
                let times = 1 + rng.below(most);
                let at = rng.below(len + 1);
                let rep: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                input.splice(at..at, rep);
            }
            5 if !corpus.is_empty() => {
                // Splice in a piece of another input.
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + 1 + rng.below(512)).min(other.len());
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[a..b].iter().copied());
                }
            }
            6 => {
                let n = rng.below(16);
                let at = rng.below(len + 1);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                input.splice(at..at, bytes);
            }
            7 if len > 0 => {
                // Random valid UTF-8 characters (any plane).
                let at = rng.below(len + 1);
                let mut s = String::new();
                for _ in 0..1 + rng.below(4) {
                    if let Some(c) = char::from_u32(rng.below(0x11_0000) as u32) {
                        s.push(c);
                    }
                }
                input.splice(at..at, s.into_bytes());
            }
            8 if len > 1 => input.truncate(rng.below(len)),
            _ => {}
        }
    }
    if input.len() > 1 << 20 {
        input.truncate(1 << 20);
    }
}

/// FNV-1a, for file names of saved inputs.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            text_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "txt" || x == "md" || x == "bin")
        {
            out.push(p);
        }
    }
}

struct Args {
    seconds: u64,
    seed: u64,
    save: PathBuf,
}

fn args() -> Args {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut a = Args {
        seconds: 60,
        seed: 1,
        save: root.join("tests/fixtures/fuzz-regressions"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--seconds" => a.seconds = v.parse().expect("--seconds N"),
            "--seed" => a.seed = v.parse().expect("--seed N"),
            "--save" => a.save = v.into(),
            _ => panic!("unknown argument {k} (--seconds N, --seed N, --save DIR)"),
        }
    }
    a
}

fn main() {
    let args = args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    text_files(&root.join("seeds"), &mut files);
    text_files(&root.join("tests/fixtures"), &mut files);
    let corpus: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let pipelines = [
        PipelineBuilder::new()
            .dictionary(root.join("dictionaries"))
            .rules(Some(root.join("dictionaries/patterns.toml")))
            .build()
            .expect("the default dictionaries and rules load"),
        PipelineBuilder::new()
            .dictionary(root.join("tests/fixtures/hostile-names/dict"))
            .dictionary(root.join("tests/fixtures/offsets/dict"))
            .ignore_case(true)
            .max_mentions(50)
            .build()
            .expect("the fixture dictionaries load"),
    ];
    let dict_seed =
        std::fs::read(root.join("tests/fixtures/hostile-names/dict/person.tsv")).unwrap();
    let rules_seed = std::fs::read(root.join("tests/fixtures/basic/rules.toml")).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(&args.save).unwrap();

    // Panics are caught and counted; print only the first line of each.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("fuzz: panic: {info}");
    }));

    let mut rng = Rng(args.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let started = Instant::now();
    let limit = Duration::from_secs(args.seconds);
    let (mut execs, mut loader_execs, mut failures, mut bytes_total) = (0u64, 0u64, 0u64, 0u64);
    let mut saved = std::collections::BTreeSet::new();
    let mut last_report = Instant::now();
    println!(
        "fuzz: {} seed inputs, {} s, seed {}, saving failures to {}",
        corpus.len(),
        args.seconds,
        args.seed,
        args.save.display()
    );
    while started.elapsed() < limit {
        if rng.chance(40) {
            // The loaders: a mutated dictionary or rules file gives Ok or Err, never a panic.
            loader_execs += 1;
            let dict = rng.chance(2);
            let mut input = if dict {
                dict_seed.clone()
            } else {
                rules_seed.clone()
            };
            mutate(&mut rng, &mut input, &corpus);
            let r = std::panic::catch_unwind(|| {
                if dict {
                    let p = scratch.path().join("person.tsv");
                    std::fs::write(&p, &input).unwrap();
                    let mut b = DictionaryBuilder::new();
                    if b.add_file(&p).is_ok() {
                        let _ = b.build();
                    }
                } else if let Ok(text) = std::str::from_utf8(&input) {
                    let _ = Rules::from_str_at(text, Path::new("rules.toml"), scratch.path());
                }
            });
            if r.is_err() {
                failures += 1;
                let name = format!(
                    "{}-panic-{:016x}.bin",
                    if dict { "dict" } else { "rules" },
                    fnv(&input)
                );
                std::fs::write(args.save.join(&name), &input).unwrap();
                println!("fuzz: loader panic saved as {name}");
            }
            continue;
        }
        let mut input = if rng.chance(30) {
            (0..rng.below(4096)).map(|_| rng.next() as u8).collect()
        } else {
            corpus[rng.below(corpus.len())].clone()
        };
        mutate(&mut rng, &mut input, &corpus);
        let pipeline = &pipelines[if rng.chance(4) { 1 } else { 0 }];
        execs += 1;
        bytes_total += input.len() as u64;
        let thorough = rng.chance(8);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            outputs::check_input_bytes_with(pipeline, scratch.path(), &input, thorough)
        }));
        let failure = match result {
            Ok(Ok(())) => None,
            Ok(Err(msg)) => Some(("check", msg)),
            Err(_) => Some(("panic", "panicked (see above)".to_string())),
        };
        if let Some((kind, msg)) = failure {
            failures += 1;
            let name = format!("{kind}-{:016x}.bin", fnv(&input));
            if saved.insert(name.clone()) {
                std::fs::write(args.save.join(&name), &input).unwrap();
                let short: String = msg.chars().take(300).collect();
                println!("fuzz: {kind} failure saved as {name}: {short}");
            }
        }
        if last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            println!(
                "fuzz: {:>4} s  {execs} executions ({:.0}/s), {loader_execs} loader executions, {failures} failures",
                started.elapsed().as_secs(),
                execs as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz: done: {secs:.0} s, {execs} executions ({:.0}/s, {:.1} MB of input), {loader_execs} dictionary/rules loader executions, {failures} failures ({} distinct inputs saved)",
        execs as f64 / secs,
        bytes_total as f64 / 1e6,
        saved.len()
    );
    if failures > 0 {
        std::process::exit(1);
    }
}
