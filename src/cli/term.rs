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
        let line = w.to_string();
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
