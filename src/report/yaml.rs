//! A small YAML emitter for meshctl's own output (`-o yaml`): block style, keys in the order
//! given, strings quoted whenever a plain scalar could be read back as something else, and
//! multi-line strings as literal blocks (`|`) so that embedded documents stay readable.

use serde_json::Value;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    emit(v, 0, &mut out, false);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn emit(v: &Value, indent: usize, out: &mut String, inline_first: bool) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) if !map.is_empty() => {
            for (i, (k, val)) in map.iter().enumerate() {
                if !(i == 0 && inline_first) {
                    out.push_str(&pad);
                }
                out.push_str(&scalar_str(k));
                out.push(':');
                write_child(val, indent, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if !(i == 0 && inline_first) {
                    out.push_str(&pad);
                }
                out.push_str("- ");
                match item {
                    Value::Object(m) if !m.is_empty() => emit(item, indent + 2, out, true),
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        emit(item, indent + 2, out, false)
                    }
                    _ => {
                        out.push_str(&scalar(item));
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn write_child(val: &Value, indent: usize, out: &mut String) {
    match val {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit(val, indent + 2, out, false);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            emit(val, indent, out, false);
        }
        Value::String(text) if literal_ok(text) => {
            let body = text.trim_end_matches('\n');
            let chomp = match text.len() - body.len() {
                0 => "-",
                1 => "",
                _ => "+",
            };
            out.push_str(&format!(" |{chomp}\n"));
            let pad = " ".repeat(indent + 2);
            for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
                if !line.is_empty() {
                    out.push_str(&pad);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(val));
            out.push('\n');
        }
    }
}

/// Whether a string reads back unchanged as a literal block: several lines, no control
/// characters but newlines, and a first line that does not start with a space (which would
/// be taken for indentation).
fn literal_ok(s: &str) -> bool {
    s.trim_end_matches('\n').contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.chars().any(|c| c.is_control() && c != '\n')
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_str(s),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

fn scalar_str(s: &str) -> String {
    let needs_quotes = s.is_empty()
        || s.starts_with(|c: char| " -?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_ascii_digit())
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains('\n')
        || s.chars().any(char::is_control)
        || !matches!(
            crate::load::resolve::resolve_plain(s),
            crate::load::Value::Str(_)
        );
    if needs_quotes {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emits_block_yaml() {
        let v = json!({"a": 1, "b": ["x", {"c": "yes", "d": null}], "e": {}, "f": "1.0"});
        assert_eq!(
            to_yaml(&v),
            "a: 1\nb:\n- x\n- c: \"yes\"\n  d: null\ne: {}\nf: \"1.0\"\n"
        );
    }

    #[test]
    fn multi_line_strings_are_literal_blocks_that_read_back_unchanged() {
        let cases = [
            "line one\n  indented: {x}\n\nlast\n",
            "no final newline\nsecond",
            "two final newlines\nx\n\n",
            " leading space\nx\n",
            "tab\there\nx\n",
            "one line\n",
        ];
        for text in cases {
            let v = json!({"outer": {"text": text}, "list": [{"text": text}]});
            let yaml = to_yaml(&v);
            let mut back = Vec::new();
            crate::load::yaml::parse_stream(&yaml, 0, |doc| {
                assert!(doc.errors.is_empty(), "{yaml}: {:?}", doc.errors);
                back.extend(doc.root.map(|r| r.to_json()));
            });
            assert_eq!(back, vec![v], "{yaml}");
        }
        assert!(to_yaml(&json!({"t": "a\nb\n"})).contains("t: |\n  a\n  b\n"));
    }
}
