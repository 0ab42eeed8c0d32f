"""Labels of the workshop room's results as the canvas and the HTML report show them (English, Spanish):
dots, comments, the room's view vs the model's. Data only, read by :mod:`journeymap.i18n`.
"""

from __future__ import annotations

ROOM_LABELS: dict[str, tuple[str, str]] = {
    "rv_workshop": ("Workshop", "Taller"),
    "rv_round": ("Voting round {}", "Ronda de votación {}"),
    "rv_on_pain_points": ("on pain points", "sobre puntos de dolor"),
    "rv_on_opportunities": ("on opportunities", "sobre oportunidades"),
    "rv_on_both": ("on pain points and opportunities", "sobre puntos de dolor y oportunidades"),
    "rv_dots_each": ("{} dots per participant", "{} puntos por participante"),
    "rv_participants": ("{} participants voted", "votaron {} participantes"),
    "rv_open": ("open", "abierta"),
    "rv_closed": ("closed", "cerrada"),
    "rv_item": ("item", "elemento"),
    "rv_kind": ("kind", "tipo"),
    "rv_kind_pain": ("pain point", "punto de dolor"),
    "rv_kind_opportunity": ("opportunity", "oportunidad"),
    "rv_dots": ("dots", "puntos"),
    "rv_dots_n": ("{} dots", "{} puntos"),
    "rv_dot_one": ("1 dot", "1 punto"),
    "rv_room_rank": ("room's rank", "puesto según la sala"),
    "rv_model_rank": ("model's rank", "puesto según el modelo"),
    "rv_spearman": ("Spearman rank correlation of the room's and the model's order ({}): {}",
                    "Correlación de rangos de Spearman entre el orden de la sala y el del modelo ({}): {}"),
    "rv_spearman_none": ("not defined", "no definida"),
    "rv_no_dots": ("No dots given in this round yet.", "Aún no se han dado puntos en esta ronda."),
    "rv_unvoted": ("{} more without dots.", "{} más sin puntos."),
    "rv_model_note": ("The model ranks pain points by impact (severity × frequency × reach) and opportunities by "
                      "friction removed per unit of effort.",
                      "El modelo ordena los puntos de dolor por impacto (gravedad × frecuencia × alcance) y las "
                      "oportunidades por fricción eliminada por unidad de esfuerzo."),
    "rv_comments": ("Comments", "Comentarios"),
    "rv_comments_n": ("open comments: {}", "comentarios abiertos: {}"),
    "rv_open_comments": ("Open comments ({})", "Comentarios abiertos ({})"),
    "rv_resolved_comments": ("Resolved comments ({})", "Comentarios resueltos ({})"),
    "rv_no_comments": ("No comments.", "Sin comentarios."),
    "rv_on": ("on", "sobre"),
    "rv_resolved": ("resolved", "resuelto"),
    "rv_resolve": ("Mark resolved", "Marcar como resuelto"),
    "rv_reopen": ("Reopen", "Reabrir"),
    "rv_dots_label": ("{} in voting round {}", "{} en la ronda de votación {}"),
}
