"""What ``presscut verify`` prints for a check, and its exit status per verdict."""

from __future__ import annotations

from search.verify import Check, Match, diff
from search.wording import marked_sentences

LINES = {
    "verbatim": "Verbatim: the archive holds these words as quoted.",
    "altered": "Altered: the archive holds this statement in other words; the differences "
               "are marked [-quote only-] {+archive only+}.",
    "contradicted": "Contradicted: the archive holds this statement with its meaning reversed; "
                    "the reversed words are marked >>like this<< in its sentence as published.",
    "not_found": "Not found: no passage of the archive says this.",
}
# 2 is a quote that cannot be checked (cli.EXIT_BAD_INPUT).
EXIT = {"verbatim": 0, "altered": 3, "not_found": 4, "contradicted": 5}


def text(check: Check) -> str:
    """The verdict in a sentence, then each match: where, and what differs."""
    lines = [LINES[check.verdict]]
    for m in check.matches:
        lines.append(f"\n{m.doc.metadata.outlet}, {m.doc.metadata.date or 'undated'} "
                     f"[{m.passage.passage_id}] {m.similarity:.0%} of its words")
        if m.reversed:
            said = "; ".join(f"the archive says \u201c{r.archive}\u201d, the quote says "
                             f"\u201c{r.quote}\u201d" for r in m.reversed)
            lines.append("  " + said[0].upper() + said[1:] + ".")
            lines.append("  " + _reversal_marks(m))
        else:
            pieces = diff(check.quote, m.text, m.cut)
            lines.append("  " + "".join(_diff_marks(op, piece) for op, piece in pieces))
    return "\n".join(lines)


def _reversal_marks(match: Match) -> str:
    spans = [(r.start, r.end) for r in match.reversed]
    return " ".join("".join(f">>{piece}<<" if marked else piece for piece, marked in sentence)
                    for sentence in marked_sentences(match.text, spans))


def _diff_marks(op: str, piece: str) -> str:
    return {"-": f"[-{piece}-] ", "+": f"{{+{piece.rstrip()}+}} "}.get(op, piece)
