//! Property tests: random and mutated input through load + validate and then through every
//! output renderer (human with and without color, JSON, YAML, SARIF, JUnit, GitHub) must never
//! panic, every finding must point inside its source, and no snippet line of the human output
//! may be wider than the renderer's bound. Also generated regression cases for inputs that once
//! crashed a renderer or ate memory (nothing large is committed: the inputs are built here). A
//! longer campaign with cargo-fuzz is described in docs/development.md.

use meshctl::check::Diagnostic;
mod common;

use meshctl::check::run::validate_source;
use meshctl::load::decode;
use meshctl::report::human::MAX_LINE_WIDTH;
use meshctl::report::{self, Format, Rendered, Summary};
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    include_str!("../testdata/valid/shop-gateway.yaml"),
    include_str!("../testdata/valid/mesh-security.yaml"),
    include_str!("../testdata/valid/list.json"),
    include_str!("../testdata/invalid/multi-document.yaml"),
    include_str!("../testdata/invalid/yaml11-boolean.yaml"),
    include_str!("../testdata/invalid/duplicate-key.yaml"),
    include_str!("../testdata/invalid/yaml-syntax.yaml"),
];

const FORMATS: &[Format] = &[
    Format::Human,
    Format::Json,
    Format::Yaml,
    Format::Sarif,
    Format::Junit,
    Format::Github,
];

/// Every renderer's output for `diagnostics` (human twice: with and without color).
fn render_all(diagnostics: &[Diagnostic]) -> Vec<(Format, bool, String)> {
    let mut summary = Summary {
        files: 1,
        ..Summary::default()
    };
    summary.count(diagnostics);
    let files = vec!["fuzz.yaml".to_string()];
    let mut out = Vec::new();
    for &format in FORMATS {
        for color in [false, true] {
            if color && format != Format::Human {
                continue;
            }
            let r = Rendered {
                tool_command: "validate",
                diagnostics,
                summary: &summary,
                files: &files,
                color,
            };
            out.push((format, color, report::render(format, &r)));
        }
    }
    out
}

/// Lines of the human output that show source text (`  12 │ …`, gutter and all).
fn snippet_lines(human: &str) -> impl Iterator<Item = &str> {
    human.lines().filter(|l| {
        l.trim_start()
            .split_once(" │ ")
            .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
    })
}

/// Validates `bytes` and renders the findings in every format; returns the diagnostics and the
/// plain human output.
fn check(bytes: Vec<u8>) -> (Vec<Diagnostic>, String) {
    let (source, problem) = decode("fuzz.yaml".to_string(), bytes);
    let report = validate_source(&source, problem);
    for d in &report.diagnostics {
        if let Some(loc) = &d.location {
            assert!(loc.span.end as usize <= source.text.len());
            assert!(loc.span.start <= loc.span.end);
            let (line, col) = loc.start();
            assert!(line >= 1 && col >= 1);
            assert!(line <= source.line_index().line_count());
        }
    }
    let mut human = String::new();
    for (format, color, text) in render_all(&report.diagnostics) {
        if !report.diagnostics.is_empty() {
            assert!(!text.is_empty(), "{format:?} printed nothing");
        }
        if format == Format::Human && !color {
            human = text;
        }
    }
    for line in snippet_lines(&human) {
        // Gutter (line number, bars) plus at most MAX_LINE_WIDTH columns of source.
        assert!(
            line.chars().count() <= MAX_LINE_WIDTH + 16,
            "snippet line too wide: {} chars",
            line.chars().count()
        );
    }
    (report.diagnostics, human)
}

/// Byte-level edits of a seed document: flips, insertions of YAML-significant characters,
/// deletions and truncation.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| (0u8, i, b)),
        (
            any::<usize>(),
            prop::sample::select(b":-[]{}&*!|>'\"#%@`,? \n\r\t".to_vec())
        )
            .prop_map(|(i, b)| (1u8, i, b)),
        any::<usize>().prop_map(|i| (2u8, i, 0)),
        any::<usize>().prop_map(|i| (3u8, i, 0)),
    ];
    (
        prop::sample::select(SEEDS.to_vec()),
        prop::collection::vec(edit, 1..8),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = seed.as_bytes().to_vec();
            for (op, i, b) in edits {
                if bytes.is_empty() {
                    break;
                }
                let at = i % bytes.len();
                match op {
                    0 => bytes[at] = b,
                    1 => bytes.insert(at, b),
                    2 => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at),
                }
            }
            bytes
        })
}

