"""Labels of the health checks and of cost to serve (English, Spanish): data only, read by
:mod:`journeymap.i18n`. The translation-coverage test checks both languages and their placeholders.
"""

from __future__ import annotations

CHECK_LABELS: dict[str, tuple[str, str]] = {
    # cost to serve and the business case (journeymap.cost_to_serve)
    "ec_title": ("Cost to serve and value", "Coste de servicio y valor"),
    "ec_cost_per_customer": ("cost per customer", "coste por cliente"),
    "ec_contacts": ("contacts", "contactos"),
    "ec_repeat_cost": ("repeats", "repeticiones"),
    "ec_expected_value": ("expected value per customer", "valor esperado por cliente"),
    "ec_net": ("net per customer", "neto por cliente"),
    "ec_cost_per_contact": ("cost per contact", "coste por contacto"),
    "ec_source": ("source of the cost", "origen del coste"),
    "ec_no_value": ("set value_per_conversion in the journey to see the expected value and net",
                    "indica value_per_conversion en el recorrido para ver el valor esperado y el neto"),
    "ec_missing": ("no cost per contact for: {} (counted as 0)", "sin coste por contacto para: {} (se cuenta 0)"),
    "ec_defaults_note": ("Catalogue costs are illustrative (ContactBabel averages for a call, an e-mail and a chat; "
                         "the others are assumptions): replace them with your own (costs: in the journey, or a "
                         "costs file).",
                         "Los costes del catálogo son ilustrativos (medias de ContactBabel para llamada, correo y "
                         "chat; el resto son supuestos): sustitúyelos por los tuyos (costs: en el recorrido o un "
                         "archivo de costes)."),
    "ec_carry_one": ("carrying context at this handoff", "llevar el contexto en este traspaso"),
    "ec_carry_many": ("carrying context at these {} handoffs", "llevar el contexto en estos {} traspasos"),
    "ec_recognise_one": ("recognising the customer at this handoff", "reconocer al cliente en este traspaso"),
    "ec_recognise_many": ("recognising the customer at these {} handoffs",
                          "reconocer al cliente en estos {} traspasos"),
    "ec_fix_one": ("fixing this pain point", "resolver este punto de dolor"),
    "ec_fix_many": ("fixing these {} pain points", "resolver estos {} puntos de dolor"),
    "ec_instead": ("{} instead of {}", "{} en lugar de {}"),
    "ec_nothing": ("changing nothing", "no cambiar nada"),
    "ec_and": (" and ", " y "),
    "ec_saves": ("saves {} per customer", "ahorra {} por cliente"),
    "ec_costs_more": ("costs {} more per customer", "cuesta {} más por cliente"),
    "ec_same_cost": ("leaves the cost per customer unchanged", "no cambia el coste por cliente"),
    "ec_adds_pp": ("adds {} pp conversion", "suma {} pp de conversión"),
    "ec_loses_pp": ("loses {} pp conversion", "resta {} pp de conversión"),
    "ec_same_conv": ("leaves conversion unchanged", "no cambia la conversión"),
    "ec_net_up": ("raises the net value by {} per customer", "sube el valor neto en {} por cliente"),
    "ec_net_down": ("lowers the net value by {} per customer", "baja el valor neto en {} por cliente"),
    # health checks (journeymap.checks; docs/checks.md)
    "chk_summary": ("{errors} errors, {warnings} warnings, {info} info",
                    "{errors} errores, {warnings} avisos, {info} notas"),
    "chk_clean": ("no findings", "sin hallazgos"),
    "chk_kind_actions": ("actions", "acciones"),
    "chk_kind_pain_points": ("pain points", "puntos de dolor"),
    "chk_kind_opportunities": ("opportunities", "oportunidades"),
    "chk_invalid_file_msg": ("{problem}", "{problem}"),
    "chk_invalid_file_why": ("A file that does not load cannot be mapped, scored or checked.",
                             "Un archivo que no se carga no se puede mapear, puntuar ni revisar."),
    "chk_invalid_file_fix": ("Correct the field named in the message (journeymap validate lists every problem).",
                             "Corrige el campo que indica el mensaje (journeymap validate lista todos los problemas)."),
    "chk_unreachable_touchpoint_msg": ("touchpoint '{id}' cannot be reached from any entry ({entries})",
                                       "el punto de contacto '{id}' no se alcanza desde ninguna entrada ({entries})"),
    "chk_unreachable_touchpoint_why": ("No customer ever gets there, so its friction and pain points count for "
                                       "nothing.",
                                       "Ningún cliente llega ahí, así que su fricción y sus puntos de dolor no "
                                       "cuentan."),
    "chk_unreachable_touchpoint_fix": ("Add a transition into it, or give it an entry_share if customers start "
                                       "there.",
                                       "Añade una transición hacia él, o dale un entry_share si los clientes "
                                       "empiezan ahí."),
    "chk_dead_end_not_conversion_msg": ("touchpoint '{id}' is a dead end: the journey stops here with no conversion",
                                        "el punto de contacto '{id}' es un callejón sin salida: el recorrido acaba "
                                        "aquí sin conversión"),
    "chk_dead_end_not_conversion_why": ("Customers who end here leave unconverted, a drop-off nobody has planned for.",
                                        "Los clientes que acaban aquí se van sin convertir, un abandono que nadie ha "
                                        "previsto."),
    "chk_dead_end_not_conversion_fix": ("Mark it conversion: true if reaching it is the goal, or add a transition "
                                        "onwards.",
                                        "Márcalo con conversion: true si llegar aquí es el objetivo, o añade una "
                                        "transición que siga."),
    "chk_stage_without_touchpoints_msg": ("stage '{id}' ({name}) has no touchpoints",
                                          "la etapa '{id}' ({name}) no tiene puntos de contacto"),
    "chk_stage_without_touchpoints_why": ("An empty stage leaves a gap in the map and no score for that phase.",
                                          "Una etapa vacía deja un hueco en el mapa y esa fase sin puntuación."),
    "chk_stage_without_touchpoints_fix": ("Add the touchpoints of this stage, or remove the stage.",
                                          "Añade los puntos de contacto de esta etapa, o elimina la etapa."),
    "chk_pain_without_opportunity_msg": ("pain point '{id}' ({text}) at {at} has no opportunity addressing it",
                                         "el punto de dolor '{id}' ({text}) en {at} no tiene ninguna oportunidad "
                                         "que lo aborde"),
    "chk_pain_without_opportunity_why": ("A pain nobody plans to relieve stays in the journey and drops out of the "
                                         "roadmap.",
                                         "Un dolor que nadie planea aliviar se queda en el recorrido y sale de la "
                                         "hoja de ruta."),
    "chk_pain_without_opportunity_fix": ("Add an opportunity whose addresses: lists this pain point, or state why it "
                                         "is accepted.",
                                         "Añade una oportunidad cuyo addresses: incluya este punto de dolor, o explica "
                                         "por qué se acepta."),
    "chk_opportunity_addresses_nothing_msg": ("opportunity '{id}' ({text}) addresses no pain point",
                                              "la oportunidad '{id}' ({text}) no aborda ningún punto de dolor"),
    "chk_opportunity_addresses_nothing_why": ("With nothing to relieve, its effect on friction cannot be measured or "
                                              "ranked.",
                                              "Sin nada que aliviar, su efecto en la fricción no se puede medir ni "
                                              "priorizar."),
    "chk_opportunity_addresses_nothing_fix": ("List the pain point ids it relieves under addresses:.",
                                              "Indica en addresses: los ids de los puntos de dolor que alivia."),
    "chk_emotion_not_set_msg": ("touchpoint '{id}' has no emotion set (read as neutral, 0)",
                                "el punto de contacto '{id}' no tiene emoción (se lee como neutra, 0)"),
    "chk_emotion_not_set_why": ("The emotion curve shows a neutral point nobody stated, hiding highs and lows.",
                                "La curva de emociones muestra un punto neutro que nadie indicó y oculta altibajos."),
    "chk_emotion_not_set_fix": ("Set emotion: from -2 to +2 (write 0 when neutral is meant).",
                                "Indica emotion: de -2 a +2 (escribe 0 si es neutra)."),
    "chk_effort_not_set_msg": ("touchpoint '{id}' has no effort set",
                               "el punto de contacto '{id}' no tiene esfuerzo"),
    "chk_effort_not_set_why": ("Friction counts a missing effort as none, so a hard step may look easy.",
                               "La fricción cuenta un esfuerzo ausente como nulo, así que un paso difícil puede "
                               "parecer fácil."),
    "chk_effort_not_set_fix": ("Set effort: from 1 (effortless) to 7 (extremely hard).",
                               "Indica effort: de 1 (sin esfuerzo) a 7 (muy difícil)."),
    "chk_channel_switch_no_context_msg": ("channel switch {id} ({a} to {b}) does not state how much context travels",
                                          "el cambio de canal {id} ({a} a {b}) no indica cuánto contexto viaja"),
    "chk_channel_switch_no_context_why": ("It counts as carrying full context by default, which may flatter "
                                          "continuity.",
                                          "Por defecto cuenta como si llevara todo el contexto, lo que puede "
                                          "embellecer la continuidad."),
    "chk_channel_switch_no_context_fix": ("Set context: none, partial or full on this transition.",
                                          "Indica context: none, partial o full en esta transición."),
    "chk_small_survey_sample_msg": ("{metric} at {kind} '{id}' rests on n={n} answers (fewer than 30)",
                                    "{metric} en {kind} '{id}' se basa en n={n} respuestas (menos de 30)"),
    "chk_small_survey_sample_why": ("With so few answers the figure can swing widely by chance.",
                                    "Con tan pocas respuestas la cifra puede variar mucho por azar."),
    "chk_small_survey_sample_fix": ("Collect at least 30 answers, or show its interval next to the figure.",
                                    "Reúne al menos 30 respuestas, o muestra su intervalo junto a la cifra."),
    "chk_duplicate_text_msg": ("{kind} '{a}' and '{b}' have the same or nearly the same text ({ratio} alike)",
                               "{kind} '{a}' y '{b}' tienen el mismo texto o casi ({ratio} de parecido)"),
    "chk_duplicate_text_why": ("Duplicates split attention and count the same thing twice in rankings.",
                               "Los duplicados dispersan la atención y cuentan lo mismo dos veces en las "
                               "clasificaciones."),
    "chk_duplicate_text_fix": ("Merge them into one, or reword them so each says something distinct.",
                               "Fusiónalos en uno, o redáctalos para que cada uno diga algo distinto."),
    "chk_assumed_friction_msg": ("{share} of the friction rests on assumed evidence (more than {limit})",
                                 "el {share} de la fricción se basa en evidencia supuesta (más del {limit})"),
    "chk_assumed_friction_why": ("Decisions would rest mostly on workshop guesses rather than measured data.",
                                 "Las decisiones se basarían sobre todo en suposiciones de taller y no en datos "
                                 "medidos."),
    "chk_assumed_friction_fix": ("Calibrate from an event log or survey, or mark values measured where data backs "
                                 "them.",
                                 "Calibra con un registro de eventos o una encuesta, o marca como measured los "
                                 "valores respaldados por datos."),
    "chk_severity_error": ("error", "error"),
    "chk_severity_warning": ("warning", "aviso"),
    "chk_severity_info": ("info", "nota"),
}
