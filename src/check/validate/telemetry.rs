//! Admission rules for Telemetry: the CRD's constraints (provider names, tag override
//! operation/value, sampling range, reporting interval, custom tags) and istiod's
//! `ValidateTelemetry` (which also parses access log filters as CEL, see [`cel`]).

use super::Ctx;
use super::common::check_selector_and_targets;
use crate::model::telemetry::{TagOperation, Telemetry, Tracing};

pub fn validate(spec: &Telemetry, ctx: &mut Ctx<'_>) {
    check_selector_and_targets(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        spec.target_refs.as_deref(),
        ctx,
    );

    for (i, metrics) in spec.metrics.iter().enumerate() {
        let path = format!("spec.metrics[{i}]");
        if let Some(interval) = &metrics.reporting_interval
            && interval.nanos().is_some_and(|n| n < 1_000_000)
        {
            ctx.error(
                format!("{path}.reportingInterval"),
                "must be a valid duration greater than 1ms",
            );
        }
        for (j, o) in metrics.overrides.iter().enumerate() {
            let opath = format!("{path}.overrides[{j}]");
            for (name, tag) in &o.tag_overrides {
                let tpath = format!("{opath}.tagOverrides[{name:?}]");
                if name.is_empty() {
                    ctx.warn(tpath.clone(), "tagOverrides.name may not be empty");
                }
                let value = tag.value.as_deref();
                match tag.operation {
                    // The CRD rule reads `self.value`, which fails when it is absent.
                    Some(TagOperation::Upsert) if value.unwrap_or("").is_empty() => {
                        ctx.error(tpath, "value must be set when operation is UPSERT")
                    }
                    Some(TagOperation::Remove) if value.is_some() => ctx.error(
                        format!("{tpath}.value"),
                        "value must not be set when operation is REMOVE",
                    ),
                    // UPSERT is the default operation for istiod, not for the CRD rule.
                    None if value.unwrap_or("").is_empty() => ctx.error(
                        tpath,
                        "tagOverrides.value must be set when operation is UPSERT",
                    ),
                    _ => {}
                }
            }
        }
    }

    if spec.tracing.len() > 1 {
        ctx.warn(
            "spec.tracing",
            "multiple tracing is not currently supported",
        );
    }
    for (i, tracing) in spec.tracing.iter().enumerate() {
        check_tracing(tracing, &format!("spec.tracing[{i}]"), ctx);
    }

    for (i, logging) in spec.access_logging.iter().enumerate() {
        let path = format!("spec.accessLogging[{i}]");
        if let Some(filter) = &logging.filter {
            let expr = filter.expression.as_deref().unwrap_or("");
            if let Err(e) = cel::check_syntax(expr) {
                let at = if filter.expression.is_some() {
                    format!("{path}.filter.expression")
                } else {
                    format!("{path}.filter")
                };
                ctx.error(at, format!("must be a valid CEL expression, {e}"));
            }
        }
    }
}

fn check_tracing(tracing: &Tracing, path: &str, ctx: &mut Ctx<'_>) {
    if tracing.providers.len() > 1 {
        ctx.warn(
            format!("{path}.providers"),
            "multiple providers is not currently supported",
        );
    }
    for name in tracing.custom_tags.keys() {
        let tpath = format!("{path}.customTags[{name:?}]");
        if name.is_empty() {
            ctx.error(tpath.clone(), "tag name may not be empty");
        }
    }
}

/// A syntax check of CEL expressions, as `cel.NewEnv().Parse` does it: the grammar of the CEL
/// specification, literal validity, the parse-time checks of the standard macros (`has`,
/// `all`, `exists`, `exists_one`, `map`, `filter`), reserved identifiers, and the parser's
/// size and nesting limits. No type checking (istiod does not type-check either).
mod cel {
    const MAX_CODE_POINTS: usize = 100_000;
    const MAX_DEPTH: usize = 250;
    const RESERVED: [&str; 17] = [
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    ];

