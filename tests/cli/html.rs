//! `--formats html` / `export --format html` (graph.html) and `entgraph serve`: the page is written
//! like every format and the same for the same graph; the server answers bad requests with a 4xx
//! JSON error and the next request normally, and reads no file but the graph. The page itself is
//! driven in Chromium by tests/browser/.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::util::*;

fn graphviz_or_skip(test: &str) -> bool {
    if have_dot() {
        return true;
    }
    skip(test, "Graphviz's dot not found");
    false
}

/// The JSON data embedded in a page.
fn page_data(page: &str) -> serde_json::Value {
    let start = page
        .find(r#"<script type="application/json" id="graph-data">"#)
        .expect("the data element");
    let rest = &page[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap()
}

#[test]
fn html_build_writes_a_self_contained_page_identically() {
    if !graphviz_or_skip("html_build_writes_a_self_contained_page_identically") {
        return;
    }
    let t = TestDir::new();
    let seeds = seeds_dir();
    let a = t.build(
        "a",
        [
            seeds.as_os_str(),
            "--formats".as_ref(),
            "json,html".as_ref(),
        ],
    );
    let b = t.build(
        "b",
        [
            seeds.as_os_str(),
            "--formats".as_ref(),
            "html".as_ref(),
            "-j".as_ref(),
            "1".as_ref(),
        ],
    );
    assert!(
        a.stderr
            .contains("wrote graph.json, graph.html and mentions.jsonl"),
        "{}",
        a.stderr
    );
    let page = std::fs::read_to_string(a.dir.join("graph.html")).unwrap();
    assert_eq!(
        page,
        std::fs::read_to_string(b.dir.join("graph.html")).unwrap()
    );
    assert!(page.len() < 1_000_000, "{} bytes", page.len());
    // Nothing to fetch: no src attribute, no link but the empty icon, no URL of another host.
    assert!(!page.contains(" src="));
    assert_eq!(page.matches("href=").count(), 1);
    let no_ns = page.replace("http://www.w3.org/2000/svg", "");
    assert!(!no_ns.contains("http://") && !no_ns.contains("https://"));
    let d = page_data(&page);
    let graph = a.graph();
    assert_eq!(d["nodes"].as_array().unwrap().len(), graph.nodes.len());
    assert_eq!(d["edges"].as_array().unwrap().len(), graph.links.len());
    assert!(d["cap"].is_null());
    // export writes the same bytes from the saved graph.
    let out = t.join("export.html");
    ok(t.entgraph()
        .args(["export", "--format", "html", "-q", "-o"])
        .arg(&out)
        .arg("--graph")
        .arg(a.dir.join("graph.json"))
        .output()
        .unwrap());
    assert_eq!(std::fs::read_to_string(out).unwrap(), page);
}

#[test]
fn html_drawing_filters_apply() {
    if !graphviz_or_skip("html_drawing_filters_apply") {
        return;
    }
    let t = TestDir::new();
    let seeds = seeds_dir();
    let built = t.build(
        "out",
        [
            seeds.as_os_str(),
            "--formats".as_ref(),
            "json,html".as_ref(),
            "--top".as_ref(),
            "5".as_ref(),
        ],
    );
    let d = page_data(&std::fs::read_to_string(built.dir.join("graph.html")).unwrap());
    assert_eq!(d["nodes"].as_array().unwrap().len(), 5);
    assert!(built.graph().nodes.len() > 5);
}

/// `entgraph serve` on a free port, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(t: &TestDir, graph: &std::path::Path) -> Server {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_entgraph"))
            .current_dir(t.path())
            .env_remove("ENTGRAPH_CACHE_DIR")
            .args(["serve", "--port", "0", "--threads", "2", "--graph"])
            .arg(graph)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let at = line
            .find("at http://127.0.0.1:")
            .unwrap_or_else(|| panic!("{line}"));
        let port = line[at + 20..].split('/').next().unwrap().parse().unwrap();
        Server { child, port }
    }

    /// Sends raw bytes, returns the status code and the body.
    fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(request).unwrap();
        let mut reply = Vec::new();
        // The server may close while a large request is still being sent; what it answered counts.
        let _ = s.read_to_end(&mut reply);
        let reply = String::from_utf8_lossy(&reply).into_owned();
        let status = reply
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {reply:?}"));
        let body = reply
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, b)| b.to_string());
        (status, body)
    }

    fn get(&self, target: &str) -> (u16, String) {
        self.raw(format!("GET {target} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes())
    }
}

#[test]
fn serve_answers_bad_requests_with_4xx_and_keeps_serving() {
    if !graphviz_or_skip("serve_answers_bad_requests_with_4xx_and_keeps_serving") {
        return;
    }
    let t = TestDir::new();
    let graph = repo().join("output/graph.json");
    let server = Server::start(&t, &graph);
    let long = "a".repeat(9000);
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("malformed request line", b"GARBAGE\r\n\r\n".to_vec()),
        ("malformed percent-encoding", b"GET /api/search?q=%zz HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("not UTF-8", b"GET /api/search?q=%ff%fe HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("unknown parameter", b"GET /api/search?query=tom HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("number out of range", b"GET /api/connect?from=Tom&to=Paris&paths=100000 HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("depth over the limit", b"GET /api/neighbors?id=Tom&depth=9 HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("oversized target", format!("GET /api/search?q={long} HTTP/1.1\r\nConnection: close\r\n\r\n").into_bytes()),
        ("oversized body", {
            let mut r = b"POST /api/search HTTP/1.1\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n".to_vec();
            r.extend(std::iter::repeat_n(b'x', 2_000_000));
            r
        }),
        ("path traversal", b"GET /../../../../etc/passwd HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("encoded traversal", b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("traversal in a parameter", b"GET /api/entity?id=../../../../etc/passwd HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("the graph file itself", b"GET /output/graph.json HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("unknown entity", b"GET /api/entity?id=Nobody%20At%20All%20Zzyzx HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
        ("missing parameter", b"GET /api/evidence?source=Tom HTTP/1.1\r\nConnection: close\r\n\r\n".to_vec()),
    ];
    for (what, request) in bad {
        let (status, body) = server.raw(&request);
        assert!((400..500).contains(&status), "{what}: {status} {body}");
        assert!(!body.contains("root:"), "{what}: {body}");
        if !body.is_empty() && what != "malformed request line" {
            let v: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {e}: {body}"));
            assert!(
                v["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{what}: {body}"
            );
        }
        // The next request is answered normally.
        let (status, body) = server.get("/api/search?q=mcquarrie");
        assert_eq!(status, 200, "after {what}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["results"][0]["label"], "Christopher McQuarrie",
            "after {what}"
        );
    }
}

#[test]
fn serve_api_answers_as_the_cli() {
    if !graphviz_or_skip("serve_api_answers_as_the_cli") {
        return;
    }
    let t = TestDir::new();
    let graph = repo().join("output/graph.json");
    let server = Server::start(&t, &graph);
    let (status, page) = server.get("/");
    assert_eq!(status, 200);
    assert_eq!(page_data(&page)["api"], true);
    for (a, b, strongest) in [
        ("McQuarrie", "Stade de France", false),
        ("NRK", "Simone Biles", true),
        ("Empire", "Paris", false),
    ] {
        let target = format!(
            "/api/connect?from={}&to={}&paths=3{}",
            a.replace(' ', "%20"),
            b.replace(' ', "%20"),
            if strongest { "&strongest=1" } else { "" }
        );
        let (status, body) = server.get(&target);
        assert_eq!(status, 200, "{body}");
        let api: serde_json::Value = serde_json::from_str(&body).unwrap();
        let mut cmd = t.entgraph();
        cmd.args([
            "connect", a, b, "--paths", "3", "--format", "json", "--graph",
        ])
        .arg(&graph);
        if strongest {
            cmd.arg("--strongest");
        }
        let cli: serde_json::Value = serde_json::from_slice(&cmd.output().unwrap().stdout).unwrap();
        let nodes = |v: &serde_json::Value| -> Vec<serde_json::Value> {
            v["paths"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["nodes"].clone())
                .collect()
        };
        assert_eq!(nodes(&api), nodes(&cli), "{a} -> {b}");
        assert!(!nodes(&cli).is_empty());
    }
    let (status, body) = server.get("/api/evidence?source=Tom%20Cruise&target=Stade%20de%20France");
    assert_eq!(status, 200);
    assert!(
        body.contains("Tom appeared atop the Stade de France."),
        "{body}"
    );
}

#[test]
fn serve_errors_are_one_line() {
    if !graphviz_or_skip("serve_errors_are_one_line") {
        return;
    }
    let t = TestDir::new();
    let msg = fails(
        t.entgraph()
            .args(["serve", "--graph", "missing.json"])
            .output()
            .unwrap(),
    );
    assert!(msg.contains("missing.json"), "{msg}");
    // A port already taken.
    let graph = repo().join("output/graph.json");
    let server = Server::start(&t, &graph);
    let msg = fails(
        t.entgraph()
            .args(["serve", "--port", &server.port.to_string(), "--graph"])
            .arg(&graph)
            .output()
            .unwrap(),
    );
    assert!(msg.contains("cannot listen on 127.0.0.1:"), "{msg}");
}
