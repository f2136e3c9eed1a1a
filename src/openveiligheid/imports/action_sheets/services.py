"""The action sheet kind of the upload flow: an edited export of an action plan, compared with
the plan by actions.services.import_actions_xlsx (dry run for the preview, for real on
confirmation under the upload's row lock)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from openveiligheid.actions import services as action_services
from openveiligheid.actions.models import ActionPlan
from openveiligheid.imports import uploads
from openveiligheid.imports.models import Upload
from openveiligheid.organisations.scoping import CHANGE


@dataclass
class ActionSheetResult:
    changed: int
    created: int
    refused: int

    @classmethod
    def of(cls, preview) -> "ActionSheetResult":
        return cls(changed=preview.changed, created=preview.created, refused=preview.refused)

    def as_dict(self) -> dict:
        return {"changed": self.changed, "created": self.created, "refused": self.refused}


def managed_action_plans(user):
    """The action plans whose actions ``user`` may manage (MANAGE_ACTIONS in the plan's
    organisation), as on the other action management pages."""
    return ActionPlan.objects.restrict(user, CHANGE)


def _may_upload(user, organisation, options) -> bool:
    return managed_action_plans(user).filter(pk=options.get("action_plan")).exists()


def action_plan_of(upload: Upload) -> ActionPlan:
    return ActionPlan.objects.select_related("plan").get(pk=(upload.options or {})["action_plan"])


def preview_action_sheet(upload: Upload):
    """What confirming would change (nothing is written). Raises ValidationError."""
    return action_services.import_actions_xlsx(
        action_plan_of(upload), upload.read_content(), dry_run=True
    )


def upload_action_sheet(action_plan: ActionPlan, file, user) -> tuple[Upload, object]:
    """Read an edited export for ``action_plan`` and keep it for confirmation.

    Raises ValidationError (unreadable file, above the upload limit) or PermissionDenied."""
    options = {"action_plan": action_plan.pk}
    owner = action_plan.plan.owner
    if not uploads.may_upload(Upload.Kind.ACTION_SHEET, user, owner, options):
        raise PermissionDenied
    uploads.check_size(file.size)
    content = file.read()
    preview = action_services.import_actions_xlsx(action_plan, content, actor=user, dry_run=True)
    upload = uploads.store_upload(
        Upload.Kind.ACTION_SHEET, content, owner, user, name=file.name, options=options
    )
    summary = ActionSheetResult.of(preview).as_dict()
    return uploads.record_preview(upload, summary, user), preview


def _apply(upload: Upload, actor=None) -> ActionSheetResult:
    """The action sheet kind's confirmation: runs inside the locked transaction."""
    preview = action_services.import_actions_xlsx(
        action_plan_of(upload), upload.read_content(), actor=actor, dry_run=False
    )
    return ActionSheetResult.of(preview)


def confirm_action_sheet(upload: Upload, actor) -> ActionSheetResult:
    return uploads.confirm(upload, actor)


uploads.register_kind(
    uploads.UploadKind(
        name=Upload.Kind.ACTION_SHEET,
        may_upload=_may_upload,
        preview=preview_action_sheet,
        confirm=_apply,
    )
)
