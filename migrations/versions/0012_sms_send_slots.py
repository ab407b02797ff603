"""sms_send_slots: atomic SMS limits per phone, account, address and city; tallied audit rows

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sms_send_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_send_slot")),
        sa.UniqueConstraint(
            "city",
            "scope",
            "subject",
            "window_start",
            name=op.f("uq_sms_send_slot_city_scope_subject_window_start"),
        ),
    )
    with op.batch_alter_table("sms_send_slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_send_slot_city"), ["city"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sms_send_slot_window_start"), ["window_start"], unique=False
        )

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("count", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
        batch_op.add_column(sa.Column("tally_minute", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_audit_event_event_city_client_address_tally_minute"),
            ["event", "city", "client_address", "tally_minute"],
        )


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_audit_event_event_city_client_address_tally_minute"), type_="unique"
        )
        batch_op.drop_column("tally_minute")
        batch_op.drop_column("count")

    with op.batch_alter_table("sms_send_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_send_slot_window_start"))
        batch_op.drop_index(batch_op.f("ix_sms_send_slot_city"))

    op.drop_table("sms_send_slot")
