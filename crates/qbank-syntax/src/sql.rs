//! Dialect-independent SQL checks (brackets, quotes, misspelt statement keywords) on a
//! small lexer: the one SQL grammar rejects too many dialects' statements to be trusted.

use std::ops::Range;

use crate::diagnose::RawError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Number,
    Punct(u8),
    /// `'…'`, `"…"`, `` `…` ``, `$tag$…$tag$`; `closed` is false when the input ends inside.
    Quoted {
        open: &'static str,
        closed: bool,
    },
    Comment {
        closed: bool,
    },
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    range: Range<usize>,
}

/// Tokens of `code`. With `backslash_escapes`, `\` escapes the next character inside
/// quotes (MySQL); without, only doubled quotes do (standard SQL).
fn lex(code: &str, backslash_escapes: bool) -> Vec<Token> {
    let bytes = code.as_bytes();
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let start = index;
        let byte = bytes[index];
        let kind = if byte.is_ascii_whitespace() {
            index += 1;
            continue;
        } else if code[index..].starts_with("--") || is_hash_comment(code, index) {
            index = code[index..].find('\n').map_or(bytes.len(), |at| index + at);
            Kind::Comment { closed: true }
        } else if code[index..].starts_with("/*") {
            match code[index + 2..].find("*/") {
                Some(at) => {
                    index += 2 + at + 2;
                    Kind::Comment { closed: true }
                }
                None => {
                    index = bytes.len();
                    Kind::Comment { closed: false }
                }
            }
        } else if matches!(byte, b'\'' | b'"' | b'`') {
            let open: &'static str = match byte {
                b'\'' => "'",
                b'"' => "\"",
                _ => "`",
            };
            index += 1;
            let mut closed = false;
            while index < bytes.len() {
                let current = bytes[index];
                if backslash_escapes && current == b'\\' && byte != b'`' {
                    index += 2;
                } else if current == byte {
                    index += 1;
                    if bytes.get(index) == Some(&byte) {
                        index += 1;
                    } else {
                        closed = true;
                        break;
                    }
                } else {
                    index += 1;
                }
            }
            index = index.min(bytes.len());
            Kind::Quoted { open, closed }
        } else if byte == b'$' && dollar_tag_len(&code[index..]).is_some() {
            let tag_len = dollar_tag_len(&code[index..]).unwrap_or(1);
            let tag = &code[index..index + tag_len];
            match code[index + tag_len..].find(tag) {
                Some(at) => {
                    index += tag_len + at + tag_len;
                    Kind::Quoted { open: "$$", closed: true }
                }
                None => {
                    index = bytes.len();
                    Kind::Quoted { open: "$$", closed: false }
                }
            }
        } else if is_word_byte(byte) && !byte.is_ascii_digit() {
            while index < bytes.len() && (is_word_byte(bytes[index]) || bytes[index] == b'$') {
                index += 1;
            }
            Kind::Word
        } else if byte.is_ascii_digit() {
            while index < bytes.len() && (is_word_byte(bytes[index]) || bytes[index] == b'.') {
                index += 1;
            }
            Kind::Number
        } else {
            index += 1;
            Kind::Punct(byte)
        };
        tokens.push(Token { kind, range: start..index });
    }
    tokens
}

/// MySQL's `# comment`, told apart from PostgreSQL's `#` operators by standing at the
/// start of a line and being followed by a space.
fn is_hash_comment(code: &str, index: usize) -> bool {
    let bytes = code.as_bytes();
    bytes[index] == b'#'
        && matches!(bytes.get(index + 1), None | Some(b' '))
        && bytes[..index].iter().rev().find(|b| !matches!(b, b' ' | b'\t')).is_none_or(|b| *b == b'\n')
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// Length of a dollar-quote tag (`$$`, `$body$`) at the start of `text`.
fn dollar_tag_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('$')?;
    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    let starts_with_digit = rest.as_bytes().first().is_some_and(u8::is_ascii_digit);
    (!starts_with_digit && rest[name_len..].starts_with('$')).then_some(name_len + 2)
}

