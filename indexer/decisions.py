"""One run's decisions, article by article: unchanged, a copy, added or updated, gone."""

from __future__ import annotations

from collections.abc import Container, Mapping

from core import files
from core.records import Skipped
from engines.protocol import Writer
from indexer import commits, dedup, state
from indexer.first_pass import Reading, Reloader, Seen
from indexer.pipeline import Context, fingerprint, recanonical, row_for
from indexer.summary import Summary
from indexer.workers import Job, Outcome


class Run:
    """What a run decides of each article, and what the index holds once it commits."""

    def __init__(self, summary: Summary, context: Context, rows: Mapping[str, Mapping[str, str]],
                 existing: dict[str, state.Indexed], known_copies: dict[str, dict],
                 repeated: dict[str, frozenset[str]], present: Container[str],
                 registry: dedup.Registry, *, reading: Reading):
        self.summary, self.context, self.rows = summary, context, rows
        self.existing, self.known_copies = existing, known_copies
        self.repeated, self.present, self.registry = repeated, present, registry
        # What the index holds once this run commits, kept current as files are written.
        self.current = dict(existing)
        self.copies: dict[str, str] = {}
        self.reload = Reloader(summary.skipped, reading)
        self.trusted: set[str] = set()

    def close(self) -> None:
        """End the process that loads files again."""
        self.reload.close()

    def trust_unread(self, outlets: set[str]) -> None:
        """Take an untouched file's articles of these outlets (whose repeated lines did not
        change) as unchanged without reading them."""
        self.trusted = outlets

    def job(self, item: Seen) -> Job | None:
        """What the pipeline must do for ``item``; None when it is settled already
        (unchanged, a known copy, or unreadable now)."""
        if item.unread and item.outlet in self.trusted and self._unread(item):
            return None
        loaded = item.loaded or self.reload(item)
        if loaded is None:
            return None
        row = row_for(loaded, self.rows)
        outlet_lines = self.repeated.get(item.outlet, frozenset())
        old = self.existing.get(item.relpath)
        print_ = fingerprint(loaded, row, outlet_lines, self.context)
        if (old and old.fingerprint == print_) or self._known_copy(item.relpath, old, print_):
            self.summary.unchanged += 1
            return None
        return Job(loaded, row, outlet_lines)

    def write(self, job: Job, outcome: Outcome | str, writer: Writer) -> None:
        """Index what the pipeline made of ``job`` (or note why it is not an article),
        unless it is a copy of a document indexed before it."""
        relpath = job.loaded.relpath
        if isinstance(outcome, str):
            self.summary.skipped.append(Skipped(relpath, outcome))
            return
        doc, sig, persons = outcome
        # Workers learn spellings apart: the first spelling met in corpus order is the one.
        canonical = self.context.speakers.canonical
        doc = recanonical(doc, canonical, persons)
        persons = {canonical(name) for name in persons}
        self.summary.warnings += [f"{relpath}: {note}" for note in doc.notes]
        old = self.existing.get(relpath)
        self.registry.remove(relpath)
        original = self.registry.original_of(sig)
        if original:
            self._copy(relpath, original, doc.fingerprint)
            if old:  # it was indexed on its own before: now it is a copy
                writer.delete(relpath)
                del self.current[relpath]
            return
        self.registry.add(relpath, sig)
        if old:
            doc = commits.with_history(doc, writer)
        writer.replace(doc, sig)
        self.current[relpath] = state.Indexed(
            fingerprint=doc.fingerprint, passages=len(doc.passages), signature=sig,
            persons=tuple(dict.fromkeys(n for n in (*doc.speakers, *doc.mentions) if n in persons)))
        if old:
            self.summary.updated += 1
        else:
            self.summary.added += 1

    def _unread(self, item: Seen) -> bool:
        """Whether an article of an untouched file is settled by what the last run kept."""
        known = self.known_copies.get(item.relpath)
        if item.relpath in self.existing or (
                known and self._known_copy(item.relpath, None, known["fingerprint"])):
            self.summary.unchanged += 1
            return True
        return False

    def _known_copy(self, relpath: str, old: state.Indexed | None, print_: str) -> bool:
        """A copy the last run found, unchanged, of a file still here: not processed again."""
        known = self.known_copies.get(relpath)
        if old or not known or known["fingerprint"] != print_ or known["original"] not in self.present:
            return False
        self._copy(relpath, known["original"], print_)
        return True

    def _copy(self, relpath: str, original: str, print_: str) -> None:
        self.copies[relpath] = original
        self.summary.copy_fingerprints[relpath] = print_

    def delete_gone(self, writer: Writer) -> None:
        """Take out of the index the documents whose articles are gone from the corpus."""
        # A file that cannot be read now keeps what it gave before (nothing is lost).
        unreadable = {s.relpath for s in self.summary.skipped}
        gone = {relpath for relpath in self.existing if relpath not in self.present
                and relpath not in unreadable and files.container_of(relpath) not in unreadable}
        for relpath in gone:
            writer.delete(relpath)
            self.current.pop(relpath, None)
            self.summary.deleted += 1
