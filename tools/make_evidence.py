"""Regenerate the synthetic sample evidence shipped in data/evidence/ (deterministic: fixed seeds).

Usage:
    python tools/make_evidence.py                 # (re)write data/evidence/
    python tools/make_evidence.py --check         # exit 1 if the shipped files differ from a fresh run
    python tools/make_evidence.py --out DIR       # write somewhere else
    python tools/make_evidence.py --only hotel_stay   # one journey (repeatable)

For each journey in data/journeys/ three files are written (all SYNTHETIC, made up by this script):

* ``<id>_keywords.yaml`` — per touchpoint the phrases customers use about it, in English AND Spanish
  (hand-written below in KEYWORDS; a phrase of one touchpoint is never part of another's).
* ``<id>_survey.csv`` — respondent,touchpoint,stage,nps,csat,ces,comment,date,segment,lang. Answers
  follow the journey: low emotion, high effort and pain points give lower CSAT/NPS and higher CES. Some
  steps get fewer than 30 answers on purpose; ~30 % of rows carry a comment (en/es templates that name
  one of the touchpoint's phrases with words whose tone matches the answer); a few answers are empty.
* ``<id>_quotes.csv`` — id,text,source,date,lang: reviews, call transcripts, chat logs and social posts.

Text cells go through :func:`journeymap.safety.csv_frame` (a social post starting with ``@`` is stored
as ``'@...``; read it back with :func:`journeymap.safety.csv_restore`).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import journeymap as jm  # noqa: E402
from journeymap.safety import csv_frame  # noqa: E402

OUT = ROOT / "data" / "evidence"
SEED = 14
START = np.datetime64("2026-03-02")  # four weeks: 2026-03-02 .. 2026-03-29
DAYS = 28
SEGMENTS = ["new", "returning", "frequent"]
SOURCES = ["app store review", "Google review", "call transcript", "chat log", "social post"]

E, S = "en", "es"
# touchpoint id -> {en: [...], es: [...]}; noun phrases (the templates put them after "the" / "con").
_RETAIL = {
    "ig_ad": {E: ["Instagram ad", "stories ad", "sponsored story"], S: ["anuncio de Instagram", "anuncio en stories"]},
    "product_page": {E: ["product page", "size guide", "store availability", "product photos"],
                     S: ["ficha del producto", "disponibilidad en tienda", "fotos del producto"]},
    "size_chat": {E: ["size chat", "chatbot"], S: ["chatbot", "asistente de tallas", "consulta de talla"]},
    "cart_email": {E: ["cart reminder", "abandoned cart", "newsletter"],
                   S: ["recordatorio del carrito", "carrito abandonado"]},
    "checkout": {E: ["checkout", "click & collect", "online payment", "loyalty number"],
                 S: ["pago online", "finalizar la compra", "número de socio"]},
    "order_confirmation": {E: ["order confirmation", "confirmation email", "web order number"],
                           S: ["confirmación del pedido", "correo de confirmación"]},
    "ready_sms": {E: ["ready text", "parcel ready SMS"], S: ["SMS de pedido listo", "aviso de paquete listo"]},
    "store_pickup": {E: ["store pickup", "pick-up counter", "lost parcel"],
                     S: ["recogida en la tienda", "cola de las cajas", "paquete perdido"]},
    "return_start": {E: ["returns page", "online returns flow"],
                     S: ["página de devoluciones", "proceso de devolución online"]},
    "return_store": {E: ["in-store return", "paper form"], S: ["devolución en tienda", "formulario en papel"]},
    "refund_call": {E: ["customer service call", "phone menu", "refund call"],
                    S: ["llamada al servicio de atención", "menú telefónico"]},
    "refund_email": {E: ["refund email", "refund confirmation"], S: ["correo del reembolso", "reembolso procesado"]},
    "loyalty_offer": {E: ["push offer", "back in stock push"], S: ["notificación de la app", "oferta push"]},
    "review": {E: ["Google Maps review", "store rating"], S: ["reseña en Google Maps", "valoración de la tienda"]},
}
KEYWORDS: dict[str, dict[str, dict[str, list[str]]]] = {
    "bank_account_opening": {
        "wom_colleague": {E: ["colleague's recommendation", "word of mouth"],
                          S: ["recomendación de una compañera", "boca a boca"]},
        "comparison": {E: ["comparison site", "comparison website"], S: ["comparador", "web de comparación"]},
        "website_product": {E: ["eligibility checker", "current account page"],
                            S: ["comprobador de requisitos", "web del banco"]},
        "app_apply": {E: ["application form", "address history", "in-app application"],
                      S: ["formulario de solicitud", "historial de direcciones"]},
        "id_verification": {E: ["passport scan", "NFC scan", "selfie video", "liveness check"],
                            S: ["escaneo del pasaporte", "vídeo selfie", "verificación de identidad"]},
        "verification_email": {E: ["information request email", "upload link"],
                               S: ["correo pidiendo más información", "enlace para subir documentos"]},
        "branch_visit": {E: ["branch appointment", "branch visit"], S: ["cita en la sucursal", "visita a la oficina"]},
        "account_approved": {E: ["account approval", "virtual card"], S: ["cuenta aprobada", "tarjeta virtual"]},
        "first_payments": {E: ["payee limit", "rent payment", "sort code"],
                           S: ["límite de beneficiarios", "pago del alquiler"]},
        "fraud_sms": {E: ["fraud text", "paused payment", "fraud alert"], S: ["SMS de fraude", "pago bloqueado"]},
        "chatbot": {E: ["chatbot", "virtual assistant"], S: ["chatbot", "asistente virtual"]},
        "live_chat": {E: ["live chat", "chat agent", "chat queue"], S: ["chat en directo", "chat con un agente"]},
        "card_post": {E: ["physical card", "PIN letter"], S: ["tarjeta física", "carta con el PIN"]},
        "savings_nudge": {E: ["round-up", "savings pot", "credit score tip"], S: ["redondeo", "hucha de ahorro"]},
        "refer_friend": {E: ["referral link", "referral bonus"], S: ["enlace de invitación", "invitación a un amigo"]},
    },
    "classic_social_to_purchase": {
        "tiktok_video": {E: ["TikTok video", "creator video"], S: ["vídeo de TikTok", "vídeo de la creadora"]},
        "ig_profile": {E: ["Instagram profile", "Instagram highlights"],
                       S: ["perfil de Instagram", "historias destacadas"]},
        "blog_post": {E: ["blog post", "blog article"], S: ["artículo del blog", "entrada del blog"]},
        "search_visit": {E: ["Google search", "search ad", "sponsored result"],
                         S: ["búsqueda en Google", "anuncio de búsqueda"]},
        "website_browse": {E: ["ingredient list", "product range", "website browsing"],
                           S: ["lista de ingredientes", "gama de cremas"]},
        "chatbot_skin": {E: ["chatbot", "skin quiz"], S: ["chatbot", "test de piel"]},
        "live_chat_expert": {E: ["skincare advisor", "expert chat"], S: ["asesora de piel", "chat con una experta"]},
        "email_signup": {E: ["sign-up pop-up", "discount pop-up"], S: ["ventana emergente", "suscripción al boletín"]},
        "welcome_email": {E: ["welcome email", "discount code"], S: ["correo de bienvenida", "código de descuento"]},
        "checkout": {E: ["checkout", "shipping cost", "Apple Pay"], S: ["gastos de envío", "finalizar la compra"]},
        "shipping_sms": {E: ["tracking text", "delivery window"], S: ["seguimiento del envío", "franja de entrega"]},
        "unboxing": {E: ["unboxing", "packaging"], S: ["embalaje", "desempaquetado"]},
        "refill_email": {E: ["refill reminder", "reorder email", "promotional emails"],
                         S: ["recordatorio de recarga", "correos promocionales"]},
        "ugc_post": {E: ["my own video", "brand stitch"], S: ["mi propio vídeo", "mi publicación"]},
    },
    "coffee_loyalty_app": {
        "colleague_tip": {E: ["colleague's tip", "recommendation at work"],
                          S: ["consejo de una compañera", "recomendación en el trabajo"]},
        "store_first": {E: ["counter queue", "barista"], S: ["cola en el mostrador", "barista"]},
        "app_signup": {E: ["account sign-up", "paper stamp card"], S: ["registro en la app", "tarjeta de sellos"]},
        "wallet_topup": {E: ["top-up", "app wallet", "minimum top-up"], S: ["recarga mínima", "monedero de la app"]},
        "order_ahead": {E: ["order ahead", "mobile order"], S: ["pedido anticipado", "pedidos móviles"]},
        "ready_push": {E: ["ready notification", "push notification"],
                       S: ["aviso de pedido listo", "notificación push"]},
        "pickup_store": {E: ["pick-up shelf", "pickup shelf"], S: ["estante de recogida", "recogida de la bebida"]},
        "voice_reorder": {E: ["Alexa", "voice reorder"], S: ["Alexa", "pedido por voz"]},
        "web_balance": {E: ["missing stars", "stars balance"], S: ["estrellas que faltan", "saldo de estrellas"]},
        "chatbot_help": {E: ["chatbot", "gift card rule"], S: ["chatbot", "asistente de la web"]},
        "email_support": {E: ["support form", "support email", "receipt number"],
                          S: ["formulario de soporte", "correo de soporte"]},
        "birthday_email": {E: ["birthday email", "birthday reward"],
                           S: ["correo de cumpleaños", "regalo de cumpleaños"]},
        "refer_whatsapp": {E: ["referral link", "WhatsApp invite"],
                           S: ["enlace de invitación", "invitación por WhatsApp"]},
    },
    "hotel_stay": {
        "search_hotel": {E: ["hotel search", "member rate ad"], S: ["búsqueda de hotel", "anuncio del hotel"]},
        "review_check": {E: ["review site", "guest reviews"], S: ["web de opiniones", "opiniones de huéspedes"]},
        "book_web": {E: ["website booking", "special requests", "booking form"],
                     S: ["reserva en la web", "peticiones especiales"]},
        "confirm_email": {E: ["booking confirmation", "confirmation number"],
                          S: ["confirmación de la reserva", "número de confirmación"]},
        "online_checkin": {E: ["online check-in", "passport upload"], S: ["check-in online", "subida del pasaporte"]},
        "digital_key_sms": {E: ["digital key activation", "room number text", "quiet room request"],
                            S: ["activación de la llave digital", "habitación tranquila"]},
        "room_entry": {E: ["phone key", "room door"], S: ["llave en el móvil", "puerta de la habitación"]},
        "front_desk": {E: ["front desk", "receptionist", "key card"], S: ["recepción", "recepcionista"]},
        "app_services": {E: ["room service", "housekeeping request"],
                         S: ["servicio de habitaciones", "petición de limpieza"]},
        "whatsapp_concierge": {E: ["WhatsApp concierge", "concierge"], S: ["conserje por WhatsApp", "conserjería"]},
        "express_checkout": {E: ["express checkout", "minibar charge"], S: ["check-out exprés", "cargo del minibar"]},
        "folio_email": {E: ["invoice", "VAT number"], S: ["factura", "número de IVA"]},
        "billing_call": {E: ["billing call", "call to the hotel"], S: ["llamada al hotel", "llamada a contabilidad"]},
        "offer_email": {E: ["offer email", "late check-out offer"], S: ["correo con oferta", "salida tardía gratis"]},
        "sms_offer": {E: ["spa weekend", "SMS offer"], S: ["fin de semana de spa", "oferta por SMS"]},
        "rebook": {E: ["rebooking", "repeat booking", "second stay"], S: ["nueva reserva", "segunda estancia"]},
    },
    "retail_bopis_multichannel": _RETAIL,
    "retail_bopis_omnichannel": _RETAIL,
    "salud_cita_medica": {
        "web_info": {S: ["web del servicio de salud", "información de la web"],
                     E: ["health service website", "health website"]},
        "app_cita": {S: ["app Mi Salud", "perfil del menor", "huecos en la app"], E: ["Mi Salud app", "child profile"]},
        "telefono_centro": {S: ["teléfono del centro", "llamada al centro"],
                            E: ["phone line", "call to the health centre"]},
        "web_cita": {S: ["cita previa web", "certificado digital", "Cl@ve"],
                     E: ["digital certificate", "online booking site"]},
        "sms_confirmacion": {S: ["SMS de confirmación", "confirmación de la cita"],
                             E: ["confirmation text", "appointment confirmation"]},
        "recordatorio_push": {S: ["recordatorio de la cita", "aviso de la app"],
                              E: ["appointment reminder", "reminder push"]},
        "videoconsulta": {S: ["videoconsulta", "sala virtual"],
                          E: ["video consultation", "video call with the doctor"]},
        "consulta_presencial": {S: ["consulta presencial", "sala de espera"],
                                E: ["in-person appointment", "waiting room"]},
        "receta_app": {S: ["receta electrónica", "plan de acción"], E: ["e-prescription", "action plan"]},
        "farmacia": {S: ["farmacia", "cámara espaciadora", "tarjeta sanitaria"], E: ["pharmacy", "spacer"]},
        "urgencias": {S: ["urgencias", "urgencias pediátricas"], E: ["emergency department", "emergency room"]},
        "revision_chatbot": {S: ["asistente virtual", "chatbot", "petición de revisión"],
                             E: ["chatbot", "virtual assistant"]},
        "encuesta_sms": {S: ["encuesta", "encuesta de satisfacción"], E: ["survey", "satisfaction survey"]},
    },
    "telecom_tech_support": {
        "router_lights": {E: ["orange light", "flashing light", "connection drops"],
                          S: ["luz naranja", "cortes de conexión"]},
        "app_status": {E: ["outage checker", "account lockout", "password reset"],
                       S: ["bloqueo de la cuenta", "comprobador de averías"]},
        "web_help": {E: ["help site", "help article"], S: ["página de ayuda", "artículos de ayuda"]},
        "router_restart": {E: ["hub restart", "router restart"],
                           S: ["reinicio del router", "apagado y encendido del router"]},
        "email_support": {E: ["support email", "auto-reply"], S: ["correo al soporte", "respuesta automática"]},
        "live_chat": {E: ["live chat", "remote line test"], S: ["chat en directo", "prueba de línea remota"]},
        "phone_call": {E: ["helpline", "phone menu", "hold music"],
                       S: ["línea de atención", "menú telefónico", "música de espera"]},
        "sms_engineer": {E: ["appointment text", "visit booking text"], S: ["SMS con la cita", "visita programada"]},
        "engineer_visit": {E: ["engineer visit", "new hub", "faulty filter"],
                           S: ["visita del técnico", "router nuevo"]},
        "email_survey": {E: ["survey", "feedback email"], S: ["encuesta", "encuesta de satisfacción"]},
        "paper_bill": {E: ["paper bill", "paper-bill fee"], S: ["factura en papel", "cargo por factura en papel"]},
        "store_visit": {E: ["shop in town", "store staff", "goodwill credit"],
                        S: ["personal de la tienda", "crédito de cortesía"]},
        "tell_friends": {E: ["walking group", "provider switch"], S: ["grupo de caminata", "cambio de compañía"]},
    },
}
BRAND = {"bank_account_opening": "HarbourBank", "classic_social_to_purchase": "KindredSkin",
         "coffee_loyalty_app": "HarlowCoffee", "hotel_stay": "MeridiaHotels", "retail_bopis_multichannel": "AlbaModa",
         "retail_bopis_omnichannel": "AlbaModa", "salud_cita_medica": "SaludRegional",
         "telecom_tech_support": "LumenBroadband"}

# Comment templates: {p} is a phrase, {P} the same phrase capitalised. No template word is a phrase above.
TEMPLATES = {
    E: {"pos": ["The {p} was quick and easy.", "Really happy with the {p}, great.",
                "{P}: simple, clear and fast. Love it.", "No problems at all with the {p}, excellent.",
                "Great experience with the {p}."],
        "neu": ["The {p} was ok.", "{P}: fine, nothing special.", "The {p} did the job, average."],
        "neg": ["The {p} was slow and confusing.", "Terrible experience with the {p}.",
                "{P} was a nightmare, so frustrating.", "Really annoyed about the {p}, awful.",
                "The {p} is useless, I nearly gave up."]},
    S: {"pos": ["Con {p} todo fue rápido y fácil.", "Muy contenta con {p}, genial.",
                "{P}: sencillo, claro y rápido. Me encanta.", "Ningún problema con {p}, excelente.",
                "Buena experiencia con {p}."],
        "neu": ["Lo de {p}, normal.", "{P}: correcto, sin más.", "Con {p} bien, regular."],
        "neg": ["Con {p} fue lento y confuso.", "Experiencia horrible con {p}.",
                "{P} fue una pesadilla, muy frustrante.", "Muy molesta con {p}, fatal.",
                "Lo de {p} no sirve, casi lo dejo."]},
}
CLOSERS = {E: {"pos": ["Would recommend.", "Five stars from me.", "Keep it up."], "neu": ["Could be better.", ""],
               "neg": ["Not impressed.", "Please sort it out.", "Never again."]},
           S: {"pos": ["Lo recomiendo.", "Cinco estrellas.", "Seguid así."], "neu": ["Mejorable.", ""],
               "neg": ["Muy decepcionada.", "Arreglad esto, por favor.", "Nunca más."]}}
GENERIC = {E: ["Customer for two years, overall fine.", "Nothing special to report, it works.",
               "Mixed feelings overall, some good, some bad."],
           S: ["Cliente desde hace años, en general bien.", "Nada especial que contar, funciona.",
               "Sensaciones mixtas en general."]}
AGENT = {E: {"pos": "Agent: Glad to hear it, thank you.", "neu": "Agent: Thanks, I've noted that.",
             "neg": "Agent: I'm sorry about that, let me look into it."},
         S: {"pos": "Agente: Me alegro, gracias.", "neu": "Agente: Gracias, lo anoto.",
             "neg": "Agente: Siento mucho lo ocurrido, lo reviso ahora."}}


def phrases(journey_id: str) -> dict[str, list[str]]:
    """Touchpoint id -> all its phrases (journey language first, then the other; no repeats)."""
    first = "es" if journey_id == "salud_cita_medica" else "en"
    other = "en" if first == "es" else "es"
    return {tp: list(dict.fromkeys(langs[first] + langs[other])) for tp, langs in KEYWORDS[journey_id].items()}


def keywords_yaml(journey_id: str) -> str:
    lines = [f"# Keyword phrases per touchpoint of {journey_id} (en and es) for the voice-of-customer tagger.",
             "# SYNTHETIC sample data, hand-written in tools/make_evidence.py; edit freely.",
             "# Format: touchpoint_id: [phrase, ...]",
             ""]
    lines += [f"{tp}: {json.dumps(words, ensure_ascii=False)}" for tp, words in phrases(journey_id).items()]
    return "\n".join(lines) + "\n"


def _mood(journey: jm.Journey) -> dict[str, tuple[float, float, float]]:
    """Touchpoint id -> (satisfaction drive s, effort, pain load) from the journey's own values."""
    out = {}
    for tp in journey.touchpoints:
        pain = sum(pp.severity * pp.frequency for pp in tp.pain_points)
        effort = float(tp.effort) if tp.effort is not None else 3.0
        out[tp.id] = (0.6 * tp.emotion - 0.35 * (effort - 3.0) - 0.3 * pain, effort, pain)
    return out


