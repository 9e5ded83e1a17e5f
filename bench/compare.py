"""bench-compare's table: the rows of two bench runs (base, tree) side by
side with tree/base, each row flagged WORSE when the tree is more than
10 % worse. Rows are matched by name and by order among rows of that name
("  p99 latency" appears once per data base). A row is better higher when
its name counts per second (req/s, rows/s), lower otherwise; its
first number is compared. Exits 1 when a row is flagged."""

import re
import sys

WORSE = 0.10


def rows(path):
    out, seen = {}, {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or cells[0] in ("what", "") or set(cells[0]) <= set("-"):
            continue
        name = cells[0]
        n = seen.get(name, 0)
        seen[name] = n + 1
        out[(name, n)] = cells[1]
    return out


def number(cell):
    m = re.search(r"-?\d[\d,]*\.?\d*", cell)
    return float(m.group().replace(",", "")) if m else None


def main(base_path, tree_path):
    base, tree = rows(base_path), rows(tree_path)
    keys = list(tree) + [k for k in base if k not in tree]
    print(f"| {'what':66} | {'base':>12} | {'tree':>12} | {'tree/base':>9} | {'':6} |")
    print(f"|{'-' * 68}|{'-' * 14}|{'-' * 14}|{'-' * 11}|{'-' * 8}|")
    flagged = 0
    for key in keys:
        b, t = base.get(key), tree.get(key)
        ratio, flag = "-", ""
        if b is None or t is None:
            flag = "new" if b is None else "gone"
        else:
            nb, nt = number(b), number(t)
            if nb is not None and nt is not None:
                higher_better = re.search(r"\b(req|rows)/s\b", key[0]) is not None
                if nb:
                    ratio = f"{nt / nb:.2f}"
                    worse = (nb - nt) / nb if higher_better else (nt - nb) / nb
                else:
                    worse = 1 if (nt > 0 and not higher_better) else 0
                if worse > WORSE:
                    flag, flagged = "WORSE", flagged + 1
        print(f"| {key[0]:66} | {b or '-':>12} | {t or '-':>12} | {ratio:>9} | {flag:6} |")
    print()
    print(f"{flagged} row(s) more than {WORSE:.0%} worse on the tree" if flagged else f"no row more than {WORSE:.0%} worse")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
