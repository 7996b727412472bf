//! The structural schema walk: checks a spanned YAML node against a model type (`Ty`) and, in
//! the same pass, builds the JSON value the typed rules deserialise. Fields the schema does not
//! know, or whose values have the wrong type, are reported and left out of that value — the way
//! the API server prunes and rejects them — so one typo never hides the semantic findings of the
//! rest of the object.

use serde_json::{Map, Value as Json};

use crate::check::suggest;
use crate::load::node::{push_index, push_key};
use crate::load::resolve::yaml11_surprise;
use crate::load::{Node, Span, Value};
use crate::model::kinds::Decoding;
use crate::model::schema::{Constraints, StructDesc, Ty, parse_duration};

/// A schema finding, already located (the walker has the node at hand).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaFinding {
    pub code: &'static str,
    pub path: String,
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
}

pub struct Walker<'a> {
    pub text: &'a str,
    pub decoding: Decoding,
    pub findings: Vec<SchemaFinding>,
    /// Whether to build the pruned JSON value. Without it the walk only checks (and returns
    /// `Json::Null` for accepted values); callers then decode straight from the tree.
    build: bool,
}

impl<'a> Walker<'a> {
    pub fn new(text: &'a str, decoding: Decoding) -> Self {
        Walker {
            text,
            decoding,
            findings: Vec::new(),
            build: true,
        }
    }

    /// A walker that only checks.
    pub fn checking(text: &'a str, decoding: Decoding) -> Self {
        Walker {
            build: false,
            ..Walker::new(text, decoding)
        }
    }

    fn report(
        &mut self,
        code: &'static str,
        path: &str,
        span: Span,
        message: String,
        help: Option<String>,
    ) {
        self.findings.push(SchemaFinding {
            code,
            path: path.to_string(),
            message,
            help,
            span,
        });
    }

    fn type_error(&mut self, node: &Node, ty: &Ty, path: &str) {
        let raw = self.text.get(node.span.range()).unwrap_or("");
        let shown = match &node.value {
            Value::Str(s) => format!("{s:?}"),
            Value::Seq(_) | Value::Map(_) => node.kind_name().to_string(),
            _ => raw.to_string(),
        };
        let help = match (&node.value, ty) {
            (
                Value::Bool(_) | Value::Int(_) | Value::Float(_),
                Ty::Str | Ty::Enum(_) | Ty::Duration,
            ) if node.plain => {
                if yaml11_surprise(raw) {
                    Some(format!(
                        "Kubernetes reads the unquoted {raw} as a {} (YAML 1.1 rules); quote it: \"{raw}\"",
                        node.kind_name()
                    ))
                } else {
                    Some(format!("quote it to make it a string: \"{raw}\""))
                }
            }
            _ => None,
        };
        let at = if path.is_empty() { "value" } else { path };
        self.report(
            "MSH1007",
            path,
            node.span,
            format!(
                "{at} must be of type {}, not {} ({shown})",
                ty.type_name(),
                node.kind_name()
            ),
            help,
        );
    }

    /// Walks `node` as a `ty`; returns the accepted JSON value, or `None` when the value is
    /// rejected (or is a null that counts as absent).
    pub fn walk(&mut self, node: &Node, ty: Ty, path: &mut String, nullable: bool) -> Option<Json> {
        self.walk_constrained(node, ty, path, nullable, &Constraints::NONE)
    }

    /// [`Walker::walk`] for a field (or list item, or map value) whose schema declares
    /// `constraints`. A value that breaks a constraint is reported but kept in the built JSON:
    /// its type is right, so the typed rules can still read the rest of the object.
    fn walk_constrained(
        &mut self,
        node: &Node,
        ty: Ty,
        path: &mut String,
        nullable: bool,
        constraints: &'static Constraints,
    ) -> Option<Json> {
        let value = self.walk_value(node, ty, path, nullable, constraints.items);
        if value.is_some() && !constraints.is_none() {
            self.check_constraints(node, path, constraints);
        }
        value
    }

