"""Driver for `scripts/bench.sh`: qbank and its peers in one run, on the same generated files.

Per size: `qbank check` vs `rumdl check` and `markdownlint-cli2` (lint), `qbank dedup` vs
datasketch MinHashLSH (dedup). Then the language server: edit → diagnostics latency of
`qbank lsp` and `rumdl server` on one 2,000-question bank, and workspace-index readiness and
memory on the 100k corpus. Prints Markdown (and writes it to target/bench/peers-report.md).

Each command runs under GNU time (/usr/bin/time: user + system CPU, peak RSS of that process;
wall time measured here). Peers run with explicit options and no configuration file.
"""
import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# BENCH_BIN_DIR: measure qbank binaries from another folder (a copy, or another build).
# CARGO_TARGET_DIR as cargo reads it (scripts/bench.sh runs from the repository root).
RELEASE = Path(os.environ.get("BENCH_BIN_DIR") or ROOT / os.environ.get("CARGO_TARGET_DIR", "target") / "release").resolve()
TOOLS = ROOT / ".tools" / "bench"
QBANK = RELEASE / "qbank"
QBANK_GEN = RELEASE / "qbank-gen"
QBANK_BENCH = RELEASE / "qbank-bench"
RUMDL = TOOLS / "venv" / "bin" / "rumdl"
PYTHON = TOOLS / "venv" / "bin" / "python"
MARKDOWNLINT = TOOLS / "npm" / "node_modules" / ".bin" / "markdownlint-cli2"
MARKDOWNLINT_CONFIG = ROOT / "scripts" / "bench" / "peers.markdownlint-cli2.jsonc"
DATASKETCH = ROOT / "scripts" / "bench" / "datasketch_dedup.py"
WORK = ROOT / "target" / "bench"

# qbank-gen's corpus shapes: canonical (ids, TL;DRs), mixed (the seed shapes), raw (a scraped bank:
# few templates × many subjects, paraphrases, no ids or TL;DRs, thousands of findings per file).
SHAPES = ("canonical", "mixed", "raw")
RUMDL_CHECK = ["check", "--no-config", "--no-cache", "--respect-gitignore=false", "--output-format", "json"]
RUMDL_SERVER = f"{RUMDL} server --no-config"
QBANK_SERVER = f"{QBANK} lsp"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000, 1000000], help="questions per corpus")
    p.add_argument("--markdownlint-max", type=int, default=100000, help="largest size markdownlint-cli2 runs at")
    p.add_argument("--datasketch-max", type=int, default=100000, help="largest size datasketch runs at")
    p.add_argument("--rumdl-max", type=int, default=10**9, help="largest size rumdl check runs at")
    p.add_argument("--repeat", type=int, default=3, help="runs per tool (best kept); runs over 20 s run once")
    p.add_argument("--no-lsp", action="store_true", help="skip the language-server measures")
    p.add_argument("--lsp-only", action="store_true", help="only the language-server measures")
    p.add_argument("--lsp-questions", type=int, default=2000, help="questions in the edit-latency bank")
    p.add_argument("--lsp-file", type=Path, help="use this bank for edit latency instead of a generated one")
    p.add_argument("--edits", type=int, default=200, help="timed edits per server")
    p.add_argument("--warmup", type=int, default=20, help="untimed edits first")
    p.add_argument("--index-size", type=int, default=100000, help="questions in the workspace-index corpus (0: skip)")
    p.add_argument("--shapes", default=",".join(SHAPES),
                   help="corpus shapes `qbank check` and `rumdl check` run on (comma-separated; default all: %(default)s)")
    return p.parse_args()


def out(line=""):
    print(line, flush=True)
    REPORT.append(line)


REPORT = []


def note(line):
    print(line, file=sys.stderr, flush=True)


class Run:
    def __init__(self, wall, cpu, rss_mb, code, stdout, stderr):
        self.wall, self.cpu, self.rss_mb, self.code = wall, cpu, rss_mb, code
        self.stdout, self.stderr = stdout, stderr


GNU_TIME = Path("/usr/bin/time")


