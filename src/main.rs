//! The `sopctl` command. Everything happens in [`sopctl::cli`].

fn main() -> std::process::ExitCode {
    sopctl::cli::main()
}
