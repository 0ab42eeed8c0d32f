"""The one table of user-visible labels, in English and Spanish.

>>> t("touchpoint", "es")
'punto de contacto'
>>> t("no-such-key", "es")
'no-such-key'
"""

from __future__ import annotations

LANGS = ("en", "es")

_TABLE: dict[str, tuple[str, str]] = {
    # the model
    "journey": ("journey", "recorrido del cliente"),
    "journey_map": ("journey map", "mapa del recorrido del cliente"),
    "persona": ("persona", "buyer persona"),
    "stage": ("stage", "etapa"),
    "stages": ("stages", "etapas"),
    "touchpoint": ("touchpoint", "punto de contacto"),
    "touchpoints": ("touchpoints", "puntos de contacto"),
    "channel": ("channel", "canal"),
    "channels": ("channels", "canales"),
    "transitions": ("transitions", "transiciones"),
    "cross_channel": ("cross-channel switches", "cambios de canal"),
    "pain_points": ("pain points", "puntos de dolor"),
    "opportunities": ("opportunities", "oportunidades"),
    "emotion": ("emotion", "emoción"),
    "effort": ("effort", "esfuerzo"),
    "friction": ("friction", "fricción"),
    "backstage": ("backstage", "trastienda"),
    "entries": ("entry points", "puntos de entrada"),
    "exits": ("exit points", "puntos de salida"),
    "state": ("state", "estado"),
    "current": ("current", "actual"),
    "future": ("future", "futuro"),
    "omnichannel": ("omnichannel", "omnicanal"),
    "multichannel": ("multichannel", "multicanal"),
    # funnel stages (blank template)
    "awareness": ("Awareness", "Conocimiento"),
    "consideration": ("Consideration", "Consideración"),
    "purchase": ("Purchase", "Compra"),
    "post_sale": ("Post-sale", "Postventa"),
    "loyalty": ("Loyalty", "Fidelización"),
    "placeholder_action": ("Describe what the customer does", "Describe lo que hace el cliente"),
    # channel kinds
    "digital_owned": ("digital (owned)", "digital (propio)"),
    "social": ("social", "social"),
    "messaging": ("messaging", "mensajería"),
    "human_assisted": ("human-assisted", "atención humana"),
    "physical": ("physical", "físico"),
    "paid_media": ("paid media", "medios pagados"),
    # views and exports (journeymap.plot, network, export)
    "lane_channel": ("Channel", "Canal"),
    "lane_actions": ("Customer actions", "Acciones del cliente"),
    "lane_thoughts": ("Thoughts", "Pensamientos"),
    "lane_emotion": ("Emotion", "Emoción"),
    "lane_pain_points": ("Pain points", "Puntos de dolor"),
    "lane_opportunities": ("Opportunities", "Oportunidades"),
    "lane_friction": ("Friction (0–100)", "Fricción (0–100)"),
    "lane_backstage": ("Backstage", "Trastienda"),
    "line_of_visibility": ("line of visibility", "línea de visibilidad"),
    "emotion_very_negative": ("very negative", "muy negativa"),
    "emotion_neutral": ("neutral", "neutra"),
    "emotion_very_positive": ("very positive", "muy positiva"),
    "emotion_curve": ("Emotion along the journey", "Emoción a lo largo del recorrido"),
    "friction_heatmap": ("Friction by stage and channel", "Fricción por etapa y canal"),
    "friction_scale": ("friction (0 = none, 100 = worst)", "fricción (0 = nada, 100 = máxima)"),
    "channel_flow": ("Moves between channels", "Movimientos entre canales"),
    "from_channel": ("from channel", "canal de origen"),
    "to_channel": ("to channel", "canal de destino"),
    "flow_weight_reach": ("share of customers moving", "proporción de clientes que pasan"),
    "flow_weight_share": ("sum of transition shares", "suma de proporciones de transición"),
    "context_lost": ("context lost on the move", "se pierde el contexto al cambiar"),
    "context_partial": ("context partly kept", "contexto conservado en parte"),
    "not_recognised": ("customer not recognised", "cliente no reconocido"),
    "priority_pain": ("Pain points: severity × frequency", "Puntos de dolor: gravedad × frecuencia"),
    "priority_opportunities": ("Opportunities: value × effort", "Oportunidades: valor × esfuerzo"),
    "severity": ("severity (1 annoying … 5 blocking)", "gravedad (1 molesta … 5 bloquea)"),
    "frequency": ("frequency (share of customers affected)", "frecuencia (proporción de clientes afectados)"),
    "value": ("value (1 low … 5 high)", "valor (1 bajo … 5 alto)"),
    "effort_to_build": ("effort to build (1 low … 5 high)", "esfuerzo de implantación (1 bajo … 5 alto)"),
    "fix_first": ("fix first", "resolver primero"),
    "watch": ("watch", "vigilar"),
    "quick_wins": ("quick wins", "victorias rápidas"),
    "big_bets": ("big bets", "grandes apuestas"),
    "fill_ins": ("fill-ins", "relleno"),
    "money_pits": ("money pits", "pozos sin fondo"),
    "widespread_irritants": ("widespread irritants", "molestias extendidas"),
    "rare_blockers": ("rare but severe", "raros pero graves"),
    "touchpoint_count": ("touchpoints", "puntos de contacto"),
    "mean_emotion": ("mean emotion (−2 … +2)", "emoción media (−2 … +2)"),
    "mean_effort": ("mean effort (1 … 7)", "esfuerzo medio (1 … 7)"),
    "reach": ("reach", "alcance"),
    "share": ("share", "proporción"),
    "context": ("context", "contexto"),
    "recognised": ("recognised", "reconocido"),
    "yes": ("yes", "sí"),
    "no": ("no", "no"),
    "severity_short": ("severity", "gravedad"),
    "frequency_short": ("frequency", "frecuencia"),
    "value_short": ("value", "valor"),
    "effort_short": ("effort", "esfuerzo"),
    "wait": ("wait", "espera"),
    "goals": ("Goals", "Objetivos"),
    "motivations": ("Motivations", "Motivaciones"),
    "frustrations": ("Frustrations", "Frustraciones"),
    "preferred_channels": ("Preferred channels", "Canales preferidos"),
    "network": ("Journey network", "Red del recorrido"),
    "scores": ("Friction scores", "Puntuaciones de fricción"),
    "by_stage": ("By stage", "Por etapa"),
    "by_channel": ("By channel", "Por canal"),
    "by_touchpoint": ("By touchpoint", "Por punto de contacto"),
    "total_friction": ("Total friction", "Fricción total"),
    "expected_conversion": ("Expected conversion", "Conversión esperada"),
    "addresses": ("addresses", "resuelve"),
    "no_scoring": ("friction scores not available", "puntuaciones de fricción no disponibles"),
    "generated_by": ("Made with journeymap", "Hecho con journeymap"),
    "other_opportunities": ("Other opportunities", "Otras oportunidades"),
    "on_the_move": ("on the move", "en el cambio"),
    "by_stage_channel": ("by stage and channel", "por etapa y canal"),
    "context_full": ("context kept", "contexto conservado"),
    "of_outflow": ("of moves out", "de las salidas"),
}


def t(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (the key itself when unknown)."""
    pair = _TABLE.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "es" else pair[0]
