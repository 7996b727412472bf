//! The schema half of the model: every typed struct of the Istio and Kubernetes API declares its
//! fields once, through the [`api_struct!`] and [`api_enum!`] macros, and gets both a serde type
//! (typed access for validation, analysis, routing and install) and a static [`Ty`] descriptor
//! (the structural schema that `check::validate::schema` walks over the spanned YAML tree, and that
//! `install` can later turn into a CRD `openAPIV3Schema`). Writing a field twice is therefore
//! impossible: the descriptor is generated from the same token list as the struct.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// A structural type, as the schema walker sees it.
#[derive(Clone, Copy)]
pub enum Ty {
    Bool,
    /// A signed integer that must fit in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    Float,
    Str,
    /// A protobuf duration in its JSON form (`"1.5s"`, `"10ms"`).
    Duration,
    /// Either an integer or a string (Kubernetes `IntOrString`).
    IntOrStr,
    /// A string with one of a fixed set of values.
    Enum(&'static EnumDesc),
    Struct(&'static StructDesc),
    List(fn() -> Ty),
    /// A map from string keys to values of one type.
    Map(fn() -> Ty),
    /// Anything at all (`google.protobuf.Struct`, `x-kubernetes-preserve-unknown-fields`).
    Any,
}

impl Ty {
    /// The name used in "must be of type" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Ty::Bool => "boolean",
            Ty::Int { .. } => "integer",
            Ty::Float => "number",
            Ty::Str | Ty::Duration | Ty::Enum(_) => "string",
            Ty::IntOrStr => "integer or string",
            Ty::Struct(_) | Ty::Map(_) => "object",
            Ty::List(_) => "array",
            Ty::Any => "any",
        }
    }
}

pub struct EnumDesc {
    pub name: &'static str,
    pub values: &'static [&'static str],
}

pub struct StructDesc {
    pub name: &'static str,
    pub fields: &'static [FieldDesc],
    /// Groups of fields of which at most one may be set (protobuf `oneof`).
    pub oneofs: &'static [&'static [&'static str]],
}

impl StructDesc {
    pub fn field(&self, name: &str) -> Option<&FieldDesc> {
        self.fields.iter().find(|f| f.name == name)
    }
}

pub struct FieldDesc {
    pub name: &'static str,
    pub ty: fn() -> Ty,
    pub flags: u8,
    /// What the field's CRD schema declares beyond its type (`pattern`, lengths, item counts,
    /// bounds); [`Constraints::NONE`] for most fields.
    pub constraints: &'static Constraints,
}

impl FieldDesc {
    pub fn required(&self) -> bool {
        self.flags & REQUIRED != 0
    }
    pub fn nullable(&self) -> bool {
        self.flags & NULLABLE != 0
    }
}

/// The OpenAPI constraints a field's schema declares beyond its type, as the API server
/// enforces them: `pattern`, `minLength`/`maxLength` (strings, counted in characters),
/// `minItems`/`maxItems` (lists), `minProperties`/`maxProperties` (maps) and
/// `minimum`/`maximum` (integers). `items` constrains each item of a list or each value of a
/// map. Declared with [`constraints!`](crate::constraints) in an `api_struct!` field list; the
/// schema walker checks them and `model::crd` writes them into the rendered CRDs.
#[derive(Debug, Clone, Copy)]
pub struct Constraints {
    pub pattern: Option<&'static Pattern>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub items: Option<&'static Constraints>,
}

impl Constraints {
    /// No constraint at all.
    pub const NONE: Constraints = Constraints {
        pattern: None,
        min_length: None,
        max_length: None,
        min_items: None,
        max_items: None,
        min_properties: None,
        max_properties: None,
        minimum: None,
        maximum: None,
        items: None,
    };

