"""Spanish everywhere (issue 16, part 5): every command takes ``--lang``, follows the journey's own ``lang``,
and in Spanish prints no English label; the HTML report's headers and the common error messages too.

"No English label" is checked against the label table itself: every English text whose Spanish differs,
cut at its placeholders, is a phrase that must not appear (as whole words) in Spanish output. Ids and names
from the journey (``web_info``, ``website``) are data and are removed from the output first.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import journeymap as jm
from journeymap.cli import build_parser, main
from journeymap.errors import Problem, localize
from journeymap.i18n import _TABLE, file_lang, frame_headers, header, lang_of

ROOT = Path(__file__).resolve().parents[1]
ES = ROOT / "data" / "journeys" / "salud_cita_medica.yaml"
EN = ROOT / "data" / "journeys" / "retail_bopis_omnichannel.yaml"
EVENTS = ROOT / "data" / "events" / "retail_bopis_omnichannel.csv"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _english_phrases() -> list[str]:
    """English fragments of labels whose Spanish differs (at least 4 letters), leaving out the few that Spanish
    labels use too (field names such as ``costs:`` or ``addresses:`` stay as the file spells them)."""
    spanish = " ".join(PLACEHOLDER.sub(" ", es) for _, es in _TABLE.values())
    found = set()
    for en, es in _TABLE.values():
        if en == es:
            continue
        for part in PLACEHOLDER.split(en):
            part = part.strip(" .,:;()*·→-–'\"<>/&").strip()
            if len(re.sub(r"[^A-Za-z]", "", part)) >= 4 and not _has(spanish, part):
                found.add(part)
    return sorted(found, key=len, reverse=True)


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text, flags=re.IGNORECASE) is not None


PHRASES = _english_phrases()


def _data_words(journey) -> set[str]:
    words = {journey.id, journey.title, *(s.id for s in journey.stages), *(s.name for s in journey.stages)}
    for tp in journey.touchpoints:
        words |= {tp.id, tp.channel, tp.action, journey.channel_info(tp.channel).name("es")}
    return {w for w in words if w}


def english_in(text: str, journey=None, extra: tuple[str, ...] = ()) -> list[str]:
    """The English label phrases found in ``text`` once the journey's own ids and names are removed."""
    for word in sorted({*(_data_words(journey) if journey else ()), *extra}, key=len, reverse=True):
        text = text.replace(word, " ")
    return [p for p in PHRASES if _has(text, p)]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_phrase_list_catches_english():
    assert len(PHRASES) > 200
    found = english_in("salud: friction 26.4 · continuity 69 · expected conversion 91%")
    assert {"friction", "expected conversion"} <= set(found) and any("continuity" in p for p in found)
    assert english_in("fricción 26,4 · continuidad 69") == []


def test_every_command_takes_lang():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    missing = []
    for name, p in sub.choices.items():
        lang = [a for a in p._actions if "--lang" in a.option_strings]
        if not lang or set(lang[0].choices or ()) != {"en", "es"}:
            missing.append(name)
    assert len(sub.choices) >= 15
    assert not missing, f"commands without --lang en|es: {missing}"


def test_language_defaults_to_the_journey_then_english(tmp_path):
    j = jm.load(ES)
    assert lang_of(None, j) == "es" and lang_of("en", j) == "en" and lang_of(None) == "en"
    assert file_lang(ES) == "es" and file_lang(EN) in ("en", None) and file_lang(tmp_path / "none.yaml") is None
    (tmp_path / "j.json").write_text('{"id": "x", "lang": "es"}')
    assert lang_of(None, path=tmp_path / "j.json") == "es"


