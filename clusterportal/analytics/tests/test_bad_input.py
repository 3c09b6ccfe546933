"""Every kind of bad input stops the CLI with file, row and reason, exit 2, and no output.

Each case starts from the valid "three Kreise" files and breaks one thing. Rows
are spreadsheet rows: the header is row 1, the first data row row 2.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clusterportal.analytics import cli, output
from clusterportal.analytics.cli import main
from clusterportal.analytics.tests.factories import CLUSTERS, HEADER, employment_rows, write


@dataclass
class Case:
    """Files to write (name -> text or a function of the tmp dir), extra flags, expectation."""

    files: dict[str, str]
    flags: list[str]
    file: str  # the file the message must name
    row: int | None
    reason: str


def emp_with(*changes: tuple[int, str]) -> str:
    """The valid employment file with data row i (0-based) replaced."""
    rows = employment_rows()
    for index, line in changes:
        rows[index] = line
    return "\n".join([HEADER, *rows]) + "\n"


def emp_plus(line: str) -> str:
    return "\n".join([HEADER, *employment_rows(), line]) + "\n"


VALID = {"employment.csv": emp_with(), "clusters.csv": CLUSTERS}
FLAG_HEADER = HEADER + ",employment_flag"

CASES = {
    "missing column": Case(
        {"employment.csv": "year,region_type,region_code,industry_code,employment\n"},
        [],
        "employment.csv",
        1,
        "missing column(s): establishments",
    ),
    "semicolon-separated file": Case(
        {"employment.csv": HEADER.replace(",", ";") + "\n2020;kreis;K1;111;60;6;3000\n"},
        [],
        "employment.csv",
        1,
        "the file seems to use ';' as separator: save it comma-separated",
    ),
    "negative employment": Case(
        {"employment.csv": emp_with((3, "2020,kreis,K1,911,-150,30,4500"))},
        [],
        "employment.csv",
        5,
        "employment is negative: -150",
    ),
    "non-numeric employment": Case(
        {"employment.csv": emp_with((2, "2020,kreis,K1,211,fifty,5,4000"))},
        [],
        "employment.csv",
        4,
        "employment is not a number: 'fifty'",
    ),
    "fractional year": Case(
        {"employment.csv": emp_with((1, "2020.5,kreis,K1,112,40,4,2400"))},
        [],
        "employment.csv",
        3,
        "year is not a whole number: '2020.5'",
    ),
    "negative establishments": Case(
        {"employment.csv": emp_with((4, "2020,kreis,K2,111,30,-3,1500"))},
        [],
        "employment.csv",
        6,
        "establishments is negative",
    ),
    "empty region code": Case(
        {"employment.csv": emp_with((6, "2020,kreis,,911,200,40,6000"))},
        [],
        "employment.csv",
        8,
        "region_code is empty",
    ),
    # the region's only row has a code without a cluster: it never reaches the region totals
    "blank region code of an unmapped row": Case(
        {"employment.csv": emp_plus("2020,kreis, ,999,5,1,100")},
        ["--allow-unmapped"],
        "employment.csv",
        12,
        "region_code is empty",
    ),
    # the reason for a row failing two checks stays the one the checks' order gives first
    "empty year and NaN employment in one row": Case(
        {"employment.csv": emp_with((1, ",kreis,K1,112,nan,4,2400"))},
        [],
        "employment.csv",
        3,
        "year is empty",
    ),
    "colon in a region type": Case(
        {"employment.csv": emp_with((4, "2020,kreis:x,K2,111,30,3,1500"))},
        [],
        "employment.csv",
        6,
        "region_type may not contain a colon",
    ),
    "empty employment": Case(
        {"employment.csv": emp_with((6, "2020,kreis,K2,911,,40,6000"))},
        [],
        "employment.csv",
        8,
        "employment is empty",
    ),
    "duplicate key": Case(
        {"employment.csv": emp_plus("2020,kreis,K2,211,5,1,10")},
        [],
        "employment.csv",
        12,
        "duplicate cell (year=2020, region_type=kreis, region_code=K2, industry_code=211): "
        "already in row 7",
    ),
    "unknown industry code": Case(
        {"employment.csv": emp_plus("2020,kreis,K3,999,5,1,10")},
        [],
        "employment.csv",
        12,
        "industry code '999' is not in the cluster definitions",
    ),
    "absent reference region": Case(
        {},
        ["--reference", "land:08"],
        "employment.csv",
        None,
        "the reference region land:08 is not in the file",
    ),
    "bad flag letter": Case(
        {
            "employment.csv": FLAG_HEADER
            + "\n2020,kreis,K1,111,60,6,3000,\n2020,kreis,K1,211,0,5,,D\n"
        },
        [],
        "employment.csv",
        3,
        "employment_flag 'D' is not a suppression class letter",
    ),
    "ragged csv row": Case(
        {"employment.csv": emp_with((0, "2020,kreis,K1,111,60,6,3000,extra"))},
        [],
        "employment.csv",
        2,
        "cannot be read as CSV",
    ),
    "crosswalk shares not summing to one": Case(
        {"crosswalk.csv": "from_code,to_code,share\n111,111,1\n112,112,0.6\n112,211,0.3\n"},
        ["--industry-crosswalk", "crosswalk.csv"],
        "crosswalk.csv",
        3,
        "the shares of from_code '112' sum to 0.9, not 1",
    ),
    "crosswalk share above one": Case(
        {"crosswalk.csv": "from_code,to_code,share\n111,111,1.5\n"},
        ["--industry-crosswalk", "crosswalk.csv"],
        "crosswalk.csv",
        2,
        "share must be above 0 and at most 1, not 1.5",
    ),
    "code missing from crosswalk": Case(
        {"crosswalk.csv": "from_code,to_code,share\n111,111,1\n112,112,1\n911,911,1\n"},
        ["--industry-crosswalk", "crosswalk.csv"],
        "employment.csv",
        4,
        "industry code '211' is not in the industry crosswalk",
    ),
    "duplicate industry in clusters": Case(
        {"clusters.csv": CLUSTERS + "111,T2,Software,traded\n"},
        [],
        "clusters.csv",
        6,
        "duplicate industry_code (industry_code=111): already in row 2",
    ),
    "bad cluster type": Case(
        {"clusters.csv": CLUSTERS.replace("911,L1,Retail,local", "911,L1,Retail,regional")},
        [],
        "clusters.csv",
        5,
        "type 'regional' is neither traded nor local",
    ),
    "cluster with two names": Case(
        {"clusters.csv": CLUSTERS.replace("112,T1,Machines", "112,T1,Machinery")},
        [],
        "clusters.csv",
        3,
        "cluster 'T1' has another name or type than in row 2",
    ),
    # The two files are read side by side; the employment file's error still comes first.
    "both files bad": Case(
        {
            "employment.csv": emp_with((2, "2020,kreis,K1,112,-5,6,3000")),
            "clusters.csv": CLUSTERS + "111,T2,Software,traded\n",
        },
        [],
        "employment.csv",
        4,
        "employment is negative",
    ),
    "duplicate header column": Case(
        {"clusters.csv": "industry_code,cluster_code,cluster_name,type,type\n"},
        [],
        "clusters.csv",
        1,
        "column 'type' appears twice in the header",
    ),
    "duplicate crosswalk pair": Case(
        {"crosswalk.csv": "from_code,to_code,share\n111,111,0.5\n111,111,0.5\n"},
        ["--industry-crosswalk", "crosswalk.csv"],
        "crosswalk.csv",
        3,
        "duplicate code pair (from_code=111, to_code=111): already in row 2",
    ),
    "two parents of one type": Case(
        {
            "regions.csv": "child_type,child_code,parent_type,parent_code\n"
            "kreis,K1,region,R1\nkreis,K1,region,R2\n"
        },
        ["--regions", "regions.csv"],
        "regions.csv",
        3,
        "duplicate link to a parent of the same type (child_type=kreis, child_code=K1, "
        "parent_type=region): already in row 2",
    ),
    "region its own parent": Case(
        {"regions.csv": "child_type,child_code,parent_type,parent_code\nkreis,K1,kreis,K1\n"},
        ["--regions", "regions.csv"],
        "regions.csv",
        2,
        "a region cannot be its own parent",
    ),
    "override for a missing cell": Case(
        {
            "overrides.csv": "year,region_type,region_code,industry_code,employment\n"
            "2020,kreis,K1,111,70\n2020,kreis,K9,111,5\n"
        },
        ["--overrides", "overrides.csv"],
        "overrides.csv",
        3,
        "no such cell in",
    ),
    "negative override": Case(
        {
            "overrides.csv": "year,region_type,region_code,industry_code,employment\n"
            "2020,kreis,K1,111,-1\n"
        },
        ["--overrides", "overrides.csv"],
        "overrides.csv",
        2,
        "employment is negative",
    ),
    "cycle in region links": Case(
        {
            "regions.csv": "child_type,child_code,parent_type,parent_code\n"
            "kreis,K1,region,R1\nregion,R1,land,L\nland,L,kreis,K1\n"
        },
        ["--regions", "regions.csv"],
        "regions.csv",
        3,
        "the links form a cycle",
    ),
    "reference region missing in a year": Case(
        {"employment.csv": emp_plus("2020,land,L,111,500,50,") + "2021,kreis,K1,111,60,6,3000\n"},
        ["--reference", "land:L"],
        "employment.csv",
        None,
        "the reference region land:L has no rows for year(s) 2021",
    ),
    "growth year not in file": Case(
        {},
        ["--growth-from", "2020", "--growth-to", "2025"],
        "employment.csv",
        None,
        "growth year 2025 is not in the file",
    ),
    "missing file": Case(
        {},
        ["--overrides", "nowhere.csv"],
        "nowhere.csv",
        None,
        "file not found",
    ),
}


def run_cli(tmp_path: Path, files: dict[str, str], flags: list[str], method: str = "cmp") -> int:
    for name, text in {**VALID, **files}.items():
        write(tmp_path / name, text)
    argv = [
        "compute",
        "--employment",
        str(tmp_path / "employment.csv"),
        "--clusters",
        str(tmp_path / "clusters.csv"),
        "--method",
        method,
        "--out",
        str(tmp_path / "out"),
        "--quiet",
    ]
    for flag in flags:
        is_file = flag.endswith(".csv") or flag.endswith(".parquet")
        argv.append(str(tmp_path / flag) if is_file else flag)
    return main(argv)


@pytest.mark.parametrize("name", list(CASES))
def test_it_rejects_bad_input_naming_file_row_and_reason(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    code = run_cli(tmp_path, case.files, case.flags)
    err = capsys.readouterr().err
    assert code == 2, err
    where = str(tmp_path / case.file) + ("" if case.row is None else f", row {case.row}")
    assert f"{where}: " in err
    assert case.reason in err
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_it_rejects_a_non_numeric_value_in_parquet_with_its_row(tmp_path: Path) -> None:
    table = pa.table(
        {
            "year": ["2020", "2020"],
            "region_type": ["kreis", "kreis"],
            "region_code": ["K1", "K1"],
            "industry_code": ["111", "211"],
            "employment": ["60", "n/a"],
            "establishments": ["6", "5"],
        }
    )
    pq.write_table(table, tmp_path / "employment.parquet")
    write(tmp_path / "clusters.csv", CLUSTERS)
    code = main(
        [
            "compute",
            "--employment",
            str(tmp_path / "employment.parquet"),
            "--clusters",
            str(tmp_path / "clusters.csv"),
            "--method",
            "cmp",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2
    assert not (tmp_path / "out").exists()


def test_it_refuses_to_overwrite_a_directory_of_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").mkdir()
    write(tmp_path / "out" / "thesis.docx", "precious")
    assert run_cli(tmp_path, {}, []) == 2
    assert "holds files other than atlas outputs" in capsys.readouterr().err
    assert (tmp_path / "out" / "thesis.docx").read_text() == "precious"


def test_it_reports_bad_usage_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(tmp_path, {}, ["--growth-from", "2020"]) == 2
    assert "give both --growth-from and --growth-to" in capsys.readouterr().err
    assert main(["compute", "--method", "nope"]) == 2
    assert run_cli(tmp_path, {}, ["--reference", "US"]) == 2
    assert "not of the form TYPE:CODE" in capsys.readouterr().err
    assert run_cli(tmp_path, {}, ["--threads", "0"]) == 2
    assert "threads must be at least 1" in capsys.readouterr().err
    assert run_cli(tmp_path, {}, ["--memory-limit", "lots"]) == 2
    assert "memory limit 'lots'" in capsys.readouterr().err
    assert run_cli(tmp_path, {}, ["--method", "eco", "--eco-size-top", "0"]) == 2
    assert "size_top must be above 0" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


ParquetMaker = Callable[[Path], Path]


def test_it_finds_duplicates_among_unmapped_rows_it_would_drop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = emp_plus("2020,kreis,K1,999,5,1,10").rstrip("\n") + "\n2020,kreis,K1,999,6,1,10\n"
    assert run_cli(tmp_path, {"employment.csv": extra}, ["--allow-unmapped"]) == 2
    assert "row 13: duplicate cell" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("industries", [31, 32, 63, 64, 127, 130])
def test_it_finds_duplicates_in_clusters_of_any_size(tmp_path: Path, industries: int) -> None:
    # Up to 31 industries per cluster the duplicate-spotting bits fit an INTEGER, up
    # to 63 a BIGINT, up to 127 a HUGEINT; with 130, codes 0 and 127 share a bit: no cluster size
    # alone may be called a duplicate...
    clusters = "industry_code,cluster_code,cluster_name,type\n" + "".join(
        f"{i:04d},BIG,Big cluster,traded\n" for i in range(industries)
    )
    rows = [f"2020,kreis,K{r},{i:04d},{i + 1},1," for r in (1, 2, 3) for i in range(industries)]
    emp = "\n".join([HEADER, *rows]) + "\n"
    files = {"employment.csv": emp, "clusters.csv": clusters}
    assert run_cli(tmp_path, files, []) == 0
    # ...while a real duplicate, here of the last code, still is.
    files["employment.csv"] = emp + f"2020,kreis,K2,{industries - 1:04d},5,1,\n"
    out = tmp_path / "out"
    shutil.rmtree(out)
    assert run_cli(tmp_path, files, []) == 2


def test_it_names_the_role_of_a_bad_arrow_table() -> None:
    from clusterportal.analytics import InputError, compute

    employment = pa.table(
        {
            "year": [2020],
            "region_type": ["kreis"],
            "region_code": ["K1"],
            "industry_code": ["111"],
            "employment": [-5.0],
            "establishments": [1.0],
        }
    )
    clusters = pa.table(
        {
            "industry_code": ["111"],
            "cluster_code": ["T1"],
            "cluster_name": ["Machines"],
            "type": ["traded"],
        }
    )
    with pytest.raises(InputError) as caught:
        compute(employment, clusters, method="cmp")
    assert str(caught.value) == "<employment table>, row 2: employment is negative: -5.0"
    assert (caught.value.source, caught.value.row) == ("<employment table>", 2)


def test_the_output_directory_keeps_the_users_umask(tmp_path: Path) -> None:
    """mkdtemp makes its directory 0700, and the rename kept that for the results."""
    previous = os.umask(0o027)
    try:
        assert run_cli(tmp_path, {}, []) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "out" / "run.json").stat().st_mode) == 0o640


def test_the_current_directory_is_refused_before_computing_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out .` failed with "Device or resource busy" and left a `..old.*` directory."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(cli, "compute", _must_not_compute)
    for place in (".", "..", str(work)):
        argv = ["compute", "--employment", "e.csv", "--clusters", "c.csv", "--method", "cmp"]
        argv += ["--out", place]
        assert main([*argv, "--quiet"]) == 2
        assert "is the current directory or above it" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert list(work.iterdir()) == []


def test_a_place_that_cannot_be_written_is_refused_before_computing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It failed with a traceback, after the whole computation. /proc takes no new
    directory, not even from root (whom permission bits do not stop)."""
    monkeypatch.setattr(cli, "compute", _must_not_compute)
    argv = ["compute", "--employment", "e.csv", "--clusters", "c.csv", "--method", "cmp", "--quiet"]
    assert main([*argv, "--out", "/proc/atlas-out/run"]) == 2
    assert "/proc: cannot write here" in capsys.readouterr().err
    afile = tmp_path / "a-file"
    afile.write_text("x")
    assert main([*argv, "--out", str(afile / "out")]) == 2
    assert "a-file: is not a directory" in capsys.readouterr().err


