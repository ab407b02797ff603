"""shared state: SMS dead letters, the sandbox bank's ledger, uploaded files

sms_dead_letter keeps what resending needs; sandbox_bank_payment and stored_file are shared by
every worker and node (the sandbox bank, and uploads with SHEBAO_UPLOADS_STORAGE=database).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sms_dead_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_dead_letter")),
    )
    with op.batch_alter_table("sms_dead_letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_dead_letter_city"), ["city"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sms_dead_letter_valid_until"), ["valid_until"], unique=False
        )

    op.create_table(
        "sandbox_bank_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.Column("bank", sa.String(length=32), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("return_path", sa.String(length=200), nullable=False),
        sa.Column("notify_path", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_bank_payment")),
        sa.UniqueConstraint(
            "city",
            "bank",
            "order_number",
            name=op.f("uq_sandbox_bank_payment_city_bank_order_number"),
        ),
    )
    with op.batch_alter_table("sandbox_bank_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sandbox_bank_payment_city"), ["city"], unique=False)

    op.create_table(
        "stored_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_file")),
        sa.UniqueConstraint("key", name=op.f("uq_stored_file_key")),
    )
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_file_city"), ["city"], unique=False)


def downgrade():
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_file_city"))
    op.drop_table("stored_file")
    with op.batch_alter_table("sandbox_bank_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_bank_payment_city"))
    op.drop_table("sandbox_bank_payment")
    with op.batch_alter_table("sms_dead_letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_dead_letter_valid_until"))
        batch_op.drop_index(batch_op.f("ix_sms_dead_letter_city"))
    op.drop_table("sms_dead_letter")
