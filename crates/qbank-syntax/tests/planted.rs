//! Planted mistakes are found on the right line, with a message saying what is wrong.

use qbank_syntax::{CheckOutcome, check, resolve_language};

struct Planted {
    name: &'static str,
    info: &'static str,
    code: &'static str,
    /// 0-based line of the first error.
    line: u32,
}

const PLANTED: &[Planted] = &[
    Planted {
        name: "python: unbalanced bracket",
        info: "python",
        code: "def total(xs):\n    return sum(x for x in xs\n\nprint(total([1, 2]))\n",
        line: 1,
    },
    Planted {
        name: "python: `for` without its colon",
        info: "python",
        code: "def retry(call):\n    attempts = 0\n    for i in range(5)\n        try:\n            return call()\n        except Exception:\n            attempts += 1\n",
        line: 2,
    },
    Planted {
        name: "python: top-level `for` without its colon, statements skipped",
        info: "python",
        code: "for attempt in range(5)\n    if call():\n        break\n",
        line: 0,
    },
    Planted {
        name: "python: `def` without its colon",
        info: "python",
        code: "def greet(name)\n    return f\"hi {name}\"\n\nprint(greet(\"ada\"))\n",
        line: 0,
    },
    Planted {
        name: "javascript: `if` condition never closed",
        info: "javascript",
        code: "function check(x) {\n  if (x > 1 {\n    return true;\n  }\n  return false;\n}\n",
        line: 1,
    },
    Planted {
        name: "go: `if` block never opened",
        info: "go",
        code: "func positive(x int) bool {\n\tif x > 0\n\t\treturn true\n\t}\n\treturn false\n}\n",
        line: 1,
    },
    Planted {
        name: "python: stray closing bracket",
        info: "py",
        code: "items = [1, 2, 3]\nprint(len(items)))\n",
        line: 1,
    },
    Planted {
        name: "python: REPL session, positions in the original",
        info: "python",
        code: ">>> xs = [1, 2]\n>>> print(xs]\n[1, 2]\n",
        line: 1,
    },
    Planted {
        name: "javascript: unbalanced bracket",
        info: "js",
        code: "function add(a, b) {\n  return (a + b;\n}\n",
        line: 1,
    },
    Planted {
        name: "javascript: extra brace after an omitted body",
        info: "javascript",
        code: "function f() {\n  ...\n}\n}\n",
        line: 3,
    },
    Planted {
        name: "typescript: interface never closed",
        info: "ts",
        code: "interface User {\n  id: number;\n\nconst u: User = { id: 1 };\n",
        line: 3,
    },
    Planted {
        name: "yaml: mis-indented mapping key",
        info: "yaml",
        code: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n labels:\n    app: web\n",
        line: 4,
    },
    Planted {
        name: "yaml: mapping value where none is allowed",
        info: "yml",
        code: "spec:\n  replicas: 3\n   selector: web\n",
        line: 2,
    },
    Planted {
        name: "yaml: fragment with synthetic parents, error past them",
        info: "yaml",
        code: "    containers:\n    - name: app\n  volumes:\n  - name: data\n   emptyDir: {}\n",
        line: 4,
    },
    Planted {
        name: "json: trailing comma",
        info: "json",
        code: "{\n  \"name\": \"app\",\n  \"private\": true,\n}\n",
        line: 2,
    },
    Planted {
        name: "json: comment outside jsonc",
        info: "json",
        code: "{\n  // the app\n  \"name\": \"app\"\n}\n",
        line: 1,
    },
    Planted {
        name: "jsonc: missing comma",
        info: "jsonc",
        code: "{\n  // the app\n  \"name\": \"app\"\n  \"private\": true\n}\n",
        line: 2,
    },
    Planted {
        name: "bash: unterminated string",
        info: "bash",
        code: "echo \"deploying\nkubectl apply -f deploy.yaml\n",
        line: 0,
    },
    Planted {
        name: "bash: if without fi",
        info: "sh",
        code: "if [ -f app.pid ]; then\n  kill \"$(cat app.pid)\"\n",
        line: 1,
    },
    Planted {
        name: "console: error in a prompted command, output ignored",
        info: "console",
        code: "$ ls\napp.pid\n$ for f in *.log; do gzip \"$f\"\n",
        line: 2,
    },
    Planted {
        name: "go: func missing its closing brace",
        info: "go",
        code: "func main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(i)\n\t}\n",
        line: 3,
    },
    Planted {
        name: "go: statements without package, unclosed call",
        info: "golang",
        code: "x := compute(1, 2\nfmt.Println(x)\n",
        line: 0,
    },
    Planted {
        name: "dockerfile: unknown instruction",
        info: "dockerfile",
        code: "FROM python:3.12-slim\nWORKDIR /app\nINSTAL curl\nCMD [\"python\", \"app.py\"]\n",
        line: 2,
    },
    Planted {
        name: "dockerfile: instruction glued to a word",
        info: "docker",
        code: "FROM python:3.12-slim\nRUNN pip install -r requirements.txt\n",
        line: 1,
    },
    Planted { name: "sql: misspelt keywords", info: "sql", code: "SELEC * FORM users;\n", line: 0 },
    Planted {
        name: "sql: second statement misspelt",
        info: "postgresql",
        code: "SELECT id\nFROM users;\n\nUDPATE users SET active = false WHERE id = %s;\n",
        line: 3,
    },
    Planted {
        name: "sql: unclosed parenthesis",
        info: "mysql",
        code: "SELECT name\nFROM users\nWHERE id IN (SELECT user_id FROM orders;\n",
        line: 2,
    },
    Planted {
        name: "hcl: unclosed block",
        info: "terraform",
        code: "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"my-logs\"\n\n  versioning {\n    enabled = true\n  }\n",
        line: 5,
    },
    Planted { name: "rust: missing semicolon", info: "rust", code: "let x = 5\nlet y = x + 1;\n", line: 0 },
    Planted {
        name: "java: missing semicolon",
        info: "java",
        code: "public void greet() {\n  System.out.println(\"hi\")\n}\n",
        line: 1,
    },
    Planted { name: "toml: unclosed table header", info: "toml", code: "[package\nname = \"app\"\n", line: 0 },
    Planted { name: "css: stray closing brace", info: "css", code: ".card { padding: 8px; }\n}\n", line: 1 },
];