/// A seed with other line endings (CR, CRLF, LF CR) and, at a random place, a long run of
/// narrow or double-width characters: findings end up on lines far wider than a terminal.
fn reshaped() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(SEEDS.to_vec()),
        prop::sample::select(vec!["\n", "\r", "\r\n", "\n\r"]),
        any::<usize>(),
        prop::sample::select(vec!["x", "中", "é", "\t", " ", "\"", "{a: "]),
        0usize..70_000,
        any::<bool>(),
    )
        .prop_map(|(seed, eol, at, unit, count, join)| {
            let mut text = seed.replace('\n', eol);
            let at = (0..=at % (text.len() + 1))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text.insert_str(at, &unit.repeat(count));
            if join {
                // Minified: the whole stream on one line, as flow YAML would be.
                text = text.replace(eol, " ");
            }
            text.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(bytes);
    }

    #[test]
    fn random_yaml_like_text_never_panics(text in "[a-z:\\-\\[\\]{}&*!|>'\" \n\r#,0-9.中]{0,400}") {
        check(text.into_bytes());
    }

    #[test]
    fn mutated_manifests_never_panic(bytes in mutated()) {
        check(bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn long_lines_and_odd_line_endings_never_panic(bytes in reshaped()) {
        check(bytes);
    }
}

// Regression cases: each once crashed (exit 101) or exhausted memory.

const VS_HEAD: &str = r#"{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"r","namespace":"default","annotations":{"pad":""#;
const VS_TAIL: &str = r#""}},"spec":{"hosts":["a"],"http":[{"route":[{"destination":{"host":"a"}}],"timeout":"bogus"}]}}"#;

fn column_of(human: &str, file_line: usize) -> Option<usize> {
    let at = human.find(&format!("[fuzz.yaml:{file_line}:"))?;
    let rest = human.get(at + format!("[fuzz.yaml:{file_line}:").len()..)?;
    rest.split(']').next()?.parse().ok()
}

#[test]
fn minified_json_with_a_finding_past_column_65535() {
    let text = format!("{VS_HEAD}{}{VS_TAIL}", "x".repeat(100_000));
    let (diags, human) = check(text.clone().into_bytes());
    let d = diags
        .iter()
        .find(|d| d.code == "MSH1012")
        .expect("the bad timeout is reported");
    let (line, col) = d.location.as_ref().expect("located").start();
    let expected = text.find("\"bogus\"").expect("in the text") + 1;
    assert_eq!((line, col), (1, expected));
    assert_eq!(column_of(&human, 1), Some(expected), "{human}");
    assert!(human.contains("…"), "the line is cut: {human}");
    assert!(human.contains("\"timeout\":\"bogus\""), "{human}");
}

#[test]
fn double_width_line_past_65535_columns() {
    // 40,000 characters, but 80,000 columns: the limit is display width.
    let text = format!(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{annotations: {{a: \"{}\"}}, name: Bad_Name}}\nspec: {{hosts: [a], http: [{{route: [{{destination: {{host: a}}}}]}}]}}\n",
        "中".repeat(40_000)
    );
    let (diags, human) = check(text.into_bytes());
    let d = diags
        .iter()
        .find(|d| d.code == "MSH1005")
        .expect("the bad name is reported");
    let (line, col) = d.location.as_ref().expect("located").start();
    assert_eq!((line, col), (3, 40_040));
    assert!(human.contains("[fuzz.yaml:3:40040]"), "{human}");
    assert!(human.contains("name: Bad_Name}"), "{human}");
}

#[test]
fn cr_only_file_over_64_kb_has_the_right_lines() {
    let text = common::cr_only_virtual_services();
    let (diags, human) = check(text.into_bytes());
    assert_eq!(diags.len(), 1, "{human}");
    let (line, col) = diags[0].location.as_ref().expect("located").start();
    // 12 lines per document; the 401st document's timeout is on its 9th line.
    assert_eq!((line, col), (400 * 12 + 9, 14));
    assert!(human.contains("[fuzz.yaml:4809:14]"), "{human}");
    assert!(human.contains("4809 │   - timeout: bogus\n"), "{human}");
}

#[test]
fn crlf_and_lf_cr_line_endings_count_like_yaml() {
    let base = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [a]\n  http:\n  - timeout: bogus\n    route: [{destination: {host: a}}]\n";
    for (eol, line) in [("\n", 7), ("\r\n", 7), ("\r", 7), ("\n\r", 13)] {
        let (diags, _) = check(base.replace('\n', eol).into_bytes());
        let d = diags
            .iter()
            .find(|d| d.code == "MSH1012")
            .expect("reported");
        assert_eq!(
            d.location.as_ref().expect("located").start(),
            (line, 14),
            "{eol:?}"
        );
    }
}

#[test]
fn aliased_large_string_is_bounded_and_located() {
    // 63 KB of input that would expand to ~5 GB: a 60 KB string, 300 aliases of it, and 300
    // aliases of that list.
    let mut text = format!("a: &s {}\n", "A".repeat(60_000));
    text.push_str(&format!("b: &l [{}]\n", vec!["*s"; 300].join(", ")));
    text.push_str(&format!("c: [{}]\n", vec!["*l"; 300].join(", ")));
    let start = std::time::Instant::now();
    let (diags, human) = check(text.into_bytes());
    assert!(start.elapsed().as_secs() < 10);
    let d = diags
        .iter()
        .find(|d| d.code == "MSH0003")
        .expect("alias limit reported");
    let (line, _) = d.location.as_ref().expect("located").start();
    assert_eq!(line, 2);
    assert!(human.contains("[fuzz.yaml:2:"), "{human}");
}

#[test]
fn fifty_megabyte_one_line_object() {
    let mut text = String::with_capacity(50_000_200);
    text.push_str(
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"k":""#,
    );
    text.push_str(&"x".repeat(50_000_000));
    text.push_str(r#""},"extra":1}"#);
    let at = text.len() - 10;
    let (diags, human) = check(text.into_bytes());
    let d = diags
        .iter()
        .find(|d| d.code == "MSH1006")
        .expect("unknown field reported");
    assert_eq!(d.location.as_ref().expect("located").start(), (1, at + 1));
    assert!(
        human.len() < 10_000,
        "{} bytes of human output",
        human.len()
    );
}
