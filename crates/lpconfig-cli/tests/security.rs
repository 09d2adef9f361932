//! Secrets and transport on shared machines and company networks
//! (docs/cli-security.md, docs/network.md): no secret in any process's
//! arguments, private profile files, a private CA through --ca-bundle and
//! SSL_CERT_FILE, proxies that never see loopback, and safe output.

mod common;

use std::path::Path;

use common::{stderr, stdout, Sandbox, DEMO_PASSWORD};
use lpconfig::IfMatch;
use lpconfig_emulator::net::{RecordingProxy, TestCa, TlsFront};

/// `lpconfig ARGS` as a configured account (LP_ACCOUNT, LP_CSDS_URL) with no
/// credentials yet; fails the test if a secret is among the arguments, which
/// is what `ps` shows of this process.
fn account_cmd(sb: &Sandbox, args: &[&str], secrets: &[&str]) -> assert_cmd::Command {
    for a in args {
        for s in secrets {
            assert!(!a.contains(s), "a secret in the arguments: {a}");
        }
    }
    let mut c = common::bare(sb.home.path());
    c.env("LP_ACCOUNT", "demo").env("LP_CSDS_URL", sb.emu.base_url()).args(args);
    c
}

fn private_file(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    p.to_str().unwrap().to_owned()
}

/// Every process's arguments as `ps` would show them.
#[cfg(target_os = "linux")]
fn all_process_args() -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(raw) = std::fs::read(entry.path().join("cmdline")) {
            out.push_str(&String::from_utf8_lossy(&raw).replace('\0', " "));
            out.push('\n');
        }
    }
    out
}

#[test]
fn every_documented_login_path_keeps_secrets_out_of_process_arguments() {
    let sb = Sandbox::start();
    let dir = sb.home.path();
    let list = ["users", "list", "-o", "json"];
    let pw = [DEMO_PASSWORD];
    let ok = |mut c: assert_cmd::Command, what: &str| {
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(&out));
        assert!(stdout(&out).contains("jane.doe"), "{what}");
        assert!(!stdout(&out).contains(DEMO_PASSWORD) && !stderr(&out).contains(DEMO_PASSWORD), "{what}");
    };

    // User login: --password-stdin, --password-file, LP_PASSWORD.
    let mut c = account_cmd(&sb, &["--username", "admin", "--password-stdin", "users", "list"], &pw);
    c.write_stdin(format!("{DEMO_PASSWORD}\n"));
    ok(c, "--password-stdin");
    let file = private_file(dir, "pw.txt", &format!("{DEMO_PASSWORD}\n"));
    ok(
        account_cmd(&sb, &["--username", "admin", "--password-file", &file, "users", "list"], &pw),
        "--password-file",
    );
    let mut c = account_cmd(&sb, &["--username", "admin", "users", "list"], &pw);
    c.env("LP_PASSWORD", DEMO_PASSWORD);
    ok(c, "LP_PASSWORD");

    // API key and app-key login: secrets from files and stdin.
    let key = sb.emu.demo_api_key();
    let key_secrets = [key.secret.as_str(), key.access_token.as_str(), key.access_token_secret.as_str()];
    let s = private_file(dir, "s.txt", &key.secret);
    let t = private_file(dir, "t.txt", &key.access_token);
    let ts = private_file(dir, "ts.txt", &key.access_token_secret);
    let args = ["--secret-file", &s, "--access-token-file", &t, "--access-token-secret-file", &ts];
    let mut c = account_cmd(&sb, &[&args[..], &list[..]].concat(), &key_secrets);
    c.env("LP_APP_KEY", &key.app_key);
    ok(c, "API key from files");
    let mut c = account_cmd(
        &sb,
        &[&["--secret-stdin", "--access-token-file", &t, "--access-token-secret-file", &ts][..], &list[..]]
            .concat(),
        &key_secrets,
    );
    c.env("LP_APP_KEY", &key.app_key).write_stdin(format!("{}\n", key.secret));
    ok(c, "API key secret from stdin");
    let bot = sb.emu.demo_app_login();
    let bot_secrets = [bot.secret.as_str(), bot.access_token.as_str(), bot.access_token_secret.as_str()];
    let (bs, bt, bts) = (
        private_file(dir, "bs.txt", &bot.secret),
        private_file(dir, "bt.txt", &bot.access_token),
        private_file(dir, "bts.txt", &bot.access_token_secret),
    );
    let mut c = account_cmd(
        &sb,
        &[
            &["--username", &bot.username, "--secret-file", &bs, "--access-token-file", &bt][..],
            &["--access-token-secret-file", &bts][..],
            &list[..],
        ]
        .concat(),
        &bot_secrets,
    );
    c.env("LP_APP_KEY", &bot.app_key);
    ok(c, "app-key login from files");

    // A profile whose credential_command prints the password; while it runs,
    // it records every process's arguments (lpconfig's and its own included).
    let snapshot = dir.join("ps.txt");
    let script = private_file(
        dir,
        "cred.sh",
        &format!(
            "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\" 2>/dev/null; echo; done > {}\ncat {}\n",
            snapshot.display(),
            file
        ),
    );
    let config = private_file(
        dir,
        "config.toml",
        &format!(
            "[profiles.ops]\naccount = \"demo\"\nusername = \"admin\"\ncsds_url = \"{}\"\ncredential_command = \"sh {script}\"\n",
            sb.emu.base_url()
        ),
    );
    let mut c = common::bare(dir);
    c.args(["--config", &config, "--profile", "ops", "users", "list"]);
    ok(c, "credential_command");
    #[cfg(target_os = "linux")]
    {
        let ps = std::fs::read_to_string(&snapshot).expect("the credential command ran");
        assert!(ps.contains("users list"), "the snapshot saw lpconfig running: {ps}");
        assert!(!ps.contains(DEMO_PASSWORD), "a secret in some process's arguments");
        assert!(!all_process_args().contains(DEMO_PASSWORD));
    }
}