    pub fn is_none(&self) -> bool {
        self.pattern.is_none()
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.min_items.is_none()
            && self.max_items.is_none()
            && self.min_properties.is_none()
            && self.max_properties.is_none()
            && self.minimum.is_none()
            && self.maximum.is_none()
            && self.items.is_none()
    }
}

/// A CRD `pattern`: the source as the CRD writes it (Go RE2 syntax, unanchored unless it
/// anchors itself) and the regex compiled on first use. Declared with
/// [`pattern!`](crate::pattern); a unit test compiles every pattern the model uses, so
/// [`Pattern::regex`] is `None` only for a broken built-in.
pub struct Pattern {
    pub source: &'static str,
    regex: LazyLock<Option<Regex>>,
}

impl Pattern {
    #[doc(hidden)]
    pub const fn new(source: &'static str, compile: fn() -> Option<Regex>) -> Self {
        Pattern {
            source,
            regex: LazyLock::new(compile),
        }
    }

    pub fn regex(&self) -> Option<&Regex> {
        self.regex.as_ref()
    }

    /// Whether `value` matches; a pattern that does not compile matches everything (the unit
    /// tests make sure none is broken).
    pub fn is_match(&self, value: &str) -> bool {
        self.regex().is_none_or(|re| re.is_match(value))
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

/// Declares a [`Pattern`] static: `pattern!(pub HOSTNAME = r"^...$");`.
#[macro_export]
macro_rules! pattern {
    ($(#[$m:meta])* $vis:vis $name:ident = $src:literal) => {
        $(#[$m])*
        $vis static $name: $crate::model::schema::Pattern =
            $crate::model::schema::Pattern::new($src, || ::regex::Regex::new($src).ok());
    };
}

/// Builds a [`Constraints`] value from `key: value` pairs named like its fields; `items:
/// [...]` nests the constraints of each list item or map value, `pattern:` takes a
/// [`Pattern`] static:
///
/// ```text
/// constraints!(max_items: 16, items: [min_length: 1, max_length: 253, pattern: HOSTNAME])
/// ```
/// A trailing `..BASE` takes the remaining constraints from a shared `static` (a kind's
/// common reference fields, say), the way struct update syntax does.
///
/// In an `api_struct!` field list the same pairs follow the JSON name (and flags) in brackets:
/// `hostnames: Vec<String> => "hostnames" [max_items: 16, items: [max_length: 253]]`.
#[macro_export]
macro_rules! constraints {
    (@acc [$($done:tt)*]) => {
        $crate::model::schema::Constraints { $($done)* ..$crate::model::schema::Constraints::NONE }
    };
    (@acc [$($done:tt)*] ..$base:path) => {
        $crate::model::schema::Constraints { $($done)* ..$base }
    };
    (@acc [$($done:tt)*] items: [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $crate::constraints!(@acc [$($done)* items: Some(&$crate::constraints!($($inner)*)),] $($($rest)*)?)
    };
    (@acc [$($done:tt)*] pattern: $p:path $(, $($rest:tt)*)?) => {
        $crate::constraints!(@acc [$($done)* pattern: Some(&$p),] $($($rest)*)?)
    };
    (@acc [$($done:tt)*] $key:ident: $value:expr $(, $($rest:tt)*)?) => {
        $crate::constraints!(@acc [$($done)* $key: Some($value),] $($($rest)*)?)
    };
    ($($t:tt)*) => {
        $crate::constraints!(@acc [] $($t)*)
    };
}

/// The field must be present (Kubernetes "Required value").
pub const REQUIRED: u8 = 1;
/// An explicit `null` is accepted and treated as absent.
pub const NULLABLE: u8 = 2;

/// Types that have a structural schema.
pub trait Schema {
    fn ty() -> Ty;
}

macro_rules! scalar_schema {
    ($($t:ty => $e:expr),* $(,)?) => { $(impl Schema for $t { fn ty() -> Ty { $e } })* };
}

scalar_schema! {
    bool => Ty::Bool,
    String => Ty::Str,
    i32 => Ty::Int { min: i32::MIN as i64, max: i32::MAX as i64 },
    u32 => Ty::Int { min: 0, max: u32::MAX as i64 },
    i64 => Ty::Int { min: i64::MIN, max: i64::MAX },
    u64 => Ty::Int { min: 0, max: i64::MAX },
    f64 => Ty::Float,
    serde_json::Value => Ty::Any,
}

impl<T: Schema> Schema for Option<T> {
    fn ty() -> Ty {
        T::ty()
    }
}
impl<T: Schema> Schema for Vec<T> {
    fn ty() -> Ty {
        Ty::List(T::ty)
    }
}
impl<T: Schema> Schema for BTreeMap<String, T> {
    fn ty() -> Ty {
        Ty::Map(T::ty)
    }
}
impl<T: Schema> Schema for Box<T> {
    fn ty() -> Ty {
        T::ty()
    }
}

/// A protobuf `Duration` in JSON form, kept as written; `check::validate` parses it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Duration(pub String);

impl Schema for Duration {
    fn ty() -> Ty {
        Ty::Duration
    }
}

impl Duration {
    /// The duration in nanoseconds, or `None` when it is not a valid protobuf JSON duration
    /// (`-?\d+(\.\d{1,9})?s`, as protojson accepts) nor a Go-style duration (`1m30s`, `100ms`),
    /// which Istio's CRD conversion also accepts.
    pub fn nanos(&self) -> Option<i128> {
        parse_duration(&self.0)
    }
}

/// Parses a Go `time.ParseDuration`-style string (which includes protobuf's `"1.5s"` form) into
/// nanoseconds.
pub fn parse_duration(s: &str) -> Option<i128> {
    parse_go_duration(s).ok()
}

/// Why a duration does not parse, as Go's `time.ParseDuration` tells it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// Not a duration at all (`time: invalid duration "x"`).
    Invalid,
    /// A number without its unit (`time: missing unit in duration "5"`).
    MissingUnit,
    /// A unit Go does not know (`time: unknown unit "x" in duration "1x"`).
    UnknownUnit(String),
}

/// Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or `0`, in nanoseconds. The
/// one definition of duration syntax: the schema walk, the rule files and EnvoyFilter values
/// all parse through it. Values are not limited to Go's `int64` here; callers that need Go's
/// overflow rule check the range.
pub fn parse_go_duration(s: &str) -> Result<i128, DurationError> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(DurationError::Invalid);
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, after) = rest.split_at(int_len);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(r) => r.split_at(r.bytes().take_while(u8::is_ascii_digit).count()),
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(DurationError::Invalid);
        }
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        if unit.is_empty() {
            return Err(DurationError::MissingUnit);
        }
        let scale: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(DurationError::UnknownUnit(unit.to_string())),
        };
        let int_val: i128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| DurationError::Invalid)?
        };
        let mut value = int_val.checked_mul(scale).ok_or(DurationError::Invalid)?;
        let mut div = 1i128;
        for c in frac_part.chars().take(18) {
            div *= 10;
            let digit = i128::from(c.to_digit(10).ok_or(DurationError::Invalid)?);
            value = value
                .checked_add(digit * scale / div)
                .ok_or(DurationError::Invalid)?;
        }
        total = total.checked_add(value).ok_or(DurationError::Invalid)?;
        rest = next;
    }
    Ok(if neg { -total } else { total })
}

