#!/usr/bin/env python3
"""Benchmarks: bibexport against the floor and the field's tools, measured in one run.

    python benchmarks/run.py [--quick] [--shared ../shared] [--sizes 1000,10000,100000]

Generates seeded data with ``shared/tools/gen_listing.py`` and ``gen_bib.py`` (into
``benchmarks/data/``, not committed), runs every command as a subprocess, and prints wall time,
peak RSS and the ratio to the floor (one regex splitting the listing into papers) and to
bibtexparser. The last line says whether every target of issue 7 holds. bibtex-tidy and
citation-js are measured when Node.js and npm are there (installed into ``benchmarks/.node``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
NODE = HERE / ".node"
PY = sys.executable
BIBEXPORT = [PY, "-m", "bibexport"]

FLOOR = """
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
papers = re.split(r"^#\\d+ ", text, flags=re.M)
print(len(papers) - 1)
"""
BIBTEXPARSER = """
import sys, bibtexparser
library = bibtexparser.parse_file(sys.argv[1])
print(len(library.entries))
"""
PYBTEX = """
import sys
from pybtex.database import parse_file
print(len(parse_file(sys.argv[1], bib_format="bibtex").entries))
"""
PYBTEX_NAMES = """
import sys, time
from pybtex.database import Person
lines = [line[8:] for line in open(sys.argv[1], encoding="utf-8") if line.startswith("Authors:")]
names = [n.strip() for line in lines for n in line.split(" ; ")][:50000]
start = time.perf_counter()
for name in names:
    Person(name)
print(f"{len(names) / (time.perf_counter() - start):.0f}")
"""
CITATION_JS = """
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-csl');
const data = new Cite(fs.readFileSync(process.argv[2], 'utf8'));
fs.writeFileSync(process.argv[3], JSON.stringify(data.format('data', { format: 'object' })));
console.log(data.data.length);
"""


@dataclass
class Result:
    name: str
    seconds: float  # the best round's wall time
    rss_mb: float
    ok: bool
    note: str = ""
    walls: list[float] = field(default_factory=list)  # each round's wall time, in order
    cpus: list[float] = field(default_factory=list)  # each round's CPU time, workers' included


# bibtexparser's parse of 100,000 entries on the machine where issue 7 set its targets in
# seconds (100k in 10 s, the merge in 5 s).
BASELINE_BTP_100K = 20.0


def btp_run(m: int) -> tuple[str, list[str]]:
    library = DATA / f"library_{m}.bib"
    return (f"bibtexparser 2 parse, {m:,} entries", [PY, "-c", BIBTEXPARSER, str(library)])


def merged_rounds(a: Result, b: Result) -> Result:
    """Two measurements of one command as one: every round of both."""
    walls, cpus = a.walls + b.walls, a.cpus + b.cpus
    return Result(a.name, min(walls), max(a.rss_mb, b.rss_mb), a.ok and b.ok, a.note, walls, cpus)


def seconds_target(
    what: str, run: Result, limit: float, btp: Result, detail: str
) -> tuple[str, bool, bool]:
    """A target in seconds, set on a machine where bibtexparser parsed 100k entries in
    ~20 s. It holds if the run's best time is under it here; on a slower machine (this one
    has phases 3-4x slower than that), if the run, measured round by round side by side with
    bibtexparser, takes at most the share of bibtexparser's time that the limit is of 20 s:
    the time the run would take on the baseline machine. Returns the target's line, whether
    it holds, and whether it holds only at the baseline's speed."""
    text = f"{what} < {limit:g} s ({run.seconds:.1f} s, {detail}"
    if not run.ok:
        return text + "; FAILED)", False, False
    if run.seconds < limit:
        return text + ")", True, False
    share = median(paired(run, btp))
    at_baseline = share * BASELINE_BTP_100K
    text += (
        f"; {share:.2f}x bibtexparser's parse of 100k entries ({btp.seconds:.1f} s here) "
        f"round by round, so {at_baseline:.1f} s at the speed where it takes "
        f"{BASELINE_BTP_100K:g} s)"
    )
    return text, at_baseline < limit, at_baseline < limit


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def paired(a: Result, b: Result, cpu: bool = False) -> list[float]:
    """``a``'s time over ``b``'s, round by round: runs measured side by side in one round see
    the same phase of the machine, so their ratio keeps little of its drift."""
    xs, ys = (a.cpus, b.cpus) if cpu else (a.walls, b.walls)
    return [x / y for x, y in zip(xs, ys, strict=True) if y > 0]


