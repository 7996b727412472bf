//! Completion for `kubectl mesh ...`. kubectl (1.26 and newer) completes a plugin's arguments
//! by running `kubectl_complete-<plugin>` from PATH with the words after the plugin name, the
//! last being the word being completed, and reads the answer in cobra's `__complete` format:
//! one candidate per line (`candidate<TAB>description`), then `:<directive>`.
//!
//! The candidates come from the same clap command tree as `meshctl completions`, so the two
//! never disagree: subcommands, flags (long and short), and the values of flags that have a
//! fixed set (`-o json`); anything else (paths, names) is left to the shell's file completion.

use clap::CommandFactory;

use super::Cli;

/// cobra's `ShellCompDirective` bits used here.
const DIRECTIVE_DEFAULT: u32 = 0;
const DIRECTIVE_NO_FILE_COMP: u32 = 4;

/// The entry point of the `kubectl_complete-mesh` executable.
pub fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    print!("{}", complete(&args));
    std::process::ExitCode::SUCCESS
}

/// The cobra-format answer for the words after `kubectl mesh`.
pub fn complete(args: &[String]) -> String {
    let mut root = Cli::command();
    root.build();
    let (done, word) = match args.split_last() {
        Some((last, rest)) => (rest, last.as_str()),
        None => (&[][..], ""),
    };

    // Walk the finished words: descend into subcommands, skip flag values.
    let mut cmd = &root;
    let mut positional_seen = false;
    let mut pending_value: Option<&clap::Arg> = None;
    for w in done {
        if pending_value.take().is_some() {
            continue;
        }
        if let Some(arg) = flag(cmd, w) {
            if takes_value(arg) && !w.contains('=') && !is_short_with_value(w) {
                pending_value = Some(arg);
            }
            continue;
        }
        if !positional_seen
            && let Some(sub) = cmd
                .get_subcommands()
                .find(|s| s.get_name() == w || s.get_all_aliases().any(|a| a == w))
        {
            cmd = sub;
            continue;
        }
        positional_seen = true;
    }

    let mut out = String::new();
    let directive;
    if let Some(arg) = pending_value {
        // The word is the value of the flag before it.
        directive = values(arg, word, "", &mut out);
    } else if let Some((name, value)) = word.split_once('=').filter(|_| word.starts_with("--")) {
        directive = match flag(cmd, name) {
            Some(arg) => values(arg, value, &format!("{name}="), &mut out),
            None => DIRECTIVE_NO_FILE_COMP,
        };
    } else if word.starts_with('-') {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let help = describe(arg.get_help());
            if let Some(long) = arg.get_long() {
                candidate(&mut out, &format!("--{long}"), &help, word);
            }
            if let Some(short) = arg.get_short()
                && !word.starts_with("--")
            {
                candidate(&mut out, &format!("-{short}"), &help, word);
            }
        }
        directive = DIRECTIVE_NO_FILE_COMP;
    } else if !positional_seen && cmd.has_subcommands() {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            candidate(&mut out, sub.get_name(), &describe(sub.get_about()), word);
        }
        directive = DIRECTIVE_NO_FILE_COMP;
    } else {
        // A positional argument: its fixed values, else files.
        let positional = cmd
            .get_positionals()
            .find(|a| !a.get_possible_values().is_empty());
        directive = match positional {
            Some(arg) if !positional_seen => values(arg, word, "", &mut out),
            _ => DIRECTIVE_DEFAULT,
        };
    }
    out.push_str(&format!(":{directive}\n"));
    out
}

/// The flag a word names: `--output`, `--output=json`, `-o`, `-ojson`.
fn flag<'c>(cmd: &'c clap::Command, word: &str) -> Option<&'c clap::Arg> {
    if let Some(long) = word.strip_prefix("--") {
        let name = long.split_once('=').map_or(long, |(n, _)| n);
        return cmd.get_arguments().find(|a| {
            a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name))
        });
    }
    let mut chars = word.strip_prefix('-')?.chars();
    let c = chars.next()?;
    cmd.get_arguments().find(|a| a.get_short() == Some(c))
}

fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_num_args()
        .is_some_and(|n| n.takes_values() && n.min_values() > 0)
        || (arg.get_num_args().is_none() && arg.get_action().takes_values())
}

/// `-ojson`: a short flag with its value attached.
fn is_short_with_value(word: &str) -> bool {
    !word.starts_with("--") && word.len() > 2
}

/// Candidates for a flag's value: its fixed set, or files when it has none.
fn values(arg: &clap::Arg, word: &str, prefix: &str, out: &mut String) -> u32 {
    let possible = arg.get_possible_values();
    if possible.is_empty() {
        return DIRECTIVE_DEFAULT;
    }
    for v in possible.iter().filter(|v| !v.is_hide_set()) {
        let text = format!("{prefix}{}", v.get_name());
        candidate(
            out,
            &text,
            &describe(v.get_help()),
            &format!("{prefix}{word}"),
        );
    }
    DIRECTIVE_NO_FILE_COMP
}

fn candidate(out: &mut String, text: &str, help: &str, word: &str) {
    if !text.starts_with(word) {
        return;
    }
    out.push_str(text);
    if !help.is_empty() {
        out.push('\t');
        out.push_str(help);
    }
    out.push('\n');
}

/// The first line of a help text, without tabs or newlines (they would break the format).
fn describe(help: Option<&clap::builder::StyledStr>) -> String {
    help.map(|h| h.to_string())
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .replace('\t', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(words: &[&str]) -> (Vec<String>, String) {
        let args: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        let out = complete(&args);
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        let directive = lines.pop().unwrap_or_default();
        let names = lines
            .iter()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect();
        (names, directive)
    }

    #[test]
    fn subcommands_complete_at_the_top() {
        let (names, directive) = ask(&["va"]);
        assert_eq!(names, ["validate"]);
        assert_eq!(directive, ":4");
        let (names, _) = ask(&[""]);
        assert!(names.contains(&"analyze".to_string()) && names.contains(&"diff".to_string()));
        assert!(
            !names.contains(&"man".to_string()),
            "hidden commands stay hidden"
        );
    }

    #[test]
    fn flags_and_their_fixed_values() {
        let (names, _) = ask(&["validate", "--out"]);
        assert_eq!(names, ["--output"]);
        let (names, directive) = ask(&["validate", "-o", "j"]);
        assert_eq!(names, ["json", "junit"]);
        assert_eq!(directive, ":4");
        let (names, _) = ask(&["validate", "--output=s"]);
        assert_eq!(names, ["--output=sarif"]);
        let (names, _) = ask(&["analyze", "--color", ""]);
        assert!(names.contains(&"never".to_string()), "{names:?}");
    }

    #[test]
    fn paths_are_left_to_the_shell() {
        assert_eq!(ask(&["validate", ""]).1, ":0");
        assert_eq!(ask(&["validate", "-f", ""]).1, ":0");
        // After a flag value, a path again.
        assert_eq!(ask(&["validate", "-o", "json", ""]).1, ":0");
        assert_eq!(ask(&["validate", "-ojson", ""]).1, ":0");
    }

    #[test]
    fn positional_values_complete() {
        let (names, _) = ask(&["completions", "b"]);
        assert_eq!(names, ["bash"]);
    }
}
