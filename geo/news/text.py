"""A news report as the extractor reads it: headline, dateline and sentences, each with its position.

    article = read_article(text)
    article.headline        # "Israeli attack on Damascus kills seven" (or "")
    article.dateline        # "Beirut" (or "")
    article.sentences       # [Sentence(index, text, headline, lead), ...]

Real pages break sentences in odd places ("On Jan.\\n\\n9, two rockets"), glue them ("What to Know:.In response"),
and open with bylines and datelines ("BAGHDAD (Reuters) -", "(Beirut)", "ARBIL, Iraq:"): all are undone here so that
the rules see one sentence at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SENTENCE = 2000
#: Sentences of the body (after the headline) that make the lead: the article's own news is dated there.
LEAD_SENTENCES = 4
#: Sentences of the body whose undated attack words are the news itself (later ones take the date told before).
NEWS_SENTENCES = 2

_ABBREV = re.compile(r"\b(?:U\.S|U\.K|U\.N|U\.A\.E|Col|Gen|Lt|Maj|Sgt|Capt|Cmdr|Adm|Brig|Dep|Sen|Rep|Gov|Dr|Mr|"
                     r"Mrs|Ms|Prof|No|St|Mt|Ft|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|a\.m|p\.m|i\.e|e\.g|"
                     r"vs|approx|est|Inc|Corp|Co|Ltd)\.", re.I)
_SPLIT = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|(?<=[a-z\"”:][.!?])(?=[A-Z“\"][a-z])|\n")
#: A paragraph cut inside a sentence: "On Jan." + "9, two rockets" or "the U.S." + "embassy".
_CUT = re.compile(r"(\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|U\.S\.|U\.K\.)\s*\n\s*(?=[0-9a-z])")
_DATELINE = re.compile(
    r"^\s*(?:\((?P<p1>[A-Z][\w' -]{2,30})\)\s+"                                # "(Beirut) Hezbollah announced"
    r"|(?P<p2>[A-Z][A-Za-z'-]+(?:[ /][A-Za-z'-]+){0,3}?)"                      # "BAGHDAD", "Dubai/Baghdad", "Beirut"
    r"(?:,\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},?|[A-Z][a-z]+))?\s*"                  # ", May 23," / ", Iraq"
    r"(?P<agency>\([^()\n]{1,40}\)\s*)?,?\s*(?:[-\u2013\u2014:]+)\s*)")         # "(Reuters) -", ":", "–"
_BYLINE = re.compile(r"^(?:By\s+[A-Z][^\n]{0,80}|[A-Z][a-z]+\s+[A-Z][a-z]+|Associated Press|Reuters|AFP|"
                     r"[A-Z][a-z]+ [A-Z][a-z]+ / [^\n]*)$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its order, its text, whether it is the headline, in the lead, at the very top of the body."""

    index: int
    text: str
    headline: bool = False
    lead: bool = False
    top: bool = False


@dataclass(frozen=True)
class Article:
    """The parts of a report the extractor uses."""

    headline: str
    dateline: str
    sentences: tuple[Sentence, ...]


def normalise(text: str) -> str:
    """One spelling of quotes, dashes and spaces; paragraph cuts inside a sentence joined again."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u2009", " ")
    text = text.replace("’", "'").replace("‘", "'").replace("´", "'").replace("\u200b", "")
    return _CUT.sub(lambda m: m[1] + " ", text)


def _headline(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The first line is a headline when it is short and does not end as a sentence does, or is in title case
    ("Iran Attacked With Drones: Israel Strikes Back!")."""
    if len(paragraphs) < 2:
        return "", paragraphs
    first = paragraphs[0].strip()
    words = first.split()
    title = sum(w[:1].isupper() or not w[:1].isalpha() for w in words) >= 0.8 * len(words) and not first.endswith(".")
    if len(first) <= 200 and "\n" not in first and (title or not re.search(r"[.!?\"”]$", first)) and len(words) >= 3:
        return first, paragraphs[1:]
    return "", paragraphs


def _dateline(paragraphs: list[str]) -> tuple[str, list[str]]:
    """A dateline at the start of one of the first body paragraphs, removed from it."""
    for i, p in enumerate(paragraphs[:4]):
        m = _DATELINE.match(p)
        if m is None:
            continue
        place = (m["p1"] or m["p2"] or "").split("/")[0].strip()
        if m["p2"] and not (m["p2"].replace("/", "").replace(" ", "").isupper() or m["agency"]
                            or (i == 0 and re.search(r"\s[\u2013\u2014]", m[0]))):
            continue  # "Context:" or "The Statement:" is no dateline; "BAGHDAD -", "Baghdad (AP) -", "Baghdad –" are
        return place.title() if place.isupper() else place, paragraphs[:i] + [p[m.end():]] + paragraphs[i + 1:]
    return "", paragraphs


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; abbreviations such as "U.S.", "Col." and "Jan." do not end one."""
    masked = _ABBREV.sub(lambda m: m[0].replace(".", "\x00"), text)
    parts = (" ".join(p.replace("\x00", ".").split()) for p in _SPLIT.split(masked))
    return [p[:MAX_SENTENCE] for p in parts if p and any(c.isalpha() for c in p)]


def read_article(text: str) -> Article:
    """Headline, dateline and sentences of a report (plain text)."""
    text = normalise(text)
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    headline, body = _headline(paragraphs)
    body = [p for p in body if not _BYLINE.match(p.strip())] or body
    dateline, body = _dateline(body)
    sentences: list[Sentence] = []
    if headline:
        sentences.append(Sentence(0, " ".join(headline.split()), headline=True))
    for s in split_sentences("\n".join(body)):
        n = len(sentences) - (1 if headline else 0)
        sentences.append(Sentence(len(sentences), s, lead=n < LEAD_SENTENCES, top=n < NEWS_SENTENCES))
    return Article(headline, dateline, tuple(sentences))


__all__ = ["Article", "LEAD_SENTENCES", "NEWS_SENTENCES", "Sentence", "normalise", "read_article", "split_sentences"]
