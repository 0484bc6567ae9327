"""Time and peak memory of indexing each hostile file of issue 35, at the issue's sizes.

    python bench/hostile.py [NAME ...]

For each file (made by tests/hostile_files.py), a corpus of the seed articles and that
file is indexed from scratch in a fresh process, with the settings' default limits. It
prints the run's seconds, the peak memory (RSS) of the indexing process and of its
largest child (a reading worker, the pipeline's or Whoosh's: a forked child's RSS counts
the pages it shares with the indexing process), and what became of the file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile_files as hostile  # noqa: E402

PARAGRAPHS = [hostile.ARTICLE, "Officials said the talks would resume in Baku next month."]
ROWS = [{"id": "one", "text": PARAGRAPHS[0]}, {"id": "two", "text": PARAGRAPHS[1]}]


def _link(target: str):
    return lambda corpus, name: os.symlink(target, corpus / name)


def _key(corpus: Path, name: str) -> None:
    (corpus.parent / "instance").mkdir()
    (corpus.parent / "instance" / "secret.key").write_text("0123456789abcdef" * 4)
    os.symlink("../instance/secret.key", corpus / name)


# Name in the corpus -> how to make it there.
FILES = {
    "key.txt": _key,
    "passwd.txt": _link("/etc/passwd"),
    "urandom.txt": _link("/dev/urandom"),
    "pipe.txt": lambda corpus, name: os.mkfifo(corpus / name),
    "bomb.docx": lambda corpus, name: hostile.entity_bomb_docx(corpus / name),
    "cut.docx": lambda corpus, name: hostile.broken_docx(corpus / name, truncated=True),
    "not-xml.docx": lambda corpus, name: hostile.broken_docx(corpus / name, truncated=False),
    "damaged.wacz": lambda corpus, name: hostile.corrupt_wacz(corpus / name, PARAGRAPHS),
    "nested.jsonl": lambda corpus, name: hostile.nested_jsonl(corpus / name, ROWS),
    "loop.pdf": lambda corpus, name: hostile.looping_pdf(corpus / name),
    "lines.pdf": lambda corpus, name: hostile.many_lines_pdf(corpus / name, 8000),
    "lines-2-pages.pdf": lambda corpus, name: hostile.many_lines_pdf(corpus / name, 4000, 2),
    "40000-lines.pdf": lambda corpus, name: hostile.many_lines_pdf(corpus / name, 40000),
    "100mb.docx": lambda corpus, name: hostile.expanding_docx(corpus / name, 100),
    "50mb-page.warc.gz": lambda corpus, name: hostile.big_page_warc(corpus / name, 50),
    "50mb-page.wacz": lambda corpus, name: hostile.big_page_wacz(corpus / name, 50),
    "200mb-line.jsonl": lambda corpus, name: hostile.long_line_jsonl(corpus / name, ROWS, 200),
    "twice.wacz": lambda corpus, name: hostile.twice_captured_wacz(corpus / name, PARAGRAPHS),
}

RUN = """
import json, resource, sys, time
from pathlib import Path
from indexer import build
started = time.monotonic()
summary = build.index_corpus(Path(sys.argv[1]), Path(sys.argv[2]))
# VmHWM, not RUSAGE_SELF: Linux keeps the latter's peak across exec, the bench's own.
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"seconds": time.monotonic() - started,
                  "self_mb": int(peak.split()[1]) / 1024,
                  "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "documents": summary.documents,
                  "skipped": [[s.relpath, s.reason] for s in summary.skipped]}))
"""


def measure(name: str, tmp: Path) -> dict:
    folder = tmp / name
    corpus = folder / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    if name != "(seeds only)":
        FILES[name](corpus, name)
    size = os.lstat(corpus / name).st_size if name in FILES else 0
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", RUN, str(corpus), str(folder / "index")],
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    found = json.loads(out.stdout)
    found.update(name=name, bytes=size, wall=time.monotonic() - started)
    shutil.rmtree(folder)
    return found


def main() -> None:
    names = sys.argv[1:] or ["(seeds only)", *FILES]
    print(f"{'file':<20} {'bytes':>10} {'run s':>6} {'RSS MB':>7} {'child MB':>9} docs  what became of it")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            found = measure(name, Path(tmp))
            fate = "; ".join(f"{relpath}: {reason}" for relpath, reason in found["skipped"]) or "indexed"
            print(f"{name:<20} {found['bytes']:>10,} {found['seconds']:>6.1f} "
                  f"{found['self_mb']:>7.0f} {found['child_mb']:>9.0f} {found['documents']:>4}  "
                  f"{fate[:150]}", flush=True)


if __name__ == "__main__":
    main()
