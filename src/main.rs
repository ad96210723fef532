//! The `entgraph` command: parse, dispatch, print one line on error, exit 0 / 1 / 2.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if cli::term::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            // One line: the cause chain joined by ": ".
            let msg = format!("{err:#}").replace('\n', " ");
            eprintln!("entgraph: {msg}");
            ExitCode::from(2)
        }
    }
}
