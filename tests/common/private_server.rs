//! A MariaDB server of a test's own: its own data folder (in a temporary
//! folder), its own port on 127.0.0.1, started by the test, killed when
//! the test ends. For what the shared test server must never be put
//! through: its options (TLS, encrypted connections only), accounts with
//! passwords and grants of their own, being killed and restarted.
//!
//! Such tests run where `mariadbd` and `mariadb-install-db` are installed
//! (`cfg(private_mariadb)`, see `build.rs`). Every wait is bounded.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder};
use shopdesk::store::mysql::ServerUrl;
use tempfile::TempDir;

/// How long a server may take to be made or to start, on a busy machine.
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a stopped server may take to finish.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);

/// A private MariaDB server, running until it is stopped or dropped.
pub struct PrivateServer {
    folder: TempDir,
    port: u16,
    options: Vec<String>,
    process: Option<Child>,
}

impl PrivateServer {
    /// Makes a new server's data folder and starts the server with
    /// `options` (mariadbd's own, such as `--ssl-cert=…`) besides those
    /// that keep it private. Its `root` account has no password.
    pub fn start(options: &[String]) -> PrivateServer {
        let folder = tempfile::tempdir().expect("a temporary folder");
        // A temporary folder of its own: servers made at the same time
        // would otherwise share /tmp and collide on their temporary tables.
        std::fs::create_dir(folder.path().join("tmp")).unwrap();
        let log = std::fs::File::create(folder.path().join("install.log")).unwrap();
        let installed = Command::new(program(option_env!("SHOPDESK_TEST_MARIADB_INSTALL_DB")))
            .arg("--no-defaults")
            .arg(format!(
                "--datadir={}",
                folder.path().join("data").display()
            ))
            .args(as_root())
            .arg("--auth-root-authentication-method=normal")
            .arg("--skip-test-db")
            .arg(format!("--tmpdir={}", folder.path().join("tmp").display()))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .status()
            .expect("run mariadb-install-db");
        assert!(
            installed.success(),
            "mariadb-install-db failed ({installed}):\n{}",
            std::fs::read_to_string(folder.path().join("install.log")).unwrap_or_default()
        );
        let mut server = PrivateServer {
            folder,
            port: free_port(),
            options: options.to_vec(),
            process: None,
        };
        server.restart();
        server
    }

    /// Starts the server again on the same data folder and port.
    pub fn restart(&mut self) {
        assert!(self.process.is_none(), "the server is running");
        let process = Command::new(program(option_env!("SHOPDESK_TEST_MARIADBD")))
            .arg("--no-defaults")
            .arg(format!("--datadir={}", self.path("data").display()))
            .arg(format!("--port={}", self.port))
            .arg("--bind-address=127.0.0.1")
            .arg(format!("--socket={}", self.socket().display()))
            .arg(format!(
                "--pid-file={}",
                self.path("mariadbd.pid").display()
            ))
            .arg(format!("--log-error={}", self.path("error.log").display()))
            .arg(format!("--tmpdir={}", self.path("tmp").display()))
            .arg("--skip-name-resolve")
            .arg("--innodb-buffer-pool-size=16M")
            .args(as_root())
            .args(&self.options)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mariadbd");
        self.process = Some(process);
        self.wait_until_ready();
    }

    /// Kills the server at once (SIGKILL), as a crash or a power cut would.
    pub fn kill(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    /// Stops the server the way an administrator does (SIGTERM), waiting
    /// for it to finish.
    pub fn stop(&mut self) {
        let Some(mut process) = self.process.take() else {
            return;
        };
        if let Ok(pid) = libc::pid_t::try_from(process.id()) {
            // SAFETY: kill only sends a signal to the server this started.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = process.try_wait() {
                return;
            }
            std::thread::sleep(POLL);
        }
        let _ = process.kill();
        let _ = process.wait();
    }

