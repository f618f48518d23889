#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""pdfcheck.py HTML PDF PAPER MIN:MAX -- checks the summary printed to PDF.

- the paper is PAPER (letter or a4) and the page count is in MIN..MAX;
- the first page is the decision page: the title, every headline
  sentence, "What to do first" with its actions and the "Judged by" line
  are on it (the evidence may follow on the same page);
- every table cell of the HTML is in the PDF's text, in document order
  (whitespace aside): a column cut off at the page edge or a row lost at a
  page break fails;
- no word of the PDF lies outside the page's printable area (12 mm
  margins at the top and bottom, 15 mm at the sides, with a little
  slack).

Needs pdfinfo and pdftotext (poppler-utils). Prints what it measured.
"""
import html.parser
import re
import subprocess
import sys
import unicodedata

PAPERS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
MARGIN_X_PT = 15 / 25.4 * 72	# the print style's @page margins
MARGIN_Y_PT = 12 / 25.4 * 72
SLACK_PT = 12


def norm(s):
    """Text without whitespace, ligatures and the like folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


class Page(html.parser.HTMLParser):
    """The HTML's headline, actions, section headings and table cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.text = None
        self.cells = []		# [table index, text]
        self.h2 = []
        self.headline = []
        self.actions = []
        self.basis = ""
        self.tables = 0
        self.in_headline = False
        self.in_first = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("class") == "headline":
            self.in_headline = True
        if tag == "table":
            self.tables += 1
        if tag in ("td", "th", "h2", "p", "li"):
            self.stack.append((tag, a))
            self.text = []

    def handle_endtag(self, tag):
        if tag == "section":
            self.in_headline = False
        if not self.stack or self.stack[-1][0] != tag:
            return
        _, a = self.stack.pop()
        t = "".join(self.text or [])
        self.text = None
        if tag in ("td", "th"):
            self.cells.append((self.tables, t))
        elif tag == "h2":
            self.h2.append(t)
            self.in_first = t == "What to do first"
        elif tag == "p" and self.in_headline:
            self.headline.append(t)
        elif tag == "p" and a.get("class") == "basis":
            self.basis = t
            self.in_first = False
        elif tag == "li" and self.in_first:
            self.actions.append(t)

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True,
                          text=True).stdout


def main():
    html_path, pdf, paper, pages = sys.argv[1:5]
    lo, hi = (int(x) for x in pages.split(":"))
    page = Page()
    with open(html_path, encoding="utf-8") as f:
        page.feed(f.read())
    bad = []

    info = run("pdfinfo", pdf)
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    w, h = (float(x) for x in re.search(
        r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    want = PAPERS[paper]
    if abs(w - want[0]) > 2 or abs(h - want[1]) > 2:
        bad.append(f"page size {w} x {h}, not {paper}")
    if not lo <= n <= hi:
        bad.append(f"{n} pages, not {lo}..{hi}")

    text = run("pdftotext", "-layout", pdf, "-")
    texts = text.split("\f")
    first = norm(texts[0])
    for need in ["Shadow IT summary"] + page.headline + page.actions + \
            [page.basis]:
        if norm(need) not in first:
            bad.append(f"page 1 lacks {need[:60]!r}")
    if page.actions and norm("What to do first") not in first:
        bad.append("page 1 lacks \"What to do first\"")
    # The decision comes first: nothing of a later section before the
    # "Judged by" line that ends it.
    later = [x for x in page.h2 if x != "What to do first"]
    end = first.find(norm(page.basis)) if page.basis else -1
    for x in later:
        at = first.find(norm(x))
        if at != -1 and end != -1 and at < end:
            bad.append(f"page 1 has {x!r} before the decision ends")

    # Every cell in order, across all pages, in the order Chromium drew
    # the text (-raw), which is the document's: -layout interleaves the
    # lines of cells that wrap.
    flat = norm(run("pdftotext", "-raw", pdf, "-").replace("\f", ""))
    pos = 0
    for table, cell in page.cells:
        c = norm(cell)
        if not c:
            continue
        at = flat.find(c, pos)
        if at < 0:
            bad.append(f"table {table}: cell {cell[:50]!r} missing or out"
                       " of order")
            continue
        pos = at + len(c)

    # Every word inside the printable area.
    words = 0
    box = run("pdftotext", "-bbox", pdf, "-")
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                         r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                         box):
        x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
        words += 1
        if x0 < MARGIN_X_PT - SLACK_PT or x1 > w - MARGIN_X_PT + SLACK_PT \
                or y0 < MARGIN_Y_PT - SLACK_PT or \
                y1 > h - MARGIN_Y_PT + SLACK_PT:
            bad.append(f"word {m.group(5)!r} at {x0:.0f},{y0:.0f}-"
                       f"{x1:.0f},{y1:.0f} outside the printable area")
    if words == 0:
        bad.append("no words in the PDF")

    name = pdf.rsplit("/", 1)[-1]
    for b in bad[:20]:
        print(f"FAIL: {name}: {b}")
    print(f"{name}: {n} pages ({paper}), {len(page.cells)} table cells of"
          f" {page.tables} tables found in order, {words} words, page 1"
          f" = decision page: {'no' if bad else 'yes'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
