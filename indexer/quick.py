"""The run that reads only the files that changed (and the few the last run could not
settle), when no outlet's boilerplate changes with them.

It does what :func:`indexer.plan.whole` would, reading only the rows of the state those
files touch: at 100,000 articles the whole state is seconds of objects.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter, defaultdict
from collections.abc import Mapping

from core import files
from core.records import LoadedFile
from indexer import cleaner, commits, dedup, metadata, plan, state
from indexer.cleaner import LineCounts
from indexer.decisions import Run
from indexer.first_pass import FirstPass, Seen
from indexer.state_db import Previous


@dataclasses.dataclass(kw_only=True)
class _Reread:
    """The files a quick run reads again (``redo``) or finds gone, and what its first pass
    learnt of them: their outlets' line counts as they are now, and the lines repeated."""

    redo: set[str]
    gone: set[str]
    rows: Mapping[str, Mapping[str, str]]
    first: FirstPass
    seen: list[Seen]
    counts: dict[str, LineCounts]
    repeated: dict[str, frozenset[str]]


def run(inputs: plan.Inputs, previous: Previous, head: state.Head) -> state.Change | plan.Read:
    """The change to the state after reading what changed; when an outlet's boilerplate
    changes with it (every file of that outlet must be read again: :func:`plan.whole`),
    what it read."""
    summary = inputs.summary
    skipped = len(summary.skipped)
    reread = _reread(inputs, previous)
    if _boilerplate_changed(previous, reread):
        del summary.skipped[skipped:]  # the whole run finds them again
        texts: dict[str, dict[str, LoadedFile | None]] = defaultdict(dict)
        for item in reread.seen:
            if not item.unread:
                texts[files.container_of(item.relpath)][item.relpath] = item.loaded
        return plan.Read({relpath: reread.first.files[relpath] for relpath in texts}, texts)
    existing = previous.documents(reread.redo | reread.gone)
    written = _written(inputs, previous, reread, existing)
    # The articles of the files not read again: unchanged, as the last run left them.
    stamps, redo = inputs.stamps, reread.redo
    kept = {copy: found for copy, found in inputs.target.known_copies.items()
            if plan.untouched(files.container_of(copy), stamps, redo)}
    for copy, found in kept.items():
        written.copies[copy] = found["original"]
        summary.copy_fingerprints[copy] = found["fingerprint"]
    summary.unchanged += head.documents - len(existing) + len(kept)
    # What the first pass skipped in them (not what the pipeline refused of an article
    # that keeps its earlier document: the last run said so, and :func:`plan.whole` is silent).
    indexed = previous.indexed(s.relpath for s in head.skipped)
    summary.skipped += [s for s in head.skipped if s.relpath not in indexed
                        and plan.untouched(files.container_of(s.relpath), stamps, redo)]
    return _change(inputs, previous, head, reread, existing, written)


def _reread(inputs: plan.Inputs, previous: Previous) -> _Reread:
    """The files to read again, read by the first pass."""
    stamps = inputs.stamps
    touched, gone = previous.changed(stamps, inputs.listing)
    unsettled = {files.container_of(relpath) for relpath in previous.body.unsettled}
    absent = {files.container_of(relpath) for relpath in previous.body.absent}
    # Their documents must be looked at again: gone for good, or still kept.
    gone |= absent - stamps.keys()
    # A copy whose original's file changed may have to stand on its own: look again.
    changed = touched | gone
    copies = {files.container_of(copy) for copy, found in inputs.target.known_copies.items()
              if files.container_of(found["original"]) in changed}
    redo = (touched | unsettled | absent | copies) & stamps.keys()
    old = previous.files(redo | gone)
    rows = inputs.rows
    if rows is None:
        rows = metadata.read_manifests(inputs.corpus, plan.manifests_over(inputs.head.manifests, redo))
    first = FirstPass(rows, inputs.context.outlet_names, inputs.summary.skipped, old,
                      reading=inputs.reading)
    seen = first.run(inputs.files(redo), inputs.progress, inputs.workers)
    counts = _counts(previous, old, first.files)
    return _Reread(redo=redo, gone=gone, rows=rows, first=first, seen=seen, counts=counts,
                   repeated=cleaner.repeated_in(counts))


def _counts(previous: Previous, old: dict[str, state.FileSeen], new: dict[str, state.FileSeen]
            ) -> dict[str, LineCounts]:
    """The line counts of the outlets of these files, ``old`` taken out and ``new`` put in."""
    counts = previous.counts({a.outlet for seen in (*old.values(), *new.values())
                              for a in seen.articles if a.outlet})
    for sign, seen in [*((-1, f) for f in old.values()), *((1, f) for f in new.values())]:
        for article in seen.articles:
            if article.outlet:
                number, lines = counts[article.outlet]
                lines.update(dict.fromkeys(article.lines, sign))
                counts[article.outlet] = (number + sign, lines)
    return {outlet: (number, +lines) for outlet, (number, lines) in counts.items()}


def _boilerplate_changed(previous: Previous, reread: _Reread) -> bool:
    repeated = reread.repeated
    return any(previous.body.repeats.get(outlet) != (state.digest(*sorted(repeated[outlet]))
                                                     if outlet in repeated else None)
               for outlet in reread.counts)


def _written(inputs: plan.Inputs, previous: Previous, reread: _Reread,
             existing: dict[str, state.Indexed]) -> Run:
    """The articles of the files read again through the pipeline into the index."""
    context, helper = inputs.context, inputs.helper
    articles = {item.relpath for item in reread.seen}
    present = plan.Present(inputs.stamps.keys(), reread.redo, articles)
    context.speakers.add_first(previous.known_names())
    present_ = previous.signatures.without(existing.keys() - articles)
    registry = dedup.Registry.of(present_.keys, present_.exacts, present_.minhashes,
                                 (lambda: helper.submit(dedup.bands).result()) if helper else None)
    written = Run(inputs.summary, context, reread.rows, existing, inputs.target.known_copies,
                  reread.repeated, present, registry, reading=inputs.reading)
    # No outlet's boilerplate changed (or the run went through every file).
    written.trust_unread({item.outlet for item in reread.seen})
    with contextlib.closing(written):
        commits.write(inputs, written, reread.seen, 1)
    return written


def _change(inputs: plan.Inputs, previous: Previous, head: state.Head, reread: _Reread,
            existing: dict[str, state.Indexed], written: Run) -> state.Change:
    """The rows of the state this run changed, and its new head."""
    current, first, redo = written.current, reread.first, reread.redo
    per_format = Counter(head.formats)
    per_format.subtract(files.format_of(relpath) for relpath in existing)
    per_format.update(files.format_of(relpath) for relpath in current)
    new_head = inputs.finish(
        written, head.documents - len(existing) + len(current),
        head.passages - sum(d.passages for d in existing.values())
        + sum(d.passages for d in current.values()), +per_format)
    # The files of the last run's unsettled and absent documents were all read again (or
    # are gone), and every other document is present: the body holds for the whole state.
    body = plan.body(inputs, previous.body.repeats, written, first.files, redo - first.files.keys())
    deleted = existing.keys() - current.keys()
    return state.Change(head=new_head, body=body, files=first.files,
                        files_gone=(redo | reread.gone) - first.files.keys(), documents=current,
                        documents_gone=deleted, counts=reread.counts,
                        signatures=previous.signatures.changed(current, deleted),
                        before=previous.columns)
