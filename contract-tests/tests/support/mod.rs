//! What the tests that run a Python server share: start it, read the port it prints on
//! its first line, and stop it when the test ends, passed or not.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A server child process, killed on drop.
pub struct PythonServer {
    child: Child,
    pub base_url: String,
}

impl PythonServer {
    /// Starts `python3 script args...` and waits for its port.
    pub fn start(script: &Path, args: &[&str]) -> PythonServer {
        let mut child = Command::new("python3")
            .arg(script)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("python3 is needed for this test: {e}"));
        let mut port = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out)
                .read_line(&mut port)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(!port.trim().is_empty(), "{} printed no port", script.display());
        PythonServer {
            child,
            base_url: format!("http://127.0.0.1:{}", port.trim()),
        }
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain GET from a test, outside any runtime of its own: the status and the body.
#[allow(dead_code)] // each test binary uses what it needs of this module
pub fn get(url: &str) -> (u16, String) {
    let url = url.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        rt.block_on(async {
            let r = reqwest::get(url).await.unwrap_or_else(|e| panic!("{e}"));
            let status = r.status().as_u16();
            (status, r.text().await.unwrap_or_default())
        })
    })
    .join()
    .unwrap_or_else(|_| panic!("the request thread panicked"))
}
