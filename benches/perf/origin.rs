//! The origin's stack, re-created the way the origin built it (Flask and
//! Flask-SQLAlchemy under gunicorn, pymysql: `flask_seed/` in the project's
//! shared peers), served on loopback from the same MariaDB server as
//! shopdesk's benchmark database, for the concurrent sellers' row.
//!
//! Its folder is `SHOPDESK_BENCH_ORIGIN` or [`DEFAULT_ORIGIN`]; its Python
//! packages come from PyPI into a virtual environment of the benchmark's
//! own (`target/shopdesk-bench/origin-venv`), made once; its shop is seeded
//! once by its own `seed.py --mysql` into a database of its own beside the
//! benchmark's (`shopdesk_bench_origin`) and reused. gunicorn runs
//! [`WORKERS`] workers, the fair setting for concurrent clients.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use mysql::prelude::Queryable;

use super::bench_folder;
use super::mariadb::Server;
use super::sellers::{SELLERS, Shapes};
/// gunicorn's worker processes: more than one, as the origin would run
/// it for several clients at once.
pub(crate) const WORKERS: &str = "4";
const ORIGIN_VARIABLE: &str = "SHOPDESK_BENCH_ORIGIN";
/// Where the project's machines keep the origin's stack.
const DEFAULT_ORIGIN: &str = "/work/shared/peers/flask_seed";
const PACKAGES: [&str; 4] = ["flask", "flask-sqlalchemy", "gunicorn", "pymysql"];
/// What the origin's `seed.py` writes: a shop seeded whole has at least
/// these (its sales since only add orders).
const SEEDED: (i64, i64, i64) = (10_000, 10_000, 200_000);
/// The origin's customers and products as its own client orders them
/// (`bench_flask.py`): customer 1 is kept for its history.
const ORIGIN_CUSTOMERS: RangeInclusive<i64> = 2..=10_000;
const ORIGIN_PRODUCTS: RangeInclusive<i64> = 1..=10_000;
/// How long gunicorn may take to answer at all, and an answer to come.
const START_LIMIT: Duration = Duration::from_secs(60);
const ANSWER_LIMIT: Duration = Duration::from_secs(60);
/// Orders placed before the clock starts, so that every worker has
/// imported the app and connected.
const WARM_UP_ORDERS: usize = 4 * SELLERS;

/// The origin's gunicorn, serving on `port` until dropped.
pub(crate) struct Origin {
    gunicorn: Child,
    port: u16,
    products: Vec<i64>,
}

impl Origin {
    /// Makes what is missing (the virtual environment, the seeded shop),
    /// starts gunicorn and waits until it has placed a few orders; or
    /// says why it cannot.
    pub fn start(server: &Server) -> Result<Origin, String> {
        let folder = std::env::var_os(ORIGIN_VARIABLE)
            .map_or_else(|| PathBuf::from(DEFAULT_ORIGIN), PathBuf::from);
        if !folder.join("app.py").exists() || !folder.join("seed.py").exists() {
            return Err(format!(
                "no app.py and seed.py in {} (set {ORIGIN_VARIABLE} to the origin's flask_seed folder)",
                folder.display()
            ));
        }
        std::fs::create_dir_all(bench_folder()).map_err(|error| error.to_string())?;
        let venv = virtual_environment()?;
        let database = format!("{}_origin", server.url.database);
        // The origin's seed.py connects as root without a password: a
        // server that wants one cannot be seeded by it.
        let shop_url = format!(
            "mysql+pymysql://{}@{}:{}/{database}",
            server.url.user, server.url.host, server.url.port
        );
        seed(server, &database, &venv, &folder, &shop_url)?;
        let port = free_port()?;
        let log_path = bench_folder().join("origin-gunicorn.log");
        let log = File::create(&log_path).map_err(|error| error.to_string())?;
        let gunicorn = Command::new(venv.join("bin/gunicorn"))
            .args(["-w", WORKERS, "-b", &format!("127.0.0.1:{port}"), "--chdir"])
            .arg(&folder)
            .arg("app:app")
            .env("SHOP_DB_URL", &shop_url)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|error| error.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|error| format!("cannot start gunicorn: {error}"))?;
        let origin = Origin {
            gunicorn,
            port,
            products: ORIGIN_PRODUCTS.collect(),
        };
        origin
            .warm_up()
            .map_err(|why| format!("gunicorn did not serve ({why}; see {})", log_path.display()))?;
        Ok(origin)
    }

    /// Waits for gunicorn to take connections, then places
    /// [`WARM_UP_ORDERS`] orders, as many at once as its workers.
    fn warm_up(&self) -> Result<(), String> {
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if started.elapsed() > START_LIMIT {
                return Err(format!("no answer in {} s", START_LIMIT.as_secs()));
            }
            thread::sleep(Duration::from_millis(100));
        }
        let mut shapes = Shapes::new(SELLERS);
        for _ in 0..WARM_UP_ORDERS {
            self.place(&mut shapes)?;
        }
        Ok(())
    }

    /// Places the next order of `shapes` with `POST /place_order`, on a
    /// connection of its own (gunicorn's workers close each after its
    /// answer).
    pub fn place(&self, shapes: &mut Shapes) -> Result<(), String> {
        let (customer, lines) = shapes.order(ORIGIN_CUSTOMERS, &self.products);
        let body = serde_json::json!({
            "customer_id": customer,
            "items": lines.map(|(product, quantity)| serde_json::json!({
                "product_id": product,
                "quantity": quantity,
            })),
        })
        .to_string();
        let answer = post(self.port, "/place_order", &body)
            .map_err(|error| format!("POST /place_order: {error}"))?;
        let status_line =
            String::from_utf8_lossy(answer.split(|&b| b == b'\r').next().unwrap_or(&[]))
                .into_owned();
        match status_line.split(' ').nth(1) {
            Some("201") => Ok(()),
            _ => Err(format!("POST /place_order answered {status_line:?}")),
        }
    }
}

