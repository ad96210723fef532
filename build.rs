//! Embeds the default data directory `dictionaries/` in the binary: writes
//! `$OUT_DIR/embedded_data.rs`, one `include_bytes!` per file (the dictionaries, word lists and
//! rules at the directory's top level, sorted by name), so a file added to the directory is
//! embedded by the next build without any list to edit.

use std::path::Path;

/// The file kinds embedded: dictionaries (`.tsv`), word lists (`.txt`), rules (`.toml`) and the
/// directory's README (sources and licences).
const EMBEDDED: &[&str] = &["tsv", "txt", "toml", "md"];

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries");
    // A directory here means: rerun when any file in it changes, is added or is removed.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if path.is_file() && EMBEDDED.contains(&kind) && !name.starts_with('.') {
                files.push((name, path));
            }
        }
    }
    files.sort();
    let mut code = String::from(
        "/// The files of `dictionaries/` embedded at build time: (file name, contents), sorted by name.\n\
         pub static EMBEDDED_FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &files {
        code.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_data.rs");
    std::fs::write(&out, code).expect("OUT_DIR is writable");
}
