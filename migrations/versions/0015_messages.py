"""messages: the message centre (消息中心), and the browsers each account logs in from

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link_endpoint", sa.String(length=64), nullable=True),
        sa.Column("link_values", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=96), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sms", sa.String(length=16), nullable=True),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_message_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
        sa.UniqueConstraint(
            "city", "person_id", "dedupe_key", name=op.f("uq_message_city_person_id_dedupe_key")
        ),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_message_city_person_created", ["city", "person_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_message_city_person_read", ["city", "person_id", "read_at"], unique=False
        )

    op.create_table(
        "account_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_device_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_device")),
        sa.UniqueConstraint(
            "city",
            "account_id",
            "token_digest",
            name=op.f("uq_account_device_city_account_id_token_digest"),
        ),
    )
    with op.batch_alter_table("account_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_device_city"), ["city"], unique=False)


def downgrade():
    with op.batch_alter_table("account_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_device_city"))

    op.drop_table("account_device")

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_city_person_read")
        batch_op.drop_index("ix_message_city_person_created")
        batch_op.drop_index(batch_op.f("ix_message_city"))

    op.drop_table("message")