    /// The checks of `constraints` on an accepted value, worded as the apiextensions API
    /// server words them (kube-openapi's messages behind `field.Invalid`, and `field.TooLong`
    /// / `field.TooMany`), one finding per value at most, in the API server's order.
    fn check_constraints(&mut self, node: &Node, path: &str, c: &Constraints) {
        let message = match &node.value {
            Value::Str(s) => {
                let len = s.chars().count();
                if let Some(max) = c.max_length.filter(|max| len > *max) {
                    let unit = if max == 1 { "byte" } else { "bytes" };
                    Some(format!(
                        "{path}: Too long: may not be more than {max} {unit}"
                    ))
                } else if let Some(min) = c.min_length.filter(|min| len < *min) {
                    Some(format!(
                        "{path}: Invalid value: {s:?}: {path} in body should be at least {min} chars long"
                    ))
                } else {
                    c.pattern.filter(|p| !p.is_match(s)).map(|p| {
                        format!(
                            "{path}: Invalid value: {s:?}: {path} in body should match '{}'",
                            p.source
                        )
                    })
                }
            }
            Value::Int(_) | Value::Float(_) => {
                let v = match node.value {
                    Value::Int(i) => i as f64,
                    Value::Float(f) => f,
                    _ => 0.0,
                };
                let shown = match node.value {
                    Value::Int(i) => i.to_string(),
                    _ => v.to_string(),
                };
                if let Some(min) = c.minimum.filter(|min| v < *min as f64) {
                    Some(format!(
                        "{path}: Invalid value: {shown}: {path} in body should be greater than or equal to {min}"
                    ))
                } else {
                    c.maximum.filter(|max| v > *max as f64).map(|max| {
                        format!(
                            "{path}: Invalid value: {shown}: {path} in body should be less than or equal to {max}"
                        )
                    })
                }
            }
            Value::Seq(items) => {
                count_message(path, items.len(), c.min_items, c.max_items, "items")
            }
            Value::Map(entries) => count_message(
                path,
                entries.len(),
                c.min_properties,
                c.max_properties,
                "properties",
            ),
            _ => None,
        };
        if let Some(message) = message {
            self.report("MSH1011", path, node.span, message, None);
        }
    }

