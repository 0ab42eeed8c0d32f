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
}


def t(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang`` (the key itself when unknown)."""
    pair = _TABLE.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "es" else pair[0]
