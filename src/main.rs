//! The `planb` command line: a thin face over the library's pipeline.

mod cli;

fn main() {
    std::process::exit(cli::run(std::env::args_os().skip(1).collect()));
}
