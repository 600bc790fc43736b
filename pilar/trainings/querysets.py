"""Training queries start from the user's scope: every list and detail goes through ``visible_to``.

Dinsos (city-wide roles) see every event and participant; a TKSK sees every event and the participants
of the kecamatan; a PSM sees only the events they are invited to and only their own participation.
"""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q

from pilar.accounts.permissions import Perm, access_for
from pilar.identity.restriction import restriction_aware


class EventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EventQuerySet":
        access = access_for(user)
        if Perm.TRAINING_VIEW not in access.perms:
            return self.none()
        if access.city_wide or access.kecamatan_ids:
            return self.all()
        from pilar.trainings.models import Participant

        return self.filter(Exists(Participant.objects.filter(event=OuterRef("pk"), worker__user=user)))

    def with_counts(self, user) -> "EventQuerySet":
        """``participant_count`` and ``attended_count`` (at least one session) among the participants the
        user may see, in the same query as the events."""
        seen = participant_scope(user, prefix="participants__") or Q(participants__isnull=False)
        return self.annotate(
            participant_count=Count("participants", filter=seen, distinct=True),
            attended_count=Count("participants", filter=seen & Q(participants__attended_sessions__gt=0), distinct=True),
            completed_count=Count("participants", filter=seen & Q(participants__completed=True), distinct=True),
        )


def participant_scope(user, *, prefix: str = "") -> Q:
    """The participants ``user`` may see, as a condition on ``<prefix>`` participant fields."""
    access = access_for(user)
    if Perm.TRAINING_VIEW not in access.perms:
        return Q(**{f"{prefix}pk__in": []})
    if access.city_wide:
        return Q()
    own = Q(**{f"{prefix}worker__user_id": user.pk})
    return Q(**{f"{prefix}kecamatan_id__in": access.kecamatan_ids}) | own if access.kecamatan_ids else own


class ParticipantQuerySet(models.QuerySet):
    @restriction_aware("worker__person")
    def visible_to(self, user) -> "ParticipantQuerySet":
        return self.filter(participant_scope(user))

    def listing(self) -> "ParticipantQuerySet":
        return self.select_related("worker__person", "kecamatan", "kelurahan", "certificate")

    def attended(self) -> "ParticipantQuerySet":
        return self.filter(attended_sessions__gt=0)
