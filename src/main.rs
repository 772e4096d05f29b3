use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(logstat::app::main())
}
