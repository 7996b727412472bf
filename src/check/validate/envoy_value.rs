//! Decodes an EnvoyFilter `patch.value` into the Envoy message its `applyTo` names, the way
//! istiod's webhook does (`xds.BuildXDSObjectFromStruct`): the value, a `google.protobuf.Struct`,
//! is read by the legacy `jsonpb` unmarshaler against Envoy's xDS types, resolving each
//! `typed_config` (a `google.protobuf.Any`) by its `@type`. What does not decode is rejected;
//! unknown fields are allowed and only warned about (istiod's second, strict pass).
//!
//! The field types come from Envoy's own descriptors (`envoy_descriptors.bin`, generated from the
//! published `envoy-types` crate by `scripts/gen-envoy-descriptors.py`), read with
//! `prost-reflect`; nothing here lists Envoy's fields by hand. What this module encodes is
//! `jsonpb`'s behaviour: numbers may be quoted, a field may be named by its proto or JSON name,
//! `null` is skipped, durations use Go's `time.ParseDuration` syntax ("100ms", "1m30s"), enums
//! take names or numbers.
//!
//! istiod knows more `@type`s than these descriptors hold (Envoy's contrib extensions, Istio's
//! own filters): a type whose package the descriptors do not have is taken on trust and its
//! value not decoded. The cncf/xds `TypedStruct` (two fields) is read here. A type missing from a package they do have
//! (a misspelt message name), an empty or package-less type, and the removed v2 API are
//! rejected, as istiod rejects them.

use std::collections::HashSet;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use prost_reflect::{DescriptorPool, FieldDescriptor, Kind, MessageDescriptor};
use serde_json::{Map, Value};

use crate::load::node::push_key;
use crate::model::networking::envoy_filter::ApplyTo;

static DESCRIPTORS: &[u8] = include_bytes!("envoy_descriptors.bin");

/// The two `TypedStruct` messages of cncf/xds, which istiod resolves but Envoy's descriptor set
/// does not include; their two fields are read by [`Decoder::typed_struct`].
const TYPED_STRUCTS: [&str; 2] = ["udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct"];

/// Nesting deeper than this is not decoded (YAML input is bounded, but a value can nest
/// `typed_config`s and lists arbitrarily; istiod's own limit is the request size).
const MAX_DEPTH: usize = 200;

struct Envoy {
    pool: DescriptorPool,
    packages: HashSet<String>,
}

fn envoy() -> Option<&'static Envoy> {
    static ENVOY: OnceLock<Option<Envoy>> = OnceLock::new();
    ENVOY
        .get_or_init(|| {
            let pool = DescriptorPool::decode(DESCRIPTORS).ok()?;
            let packages = pool.files().map(|f| f.package_name().to_string()).collect();
            Some(Envoy { pool, packages })
        })
        .as_ref()
}

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A `google.protobuf.Any` whose `@type` is missing, not a string or names no known type.
    AnyType,
    /// A value that does not decode into its field: wrong JSON type, a number out of range or
    /// not whole, an unknown enum name, a malformed duration, bytes or timestamp.
    Value,
    /// A field the Envoy message does not have (istiod warns, the strict pass).
    UnknownField,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub problem: Problem,
    /// The field path: `spec.configPatches[0].patch.value.typed_config.token_bucket.max_tokens`.
    pub path: String,
    /// istiod's message, as its webhook words it.
    pub message: String,
    /// What the field is, in Envoy's terms.
    pub help: Option<String>,
}

/// The outcome of decoding one patch value.
#[derive(Debug, Default)]
pub struct Decoded {
    /// The first value istiod cannot decode (it stops there), if any.
    pub error: Option<Issue>,
    /// When the value decodes: the first unknown field, which istiod's strict pass warns about.
    pub unknown_field: Option<Issue>,
    /// When the value decodes: filters configured by name without `typed_config` (istiod's
    /// `recurseMissingTypedConfig`), innermost first.
    pub missing_typed_config: Vec<String>,
}

/// The Envoy message istiod decodes a patch value into for `applyTo`.
pub fn root_type(apply_to: ApplyTo) -> Option<&'static str> {
    Some(match apply_to {
        ApplyTo::Cluster => "envoy.config.cluster.v3.Cluster",
        ApplyTo::Listener => "envoy.config.listener.v3.Listener",
        ApplyTo::RouteConfiguration => "envoy.config.route.v3.RouteConfiguration",
        ApplyTo::FilterChain => "envoy.config.listener.v3.FilterChain",
        ApplyTo::HttpFilter => {
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter"
        }
        ApplyTo::NetworkFilter => "envoy.config.listener.v3.Filter",
        ApplyTo::VirtualHost => "envoy.config.route.v3.VirtualHost",
        ApplyTo::HttpRoute => "envoy.config.route.v3.Route",
        ApplyTo::ExtensionConfig => "envoy.config.core.v3.TypedExtensionConfig",
        ApplyTo::Bootstrap => "envoy.config.bootstrap.v3.Bootstrap",
        ApplyTo::ListenerFilter => "envoy.config.listener.v3.ListenerFilter",
        ApplyTo::Invalid => return None,
    })
}

