//! The `entgraph` command: parse, dispatch, print one line on error, exit 0 / 1 / 2.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if cli::term::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("entgraph: {}", one_line(&err));
            ExitCode::from(2)
        }
    }
}

/// The cause chain on one line, joined by ": ". A cause whose text already ends the message is
/// left out (the library's I/O errors print their cause, which is also their `source`).
fn one_line(err: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in err.chain() {
        let text = cli::term::escape_controls(&cause.to_string().replace('\n', " "));
        if msg.ends_with(&text) {
            continue;
        }
        if !msg.is_empty() {
            msg.push_str(": ");
        }
        msg.push_str(&text);
    }
    msg
}
