"""BibTeX and RIS for one publication.

Written here rather than with a library: the two formats need a dozen lines for the fields we
have, and the Python packages for them (bibtexparser, rispy) are mainly readers whose writers
would add a dependency for string joining. Values are escaped for BibTeX's special characters.
"""

from __future__ import annotations

from clusterportal.content.publications import Entry

BIBTEX_TYPES = {"study": "techreport", "report": "techreport", "brochure": "misc",
                "atlas_edition": "misc"}  # fmt: skip
RIS_TYPES = {"study": "RPRT", "report": "RPRT", "brochure": "PAMP", "atlas_edition": "DATA"}
_BIBTEX_SPECIAL = str.maketrans({c: "\\" + c for c in "&%$#_{}"})


def _bib(value: str) -> str:
    return value.translate(_BIBTEX_SPECIAL)


def bibtex(entry: Entry, base_url: str = "") -> str:
    fields = [("title", entry.title)]
    if entry.authors:
        fields.append(("author", " and ".join(a.strip() for a in entry.authors.split(";"))))
    kind = BIBTEX_TYPES.get(entry.type, "misc")
    fields.append(("institution" if kind == "techreport" else "publisher", entry.publisher))
    fields += [("year", str(entry.year)), ("language", entry.language)]
    if entry.link:
        link = entry.link if entry.link.startswith("http") else base_url + entry.link
        fields.append(("url", link))
    body = ",\n".join(f"  {name} = {{{_bib(value)}}}" for name, value in fields)
    return f"@{kind}{{{entry.key},\n{body}\n}}\n"


def ris(entry: Entry, base_url: str = "") -> str:
    lines = [("TY", RIS_TYPES.get(entry.type, "GEN")), ("TI", entry.title)]
    lines += [("AU", a.strip()) for a in entry.authors.split(";") if a.strip()]
    lines += [("PB", entry.publisher), ("PY", str(entry.year)), ("LA", entry.language)]
    if entry.link:
        link = entry.link if entry.link.startswith("http") else base_url + entry.link
        lines.append(("UR", link))
    if entry.abstract:
        lines.append(("AB", " ".join(entry.abstract.split())))
    lines.append(("ER", ""))
    # RIS: two-letter tag, two spaces, hyphen, space; CRLF line ends.
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)
