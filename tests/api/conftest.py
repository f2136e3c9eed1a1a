import pytest


@pytest.fixture
def world(world):
    # UserFactory sets the password after creation without saving it (skip_postgeneration_save),
    # so a forced login's session hash would not match the stored user and every request would
    # be anonymous. Saving once here keeps these tests independent of that factory detail.
    for user in world.users.values():
        if user is not None:
            user.save(update_fields=["password"])
    return world