@pytest.mark.parametrize("argv", [
    ["info"], ["score"], ["score", "--by", "stage"], ["score", "--by", "channel"], ["score", "--by", "scorecard"],
    ["check"],
    ["economics"], ["economics", "--by", "stage"], ["economics", "--by", "touchpoint"], ["validate"],
], ids=lambda a: " ".join(a))
def test_commands_on_a_spanish_journey_print_no_english(capsys, argv):
    code, out, err = run(capsys, *argv, str(ES))
    assert code == 0, err
    j = jm.load(ES)
    assert english_in(out + err, j, extra=(str(ES),)) == []
    code, out_en, _ = run(capsys, *argv, str(ES), "--lang", "en")
    if argv[0] in ("score", "economics", "info"):  # --lang en speaks English about the same journey
        assert out_en != out and english_in(out_en, j, extra=(str(ES),))


def test_score_headline_and_headers_in_spanish(capsys):
    _, out, _ = run(capsys, "score", str(ES), "--by", "stage")
    head = out.splitlines()
    assert head[0].startswith("salud_cita_medica: fricción ") and "conversión esperada" in head[0]
    assert head[1].startswith("evidencia: fricción basada en valores supuestos")
    assert {"nombre", "alcance", "esfuerzo", "fricción"} <= set(head[2].split())
    assert head[3].split() == ["etapa"]
    _, csv_out, _ = run(capsys, "score", str(ES), "--format", "csv")  # data for programs keeps its names
    assert csv_out.splitlines()[0].startswith("id,stage,channel,reach")


def test_compare_in_spanish_and_unchanged_in_english(capsys):
    _, out, _ = run(capsys, "compare", str(ES), str(ES))
    assert "índice de continuidad" in out and "repeticiones / cliente" in out and "(+0.0 puntos)" in out
    assert "no cambia el coste por cliente" in out and "diferencia" in out
    assert english_in(out, jm.load(ES)) == []
    _, out, _ = run(capsys, "compare", str(ROOT / "data/journeys/retail_bopis_multichannel.yaml"), str(EN))
    lines = out.splitlines()
    assert lines[1].startswith("  friction              26.6 →")
    assert lines[2].startswith("  continuity index       0.0 →")
    assert lines[4].startswith("  repeats / customer ")
    assert "saves €1.11 per customer" in out


def test_channels_and_new_in_spanish(capsys, tmp_path):
    _, out, _ = run(capsys, "channels", "--lang", "es")
    assert "atención humana" in out and "human-assisted" not in out
    target = tmp_path / "nuevo.yaml"
    code, out, _ = run(capsys, "new", "--lang", "es", "-o", str(target))
    assert code == 0 and "puntos de contacto" in out and "plantilla" in out
    assert english_in(out, extra=(str(target),)) == []
    code, _, err = run(capsys, "new", "--lang", "es", "-o", str(target))
    assert code == 2 and "ya existe" in err


def test_analytics_tables_in_spanish(capsys):
    code, out, err = run(capsys, "funnel", str(EVENTS), "--case", "device_id", "--stages", "ig_ad,product_page",
                         "-q", "--lang", "es")
    assert code == 0, err
    assert out.splitlines()[1].split()[0] == "paso"
    code, out, err = run(capsys, "segments", str(EVENTS), "--case", "device_id", "--by", "channel",
                         "--conversion", "checkout", "-q", "--lang", "es")
    assert code == 0, err
    assert "todos los segmentos" in out and "all segments" not in out
    code, out, _ = run(capsys, "funnel", str(EVENTS), "--case", "device_id", "--stages", "ig_ad,product_page", "-q")
    assert out.splitlines()[1].split()[0] == "step"  # English stays as it was


def _broken_spanish(tmp_path: Path) -> Path:
    text = ES.read_text(encoding="utf-8")
    text = text.replace("stage: cita\n", "stage: citta\n", 1).replace("channel: website", "channel: webste", 1)
    bad = tmp_path / "roto.yaml"
    bad.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "personas", tmp_path / "personas")  # the nearest personas/ folder, as beside the original
    return bad


LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<field>[\w.\[\]]+): (?P<msg>.+?)(?: \(got (?P<got>.*)\))?$")