/// Decodes `value` (found at the field path `base`) as istiod decodes a patch value for
/// `applyTo`. `None` when there is nothing to decode against (no descriptors, an `applyTo`
/// without a message).
pub fn decode(apply_to: ApplyTo, value: &Value, base: &str) -> Option<Decoded> {
    let envoy = envoy()?;
    let root = envoy.pool.get_message_by_name(root_type(apply_to)?)?;
    let mut decoder = Decoder {
        envoy,
        unknown_field: None,
        depth: 0,
    };
    let mut out = Decoded::default();
    match decoder.message(&root, value, base) {
        Err(e) => out.error = Some(e),
        Ok(()) => {
            out.unknown_field = decoder.unknown_field;
            if let Some(obj) = value.as_object() {
                missing_typed_config(&root, obj, 0, &mut out.missing_typed_config);
            }
        }
    }
    Some(out)
}

struct Decoder<'a> {
    envoy: &'a Envoy,
    unknown_field: Option<Issue>,
    depth: usize,
}

type Step = Result<(), Issue>;

/// The well-known types `jsonpb` reads specially (`wellKnownType` in jsonpb).
fn well_known(md: &MessageDescriptor) -> Option<&str> {
    let name = md.full_name().strip_prefix("google.protobuf.")?;
    matches!(
        name,
        "Empty"
            | "Any"
            | "BoolValue"
            | "BytesValue"
            | "StringValue"
            | "Int32Value"
            | "UInt32Value"
            | "FloatValue"
            | "DoubleValue"
            | "Int64Value"
            | "UInt64Value"
            | "Duration"
            | "Timestamp"
            | "NullValue"
            | "Struct"
            | "Value"
            | "ListValue"
    )
    .then_some(name)
}

fn child(path: &str, key: &str) -> String {
    let mut p = path.to_string();
    push_key(&mut p, key);
    p
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn value_issue(path: &str, message: String, help: Option<String>) -> Issue {
    Issue {
        problem: Problem::Value,
        path: path.to_string(),
        message,
        help,
    }
}

/// Go's `encoding/json` error for a JSON value of the wrong type.
fn mismatch(path: &str, v: &Value, go_type: &str, help: Option<String>) -> Issue {
    value_issue(
        path,
        format!(
            "json: cannot unmarshal {} into Go value of type {go_type}",
            json_type(v)
        ),
        help,
    )
}

/// "`max_tokens` of envoy.type.v3.TokenBucket is a uint32".
fn field_help(fd: &FieldDescriptor) -> String {
    let what = |kind: &Kind| match kind {
        Kind::Message(m) if m.full_name() == "google.protobuf.Duration" => {
            "a duration string such as \"5s\" or \"100ms\"".to_string()
        }
        Kind::Message(m) => match well_known(m) {
            Some(w) if w.ends_with("Value") && w != "Value" && w != "ListValue" => {
                m.get_field(1).map_or_else(
                    || "a value".to_string(),
                    |f| format!("a {}", kind_name(&f.kind())),
                )
            }
            _ => format!("an object ({})", m.full_name()),
        },
        Kind::Enum(e) => format!("an enum ({}): a value name or number", e.full_name()),
        k => format!("a {}", kind_name(k)),
    };
    let shape = if fd.is_map() {
        match fd.kind() {
            Kind::Message(entry) => format!(
                "an object (a map); each value is {}",
                what(&entry.map_entry_value_field().kind())
            ),
            _ => "an object (a map)".to_string(),
        }
    } else if fd.is_list() {
        format!("a list; each item is {}", what(&fd.kind()))
    } else {
        what(&fd.kind())
    };
    format!(
        "`{}` of {} is {shape}",
        fd.name(),
        fd.parent_message().full_name()
    )
}

fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Double => "double",
        Kind::Float => "float",
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => "int32",
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => "int64",
        Kind::Uint32 | Kind::Fixed32 => "uint32",
        Kind::Uint64 | Kind::Fixed64 => "uint64",
        Kind::Bool => "bool",
        Kind::String => "string",
        Kind::Bytes => "bytes",
        Kind::Message(_) => "message",
        Kind::Enum(_) => "enum",
    }
}