def measure(
    name: str,
    argv: list[str],
    repeat: int = 1,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """Best wall time of ``repeat`` runs and the peak RSS of the child, as a user meets them."""
    return measure_together([(name, argv)], repeat, cwd, env)[0]


def measure_together(
    runs: list[tuple[str, list[str]]],
    repeat: int,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> list[Result]:
    """:func:`measure` for runs whose times are compared (bibexport and its floor): each runs
    once per round, round after round. This machine's speed drifts by up to 1.5x within
    minutes, and runs measured minutes apart would carry that drift into their ratio. Each
    round's wall and CPU times are kept (:func:`paired` compares two runs round by round)."""
    walls: list[list[float]] = [[] for _ in runs]
    cpus: list[list[float]] = [[] for _ in runs]
    rss = [0.0] * len(runs)
    ok = [True] * len(runs)
    notes = [""] * len(runs)
    for _ in range(repeat):
        for i, (_, argv) in enumerate(runs):
            start = time.perf_counter()
            proc = subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=cwd,
                text=True,
                env={**os.environ, **(env or {})},
            )
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            stdout, stderr = proc.communicate()
            if os.waitstatus_to_exitcode(status) != 0:
                ok[i] = False
                notes[i] = (stderr.strip().splitlines() or ["failed"])[-1][:80]
            walls[i].append(elapsed)
            # wait4's usage holds the child's workers too, once it has waited for them
            cpus[i].append(usage.ru_utime + usage.ru_stime)
            rss[i] = max(rss[i], usage.ru_maxrss / 1024)
            last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
            notes[i] = notes[i] or (last if last.isdigit() else "")  # a baseline's count
    return [
        Result(name, min(walls[i]), rss[i], ok[i], notes[i], walls[i], cpus[i])
        for i, (name, _) in enumerate(runs)
    ]


def generate(shared: Path, sizes: list[int], lib_sizes: list[int]) -> None:
    DATA.mkdir(exist_ok=True)
    for n in sizes:
        out = DATA / f"listing_{n}.txt"
        if not out.exists():
            subprocess.run(
                [
                    PY,
                    str(shared / "tools/gen_listing.py"),
                    "-n",
                    str(n),
                    "--seed",
                    "1",
                    "-o",
                    str(out),
                ],
                check=True,
            )
    for m in lib_sizes:
        out = DATA / f"library_{m}.bib"
        if not out.exists():
            subprocess.run(
                [
                    PY,
                    str(shared / "tools/gen_bib.py"),
                    "-m",
                    str(m),
                    "--seed",
                    "1",
                    "--listing-n",
                    "10000",
                    "-o",
                    str(out),
                ],
                check=True,
            )


def node_tools() -> Path | None:
    """bibtex-tidy and citation-js in benchmarks/.node, installed once; None without npm."""
    if not shutil.which("node") or not shutil.which("npm"):
        return None
    if not (NODE / "node_modules/@citation-js/plugin-bibtex").exists():
        NODE.mkdir(exist_ok=True)
        done = subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--prefix",
                str(NODE),
                "bibtex-tidy",
                "@citation-js/core",
                "@citation-js/plugin-bibtex",
                "@citation-js/plugin-csl",
            ],
            capture_output=True,
        )
        if done.returncode != 0:
            return None
    return NODE


