//! The only module that prints to the terminal: warnings (each once), summaries, tables.

use std::collections::BTreeSet;
use std::io::Write;

use entgraph::Warning;
use unicode_width::UnicodeWidthStr;

/// True when the error (or its cause) is a broken pipe: the reader went away, which is success.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<entgraph::Error>().is_some_and(|ee| matches!(ee, entgraph::Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe))
    })
}

/// `s` with its control characters (C0, DEL, C1) escaped as Rust writes them (`\n`, `\u{1b}`), so
/// that a file name cannot break a message's line or send the terminal a command.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints warnings to stderr, each distinct message once; after `limit` it prints how many more.
#[derive(Debug)]
pub struct Reporter {
    seen: BTreeSet<String>,
    shown: usize,
    hidden: usize,
    limit: usize,
    quiet: bool,
}

impl Reporter {
    /// A reporter showing at most `limit` warnings.
    pub fn new(quiet: bool) -> Self {
        Reporter {
            seen: BTreeSet::new(),
            shown: 0,
            hidden: 0,
            limit: 20,
            quiet,
        }
    }

    /// Reports one warning.
    pub fn warn(&mut self, w: &Warning) {
        let line = escape_controls(&w.to_string());
        if !self.seen.insert(line.clone()) {
            return;
        }
        if self.shown < self.limit {
            self.shown += 1;
            if !self.quiet {
                eprintln!("entgraph: warning: {line}");
            }
        } else {
            self.hidden += 1;
        }
    }

    /// True when nothing but errors is printed.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Reports several warnings.
    pub fn warn_all<'a>(&mut self, ws: impl IntoIterator<Item = &'a Warning>) {
        for w in ws {
            self.warn(w);
        }
    }

    /// Prints how many warnings were not shown.
    pub fn finish(&self) {
        if self.hidden > 0 && !self.quiet {
            eprintln!("entgraph: warning: {} more warnings not shown", self.hidden);
        }
    }
}

/// Writes rows as an aligned table (columns separated by two spaces, aligned by display width;
/// the last column unpadded).
pub fn write_table(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(c.width());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, c) in cells.enumerate() {
            if i + 1 < cols {
                s.push_str(c);
                s.extend(std::iter::repeat_n(' ', widths[i] - c.width() + 2));
            } else {
                s.push_str(c);
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(&mut header.iter().copied()))?;
    for r in rows {
        writeln!(out, "{}", line(&mut r.iter().map(String::as_str)))?;
    }
    Ok(())
}

/// Makes a cell printable on one line: control characters (newlines, tabs) become spaces.
pub fn cell(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A progress bar on stderr for long runs (more than 32 MB of input), drawn only when stderr is a
/// terminal and not quiet; otherwise every call does nothing.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A bar over the total size of `sources` (standard input counts as unknown).
    pub fn new(sources: &[entgraph::read::Source], quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let total: u64 = sources
            .iter()
            .filter_map(|s| match s {
                entgraph::read::Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
                entgraph::read::Source::Stdin => None,
            })
            .sum();
        if quiet || total < 32_000_000 || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr_with_hz(4),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "entgraph: {bar:30} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} eta {eta}",
            )
            .expect("valid template"),
        );
        Progress { bar: Some(bar) }
    }

    /// Counts `bytes` more as done.
    pub fn advance(&self, bytes: usize) {
        if let Some(b) = &self.bar {
            b.inc(bytes as u64);
        }
    }

    /// Runs `f` (which prints) with the bar hidden.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
