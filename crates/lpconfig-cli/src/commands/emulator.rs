//! `lpconfig emulator serve`: a standalone sandbox that keeps its state between commands.

use lpconfig_emulator::Emulator;

use crate::failure::{CliResult, Failure};
use crate::output::write_stdout;

/// Serves the demo account on 127.0.0.1 until Ctrl-C or SIGTERM.
pub async fn serve(port: u16) -> CliResult {
    let emu = Emulator::builder()
        .demo()
        .port(port)
        .start()
        .await
        .map_err(|e| Failure::usage(format!("cannot start the emulator: {e}")))?;
    let url = emu.base_url();
    write_stdout(&format!(
        "lpconfig emulator listening on {url} (account {})\n\
         use it from another shell with: export LP_SANDBOX_URL={url}\n\
         Ctrl-C stops it.\n",
        emu.account()
    ))?;
    wait_for_signal().await;
    emu.shutdown().await;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
