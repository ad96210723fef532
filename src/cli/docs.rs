//! `entgraph completions SHELL` and `entgraph man`: shell completion scripts and the man page,
//! generated from the same clap definitions as the parser, so they name every command and option.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// Print a shell completion script for entgraph.
///
/// Load it in the current shell, or save it where the shell looks for completions.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  source <(entgraph completions bash)                  # bash, this shell only\n  entgraph completions bash > ~/.local/share/bash-completion/completions/entgraph\n  entgraph completions zsh > ~/.zfunc/_entgraph         # with fpath+=(~/.zfunc) in ~/.zshrc\n  entgraph completions fish > ~/.config/fish/completions/entgraph.fish"
)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

/// Print entgraph's man page (roff) to standard output.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph man | man -l -\n  entgraph man > ~/.local/share/man/man1/entgraph.1"
)]
pub struct ManArgs {}

pub fn completions(args: CompletionsArgs) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "entgraph", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One page: the top-level command, then a section per subcommand with its options.
pub fn man(_args: ManArgs) -> Result<ExitCode> {
    let cmd = Cli::command();
    let mut page: Vec<u8> = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("entgraph {}", sub.get_name());
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        let sub = sub.clone().bin_name(name);
        let man = clap_mangen::Man::new(sub);
        let mut section: Vec<u8> = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        man.render_options_section(&mut section)?;
        man.render_extra_section(&mut section)?; // the examples of --help
        // The command's own headings become subsections of its section.
        for line in String::from_utf8_lossy(&section).lines() {
            match line.strip_prefix(".SH ") {
                Some("EXTRA") => writeln!(page, ".SS EXAMPLES")?,
                Some(heading) => writeln!(page, ".SS {heading}")?,
                None => writeln!(page, "{line}")?,
            }
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