def test_validation_errors_in_the_files_language(capsys, tmp_path):
    bad = _broken_spanish(tmp_path)
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1
    lines = err.strip().splitlines()
    stage = next(m for m in map(LINE.match, lines) if m and m["field"].endswith(".stage"))
    assert stage["msg"] == "etapa desconocida; ¿quisiste decir 'cita'?" and stage["got"] == "'citta'"
    channel = next(m for m in map(LINE.match, lines) if m and m["field"].endswith(".channel"))
    assert channel["msg"].startswith("canal desconocido") and "¿quisiste decir 'website'?" in channel["msg"]
    assert lines[-1] == "1 de 1 archivo(s) tienen problemas"
    code, _, err_en = run(capsys, "validate", str(bad), "--lang", "en")
    assert "unknown stage; did you mean 'cita'?" in err_en and "1 of 1 file(s) have problems" in err_en
    code, _, err = run(capsys, "score", str(bad))  # any command: the same lines, in the file's language
    assert code == 1 and "etapa desconocida" in err


@pytest.mark.parametrize("english,spanish", [
    ("field required", "campo obligatorio"),
    ("unknown field; check the spelling (see `journeymap schema`)", "campo desconocido; revisa la ortografía"),
    ("unknown touchpoint; did you mean 'a' or 'b'?", "punto de contacto desconocido; ¿quisiste decir 'a' o 'b'?"),
    ("unknown pain point; expected one of: p1, p2", "punto de dolor desconocido; se esperaba uno de: p1, p2"),
    ("too large value; expected shares leaving 'web' to sum to at most 1",
     "valor demasiado grande; las proporciones que salen de 'web' deben sumar como máximo 1"),
    ("input should be less than or equal to 7", "el valor debe ser menor o igual que 7"),
    ("input should be a valid number, unable to parse string as a number", "el valor debe ser un número"),
    ("input should be 'current' or 'future'", "el valor debe ser 'current' o 'future'"),
    ("expected a number, not true/false", "se esperaba un número, no true/false"),
    ("file not found", "archivo no encontrado"),
    ("duplicate key 'id' (first on line 3)", "clave repetida 'id' (la primera en la línea 3)"),
    ("bad YAML syntax: mapping values are not allowed here", "sintaxis YAML incorrecta: mapping values"),
])
def test_common_messages_in_spanish(english, spanish):
    assert localize(english, "es").startswith(spanish)
    assert localize(english, "en") == english
    p = Problem("f.yaml", "touchpoints[2].effort", english, 9, 12)
    assert p.text("es") == f"f.yaml:12: touchpoints[2].effort: {localize(english, 'es')} (got 9)"
    assert p.text("en") == str(p) == f"f.yaml:12: touchpoints[2].effort: {english} (got 9)"


def test_unknown_messages_stay_as_they_are():
    assert localize("something only pydantic says", "es") == "something only pydantic says"
    assert localize("unknown gizmo; did you mean 'x'?", "es") == "unknown gizmo; did you mean 'x'?"


def test_frame_headers_translate_only_spanish():
    import pandas as pd

    df = pd.DataFrame({"name": ["Web"], "kind": ["digital_owned"], "friction": [1.0], "nps": [3]},
                      index=pd.Index(["website"], name="channel"))
    es = frame_headers(df, "es")
    assert list(es.columns) == ["nombre", "tipo", "fricción", "nps"] and es.index.name == "canal"
    assert es["tipo"].tolist() == ["digital (propio)"] and df["kind"].tolist() == ["digital_owned"]
    assert frame_headers(df, "en") is df and header("friction", "en") == "friction"


def test_html_report_headers_in_spanish():
    from journeymap.exporting import report_html

    page = report_html(jm.load(ES), lang="es")
    page = re.sub(r'(srcdoc|src)="[^"]*"', "", page)
    heads = re.findall(r"<t[h]\b[^>]*>(.*?)</th>", page) + re.findall(r"<h[1-3]\b[^>]*>(.*?)</h[1-3]>", page)
    assert "tipo" in heads and "traspaso" in heads and "nombre" in heads
    found = english_in("\n".join(heads), jm.load(ES))
    assert found == [], found
    assert "digital (propio)" in page and "digital_owned" not in page


