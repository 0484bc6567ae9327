"""Whoosh's own test suite as the oracle of our writer (``engines/whoosh/segments.py``).

The suite comes from the sdist of the Whoosh installed (PyPI's wheel has no tests),
downloaded once into pytest's cache, and runs in a pytest of its own whose plugin,
``tests/whoosh_writer_plugin.py``, makes every writer an index gives Presscut's: once as
each test asks for it, once with every index on disk given ``procs=2,
multisegment=False`` (the workers' posting runs merged by the parent: a path the build
does not take but that ``segments.writer`` promises, as ``ix.writer(procs=...)`` does).
In that second run the few tests that stock Whoosh's MpWriter fails as well are expected
to fail (the plugin lists them and why); every other test must pass in both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

WHOOSH = version("whoosh-reloaded")
DOWNLOAD = ["pip", "download", "--no-deps", "--no-binary", ":all:", f"whoosh-reloaded=={WHOOSH}"]
# Whoosh's setup.cfg sets options for tools it no longer uses, which pytest warns of; the
# suite runs under our settings instead: every warning, from Whoosh or from us, an error.
INI = "[pytest]\naddopts = -p no:cacheprovider\nfilterwarnings =\n    error\ntimeout = 120\n"
MODES = {"as-asked": {}, "procs=2,multisegment=False": {"PRESSCUT_WRITER_FORCE": "1"}}


@pytest.fixture(scope="module")
def suite(request, tmp_path_factory) -> Path:
    """Whoosh's tests folder, from the cache or else from PyPI."""
    cache = getattr(request.config, "cache", None)
    home = cache.mkdir(f"whoosh-suite-{WHOOSH}") if cache else tmp_path_factory.mktemp("whoosh")
    found = sorted(home.glob("*/tests"))
    if found:
        return found[0]
    if not list(home.glob("*.tar.gz")):
        try:
            done = subprocess.run([sys.executable, "-m", *DOWNLOAD, "--quiet", "-d", str(home)],
                                  capture_output=True, text=True, timeout=300)
            why = done.stderr.strip().splitlines()[-1:] if done.returncode else []
        except subprocess.TimeoutExpired:
            why = ["no answer from PyPI in 300 s"]
        if why or not list(home.glob("*.tar.gz")):
            pytest.skip(f"Whoosh {WHOOSH}'s sdist could not be downloaded ({' '.join(why)}): to run "
                        f"Whoosh's test suite against our writer, run `python -m pytest "
                        f"tests/test_whoosh_suite.py` where PyPI answers (pytest's cache keeps it), "
                        f"or put the .tar.gz that `{' '.join(DOWNLOAD)}` saves in {home}")
    with tempfile.TemporaryDirectory(dir=home) as unpacked:
        with tarfile.open(next(home.glob("*.tar.gz"))) as sdist:
            sdist.extractall(unpacked, filter="data")
        tests = next(Path(unpacked).glob("*/tests"))
        os.replace(tests.parent, home / tests.parent.name)  # whole, or not at all
    return home / tests.parent.name / "tests"


def run_suite(tests: Path, mode: dict, work: Path) -> tuple[dict, list[str], dict]:
    """The counts of the suite's run, its failures (each test with its message) and the
    plugin's report of the writers it gave."""
    (work / "pytest.ini").write_text(INI, encoding="utf-8")
    # Our own pytest settings (PYTEST_ADDOPTS...) are not this run's; our packages
    # is the one under test, ahead of any other installed.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env |= mode | {"PRESSCUT_WRITER_REPORT": str(work / "writers.json"),
                   "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "pytest", "-c", str(work / "pytest.ini"),
                           "--rootdir", str(tests.parent), "-p", "tests.whoosh_writer_plugin", "-q",
                           "--junitxml", str(work / "suite.xml"), str(tests)],
                          cwd=work, env=env, capture_output=True, text=True, timeout=550)
    if not (work / "suite.xml").exists():
        pytest.fail(f"Whoosh's suite did not run:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    xml = ET.parse(work / "suite.xml").getroot()
    run = xml if xml.tag == "testsuite" else xml.find("testsuite")
    counts = {key: int(run.get(key)) for key in ("tests", "failures", "errors", "skipped")}
    # An expected failure is reported as skipped, of type pytest.xfail.
    counts["xfailed"] = len(xml.findall(".//skipped[@type='pytest.xfail']"))
    counts["skipped"] -= counts["xfailed"]
    counts["passed"] = counts["tests"] - sum(counts[key] for key in
                                             ("failures", "errors", "skipped", "xfailed"))
    counts["time"] = float(run.get("time"))
    failures = [f"{case.get('classname')}.{case.get('name')}: {bad.get('message', '')[:200]}"
                for case in xml.iter("testcase") for bad in case if bad.tag in ("failure", "error")]
    return counts, failures, json.loads((work / "writers.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", MODES)
def test_whooshs_suite_passes_with_our_writer(suite, mode, tmp_path):
    counts, failures, report = run_suite(suite, MODES[mode], tmp_path)
    summary = (f"Whoosh {WHOOSH}'s suite with our writer ({mode}): {counts['passed']} passed, "
               f"{counts['failures']} failed, {counts['errors']} errors, {counts['skipped']} skipped, "
               f"{counts['xfailed']} failed as expected, of {counts['tests']}, in {counts['time']:.0f} s")
    print(summary)
    assert Path(report["segments"]).parents[2] == ROOT, report
    ours = "ChunkedMpWriter" if MODES[mode] else "ChunkedSegmentWriter"
    assert report["writers"].get(ours), f"{summary}; the plugin gave no {ours}: {report}"
    assert counts["passed"] and not failures, "\n  ".join([summary, *failures[:10]])
