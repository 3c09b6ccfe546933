"""Turn the public U.S. County Business Patterns 2019 CBSA file into engine input.

    python bench/prepare_us.py \
        --cbp PATH/us_cbp2019_cbsa_naics2017_emp_estab.csv.gz \
        --clusters PATH/acr1_naics2012_to_benchmark_cluster.csv \
        --out bench/out/us

writes employment.csv (the 6-digit NAICS rows: year, region_type=cbsa,
region_code, industry_code, employment, establishments) and clusters.csv (the
benchmark cluster definitions of Delgado, Porter & Stern 2016, with the cluster
codes of data/reference/us_benchmark_clusters_identity.csv, matched by name).
Definitions are NAICS 2012 and CBP 2019 is NAICS 2017, so some codes have no
cluster: run the engine with --allow-unmapped (no crosswalk in this branch).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parents[1]
NAMES = REPO / "data" / "reference" / "us_benchmark_clusters_identity.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cbp", type=Path, required=True)
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    strings = pacsv.ConvertOptions(
        column_types={"cbsa_code": pa.string(), "naics2017": pa.string()}
    )
    cbp = pacsv.read_csv(args.cbp, convert_options=strings)
    six = cbp.filter(pc.equal(cbp["naics_digits"], 6))
    employment = pa.table(
        {
            "year": six["year"],
            "region_type": pa.array(["cbsa"] * six.num_rows),
            "region_code": six["cbsa_code"],
            "industry_code": six["naics2017"],
            "employment": six["emp"],
            "establishments": six["estab"],
        }
    )
    pacsv.write_csv(employment, args.out / "employment.csv")

    names = pacsv.read_csv(
        NAMES, convert_options=pacsv.ConvertOptions(column_types={"cluster_code": pa.string()})
    )
    code_of = dict(
        zip(names["cluster_name"].to_pylist(), names["cluster_code"].to_pylist(), strict=True)
    )
    defs = pacsv.read_csv(
        args.clusters,
        convert_options=pacsv.ConvertOptions(
            column_types={"naics": pa.string(), "emsi_nonstandard": pa.string()}
        ),
    )
    rows = []
    for naics, kind, cluster, nonstandard in zip(
        defs["naics"].to_pylist(),
        defs["traded_local"].to_pylist(),
        defs["cluster"].to_pylist(),
        defs["emsi_nonstandard"].to_pylist(),
        strict=True,
    ):
        if str(nonstandard).upper() in {"1", "TRUE"} or cluster == "NA":
            continue  # industries County Business Patterns does not cover, or no cluster
        rows.append((naics, code_of[cluster], cluster, kind.lower()))
    clusters = pa.table(
        {
            name: [r[i] for r in rows]
            for i, name in enumerate(("industry_code", "cluster_code", "cluster_name", "type"))
        }
    )
    pacsv.write_csv(clusters, args.out / "clusters.csv")
    print(f"{args.out}: {employment.num_rows:,} employment rows, {clusters.num_rows} industries")


if __name__ == "__main__":
    main()