def test_widget_error_text_in_spanish():
    from journeymap.widgets._common import error_html
    from journeymap.widgets.workshop_files import ChoiceError

    p = Problem("x.yaml", "touchpoints[0].stage", "unknown stage; did you mean 'cita'?", "citta", 4)
    assert "etapa desconocida; ¿quisiste decir &#x27;cita&#x27;?" in error_html([p], "es")
    assert "unknown stage" in error_html([p]) and "desconocida" not in error_html([p])
    said = ChoiceError("wf_no_load", "x.yaml", p, "").text("es")
    assert said.startswith("x.yaml no se puede cargar: x.yaml:4: touchpoints[0].stage: etapa desconocida")
    assert "unknown stage" in ChoiceError("wf_no_load", "x.yaml", p, "").text("en")


def test_usage_mistakes_in_spanish(capsys, tmp_path):
    code, _, err = run(capsys, "render", str(ES), "-o", str(tmp_path / "mapa.docx"))
    assert code == 2 and "render: no se puede escribir 'mapa.docx'" in err
    code, _, err = run(capsys, "render", str(ES), "-o", str(tmp_path / "mapa.mmd"), "--kind", "emotion")
    assert code == 2 and "no se aplica a archivos .mmd" in err and "ninguno" in err
    code, _, err = run(capsys, "paths", str(EVENTS), "--from", "ig_ad", "--depth", "0", "--lang", "es")
    assert code == 2 and "paths: --depth debe ser 1 o más (got 0)" in err
    code, _, err = run(capsys, "segments", str(EVENTS), "--by", "channel", "--measure", "paths", "--lang", "es")
    assert code == 2 and "necesita --step PASO" in err
    code, _, err = run(capsys, "render", str(EN), "-o", str(tmp_path / "map.docx"))  # English stays as it was
    assert code == 2 and "render: cannot write 'map.docx'; the output must end in one of:" in err


def test_problems_with_other_files_follow_the_journeys_language(capsys, tmp_path):
    code, _, err = run(capsys, "evidence", str(ES), "--survey", str(tmp_path / "encuesta.csv"))
    assert code == 1 and err.strip() == f"{tmp_path / 'encuesta.csv'}: archivo no encontrado"
    code, _, err = run(capsys, "evidence", str(EN), "--survey", str(tmp_path / "survey.csv"))
    assert code == 1 and err.strip() == f"{tmp_path / 'survey.csv'}: file not found"


def test_scorecard_explained_in_spanish(capsys):
    _, out, _ = run(capsys, "score", str(ES), "--by", "scorecard")
    assert "de los clientes que cambian de canal conservan su contexto (19 tipos de cambio" in out
    assert "10 canales usados" in out and "por cliente" in out and "explicación" in out
    assert "of the customers switching channel" not in out
    _, out, _ = run(capsys, "score", str(ES), "--by", "scorecard", "--lang", "en")
    assert "of the customers switching channel keep their context" in out and "per customer" in out


# -- the editor, the scorecard in the API, analytics text (issue 16, part 5, second half) ---------------------

@pytest.fixture
def editor_es(tmp_path):
    from journeymap.widgets import JourneyEditor

    target = tmp_path / "hotel.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), target)
    return JourneyEditor(target, lang="es")


