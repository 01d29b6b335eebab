use std::process::ExitCode;

fn main() -> ExitCode {
    kaohe::cli::main()
}