/// Kubernetes `IntOrString`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl Schema for IntOrString {
    fn ty() -> Ty {
        Ty::IntOrStr
    }
}

/// Used by the generated serde attributes to leave empty fields out of serialized output.
pub trait IsEmpty {
    fn is_empty(&self) -> bool;
}
impl<T> IsEmpty for Option<T> {
    fn is_empty(&self) -> bool {
        self.is_none()
    }
}
impl<T> IsEmpty for Vec<T> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}
impl<T> IsEmpty for BTreeMap<String, T> {
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
}
macro_rules! never_empty {
    ($($t:ty),*) => { $(impl IsEmpty for $t { fn is_empty(&self) -> bool { false } })* };
}
never_empty!(
    bool,
    String,
    i32,
    u32,
    i64,
    u64,
    f64,
    Duration,
    IntOrString,
    serde_json::Value
);

/// Declares an API struct: the serde type and its schema descriptor from one field list.
///
/// ```text
/// api_struct! {
///     /// Describes match conditions for an HTTP request.
///     pub struct StringMatch oneof [["exact", "prefix", "regex"]] {
///         exact: Option<String> => "exact",
///         prefix: Option<String> => "prefix",
///         regex: Option<String> => "regex",
///     }
/// }
/// ```
/// A field may carry flags after its JSON name: `=> "hosts" | REQUIRED`, and then the
/// constraints of its CRD schema in brackets (see [`constraints!`](crate::constraints)):
/// `=> "name" | REQUIRED [min_length: 1, max_length: 253]`.
#[macro_export]
macro_rules! api_struct {
    (
        $(#[$m:meta])*
        pub struct $name:ident $(oneof [$([$($one:literal),+ $(,)?]),+ $(,)?])? {
            $(
                $(#[$fm:meta])*
                $field:ident : $fty:ty => $json:literal $(| $flag:ident)* $([$($c:tt)*])?
            ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
        #[serde(default)]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(rename = $json, skip_serializing_if = "crate::model::schema::IsEmpty::is_empty")]
                pub $field: $fty,
            )*
        }

        impl $crate::model::schema::Schema for $name {
            fn ty() -> $crate::model::schema::Ty {
                #[allow(unused_imports)]
                use $crate::model::schema::{REQUIRED, NULLABLE};
                static DESC: $crate::model::schema::StructDesc = $crate::model::schema::StructDesc {
                    name: stringify!($name),
                    fields: &[
                        $(
                            $crate::model::schema::FieldDesc {
                                name: $json,
                                ty: <$fty as $crate::model::schema::Schema>::ty,
                                flags: 0 $(| $flag)*,
                                constraints: &$crate::constraints!($($($c)*)?),
                            },
                        )*
                    ],
                    oneofs: &[ $($( &[$($one),+] ),+)? ],
                };
                $crate::model::schema::Ty::Struct(&DESC)
            }
        }

        impl $crate::model::schema::IsEmpty for $name {
            fn is_empty(&self) -> bool {
                false
            }
        }
    };
}

/// Declares a string enum: a Rust enum (the first variant is the default, as in protobuf) and its
/// schema listing the accepted values.
#[macro_export]
macro_rules! api_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $first:ident = $firstjson:literal
            $(, $var:ident = $json:literal)* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
        pub enum $name {
            #[default]
            #[serde(rename = $firstjson)]
            $first,
            $(#[serde(rename = $json)] $var,)*
        }

        impl $name {
            pub const VALUES: &'static [&'static str] = &[$firstjson $(, $json)*];
            pub fn as_str(&self) -> &'static str {
                match self {
                    $name::$first => $firstjson,
                    $($name::$var => $json,)*
                }
            }
        }

        impl $crate::model::schema::Schema for $name {
            fn ty() -> $crate::model::schema::Ty {
                static DESC: $crate::model::schema::EnumDesc = $crate::model::schema::EnumDesc {
                    name: stringify!($name),
                    values: $name::VALUES,
                };
                $crate::model::schema::Ty::Enum(&DESC)
            }
        }

        impl $crate::model::schema::IsEmpty for $name {
            fn is_empty(&self) -> bool {
                false
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1s"), Some(1_000_000_000));
        assert_eq!(parse_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(parse_duration("10ms"), Some(10_000_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_duration("-2s"), Some(-2_000_000_000));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("1x"), None);
        assert_eq!(parse_duration("1..2s"), None);
        assert_eq!(parse_duration("s"), None);
    }
}
