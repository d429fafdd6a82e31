//! Real-world fragments from interview banks that must check clean, language by language.

use qbank_syntax::{CheckOutcome, check, resolve_language};

/// Checks every `(info, code)` pair and fails listing each one that reports an error.
fn assert_all_clean(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (info, code) in cases {
        let language = resolve_language(info).unwrap_or_else(|| panic!("`{info}` is unknown"));
        // Blocks arrive with or without their final line break, and with Windows line ends.
        let crlf = code.replace('\n', "\r\n");
        for code in [*code, code.trim_end_matches('\n'), crlf.as_str()] {
            match check(language, code) {
                CheckOutcome::Checked(errors) if errors.is_empty() => {}
                outcome => failures.push(format!("--- {info}\n{code}\n=> {outcome:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} fragments failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn yaml_fragments() {
    assert_all_clean(&[
        ("yaml", "strategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxSurge: 1\n"),
        ("yaml", "  containers:\n  - name: app\n    image: nginx:1.25\n"),
        ("yaml", "    containers:\n    - name: app\n      image: x\n  volumes:\n  - name: data\n    emptyDir: {}\n"),
        ("yaml", "resources:\n  requests:\n    cpu: \"500m\"\n  limits:\n    cpu: \"1\"\n"),
        (
            "yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        ),
        (
            "yml",
            "image: {{ .Values.image.repository }}:{{ .Values.image.tag }}\n{{- if .Values.ingress.enabled }}\ningress:\n  host: {{ .Values.host }}\n{{- end }}\n",
        ),
        (
            "yaml",
            "- name: Install packages\n  apt:\n    name: \"{{ item }}\"\n    state: present\n  loop: \"{{ packages }}\"\n  when: ansible_os_family == \"Debian\"\n",
        ),
        (
            "yaml",
            "on:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          npm ci\n          npm test\n        env:\n          TOKEN: ${{ secrets.TOKEN }}\n",
        ),
        (
            "yaml",
            "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n    environment:\n      POSTGRES_PASSWORD: example\n  web:\n    build: .\n    depends_on: [db]\n",
        ),
        (
            "yaml",
            "groups:\n- name: example\n  rules:\n  - alert: HighLatency\n    expr: histogram_quantile(0.95, rate(http_duration_bucket[5m])) > 0.5\n    for: 10m\n    annotations:\n      summary: \"High latency on {{ $labels.instance }}\"\n",
        ),
        (
            "yaml",
            "anchors:\n  base: &base\n    a: 1\n  derived:\n    <<: *base\n    b: 2\nmultiline: >\n  folded\n  text\nempty:\nlist: [a, b, {c: d}]\n",
        ),
        ("yaml", "# just a comment\n"),
        ("yaml", "livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n  initialDelaySeconds: 3\n"),
    ]);
}

#[test]
fn shell_fragments() {
    assert_all_clean(&[
        ("bash", "kubectl rollout undo deployment/my-service\n"),
        ("bash", "kubectl logs <pod-name> -n <namespace> --tail=100\n"),
        ("sh", "kubectl describe pod <pod-name>\n"),
        (
            "shell",
            "$ kubectl get pods\nNAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5m\n",
        ),
        ("console", "$ docker ps\nCONTAINER ID   IMAGE\n$ docker logs -f web\n"),
        ("console", "user@host:~$ uname -a\nLinux host 6.1.0\n"),
        ("bash", "for pod in $(kubectl get pods -o name); do\n  kubectl delete \"$pod\"\ndone\n"),
        ("bash", "if [[ -z \"$VAR\" ]]; then\n  echo \"unset\" >&2\n  exit 1\nfi\n"),
        (
            "bash",
            "curl -sS -X POST https://api.example.com/v1/items \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"name\": \"x\"}' | jq '.id'\n",
        ),
        ("bash", "cat <<'EOF' > /etc/app.conf\nkey = value\nEOF\n"),
        ("bash", "find /var/log -name '*.log' -mtime +7 -exec rm {} \\;\n"),
        ("zsh", "export PATH=\"$HOME/bin:$PATH\"\nsource ~/.zshrc\n"),
        ("bash", "# Create a cluster\neksctl create cluster --name demo --nodes 3\n\n# Verify\nkubectl get nodes\n"),
        ("bash", "awk '{print $1}' access.log | sort | uniq -c | sort -rn | head -10\n"),
        (
            "bash",
            "trap 'cleanup' EXIT\nset -euo pipefail\nreadonly DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n",
        ),
        ("bash", "terraform plan -out=tfplan\nterraform apply tfplan\n"),
        ("bash", "git rebase -i HEAD~3\ngit push --force-with-lease\n"),
        ("bash", "ps aux --sort=-%mem | head\nfree -h && df -h\n"),
        ("bash", "echo $((2 ** 10))\narr=(one two three)\necho \"${arr[@]:1}\"\n"),
        ("bash", "case \"$1\" in\n  start) run ;;\n  stop|halt) halt ;;\n  *) usage ;;\nesac\n"),
        ("console", "$ cat <<EOF > f.txt\n> hello\n> EOF\n"),
    ]);
}

#[test]
fn python_fragments() {
    assert_all_clean(&[
        ("python", "cursor.execute(\"SELECT * FROM users WHERE id = %s\", (user_id,))\n"),
        ("py", "def handler(event, context):\n    ...\n"),
        ("python", "result = await fetch(url)\nreturn result\n"),
        (
            "python",
            "@app.post('/predict')\ndef predict(features: dict) -> dict:\n    return {'prediction': model.predict([list(features.values())]).tolist()}\n",
        ),
        (
            "python",
            ">>> a = [1, 2, 3]\n>>> a[::-1]\n[3, 2, 1]\n>>> def f(x):\n...     return x * 2\n...\n>>> f(2)\n4\n",
        ),
        ("python", "!pip install pandas\n%timeit sum(range(100))\nimport pandas as pd\n"),
        (
            "python3",
            "match command.split():\n    case [\"go\", direction]:\n        move(direction)\n    case _:\n        pass\n",
        ),
        ("python", "if (n := len(items)) > 10:\n    print(f\"{n=} items, first {items[0]!r:>10}\")\n"),
        (
            "python",
            "class Node:\n    def __init__(self, val, next=None):\n        self.val = val\n        self.next = next\n",
        ),
        (
            "python",
            "async def main():\n    async with aiohttp.ClientSession() as s:\n        results = await asyncio.gather(*[fetch(s, u) for u in urls])\n",
        ),
        (
            "python",
            "try:\n    risky()\nexcept (ValueError, KeyError) as e:\n    log.exception(e)\nelse:\n    pass\nfinally:\n    cleanup()\n",
        ),
        ("python", "lambda x: x ** 2\nsquares = {k: v for k, v in zip(a, b) if v}\n"),
        (
            "python",
            "with open('app.log') as f:\n    for line in f:\n        if 'ERROR' in line:\n            counter[line.split('ERROR')[1].strip()] += 1\n",
        ),
        (
            "python",
            "def fib(n: int) -> int:\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n",
        ),
        ("python", "client = OpenAI(api_key=<YOUR_API_KEY>)\n"),
        ("python", "global counter\nnonlocal total\nyield item\n"),
        ("python", "type Point = tuple[float, float]\ndef first[T](xs: list[T]) -> T: ...\n"),
    ]);
}

#[test]
fn javascript_fragments() {
    assert_all_clean(&[
        ("js", "app.use((req, res, next) => {\n  console.log('Request:', req.method, req.url);\n  next();\n});\n"),
        (
            "jsx",
            "function App() {\n  const [n, setN] = useState(0);\n  return <button onClick={() => setN(n + 1)}>{n}</button>;\n}\n",
        ),
        ("javascript", "const data = await fetch('/api').then(r => r.json());\n"),
        ("js", "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\"\n}\n"),
        ("js", "render() {\n  return <div className=\"x\">{this.props.children}</div>;\n}\n"),
        (
            "js",
            "function debounce(fn, ms) {\n  let t;\n  return (...args) => {\n    clearTimeout(t);\n    t = setTimeout(() => fn(...args), ms);\n  };\n}\n",
        ),
        ("js", "const obj = { a: 1, ... };\nfunction todo() {\n  // ...\n  ...\n}\n"),
        ("node", "module.exports = { handler };\nexports.x = require('./x');\n"),
        (
            "js",
            "class Counter extends React.Component {\n  state = { count: 0 };\n  static defaultProps = {};\n  #secret = 1;\n}\n",
        ),
        ("js", "const { a, b: { c = 2 } = {}, ...rest } = obj;\nconst s = `hello ${name}!`;\nconst re = /ab+c/gi;\n"),
        ("js", "for await (const chunk of stream) process(chunk);\nlabel: for (;;) { break label; }\n"),
        ("js", "function greet(name: string): string {\n  return `Hi ${name}`;\n}\n"),
        ("js", "promise\n  .then(res => res.json())\n  .catch(console.error)\n  .finally(() => done());\n"),
        ("mjs", "import fs from 'node:fs/promises';\nexport const read = (p) => fs.readFile(p, 'utf8');\n"),
    ]);
}

#[test]
fn typescript_fragments() {
    assert_all_clean(&[
        ("ts", "interface User {\n  id: number;\n  name?: string;\n  readonly tags: string[];\n}\n"),
        (
            "typescript",
            "function identity<T>(arg: T): T {\n  return arg;\n}\ntype Partial2<T> = { [P in keyof T]?: T[P] };\n",
        ),
        ("ts", "const el = <div>hi</div>;\n"),
        (
            "tsx",
            "export const Button: React.FC<Props> = ({ label, onClick }) => (\n  <button onClick={onClick}>{label}</button>\n);\n",
        ),
        ("ts", "@Injectable()\nexport class UserService {\n  constructor(private readonly http: HttpClient) {}\n}\n"),
        ("ts", "enum Color { Red, Green }\nlet x = <number>someValue;\nlet y = value as unknown as string;\n"),
        (
            "ts",
            "async function load(): Promise<void> {\n  const res = await fetch(url);\n  if (!res.ok) throw new Error(`status ${res.status}`);\n}\n",
        ),
        (
            "ts",
            "private cache = new Map<string, number>();\npublic get(key: string): number | undefined {\n  return this.cache.get(key);\n}\n",
        ),
    ]);
}

#[test]
fn go_fragments() {
    assert_all_clean(&[
        (
            "go",
            "func TestTerraform(t *testing.T) {\n  terraformOptions := &terraform.Options{\n    TerraformDir: \"../examples/terraform\",\n  }\n  defer terraform.Destroy(t, terraformOptions)\n  terraform.InitAndApply(t, terraformOptions)\n}\n",
        ),
        (
            "golang",
            "ch := make(chan int, 10)\ngo func() {\n  for i := 0; i < 10; i++ {\n    ch <- i\n  }\n  close(ch)\n}()\nfor v := range ch {\n  fmt.Println(v)\n}\n",
        ),
        ("go", "if err != nil {\n  return fmt.Errorf(\"load: %w\", err)\n}\n"),
        (
            "go",
            "package main\n\nimport (\n  \"fmt\"\n  \"sync\"\n)\n\nfunc main() {\n  var wg sync.WaitGroup\n  wg.Add(1)\n  go func() { defer wg.Done(); fmt.Println(\"hi\") }()\n  wg.Wait()\n}\n",
        ),
        (
            "go",
            "type Server struct {\n  mu sync.Mutex\n  clients map[string]*Client\n}\n\nfunc (s *Server) Add(c *Client) {\n  s.mu.Lock()\n  defer s.mu.Unlock()\n  s.clients[c.ID] = c\n}\n",
        ),
        ("go", "Name string `json:\"name\"`\nAge  int    `json:\"age,omitempty\"`\n"),
        ("go", "select {\ncase msg := <-ch:\n  handle(msg)\ncase <-ctx.Done():\n  return ctx.Err()\n}\n"),
        (
            "go",
            "func Map[T, U any](xs []T, f func(T) U) []U {\n  out := make([]U, 0, len(xs))\n  for _, x := range xs {\n    out = append(out, f(x))\n  }\n  return out\n}\n",
        ),
        ("go", "func handler(w http.ResponseWriter, r *http.Request) {\n  // ...\n}\n"),
        ("go", "args := append(base, extra...)\nf(args...)\n"),
    ]);
}

#[test]
fn sql_fragments() {
    assert_all_clean(&[
        (
            "sql",
            "SELECT user_id, COUNT(*) AS activity_count\nFROM user_activity_logs\nGROUP BY user_id\nORDER BY activity_count DESC\nLIMIT 5;\n",
        ),
        ("sql", "SELECT * FROM users WHERE id = %s"),
        ("sql", "SELECT * FROM users WHERE email = %(email)s AND active = :active"),
        ("sql", "SELECT * FROM orders WHERE id = ? AND user_id = $1\n"),
        ("sql", "SELECT 1\nSELECT 2\n"),
        (
            "sql",
            "-- Second highest salary\nSELECT MAX(salary) FROM employees\nWHERE salary < (SELECT MAX(salary) FROM employees)\n\n-- With a window function\nSELECT salary FROM (\n  SELECT salary, DENSE_RANK() OVER (ORDER BY salary DESC) AS r FROM employees\n) t WHERE r = 2\n",
        ),
        (
            "postgresql",
            "INSERT INTO users (id, name) VALUES (1, 'a')\nON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name;\n",
        ),
        (
            "sql",
            "BEGIN;\nSELECT balance FROM accounts WHERE id = 1 FOR UPDATE;\nUPDATE accounts SET balance = balance - 100 WHERE id = 1;\nCOMMIT;\n",
        ),
        ("sql", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSTART TRANSACTION;\nROLLBACK;\n"),
        ("mysql", "SELECT `name` FROM `users` LIMIT 10, 20;\nSHOW PROCESSLIST;\nDESCRIBE users;\n"),
        ("sql", "SELECT TOP 5 * FROM users;\n"),
        ("sql", "EXPLAIN ANALYZE SELECT * FROM orders WHERE customer_id = 42;\n"),
        ("sql", "CREATE INDEX CONCURRENTLY idx_orders_customer ON orders (customer_id);\n"),
        ("sql", "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY latency) FROM requests;\n"),
        (
            "sql",
            "WITH RECURSIVE tree AS (\n  SELECT id, parent_id FROM nodes WHERE parent_id IS NULL\n  UNION ALL\n  SELECT n.id, n.parent_id FROM nodes n JOIN tree t ON n.parent_id = t.id\n)\nSELECT * FROM tree;\n",
        ),
        (
            "sql",
            "mysql> SELECT COUNT(*) FROM users;\n+----------+\n| COUNT(*) |\n+----------+\n|       42 |\n+----------+\n",
        ),
        (
            "sql",
            "CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n  NEW.updated_at = now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n",
        ),
        ("sql", "SELECT data->>'name', tags @> ARRAY['a'] FROM docs WHERE id = ANY($1);\n"),
        (
            "sql",
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly;\nLOCK TABLE users IN ACCESS EXCLUSIVE MODE;\n",
        ),
        ("sql", "SELECT * FROM users WHERE id = <user_id>;\n"),
        ("sql", "SELECT a, b, ... FROM t;\n"),
    ]);
}

#[test]
fn dockerfile_fragments() {
    assert_all_clean(&[
        (
            "dockerfile",
            "FROM python:3.9\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        ),
        (
            "docker",
            "# syntax=docker/dockerfile:1\nARG NODE=20\nFROM node:${NODE}-alpine AS build\nWORKDIR /src\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM nginx:alpine\nCOPY --from=build /src/dist /usr/share/nginx/html\nEXPOSE 80\nHEALTHCHECK --interval=30s CMD wget -qO- localhost || exit 1\n",
        ),
        (
            "dockerfile",
            "FROM ubuntu:22.04\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl ca-certificates && \\\n    rm -rf /var/lib/apt/lists/*\nENV LANG=C.UTF-8 TZ=UTC\nUSER 1000:1000\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        ),
        ("dockerfile", "from alpine\nrun echo hi\n"),
        ("dockerfile", "FROM <base-image>\nCOPY app /app\n"),
        ("dockerfile", "RUN <<EOF\napt-get update\napt-get install -y git\nEOF\n"),
        (
            "dockerfile",
            "LABEL org.opencontainers.image.source=\"https://example.com/repo\"\nVOLUME [\"/data\"]\nSTOPSIGNAL SIGTERM\nSHELL [\"/bin/bash\", \"-c\"]\nONBUILD RUN make\n",
        ),
    ]);
}

#[test]
fn hcl_fragments() {
    assert_all_clean(&[
        (
            "hcl",
            "resource \"aws_instance\" \"example\" {\n  ami           = \"ami-123456\"\n  instance_type = \"t2.micro\"\n\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n",
        ),
        (
            "terraform",
            "variable \"ports\" {\n  type    = list(number)\n  default = [80, 443]\n}\n\nresource \"aws_security_group\" \"web\" {\n  dynamic \"ingress\" {\n    for_each = var.ports\n    content {\n      from_port = ingress.value\n      to_port   = ingress.value\n      protocol  = \"tcp\"\n    }\n  }\n}\n",
        ),
        (
            "tf",
            "locals {\n  name = \"${var.env}-app\"\n  upper = [for s in var.list : upper(s) if s != \"\"]\n  m = { for k, v in var.map : k => v }\n}\n",
        ),
        (
            "tf",
            "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n  backend \"s3\" {\n    bucket = \"state\"\n    key    = \"prod/terraform.tfstate\"\n  }\n}\n",
        ),
        ("hcl", "user_data = <<-EOT\n  #!/bin/bash\n  echo hi\nEOT\ncount = var.enabled ? 1 : 0\n"),
        (
            "hcl",
            "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n  cidr   = \"10.0.0.0/16\"\n  azs    = data.aws_availability_zones.available.names[*]\n}\n",
        ),
    ]);
}

#[test]
fn json_toml_css_html_fragments() {
    assert_all_clean(&[
        (
            "json",
            "{\n  \"name\": \"app\",\n  \"scripts\": { \"start\": \"node index.js\" },\n  \"list\": [1, 2.5, -3e2, true, null]\n}\n",
        ),
        ("json", "\"scripts\": {\n  \"test\": \"jest\"\n}\n"),
        ("json", "[\n  {\"id\": 1},\n  ...\n]\n"),
        ("json", "{\"a\": 1}\n{\"a\": 2}\n"),
        ("jsonc", "{\n  // compiler options\n  \"compilerOptions\": {\n    \"strict\": true, /* yes */\n  },\n}\n"),
        (
            "toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n\n[[bin]]\nname = \"x\"\n",
        ),
        (
            "css",
            ".card {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));\n}\n@media (max-width: 600px) {\n  .card { display: block; }\n}\n",
        ),
        ("css", "color: red;\nmargin: 0 auto;\n"),
        ("css", ":root { --gap: 8px; }\n.a:hover > .b::after { content: \"→\"; gap: var(--gap); }\n"),
        (
            "html",
            "<!DOCTYPE html>\n<html>\n<head><title>x</title></head>\n<body>\n  <div id=\"app\"></div>\n  <script src=\"main.js\"></script>\n</body>\n</html>\n",
        ),
        ("html", "<button onclick=\"go()\">Go</button>\n<input type=\"text\" disabled>\n"),
    ]);
}

#[test]
fn java_and_rust_fragments() {
    assert_all_clean(&[
        (
            "java",
            "public class Singleton {\n    private static volatile Singleton instance;\n    private Singleton() {}\n    public static Singleton getInstance() {\n        if (instance == null) {\n            synchronized (Singleton.class) {\n                if (instance == null) instance = new Singleton();\n            }\n        }\n        return instance;\n    }\n}\n",
        ),
        (
            "java",
            "List<String> names = users.stream()\n    .map(User::getName)\n    .filter(n -> n.startsWith(\"A\"))\n    .collect(Collectors.toList());\n",
        ),
        ("java", "@Override\npublic int hashCode() {\n    return Objects.hash(id, name);\n}\n"),
        (
            "java",
            "ExecutorService pool = Executors.newFixedThreadPool(4);\ntry {\n    Future<Integer> f = pool.submit(() -> 42);\n} finally {\n    pool.shutdown();\n}\n",
        ),
        ("java", "record Point(int x, int y) {}\nsealed interface Shape permits Circle, Square {}\n"),
        (
            "java",
            "@GetMapping(\"/users/{id}\")\npublic ResponseEntity<User> get(@PathVariable Long id) {\n    return ResponseEntity.ok(service.find(id));\n}\n",
        ),
        (
            "rust",
            "fn main() {\n    let v: Vec<i32> = (1..=10).filter(|x| x % 2 == 0).collect();\n    println!(\"{v:?}\");\n}\n",
        ),
        ("rs", "let x = 5;\nlet y = &mut x;\n"),
        (
            "rust",
            "impl Iterator for Counter {\n    type Item = u32;\n    fn next(&mut self) -> Option<Self::Item> {\n        self.n += 1;\n        (self.n < 6).then_some(self.n)\n    }\n}\n",
        ),
        ("rust", "fn largest<T: PartialOrd>(list: &[T]) -> &T { ... }\n"),
        ("rust", "x + 1\n"),
        (
            "rust",
            "#[derive(Debug, Clone)]\nstruct User { name: String, age: u8 }\n\nasync fn fetch(url: &str) -> Result<String, reqwest::Error> {\n    reqwest::get(url).await?.text().await\n}\n",
        ),
    ]);
}