    fn walk_value(
        &mut self,
        node: &Node,
        ty: Ty,
        path: &mut String,
        nullable: bool,
        items: Option<&'static Constraints>,
    ) -> Option<Json> {
        let each: &'static Constraints = items.unwrap_or(&Constraints::NONE);
        if let Value::Null = node.value {
            // By now (`apiserver::prepare`) a custom resource keeps only the nulls the API
            // server keeps: those of nullable fields, and list items, which it rejects.
            if nullable || self.decoding == Decoding::BuiltIn {
                return None;
            }
            let at = if path.is_empty() {
                "value"
            } else {
                path.as_str()
            };
            let message = format!("{at} must be of type {}, not null", ty.type_name());
            let p = path.clone();
            self.report(
                "MSH1007",
                &p,
                node.span,
                message,
                Some(if p.ends_with(']') {
                    "remove the item, or give it a value; the API server keeps nulls in lists and rejects them".to_string()
                } else {
                    "remove the field, or give it a value".to_string()
                }),
            );
            return None;
        }
        match ty {
            Ty::Any => Some(if self.build {
                node.to_json()
            } else {
                Json::Null
            }),
            Ty::Bool => match node.value {
                Value::Bool(b) => Some(Json::Bool(b)),
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
            Ty::Int { min, max } => {
                let v = match node.value {
                    Value::Int(i) => Some(i),
                    Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
                    _ => None,
                };
                match v {
                    Some(i) if i < min || i > max => {
                        let p = path.clone();
                        self.report(
                            "MSH1011",
                            &p,
                            node.span,
                            format!("{p} {i} is out of range ({min}..{max})"),
                            None,
                        );
                        None
                    }
                    Some(i) => Some(Json::from(i)),
                    None => {
                        self.type_error(node, &ty, path);
                        None
                    }
                }
            }
            Ty::Float => match node.value {
                Value::Int(i) => Some(Json::from(i)),
                Value::Float(f) => serde_json::Number::from_f64(f).map(Json::Number),
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
            Ty::Str => match &node.value {
                Value::Str(s) => Some(if self.build {
                    Json::String(s.to_string())
                } else {
                    Json::Null
                }),
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
            Ty::Duration => {
                match &node.value {
                    Value::Str(s) => {
                        if parse_duration(s).is_some() {
                            Some(Json::String(s.to_string()))
                        } else {
                            let p = path.clone();
                            self.report(
                            "MSH1012",
                            &p,
                            node.span,
                            format!("{p}: invalid duration {s:?}"),
                            Some("write a number with a unit, e.g. \"10s\", \"1.5s\" or \"250ms\"".to_string()),
                        );
                            None
                        }
                    }
                    _ => {
                        self.type_error(node, &ty, path);
                        None
                    }
                }
            }
            Ty::IntOrStr => match &node.value {
                Value::Int(i) => Some(Json::from(*i)),
                Value::Str(s) => Some(Json::String(s.to_string())),
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
            Ty::Enum(desc) => match &node.value {
                Value::Str(s) if desc.values.contains(&s.as_str()) => Some(if self.build {
                    Json::String(s.to_string())
                } else {
                    Json::Null
                }),
                Value::Str(s) => {
                    let list = desc
                        .values
                        .iter()
                        .map(|v| format!("{v:?}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let help = match suggest(s, desc.values.iter().copied()) {
                        Some(c) => format!("did you mean {c:?}? supported values: {list}"),
                        None => format!("supported values: {list}"),
                    };
                    let p = path.clone();
                    self.report(
                        "MSH1008",
                        &p,
                        node.span,
                        format!("{p}: Unsupported value: {s:?}"),
                        Some(help),
                    );
                    None
                }
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
            Ty::List(item) => match &node.value {
                Value::Seq(items) => {
                    let item_ty = item();
                    let mut out = Vec::with_capacity(if self.build { items.len() } else { 0 });
                    for (i, n) in items.iter().enumerate() {
                        let len = path.len();
                        push_index(path, i);
                        if let Some(v) = self.walk_constrained(n, item_ty, path, false, each)
                            && self.build
                        {
                            out.push(v);
                        }
                        path.truncate(len);
                    }
                    Some(Json::Array(out))
                }
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
            Ty::Map(value) => match &node.value {
                Value::Map(entries) => {
                    let value_ty = value();
                    let mut out = Map::new();
                    for e in entries {
                        let len = path.len();
                        push_key(path, &e.key);
                        if let Some(v) =
                            self.walk_constrained(&e.value, value_ty, path, false, each)
                            && self.build
                        {
                            out.insert(e.key.to_string(), v);
                        }
                        path.truncate(len);
                    }
                    Some(Json::Object(out))
                }
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
            Ty::Struct(desc) => match &node.value {
                Value::Map(_) => Some(Json::Object(self.walk_struct(node, desc, path))),
                _ => {
                    self.type_error(node, &ty, path);
                    None
                }
            },
        }
    }

    fn walk_struct(
        &mut self,
        node: &Node,
        desc: &'static StructDesc,
        path: &mut String,
    ) -> Map<String, Json> {
        let mut out = Map::new();
        let Value::Map(entries) = &node.value else {
            return out;
        };
        for e in entries {
            let len = path.len();
            push_key(path, &e.key);
            match desc.field(&e.key) {
                Some(field) => {
                    if let Some(v) = self.walk_constrained(
                        &e.value,
                        (field.ty)(),
                        path,
                        field.nullable(),
                        field.constraints,
                    ) {
                        // Presence matters for one-of groups even when nothing is built.
                        out.insert(e.key.to_string(), if self.build { v } else { Json::Null });
                    }
                }
                None => {
                    let names = desc.fields.iter().map(|f| f.name);
                    let help = match suggest(&e.key, names) {
                        Some(c) => Some(format!("did you mean `{c}`?")),
                        None => Some(format!(
                            "{} has the fields: {}",
                            desc.name,
                            desc.fields
                                .iter()
                                .map(|f| f.name)
                                .filter(|n| !n.starts_with("__"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    let p = path.clone();
                    self.report(
                        "MSH1006",
                        &p,
                        e.key_span,
                        format!("unknown field {:?}", e.key),
                        help,
                    );
                }
            }
            path.truncate(len);
        }
        for group in desc.oneofs {
            let set: Vec<&str> = group
                .iter()
                .copied()
                .filter(|m| out.contains_key(*m))
                .collect();
            if set.len() > 1 {
                let second = set[1];
                let span = entries
                    .iter()
                    .find(|e| e.key == second)
                    .map_or(node.span, |e| e.key_span);
                let len = path.len();
                push_key(path, second);
                let p = path.clone();
                path.truncate(len);
                self.report(
                    "MSH1009",
                    &p,
                    span,
                    format!(
                        "only one of {} may be set, found {}",
                        group.join(", "),
                        set.join(" and ")
                    ),
                    Some(format!("keep one of {}", set.join(", "))),
                );
            }
        }
        for field in desc.fields.iter().filter(|f| f.required()) {
            if !entries.iter().any(|e| e.key == field.name) {
                let len = path.len();
                push_key(path, field.name);
                let p = path.clone();
                path.truncate(len);
                self.report(
                    "MSH1010",
                    &p,
                    node.span,
                    format!("{p}: Required value"),
                    Some(format!("add `{}`", field.name)),
                );
            }
        }
        out
    }
}

/// `maxItems` / `maxProperties` (`field.TooMany`, which says "items" for maps too) and
/// `minItems` / `minProperties` (kube-openapi's message behind `field.Invalid`).
fn count_message(
    path: &str,
    len: usize,
    min: Option<usize>,
    max: Option<usize>,
    what: &str,
) -> Option<String> {
    if let Some(max) = max.filter(|max| len > *max) {
        let unit = if max == 1 { "item" } else { "items" };
        return Some(format!(
            "{path}: Too many: {len}: must have at most {max} {unit}"
        ));
    }
    min.filter(|min| len < *min).map(|min| {
        format!("{path}: Invalid value: {len}: {path} in body should have at least {min} {what}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_stream;
    use crate::model::schema::Schema;
    use crate::{api_struct, pattern};

    pattern!(LOWER = "^[a-z]+$");

    api_struct! {
        /// A type declaring one constraint of each kind.
        pub struct Sample {
            name: Option<String> => "name" [min_length: 2, max_length: 4, pattern: LOWER],
            hosts: Vec<String> => "hosts" [min_items: 1, max_items: 2, items: [max_length: 3]],
            labels: BTreeMap<String, String> => "labels" [max_properties: 1, items: [min_length: 1]],
            port: Option<i32> => "port" [minimum: 1, maximum: 65535],
        }
    }
    use std::collections::BTreeMap;

    /// The schema findings of `yaml` walked as a `Sample`, as (code, path, message), in both
    /// walk modes (they must agree).
    fn findings(yaml: &str) -> Vec<(&'static str, String, String)> {
        let mut root = None;
        parse_stream(yaml, 0, |doc| root = root.take().or(doc.root));
        let Some(node) = root else {
            panic!("no document in {yaml:?}")
        };
        let mut all = Vec::new();
        for build in [false, true] {
            let mut w = if build {
                Walker::new(yaml, Decoding::Crd)
            } else {
                Walker::checking(yaml, Decoding::Crd)
            };
            let value = w.walk(&node, Sample::ty(), &mut String::new(), false);
            assert!(value.is_some(), "a constraint never prunes the object");
            let got: Vec<_> = w
                .findings
                .into_iter()
                .map(|f| (f.code, f.path, f.message))
                .collect();
            all.push(got);
        }
        let built = all.pop().unwrap_or_default();
        assert_eq!(all.pop().unwrap_or_default(), built);
        built
    }

    fn messages(yaml: &str) -> Vec<String> {
        findings(yaml).into_iter().map(|(_, _, m)| m).collect()
    }

    #[test]
    fn values_at_the_bounds_pass() {
        for ok in [
            "name: ab\nhosts: [abc]\nlabels: {a: b}\nport: 1",
            "name: abcd\nhosts: [a, abc]\nport: 65535",
            "{}",
        ] {
            assert_eq!(findings(ok), vec![], "{ok}");
        }
    }

    #[test]
    fn strings_length_then_pattern() {
        assert_eq!(
            messages("name: abcde"),
            ["name: Too long: may not be more than 4 bytes"]
        );
        assert_eq!(
            messages("name: a"),
            ["name: Invalid value: \"a\": name in body should be at least 2 chars long"]
        );
        assert_eq!(
            messages("name: aB"),
            ["name: Invalid value: \"aB\": name in body should match '^[a-z]+$'"]
        );
        // Lengths count characters, as OpenAPI does, not bytes.
        assert_eq!(messages("hosts: [éé]"), Vec::<String>::new());
        assert_eq!(
            messages("hosts: [éééé]"),
            ["hosts[0]: Too long: may not be more than 3 bytes"]
        );
    }

    #[test]
    fn item_and_property_counts() {
        assert_eq!(
            messages("hosts: [a, b, c]"),
            ["hosts: Too many: 3: must have at most 2 items"]
        );
        assert_eq!(
            messages("hosts: []"),
            ["hosts: Invalid value: 0: hosts in body should have at least 1 items"]
        );
        assert_eq!(
            messages("labels: {a: b, c: d}"),
            ["labels: Too many: 2: must have at most 1 item"]
        );
        assert_eq!(
            messages("labels: {a: ''}"),
            ["labels.a: Invalid value: \"\": labels.a in body should be at least 1 chars long"]
        );
    }

    #[test]
    fn integer_bounds() {
        assert_eq!(
            messages("port: 0"),
            ["port: Invalid value: 0: port in body should be greater than or equal to 1"]
        );
        assert_eq!(
            messages("port: 65536"),
            ["port: Invalid value: 65536: port in body should be less than or equal to 65535"]
        );
        let codes: Vec<&str> = findings("port: 0\nname: A1")
            .into_iter()
            .map(|(c, _, _)| c)
            .collect();
        assert_eq!(codes, ["MSH1011", "MSH1011"]);
    }

    #[test]
    fn a_mistyped_value_is_not_also_checked_against_constraints() {
        let f = findings("name: 12345\nhosts: a");
        let codes: Vec<&str> = f.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(codes, ["MSH1007", "MSH1007"], "{f:?}");
    }
}