def test_editor_messages_in_spanish(editor_es, tmp_path):
    editor = editor_es
    editor.new_stage_name.value = ""
    editor._add_stage()
    assert "escribe primero un nombre para la nueva etapa" in editor.stage_error.value
    editor.pain_list.value = None
    editor._update_pain()
    assert "selecciona primero un punto de dolor" in editor.pain_error.value
    editor.fields["stage"].options = [*editor.fields["stage"].options, ("x", "no_such_stage")]
    editor.fields["stage"].value = "no_such_stage"  # the session refuses it: its message in Spanish
    assert "etapa desconocida" in editor.errors["stage"].value and "unknown stage" not in editor.errors["stage"].value
    editor.save_as_path.value = "copia.txt"
    editor.save_as()
    assert "indica un nombre de archivo que termine en .yaml o .json" in editor.save_error.value
    (tmp_path / "a_file").write_text("not a folder")
    editor.save_as_path.value = str(tmp_path / "a_file" / "x.yaml")
    editor.save_as()
    assert "no se puede escribir" in editor.save_error.value and "cannot write" not in editor.save_error.value
    editor.save_as_path.value = str(tmp_path / "copia.yaml")
    editor.save_as()
    assert "guardado" in editor.save_error.value and "saved" not in editor.save_error.value
    editor.session.backup_error = "the crash backup could not be written to /x/y.json (disk full)"
    editor.refresh()
    assert "Aviso:" in editor.status.value and "no se pudo escribir la copia de seguridad en /x/y.json" \
        in editor.status.value and "Warning" not in editor.status.value


def test_editor_messages_stay_english_in_english(tmp_path):
    from journeymap.widgets import JourneyEditor

    target = tmp_path / "hotel.yaml"
    jm.save(jm.load(jm.shipped_journey("hotel_stay")), target)
    editor = JourneyEditor(target)
    editor._add_stage()
    assert "type a name for the new stage first" in editor.stage_error.value
    editor.save_as_path.value = str(tmp_path / "copy.yaml")
    editor.save_as()
    assert f"saved {tmp_path / 'copy.yaml'}" in editor.save_error.value
    editor.session.backup_error = "the crash backup could not be written to /x/y.json (disk full)"
    editor.refresh()
    assert ("<b>Warning:</b> the crash backup could not be written to /x/y.json (disk full); unsaved changes exist "
            "only in this tab until you save.") in editor.status.value


def test_scorecard_in_the_journeys_language_from_the_api():
    from journeymap.scoring.scorecard import scorecard

    report = jm.score(jm.load(ES))
    card = report.scorecard  # the journey says lang: es
    assert card.at["channels", "explanation"] == "10 canales usados" and card.at["channels", "unit"] == "número"
    assert english_in(" ".join(card["explanation"]), extra=("personalised", "on_brand")) == []
    english = scorecard(report, "en")
    assert english.at["channels", "explanation"] == "10 channels used"
    assert list(english["value"].fillna(-1)) == list(card["value"].fillna(-1))  # numbers do not change
    assert scorecard(jm.score(jm.load(EN)), "es").at["channels", "unit"] == "número"


def test_scorecard_in_english_unchanged():
    report = jm.score(jm.load(EN))
    card = report.scorecard
    n = int(card.at["channels", "value"])
    assert card.at["channels", "explanation"] == f"{n} channels used"
    assert card.at["repeats_per_customer", "unit"] == "per customer"
    assert card.at["channel_integration", "explanation"].endswith("kinds of switch; full context counts 1, "
                                                                  "partial 1/2, none 0)")


def test_explorer_scorecard_in_its_language():
    from journeymap.widgets import FrictionExplorer

    explorer = FrictionExplorer(jm.load(EN), lang="es", heatmap=False)
    assert "canales usados" in explorer.scorecard.value and "channels used" not in explorer.scorecard.value


def _events_args(*extra: str) -> list[str]:
    return [str(EVENTS), "--stitch", "device_id,email,phone,loyalty_id", *extra]


