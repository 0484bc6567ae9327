"""The quote checker's regression gate on the labelled cases (tests/data/verify_cases.jsonl,
scored by bench/verify_quality.py on the seeds and 300 BBC articles)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from indexer import build
from search.service import SearchService

from .conftest import ROOT, shared

pytestmark = pytest.mark.slow


def _bench():
    spec = importlib.util.spec_from_file_location("verify_quality", ROOT / "bench" / "verify_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_verdicts_on_the_labelled_cases(tmp_path):
    shared("data/news-corpus/bbc-news-2225.jsonl.gz")
    bench = _bench()
    cases = [json.loads(line) for line in bench.CASES.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert len(cases) >= 150 and {c["label"] for c in cases} == set(bench.VERDICTS)
    build.index_corpus(bench.build_corpus(tmp_path / "corpus"), tmp_path / "index")
    figures, rows = bench.score(cases, bench.checker(SearchService(tmp_path / "index")))
    wrong = [(r["id"], r["label"], r["verdict"]) for r in rows if r["verdict"] != r["label"]]
    assert figures["not_found_called_found"] == 0, wrong  # no invented quote passes as found
    assert figures["reversals_called_altered_or_verbatim"] == 0, wrong  # nor a reversed one
    assert figures["verbatim_spans_found"] == figures["verbatim_spans"] >= 8, wrong
    assert figures["right_passage_first"]["verbatim"] == 1.0, wrong
    assert figures["right_passage_first"]["altered"] >= 0.9, wrong
    assert figures["per_verdict"]["contradicted"]["recall"] >= 0.85, wrong
