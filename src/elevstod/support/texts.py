"""Fixed texts of decisions. The appeal instructions are configurable per organiser
(``SupportSettings``); this is the default, in Swedish because decisions are handed to the
parties in Swedish whatever language the staff member reads the interface in."""

from __future__ import annotations

from elevstod.organisation.models import SchoolUnit

from .models import SupportSettings

DEFAULT_APPEAL_INSTRUCTIONS = (
    "Beslutet kan överklagas hos Skolväsendets överklagandenämnd. Överklagandet ska vara "
    "skriftligt och skickas eller lämnas till {unit}, att. rektor, inte direkt till nämnden. "
    "Överklagandet måste ha kommit in till skolan inom tre veckor från den dag då ni fick del av "
    "beslutet. Skriv vilket beslut ni överklagar, hur ni vill att beslutet ska ändras och varför. "
    "Skolan prövar först om överklagandet har kommit in i rätt tid och om beslutet ska ändras, "
    "och skickar sedan överklagandet och handlingarna vidare till nämnden. "
    "Eleven eller vårdnadshavaren kan vända sig till skolan för hjälp med överklagandet."
)


def appeal_instructions_for(unit: SchoolUnit) -> str:
    custom = (
        SupportSettings.objects.filter(organiser_id=unit.organiser_id)
        .values_list("appeal_instructions", flat=True)
        .first()
    )
    template = custom or DEFAULT_APPEAL_INSTRUCTIONS
    return template.replace("{unit}", unit.name)