def test_ingest_and_conformance_text_in_spanish(capsys):
    code, out, err = run(capsys, "conformance", str(EN), *_events_args("--lang", "es"))
    assert code == 0, err
    assert "filas leídas" in err and "marca de tiempo ilegible o vacía" in err and "(p. ej. línea " in err
    assert "ids de canal" in err and "clientes" in err
    assert english_in(err, jm.load(EN), extra=(str(EVENTS), "device_id", "email", "phone", "loyalty_id", "fax",
                                               "n/a", "awareness")) == []
    assert "siguen el diseño" in out and "transiciones diseñadas nunca observadas" in out
    assert "follow the design" not in out and "proporción_observada" in out


def test_ingest_and_conformance_text_in_english_unchanged(capsys):
    code, out, err = run(capsys, "conformance", str(EN), *_events_args())
    assert code == 0, err
    first = err.splitlines()[0]
    assert re.fullmatch(rf"{re.escape(str(EVENTS))}: [\d,]+ rows read, [\d,]+ kept, [\d,]+ set aside", first)
    assert "  unparseable or empty timestamp: 4 (e.g. line " in err
    assert re.search(r"^[\d,]+ of [\d,]+ customers \(\d+\.\d%\) follow the design$", out, flags=re.MULTILINE)


def test_calibrate_drift_summary_in_spanish(capsys, tmp_path):
    code, out, err = run(capsys, "calibrate", str(EN), *_events_args("-o", str(tmp_path / "cal.yaml"), "-q",
                                                                      "--lang", "es"))
    assert code == 0, err
    drift = [line for line in out.splitlines() if line.startswith("deriva: ")]
    assert drift and "valores difieren del diseño" in drift[0]
    assert "proporción de la transición" in out and "supuesto" in out and "observado" in out
    assert "assumed" not in out and "transition share" not in out
    code, out, _ = run(capsys, "calibrate", str(EN), *_events_args("-o", str(tmp_path / "cal2.yaml"), "-q"))
    assert re.search(r"^drift: \d+ of \d+ values differ from the design; expected conversion", out, flags=re.M)
    assert " assumed, " in out


def test_discover_description_in_spanish(capsys, tmp_path):
    code, out, err = run(capsys, "discover", *_events_args("-o", str(tmp_path / "d.yaml"), "-q", "--lang", "es"))
    assert code == 0, err
    assert "(Descubierto a partir de 3,340 eventos de 967 casos" in out and "Discovered" not in out
    found = jm.load(tmp_path / "d.yaml")
    assert found.lang == "es" and found.title.startswith("Recorrido descubierto")
    code, out, _ = run(capsys, "discover", *_events_args("-o", str(tmp_path / "e.yaml"), "-q"))
    assert "(Discovered from 3,340 events of 967 cases (2026-03-02 to 2026-04-03).)" in out


def test_analytics_errors_in_spanish(capsys):
    code, _, err = run(capsys, "funnel", str(EVENTS), "--case", "device_id", "--stages", "ig_ad,chekout", "-q",
                       "--lang", "es")
    assert code == 1 and "el paso del embudo 'chekout' no coincide con ningún valor de esta columna; " \
                          "¿quisiste decir 'checkout'?" in err
    code, _, err = run(capsys, "funnel", str(EVENTS), "--case", "device_id", "--stages", "ig_ad,chekout", "-q")
    assert code == 1 and "funnel step 'chekout' matches no value of this column; did you mean 'checkout'?" in err
    code, _, err = run(capsys, "funnel", str(EVENTS), "--case", "no_such_col", "--stages", "ig_ad", "-q",
                       "--lang", "es")
    assert code == 1 and "falta(n) columna(s): no_such_col (la columna de caso); hay: " in err
    assert "missing column" not in err and "the case column" not in err
    assert localize("3 timestamp(s) have no time zone; pass tz= (e.g. tz='Europe/Madrid' or tz='UTC')", "es") \
        == "3 marca(s) de tiempo sin zona horaria; indica tz= (p. ej. tz='Europe/Madrid' o tz='UTC')"
    assert localize("channel(s) not in the catalogue: fax, telex", "es") == \
        "canal(es) que no están en el catálogo: fax, telex"


