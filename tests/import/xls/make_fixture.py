#!/usr/bin/env python3
"""How tests/import/xls/table.xls was made (run once; the tests do not run it).

It writes the 2024 table (tests/import/liucheng-2024/table.txt) as an
Excel 97-2003 workbook (.xls, BIFF8) with xlwt 1.3.0 (`pip install xlwt`),
laid out as tests/import/office.rs lays out the .xlsx: the title merged
across the columns in the first row, two header rows (考核内容 merged over
the first three columns, the other headers merged down over both rows),
the section, indicator and item cells merged down over the rows they
span, the points as numbers, a cell's lines as line breaks; then a note
row merged across under the table.

    python3 tests/import/xls/make_fixture.py
"""

import os
import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = os.path.join(HERE, "..", "liucheng-2024", "table.txt")
HEADERS = {"一级指标", "二级指标", "考核事项", "三级指标", "考核内容", "分值", "分数",
           "评分标准", "考核标准", "材料要求", "佐证材料", "责任单位", "牵头单位"}


def rows_of_text(text):
    """The copied text as (title, header, body), as office.rs reads it."""
    before, cells = [], []
    for line in text.splitlines():
        line = line.rstrip(" \r\u3000")
        if line.startswith("\t"):
            first = line[1:].strip()
            cells.append([first] if first else [])
        elif cells:
            if line.strip():
                cells[-1].append(line.strip())
        elif line.strip():
            before.append(line.strip())
    cells = ["\n".join(c) for c in cells]
    width = 0
    while width < len(cells) and cells[width] in HEADERS:
        width += 1
    body = [cells[i:i + width] for i in range(width, len(cells), width)]
    return before[0], cells[:width], body


def merges(body, header):
    """(column, first row, last row) of the first three columns' cells
    followed by empty ones under them."""
    out = []
    for col in range(min(3, len(header))):
        r = 0
        while r < len(body):
            if not body[r][col]:
                r += 1
                continue
            end = r
            while end + 1 < len(body) and not body[end + 1][col]:
                end += 1
            if end > r:
                out.append((col, r, end))
            r = end + 1
    return out


def main():
    with open(TEXT, encoding="utf-8") as f:
        title, header, body = rows_of_text(f.read())
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("任务分解表")
    wrap = xlwt.easyxf("align: wrap on, vert centre")
    last = len(header) - 1
    sheet.write_merge(0, 0, 0, last, title, wrap)
    sheet.write_merge(1, 1, 0, 2, "考核内容", wrap)
    for c, h in enumerate(header):
        if c < 3:
            sheet.write(2, c, h, wrap)
        else:
            sheet.write_merge(1, 2, c, c, h, wrap)
    top = 3
    merged = merges(body, header)
    for r, row in enumerate(body):
        for c, text in enumerate(row):
            first = [m for m in merged if m[0] == c and m[1] == r]
            if first:
                sheet.write_merge(top + r, top + first[0][2], c, c, text, wrap)
            elif any(m[0] == c and m[1] < r <= m[2] for m in merged):
                pass  # under a merged cell
            elif header[c] == "分值" and text.replace(".", "", 1).isdigit():
                sheet.write(top + r, c, float(text), wrap)
            elif text:
                sheet.write(top + r, c, text, wrap)
    note = top + len(body)
    sheet.write_merge(note, note, 0, last, "注：考核数据以统计部门公布为准。", wrap)
    book.save(os.path.join(HERE, "table.xls"))


if __name__ == "__main__":
    main()