def test_a_failed_write_leaves_no_directories_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(table: object, path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "write_csv", broken)
    with pytest.raises(OSError):
        run_cli_raw(tmp_path, out=tmp_path / "new" / "deeper" / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(VALID)


def run_cli_raw(tmp_path: Path, out: Path) -> int:
    for name, text in VALID.items():
        write(tmp_path / name, text)
    return main(
        ["compute", "--employment", str(tmp_path / "employment.csv"), "--clusters",
         str(tmp_path / "clusters.csv"), "--method", "cmp", "--out", str(out), "--quiet"]
    )  # fmt: skip


def _must_not_compute(*args: object, **kwargs: object) -> None:
    raise AssertionError("computed although the output place is refused")


@pytest.mark.parametrize(
    "text, row, reason",
    [
        # Byte 200 is inside line 6 (the header has 72 bytes, the rows 28, 28, 28, 30).
        # A line of 2 MB there was read past: exit 0, partial results.
        (emp_with()[:200] + "9" * (2 << 20) + "\n" + emp_with()[200:], 6, "longer than 1,048,576"),
        (emp_with()[:200] + "\0" * 5000 + emp_with()[200:], 6, "holds a NUL byte"),
        (emp_with() + "\0" * 100_000, 12, "holds a NUL byte"),  # padded
        (HEADER + "\n" + "2020,kreis,K1,111," + "7" * (3 << 20) + ",6,1\n", 2, "longer than"),
    ],
    ids=["long line after valid rows", "NUL bytes inside", "NUL padding", "one huge line"],
)
def test_a_damaged_csv_stops_with_its_line_and_writes_nothing(
    text: str, row: int, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(tmp_path, {"employment.csv": text}, []) == 2
    err = capsys.readouterr().err
    assert f"employment.csv, row {row}: " in err and reason in err
    assert not (tmp_path / "out").exists()


def test_an_error_quoting_a_huge_header_is_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header of a million columns printed an error line of 8.9 MB."""
    header = ",".join(f"c{i}" for i in range(100_000))
    assert run_cli(tmp_path, {"employment.csv": header + "\n"}, []) == 2
    err = capsys.readouterr().err
    assert "missing column(s): year" in err and "characters left out" in err
    assert len(err) < 700


def _parquet(tmp_path: Path, **columns: list[object]) -> int:
    data: dict[str, list[object]] = {
        "year": [2020, 2020],
        "region_type": ["kreis", "kreis"],
        "region_code": ["K1", "K2"],
        "industry_code": ["111", "111"],
        "employment": [60.0, 30.0],
        "establishments": [6, 3],
    }
    pq.write_table(pa.table({**data, **columns}), tmp_path / "employment.parquet")
    return main(
        ["compute", "--employment", str(tmp_path / "employment.parquet"), "--clusters",
         str(tmp_path / "clusters.csv"), "--method", "cmp", "--out", str(tmp_path / "out"),
         "--quiet"]
    )  # fmt: skip


@pytest.mark.parametrize(
    "columns, message",
    [
        ({"employment": [60.0, float("nan")]}, "row 3: employment is not a finite number"),
        ({"establishments": [6.0, float("nan")]}, "row 3: establishments is not a finite number"),
        ({"year": [2020.0, float("nan")]}, "row 3: year is not a whole number: 'nan'"),
        ({"year": ["2020", "2020"]}, "column 'year' holds VARCHAR values; a number type"),
        ({"employment": ["60", "30"]}, "column 'employment' holds VARCHAR values"),
    ],
    ids=["NaN employment", "NaN establishments", "NaN year", "text year", "text employment"],
)
def test_parquet_values_of_the_wrong_kind_are_named_with_their_column(
    columns: dict[str, list[object]],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A NaN said "bad value" (DuckDB's Parquet statistics leave NaN out, and the pushed-
    down test skipped its row), a NaN year gave a traceback, and text was accepted."""
    write(tmp_path / "clusters.csv", CLUSTERS)
    assert _parquet(tmp_path, **columns) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["employment.csv", "clusters.csv"])
def test_a_file_with_a_header_and_no_rows_stops_the_run(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file cut off after its first line gave exit 0 and empty results."""
    header = VALID[name].splitlines()[0] + "\n"
    assert run_cli(tmp_path, {name: header}, []) == 2
    assert f"{name}, row 2: the file has a header but no data rows" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# Rows of the three Kreise (0-based data rows; spreadsheet row = index + 2).
NOT_FINITE = {
    "NaN payroll": ([(2, "2020,kreis,K1,211,50,5,nan")], [], 4, "payroll"),
    "infinite employment": ([(5, "2020,kreis,K2,211,inf,12,13600")], [], 7, "employment"),
    "minus infinity": ([(1, "2020,kreis,K1,112,40,-inf,2400")], [], 3, "establishments"),
    "NaN before an empty year": (
        [(1, "2020,kreis,K1,112,nan,4,2400"), (6, ",kreis,K2,911,200,40,6000")],
        [],
        3,
        "employment",
    ),
    "NaN in a row of an unmapped code": (
        [(9, "2020,kreis,K3,999,nan,60,9000")],
        ["--allow-unmapped"],
        11,
        "employment",
    ),
    # K1's T1 sum of establishments is empty (one row lacks it): it cannot show the NaN
    "NaN beside an empty establishments": (
        [(0, "2020,kreis,K1,111,60,,3000"), (1, "2020,kreis,K1,112,40,nan,2400")],
        [],
        3,
        "establishments",
    ),
}


@pytest.mark.parametrize("changes, flags, row, column", NOT_FINITE.values(), ids=NOT_FINITE)
def test_nan_and_infinite_values_are_named_wherever_they_hide(
    changes: list[tuple[int, str]],
    flags: list[str],
    row: int,
    column: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The engine looks for NaN and infinity in the cluster sums instead of reading every
    value (engine._Run._check_finite); a value that no sum holds, or an earlier bad row,
    still gets its row named."""
    files = {"employment.csv": emp_with(*changes), "clusters.csv": CLUSTERS}
    assert run_cli(tmp_path, files, flags) == 2
    assert f"employment.csv, row {row}: {column} is not a finite number" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "out").exists()