impl Decoder<'_> {
    fn message(&mut self, md: &MessageDescriptor, v: &Value, path: &str) -> Step {
        if v.is_null() && md.full_name() != "google.protobuf.Value" {
            return Ok(());
        }
        if self.depth >= MAX_DEPTH {
            return Ok(());
        }
        self.depth += 1;
        let result = self.message_inner(md, v, path);
        self.depth -= 1;
        result
    }

    fn message_inner(&mut self, md: &MessageDescriptor, v: &Value, path: &str) -> Step {
        match well_known(md) {
            Some("Any") => return self.any(v, path),
            Some(
                "BoolValue" | "BytesValue" | "StringValue" | "Int32Value" | "UInt32Value"
                | "FloatValue" | "DoubleValue" | "Int64Value" | "UInt64Value",
            ) => {
                return match md.get_field(1) {
                    Some(fd) => self.singular(&fd.kind(), v, path, None),
                    None => Ok(()),
                };
            }
            Some("Duration") => {
                let Value::String(s) = v else {
                    return Err(mismatch(
                        path,
                        v,
                        "string",
                        Some("a duration is a string such as \"5s\" or \"100ms\"".into()),
                    ));
                };
                return go_duration(s).map_err(|e| {
                    value_issue(
                        path,
                        format!("bad Duration: {e}"),
                        Some("a duration is a number with a unit: ns, us, ms, s, m, h (\"5s\", \"1m30s\")".into()),
                    )
                });
            }
            Some("Timestamp") => {
                let Value::String(s) = v else {
                    return Err(mismatch(path, v, "string", None));
                };
                return if rfc3339(s) {
                    Ok(())
                } else {
                    Err(value_issue(
                        path,
                        format!("bad Timestamp: parsing time {s:?} as RFC 3339"),
                        None,
                    ))
                };
            }
            Some("Value") => return Ok(()),
            Some("ListValue") => {
                return if v.is_array() {
                    Ok(())
                } else {
                    Err(mismatch(path, v, "[]json.RawMessage", None))
                };
            }
            Some("Struct") => {
                return if v.is_object() {
                    Ok(())
                } else {
                    Err(mismatch(path, v, "map[string]json.RawMessage", None))
                };
            }
            _ => {}
        }
        let Value::Object(obj) = v else {
            return Err(mismatch(path, v, "map[string]json.RawMessage", None));
        };
        self.fields(md, obj, path, None)
    }

    /// The fields of a message object; `skip` is a key that is not a field (an Any's `@type`).
    fn fields(
        &mut self,
        md: &MessageDescriptor,
        obj: &Map<String, Value>,
        path: &str,
        skip: Option<&str>,
    ) -> Step {
        let mut used: HashSet<&str> = HashSet::new();
        for fd in md.fields() {
            // jsonpb looks a field up by its proto name, then by its JSON name (which wins).
            let mut found = None;
            for key in [fd.name(), fd.json_name()] {
                if let Some((k, raw)) = obj.get_key_value(key) {
                    used.insert(k.as_str());
                    found = Some((k.as_str(), raw));
                }
            }
            let Some((key, raw)) = found else { continue };
            if raw.is_null() {
                continue;
            }
            self.field(&fd, raw, &child(path, key))?;
        }
        if self.unknown_field.is_none()
            && let Some(key) = obj.keys().find(|k| {
                !used.contains(k.as_str())
                    && Some(k.as_str()) != skip
                    && !(k.starts_with('[') && k.ends_with(']'))
            })
        {
            self.unknown_field = Some(Issue {
                problem: Problem::UnknownField,
                path: child(path, key),
                message: format!("unknown field {key:?} in {}", md.full_name()),
                help: None,
            });
        }
        Ok(())
    }

    fn field(&mut self, fd: &FieldDescriptor, raw: &Value, path: &str) -> Step {
        if fd.is_map() {
            let Value::Object(entries) = raw else {
                return Err(mismatch(
                    path,
                    raw,
                    "map[string]json.RawMessage",
                    Some(field_help(fd)),
                ));
            };
            let Kind::Message(entry) = fd.kind() else {
                return Ok(());
            };
            let key_kind = entry.map_entry_key_field().kind();
            let value_fd = entry.map_entry_value_field();
            for (k, v) in entries {
                let at = child(path, k);
                if !matches!(key_kind, Kind::String) {
                    map_key(&key_kind, k).map_err(|m| value_issue(&at, m, Some(field_help(fd))))?;
                }
                self.singular(&value_fd.kind(), v, &at, Some(fd))?;
            }
            return Ok(());
        }
        if fd.is_list() {
            let Value::Array(items) = raw else {
                return Err(mismatch(
                    path,
                    raw,
                    "[]json.RawMessage",
                    Some(field_help(fd)),
                ));
            };
            let kind = fd.kind();
            for (i, item) in items.iter().enumerate() {
                self.singular(&kind, item, &format!("{path}[{i}]"), Some(fd))?;
            }
            return Ok(());
        }
        self.singular(&fd.kind(), raw, path, Some(fd))
    }

    /// One value of a field (`jsonpb`'s `unmarshalSingularValue`). `null` decodes to the
    /// default of any type.
    fn singular(
        &mut self,
        kind: &Kind,
        v: &Value,
        path: &str,
        fd: Option<&FieldDescriptor>,
    ) -> Step {
        if v.is_null() {
            return Ok(());
        }
        let help = || fd.map(field_help);
        match kind {
            Kind::Message(md) => self.message(md, v, path).map_err(|mut e| {
                if e.help.is_none() && e.path == path {
                    e.help = help();
                }
                e
            }),
            Kind::Bool => match v {
                Value::Bool(_) => Ok(()),
                _ => Err(mismatch(path, v, "bool", help())),
            },
            Kind::String => match v {
                Value::String(_) => Ok(()),
                _ => Err(mismatch(path, v, "string", help())),
            },
            Kind::Bytes => match v {
                Value::String(s) if base64_std(s) => Ok(()),
                Value::String(_) => Err(value_issue(
                    path,
                    "illegal base64 data in a bytes field".into(),
                    help(),
                )),
                Value::Array(items)
                    if items
                        .iter()
                        .all(|i| i.as_u64().is_some_and(|n| n <= 255) || i.is_null()) =>
                {
                    Ok(())
                }
                _ => Err(mismatch(path, v, "[]uint8", help())),
            },
            Kind::Enum(e) => match v {
                Value::String(s) => {
                    if e.get_value_by_name(s).is_some() {
                        Ok(())
                    } else {
                        let names: Vec<String> = e.values().map(|x| x.name().to_string()).collect();
                        Err(value_issue(
                            path,
                            format!("unknown value \"\\\"{s}\\\"\" for enum {}", e.full_name()),
                            Some(format!("one of {}", names.join(", "))),
                        ))
                    }
                }
                Value::Number(_) => number(v, NumType::I32).map_err(|m| {
                    value_issue(path, m.replace("int32", "protoreflect.EnumNumber"), help())
                }),
                _ => Err(mismatch(path, v, "protoreflect.EnumNumber", help())),
            },
            Kind::Float | Kind::Double => {
                if let Value::String(s) = v
                    && matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity")
                {
                    return Ok(());
                }
                let t = if matches!(kind, Kind::Float) {
                    NumType::F32
                } else {
                    NumType::F64
                };
                number(v, t).map_err(|m| value_issue(path, m, help()))
            }
            Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
                number(v, NumType::I32).map_err(|m| value_issue(path, m, help()))
            }
            Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
                number(v, NumType::I64).map_err(|m| value_issue(path, m, help()))
            }
            Kind::Uint32 | Kind::Fixed32 => {
                number(v, NumType::U32).map_err(|m| value_issue(path, m, help()))
            }
            Kind::Uint64 | Kind::Fixed64 => {
                number(v, NumType::U64).map_err(|m| value_issue(path, m, help()))
            }
        }
    }

    /// A `google.protobuf.Any`: `{"@type": URL, ...fields of the type}`, or for a well-known
    /// type `{"@type": URL, "value": ...}`.
    fn any(&mut self, v: &Value, path: &str) -> Step {
        let any_help = || {
            Some(
                "a typed_config is an object with \"@type\": \
                 type.googleapis.com/<Envoy message> and that message's fields"
                    .to_string(),
            )
        };
        let Value::Object(obj) = v else {
            return Err(mismatch(path, v, "map[string]json.RawMessage", any_help()));
        };
        let Some(raw_type) = obj.get("@type") else {
            return Err(Issue {
                problem: Problem::AnyType,
                path: path.to_string(),
                message: "Any JSON doesn't have '@type'".into(),
                help: any_help(),
            });
        };
        let type_path = child(path, "@type");
        let url = match raw_type {
            Value::String(s) => s.as_str(),
            Value::Null => "",
            other => {
                return Err(Issue {
                    problem: Problem::AnyType,
                    path: type_path,
                    message: format!("can't unmarshal Any's '@type': {:?}", other.to_string()),
                    help: any_help(),
                });
            }
        };
        let name = url.rsplit('/').next().unwrap_or(url);
        if TYPED_STRUCTS.contains(&name) {
            return self.typed_struct(obj, path).map_err(|mut e| {
                e.message = format!("can't unmarshal Any nested proto {url}: {}", e.message);
                e
            });
        }
        let Some(md) = self.envoy.pool.get_message_by_name(name) else {
            if self.known_elsewhere(name) {
                return Ok(());
            }
            return Err(Issue {
                problem: Problem::AnyType,
                path: type_path,
                message: format!("could not resolve Any message type: {url}"),
                help: Some(self.type_help(name)),
            });
        };
        let nested = if well_known(&md).is_some() {
            let Some(inner) = obj.get("value") else {
                return Err(Issue {
                    problem: Problem::AnyType,
                    path: path.to_string(),
                    message: "Any JSON doesn't have 'value'".into(),
                    help: Some(format!(
                        "{} is a well-known type: its JSON goes under \"value\"",
                        md.full_name()
                    )),
                });
            };
            self.message(&md, inner, &child(path, "value"))
        } else {
            self.fields(&md, obj, path, Some("@type"))
        };
        nested.map_err(|mut e| {
            e.message = format!("can't unmarshal Any nested proto {url}: {}", e.message);
            e
        })
    }

    /// A `TypedStruct` (cncf/xds, not in Envoy's descriptor set): `type_url`, a string, and
    /// `value`, a `google.protobuf.Struct` that is not decoded further (Envoy decodes it when it
    /// loads the extension, istiod does not).
    fn typed_struct(&mut self, obj: &Map<String, Value>, path: &str) -> Step {
        let help = |what: &str| {
            Some(format!(
                "`{what}` of a TypedStruct is {}",
                if what == "value" {
                    "an object"
                } else {
                    "a string"
                }
            ))
        };
        for (key, v) in obj {
            let at = child(path, key);
            match key.as_str() {
                "@type" => {}
                "type_url" | "typeUrl" if !v.is_null() && !v.is_string() => {
                    return Err(mismatch(&at, v, "string", help("type_url")));
                }
                "value" if !v.is_null() && !v.is_object() => {
                    return Err(mismatch(
                        &at,
                        v,
                        "map[string]json.RawMessage",
                        help("value"),
                    ));
                }
                "type_url" | "typeUrl" | "value" => {}
                _ if self.unknown_field.is_none() => {
                    self.unknown_field = Some(Issue {
                        problem: Problem::UnknownField,
                        path: at,
                        message: format!("unknown field {key:?} in udpa.type.v1.TypedStruct"),
                        help: None,
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether istiod may know a type these descriptors do not: one in a package they do not
    /// have. Envoy's v2 API, empty names and names without a package are known nowhere.
    fn known_elsewhere(&self, name: &str) -> bool {
        let Some((package, _)) = name.rsplit_once('.') else {
            return false;
        };
        if package.is_empty() || (name.starts_with("envoy.") && name.contains(".v2.")) {
            return false;
        }
        !self.envoy.packages.contains(package)
    }

    fn type_help(&self, name: &str) -> String {
        let package = name.rsplit_once('.').map_or("", |(p, _)| p);
        let short = name.rsplit('.').next().unwrap_or(name);
        // The closest top-level message of the package: a small edit away, or a prefix of
        // the name given ("LuaFilter" for "Lua").
        let close = self
            .envoy
            .pool
            .all_messages()
            .filter(|m| m.package_name() == package && m.parent_message().is_none())
            .filter_map(|m| {
                let d = strsim::levenshtein(m.name(), short);
                let near = d <= (short.len() / 3).max(2)
                    || short.starts_with(m.name())
                    || m.name().starts_with(short);
                near.then(|| (d, m.full_name().to_string()))
            })
            .min();
        match close {
            Some((_, close)) => format!("did you mean type.googleapis.com/{close}?"),
            None if name.contains(".v2.") => "the Envoy v2 xDS API was removed; use the v3 type \
                 (for example envoy.extensions.filters.http.lua.v3.Lua)"
                .into(),
            None => "the type URL is type.googleapis.com/ followed by the full name of an \
                     Envoy message, such as envoy.extensions.filters.http.lua.v3.Lua"
                .into(),
        }
    }
}

/// A non-string map key: `jsonpb` reads it as the JSON text of the key type.
fn map_key(kind: &Kind, key: &str) -> Result<(), String> {
    match kind {
        Kind::Bool => match key {
            "true" | "false" => Ok(()),
            _ => Err(format!("invalid map key {key:?} for a bool-keyed map")),
        },
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => literal(key, NumType::I32),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => literal(key, NumType::I64),
        Kind::Uint32 | Kind::Fixed32 => literal(key, NumType::U32),
        Kind::Uint64 | Kind::Fixed64 => literal(key, NumType::U64),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumType {
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
}

impl NumType {
    fn go(self) -> &'static str {
        match self {
            NumType::I32 => "int32",
            NumType::I64 => "int64",
            NumType::U32 => "uint32",
            NumType::U64 => "uint64",
            NumType::F32 => "float32",
            NumType::F64 => "float64",
        }
    }
}

/// A numeric field: a JSON number, or a string holding a JSON number (`jsonpb` strips the
/// quotes). The number has made a round trip through `google.protobuf.Struct`, so it is a
/// float64 printed as Go prints it: whole numbers below 1e21 without a fraction.
fn number(v: &Value, t: NumType) -> Result<(), String> {
    match v {
        Value::Number(n) => {
            let Some(f) = n.as_f64() else { return Ok(()) };
            let text = go_float_text(f);
            let fits = match t {
                NumType::F64 => true,
                NumType::F32 => f.abs() <= f64::from(f32::MAX),
                _ => {
                    let whole = f.fract() == 0.0 && f.abs() < 1e21;
                    let (lo, hi) = match t {
                        NumType::I32 => (-2_147_483_648.0, 2_147_483_648.0),
                        NumType::U32 => (0.0, 4_294_967_296.0),
                        NumType::I64 => (-9_223_372_036_854_775_808.0, 9_223_372_036_854_775_808.0),
                        _ => (0.0, 18_446_744_073_709_551_616.0),
                    };
                    whole && f >= lo && f < hi
                }
            };
            if fits {
                Ok(())
            } else {
                Err(format!(
                    "json: cannot unmarshal number {text} into Go value of type {}",
                    t.go()
                ))
            }
        }
        Value::String(s) => literal(s, t),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type {}",
            json_type(other),
            t.go()
        )),
    }
}

/// Go's `encoding/json` reading the text `s` into a number of type `t`.
fn literal(s: &str, t: NumType) -> Result<(), String> {
    let text = s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    if text == "null" {
        return Ok(());
    }
    if text.is_empty() {
        return Err("unexpected end of JSON input".into());
    }
    if !json_number(text) {
        let kind = match text.chars().next() {
            Some('t' | 'f') if matches!(text, "true" | "false") => "bool",
            Some('"') => "string",
            Some('{') => "object",
            Some('[') => "array",
            _ => {
                let c = text.chars().next().unwrap_or(' ');
                return Err(format!(
                    "invalid character {c:?} looking for beginning of value"
                ));
            }
        };
        return Err(format!(
            "json: cannot unmarshal {kind} into Go value of type {}",
            t.go()
        ));
    }
    let ok = match t {
        NumType::I32 => text.parse::<i32>().is_ok(),
        NumType::I64 => text.parse::<i64>().is_ok(),
        NumType::U32 => text.parse::<u32>().is_ok(),
        NumType::U64 => text.parse::<u64>().is_ok(),
        NumType::F32 => text.parse::<f32>().is_ok_and(f32::is_finite),
        NumType::F64 => text.parse::<f64>().is_ok_and(f64::is_finite),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "json: cannot unmarshal number {text} into Go value of type {}",
            t.go()
        ))
    }
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(c) if c.is_ascii_digit() => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// A float64 as Go's JSON encoder prints it (exponent form from 1e21 up).
fn go_float_text(f: f64) -> String {
    if f.abs() >= 1e21 || (f != 0.0 && f.abs() < 1e-6) {
        let e = format!("{f:e}");
        match e.split_once('e') {
            Some((m, x)) if !x.starts_with('-') => format!("{m}e+{x}"),
            _ => e,
        }
    } else if f.fract() == 0.0 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

/// Go's `time.ParseDuration` as istiod's decoder runs it (`model::schema::parse_go_duration`,
/// with Go's `int64` range), with Go's error text.
fn go_duration(orig: &str) -> Result<(), String> {
    use crate::model::schema::{DurationError, parse_go_duration};
    match parse_go_duration(orig) {
        Ok(n) if i64::try_from(n).is_ok() => Ok(()),
        Ok(_) | Err(DurationError::Invalid) => Err(format!("time: invalid duration {orig:?}")),
        Err(DurationError::MissingUnit) => Err(format!("time: missing unit in duration {orig:?}")),
        Err(DurationError::UnknownUnit(unit)) => {
            Err(format!("time: unknown unit {unit:?} in duration {orig:?}"))
        }
    }
}

/// Go's `time.Parse(time.RFC3339Nano, s)`, as far as the shape goes.
fn rfc3339(s: &str) -> bool {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$").ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(s))
}

/// Go's `base64.StdEncoding` (padded; line breaks ignored; trailing bits not checked).
fn base64_std(s: &str) -> bool {
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
            .with_decode_allow_trailing_bits(true),
    );
    let cleaned: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    ENGINE.decode(cleaned).is_ok()
}

/// istiod's `recurseMissingTypedConfig`: messages with a `typed_config` field that set neither
/// it nor `config_discovery`, following singular message fields only (lists, maps and `Any`
/// contents are not entered), children before the message itself.
fn missing_typed_config(
    md: &MessageDescriptor,
    obj: &Map<String, Value>,
    depth: usize,
    out: &mut Vec<String>,
) {
    if depth >= MAX_DEPTH {
        return;
    }
    let mut requires = false;
    let mut has = false;
    let mut name = String::new();
    for fd in md.fields() {
        let raw = [fd.json_name(), fd.name()]
            .into_iter()
            .find_map(|k| obj.get(k))
            .filter(|v| !v.is_null());
        if fd.json_name() == "name" {
            name = raw
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_default();
        }
        if fd.json_name() == "typedConfig" {
            requires = true;
            has |= raw.is_some();
        }
        if fd.json_name() == "configDiscovery" {
            has |= raw.is_some();
        }
        if let (Some(Value::Object(inner)), Kind::Message(sub)) = (raw, fd.kind())
            && !fd.is_list()
            && !fd.is_map()
            && well_known(&sub).is_none()
        {
            missing_typed_config(&sub, inner, depth + 1, out);
        }
    }
    if requires && !has {
        out.push(name);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(apply_to: ApplyTo, value: Value) -> Decoded {
        decode(apply_to, &value, "").expect("descriptors load")
    }

    fn error(apply_to: ApplyTo, value: Value) -> Issue {
        check(apply_to, value).error.expect("an error")
    }

    const LRL: &str =
        "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";

    #[test]
    fn descriptors_load_and_have_every_root_type() {
        let envoy = envoy().expect("descriptors decode");
        for apply_to in [
            ApplyTo::Cluster,
            ApplyTo::Listener,
            ApplyTo::RouteConfiguration,
            ApplyTo::FilterChain,
            ApplyTo::HttpFilter,
            ApplyTo::NetworkFilter,
            ApplyTo::VirtualHost,
            ApplyTo::HttpRoute,
            ApplyTo::ExtensionConfig,
            ApplyTo::Bootstrap,
            ApplyTo::ListenerFilter,
        ] {
            let name = root_type(apply_to).expect("a root type");
            assert!(envoy.pool.get_message_by_name(name).is_some(), "{name}");
        }
        assert!(root_type(ApplyTo::Invalid).is_none());
    }

    #[test]
    fn common_filters_decode() {
        for (apply_to, value) in [
            (
                ApplyTo::HttpFilter,
                json!({"name": "envoy.filters.http.local_ratelimit", "typed_config": {
                    "@type": LRL, "stat_prefix": "http_local_rate_limiter",
                    "token_bucket": {"max_tokens": 10, "tokens_per_fill": "10", "fill_interval": "60s"},
                    "filter_enabled": {"runtime_key": "on", "default_value": {"numerator": 100, "denominator": "HUNDRED"}},
                    "response_headers_to_add": [{"append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
                        "header": {"key": "x-local-rate-limit", "value": "true"}}]}}),
            ),
            (
                ApplyTo::HttpFilter,
                json!({"name": "envoy.lua", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
                    "defaultSourceCode": {"inlineString": "function envoy_on_request(h) end"}}}),
            ),
            (
                ApplyTo::HttpFilter,
                json!({"name": "envoy.filters.http.ext_authz", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz",
                    "transport_api_version": "V3", "failure_mode_allow": false,
                    "grpc_service": {"envoy_grpc": {"cluster_name": "outbound|9000||ext-authz"}, "timeout": "0.5s"}}}),
            ),
            (
                ApplyTo::Cluster,
                json!({"name": "lua_cluster", "type": "STRICT_DNS", "connect_timeout": "500ms",
                    "lb_policy": "ROUND_ROBIN", "load_assignment": {"cluster_name": "lua_cluster",
                    "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": {
                        "protocol": "TCP", "address": "internal.org.net", "port_value": 8888}}}}]}]}}),
            ),
            (
                ApplyTo::NetworkFilter,
                json!({"name": "envoy.filters.network.http_connection_manager", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                    "common_http_protocol_options": {"idle_timeout": "1m30s"}}}),
            ),
            // Contrib and Istio types are outside the descriptors: taken on trust.
            (
                ApplyTo::HttpFilter,
                json!({"name": "x", "typed_config": {
                    "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
                    "type_url": LRL, "value": {"stat_prefix": 5}}}),
            ),
            (
                ApplyTo::HttpRoute,
                json!({"route": {"rate_limits": [{"actions": [null]}]}}),
            ),
        ] {
            let d = check(apply_to, value.clone());
            assert_eq!(d.error, None, "{value}");
        }
    }

    #[test]
    fn wrong_any_types() {
        let e = error(
            ApplyTo::HttpFilter,
            json!({"name": "x", "typed_config": {"@type": ""}}),
        );
        assert_eq!(e.problem, Problem::AnyType);
        assert_eq!(e.path, "typed_config[\"@type\"]");
        assert_eq!(e.message, "could not resolve Any message type: ");

        let e = error(
            ApplyTo::HttpFilter,
            json!({"typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Luaa"}}),
        );
        assert_eq!(e.problem, Problem::AnyType);
        assert_eq!(
            e.help.as_deref(),
            Some("did you mean type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua?")
        );

        let e = error(
            ApplyTo::HttpFilter,
            json!({"typed_config": {"@type": "type.googleapis.com/envoy.config.filter.http.lua.v2.Lua"}}),
        );
        assert!(e.message.starts_with("could not resolve Any message type"));
        assert!(e.help.is_some_and(|h| h.contains("v2 xDS API was removed")));

        let e = error(
            ApplyTo::HttpFilter,
            json!({"typed_config": {"@type": {"x": 1}}}),
        );
        assert_eq!(
            e.message,
            "can't unmarshal Any's '@type': \"{\\\"x\\\":1}\""
        );

        let e = error(
            ApplyTo::HttpFilter,
            json!({"typed_config": {"stat_prefix": "x"}}),
        );
        assert_eq!(e.message, "Any JSON doesn't have '@type'");
        assert_eq!(e.path, "typed_config");

        let e = error(
            ApplyTo::HttpFilter,
            json!({"typed_config": {"@type": "type.googleapis.com/udpa.type.v1.TypedStruct", "type_url": {}}}),
        );
        assert_eq!(e.path, "typed_config.type_url");
        assert_eq!(
            e.message,
            "can't unmarshal Any nested proto type.googleapis.com/udpa.type.v1.TypedStruct: json: cannot unmarshal object into Go value of type string"
        );

        let e = error(ApplyTo::HttpFilter, json!({"typed_config": "lua"}));
        assert_eq!(e.problem, Problem::Value);
    }

    #[test]
    fn wrongly_typed_fields() {
        for (value, path, message) in [
            (
                json!({"typed_config": {"@type": LRL, "token_bucket": {"max_tokens": -1}}}),
                "typed_config.token_bucket.max_tokens",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: json: cannot unmarshal number -1 into Go value of type uint32",
            ),
            (
                json!({"typed_config": {"@type": LRL, "token_bucket": {"max_tokens": 1.5}}}),
                "typed_config.token_bucket.max_tokens",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: json: cannot unmarshal number 1.5 into Go value of type uint32",
            ),
            (
                json!({"typed_config": {"@type": LRL, "filter_enabled": {"default_value": {"numerator": ""}}}}),
                "typed_config.filter_enabled.default_value.numerator",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: unexpected end of JSON input",
            ),
            (
                json!({"typed_config": {"@type": LRL, "token_bucket": "10/s"}}),
                "typed_config.token_bucket",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: json: cannot unmarshal string into Go value of type map[string]json.RawMessage",
            ),
            (
                json!({"typed_config": {"@type": LRL, "stat_prefix": 5}}),
                "typed_config.stat_prefix",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: json: cannot unmarshal number into Go value of type string",
            ),
            (
                json!({"typed_config": {"@type": LRL, "token_bucket": {"fill_interval": "1x"}}}),
                "typed_config.token_bucket.fill_interval",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: bad Duration: time: unknown unit \"x\" in duration \"1x\"",
            ),
            (
                json!({"typed_config": {"@type": LRL, "enable_x_ratelimit_headers": "DRAFT"}}),
                "typed_config.enable_x_ratelimit_headers",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: unknown value \"\\\"DRAFT\\\"\" for enum envoy.extensions.common.ratelimit.v3.XRateLimitHeadersRFCVersion",
            ),
            (
                json!({"typed_config": {"@type": LRL, "response_headers_to_add": {"header": {}}}}),
                "typed_config.response_headers_to_add",
                "can't unmarshal Any nested proto type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit: json: cannot unmarshal object into Go value of type []json.RawMessage",
            ),
            (
                json!({"name": 7}),
                "name",
                "json: cannot unmarshal number into Go value of type string",
            ),
            (
                json!({"disabled": "true"}),
                "disabled",
                "json: cannot unmarshal string into Go value of type bool",
            ),
        ] {
            let e = error(ApplyTo::HttpFilter, value.clone());
            assert_eq!(e.problem, Problem::Value, "{value}");
            assert_eq!(e.path, path, "{value}");
            assert_eq!(e.message, message, "{value}");
        }
    }

    #[test]
    fn jsonpb_leniency() {
        for value in [
            // Quoted numbers, JSON names, null, numeric enums, Go durations, wrappers.
            json!({"name": "c", "connectTimeout": "1m30s", "per_connection_buffer_limit_bytes": "32768",
                "lb_policy": 1, "max_requests_per_connection": null,
                "common_lb_config": {"healthy_panic_threshold": {"value": 50.5}},
                "circuit_breakers": {"thresholds": [{"max_connections": 100, "retry_budget": {"budget_percent": {"value": "20"}}}]}}),
            json!({"name": "c", "connect_timeout": "0", "upstream_connection_options": {"tcp_keepalive": {"keepalive_time": "300"}}}),
            json!({"name": "c", "metadata": {"filter_metadata": {"a": {"b": [1, "x", null]}}}}),
        ] {
            let d = check(ApplyTo::Cluster, value.clone());
            assert_eq!(d.error, None, "{value}");
        }
        let e = error(
            ApplyTo::Cluster,
            json!({"name": "c", "connect_timeout": "5"}),
        );
        assert_eq!(
            e.message,
            "bad Duration: time: missing unit in duration \"5\""
        );
        let e = error(ApplyTo::Cluster, json!({"name": "c", "connect_timeout": 5}));
        assert_eq!(
            e.message,
            "json: cannot unmarshal number into Go value of type string"
        );
    }

    #[test]
    fn unknown_fields_are_warnings() {
        let d = check(
            ApplyTo::HttpFilter,
            json!({"name": "x", "typed_config": {"@type": LRL, "stat_prefix": "p", "tokenbucket": {}}}),
        );
        assert_eq!(d.error, None);
        let w = d.unknown_field.expect("an unknown field");
        assert_eq!(w.path, "typed_config.tokenbucket");
        assert_eq!(
            w.message,
            "unknown field \"tokenbucket\" in envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"
        );
        // An error wins over the warning.
        let d = check(
            ApplyTo::HttpFilter,
            json!({"bogus": 1, "typed_config": {"@type": LRL, "stat_prefix": 1}}),
        );
        assert!(d.error.is_some());
        assert!(d.unknown_field.is_none());
    }

    #[test]
    fn missing_typed_config_is_listed() {
        let d = check(ApplyTo::HttpFilter, json!({"name": "envoy.lua"}));
        assert_eq!(d.missing_typed_config, ["envoy.lua"]);
        let d = check(
            ApplyTo::Cluster,
            json!({"name": "c", "transport_socket": {"name": "envoy.transport_sockets.tls"}}),
        );
        assert_eq!(d.missing_typed_config, ["envoy.transport_sockets.tls"]);
        let d = check(
            ApplyTo::ExtensionConfig,
            json!({"name": "e", "typed_config": {"@type": LRL, "stat_prefix": "p"}}),
        );
        assert!(d.missing_typed_config.is_empty());
    }

    #[test]
    fn number_rules() {
        assert!(literal("10", NumType::U32).is_ok());
        assert!(literal(" 10 ", NumType::U32).is_ok());
        assert!(literal("-1", NumType::U32).is_err());
        assert!(literal("1e2", NumType::I32).is_err());
        assert!(literal("1e2", NumType::F64).is_ok());
        assert!(literal("+1", NumType::I64).is_err());
        assert!(literal("01", NumType::I64).is_err());
        assert!(literal("null", NumType::I64).is_ok());
        assert!(literal("4294967296", NumType::U32).is_err());
        assert!(literal("1e39", NumType::F32).is_err());
        assert!(number(&json!(2_147_483_648_i64), NumType::I32).is_err());
        assert!(number(&json!(2_147_483_647), NumType::I32).is_ok());
        assert!(number(&json!(true), NumType::I32).is_err());
    }

    #[test]
    fn numbers_print_as_go_prints_them() {
        assert_eq!(go_float_text(1e30), "1e+30");
        assert_eq!(go_float_text(10.5), "10.5");
        assert_eq!(go_float_text(-1.0), "-1");
        assert_eq!(go_float_text(1e20), "100000000000000000000");
    }

    #[test]
    fn duration_rules() {
        for ok in [
            "0", "5s", "1.5s", "100ms", "1h2m3.5s", "-1s", ".5s", "1.s", "2us", "3µs",
        ] {
            assert!(go_duration(ok).is_ok(), "{ok}");
        }
        for bad in ["", "s", "5", "1d", "1s2", ".s", "-", "1e3s"] {
            assert!(go_duration(bad).is_err(), "{bad}");
        }
    }

    /// Arbitrary values built from Envoy's own field names and type URLs, so that decoding
    /// goes deep: it never panics, and every finding lies inside the value.
    fn arbitrary_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let keys = prop::sample::select(vec![
            "name",
            "typed_config",
            "typedConfig",
            "@type",
            "value",
            "type_url",
            "token_bucket",
            "max_tokens",
            "fill_interval",
            "stat_prefix",
            "filter_enabled",
            "default_value",
            "numerator",
            "denominator",
            "route",
            "typed_per_filter_config",
            "rate_limits",
            "actions",
            "load_assignment",
            "endpoints",
            "lb_endpoints",
            "connect_timeout",
            "transport_socket",
            "filters",
            "filter_chains",
            "domains",
            "metadata",
            "filter_metadata",
            "inline_bytes",
            "x",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            prop::sample::select(vec![
                LRL,
                "type.googleapis.com/udpa.type.v1.TypedStruct",
                "type.googleapis.com/google.protobuf.Struct",
                "HUNDRED",
                "5s",
                "1.5",
                "",
                "aGk=",
                "type.googleapis.com/envoy.config.cluster.v3.Cluster",
            ])
            .prop_map(|s| Value::String(s.to_string())),
        ];
        leaf.prop_recursive(6, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| {
                    Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                }),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn arbitrary_values_decode_without_panics(value in arbitrary_value()) {
            for apply_to in [ApplyTo::HttpFilter, ApplyTo::Cluster, ApplyTo::HttpRoute, ApplyTo::Listener] {
                let d = decode(apply_to, &value, "v").expect("descriptors load");
                for issue in d.error.iter().chain(d.unknown_field.iter()) {
                    proptest::prop_assert!(issue.path.starts_with('v'), "{}", issue.path);
                }
            }
        }
    }

    #[test]
    fn base64_rules() {
        assert!(base64_std("aGVsbG8="));
        assert!(!base64_std("aGVsbG8"));
        assert!(!base64_std("not base64!"));
    }
}
