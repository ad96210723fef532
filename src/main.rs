//! The `entgraph` command: parse, dispatch, print one line on error, exit 0 / 1 / 2.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    tune_allocator();
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

/// glibc's malloc hands chunk-sized buffers (megabytes: a chunk's text, its normalized copy) back to
/// the kernel as soon as they are freed and faults them in again for the next chunk, and it trims
/// the heap whenever its free top passes 128 KiB: a tenth of `extract`'s time went to page faults
/// and heap consolidation. Keeping such buffers in the heap (they are reused chunk after chunk)
/// removes that; the peak is what it was, since the next chunk takes the same memory.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

/// The cause chain on one line, joined by ": ". A cause whose text already ends the message is
/// left out (the library's I/O errors print their cause, which is also their `source`).
fn one_line(err: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in err.chain() {
        let text = cause.to_string().replace('\n', " ");
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
