//! The `shipready` binary: `check` for CI, `lsp` for editors, `explain` and `rules` for the rule catalog.
//! The only crate that prints.

/// mimalloc instead of the system allocator: a keystroke's audit allocates and frees thousands of small
/// strings and vectors, and glibc's malloc and free were a third of its instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod check;
mod cli;
mod explain;
mod fingerprint;
mod fix;
mod github;
mod gitlab;
mod init;
mod junit;
mod lsp;
mod markdown;
mod render;
mod rules_cmd;
mod sarif;
mod stdio;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    cli.color.write_global();
    let result = match cli.command {
        cli::Command::Check(args) => check::run(args),
        cli::Command::Explain { code } => explain::run(&code),
        cli::Command::Lsp => lsp::run(),
        cli::Command::Init { path } => init::run(&path),
        cli::Command::Rules(args) => rules_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`shipready check | head`) is the reader's choice, not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("shipready: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
