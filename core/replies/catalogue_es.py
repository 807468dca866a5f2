"""Spanish: every shopper word of the English catalogue (core.replies.messages.EN), with "usted".

Same keys and placeholders as English (tests/unit/conversation/test_catalogues.py checks).
Dates read the Spanish way: "jue 5 de nov" and "jue 5 de nov, 14:30".
"""

from __future__ import annotations

ES: dict[str, str] = {
    # Greeting, help, small talk
    "greeting": "¡Hola{name}! Soy el asistente de pedidos de {shop}. Puedo decirle dónde está su "
    "pedido, escribirle cuando avance y ayudarle con las devoluciones.",
    "greeting.unverified": "Para empezar, envíeme su número de pedido (lo encontrará en el "
    "correo de confirmación de su pedido).",
    "greeting.verified": "Pregúnteme «¿Dónde está mi pedido?» o toque un botón de abajo.",
    "help": "Esto es lo que puedo hacer:\n"
    "• «¿Dónde está mi pedido 1001?»: estado, ubicación, entrega prevista y enlace de "
    "seguimiento\n"
    "• «Mis pedidos»: sus pedidos recientes\n"
    "• «Seguir 1001» / «No más avisos»: mensajes cuando su pedido avance, o ninguno\n"
    "• «Devolver 1001» / «¿Dónde está mi reembolso?»: iniciar una devolución, o ver cómo va\n"
    "• «1001 llegó dañado», «dice entregado pero no ha llegado», «cancelar 1001»: cuénteme qué "
    "ha fallado o qué debe cambiar y se lo pasaré a nuestro equipo\n"
    "• «Hablar con una persona»: contactar con nuestro equipo",
    "thanks": "¡De nada! Escríbame cuando quiera.",
    "bye": "¡Hasta pronto! Aquí estaré cuando me necesite.",
    "unknown": "Perdone, no le he entendido bien. Pruebe con «¿Dónde está mi pedido 1001?», "
    "«Mis pedidos» o «Ayuda».",
    "cancelled": "De acuerdo, lo dejamos aquí. ¿Puedo ayudarle en algo más?",
    # Verification
    "verify.ask_order_number": "¡Claro! ¿Cuál es su número de pedido? Lo encontrará en el "
    "correo de confirmación de su pedido.",
    "verify.ask_secret": "Gracias. Para proteger su pedido, indíqueme el correo electrónico o el "
    "código postal que usó en el pedido {number}.",
    "verify.ask_secret_again": "Necesito el correo electrónico o el código postal que usó en el "
    "pedido {number} (por ejemplo jane@example.com o 28013). O diga «cancelar».",
    "verify.need_order_number": "Necesito su número de pedido para encontrarlo; está en el "
    "correo de confirmación de su pedido. O diga «cancelar».",
    "verify.failed": "Lo siento, no he podido relacionar ese número de pedido con ese correo "
    "electrónico o código postal. Compruebe ambos y vuelva a enviarme el número de pedido.",
    "verify.locked": "Demasiados intentos. Por su seguridad, inténtelo de nuevo más tarde "
    "(dentro de unos {minutes} minutos).",
    "verify.postcode_locked": "Por su seguridad, ahora mismo no puedo comprobar códigos postales "
    "para el pedido {number} (demasiados intentos; inténtelo de nuevo dentro de unos {minutes} "
    "minutos). Envíeme en su lugar el correo electrónico que usó en el pedido, o abra el enlace "
    "del correo de su pedido.",
    "verify.ok": "Gracias, ¡es usted! Ya puede preguntarme por cualquiera de sus pedidos.",
    "verify.other_customer": "No encuentro el pedido {number} entre sus pedidos. Si lo hizo con "
    "otro correo electrónico, indíqueme esa dirección o el código postal del pedido.",
    "link.invalid": "Lo siento, este enlace no funciona. Use el enlace de nuestro último correo "
    "o envíeme su número de pedido.",
    "link.expired": "Este enlace ha caducado. Envíeme su número de pedido y lo comprobaré de "
    "otra forma.",
    "link.used": "Este enlace ya se ha usado. Envíeme su número de pedido y lo comprobaré de "
    "otra forma.",
    # The tracking page
    "page.title": "Pedido {number} · {shop}",
    "page.invalid.title": "Este enlace de seguimiento no funciona",
    "page.invalid": "Use el enlace del último correo de {shop}.",
    "page.expired.title": "Este enlace de seguimiento ha caducado",
    "page.expired": "Use el enlace del último correo de {shop}, o pregúntenos por su pedido en "
    "Telegram.",
    "page.returns_open": "Puede devolver artículos hasta el {day}.",
    "page.returns_closed": "El plazo de devolución terminó el {day}.",
    "page.returns_after_delivery": "Puede devolver artículos durante {days} días después de la "
    "entrega.",
    "page.returns": "Devoluciones",
    "page.telegram": "Continuar en Telegram",
    "page.telegram_hint": "Pregunte por este pedido y reciba un mensaje cuando avance.",
    "page.updated": "Actualizado {moment}",
    "app.title": "Sus pedidos · {shop}",
    "app.loading": "Cargando sus pedidos…",
    "app.none.title": "Todavía no hay pedidos que mostrar",
    "app.none": "Cuando haya dado al bot su número de pedido y su correo electrónico (o código "
    "postal), sus pedidos aparecerán aquí.",
    "app.refused.title": "Esta página se abre desde el bot",
    "app.refused": "Ábrala con el botón Detalles de su chat con nosotros.",
    "button.details": "Detalles",
    "details.link": "Todo sobre el pedido {number} en una sola página: {url}",
    # Orders
    "orders.title": "Sus pedidos",
    "orders.none": "Todavía no encuentro ningún pedido suyo.",
    "orders.pick": "Tiene varios pedidos en camino. ¿A cuál se refiere?",
    "orders.more": "Estos son sus {shown} pedidos más recientes.",
    "orders.line": "{number} · {status} · realizado {placed}",
    "order.title": "Pedido {number}",
    "live.updated": "Estado en directo · actualizado {when}",
    "order.parcels": "{count} paquetes: {summary}.",
    "order.parcel_title": "Paquete {index} de {count}",
    "order.no_parcels": "Todavía no se ha enviado nada.",
    "order.items_more": "{items} y {more} más",
    # Following
    "follow.on": "¡Hecho! Le escribiré aquí cuando el pedido {number} avance.",
    "follow.already": "Ya sigue el pedido {number}; le escribiré cuando avance.",
    "follow.finished": "El pedido {number} ya ha llegado, así que no queda nada que seguir.",
    "follow.pushes_off": "Los avisos están desactivados para este chat. Vuelva a activarlos "
    "para saber del pedido {number}.",
    "follow.pick": "¿Sobre qué pedido quiere que le mantenga informado?",
    "unfollow.off": "De acuerdo, no más avisos sobre el pedido {number}.",
    "unfollow.not_following": "No seguía el pedido {number}, así que no cambia nada.",
    "pushes.stopped": "Avisos desactivados: no le escribiré a menos que usted me escriba "
    "primero. Puede volver a activarlos cuando quiera.",
    "pushes.started": "Avisos activados: le escribiré aquí cuando sus pedidos avancen.",
    "pushes.started_unverified": "Avisos activados. Envíeme su número de pedido para saber qué "
    "pedidos seguir.",
    # Returns and people
    "return.pick": "¿De qué pedido quiere devolver algo?",
    "return.contact": "Para devolver algo del pedido {number}, póngase en contacto con {shop}"
    "{contact}.",
    "return.contact_any": "Para devolver algo, póngase en contacto con {shop}{contact}.",
    "human.contact": "Para hablar con una persona, póngase en contacto con {shop}{contact}.",
    "contact.via": " en {contact}",
    "contact.fallback": " con los datos de contacto del correo de confirmación de su pedido",
    "contact.hours": " ({days}, {hours})",
    # Buttons
    "button.refresh": "Actualizar",
    "button.follow": "Recibir avisos",
    "button.unfollow": "No más avisos",
    "button.return": "Iniciar una devolución",
    "button.human": "Hablar con una persona",
    "button.orders": "Mis pedidos",
    "button.help": "Ayuda",
    "button.track": "Pedido {number}",
    "button.start_pushes": "Activar avisos",
    "button.cancel": "Cancelar",
    "button.track_order": "Seguir el envío",
    # Field labels
    "field.status": "Estado",
    "field.carrier": "Transportista",
    "field.tracking_number": "Número de seguimiento",
    "field.tracking_link": "Seguimiento",
    "field.location": "Última ubicación",
    "field.pickup": "Recogida en",
    "field.eta": "Entrega prevista",
    "field.eta_promised": "Entrega prevista antes del",
    "field.eta_usual": "Suele llegar",
    "eta.predicted": "Suele llegar entre el {first} y el {last}",
    "eta.predicted_day": "Suele llegar {day}",
    "field.delivered": "Entregado",
    "field.items": "Artículos",
    "field.placed": "Realizado",
    "timeline.title": "Historial",
    # Shipment statuses
    "shipment.pending": "En preparación",
    "shipment.pending.text": "Lo estamos empaquetando; el transportista aún no lo ha recogido.",
    "shipment.info_received": "Etiqueta creada",
    "shipment.info_received.text": "El transportista tiene los datos y lo recogerá pronto.",
    "shipment.in_transit": "En camino",
    "shipment.in_transit.text": "Está con el transportista y en camino hacia usted.",
    "shipment.out_for_delivery": "En reparto",
    "shipment.out_for_delivery.text": "Está en reparto y debería llegar hoy.",
    "shipment.out_for_delivery.earlier": "Salió a reparto {since} y todavía no ha llegado; la "
    "próxima actualización del transportista dirá cuándo llega.",
    "shipment.out_for_delivery.undated": "Está en reparto.",
    "shipment.failed_attempt": "Intento de entrega",
    "shipment.failed_attempt.text": "El transportista intentó entregarlo pero no pudo; suele "
    "volver a intentarlo el siguiente día laborable.",
    "shipment.available_for_pickup": "Listo para recoger",
    "shipment.available_for_pickup.text": "Le espera en el punto de recogida.",
    "shipment.delivered": "Entregado",
    "shipment.delivered.text": "Se ha entregado.",
    "shipment.exception": "Con retraso",
    "shipment.exception.text": "Está tardando más de lo previsto. Lo estamos revisando y le "
    "mantendremos informado.",
    "shipment.expired": "A la espera de novedades",
    "shipment.expired.text": "Hace tiempo que no recibimos novedades del seguimiento. Lo estamos "
    "consultando con el transportista.",
    # Order lifecycle
    "order.placed": "Pedido recibido",
    "order.placed.text": "Hemos recibido su pedido y empezaremos a prepararlo en breve.",
    "order.processing": "En preparación",
    "order.processing.text": "Estamos preparando su pedido para enviarlo.",
    "order.partially_shipped": "Enviado en parte",
    "order.partially_shipped.text": "Parte de su pedido está en camino; el resto llegará después.",
    "order.shipped": "Enviado",
    "order.shipped.text": "Su pedido está en camino.",
    "order.delivered": "Entregado",
    "order.delivered.text": "Su pedido se ha entregado.",
    "order.cancelled": "Cancelado",
    "order.cancelled.text": "Este pedido se canceló.",
    "order.return_requested": "Devolución solicitada",
    "order.return_requested.text": "Hemos recibido su solicitud de devolución.",
    "order.returned": "Devuelto",
    "order.returned.text": "Hemos recibido su devolución.",
    # Dates
    "date.day": "{weekday} {day} de {month}",
    "date.day_year": "{weekday} {day} de {month} de {year}",
    "date.moment": "{weekday} {day} de {month}, {time}",
    "date.moment_zone": "{moment} ({zone})",
    "date.today": "hoy",
    "date.tomorrow": "mañana",
    "date.on_day": "el {day}",
    "date.weekdays": "lun mar mié jue vie sáb dom",
    "date.months": "ene feb mar abr may jun jul ago sept oct nov dic",
    # The return conversation
    "return.need_verify": "Para iniciar una devolución, primero tengo que comprobar que el "
    "pedido es suyo. Envíeme su número de pedido.",
    "return.no_orders": "Todavía no encuentro ningún pedido suyo, así que no hay nada que "
    "devolver.",
    "return.not_yours": "No encuentro el pedido {number} entre sus pedidos.",
    "return.none_delivered": "Todavía no se ha entregado ninguno de sus pedidos, así que aún no "
    "hay nada que devolver. Cuando llegue un pedido, podrá devolver artículos en un plazo de "
    "{days} días.",
    "return.pick_order": "¿De qué pedido quiere devolver algo?",
    "return.disabled": "En este chat no se pueden iniciar devoluciones. Toque «Hablar con una "
    "persona» y nuestro equipo le ayudará.",
    "return.cancelled_order": "El pedido {number} se canceló, así que no hay nada que devolver.",
    "return.not_delivered": "El pedido {number} todavía no se ha entregado, así que no se puede "
    "devolver. Cuando llegue, tendrá {days} días para devolver artículos.",
    "return.window_closed": "El pedido {number} se entregó el {delivered}. Las devoluciones se "
    "aceptan durante {days} días después de la entrega, así que el plazo terminó el {deadline}. "
    "Si algún artículo tiene un problema, toque «Hablar con una persona».",
    "return.nothing_returnable": "No se puede devolver nada del pedido {number}:",
    "return.item.final_sale": "{name} se vendió sin derecho a devolución.",
    "return.item.in_return": "{name} ya forma parte de una solicitud de devolución.",
    "return.item.returned": "{name} ya se ha devuelto.",
    "return.item.only_available": "solo se pueden devolver {available} × {name}.",
    "return.pick_items.title": "Devolución del pedido {number}",
    "return.pick_items": "¿Qué artículos quiere devolver? Toque un artículo para seleccionarlo "
    "y después toque Continuar. Puede devolver artículos hasta el {deadline}.",
    "return.pick_items.none": "Seleccione al menos un artículo primero.",
    "return.pick_reason.one": "¿Por qué lo devuelve?",
    "return.pick_reason.many": "¿Por qué los devuelve?",
    "return.ask_comment": "¿Quiere añadir algo? Escriba un mensaje breve o toque Omitir.",
    "return.comment_too_long": "Es un poco largo: no supere los {limit} caracteres, por favor.",
    "return.confirm.title": "Su solicitud de devolución",
    "return.confirm": "Revísela y toque «Enviar solicitud».",
    "return.sent": "Hemos recibido su solicitud de devolución del pedido {number}. Nuestro "
    "equipo la revisará y le escribiré aquí con los siguientes pasos.",
    "return.withdrawn": "Su solicitud de devolución del pedido {number} se ha retirado.",
    "return.too_late_to_withdraw": "Esa solicitud de devolución ya no se puede retirar aquí "
    "(estado: {state}). Toque «Hablar con una persona» si necesita cambiarla.",
    "return.stopped": "De acuerdo, he detenido la devolución. No se ha enviado nada.",
    "return.stale": "Ese botón pertenece a una devolución ya enviada o detenida. Diga "
    "«devolver» para iniciar una nueva.",
    "return.bad_item": "Ese artículo no forma parte del pedido {number}. Elija entre los botones.",
    "return.changed": "Algo ha cambiado mientras tanto: {why}",
    "return.field.order": "Pedido",
    "return.field.items": "Artículos",
    "return.field.reason": "Motivo",
    "return.field.comment": "Comentario",
    "return.button.continue": "Continuar",
    "return.button.skip": "Omitir",
    "return.button.send": "Enviar solicitud",
    "return.button.cancel": "Cancelar",
    "return.button.withdraw": "Retirar solicitud",
    "return.button.human": "Hablar con una persona",
    "return.button.order": "Pedido {number}",
    "return.reason.too_small": "Demasiado pequeño",
    "return.reason.too_large": "Demasiado grande",
    "return.reason.defective": "Defectuoso o dañado",
    "return.reason.not_as_described": "No es como se describía",
    "return.reason.wrong_item": "Me enviaron otro artículo",
    "return.reason.changed_mind": "He cambiado de opinión",
    "return.reason.other": "Otro motivo",
    # Where a return stands, and the pushes after a staff step
    "return_state.requested": "Pendiente de decisión",
    "return_state.approved": "Aprobada: esperando el paquete",
    "return_state.declined": "Rechazada",
    "return_state.received": "Paquete recibido: reembolso pendiente",
    "return_state.refunded": "Reembolsada",
    "return_state.cancelled": "Cancelada por usted",
    "return_notice.approved.title": "Devolución aprobada: pedido {number}",
    "return_notice.approved": "Buenas noticias: su devolución está aprobada. Su código de "
    "devolución es {rma}.",
    "return_notice.field.items": "Artículos",
    "return_notice.label": "Imprima aquí su etiqueta de devolución: {url}, y escriba {rma} en el "
    "paquete.",
    "return_notice.address": "Escriba {rma} en el paquete y envíelo a: {address}",
    "return_notice.address_later": "Escriba {rma} en el paquete; le enviaremos la dirección de "
    "devolución en breve.",
    "return_notice.declined.title": "Devolución rechazada: pedido {number}",
    "return_notice.declined": "Lo sentimos, no podemos aceptar esta devolución.",
    "return_notice.declined_why": "Lo sentimos, no podemos aceptar esta devolución. {why}.",
    "return_notice.decline_note": "Una nota de nuestro equipo: {note}",
    "return_notice.decline_reason.final_sale": "El artículo se vendió sin derecho a devolución",
    "return_notice.decline_reason.return_period_ended": "El plazo de devolución ha terminado",
    "return_notice.decline_reason.other": "Otro",
    "return_notice.received.title": "Devolución recibida: pedido {number}",
    "return_notice.received": "Su paquete ya está con nosotros. Le haremos el reembolso en breve.",
    "return_notice.refunded.title": "Reembolso enviado: pedido {number}",
    "return_notice.refunded": "Su reembolso está en camino. Puede tardar unos días en aparecer "
    "en su cuenta.",
    "return_notice.state": "Su devolución del pedido {number}: {state}.",
    # Talking to a person
    "handoff.ask": "Claro, ¿qué quiere preguntar a nuestro equipo? Escríbalo en un solo mensaje "
    "y lo transmitiré{about}.",
    "handoff.about": " junto con el pedido {number}",
    "handoff.sent": "Gracias, he transmitido su mensaje a nuestro equipo. Alguien le responderá "
    "aquí mismo, en este chat.",
    "handoff.sent_offline": "Gracias, he transmitido su mensaje a nuestro equipo. Ahora mismo no "
    "está disponible y le responderá a partir de {when}. Mientras tanto, sigo aquí si me "
    "necesita.",
    "handoff.already_waiting": "Ya ha pedido hablar con una persona: nuestro equipo le "
    "responderá aquí lo antes posible.",
    "handoff.already_taken": "{agent}, de nuestro equipo, ya le está atendiendo: escriba aquí.",
    "handoff.cancel_taken": "{agent}, de nuestro equipo, sigue atendiéndole: escriba su mensaje. "
    "Cuando termine, {agent} le devolverá conmigo, el asistente de pedidos.",
    "handoff.someone": "Alguien",
    "handoff.cancelled": "De acuerdo, no transmitiré nada. ¿Puedo ayudarle en algo más?",
    "handoff.stale": "Ese botón ya no está activo.",
    "handoff.empty": "Escriba su pregunta en un mensaje (o toque Cancelar).",
    "handoff.text_only": "Solo puedo transmitir mensajes de texto a nuestro equipo: descríbalo "
    "con palabras, por favor.",
    "handoff_notice.taken": "{agent}, de {shop}, está aquí y le responderá en este chat.",
    "handoff_notice.back": "{agent} le ha devuelto a mí, el asistente de pedidos. Pregúnteme lo "
    "que quiera, o toque «Hablar con una persona» si vuelve a necesitar a nuestro equipo.",
    "handoff_notice.idle": "Hace rato que no hay actividad, así que vuelve a estar conmigo, el "
    "asistente de pedidos. Toque «Hablar con una persona» si vuelve a necesitar a nuestro "
    "equipo.",
    "handoff_notice.closed_waiting": "Nuestro equipo ha cerrado su solicitud. Si todavía "
    "necesita ayuda, toque «Hablar con una persona».",
    "handoff_notice.idle_waiting": "Lo sentimos, nadie de nuestro equipo pudo atender su "
    "mensaje a tiempo. Vuelve a estar conmigo, el asistente de pedidos; toque «Hablar con una "
    "persona» para intentarlo de nuevo.",
    # Shipment pushes
    "push.carrier_unknown": "el transportista",
    "push.shipped.title": "El pedido {number} está en camino",
    "push.shipped": "Su pedido se ha enviado con {carrier}.",
    "push.out_for_delivery.title": "El pedido {number} está en reparto",
    "push.out_for_delivery": "{carrier} le entrega su pedido hoy.",
    "push.failed_attempt.title": "Intento de entrega del pedido {number}",
    "push.failed_attempt": "{carrier} intentó entregar su pedido pero no pudo. Suele volver a "
    "intentarlo el siguiente día laborable; el enlace de seguimiento muestra sus opciones.",
    "push.available_for_pickup.title": "El pedido {number} está listo para recoger",
    "push.available_for_pickup": "Su pedido le espera en el punto de recogida.",
    "push.available_for_pickup.at": "Su pedido le espera en {place}.",
    "push.delivered.title": "El pedido {number} se ha entregado",
    "push.delivered": "{carrier} ha entregado su pedido{place}. ¡Que lo disfrute! Si algo no "
    "está bien, estamos aquí para ayudarle.",
    "push.delivered.place": " ({place})",
    "push.exception.title": "Un contratiempo con el pedido {number}",
    "push.exception": "{carrier} ha informado de un problema con la entrega{note}. La mayoría se "
    "resuelven solos; lo estamos vigilando.",
    "push.exception.note": ": {note}",
    "push.returned_to_sender.title": "El pedido {number} vuelve a {shop}",
    "push.returned_to_sender": "{carrier} está devolviendo su paquete a {shop}. Pulse «Hablar con "
    "una persona» para acordar una nueva entrega o un reembolso.",
    "push.eta_changed.title": "Nueva fecha de entrega para el pedido {number}",
    "push.eta_changed": "Su fecha de entrega ha cambiado: ahora se espera {eta}{was}.",
    "push.eta_changed.was": " (antes {was})",
    "push.field.tracking_number": "Número de seguimiento",
    "push.field.tracking_link": "Enlace de seguimiento",
    "push.field.eta": "Entrega prevista",
    # Flag notices
    "flag_notice.delayed": "Su pedido {number} va con retraso. Nos estamos ocupando y le "
    "mantendremos informado.",
    "flag_notice.late": "Su pedido {number} va con retraso. Nos estamos ocupando y le "
    "mantendremos informado.",
    "flag_notice.damaged": "Hemos registrado un problema con el estado de su pedido {number}. "
    "Nuestro equipo lo está revisando y se pondrá en contacto con usted.",
    "flag_notice.lost": "Estamos comprobando con el transportista dónde está el paquete del "
    "pedido {number}. Le informaremos en cuanto sepamos más.",
    "flag_notice.wrong_item": "Hemos registrado que el pedido {number} puede contener un "
    "artículo equivocado. Nuestro equipo se pondrá en contacto con usted.",
    "flag_notice.address_problem": "Puede haber un problema con la dirección de entrega del "
    "pedido {number}. Nuestro equipo se pondrá en contacto con usted.",
    "flag_notice.default": "Nuestro equipo está revisando su pedido {number} y le mantendrá "
    "informado.",
    # Problem reports, refunds, cancellations and address changes (core.conversation.problems)
    "problem.pick": "¿De qué pedido se trata?",
    "problem.no_orders": "Todavía no encuentro ningún pedido suyo. Si hizo el pedido con otro "
    "correo electrónico, envíeme el número de ese pedido.",
    "problem.latest_event": "Lo último de {carrier} ({moment}): {event}.",
    "problem.latest_event.where": "Lo último de {carrier} ({moment}, {location}): {event}.",
    "problem.no_events": "{carrier} todavía no ha enviado ningún escaneo de este paquete.",
    "problem.expected": "Entrega prevista: {day}.",
    "problem.no_window": "Ahora mismo no hay una fecha de entrega prevista.",
    "problem.not_shipped": "El pedido {number} todavía no se ha enviado ({status}).",
    "problem.told_team": "Se lo he pasado a nuestro equipo con los datos de arriba; le "
    "responderán aquí.",
    "problem.escalated": "Ya nos lo había comentado, así que he marcado su caso como urgente "
    "para nuestro equipo.",
    "problem.already_known": "Nuestro equipo ya lo estaba revisando; he añadido su aviso y lo he "
    "marcado como urgente.",
    "problem.items": "Artículos del pedido {number}: {items}.",
    "problem.items_named": "Ha mencionado: {items}.",
    "problem.photos_telegram": "Si puede, envíeme aquí fotos (del artículo y de la caja); las "
    "añadiré a su aviso para nuestro equipo.",
    "problem.photos_elsewhere": "Cuénteme en un mensaje lo que ve; lo añadiré a su aviso para "
    "nuestro equipo.",
    "problem.photo_added": "Gracias, he añadido la foto a su aviso ({count} hasta ahora).",
    "problem.details_added": "Gracias, lo he añadido a su aviso.",
    "problem.photo_without_report": "Gracias por la foto. Para añadirla a un aviso, dígame "
    "primero qué ha pasado, por ejemplo «el pedido 1001 llegó dañado».",
    "problem.damaged.intro": "Siento que el pedido {number} haya llegado dañado.",
    "problem.damaged.next": "Nuestro equipo le ofrecerá una sustitución o un reembolso. También "
    "puede iniciar una devolución ahora o hablar con una persona.",
    "problem.wrong_item.intro": "Lo siento: el pedido {number} no contenía lo que pidió.",
    "problem.wrong_item.next": "Quédese de momento con lo que recibió; nuestro equipo le "
    "enviará el artículo correcto o le organizará una devolución gratuita. También puede "
    "iniciar una devolución ahora o hablar con una persona.",
    "problem.missing_item.intro": "Siento que falte algo en el pedido {number}.",
    "problem.missing_item.next": "Nuestro equipo comprobará cómo se preparó su pedido y le "
    "enviará lo que falta o se lo reembolsará. A veces los paquetes de un mismo pedido llegan "
    "por separado: {parcels}.",
    "problem.missing_item.one_parcel": "este pedido se envió en un solo paquete",
    "problem.missing_item.parcels": "este pedido se envió en {count} paquetes ({delivered} "
    "entregados hasta ahora)",
    "problem.not_delivered_yet": "El pedido {number} todavía no consta como entregado, así que "
    "aún no le ha llegado: vuelva a decírmelo cuando haya llegado.",
    "problem.dnr.not_yet": "El pedido {number} todavía no consta como entregado, así que debería "
    "seguir de camino hacia usted.",
    "problem.dnr.delivered": "{carrier} indica que el paquete {tracking} se entregó el {moment}.",
    "problem.dnr.delivered_where": "{carrier} indica que el paquete {tracking} se entregó el "
    "{moment} ({location}).",
    "problem.dnr.proof": "La nota de entrega del transportista: {proof}",
    "problem.dnr.checks": "Mire junto a su puerta y en el lugar seguro que hubiera indicado, "
    "pregunte a sus vecinos y en la recepción o el buzón de su edificio. A veces un paquete "
    "consta como entregado unas horas antes de llegar de verdad.",
    "problem.dnr.wait": "Si el {moment} todavía no ha aparecido, nuestro equipo abrirá entonces "
    "un caso sin que tenga que volver a escribir; le responderán aquí.",
    "problem.delayed.next": "No tiene que hacer nada: un paquete con retraso suele llegar en "
    "pocos días. Toque Recibir avisos y le escribiré en cuanto avance.",
    "problem.stuck.next": "No hay ningún escaneo nuevo desde el {moment}. Nuestro equipo "
    "preguntará a {carrier} dónde está; toque Recibir avisos y le escribiré en cuanto avance.",
    "problem.delivery_attempted.next": "{carrier} suele volver a intentarlo el siguiente día "
    "laborable o deja el paquete en un punto de recogida cercano. Busque un aviso o un mensaje "
    "suyo; a menudo puede cambiar la entrega en su página de seguimiento.",
    "problem.returned_to_sender.next": "El paquete está volviendo a nosotros. Cuando llegue, "
    "nuestro equipo se lo volverá a enviar o le hará el reembolso, y antes comprobará su "
    "dirección con usted.",
    "problem.carrier_page": "La página del transportista: {url}",
    "problem.cancel.possible": "El pedido {number} todavía no se ha enviado ({status}), así que "
    "aún se puede cancelar. He pedido a nuestro equipo que lo cancele; se lo confirmarán aquí.",
    "problem.cancel.shipped": "El pedido {number} ya se ha enviado, así que ya no se puede "
    "cancelar. Cuando llegue, puede devolverlo con una devolución.",
    "problem.cancel.already": "El pedido {number} ya está cancelado.",
    "problem.cancel.finished": "El pedido {number} ya está cerrado (estado: {status}), así que "
    "no hay nada que cancelar.",
    "problem.address.possible": "El pedido {number} todavía no se ha enviado ({status}), así que "
    "la dirección de entrega aún se puede cambiar. He pedido a nuestro equipo que la cambie. "
    "Envíeme la nueva dirección en un solo mensaje y la añadiré a la solicitud.",
    "problem.address.shipped": "El pedido {number} ya se ha enviado, así que ya no podemos "
    "cambiar su dirección. Puede que {carrier} le permita desviar el paquete o elegir un "
    "punto de recogida en su página de seguimiento.",
    "problem.address.finished": "El pedido {number} ya está cerrado (estado: {status}), así que "
    "su dirección ya no puede cambiar.",
    "problem.refund.none": "Todavía no hay ninguna devolución del pedido {number}, así que no hay "
    "ningún reembolso en camino. ¿Quiere iniciar una devolución?",
    "problem.refund.none_any": "Todavía no tiene devoluciones con nosotros, así que no hay ningún "
    "reembolso en camino. ¿Quiere iniciar una devolución?",
    "problem.refund.title": "Su devolución del pedido {number}",
    "problem.refund.requested": "Solicitada",
    "problem.refund.approved": "Aprobada",
    "problem.refund.declined": "Rechazada",
    "problem.refund.received": "Recibida por nosotros",
    "problem.refund.refunded": "Reembolsada",
    "problem.refund.cancelled": "Retirada",
    "problem.refund.code": "Código de devolución",
    "problem.refund.next.requested": "Nuestro equipo todavía no ha decidido; tendrá noticias "
    "nuestras aquí en cuanto lo haga.",
    "problem.refund.next.approved": "Envíenos los artículos. El reembolso se hará en cuanto nos "
    "lleguen.",
    "problem.refund.next.received": "Sus artículos ya están con nosotros; estamos preparando el "
    "reembolso. He pedido a nuestro equipo que lo revise.",
    "problem.refund.next.refunded": "El reembolso se envió el {moment}. Según su banco, puede "
    "tardar unos días laborables en aparecer en su cuenta.",
    "problem.refund.next.declined": "Esta devolución se rechazó, así que no hay ningún reembolso "
    "en camino. Hable con una persona si quiere saber más.",
    "problem.refund.next.cancelled": "Esta devolución se retiró, así que no hay ningún reembolso "
    "en camino.",
    # Telegram
    "telegram.group_chat": "Solo hablo de pedidos en un chat privado, para que nadie más los "
    "vea. Toque abajo para escribirme directamente.",
    "telegram.group_chat_button": "Escribirme en privado",
    "telegram.stale_button": "Este botón ya no funciona. Envíeme un mensaje en su lugar.",
    "telegram.something_went_wrong": "Lo sentimos, algo ha fallado por nuestra parte. "
    "Inténtelo de nuevo en un momento.",
    "telegram.command.track": "¿Dónde está mi pedido?",
    "telegram.command.orders": "Mis pedidos",
    "telegram.command.help": "Lo que puedo hacer",
    "telegram.command.stop": "No más avisos",
    "telegram.command.cancel": "Cancelar lo que estamos haciendo",
}
