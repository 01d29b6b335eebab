use std::process::ExitCode;

fn main() -> ExitCode {
    kaohe::run_cli()
}
