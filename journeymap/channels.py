"""The built-in channel catalogue.

Every touchpoint happens on a channel. A channel has a stable ``id`` (used in
journey files), a ``kind`` and a name in English and Spanish. Journeys may add
their own channels under ``channels:``; they must not reuse a built-in id.

Example
-------
>>> from journeymap.channels import CATALOGUE
>>> CATALOGUE["whatsapp"].kind
'messaging'
>>> CATALOGUE["store"].name_es
'Tienda física'
>>> CATALOGUE["phone"].cost, COST_SOURCES["phone"]   # cost per contact: see DEFAULT_COSTS
(5.25, 'ContactBabel')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

ChannelKind = Literal[
    "digital_owned", "social", "messaging", "human_assisted", "physical", "paid_media"
]

#: Order in which kinds are listed (legends, tables).
KINDS: tuple[str, ...] = (
    "digital_owned",
    "social",
    "messaging",
    "human_assisted",
    "physical",
    "paid_media",
)


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "expected a number, not true/false")
    return value


class Channel(BaseModel):
    """A channel a customer can use: built in, or defined in a journey file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Stable id used in files.")
    kind: ChannelKind = Field(description="Family of the channel.")
    name_en: str = Field(min_length=1, description="English name.")
    name_es: str = Field(min_length=1, description="Spanish name.")
    short: str = Field(
        default="", max_length=6, description="Short label (≤ 6 characters) for dense charts."
    )
    cost: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False), BeforeValidator(_no_bool)] | None = Field(
        default=None, description="Cost to serve one contact on this channel, in the journey's currency "
                                  "(see docs/economics.md).")

    def name(self, lang: str = "en") -> str:
        """The channel's name in ``lang`` ("en" or "es").

        >>> CATALOGUE["phone"].name("es")
        'Teléfono / call center'
        """
        return self.name_es if lang == "es" else self.name_en


def _c(id_: str, kind: str, en: str, es: str, short: str) -> Channel:
    return Channel(id=id_, kind=kind, name_en=en, name_es=es, short=short,  # type: ignore[arg-type]
                   cost=DEFAULT_COSTS.get(id_))


#: Default cost per contact, by channel id — ILLUSTRATIVE figures, to be replaced by your own (a journey's
#: ``costs:``, or ``costs=`` / ``--costs costs.yaml``). Amounts are taken as they are in the journey's currency
#: (no exchange rate is applied). Channels absent here have no default: their contacts count 0 and are listed.
DEFAULT_COSTS: dict[str, float] = {
    # ContactBabel (US Contact Center Decision-Makers' Guide): average cost of a handled contact, USD.
    "phone": 5.25, "email": 4.42, "live_chat": 3.82,
    # Illustrative assumptions (not from a source): agent-handled messaging priced like a chat,
    # video like a call, staff time in a store or branch above a call, self-service and notifications cheap.
    "whatsapp": 3.82, "messenger": 3.82, "video_call": 6.00,
    "store": 6.00, "branch": 8.00,
    "chatbot": 0.50, "voice_assistant": 0.50, "kiosk": 0.50,
    "website": 0.10, "mobile_app": 0.10, "blog": 0.05,
    "sms": 0.05, "push": 0.01, "postal_mail": 1.00,
}
#: Where each default comes from: ``"ContactBabel"`` or ``"illustrative"``.
COST_SOURCES: dict[str, str] = {
    k: "ContactBabel" if k in ("phone", "email", "live_chat") else "illustrative" for k in DEFAULT_COSTS
}


