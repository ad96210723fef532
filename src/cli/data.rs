//! The default dictionaries, word lists and rules, embedded in the binary when it is built (by
//! `build.rs`, from every file of `dictionaries/`), and `entgraph dictionaries`, which lists them
//! or writes them out for editing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use entgraph::recognize::{DataDir, DataFile};

use super::term::path_error;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_data.rs"));
}

/// The directory the embedded files stand for (in messages and `--explain`'s origins).
pub const DIR: &str = "dictionaries";
/// The rules file among them.
pub const RULES: &str = "patterns.toml";

/// The embedded files.
pub fn embedded() -> DataDir {
    DataDir::new(
        DIR,
        embedded::EMBEDDED_FILES
            .iter()
            .map(|&(name, bytes)| DataFile { name, bytes }),
    )
}

/// List the default dictionaries, word lists and rules built into entgraph, or write them out.
///
/// entgraph carries its default data in the binary, so it works from any directory. Without
/// --dict and --rules, every command uses these files. To change them, write them out with
/// --export DIR, edit them, and pass --dict DIR --rules DIR/patterns.toml.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph dictionaries                          # the embedded files and their sizes\n  entgraph dictionaries --export my-dict         # write them into my-dict/\n  entgraph build notes/ --dict my-dict --rules my-dict/patterns.toml"
)]
pub struct Args {
    /// Write the embedded files into this directory (created if missing) instead of listing them
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
    /// With --export: replace files of the same names already in DIR
    #[arg(long, requires = "export")]
    force: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let data = embedded();
    match &args.export {
        None => {
            let mut out = std::io::stdout().lock();
            list(&data, &mut out)?;
        }
        Some(dir) => {
            export(&data, dir, args.force)?;
            eprintln!(
                "entgraph: wrote {} files to {}; use them with --dict {} --rules {}",
                data.files().len(),
                dir.display(),
                dir.display(),
                dir.join(RULES).display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per file: its name, its size and what it is.
fn list(data: &DataDir, out: &mut impl std::io::Write) -> std::io::Result<()> {
    for f in data.files() {
        let what = match Path::new(f.name).extension().and_then(|e| e.to_str()) {
            Some("tsv") => {
                let kind = f.name.trim_end_matches(".tsv");
                format!("dictionary of type {kind}, {} entities", entity_lines(f))
            }
            Some("toml") => "pattern rules".to_string(),
            Some("txt") => "word list".to_string(),
            _ => "documentation".to_string(),
        };
        writeln!(out, "{:<24} {:>9} bytes  {what}", f.name, f.bytes.len())?;
    }
    Ok(())
}

/// The entity lines of a dictionary (not blank, not a comment).
fn entity_lines(f: &DataFile) -> usize {
    String::from_utf8_lossy(f.bytes)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count()
}

/// Writes every file into `dir`; fails before writing anything when one exists and not `force`.
fn export(data: &DataDir, dir: &Path, force: bool) -> Result<()> {
    if !force && let Some(f) = data.files().iter().find(|f| dir.join(f.name).exists()) {
        return Err(path_error(
            &dir.join(f.name),
            "already exists",
            "add --force to replace the files, or choose another --export directory",
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| entgraph::Error::io(dir, e))?;
    for f in data.files() {
        let path = dir.join(f.name);
        entgraph::export::write_atomic(&path, |w| w.write_all(f.bytes))?;
    }
    Ok(())
}
