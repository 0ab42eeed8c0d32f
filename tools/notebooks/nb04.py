"""Source of the teaching notebook 04, in English and Spanish (same code, two narratives)."""

from nbtools import code, md, write

CHECK = "# NBVAL_CHECK_OUTPUT\n"

T = {
    "title": {
        "en": """# Multichannel vs omnichannel: the same journey, measured twice

**For students.** A brand can be on many channels and still make customers start again at every step. This
notebook makes the difference between *multichannel* and *omnichannel* measurable.

- **Multichannel**: many channels, each run on its own. The customer's history in one channel is unknown in
  the next; someone who writes by email and then by WhatsApp is treated as two different people and has to
  repeat themselves. The focus is the brand and its channels.
- **Omnichannel**: the same channels, *integrated*. The customer is recognised everywhere and the context
  travels with them: the cart from the phone is on the laptop, the store sees the online order. The focus is
  the customer's journey. **The aim is to remove effort, not to add channels.**

We take one journey — Lucía buys a coat online, picks it up in a store and returns it there — mapped twice:
as her retailer runs it today (multichannel) and as it could run (omnichannel). Same touchpoints, same
channels. Run each cell with **Shift + Enter**.

*(Versión en español: `04_multicanal_vs_omnicanal.ipynb`.)*""",
        "es": """# Multicanal vs omnicanal: el mismo recorrido, medido dos veces

**Para estudiantes.** Una marca puede estar en muchos canales y aun así obligar al cliente a empezar de cero
en cada paso. Este cuaderno convierte en números la diferencia entre *multicanal* y *omnicanal*.

- **Multicanal**: muchos canales, cada uno gestionado por su cuenta. El historial del cliente en un canal no
  se conoce en el siguiente; quien escribe por correo y luego por WhatsApp es tratado como dos personas
  distintas y tiene que repetirse. El foco está en la marca y sus canales.
- **Omnicanal**: los mismos canales, *integrados*. Se reconoce al cliente en todos y el contexto viaja con él:
  el carrito del móvil aparece en el portátil, la tienda ve el pedido online. El foco está en el recorrido del
  cliente. **El objetivo es eliminar esfuerzo, no añadir canales.**

Tomamos un recorrido —Lucía compra un abrigo online, lo recoge en tienda y lo devuelve allí— mapeado dos
veces: como lo gestiona hoy su tienda (multicanal) y como podría gestionarse (omnicanal). Mismos puntos de
contacto, mismos canales. Ejecuta cada celda con **Mayús + Intro**.

*(English version: `04_multichannel_vs_omnichannel.ipynb`.)*""",
    },
    "same": {
        "en": """## 1. Same touchpoints, same channels

First, check that the two maps really are the same journey: the same touchpoints on the same channels.""",
        "es": """## 1. Mismos puntos de contacto, mismos canales

Primero comprobamos que los dos mapas son de verdad el mismo recorrido: los mismos puntos de contacto en los
mismos canales.""",
    },
    "switches": {
        "en": """## 2. What differs: the channel switches

Every time Lucía moves from one channel to another there is a **handoff**. Does her context travel with her
(`none` / `partial` / `full`)? Is she recognised on arrival?""",
        "es": """## 2. Lo que cambia: los cambios de canal

Cada vez que Lucía pasa de un canal a otro hay un **traspaso entre canales**. ¿Viaja su contexto con ella
(`none` ninguno / `partial` parcial / `full` completo)? ¿La reconocen al llegar?""",
    },
    "compare": {
        "en": """## 3. The numbers

`jm.compare(a, b)` scores both journeys with the same weights. **Friction** runs from 0 (smooth) to 100; the
**continuity index** is the share of channel switches that carry context; **expected conversion** is the share
of customers who reach the purchase.""",
        "es": """## 3. Los números

`jm.compare(a, b)` puntúa los dos recorridos con los mismos pesos. La **fricción** va de 0 (sin obstáculos) a
100; el **índice de continuidad** es la proporción de cambios de canal que conservan el contexto; la
**conversión esperada** es la proporción de clientes que llegan a la compra.""",
    },
    "stages": {
        "en": """## 4. Where the difference comes from

By stage (`delta` = omnichannel − multichannel; negative is better):""",
        "es": """## 4. De dónde viene la diferencia

Por etapa (`delta` = omnicanal − multicanal; negativo es mejor):""",
    },
    "card": {
        "en": """## 5. The four components of an omnichannel strategy

**Channel integration** (context carried), **data** (customer recognised: a single customer view),
**personalisation** and **brand coherence**, each 0–100, plus how often a customer has to repeat their
information.""",
        "es": """## 5. Los cuatro componentes de una estrategia omnicanal

**Integración de canales** (contexto que viaja), **datos** (cliente reconocido: visión única del cliente),
**personalización** y **coherencia de marca**, cada uno de 0 a 100, y cuántas veces tiene que repetir sus
datos un cliente.""",
    },
    "whatif": {
        "en": """## 6. Is it the channels or the integration?

Take the *multichannel* journey and change **only** the handoffs: carry the context and recognise Lucía at
every channel switch — no new channel, no other fix. How much of the gap closes?""",
        "es": """## 6. ¿Son los canales o la integración?

Tomamos el recorrido *multicanal* y cambiamos **solo** los traspasos: el contexto viaja y se reconoce a Lucía
en cada cambio de canal —ningún canal nuevo, ninguna otra mejora—. ¿Cuánto de la diferencia se cierra?""",
    },
    "whatif_after": {
        "en": """Integration alone removes a large part of the friction — without adding a single channel. The rest of the
gap comes from the pain points the omnichannel design also removed (live stock, one order system, instant
refunds) and from the better conversion at each step.""",
        "es": """Solo con integrar se elimina gran parte de la fricción, sin añadir un solo canal. El resto de la
diferencia viene de los puntos de dolor que el diseño omnicanal también elimina (stock en tiempo real, un
único sistema de pedidos, reembolsos inmediatos) y de la mejor conversión en cada paso.""",
    },
    "ex1": {
        "en": """## Exercises

**Exercise 1 — which handoff first?** A retailer cannot integrate everything at once. The cell below
integrates one channel switch at a time and ranks them by the friction removed. Which switch would you fix
first, and why is it not simply the one with the worst penalty? *(Hint: look at the `flow` — how many
customers make that switch.)*""",
        "es": """## Ejercicios

**Ejercicio 1 — ¿qué traspaso primero?** Una tienda no puede integrarlo todo a la vez. La celda de abajo
integra un cambio de canal cada vez y los ordena por la fricción que eliminan. ¿Cuál arreglarías primero y por
qué no es simplemente el que tiene la peor penalización? *(Pista: mira el `flow`: cuántos clientes hacen ese
cambio.)*""",
    },
    "ex2": {
        "en": """**Exercise 2 — do the weights decide the winner?** Set the handoff weight to 0 (channel switches cost
nothing) and score both journeys again. Does omnichannel still win? What does that tell you about *where*
its advantage comes from? Try other weights in the dictionary.""",
        "es": """**Ejercicio 2 — ¿deciden los pesos el ganador?** Pon el peso del traspaso a 0 (cambiar de canal no
cuesta nada) y puntúa de nuevo los dos recorridos. ¿Sigue ganando el omnicanal? ¿Qué te dice eso sobre *de
dónde* viene su ventaja? Prueba otros pesos en el diccionario.""",
    },
    "ex3": {
        "en": """**Exercise 3 — your sector.** Pick another shipped journey (`jm.shipped_journeys()`: a bank, a hotel, a
telecom helpline, a health service) and run the same what-if: carry context and recognise the customer at
every switch. In which sector does integration remove most friction? Change `NAME` below.""",
        "es": """**Ejercicio 3 — tu sector.** Elige otro recorrido incluido (`jm.shipped_journeys()`: un banco, un
hotel, una línea de soporte de telecomunicaciones, un servicio de salud) y haz el mismo análisis: el contexto
viaja y se reconoce al cliente en cada cambio de canal. ¿En qué sector elimina más fricción la integración?
Cambia `NAME` abajo.""",
    },
    "explore": {
        "en": """**Explore.** Below, the multichannel journey in the friction explorer: tick *carry context* and
*recognise* on the switches you would integrate first, or fix pain points, and watch friction and expected
conversion move.""",
        "es": """**Explora.** Abajo, el recorrido multicanal en el explorador de fricción: marca *carry context*
(el contexto viaja) y *recognise* (reconocer al cliente) en los cambios de canal que integrarías primero, o
arregla puntos de dolor, y observa cómo cambian la fricción y la conversión esperada.""",
    },
    "end": {
        "en": """## Take-aways

- The difference between multichannel and omnichannel is **not the number of channels** — both journeys use
  the same nine — but **how the relationship is managed across them**.
- Measured, it shows up as lower friction, a higher continuity index, fewer repeats and more customers who
  get to the purchase.
- Every number here can be explained: try `jm.score(omni).explain("checkout")`.""",
        "es": """## Para recordar

- La diferencia entre multicanal y omnicanal **no es el número de canales** —los dos recorridos usan los
  mismos nueve— sino **cómo se gestiona la relación a través de ellos**.
- Medida, se ve como menos fricción, un índice de continuidad más alto, menos repeticiones y más clientes que
  llegan a la compra.
- Cada número se puede explicar: prueba `jm.score(omni).explain("checkout")`.""",
    },
}