    pub fn check_syntax(src: &str) -> Result<(), String> {
        let size = src.chars().count();
        if size > MAX_CODE_POINTS {
            return Err(format!(
                "expression code point size exceeds limit: size: {size}, limit {MAX_CODE_POINTS}"
            ));
        }
        let tokens = lex(src)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            depth: 0,
        };
        p.expr()?;
        match p.peek() {
            Tok::Eof => Ok(()),
            _ => Err(p.unexpected()),
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Ident(String),
        /// An integer literal that does not fit int64 unless negated (2^63).
        IntMin,
        Int,
        Uint,
        Double,
        Str,
        Bool,
        Null,
        In,
        Punct(&'static str),
        /// A backquoted identifier, an extension the default parser rejects.
        Backquoted,
        Eof,
    }

    struct Token {
        tok: Tok,
        line: usize,
        col: usize,
        text: String,
    }

    const PUNCTS: [&str; 25] = [
        "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".",
        ",", "(", ")", "[", "]", "{", "}", "=",
    ];

    fn lex(src: &str) -> Result<Vec<Token>, String> {
        let chars: Vec<char> = src.chars().collect();
        let mut out = Vec::new();
        let (mut i, mut line, mut line_start) = (0usize, 1usize, 0usize);
        while i < chars.len() {
            let c = chars[i];
            let col = i - line_start + 1;
            let at = |what: String| format!("{line}:{col}: {what}");
            if c == '\n' {
                i += 1;
                line += 1;
                line_start = i;
                continue;
            }
            if matches!(c, ' ' | '\t' | '\r' | '\u{c}') {
                i += 1;
                continue;
            }
            if c == '/' && chars.get(i + 1) == Some(&'/') {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            let tok = if c.is_ascii_digit()
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            {
                let (tok, end) = lex_number(&chars, i).map_err(at)?;
                i = end;
                tok
            } else if c.is_ascii_alphabetic() || c == '_' {
                // String prefixes: b/B, r/R, and b followed by r (bytes, raw).
                if let Some(end) = string_with_prefix(&chars, i).map_err(&at)? {
                    i = end;
                    Tok::Str
                } else {
                    while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    let word: String = chars[start..i].iter().collect();
                    match word.as_str() {
                        "true" | "false" => Tok::Bool,
                        "null" => Tok::Null,
                        "in" => Tok::In,
                        _ => Tok::Ident(word),
                    }
                }
            } else if c == '"' || c == '\'' {
                i = lex_string(&chars, i, false, false).map_err(at)?;
                Tok::Str
            } else if c == '`' {
                i += 1;
                while i < chars.len() && chars[i] != '`' && chars[i] != '\n' {
                    i += 1;
                }
                i += 1;
                Tok::Backquoted
            } else if let Some(p) = PUNCTS.iter().find(|p| {
                p.chars()
                    .enumerate()
                    .all(|(k, pc)| chars.get(i + k) == Some(&pc))
            }) {
                i += p.chars().count();
                if *p == "=" {
                    return Err(at("token recognition error at: '='".into()));
                }
                Tok::Punct(p)
            } else {
                return Err(at(format!("token recognition error at: '{c}'")));
            };
            out.push(Token {
                tok,
                line,
                col,
                text: chars[start..i.min(chars.len())].iter().collect(),
            });
            // Multi-line strings move the line counter.
            for (k, ch) in chars[start..i.min(chars.len())].iter().enumerate() {
                if *ch == '\n' {
                    line += 1;
                    line_start = start + k + 1;
                }
            }
        }
        out.push(Token {
            tok: Tok::Eof,
            line,
            col: chars.len() - line_start + 1,
            text: "<EOF>".into(),
        });
        Ok(out)
    }

    fn lex_number(chars: &[char], start: usize) -> Result<(Tok, usize), String> {
        let digits_from = |mut i: usize, hex: bool| {
            while i < chars.len()
                && (chars[i].is_ascii_digit() || (hex && chars[i].is_ascii_hexdigit()))
            {
                i += 1;
            }
            i
        };
        let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        let mut i = start;
        // Hexadecimal integers.
        if chars[i] == '0'
            && matches!(chars.get(i + 1), Some('x' | 'X'))
            && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit)
        {
            let end = digits_from(i + 2, true);
            let digits = text(i + 2, end);
            if matches!(chars.get(end), Some('u' | 'U')) {
                return u64::from_str_radix(&digits, 16)
                    .map(|_| (Tok::Uint, end + 1))
                    .map_err(|_| format!("invalid uint literal: 0x{digits}"));
            }
            return match u64::from_str_radix(&digits, 16) {
                Ok(v) if v <= i64::MAX as u64 => Ok((Tok::Int, end)),
                Ok(v) if v == 1u64 << 63 => Ok((Tok::IntMin, end)),
                _ => Err(format!("invalid int literal: 0x{digits}")),
            };
        }
        let int_end = digits_from(i, false);
        i = int_end;
        let mut is_float = false;
        if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            i = digits_from(i + 1, false);
            is_float = true;
        }
        if matches!(chars.get(i), Some('e' | 'E')) {
            let mut j = i + 1;
            if matches!(chars.get(j), Some('+' | '-')) {
                j += 1;
            }
            if chars.get(j).is_some_and(char::is_ascii_digit) {
                i = digits_from(j, false);
                is_float = true;
            }
        }
        if is_float {
            let t = text(start, i);
            return match t.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok((Tok::Double, i)),
                _ => Err(format!("invalid double literal: {t}")),
            };
        }
        let digits = text(start, int_end);
        if matches!(chars.get(int_end), Some('u' | 'U')) {
            return digits
                .parse::<u64>()
                .map(|_| (Tok::Uint, int_end + 1))
                .map_err(|_| format!("invalid uint literal: {digits}"));
        }
        match digits.parse::<u64>() {
            Ok(v) if v <= i64::MAX as u64 => Ok((Tok::Int, int_end)),
            Ok(v) if v == 1u64 << 63 => Ok((Tok::IntMin, int_end)),
            _ => Err(format!("invalid int literal: {digits}")),
        }
    }

    /// A string or bytes literal with a prefix (`r"..."`, `b'...'`, `br"""..."""`); `None`
    /// when the letters at `start` are not such a prefix.
    fn string_with_prefix(chars: &[char], start: usize) -> Result<Option<usize>, String> {
        let mut i = start;
        let bytes = matches!(chars.get(i), Some('b' | 'B'));
        if bytes {
            i += 1;
        }
        let raw = matches!(chars.get(i), Some('r' | 'R'));
        if raw {
            i += 1;
        }
        if i == start || !matches!(chars.get(i), Some('"' | '\'')) {
            return Ok(None);
        }
        lex_string(chars, i, raw, bytes).map(Some)
    }

    /// Lexes a quoted literal starting at the quote; returns the index after it.
    fn lex_string(chars: &[char], start: usize, raw: bool, bytes: bool) -> Result<usize, String> {
        let q = chars[start];
        let triple = chars.get(start + 1) == Some(&q) && chars.get(start + 2) == Some(&q);
        let mut i = if triple { start + 3 } else { start + 1 };
        loop {
            let Some(&c) = chars.get(i) else {
                return Err("unterminated string literal".into());
            };
            if triple {
                if c == q && chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q) {
                    return Ok(i + 3);
                }
            } else if c == q {
                return Ok(i + 1);
            } else if c == '\n' || c == '\r' {
                return Err(
                    "unterminated string literal (newline in a single-quoted string)".into(),
                );
            }
            if c == '\\' && !raw {
                i = lex_escape(chars, i, bytes)?;
            } else {
                i += 1;
            }
        }
    }

    /// One escape sequence at `i` (the backslash); returns the index after it.
    fn lex_escape(chars: &[char], i: usize, bytes: bool) -> Result<usize, String> {
        let hex = |from: usize, n: usize| -> Option<u32> {
            let s: String = chars.get(from..from + n)?.iter().collect();
            if s.chars().all(|c| c.is_ascii_hexdigit()) {
                u32::from_str_radix(&s, 16).ok()
            } else {
                None
            }
        };
        let Some(&e) = chars.get(i + 1) else {
            return Err("invalid escape sequence at end of string".into());
        };
        match e {
            'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '"' | '\'' | '\\' | '?' | '`' => Ok(i + 2),
            'x' | 'X' => hex(i + 2, 2)
                .map(|_| i + 4)
                .ok_or_else(|| "invalid \\x escape sequence".to_string()),
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                if bytes {
                    return Err(format!("\\{e} escapes are not allowed in bytes literals"));
                }
                let v = hex(i + 2, n).ok_or_else(|| format!("invalid \\{e} escape sequence"))?;
                if char::from_u32(v).is_none() {
                    return Err(format!(
                        "invalid unicode code point in \\{e} escape: {v:#x}"
                    ));
                }
                Ok(i + 2 + n)
            }
            '0'..='3' => {
                let ok = chars.get(i + 2).is_some_and(|c| ('0'..='7').contains(c))
                    && chars.get(i + 3).is_some_and(|c| ('0'..='7').contains(c));
                if ok {
                    Ok(i + 4)
                } else {
                    Err("invalid octal escape sequence".into())
                }
            }
            other => Err(format!("invalid escape sequence '\\{other}'")),
        }
    }

    /// The shape of a parsed expression, as far as the macro checks need it.
    #[derive(Clone, Copy, PartialEq)]
    enum Shape {
        Ident,
        Select,
        Other,
    }

    struct Parser {
        tokens: Vec<Token>,
        pos: usize,
        depth: usize,
    }

    impl Parser {
        fn peek(&self) -> &Tok {
            self.tokens.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
        }

        fn peek_at(&self, ahead: usize) -> &Tok {
            self.tokens
                .get(self.pos + ahead)
                .map_or(&Tok::Eof, |t| &t.tok)
        }

        fn is(&self, p: &str) -> bool {
            matches!(self.peek(), Tok::Punct(q) if *q == p)
        }

        fn eat(&mut self, p: &str) -> bool {
            if self.is(p) {
                self.pos += 1;
                true
            } else {
                false
            }
        }

        fn expect(&mut self, p: &str) -> Result<(), String> {
            if self.eat(p) {
                Ok(())
            } else {
                Err(self.error(format!(
                    "mismatched input '{}' expecting '{p}'",
                    self.current_text()
                )))
            }
        }

        fn current_text(&self) -> String {
            self.tokens
                .get(self.pos)
                .map_or_else(|| "<EOF>".to_string(), |t| t.text.clone())
        }

        fn error(&self, msg: String) -> String {
            match self.tokens.get(self.pos).or(self.tokens.last()) {
                Some(t) => format!("{}:{}: {msg}", t.line, t.col),
                None => msg,
            }
        }

        fn unexpected(&self) -> String {
            match self.peek() {
                Tok::Backquoted => self.error("unsupported syntax '`'".into()),
                _ => self.error(format!("extraneous input '{}'", self.current_text())),
            }
        }

        fn enter(&mut self) -> Result<(), String> {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.error(format!("expression recursion limit exceeded: {MAX_DEPTH}")));
            }
            Ok(())
        }

        /// expr := or ('?' or ':' expr)?
        fn expr(&mut self) -> Result<Shape, String> {
            self.enter()?;
            let mut shape = self.binary(0)?;
            if self.eat("?") {
                self.binary(0)?;
                self.expect(":")?;
                self.expr()?;
                shape = Shape::Other;
            }
            self.depth -= 1;
            Ok(shape)
        }

        /// Binary operators by precedence level: `||`, `&&`, relations, `+ -`, `* / %`.
        fn binary(&mut self, level: usize) -> Result<Shape, String> {
            const LEVELS: [&[&str]; 5] = [
                &["||"],
                &["&&"],
                &["<", "<=", ">=", ">", "==", "!=", "in"],
                &["+", "-"],
                &["*", "/", "%"],
            ];
            let Some(ops) = LEVELS.get(level) else {
                return self.unary();
            };
            let mut shape = self.binary(level + 1)?;
            loop {
                let matched = match self.peek() {
                    Tok::In => ops.contains(&"in"),
                    Tok::Punct(p) => ops.contains(p),
                    _ => false,
                };
                if !matched {
                    return Ok(shape);
                }
                self.pos += 1;
                self.enter()?;
                self.binary(level + 1)?;
                self.depth -= 1;
                shape = Shape::Other;
            }
        }

        /// unary := member | '!'+ member | '-'+ member (the two runs do not mix; a `-`
        /// directly before a number is the literal's sign).
        fn unary(&mut self) -> Result<Shape, String> {
            if self.is("!") {
                while self.eat("!") {}
                self.member()?;
                return Ok(Shape::Other);
            }
            if self.is("-") {
                let mut count = 0;
                while self.is("-") && !self.negative_literal_ahead() {
                    self.pos += 1;
                    count += 1;
                }
                let shape = self.member()?;
                return Ok(if count > 0 { Shape::Other } else { shape });
            }
            self.member()
        }

        fn negative_literal_ahead(&self) -> bool {
            matches!(self.peek_at(1), Tok::Int | Tok::IntMin | Tok::Double)
        }

        /// member := primary ('.' IDENT ('(' args ')')? | '[' expr ']')*
        fn member(&mut self) -> Result<Shape, String> {
            let mut shape = self.primary()?;
            loop {
                if self.eat(".") {
                    if self.eat("?") {
                        return Err(self.error("unsupported syntax '.?'".into()));
                    }
                    let name = match self.peek().clone() {
                        Tok::Ident(name) => name,
                        Tok::Backquoted => return Err(self.unexpected()),
                        _ => {
                            return Err(self.error(format!(
                                "no viable alternative at input '.{}'",
                                self.current_text()
                            )));
                        }
                    };
                    self.pos += 1;
                    if self.is("(") {
                        let args = self.call_args()?;
                        check_receiver_macro(&name, &args).map_err(|e| self.error(e))?;
                        shape = Shape::Other;
                    } else {
                        shape = Shape::Select;
                    }
                } else if self.eat("[") {
                    if self.eat("?") {
                        return Err(self.error("unsupported syntax '[?'".into()));
                    }
                    self.expr()?;
                    self.expect("]")?;
                    shape = Shape::Other;
                } else {
                    return Ok(shape);
                }
            }
        }

        /// '(' (expr (',' expr)*)? ')' — returns the shapes of the arguments.
        fn call_args(&mut self) -> Result<Vec<Shape>, String> {
            self.expect("(")?;
            let mut args = Vec::new();
            if self.eat(")") {
                return Ok(args);
            }
            loop {
                args.push(self.expr()?);
                if self.eat(")") {
                    return Ok(args);
                }
                self.expect(",")?;
            }
        }

        fn primary(&mut self) -> Result<Shape, String> {
            let tok = self.peek().clone();
            match tok {
                Tok::Punct(".") | Tok::Ident(_) => self.ident_primary(),
                Tok::Punct("(") => {
                    self.pos += 1;
                    let shape = self.expr()?;
                    self.expect(")")?;
                    Ok(shape)
                }
                Tok::Punct("[") => {
                    self.pos += 1;
                    self.init_list("]", false)?;
                    Ok(Shape::Other)
                }
                Tok::Punct("{") => {
                    self.pos += 1;
                    self.init_list("}", true)?;
                    Ok(Shape::Other)
                }
                // A signed int or double literal; any other `-` here (after `!`) is an error.
                Tok::Punct("-") if self.negative_literal_ahead() => {
                    self.pos += 2;
                    Ok(Shape::Other)
                }
                Tok::IntMin => {
                    Err(self.error(format!("invalid int literal: {}", self.current_text())))
                }
                Tok::Int | Tok::Uint | Tok::Double | Tok::Str | Tok::Bool | Tok::Null => {
                    self.pos += 1;
                    Ok(Shape::Other)
                }
                Tok::Backquoted => Err(self.unexpected()),
                Tok::Eof => Err(self.error("mismatched input '<EOF>'".into())),
                _ => Err(self.error(format!("mismatched input '{}'", self.current_text()))),
            }
        }

        /// `.`? IDENT, a global call, or a message construction `a.b.C{field: value}`.
        fn ident_primary(&mut self) -> Result<Shape, String> {
            self.eat(".");
            let Tok::Ident(name) = self.peek().clone() else {
                return Err(self.error(format!(
                    "no viable alternative at input '.{}'",
                    self.current_text()
                )));
            };
            if RESERVED.contains(&name.as_str()) {
                return Err(self.error(format!("reserved identifier: {name}")));
            }
            self.pos += 1;
            if self.is("(") {
                let args = self.call_args()?;
                if name == "has" && args.len() == 1 && args[0] != Shape::Select {
                    return Err(self.error("invalid argument to has() macro".into()));
                }
                return Ok(Shape::Other);
            }
            // A qualified name followed by '{' is a message construction.
            let mut ahead = 0;
            while matches!(self.peek_at(ahead), Tok::Punct("."))
                && matches!(self.peek_at(ahead + 1), Tok::Ident(_))
            {
                ahead += 2;
            }
            if matches!(self.peek_at(ahead), Tok::Punct("{")) {
                self.pos += ahead + 1;
                self.field_inits()?;
                return Ok(Shape::Other);
            }
            Ok(Shape::Ident)
        }

        /// List or map elements up to `close`, with an optional trailing comma.
        fn init_list(&mut self, close: &str, map: bool) -> Result<(), String> {
            loop {
                if self.eat(close) {
                    return Ok(());
                }
                if self.is("?") {
                    return Err(self.error("unsupported syntax '?'".into()));
                }
                if self.is(",") {
                    // Only `[,]` / `{,}`: a lone trailing comma.
                    self.pos += 1;
                    return self.expect(close);
                }
                self.expr()?;
                if map {
                    self.expect(":")?;
                    self.expr()?;
                }
                if !self.eat(",") {
                    return self.expect(close);
                }
            }
        }

        /// `field: expr, ...` up to '}'.
        fn field_inits(&mut self) -> Result<(), String> {
            loop {
                if self.eat("}") {
                    return Ok(());
                }
                if self.is("?") {
                    return Err(self.error("unsupported syntax '?'".into()));
                }
                match self.peek() {
                    Tok::Ident(_) => self.pos += 1,
                    Tok::Backquoted => return Err(self.unexpected()),
                    _ => {
                        return Err(self.error(format!(
                            "mismatched input '{}' expecting IDENTIFIER",
                            self.current_text()
                        )));
                    }
                }
                self.expect(":")?;
                self.expr()?;
                if !self.eat(",") {
                    return self.expect("}");
                }
            }
        }
    }

    /// The comprehension macros need a simple name as their iteration variable.
    fn check_receiver_macro(name: &str, args: &[Shape]) -> Result<(), String> {
        let is_macro = match name {
            "all" | "exists" | "exists_one" | "filter" => args.len() == 2,
            "map" => args.len() == 2 || args.len() == 3,
            _ => false,
        };
        if is_macro && args.first() != Some(&Shape::Ident) {
            return Err("argument must be a simple name".into());
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::check_syntax;

        #[test]
        fn accepts_valid_expressions() {
            for e in [
                "true",
                "response.code >= 400",
                "response.code >= 400 || xds.cluster_name == 'BlackHoleCluster'",
                "request.headers['x-user'] in ['a', \"b\"] && !(connection.mtls)",
                "has(request.headers.foo) ? request.headers.foo.size() > 2 : false",
                "[1, 2, 3].all(x, x > 0) && {'a': 1u, 'b': 2.5e3}.exists(k, k == 'a')",
                "[1,2].map(x, x * 2).filter(y, y % 2 == 0).size() == 2",
                "[1,2].map(x, x > 1, x + 1)",
                "-9223372036854775808 < 0 && 0x7fffffffffffffff > 0 && 18446744073709551615u > 0u",
                "!-1 == false && - -1 == 1 && !!true",
                "b'\\x00\\377' != b\"\" && r'\\d+' != '' && '''multi\nline''' != \"\\u00e9\"",
                ".com.example.Msg{field: 1, other: 'x',}.field == 1",
                "[,] == [] && {,} == {} && [1,] == [1]",
                "a.b.c[0].d(1, 2) // trailing comment",
                "x.if",
                ".5 + 1.0e-3 != 0.0",
            ] {
                assert!(check_syntax(e).is_ok(), "{e}: {:?}", check_syntax(e));
            }
        }

        #[test]
        fn rejects_invalid_expressions() {
            for e in [
                "",
                "   ",
                "response.code >=",
                "a ==",
                "(a",
                "a)",
                "a = b",
                "a && || b",
                "!-x",
                "-!x",
                "has(a)",
                "has(a['b'])",
                "[1].all(1, true)",
                "[1].map(x.y, x)",
                "if",
                "let(x)",
                "9223372036854775808",
                "18446744073709551616u",
                "1e400",
                "'unterminated",
                "'new\nline'",
                "'\\q'",
                "b'\\u00e9'",
                "'\\uD800'",
                "a.?b",
                "a[?0]",
                "[?a]",
                "a.`b-c`",
                "a # b",
                "a.1",
                "a b",
            ] {
                assert!(check_syntax(e).is_err(), "{e:?} should be rejected");
            }
        }

        #[test]
        fn limits() {
            let deep = format!("{}1{}", "(".repeat(300), ")".repeat(300));
            assert!(check_syntax(&deep).is_err());
            let ok = format!("{}1{}", "(".repeat(100), ")".repeat(100));
            assert!(check_syntax(&ok).is_ok());
            // The deepest accepted nesting must fit a 2 MiB thread stack (test threads and
            // rayon workers), whatever the construct.
            for (open, close) in [
                ("(", ")"),
                ("[", "]"),
                ("f(", ")"),
                ("{1: ", "}"),
                ("a[", "]"),
            ] {
                let nested = format!("{}1{}", open.repeat(240), close.repeat(240));
                let result = std::thread::Builder::new()
                    .stack_size(2 << 20)
                    .spawn(move || check_syntax(&nested).is_ok())
                    .map(|h| h.join());
                assert!(matches!(result, Ok(Ok(true))), "{open}: {result:?}");
            }
            let big = "a".repeat(100_001);
            assert!(check_syntax(&big).is_err());
        }

        #[test]
        fn reports_positions() {
            let e = check_syntax("a &&\n  )").unwrap_err();
            assert!(e.starts_with("2:3:"), "{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::validate::{Finding, Level};

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec("telemetry.istio.io/v1", "Telemetry", spec)
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::run::<Telemetry>(spec, validate)
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepts_a_full_spec() {
        let f = run(serde_json::json!({
            "metrics": [{
                "providers": [{"name": "prometheus"}],
                "reportingInterval": "5s",
                "overrides": [
                    {"tagOverrides": {"request_method": {"value": "request.method"}},
                     "match": {"customMetric": "foo"}, "disabled": false},
                    {"match": {"metric": "GRPC_REQUEST_MESSAGES"}, "disabled": true},
                    {"tagOverrides": {"foo": {"operation": "UPSERT", "value": "add"},
                                      "bar": {"operation": "REMOVE"}}},
                ],
            }],
            "accessLogging": [{"disabled": false, "filter": {"expression": "true"},
                               "match": {"mode": "CLIENT"}, "providers": [{"name": "stdout"}]}],
            "tracing": [{
                "providers": [{"name": "otlp"}],
                "match": {"mode": "CLIENT_AND_SERVER"},
                "randomSamplingPercentage": 54.54,
                "customTags": {
                    "env": {"environment": {"name": "NAME", "defaultValue": "default"}},
                    "header": {"header": {"name": "x-name"}},
                    "literal": {"literal": {"value": "default literal"}},
                },
            }],
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn provider_and_metric_names() {
        let f = validated(serde_json::json!({
            "metrics": [{"providers": [{"name": ""}], "overrides": [{"match": {"customMetric": ""}}]}],
            "accessLogging": [{"providers": [{"name": ""}]}],
        }));
        assert!(has(
            &f,
            Level::Error,
            "spec.metrics[0].providers[0].name",
            "at least 1 chars long"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.metrics[0].overrides[0].match.customMetric",
            "at least 1 chars long"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.accessLogging[0].providers[0].name",
            "at least 1 chars"
        ));
    }

    #[test]
    fn tag_overrides() {
        let f = run(
            serde_json::json!({"metrics": [{"overrides": [{"tagOverrides": {
                "a": {"operation": "UPSERT"},
                "b": {"operation": "UPSERT", "value": ""},
                "c": {"operation": "REMOVE", "value": "oops"},
                "d": {"operation": "REMOVE", "value": ""},
                "e": {},
                "": {"value": "x"},
            }}]}]}),
        );
        let t = |k: &str| format!("spec.metrics[0].overrides[0].tagOverrides[{k:?}]");
        assert!(has(
            &f,
            Level::Error,
            &t("a"),
            "value must be set when operation is UPSERT"
        ));
        assert!(has(
            &f,
            Level::Error,
            &t("b"),
            "value must be set when operation is UPSERT"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{}.value", t("c")),
            "value must not be set when operation is REMOVE"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{}.value", t("d")),
            "must not be set"
        ));
        assert!(has(
            &f,
            Level::Error,
            &t("e"),
            "tagOverrides.value must be set"
        ));
        assert!(has(
            &f,
            Level::Warning,
            &t(""),
            "tagOverrides.name may not be empty"
        ));
        assert_eq!(f.len(), 6, "{f:?}");
    }

    #[test]
    fn tracing_rules() {
        let f = validated(serde_json::json!({"tracing": [
            {"providers": [{"name": "a"}, {"name": "b"}], "randomSamplingPercentage": 100.5,
             "customTags": {"": {"literal": {"value": "x"}}, "h": {"header": {"name": ""}},
                            "f": {"formatter": {"value": ""}}}},
            {"randomSamplingPercentage": -1},
        ]}));
        assert!(has(&f, Level::Warning, "spec.tracing", "multiple tracing"));
        assert!(has(
            &f,
            Level::Warning,
            "spec.tracing[0].providers",
            "multiple providers"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].randomSamplingPercentage",
            "less than or equal to 100"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[1].randomSamplingPercentage",
            "greater than or equal to 0"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].customTags[\"\"]",
            "tag name may not be empty"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].customTags.h.header.name",
            "at least 1 chars"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].customTags.f.formatter.value",
            "at least 1 chars"
        ));
    }

    #[test]
    fn reporting_interval() {
        let f = run(
            serde_json::json!({"metrics": [{"reportingInterval": "0.5ms"}, {"reportingInterval": "1ms"}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.metrics[0].reportingInterval",
            "greater than 1ms"
        ));
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn access_log_filters() {
        let f = run(serde_json::json!({"accessLogging": [
            {"filter": {"expression": "response.code >= 400"}},
            {"filter": {"expression": "response.code >="}},
            {"filter": {}},
        ]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.accessLogging[1].filter.expression",
            "must be a valid CEL expression"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.accessLogging[2].filter",
            "must be a valid CEL expression"
        ));
        assert_eq!(f.len(), 2, "{f:?}");
    }

    #[test]
    fn selector_and_target_rules() {
        let f = run(serde_json::json!({
            "selector": {"matchLabels": {"a": "b"}},
            "targetRefs": [{"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": "gw"}],
        }));
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRefs",
            "only one of targetRefs or selector"
        ));
    }
}
