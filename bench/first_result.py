"""Time to first result: how soon a first build of a new archive answers a search.

    python bench/first_result.py --corpus DIR --index DIR [--word government] [--stop]

Empties the index folder, runs `presscut index` into it and, every half second, opens
the archive and searches it for --word, as a reader who came at the start would. Prints
when the first search answered, how many articles it found and how far the build said it
was. --stop ends the build there (an interrupted first build keeps what it committed);
without it the whole build is timed too.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from load import PRESSCUT

from engines.whoosh import store
from search.results import SearchRequest
from search.service import SearchService


def first_answer(index: Path, word: str, build: subprocess.Popen, started: float) -> dict | None:
    """Seconds until a search of the build in progress first finds ``word``, with what it
    found; None when the build ended first."""
    while build.poll() is None:
        if store.exists(index):
            progress = store.progress(index)
            found = SearchService(index).search(SearchRequest(q=word)).total
            if found:
                return {"seconds": time.monotonic() - started, "found": found,
                        "progress": progress}
        time.sleep(0.5)
    return None


def emptied(index: Path) -> Path:
    """``index`` with no index in it (nor its generations): what a first build starts from."""
    for leftover in (index, index.with_name(index.name + ".generations")):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()
        elif leftover.exists():
            shutil.rmtree(leftover)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True,
                        help="emptied first: the build must be a first build")
    parser.add_argument("--word", default="government", help="the word searched for")
    parser.add_argument("--stop", action="store_true", help="stop the build at the first answer")
    args = parser.parse_args()
    emptied(args.index)
    # A file, not a pipe: a build's many warnings would fill a pipe nobody reads yet.
    with tempfile.TemporaryFile("w+") as errors:
        started = time.monotonic()
        build = subprocess.Popen([str(PRESSCUT), "index", "--corpus", str(args.corpus),
                                  "--index", str(args.index)],
                                 stdout=subprocess.DEVNULL, stderr=errors)
        first = first_answer(args.index, args.word, build, started)
        if first is None:
            errors.seek(0)
            print(f"the build ended ({build.returncode}) before any search answered:\n"
                  f"{errors.read()}")
        else:
            print(f"first answer after {first['seconds']:.1f} s: {first['found']:,} articles "
                  f"hold {args.word!r}; the build said {first['progress']}", flush=True)
        if args.stop and first is not None:
            build.send_signal(signal.SIGINT)
        build.wait()
    print(f"build {'stopped' if args.stop else 'ended'} after {time.monotonic() - started:.1f} s "
          f"(exit {build.returncode})")


if __name__ == "__main__":
    main()
