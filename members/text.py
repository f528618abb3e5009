"""Text normalisation shared by forms and search.

Japanese input arrives in full-width and half-width forms and in both kana; search
folds them so that 「ボランティア」, 「ﾎﾞﾗﾝﾃｨｱ」 and 「ぼらんてぃあ」 find each other.
"""

import unicodedata

import jaconv


def normalise_input(value: str) -> str:
    """NFKC (full-width digits and letters become ASCII) and trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def search_key(*parts: str) -> str:
    """One lower-case, NFKC, hiragana-folded string for substring search."""
    joined = " ".join(p for p in parts if p)
    return jaconv.kata2hira(unicodedata.normalize("NFKC", joined)).lower()