def cells(lang: str) -> list:
    return [
        md(T["title"][lang]),
        code(f'''LANG = "{lang}"  # "en" or "es": language of the labels below

import pandas as pd

import journeymap as jm

multi = jm.load(jm.shipped_journey("retail_bopis_multichannel"))
omni = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
print(multi.title)
print(omni.title)'''),
        md(T["same"][lang]),
        code(CHECK + '''same_steps = [t.id for t in multi.touchpoints] == [t.id for t in omni.touchpoints]
same_channels = [t.channel for t in multi.touchpoints] == [t.channel for t in omni.touchpoints]
print(same_steps, same_channels, len(multi.touchpoints), len({t.channel for t in multi.touchpoints}))'''),
        md(T["switches"][lang]),
        code(CHECK + '''def switches(journey):
    return pd.DataFrame([{"switch": t.key, "context": t.context, "recognised": t.recognised}
                         for t in jm.cross_channel_transitions(journey)]).set_index("switch")


from journeymap.i18n import t

pd.concat({t("multichannel", LANG): switches(multi), t("omnichannel", LANG): switches(omni)}, axis=1).head(8)'''),
        md(T["compare"][lang]),
        code(CHECK + '''comparison = jm.compare(multi, omni)
print(comparison.summary())'''),
        md(T["stages"][lang]),
        code(CHECK + '''comparison.by_stage.round(1)'''),
        code('''import matplotlib.pyplot as plt

stages = comparison.by_stage
x = range(len(stages))
fig, ax = plt.subplots(figsize=(9, 3.8))
ax.bar([i - 0.2 for i in x], stages["a"], width=0.4, color="#D55E00", label=t("multichannel", LANG))
ax.bar([i + 0.2 for i in x], stages["b"], width=0.4, color="#0072B2", label=t("omnichannel", LANG))
ax.set_xticks(list(x), [name.replace(" & ", " &\\n") for name in stages["name"]])
ax.set_ylabel(f"{t('friction', LANG)} (0–100)")
ax.legend(frameon=False)
fig.tight_layout()
plt.show()'''),
        md(T["card"][lang]),
        code(CHECK + '''comparison.totals.round(2)'''),
        md(T["whatif"][lang]),
        code(CHECK + '''integrated, result = jm.what_if(multi, carry_context="all", recognise="all")
gap = comparison.totals.loc["friction", "a"] - comparison.totals.loc["friction", "b"]
closed = -result.totals.loc["friction", "delta"]
print(result.summary())
print(f"gap closed by integration alone: {closed:.1f} of {gap:.1f} points ({closed / gap:.0%})")'''),
        md(T["whatif_after"][lang]),
        md(T["ex1"][lang]),
        code(CHECK + '''report = jm.score(multi)
rows = []
for switch in jm.cross_channel_transitions(multi):
    _, c = jm.what_if(multi, carry_context=[switch.key], recognise=[switch.key])
    rows.append({"switch": switch.key, "flow": report.by_transition.loc[switch.key, "flow"],
                 "friction removed": -c.totals.loc["friction", "delta"]})
pd.DataFrame(rows).set_index("switch").sort_values("friction removed", ascending=False).head(5).round(2)'''),
        md(T["ex2"][lang]),
        code(CHECK + '''weights = {"effort": 0.30, "emotion": 0.20, "pain": 0.25, "wait": 0.10, "handoff": 0.0}
no_handoff = jm.compare(multi, omni, weights=weights)
print(no_handoff.summary())'''),
        md(T["ex3"][lang]),
        code(CHECK + '''NAME = "bank_account_opening"

journey = jm.load(jm.shipped_journey(NAME))
_, c = jm.what_if(journey, carry_context="all", recognise="all")
print(c.summary())'''),
        md(T["explore"][lang]),
        code('''jm.widgets.FrictionExplorer(multi, lang=LANG)'''),
        md(T["end"][lang]),
    ]


write(cells("en"), "04_multichannel_vs_omnichannel.ipynb")
write(cells("es"), "04_multicanal_vs_omnicanal.ipynb")
