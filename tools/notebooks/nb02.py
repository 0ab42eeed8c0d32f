"""Source of notebooks/02_workshop_mapping.ipynb — also the Voilà workshop app (`make workshop`)."""

from nbtools import code, md, write

cells = [
    md("""# Workshop: map a customer journey together

Pick a template or a journey file, then map the journey on the canvas: stages as columns, touchpoints as cards,
the emotion curve under them. Every change is scored at once and backed up as you go; **Save** writes the file.
`make workshop` opens this notebook as an app (no code showing, nothing sent to the internet)."""),
    code("""import os

from journeymap.widgets.workshop import workshop_app

# New journeys go to ./workshop/ (beside this notebook) unless JOURNEYMAP_WORKSHOP_DIR names another folder.
workshop_app(folder=os.environ.get("JOURNEYMAP_WORKSHOP_DIR", "workshop"))"""),
]

write(cells, "02_workshop_mapping.ipynb")