impl Drop for Origin {
    /// Stops gunicorn as its manual says (SIGTERM: its workers finish
    /// what they are answering and exit), and waits for it.
    fn drop(&mut self) {
        if let Ok(pid) = libc::pid_t::try_from(self.gunicorn.id()) {
            // SAFETY: kill reads only its arguments; the pid is of the
            // child this struct started and has not reaped.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.gunicorn.wait();
    }
}

/// One HTTP/1.1 request on a connection of its own; the whole answer.
fn post(port: u16, path: &str, body: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(ANSWER_LIMIT))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(answer)
}

/// A port free on loopback now (the listener is closed before gunicorn
/// takes it: another program could take it meanwhile, which gunicorn
/// would say).
fn free_port() -> Result<u16, String> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| format!("no free port on loopback: {error}"))
}

/// The benchmark's virtual environment with the origin's packages, made
/// (from PyPI) if it has none.
fn virtual_environment() -> Result<PathBuf, String> {
    let venv = bench_folder().join("origin-venv");
    if venv.join("bin/gunicorn").exists() {
        return Ok(venv);
    }
    eprintln!(
        "making the origin's Python environment at {} …",
        venv.display()
    );
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
        .map_err(|why| format!("cannot make a Python virtual environment: {why}"))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet"])
        .args(PACKAGES))
    .map_err(|why| format!("cannot install {} from PyPI: {why}", PACKAGES.join(", ")))?;
    Ok(venv)
}

/// Seeds the origin's shop with its own `seed.py --mysql` into
/// `database`, unless it holds a whole seeded shop already.
fn seed(
    server: &Server,
    database: &str,
    venv: &Path,
    folder: &Path,
    shop_url: &str,
) -> Result<(), String> {
    let mut conn = server.connect(None)?;
    // The name comes from the benchmark's URL, whose rules allow no
    // backquote in it.
    conn.query_drop(format!("CREATE DATABASE IF NOT EXISTS `{database}`"))
        .map_err(|error| error.to_string())?;
    conn.select_db(database)
        .map_err(|error| error.to_string())?;
    let counts: Option<(i64, i64, i64)> = conn
        .query_first(
            "SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM products),
                    (SELECT COUNT(*) FROM orders)",
        )
        .unwrap_or(None);
    if counts.is_some_and(|(c, p, o)| c >= SEEDED.0 && p >= SEEDED.1 && o >= SEEDED.2) {
        return Ok(());
    }
    eprintln!("seeding the origin's shop in {database} …");
    run(Command::new(venv.join("bin/python"))
        .arg(folder.join("seed.py"))
        .arg("--mysql")
        .env("SHOP_DB_URL", shop_url))
    .map_err(|why| format!("the origin's seed.py failed: {why}"))
}

/// Runs `command` to its end; its last line of errors if it failed.
fn run(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|error| error.to_string())?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(format!(
        "{}: {}",
        output.status,
        stderr.lines().last().unwrap_or("")
    ))
}
