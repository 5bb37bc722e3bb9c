"""Vietnamese text helpers: accent-insensitive folding and Vietnamese collation keys.

``fold`` is what search compares: lower case, no diacritics, đ → d, single spaces.
``vi_sort_key`` orders names as a Vietnamese reader expects (a < ă < â < b … d < đ …, then by tone), and
encodes the result as digits only so the database sorts it identically under any collation.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Vietnamese alphabet order; letters outside it (f, j, w, z, digits) sort by their code after it.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i + 10 for i, ch in enumerate(_ALPHABET)}
_EXTRA = "fjwz0123456789"
_LETTER_RANK.update({ch: 50 + i for i, ch in enumerate(_EXTRA)})
# Tone order used by Vietnamese dictionaries: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_BASE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)


def fold(text: str | None) -> str:
    """Return ``text`` lower-cased without diacritics (đ → d) and with single spaces."""
    if not text:
        return ""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def search_tokens(query: str | None) -> list[str]:
    """Split a user's query into folded tokens."""
    return [t for t in fold(query).split(" ") if t]


def _letters(word: str) -> list[tuple[str, int]]:
    """Split a word into (base letter incl. ă/â/ê/ô/ơ/ư/đ, tone rank) pairs."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _BASE_MARKS and out:
            base, tone = out[-1]
            out[-1] = (unicodedata.normalize("NFC", base + ch), tone)
        elif ch in _TONE_RANK and out:
            base, _ = out[-1]
            out[-1] = (base, _TONE_RANK[ch])
        elif unicodedata.combining(ch):
            continue
        else:
            out.append((ch, 0))
    return out


def vi_sort_key(text: str | None) -> str:
    """A digits-only key that sorts Vietnamese text in dictionary order (letters first, then tones)."""
    if not text:
        return ""
    primary: list[str] = []
    tones: list[str] = []
    for word in _SPACES.split(text.strip()):
        for base, tone in _letters(word):
            rank = _LETTER_RANK.get(base)
            if rank is None:
                continue
            primary.append(f"{rank:02d}")
            tones.append(str(tone))
        primary.append("00")
    return "".join(primary) + "0" + "".join(tones)


def person_sort_key(full_name: str | None) -> str:
    """Vietnamese people are listed by given name (the last word), then by the full name."""
    if not full_name:
        return ""
    words = full_name.split()
    return vi_sort_key(words[-1]) + "00" + vi_sort_key(full_name)