/// Words that may open a statement in some dialect (including procedural bodies).
const STATEMENT_KEYWORDS: &[&str] = &[
    "ABORT",
    "ALTER",
    "ANALYSE",
    "ANALYZE",
    "ATTACH",
    "BACKUP",
    "BEGIN",
    "BULK",
    "CACHE",
    "CALL",
    "CASE",
    "CHECK",
    "CHECKPOINT",
    "CHECKSUM",
    "CLOSE",
    "CLUSTER",
    "COMMENT",
    "COMMIT",
    "CONNECT",
    "CONTINUE",
    "COPY",
    "CREATE",
    "DBCC",
    "DEALLOCATE",
    "DECLARE",
    "DELETE",
    "DELIMITER",
    "DENY",
    "DESC",
    "DESCRIBE",
    "DETACH",
    "DISCARD",
    "DISCONNECT",
    "DO",
    "DROP",
    "ELSE",
    "ELSEIF",
    "ELSIF",
    "END",
    "EXCEPTION",
    "EXEC",
    "EXECUTE",
    "EXIT",
    "EXPLAIN",
    "EXPORT",
    "FETCH",
    "FLUSH",
    "FOR",
    "FOREACH",
    "FROM",
    "GET",
    "GO",
    "GRANT",
    "HANDLER",
    "IF",
    "IMPORT",
    "INSERT",
    "INSTALL",
    "ITERATE",
    "KILL",
    "LEAVE",
    "LISTEN",
    "LOAD",
    "LOCK",
    "LOOP",
    "MERGE",
    "MOVE",
    "MSCK",
    "NOTIFY",
    "NULL",
    "OPEN",
    "OPTIMIZE",
    "PERFORM",
    "PRAGMA",
    "PREPARE",
    "PRINT",
    "PURGE",
    "RAISE",
    "REASSIGN",
    "REFRESH",
    "REINDEX",
    "RELEASE",
    "RENAME",
    "REPAIR",
    "REPEAT",
    "REPLACE",
    "RESET",
    "RESIGNAL",
    "RESTORE",
    "RETURN",
    "REVOKE",
    "ROLLBACK",
    "SAVEPOINT",
    "SECURITY",
    "SELECT",
    "SET",
    "SHOW",
    "SHUTDOWN",
    "SIGNAL",
    "SOURCE",
    "SPOOL",
    "START",
    "SUMMARIZE",
    "TABLE",
    "TRUNCATE",
    "UNINSTALL",
    "UNLISTEN",
    "UNLOCK",
    "UNTIL",
    "UPDATE",
    "UPSERT",
    "USE",
    "VACUUM",
    "VALUES",
    "WAITFOR",
    "WHEN",
    "WHILE",
    "WITH",
];

/// The statements people most often misspell, for "did you mean".
const COMMON_STATEMENTS: &[&str] = &[
    "ALTER", "BEGIN", "COMMIT", "CREATE", "DELETE", "DESCRIBE", "DROP", "EXPLAIN", "GRANT", "INSERT", "REVOKE",
    "ROLLBACK", "SELECT", "TRUNCATE", "UPDATE", "VALUES", "WITH",
];

/// Mistakes no SQL dialect accepts: unbalanced brackets, unclosed quotes or comments, and a
/// statement opening with a misspelt keyword (`SELEC`). Reported only when both quoting
/// conventions (with and without backslash escapes) find something.
pub(crate) fn lexical_errors(code: &str) -> Vec<RawError> {
    let standard = lexical_errors_with(code, false);
    if standard.is_empty() || lexical_errors_with(code, true).is_empty() {
        return Vec::new();
    }
    standard
}