_BUILTIN = [
    _c("website", "digital_owned", "Website", "Sitio web", "WEB"),
    _c("mobile_app", "digital_owned", "Mobile app", "App móvil", "APP"),
    _c("email", "digital_owned", "Email", "Correo electrónico", "MAIL"),
    _c("blog", "digital_owned", "Blog", "Blog", "BLOG"),
    _c("chatbot", "digital_owned", "Chatbot", "Chatbot", "BOT"),
    _c("push", "digital_owned", "Push notification", "Notificación push", "PUSH"),
    _c("voice_assistant", "digital_owned", "Voice assistant", "Asistente de voz", "VOZ"),
    _c("kiosk", "digital_owned", "Self-service kiosk", "Quiosco de autoservicio", "KIOSK"),
    _c("social_media", "social", "Social media", "Redes sociales", "SOC"),
    _c("instagram", "social", "Instagram", "Instagram", "IG"),
    _c("facebook", "social", "Facebook", "Facebook", "FB"),
    _c("twitter_x", "social", "Twitter / X", "Twitter / X", "X"),
    _c("tiktok", "social", "TikTok", "TikTok", "TT"),
    _c("youtube", "social", "YouTube", "YouTube", "YT"),
    _c("reviews", "social", "Review sites", "Sitios de reseñas", "REV"),
    _c("word_of_mouth", "social", "Word of mouth", "Boca a boca", "WOM"),
    _c("sms", "messaging", "SMS", "SMS", "SMS"),
    _c("whatsapp", "messaging", "WhatsApp", "WhatsApp", "WA"),
    _c("messenger", "messaging", "Facebook Messenger", "Facebook Messenger", "MSGR"),
    _c("live_chat", "human_assisted", "Live chat (agent)", "Chat en vivo (agente)", "CHAT"),
    _c("phone", "human_assisted", "Phone / call centre", "Teléfono / call center", "TEL"),
    _c("video_call", "human_assisted", "Video call", "Videollamada", "VIDEO"),
    _c("store", "physical", "Physical store", "Tienda física", "STORE"),
    _c("branch", "physical", "Branch / office", "Sucursal / oficina", "BRNCH"),
    _c("event", "physical", "Event", "Evento", "EVENT"),
    _c("postal_mail", "physical", "Postal mail", "Correo postal", "POST"),
    _c("search_ads", "paid_media", "Search ads", "Anuncios en buscadores", "SEA"),
    _c("display_ads", "paid_media", "Display / retargeting ads", "Anuncios display / retargeting", "ADS"),
    _c("social_ads", "paid_media", "Paid social ads", "Anuncios en redes sociales", "PSOC"),
    _c("print_ad", "paid_media", "Print ad", "Anuncio impreso", "PRINT"),
    _c("tv_radio", "paid_media", "TV / radio", "TV / radio", "TV"),
]

#: Built-in channels by id.
CATALOGUE: dict[str, Channel] = {c.id: c for c in _BUILTIN}


def known_channels(journey: object = None, channels: Iterable[str | Channel] = ()) -> dict[str, Channel]:
    """Every channel an analysis accepts, by the id it has in event logs: the catalogue, the journey's own
    channels (``journey.channels``) and ``channels`` — the one place that builds this set.

    ``channels`` holds :class:`Channel` objects or ids. Ids are compared trimmed and lower-cased (as
    event logs are read); an id that is neither built in nor the journey's becomes a channel of kind
    ``digital_owned`` named after the id (edit a saved journey to give it its real kind), its ``id`` made
    file-safe and unique if the text is not.

    >>> ch = known_channels(channels=["Router", "fax machine"])
    >>> ch["router"].id, ch["fax machine"].id, ch["fax machine"].name_en, ch["email"] is CATALOGUE["email"]
    ('router', 'fax_machine', 'fax machine', True)
    """
    import re
    import unicodedata

    known = dict(CATALOGUE)
    given = [*(getattr(journey, "channels", None) or []), *channels]
    for item in given:  # defined channels first, so an id made up below never takes one of theirs
        if isinstance(item, Channel) and item.id not in known:
            known[item.id] = item
    taken = {c.id for c in known.values()}
    for item in given:
        key = "" if isinstance(item, Channel) else str(item).strip().lower()
        if not key or key in known:
            continue
        text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
        base = key if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key) else (
            re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:60] or "channel")
        new, i = base, 2
        while new in taken:
            new, i = f"{base}_{i}", i + 1
        known[key] = Channel(id=new, kind="digital_owned", name_en=key, name_es=key)
        taken.add(new)
    return known
