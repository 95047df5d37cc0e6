"""The organisation around the pupil, shaped after SS 12000.

Organisers (huvudmän) have school units; units have groups, staff with duties and pupils placed at
them; pupils have guardians. Every entity that an SS 12000 importer will upsert carries an
``external_id`` (the SS 12000 UUID), unique where set.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elevstod.core.models import TimeStampedModel, active_on

_M = TypeVar("_M", bound=models.Model)


class PeriodQuerySet(models.QuerySet[_M]):
    def active(self, day: dt.date | None = None) -> PeriodQuerySet[_M]:
        return self.filter(active_on(day))


class PeriodModel(TimeStampedModel):
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_active(self, day: dt.date | None = None) -> bool:
        from elevstod.core.timeutil import today

        day = day or today()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


def _period_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
        name=f"{name}_ends_after_start",
    )


def _unique(name: str, field: str) -> models.UniqueConstraint:
    """A unique column with one index. ``unique=True`` on a text field adds, on PostgreSQL, a
    second index for ``LIKE 'prefix%'`` (``varchar_pattern_ops``), which no query of these
    columns uses and which every row an import writes has to update."""
    return models.UniqueConstraint(fields=[field], name=f"{name}_{field}_unique")


class Organiser(TimeStampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "MUNICIPALITY", _("municipality")
        INDEPENDENT = "INDEPENDENT", _("independent school organiser")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organiser")

    def __str__(self) -> str:
        return self.name


class SchoolUnit(TimeStampedModel):
    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    school_unit_code = models.CharField(_("school unit code"), max_length=8, unique=True)
    municipality_code = models.CharField(_("municipality code"), max_length=4, blank=True)
    support_module_enabled = models.BooleanField(_("support module enabled"), default=False)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school unit")

    def __str__(self) -> str:
        return self.name


class Subject(TimeStampedModel):
    """A school subject (Skolverket's subject code, e.g. GRGRMAT01 for mathematics)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject")

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """A pupil, guardian or staff member: SS 12000 keeps one Person entity for all of them."""

    class SecurityMarking(models.TextChoices):
        NONE = "NONE", _("none")
        CONFIDENTIALITY = "SEKRETESSMARKERING", _("confidentiality marking")
        PROTECTED_REGISTRATION = "SKYDDAD_FOLKBOKFORING", _("protected population registration")

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    # unique by ``Meta.constraints`` (``_unique``), null where unknown (many may lack one);
    # the search's ``contains`` reads the trigram index
    civic_number = models.CharField(  # noqa: DJ001
        _("personal identity number"), max_length=12, null=True, blank=True
    )
    security_marking = models.CharField(
        _("security marking"),
        max_length=24,
        choices=SecurityMarking.choices,
        default=SecurityMarking.NONE,
    )
    email = models.EmailField(_("e-mail"), blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # eduPersonPrincipalName, the person's login name in the school federation (Skolfederation)
    eppn = models.CharField(_("federation login name"), max_length=254, blank=True)
    external_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (unique)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        constraints = [_unique("person", "civic_number"), _unique("person", "external_id")]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            # The few with protected identity, which figures that leave a unit leave out: a
            # lookup of them reads this small index, not every person.
            models.Index(
                fields=["security_marking"],
                condition=~Q(security_marking="NONE"),
                name="person_protected_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_protected_identity(self) -> bool:
        return self.security_marking != self.SecurityMarking.NONE


class GuardianshipQuerySet(models.QuerySet["Guardianship"]):
    def current(self, day: dt.date | None = None) -> GuardianshipQuerySet:
        """The guardianships that have not ended by ``day`` (today by default); the same rule
        as ``Guardianship.is_current``."""
        from elevstod.core.timeutil import today

        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day or today()))


class Guardianship(TimeStampedModel):
    # no index of its own: ``guardianship_unique`` starts with it
    guardian = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="wards", db_index=False
    )
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="guardianships")
    # Custody (vårdnad): only a guardian with custody is a party to the school's decisions on
    # the pupil (förvaltningslagen; Skollagen 28 kap.). SS 12000 guardian relations without it
    # (e.g. a parent without custody) are kept, but see no decisions.
    custody = models.BooleanField(_("has custody"), default=True)
    # The last day as guardian: a guardian the source no longer lists is ended, never deleted.
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = GuardianshipQuerySet.as_manager()

    def is_current(self, day: dt.date) -> bool:
        """Not ended by ``day`` (``GuardianshipQuerySet.current``, for rows already read)."""
        return self.end_date is None or self.end_date >= day

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "pupil"], name="guardianship_unique"),
            models.CheckConstraint(
                condition=~Q(guardian=models.F("pupil")), name="guardianship_not_self"
            ),
        ]


