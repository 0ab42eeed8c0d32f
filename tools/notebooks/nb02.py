"""Source of notebooks/02_workshop_mapping.ipynb — also the Voilà workshop app (`make workshop`)."""

from nbtools import code, md, write

cells = [
    md("""# Workshop: map a customer journey together

**For facilitators.** Put this on the projector (or run `make workshop` to open it as an app, with no code
showing and no internet needed). The room maps the journey with the editor below; every change is scored at
once, saved to a backup as you go, and can be exported as a PDF to hand out.

1. **Start** from a template — a sector example or a blank funnel.
2. **Map** stages and touchpoints: what the customer does, on which channel, how it feels (emotion),
   how hard it is (effort), what hurts (pain points) and what could be better (opportunities).
3. **Save**, then **export** the map as a PDF for everyone."""),
    code("""import os
from pathlib import Path

import ipywidgets as widgets

import journeymap as jm
from journeymap.templates import from_template, names

# Where the room's journey lives, and what it starts from (change these two lines before the workshop).
FILE = Path(os.environ.get("JOURNEYMAP_WORKSHOP_FILE", "workshop/our_journey.yaml"))
TEMPLATE = os.environ.get("JOURNEYMAP_TEMPLATE", "retail_bopis_multichannel")  # or "blank"

if not FILE.exists():
    FILE.parent.mkdir(parents=True, exist_ok=True)
    jm.save(from_template(TEMPLATE), FILE)
print("Templates:", ", ".join(names()))
print("Editing:", FILE)"""),
    md("""## Map the journey

Pick a touchpoint in the list to edit it. The strip at the top is the journey at a glance: stages, channels
(coloured by kind), the emotion curve and the friction of each touchpoint (0 smooth – 100 painful). Mistakes
show up in red next to the field and never break the map. **Undo** goes back up to 100 steps."""),
    code("""editor = jm.widgets.JourneyEditor(FILE)
editor"""),
    md("""## Hand it out

Save first, then export the full journey map as a PDF (and a PNG for slides) next to the journey file."""),
    code("""export_button = widgets.Button(description="Save and export PDF", button_style="success", icon="file-pdf")
export_status = widgets.HTML()


def export_handout(_button=None):
    editor.save()
    pdf = FILE.with_suffix(".pdf")
    jm.export(editor.session.journey, pdf)
    jm.export(editor.session.journey, FILE.with_suffix(".png"))
    export_status.value = f"Exported <code>{pdf}</code> and the PNG beside it."


export_button.on_click(export_handout)
widgets.VBox([export_button, export_status])"""),
    md("""## Where does it hurt?

The same journey, explored: move the weights, tick what-if changes (fix a pain point, carry the context across
a channel switch, recognise the customer) and watch friction and expected conversion move."""),
    code("""jm.widgets.FrictionExplorer(editor.session.journey).follow(editor)"""),
]

write(cells, "02_workshop_mapping.ipynb")
