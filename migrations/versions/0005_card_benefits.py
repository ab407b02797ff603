"""social security cards, card processing and swipe records, benefit payments and items

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("card_number", sa.String(length=32), nullable=False),
        sa.Column("bank", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_card_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card")),
        sa.UniqueConstraint("person_id", name=op.f("uq_card_person_id")),
    )
    with op.batch_alter_table("card", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_city"), ["city"], unique=False)

    op.create_table(
        "card_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("office", sa.String(length=128), nullable=True),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"], ["card.id"], name=op.f("fk_card_event_card_id_card"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_card_event_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_event")),
    )
    with op.batch_alter_table("card_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_event_card_id"), ["card_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_card_event_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_card_event_city_person_time", ["city", "person_id", "occurred_at"], unique=False
        )

    op.create_table(
        "card_swipe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("swiped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_card_swipe_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_swipe")),
    )
    with op.batch_alter_table("card_swipe", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_swipe_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_card_swipe_city_person_time", ["city", "person_id", "swiped_at"], unique=False
        )

    op.create_table(
        "benefit_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("benefit_type", sa.String(length=16), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_benefit_payment_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_payment")),
        sa.UniqueConstraint(
            "person_id",
            "benefit_type",
            "period",
            name=op.f("uq_benefit_payment_person_id_benefit_type_period"),
        ),
    )
    with op.batch_alter_table("benefit_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benefit_payment_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_benefit_payment_city_person_type_period",
            ["city", "person_id", "benefit_type", "period"],
            unique=False,
        )

    op.create_table(
        "benefit_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["benefit_payment.id"],
            name=op.f("fk_benefit_item_payment_id_benefit_payment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_item")),
        sa.UniqueConstraint("payment_id", "name", name=op.f("uq_benefit_item_payment_id_name")),
    )
    with op.batch_alter_table("benefit_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benefit_item_city"), ["city"], unique=False)


def downgrade():
    with op.batch_alter_table("benefit_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_item_city"))

    op.drop_table("benefit_item")
    with op.batch_alter_table("benefit_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_benefit_payment_city_person_type_period")
        batch_op.drop_index(batch_op.f("ix_benefit_payment_city"))

    op.drop_table("benefit_payment")
    with op.batch_alter_table("card_swipe", schema=None) as batch_op:
        batch_op.drop_index("ix_card_swipe_city_person_time")
        batch_op.drop_index(batch_op.f("ix_card_swipe_city"))

    op.drop_table("card_swipe")
    with op.batch_alter_table("card_event", schema=None) as batch_op:
        batch_op.drop_index("ix_card_event_city_person_time")
        batch_op.drop_index(batch_op.f("ix_card_event_city"))
        batch_op.drop_index(batch_op.f("ix_card_event_card_id"))

    op.drop_table("card_event")
    with op.batch_alter_table("card", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_card_city"))

    op.drop_table("card")
