"""What every PDF Pilar prints shares: text the built-in PDF fonts can draw."""

import unicodedata
from typing import TypedDict

from fpdf.enums import XPos, YPos

# Typographic marks the built-in (Latin-1) fonts lack, replaced by their plain forms before folding.
PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def latin1(text: str) -> str:
    """``text`` as the PDF's built-in fonts can draw it: accents kept where Latin-1 has them, folded otherwise."""
    text = text.translate(PLAIN)
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", text)
        return folded.encode("latin-1", "ignore").decode("latin-1")


class NextLine(TypedDict):
    new_x: XPos
    new_y: YPos


# ``cell(..., **NEXT_LINE)``: the following text starts at the left margin of the next line. Typed, so that the
# checker matches each key to its parameter (a plain dict would widen every value to all of the dict's types).
NEXT_LINE: NextLine = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
