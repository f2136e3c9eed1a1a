import pytest
@pytest.mark.django_db
def test_dbg(world, client):
    u = world.users["partner_contact"]
    client.force_login(u)
    print("RESULT session", dict(client.session))
    r = client.get("/plannen/")
    print("RESULT", r.status_code, r.get("Location"), r.wsgi_request.user)
    client.force_login(world.users["council_member"])
    r = client.get("/plannen/")
    print("RESULT", r.status_code, r.get("Location"), r.wsgi_request.user)
