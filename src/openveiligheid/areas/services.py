from django.db import transaction

from openveiligheid.areas.models import Area


@transaction.atomic
def upsert_area(*, code: str, name: str, level: str, parent: Area | None = None, **fields) -> Area:
    area, _ = Area.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, **fields}
    )
    return area


def national_area() -> Area:
    return upsert_area(code="NL01", name="Nederland", level=Area.Level.COUNTRY)
