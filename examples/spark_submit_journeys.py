"""Journey analytics on a Spark cluster: the same journeymap calls, run inside Spark.

    spark-submit --master yarn --conf spark.sql.session.timeZone=UTC \\
        examples/spark_submit_journeys.py s3://bucket/events/ s3://bucket/journeys/out/

The cluster's Python needs ``pip install journeymap narwhals`` (journeymap ships with pandas, the driver
only receives small results). The events stay in Spark: only the directly-follows counts, variants, funnel,
channel matrix and path table (one row per distinct path) come back to the driver.
"""

from __future__ import annotations

import sys

from pyspark.sql import SparkSession

import journeymap as jm
from journeymap import analytics as ja


def main(events_path: str, out: str) -> None:
    spark = SparkSession.builder.appName("journeymap").config("spark.sql.session.timeZone", "UTC").getOrCreate()
    raw = spark.read.parquet(events_path)  # file order (ties) comes from the files: no event_row column needed
    events, report = ja.read_events(raw, case="customer_id", activity="touchpoint", timestamp="ts")
    print(report)  # rows read / kept / set aside by reason, with examples
    events = events.persist()  # every analytic below reads the clean events; compute them once

    graph = ja.dfg(events)
    print(graph.edges.head(20).to_string())
    print(ja.variants(events).head(10).to_string())
    print(ja.funnel(events, ["ig_ad", "product_page", "checkout"]).to_string())
    print(ja.channel_transitions(events, normalize="row").round(3).to_string())
    print(f"cross-channel rate: {ja.cross_channel_rate(events):.1%}")

    paths = ja.conversion_paths(events, "checkout")  # one row per distinct path: small
    print(ja.attribution_markov(paths).round(4).to_string())

    journey = ja.discover(events, id="observed", title="Observed journey (all customers)")
    jm.save(journey, "observed_journey.yaml")  # a Journey like any other: score, plot, export
    spark.createDataFrame(graph.edges).write.mode("overwrite").parquet(f"{out.rstrip('/')}/dfg")
    spark.createDataFrame(paths).write.mode("overwrite").parquet(f"{out.rstrip('/')}/paths")


if __name__ == "__main__":
    main(*sys.argv[1:3])