def _tone(csat: float) -> str:
    return "neg" if csat <= 2 else "pos" if csat >= 4 else "neu"


def _sentence(rng: np.random.Generator, lang: str, tone: str, phrase: str) -> str:
    text = str(rng.choice(TEMPLATES[lang][tone]))
    return text.format(p=phrase, P=phrase[:1].upper() + phrase[1:])


def _pick_phrase(rng: np.random.Generator, journey_id: str, tp: str, lang: str) -> str:
    return str(rng.choice(KEYWORDS[journey_id][tp][lang]))


def _seed(journey_id: str, part: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(f"{journey_id}/{part}".encode())])


def survey(journey: jm.Journey) -> pd.DataFrame:
    rng = _seed(journey.id, "survey")
    mood = _mood(journey)
    home = journey.lang
    away = "en" if home == "es" else "es"
    tps = [tp.id for tp in journey.touchpoints]
    stage_of = {tp.id: tp.stage for tp in journey.touchpoints}
    stages = [s.id for s in journey.stages if any(stage_of[t] == s.id for t in tps)]
    steps = [("tp", t) for t in tps] + [("stage", s) for s in stages]
    weight = np.concatenate([rng.uniform(0.4, 1.6, len(tps)), rng.uniform(0.15, 0.35, len(stages))])
    weight[rng.choice(len(tps), size=3, replace=False)] = 0.12  # three rarely answered touchpoints: n < 30
    weight /= weight.sum()
    rows = []
    for r in range(int(rng.integers(220, 400))):
        lang = home if rng.random() < 0.72 else away
        date = str(START + np.timedelta64(int(rng.integers(0, DAYS)), "D"))
        segment = str(rng.choice(SEGMENTS, p=[0.3, 0.5, 0.2]))
        bias = rng.normal(0.0, 0.5)
        k = int(rng.choice([1, 2, 3, 4], p=[0.3, 0.3, 0.25, 0.15]))
        for i in sorted(rng.choice(len(steps), size=k, replace=False, p=weight)):
            kind, step = steps[i]
            members = [step] if kind == "tp" else [t for t in tps if stage_of[t] == step]
            s, effort, pain = (float(np.mean([mood[t][j] for t in members])) for j in range(3))
            csat = int(np.clip(np.rint(3.6 + 0.55 * s + bias + rng.normal(0, 0.7)), 1, 5))
            ces = int(np.clip(np.rint(effort + 0.4 * pain - 0.4 * bias + rng.normal(0, 0.9)), 1, 7))
            nps = int(np.clip(np.rint(7.2 + 1.1 * s + 1.5 * bias + rng.normal(0, 1.3)), 0, 10))
            answers = [None if rng.random() < 0.04 else v for v in (nps, csat, ces)]
            comment = ""
            if rng.random() < 0.3:
                about = step if kind == "tp" else str(rng.choice(members))
                comment = _sentence(rng, lang, _tone(csat), _pick_phrase(rng, journey.id, about, lang))
            rows.append({"respondent": f"r{r + 1:04d}", "touchpoint": step if kind == "tp" else "",
                         "stage": step if kind == "stage" else "", "nps": answers[0], "csat": answers[1],
                         "ces": answers[2], "comment": comment, "date": date, "segment": segment, "lang": lang})
    frame = pd.DataFrame(rows)
    for col in ("nps", "csat", "ces"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _quote(rng: np.random.Generator, journey_id: str, mood: dict, weight: np.ndarray, lang: str, source: str) -> str:
    """One review / transcript / post in ``lang`` about 0-2 touchpoints (drawn by ``weight``)."""
    tps = list(mood)
    n_about = int(rng.choice([0, 1, 2], p=[0.1, 0.75, 0.15]))
    parts, tones = [], []
    for i in sorted(rng.choice(len(tps), size=n_about, replace=False, p=weight)):
        p_neg = 1.0 / (1.0 + np.exp(1.6 * mood[tps[i]][0] + 0.3))
        tone = "neg" if rng.random() < p_neg else str(rng.choice(["pos", "neu"], p=[0.8, 0.2]))
        tones.append(tone)
        parts.append(_sentence(rng, lang, tone, _pick_phrase(rng, journey_id, tps[i], lang)))
    if not parts:
        parts, tones = [str(rng.choice(GENERIC[lang]))], ["neu"]
    overall = tones[-1]
    body = " ".join(p for p in [*parts, str(rng.choice(CLOSERS[lang][overall]))] if p)
    if source == "call transcript":
        return f"{'Customer' if lang == 'en' else 'Cliente'}: {body} {AGENT[lang][overall]}"
    if source == "chat log":
        hour, minute = int(rng.integers(8, 22)), int(rng.integers(0, 60))
        return f"[{hour:02d}:{minute:02d}] {'customer' if lang == 'en' else 'cliente'}: {body}"
    if source == "social post":
        return f"@{BRAND[journey_id]} {body}"
    return body


def quotes(journey: jm.Journey) -> pd.DataFrame:
    rng = _seed(journey.id, "quotes")
    mood = _mood(journey)
    away = "en" if journey.lang == "es" else "es"
    drive = np.array([v[0] for v in mood.values()])
    weight = 1.0 + np.clip(-drive, 0, None)  # people write more about what hurts
    weight /= weight.sum()
    rows, seen = [], set()
    for q in range(int(rng.integers(24, 49))):
        lang = journey.lang if rng.random() < 0.65 else away
        source = str(rng.choice(SOURCES, p=[0.25, 0.25, 0.2, 0.15, 0.15]))
        date = str(START + np.timedelta64(int(rng.integers(0, DAYS)), "D"))
        text = _quote(rng, journey.id, mood, weight, lang, source)
        while text in seen:  # no two identical texts (a reader sets repeats aside)
            text = _quote(rng, journey.id, mood, weight, lang, source)
        seen.add(text)
        rows.append({"id": f"q{q + 1:03d}", "text": text, "source": source, "date": date, "lang": lang})
    return pd.DataFrame(rows)


def _csv(frame: pd.DataFrame, path: Path) -> None:
    path.write_text(csv_frame(frame).to_csv(index=False, lineterminator="\n"), encoding="utf-8", newline="")


def write(out: Path, only: list[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source in jm.shipped_journeys():
        if only and source.stem not in only:
            continue
        journey = jm.load(source)
        missing = sorted({tp.id for tp in journey.touchpoints} ^ set(KEYWORDS[journey.id]))
        if missing:
            raise SystemExit(f"{journey.id}: KEYWORDS and the journey's touchpoints differ: {', '.join(missing)}")
        path = out / f"{journey.id}_keywords.yaml"
        path.write_text(keywords_yaml(journey.id), encoding="utf-8", newline="")
        written.append(path)
        for kind, frame in (("survey", survey(journey)), ("quotes", quotes(journey))):
            path = out / f"{journey.id}_{kind}.csv"
            _csv(frame, path)
            written.append(path)
    return written


def check(only: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = write(Path(tmp), only)
        bad = [p.name for p in fresh if not (OUT / p.name).is_file() or not filecmp.cmp(p, OUT / p.name, shallow=False)]
    if bad:
        print("out of date (run python tools/make_evidence.py): " + ", ".join(bad), file=sys.stderr)
        return 1
    print("data/evidence is up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh run with the shipped files")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default data/evidence)")
    parser.add_argument("--only", action="append", help="journey id (repeatable; default: all)")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.only)
    for path in write(args.out, args.only):
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"wrote {shown} ({path.stat().st_size / 1024:.1f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