def compile_package() -> None:
    """Byte-compile the bibexport that the runs import, as ``pip install .`` does when it
    installs it. An editable install under ``PYTHONDONTWRITEBYTECODE`` (set on some CI and
    sandbox machines) never writes the ``.pyc`` files, and each run would then spend its first
    tens of milliseconds compiling the package's source: a cost no installed copy has."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("bibexport")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("bibexport is not importable: pip install -e . first")
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


def table(rows: list[tuple[Result, float | None, float | None]]) -> str:
    lines = [
        "| run | wall s | peak RSS MB | x floor | x bibtexparser | |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r, floor, btp in rows:
        xf = f"{r.seconds / floor:.1f}" if floor else ""
        xb = f"{r.seconds / btp:.2f}" if btp else ""
        lines.append(
            f"| {r.name} | {r.seconds:.2f} | {r.rss_mb:.0f} | {xf} | {xb} | "
            f"{'' if r.ok else 'FAILED: '}{r.note} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--quick", action="store_true", help="1k and 10k only; no 100k runs")
    args = parser.parse_args()
    sizes = [1000, 10000] if args.quick else [1000, 10000, 100000]
    generate(args.shared, sizes, sizes)
    compile_package()
    tmp = Path(tempfile.mkdtemp(prefix="bibexport-bench-"))
    rows: list[tuple[Result, float | None, float | None]] = []
    targets: list[tuple[str, bool]] = []
    at_baseline: list[str] = []  # targets in seconds that hold only at the baseline's speed
    example = ROOT / "examples/iclr2023-notable-top25-page1.txt"

    help_run = measure("bibexport --help", [*BIBEXPORT, "--help"], repeat=5)
    small = measure("example (25 papers) -> BibTeX", [*BIBEXPORT, str(example), "-q"], repeat=5)
    rows += [(help_run, None, None), (small, None, None)]
    targets += [("start-up: --help < 0.25 s", help_run.seconds < 0.25)]
    targets += [("start-up: 25 papers < 0.25 s", small.seconds < 0.25)]

    floors: dict[int, float] = {}
    one_format: dict[int, Result] = {}
    three: Result | None = None
    btp_big: Result | None = None  # bibtexparser on 100k entries, side by side with the 100k run
    for n in sizes:
        listing = DATA / f"listing_{n}.txt"
        runs = [
            (f"floor: regex split, {n:,} papers", [PY, "-c", FLOOR, str(listing)]),
            (
                f"bibexport {n:,} papers -> BibTeX",
                [*BIBEXPORT, str(listing), "-q", "-o", str(tmp / f"o{n}.bib"), "--overwrite"],
            ),
        ]
        if n == 10000:
            outputs = [
                arg for ext in ("bib", "ris", "json") for arg in ("-o", str(tmp / f"o.{ext}"))
            ]
            runs.append(
                (
                    f"bibexport {n:,} papers -> BibTeX + RIS + CSL-JSON",
                    [*BIBEXPORT, str(listing), "-q", "--overwrite", *outputs],
                )
            )
        if n == 100000:
            # The targets in seconds were set where bibtexparser parsed 100k entries in ~20 s:
            # measured side by side with it, the run is judged at that machine's speed too.
            runs.append(btp_run(100000))
        # 10k: one format against three, whose median ratio moves by a fifth between runs
        # of 7 rounds on this machine; 11 cost ~20 s more.
        measured = measure_together(runs, repeat=11 if n == 10000 else 5 if n < 10000 else 3)
        floor, bib = measured[:2]
        floors[n] = floor.seconds
        one_format[n] = bib
        rows += [(floor, None, None), (bib, floor.seconds, None)]
        if n == 10000:
            three = measured[2]
        if n == 100000:
            btp_big = measured[2]
    n = 10000
    assert three is not None
    rows.append((three, floors[n], None))
    targets.append(
        (
            f"10k -> BibTeX <= 4x floor ({one_format[n].seconds / floors[n]:.1f}x)",
            one_format[n].seconds <= 4 * floors[n],
        )
    )
    # A ratio of two bests overstates it: the shorter run's best is the luckier one (a noisy
    # machine gives a short run a lucky round more often). Each round measures both side by
    # side, so the ratio is taken round by round, and its median judged; the ratio of bests
    # and of CPU times (workers' included) are printed beside it.
    wall_ratio = median(paired(three, one_format[n]))
    cpu_ratio = median(paired(three, one_format[n], cpu=True))
    best_ratio = three.seconds / one_format[n].seconds
    targets.append(
        (
            f"three formats <= 1.5x one ({wall_ratio:.2f}x: median of {len(three.walls)} "
            f"rounds' ratios; CPU time {cpu_ratio:.2f}x; ratio of bests {best_ratio:.2f}x)",
            wall_ratio <= 1.5,
        )
    )
    if 100000 in one_format:
        big = one_format[100000]
        assert btp_big is not None
        text, held, scaled = seconds_target(
            "100k -> BibTeX",
            big,
            10,
            btp_big,
            f"best of {len(big.walls)}; median {median(big.walls):.1f} s",
        )
        targets.append((text, held))
        at_baseline += [text] if scaled else []
        targets.append((f"100k peak RSS < 300 MB ({big.rss_mb:.0f} MB)", big.rss_mb < 300))

    btp: dict[int, float] = {}
    for m in sizes:
        library = DATA / f"library_{m}.bib"
        # 100k: measured side by side with bibexport's 100k run already.
        r = btp_big if m == 100000 and btp_big is not None else measure(*btp_run(m))
        btp[m] = r.seconds
        btp_row = len(rows)
        rows.append((r, None, None))
        if m <= 10000:
            rows.append(
                (
                    measure(f"pybtex parse, {m:,} entries", [PY, "-c", PYBTEX, str(library)]),
                    None,
                    r.seconds,
                )
            )
        merge_argv = [
            *BIBEXPORT,
            str(DATA / "listing_10000.txt"),
            "-q",
            "--dry-run",
            "--dedup-against",
            str(library),
            "-o",
            str(tmp / "merge.bib"),
        ]
        # A fresh library cache: the first run parses the library, the next ones read the
        # cache (what a user meets from the second merge against the same library on).
        cache = {"BIBEXPORT_CACHE_DIR": str(tmp / f"cache-{m}")}
        cold = measure(
            f"bibexport 10,000 papers merged into {m:,} entries, first run", merge_argv, env=cache
        )
        warm_run = (f"bibexport 10,000 papers merged into {m:,} entries, cached", merge_argv)
        if m == 100000:
            # Side by side with bibtexparser's parse of the same library (see btp_big).
            btp_merge, warm = measure_together([btp_run(m), warm_run], repeat=3, env=cache)
            r = merged_rounds(r, btp_merge)
            rows[btp_row] = (r, None, None)
        else:
            warm = measure(*warm_run, repeat=2, env=cache)
        rows += [(cold, floors[10000], r.seconds), (warm, floors[10000], r.seconds)]
        if m == 100000:
            text, held, scaled = seconds_target(
                "merge 10k into 100k, cached",
                warm,
                5,
                btp_merge,
                f"{cold.seconds:.1f} s on the first run",
            )
            targets.append((text, held))
            at_baseline += [text] if scaled else []
    names = measure(
        "pybtex Person(), names/s", [PY, "-c", PYBTEX_NAMES, str(DATA / "listing_10000.txt")]
    )
    rows.append((names, None, None))

    node = node_tools()
    if node is not None:
        lib = DATA / "library_10000.bib"
        tidy = node / "node_modules/.bin/bibtex-tidy"
        rows.append(
            (
                measure(
                    "bibtex-tidy de-duplicating, 10,000 entries",
                    [
                        str(tidy),
                        str(lib),
                        "--duplicates=doi,key,abstract,citation",
                        "--merge=first",
                        "--quiet",
                        "-o",
                        str(tmp / "tidy.bib"),
                    ],
                ),
                None,
                btp[10000],
            )
        )
        script = node / "cite.js"  # beside node_modules, where require() looks
        script.write_text(CITATION_JS)
        rows.append(
            (
                measure(
                    "citation-js BibTeX -> CSL-JSON, 10,000 entries",
                    ["node", str(script), str(lib), str(tmp / "cite.json")],
                    cwd=node,
                ),
                None,
                btp[10000],
            )
        )

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    print(table(rows))
    print()
    for text, held in targets:
        print(f"- [{'x' if held else ' '}] {text}")
    shutil.rmtree(tmp, ignore_errors=True)
    failed = [t for t, held in targets if not held]
    if failed:
        print(f"TARGETS MISSED: {len(failed)} of {len(targets)}")
    elif at_baseline:
        print(
            f"ALL TARGETS HOLD, {len(at_baseline)} in seconds only at the baseline machine's "
            "speed (this machine ran slower than the one they were set on)"
        )
    else:
        print("ALL TARGETS HOLD")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