    /// Makes the server stop answering while it still takes connections,
    /// as a hung one does: its process paused (SIGSTOP), its port open
    /// (the system goes on accepting and acknowledging) until
    /// [`PrivateServer::resume`].
    pub fn pause(&self) {
        self.signal(libc::SIGSTOP);
    }

    /// Lets a paused server go on (SIGCONT).
    pub fn resume(&self) {
        self.signal(libc::SIGCONT);
    }

    fn signal(&self, signal: libc::c_int) {
        let process = self.process.as_ref().expect("the server is running");
        let pid = libc::pid_t::try_from(process.id()).unwrap();
        // SAFETY: kill only sends a signal to the server this started.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    /// `mysql://USER@127.0.0.1:PORT/DATABASE`, with `options` after `?`
    /// when there are any.
    pub fn url(&self, user: &str, database: &str, options: &str) -> ServerUrl {
        let query = if options.is_empty() {
            String::new()
        } else {
            format!("?{options}")
        };
        ServerUrl::parse(&format!(
            "mysql://{user}@127.0.0.1:{}/{database}{query}",
            self.port
        ))
        .unwrap()
    }

    /// A connection as `root`, through the server's socket (which an
    /// encrypted-connections-only server accepts too).
    pub fn admin(&self) -> Conn {
        let opts = OptsBuilder::new()
            .socket(Some(self.socket().display().to_string()))
            .user(Some("root"));
        Conn::new(opts).expect("connect to the private server as root")
    }

    /// Runs each of `statements` as `root`.
    pub fn run(&self, statements: &[&str]) {
        let mut conn = self.admin();
        for statement in statements {
            conn.query_drop(statement)
                .unwrap_or_else(|error| panic!("{statement}: {error}"));
        }
    }

    /// A file in the server's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    fn socket(&self) -> PathBuf {
        self.path("mariadbd.sock")
    }

    /// Waits until the server takes connections; fails with its log if it
    /// stops instead, or takes too long.
    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let opts = OptsBuilder::new()
                .socket(Some(self.socket().display().to_string()))
                .user(Some("root"));
            if Conn::new(opts).is_ok() {
                return;
            }
            let exited = self
                .process
                .as_mut()
                .and_then(|process| process.try_wait().ok().flatten());
            assert!(
                exited.is_none() && Instant::now() < deadline,
                "mariadbd did not start ({exited:?}):\n{}",
                std::fs::read_to_string(self.path("error.log")).unwrap_or_default()
            );
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A server program `build.rs` found (the tests that start a server are
/// ignored where it found none).
fn program(found: Option<&'static str>) -> &'static str {
    found.expect("build.rs found no mariadbd or mariadb-install-db on this machine")
}

/// A port on 127.0.0.1 that nothing listens on at this moment.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// mariadbd refuses to run as root unless told to.
fn as_root() -> Vec<&'static str> {
    // SAFETY: geteuid only reads the process's user id.
    if unsafe { libc::geteuid() } == 0 {
        vec!["--user=root"]
    } else {
        Vec::new()
    }
}

/// Makes a certificate authority called `authority` and a certificate it
/// signs for 127.0.0.1 in `folder` with the `openssl` command: `ca.pem`,
/// `server.pem` and `server.key`. Returns the options that give them to
/// mariadbd.
pub fn make_certificates(folder: &Path, authority: &str) -> Vec<String> {
    let openssl = |args: &[&str]| {
        let made = Command::new("openssl")
            .args(args)
            .current_dir(folder)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run openssl");
        assert!(made.success(), "openssl {args:?}");
    };
    std::fs::write(
        folder.join("server.ext"),
        "subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\n\
         keyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        &format!("/CN={authority}"),
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ]);
    let file = |name: &str| folder.join(name).display().to_string();
    vec![
        format!("--ssl-ca={}", file("ca.pem")),
        format!("--ssl-cert={}", file("server.pem")),
        format!("--ssl-key={}", file("server.key")),
    ]
}
