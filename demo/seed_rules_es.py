"""Demo house rules in Spanish: the first organization's rules get their Spanish text, and one house is left behind.

After ``seed_rules``: four days ago the operator gave every rule in force (the organization's defaults and Maple
House's own curfew) its Spanish text, one publication through the rule services, so every house's rules can be read
and signed in Spanish (the Spanish-speaking demo resident of ``seed_spanish`` signs them). Two days ago the last
house (Harbor House) added a quiet-hours rule of its own in English only, so its current rules have no Spanish yet:
its newest resident, who has not signed and reads Spanish, is flagged "No Spanish text" on the unsigned list.
Residents who had signed the version before each publication signed the new one again, so who has not signed stays
as ``seed_rules`` left it. Keyed by the organization having any Spanish rule text, so a second run changes nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from houses.models import House
from residents.house_rules import services as rule_services
from residents.models import HouseRule, HouseRuleVersion, RuleAcknowledgement, RuleSet, Stay

RuleChange = rule_services.RuleChange

# The English of demo/seed_rules.py (rule texts and consequences) and its Spanish.
SPANISH = {
    # Rules
    "No alcohol, illegal drugs or non-prescribed medication on the property or in your system. Declare every "
    "prescription to the house manager; medication is kept in the lockbox.":
        "No se permite alcohol, drogas ilegales ni medicamentos sin receta en la propiedad ni en su cuerpo. Informe al "
        "encargado de la casa de cada receta médica; los medicamentos se guardan en la caja con llave.",
    "Give a sample for random and for-cause drug and alcohol tests when asked. A refusal, a dilute or a sample "
    "not given within two hours counts as positive.":
        "Dé una muestra para las pruebas de drogas y alcohol, al azar o por causa, cuando se le pida. Negarse, una "
        "muestra diluida o una muestra que no entregue en dos horas cuenta como positiva.",
    "Be inside by 10:00 pm Sunday to Thursday and by midnight on Friday and Saturday. Later passes follow your "
    "phase.":
        "Esté dentro de la casa a las 10:00 pm de domingo a jueves y a la medianoche los viernes y sábados. Los pases "
        "para llegar más tarde dependen de su fase.",
    "Guests visit only in the common areas between 10:00 am and 9:00 pm, sign the guest book and must be sober. "
    "No overnight guests.":
        "Las visitas solo pueden estar en las áreas comunes entre las 10:00 am y las 9:00 pm, firman el libro de "
        "visitas y deben estar sobrias. No se permiten visitas de noche.",
    "Finish your assigned daily chore by 8:00 pm and take part in the Saturday morning deep clean.":
        "Termine su tarea diaria antes de las 8:00 pm y participe en la limpieza a fondo del sábado por la mañana.",
    "Attend the weekly house meeting (Sunday 7:00 pm) and at least three outside recovery meetings a week, with "
    "signed attendance slips.":
        "Asista a la reunión semanal de la casa (domingo a las 7:00 pm) y al menos a tres reuniones de recuperación "
        "fuera de la casa por semana, con las hojas de asistencia firmadas.",
    "No violence, threats, intimidation, weapons or harassment of anyone, on or off the property.":
        "No se permite violencia, amenazas, intimidación, armas ni acoso contra nadie, dentro o fuera de la "
        "propiedad.",
    "No romantic or sexual relationships between residents of the same house.":
        "No se permiten relaciones románticas ni sexuales entre residentes de la misma casa.",
    "Respect other people's belongings and space. Never borrow without asking.":
        "Respete las pertenencias y el espacio de los demás. Nunca tome nada prestado sin pedirlo.",
    "Rent is due every Friday by 6:00 pm. If you cannot pay on time, talk to the house manager before it is late.":
        "La renta vence cada viernes a las 6:00 pm. Si no puede pagar a tiempo, hable con el encargado de la casa "
        "antes de que esté vencida.",
    "Smoke or vape only at the bench in the back yard, never indoors or at the front door.":
        "Fume o use vapeador solo en la banca del patio de atrás, nunca dentro de la casa ni en la puerta de entrada.",
    "Keep your bed made and your area clean for the Monday room inspection.":
        "Tenga su cama tendida y su espacio limpio para la inspección de habitaciones del lunes.",
    "Guests are approved by the house manager 24 hours ahead, visit only in the common areas between 10:00 am and "
    "9:00 pm, sign the guest book and must be sober. No overnight guests, and no guests during your first 14 days.":
        "El encargado de la casa aprueba las visitas con 24 horas de anticipación. Las visitas solo pueden estar en "
        "las áreas comunes entre las 10:00 am y las 9:00 pm, firman el libro de visitas y deben estar sobrias. No se "
        "permiten visitas de noche, ni visitas durante sus primeros 14 días.",
    "Sign out on the board whenever you leave the property (where and when you will be back) and sign in on return.":
        "Anote su salida en el pizarrón cada vez que salga de la propiedad (adónde va y cuándo regresa) y anote su "
        "regreso al volver.",
    "Be inside by 10:00 pm Sunday to Thursday and by midnight on Friday and Saturday. Residents in phase 3 may stay "
    "out until 11:30 pm on weeknights with a sign-out.":
        "Esté dentro de la casa a las 10:00 pm de domingo a jueves y a la medianoche los viernes y sábados. Los "
        "residentes en la fase 3 pueden llegar hasta las 11:30 pm entre semana si anotan su salida.",
    # Consequences
    "Discharge the same day. You may reapply after 30 days of documented sobriety.":
        "Salida de la casa el mismo día. Puede volver a solicitar después de 30 días de sobriedad comprobada.",
    "Treated as a positive test.": "Se trata como una prueba positiva.",
    "First time a written warning; second, no passes for two weeks; third, a behavior contract.":
        "La primera vez, una advertencia por escrito; la segunda, sin pases por dos semanas; la tercera, un contrato "
        "de conducta.",
    "Guest privileges suspended for 30 days.": "No puede recibir visitas por 30 días.",
    "An extra chore for each one missed; three misses in a month go to the house meeting.":
        "Una tarea extra por cada una que no haga; tres faltas en un mes se tratan en la reunión de la casa.",
    "Restricted to the house until the missed meetings are made up.":
        "No puede salir de la casa hasta que recupere las reuniones que faltó.",
    "Immediate discharge; the police are called when anyone is in danger.":
        "Salida inmediata de la casa; se llama a la policía cuando alguien está en peligro.",
    "A meeting with the operator; one resident may be moved to another house.":
        "Una reunión con el operador; uno de los residentes puede ser trasladado a otra casa.",
    "Restitution and a behavior contract. Theft is grounds for discharge.":
        "Reponer lo dañado o tomado, y un contrato de conducta. El robo es motivo de salida de la casa.",
    "A $10 late fee after a 3-day grace period; two weeks unpaid may lead to discharge.":
        "Un cargo por atraso de $10 después de 3 días de gracia; dos semanas sin pagar pueden llevar a la salida de "
        "la casa.",
    "A $15 late fee after a 3-day grace period; two weeks unpaid leads to a payment plan or discharge.":
        "Un cargo por atraso de $15 después de 3 días de gracia; dos semanas sin pagar llevan a un plan de pagos o a "
        "la salida de la casa.",
    "A written warning, then a $25 cleaning fee.": "Una advertencia por escrito y después un cargo de limpieza de $25.",
    "Loss of your next weekend pass.": "Pierde su próximo pase de fin de semana.",
    "A written warning; repeated misses count as curfew violations.":
        "Una advertencia por escrito; si se repite, cuenta como falta a la hora de llegada.",
}  # fmt: skip

# The last house's own rule, published after the Spanish, in English only: its Spanish is not written yet.
QUIET_HOURS = (
    "conduct",
    "Quiet hours from 10:00 pm to 7:00 am: no music or TV in the common rooms, and phone calls on the porch.",
    "A written warning, then a behavior contract.",
)
SPANISH_DAYS_AGO = 4
QUIET_HOURS_DAYS_AGO = 2


def _local(organization: Organization, day, hour=9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo)


def seed(organization: Organization) -> None:
    """Spanish for every rule in force in ``organization``, then an English-only rule in its last house."""
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    houses = list(House.objects.filter(organization=organization).order_by("pk"))
    if operator is None or len(houses) < 2 or not RuleSet.objects.filter(organization=organization).exists():
        return
    if HouseRuleVersion.objects.filter(rule__organization=organization).exclude(text_es="").exists():
        return  # seeded already
    rng = random.Random(f"hearth-rules-es-{organization.slug}")
    today = organization.today()
    rules = HouseRule.objects.active().filter(organization=organization).select_related("current_version")
    changes = [
        RuleChange(rule=rule, text_es=SPANISH[version.text], consequence_es=SPANISH[version.consequence])
        for rule in rules
        if (version := rule.current_version).text in SPANISH and version.consequence in SPANISH
    ]
    if not changes:
        return
    _publish_and_sign_again(
        organization, operator, rng, changes=changes, note="Spanish text for every rule",
        at=_local(organization, today - timedelta(days=SPANISH_DAYS_AGO)),
    )  # fmt: skip
    last = houses[-1]
    category, text, consequence = QUIET_HOURS
    _publish_and_sign_again(
        organization, operator, rng,
        changes=[RuleChange(house=last, category=category, text=text, consequence=consequence)],
        note="Quiet hours (the Spanish text is on its way)",
        at=_local(organization, today - timedelta(days=QUIET_HOURS_DAYS_AGO)),
    )  # fmt: skip
    _reads_spanish(last)


def _publish_and_sign_again(organization, operator, rng, *, changes, note, at) -> None:
    """Publishes ``changes`` at ``at``; each current resident who had signed their house's version before it signs
    the new one, in the language they read when the new version has it."""
    stays = list(
        Stay.objects.open().filter(organization=organization).select_related("resident", "house").order_by("pk")
    )
    current = dict(RuleSet.objects.filter(organization=organization, is_current=True).values_list("house_id", "pk"))
    signed = set(
        RuleAcknowledgement.objects.filter(rule_set_id__in=current.values()).values_list("stay_id", "rule_set_id")
    )
    _rules, published = rule_services.rules_publish(actor=operator, changes=changes, note=note, at=at)
    renewed = {rule_set.house_id: rule_set for rule_set in published}
    for stay in stays:
        rule_set = renewed.get(stay.house_id)
        if rule_set is None or (stay.pk, current.get(stay.house_id)) not in signed:
            continue
        language = stay.resident.preferred_language
        if not rule_services.rule_set_has_language(rule_set, language):
            language = "en"
        acknowledgement, _created = rule_services.rule_set_acknowledge(
            resident=stay.resident, rule_set=rule_set, signature=stay.resident.legal_name,
            ip_address=f"192.0.2.{rng.randint(10, 250)}", language=language,
        )  # fmt: skip
        start = max(at, _local(organization, stay.move_in))
        signed_at = min(start + timedelta(hours=rng.randint(2, 40)), timezone.now() - timedelta(hours=1))
        RuleAcknowledgement.objects.filter(pk=acknowledgement.pk).update(signed_at=signed_at)


def _reads_spanish(house: House) -> None:
    """The newest resident of ``house`` who has not signed its current rules (and has no portal login) reads
    Spanish: the unsigned list flags that their language has no text for the current version."""
    rule_set = RuleSet.objects.get(house=house, is_current=True)
    signed = RuleAcknowledgement.objects.filter(rule_set=rule_set).values("stay_id")
    stay = (
        Stay.objects.open()
        .filter(house=house, resident__membership__isnull=True)
        .exclude(pk__in=signed)
        .select_related("resident")
        .order_by("-move_in", "-pk")
        .first()
    )
    if stay is not None:
        stay.resident.preferred_language = "es"
        stay.resident.save(update_fields=["preferred_language"])