class Placement(PeriodModel):
    """A pupil's placement at a school unit (SS 12000 Placement / Enrolment), with school year."""

    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placements")
    # no index of its own: the two below start with it
    unit = models.ForeignKey(
        SchoolUnit, on_delete=models.PROTECT, related_name="placements", db_index=False
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))  # 0 = förskoleklass (F)
    external_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (unique)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            _period_check("placement"),
            models.CheckConstraint(condition=Q(school_year__lte=10), name="placement_year_range"),
            _unique("placement", "external_id"),
        ]
        indexes = [
            models.Index(fields=["unit", "end_date"]),
            # Which school years a unit has (the statistics' filter): a probe per year.
            models.Index(fields=["unit", "school_year"]),
        ]

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def school_year_label(year: int | None) -> str:
    if year is None:
        return ""
    return "F" if year == 0 else str(year)


class Group(PeriodModel):
    """A class (klass) or a teaching group (undervisningsgrupp), usually with a subject."""

    class Kind(models.TextChoices):
        CLASS = "CLASS", _("class")
        TEACHING = "TEACHING", _("teaching group")

    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="groups"
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), null=True, blank=True)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["school_year", "name"]
        constraints = [_period_check("group")]

    def __str__(self) -> str:
        return self.name


class GroupMembership(PeriodModel):
    # no index of its own: the one below starts with it
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    external_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (unique)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        constraints = [_period_check("membership"), _unique("membership", "external_id")]
        indexes = [models.Index(fields=["group", "end_date"])]


class Duty(PeriodModel):
    """A staff member's duty (SS 12000 Duty): at a school unit, or organiser-wide for analysts."""

    class Role(models.TextChoices):
        PRINCIPAL = "PRINCIPAL", _("principal")
        TEACHER = "TEACHER", _("teacher")
        PUPIL_HEALTH = "PUPIL_HEALTH", _("pupil health team")
        ADMINISTRATOR = "ADMINISTRATOR", _("school administrator")
        ORGANISER_ANALYST = "ORGANISER_ANALYST", _("organiser analyst")
        DATA_PROTECTION_OFFICER = "DATA_PROTECTION_OFFICER", _("data protection officer")

    UNIT_ROLES = (Role.PRINCIPAL, Role.TEACHER, Role.PUPIL_HEALTH, Role.ADMINISTRATOR)
    ORGANISER_ROLES = (Role.ORGANISER_ANALYST, Role.DATA_PROTECTION_OFFICER)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="duties")
    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="duties")
    unit = models.ForeignKey(
        SchoolUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="duties"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("title"), max_length=100, blank=True)  # e.g. "Specialpedagog"
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty")
        constraints = [
            _period_check("duty"),
            models.CheckConstraint(
                condition=Q(role__in=["ORGANISER_ANALYST", "DATA_PROTECTION_OFFICER"])
                | Q(unit__isnull=False),
                name="duty_unit_roles_have_unit",
            ),
        ]
        indexes = [models.Index(fields=["person", "end_date"])]

    @property
    def label(self) -> str:
        return self.title or str(self.get_role_display())


class TeachingAssignment(PeriodModel):
    """A teacher teaches a group (SS 12000 Activity with a teacher)."""

    teacher = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="teaching")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="teaching")
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        constraints = [_period_check("teaching")]


class Mentorship(PeriodModel):
    """A staff member is a pupil's mentor at a unit (SS 12000 mentor group membership)."""

    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentees")
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentorships")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="mentorships")
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        constraints = [_period_check("mentorship")]
