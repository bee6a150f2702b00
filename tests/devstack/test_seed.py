import jwt
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.domain.identity import GROUPS_CLAIM, TENANT_CLAIM
from booking.domain.roles import Role

from devstack.access import password_sign_in
from devstack.seed import load_seed
from devstack.seed.apply import apply_seed


def _apply(ctx, table_name, pool_id, messages=None):
    return apply_seed(
        load_seed(),
        table_name=table_name,
        user_pool_id=pool_id,
        dynamodb=ctx.client("dynamodb"),
        cognito=ctx.client("cognito-idp"),
        progress=(messages.append if messages is not None else lambda _m: None),
    )


def test_the_demo_seed_is_valid_and_has_one_user_per_role_in_guayaquil():
    seed = load_seed()
    assert seed.tenant.time_zone == "America/Guayaquil"
    assert sorted(user.role for user in seed.users) == sorted(Role)
    treatment_ids = {treatment.id for treatment in seed.treatments}
    for professional in seed.professionals:
        assert set(professional.treatment_ids) <= treatment_ids
        assert any(professional.working_hours.for_weekday(day) for day in range(7))


def test_the_seed_writes_the_tenant_catalog_and_users_through_the_apis_code_paths(ctx, deployed):
    table_name, pool_id, _client_id = deployed
    messages: list[str] = []

    report = _apply(ctx, table_name, pool_id, messages)

    table = DynamoTable(table_name, client=ctx.client("dynamodb"))
    catalog = DynamoCatalogRepository(table)
    tenant = catalog.get_tenant("demo-clinic")
    assert tenant is not None
    assert tenant.time_zone == "America/Guayaquil"
    assert sorted(item.id for item in catalog.list_treatments("demo-clinic")) == sorted(report.treatment_ids)
    ana = catalog.get_professional("demo-clinic", "dr-ana-torres")
    dentist = next(user for user in report.demo_users if user.role == "Dentist")
    assert ana is not None
    assert ana.user_id == dentist.user_id
    assert ana.treatment_ids == ["checkup", "cleaning", "filling"]
    listed = DynamoUserRepository(table).list_users("demo-clinic", limit=10)
    assert sorted(user.email for user in listed.items) == sorted(user.email for user in report.demo_users)
    assert any(message.startswith("professional dr-luis-mora") for message in messages)


def test_each_demo_user_signs_in_with_its_password_and_carries_tenant_and_role(ctx, deployed):
    table_name, pool_id, client_id = deployed
    report = _apply(ctx, table_name, pool_id)
    cognito = ctx.client("cognito-idp")

    for user in report.demo_users:
        tokens = password_sign_in(
            cognito, user_pool_id=pool_id, client_id=client_id, email=user.email, password=user.password
        )
        claims = jwt.decode(tokens.id_token, options={"verify_signature": False})
        assert claims[TENANT_CLAIM] == "demo-clinic"  # what the HTTP edge reads
        assert claims[GROUPS_CLAIM] == [user.role]
        assert claims["sub"] == user.user_id


def test_seeding_twice_keeps_one_of_everything(ctx, deployed):
    table_name, pool_id, _ = deployed
    first = _apply(ctx, table_name, pool_id)
    second = _apply(ctx, table_name, pool_id)

    assert [user.user_id for user in second.demo_users] == [user.user_id for user in first.demo_users]
    assert len(ctx.client("cognito-idp").list_users(UserPoolId=pool_id)["Users"]) == len(first.demo_users)
    table = DynamoTable(table_name, client=ctx.client("dynamodb"))
    assert len(DynamoCatalogRepository(table).list_professionals("demo-clinic")) == 2
    assert len(DynamoUserRepository(table).list_users("demo-clinic", limit=20).items) == len(first.demo_users)