fn lexical_errors_with(code: &str, backslash_escapes: bool) -> Vec<RawError> {
    let tokens = lex(code, backslash_escapes);
    let mut errors = Vec::new();
    let mut stack: Vec<(u8, Range<usize>)> = Vec::new();
    let mut statement_start = true;
    for (index, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::Comment { closed: true } => continue,
            Kind::Comment { closed: false } => errors.push(RawError {
                range: token.range.start..token.range.start + 2,
                message: "unclosed `/*` comment".to_string(),
            }),
            Kind::Quoted { open, closed: false } => errors.push(RawError {
                range: token.range.start..token.range.start + open.len(),
                message: format!("unclosed `{open}`"),
            }),
            Kind::Punct(open @ (b'(' | b'[')) => stack.push((open, token.range.clone())),
            Kind::Punct(close @ (b')' | b']')) => {
                let open = if close == b')' { b'(' } else { b'[' };
                match stack.pop() {
                    Some((top, _)) if top == open => {}
                    Some((top, range)) => {
                        errors.push(RawError { range, message: format!("unclosed `{}`", top as char) })
                    }
                    None => errors.push(RawError {
                        range: token.range.clone(),
                        message: format!("unexpected `{}`", close as char),
                    }),
                }
            }
            Kind::Word if statement_start && stack.is_empty() => {
                if let Some(error) = misspelt_statement(code, &tokens, index) {
                    errors.push(error);
                }
            }
            _ => {}
        }
        statement_start = token.kind == Kind::Punct(b';');
    }
    errors.extend(
        stack.into_iter().map(|(open, range)| RawError { range, message: format!("unclosed `{}`", open as char) }),
    );
    errors.sort_by_key(|error| error.range.start);
    errors
}

fn misspelt_statement(code: &str, tokens: &[Token], index: usize) -> Option<RawError> {
    let token = &tokens[index];
    let word = code[token.range.clone()].to_ascii_uppercase();
    if STATEMENT_KEYWORDS.contains(&word.as_str()) {
        return None;
    }
    // `x := 1`, `proc(…)`, `schema.proc`, `label:` are not statement keywords.
    let next = tokens.get(index + 1).map(|next| next.kind);
    if matches!(next, Some(Kind::Punct(b'(' | b'.' | b':' | b'='))) {
        return None;
    }
    let suggestion = COMMON_STATEMENTS.iter().find(|keyword| {
        let limit = if keyword.len() >= 6 { 2 } else { 1 };
        edit_distance(&word, keyword) <= limit
    })?;
    Some(RawError {
        range: token.range.clone(),
        message: format!("unknown statement `{}` (did you mean `{suggestion}`?)", &code[token.range.clone()]),
    })
}

/// Optimal string alignment distance (a swap of neighbours counts once).
fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(code: &str) -> Vec<String> {
        lexical_errors(code).into_iter().map(|error| error.message).collect()
    }

    #[test]
    fn finds_dialect_independent_mistakes() {
        assert_eq!(messages("SELEC * FORM users;"), ["unknown statement `SELEC` (did you mean `SELECT`?)"]);
        assert_eq!(messages("SELECT COUNT(* FROM t;"), ["unclosed `(`"]);
        assert_eq!(messages("SELECT 1);"), ["unexpected `)`"]);
        assert_eq!(messages("SELECT 'abc FROM t;"), ["unclosed `'`"]);
        assert_eq!(messages("SELECT 1;\nUDPATE t SET a = 1;"), ["unknown statement `UDPATE` (did you mean `UPDATE`?)"]);
    }

    #[test]
    fn accepts_dialect_features() {
        for code in [
            "SELECT * FROM t FOR UPDATE SKIP LOCKED;",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;",
            "SELECT 'It''s';",
            "SELECT 'It\\'s';",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT (1; $$ LANGUAGE sql;",
            "SELECT a::text, b ->> 'c' FROM t WHERE d @> '{\"a\": [1]}';",
            "name\n----\nalice\n",
            "x := 1;",
            "# a MySQL comment, don't mind the quote\nSELECT 1;",
        ] {
            assert_eq!(messages(code), Vec::<String>::new(), "{code}");
        }
    }

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(edit_distance("SELEC", "SELECT"), 1);
        assert_eq!(edit_distance("UDPATE", "UPDATE"), 1);
        assert_eq!(edit_distance("NAME", "DROP"), 4);
    }
}