/// The code with each error's message under its line, caret at its column.
fn render(planted: &Planted, errors: &[qbank_syntax::SyntaxError]) -> String {
    let mut out = format!("## {} ({})\n", planted.name, planted.info);
    for (number, text) in planted.code.lines().enumerate() {
        out.push_str(&format!("{:>3} | {text}\n", number + 1));
        for error in errors.iter().filter(|error| error.line as usize == number) {
            let column = text.get(..error.column as usize).map_or(0, |prefix| prefix.chars().count());
            out.push_str(&format!("    | {}^ {}\n", " ".repeat(column), error.message));
        }
    }
    out
}

#[test]
fn planted_errors_are_found_on_their_line() {
    let mut report = String::new();
    let mut wrong = Vec::new();
    for planted in PLANTED {
        let language = resolve_language(planted.info).unwrap();
        let CheckOutcome::Checked(errors) = check(language, planted.code) else {
            wrong.push(format!("{}: unsupported", planted.name));
            continue;
        };
        match errors.first() {
            Some(first) if first.line == planted.line => {}
            first => wrong.push(format!("{}: expected line {}, got {first:?}", planted.name, planted.line)),
        }
        for error in &errors {
            assert_eq!(&planted.code[error.range.clone()].len(), &error.range.len());
            let line_start: usize = planted.code.lines().take(error.line as usize).map(|l| l.len() + 1).sum();
            assert_eq!(line_start + error.column as usize, error.range.start, "{}", planted.name);
        }
        // Windows line ends move offsets, not lines, columns or messages.
        let crlf = planted.code.replace('\n', "\r\n");
        let CheckOutcome::Checked(crlf_errors) = check(language, &crlf) else {
            panic!("{}: unsupported with CRLF", planted.name);
        };
        let place = |errors: &[qbank_syntax::SyntaxError]| -> Vec<(u32, u32, String)> {
            errors.iter().map(|error| (error.line, error.column, error.message.clone())).collect()
        };
        assert_eq!(place(&crlf_errors), place(&errors), "{} with CRLF", planted.name);
        report.push_str(&render(planted, &errors));
        report.push('\n');
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    insta::assert_snapshot!("planted_errors", report);
}
