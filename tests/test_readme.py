"""Numbers quoted in the README are the code's own output."""

from pathlib import Path

import journeymap as jm

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_comparison_block_is_current():
    summary = jm.compare(jm.load(jm.shipped_journey("retail_bopis_multichannel")),
                         jm.load(jm.shipped_journey("retail_bopis_omnichannel"))).summary()
    assert f"```\n{summary}\n```" in README, "update the README block with compare(...).summary()"


def test_readme_quick_start_is_two_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = quick.split("```bash", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make lab", "make test"]
