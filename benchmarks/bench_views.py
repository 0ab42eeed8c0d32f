"""Time the two heavy views against baselines measured in the same run.

* journey map of 60 touchpoints (PNG at 100 dpi) vs. a trivial matplotlib figure saved the same way;
* pyvis HTML of 500 nodes (``network_html``) vs. plain ``networkx`` node-link JSON of the same graph.

Goal: < 1 s each on this machine. Not a unit test:  .venv/bin/python benchmarks/bench_views.py

The map's text is drawn by ``journeymap.plot._fast_text`` (same pixels and bytes as matplotlib's own
drawing, tested in tests/test_map_speed_safe.py); the last lines compare the two in the same run.

Wall times swing with the machine's load (printed first and last); the CPU column (best
``time.process_time`` of the same runs) is steadier on a busy 2-core box.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import journeymap as jm
from journeymap.network import network_html

CHANNELS = ["website", "mobile_app", "email", "whatsapp", "store", "phone", "instagram", "chatbot", "sms"]


def journey(n: int, stages: int) -> jm.Journey:
    return jm.Journey(
        id=f"bench{n}", title=f"Benchmark journey with {n} touchpoints",
        stages=[{"id": f"s{i}", "name": f"Stage {i}", "goal": "Get this step done quickly"} for i in range(stages)],
        touchpoints=[{
            "id": f"t{k}", "stage": f"s{k * stages // n}", "channel": CHANNELS[k % len(CHANNELS)],
            "action": f"Customer does step {k} of the journey, described in one workshop sentence",
            "thoughts": "Is this going to work?" if k % 2 else "", "emotion": ((k * 7) % 9 - 4) / 2,
            "effort": 1 + k % 7,
            "backstage": ["Order system syncs the cart"] if k % 3 == 0 else [],
            "pain_points": [{"id": f"p{k}", "text": "Has to repeat details", "severity": 1 + k % 5}]
            if k % 5 == 0 else [],
        } for k in range(n)],
    )


def map_png(j, dpi=100, fmt="png"):
    """The map as the export path makes it (journeymap's rc settings applied when saving)."""
    from journeymap.exporting import image_bytes

    return image_bytes(j, fmt, dpi=dpi)


def map_build(j):
    ax = jm.plot.journey_map(j)
    plt.close(ax.figure)


def trivial_png():
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([0, 1, 2], [0, 1, 0])
    ax.set_title("baseline")
    fig.savefig(io.BytesIO(), format="png", dpi=100)
    plt.close(fig)


_CPU: list[float] = []


def timed(func):
    """``func`` wrapped so each call's CPU time is recorded in ``_CPU``."""
    def run():
        start = time.process_time()
        func()
        _CPU.append(time.process_time() - start)
    return run


def best_of(func, repeat):
    """The shared wall-clock timer (best, median), plus the best CPU time of the same runs."""
    from bench_scoring import best_of as wall

    _CPU.clear()
    t, med = wall(timed(func), repeat)
    return t, (med, min(_CPU))


def main() -> None:
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    j60, j500 = journey(60, 6), journey(500, 10)
    map_png(j60)  # warm up fonts and caches
    rows = []
    base, _ = best_of(trivial_png, 3)
    t, med = best_of(lambda: map_build(j60), 3)
    rows.append(("journey map, 60 tps: build figure", t, med, base))
    t, med = best_of(lambda: map_png(j60, 72), 3)
    rows.append(("journey map, 60 tps: PNG 72 dpi", t, med, base))
    t, med = best_of(lambda: map_png(j60, 100), 3)
    rows.append(("journey map, 60 tps: PNG 100 dpi", t, med, base))
    t, med = best_of(lambda: map_png(j60, 72, "svg"), 3)
    rows.append(("journey map, 60 tps: SVG", t, med, base))
    quick = []  # the same exports with matplotlib's own text drawing: what the quick path saves
    for fmt, dpi in (("png", 100), ("svg", 72)):
        with own_text_drawing():
            slow, _ = best_of(lambda fmt=fmt, dpi=dpi: map_png(j60, dpi, fmt), 3)
        quick.append((fmt, slow, next(r[1] for r in rows if r[0].endswith("PNG 100 dpi" if fmt == "png" else "SVG"))))
    from networkx.readwrite import json_graph

    graph = j500.to_networkx(kind="flow")
    base, _ = best_of(lambda: json.dumps(json_graph.node_link_data(graph, edges="links")), 3)
    t, med = best_of(lambda: network_html(j500, report=False), 3)
    rows.append(("pyvis HTML, 500 nodes", t, med, base))
    t, med = best_of(lambda: network_html(j500), 3)
    rows.append(("pyvis HTML, 500 nodes, scored", t, med, base))
    print(f"{'view':<38} {'best s':>8} {'median s':>9} {'cpu s':>7} {'baseline s':>11} {'ratio':>8}  goal < 1 s")
    for name, t, (med, cpu), base in rows:
        print(f"{name:<38} {t:8.3f} {med:9.3f} {cpu:7.3f} {base:11.4f} {t / base:8.1f}  {'ok' if t < 1 else 'SLOW'}")
    for fmt, slow, fast in quick:
        print(f"map {fmt.upper()}: {fast:.3f} s with journeymap's text drawing, {slow:.3f} s with matplotlib's own "
              f"({slow / fast:.2f}x); output identical (tests/test_map_speed_safe.py)")
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


@contextlib.contextmanager
def own_text_drawing():
    """matplotlib's own text drawing for the journey map, instead of the quicker, identical one."""
    from journeymap.plot import _fast_text

    _fast_text._ENABLED = False
    try:
        yield
    finally:
        _fast_text._ENABLED = True


if __name__ == "__main__":
    main()