def timed(cmd, cwd=None, stdout_path=None, stderr_path=None):
    """Runs cmd once: wall time, CPU time (user + system) and peak RSS of the process.

    Through GNU time, so the peak RSS is the command's own: a process's ru_maxrss also takes
    in its parent's resident set at the fork (Linux keeps the larger across exec), and this
    driver can grow to gigabytes reading datasketch's pairs."""
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    stats = Path(str(stdout_path or WORK / "timed") + ".time")
    wrapped = [GNU_TIME, "-f", "%U %S %M", "-o", stats, *cmd]
    start = time.perf_counter()
    code = subprocess.call([str(c) for c in wrapped], cwd=cwd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    for f in (stdout, stderr):
        if f is not subprocess.DEVNULL:
            f.close()
    # The last line; GNU time writes "Command exited with non-zero status N" before it.
    user, system, rss_kb = stats.read_text().strip().splitlines()[-1].split()
    return Run(wall, float(user) + float(system), int(rss_kb) / 1024, code, stdout_path, stderr_path)


def measure(r, key, repeat, cmd, parse, log, cwd=None, findings_on_stderr=False):
    """Runs cmd up to `repeat` times (a run over 20 s runs once) and keeps the fastest run whose
    exit code is 0 or 1 (1: findings) and whose output `parse` reads; stores the run in r[key]
    and parse's result in r[key + "_found"], or the reason in r[key + "_skip"]."""
    best, failure = None, None
    for attempt in range(max(1, repeat)):
        stdout, stderr = log / f"{key}.{attempt}.out", log / f"{key}.{attempt}.err"
        run = timed(cmd, cwd=cwd, stdout_path=stdout, stderr_path=stderr)
        try:
            if run.code not in (0, 1):
                raise ValueError(f"exit {run.code}")
            found = parse(Path(stderr if findings_on_stderr else stdout).read_text(errors="replace"))
        except (ValueError, KeyError, TypeError) as e:
            tail = Path(stderr).read_text(errors="replace").strip().splitlines()[-1:] or [""]
            failure = f"failed ({e}; {tail[0][:120]}; see {stderr.relative_to(ROOT)})"
            note(f"  {key}: {failure}")
            continue
        if best is None or run.wall < best[0].wall:
            best = (run, found)
        if run.wall > 20:
            break
    if best is None:
        r[key + "_skip"] = failure
    else:
        r[key], r[key + "_found"] = best


def version(cmd):
    try:
        return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def generate(n, files, out_dir, shape="canonical"):
    if (out_dir / "truth.tsv").exists():
        for f in out_dir.glob("*.md"):
            f.unlink()
    start = time.perf_counter()
    subprocess.run(
        [str(QBANK_GEN), "--questions", str(n), "--files", str(files), "--out", str(out_dir), "--dup-rate", "0.05",
         "--seed", "42", "--shape", shape],
        check=True,
    )
    note(f"generated {n} {shape} questions in {files} files under {out_dir} ({time.perf_counter() - start:.1f} s)")


def shape_key(tool, shape):
    """The result key of `tool` (qbank_check, rumdl) on a shape; the canonical corpus keeps the plain keys."""
    return tool if shape == "canonical" else f"{tool}_{shape}"


def qbank_check_found(text):
    summary = json.loads(text)["summary"]
    return sum(summary[k] for k in ("errors", "warnings", "infos", "hints")), summary["errors"]


def lint_shape(args, n, shape, r):
    """`qbank check` and `rumdl check` on the corpus of one more shape (canonical is measured with the peers)."""
    folder = WORK / f"peers-{n}-{shape}"
    generate(n, max(1, math.ceil(n / 1000)), folder, shape)
    count, size = corpus_size(folder)
    r[f"mb_{shape}"] = size / 1e6
    log = WORK / f"peers-{n}-{shape}.out"
    log.mkdir(exist_ok=True)
    for old in log.iterdir():
        old.unlink()
    note(f"[{n} {shape}] qbank check")
    measure(r, shape_key("qbank_check", shape), args.repeat, [QBANK, "check", "--format", "json", "--no-progress", folder],
            qbank_check_found, log)
    if n <= args.rumdl_max:
        note(f"[{n} {shape}] rumdl check")
        measure(r, shape_key("rumdl", shape), args.repeat, [RUMDL, *RUMDL_CHECK, folder],
                lambda text: len(json.loads(text or "[]")), log)


def corpus_size(folder):
    files = sorted(folder.glob("*.md"))
    return len(files), sum(f.stat().st_size for f in files)


def planted_pairs(folder):
    rows = [l.split("\t") for l in (folder / "truth.tsv").read_text().splitlines()[1:]]
    return {tuple(sorted((a, b))) for _, a, b in rows}


def qbank_pairs(report):
    found = set()
    for c in report["clusters"]:
        members = [c["representative"]["id"]] + [m["id"] for m in c["duplicates"]]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                found.add(tuple(sorted((a, b))))
    return found


def secs(x):
    return "—" if x is None else (f"{x:.2f} s" if x < 100 else f"{x:.0f} s")


def ratio(peer, ours):
    return "—" if peer is None or ours is None or ours <= 0 else f"{peer / ours:.1f}×"


def lint_and_dedup(args, n, results):
    folder = WORK / f"peers-{n}"
    files = max(1, math.ceil(n / 1000))
    generate(n, files, folder)
    count, size = corpus_size(folder)
    r = {"n": n, "files": count, "mb": size / 1e6, "folder": folder}
    results.append(r)
    log = WORK / f"peers-{n}.out"
    log.mkdir(exist_ok=True)
    for old in log.iterdir():
        old.unlink()

    r["mb_canonical"] = r["mb"]
    note(f"[{n}] qbank check")
    measure(r, "qbank_check", args.repeat, [QBANK, "check", "--format", "json", "--no-progress", folder], qbank_check_found, log)

    if n <= args.rumdl_max:
        note(f"[{n}] rumdl check")
        measure(r, "rumdl", args.repeat, [RUMDL, *RUMDL_CHECK, folder], lambda text: len(json.loads(text or "[]")), log)
    else:
        r["rumdl_skip"] = f"not run (over budget: --rumdl-max {args.rumdl_max}){extrapolate(results, 'rumdl', n)}"

    if n <= args.markdownlint_max:
        note(f"[{n}] markdownlint-cli2")
        finding = re.compile(r"^\S+\.md:\d+")
        count = lambda text: sum(1 for l in text.splitlines() if finding.match(l))
        cmd = [MARKDOWNLINT, "--config", MARKDOWNLINT_CONFIG, "*.md"]
        measure(r, "markdownlint", args.repeat, cmd, count, log, cwd=folder, findings_on_stderr=True)
    else:
        r["markdownlint_skip"] = (
            f"not run (over budget: --markdownlint-max {args.markdownlint_max}){extrapolate(results, 'markdownlint', n)}"
        )

    planted = planted_pairs(folder)

    def recall(pairs):
        return len(planted & pairs) / max(1, len(planted)), len(pairs)

    note(f"[{n}] qbank dedup")
    parse = lambda text: recall(qbank_pairs(json.loads(text)))
    measure(r, "qbank_dedup", args.repeat, [QBANK, "dedup", "--format", "json", folder], parse, log)

    if n <= args.datasketch_max:
        note(f"[{n}] datasketch")
        parse = lambda text: recall({tuple(p) for p in json.loads(text)["pairs"]})
        measure(r, "datasketch", args.repeat, [PYTHON, DATASKETCH, folder, "0.5"], parse, log)
    else:
        r["datasketch_skip"] = (
            f"not run (over budget: --datasketch-max {args.datasketch_max}; it takes minutes at 100k)"
            f"{extrapolate(results, 'datasketch', n)}"
        )


    for shape in args.shapes.split(","):
        if shape != "canonical":
            lint_shape(args, n, shape, r)


def extrapolate(results, tool, n):
    """A linear guess from the largest size the tool ran at."""
    ran = [r for r in results if tool in r]
    if not ran:
        return ""
    last = ran[-1]
    return f"; ≈ {last[tool].wall * n / last['n']:.0f} s extrapolated linearly from {last['n']:,}"


def ratios(r, peer, ours):
    """peer ÷ ours by wall time, then by CPU time (which other load on the machine barely moves)."""
    if peer not in r or ours not in r:
        return "—"
    return f"{ratio(r[peer].wall, r[ours].wall)} / {ratio(r[peer].cpu, r[ours].cpu)}"


def wall(r, key):
    run = r.get(key)
    return run.wall if run else None


def cell(r, key):
    """A tool's wall time, or why it has none."""
    run = r.get(key)
    if run:
        return secs(run.wall)
    return "failed" if (r.get(key + "_skip") or "").startswith("failed") else "not run"


def skipped(results, keys):
    for r in results:
        for key, name in keys:
            if key + "_skip" in r:
                out(f"- {r['n']:,} questions, {name}: {r[key + '_skip']}")


def print_lint(results):
    out("### Lint: `qbank check` vs `rumdl check` and `markdownlint-cli2`")
    out()
    out("Wall time, best of the runs; ratio = peer's time ÷ qbank's (above 1: qbank faster), by wall time / by "
        "CPU time (user + system; steadier on a shared machine). Goals: qbank ≤ rumdl (ratio ≥ 1.0×), ≥ 30× "
        "faster than markdownlint-cli2.")
    out()
    out("| questions | files | MB | qbank check | rumdl check | rumdl ÷ qbank (wall / CPU) | markdownlint-cli2 | "
        "markdownlint-cli2 ÷ qbank (wall / CPU) |")
    out("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        q = wall(r, "qbank_check")
        out(f"| {r['n']:,} | {r['files']} | {r['mb']:.1f} | {cell(r, 'qbank_check')} | {cell(r, 'rumdl')} | "
            f"{ratios(r, 'rumdl', 'qbank_check')} | {cell(r, 'markdownlint')} | {ratios(r, 'markdownlint', 'qbank_check')} |")
    out()
    skipped(results, [("qbank_check", "qbank check"), ("rumdl", "rumdl check"), ("markdownlint", "markdownlint-cli2")])
    out()


def growth(results, key):
    """The growth exponent of `key`'s wall time: the log-log slope of time against questions over
    the sizes it ran at (least squares; 1.0 = linear), and the slope between the two largest."""
    points = [(math.log(r["n"]), math.log(r[key].wall)) for r in results if key in r and r[key].wall > 0]
    if len(points) < 2:
        return "—"
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    fit = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    (x1, y1), (x2, y2) = points[-2], points[-1]
    return f"{fit:.2f} (last step {(y2 - y1) / (x2 - x1):.2f})"


def print_shapes(args, results):
    shapes = args.shapes.split(",")
    out("### Lint by corpus shape: `qbank check` vs `rumdl check --no-cache`")
    out()
    out("The same sizes in the three shapes qbank-gen writes: canonical (ids, TL;DRs, few findings), mixed (the "
        "seed shapes) and raw (a scraped bank: few templates × many subjects, planted paraphrases, no ids or "
        "TL;DRs, thousands of findings per file; `qbank-gen --shape raw`). qbank ÷ rumdl = qbank's wall time ÷ "
        "rumdl's (goal ≤ 0.5× at 100k, ≤ 0.7× at 1M); RSS ratio = qbank's peak RSS ÷ rumdl's (goal ≤ 1.0×).")
    out()
    out("| shape | questions | MB | qbank check | qbank peak RSS | rumdl check | rumdl peak RSS | qbank ÷ rumdl (wall / CPU) | "
        "RSS qbank ÷ rumdl | qbank findings | rumdl findings |")
    out("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape in shapes:
        q, p = shape_key("qbank_check", shape), shape_key("rumdl", shape)
        for r in results:
            if q not in r and q + "_skip" not in r:
                continue
            mb = r.get(f"mb_{shape}", 0)
            rss = lambda key: f"{r[key].rss_mb:,.0f} MB" if key in r else "—"
            both = q in r and p in r
            speed = f"{r[q].wall / r[p].wall:.2f}× / {r[q].cpu / r[p].cpu:.2f}×" if both else "—"
            memory = f"{r[q].rss_mb / r[p].rss_mb:.2f}×" if both else "—"
            qf = f"{r[q + '_found'][0]:,}" if q in r else "—"
            pf = f"{r[p + '_found']:,}" if p in r else "—"
            out(f"| {shape} | {r['n']:,} | {mb:.1f} | {cell(r, q)} | {rss(q)} | {cell(r, p)} | {rss(p)} | {speed} | "
                f"{memory} | {qf} | {pf} |")
    out()
    out("Growth exponent (log-log slope of wall time against questions; 1.00 = linear):")
    out()
    out("| shape | qbank check | rumdl check |")
    out("| --- | ---: | ---: |")
    for shape in shapes:
        out(f"| {shape} | {growth(results, shape_key('qbank_check', shape))} | {growth(results, shape_key('rumdl', shape))} |")
    out()
    skipped(results, [(shape_key(t, s), f"{name} ({s})") for s in shapes if s != "canonical"
                      for t, name in (("qbank_check", "qbank check"), ("rumdl", "rumdl check"))])
    out()


def print_dedup(results):
    out("### Dedup: `qbank dedup` vs datasketch `MinHashLSH`")
    out()
    out("datasketch: threshold 0.5, 128 permutations, word 1–2-grams of the question "
        "(`scripts/bench/datasketch_dedup.py`, timed with Python start-up and file reading). "
        "Recall on the pairs qbank-gen planted (5 % of questions, half exact, half reworded).")
    out()
    out("| questions | qbank dedup | recall | pairs | datasketch | recall | pairs | datasketch ÷ qbank (wall / CPU) |")
    out("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def found(r, key):
        if key not in r:
            return "— | —"
        recall, pairs = r[key + "_found"]
        return f"{recall:.3f} | {pairs:,}"

    for r in results:
        out(f"| {r['n']:,} | {cell(r, 'qbank_dedup')} | {found(r, 'qbank_dedup')} | {cell(r, 'datasketch')} | "
            f"{found(r, 'datasketch')} | {ratios(r, 'datasketch', 'qbank_dedup')} |")
    out()
    skipped(results, [("qbank_dedup", "qbank dedup"), ("datasketch", "datasketch")])
    out()


def print_detail(results):
    out("### Every run: wall, CPU, peak memory, findings, growth")
    out()
    out("CPU = user + system time of the process (above the wall time: it used both cores). "
        "ms/1k = wall time per 1,000 questions (flat = linear growth). Exit 1 = findings at the tool's failing level.")
    out()
    out("| questions | tool | wall | CPU | peak RSS | ms/1k | found | exit |")
    out("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    labels = {
        "qbank_check": ("qbank check", lambda f: f"{f[0]:,} findings ({f[1]:,} errors)"),
        "rumdl": ("rumdl check", lambda f: f"{f:,} findings"),
        "markdownlint": ("markdownlint-cli2", lambda f: f"{f:,} findings"),
        "qbank_dedup": ("qbank dedup", lambda f: f"{f[1]:,} pairs"),
        "datasketch": ("datasketch", lambda f: f"{f[1]:,} pairs"),
    }
    for r in results:
        for key, (name, label) in labels.items():
            run = r.get(key)
            if not run:
                continue
            out(f"| {r['n']:,} | {name} | {secs(run.wall)} | {secs(run.cpu)} | {run.rss_mb:,.0f} MB | "
                f"{run.wall * 1000 / (r['n'] / 1000):.0f} | {label(r[key + '_found'])} | {run.code} |")
    out()


def bench_json(cmd):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if proc.returncode != 0:
        note(proc.stdout + proc.stderr)
        return None, proc.stdout
    lines = proc.stdout.strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def lsp(args, results):
    if args.lsp_file:
        bank = args.lsp_file
    else:
        folder = WORK / f"lsp-{args.lsp_questions}"
        generate(args.lsp_questions, 1, folder)
        bank = folder / "bank-0000.md"
    questions = sum(1 for l in bank.read_text().splitlines() if l.startswith("### "))
    out(f"### Language server: edit → diagnostics on one bank of {questions:,} questions ({bank.stat().st_size / 1000:.0f} KB)")
    out()
    out(f"`qbank-bench lsp-latency --file {bank.relative_to(ROOT) if bank.is_relative_to(ROOT) else bank} --edits {args.edits} "
        f"--warmup {args.warmup}`: one character typed at a time into answer text at places spread over the file "
        "(5 characters per place), each edit a new version, the next edit sent once the previous one's "
        "diagnostics arrived; latency = `didChange` sent → `publishDiagnostics` for that version read. "
        "No workspace folder (the file alone). Server CPU / edit = the server's user + system time over the timed "
        "edits ÷ their number (10 ms clock ticks). Goals on 2 cores: p50 ≤ 10 ms, p90 ≤ 20 ms.")
    out()
    out("| server | diagnostics | sync | didOpen → diagnostics | p50 | p90 | p99 | max | server CPU / edit | peak RSS | "
        "edits (timeouts) | diagnostics shown |")
    out("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = []
    for label, server in (("qbank lsp", QBANK_SERVER), ("rumdl server --no-config", RUMDL_SERVER)):
        note(f"[lsp] latency: {label}")
        result, text = bench_json([QBANK_BENCH, "lsp-latency", "--server", server, "--file", bank, "--edits", args.edits,
                                   "--warmup", args.warmup, "--json"])
        rows.append((label, result))
        if not result:
            out(f"| {label} | failed | | | | | | | | | | |")
            continue
        l = result["latency_ms"]
        mode = "push, versioned" if result["versioned"] else result["mode"] + (", no version" if result["mode"] == "push" else "")
        sync = "full text" if result["full_sync"] else "incremental"
        cpu = "—" if result["cpu_per_edit_ms"] is None else f"{result['cpu_per_edit_ms']:.1f} ms"
        out(f"| {label} ({result['name']}) | {mode} | {sync} | {result['open_ms']:.0f} ms | {l['p50']:.1f} ms | {l['p90']:.1f} ms | "
            f"{l['p99']:.1f} ms | {l['max']:.1f} ms | {cpu} | {result['peak_rss_mb']:.0f} MB | {result['edits']} ({result['timeouts']}) | "
            f"{result['open_diagnostics']:,} |")
    if all(r for _, r in rows) and len(rows) == 2:
        q, p = rows[0][1]["latency_ms"], rows[1][1]["latency_ms"]
        qc, pc = rows[0][1]["cpu_per_edit_ms"], rows[1][1]["cpu_per_edit_ms"]
        cpu = f"{pc / qc:.2f}×" if qc and pc else "—"
        out(f"| rumdl ÷ qbank | | | | {p['p50'] / q['p50']:.2f}× | {p['p90'] / q['p90']:.2f}× | {p['p99'] / q['p99']:.2f}× | "
            f"{p['max'] / q['max']:.2f}× | {cpu} | | | |")
    out()

    if args.index_size <= 0:
        return
    folder = next((r["folder"] for r in results if r["n"] == args.index_size), None)
    if folder is None:
        folder = WORK / f"peers-{args.index_size}"
        generate(args.index_size, max(1, math.ceil(args.index_size / 1000)), folder)
    last = sorted(folder.glob("*.md"))[-1]
    heading = [l for l in last.read_text().splitlines() if l.startswith("### ")][-1]
    probe = heading.split(". ", 1)[1]
    out(f"### Language server: workspace index of {args.index_size:,} questions ({len(list(folder.glob('*.md')))} files)")
    out()
    out("`qbank-bench lsp-index --root FOLDER`: spawn → ready, where ready = the first `workspace/symbol` answer "
        f"(polled every 100 ms, query `{probe}`) that includes the last bank, `{last.name}`; then the server is left "
        "until its CPU use stays under 5 % of a core for 1 s (qbank: the corpus-wide duplicate pass after indexing). "
        "Peak RSS = VmHWM. Goals: ready ≤ 2 s, RSS ≤ 500 MB. rumdl indexes headings and links only (no Q&A model, "
        "no duplicate pass): a reference for the floor, not the same work.")
    out()
    out("| server | ready (symbol probe) | own signal | settled (CPU idle) | server CPU | peak RSS | RSS settled |")
    out("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for label, server, extra in (
        ("qbank lsp", QBANK_SERVER, ["--ready-log", "indexed"]),
        ("rumdl server --no-config", RUMDL_SERVER, []),
    ):
        note(f"[lsp] index: {label}")
        result, _ = bench_json([QBANK_BENCH, "lsp-index", "--server", server, "--root", folder, "--probe-query", probe,
                                "--probe-file", last.name, "--json", *extra])
        if not result:
            out(f"| {label} | failed | | | | | |")
            continue
        if result["ready_log_ms"] is not None:
            own = f"log at {result['ready_log_ms'] / 1000:.2f} s: “{result['ready_log']}”"
        elif result["progress_end_ms"] is not None:
            own = f"$/progress end at {result['progress_end_ms'] / 1000:.2f} s ({result.get('progress_message') or ''})"
        else:
            own = "—"
        s = lambda ms: "—" if ms is None else f"{ms / 1000:.2f} s"
        out(f"| {label} ({result['name']}) | {s(result['ready_ms'])} | {own} | {s(result['settled_ms'])} | "
            f"{result['cpu_s']:.1f} s | {result['peak_rss_mb']:.0f} MB | {result['rss_mb']:.0f} MB |")
    out()


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.system()} {platform.release()}"


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def main():
    args = parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    # An empty config (every default) above the generated corpora, so the repository's own
    # qbank.toml (which selects corpus/** only) does not apply to them.
    (WORK / "qbank.toml").write_text("# Defaults for the generated benchmark corpora (scripts/bench/peers.py).\n")
    versions = {
        "qbank": version([QBANK, "--version"])
        + time.strftime(" (%Y-%m-%d %H:%M UTC build", time.gmtime(QBANK.stat().st_mtime))
        + f" at {QBANK.parent.relative_to(ROOT) if QBANK.is_relative_to(ROOT) else QBANK.parent})",
        "rumdl": version([RUMDL, "--version"]),
        "markdownlint-cli2": version([MARKDOWNLINT, "--help"]),
        "datasketch": version([PYTHON, "-c", "import datasketch, sys; print('datasketch', datasketch.__version__, 'on Python', sys.version.split()[0])"]),
        "node": "node " + version(["node", "--version"]),
    }
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    load_before = load()
    results = []
    for n in [] if args.lsp_only else args.sizes:
        lint_and_dedup(args, n, results)
    out(f"## qbank vs peers — {started}")
    out()
    out(f"Machine: {machine()}; load average {load_before} at the start. Shared with other work: "
        "figures taken under load, so treat them as upper bounds.")
    out()
    out("Versions: " + "; ".join(f"{v}" for v in versions.values()) + ".")
    out()
    if args.lsp_only:
        lsp(args, results)
        out(f"Load average at the end: {load()}.")
        (WORK / "peers-report.md").write_text("\n".join(REPORT) + "\n")
        return
    out("Corpus: `qbank-gen --questions N --files N/1000 --dup-rate 0.05 --seed 42` (canonical banks, 1,000 "
        "questions per file, ~20 % of questions with a YAML or Python example), the same files for every tool. "
        "qbank: default rules, an empty `qbank.toml` (`qbank check --format json --no-progress DIR`). rumdl: built-in "
        "defaults, no config file, no cache (`rumdl check --no-config --no-cache --respect-gitignore=false "
        "--output-format json DIR`). markdownlint-cli2: every built-in rule at its defaults "
        "(`scripts/bench/peers.markdownlint-cli2.jsonc`: `{\"config\": {\"default\": true}}`), run in the corpus "
        "folder on `*.md`. Output goes to files.")
    out()
    print_lint(results)
    print_shapes(args, results)
    print_dedup(results)
    print_detail(results)
    if not args.no_lsp:
        lsp(args, results)
    out(f"Load average at the end: {load()}.")
    (WORK / "peers-report.md").write_text("\n".join(REPORT) + "\n")
    note(f"report written to {WORK / 'peers-report.md'}")


if __name__ == "__main__":
    main()