#[cfg(unix)]
#[test]
fn profile_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::start();
    let dir = sb.home.path();
    let config = dir.join(".config/lpconfig/config.toml");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    // config init: a template, mode 0600 (directory 0700); never overwritten.
    common::bare(dir).args(["config", "init"]).assert().success();
    assert_eq!(mode(&config), 0o600);
    assert_eq!(mode(config.parent().unwrap()), 0o700);
    common::bare(dir).args(["config", "init"]).assert().code(1);

    // config set: plain keys as arguments, secrets only from stdin.
    let url = sb.emu.base_url();
    for (k, v) in [("account", "demo"), ("username", "admin"), ("csds_url", url.as_str())] {
        common::bare(dir).args(["config", "set", k, v, "--profile", "ops"]).assert().success();
    }
    let out = common::bare(dir)
        .args(["config", "set", "password", DEMO_PASSWORD, "--profile", "ops"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("stdin") && !stderr(&out).contains(DEMO_PASSWORD), "{}", stderr(&out));
    common::bare(dir)
        .args(["config", "set", "password", "--profile", "ops"])
        .write_stdin(format!("{DEMO_PASSWORD}\n"))
        .assert()
        .success();
    assert_eq!(mode(&config), 0o600);
    let out = common::bare(dir).args(["--profile", "ops", "users", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = common::bare(dir).args(["--profile", "ops", "config", "show"]).output().unwrap();
    assert!(stdout(&shown).contains("password = \"***\"") && !stdout(&shown).contains(DEMO_PASSWORD));

    // Readable by others while it holds a password: refused, with the fix.
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = common::bare(dir).args(["--profile", "ops", "users", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("mode 0644") && err.contains("chmod 600"), "{err}");
    assert!(!err.contains(DEMO_PASSWORD));

    // Without secrets in it, a loose file is only warned about.
    let plain =
        private_file(dir, "plain.toml", &format!("[profiles.p]\naccount = \"demo\"\ncsds_url = \"{url}\"\n"));
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = common::bare(dir)
        .args([
            "--config",
            &plain,
            "--profile",
            "p",
            "--username",
            "admin",
            "--password-stdin",
            "users",
            "list",
        ])
        .write_stdin(format!("{DEMO_PASSWORD}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: config file") && stderr(&out).contains("chmod 600"));
}

#[test]
fn a_private_ca_through_ca_bundle_or_ssl_cert_file_and_refused_without() {
    let sb = Sandbox::start();
    let ca = TestCa::new(&["localhost"]);
    let front = sb.rt.block_on(TlsFront::start(&ca, sb.emu.addr())).unwrap();
    let ca_file = ca.write_ca(sb.home.path()).unwrap();
    let ca_path = ca_file.to_str().unwrap();
    let https = format!("https://localhost:{}", front.port());
    let cmd = |extra: &[&str]| {
        let mut c = common::bare(sb.home.path());
        c.env("LP_ACCOUNT", "demo")
            .env("LP_USERNAME", "admin")
            .env("LP_PASSWORD", DEMO_PASSWORD)
            .env("LP_CSDS_URL", &https)
            .args(extra)
            .args(["skills", "list", "-o", "json"]);
        c
    };
    let out = cmd(&["--ca-bundle", ca_path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "--ca-bundle: {}", stderr(&out));
    let out = cmd(&[]).env("SSL_CERT_FILE", ca_path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "SSL_CERT_FILE: {}", stderr(&out));
    let out = cmd(&[]).env("LP_CA_BUNDLE", ca_path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "LP_CA_BUNDLE: {}", stderr(&out));
    let handshakes = front.handshakes();
    assert!(handshakes >= 3);

    let out = cmd(&["-v"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("TLS certificate of localhost is not trusted"), "{err}");
    assert!(err.contains("--ca-bundle") && err.contains("SSL_CERT_FILE"), "{err}");
    assert!(err.contains("kind: ERR_TRANSPORT") && !err.contains("attempts:"), "one attempt: {err}");
    assert_eq!(front.handshakes(), handshakes, "no handshake completed");
}

#[test]
fn proxy_variables_never_see_loopback_traffic() {
    let sb = Sandbox::start();
    let proxy = sb.rt.block_on(RecordingProxy::start(None)).unwrap();
    let mut c = sb.account_cmd();
    for v in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        c.env(v, proxy.url());
    }
    let out = c.args(["users", "list", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(proxy.requests(), Vec::<String>::new(), "the proxy saw loopback traffic");
}

#[test]
fn a_proxied_host_only_sees_connect() {
    let sb = Sandbox::start();
    let ca = TestCa::new(&["lp.test"]);
    let front = sb.rt.block_on(TlsFront::start(&ca, sb.emu.addr())).unwrap();
    let proxy = sb.rt.block_on(RecordingProxy::start(Some(front.addr()))).unwrap();
    let ca_file = ca.write_ca(sb.home.path()).unwrap();
    let out = common::bare(sb.home.path())
        .env("LP_ACCOUNT", "demo")
        .env("LP_USERNAME", "admin")
        .env("LP_CSDS_URL", "https://lp.test")
        .args(["--password-stdin", "--proxy", &proxy.url(), "--ca-bundle", ca_file.to_str().unwrap()])
        .args(["users", "list", "-o", "json"])
        .write_stdin(format!("{DEMO_PASSWORD}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = proxy.log();
    assert!(!log.heads.is_empty());
    assert!(log.heads.iter().all(|h| h.starts_with("CONNECT lp.test:443 ")), "{:?}", log.heads);
    assert!(!String::from_utf8_lossy(&log.tunneled).contains(DEMO_PASSWORD));
}

#[test]
fn csv_cells_are_neutralised_and_tables_escape_control_characters() {
    let sb = Sandbox::start();
    let client = sb.client();
    let mut users = sb.users().into_iter().filter(|u| u.login_name.as_deref() != Some("admin"));
    let nasty = ["=1+1", "@x", "+x", "-x"];
    sb.rt.block_on(async {
        for (value, mut u) in nasty.iter().zip(users.by_ref()) {
            u.nickname = Some((*value).to_owned());
            client.users().allow_masked_blank(true).update(&u, IfMatch::Any).await.unwrap();
        }
        let mut u = users.next().unwrap();
        u.nickname = Some("Jo\u{1b}[2J\u{1b}]0;owned\u{7}".to_owned());
        client.users().allow_masked_blank(true).update(&u, IfMatch::Any).await.unwrap();
    });

    let out = sb.cmd().args(["users", "list", "-o", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let col = reader.headers().unwrap().iter().position(|h| h == "nickname").unwrap();
    let cells: Vec<String> = reader.records().map(|r| r.unwrap()[col].to_owned()).collect();
    for v in nasty {
        assert!(cells.contains(&format!("'{v}")), "{v} neutralised: {cells:?}");
        assert!(!cells.contains(&v.to_owned()), "{v} raw: {cells:?}");
    }
    let raw = sb.cmd().args(["users", "list", "-o", "csv", "--raw"]).output().unwrap();
    assert!(stdout(&raw).contains(",=1+1,"), "--raw keeps cells: {}", stdout(&raw));

    let table = sb.cmd().args(["users", "list"]).output().unwrap();
    let text = stdout(&table);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "raw control characters: {text:?}");
    assert!(text.contains("Jo\\e[2J\\e]0;owned\\x07"), "{text}");
}

#[test]
fn the_sync_plan_escapes_control_characters() {
    let sb = Sandbox::start();
    let f = sb.file(
        "evil.csv",
        "login_name,full_name,email\nnew.one,\"Eve\u{1b}[2J\u{1b}]0;owned\u{7}\",new.one@example.com\n",
    );
    let out = sb.cmd().args(["sync", f.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    assert!(!plan.contains('\u{1b}') && !plan.contains('\u{7}'), "raw control characters: {plan:?}");
    assert!(plan.contains("+ new.one  Eve\\e[2J\\e]0;owned\\x07 <new.one@example.com>"), "{plan}");
}

#[test]
fn server_error_messages_are_escaped() {
    use lpconfig_emulator::{FaultAction, FaultRule};
    let sb = Sandbox::start();
    sb.emu.add_fault(FaultRule {
        method: Some("GET".into()),
        path: "*/skills".into(),
        count: None,
        action: FaultAction::Status {
            status: 400,
            body: Some(r#"{"message": "bad \u001b[2J\u001b]0;owned\u0007 request"}"#.into()),
            retry_after: None,
        },
    });
    let out = sb.cmd().args(["-v", "skills", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "raw control characters: {err:?}");
    assert!(err.contains("bad \\e[2J\\e]0;owned\\x07 request"), "{err}");
}