def test_analytics_text_methods_default_to_english():
    from journeymap.analytics import read_events

    _events, report = read_events(EVENTS, case="device_id")
    assert str(report) == report.text() == report.text("en")
    assert report.text("es").split(": ", 1)[1].startswith(f"{report.rows_read:,} filas leídas")


def test_editor_session_messages_in_spanish(editor_es):
    editor = editor_es
    stage = editor.stage_list.value
    editor._stage_op(editor.session.delete_stage)  # the first stage has touchpoints
    assert "la etapa aún tiene puntos de contacto (" in editor.stage_error.value and "still has" not in \
        editor.stage_error.value
    assert editor.stage_list.value == stage
    assert localize("no touchpoint 'x'", "es") == "no hay ningún punto de contacto 'x'"
    assert localize("no stage 'x'", "es") == "no hay ninguna etapa 'x'"
    assert localize("no pain point 'p1'", "es") == "no hay ningún punto de dolor 'p1'"
    assert localize("this journey has no file yet: give a path (Save as)", "es").startswith("este recorrido aún no")
    assert localize("no events to calibrate from: the log is empty", "es").startswith("no hay eventos con los que")
    assert localize("no stage 'x'", "en") == "no stage 'x'"


def _big(n: int) -> jm.Journey:
    return jm.Journey.model_validate({
        "id": "big", "title": "Big", "lang": "es", "stages": [{"id": "s", "name": "Etapa"}],
        "touchpoints": [{"id": f"t{i}", "stage": "s", "channel": "website", "action": f"Paso {i}"} for i in range(n)],
        "transitions": [{"from": f"t{i}", "to": f"t{i + 1}", "share": 0.9} for i in range(n - 1)]})


def test_render_limit_in_spanish_and_unchanged_in_english(tmp_path, capsys):
    from journeymap.exporting import MAX_MAP_TOUCHPOINTS, RenderLimitError, check_size

    n = MAX_MAP_TOUCHPOINTS + 1
    with pytest.raises(RenderLimitError) as info:
        check_size(_big(n), ".png", "map")
    assert str(info.value) == (
        f"{n} touchpoints are too many for a journey map (the limit is {MAX_MAP_TOUCHPOINTS}): draw one stage at a "
        "time (a smaller journey file), or write a table (.csv), a Mermaid diagram (.mmd) or the network page "
        "(.html --kind network)")
    spanish = info.value.text("es")
    assert spanish.startswith(f"{n} puntos de contacto son demasiados para un mapa del recorrido") and not english_in(
        spanish)
    jm.save(_big(n), tmp_path / "big.yaml")
    code, _out, err = run(capsys, "render", str(tmp_path / "big.yaml"), "-o", str(tmp_path / "big.png"))
    assert code == 2 and "son demasiados para un mapa del recorrido" in err and len(err.strip().splitlines()) == 1


def test_widgets_refuse_too_large_maps_in_their_language(tmp_path):
    from journeymap.exporting import MAX_MAP_TOUCHPOINTS
    from journeymap.widgets import JourneyEditor

    path = tmp_path / "big.yaml"
    jm.save(_big(MAX_MAP_TOUCHPOINTS + 1), path)
    editor = JourneyEditor(path, lang="es")
    editor.draw_full_map()
    assert "son demasiados para un mapa del recorrido" in editor.save_error.value


def test_an_endless_loop_reads_in_spanish():
    from journeymap.references import loop_message
    from journeymap.scoring import EndlessLoopError
    from journeymap.widgets._common import error_html

    message = loop_message(["a", "b"])
    assert localize(message, "es") == ("los clientes que llegan a a, b dan vueltas sin fin: baja una proporción de "
                                       "este bucle o añade una salida")
    assert localize(message, "en") == message
    html = error_html(EndlessLoopError(message, "j").problems, "es")
    assert "dan vueltas sin fin" in html and "loop forever" not in html
