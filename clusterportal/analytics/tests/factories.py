"""Small hand-made inputs for the engine tests.

The "three Kreise" example: Kreise K1, K2, K3 (region_type kreis) and three
clusters, T1 Machines and T2 Software (traded) and L1 Retail (local). Year 2020:

    industry  cluster  K1 emp (est)   K2 emp (est)   K3 emp (est)
    111       T1        60 (6)         30 (3)         20 (2)
    112       T1        40 (4)          -              -
    211       T2        50 (5)        170 (12)        80 (9)
    911       L1       150 (30)       200 (40)       300 (60)

so T1 = 100 / 30 / 20, T2 = 50 / 170 / 80, L1 = 150 / 200 / 300; traded totals
150 / 200 / 100, totals 300 / 400 / 400. Without a reference region the
benchmark is the sum of the three: T1 150, T2 300, traded 450, local 650,
total 1,100. Year 2022 repeats 2020 except K1 industry 111 = 81 (T1 = 121).
The hand computations are in the comments of test_hand_example.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CLUSTERS = """industry_code,cluster_code,cluster_name,type
111,T1,Machines,traded
112,T1,Machines,traded
211,T2,Software,traded
911,L1,Retail,local
"""

_ROWS_2020 = [
    # region, industry, employment, establishments, payroll
    ("K1", "111", 60, 6, 3000),
    ("K1", "112", 40, 4, 2400),
    ("K1", "211", 50, 5, 4000),
    ("K1", "911", 150, 30, 4500),
    ("K2", "111", 30, 3, 1500),
    ("K2", "211", 170, 12, 13600),
    ("K2", "911", 200, 40, 6000),
    ("K3", "111", 20, 2, 1000),
    ("K3", "211", 80, 9, 6400),
    ("K3", "911", 300, 60, 9000),
]

HEADER = "year,region_type,region_code,industry_code,employment,establishments,payroll"


def employment_rows(years: tuple[int, ...] = (2020,)) -> list[str]:
    lines = []
    for year in years:
        for region, industry, emp, est, payroll in _ROWS_2020:
            if year == 2022 and (region, industry) == ("K1", "111"):
                emp = 81
            lines.append(f"{year},kreis,{region},{industry},{emp},{est},{payroll}")
    return lines


def employment_csv(years: tuple[int, ...] = (2020,)) -> str:
    return "\n".join([HEADER, *employment_rows(years)]) + "\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def three_kreise(tmp: Path, years: tuple[int, ...] = (2020,)) -> tuple[Path, Path]:
    """Write the example's employment.csv and clusters.csv into tmp."""
    return (
        write(tmp / "employment.csv", employment_csv(years)),
        write(tmp / "clusters.csv", CLUSTERS),
    )


def rows_by_key(table: Any, *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    """A pyarrow table as {(key values): row dict} for readable assertions."""
    rows: list[dict[str, Any]] = table.to_pylist()
    return {tuple(r[k] for k in keys): r for r in rows}
